# t_man.sh: every manual page is well-formed mdoc (mandoc -Tlint, warnings
# and errors; style notes depend on the host's manual database).

atf_test_case man_pages_lint_clean
man_pages_lint_clean_head() {
	atf_set "descr" "mandoc -Tlint reports no warning or error"
	atf_set "require.progs" "mandoc"
}
man_pages_lint_clean_body() {
	set -- "$SRCDIR"/docs/man/*.[134]
	[ -f "$1" ] || atf_fail "no manual pages in docs/man"
	mandoc -Tlint -Wwarning "$@" > lint.txt 2>&1 ||
	    atf_fail "$(head -5 lint.txt | tr '\n' ' ')"
}

atf_init_test_cases() {
	atf_add_test_case man_pages_lint_clean
}

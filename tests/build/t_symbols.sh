# t_symbols.sh: the kernel's isolation invariants, checked on the built
# libraries and sources: global symbols are rump*/rumpns_* (and the
# static host archives export only rumpuser*/rumpclient*/rump_*), the only
# undefined symbols are hypercalls or other kernel symbols, and kernel
# sources include no host header.

KLIBS="librump librumpvfs librumpfs_tmpfs librumpdev_disk librumpdev_md"
# The public API; everything else a kernel library defines is rumpns_*.
PUBLIC='^(rumpns_|rump_pub_|rump_sys_|rump_(init|init_server|getversion|schedule|unschedule|syscall)$)'
# Instrumentation in sanitizer builds calls into the sanitizer runtime.
SANRT='^(__asan_|__ubsan_|__sanitizer_|__lsan_)'

# first LINES of file as one line
firstof() {
	head -5 "$1" | tr '\n' ' '
}

atf_test_case defined_symbols_prefixed
defined_symbols_prefixed_head() {
	atf_set "descr" "every global symbol a kernel library defines is" \
	    "public API or rumpns_*"
}
defined_symbols_prefixed_body() {
	for l in $KLIBS; do
		for f in "$BUILD/lib/$l.so" "$BUILD/lib/$l.a"; do
			nm -g --defined-only "$f" | awk 'NF == 3 { print $3 }' |
			    grep -Ev "$PUBLIC" |
			    grep -Ev '^(__bss_start|_edata|_end)$' \
			    > bad.txt
			[ -s bad.txt ] && atf_fail "$f defines: $(firstof bad.txt)"
		done
	done
	return 0
}

atf_test_case host_archives_prefixed
host_archives_prefixed_head() {
	atf_set "descr" "every global symbol the static host archives" \
	    "(librumpuser.a, librumpclient.a) define is rumpuser*," \
	    "rumpclient* or rump_*, so that a program linking them" \
	    "cannot collide with their internals"
}
host_archives_prefixed_body() {
	for l in librumpuser librumpclient; do
		nm -g --defined-only "$BUILD/lib/$l.a" |
		    awk 'NF == 3 { print $3 }' |
		    grep -Ev '^(rumpuser|rumpclient|rump_)' |
		    grep -Ev "$SANRT" > bad.txt
		[ -s bad.txt ] && atf_fail "$l.a defines: $(firstof bad.txt)"
		nm -g --defined-only "$BUILD/lib/$l.a" | grep -q ' T rump' ||
		    atf_fail "$l.a defines no public function"
	done
	return 0
}

atf_test_case undefined_symbols_are_kernel_or_hypercalls
undefined_symbols_are_kernel_or_hypercalls_head() {
	atf_set "descr" "kernel libraries need nothing from the host but" \
	    "rumpuser_* hypercalls"
}
undefined_symbols_are_kernel_or_hypercalls_body() {
	for l in $KLIBS; do
		nm -D --undefined-only "$BUILD/lib/$l.so" |
		    awk '{ print $NF }' |
		    grep -Ev '^(rumpuser_|rumpns_|rump_)' |
		    grep -Ev "$SANRT" > bad.txt
		[ -s bad.txt ] && atf_fail "$l needs: $(firstof bad.txt)"
	done
	nm -D --undefined-only "$BUILD/lib/librump.so" | awk '{ print $NF }' |
	    grep -v '^rumpuser_' | grep -Ev "$SANRT" > bad.txt
	[ -s bad.txt ] && atf_fail "librump needs: $(firstof bad.txt)"
	return 0
}

atf_test_case kernel_includes_no_host_header
kernel_includes_no_host_header_head() {
	atf_set "descr" "every #include in kernel/ names a kernel or rump" \
	    "header, and the kernel flags reject host headers"
}
kernel_includes_no_host_header_body() {
	cd "$SRCDIR" || atf_fail "no source dir"
	grep -roE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"][^>"]+' \
	    kernel | sed -E 's/:.*[<"]/ /' > "$OLDPWD/incs.txt"
	while read -r f h; do
		[ -f "kernel/$h" ] || [ -f "include/$h" ] ||
		    [ -f "$(dirname "$f")/$h" ] ||
		    atf_fail "$f includes non-kernel header <$h>"
	done < "$OLDPWD/incs.txt"
	printf '#include <stdio.h>\n' > "$OLDPWD/host.c"
	if cc -ffreestanding -nostdinc -Ikernel -Iinclude -c \
	    "$OLDPWD/host.c" -o "$OLDPWD/host.o" 2>/dev/null; then
		atf_fail "-nostdinc did not reject a host header"
	fi
}

atf_init_test_cases() {
	atf_add_test_case defined_symbols_prefixed
	atf_add_test_case host_archives_prefixed
	atf_add_test_case undefined_symbols_are_kernel_or_hypercalls
	atf_add_test_case kernel_includes_no_host_header
}

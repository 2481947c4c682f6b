# t_install.sh: `make install` into a DESTDIR gives headers, libraries and
# rump.pc, and the README's example client builds against the installed
# tree with pkg-config and runs.

atf_test_case install_then_build_readme_example
install_then_build_readme_example_head() {
	atf_set "descr" "the README example builds with pkg-config from an" \
	    "installed tree and prints what it wrote through the kernel"
	atf_set "require.progs" "pkg-config cc make"
}
install_then_build_readme_example_body() {
	if nm -D "$BUILD/lib/librump.so" | grep -q __asan_init; then
		atf_skip "sanitizer build: clients would need the sanitizer" \
		    "runtime; checked in the plain build"
	fi
	root=$(pwd)/root
	make -s -C "$SRCDIR" BUILD="$BUILD" PREFIX=/usr/local \
	    DESTDIR="$root" install >install.log 2>&1 ||
	    atf_fail "make install failed: $(tail -3 install.log | tr '\n' ' ')"
	lib=$root/usr/local/lib
	for f in include/rump/rump.h include/rump/rump_syscalls.h \
	    include/rump/rumpuser.h lib/librump.so lib/librump.so.0 \
	    lib/librump.a lib/librumpvfs.so.0 lib/librumpfs_tmpfs.a \
	    lib/librumpuser.so.0 lib/pkgconfig/rump.pc; do
		[ -e "$root/usr/local/$f" ] || atf_fail "not installed: $f"
	done
	awk '/^```c$/ { on = 1; next } /^```$/ { if (on) exit } on' \
	    "$SRCDIR/README.md" > hello.c
	grep -q rump_init hello.c || atf_fail "no example found in README.md"
	flags=$(PKG_CONFIG_PATH=$lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root \
	    pkg-config --cflags --libs rump) || atf_fail "pkg-config failed"
	cc -o hello hello.c $flags -lrumpfs_tmpfs -lrumpvfs ||
	    atf_fail "the README example does not build: cc hello.c $flags"
	LD_LIBRARY_PATH=$lib ./hello > out.txt 2>err.txt ||
	    atf_fail "hello failed: $(cat err.txt)"
	atf_check -o inline:"hello, kernel\n" cat out.txt
}

atf_init_test_cases() {
	atf_add_test_case install_then_build_readme_example
}

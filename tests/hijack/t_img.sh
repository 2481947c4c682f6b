# t_img.sh: rump-img, the disk-image wrapper: ext2 images made by
# mke2fs -d and FAT images made by mkfs.fat + mcopy are read and written
# by unmodified programs at /rump, checked with diff, e2fsck, fsck.fat,
# debugfs and mtype on the host.

lib=$BUILD/lib/librumphijack.so.0

# A library built with a sanitizer cannot be preloaded into the
# uninstrumented programs of the host.  $img runs rump-img with its
# temporary directories in ./tmp, to check that they go away.
setup() {
	ldd "$lib" | grep -q 'libasan\|libubsan\|libtsan' &&
	    atf_skip "librumphijack is built with a sanitizer"
	mkdir tmp
	img="env TMPDIR=$PWD/tmp $BUILD/bin/rump-img"
	mkdir -p tree/sub/deeper tree/empty
	echo one > tree/a.txt
	seq 1 30000 > tree/sub/big.txt
	printf 'x\0y\377' > tree/sub/deeper/bin.dat
}

# The image holds tree as /tree.
mkext2() {
	mkdir stage && cp -a tree stage/tree
	atf_check -o ignore -e ignore mke2fs -q -t ext2 -b 1024 -d stage \
	    disk.img 8M
}

mkfat() {
	rm -f disk.img
	atf_check -o ignore mkfs.fat -C disk.img 8192
	atf_check mcopy -s -i disk.img tree ::/tree
}

# Nothing of a run is left: no temporary directory, no server.
check_gone() {
	atf_check -o empty ls -A tmp
	atf_check -s exit:1 pgrep -f "rump_serve[r].*$PWD/tmp/"
}

# cp -r out of the image gives the tree; a write is seen by the host's
# own tools; fsck finds the image clean.
copy_and_write() {
	atf_check $img disk.img -- cp -r /rump/tree out
	atf_check diff -r tree out
	atf_check -o inline:"hi\n" $img disk.img -- \
	    sh -c 'mkdir /rump/new && echo hi > /rump/new/f && cat /rump/new/f'
	check_gone
}

atf_test_case ext2_copy_and_write
ext2_copy_and_write_head() {
	atf_set "descr" "ext2: cp -r out matches the source tree, a file" \
	    "written through sh is seen by debugfs, e2fsck -fn is clean"
}
ext2_copy_and_write_body() {
	setup
	mkext2
	copy_and_write
	atf_check -o ignore -e ignore e2fsck -fn disk.img
	atf_check -o inline:"hi\n" -e ignore debugfs -R "cat /new/f" disk.img
}

atf_test_case fat_copy_and_write
fat_copy_and_write_head() {
	atf_set "descr" "FAT: cp -r out matches the source tree, a file" \
	    "written through sh is seen by mtype, fsck.fat -n is clean"
}
fat_copy_and_write_body() {
	setup
	mkfat
	copy_and_write
	atf_check -o ignore fsck.fat -n disk.img
	atf_check -o inline:"hi\n" mtype -i disk.img ::/new/f
}

atf_test_case bash_script
bash_script_head() {
	atf_set "descr" "bash reading commands from stdin: cd into /rump," \
	    "redirections, globbing"
}
bash_script_body() {
	setup
	mkfat
	printf '%s\n' 'cd /rump/tree && echo two > b.txt && cat *.txt' \
	    'ls sub' | atf_check -o inline:"one\ntwo\nbig.txt\ndeeper\n" \
	    $img disk.img -- bash
	atf_check -o inline:"two\n" mtype -i disk.img ::/tree/b.txt
	check_gone
}

atf_test_case read_only
read_only_head() {
	atf_set "descr" "-r mounts read-only: writes fail with EROFS and" \
	    "the image is not changed; reads work"
}
read_only_body() {
	setup
	mkfat
	cp disk.img orig.img
	atf_check -s not-exit:0 -e match:"Read-only file system" \
	    $img -r disk.img -- sh -c 'echo x > /rump/new'
	atf_check -s not-exit:0 -e match:"Read-only file system" \
	    $img -r disk.img -- mkdir /rump/d
	atf_check -o inline:"one\n" $img -r disk.img -- cat /rump/tree/a.txt
	atf_check cmp disk.img orig.img
	check_gone
}

atf_test_case bad_image
bad_image_head() {
	atf_set "descr" "an image with no file system, or of another type" \
	    "than -t says, exits 1 with a message and the command is not run"
}
bad_image_body() {
	setup
	atf_check -o ignore -e ignore dd if=/dev/zero of=disk.img bs=1k \
	    count=1024
	atf_check -s exit:1 -e match:"no ext2 or FAT file system" \
	    $img disk.img -- touch ran
	mkfat
	atf_check -s exit:1 -e match:"cannot mount as ext2" \
	    $img -t ext2 disk.img -- touch ran
	atf_check -s exit:1 -e match:"not a file" $img nosuch.img -- \
	    touch ran
	test ! -e ran || atf_fail "the command ran"
	check_gone
}

atf_test_case exit_status
exit_status_head() {
	atf_set "descr" "the command's exit status is rump-img's"
}
exit_status_body() {
	setup
	mkfat
	atf_check -s exit:7 $img disk.img sh -c 'exit 7'
	atf_check -s exit:1 -e ignore $img disk.img -- cat /rump/nosuch
	check_gone
}

atf_test_case sigterm
sigterm_head() {
	atf_set "descr" "SIGTERM to rump-img still unmounts cleanly (the" \
	    "write made after it is on the image), exits 143, cleans up;" \
	    "SIGINT is left to the command, whose status is kept"
}
sigterm_body() {
	setup
	mkext2
	atf_check -s exit:143 $img disk.img -- \
	    sh -c 'kill -TERM $PPID; sleep 0.2; echo late > /rump/late'
	atf_check -o ignore -e ignore e2fsck -fn disk.img
	atf_check -o inline:"late\n" -e ignore debugfs -R "cat /late" disk.img
	check_gone
	atf_check -s exit:5 $img disk.img -- \
	    sh -c 'kill -INT $PPID; sleep 0.2; echo int > /rump/int; exit 5'
	atf_check -o inline:"int\n" -e ignore debugfs -R "cat /int" disk.img
	check_gone
}

atf_init_test_cases() {
	atf_add_test_case ext2_copy_and_write
	atf_add_test_case fat_copy_and_write
	atf_add_test_case bash_script
	atf_add_test_case read_only
	atf_add_test_case bad_image
	atf_add_test_case exit_status
	atf_add_test_case sigterm
}

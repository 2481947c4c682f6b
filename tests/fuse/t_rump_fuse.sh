# t_rump_fuse.sh: rump-fuse mounts images on the host through FUSE and
# unmodified host programs (coreutils, tar, find) work on them; the
# results are checked by e2fsck, debugfs, fsck.fat and mtools.  Tests
# skip when the host has no FUSE (/dev/fuse, fusermount3).

bin=$BUILD/bin
export E2FSPROGS_FAKE_TIME=1700000000

require_fuse() {
	[ -c /dev/fuse ] || atf_skip "/dev/fuse is not available"
	command -v fusermount3 >/dev/null 2>&1 ||
	    atf_skip "fusermount3 is not installed (Debian package fuse3)"
	command -v mountpoint >/dev/null 2>&1 ||
	    atf_skip "mountpoint(1) is not installed (util-linux)"
}

# A tree of files, directories, a symbolic link and a hard link in ./src.
make_tree() {
	mkdir -p src/d1/d2 src/empty
	head -c 100000 /dev/urandom > src/big
	head -c 5000 /dev/urandom > src/d1/f1
	echo small > src/d1/d2/f2
	: > src/zero
	ln -s d1/f1 src/link
	ln src/big src/hard
	chmod 600 src/d1/f1
}

# An ext2 image ./img of SIZE with the tree of ./src.
make_ext2() {
	make_tree
	atf_check -o ignore -e ignore /sbin/mke2fs -q -F -t ext2 -b 1024 \
	    -d src img "${1:-32M}"
}

# Start rump-fuse in the foreground (pid in $fpid) on $mnt (default ./m)
# and wait for the mount.
mount_fuse() {
	mnt=${mnt:-m}
	mkdir -p "$mnt"
	"$bin/rump-fuse" -f "$@" "$mnt" 2>fuse.err &
	fpid=$!
	i=0
	while ! mountpoint -q "$mnt" && [ $i -lt 500 ]; do
		kill -0 $fpid 2>/dev/null || break
		sleep 0.02
		i=$((i + 1))
	done
	mountpoint -q "$mnt" ||
	    atf_fail "rump-fuse did not mount: $(cat fuse.err)"
}

# Unmount $mnt and check that rump-fuse exited 0.
umount_fuse() {
	atf_check fusermount3 -u "$mnt"
	wait $fpid || atf_fail "rump-fuse exited with $?: $(cat fuse.err)"
}

# After a failure the test's processes are gone and a mount may be left
# dead (ENOTCONN): detach it whatever its state.
cleanup_fuse() {
	fusermount3 -u -z "${1:-m}" 2>/dev/null
	return 0
}

atf_test_case help_exits_zero
help_exits_zero_head() {
	atf_set "descr" "--help prints the usage and exits 0; bad use exits 1"
}
help_exits_zero_body() {
	atf_check -o match:"usage: rump-fuse" "$bin/rump-fuse" --help
	atf_check -s exit:1 -e match:"usage: rump-fuse" "$bin/rump-fuse"
	atf_check -s exit:1 -e match:"unknown type" \
	    "$bin/rump-fuse" -t nosuchfs img m
}

atf_test_case unknown_image_fails
unknown_image_fails_head() {
	atf_set "descr" "an image with no known file system fails, named"
}
unknown_image_fails_body() {
	mkdir m
	head -c 1048576 /dev/zero > img
	atf_check -s exit:1 -e match:"no ext2 or FAT file system" \
	    "$bin/rump-fuse" img m
	atf_check -s exit:1 -e match:"nosuch" "$bin/rump-fuse" nosuch m
}

atf_test_case ext2_coreutils cleanup
ext2_coreutils_head() {
	atf_set "descr" "cp -a, diff, find, du, tar, mv, ln, chmod, rm -r" \
	    "on an ext2 image; e2fsck and debugfs agree afterwards"
}
ext2_coreutils_body() {
	require_fuse
	make_ext2
	mount_fuse img
	atf_check diff -r -x lost+found src m
	atf_check -o inline:"$(cd src && find . | sort)\n" \
	    sh -c 'cd m && find . ! -path "./lost+found*" | sort'
	atf_check cp -a src m/copy
	atf_check diff -r src m/copy
	atf_check -o inline:"2 $(stat -c %i m/copy/big)\n" \
	    stat -c "%h %i" m/copy/hard
	atf_check -o inline:"600\n" stat -c %a m/copy/d1/f1
	atf_check -o inline:"d1/f1\n" readlink m/copy/link
	atf_check -o inline:"$(cd src && du -b big d1/f1 d1/d2/f2)\n" \
	    sh -c 'cd m/copy && du -b big d1/f1 d1/d2/f2'
	[ "$(du -sk m/copy | cut -f1)" -ge 100 ] ||
	    atf_fail "du -sk: $(du -sk m/copy)"
	atf_check cp -a m/copy out
	atf_check diff -r src out
	atf_check tar -C src -cf tree.tar .
	mkdir m/untar
	atf_check tar -C m/untar -xf tree.tar
	atf_check diff -r src m/untar
	atf_check sh -c 'tar -C m/untar -cf - . | tar -tf - | sort > list'
	atf_check -o file:list sh -c 'tar -tf tree.tar | sort'
	atf_check mv m/untar/d1 m/moved
	atf_check diff -r src/d1 m/moved
	atf_check mv m/copy/big m/copy/renamed
	atf_check ln m/copy/renamed m/copy/again
	atf_check chmod 640 m/copy/again
	atf_check -o inline:"640 3\n" stat -c "%a %h" m/copy/renamed
	atf_check rm -r m/untar m/moved
	atf_check -s exit:1 -e ignore test -e m/moved
	echo fresh > m/copy/new
	umount_fuse
	atf_check -o ignore -e ignore /sbin/e2fsck -fn img
	atf_check -o file:src/big -e ignore /sbin/debugfs -R \
	    "cat /copy/renamed" img
	atf_check -o inline:"fresh\n" -e ignore /sbin/debugfs -R \
	    "cat /copy/new" img
	atf_check -o match:"Links: 3" -e ignore /sbin/debugfs -R \
	    "stat /copy/again" img
	atf_check -o ignore -e match:"/untar: File not found" \
	    /sbin/debugfs -R "stat /untar" img
}
ext2_coreutils_cleanup() {
	cleanup_fuse
}

atf_test_case setattr_and_special_files cleanup
setattr_and_special_files_head() {
	atf_set "descr" "append, truncate, touch -d, chmod, mkfifo, mknod" \
	    "and dangling symbolic links land on the image as debugfs sees"
}
setattr_and_special_files_body() {
	require_fuse
	make_ext2
	mount_fuse img
	echo one > m/f && echo two >> m/f
	atf_check -o inline:"one\ntwo\n" cat m/f
	atf_check truncate -s 2 m/f
	atf_check touch -m -d "2001-02-03 04:05:06 UTC" m/f
	atf_check chmod 4750 m/f
	atf_check mkfifo -m 640 m/fifo
	atf_check mknod m/null c 1 3
	atf_check ln -s /no/such/target m/dangling
	atf_check -o inline:"2 981173106 4750\n" stat -c "%s %Y %a" m/f
	umount_fuse
	atf_check -o ignore -e ignore /sbin/e2fsck -fn img
	atf_check -o inline:"on" -e ignore /sbin/debugfs -R "cat /f" img
	atf_check -o match:"Mode:  04750" -o match:"Size: 2" \
	    -o match:"mtime: 0x3a7b8372" -e ignore \
	    /sbin/debugfs -R "stat /f" img
	atf_check -o match:"Type: FIFO" -o match:"Mode:  0640" -e ignore \
	    /sbin/debugfs -R "stat /fifo" img
	atf_check -o match:"Type: character special" -e ignore \
	    /sbin/debugfs -R "stat /null" img
	atf_check -o match:"Fast link dest: \"/no/such/target\"" -e ignore \
	    /sbin/debugfs -R "stat /dangling" img
}
setattr_and_special_files_cleanup() {
	cleanup_fuse
}

# python3 renameat2.py FROM TO FLAGS: renameat2(2) through ctypes;
# prints the errno name, or "ok".
write_renameat2() {
	cat > renameat2.py <<'PY'
import ctypes, errno, sys
libc = ctypes.CDLL(None, use_errno=True)
r = libc.renameat2(-100, sys.argv[1].encode(), -100, sys.argv[2].encode(),
    int(sys.argv[3]))
print("ok" if r == 0 else errno.errorcode[ctypes.get_errno()])
PY
}

atf_test_case rename_flags cleanup
rename_flags_head() {
	atf_set "descr" "RENAME_EXCHANGE swaps a file and a directory (paths" \
	    "below follow); RENAME_NOREPLACE refuses an existing name"
}
rename_flags_body() {
	require_fuse
	command -v python3 >/dev/null || atf_skip "python3 is not installed"
	write_renameat2
	make_ext2
	mount_fuse img
	mkdir m/d && echo D > m/d/x && echo A > m/a
	atf_check -o inline:"ok\n" python3 renameat2.py m/a m/d 2
	atf_check -o inline:"D\n" cat m/a/x
	atf_check -o inline:"A\n" cat m/d
	atf_check -o inline:"EEXIST\n" python3 renameat2.py m/d m/a 1
	atf_check -o inline:"ok\n" python3 renameat2.py m/d m/new 1
	umount_fuse
	atf_check -o ignore -e ignore /sbin/e2fsck -fn img
	atf_check -o inline:"D\n" -e ignore /sbin/debugfs -R "cat /a/x" img
	atf_check -o inline:"A\n" -e ignore /sbin/debugfs -R "cat /new" img
}
rename_flags_cleanup() {
	cleanup_fuse
}

atf_test_case large_directory cleanup
large_directory_head() {
	atf_set "descr" "a directory of 2000 files lists completely over" \
	    "many readdir calls (plain and with attributes) and empties"
}
large_directory_body() {
	require_fuse
	make_ext2
	mount_fuse img
	mkdir m/many
	atf_check sh -c 'i=0; while [ $i -lt 2000 ]; do
	    echo $i > m/many/file-with-a-longish-name-$i || exit 1
	    i=$((i + 1)); done'
	atf_check -o inline:"2002\n" sh -c 'ls -fa m/many | wc -l'
	atf_check -o inline:"2000\n" sh -c 'ls -l m/many | grep -c "^-"'
	atf_check -o inline:"$(seq 0 1999 | sort)\n" \
	    sh -c 'cat m/many/* | sort'
	atf_check rm -r m/many
	atf_check -s not-exit:0 -e ignore test -e m/many
	umount_fuse
	atf_check -o ignore -e ignore /sbin/e2fsck -fn img
}
large_directory_cleanup() {
	cleanup_fuse
}

# One worker of the stress test: creates, writes, checks, renames and
# deletes its own files in m/wN until the deadline.
stress_worker() {
	w=$1 end=$2 i=0
	mkdir m/w$w || return 1
	while [ "$(date +%s)" -lt "$end" ]; do
		i=$((i + 1))
		f=m/w$w/f$i
		seq $i $((i + 300)) > "$f" || return 1
		mv "$f" "$f.r" || return 1
		seq $i $((i + 300)) | cmp -s - "$f.r" || return 1
		if [ $((i % 3)) -eq 0 ]; then
			rm "$f.r" || return 1
		fi
		if [ $((i % 7)) -eq 0 ]; then
			mkdir m/w$w/d$i && mv m/w$w/f$((i - 1)).r \
			    m/w$w/d$i/ 2>/dev/null
			ls m/w$w > /dev/null || return 1
		fi
	done
	echo $i > count$w
}

atf_test_case ext2_stress cleanup
ext2_stress_head() {
	atf_set "descr" "4 processes create, write, rename, check and" \
	    "delete files for 10 s; e2fsck finds the image clean"
	atf_set "timeout" "120"
}
ext2_stress_body() {
	require_fuse
	make_ext2 64M
	mount_fuse img
	end=$(($(date +%s) + 10))
	pids=
	for w in 1 2 3 4; do
		stress_worker $w $end &
		pids="$pids $!"
	done
	for p in $pids; do
		wait $p || atf_fail "a worker saw wrong content or an error"
	done
	for w in 1 2 3 4; do
		n=$(cat count$w)
		[ "$n" -gt 10 ] || atf_fail "worker $w did only $n rounds"
		# every third file was deleted
		for k in $(seq 1 "$n"); do
			[ $((k % 3)) -eq 0 ] || continue
			[ -e m/w$w/f$k.r ] && atf_fail "w$w/f$k.r not deleted"
		done
	done
	find m/w1 -type f | sort > host.list
	umount_fuse
	atf_check -o ignore -e ignore /sbin/e2fsck -fn img
	f=$(sed -n 1p host.list | sed 's|^m||')
	k=$(basename "$f" .r | tr -d f)
	atf_check -o inline:"$(seq "$k" $((k + 300)))\n" -e ignore \
	    /sbin/debugfs -R "cat $f" img
}
ext2_stress_cleanup() {
	cleanup_fuse
}

atf_test_case sigterm_unmounts_cleanly cleanup
sigterm_unmounts_cleanly_head() {
	atf_set "descr" "SIGTERM unmounts, syncs and exits 0; the image" \
	    "is clean"
}
sigterm_unmounts_cleanly_body() {
	require_fuse
	make_ext2
	mount_fuse img
	atf_check cp src/big m/afterwards
	kill -TERM $fpid
	wait $fpid || atf_fail "rump-fuse exited with $?: $(cat fuse.err)"
	atf_check -s not-exit:0 mountpoint -q m
	atf_check -o ignore -e ignore /sbin/e2fsck -fn img
	atf_check -o file:src/big -e ignore /sbin/debugfs -R \
	    "cat /afterwards" img
}
sigterm_unmounts_cleanly_cleanup() {
	cleanup_fuse
}

atf_test_case sigkill_keeps_fsynced_data cleanup
sigkill_keeps_fsynced_data_head() {
	atf_set "descr" "after SIGKILL, e2fsck -fy repairs the image and" \
	    "fsync()ed data is intact"
}
sigkill_keeps_fsynced_data_body() {
	require_fuse
	make_ext2
	mount_fuse img
	atf_check -e ignore dd if=src/big of=m/synced conv=fsync
	atf_check -e ignore dd if=src/big of=m/dir-synced
	atf_check sync m/dir-synced
	kill -KILL $fpid
	wait $fpid
	fusermount3 -u m
	/sbin/e2fsck -fy img > fsck.out 2>&1
	[ $? -le 1 ] || atf_fail "e2fsck -fy: $(cat fsck.out)"
	atf_check -o ignore -e ignore /sbin/e2fsck -fn img
	atf_check -o file:src/big -e ignore /sbin/debugfs -R \
	    "cat /synced" img
	atf_check -o file:src/big -e ignore /sbin/debugfs -R \
	    "cat /dir-synced" img
}
sigkill_keeps_fsynced_data_cleanup() {
	cleanup_fuse
}

atf_test_case read_only_and_uid_map cleanup
read_only_and_uid_map_head() {
	atf_set "descr" "-o ro refuses writes with EROFS; -o uid=,gid= show" \
	    "every file as owned by them"
}
read_only_and_uid_map_body() {
	require_fuse
	make_ext2
	mount_fuse -o ro,uid=1234,gid=5678 img
	atf_check -s not-exit:0 -e match:"Read-only file system" touch m/x
	atf_check -o inline:"1234 5678\n" stat -c "%u %g" m/d1/f1
	atf_check cmp src/big m/big
	umount_fuse
	atf_check -o ignore -e ignore /sbin/e2fsck -fn img
}
read_only_and_uid_map_cleanup() {
	cleanup_fuse
}

atf_test_case other_user_owns_new_files cleanup
other_user_owns_new_files_head() {
	atf_set "descr" "with allow_other a user's new files are the user's;" \
	    "the host refuses what the modes refuse; debugfs agrees"
}
other_user_owns_new_files_body() {
	require_fuse
	command -v setpriv >/dev/null || atf_skip "setpriv is not installed"
	make_ext2
	# the work directory is private: mount where user 4321 can reach
	mnt=$(mktemp -d /tmp/rump-fuse.XXXXXX)/m
	echo "$mnt" > mnt.path
	chmod 755 "${mnt%/m}"
	mount_fuse -o allow_other img
	mkdir "$mnt/pub" && chmod 1777 "$mnt/pub"
	user="setpriv --reuid=4321 --regid=4321 --clear-groups"
	atf_check $user sh -c "echo mine > $mnt/pub/f && mkdir $mnt/pub/d"
	atf_check -o inline:"4321 4321\n4321 4321\n" \
	    stat -c "%u %g" "$mnt/pub/f" "$mnt/pub/d"
	atf_check $user chmod 600 "$mnt/pub/f"
	atf_check -s not-exit:0 -e match:"Permission denied" \
	    $user sh -c "echo x >> $mnt/big"
	atf_check -s not-exit:0 -e match:"Permission denied" \
	    $user cat "$mnt/d1/f1"
	umount_fuse
	atf_check -o ignore -e ignore /sbin/e2fsck -fn img
	atf_check -o match:"User:  4321   Group:  4321" -o match:"0600" \
	    -e ignore /sbin/debugfs -R "stat /pub/f" img
}
other_user_owns_new_files_cleanup() {
	if [ -f mnt.path ]; then
		mnt=$(cat mnt.path)
		cleanup_fuse "$mnt"
		rmdir "$mnt" "${mnt%/m}"
	fi
	return 0
}

atf_test_case tmpfs_mount cleanup
tmpfs_mount_head() {
	atf_set "descr" "-t tmpfs needs no image, takes size= and is full" \
	    "at that size"
}
tmpfs_mount_body() {
	require_fuse
	make_tree
	mount_fuse -t tmpfs -o size=2m none
	atf_check -o match:"^2048$" sh -c 'df -k --output=size m | tail -1 |
	    tr -d " "'
	atf_check cp -a src m/t
	atf_check diff -r src m/t
	atf_check -s not-exit:0 -e match:"No space left" \
	    dd if=/dev/zero of=m/fill bs=64k count=64
	umount_fuse
}
tmpfs_mount_cleanup() {
	cleanup_fuse
}

atf_test_case fat_image cleanup
fat_image_head() {
	atf_set "descr" "a FAT image (found by its boot sector) takes cp -a;" \
	    "fsck.fat -n is clean and mtools reads the files"
}
fat_image_body() {
	require_fuse
	[ -e "$BUILD/lib/librumpfs_msdos.so.0" ] ||
	    atf_skip "the FAT component librumpfs_msdos is not built"
	command -v mkfs.fat >/dev/null 2>&1 && command -v mtype >/dev/null ||
	    atf_skip "dosfstools and mtools are needed"
	atf_check -o ignore /sbin/mkfs.fat -C -F 16 --invariant img 32768
	mkdir -p src/sub
	head -c 70000 /dev/urandom > src/sub/data.bin
	echo hello > src/hello.txt
	mount_fuse img
	atf_check cp -r src/sub src/hello.txt m/
	atf_check diff -r -x lost+found src m
	umount_fuse
	atf_check -o ignore fsck.fat -n img
	atf_check -o file:src/hello.txt mtype -i img ::/hello.txt
	atf_check mcopy -i img ::/sub/data.bin back.bin
	atf_check cmp src/sub/data.bin back.bin
}
fat_image_cleanup() {
	cleanup_fuse
}

atf_init_test_cases() {
	atf_add_test_case help_exits_zero
	atf_add_test_case unknown_image_fails
	atf_add_test_case ext2_coreutils
	atf_add_test_case ext2_stress
	atf_add_test_case large_directory
	atf_add_test_case rename_flags
	atf_add_test_case setattr_and_special_files
	atf_add_test_case sigterm_unmounts_cleanly
	atf_add_test_case sigkill_keeps_fsynced_data
	atf_add_test_case read_only_and_uid_map
	atf_add_test_case other_user_owns_new_files
	atf_add_test_case tmpfs_mount
	atf_add_test_case fat_image
}

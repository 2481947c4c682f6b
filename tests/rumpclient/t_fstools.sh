# t_fstools.sh: the file tools (rump.mount, rump.umount, rump.ls, rump.cat,
# rump.cp, rump.mkdir, rump.rm, rump.mv, rump.ln, rump.chmod, rump.chown,
# rump.stat, rump.df, rump.dd) and rumpsh/rump.env against rump_servers
# with an ext2 image (made by mke2fs) and tmpfs.  Oracles: diff/cmp of
# trees copied in and out, GNU ls/stat/dd on the same data, e2fsck,
# debugfs and dumpe2fs on the image after the kernel halted.

bin=$BUILD/bin
TOOLS="mount umount ls cat cp mkdir rm mv ln chmod chown stat df dd"
ENOENT="No such file or directory"
export TZ=UTC

# Start a foreground server on ./$1 with the ext2 image ./$1.img as
# /dev/sd0 and the ext2 and tmpfs components; RUMP_SERVER names it.
start_server() {
	truncate -s 64M "$1.img"
	mke2fs -q -F -b 4096 "$1.img" || atf_fail "mke2fs failed"
	: >"$1.err"
	"$bin/rump_server" -sv -l rumpfs_ext2 -l rumpfs_tmpfs \
	    -d "key=/dev/sd0,hostpath=$1.img,size=host" \
	    "unix://$PWD/$1" 2>"$1.err" &
	echo $! >>pids
	i=0
	while ! grep -q "serving at" "$1.err" && [ $i -lt 500 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	grep -q "serving at" "$1.err" || atf_fail "server did not start"
	export RUMP_SERVER="unix://$PWD/$1"
}

# Start a server and mount its image on /mnt and a tmpfs on /tmp.
start_mounted() {
	start_server "$1"
	atf_check "$bin/rump.mkdir" /mnt /tmp
	atf_check "$bin/rump.mount" -t ext2 /dev/sd0 /mnt
	atf_check "$bin/rump.mount" -t tmpfs -o size=16m tmpfs /tmp
}

# Unmount /mnt, halt the kernel and check the image with e2fsck.
halt_fsck() {
	atf_check "$bin/rump.umount" /mnt
	atf_check "$bin/rump.halt"
	wait
	atf_check -o ignore -e ignore e2fsck -fn "$1.img"
}

stop_servers() {
	[ -f pids ] && kill -9 $(cat pids) 2>/dev/null
	return 0
}

# A host tree of random files from 0 bytes to 3 MiB, nested and empty
# directories and symbolic links.
make_tree() {
	mkdir -p "$1/sub/deeper" "$1/empty"
	: >"$1/zero"
	head -c 1 /dev/urandom >"$1/one"
	head -c 4095 /dev/urandom >"$1/sub/page-1"
	head -c 4096 /dev/urandom >"$1/sub/page"
	head -c 65537 /dev/urandom >"$1/sub/deeper/odd"
	head -c 3145735 /dev/urandom >"$1/big"
	echo "hello, kernel" >"$1/sub/deeper/text"
	ln -s ../big "$1/sub/tobig"
	ln -s nowhere "$1/dangling"
}

# Compare two host trees: same names and types (diff -r) and bytes (cmp).
same_tree() {
	atf_check diff -r --no-dereference "$1" "$2"
	for f in $(cd "$1" && find . -type f); do
		atf_check cmp "$1/$f" "$2/$f"
	done
}

atf_test_case every_tool_has_help
every_tool_has_help_head() {
	atf_set "descr" "every tool's --help prints its usage and exits 0"
}
every_tool_has_help_body() {
	for t in $TOOLS; do
		atf_check -o match:"^usage: rump\.$t " "$bin/rump.$t" --help
	done
	atf_check -o match:"^usage: rumpsh URL" "$bin/rumpsh" --help
	atf_check -o match:"usage: .*rump\.env URL" "$bin/rump.env" --help
	atf_check -s exit:1 -e match:"usage: rump.mount" "$bin/rump.mount"
}

atf_test_case no_server_names_url
no_server_names_url_head() {
	atf_set "descr" "without a server every tool fails with status 1" \
	    "and names the URL and the reason"
}
no_server_names_url_body() {
	export RUMP_SERVER="unix://$PWD/nosuch"
	atf_check -s exit:1 \
	    -e inline:"rump.ls: cannot connect to $RUMP_SERVER: $ENOENT\n" \
	    "$bin/rump.ls" /
	atf_check -s exit:1 -e match:"rump.cp: cannot connect to $RUMP_SERVER" \
	    "$bin/rump.cp" host:/etc/hostname /x
	"$bin/rump_server" -s "unix://$PWD/dead" &
	pid=$!
	i=0
	while [ ! -S dead ] && [ $i -lt 500 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	kill -9 $pid
	wait $pid
	export RUMP_SERVER="unix://$PWD/dead"
	atf_check -s exit:1 -e inline:"rump.df: cannot connect to \
$RUMP_SERVER: Connection refused\n" "$bin/rump.df"
	unset RUMP_SERVER
	atf_check -s exit:1 -e match:"RUMP_SERVER is not set" "$bin/rump.stat" /
}

atf_test_case cp_tree_in_and_out cleanup
cp_tree_in_and_out_head() {
	atf_set "descr" "a host tree copied into ext2 and tmpfs and out" \
	    "again is unchanged; the image passes e2fsck and debugfs reads" \
	    "the files"
	atf_set "require.progs" "mke2fs e2fsck debugfs"
}
cp_tree_in_and_out_body() {
	make_tree tree
	start_mounted k
	atf_check "$bin/rump.cp" -r host:tree /mnt/tree
	atf_check "$bin/rump.cp" -r /mnt/tree /tmp
	atf_check "$bin/rump.cp" -r /tmp/tree host:fromtmpfs
	atf_check "$bin/rump.cp" -R /mnt/tree host:fromext2
	same_tree tree fromext2
	same_tree tree fromtmpfs
	atf_check -o match:"^lrwxrwxrwx 1 0 0 +6 .* tobig -> \.\./big$" \
	    "$bin/rump.ls" -lR /mnt/tree
	atf_check -o match:"^-rw-r--r-- 1 0 0 3145735 .* big$" \
	    "$bin/rump.ls" -l /tmp/tree
	printf "%s:\n%s\n%s\n%s\n%s\n\n%s:\n%s\n%s\n" /mnt/tree/sub deeper \
	    page page-1 tobig /mnt/tree/sub/deeper odd text >expect
	atf_check -o file:expect "$bin/rump.ls" -R /mnt/tree/sub
	halt_fsck k
	debugfs -R "cat /tree/big" k.img 2>/dev/null >big.out
	atf_check cmp tree/big big.out
	debugfs -R "cat /tree/sub/deeper/odd" k.img 2>/dev/null >odd.out
	atf_check cmp tree/sub/deeper/odd odd.out
}
cp_tree_in_and_out_cleanup() {
	stop_servers
}

atf_test_case cp_files_and_errors cleanup
cp_files_and_errors_head() {
	atf_set "descr" "rump.cp copies files into directories, refuses" \
	    "directories without -r and names missing files"
	atf_set "require.progs" "mke2fs"
}
cp_files_and_errors_body() {
	start_mounted k
	echo one >a
	echo two >b
	atf_check "$bin/rump.cp" host:a host:b /tmp
	atf_check -o inline:"one\ntwo\n" "$bin/rump.cat" /tmp/a /tmp/b
	atf_check -o inline:"host:a -> /tmp/c\n" "$bin/rump.cp" -v host:a /tmp/c
	atf_check -s exit:1 \
	    -e inline:"rump.cp: /mnt/x: No such file or directory\n" \
	    "$bin/rump.cp" /mnt/x host:x
	atf_check -s exit:1 \
	    -e inline:"rump.cp: host:nosuch: No such file or directory\n" \
	    "$bin/rump.cp" host:nosuch /tmp
	mkdir d
	atf_check -s exit:1 -e match:"host:d: is a directory" \
	    "$bin/rump.cp" host:d /tmp
	atf_check -s exit:1 -e match:"/tmp/a: Not a directory" \
	    "$bin/rump.cp" host:a host:b /tmp/a
	atf_check -s exit:1 -e match:"are the same file" \
	    "$bin/rump.cp" /tmp/a /tmp/a
	atf_check "$bin/rump.mkdir" -p /tmp/d/x
	atf_check -s exit:1 -e match:"/tmp/d/x/d: .*copied into itself" \
	    "$bin/rump.cp" -r /tmp/d /tmp/d/x
	atf_check -o inline:"/tmp/d/x/d/x\n" "$bin/rump.ls" -d /tmp/d/x/d/x
	atf_check -o empty -e empty "$bin/rump.cp" /tmp/a host:out
	atf_check -o inline:"one\n" cat out
}
cp_files_and_errors_cleanup() {
	stop_servers
}

atf_test_case ls_and_stat_match_gnu cleanup
ls_and_stat_match_gnu_head() {
	atf_set "descr" "rump.ls -ln and rump.stat -c of files copied with" \
	    "cp -p print what GNU ls and stat print for the originals"
	atf_set "require.progs" "mke2fs"
	atf_set "require.user" "root"
}
ls_and_stat_match_gnu_body() {
	mkdir f
	printf 12345 >f/five
	head -c 100000 /dev/urandom >f/rand
	: >f/empty
	chmod 0640 f/five
	chmod 4755 f/rand
	chown 12:34 f/five
	touch -d "2020-01-02 03:04:05" f/five f/empty
	touch -d "2021-07-08 09:10:11" f/rand
	start_mounted k
	atf_check "$bin/rump.mkdir" /mnt/f
	atf_check "$bin/rump.cp" -p host:f/five host:f/rand host:f/empty \
	    /mnt/f
	ls -ln --time-style="+%b %e %H:%M" f | grep -v '^total' >expect
	"$bin/rump.ls" -ln /mnt/f | grep -v '^total' >got
	atf_check diff expect got
	fmt="%s %a %A %u %g %h %F %Y"
	for n in five rand empty; do
		stat -c "$fmt" f/$n >expect
		atf_check -o file:expect "$bin/rump.stat" -c "$fmt" /mnt/f/$n
	done
	size="^  Size: 5[[:space:]]+Blocks: [0-9]+ +IO Block: [0-9]+ +"
	ids="Uid: \(   12\)   Gid: \(   34\)"
	atf_check -o match:"${size}regular file$" \
	    -o match:"^Access: \(0640/-rw-r-----\)  $ids$" \
	    -o match:"^Modify: 2020-01-02 03:04:05.000000000 \+0000$" \
	    "$bin/rump.stat" /mnt/f/five
	atf_check "$bin/rump.ln" -s five /mnt/f/link
	atf_check -o inline:"/mnt/f/link symbolic link\n" \
	    "$bin/rump.stat" -c "%n %F" /mnt/f/link
	atf_check -o inline:"5 regular file\n" \
	    "$bin/rump.stat" -L -c "%s %F" /mnt/f/link
	atf_check -o inline:"/mnt/f/link\n" "$bin/rump.ls" -d /mnt/f/link
	atf_check -o inline:"empty\nfive\nlink\nrand\n" "$bin/rump.ls" /mnt/f
	atf_check -o match:"^\.$" -o match:"^\.\.$" "$bin/rump.ls" -a /mnt/f
	ino=$("$bin/rump.stat" -c %i /mnt/f/five)
	atf_check -o match:"^ *$ino five$" "$bin/rump.ls" -i /mnt/f
	atf_check -s exit:1 -e match:"unsupported format" \
	    "$bin/rump.stat" -c "%z" /mnt/f/five
	atf_check -s exit:1 -e inline:"rump.ls: /mnt/nosuch: $ENOENT\n" \
	    "$bin/rump.ls" /mnt/nosuch
}
ls_and_stat_match_gnu_cleanup() {
	stop_servers
}

atf_test_case mkdir_mv_ln_rm cleanup
mkdir_mv_ln_rm_head() {
	atf_set "descr" "rump.mkdir -p/-m, rump.mv, rump.ln and rump.rm" \
	    "change the tree as their host counterparts would"
	atf_set "require.progs" "mke2fs"
}
mkdir_mv_ln_rm_body() {
	start_mounted k
	atf_check "$bin/rump.mkdir" -p /mnt/a/b/c
	atf_check "$bin/rump.mkdir" -p /mnt/a/b/c
	atf_check -s exit:1 -e inline:"rump.mkdir: /mnt/a: File exists\n" \
	    "$bin/rump.mkdir" /mnt/a
	atf_check "$bin/rump.mkdir" -m 0705 /mnt/m
	atf_check -o inline:"705 directory\n" "$bin/rump.stat" -c "%a %F" /mnt/m
	echo data >f
	atf_check "$bin/rump.cp" host:f /mnt/f
	atf_check "$bin/rump.mv" /mnt/f /mnt/g
	atf_check "$bin/rump.mv" /mnt/g /mnt/a/b
	atf_check -o inline:"c\ng\n" "$bin/rump.ls" /mnt/a/b
	atf_check "$bin/rump.cp" host:f /mnt/h1
	atf_check "$bin/rump.cp" host:f /mnt/h2
	atf_check "$bin/rump.mv" /mnt/h1 /mnt/h2 /mnt/m
	atf_check -o inline:"h1\nh2\n" "$bin/rump.ls" /mnt/m
	atf_check -s exit:1 -e match:"/mnt/nosuch -> /mnt/x: No such file" \
	    "$bin/rump.mv" /mnt/nosuch /mnt/x
	atf_check "$bin/rump.ln" /mnt/a/b/g /mnt/hard
	atf_check -o inline:"2\n" "$bin/rump.stat" -c %h /mnt/a/b/g
	atf_check "$bin/rump.ln" -s a/b/g /mnt/sym
	atf_check -o inline:"data\n" "$bin/rump.cat" /mnt/sym
	atf_check -o match:" sym -> a/b/g$" "$bin/rump.ls" -l /mnt
	atf_check -s exit:1 -e match:"File exists" \
	    "$bin/rump.ln" -s m /mnt/sym
	atf_check "$bin/rump.ln" -sf m/h1 /mnt/sym
	atf_check -o match:" sym -> m/h1$" "$bin/rump.ls" -l /mnt
	atf_check "$bin/rump.ln" -s /mnt/m/h2 /mnt/a
	atf_check -o match:" h2 -> /mnt/m/h2$" "$bin/rump.ls" -l /mnt/a
	atf_check -s exit:1 -e inline:"rump.rm: /mnt/a: Is a directory\n" \
	    "$bin/rump.rm" /mnt/a
	atf_check -s exit:1 -e match:"Directory not empty" \
	    "$bin/rump.rm" -d /mnt/a
	atf_check "$bin/rump.rm" -d /mnt/a/b/c
	atf_check "$bin/rump.rm" /mnt/hard /mnt/sym
	atf_check "$bin/rump.rm" -r /mnt/a /mnt/m
	atf_check "$bin/rump.rm" -f /mnt/nosuch
	atf_check -s exit:1 -e inline:"rump.rm: /mnt/nosuch: $ENOENT\n" \
	    "$bin/rump.rm" /mnt/nosuch
	atf_check -o inline:"lost+found\n" "$bin/rump.ls" /mnt
	halt_fsck k
}
mkdir_mv_ln_rm_cleanup() {
	stop_servers
}

atf_test_case chmod_chown_recursive cleanup
chmod_chown_recursive_head() {
	atf_set "descr" "rump.chmod -R and rump.chown -R change a whole tree"
	atf_set "require.progs" "mke2fs"
}
chmod_chown_recursive_body() {
	make_tree tree
	start_mounted k
	atf_check "$bin/rump.cp" -r host:tree /tmp/t
	atf_check "$bin/rump.chmod" -R 0750 /tmp/t
	atf_check "$bin/rump.chown" -R 7:8 /tmp/t
	atf_check "$bin/rump.chown" :9 /tmp/t/one
	atf_check "$bin/rump.chown" -h 5 /tmp/t/dangling
	for p in t t/zero t/sub t/sub/deeper/odd t/empty; do
		atf_check -o inline:"750 7 8\n" \
		    "$bin/rump.stat" -c "%a %u %g" /tmp/$p
	done
	atf_check -o inline:"750 7 9\n" \
	    "$bin/rump.stat" -c "%a %u %g" /tmp/t/one
	atf_check -o inline:"777 0 0\n" \
	    "$bin/rump.stat" -c "%a %u %g" /tmp/t/sub/tobig
	atf_check -o inline:"5 0\n" "$bin/rump.stat" -c "%u %g" /tmp/t/dangling
	atf_check -s exit:1 -e match:"invalid mode: u\+x" \
	    "$bin/rump.chmod" u+x /tmp/t
	atf_check -s exit:1 -e match:"invalid owner: root" \
	    "$bin/rump.chown" root /tmp/t
	atf_check -s exit:1 -e inline:"rump.chmod: /tmp/x: $ENOENT\n" \
	    "$bin/rump.chmod" 644 /tmp/x
}
chmod_chown_recursive_cleanup() {
	stop_servers
}

atf_test_case df_matches_dumpe2fs cleanup
df_matches_dumpe2fs_head() {
	atf_set "descr" "rump.df's numbers for ext2 agree with dumpe2fs -h" \
	    "of the image after unmounting; tmpfs shows its size="
	atf_set "require.progs" "mke2fs dumpe2fs"
}
df_matches_dumpe2fs_body() {
	start_mounted k
	head -c 5000000 /dev/urandom >data
	atf_check "$bin/rump.cp" host:data /mnt/data
	atf_check \
	    -o match:"^Filesystem +1K-blocks +Used +Available +Use% +Path$" \
	    -o match:"^tmpfs +16384 +0 +16384 +0% /tmp$" \
	    "$bin/rump.df" /mnt /tmp
	atf_check -o match:"^tmpfs +16M +0 +16M +0% /tmp$" \
	    "$bin/rump.df" -h /tmp
	"$bin/rump.df" /mnt | sed -n 2p >df.out
	read -r type total used avail pct path <df.out
	halt_fsck k
	dumpe2fs -h k.img 2>/dev/null >sb
	field() {
		sed -n "s/^$1: *//p" sb
	}
	bs=$(field "Block size")
	free=$(field "Free blocks")
	resv=$(field "Reserved block count")
	count=$(field "Block count")
	[ "$type" = ext2 ] || atf_fail "type $type"
	[ $((avail * 1024)) -eq $(((free - resv) * bs)) ] ||
	    atf_fail "available $avail KiB; dumpe2fs: $free free, $resv resv"
	[ $(((total - used) * 1024)) -eq $((free * bs)) ] ||
	    atf_fail "total $total - used $used KiB, dumpe2fs: $free free"
	[ $((total * 1024)) -le $((count * bs)) ] ||
	    atf_fail "total $total KiB > $count blocks"
	[ "$used" -ge 4883 ] || atf_fail "5 MB file but used $used KiB"
}
df_matches_dumpe2fs_cleanup() {
	stop_servers
}

atf_test_case dd_matches_host_dd cleanup
dd_matches_host_dd_head() {
	atf_set "descr" "rump.dd with bs, count, skip, seek and conv=notrunc" \
	    "writes what host dd writes from the same data"
	atf_set "require.progs" "mke2fs"
}
dd_matches_host_dd_body() {
	mkfifo slow.fifo
	start_mounted k
	head -c 1000000 /dev/urandom >in
	head -c 300000 /dev/urandom >base
	atf_check "$bin/rump.cp" host:in /mnt/in
	for args in "bs=4k count=10 skip=3 seek=5" "bs=1000 skip=7" \
	    "bs=1M" "bs=512 count=3 seek=100 conv=notrunc" \
	    "bs=7k seek=2 conv=notrunc,fsync" "bs=64k count=0 seek=1"; do
		cp base expect
		dd if=in of=expect $args status=none
		atf_check "$bin/rump.cp" host:base /tmp/out
		atf_check "$bin/rump.dd" if=/mnt/in of=/tmp/out $args \
		    status=none
		atf_check "$bin/rump.cp" /tmp/out host:got
		atf_check cmp expect got
	done
	dd if=in bs=3000 skip=2 count=5 status=none >expect
	atf_check -o file:expect \
	    "$bin/rump.dd" if=host:in bs=3000 skip=2 count=5 status=none
	atf_check -e match:"^2\+1 records in$" -e match:"^2\+1 records out$" \
	    -e match:"^2500 bytes copied" \
	    sh -c "head -c 2500 in | $bin/rump.dd of=/tmp/pipe bs=1k"
	head -c 2500 in >expect
	atf_check -o file:expect "$bin/rump.cat" /tmp/pipe
	# a copy slower than a second shows progress only when asked
	(head -c 100000 in; sleep 1.3; head -c 100000 in) >slow.fifo &
	atf_check -e match:"rump\.dd: 0\.[0-9] MiB, [0-9.]+ MB/s" \
	    sh -c "$bin/rump.dd of=/tmp/slow bs=64k status=progress <slow.fifo"
	atf_check -e not-match:"MiB" -e match:"bytes copied" \
	    sh -c "head -c 2500 in | $bin/rump.dd of=/tmp/pipe bs=1k"
	atf_check -s exit:1 -e match:"rump.dd: /mnt/nosuch: No such file" \
	    "$bin/rump.dd" if=/mnt/nosuch of=/tmp/x
	atf_check -s exit:1 -e match:"conv=sparse: not supported" \
	    "$bin/rump.dd" if=/mnt/in conv=sparse
}
dd_matches_host_dd_cleanup() {
	stop_servers
}

atf_test_case mount_options cleanup
mount_options_head() {
	atf_set "descr" "rump.mount passes ro/-r as flags and other options" \
	    "to the file system; rump.umount unmounts"
	atf_set "require.progs" "mke2fs"
}
mount_options_body() {
	start_server k
	atf_check "$bin/rump.mkdir" /mnt /t
	atf_check "$bin/rump.mount" -r /dev/sd0 /mnt
	echo x >x
	atf_check -s exit:1 -e match:"/mnt/x: Read-only file system" \
	    "$bin/rump.cp" host:x /mnt/x
	atf_check "$bin/rump.umount" /mnt
	atf_check "$bin/rump.mount" -t ext2 -o rw,noatime /dev/sd0 /mnt
	atf_check "$bin/rump.cp" host:x /mnt/x
	atf_check "$bin/rump.mount" -t tmpfs -o nosuid,size=2m,mode=0700 \
	    tmpfs /t
	atf_check -o match:"^tmpfs +2048 " "$bin/rump.df" /t
	atf_check -o inline:"700\n" "$bin/rump.stat" -c %a /t
	atf_check -s exit:1 -e match:"rump.mount: tmpfs on /t/none" \
	    "$bin/rump.mount" -t tmpfs tmpfs /t/none
	atf_check "$bin/rump.umount" /t /mnt
	atf_check -o match:"^rumpfs .* /t$" "$bin/rump.df" /t
	atf_check -s exit:1 -e match:"rump.umount: /t:" "$bin/rump.umount" /t
	atf_check "$bin/rump.halt"
	wait
}
mount_options_cleanup() {
	stop_servers
}

atf_test_case two_servers_separate cleanup
two_servers_separate_head() {
	atf_set "descr" "two servers on different sockets each see only" \
	    "their own files"
	atf_set "require.progs" "mke2fs e2fsck debugfs"
}
# Run atf_check with the kernel $1 as RUMP_SERVER.
on() {
	RUMP_SERVER=$1
	export RUMP_SERVER
	shift
	atf_check "$@"
}

two_servers_separate_body() {
	start_mounted k1
	k1=$RUMP_SERVER
	start_mounted k2
	k2=$RUMP_SERVER
	echo one >one
	echo two >two
	on $k1 "$bin/rump.cp" host:one /mnt/file
	on $k2 "$bin/rump.cp" host:two /mnt/file
	on $k1 -o inline:"one\n" "$bin/rump.cat" /mnt/file
	on $k2 -o inline:"two\n" "$bin/rump.cat" /mnt/file
	on $k1 "$bin/rump.cp" host:one /tmp/only1
	on $k2 -s exit:1 -e match:"No such file" \
	    "$bin/rump.cat" /tmp/only1
	on $k1 "$bin/rump.umount" /mnt
	on $k2 "$bin/rump.umount" /mnt
	on $k1 "$bin/rump.halt"
	on $k2 "$bin/rump.halt"
	wait
	atf_check -o inline:"one\n" -e ignore debugfs -R "cat /file" k1.img
	atf_check -o inline:"two\n" -e ignore debugfs -R "cat /file" k2.img
	atf_check -o ignore -e ignore e2fsck -fn k1.img
	atf_check -o ignore -e ignore e2fsck -fn k2.img
}
two_servers_separate_cleanup() {
	stop_servers
}

atf_test_case rumpsh_and_rump_env cleanup
rumpsh_and_rump_env_head() {
	atf_set "descr" "rumpsh and rump.env set RUMP_SERVER (made absolute)," \
	    "put the tools first in PATH and name the kernel in PS1"
	atf_set "require.progs" "mke2fs bash"
}
rumpsh_and_rump_env_body() {
	start_server k
	url="unix://$PWD/k"
	atf_check -o inline:"$url\n$bin/rump.ls\n[rump $url] \$ \n" \
	    "$bin/rumpsh" unix://k sh -c \
	    'echo "$RUMP_SERVER"; command -v rump.ls; echo "$PS1"'
	atf_check -o inline:"dev\n" "$bin/rumpsh" "$url" rump.ls /
	echo 'rump.ls /' >cmds
	export SHELL=/bin/sh
	atf_check -o inline:"dev\n" -e match:"\[rump $url\] \\$ " \
	    "$bin/rumpsh" "$url" <cmds
	atf_check -o inline:"dev\n" sh -c \
	    "PATH=/usr/bin:/bin; eval \"\$($bin/rump.env $url)\"; rump.ls /"
	atf_check -o inline:"dev\n[rump $url] \$ \n" bash -c "PATH=/usr/bin:/bin
	    . $bin/rump.env unix://k; rump.ls /; echo \"\$PS1\""
	atf_check -s exit:1 -e match:"not a unix:// or tcp:// URL" \
	    "$bin/rump.env" http://x
	atf_check -s exit:1 -e match:"usage: rumpsh" "$bin/rumpsh"
	atf_check "$bin/rump.halt"
	wait
}
rumpsh_and_rump_env_cleanup() {
	stop_servers
}

atf_init_test_cases() {
	atf_add_test_case every_tool_has_help
	atf_add_test_case no_server_names_url
	atf_add_test_case cp_tree_in_and_out
	atf_add_test_case cp_files_and_errors
	atf_add_test_case ls_and_stat_match_gnu
	atf_add_test_case mkdir_mv_ln_rm
	atf_add_test_case chmod_chown_recursive
	atf_add_test_case df_matches_dumpe2fs
	atf_add_test_case dd_matches_host_dd
	atf_add_test_case mount_options
	atf_add_test_case two_servers_separate
	atf_add_test_case rumpsh_and_rump_env
}

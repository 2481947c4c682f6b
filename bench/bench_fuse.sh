#!/bin/sh
# bench_fuse.sh BUILD: rump-fuse against fuse2fs on the same kind of
# ext2 image (mke2fs, 4 KiB blocks, 512 MiB, next to the build tree),
# side by side in one run: 256 MiB written with dd conv=fsync and read
# back after a remount, open+close of one file, and 10,000 empty files
# created, listed (readdir + stat) and deleted.  Ratios are fuse2fs time
# / rump-fuse time: above 1 means rump-fuse is faster (target 1.5).
# A peer that cannot run here is "n/a (reason)".
set -u
build=$1
tmp=$build/bench/fuse.tmp
ops=$build/bench/fuse-ops
NFILES=10000
NOPEN=10000
export PATH="$PATH:/sbin:/usr/sbin"

die() {
	echo "bench_fuse: $*" >&2
	exit 1
}

# start TOOL: mount $tmp/img on $tmp/m with TOOL in the foreground.
start() {
	case $1 in
	rump-fuse) "$build/bin/rump-fuse" -f -t ext2 "$tmp/img" "$tmp/m" \
	    2>"$tmp/err" & ;;
	fuse2fs) fuse2fs -f "$tmp/img" "$tmp/m" >"$tmp/err" 2>&1 & ;;
	esac
	pid=$!
	i=0
	while ! mountpoint -q "$tmp/m" && [ $i -lt 500 ]; do
		kill -0 $pid 2>/dev/null || break
		sleep 0.02
		i=$((i + 1))
	done
	mountpoint -q "$tmp/m" || die "$1 did not mount: $(cat "$tmp/err")"
}

stop() {
	fusermount3 -u "$tmp/m" || die "fusermount3 -u failed"
	wait $pid || die "the file system server exited with $?"
	sync
	[ "$(id -u)" -eq 0 ] && echo 3 > /proc/sys/vm/drop_caches 2>/dev/null
	return 0
}

# dd_secs ARGS...: the seconds dd reports for its copy.
dd_secs() {
	dd "$@" 2>&1 | sed -n 's/.* copied, \([0-9.e-]*\) s,.*/\1/p'
}

# run TOOL: the six figures (seconds) of one tool, on one line.
run() {
	/sbin/mke2fs -q -F -t ext2 -b 4096 "$tmp/img" 512M >/dev/null ||
	    die "mke2fs failed"
	start "$1"
	w=$(dd_secs if=/dev/zero of="$tmp/m/big" bs=1M count=256 conv=fsync)
	stop
	start "$1"
	r=$(dd_secs if="$tmp/m/big" of=/dev/null bs=1M)
	o=$("$ops" openclose "$tmp/m/big" $NOPEN)
	mkdir "$tmp/m/many"
	c=$("$ops" create "$tmp/m/many" $NFILES)
	l=$("$ops" list "$tmp/m/many")
	u=$("$ops" unlink "$tmp/m/many" $NFILES)
	stop
	echo "$w $r $o $c $l $u"
}

command -v fusermount3 >/dev/null && [ -c /dev/fuse ] ||
    { echo "rump-fuse: n/a (no /dev/fuse or fusermount3)"; exit 0; }
rm -rf "$tmp" && mkdir -p "$tmp/m" || die "cannot make $tmp"
mine=$(run rump-fuse)
if ! command -v fuse2fs >/dev/null; then
	peer="n/a (install fuse2fs)"
else
	peer=$(run fuse2fs)
fi
rm -rf "$tmp"
printf "\nrump-fuse vs fuse2fs (ext2 image, 4 KiB blocks)\n"
printf "ratio = fuse2fs time / rump-fuse time (above 1: rump-fuse faster;"
printf " target 1.5)\n"
printf "%-26s %14s %14s %8s\n" "" rump-fuse fuse2fs ratio
set -- $mine
m1=$1 m2=$2 m3=$3 m4=$4 m5=$5 m6=$6
if [ "${peer#n/a}" != "$peer" ]; then
	p1=; p2=; p3=; p4=; p5=; p6=
else
	set -- $peer
	p1=$1 p2=$2 p3=$3 p4=$4 p5=$5 p6=$6
fi
# line NAME MINE PEER KIND: KIND mib (seconds for 256 MiB), us (ns for
# NOPEN), ms (ns).
line() {
	awk -v name="$1" -v m="$2" -v p="$3" -v kind="$4" -v na="$peer" \
	    -v nopen=$NOPEN 'BEGIN {
		if (kind == "mib") { fm = 256 / m; u = "MiB/s" }
		else if (kind == "us") { fm = m / nopen / 1e3; u = "us" }
		else { fm = m / 1e6; u = "ms" }
		if (p == "") {
			printf "%-26s %8.1f %-5s %s\n", name, fm, u, na
			exit
		}
		if (kind == "mib") fp = 256 / p
		else if (kind == "us") fp = p / nopen / 1e3
		else fp = p / 1e6
		printf "%-26s %8.1f %-5s %8.1f %-5s %7.2fx\n", name, fm, u,
		    fp, u, p / m
	}'
}
line "write 256 MiB (fsync)" "$m1" "$p1" mib
line "read 256 MiB (remount)" "$m2" "$p2" mib
line "open+close" "$m3" "$p3" us
line "create $NFILES files" "$m4" "$p4" ms
line "list+stat $NFILES files" "$m5" "$p5" ms
line "delete $NFILES files" "$m6" "$p6" ms

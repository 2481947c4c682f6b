#!/bin/sh
# rump-img: run a command with a disk image's file system at /rump.  A
# private rump_server (socket in a mode 0700 mktemp -d directory) gets
# the image as /dev/img, mounts it on the kernel's /, and the command
# runs under rump.hijack; at exit (or SIGHUP/SIGINT/SIGTERM; SIGINT is
# the command's while it runs) the image is unmounted, the server halted
# and waited for, the directory removed.  Exits with the command's
# status.  See rump-img(1).

bindir=@BINDIR@

usage() {
	echo "usage: rump-img [-r] [-t type] [-o options] image" \
	    "[--] command [argument ...]"
}

die() {
	echo "rump-img: $*" >&2
	exit 1
}

# The 2-byte little-endian value at offset $2 of file $1.
le16() {
	od -An -tu1 -j "$2" -N2 "$1" | awk '{ print $1 + 256 * $2 }'
}

# ext2/3/4 superblock magic, or a FAT boot sector with a sane BPB.
detect() {
	if [ "$(le16 "$1" 1080)" = 61267 ]; then
		echo ext2
		return
	fi
	[ "$(le16 "$1" 510)" = 43605 ] || return
	bps=$(le16 "$1" 11)
	spc=$(od -An -tu1 -j13 -N1 "$1" | tr -d ' ')
	rsv=$(le16 "$1" 14)
	nfat=$(od -An -tu1 -j16 -N1 "$1" | tr -d ' ')
	case $bps in 512|1024|2048|4096) ;; *) return ;; esac
	case $spc in 1|2|4|8|16|32|64|128) ;; *) return ;; esac
	case $nfat in 1|2) ;; *) return ;; esac
	[ "$rsv" -gt 0 ] && echo msdos
}

cleanup() {
	trap '' HUP INT TERM
	if [ -n "$mounted" ]; then
		if ! "$bindir/rump.umount" /; then
			echo "rump-img: $img: unmount failed" >&2
			[ "${status:-0}" -ne 0 ] || status=1
		fi
		mounted=
	fi
	if [ -n "$spid" ]; then
		"$bindir/rump.halt" 2>/dev/null || kill "$spid" 2>/dev/null
		wait "$spid"
		spid=
	fi
	[ -n "$dir" ] && rm -rf "$dir"
	dir=
}

case "$1" in
--help) usage; exit 0 ;;
esac
ro=
type=
opts=
while getopts hro:t: opt; do
	case $opt in
	h) usage; exit 0 ;;
	r) ro=-r ;;
	o) opts=$OPTARG ;;
	t) type=$OPTARG ;;
	*) usage >&2; exit 1 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { usage >&2; exit 1; }
img=$1
shift
[ "$1" = "--" ] && shift
[ $# -ge 1 ] || { usage >&2; exit 1; }
[ -f "$img" ] || [ -b "$img" ] || die "$img: not a file or block device"
[ -r "$img" ] || die "$img: cannot read"
[ -n "$ro" ] || [ -w "$img" ] || die "$img: not writable (use -r)"
case $img in /*) ;; *) img=$PWD/$img ;; esac
case $img in *,*) die "$img: a comma in the path cannot be passed on" ;; esac
case $type in
'') type=$(detect "$img")
    [ -n "$type" ] || die "$img: no ext2 or FAT file system found (use -t)" ;;
ext2|ext3|ext4) type=ext2 ;;
msdos|vfat|fat) type=msdos ;;
*) die "$type: unsupported file system type (ext2, msdos)" ;;
esac
for prog in rump_server rump.mount rump.umount rump.halt rump.hijack; do
	[ -x "$bindir/$prog" ] || die "$bindir/$prog: not found"
done

status=
trap cleanup EXIT
trap 'cleanup; exit 129' HUP
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
dir=$(mktemp -d "${TMPDIR:-/tmp}/rump-img.XXXXXX") ||
    die "cannot create a temporary directory"
chmod 700 "$dir"
RUMP_SERVER="unix://$dir/sock"
export RUMP_SERVER
# Created before the server starts so that the wait below can read it.
: >"$dir/server.log"
# Its own session: a terminal's ^C is for the command, not the kernel.
setsid "$bindir/rump_server" -sRv -l rumpfs_ext2 -l rumpfs_msdos \
    -l rumpfs_tmpfs -d "key=/dev/img,hostpath=$img,size=host" \
    "$RUMP_SERVER" </dev/null >/dev/null 2>"$dir/server.log" &
spid=$!
i=0
until grep -q "serving at" "$dir/server.log"; do
	if ! kill -0 "$spid" 2>/dev/null || [ $i -ge 1000 ]; then
		cat "$dir/server.log" >&2
		die "rump_server did not start"
	fi
	sleep 0.01
	i=$((i + 1))
done
if ! "$bindir/rump.mount" $ro -t "$type" ${opts:+-o "$opts"} /dev/img / \
    2>"$dir/mount.err"; then
	sed '1,/serving at/d' "$dir/server.log" >&2
	cat "$dir/mount.err" >&2
	die "$img: cannot mount as $type"
fi
mounted=1
# A terminal's ^C reaches the command too; its status tells what it did.
trap : INT
"$bindir/rump.hijack" "$@"
status=$?
cleanup
exit $status

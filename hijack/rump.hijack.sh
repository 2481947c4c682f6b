#!/bin/sh
# rump.hijack: run an unmodified program with librumphijack preloaded,
# so that its file calls under the kernel prefix (default /rump) go to
# the rump kernel at $RUMP_SERVER.  See rump.hijack(1).

lib=@LIBDIR@/librumphijack.so.0

usage() {
	echo "usage: rump.hijack [-p prefix] [-s url] command [argument ...]"
}

case "$1" in
--help) usage; exit 0 ;;
esac
while getopts hp:s: opt; do
	case $opt in
	h) usage; exit 0 ;;
	p) prefix=$OPTARG ;;
	s) RUMP_SERVER=$OPTARG; export RUMP_SERVER ;;
	*) usage >&2; exit 1 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -eq 0 ]; then
	usage >&2
	exit 1
fi
if [ -z "$RUMP_SERVER" ]; then
	echo "rump.hijack: RUMP_SERVER is not set (use -s url)" >&2
	exit 1
fi
if [ ! -r "$lib" ]; then
	echo "rump.hijack: $lib: not found" >&2
	exit 1
fi
if [ -n "$prefix" ]; then
	RUMPHIJACK="${RUMPHIJACK:-socket=all:nolocal},path=$prefix"
	export RUMPHIJACK
fi
LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"
export LD_PRELOAD
exec "$@"

#!/bin/sh
# mkcorpus_sp.sh DIR: the seed corpus of fuzz_sp, client byte streams in
# the wire format of hypercall/posix/sp_wire.h: a handshake followed by
# system calls (no arguments; with arguments the kernel copies from the
# client; one that sleeps until the connection ends), and a prefork.
set -eu
dir=$1
mkdir -p "$dir"

le() {	# le BYTES VALUE: VALUE little-endian in BYTES bytes, octal escapes
	v=$2
	i=0
	while [ $i -lt "$1" ]; do
		printf '\\%03o' $((v & 255))
		v=$((v >> 8))
		i=$((i + 1))
	done
}

frame() {	# frame TYPE REQNO PAYLOAD-LENGTH: a frame header
	printf "$(le 4 "$3")$(le 2 "$1")$(le 2 0)$(le 8 "$2")"
}

handshake() {	# kind SP_HS_NEW, pid 1, comm "fuzz"
	frame 2 0 13
	printf "$(le 4 1)$(le 4 1)fuzz\\000"
}

syscall() {	# syscall REQNO NUM ARG...: a call with its argument words
	reqno=$1 num=$2
	shift 2
	frame 4 "$reqno" $((8 + 8 * $#))
	printf "$(le 4 "$num")$(le 4 $#)"
	for a in "$@"; do
		printf "$(le 8 "$a")"
	done
}

{ handshake; syscall 1 39; } >"$dir/getpid"
{ handshake; syscall 1 39; syscall 2 102; syscall 3 63 4096; } \
    >"$dir/three"
{ handshake; syscall 1 2 4096 0 0; } >"$dir/open-copyinstr"
{ handshake; syscall 1 7 0 0 4294967295; } >"$dir/poll-sleeps"
{ handshake; frame 17 5 0; } >"$dir/prefork"

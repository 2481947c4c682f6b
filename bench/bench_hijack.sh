#!/bin/sh
# bench_hijack.sh BUILD: unmodified programs under librumphijack against
# a rump_server (rumpfs root) beside the same work on the host: cp of a
# 256 MiB file into and out of the kernel (and the same with rump.cp),
# and ls -l of a directory of 10,000 files.  Work files live in
# BUILD/bench/hijack.
set -eu
build=$(cd "$1" && pwd)
dir=$build/bench/hijack
lib=$build/lib/librumphijack.so.0
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"

"$build/bin/rump_server" -s "unix://$dir/sock" 2>server.err &
spid=$!
trap 'kill $spid 2>/dev/null; rm -rf "$dir"' EXIT
i=0
while [ ! -S sock ] && [ $i -lt 500 ]; do
	sleep 0.01
	i=$((i + 1))
done
export RUMP_SERVER="unix://$dir/sock"

# seconds COMMAND...: wall time of one run, to the millisecond.
seconds() {
	t0=$(date +%s%N)
	"$@" >/dev/null
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000000 )) | awk '{ printf "%.3f", $1 / 1000 }'
}

row() {	# row WHAT HOST-SECONDS HIJACK-SECONDS
	awk -v w="$1" -v h="$2" -v k="$3" 'BEGIN {
	    printf "%-32s %9.3f s %9.3f s %7.1fx\n", w, h, k,
	    (h > 0 ? k / h : 0) }'
}

head -c 268435456 /dev/urandom > big
mkdir many hostdir
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "many/f%05d\n", i }' |
    xargs touch
echo "ratio = rumpk time / host time (> 1: rumpk is slower)"
echo "hijack and rump.cp (rump_server)      host         rumpk    ratio"
h=$(seconds cp big hostdir/big)
k=$(seconds env LD_PRELOAD="$lib" cp big /rump/big)
row "cp 256 MiB into the kernel" "$h" "$k"
h=$(seconds cp hostdir/big big.out)
k=$(seconds env LD_PRELOAD="$lib" cp /rump/big big.out2)
row "cp 256 MiB out of the kernel" "$h" "$k"
cmp -s big big.out2 || echo "bench_hijack: copy out differs" >&2
h=$(seconds cp big hostdir/big2)
k=$(seconds "$build/bin/rump.cp" host:big /big2)
row "rump.cp 256 MiB into the kernel" "$h" "$k"
h=$(seconds cp hostdir/big2 big.out3)
k=$(seconds "$build/bin/rump.cp" /big2 host:big.out4)
row "rump.cp 256 MiB out of the kernel" "$h" "$k"
cmp -s big big.out4 || echo "bench_hijack: rump.cp out differs" >&2
env LD_PRELOAD="$lib" cp -r many /rump/many
h=$(seconds ls -l many)
k=$(seconds env LD_PRELOAD="$lib" ls -l /rump/many)
row "ls -l of 10,000 files" "$h" "$k"

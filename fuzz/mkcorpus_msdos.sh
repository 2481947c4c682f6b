#!/bin/sh
# mkcorpus_msdos.sh DIR: the seed corpus of fuzz_msdos, small FAT images
# made by mkfs.fat (fixed volume id) and filled by mtools with files,
# directories, long, mixed-case and UTF-8 names, a deleted file, a
# directory spanning clusters and a read-only file.  FAT12 images are
# 64 to 128 KiB; the FAT16 one declares 2.5 MiB but only its first
# 128 KiB (FATs, root directory, the files) are kept: the rest of the
# fuzzer's disk is zeros.
set -eu
PATH="$PATH:/sbin:/usr/sbin"
export LC_ALL=C.UTF-8 TZ=UTC MTOOLS_SKIP_CHECK=1
dir=$1
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c 3000 /dev/zero | tr '\0' 'a' >"$tmp/small"
head -c 9000 /dev/zero | tr '\0' 'b' >"$tmp/medium"
: >"$tmp/empty"
# fill IMG: the same tree on every image
fill() {
	mmd -i "$1" ::Dir ::Dir/Sub "::A Long Directory Name"
	mcopy -i "$1" "$tmp/small" ::SHORT.TXT
	mcopy -i "$1" "$tmp/small" ::lower.txt
	mcopy -i "$1" "$tmp/medium" "::Dir/A Long File Name.data"
	mcopy -i "$1" "$tmp/empty" "::Dir/Sub/Grüße.txt"
	mcopy -i "$1" "$tmp/small" ::gone.txt
	mdel -i "$1" ::gone.txt
	mattrib -i "$1" +r ::SHORT.TXT
	i=0
	while [ $i -lt 12 ]; do
		mcopy -i "$1" "$tmp/empty" \
		    "::A Long Directory Name/entry number $i"
		i=$((i + 1))
	done
}
n=0
for opts in "-F 12 -s 1 -r 16:64" "-F 12 -s 2 -f 1 -r 32:128" \
    "-F 12 -s 4 -n SEEDLABEL:128" "-F 12 -S 1024 -s 1 -r 32:128" \
    "-F 16 -s 1 -r 64:2560"; do
	img="$tmp/img"
	rm -f "$img"
	mkfs.fat -i 1234abcd ${opts%:*} -C "$img" "${opts#*:}" >/dev/null
	fill "$img"
	head -c 131072 "$img" >"$dir/seed$n.img"
	n=$((n + 1))
done

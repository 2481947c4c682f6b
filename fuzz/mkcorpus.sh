#!/bin/sh
# mkcorpus.sh DIR: the seed corpus of fuzz_ext2, tiny ext2 images
# (64 KiB, 1 KiB blocks) made by mke2fs and filled by debugfs with
# files, directories, fast and slow symlinks, a hard link and nodes;
# the last one also has a hash-indexed directory (e2fsck -D).
set -eu
PATH="$PATH:/sbin:/usr/sbin"
export E2FSPROGS_FAKE_TIME=1700000000
dir=$1
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c 3000 /dev/zero | tr '\0' 'a' >"$tmp/small"
head -c 20000 /dev/zero | tr '\0' 'b' >"$tmp/medium"
cat >"$tmp/script" <<EOT
mkdir d
mkdir d/sub
write $tmp/small f
write $tmp/medium d/m
symlink fast f
symlink slow /a/symlink/target/longer/than/sixty/bytes/so/it/needs/a/block
ln f d/hard
sif f links_count 2
mknod fifo p
mknod null c 1 3
EOT
cp "$tmp/script" "$tmp/htree"
printf 'mkdir big\nexpand_dir big\nexpand_dir big\n' >>"$tmp/htree"
i=0
while [ $i -lt 40 ]; do
	echo "ln f big/a_rather_long_name_to_fill_directory_blocks_$i" \
	    >>"$tmp/htree"
	i=$((i + 1))
done
echo "sif f links_count 42" >>"$tmp/htree"
n=0
for opts in "" "-r 0" "-I 128" "-O ^filetype" "-O ^dir_index,^ext_attr" \
    "-O sparse_super2" "-E root_owner=1000:1000"; do
	img="$tmp/img"
	rm -f "$img"
	mke2fs -q -F -t ext2 -b 1024 -U 5f6b3c52-2c1a-4d8e-9b7f-0a1b2c3d4e5f \
	    -N 32 $opts "$img" 64 >/dev/null 2>&1
	truncate -s 64K "$img"
	debugfs -w -f "$tmp/script" "$img" >/dev/null 2>&1
	cp "$img" "$dir/seed$n.img"
	n=$((n + 1))
done
rm -f "$img"
mke2fs -q -F -t ext2 -b 1024 -U 5f6b3c52-2c1a-4d8e-9b7f-0a1b2c3d4e5f \
    -N 32 "$img" 64 >/dev/null 2>&1
truncate -s 64K "$img"
debugfs -w -f "$tmp/htree" "$img" >/dev/null 2>&1
e2fsck -fyD "$img" >/dev/null 2>&1 || [ $? -le 1 ]
cp "$img" "$dir/seed$n.img"

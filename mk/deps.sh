#!/bin/sh
# deps.sh build|check: make sure the tools the build (and, for check, the
# tests) need are present.
# As root, missing Debian packages are installed with apt-get; otherwise
# the script names them and fails.
pkgs=""
need() {	# need PACKAGE TEST-COMMAND...
	pkg=$1; shift
	"$@" >/dev/null 2>&1 || pkgs="$pkgs $pkg"
}
need gcc command -v cc
need make command -v make
need binutils command -v objcopy
need libfuse3-dev test -f /usr/include/fuse3/fuse_lowlevel.h
if [ "${1:-check}" = check ]; then
	need kyua command -v kyua
	need atf-sh command -v atf-sh
	need libatf-dev test -f /usr/include/atf-c.h
	need pkg-config command -v pkg-config
	need e2fsprogs test -x /sbin/mke2fs
	need genext2fs command -v genext2fs
	need mandoc command -v mandoc
	need dosfstools test -x /sbin/mkfs.fat
	need mtools command -v mcopy
	need sleuthkit command -v fls
	need fuse3 command -v fusermount3
	need python3 command -v python3
fi
[ -z "$pkgs" ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: installing:$pkgs"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null &&
	    apt-get install -y -qq $pkgs >/dev/null && exit 0
	echo "deps: apt-get install$pkgs failed" >&2
	exit 1
fi
echo "deps: missing Debian packages:$pkgs" >&2
echo "deps: run as root, or: sudo apt-get install$pkgs" >&2
exit 1

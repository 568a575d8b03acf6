#!/bin/sh
# Install the Debian 12 packages Tessera needs, or say exactly how to.
#
#   tools/deps.sh [base] [debug] [h3] [bench] [fuzz] [linux] ...
#
# As root it runs apt-get itself; as anyone else it prints the command to run
# and exits non-zero.  Groups: base (build, run, test: the default), debug
# (gdb-multiarch), h3 (Debian's U-Boot for the Allwinner H3 boards, an armhf
# package fetched through multiarch), bench (Xen 4.17 for the comparison), fuzz
# (clang's libFuzzer), linux (Debian's armhf LPAE kernel and busybox-static, for
# CONFIG=linux-rtos, cpio and e2fsprogs to build its initramfs and disk, and the armhf
# cross compiler for its channel program guests/linux/tchan.c).
set -eu

pkgs_base="make gcc libc6-dev python3 git gcc-arm-none-eabi libnewlib-arm-none-eabi
	qemu-system-arm u-boot-qemu u-boot-tools device-tree-compiler libfdt-dev
	mtools dosfstools fdisk clang-format clang-tidy cppcheck openssl"
pkgs_debug="gdb-multiarch"
pkgs_fuzz="clang libclang-rt-14-dev"
pkgs_linux="cpio e2fsprogs gzip gcc-arm-linux-gnueabihf libc6-dev-armhf-cross"

groups=${*:-base}
want=""
armhf=""
for g in $groups; do
	case $g in
	base) want="$want $pkgs_base" ;;
	debug) want="$want $pkgs_debug" ;;
	fuzz) want="$want $pkgs_fuzz" ;;
	h3) armhf="$armhf u-boot-sunxi" ;;
	bench) armhf="$armhf xen-hypervisor-4.17-armhf" ;;
	linux)
		want="$want $pkgs_linux"
		armhf="$armhf linux-image busybox-static"
		;;
	*) echo "deps.sh: unknown group '$g'" >&2; exit 2 ;;
	esac
done

installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

missing=""
for p in $want; do
	installed "$p" || missing="$missing $p"
done

as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	else
		return 1
	fi
}

if [ -n "$missing" ]; then
	# Said only where it is done: as another user nothing is installed, the command is given.
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing Debian packages:$missing" >&2
		echo "deps: run:  sudo apt-get install -y$missing" >&2
		exit 1
	fi
	echo "deps: installing:$missing"
	if ! sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null"; then
		echo "deps: apt-get could not install:$missing" >&2
		exit 1
	fi
fi

# armhf packages are not installed: their .deb is fetched and unpacked under
# build/debs/<package>/ (only data files are used: U-Boot and Xen binaries).
# Debian's LPAE kernel package is named after its ABI version, which security updates
# change (linux-image-6.1.0-NN-armmp-lpae): take the newest apt knows, never a fixed one.
latest_kernel() {
	apt-cache search --names-only '^linux-image-[0-9.]+-[0-9]+-armmp-lpae$' 2>/dev/null |
		cut -d' ' -f1 | sort -V | tail -n 1
}

for d in $armhf; do
	dest="build/debs/$d"
	p=$d
	[ -d "$dest" ] && continue
	if ! dpkg --print-foreign-architectures | grep -qx armhf; then
		if ! as_root sh -c "dpkg --add-architecture armhf && { apt-get update -qq || true; }"; then
			echo "deps: $p is an armhf package; run:" >&2
			echo "deps:   sudo dpkg --add-architecture armhf && sudo apt-get update" >&2
			exit 1
		fi
	fi
	if [ "$d" = linux-image ]; then
		p=$(latest_kernel)
		if [ -z "$p" ]; then
			as_root apt-get update -qq || true
			p=$(latest_kernel)
		fi
		if [ -z "$p" ]; then
			echo "deps: apt knows no linux-image-*-armmp-lpae package (armhf lists?)" >&2
			exit 1
		fi
	fi
	mkdir -p build/debs
	# Root's apt would drop to the _apt user, who may not write here: stay root.  If the
	# package lists predate the armhf architecture, update them once and try again.
	sandbox=""
	[ "$(id -u)" = 0 ] && sandbox="-o APT::Sandbox::User=root"
	download() { (cd build/debs && apt-get download -qq $sandbox "$p:armhf" >/dev/null "$@"); }
	download 2>/dev/null || { as_root apt-get update -qq && download; } || {
		echo "deps: could not download $p:armhf (apt-get download)" >&2
		exit 1
	}
	# Unpacked beside, then renamed: an interrupted run leaves no half-unpacked package.
	rm -rf "$dest.tmp"
	dpkg-deb -x build/debs/"$p"_*_armhf.deb "$dest.tmp"
	mv "$dest.tmp" "$dest"
done
exit 0

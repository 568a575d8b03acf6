#!/bin/sh
# Images for booting Tessera through U-Boot (tools/image.mk runs this; no root needed).
#
#   tools/mkbootimage.sh uimage ELF BIN LOAD NAME OUT
#       A legacy uImage of BIN (mkimage -A arm -O linux -T kernel -C none) to be copied
#       to LOAD, where ELF (BIN's source) must be linked, and entered at ELF's entry point.
#
#   tools/mkbootimage.sh disk [--firmware U-BOOT] OUT FILE...
#       A 32 MiB raw disk image (a power of two, as QEMU's SD cards require): an MBR
#       with one bootable FAT16 partition from 1 MiB to the end holding FILE...; with
#       --firmware, U-BOOT (u-boot-sunxi-with-spl.bin) written at 8 KiB, where the
#       Allwinner boot ROM looks for it.  Built from sfdisk and mtools.
set -eu

PATH=$PATH:/usr/sbin:/sbin # sfdisk, for users whose PATH lacks sbin
export MTOOLS_SKIP_CHECK=1

DISK_MIB=32
PART_START=2048 # sectors: 1 MiB
FIRMWARE_OFFSET=8192 # bytes: the H3 boot ROM reads the SPL from sector 16
LABEL_ID=0x7e55e2a0 # MBR disk identifier and FAT serial: fixed, for reproducible images

die() {
	echo "mkbootimage: $*" >&2
	exit 1
}

uimage() {
	[ $# = 5 ] || die "usage: uimage ELF BIN LOAD NAME OUT"
	elf=$1 bin=$2 load=$3 name=$4 out=$5
	readelf=${READELF:-readelf}
	entry=$($readelf -h "$elf" | sed -n 's/^ *Entry point address: *//p')
	first=$($readelf -lW "$elf" | awk '$1 == "LOAD" { print $3; exit }')
	[ $((first)) = $((load)) ] || die "$elf: first segment at $first, not at $load"
	size=$(stat -c %s "$bin")
	[ $((entry)) -ge $((load)) ] && [ $((entry)) -lt $((load + size)) ] ||
		die "$elf: entry $entry is outside the image at $load"
	# The uImage name field holds 32 bytes with its NUL.
	name=$(printf '%s' "$name" | cut -c1-31)
	mkimage -A arm -O linux -T kernel -C none -a "$load" -e "$entry" -n "$name" \
		-d "$bin" "$out.tmp" >/dev/null
	mv "$out.tmp" "$out"
}

disk() {
	firmware=""
	if [ "${1:-}" = --firmware ]; then
		firmware=$2
		shift 2
	fi
	[ $# -ge 2 ] || die "usage: disk [--firmware U-BOOT] OUT FILE..."
	out=$1
	shift
	tmp=$out.tmp
	rm -f "$tmp"
	truncate -s ${DISK_MIB}M "$tmp"
	printf 'label: dos\nlabel-id: %s\nstart=%s, type=e, bootable\n' $LABEL_ID $PART_START |
		sfdisk -q "$tmp"
	sectors=$((DISK_MIB * 2048 - PART_START))
	mformat -i "$tmp@@$((PART_START * 512))" -T $sectors -h 64 -s 32 -H $PART_START \
		-v TESSERA -N ${LABEL_ID#0x} ::
	mcopy -i "$tmp@@$((PART_START * 512))" "$@" ::
	if [ -n "$firmware" ]; then
		size=$(stat -c %s "$firmware")
		[ $((FIRMWARE_OFFSET + size)) -le $((PART_START * 512)) ] ||
			die "$firmware ($size bytes) does not fit before the partition at 1 MiB"
		dd if="$firmware" of="$tmp" bs=1024 seek=$((FIRMWARE_OFFSET / 1024)) conv=notrunc \
			status=none
	fi
	mv "$tmp" "$out"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
uimage) uimage "$@" ;;
disk) disk "$@" ;;
*) die "usage: mkbootimage.sh uimage|disk ... (see the header of $0)" ;;
esac

#!/bin/sh
# Build the Linux partition's initramfs and disk image, without root:
#
#   guests/linux/mkinitramfs.sh DEBS OUT_DIR
#
# DEBS is where tools/deps.sh linux unpacked Debian's packages (build/debs): busybox-static's
# /bin/busybox and linux-image-*-armmp-lpae's modules.  Writes OUT_DIR/initramfs.cpio.gz
# (cpio newc: /init, busybox, bootmark and tchan (OUT_DIR/bootmark, OUT_DIR/tchan, built
# before), etc/inittab, etc/rcS and the modules rcS loads, in dependency order) and
# OUT_DIR/disk.ext4 (an 8 MiB ext4 image made by mke2fs -d holding
# hello.txt, for the virtio block device).
set -eu
debs=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$out/initramfs.root
rm -rf "$root"
mkdir -p "$root/bin" "$root/etc" "$root/lib/modules" "$out"
cp "$debs/busybox-static/bin/busybox" "$root/bin/busybox"
cp "$here/init" "$root/init"
cp "$here/rcS" "$root/etc/rcS"
cp "$here/inittab" "$root/etc/inittab"
cp "$out/bootmark" "$root/bin/bootmark" # built by guests/linux/linux.mk
cp "$out/tchan" "$root/bin/tchan"
chmod 755 "$root/init" "$root/etc/rcS" "$root/bin/busybox" "$root/bin/bootmark" "$root/bin/tchan"

# Modules: the drivers rcS needs and, before each, what its .modinfo says it depends on.
# Debian ships no modules.dep (depmod runs at install): read "depends=" from each module.
mods=$(find "$debs/linux-image/lib/modules" -name '*.ko')
path_of() { echo "$mods" | grep "/$(echo "$1" | sed "s/_/[-_]/g")\.ko\$" | head -n 1; }
order=""
add() {
	case " $order " in *" $1 "*) return ;; esac
	f=$(path_of "$1")
	[ -n "$f" ] || { echo "mkinitramfs: module $1 not found" >&2; exit 1; }
	for d in $(grep -a -o 'depends=[a-z0-9_,-]*' "$f" | head -n 1 | cut -d= -f2 | tr , ' '); do
		add "$(echo "$d" | tr - _)"
	done
	cp "$(path_of "$1")" "$root/lib/modules/$1.ko" # f is global: the recursion changed it
	order="$order $1"
}
# crc32c_generic: ext4's metadata checksums ask the crypto API for crc32c (a soft dependency).
for m in crc32c_generic virtio_mmio virtio_blk ext4; do
	add "$m"
done
echo $order > "$root/lib/modules/order"

# Same inputs, same bytes: fixed times and owners, sorted names (the image is linked into the
# hypervisor, which is rebuilt when it changes).
find "$root" -exec touch -h -d @0 {} +
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 --reproducible) |
	gzip -9 -n > "$out/initramfs.cpio.gz.tmp"
mv "$out/initramfs.cpio.gz.tmp" "$out/initramfs.cpio.gz"

disk=$out/disk.root
rm -rf "$disk"
mkdir -p "$disk"
echo "hello from the virtio disk" > "$disk/hello.txt"
rm -f "$out/disk.ext4.tmp"
truncate -s 8M "$out/disk.ext4.tmp"
mke2fs -q -F -t ext4 -d "$disk" -L tessera "$out/disk.ext4.tmp"
mv "$out/disk.ext4.tmp" "$out/disk.ext4"

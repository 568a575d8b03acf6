# QEMU virt: the board's console driver and how QEMU runs it.
PLAT_SRCS := platform/uart/pl011.c
QEMU_MACHINE := -M virt,virtualization=on,gic-version=2 -cpu cortex-a15 -smp 4 -m 1024

# Debian's U-Boot for QEMU checks FIT signatures: the FIT is signed, and `make run-uboot`
# hands U-Boot QEMU's own device tree with the public key added (tools/image.mk).
FIT_SIGN := yes
UBOOT_DTB_FROM_QEMU := yes
# FIT_LOCKED's boot command: the virtio disk's FAT partition, at U-Boot's kernel_addr_r.
UBOOT_FIT_PROBE := virtio scan
UBOOT_FIT_LOAD := virtio 0:1 0x40400000

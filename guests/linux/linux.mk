# The Linux guest (guests/linux): Debian's armhf LPAE kernel and a busybox initramfs, for
# systems whose partitions name them (configs/qemu-virt/linux-rtos.dts: kernel =
# "linux/zImage", initrd = "linux/initramfs.cpio.gz").  tools/deps.sh linux fetches the
# packages into build/debs (the kernel's version is resolved there, never fixed here) and
# guests/linux/mkinitramfs.sh packs the initramfs and the virtio disk image; the one program
# compiled is tchan (guests/linux/tchan.c), the channel's user-space end.
#
# Included by the top-level Makefile.  Provides LINUX_OUT and its three files, and
# QEMU_ARGS_linux-rtos (the virtio disk `make run CONFIG=linux-rtos` passes to QEMU).

LINUX_OUT := $(GUEST_OUT)/linux
LINUX_DEBS := build/debs
LINUX_STAMP := $(LINUX_DEBS)/linux-image/boot

$(LINUX_STAMP):
	@tools/deps.sh linux

$(LINUX_OUT)/zImage: | $(LINUX_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  KERNEL  $@ ($$(basename $(LINUX_STAMP)/vmlinuz-*))")
	$(Q)cp $(LINUX_STAMP)/vmlinuz-* $@

# /bin/bootmark: user space's first program, a marker for make bench (guests/linux/bootmark.S).
$(LINUX_OUT)/bootmark: guests/linux/bootmark.S
	@mkdir -p $(dir $@)
	$(Q)$(CROSS)gcc -march=armv7-a -marm -nostdlib -static -Wl,-Ttext=0x20000000 \
		-Wl,--build-id=none -o $@ $<

# tchan, the channel's user-space end: Debian's armhf cross compiler (gcc-arm-linux-gnueabihf,
# tools/deps.sh linux), static, with the guest library's ring code (host-safe C).
LINUX_CC := arm-linux-gnueabihf-gcc
LINUX_CFLAGS := -std=gnu11 -O2 -static -Wall -Wextra -Werror -Iguests/lib -Iinclude

$(LINUX_OUT)/tchan: guests/linux/tchan.c guests/lib/channel.c guests/lib/channel.h \
		guests/lib/linkrec.h | $(LINUX_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINUXCC $@")
	$(Q)$(LINUX_CC) $(LINUX_CFLAGS) -o $@ guests/linux/tchan.c guests/lib/channel.c

$(LINUX_OUT)/initramfs.cpio.gz $(LINUX_OUT)/disk.ext4 &: guests/linux/mkinitramfs.sh \
		guests/linux/init guests/linux/rcS guests/linux/inittab $(LINUX_OUT)/bootmark \
		$(LINUX_OUT)/tchan \
		| $(LINUX_STAMP)
	@$(if $(Q),echo "  INITRD  $(LINUX_OUT)/initramfs.cpio.gz and disk.ext4")
	$(Q)guests/linux/mkinitramfs.sh $(LINUX_DEBS) $(LINUX_OUT)

.PHONY: linux-guest
linux-guest: $(LINUX_OUT)/zImage $(LINUX_OUT)/initramfs.cpio.gz $(LINUX_OUT)/disk.ext4

# QEMU virt's first virtio-mmio transport (0x0a000000, INTID 48), which linux-rtos.dts
# passes through; read-only, so that runs and tests can share the image.  (The H3 has no
# virtio: its linux-rtos boots from the SD card alone.)
ifeq ($(PLATFORM),qemu-virt)
QEMU_ARGS_linux-rtos = -drive if=none,id=disk0,file=$(LINUX_OUT)/disk.ext4,format=raw,readonly=on \
	-device virtio-blk-device,drive=disk0,bus=virtio-mmio-bus.0
QEMU_DEPS_linux-rtos = $(LINUX_OUT)/disk.ext4
endif

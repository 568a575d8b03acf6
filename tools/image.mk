# Images for booting Tessera through U-Boot, included by the top-level Makefile after
# platform/$(PLATFORM)/platform.mk.  `make` builds them next to tessera.elf/.bin:
#
#   $(OUT)/tessera.uimg  legacy uImage of tessera.bin (the guest images are linked inside):
#                        mkimage -A arm -O linux -T kernel -C none, load address = the
#                        board's PLAT_HYP_BASE (checked against tessera.elf), entry = _start
#                        (tessera.elf's entry point)
#   $(OUT)/boot.scr      tools/boot.cmd through mkimage -T script: loads tessera.uimg from
#                        where U-Boot's distro boot found the script, then
#                        bootm ${kernel_addr_r} - ${fdtcontroladdr}
#   $(OUT)/disk.img      32 MiB raw disk: MBR, one bootable FAT16 partition from 1 MiB with
#     or $(OUT)/sd.img   boot.scr and tessera.uimg; sd.img (boards whose U-Boot lives on the
#                        card) also carries $(UBOOT_SD_FIRMWARE) at 8 KiB
#
# Uses, from platform.mk (all optional):
#   UBOOT_SD_FIRMWARE       U-Boot image to write at 8 KiB: the disk becomes sd.img
#   UBOOT_SD_FIRMWARE_DEPS  tools/deps.sh group that provides it
#   QEMU_BOOT               how `make run` boots (default: -kernel tessera.elf)
#   QEMU_IMAGES             run-qemu.sh options that place the guest images (default:
#                           --images $(GEN)/images.txt, QEMU's generic loader)
#   QEMU_UBOOT_BOOT         how `make run-uboot` boots (default: QEMU virt with Debian's
#                           U-Boot as -bios and disk.img on virtio-blk)
# Defines: UIMAGE, BOOT_SCR, BOOT_DISK, QEMU_BOOT, QEMU_UBOOT_BOOT, target run-uboot.

MKIMAGE ?= mkimage
UBOOT_QEMU_BIOS ?= /usr/lib/u-boot/qemu_arm/u-boot.bin

UIMAGE := $(OUT)/tessera.uimg
BOOT_SCR := $(OUT)/boot.scr
BOOT_DISK := $(OUT)/$(if $(UBOOT_SD_FIRMWARE),sd,disk).img
UBOOT_IMAGES := $(UIMAGE) $(BOOT_SCR) $(BOOT_DISK)

# The hypervisor's load address, from the board's platform.h.
UBOOT_LOAD_ADDR := $(shell sed -n \
	's/^\#define PLAT_HYP_BASE[[:space:]]*\(0x[0-9A-Fa-f]*\).*/\1/p' platform/$(PLATFORM)/platform.h)

QEMU_BOOT ?= -kernel $(OUT)/tessera.elf
# With -kernel, QEMU's generic loader places the guest images in the image store
# (tools/run-qemu.sh --images); a board that boots through U-Boot sets it empty.
QEMU_IMAGES ?= --images $(OUT)/gen/images.txt
QEMU_UBOOT_BOOT ?= -bios $(UBOOT_QEMU_BIOS) \
	-drive if=none,file=$(BOOT_DISK),format=raw,id=d0 -device virtio-blk-device,drive=d0

all: $(UBOOT_IMAGES)

$(UIMAGE): $(OUT)/tessera.bin $(OUT)/tessera.elf tools/mkbootimage.sh
	@$(if $(Q),echo "  UIMAGE  $@")
	$(Q)READELF=$(CROSS)readelf tools/mkbootimage.sh uimage $(OUT)/tessera.elf $< \
		$(UBOOT_LOAD_ADDR) "Tessera $(PLATFORM)/$(CONFIG)" $@

$(BOOT_SCR): tools/boot.cmd
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  SCRIPT  $@")
	$(Q)$(MKIMAGE) -A arm -O linux -T script -C none -n "Tessera boot script" -d $< $@.tmp \
		>/dev/null
	$(Q)mv $@.tmp $@

# Which U-Boot went onto the disk (UBOOT_SUNXI_BOARD= may change it): rewritten only when
# it changes, so that a change rebuilds the disk.
$(OUT)/disk-firmware.txt: image-mk-always
	@mkdir -p $(dir $@)
	@echo '$(UBOOT_SD_FIRMWARE)' | cmp -s - $@ 2>/dev/null || echo '$(UBOOT_SD_FIRMWARE)' >$@

.PHONY: image-mk-always
image-mk-always:

$(BOOT_DISK): $(UIMAGE) $(BOOT_SCR) $(UBOOT_SD_FIRMWARE) $(OUT)/disk-firmware.txt \
		tools/mkbootimage.sh
	@$(if $(Q),echo "  DISK    $@")
	$(Q)tools/mkbootimage.sh disk $(if $(UBOOT_SD_FIRMWARE),--firmware $(UBOOT_SD_FIRMWARE)) \
		$@ $(BOOT_SCR) $(UIMAGE)

# The board's U-Boot comes from a Debian package that tools/deps.sh fetches.
ifneq ($(UBOOT_SD_FIRMWARE),)
$(UBOOT_SD_FIRMWARE):
	tools/deps.sh $(UBOOT_SD_FIRMWARE_DEPS)
	@test -f $@ || { echo "image.mk: $@ is not in the package" >&2; exit 1; }
endif

.PHONY: run-uboot
run-uboot: deps
	@$(MAKE) --no-print-directory all
	@tools/run-qemu.sh $(if $(TIMEOUT),--timeout $(TIMEOUT)) -- $(QEMU_MACHINE) \
		$(QEMU_UBOOT_BOOT)

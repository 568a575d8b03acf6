# Allwinner H3: the board's console driver, its U-Boot, and how QEMU runs it.
PLAT_SRCS := platform/uart/ns16550.c

# QEMU's model of the Orange Pi PC (4x Cortex-A7, 1 GiB).  Its firmware is the board's
# own U-Boot on the SD card image, so `make run` boots that image (tools/image.mk).  QEMU's
# generic timer counts at 62.5 MHz unless told otherwise, while U-Boot sets CNTFRQ to the
# board's 24 MHz: guest time would run 2.6 times too fast (docs/h3-notes.md).
QEMU_MACHINE := -M orangepi-pc -global cortex-a7-arm-cpu.cntfrq=24000000

# Debian's u-boot-sunxi (armhf; `tools/deps.sh h3` unpacks it into build/debs/, a path
# deps.sh fixes): it has no orangepi_pc build, so the NanoPi NEO's, which boots QEMU's
# orangepi-pc (it probes the DRAM size: 1 GiB there).  UBOOT_SUNXI_BOARD=orangepi_plus
# (another H3 board with 1 GiB) boots there too.
UBOOT_SUNXI_DIR := build/debs/u-boot-sunxi/usr/lib/u-boot
UBOOT_SUNXI_BOARD ?= $(firstword $(notdir $(wildcard $(UBOOT_SUNXI_DIR)/orangepi_pc)) nanopi_neo)
UBOOT_SD_FIRMWARE := $(UBOOT_SUNXI_DIR)/$(UBOOT_SUNXI_BOARD)/u-boot-sunxi-with-spl.bin
UBOOT_SD_FIRMWARE_DEPS := h3
# What image.mk says when the package has no build for UBOOT_SUNXI_BOARD (shell text).
UBOOT_SD_FIRMWARE_ALTERNATIVES = UBOOT_SUNXI_BOARD=$(UBOOT_SUNXI_BOARD); the package has: \
	$$(ls $(UBOOT_SUNXI_DIR) | tr "\n" " ")

# Boot from the SD card image: its U-Boot autoboots Tessera (boot.scr, tessera.itb).  Debian's
# u-boot-sunxi checks the FIT's SHA-256 hashes but has no signature verification: the FIT
# is hashed, not signed (no FIT_SIGN).
# FIT_LOCKED's boot command (with your own signing U-Boot: README, Verified boot): the card's
# FAT partition, at u-boot-sunxi's kernel_addr_r.
UBOOT_FIT_LOAD := mmc 0:1 0x42000000
ifneq ($(FIT_SIGN),)
ifeq ($(origin UBOOT_SD_FIRMWARE),file)
$(warning FIT_SIGN: sd.img carries Debian's u-boot-sunxi, which checks no signature; once your \
	U-Boot holds the key, build with UBOOT_SD_FIRMWARE=<its u-boot-sunxi-with-spl.bin> \
	(README, Verified boot))
endif
endif
QEMU_BOOT = -drive file=$(BOOT_DISK),format=raw,if=sd
QEMU_IMAGES :=
QEMU_UBOOT_BOOT = $(QEMU_BOOT)

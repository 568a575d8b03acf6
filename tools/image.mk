# Images for booting Tessera through U-Boot, included by the top-level Makefile after
# platform/$(PLATFORM)/platform.mk.  `make` builds them next to tessera.elf/.bin:
#
#   $(OUT)/tessera.its   the FIT source (tools/mkbootimage.sh its): tessera.bin as the
#                        kernel subimage (load address = the board's PLAT_HYP_BASE, checked
#                        against tessera.elf, entry = _start) and every guest image of the
#                        image store as a loadable at the address tcfg chose (gen/images.txt),
#                        each with a SHA-256 hash; with FIT_SIGN, a configuration signature
#   $(OUT)/tessera.itb   mkimage -f tessera.its; with FIT_SIGN signed (-k $(FIT_KEYDIR),
#                        key $(FIT_KEY), -r: required), and the public key added (-K) to
#                        $(UBOOT_KEY_DTB), the control device tree U-Boot is to be given
#   $(OUT)/boot.scr      tools/boot.cmd through mkimage -T script: loads tessera.itb from
#                        where U-Boot's distro boot found the script, then
#                        bootm ${kernel_addr_r}#tessera - ${fdtcontroladdr}
#   $(OUT)/disk.img      raw disk (32 MiB or the next power of two that holds the files): MBR,
#     or $(OUT)/sd.img   one bootable FAT16 partition from 1 MiB with boot.scr and tessera.itb;
#                        sd.img (boards whose U-Boot lives on the card) also carries
#                        $(UBOOT_SD_FIRMWARE) at 8 KiB
#
# Uses, from platform.mk (all optional):
#   UBOOT_SD_FIRMWARE       U-Boot image to write at 8 KiB: the disk becomes sd.img
#   UBOOT_SD_FIRMWARE_DEPS  tools/deps.sh group that provides it
#   FIT_SIGN                non-empty: sign the FIT (the board's U-Boot checks signatures);
#                           the control device tree the key goes into is UBOOT_DTB= (your
#                           U-Boot build's u-boot.dtb), or with UBOOT_DTB_FROM_QEMU QEMU's
#                           own (-machine dumpdtb=; QEMU virt: orangepi-pc makes none)
#   QEMU_BOOT               how `make run` boots (default: -kernel tessera.elf)
#   QEMU_IMAGES             run-qemu.sh options that place the guest images (default:
#                           --images $(GEN)/images.txt, QEMU's generic loader)
#   QEMU_UBOOT_BOOT         how `make run-uboot` boots (default: QEMU virt with Debian's
#                           U-Boot as -bios, disk.img on virtio-blk and, with FIT_SIGN, the
#                           control device tree holding the public key as -dtb)
#   UBOOT_FIT_LOAD          with FIT_LOCKED: the fixed boot command's "load" (device,
#                           partition, address: a literal, not an environment variable)
#   UBOOT_FIT_PROBE         with FIT_LOCKED: what that command runs first to find the disk
# Variables: FIT_KEYDIR (default $(BUILD)/keys, where the build makes a development key the
# first time), FIT_KEY (default tessera-dev: $(FIT_KEYDIR)/$(FIT_KEY).key and .crt);
# FIT_LOCKED=1 (with FIT_SIGN) also locks U-Boot's boot command through the same control
# device tree: its /config node's bootcmd (read by U-Boot's main loop, in place of the
# environment's) loads the FIT from a named disk with verify=yes and resets if it is missing
# or refused, so U-Boot runs no boot script and no network boot.  What the tree cannot set
# (the console's autoboot key, an environment stored on the medium, whose bootdelay=-1 or
# preboot would still act: Debian's 2023.01 reads no bootdelay from the tree) takes settings
# of the board's own U-Boot build (README, Verified boot).
# Defines: FIT, BOOT_SCR, BOOT_DISK, UBOOT_KEY_DTB, QEMU_BOOT, QEMU_UBOOT_BOOT, run-uboot.

MKIMAGE ?= mkimage
UBOOT_QEMU_BIOS ?= /usr/lib/u-boot/qemu_arm/u-boot.bin

FIT := $(OUT)/tessera.itb
FIT_ITS := $(OUT)/tessera.its
BOOT_SCR := $(OUT)/boot.scr
BOOT_DISK := $(OUT)/$(if $(UBOOT_SD_FIRMWARE),sd,disk).img
UBOOT_IMAGES := $(FIT) $(BOOT_SCR) $(BOOT_DISK)
FIT_KEYDIR ?= $(BUILD)/keys
FIT_KEY ?= tessera-dev
UBOOT_KEY_DTB := $(if $(FIT_SIGN),$(OUT)/u-boot-control.dtb)
UBOOT_KEY_BASE_DTB := $(or $(UBOOT_DTB),$(if $(UBOOT_DTB_FROM_QEMU),$(OUT)/qemu-machine.dtb))

# A key given is a key to sign with: never a FIT left unsigned in silence (checked for the
# goals that build, not for clean or help).
ifneq ($(filter-out clean help,$(or $(MAKECMDGOALS),all)),)
ifeq ($(FIT_SIGN),)
ifneq ($(filter command line environment,$(origin FIT_KEYDIR) $(origin FIT_KEY)),)
$(error FIT_KEYDIR/FIT_KEY: $(PLATFORM)'s FIT is not signed unless FIT_SIGN=1 (with \
	UBOOT_DTB=<your U-Boot's u-boot.dtb>, to take the public key); see README, Verified boot)
endif
else ifeq ($(UBOOT_KEY_BASE_DTB),)
$(error FIT_SIGN: give UBOOT_DTB=<the u-boot.dtb of a U-Boot built with CONFIG_FIT_SIGNATURE>: \
	the public key goes into a copy of it ($(PLATFORM)'s QEMU machine has no tree of its own))
endif
endif

# FIT_LOCKED: U-Boot's one boot command (tools/image.mk's header).  Nothing in it comes from
# the environment but fdtcontroladdr, which U-Boot sets itself after loading the environment;
# "verify" is set, as a stored environment could say "no".
UBOOT_LOCKED_BOOTCMD = setenv verify yes; $(if $(UBOOT_FIT_PROBE),$(UBOOT_FIT_PROBE); )load $(UBOOT_FIT_LOAD) \
	tessera.itb && bootm $(lastword $(UBOOT_FIT_LOAD))\#tessera - $${fdtcontroladdr}; \
	echo "Tessera: no signed system to start: resetting"; reset
ifneq ($(FIT_LOCKED),)
ifeq ($(FIT_SIGN),)
$(error FIT_LOCKED: locking U-Boot down is for a signed FIT: give FIT_SIGN=1 too)
endif
ifeq ($(UBOOT_FIT_LOAD),)
$(error FIT_LOCKED: $(PLATFORM)'s platform.mk names no UBOOT_FIT_LOAD (device, partition, address))
endif
endif

# The hypervisor's load address, from the board's platform.h.
UBOOT_LOAD_ADDR := $(shell sed -n \
	's/^\#define PLAT_HYP_BASE[[:space:]]*\(0x[0-9A-Fa-f]*\).*/\1/p' platform/$(PLATFORM)/platform.h)

QEMU_BOOT ?= -kernel $(OUT)/tessera.elf
# With -kernel, QEMU's generic loader places the guest images in the image store
# (tools/run-qemu.sh --images); a board that boots through U-Boot sets it empty.
QEMU_IMAGES ?= --images $(OUT)/gen/images.txt
QEMU_UBOOT_BOOT ?= -bios $(UBOOT_QEMU_BIOS) $(if $(UBOOT_KEY_DTB),-dtb $(UBOOT_KEY_DTB)) \
	-drive if=none,file=$(BOOT_DISK),format=raw,id=d0 -device virtio-blk-device,drive=d0

all: $(UBOOT_IMAGES)

# (The Makefile defines GEN after including this file: $(OUT)/gen here, in prerequisites.
# tcfg rewrites images.txt whenever an image changes, so the FIT follows every image.)
$(FIT_ITS): $(OUT)/tessera.bin $(OUT)/tessera.elf $(OUT)/gen/images.txt tools/mkbootimage.sh \
		$(OUT)/.flags/fit
	@$(if $(Q),echo "  ITS     $@")
	$(Q)READELF=$(CROSS)readelf tools/mkbootimage.sh its $(OUT)/tessera.elf $(OUT)/tessera.bin \
		$(UBOOT_LOAD_ADDR) $(OUT)/gen/images.txt "Tessera $(PLATFORM)/$(CONFIG)" \
		$(if $(FIT_SIGN),$(FIT_KEY)) >$@.tmp
	$(Q)mv $@.tmp $@

# A development key, made the first time (never committed: build/ is not).  FIT_KEYDIR= and
# FIT_KEY= name your own instead; nothing is generated there.
$(BUILD)/keys/%.key:
	@mkdir -p $(dir $@)
	@echo "  KEY     $@ (a development RSA-2048 key for signing the FIT)"
	$(Q)openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out $@.tmp 2>/dev/null
	$(Q)mv $@.tmp $@

$(BUILD)/keys/%.crt: $(BUILD)/keys/%.key
	$(Q)openssl req -batch -new -x509 -key $< -out $@ -subj /CN=$* -days 3650

# Files the user names are never made: one that is missing is said so, by its variable, not
# with make's "No rule to make target".
ifneq ($(abspath $(FIT_KEYDIR)),$(abspath $(BUILD)/keys))
$(FIT_KEYDIR)/$(FIT_KEY).key $(FIT_KEYDIR)/$(FIT_KEY).crt:
	$(error FIT_KEYDIR=$(FIT_KEYDIR) FIT_KEY=$(FIT_KEY): there is no $@ (mkimage -k wants \
		$(FIT_KEY).key, the private key, and $(FIT_KEY).crt, its certificate, in that \
		directory; leave FIT_KEYDIR out for a development key made in $(BUILD)/keys))
endif
ifneq ($(UBOOT_DTB),)
$(UBOOT_DTB):
	$(error UBOOT_DTB=$(UBOOT_DTB): no such file (the u-boot.dtb of your U-Boot build))
endif

# The device tree QEMU virt hands its firmware, as QEMU makes it for this machine.
$(OUT)/qemu-machine.dtb: platform/$(PLATFORM)/platform.mk
	@mkdir -p $(dir $@)
	$(Q)qemu-system-arm $(QEMU_MACHINE) -machine dumpdtb=$@ -nographic -nic none \
		2>/dev/null >/dev/null

# mkimage writes the timestamps of SOURCE_DATE_EPOCH: the commit's, so that a rebuild of the
# same tree gives the same image.
FIT_EPOCH = $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
# Which key signs it, tracked (TRACK in the Makefile): another FIT_KEYDIR/FIT_KEY re-signs.
FIT_OPTS = $(FIT_SIGN) | $(FIT_KEYDIR) | $(FIT_KEY) | $(UBOOT_DTB) | $(FIT_LOCKED)
$(eval $(call TRACK,$(OUT)/.flags/fit,FIT_OPTS))
FIT_DATA = $(FIT_ITS) $(OUT)/tessera.bin $(OUT)/.flags/fit
ifneq ($(FIT_SIGN),)
$(FIT) $(UBOOT_KEY_DTB) &: $(FIT_DATA) $(FIT_KEYDIR)/$(FIT_KEY).key $(FIT_KEYDIR)/$(FIT_KEY).crt \
		$(UBOOT_KEY_BASE_DTB)
	@$(if $(Q),echo "  FIT     $@ (signed with $(FIT_KEYDIR)/$(FIT_KEY))")
	$(Q)cp $(UBOOT_KEY_BASE_DTB) $(UBOOT_KEY_DTB).tmp
	$(Q)SOURCE_DATE_EPOCH=$(FIT_EPOCH) $(MKIMAGE) -f $(FIT_ITS) -k $(FIT_KEYDIR) \
		-K $(UBOOT_KEY_DTB).tmp -r $(FIT).tmp >/dev/null
	$(if $(FIT_LOCKED),$(Q)fdtput -p -t s $(UBOOT_KEY_DTB).tmp /config bootcmd \
		'$(UBOOT_LOCKED_BOOTCMD)')
	$(Q)mv $(UBOOT_KEY_DTB).tmp $(UBOOT_KEY_DTB)
	$(Q)mv $(FIT).tmp $(FIT)
else
$(FIT): $(FIT_DATA)
	@$(if $(Q),echo "  FIT     $@")
	$(Q)SOURCE_DATE_EPOCH=$(FIT_EPOCH) $(MKIMAGE) -f $(FIT_ITS) $@.tmp >/dev/null
	$(Q)mv $@.tmp $@
endif

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

$(BOOT_DISK): $(FIT) $(BOOT_SCR) $(UBOOT_SD_FIRMWARE) $(OUT)/disk-firmware.txt \
		tools/mkbootimage.sh
	@$(if $(Q),echo "  DISK    $@")
	$(Q)tools/mkbootimage.sh disk $(if $(UBOOT_SD_FIRMWARE),--firmware $(UBOOT_SD_FIRMWARE)) \
		$@ $(BOOT_SCR) $(FIT)

# The board's U-Boot comes from a Debian package that tools/deps.sh fetches.
# One of your own (UBOOT_SD_FIRMWARE= given) is never fetched: missing, it is said so.
ifneq ($(UBOOT_SD_FIRMWARE),)
$(UBOOT_SD_FIRMWARE):
ifeq ($(origin UBOOT_SD_FIRMWARE),file)
	tools/deps.sh $(UBOOT_SD_FIRMWARE_DEPS)
	@test -f $@ || { echo "image.mk: $@ is not in the package" \
		"($(UBOOT_SD_FIRMWARE_ALTERNATIVES))" >&2; exit 1; }
else
	$(error UBOOT_SD_FIRMWARE=$(UBOOT_SD_FIRMWARE): no such file (your U-Boot's \
		u-boot-sunxi-with-spl.bin))
endif
endif

.PHONY: run-uboot
run-uboot: deps
	@$(MAKE) --no-print-directory all
	@tools/run-qemu.sh $(if $(TIMEOUT),--timeout $(TIMEOUT)) -- $(QEMU_MACHINE) \
		$(QEMU_UBOOT_BOOT)

# Tessera: a static-partitioning hypervisor for ARMv7-A.  `make help` lists the targets.
#
# One Makefile: the hypervisor's object list is here; guests/guests.mk,
# tools/tools.mk and tests/tests.mk add the guests, host tools and host tests.

PLATFORM ?= qemu-virt
CONFIG ?= default
VMID_BITS ?= 8
SELFTEST ?=
UART_BAUD ?=
FIT_LOCKED ?=
TIMEOUT ?=
BUILD ?= build

ifeq ($(wildcard platform/$(PLATFORM)/platform.mk),)
$(error PLATFORM=$(PLATFORM): no such board (have: $(notdir $(wildcard platform/*-*))))
endif

VARIANT := $(CONFIG)$(if $(filter-out 8,$(VMID_BITS)),-vmid$(VMID_BITS))$(if $(SELFTEST),-$(SELFTEST))$(if $(UART_BAUD),-baud$(UART_BAUD))$(if $(FIT_LOCKED),-locked)
OUT := $(BUILD)/$(PLATFORM)/$(VARIANT)
HOST_OUT := $(BUILD)/host
GUEST_OUT := $(BUILD)/guests

CROSS ?= arm-none-eabi-
CC := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
SIZE := $(CROSS)size
HOSTCC ?= gcc
PYTHON ?= python3

# V=1 shows every command.
ifeq ($(V),1)
Q :=
else
Q := @
MAKEFLAGS += --no-print-directory
endif

GIT_DESC := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

.DEFAULT_GOAL := all

# ---- Build options tracked per output --------------------------------------
#
# Every output depends on a small file that holds the options it is built with:
# $(call TRACK,<file>,<variable>) makes <file> hold the value of <variable>, rewritten
# only when that value changes (Linux Kbuild's FORCE + if_changed idea).  A changed
# option (`make GIC_REPOKE_MS=0`, CFLAGS=..., a new compiler) rewrites the file and
# rebuilds what depends on it; an unchanged one leaves it alone, so a second `make`
# rebuilds nothing.  The recipe is make functions only: no shell runs when nothing changed.
# The value is taken where TRACK is called (after everything it names is defined), not in
# the recipe, where it would see the target-specific ISA/OPT of whichever object asked first.
.PHONY: FORCE
FORCE:

# Non-empty when file $(1) is missing or does not hold the words $(2).  (Compared stripped:
# with make 4.3, $(file <) here sometimes kept the file's final newline.)
TRACK_CHANGED = $(subst x$(strip $(2))x,,x$(strip $(file <$(1)))x)$(if $(wildcard $(1)),,missing)
TRACK_WRITE = $(shell mkdir -p $(dir $(1)))$(file >$(1),$(2))
define TRACK
TRACK_TEXT_$(1) := $$($(2))
$(1): FORCE
	$$(if $$(call TRACK_CHANGED,$$@,$$(TRACK_TEXT_$$@)),$$(call TRACK_WRITE,$$@,$$(TRACK_TEXT_$$@)))
endef
include platform/$(PLATFORM)/platform.mk
include tests/tests.mk

# ---- Host tools, guests, the configuration ---------------------------------

include tools/tools.mk
include tools/image.mk
include guests/guests.mk
include guests/linux/linux.mk
include tools/bench.mk

# A system description (configs/<board>/<name>.dts) becomes C tables linked into the
# hypervisor and images.txt, the layout of the image store that holds the guest images
# outside it (tools/tcfg, docs/configuration.md).
GEN := $(OUT)/gen
SYSTEM_DTS := configs/$(PLATFORM)/$(CONFIG).dts
ifeq ($(wildcard $(SYSTEM_DTS)),)
$(error CONFIG=$(CONFIG): no $(SYSTEM_DTS) (have: $(basename $(notdir $(wildcard configs/$(PLATFORM)/*.dts)))))
endif

# The options tcfg and dtc run with: a change regenerates the tables.
TCFG_OPTS = $(TCFG_DTCFLAGS) | --name $(CONFIG) --vmid-bits $(VMID_BITS) --images $(GUEST_OUT)
$(eval $(call TRACK,$(OUT)/.flags/tcfg,TCFG_OPTS))

$(GEN)/platform.dtb: platform/$(PLATFORM)/platform.dts $(OUT)/.flags/tcfg
	@mkdir -p $(dir $@)
	$(Q)dtc $(TCFG_DTCFLAGS) -o $@ $<

# A description may start from another (/include/ "bench.dts", then amend its nodes).
SYSTEM_DTS_ALL := $(SYSTEM_DTS) $(addprefix $(dir $(SYSTEM_DTS)),$(shell sed -n \
	's|^/include/ "\([^"]*\)".*|\1|p' $(SYSTEM_DTS)))

$(GEN)/system.dtb: $(SYSTEM_DTS_ALL) $(OUT)/.flags/tcfg
	@mkdir -p $(dir $@)
	$(Q)dtc $(TCFG_DTCFLAGS) -o $@ $<

# The guest images the description names (tcfg's config.d has them too, after a first run).
CONFIG_IMAGES := $(addprefix $(GUEST_OUT)/,$(sort $(shell sed -n \
	's/^[^/]*\(image\|kernel\|initrd\) = "\([^"]*\)".*/\2/p' $(SYSTEM_DTS_ALL))))
# One that no rule here builds and that is not there (a misspelt name, your own image not yet
# copied in) is left to tcfg, which names the node that wants it; make would only say "No rule
# to make target".
CONFIG_IMAGES := $(filter $(GUEST_BINS) $(GUEST_OUT)/big.bin $(LINUX_OUT)/% \
	$(wildcard $(CONFIG_IMAGES)),$(CONFIG_IMAGES))

$(GEN)/config.c $(GEN)/config_gen.h $(GEN)/images.txt &: $(TCFG) $(GEN)/platform.dtb \
		$(GEN)/system.dtb $(CONFIG_IMAGES) $(OUT)/.flags/tcfg
	@$(if $(Q),echo "  TCFG    $(SYSTEM_DTS)")
	$(Q)$(TCFG) --platform $(GEN)/platform.dtb --system $(GEN)/system.dtb --name $(CONFIG) \
		--vmid-bits $(VMID_BITS) --images $(GUEST_OUT) --out $(GEN)

-include $(GEN)/config.d

.PHONY: memory-map
memory-map: $(TCFG) $(GEN)/platform.dtb $(GEN)/system.dtb $(CONFIG_IMAGES)
	@$(TCFG) --platform $(GEN)/platform.dtb --system $(GEN)/system.dtb --name $(CONFIG) \
		--vmid-bits $(VMID_BITS) --images $(GUEST_OUT) --memory-map

# ---- The hypervisor ---------------------------------------------------------

# Layers, lowest first (docs/design.md): include/ <- platform/ <- mm/, vgic/ <- hyp/ <- boot/.
BOOT_SRCS := boot/entry.S boot/boot.c boot/mmu.c boot/fdt_ram.c
HYP_ARCH_SRCS := hyp/arch/vectors.S hyp/arch/vfp.S hyp/arch/hsr.c hyp/arch/regs.c hyp/arch/spinlock.c \
	hyp/arch/inject.c hyp/arch/cp15.c
HYP_CORE_SRCS := hyp/core/cpu.c hyp/core/timer.c hyp/core/trap.c hyp/core/fault.c \
	hyp/core/vcpu.c hyp/core/partition.c hyp/core/guest_mem.c hyp/core/smccc.c \
	hyp/core/hypercall.c hyp/core/psci.c hyp/core/log.c hyp/core/fmt.c hyp/core/panic.c \
	hyp/core/stats.c hyp/core/sha256.c hyp/core/memset.c
HYP_DEV_SRCS := hyp/dev/mmio.c hyp/dev/mmio_emulate.c hyp/dev/vgpio.c hyp/dev/vuart.c hyp/dev/console.c hyp/dev/monitor.c
HYP_SRCS := $(HYP_ARCH_SRCS) $(HYP_CORE_SRCS) $(HYP_DEV_SRCS)
MM_SRCS := mm/cache.S mm/pt.c mm/stage2.c mm/vmid.c mm/hyp_map.c
VGIC_SRCS := vgic/gic.c vgic/vgic.c vgic/fast.c vgic/vgicd.c
SRCS := $(BOOT_SRCS) $(HYP_SRCS) $(MM_SRCS) $(VGIC_SRCS) $(PLAT_SRCS)
OBJS := $(addprefix $(OUT)/obj/,$(addsuffix .o,$(SRCS))) $(GEN)/config.o

# Headers are named from the tree's root ("hyp/core/cpu.h", "mm/mm.h") or from include/
# ("arch/sysreg.h"); platform.h is the board's, config_gen.h the configuration's.
HYP_INCLUDES := -Iinclude -I. -Iplatform/$(PLATFORM) -I$(GEN)
ARCH_FLAGS := -march=armv7ve -mfloat-abi=soft -mno-unaligned-access
WARN_FLAGS := -Wall -Wextra -Werror -Wshadow -Wconversion -Wmissing-prototypes \
	-Wstrict-prototypes -Wvla
CFLAGS := $(ARCH_FLAGS) $(WARN_FLAGS) -std=c11 -ffreestanding -g -fno-common \
	-ffunction-sections -fdata-sections -fno-unwind-tables -fno-asynchronous-unwind-tables \
	-fstack-usage $(HYP_INCLUDES) \
	-DVMID_BITS=$(VMID_BITS) \
	$(if $(UART_BAUD),-DUART_BAUD=$(UART_BAUD)U) \
	$(if $(GIC_REPOKE_MS),-DPLAT_GIC_REPOKE_MS=$(GIC_REPOKE_MS) -DPLAT_GIC_REPOKE_FORCED) \
	$(if $(SELFTEST),-DSELFTEST_$(shell echo $(SELFTEST) | tr a-z- A-Z_)=1)
# Built for size: C is Thumb-2 (a third smaller than ARM code) at -Os.  Two exceptions, each
# worth its bytes on a hot path (make bench, docs/bench.md): the list-register engine's fast
# paths (vgic/fast.c: SGIs, doorbells, timers, passthrough SPIs; its general path, vgic.c,
# is -Os) and the trap's MMIO fast paths, which every injection and distributor trap runs
# through, at -O2 (-Os costs 15% there; the data abort trap, mmio_trap_dabt, is in mmio.c for that reason;
# vgicd.c's common accesses are inline in those or in vgicd_write_word_fast,
# vgicd_write_byte_fast and vgicd_sgir, where -O2 gains a few instructions for some 300
# bytes), and SHA-256, which
# checks every guest image at boot (35 instructions a byte); and the CP15 trap's fast path
# (ACTLR), one function in ARM state (hyp/arch/cp15.c).  Assembly is ARM state:
# exceptions are taken in ARM (HSCTLR.TE = 0), and the linker makes the calls interwork.
# Code built for size shares one spin_lock/spin_unlock (include/arch/spinlock.h); a file in
# OWN_LOCK_SRCS would keep copies of its own, as the -O2 files do, for a lock on a measured
# path, where a call to the shared copy costs a register move each (the caller cannot know
# which registers a weak function leaves alone).  None needs it now: the distributor's SGI
# path (vgicd_sgir) takes no lock.
ISA := -mthumb
OPT := -Os
O2_SRCS := vgic/fast.c hyp/dev/mmio.c hyp/core/sha256.c
OWN_LOCK_SRCS :=
$(addprefix $(OUT)/obj/,$(addsuffix .o,$(O2_SRCS))): OPT := -O2
# The other files of the measured paths (-Os, no LTO) drop two of COLD_OPT's passes (below):
# .text -72 bytes (vgic.c's, below, included), every measured path the same, boot +0.05%.  The rest of COLD_OPT changed
# distributor writes' counts (-fno-expensive-optimizations: GICD_ISENABLER +5) or gained nothing.
MEASURED_OS_SRCS := hyp/core/cpu.c hyp/core/trap.c hyp/core/smccc.c vgic/gic.c vgic/vgicd.c
$(addprefix $(OUT)/obj/,$(addsuffix .o,$(MEASURED_OS_SRCS))): OPT := -Os -fno-schedule-insns2 \
	-fno-move-loop-invariants
# The vGIC's general path (vgic.c; its fast paths are fast.c's) takes all of COLD_OPT's options
# but three, which save bytes there: loop header copying, the "expensive" passes and sibling
# calls stay on (.text -76 bytes more; every measured path the same).
$(OUT)/obj/vgic/vgic.c.o: OPT := -Os -fno-move-loop-invariants -fno-tree-loop-im \
	-fno-schedule-insns2 -fno-tree-tail-merge -fno-ipa-cp -fno-if-conversion \
	-fno-guess-branch-probability
$(addprefix $(OUT)/obj/,$(addsuffix .o,$(OWN_LOCK_SRCS))): OPT := -Os -DSPINLOCK_INLINE
# Link-time optimisation (-flto) for the code that runs at boot, on a partition's start or stop,
# on faults and for the console, and for the CP15 traps, guest registers and VMIDs, whose
# measured paths it leaves as they were: one call site functions are inlined across files and
# their arguments propagated (.text -480 bytes).  The emulated UART (vuart.c) and the console's
# UART driver too: the UART's measured path, the FR read, is answered in mmio.c from vuart.h.
# Not for the other files of the measured paths (trap and interrupt dispatch, the vGIC, the
# hypercall dispatch in smccc.c): under LTO their instruction counts moved (make bench);
# hypercall.c holds the calls none of them takes.  vcpu.c and timer.c are in: their measured
# parts (the requests before a return to the guest, the Hyp timer's programming) kept every
# count (make bench).  The configuration's tables (gen/config.c) too: the LTO code reads them
# as the constants they are.  The link
# compiles these objects, in one unit whose stack usage goes to $(OUT)/obj/ltrans0.ltrans.su,
# where the stack gate reads it.
LTO_SRCS := boot/boot.c boot/mmu.c boot/fdt_ram.c hyp/arch/hsr.c hyp/arch/inject.c hyp/arch/regs.c \
	hyp/arch/cp15.c hyp/core/partition.c hyp/core/fault.c hyp/core/psci.c hyp/core/log.c \
	hyp/core/fmt.c hyp/core/panic.c hyp/core/stats.c hyp/core/guest_mem.c hyp/core/hypercall.c \
	hyp/core/vcpu.c hyp/core/timer.c hyp/dev/console.c \
	hyp/dev/mmio_emulate.c hyp/dev/monitor.c hyp/dev/vgpio.c hyp/dev/vuart.c mm/pt.c \
	mm/stage2.c mm/vmid.c mm/hyp_map.c $(PLAT_SRCS)
# These files are mostly cold code (of the measured paths, the doorbell's partition_ring, the
# requests vcpu.c serves before a return and timer.c's Hyp timer programming are here), and -Os alone still trades bytes for speed in places: COLD_OPT turns off what,
# measured one by one on the every-feature system, made them larger: moving loop invariants
# out of loops and copying loop headers (a loop runs an instruction or two more a pass),
# instruction scheduling, tail merging as GCC 12 does it, constant-propagated clones,
# if-conversion, the "expensive" RTL passes, branch-probability guesses and sibling calls
# (each tail call needs an epilogue of its own before its branch; calls share one return).
# Together .text -360 bytes; the default system's boot +0.3% (make bench); every measured
# path the same: partition_ring, on the doorbell's, keeps its tail call (2 instructions a
# ring) with an attribute.  The link (LDFLAGS) compiles these objects, so it is given the same options.
COLD_OPT := -Os -fno-move-loop-invariants -fno-tree-loop-im -fno-tree-ch -fno-schedule-insns2 \
	-fno-tree-tail-merge -fno-ipa-cp -fno-if-conversion \
	-fno-expensive-optimizations -fno-guess-branch-probability -fno-optimize-sibling-calls
$(addprefix $(OUT)/obj/,$(addsuffix .o,$(LTO_SRCS))): OPT := $(COLD_OPT) -flto
ASFLAGS := $(ARCH_FLAGS) -marm -g $(HYP_INCLUDES) -D__ASSEMBLER__
# --no-fix-cortex-a8: ld's default for ARMv7-A puts a stub after any 32-bit Thumb-2 branch
# that straddles a 4 KiB page (Cortex-A8 erratum 657417); the A8 has no Virtualization
# Extensions, so no Tessera core has it, and a stub is bytes and a branch more wherever the
# layout happens to put one (on a measured path too).
LDFLAGS := $(ARCH_FLAGS) -nostdlib -Wl,--gc-sections -Wl,--no-warn-rwx-segments \
	-Wl,--no-fix-cortex-a8 \
	-Wl,-Map,$(OUT)/tessera.map -flto -mthumb $(COLD_OPT) -g -fstack-usage -dumpdir $(OUT)/obj/
# From the C library the hypervisor takes nothing now (memcpy is mm/cache.S's, memset
#'s); libgcc has whatever helper another compiler version might call (this
# one calls none).
LDLIBS := -lc -lgcc
LDS_CPPFLAGS := -E -P -x c -Iplatform/$(PLATFORM)

# What the objects, the link and the linker script are built with (TRACK above): a change
# to any of these, on the command line or here, rebuilds exactly what it affects.
HYP_CC_OPTS = $(CC) | $(CFLAGS) | $(ISA) $(OPT) | $(ASFLAGS)
HYP_LD_OPTS = $(CC) | $(LDFLAGS) | $(LDLIBS)
HYP_LDS_OPTS = $(CC) | $(LDS_CPPFLAGS)
$(eval $(call TRACK,$(OUT)/.flags/cc,HYP_CC_OPTS))
$(eval $(call TRACK,$(OUT)/.flags/ld,HYP_LD_OPTS))
$(eval $(call TRACK,$(OUT)/.flags/lds,HYP_LDS_OPTS))
$(OBJS): Makefile $(OUT)/.flags/cc

# The version boot/boot.c prints, from `git describe --always --dirty`: a header of its own,
# rewritten only when the description changes, so that a new commit or a dirty tree
# recompiles boot.c alone.
HASH := \#
VERSION_H = /* generated by the Makefile */ $(HASH)define TESSERA_GIT "$(GIT_DESC)"
$(eval $(call TRACK,$(GEN)/version.h,VERSION_H))
$(OUT)/obj/boot/boot.c.o: $(GEN)/version.h

.PHONY: all hyp guests
# QEMU_DEPS_<config>: files `make run` of that system needs besides the image (a disk).
all: hyp $(QEMU_DEPS_$(CONFIG))
hyp: $(OUT)/tessera.elf $(OUT)/tessera.bin $(GEN)/images.txt
guests: $(GUEST_BINS)

# An LTO object's stack usage comes from the link: a .su of an earlier build of it goes.
$(OUT)/obj/%.c.o: %.c | $(GEN)/config_gen.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) $(ISA) $(OPT) -MMD -MP -c $< -o $@$(if $(filter -flto,$(OPT)), && \
		rm -f $(@:.o=.su))

$(OUT)/obj/%.S.o: %.S | $(GEN)/config_gen.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(ASFLAGS) -MMD -MP -c $< -o $@

$(GEN)/config.o: $(GEN)/config.c $(GEN)/config_gen.h
	$(Q)$(CC) $(CFLAGS) $(ISA) $(OPT) -flto -c $< -o $@

$(OUT)/linker.ld: linker.ld platform/$(PLATFORM)/platform.h $(OUT)/.flags/lds
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDS_CPPFLAGS) $< -o $@

$(OUT)/tessera.elf: $(OBJS) $(OUT)/linker.ld $(OUT)/.flags/ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -T $(OUT)/linker.ld $(OBJS) $(LDLIBS) -o $@
	@$(SIZE) $@ | tail -1 | awk '{ printf "  %s: text %d, data %d, bss %d bytes\n", "$@", $$1, $$2, $$3 }'

$(OUT)/tessera.bin: $(OUT)/tessera.elf
	$(Q)$(OBJCOPY) -O binary $< $@

-include $(OBJS:.o=.d)

# ---- Running it -------------------------------------------------------------

.PHONY: deps run debug
deps:
	@tools/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@tools/run-qemu.sh $(if $(TIMEOUT),--timeout $(TIMEOUT)) $(if $(filter 1,$(V)),--show) $(QEMU_IMAGES) -- \
		$(QEMU_MACHINE) $(QEMU_BOOT) $(QEMU_ARGS_$(CONFIG)) $(QEMU_EXTRA)

# The machine 'make run' boots, with the configuration's own QEMU arguments (a disk, say).
debug: deps
	@$(MAKE) --no-print-directory all
	@tools/debug.sh $(OUT)/tessera.elf $(QEMU_MACHINE) $(QEMU_BOOT) $(QEMU_ARGS_$(CONFIG)) \
		$(QEMU_EXTRA) $(if $(QEMU_IMAGES),$$(tools/run-qemu.sh --loader-args $(GEN)/images.txt))

# ---- Tests and checks -------------------------------------------------------

.PHONY: test check-format format cppcheck host-checks-build
test: deps
	@$(PYTHON) tests/run.py $(if $(T),-k '$(T)')

# Host programs the checks need built (tools.mk adds the config compiler).
host-checks-build: $(HOST_CHECKS_DEPS)

C_SOURCES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
check-format:
	@clang-format --dry-run -Werror $(C_SOURCES) && echo "check-format: clean"

format:
	@clang-format -i $(C_SOURCES)

cppcheck:
	@cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability \
		--inline-suppr --suppressions-list=tools/cppcheck.supp \
		-D__arm__ -DPLAT_CPU_COUNT=4 -Iinclude -I. -Iplatform/$(PLATFORM) \
		include boot hyp mm vgic platform && echo "cppcheck: clean"

.PHONY: clean help
clean:
	rm -rf $(BUILD)

help:
	@echo "Tessera targets (PLATFORM=$(PLATFORM) CONFIG=$(CONFIG)):"
	@echo "  make              build the hypervisor ($(OUT)/tessera.elf and .bin), the image"
	@echo "                    store listing (gen/images.txt), tessera.itb (FIT), boot.scr, disk image"
	@echo "  make run          boot it under QEMU (interactive; TIMEOUT=10 to stop after 10 s;"
	@printf '%s\n' "                    input from a pipe works too: printf '\\024l' | make run TIMEOUT=5)"
	@echo "  make run-uboot    boot it under QEMU through U-Boot from $(BOOT_DISK)"
	@echo "  make debug        QEMU halted with its gdb stub (GDB_PORT, 1234), and gdb-multiarch on the ELF"
	@echo "  make test         host unit tests, config tests and QEMU integration tests"
	@echo "  make memory-map   the physical memory map of the configuration: who owns what"
	@echo "  make config-tests the configuration compiler's tests alone (tests/config)"
	@echo "  make check-format clang-format check of every C file"
	@echo "  make format       clang-format -i of every C file (what check-format wants)"
	@echo "  make cppcheck     static analysis of the hypervisor"
	@echo "  make clang-tidy   clang-tidy (.clang-tidy) on the hypervisor, as the target compiles it"
	@echo "  make fuzz         libFuzzer targets for FUZZ_SECONDS (300) each (docs/assurance.md);"
	@echo "                    make fuzz-merge folds what they found into tests/fuzz/corpus"
	@echo "  make coverage     line coverage of the hypervisor by the host tests and fuzz corpora"
	@echo "  make stack-report worst-case Hyp stack depth of the ELF against HYP_STACK_SIZE"
	@echo "  make no-heap      checks the ELF has no heap (no malloc, no sbrk)"
	@echo "  make hyp-own      the hypervisor's own size, as tcfg counts it (--hyp-own)"
	@echo "  make bench        path lengths beside bare QEMU and Xen 4.17 (docs/bench.md;"
	@echo "                    BENCH_RUNS=2 runs, which must agree)"
	@echo "  make deps         install the Debian packages the build needs"
	@echo "  make clean        remove $(BUILD)/"
	@echo "Variables: PLATFORM=<board> (platform/*), CONFIG=<name> (configs/<board>/<name>.dts),"
	@echo "  VMID_BITS=<n> (default 8), SELFTEST=<name> (test builds), TIMEOUT=<seconds>,"
	@echo "  GIC_REPOKE_MS=<ms> (QEMU GIC workaround tick; default: on only where QEMU's GIC is"
	@echo "  found at boot; 0: never, <ms>: always), UART_BAUD=<baud> (the console UART paced"
	@echo "  as a board's at that rate, 16-byte FIFO, for tests), V=1 (show commands, QEMU's too),"
	@echo "  QEMU_EXTRA='<args>' (more QEMU arguments for run and debug: '-s -S' for gdb),"
	@echo "  CFLAGS=... (the hypervisor's compiler flags), UBOOT_SUNXI_BOARD=<board> (H3: the"
	@echo "  u-boot-sunxi build on the disk image; default nanopi_neo), UBOOT_SD_FIRMWARE=<file>"
	@echo "  (H3: your own u-boot-sunxi-with-spl.bin on sd.img at 8 KiB instead),"
	@echo "  T=<regex> (make test: only the matching cases), FIT_KEYDIR=<dir> FIT_KEY=<name> (sign"
	@echo "  the FIT with <dir>/<name>.key and .crt; default: a development key made in $(BUILD)/keys),"
	@echo "  FIT_SIGN=1 UBOOT_DTB=<u-boot.dtb> (sign on a board whose QEMU machine has no device"
	@echo "  tree, H3: the key goes into a copy of your U-Boot's tree, u-boot-control.dtb),"
	@echo "  FIT_LOCKED=1 (with FIT_SIGN: that tree also fixes U-Boot's boot command: no boot"
	@echo "  script, no network, verify forced; README, Verified boot)"

# Fuzzing, coverage, stack depth and clang-tidy (docs/assurance.md).
include tests/fuzz/fuzz.mk

# Every host test program, the guest library's and the RTOS's (guests/guests.mk) and the fuzz
# harness's (tests/fuzz/fuzz.mk) included: here, after every include has added to HOST_TESTS.
.PHONY: host-tests
host-tests: $(HOST_TESTS)

# Guest software: the guest support library (guests/lib), the RTOS (guests/rtos), and the host
# unit tests of the RTOS kernel and of the host-safe library modules.
#
# Included by the top-level Makefile, which sets CROSS, GUEST_OUT, HOST_OUT and HOSTCC.
# Provides GUEST_PROGRAM (one line per guest), GUEST_BINS and HOST_TESTS.

GUEST_CC := $(CROSS)gcc
GUEST_AR := $(CROSS)ar
GUEST_OBJCOPY := $(CROSS)objcopy

# Thumb-2 for C (newlib's thumb/v7-a/nofp multilib); start.S is ARM code.  No unaligned
# accesses from our code: they fault on Device/Strongly-ordered memory (MMU off).
GUEST_ARCH_FLAGS := -mthumb -march=armv7-a -mfloat-abi=soft
GUEST_WARNINGS := -Wall -Wextra -Werror -Wshadow -Wconversion -Wmissing-prototypes \
	-Wstrict-prototypes -Wvla
GUEST_CFLAGS := $(GUEST_ARCH_FLAGS) -mno-unaligned-access -std=c11 -O2 -g \
	-ffunction-sections -fdata-sections $(GUEST_WARNINGS) -Iguests/lib -Iinclude
GUEST_ASFLAGS := $(GUEST_ARCH_FLAGS) -g -Iguests/lib -Iinclude
GUEST_LDFLAGS := $(GUEST_ARCH_FLAGS) -nostartfiles -T guests/lib/guest.ld -Wl,--gc-sections
# libguest.a and newlib refer to each other (_write, _sbrk...): one link group.
GUEST_LDLIBS = -Wl,--start-group $(GUEST_LIB) -lc -lgcc -Wl,--end-group

# ---- guests/lib: libguest.a plus start.o (linked explicitly: it holds the entry point) ----

GUEST_LIB_SRCS := guests/lib/bootargs.c guests/lib/channel.c guests/lib/exc.c \
	guests/lib/fdt.c guests/lib/gic.c guests/lib/gtimer.c guests/lib/guest.c \
	guests/lib/mmu.c guests/lib/pl011.c guests/lib/psci.c guests/lib/syscalls.c \
	guests/lib/tessera.c
GUEST_LIB_OBJS := $(patsubst guests/lib/%.c,$(GUEST_OUT)/obj/lib/%.o,$(GUEST_LIB_SRCS))
GUEST_START_OBJ := $(GUEST_OUT)/obj/lib/start.o
GUEST_LIB := $(GUEST_OUT)/libguest.a
GUEST_LD_SCRIPT := guests/lib/guest.ld

# What guest objects and links are built with, tracked (TRACK in the Makefile): a changed
# flag or tool rebuilds the guest images, and through them the configurations that hold them.
GUEST_CC_OPTS = $(GUEST_CC) | $(GUEST_CFLAGS) | $(GUEST_ASFLAGS) | $(GUEST_AR)
GUEST_LD_OPTS = $(GUEST_CC) | $(GUEST_LDFLAGS) | $(GUEST_LDLIBS) | $(GUEST_OBJCOPY)
$(eval $(call TRACK,$(GUEST_OUT)/.flags/cc,GUEST_CC_OPTS))
$(eval $(call TRACK,$(GUEST_OUT)/.flags/ld,GUEST_LD_OPTS))

$(GUEST_OUT)/obj/lib/%.o: guests/lib/%.c $(GUEST_OUT)/.flags/cc
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(GUEST_START_OBJ): guests/lib/start.S $(GUEST_OUT)/.flags/cc
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(GUEST_CC) $(GUEST_ASFLAGS) -MMD -MP -c $< -o $@

$(GUEST_LIB): $(GUEST_LIB_OBJS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@
	$(Q)$(GUEST_AR) rcs $@ $(GUEST_LIB_OBJS)

-include $(GUEST_LIB_OBJS:.o=.d) $(GUEST_START_OBJ:.o=.d)

# ---- GUEST_PROGRAM(name, sources, extra cflags) ----
#
# Builds $(GUEST_OUT)/name.elf (and .map) and $(GUEST_OUT)/name.bin (objcopy -O binary, to
# load at 0x40000000) from C and assembly sources compiled with the extra flags, linked with
# start.o, libguest.a and newlib.  Objects are per program, so two programs can build the same
# sources with different flags.  Example:
#   $(eval $(call GUEST_PROGRAM,hello,guests/hello/hello.c,-DGREETING=1))
define GUEST_PROGRAM
$(1)_OBJS := $$(patsubst %,$$(GUEST_OUT)/obj/$(1)/%.o,$$(basename $(2)))

$$($(1)_OBJS): GUEST_PROGRAM_FLAGS := $(3)
GUEST_OPTS_$(1) := $(3)
$$(eval $$(call TRACK,$$(GUEST_OUT)/.flags/$(1),GUEST_OPTS_$(1)))
$$($(1)_OBJS): $$(GUEST_OUT)/.flags/cc $$(GUEST_OUT)/.flags/$(1)

$$(GUEST_OUT)/obj/$(1)/%.o: %.c
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  CC      $$<")
	$$(Q)$$(GUEST_CC) $$(GUEST_CFLAGS) $$(GUEST_PROGRAM_FLAGS) -MMD -MP -c $$< -o $$@

$$(GUEST_OUT)/obj/$(1)/%.o: %.S
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  AS      $$<")
	$$(Q)$$(GUEST_CC) $$(GUEST_ASFLAGS) $$(GUEST_PROGRAM_FLAGS) -MMD -MP -c $$< -o $$@

$$(GUEST_OUT)/$(1).elf: $$(GUEST_START_OBJ) $$($(1)_OBJS) $$(GUEST_LIB) $$(GUEST_LD_SCRIPT) \
		$$(GUEST_OUT)/.flags/ld
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(GUEST_CC) $$(GUEST_LDFLAGS) -Wl,-Map,$$(GUEST_OUT)/$(1).map -o $$@ \
		$$(GUEST_START_OBJ) $$($(1)_OBJS) $$(GUEST_LDLIBS)

$$(GUEST_OUT)/$(1).bin: $$(GUEST_OUT)/$(1).elf $$(GUEST_OUT)/.flags/ld
	@$$(if $$(Q),echo "  BIN     $$@")
	$$(Q)$$(GUEST_OBJCOPY) -O binary $$< $$@

GUEST_ELFS += $$(GUEST_OUT)/$(1).elf

-include $$($(1)_OBJS:.o=.d)
endef

# ---- the RTOS: one set of sources, two images ----

RTOS_KERNEL_SRCS := guests/rtos/kernel/sched.c guests/rtos/kernel/timerlist.c \
	guests/rtos/kernel/sem.c guests/rtos/kernel/mutex.c guests/rtos/kernel/queue.c
RTOS_ARM_SRCS := $(RTOS_KERNEL_SRCS) guests/rtos/port/arm/port.c guests/rtos/port/arm/switch.S \
	guests/rtos/app/main.c guests/rtos/app/demo.c guests/rtos/app/producer.c \
	guests/rtos/app/consumer.c guests/rtos/app/link.c guests/rtos/app/selftest.c guests/rtos/app/app.c
RTOS_ARM_FLAGS := -Iguests/rtos -Iguests/rtos/kernel -Iguests/rtos/port/arm

# rtos.elf: role from /chosen/bootargs, the local demo without a device tree.
$(eval $(call GUEST_PROGRAM,rtos,$(RTOS_ARM_SRCS),$(RTOS_ARM_FLAGS)))
# rtos-test.elf: the same, with "test" as bootargs when there is no device tree.
RTOS_TEST_FLAGS := $(RTOS_ARM_FLAGS) -DRTOS_DEFAULT_BOOTARGS='"test"'
$(eval $(call GUEST_PROGRAM,rtos-test,$(RTOS_ARM_SRCS),$(RTOS_TEST_FLAGS)))

GUEST_BINS += $(GUEST_OUT)/rtos.bin $(GUEST_OUT)/rtos-test.bin

# ---- host unit tests ----

GUEST_HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes \
	-Wstrict-prototypes -Itests/unit
RTOS_HOST_SRCS := $(RTOS_KERNEL_SRCS) guests/rtos/port/host/port.c
RTOS_HOST_FLAGS := -Iguests/rtos -Iguests/rtos/kernel -Iguests/rtos/port/host

RTOS_HOST_TESTS := $(patsubst %,$(HOST_OUT)/tests/rtos_%_test,sched sem mutex queue timer)
GUEST_LIB_HOST_TESTS := $(patsubst %,$(HOST_OUT)/tests/guest_%_test,fdt bootargs channel)

# The library tests run under AddressSanitizer and UBSan, the RTOS tests under UBSan only:
# ASan does not follow the host port's ucontext stack switches.  Empty these to drop them.
GUEST_HOST_SANITIZE ?= -fsanitize=address,undefined -fno-sanitize-recover=all
RTOS_HOST_SANITIZE ?= -fsanitize=undefined -fno-sanitize-recover=all

GUEST_HOST_TEST_OPTS = $(HOSTCC) | $(GUEST_HOST_CFLAGS) | $(GUEST_HOST_SANITIZE) | \
	$(RTOS_HOST_SANITIZE) | $(RTOS_HOST_FLAGS)
$(eval $(call TRACK,$(HOST_OUT)/.flags/guest-tests,GUEST_HOST_TEST_OPTS))

$(RTOS_HOST_TESTS): $(HOST_OUT)/tests/rtos_%_test: tests/unit/rtos_%_test.c $(RTOS_HOST_SRCS) \
		$(HOST_OUT)/.flags/guest-tests
	@mkdir -p $(@D)
	$(HOSTCC) $(GUEST_HOST_CFLAGS) $(RTOS_HOST_SANITIZE) $(RTOS_HOST_FLAGS) -MMD -MP \
		-MF $@.d -o $@ $< $(RTOS_HOST_SRCS)

$(GUEST_LIB_HOST_TESTS): $(HOST_OUT)/tests/guest_%_test: tests/unit/guest_%_test.c \
		guests/lib/%.c $(HOST_OUT)/.flags/guest-tests
	@mkdir -p $(@D)
	$(HOSTCC) $(GUEST_HOST_CFLAGS) $(GUEST_HOST_SANITIZE) -Iguests/lib -Iinclude -MMD -MP -MF $@.d \
		-o $@ $< guests/lib/$*.c

-include $(RTOS_HOST_TESTS:=.d) $(GUEST_LIB_HOST_TESTS:=.d)

HOST_TESTS += $(RTOS_HOST_TESTS) $(GUEST_LIB_HOST_TESTS)

# ---- the test guest (guests/test): cases chosen by bootargs, for tests/qemu ----

TESTGUEST_SRCS := guests/test/testguest.c guests/test/tg_asm.S guests/test/cases_memory.c \
	guests/test/cases_psci.c guests/test/cases_irq.c guests/test/cases_hypercall.c \
	guests/test/cases_hostile.c guests/test/tg_asm_hostile.S guests/test/cases_console.c \
	guests/test/cases_ops.c guests/test/cases_pmu.c
$(eval $(call GUEST_PROGRAM,testguest,$(TESTGUEST_SRCS),-Iguests/test))
GUEST_BINS += $(GUEST_OUT)/testguest.bin

# ---- the bench guest (guests/bench): path lengths for make bench (tools/bench.mk) ----

$(eval $(call GUEST_PROGRAM,bench,guests/bench/bench.c guests/bench/noisy.c guests/bench/bench_asm.S,-Iguests/bench))
GUEST_BINS += $(GUEST_OUT)/bench.bin

# ---- xip.bin: an execute-in-place blob for the read-only region at IPA 0 ----

$(GUEST_OUT)/obj/xip.o: guests/test/xip.S $(GUEST_OUT)/.flags/cc
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(GUEST_CC) $(GUEST_ASFLAGS) -c $< -o $@

$(GUEST_OUT)/xip.bin: $(GUEST_OUT)/obj/xip.o $(GUEST_OUT)/.flags/ld
	@$(if $(Q),echo "  BIN     $@")
	$(Q)$(GUEST_OBJCOPY) -O binary -j .text $< $@

GUEST_BINS += $(GUEST_OUT)/xip.bin

# ---- big.bin: 17 MiB of data, an image larger than the hypervisor's whole 16 MiB region
# (configs/qemu-virt/test-store.dts): guest images live in the image store, not in it.

$(GUEST_OUT)/big.bin:
	@mkdir -p $(@D)
	@$(if $(Q),echo "  GEN     $@")
	$(Q)yes 'Tessera image store: a guest image larger than the hypervisor region.' | \
		head -c 17825792 >$@.tmp
	$(Q)mv $@.tmp $@

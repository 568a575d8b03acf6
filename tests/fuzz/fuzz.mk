# Assurance targets, included by the top-level Makefile (docs/assurance.md):
#
#   make fuzz          every fuzz target for FUZZ_SECONDS (default 300) each, FUZZ_JOBS at once
#   make fuzz-build    the libFuzzer binaries (clang, ASan + UBSan) in $(FUZZ_OUT)/bin
#   make fuzz-merge    add what `make fuzz` found that covers new code to tests/fuzz/corpus
#   make coverage      line coverage of the hypervisor by the unit tests and the corpora
#   make stack-report  worst-case Hyp stack depth of $(OUT)/tessera.elf against HYP_STACK_SIZE
#   make no-heap       no allocator, heap or undefined symbol in $(OUT)/tessera.elf
#   make hyp-own       the hypervisor's own size within what tcfg counts for it (--hyp-own)
#   make clang-tidy    clang-tidy with .clang-tidy on boot/ hyp/ mm/ vgic/ platform/
#
# `make test` runs a short, fixed-seed fuzz run of every target (tests/fuzz/run_fuzz.py,
# from tests/run.py) and the gates of tests/checks.py.
#
# The fuzz targets build the hypervisor's own sources for the host on the fake architecture
# layer of tests/fake (-DTESSERA_HOST_FAKE).

FUZZ_OUT := $(BUILD)/fuzz
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 300
FUZZ_JOBS ?= 2
FUZZ_TARGETS := trap mmio smccc vgic vuart tcfg
COV_OUT := $(BUILD)/coverage
SYS_TEST_OUT := $(HOST_OUT)/sys

# Common to the libFuzzer and the coverage builds.
FUZZ_HOST_FLAGS := -std=gnu11 -g -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
	-DTESSERA_HOST_FAKE -DVMID_BITS=2 -DTESSERA_GIT=\"host-fake\" \
	-Iinclude -I. -Iplatform/qemu-virt -Itests/fake -Itests/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := $(FUZZ_HOST_FLAGS) -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_LDFLAGS := $(FUZZ_SAN) -fsanitize=fuzzer

# Hypervisor sources the system targets run: the Makefile's C sources of hyp/, mm/ and vgic/
# but those bound to the hardware, which tests/fake stands in for (panic.c: stopping the CPU;
# gic.c: MMIO).
FUZZ_NOT_HOST := hyp/core/panic.c vgic/gic.c
FUZZ_HYP_SRCS := $(filter-out $(FUZZ_NOT_HOST),$(filter %.c,$(HYP_SRCS) $(MM_SRCS) $(VGIC_SRCS)))
FUZZ_FAKE_SRCS := tests/fake/fake_arch.c tests/fake/fake_platform.c tests/fake/fake_config.c \
	tests/fuzz/fuzz_sys.c tests/fuzz/vgic_check.c
# tests/unit/fake_gic.c in a system build: hyp/core/cpu.c provides the hooks it also defines.
FUZZ_GIC_RENAME := -Dvgic_kick=fake_gic_kick_unused -Dvgic_ipi=fake_gic_ipi_unused -Dvgic_this_pcpu=fake_gic_this_pcpu_unused \
	-Dvgic_warn=fake_gic_warn_unused
FUZZ_TCFG_SRCS := $(filter-out tools/tcfg/main.c,$(wildcard tools/tcfg/*.c))

FUZZ_SYS_OBJS = $(addsuffix .o,$(FUZZ_HYP_SRCS) $(FUZZ_FAKE_SRCS)) \
	tests/unit/fake_gic.c.sys.o
FUZZ_OBJS_trap = $(FUZZ_SYS_OBJS) tests/fuzz/fuzz_trap.c.o
FUZZ_OBJS_mmio = $(FUZZ_SYS_OBJS) tests/fuzz/fuzz_mmio.c.o
FUZZ_OBJS_smccc = $(FUZZ_SYS_OBJS) tests/fuzz/fuzz_smccc.c.o
FUZZ_OBJS_vgic = vgic/vgic.c.o vgic/fast.c.o vgic/vgicd.c.o tests/unit/fake_gic.c.o tests/fuzz/vgic_check.c.o \
	tests/fuzz/fuzz_vgic.c.o
# The vuart target includes hyp/dev/console.c (tests/fuzz/fuzz_vuart.c) and wraps vuart.c's calls into it.
FUZZ_OBJS_vuart = hyp/dev/vuart.c.o hyp/core/fmt.c.o tests/fuzz/fuzz_vuart.c.o
FUZZ_OBJS_tcfg = $(addsuffix .tcfg.o,$(FUZZ_TCFG_SRCS)) tests/fuzz/fuzz_tcfg.c.o \
	gen/board_dtb.c.o
FUZZ_LIBS_tcfg := -lfdt
FUZZ_LIBS_vuart := -Wl,--wrap=console_guest_line
FUZZ_SYS_LIBS := -Wl,--wrap=vmid_prepare_entry -Wl,--wrap=console_hyp_line -Wl,--wrap=console_guest_line
FUZZ_LIBS_trap := $(FUZZ_SYS_LIBS)
FUZZ_LIBS_mmio := $(FUZZ_SYS_LIBS)
FUZZ_LIBS_smccc := $(FUZZ_SYS_LIBS)

FUZZ_BINS := $(addprefix $(FUZZ_OUT)/bin/,$(FUZZ_TARGETS))

.PHONY: fuzz fuzz-build fuzz-merge coverage stack-report no-heap hyp-own clang-tidy
fuzz-build: $(FUZZ_BINS)

# run_fuzz.py builds the targets itself, or says SKIP when clang or libFuzzer is missing.
fuzz:
	@$(PYTHON) tests/fuzz/run_fuzz.py --long --seconds $(FUZZ_SECONDS) --jobs $(FUZZ_JOBS)

fuzz-merge:
	@$(PYTHON) tests/fuzz/run_fuzz.py --merge

# The QEMU virt board description, the tcfg target's default board.
$(FUZZ_OUT)/gen/board_dtb.c $(COV_OUT)/gen/board_dtb.c: platform/qemu-virt/platform.dts \
		tests/fuzz/embed.py
	@mkdir -p $(dir $@)
	$(Q)dtc $(TCFG_DTCFLAGS) -o $(@:.c=.dtb) $<
	$(Q)$(PYTHON) tests/fuzz/embed.py $(@:.c=.dtb) fuzz_board_dtb $@

$(FUZZ_OUT)/obj/gen/%.c.o: $(FUZZ_OUT)/gen/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_OUT)/obj/%.c.tcfg.o: %.c tests/fuzz/tcfg_shim.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -include tests/fuzz/tcfg_shim.h -MMD -MP -c $< -o $@

$(FUZZ_OUT)/obj/%.c.sys.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_GIC_RENAME) -MMD -MP -c $< -o $@

$(FUZZ_OUT)/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

define FUZZ_TARGET_RULE
$(FUZZ_OUT)/bin/$(1): $(addprefix $(FUZZ_OUT)/obj/,$(FUZZ_OBJS_$(1)))
	@mkdir -p $$(dir $$@)
	@$$(if $(Q),echo "  FUZZLD  $$@")
	$(Q)$(FUZZ_CC) $(FUZZ_LDFLAGS) $$^ $(FUZZ_LIBS_$(1)) -o $$@
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_TARGET_RULE,$(t))))

-include $(shell find $(FUZZ_OUT)/obj -name '*.d' 2>/dev/null)

# ---- tests/fuzz/sys_test.c: lifecycle tests on the host-built system, a unit test of
# ---- `make test` (gcc with the sanitizers, like tests/tests.mk's; no clang needed).

# A partition's load and boot check serve requests every 1 KiB of work (PARTITION_LOAD_CHUNK,
# PARTITION_HASH_STEP), not every MiB or 32 KiB: the fake partitions' RAM and images are a few
# KiB, and sys.load_serves_between_chunks and sys.image_check_serves_within_a_chunk measure it.
SYS_TEST_CFLAGS := $(FUZZ_HOST_FLAGS) -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	-Itests/unit -DPARTITION_LOAD_CHUNK=1024U -DPARTITION_HASH_STEP=1024U

$(SYS_TEST_OUT)/obj/%.c.sys.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(SYS_TEST_CFLAGS) $(FUZZ_GIC_RENAME) -MMD -MP -c $< -o $@

$(SYS_TEST_OUT)/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(SYS_TEST_CFLAGS) -MMD -MP -c $< -o $@

# sys_test runs another CPU's call inside a partition's load (vuart_init, called while
# p->loading) and between its last vCPU's park and partition_vcpu_parked (vgic_dist_stop, its
# first call), and inside console input's delivery (vuart_rx), and watches a load's stretches
# between two looks at its requests (console_server, which each look asks) and the boot
# check's hashing CPU (sha256_paused): hooks wrapped around those.
SYS_TEST_WRAPS := -Wl,--wrap=vuart_init -Wl,--wrap=vgic_dist_stop -Wl,--wrap=vuart_rx \
	-Wl,--wrap=console_server -Wl,--wrap=sha256_paused
$(HOST_OUT)/tests/sys_test: $(addprefix $(SYS_TEST_OUT)/obj/,$(FUZZ_SYS_OBJS) \
		tests/fuzz/sys_test.c.o)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -fsanitize=address,undefined $^ $(FUZZ_SYS_LIBS) $(SYS_TEST_WRAPS) -o $@

host-tests: $(HOST_OUT)/tests/sys_test
-include $(shell find $(SYS_TEST_OUT)/obj -name '*.d' 2>/dev/null)

# ---- Coverage: gcc --coverage builds of the unit tests and of the fuzz targets (replaying
# ---- their corpora with tests/fuzz/replay_main.c), gathered by tests/gates/coverage.py.

COV_CFLAGS := -O0 --coverage
COV_UNIT_CFLAGS := -std=c11 -O0 -g --coverage -Itests/unit -Iinclude -I. -Iplatform/qemu-virt
COV_UNIT_HDRS = $(wildcard tests/unit/*.h include/*/*.h hyp/*/*.h mm/*.h vgic/*.h platform/*.h)

$(COV_OUT)/obj/gen/%.c.o: $(COV_OUT)/gen/%.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(FUZZ_HOST_FLAGS) $(COV_CFLAGS) -MMD -MP -c $< -o $@

$(COV_OUT)/obj/%.c.tcfg.o: %.c tests/fuzz/tcfg_shim.h
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(FUZZ_HOST_FLAGS) $(COV_CFLAGS) -include tests/fuzz/tcfg_shim.h -MMD -MP -c $< \
		-o $@

$(COV_OUT)/obj/%.c.sys.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(FUZZ_HOST_FLAGS) $(COV_CFLAGS) $(FUZZ_GIC_RENAME) -MMD -MP -c $< -o $@

$(COV_OUT)/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(FUZZ_HOST_FLAGS) $(COV_CFLAGS) -MMD -MP -c $< -o $@

define COV_FUZZ_RULE
$(COV_OUT)/bin/fuzz_$(1): $(addprefix $(COV_OUT)/obj/,$(FUZZ_OBJS_$(1)) tests/fuzz/replay_main.c.o)
	@mkdir -p $$(dir $$@)
	$(Q)$(HOSTCC) --coverage $$^ $(FUZZ_LIBS_$(1)) -o $$@
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call COV_FUZZ_RULE,$(t))))

# Unit tests: each in its own object directory, so their counts stay apart until merged.
define COV_UNIT_RULE
$(COV_OUT)/bin/unit_$(1): tests/unit/$(1)_test.c $(UNIT_$(1)) $(COV_UNIT_HDRS)
	@mkdir -p $(COV_OUT)/unit/$(1) $$(dir $$@)
	$(Q)rm -f $(COV_OUT)/unit/$(1)/*.o
	$(Q)cd $(COV_OUT)/unit/$(1) && $(HOSTCC) $(UNIT_CFLAGS_$(1):-I%=-I$(CURDIR)/%) $(COV_UNIT_CFLAGS:-I%=-I$(CURDIR)/%) -c \
		$(addprefix $(CURDIR)/,tests/unit/$(1)_test.c $(filter %.c,$(UNIT_$(1))))
	$(Q)$(HOSTCC) --coverage $(COV_OUT)/unit/$(1)/*.o -lm -o $$@
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call COV_UNIT_RULE,$(t))))

-include $(shell find $(COV_OUT)/obj -name '*.d' 2>/dev/null)

# tests/fuzz/sys_test.c, the lifecycle tests on the host-built system, counts like a unit test.
$(COV_OUT)/obj/tests/fuzz/sys_test.c.o: COV_CFLAGS += -Itests/unit
$(COV_OUT)/bin/unit_sys: $(addprefix $(COV_OUT)/obj/,$(FUZZ_SYS_OBJS) tests/fuzz/sys_test.c.o)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) --coverage $^ $(FUZZ_SYS_LIBS) $(SYS_TEST_WRAPS) -o $@

COV_BINS := $(addprefix $(COV_OUT)/bin/fuzz_,$(FUZZ_TARGETS)) \
	$(addprefix $(COV_OUT)/bin/unit_,$(UNIT_TESTS) sys)

.PHONY: coverage-build
coverage-build: $(COV_BINS)

COVERAGE_MIN ?=
coverage: coverage-build
	@$(PYTHON) tests/gates/coverage.py --out $(COV_OUT) --targets "$(FUZZ_TARGETS)" \
		--units "$(UNIT_TESTS) sys" $(if $(COVERAGE_MIN),--min $(COVERAGE_MIN))

# ---- Stack depth and heap: the hypervisor ELF of the default build -----------------------

stack-report: $(OUT)/tessera.elf
	@$(PYTHON) tests/gates/stack_report.py --elf $(OUT)/tessera.elf --obj $(OUT)/obj \
		--gen $(GEN) --layout hyp/arch/layout.h --objdump $(CROSS)objdump --nm $(CROSS)nm

no-heap: $(OUT)/tessera.elf
	@$(PYTHON) tests/gates/no_heap.py --elf $(OUT)/tessera.elf --nm $(CROSS)nm \
		--objdump $(CROSS)objdump

hyp-own: $(OUT)/tessera.elf
	@$(PYTHON) tests/gates/hyp_own.py --elf $(OUT)/tessera.elf --nm $(CROSS)nm

# ---- clang-tidy on the hypervisor, as the target sees it ---------------------------------

clang-tidy: $(GEN)/config_gen.h $(GEN)/version.h
	@$(PYTHON) tests/gates/clang_tidy.py --gen $(GEN) --platform $(PLATFORM) \
		--vmid-bits $(VMID_BITS)

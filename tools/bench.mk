# make bench (Issue 8): path lengths of Tessera's hot paths beside bare QEMU and Xen 4.17
# under QEMU -icount, boot lengths, the hypervisor's footprint, and (issue 14) a victim partition
# beside a noisy neighbour (configs/qemu-virt/bench-noisy.dts, built with VMID_BITS=2 and
# GIC_REPOKE_MS=0: without QEMU's GIC tick, which a GIC-400 board does not have either; the
# bench system too).  tools/bench.py runs every
# system BENCH_RUNS times (a difference fails it), prints the table and writes docs/bench.md
# and docs/bench.json.  QEMU virt only, whatever PLATFORM says; Xen comes from Debian's armhf
# package (tools/deps.sh bench).  Included by the top-level Makefile.

BENCH_RUNS ?= 2
BENCH_MAKE = $(MAKE) --no-print-directory PLATFORM=qemu-virt VMID_BITS=8 SELFTEST=

# Per-CPU instruction counts at boot (tools/insn_per_cpu.c, a QEMU TCG plugin).
INSN_PLUGIN := $(HOST_OUT)/insn_per_cpu.so
$(INSN_PLUGIN): tools/insn_per_cpu.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c11 -O2 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden -o $@ $<

.PHONY: bench
bench: $(INSN_PLUGIN)
	@tools/deps.sh base bench
	@$(BENCH_MAKE) CONFIG=bench GIC_REPOKE_MS=0 all
	@$(BENCH_MAKE) CONFIG=bench-smp-peer GIC_REPOKE_MS=0 all
	@$(BENCH_MAKE) CONFIG=default all
	@$(BENCH_MAKE) CONFIG=bench-noisy VMID_BITS=2 GIC_REPOKE_MS=0 all
	@$(BENCH_MAKE) CONFIG=bench-linux all
	@$(BENCH_MAKE) CONFIG=every-feature all
	@$(PYTHON) tools/bench.py --runs $(BENCH_RUNS)

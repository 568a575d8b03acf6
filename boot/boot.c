/*
 * From the first C instruction to a running system: the boot CPU brings up
 * the console, starts every secondary CPU through the firmware's PSCI, and
 * all CPUs meet in hyp_start_cpu().  Also the refusal to run outside Hyp mode.
 */
#include "abi/smccc.h"
#include "arch/sysreg.h"
#include "boot/boot.h"
#include "boot/fdt_ram.h"
#include "config_gen.h"
#include "hyp/core/cpu.h"
#include "hyp/core/fmt.h"
#include "hyp/core/log.h"
#include "hyp/core/timer.h"
#include "hyp/dev/console.h"
#include "platform/uart.h"
#include "vgic/vgic.h"
#include "version.h" /* TESSERA_GIT: `git describe --always --dirty`, made by the Makefile */

#define TESSERA_VERSION_STRING "0.1.0"

#define SECONDARY_TIMEOUT_MS 1000
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

uintptr_t boot_dtb;

/* What boot_read_ram() found in the boot loader's device tree, for boot_main to say. */
static enum fdt_ram_result ram_result;
static struct fdt_ram_info ram_info;

/*
 * entry.S, with the MMU off (any RAM readable): the device tree's memory against the RAM this
 * system writes, its hypervisor, store, partitions and channels (tcfg's CFG_RAM_USED_END).
 */
void boot_read_ram(void)
{
	/* Below RAM is MMIO (boot/mmu.c): a stray r2 there is not read, reads may have effects. */
	ram_result = fdt_ram_check(boot_dtb >= PLAT_RAM_BASE ? (const void *)boot_dtb : NULL,
				   PLAT_RAM_BASE, CFG_RAM_USED_END - PLAT_RAM_BASE, &ram_info);
}

/* A refusal's end: its lines out of the UART, then this CPU stops (nothing started). */
static noreturn void halt_said(void)
{
	uart_flush();
	boot_halt();
}

/*
 * The build's RAM must be there: on a board with less, the image store and the partitions'
 * memory would be written where there is no RAM, or where a smaller DRAM repeats itself
 * (the H3's controller aliases it across its window), over the hypervisor and each other.
 */
static void check_ram(void)
{
	if (ram_result == FDT_RAM_COVERED) {
		log_info("RAM: the system uses 0x%08x-0x%08x, in the device tree's memory",
			 (u32)PLAT_RAM_BASE, (u32)(CFG_RAM_USED_END - 1));
		return;
	}
	if (ram_result == FDT_RAM_NO_TREE && !boot_dtb)
		return; /* the banner says so: "(none passed)" */
	if (ram_result != FDT_RAM_SHORT) { /* a tree without memory, or none it can read */
		log_warn("RAM: the device tree at 0x%08x %s: RAM not checked", (u32)boot_dtb,
			 ram_result == FDT_RAM_NO_MEMORY ?
				 "has no memory node" :
				 "is not one this check reads (FDT version 17, cells of 1 or 2)");
		return;
	}
	log_error("RAM: the boot loader's device tree gives RAM 0x%08x-0x%08x%s "
		  "(%u memory range%s, the first %u MiB at 0x%08llx), but this system uses "
		  "0x%08x-0x%08x: halted, nothing started",
		  (u32)PLAT_RAM_BASE, (u32)(ram_info.covered_end - 1),
		  ram_info.covered_end == PLAT_RAM_BASE ? " (none)" : " only", ram_info.bank_count,
		  ram_info.bank_count == 1 ? "" : "s", (u32)(ram_info.first_size >> 20),
		  ram_info.first_base, (u32)PLAT_RAM_BASE, (u32)(CFG_RAM_USED_END - 1));
	log_error("RAM: build a system that fits this board's RAM (platform/" PLAT_NAME
		  "/platform.dts /memory, the configuration's memory and image-store)");
	halt_said();
}

/*
 * ACTLR.SMP on the boot CPU, after entry.S's cpu_start set it where it was clear and
 * NSACR.NS_SMP allowed: still clear on a Cortex-A7 or A15, this CPU's data cache and TLBs are
 * outside the cluster's coherency, and the data the CPUs share (locks, requests, the vGIC)
 * would be silently corrupted as soon as a second CPU runs.  QEMU's ACTLR reads as zero
 * whatever is written, so only where the GIC is not QEMU's (gic_is_emulated); the secondary
 * CPUs make the same check in entry.S when CPU_ON's context asks them to.  A Cortex-A15
 * MPCore's own GIC reads as QEMU's and gets entry.S's setting of the bit but not this check.
 * QEMU cannot show the refusal.
 */
static bool smp_bit_required(void)
{
	return !gic_is_emulated();
}

static void check_smp_coherent(u32 cpu, bool required)
{
	if ((read_actlr() & ACTLR_SMP) || !required)
		return;
	log_error(
		"cpu%u: ACTLR.SMP (bit 6) is clear and NSACR 0x%08x does not let Non-secure state "
		"set it (NS_SMP, bit 18): this CPU's caches are not coherent with the others': "
		"halted, nothing started",
		cpu, read_nsacr());
	log_error("the firmware must set ACTLR.SMP, or NSACR.NS_SMP, on every CPU before it "
		  "enters Tessera (U-Boot does both)");
	halt_said();
}

static u32 boot_cntfrq; /* the boot CPU's CNTFRQ: every other CPU must read the same */
static u32 cpus_refused; /* secondaries that halted at a check and said why: not waited for */

/*
 * CNTFRQ, the counter's frequency, which every timeout, the Hyp timer's deadlines and the
 * guests' clocks (Linux reads it from the register) are computed from, on each CPU from its
 * own register (timer.c).  Its reset value is UNKNOWN and only Secure PL1 may write it (ARM
 * ARM B8, "The Generic Timer": CNTFRQ): the firmware must, on every CPU (U-Boot's
 * _nonsec_init does, 24 MHz on the H3, on every CPU it starts).  QEMU presets it, so nothing
 * else would notice a firmware that does not: 0 on the boot CPU made every timeout expire at
 * once, and a guest's clock stop; another value on a secondary gives its guests and its
 * timeouts another frequency than the counter's.  Such a secondary says so and halts, and the
 * boot CPU does not wait out its timeout for it.
 */
static void check_cntfrq(u32 cpu)
{
	u32 hz = read_cntfrq(), boot_hz = boot_cntfrq;

	if (!boot_hz)
		boot_cntfrq = boot_hz = hz;
	if (hz && hz == boot_hz)
		return;
	if (!hz)
		log_error("cpu%u: CNTFRQ reads 0: the firmware did not program the generic timer's "
			  "frequency (only Secure state can): halted%s",
			  cpu, boot_hz ? "" : ", nothing started");
	else
		log_error(
			"cpu%u: CNTFRQ reads %u, the boot CPU's %u: the firmware must program the "
			"same frequency on every CPU (only Secure state can): halted",
			cpu, hz, boot_hz);
	__atomic_or_fetch(&cpus_refused, BIT(cpu), __ATOMIC_RELEASE); /* boot_main's wait ends */
	/*
	 * DSB, then SEV (cpu_sev): the bit must be visible when the boot CPU's WFE returns, or it
	 * reads the old word and waits again, for the event stream's next event (2^15 ticks:
	 * 1.4 ms on the H3), as a bare SEV allowed (ARM ARM B1.8.13, Wait For Event and Send Event).
	 */
	cpu_sev();
	halt_said();
}

/* Start a physical CPU through the firmware's PSCI (SMC conduit); returns the PSCI status. */
static s32 psci_cpu_on(u32 mpidr, uintptr_t entry, u32 context)
{
	register u32 r0 __asm__("r0") = PSCI_CPU_ON;
	register u32 r1 __asm__("r1") = mpidr;
	register u32 r2 __asm__("r2") = (u32)entry;
	register u32 r3 __asm__("r3") = context;

	__asm__ volatile(".arch_extension sec\n\tsmc #0"
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
			 :
			 : "memory");
	return (s32)r0;
}

static const char *mode_name(u32 cpsr)
{
	/* Every entry named: the encodings that are no mode (ARM ARM B1.3.1) as "unknown". */
	static const char *const names[PSR_MODE_MASK + 1] = {
		[0 ... PSR_MODE_USR - 1] = "unknown",
		[PSR_MODE_USR] = "USR",
		[PSR_MODE_FIQ] = "FIQ",
		[PSR_MODE_IRQ] = "IRQ",
		[PSR_MODE_SVC] = "SVC",
		[PSR_MODE_SVC + 1 ... PSR_MODE_MON - 1] = "unknown",
		[PSR_MODE_MON] = "MON",
		[PSR_MODE_ABT] = "ABT",
		[PSR_MODE_ABT + 1 ... PSR_MODE_HYP - 1] = "unknown",
		[PSR_MODE_HYP] = "HYP",
		[PSR_MODE_UND] = "UND",
		[PSR_MODE_UND + 1 ... PSR_MODE_SYS - 1] = "unknown",
		[PSR_MODE_SYS] = "SYS",
	};

	return names[cpsr & PSR_MODE_MASK];
}

/* Before the console exists: write straight to the UART, waiting for room. */
void boot_puts(const char *s)
{
	for (; *s; s++)
		while (!uart_try_putc(*s))
			;
}

/*
 * Entered in a mode other than Hyp: nothing else can be done, but say so clearly.  entry.S
 * initialises the UART before and flushes it after (as for boot_refuse_caches_on).
 */
void boot_refuse_not_hyp(u32 cpsr)
{
	char text[512]; /* (the stack is empty: entry.S's refusal) */
	u32 pfr1 = read_id_pfr1();

	fmt_snprintf(
		text, sizeof(text),
		"\r\nTessera cannot start: the CPU is not in HYP mode.\r\n"
		"It was entered in %s mode (CPSR 0x%08x); this CPU %s the Virtualization "
		"Extensions.\r\n"
		"Tessera is a hypervisor and must be entered in HYP mode (PL2):\r\n"
		"  - on QEMU, enable the Virtualization Extensions: -M virt,virtualization=on\r\n"
		"  - from U-Boot, start it with 'bootm' (U-Boot enters images in HYP mode\r\n"
		"    on cores with the Virtualization Extensions), not with 'go'.\r\n"
		"Halted.\r\n",
		mode_name(cpsr), cpsr, (pfr1 & GENMASK(15, 12)) ? "has" : "does NOT have");
	boot_puts(text);
}

/*
 * Entered in Hyp mode with the Hyp MMU or data cache on (U-Boot's 'go' from HYP mode leaves
 * its own map and caches on): not the boot protocol, and the boot's first writes would be
 * lost to the cache.  This runs under the loader's map, which holds the image and the UART.
 */
void boot_refuse_caches_on(u32 hsctlr)
{
	char text[320]; /* (the stack is empty: entry.S's refusal) */

	fmt_snprintf(text, sizeof(text),
		     "\r\nTessera cannot start: it was entered with the Hyp MMU %s and the data "
		     "cache %s (HSCTLR 0x%08x);\r\nthe boot protocol asks for both off.\r\n"
		     "From U-Boot, start it with 'bootm' (which cleans and turns off its caches "
		     "and MMU first), not with 'go'.\r\nHalted.\r\n",
		     (hsctlr & HSCTLR_M) ? "on" : "off", (hsctlr & HSCTLR_C) ? "on" : "off",
		     hsctlr);
	boot_puts(text);
}

/* Report this CPU's state as its own registers show it, not as we intended it. */
static void report_cpu(u32 cpu)
{
	u32 hsctlr = read_hsctlr();

	log_info("cpu%u: up, MPIDR 0x%08x, %s mode, MMU %s, D-cache %s, I-cache %s", cpu,
		 read_mpidr(), mode_name(read_cpsr()), (hsctlr & HSCTLR_M) ? "on" : "off",
		 (hsctlr & HSCTLR_C) ? "on" : "off", (hsctlr & HSCTLR_I) ? "on" : "off");
}

/*
 * This CPU's state said and its CNTFRQ checked: the boot CPU's first, before any other starts
 * (boot_cntfrq is still 0).  One copy for boot_main and boot_secondary_main.
 */
static __attribute__((noinline)) void report_and_check(u32 cpu)
{
	report_cpu(cpu);
#ifdef SELFTEST_CNTFRQ_ZERO
	/*
	 * A test build: a firmware that left CNTFRQ 0 on the boot CPU.  QEMU virt has no EL3, so
	 * Hyp mode is the highest and may write it there (it changes what the register reads, not
	 * the count's rate).
	 */
	if (!boot_cntfrq) {
		write_cntfrq(0);
		isb();
	}
#endif
#ifdef SELFTEST_CNTFRQ_MISMATCH
	/* A test build: the last secondary's firmware programmed another frequency. */
	if (boot_cntfrq && cpu == PLAT_CPU_COUNT - 1) {
		write_cntfrq(24000000);
		isb();
	}
#endif
	check_cntfrq(cpu);
}

/* Out of line (noinline): one copy for the boot CPU's boot_main and the secondaries'. */
static __attribute__((noinline)) void cpu_init_local(u32 cpu)
{
	struct cpu *c = &cpus[cpu];

	c->index = cpu;
	c->mpidr = read_mpidr();
	write_htpidr((u32)(uintptr_t)c);
	isb();
}

void boot_main(u32 cpu)
{
	u32 i;
	bool smp;

	cpu_init_local(cpu);
	uart_init();
	console_init();
	/* (Constants in the format: no arguments to pass; the git name is text, not format.) */
	log_info("Tessera " TESSERA_VERSION_STRING " (%s), a static-partitioning hypervisor",
		 TESSERA_GIT);
	log_info(
		"platform " PLAT_NAME ", " STRINGIFY(
			PLAT_CPU_COUNT) " CPUs, boot CPU %u (MIDR 0x%08x), device tree at 0x%08x%s",
		cpu, read_midr(), (u32)boot_dtb, boot_dtb ? "" : " (none passed)");
	log_info("image 0x%08x-0x%08x, reserved up to 0x%08x", (u32)(uintptr_t)__hyp_start,
		 (u32)(uintptr_t)__hyp_end, (u32)(uintptr_t)__hyp_reserved_end);
	report_and_check(cpu);
	check_ram();
	hyp_init_early();
	smp = smp_bit_required(); /* asked once: a call (the GIC is identified in gic_init) */
	check_smp_coherent(cpu, smp);
	hyp_cpu_online(cpu);

	timer_wfe_bounded(true); /* the waits below are bounded (until hyp_main) */
	for (i = 0; i < PLAT_CPU_COUNT; i++) {
		u64 deadline;
		s32 ret;

		if (i == cpu)
			continue;
		ret = psci_cpu_on(i, (uintptr_t)secondary_entry, smp);
		if (ret != 0) {
			log_error("cpu%u: PSCI CPU_ON failed (%d)", i, ret);
			continue;
		}
		deadline = timer_now() + timer_ms_to_ticks(SECONDARY_TIMEOUT_MS);
		/* Until it is up or has halted at a check that said why (check_cntfrq). */
		while (!__atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE) &&
		       !(__atomic_load_n(&cpus_refused, __ATOMIC_RELAXED) & BIT(i))) {
			if (timer_now() < deadline) {
				cpu_relax_wfe();
				continue;
			}
			log_error("cpu%u: did not come up within %u ms (a CPU that the firmware "
				  "enters outside HYP mode%s halts at its entry)",
				  i, SECONDARY_TIMEOUT_MS,
				  smp ? ", or whose ACTLR.SMP is clear and cannot be set," : "");
			break;
		}
	}
	hyp_main();
}

void boot_secondary_main(u32 cpu)
{
	cpu_init_local(cpu);
	report_and_check(cpu);
	hyp_cpu_online(cpu);
	cpu_idle();
}

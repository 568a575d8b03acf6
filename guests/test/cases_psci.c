/*
 * Test-guest cases of partition lifecycle (issue 4): PSCI from a two-vCPU
 * partition, reset loops, and fault-policy restarts.
 */
#include <stdio.h>
#include <string.h>

#include "testguest.h"

static volatile uint32_t secondary_up, secondary_context, secondary_sgi_source = 0xff;
static volatile uint32_t secondary_stray, secondary_go_off;
static volatile uint32_t secondary_timer, secondary_timer_was_on, secondary_done;

#define VTIMER_INTID 27U

/*
 * A vCPU's CPU interface (the GICV page) as it starts: GICH_VMCR written as 0 at every vCPU
 * reset leaves both groups disabled and the priority mask 0, and binary points below the
 * minimum, which the GIC raises to it (5 preemption bits: 2 and 3, the GIC-400's and the
 * Cortex-A15 GIC's reset values of GICV_BPR and GICV_ABPR).  Nothing of what a previous run
 * of the vCPU wrote there survives its CPU_OFF and CPU_ON.
 */
#define CPUIF_RESET_BPR 2U
#define CPUIF_RESET_ABPR 3U

struct cpuif_state {
	uint32_t ctlr, pmr, bpr, abpr;
};

static volatile struct cpuif_state secondary_cpuif;

/* A register of this vCPU's CPU interface, at the library's default address (as in cases_irq.c). */
static uint32_t cpuif_reg(uint32_t off)
{
	return mmio_read32(GICC_BASE + off);
}

static void cpuif_read(volatile struct cpuif_state *s)
{
	s->ctlr = cpuif_reg(GICC_CTLR);
	s->pmr = cpuif_reg(GICC_PMR);
	s->bpr = cpuif_reg(GICC_BPR);
	s->abpr = cpuif_reg(GICC_ABPR);
}

static void cpuif_check(const volatile struct cpuif_state *s, const char *check, uint32_t vcpu)
{
	tg_check(s->ctlr == 0 && s->pmr == 0 && s->bpr == CPUIF_RESET_BPR &&
			 s->abpr == CPUIF_RESET_ABPR,
		 check,
		 "vCPU %u started with CTLR 0x%x PMR 0x%x BPR %u ABPR %u (reset: 0, 0, %u, %u)",
		 (unsigned)vcpu, (unsigned)s->ctlr, (unsigned)s->pmr, (unsigned)s->bpr,
		 (unsigned)s->abpr, CPUIF_RESET_BPR, CPUIF_RESET_ABPR);
}

static bool wait_flag(volatile uint32_t *flag, uint32_t ms)
{
	uint64_t end = gtimer_virt_count() + gtimer_ns_to_count((uint64_t)ms * 1000000);

	while (!*flag && gtimer_virt_count() < end)
		cpu_yield();
	return *flag != 0;
}

/* An SGI taken by polling the CPU interface (IRQs masked): INTID and source CPU. */
static uint32_t poll_sgi(uint32_t ms, uint32_t *source)
{
	uint64_t end = gtimer_virt_count() + gtimer_ns_to_count((uint64_t)ms * 1000000);

	do {
		uint32_t iar = gic_ack();

		if ((iar & GICC_IAR_INTID) < GIC_INTID_MAX) {
			*source = (iar >> 10) & 7;
			gic_eoi(iar);
			return iar & GICC_IAR_INTID;
		}
	} while (gtimer_virt_count() < end);
	return GIC_INTID_SPURIOUS;
}

/*
 * Back after CPU_OFF and CPU_ON (issue 14 defect 10): a driver that trusts the
 * distributor arms the virtual timer, enabling its PPI only if ISENABLER says
 * it is off; the timer must fire.  1 if it did, 2 if not.
 */
static uint32_t vtimer_after_cpu_on(void)
{
	uint64_t end;
	uint32_t iar;

	secondary_timer_was_on = gic_irq_is_enabled(VTIMER_INTID);
	gic_cpu_interface_init();
	if (!secondary_timer_was_on)
		gic_irq_enable(VTIMER_INTID);
	gtimer_virt_arm_in(gtimer_ns_to_count(1000000));
	end = gtimer_virt_count() + gtimer_ns_to_count(500000000ULL);
	do {
		iar = gic_ack();
		if ((iar & GICC_IAR_INTID) == VTIMER_INTID) {
			gtimer_virt_stop();
			gic_eoi(iar);
			gic_irq_disable(VTIMER_INTID);
			return 1;
		}
		if ((iar & GICC_IAR_INTID) < GIC_INTID_MAX)
			gic_eoi(iar);
	} while (gtimer_virt_count() < end);
	gtimer_virt_stop();
	gic_irq_disable(VTIMER_INTID);
	return 2;
}

void guest_secondary_main(uint32_t context)
{
	uint32_t source = 0;

	if (context == TG_CPULOOP_CONTEXT)
		tg_cpuloop_secondary(); /* cases_console.c */
	if (context == TG_RACE_CONTEXT)
		tg_enable_race_secondary(); /* cases_hypercall.c */
	if (context == 2) {
		/* The second start: the CPU interface and timer checks, then RTC alarms aimed
		 * here, until told. */
		cpuif_read(&secondary_cpuif);
		secondary_timer = vtimer_after_cpu_on();
		gic_cpu_init();
		secondary_context = context;
		secondary_up = 1;
		printf("TG smp: vCPU %u up again, context 0x%x\n", (unsigned)cpu_index(),
		       (unsigned)context);
		while (!secondary_done)
			tg_rtc_poll();
		psci_cpu_off();
		guest_halt();
	}
	gic_cpu_init();
	secondary_context = context;
	secondary_up = 1;
	printf("TG smp: vCPU %u up, context 0x%x\n", (unsigned)cpu_index(), (unsigned)context);
	/* SGI 3 from vCPU 0, answered with SGI 4. */
	if (poll_sgi(2000, &source) == 3) {
		secondary_sgi_source = source;
		gic_send_sgi(4, GIC_SGI_TO_LIST, 0x1);
	}
	/* Nothing else may arrive: vCPU 0 aims an SGI outside the partition next. */
	if (poll_sgi(300, &source) != GIC_INTID_SPURIOUS)
		secondary_stray = 1;
	while (!secondary_go_off)
		cpu_yield();
	gic_irq_enable(VTIMER_INTID); /* enabled when it goes off: CPU_ON must not lie about it */
	/* And its CPU interface far from reset (the groups are enabled already). */
	mmio_write32(GICC_BASE + GICC_BPR, 5);
	mmio_write32(GICC_BASE + GICC_ABPR, 6);
	gic_set_priority_mask(0x80);
	psci_cpu_off();
	printf("TG smp: CPU_OFF returned\n");
	guest_halt();
}

void tg_smp(void)
{
	struct tessera_partition id = { 0 };
	uint32_t source = 0xff, intid;
	uint64_t end;

	tessera_partition_id(&id);
	{
		struct cpuif_state boot_cpuif;

		cpuif_read(&boot_cpuif);
		cpuif_check(&boot_cpuif, "gic.cpuif_reset", 0);
	}
	gic_init();
	gic_cpu_init();
	tg_check(id.vcpu_count == 2, "smp.vcpus", "%u vCPUs", (unsigned)id.vcpu_count);
	tg_check(psci_version() == 0x10000, "psci.version", "0x%x", (unsigned)psci_version());
	tg_check(psci_features(PSCI_CPU_ON) == PSCI_SUCCESS, "psci.features.cpu_on", "refused");
	tg_check(psci_features(0x80000000U) == PSCI_SUCCESS, "psci.features.smccc_version",
		 "SMCCC_VERSION not reported: callers would take SMCCC 1.0");
	tg_check(psci_features(PSCI_CPU_SUSPEND) == PSCI_SUCCESS, "psci.features.suspend",
		 "CPU_SUSPEND (mandatory from PSCI 0.2) not offered");
	tg_check(smccc_call(PSCI_CPU_SUSPEND, 0x10000, (uintptr_t)guest_secondary_entry, 0).a0 ==
			 PSCI_SUCCESS,
		 "psci.suspend", "a power-down CPU_SUSPEND did not return at once with SUCCESS");
	tg_check(smccc_call(0x840000ffU, 0, 0, 0).a0 == (uint32_t)PSCI_E_NOT_SUPPORTED,
		 "psci.unknown", "unknown function not refused");
	tg_check(smccc_call(0xc4000003U, 1, 0, 0).a0 == (uint32_t)PSCI_E_NOT_SUPPORTED,
		 "psci.smc64", "a 64-bit call answered");
	smccc_use_smc(true);
	tg_check(psci_version() == 0x10000, "psci.smc_conduit", "SMC not answered like HVC");
	smccc_use_smc(false);

	tg_check(psci_affinity_info(1, 0) == PSCI_AFFINITY_OFF, "psci.affinity.off",
		 "vCPU 1 not off");
	tg_check(psci_cpu_on(1, (uintptr_t)guest_secondary_entry, 0xc0ffee) == PSCI_SUCCESS,
		 "psci.cpu_on", "CPU_ON of vCPU 1 refused");
	tg_check(wait_flag(&secondary_up, 2000) && secondary_context == 0xc0ffee,
		 "psci.cpu_on.context", "vCPU 1 did not start with its context");
	tg_check(psci_affinity_info(1, 0) == PSCI_AFFINITY_ON, "psci.affinity.on", "not on");
	tg_check(psci_cpu_on(1, (uintptr_t)guest_secondary_entry, 0) == PSCI_E_ALREADY_ON,
		 "psci.cpu_on.twice", "second CPU_ON not refused with ALREADY_ON");
	tg_check(psci_cpu_on(2, (uintptr_t)guest_secondary_entry, 0) == PSCI_E_INVALID_PARAMETERS,
		 "psci.cpu_on.foreign", "CPU_ON of a CPU outside the partition not refused");
	tg_check(psci_cpu_on(0x100, (uintptr_t)guest_secondary_entry, 0) ==
			 PSCI_E_INVALID_PARAMETERS,
		 "psci.cpu_on.nonexistent", "CPU_ON of MPIDR 0x100 not refused");
	tg_check(psci_cpu_on(1, 0x100, 0) != PSCI_SUCCESS, "psci.cpu_on.bad_entry",
		 "entry outside the partition accepted");

	/* SGIs within the partition carry the sender's CPU ID. */
	gic_send_sgi(3, GIC_SGI_TO_LIST, 0x2);
	intid = poll_sgi(2000, &source);
	tg_check(intid == 4 && source == 1, "sgi.reply", "got INTID %u from %u", (unsigned)intid,
		 (unsigned)source);
	tg_check(secondary_sgi_source == 0, "sgi.source", "vCPU 1 saw source %u",
		 (unsigned)secondary_sgi_source);
	/* An SGI aimed at a CPU outside the partition goes nowhere. */
	gic_send_sgi(5, GIC_SGI_TO_LIST, 0x4);
	intid = poll_sgi(300, &source);
	end = gtimer_virt_count() + gtimer_ns_to_count(400000000ULL);
	while (gtimer_virt_count() < end)
		;
	tg_check(intid == GIC_INTID_SPURIOUS && !secondary_stray, "sgi.foreign",
		 "an SGI to a foreign CPU arrived");

	secondary_go_off = 1;
	end = gtimer_virt_count() + gtimer_ns_to_count(2000000000ULL);
	while (psci_affinity_info(1, 0) != PSCI_AFFINITY_OFF && gtimer_virt_count() < end)
		cpu_yield();
	tg_check(psci_affinity_info(1, 0) == PSCI_AFFINITY_OFF, "psci.cpu_off", "vCPU 1 still on");
	secondary_up = 0;
	tg_check(psci_cpu_on(1, (uintptr_t)guest_secondary_entry, 0x2) == PSCI_SUCCESS &&
			 wait_flag(&secondary_up, 2000) && secondary_context == 2,
		 "psci.cpu_on.again", "vCPU 1 did not come back after CPU_OFF");
	cpuif_check(&secondary_cpuif, "psci.cpu_on.cpuif_reset", 1);
	tg_check(secondary_timer == 1, "psci.cpu_on.timer",
		 "vCPU 1's virtual timer never fired after CPU_OFF, CPU_ON (ISENABLER read %u)",
		 (unsigned)secondary_timer_was_on);
	/* The passed-through RTC alarm follows its target from vCPU to vCPU. */
	{
		uint32_t first, second, third;

		tg_rtc_setup();
		first = tg_rtc_alarm_at(0x1);
		second = tg_rtc_alarm_at(0x2);
		third = tg_rtc_alarm_at(0x1);
		tg_check(first == 0 && second == 1 && third == 0, "passthrough.retarget",
			 "alarms aimed at vCPUs 0, 1, 0 taken on %d, %d, %d (255: never)",
			 (int)first, (int)second, (int)third);
	}
	secondary_done = 1;
	end = gtimer_virt_count() + gtimer_ns_to_count(2000000000ULL);
	while (psci_affinity_info(1, 0) != PSCI_AFFINITY_OFF && gtimer_virt_count() < end)
		cpu_yield();
	tg_done();
	tg_heartbeat_loop(tg_arg_u32("period", 100), tg_arg_u32("beats", 0));
}

/*
 * Reset loop: the RAM must come back cleared (nothing of the previous run
 * survives), the image reloaded (a word of .data this run overwrites is back
 * from the hypervisor's pristine copy), and the CPU state the hypervisor does not trap, ThumbEE's
 * TEECR and TEEHBR (ARM ARM A2.12) among it, the PMU's counters and the GIC's pending state of
 * the virtual timer's PPI reset; then this run marks them (and leaves its counters running and
 * its timer's PPI pending) and resets the partition through PSCI.
 */
#define IMAGE_WORD 0x1a6e5eedU
#define RAM_PROBES (1024 + 16 * 512) /* up to 32 MiB of RAM */
static volatile uint32_t image_word = IMAGE_WORD; /* in .data: part of the image */

#define TEECR p14, 6, c0, c0, 0
#define TEEHBR p14, 6, c1, c0, 0
DEFINE_COPROCR_RW_FUNCS(teecr, TEECR)
DEFINE_COPROCR_RW_FUNCS(teehbr, TEEHBR)

/*
 * The words this run marks and the next checks: the first 4 KiB of the heap and 16 words
 * every 64 KiB above it, up to the device tree's area at the end of its RAM.  Not .bss,
 * which the guest's own start-up code clears whatever the hypervisor did.
 */
static uint32_t ram_probe(volatile uint32_t **at)
{
	extern char __heap_start[];
	uintptr_t a = (uintptr_t)__heap_start, end = a + 0x1000;
	uint64_t base = 0, size = 0;
	uint32_t n = 0, i;

	if (fdt_memory(guest_fdt(), &base, &size))
		end = (uintptr_t)(base + size - GUEST_DTB_RESERVE);
	for (i = 0; i < 1024; i++)
		at[n++] = (volatile uint32_t *)(a + 4 * i);
	for (a = (a + 0x20000) & ~0xffffU; a + 64 <= end && n < RAM_PROBES; a += 0x10000)
		for (i = 0; i < 16; i++)
			at[n++] = (volatile uint32_t *)(a + 4 * i);
	return n;
}

/*
 * PL1 state a guest changes without a trap and this library never writes (it leaves the rest
 * to the reset values guest_arch_reset writes): each run finds it as after a reset, zero, then
 * marks it.  The VFP registers too (a soft-float guest: nothing of the compiler's uses them),
 * once the run has found CPACR and FPEXC off and enabled them.
 */
DEFINE_COPROCR_RW_FUNCS(contextidr, CONTEXTIDR)
DEFINE_COPROCR_RW_FUNCS(tpidrurw, TPIDRURW)
DEFINE_COPROCR_RW_FUNCS(tpidruro, TPIDRURO)
DEFINE_COPROCR_RW_FUNCS(tpidrprw, TPIDRPRW)
DEFINE_COPROCR_RW_FUNCS(cntkctl, CNTKCTL)
DEFINE_COPROCR_RW_FUNCS(csselr, CSSELR)
DEFINE_COPROCR_RW_FUNCS(cpacr, CPACR)
DEFINE_COPROCR64_RW_FUNCS(ttbr1_64, TTBR1_64)

#define CPACR_CP10_CP11 (0xfU << 20) /* full access to VFP and Advanced SIMD (B4.1.40) */
#define FPEXC_EN (1U << 30)

/* The banked registers of FIQ, abort and undefined modes, by MRS/MSR (banked) from SVC. */
#define BANKED_RW(reg)                                                                             \
	static uint32_t read_##reg(void)                                                           \
	{                                                                                          \
		uint32_t v;                                                                        \
		__asm__ volatile(".arch_extension virt\n\tmrs %0, " #reg : "=r"(v));               \
		return v;                                                                          \
	}                                                                                          \
	static void write_##reg(uint32_t v)                                                        \
	{                                                                                          \
		__asm__ volatile(".arch_extension virt\n\tmsr " #reg ", %0" : : "r"(v));           \
	}
/* clang-format off */
#define BANKED(X) X(r8_fiq) X(r9_fiq) X(r10_fiq) X(r11_fiq) X(r12_fiq) X(lr_fiq) X(spsr_fiq) \
	X(lr_abt) X(spsr_abt) X(lr_und) X(spsr_und)
BANKED(BANKED_RW)
#define BANKED_DIRTY(reg) dirty += read_##reg() != 0;
#define BANKED_MARK(reg) write_##reg(0x5eed0000);
/* clang-format on */

/* CPACR and FPEXC off, then d0-d31 and FPSCR zero: the count of those that are not. */
static uint32_t vfp_dirty(void)
{
	uint64_t d[32];
	uint32_t dirty = 0, fpexc, fpscr, i;

	dirty += (read_cpacr() & CPACR_CP10_CP11) != 0;
	write_cpacr(read_cpacr() | CPACR_CP10_CP11); /* FPEXC is UNDEFINED to PL1 without it */
	__asm__ volatile("isb");
	__asm__ volatile(".fpu neon-vfpv4\n\tvmrs %0, fpexc" : "=r"(fpexc));
	dirty += (fpexc & FPEXC_EN) != 0;
	__asm__ volatile(".fpu neon-vfpv4\n\tvmsr fpexc, %0" : : "r"(FPEXC_EN));
	__asm__ volatile(".fpu neon-vfpv4\n\tvstmia %0, {d0-d15}\n\tvstmia %1, {d16-d31}"
			 :
			 : "r"(d), "r"(d + 16)
			 : "memory");
	__asm__ volatile(".fpu neon-vfpv4\n\tvmrs %0, fpscr" : "=r"(fpscr));
	for (i = 0; i < 32; i++)
		dirty += d[i] != 0;
	return dirty + (fpscr != 0);
}

static uint32_t cpu_state_dirty(void)
{
	uint32_t dirty = 0;

	dirty += read_contextidr() != 0 || read_tpidrurw() != 0 || read_tpidruro() != 0 ||
		 read_tpidrprw() != 0 || read_cntkctl() != 0 || read_csselr() != 0 ||
		 read64_ttbr1_64() != 0 || (read_cntp_ctl() & 3) != 0 || read64_cntp_cval() != 0 ||
		 read64_cntv_cval() != 0;
	BANKED(BANKED_DIRTY)
	dirty += vfp_dirty();
	if (dirty)
		printf("TG reset: %u CPU registers kept a previous run's value\n", (unsigned)dirty);
	return dirty;
}

/* This run's marks: every register cpu_state_dirty() looks at, and the VFP ones, non-zero. */
static void cpu_state_mark(void)
{
	write_contextidr(0x5e);
	write_tpidrurw(0x5eed0001);
	write_tpidruro(0x5eed0002);
	write_tpidrprw(0x5eed0003);
	write_cntkctl(0x3); /* PL0 may read both counters */
	write_csselr(1); /* the L1 instruction cache */
	write64_ttbr1_64(0x5eed0000);
	write64_cntp_cval(~0ULL);
	write64_cntv_cval(~0ULL);
	BANKED(BANKED_MARK)
	__asm__ volatile(".fpu neon-vfpv4\n\tvmov.i32 q0, #0x5e\n\tvmov.i32 q15, #0x5e\n\t"
			 "vmsr fpscr, %0"
			 :
			 : "r"(0x03c00000U)); /* RMode, FZ, DN */
	write_cntp_ctl(GTIMER_CTL_IMASK); /* stopped, masked */
}

/*
 * This run's virtual timer is stopped (CNTV_CTL is 0 at every start), so its PPI, enabled, must
 * not interrupt; the last run left it pending in the distributor while disabled (GICD_ISPENDR0,
 * which reaches the GIC: the PPI is HW-mapped), a latch a level-sensitive interrupt keeps until
 * it is acknowledged or cleared (GICv2 4.3.7).  Before any GIC set-up of this run's, which
 * would clear it (gic_cpu_init).  1 if the timer's interrupt came.
 */
static uint32_t timer_irq_left(void)
{
	uint64_t end = gtimer_virt_count() + gtimer_ns_to_count(20000000ULL);
	uint32_t iar, left = 0;

	mmio_write32(gic_dist_base() + GICD_CTLR, GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
	gic_cpu_interface_init();
	gic_irq_enable(GTIMER_VIRT_INTID);
	do {
		iar = gic_ack();
		if ((iar & GICC_IAR_INTID) < GIC_INTID_MAX) {
			gic_eoi(iar);
			printf("TG reset: INTID %u arrived, the virtual timer stopped (CNTV_CTL "
			       "0x%x)\n",
			       (unsigned)(iar & GICC_IAR_INTID), (unsigned)gtimer_virt_get_ctl());
			left = 1;
			break;
		}
	} while (gtimer_virt_count() < end);
	gic_irq_disable(GTIMER_VIRT_INTID);
	return left;
}

void tg_reset(void)
{
	static volatile uint32_t *probe[RAM_PROBES];
	uint32_t i, dirty = 0, n = ram_probe(probe);

	if (image_word != IMAGE_WORD) {
		printf("TG reset: the image was not reloaded: 0x%08x\n", (unsigned)image_word);
		dirty++;
	}
	image_word = ~IMAGE_WORD;
	for (i = 0; i < n; i++)
		dirty += *probe[i] != 0;
	if (read_teecr() != 0 || read_teehbr() != 0) {
		printf("TG reset: ThumbEE state survived: TEECR 0x%x TEEHBR 0x%08x\n",
		       (unsigned)read_teecr(), (unsigned)read_teehbr());
		dirty++;
	}
	dirty += tg_pmu_dirty();
	dirty += timer_irq_left();
	dirty += cpu_state_dirty();
	printf("TG reset: run clean=%s\n", dirty ? "NO" : "yes");
	tg_pmu_exercise();
	gic_irq_set_pending(GTIMER_VIRT_INTID); /* disabled: pending in the GIC until reset */
	write_teehbr(0x5eed0000);
	write_teecr(1); /* XED: unprivileged TEEHBR access UNDEFINED */
	cpu_state_mark();
	for (i = 0; i < n; i++)
		*probe[i] = 0x5eed0000 + i;
	psci_system_reset();
	printf("TG reset: SYSTEM_RESET returned\n");
	tg_check(false, "reset.returned", "SYSTEM_RESET returned");
	tg_done();
}

/* Fault-policy "restart": fault at once, every run; the bound must stop it. */
void tg_crash(void)
{
	printf("TG crash: faulting on purpose\n");
	tg_write32(tg_arg_u32("addr", 0x48000000), 1);
	tg_check(false, "crash.survived", "the fault did not end this run");
	tg_done();
}

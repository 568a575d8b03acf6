/*
 * The hostile guest (issue 9): a catalogue of attacks on the hypervisor and
 * on the other partitions, run one case at a time from a partition whose
 * fault policy is "inject" (so that every contained fault comes back to it
 * as an abort and the next case can run).  Each case states what must
 * happen and checks that it did.  The QEMU test (tests/qemu/test_hostile.py)
 * checks the rest from outside: the hypervisor never panics or hangs, the
 * heartbeat partition's memory and period are undisturbed, and every fault
 * is logged with the partition's name, the address and the PC.
 */
#include <stdio.h>
#include <string.h>

#include "testguest.h"

#define GICD 0x08000000U
#define UART 0x09000000U

#define BAD_ADDRESS (-4)

static uint32_t rng_state = 0x12345678;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void announce(const char *name, const char *expect)
{
	printf("TG hostile: case %s: must %s\n", name, expect);
}

/* ---- Accesses the syndrome cannot describe (tg_asm_hostile.S) ------------------------ */

void tg_ldm(uintptr_t addr);
void tg_stm(uintptr_t addr);
void tg_ldrd(uintptr_t addr);
void tg_strd(uintptr_t addr);
void tg_ldr_writeback(uintptr_t addr);
void tg_str_writeback(uintptr_t addr);
uint32_t tg_ldrex(uintptr_t addr);
uint32_t tg_strex(uintptr_t addr, uint32_t value);
uint32_t tg_ldr_unaligned(uintptr_t addr);
void tg_hyp_register_write(void);
uint32_t tg_dbgdidr_read(void);
uint32_t tg_l2ctlr_read(void);
void tg_actlr_write(uint32_t value);
uint32_t tg_actlr_read(void);
void tg_dcisw(uint32_t setway);
void tg_udf(void);
void tg_wfe(void);

static void expect_abort(const char *check, void (*op)(uintptr_t), uintptr_t addr)
{
	struct tg_fault f;

	tg_fault_take();
	op(addr);
	f = tg_fault_take();
	tg_check(f.count == 1 && f.kind == EXC_DABT, check, "faults %u kind %u", (unsigned)f.count,
		 (unsigned)f.kind);
}

static void undescribable_accesses(void)
{
	static const struct {
		const char *name;
		uintptr_t base;
	} devices[] = { { "gicd", GICD + 0x100 }, { "uart", UART } };
	char check[64];
	size_t i;

	announce("undescribable-mmio",
		 "contain LDM/STM, LDRD/STRD, writeback and exclusive accesses to emulated devices "
		 "as an abort, never guess at them");
	for (i = 0; i < ARRAY_SIZE(devices); i++) {
		uintptr_t a = devices[i].base;
		struct tg_fault f;

		snprintf(check, sizeof(check), "hostile.ldm.%s", devices[i].name);
		expect_abort(check, tg_ldm, a);
		snprintf(check, sizeof(check), "hostile.stm.%s", devices[i].name);
		expect_abort(check, tg_stm, a);
		snprintf(check, sizeof(check), "hostile.ldrd.%s", devices[i].name);
		expect_abort(check, tg_ldrd, a);
		snprintf(check, sizeof(check), "hostile.strd.%s", devices[i].name);
		expect_abort(check, tg_strd, a);
		snprintf(check, sizeof(check), "hostile.ldr_writeback.%s", devices[i].name);
		expect_abort(check, tg_ldr_writeback, a);
		snprintf(check, sizeof(check), "hostile.str_writeback.%s", devices[i].name);
		expect_abort(check, tg_str_writeback, a);
		/* Exclusives and unaligned accesses to Device memory: any abort will do, */
		/* taken by the guest itself or injected by the hypervisor. */
		tg_fault_take();
		tg_ldrex(a);
		tg_strex(a, 0);
		f = tg_fault_take();
		snprintf(check, sizeof(check), "hostile.exclusive.%s", devices[i].name);
		tg_check(f.count >= 1 && f.kind == EXC_DABT, check, "faults %u", (unsigned)f.count);
		tg_ldr_unaligned(a + 1);
		f = tg_fault_take();
		snprintf(check, sizeof(check), "hostile.unaligned.%s", devices[i].name);
		tg_check(f.count == 1 && f.kind == EXC_DABT, check, "faults %u", (unsigned)f.count);
	}
}

/* ---- The distributor: other partitions' interrupts and CPUs ------------------------ */

/*
 * The words of ISPENDR, ISACTIVER, IGROUPR, ITARGETSR and ICFGR for the SPIs, with the
 * partition's own SPI (the virtual UART, INTID 33) masked out.
 */
#define SPI_STATE_WORDS (3 * 7 + 56 + 14)

static void spi_state(uint32_t *w)
{
	static const uint16_t bit_regs[] = { 0x200, 0x300, 0x080 };
	uint32_t i, r, n = 0;

	for (r = 0; r < ARRAY_SIZE(bit_regs); r++)
		for (i = 1; i < 8; i++)
			w[n++] = mmio_read32(GICD + bit_regs[r] + 4 * i) & ~(i == 1 ? BIT(1) : 0);
	for (i = 32; i < 256; i += 4)
		w[n++] = mmio_read32(GICD + 0x800 + i) & ~(i == 32 ? 0xff00U : 0);
	for (i = 2; i < 16; i++)
		w[n++] = mmio_read32(GICD + 0xc00 + 4 * i) & ~(i == 2 ? 0xcU : 0);
}

static void foreign_interrupts(void)
{
	uint32_t before[8], state[SPI_STATE_WORDS], after[SPI_STATE_WORDS], i, bad = 0;

	announce("foreign-interrupts",
		 "ignore enable, pending, active, group, priority, target and trigger writes to "
		 "interrupts the partition does not own, and SGIs to CPUs outside it");
	for (i = 0; i < 8; i++)
		before[i] = mmio_read32(GICD + 0x100 + 4 * i);
	spi_state(state);
	for (i = 1; i < 8; i++) {
		mmio_write32(GICD + 0x100 + 4 * i, 0xffffffff); /* ISENABLER */
		mmio_write32(GICD + 0x200 + 4 * i, 0xffffffff); /* ISPENDR */
		mmio_write32(GICD + 0x300 + 4 * i, 0xffffffff); /* ISACTIVER */
		mmio_write32(GICD + 0x080 + 4 * i, 0xffffffff); /* IGROUPR */
	}
	for (i = 32; i < 256; i += 4) {
		mmio_write32(GICD + 0x400 + i, 0x10101010); /* IPRIORITYR */
		mmio_write32(GICD + 0x800 + i, 0xffffffff); /* ITARGETSR */
	}
	for (i = 2; i < 16; i++)
		mmio_write32(GICD + 0xc00 + 4 * i, 0xaaaaaaaa); /* ICFGR: all edge */
	/* Only its own SPI (the virtual UART, INTID 33) may have changed. */
	for (i = 1; i < 8; i++)
		if ((mmio_read32(GICD + 0x100 + 4 * i) & ~(i == 1 ? BIT(1) : 0)) !=
		    (before[i] & ~(i == 1 ? BIT(1) : 0)))
			bad++;
	tg_check(bad == 0, "hostile.foreign.enable", "%u ISENABLER words changed", (unsigned)bad);
	for (i = 34; i < 256; i++)
		if (gic_irq_get_priority(i) != 0) {
			printf("TG hostile: priority of INTID %u reads 0x%x\n", (unsigned)i,
			       (unsigned)gic_irq_get_priority(i));
			bad++;
		}
	tg_check(bad == 0, "hostile.foreign.priority", "%u priorities stuck", (unsigned)bad);
	spi_state(after);
	for (i = 0, bad = 0; i < SPI_STATE_WORDS; i++)
		bad += state[i] != after[i];
	tg_check(bad == 0, "hostile.foreign.state",
		 "%u pending, active, group, target or trigger words changed", (unsigned)bad);
	for (i = 0; i < 16; i++)
		mmio_write32(GICD + 0xf00, (0xfeU << 16) | i); /* SGIs to every other CPU */
	mmio_write32(GICD + 0xf00, (1U << 24) | 1); /* to all others: there are none */
	/* None comes back to the sender (the heartbeat partition says if one reaches it). */
	bad = mmio_read32(GICD + 0x200) & 0xffffU; /* ISPENDR0's SGIs */
	for (i = 0; i < 4; i++)
		bad |= mmio_read32(GICD + 0xf20 + 4 * i); /* SPENDSGIR: by source CPU */
	tg_check(bad == 0, "hostile.foreign.sgi", "an SGI to other CPUs pending on the sender");
}

/* ---- SMC and HVC with random and boundary function IDs --------------------------- */

static bool stops_caller(uint32_t fid)
{
	/* CPU_OFF, SYSTEM_OFF, SYSTEM_RESET would end this run: tested elsewhere. */
	return fid == 0x84000002U || fid == 0x84000008U || fid == 0x84000009U;
}

/*
 * A function no one implements: not an Arm architecture call (owner 0), not a standard
 * service's (owner 4: PSCI answers its own), not in Tessera's range (owner 6).  SMCCC says
 * NOT_SUPPORTED (-1) for these, whatever the arguments.
 */
static bool unknown_fid(uint32_t fid)
{
	uint32_t owner = (fid >> 24) & 0x3f;

	return owner != 0 && owner != 4 && owner != 6;
}

static void random_calls(void)
{
	static const uint32_t boundary[] = {
		0,	    1,		0x7fffffff, 0x80000000, 0x80000001, 0x80000002, 0x8000ffff,
		0x83ffffff, 0x84000000, 0x84000001, 0x84000003, 0x84000004, 0x84000005, 0x84000006,
		0x84000007, 0x8400000a, 0x8400000b, 0x840000ff, 0x8400ffff, 0x85000000, 0x86000000,
		0x86000001, 0x86000002, 0x86000004, 0x86000005, 0x86000006, 0x86000007, 0x8600ff00,
		0x8600ff01, 0x8600ff02, 0x8600ff03, 0x8600ffff, 0xc4000003, 0xc6000000, 0xffffffff,
	};
	uint32_t n = tg_arg_u32("calls", 3000), i, answered = 0, wrong = 0;
	struct tg_fault f;

	announce("random-calls", "answer every HVC and SMC, random or boundary, with a value "
				 "(NOT_SUPPORTED for unknown IDs), never a fault");
	tg_fault_take();
	for (i = 0; i < ARRAY_SIZE(boundary) * 8 + n; i++) {
		uint32_t fid = i < ARRAY_SIZE(boundary) * 8 ? boundary[i / 8] : rng();
		uint32_t a1 = rng(), a2 = rng(), a3 = rng(), ret;

		if (stops_caller(fid))
			continue;
		if (fid == 0x86000003U)
			a2 &= 0xff; /* console writes: keep any junk short */
		if (i % 8 == 1) {
			a1 = 0;
			a2 = 0xffffffff;
		}
		smccc_use_smc(i & 1);
		ret = smccc_call(fid, a1, a2, a3).a0;
		if (unknown_fid(fid) && ret != 0xffffffffU && wrong++ == 0)
			printf("TG hostile: function 0x%08x answered 0x%08x\n", (unsigned)fid,
			       (unsigned)ret);
		answered++;
	}
	smccc_use_smc(false);
	f = tg_fault_take();
	tg_check(f.count == 0, "hostile.calls.no_fault", "%u faults", (unsigned)f.count);
	tg_check(wrong == 0 && answered > n, "hostile.calls.answered",
		 "%u of %u calls to unknown functions not NOT_SUPPORTED", (unsigned)wrong,
		 (unsigned)answered);
	tg_check(smccc_call(0x86000099U, 0, 0, 0).a0 == 0xffffffffU, "hostile.calls.unknown",
		 "not NOT_SUPPORTED");
}

static void psci_abuse(void)
{
	announce("psci", "refuse CPU_ON of foreign, nonexistent or running CPUs");
	tg_check(psci_cpu_on(0, (uintptr_t)guest_secondary_entry, 0) == PSCI_E_ALREADY_ON,
		 "hostile.psci.self", "CPU_ON of itself not ALREADY_ON");
	tg_check(psci_cpu_on(1, (uintptr_t)guest_secondary_entry, 0) == PSCI_E_INVALID_PARAMETERS,
		 "hostile.psci.foreign", "CPU_ON of another partition's CPU accepted");
	tg_check(psci_cpu_on(0x80000002U, (uintptr_t)guest_secondary_entry, 0) ==
			 PSCI_E_INVALID_PARAMETERS,
		 "hostile.psci.physical_mpidr", "a physical MPIDR accepted");
	tg_check(psci_cpu_on(0xff, (uintptr_t)guest_secondary_entry, 0) ==
			 PSCI_E_INVALID_PARAMETERS,
		 "hostile.psci.nonexistent", "CPU_ON of CPU 255 accepted");
	tg_check(psci_cpu_on(0x10000, (uintptr_t)guest_secondary_entry, 0) ==
			 PSCI_E_INVALID_PARAMETERS,
		 "hostile.psci.cluster", "CPU_ON in another cluster accepted");
}

/* ---- CP15 and CP14: trapped, denied, or harmless ---------------------------------- */

static void coprocessor_abuse(void)
{
	uint32_t actlr = tg_actlr_read(), i;
	struct tg_fault f;

	announce("coprocessors",
		 "ignore ACTLR writes, perform set/way maintenance only as clean+invalidate, make "
		 "keep the PMU's last counter the hypervisor's, Hyp registers UNDEFINED and debug "
		 "registers read as zero");
	tg_fault_take();
	tg_actlr_write(actlr ^ 0x40); /* the SMP bit */
	tg_check(tg_actlr_read() == actlr, "hostile.cp15.actlr", "ACTLR changed");
	for (i = 0; i < 2000; i++)
		tg_dcisw(rng());
	f = tg_fault_take();
	tg_check(f.count == 0, "hostile.cp15.setway", "%u faults", (unsigned)f.count);
	tg_pmu_attack();
	f = tg_fault_take();
	tg_check(f.count == 0, "hostile.cp15.pmu", "faults %u kind %u", (unsigned)f.count,
		 (unsigned)f.kind);
	tg_hyp_register_write();
	f = tg_fault_take();
	tg_check(f.count == 1 && f.kind == EXC_UNDEF, "hostile.cp15.hyp_register",
		 "faults %u kind %u", (unsigned)f.count, (unsigned)f.kind);
	tg_check(tg_dbgdidr_read() == 0, "hostile.cp14.debug", "DBGDIDR not zero");
	/*
	 * L2CTLR is trapped by HCR.TIDCP and reports the partition's CPUs on
	 * hardware; QEMU 7.2 does not implement that trap, so it is only shown.
	 */
	printf("TG hostile: L2CTLR reports %u CPUs\n",
	       (unsigned)(((tg_l2ctlr_read() >> 24) & 3) + 1));
	tg_udf();
	f = tg_fault_take();
	tg_check(f.count == 1 && f.kind == EXC_UNDEF, "hostile.undefined", "faults %u kind %u",
		 (unsigned)f.count, (unsigned)f.kind);
}

/* ---- Memory outside the partition ----------------------------------------------------- */

static void memory_probes(void)
{
	static const uintptr_t targets[] = { 0x52000000, 0x48000000, 0x48fff000, 0x08030000,
					     0x08040000, 0x09010000, 0x0a000000, 0xfffff000 };
	size_t i;
	uint32_t bad = 0;

	announce("memory", "abort every read, write and fetch outside the partition's memory");
	for (i = 0; i < ARRAY_SIZE(targets); i++) {
		struct tg_fault f;

		tg_read32(targets[i]);
		f = tg_fault_take();
		bad += !(f.count == 1 && f.far == targets[i]);
		tg_write32(targets[i], 0xbadc0de);
		f = tg_fault_take();
		bad += !(f.count == 1 && f.far == targets[i]);
		tg_try_exec(targets[i]);
		f = tg_fault_take();
		bad += !(f.count == 1 && f.kind == EXC_PABT);
	}
	bad += tg_probe_beyond_ram();
	tg_check(bad == 0, "hostile.memory", "%u accesses not aborted", (unsigned)bad);
}

/* ---- Storms and spins --------------------------------------------------------------- */

static volatile uint32_t storm_left;

static void storm_handler(uint32_t intid, void *arg)
{
	UNUSED(arg);
	if (storm_left && --storm_left)
		gic_send_sgi(intid, GIC_SGI_TO_SELF, 0);
}

static void storms_and_spins(void)
{
	uint32_t i, ms;
	uint64_t start;

	announce("storm-and-spin", "cost the other partitions nothing: an SGI storm, a WFE "
				   "spin and a WFI loop");
	gic_register(2, storm_handler, NULL);
	storm_left = tg_arg_u32("storm", 50000);
	cpu_irq_enable();
	gic_send_sgi(2, GIC_SGI_TO_SELF, 0);
	while (storm_left)
		cpu_wfi();
	cpu_irq_disable();
	/* Its last SGI was taken and completed: nothing of the storm is left pending or active. */
	tg_check(!(mmio_read32(GICD + 0x200) & BIT(2)) && !(mmio_read32(GICD + 0x300) & BIT(2)),
		 "hostile.storm", "SGI 2 still pending or active after the storm");
	for (i = 0; i < 200000; i++)
		tg_wfe();
	start = gtimer_virt_count();
	for (i = 0; i < 50; i++)
		tg_sleep_ms(1);
	ms = (uint32_t)(gtimer_count_to_ns(gtimer_virt_count() - start) / 1000000U);
	/* Each WFI slept to its timer's deadline: no sooner (a WFI that did not wait). */
	tg_check(ms >= 50 && ms < 1000, "hostile.spin", "50 sleeps of 1 ms took %u ms",
		 (unsigned)ms);
}

void tg_hostile(void)
{
	printf("TG hostile: attacking from partition \"%s\"\n",
	       fdt_getprop_string(guest_fdt(), fdt_path_offset(guest_fdt(), "/hypervisor"),
				  "partition-name"));
	gic_init();
	gic_cpu_init();
	tg_catch_faults();
	tg_fault_take();
	memory_probes();
	foreign_interrupts();
	undescribable_accesses();
	random_calls();
	psci_abuse();
	coprocessor_abuse();
	storms_and_spins();
	tg_done();
	tg_heartbeat_loop(tg_arg_u32("period", 100), tg_arg_u32("beats", 0));
}

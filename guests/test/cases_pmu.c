/*
 * The PMU as a partition sees it (issue 15): its own event counters (PMCR.N of them) and the
 * cycle counter, reset at every start of the partition; the hypervisor's counter beyond them
 * out of reach, and no counting in Hyp mode (the NSH filter bit never sticks).
 */
#include <stdio.h>

#include "abi/hypercall.h"
#include "testguest.h"

DEFINE_COPROCR_RW_FUNCS(pmcr, PMCR)
DEFINE_COPROCR_RW_FUNCS(pmcntenset, PMCNTENSET)
DEFINE_COPROCR_RW_FUNCS(pmcntenclr, PMCNTENCLR)
DEFINE_COPROCR_RW_FUNCS(pmovsr, PMOVSR)
DEFINE_COPROCR_RW_FUNCS(pmselr, PMSELR)
DEFINE_COPROCR_RW_FUNCS(pmccntr, PMCCNTR)
DEFINE_COPROCR_RW_FUNCS(pmxevtyper, PMXEVTYPER)
DEFINE_COPROCR_RW_FUNCS(pmxevcntr, PMXEVCNTR)
DEFINE_COPROCR_RW_FUNCS(pmuserenr, PMUSERENR)
DEFINE_COPROCR_RW_FUNCS(pmintenset, PMINTENSET)

#define PMCR_E BIT(0)
#define PMCR_P BIT(1)
#define PMCR_C BIT(2)
#define PMCR_N(pmcr) (((pmcr) >> 11) & 0x1f)
#define PMU_CYCLES BIT(31)
#define PMU_NSH BIT(27)
#define EVENT_CPU_CYCLES 0x11

static uint32_t counter_read(uint32_t n)
{
	write_pmselr(n);
	isb();
	return read_pmxevcntr();
}

/* What survived of a previous run: 0 if the PMU is as after a reset. */
uint32_t tg_pmu_dirty(void)
{
	uint32_t n = PMCR_N(read_pmcr()), i, dirty = 0;

	dirty += (read_pmcr() & PMCR_E) != 0;
	dirty += read_pmcntenset() != 0;
	dirty += read_pmintenset() != 0;
	dirty += read_pmovsr() != 0;
	dirty += read_pmuserenr() != 0;
	dirty += read_pmccntr() != 0;
	for (i = 0; i < n; i++) {
		dirty += counter_read(i) != 0;
		dirty += read_pmxevtyper() != 0;
	}
	write_pmselr(31); /* PMCCFILTR */
	isb();
	dirty += read_pmxevtyper() != 0;
	write_pmselr(0);
	if (dirty)
		printf("TG pmu: %u registers kept a previous run's value (PMCR 0x%08x PMCNTENSET "
		       "0x%08x PMCCNTR %u)\n",
		       (unsigned)dirty, (unsigned)read_pmcr(), (unsigned)read_pmcntenset(),
		       (unsigned)read_pmccntr());
	return dirty;
}

/*
 * Count: event counter 0 on CPU cycles and the cycle counter, both asked to count in Hyp mode
 * too (which must not stick); then leave everything running, overflow interrupt and PL0 access
 * enabled, for the next run to find reset.
 */
void tg_pmu_exercise(void)
{
	uint32_t n = PMCR_N(read_pmcr()), c0, cc;
	volatile uint32_t spin;

	tg_check(n >= 1 && n < 31, "pmu.counters", "PMCR.N %u", (unsigned)n);
	write_pmselr(0);
	write_pmxevtyper(PMU_NSH | EVENT_CPU_CYCLES);
	isb();
	tg_check(read_pmxevtyper() == EVENT_CPU_CYCLES, "pmu.no_hyp_events", "PMXEVTYPER 0x%08x",
		 (unsigned)read_pmxevtyper());
	write_pmselr(31);
	write_pmxevtyper(PMU_NSH);
	isb();
	tg_check(read_pmxevtyper() == 0, "pmu.no_hyp_cycles", "PMCCFILTR 0x%08x",
		 (unsigned)read_pmxevtyper());
	write_pmcntenset(PMU_CYCLES | BIT(0) | BIT(n)); /* counter n is not the partition's */
	isb();
	tg_check(read_pmcntenset() == (PMU_CYCLES | BIT(0)), "pmu.enable", "PMCNTENSET 0x%08x",
		 (unsigned)read_pmcntenset());
	write_pmcr(PMCR_E | PMCR_P | PMCR_C);
	isb();
	for (spin = 0; spin < 1000; spin++)
		;
	c0 = counter_read(0);
	cc = read_pmccntr();
	tg_check(c0 > 0 && cc > 0, "pmu.counting", "counter 0 %u, cycle counter %u", (unsigned)c0,
		 (unsigned)cc);
	write_pmintenset(BIT(0));
	write_pmuserenr(1);
}

/*
 * The hostile partition goes for the hypervisor's counter (the one past PMCR.N): select it,
 * rewrite it, stop every counter, reset them all.  The hypervisor's Hyp cycle count, as
 * CPU_STATS reports it, must keep rising.
 */
void tg_pmu_attack(void)
{
	uint32_t n = PMCR_N(read_pmcr()), before, a, b;

	before = smccc_call(TESSERA_FID_CPU_STATS, 0, 0, 0).a1;
	write_pmselr(n);
	write_pmxevcntr(0);
	write_pmxevtyper(0);
	isb();
	tg_check(read_pmxevcntr() == 0, "hostile.pmu.hyp_counter_hidden", "PMXEVCNTR %u",
		 (unsigned)read_pmxevcntr());
	write_pmcntenclr(~0U);
	write_pmcr(PMCR_P | PMCR_C);
	isb();
	a = smccc_call(TESSERA_FID_CPU_STATS, 0, 0, 0).a1;
	b = smccc_call(TESSERA_FID_CPU_STATS, 0, 0, 0).a1;
	tg_check(before < a && a < b, "hostile.pmu.hyp_counter", "Hyp cycles %u, %u, %u",
		 (unsigned)before, (unsigned)a, (unsigned)b);
	write_pmselr(0);
}

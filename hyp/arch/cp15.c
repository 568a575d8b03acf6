/*
 * Trapped coprocessor accesses (ARM ARM B3.13.6, EC 0x03-0x0c):
 *
 *   ACTLR (HCR.TAC)            reads the physical value, writes ignored
 *   L2CTLR/L2ECTLR (HCR.TIDCP) read with the partition's CPU count, writes ignored
 *   other implementation-defined CP15 (TIDCP): UNDEFINED, as on a core without them
 *   set/way maintenance (HCR.TSW): performed as clean+invalidate, after checking
 *                              the level, set and way against the cache geometry
 *   CP15 c15 (HSTR.T15)        reads as zero, writes ignored
 *   PMU (HDCR.TPM/TPMCR)       the partition's counters (those below HDCR.HPMN and the
 *                              cycle counter), each access checked: pmu_access()
 *   CP14 debug/trace (HDCR.TDA/TDRA/TDOSA, HCPTR.TTA): read as zero, writes ignored (not
 *                              passed through: docs/threat-model.md, G10)
 *
 * Every emulated instruction is skipped afterwards; one whose condition fails
 * is just skipped.
 */
#include "arch/sysreg.h"
#include "hyp/arch/hsr.h"
#include "hyp/arch/inject.h"
#include "hyp/arch/regs.h"
#include "hyp/arch/trap.h"
#include "hyp/core/cpu.h"
#include "hyp/core/partition.h"

/* The register an MCR/MRC syndrome names: Opc2, Opc1, CRn and CRm (B3.13.6, Table B3-26). */
#define CP_REG(opc1, crn, crm, opc2)                                                               \
	(((u32)(opc2) << HSR_CP_OPC2_SHIFT) | ((u32)(opc1) << HSR_CP_OPC1_SHIFT) |                 \
	 ((u32)(crn) << HSR_CP_CRN_SHIFT) | ((u32)(crm) << HSR_CP_CRM_SHIFT))
#define CP_REG_MASK CP_REG(7, 15, 15, 7)

#define REG_ACTLR CP_REG(0, 1, 0, 1)
#define REG_L2CTLR CP_REG(1, 9, 0, 2)
#define REG_L2ECTLR CP_REG(1, 9, 0, 3)
#define REG_DCISW CP_REG(0, 7, 6, 2)
#define REG_DCCSW CP_REG(0, 7, 10, 2)
#define REG_DCCISW CP_REG(0, 7, 14, 2)

/*
 * A set/way operand (B4.2.1, "set/way"): level in bits [3:1], way in the top
 * bits, set above the line offset.  Valid if that level has a data cache and
 * the set and way exist in it.
 */
static bool setway_valid(u32 value)
{
	u32 level = (value >> 1) & 7, clidr = read_clidr(), type, ccsidr, saved;
	u32 line_shift, assoc, sets, way_shift;

	if (level >= ((clidr >> 24) & 7)) /* at or beyond the Level of Coherency */
		return false;
	type = (clidr >> (3 * level)) & 7;
	if (type < 2) /* no cache, or instruction only */
		return false;
	saved = read_csselr(); /* CSSELR is the guest's: borrow it and put it back */
	write_csselr(level << 1);
	isb();
	ccsidr = read_ccsidr();
	/*
	 * No ISB after: nothing here reads CSSELR again, and the exception return to the guest
	 * is a context synchronization operation (ARM ARM, Glossary) that makes it the guest's.
	 */
	write_csselr(saved);
	line_shift = (ccsidr & 7) + 4;
	assoc = (ccsidr >> 3) & 0x3ff; /* ways - 1 */
	sets = ((ccsidr >> 13) & 0x7fff) + 1;
	/*
	 * The way in the top log2(ways) bits.  One way: no way bits, and bit 31 taken as one
	 * (it must be clear): set at most 2^15 - 1 and line_shift at least 4 leave it clear in
	 * every valid set's operand anyway.
	 */
	way_shift = (u32)__builtin_clz(assoc | 1);
	if ((value >> way_shift) > assoc)
		return false;
	if (((value & ((1U << way_shift) - 1)) >> line_shift) >= sets)
		return false;
	return (value & (((1U << line_shift) - 1) & ~0xeU)) == 0; /* reserved bits */
}

/*
 * The PMU (ARM ARM C12, HDCR B4.1.64).  A partition's counters are the physical event counters
 * below HDCR.HPMN and the cycle counter; the last event counter is the hypervisor's (stats.c).
 * Its accesses are trapped rather than passed through because ARMv7 leaves three holes that
 * only software closes: PL1 may set the NSH filter bit (PMXEVTYPER, PMCCFILTR) and count events
 * in Hyp mode (ARMv7 has no HDCR.HPMD); PMXEVTYPER/PMXEVCNTR with PMSELR >= HPMN are
 * UNPREDICTABLE from PL1; and QEMU 7.2 ignores HPMN for PL1's PMCNTEN*, PMINTEN*, PMOVS* and
 * PMXEV* accesses, so a guest could stop or rewrite the hypervisor's counter there.  Here PMCR.N
 * reads as HPMN, every counter mask is cut to the partition's counters, NSH is cleared, PMCR.P
 * is done counter by counter (from Hyp mode it would reset the hypervisor's too) and the
 * hypervisor's counter reads as zero and ignores writes.
 */
/* PMU registers by a dense index, c9 (opc1 0) c12-c14 and opc2: a small switch, not a ladder. */
#define PMU_REG(crm, opc2) (((crm)-12) * 8 + (opc2))

static void pmu_zero_counters(u32 hpmn, u32 sel)
{
	while (hpmn--) { /* (last counter first: any order) */
		write_pmselr(hpmn);
		write_pmxevcntr(0);
	}
	write_pmselr(sel);
}

/*
 * The partition's read (returned) or write of v to the PMU register an MCR/MRC names, cut to
 * its own counters and filters (PMCEID0/1 and PMSWINC read as zero: no common event
 * described).  One switch for both directions: each register's read and write side by side.
 */
static __attribute__((noinline)) u32 pmu_access(u32 hsr, u32 v, bool read)
{
	u32 hpmn = read_hdcr() & HDCR_HPMN_MASK, mask = PMCNTEN_C | (BIT(hpmn) - 1);
	u32 sel = read_pmselr() & PMCR_N_MASK;
	u32 vm = v & mask; /* a write to a counter mask, cut to the partition's */

	switch (PMU_REG((hsr >> HSR_CP_CRM_SHIFT) & 0xf, (hsr >> HSR_CP_OPC2_SHIFT) & 7)) {
	case PMU_REG(12, 0): /* PMCR: N is the partition's count */
		if (read)
			return (read_pmcr() & ~(PMCR_N_MASK << PMCR_N_SHIFT)) |
			       hpmn << PMCR_N_SHIFT;
		if (v & PMCR_P)
			pmu_zero_counters(hpmn, sel);
		write_pmcr(v & PMCR_GUEST_WRITABLE);
		break;
	case PMU_REG(12, 1): /* PMCNTENSET */
		if (read)
			return read_pmcntenset() & mask;
		write_pmcntenset(vm);
		break;
	case PMU_REG(12, 2): /* PMCNTENCLR */
		if (read)
			return read_pmcntenset() & mask;
		write_pmcntenclr(vm);
		break;
	case PMU_REG(12, 3): /* PMOVSR */
		if (read)
			return read_pmovsr() & mask;
		write_pmovsr(vm);
		break;
	case PMU_REG(14, 3): /* PMOVSSET (Virtualization Extensions) */
		if (read)
			return read_pmovsr() & mask;
		write_pmovsset(vm);
		break;
	case PMU_REG(12, 4): /* PMSWINC: bit 31 reserved */
		if (!read)
			write_pmswinc(vm & ~PMCNTEN_C);
		break;
	case PMU_REG(12, 5): /* PMSELR */
		if (read)
			return sel;
		write_pmselr(v & PMCR_N_MASK);
		break;
	case PMU_REG(13, 0): /* PMCCNTR */
		if (read)
			return read_pmccntr();
		write_pmccntr(v);
		break;
	case PMU_REG(13, 1): /* PMXEVTYPER, or PMCCFILTR when PMSELR is 31: never counting in Hyp */
		if (sel >= hpmn && sel != PMSELR_CCFILTR)
			break; /* not the partition's: the hypervisor's counter, or none */
		if (read)
			return read_pmxevtyper();
		write_pmxevtyper(v & ~PMFILTER_NSH);
		break;
	case PMU_REG(13, 2): /* PMXEVCNTR */
		if (sel >= hpmn)
			break; /* not the partition's, or PMCCFILTR (31: HPMN is 31 at most) */
		if (read)
			return read_pmxevcntr();
		write_pmxevcntr(v);
		break;
	case PMU_REG(14, 0): /* PMUSERENR: EN is its only bit in ARMv7 */
		if (read)
			return read_pmuserenr();
		write_pmuserenr(v & 1);
		break;
	case PMU_REG(14, 1): /* PMINTENSET */
		if (read)
			return read_pmintenset() & mask;
		write_pmintenset(vm);
		break;
	case PMU_REG(14, 2): /* PMINTENCLR */
		if (read)
			return read_pmintenset() & mask;
		write_pmintenclr(vm);
		break;
	default:
		break;
	}
	return 0;
}

/* An MCR/MRC to CP15 the hypervisor answers; false if it is not offered (UNDEFINED). */
static bool cp15_access(struct regs *r, u32 hsr, u32 rt, bool read)
{
	u32 value = 0, operand = read ? 0 : guest_reg_read(r, rt);
	/*
	 * HCR.TIDCP may trap PL0's accesses to the implementation-defined registers too, where
	 * the core would make them UNDEFINED (B4.1.65): PL0 gets UNDEFINED here as well.
	 */
	bool pl0 = (read_spsr() & PSR_MODE_MASK) == PSR_MODE_USR;

	switch (hsr & CP_REG_MASK) {
	case REG_ACTLR:
		value = read_actlr();
		break;
	case REG_L2CTLR: /* Cortex-A15/A7: the number of CPUs in [25:24] */
		if (pl0)
			return false;
		value = (read_l2ctlr() & ~(3U << 24)) |
			((this_cpu()->vcpu->part->cfg->cpu_count - 1) << 24);
		break;
	case REG_DCISW:
	case REG_DCCSW:
	case REG_DCCISW:
		/* Never discard, only clean+invalidate (the spirit of HCR.SWIO). */
		if (!read && setway_valid(operand)) {
			write_dccisw(operand);
			dsb();
		}
		return true;
	default:
		if ((hsr & CP_REG(7, 15, 0, 0)) == CP_REG(0, 9, 0, 0) &&
		    ((hsr >> HSR_CP_CRM_SHIFT) & 0xf) - 12 < 3) {
			value = pmu_access(hsr, operand, read); /* c9, opc1 0, c12-c14 */
			break;
		}
		/* L2ECTLR, and HSTR.T15: implementation-defined c15, read as zero. */
		if (pl0 ||
		    ((hsr & CP_REG_MASK) != REG_L2ECTLR && ((hsr >> HSR_CP_CRN_SHIFT) & 0xf) != 15))
			return false; /* implementation-defined registers this core does not offer */
		break;
	}
	/* (Not guest_reg_set: its r0-r7 shortcut is code again here, off the fast path.) */
	if (read)
		guest_reg_write(r, rt, value);
	return true;
}

/*
 * The common case first: an unconditional MRC of ACTLR (Linux and the RTOS read it at every
 * CPU start; make bench times it) into r0-r7, in ARM or Thumb (MRC is always 32 bits wide).
 */
#define CP_FAST_MASK                                                                               \
	(GENMASK(31, HSR_EC_SHIFT) | HSR_CV | HSR_COND_MASK | CP_REG_MASK | HSR_CP_READ |          \
	 BIT(HSR_CP_RT_SHIFT + 3))
#define CP_FAST_ACTLR                                                                              \
	(((u32)HSR_EC_CP15_32 << HSR_EC_SHIFT) | HSR_CV | (0xeU << HSR_COND_SHIFT) | REG_ACTLR |   \
	 HSR_CP_READ)

/* Everything but the fast path below: Thumb, like the rest of the hypervisor's C. */
static __attribute__((noinline)) void cp_trap_slow(struct regs *r, u32 hsr)
{
	u32 ec = hsr_ec(hsr), rt = (hsr >> HSR_CP_RT_SHIFT) & 0xf;
	bool read = hsr & HSR_CP_READ;

	/* (Not guest_cond_passed: its shortcut for AL is code again here, off the fast path.) */
	if (hsr_cond_check(hsr, read_spsr())) {
		if (ec == HSR_EC_CP15_32) {
			if (!cp15_access(r, hsr, rt, read)) {
				inject_undef(r, hsr);
				return;
			}
		} else if (ec == HSR_EC_CP14_32 || ec == HSR_EC_CP14_64) {
			/* Debug and trace registers: read as zero (MRRC: Rt2 too, ISS[13:10]),
			 * writes ignored. */
			if (read) {
				guest_reg_write(r, rt, 0);
				if (ec == HSR_EC_CP14_64)
					guest_reg_write(r, (hsr >> 10) & 0xf, 0);
			}
		} else {
			/*
			 * MCRR/MRRC to CP15, HCPTR-trapped coprocessors, CP10 ID, and LDC/STC to
			 * the debug registers (a debug channel this core does not offer: DBGDIDR
			 * reads 0; skipping one would lose its base register's writeback): not
			 * offered.
			 */
			inject_undef(r, hsr);
			return;
		}
	}
	guest_skip_instruction(hsr);
}

/*
 * ARM state (its Thumb-2 form costs a few instructions more on the fast path); everything
 * else in this file is Thumb.  The fast path skips the MRC itself: it is 32 bits wide in
 * either state, and a Thumb guest's IT state is advanced out of line.
 */
#ifdef __arm__
#define ARM_STATE __attribute__((target("arm")))
#else
#define ARM_STATE /* host builds (tests/fuzz) */
#endif

ARM_STATE void cp_trap(struct regs *r, u32 hsr)
{
	u32 spsr;

	this_cpu()->stats.count[STATS_CP]++;
	if ((hsr & CP_FAST_MASK) != CP_FAST_ACTLR) {
		cp_trap_slow(r, hsr);
		return;
	}
	r->r[(hsr >> HSR_CP_RT_SHIFT) & 7] = read_actlr();
	write_elr_hyp(read_elr_hyp() + 4);
	spsr = read_spsr();
	if (spsr & PSR_T)
		guest_it_advance(spsr);
}

/*
 * Trapped coprocessor accesses (ARM ARM B3.13.6, EC 0x03-0x0c):
 *
 *   ACTLR (HCR.TAC)            reads the physical value, writes ignored
 *   L2CTLR/L2ECTLR (HCR.TIDCP) read with the partition's CPU count, writes ignored
 *   other implementation-defined CP15 (TIDCP): UNDEFINED, as on a core without them
 *   set/way maintenance (HCR.TSW): performed as clean+invalidate, after checking
 *                              the level, set and way against the cache geometry
 *   CP15 c15 (HSTR.T15)        reads as zero, writes ignored
 *   PMU (HDCR.TPM/TPMCR)       UNDEFINED: the counters see the hypervisor
 *   CP14 debug/trace (HDCR.TDA/TDRA/TDOSA, HCPTR.TTA): read as zero, writes ignored
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
	u32 line_shift, ways, sets, way_shift;

	if (level >= ((clidr >> 24) & 7)) /* at or beyond the Level of Coherency */
		return false;
	type = (clidr >> (3 * level)) & 7;
	if (type < 2) /* no cache, or instruction only */
		return false;
	saved = read_csselr(); /* CSSELR is the guest's: borrow it and put it back */
	write_csselr(level << 1);
	isb();
	ccsidr = read_ccsidr();
	write_csselr(saved);
	isb();
	line_shift = (ccsidr & 7) + 4;
	ways = ((ccsidr >> 3) & 0x3ff) + 1;
	sets = ((ccsidr >> 13) & 0x7fff) + 1;
	way_shift = ways > 1 ? (u32)__builtin_clz(ways - 1) : 32;
	if (ways > 1 && (value >> way_shift) >= ways)
		return false;
	if (((value & (way_shift < 32 ? (1U << way_shift) - 1 : ~0U)) >> line_shift) >= sets)
		return false;
	return (value & (((1U << line_shift) - 1) & ~0xeU)) == 0; /* reserved bits */
}

static void cp15_access(struct regs *r, u32 hsr)
{
	u32 rt = (hsr >> HSR_CP_RT_SHIFT) & 0xf, value;
	bool read = hsr & HSR_CP_READ;

	switch (hsr & CP_REG_MASK) {
	case REG_ACTLR:
		value = read_actlr();
		break;
	case REG_L2CTLR: /* Cortex-A15/A7: the number of CPUs in [25:24] */
		value = (read_l2ctlr() & ~(3U << 24)) |
			((this_cpu()->vcpu->part->cfg->cpu_count - 1) << 24);
		break;
	case REG_L2ECTLR:
		value = 0;
		break;
	case REG_DCISW:
	case REG_DCCSW:
	case REG_DCCISW:
		/* Never discard, only clean+invalidate (the spirit of HCR.SWIO). */
		if (!read) {
			u32 operand = guest_reg_read(r, rt);

			if (setway_valid(operand)) {
				write_dccisw(operand);
				dsb();
			}
		}
		guest_skip_instruction(hsr);
		return;
	default:
		if (((hsr >> HSR_CP_CRN_SHIFT) & 0xf) == 15) {
			value = 0; /* HSTR.T15: implementation-defined c15 reads as zero */
			break;
		}
		/* PMU, and implementation-defined registers this core does not offer. */
		inject_undef(r, hsr);
		return;
	}
	if (read)
		guest_reg_set(r, rt, value);
	guest_skip_instruction(hsr);
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

void cp_trap(struct regs *r, u32 hsr)
{
	u32 ec = hsr_ec(hsr);

	this_cpu()->stats.count[STATS_CP]++;
	if ((hsr & CP_FAST_MASK) == CP_FAST_ACTLR) {
		r->r[(hsr >> HSR_CP_RT_SHIFT) & 7] = read_actlr();
		guest_skip_instruction(hsr);
		return;
	}

	if (!guest_cond_passed(hsr)) {
		guest_skip_instruction(hsr);
		return;
	}
	switch (ec) {
	case HSR_EC_CP15_32:
		cp15_access(r, hsr);
		return;
	case HSR_EC_CP14_32:
	case HSR_EC_CP14_64:
		/* Debug and trace registers: read as zero (MRRC: Rt2 too, ISS[13:10]), writes ignored. */
		if (hsr & HSR_CP_READ) {
			guest_reg_write(r, (hsr >> HSR_CP_RT_SHIFT) & 0xf, 0);
			if (hsr_ec(hsr) == HSR_EC_CP14_64)
				guest_reg_write(r, (hsr >> 10) & 0xf, 0);
		}
		guest_skip_instruction(hsr);
		return;
	case HSR_EC_CP14_LS:
		guest_skip_instruction(hsr); /* LDC/STC to the debug registers: ignored */
		return;
	default:
		/* MCRR/MRRC to CP15, HCPTR-trapped coprocessors, CP10 ID: not offered. */
		inject_undef(r, hsr);
		return;
	}
}

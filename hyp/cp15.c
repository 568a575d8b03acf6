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
#include "hyp.h"
#include "hsr.h"
#include "sysreg.h"

struct cp_access {
	u32 opc1, crn, crm, opc2, rt;
	bool read;
};

static struct cp_access decode(u32 hsr)
{
	return (struct cp_access){
		.opc1 = (hsr >> HSR_CP_OPC1_SHIFT) & 7,
		.crn = (hsr >> HSR_CP_CRN_SHIFT) & 0xf,
		.crm = (hsr >> HSR_CP_CRM_SHIFT) & 0xf,
		.opc2 = (hsr >> HSR_CP_OPC2_SHIFT) & 7,
		.rt = (hsr >> HSR_CP_RT_SHIFT) & 0xf,
		.read = hsr & HSR_CP_READ,
	};
}

static bool is(const struct cp_access *a, u32 opc1, u32 crn, u32 crm, u32 opc2)
{
	return a->opc1 == opc1 && a->crn == crn && a->crm == crm && a->opc2 == opc2;
}

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

static void cp15_access(struct vcpu *v, struct regs *r, u32 hsr)
{
	struct cp_access a = decode(hsr);
	u32 value = 0;

	if (is(&a, 0, 1, 0, 1)) { /* ACTLR */
		value = read_actlr();
	} else if (is(&a, 1, 9, 0, 2)) { /* L2CTLR: Cortex-A15/A7 TRM 4.3.? */
		value = (read_l2ctlr() & ~(3U << 24)) | ((v->part->cfg->cpu_count - 1) << 24);
	} else if (is(&a, 1, 9, 0, 3)) { /* L2ECTLR */
		value = 0;
	} else if (a.crn == 7 && a.opc1 == 0 && !a.read &&
		   (is(&a, 0, 7, 6, 2) || is(&a, 0, 7, 10, 2) || is(&a, 0, 7, 14, 2))) {
		/* DCISW, DCCSW, DCCISW: never discard, only clean+invalidate (HCR.SWIO spirit). */
		u32 operand = guest_reg_read(r, a.rt);

		if (setway_valid(operand)) {
			write_dccisw(operand);
			dsb();
		}
		guest_skip_instruction(hsr);
		return;
	} else if (a.crn == 15) {
		value = 0; /* HSTR.T15: implementation-defined c15 reads as zero */
	} else {
		/* PMU, and implementation-defined registers this core does not offer. */
		inject_undef(r, hsr);
		return;
	}
	if (a.read)
		guest_reg_write(r, a.rt, value);
	guest_skip_instruction(hsr);
}

void cp_trap(struct vcpu *v, struct regs *r, u32 hsr)
{
	if (!hsr_cond_passed(hsr, read_spsr())) {
		guest_skip_instruction(hsr);
		return;
	}
	switch (hsr_ec(hsr)) {
	case HSR_EC_CP15_32:
		cp15_access(v, r, hsr);
		return;
	case HSR_EC_CP14_32:
		/* Debug and trace registers: read as zero, writes ignored. */
		if (hsr & HSR_CP_READ)
			guest_reg_write(r, (hsr >> HSR_CP_RT_SHIFT) & 0xf, 0);
		guest_skip_instruction(hsr);
		return;
	case HSR_EC_CP14_64:
		/* MRRC p14: both registers read as zero (Rt2 in ISS[13:10]). */
		if (hsr & HSR_CP_READ) {
			guest_reg_write(r, (hsr >> HSR_CP_RT_SHIFT) & 0xf, 0);
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

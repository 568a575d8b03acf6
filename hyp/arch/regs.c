/*
 * The guest's CPU state that lives in the physical CPU while it runs: the
 * Hyp-mode traps and controls set at every vCPU start, the PL1 registers
 * reset to what a Cortex-A15/A7 has after reset, and the banked registers
 * of every mode read and written on the guest's behalf.
 *
 * The Hyp-mode traps and controls, one reason per bit:
 */
#include "hyp/arch/regs.h"
#include "mm/mm.h"

/*
 * HCR for every guest (ARM ARM B4.1.65), one reason per bit.  Not FB: a vCPU never moves to
 * another CPU, so its local TLB, branch predictor and I-cache maintenance needs no broadcast,
 * and a broadcast ICIALLU or BPIALL would reach every CPU of the Inner Shareable domain, the
 * other partitions' too (Linux on a Cortex-A15 whose firmware set ACTLR.IBE issues one at
 * every context switch).
 */
#define HCR_GUEST                                                                                  \
	(HCR_VM | /* stage-2 translation: the partition's own memory only */                       \
	 HCR_SWIO | /* a set/way invalidate cleans too: never discard others' data */              \
	 HCR_PTW | /* stage-1 walks that hit Device memory fault */                                \
	 HCR_FMO | /* physical FIQs are the hypervisor's; virtual FIQ enabled */                   \
	 HCR_IMO | /* physical IRQs are the hypervisor's; virtual IRQ enabled */                   \
	 HCR_AMO | /* asynchronous aborts come to the hypervisor first */                          \
	 HCR_BSU_INNER | /* barriers at least inner shareable, like the partition's memory */      \
	 HCR_TSC | /* SMC traps: PSCI is answered by the hypervisor */                             \
	 HCR_TIDCP | /* implementation-defined CP15 (L2CTLR, ...) is emulated */                   \
	 HCR_TAC | /* ACTLR (SMP bit, errata workarounds) is the hypervisor's */                   \
	 HCR_TSW) /* set/way maintenance reaches the shared L2: checked first */

/*
 * HDCR (B4.1.64): PMU accesses trap, to be checked (cp15.c, pmu_access()); the debug
 * registers are not the guest's.
 */
#define HDCR_GUEST (HDCR_TPM | HDCR_TPMCR | HDCR_TDRA | HDCR_TDOSA | HDCR_TDA)

/* HCPTR (B4.1.63): trace registers trap; VFP and Advanced SIMD stay the guest's own. */
#define HCPTR_GUEST (HCPTR_RES1 | HCPTR_TTA)

/* HSTR (B4.1.72): CP15 c15 (implementation-defined, e.g. CBAR) reads as zero. */
#define HSTR_GUEST HSTR_T(15)

/* Cortex-A15/A7 reset values of the PL1 registers (TRMs, "System control" chapters). */
#define SCTLR_RESET 0x00c50078U
#define PRRR_RESET 0x00098aa4U
#define NMRR_RESET 0x44e048e0U

/*
 * The guest's banked registers (B9.3.9, MRS/MSR banked) that are general-purpose registers:
 * SP_usr, then SP and LR of each exception mode, r8-r12 of FIQ mode.  The SPSRs are not
 * among them: written at reset and exception entry only, each by its own MSR.
 */
enum {
	BANKED_SP_USR = 0,
	BANKED_SVC = 1,
	BANKED_ABT = 3,
	BANKED_UND = 5,
	BANKED_IRQ = 7,
	BANKED_FIQ = 9,
	BANKED_R8_FIQ = 11,
	BANKED_COUNT = 16,
};

static u32 (*const banked_read[BANKED_COUNT])(void) = {
	read_SP_usr, read_SP_svc,  read_LR_svc,	 read_SP_abt,  read_LR_abt, read_SP_und,
	read_LR_und, read_SP_irq,  read_LR_irq,	 read_SP_fiq,  read_LR_fiq, read_r8_fiq,
	read_r9_fiq, read_r10_fiq, read_r11_fiq, read_r12_fiq,
};

static void (*const banked_write[BANKED_COUNT])(u32) = {
	write_SP_usr, write_SP_svc,  write_LR_svc,  write_SP_abt,  write_LR_abt, write_SP_und,
	write_LR_und, write_SP_irq,  write_LR_irq,  write_SP_fiq,  write_LR_fiq, write_r8_fiq,
	write_r9_fiq, write_r10_fiq, write_r11_fiq, write_r12_fiq,
};

/* The SP, LR of each mode, by mode number; User and System (and the rest): SP_usr. */
static const u8 mode_banked[32] = {
	[PSR_MODE_SVC] = BANKED_SVC, [PSR_MODE_ABT] = BANKED_ABT, [PSR_MODE_UND] = BANKED_UND,
	[PSR_MODE_IRQ] = BANKED_IRQ, [PSR_MODE_FIQ] = BANKED_FIQ,
};

/*
 * The partition's PMU counters as after a reset, nothing of a previous run or partition kept:
 * disabled, no overflow or interrupt enabled, counts, event types and filters zero, PL0 access
 * off.  Counter by counter, not PMCR.P: from Hyp mode P would reset the hypervisor's counter.
 */
static void pmu_reset(void)
{
	u32 hpmn = read_hdcr() & HDCR_HPMN_MASK, mask = PMCNTEN_C | (BIT(hpmn) - 1), i;

	write_pmcntenclr(mask);
	write_pmintenclr(mask);
	write_pmovsr(mask);
	write_pmcr(PMCR_C); /* E clear; the cycle counter zeroed */
	write_pmuserenr(0);
	for (i = 0; i < hpmn; i++) {
		write_pmselr(i);
		write_pmxevtyper(0);
		write_pmxevcntr(0);
	}
	write_pmselr(PMSELR_CCFILTR);
	write_pmxevtyper(0);
	write_pmselr(0);
}

void guest_arch_reset(u32 vcpu_index)
{
	u32 i;

	/* Hyp controls. */
	write_hcr(HCR_GUEST);
	/* HPMN and HPME as stats_cpu_init() set them: the last counter stays Hyp's. */
	write_hdcr(HDCR_GUEST | (read_hdcr() & (HDCR_HPME | HDCR_HPMN_MASK)));
	write_hcptr(HCPTR_GUEST);
	write_hstr(HSTR_GUEST);
	write_vpidr(read_midr());
	write_vmpidr(BIT(31) | vcpu_index); /* Aff0 = vCPU index: what PSCI CPU_ON takes */
	write_vtcr(s2_vtcr());
	write_cnthctl(CNTHCTL_PL1PCTEN | CNTHCTL_PL1PCEN);

	/* PL1 system registers, timers and the banked registers of every mode, as after a reset. */
	write_sctlr(SCTLR_RESET);
	write_prrr(PRRR_RESET);
	write_nmrr(NMRR_RESET);
	/* PL1 registers and timers that reset to zero (the timers stopped, nothing pending). */
	write_cpacr(0);
	write_ttbcr(0);
	write_dacr(0);
	write_dfsr(0);
	write_ifsr(0);
	write_adfsr(0);
	write_aifsr(0);
	write_dfar(0);
	write_ifar(0);
	write_amair0(0);
	write_amair1(0);
	write_vbar(0);
	write_fcseidr(0);
	write_contextidr(0);
	write_tpidrurw(0);
	write_tpidruro(0);
	write_tpidrprw(0);
	write_csselr(0);
	write_cntkctl(0);
	write_cntv_ctl(0);
	write_cntp_ctl(0);
	write64_cntvoff(0);
	write64_ttbr0(0);
	write64_ttbr1(0);
	write64_par(0);
	write64_cntv_cval(0);
	write64_cntp_cval(0);
	for (i = 0; i < BANKED_COUNT; i++)
		banked_write[i](0);
	/* The SPSRs inline: an out-of-line writer each would be used here only. */
	write_SPSR_svc(0);
	write_SPSR_abt(0);
	write_SPSR_und(0);
	write_SPSR_irq(0);
	write_SPSR_fiq(0);
	/*
	 * ThumbEE (ARM ARM A2.12): not trapped (HSTR.TTEE clear) and the guest's
	 * own, so a restart must not inherit them.  Their reset values are
	 * UNKNOWN; 0 is a valid one.  The access is UNDEFINED where ThumbEE is
	 * not implemented (ID_PFR0.State3 == 0, B4.1.93).
	 */
	if (read_id_pfr0() & ID_PFR0_STATE3_MASK) {
		write_teecr(0);
		write_teehbr(0);
	}

	pmu_reset();
	vfp_reset();
	/*
	 * As a CPU comes out of reset: nothing in its I-cache, predictors or guest TLB entries
	 * from an earlier run, whose code a restart's load has replaced (ARM ARM B2.2.7: the
	 * I-cache and branch predictor invalidated after instructions change).  This CPU's own
	 * (ICIALLU, BPIALL, TLBIALLNSNH): its partition's restart costs no other CPU its caches.
	 * Ends with DSB and ISB.
	 */
	tlb_flush_guest_local();
}

static u32 guest_mode(void)
{
	return read_spsr() & PSR_MODE_MASK;
}

/* Where r<n> (n < 15) of the guest's current mode is: a banked register, or -1 (the frame). */
static int banked_index(u32 n)
{
	u32 mode;

	if (n < 8)
		return -1;
	mode = guest_mode();
	if (n < 13)
		return mode == PSR_MODE_FIQ ? BANKED_R8_FIQ + (int)n - 8 : -1;
	if (n == 14 && mode_banked[mode] == BANKED_SP_USR)
		return -1; /* User and System use LR_usr, saved in the frame */
	return mode_banked[mode] + (int)n - 13;
}

void guest_it_advance(u32 spsr)
{
	write_spsr(psr_it_advance(spsr));
}

u32 guest_reg_read(const struct regs *r, u32 n)
{
	int b;

	if (n >= 15)
		return read_elr_hyp() +
		       ((read_spsr() & PSR_T) ? 4 : 8); /* PC as read by the guest */
	b = banked_index(n);
	if (b >= 0)
		return banked_read[b]();
	return n < 13 ? r->r[n] : r->lr;
}

void guest_reg_write(struct regs *r, u32 n, u32 value)
{
	int b;

	/*
	 * Register 15: an MRC to APSR_nzcv (ARM ARM A8.8.108), whose flags take the value's
	 * bits [31:28] (a debug-register poll, `mrc p14, 0, APSR_nzcv, c0, c1, 0`).  Loads to
	 * the PC are never emulated (the syndrome excludes them).
	 */
	if (n >= 15) {
		write_spsr((read_spsr() & ~PSR_NZCV) | (value & PSR_NZCV));
		return;
	}
	b = banked_index(n);
	if (b >= 0)
		banked_write[b](value);
	else if (n < 13)
		r->r[n] = value;
	else
		r->lr = value;
}

void guest_set_exception_regs(bool abort, u32 lr, u32 spsr)
{
	/* Direct, not through banked_write: no indirect call whatever LTO inlines. */
	if (abort) {
		write_LR_abt(lr);
		write_SPSR_abt(spsr);
	} else {
		write_LR_und(lr);
		write_SPSR_und(spsr);
	}
}

void firmware_system_off(void)
{
#if defined(__arm__) && !defined(TESSERA_HOST_FAKE)
	/* PSCI SYSTEM_OFF (Arm DEN 0022D 5.10): does not return when the firmware has it. */
	register u32 r0 __asm__("r0") = 0x84000008U;

	__asm__ volatile(".arch_extension sec\n\tsmc #0" : "+r"(r0) : : "r1", "r2", "r3", "memory");
#endif
}

/*
 * A guest's registers as the hypervisor sees them on a trap: the frame
 * hyp/arch/vectors.S pushes (r0-r12, LR_usr), the banked registers of the
 * guest's current mode, and the trapped instruction's condition and length
 * (regs.c; ARM ARM B1.3, B9.3.9, A2.5.2).
 */
#ifndef TESSERA_HYP_REGS_H
#define TESSERA_HYP_REGS_H

#include "arch/armv7.h"
#include "arch/sysreg.h"
#include "hyp/arch/hsr.h"
#include "tessera/types.h"

/* Guest registers saved on trap entry: r0-r12 and LR_usr (Hyp mode shares LR with User). */
struct regs {
	u32 r[13];
	u32 lr;
};

/* A guest register by number, as the guest's current mode sees it (r13/r14 banked). */
u32 guest_reg_read(const struct regs *r, u32 n);
void guest_reg_write(struct regs *r, u32 n, u32 value);

/* The same, with r0-r7 (never banked) straight from the trap frame. */
static inline u32 guest_reg_get(const struct regs *r, u32 n)
{
	return n < 8 ? r->r[n] : guest_reg_read(r, n);
}

static inline void guest_reg_set(struct regs *r, u32 n, u32 value)
{
	if (n < 8)
		r->r[n] = value;
	else
		guest_reg_write(r, n, value);
}

/*
 * Banked LR and SPSR of the mode an injected exception enters: Abort, or else Undefined (the
 * only two the hypervisor injects), for exception injection.
 */
void guest_set_exception_regs(bool abort, u32 lr, u32 spsr);

/* Reset every piece of guest-visible CPU state on this CPU (CP15, banked, VFP, timers). */
void guest_arch_reset(u32 vcpu_index);

/* vfp.S: the VFP and Advanced SIMD registers zeroed, FPSCR and FPEXC as after reset. */
void vfp_reset(void);

/* Ask the firmware to switch the machine off (PSCI SYSTEM_OFF over SMC); returns if it will not. */
void firmware_system_off(void);

/* The address translation operations the hypervisor runs for a guest (ARM ARM B4.2.6). */
enum guest_at {
	GUEST_AT_S1_PL1_READ, /* ATS1CPR: the guest's own stage 1 */
	GUEST_AT_S12_PL1_READ, /* ATS12NSOPR: both stages, as the guest's PL1 reads */
	GUEST_AT_S12_PL1_WRITE, /* ATS12NSOPW: ... and writes */
};

/*
 * Translate a guest VA with an address translation operation into *pa, page offset
 * included; false if the walk faults.  PAR belongs to the guest: it is put back as it was.
 */
static inline __attribute__((always_inline)) bool guest_translate(enum guest_at at, u32 va, u64 *pa)
{
	u64 saved = read64_par(), par;

	if (at == GUEST_AT_S1_PL1_READ)
		write_ats1cpr(va);
	else if (at == GUEST_AT_S12_PL1_READ)
		write_ats12nsopr(va);
	else
		write_ats12nsopw(va);
	isb();
	par = read64_par();
	write64_par(saved);
	if (par & PAR_F)
		return false;
	*pa = ((par & PAR_LPAE) ? par & PAR_PA_MASK : par & 0xfffff000ULL) | (va & 0xfff);
	return true;
}

/* Does the trapped instruction pass its condition?  SPSR is read only if it matters. */
static inline bool guest_cond_passed(u32 hsr)
{
	u32 spsr;

	if ((hsr & (HSR_CV | HSR_COND_MASK)) == (HSR_CV | (0xeU << HSR_COND_SHIFT)))
		return true; /* AL: the common case */
	spsr = read_spsr();
	return hsr_cond_check(hsr, spsr);
}

/*
 * A Thumb guest's SPSR past one more instruction of its IT block.  Out of line and last in
 * guest_skip_instruction, so the callers' fast paths need no stack frame for it.
 */
void guest_it_advance(u32 spsr);

/*
 * Skip the trapped instruction (ARM or Thumb, IT state advanced, A2.5.2).  Code built for
 * size calls one shared copy, weak in each file like spin_lock (arch/spinlock.h says why);
 * code built for speed (hyp/dev/mmio.c at -O2) keeps it inline.
 */
#if defined(__OPTIMIZE_SIZE__) && defined(__arm__) && !defined(TESSERA_HOST_FAKE)
#define GUEST_SKIP_FN __attribute__((weak, noinline))
void guest_skip_instruction(u32 hsr);
#else
#define GUEST_SKIP_FN static inline
#endif

GUEST_SKIP_FN void guest_skip_instruction(u32 hsr)
{
	u32 spsr;

	/* 2 or 4 bytes, by HSR.IL (bit 25), without a branch. */
	write_elr_hyp(read_elr_hyp() + 2 + ((hsr & HSR_IL) >> 24));
	spsr = read_spsr();
	if (spsr & PSR_T)
		guest_it_advance(spsr);
}

#endif /* TESSERA_HYP_REGS_H */

/*
 * Exceptions injected into a guest, as the hardware would raise them
 * (ARM ARM B1.8.3 "Exception entry" and B1.9): an Undefined Instruction for
 * accesses the hypervisor denies, and a synchronous external abort (the
 * response to a bus error) for memory the partition has no access to, when
 * its fault policy is "inject".  The guest's own handler decides what next.
 */
#include "arch/sysreg.h"
#include "hyp/arch/inject.h"
#include "hyp/arch/regs.h"

#define SCTLR_V BIT(13) /* high vectors */
#define SCTLR_EE BIT(25) /* exception endianness */
#define SCTLR_TE BIT(30) /* Thumb exceptions */
#define TTBCR_EAE BIT(31)

/* Fault status encodings for a synchronous external abort (B3.13.3, Tables B3-22/23). */
#define FSR_SHORT_SYNC_EXTERNAL 0x008 /* FS = 0b01000, non-translation */
#define FSR_LPAE BIT(9)
#define FSR_LONG_SYNC_EXTERNAL 0x010 /* STATUS = 0b010000 */
#define FSR_SHORT_ALIGNMENT 0x001 /* FS = 0b00001 (B3.13.3) */
#define FSR_LONG_ALIGNMENT 0x021 /* STATUS = 0b100001 */
#define FSR_WNR BIT(11)

/*
 * 'entry': the mode and the masks its entry sets, I, and for Abort mode A too (entry to
 * Undefined mode leaves A as it was, B1.8.3): ENTRY_UND or ENTRY_ABT.
 */
#define ENTRY_UND (PSR_MODE_UND | PSR_I)
#define ENTRY_ABT (PSR_MODE_ABT | PSR_I | PSR_A)

static void enter_exception(u32 entry, u32 vector_offset, u32 lr_offset_arm, u32 lr_offset_thumb)
{
	u32 sctlr = read_sctlr(), spsr = read_spsr(), pc = read_elr_hyp(), cpsr;
	bool thumb = spsr & PSR_T;
	u32 base = (sctlr & SCTLR_V) ? 0xffff0000U : read_vbar();

	/* New CPSR: flags kept, mode set, IT and J cleared, I (and A) set, T and E from SCTLR. */
	cpsr = (spsr & (PSR_N | PSR_Z | PSR_C | PSR_V | PSR_Q | PSR_GE_MASK | PSR_F | PSR_A)) |
	       entry;
	if (sctlr & SCTLR_TE)
		cpsr |= PSR_T;
	if (sctlr & SCTLR_EE)
		cpsr |= PSR_E;
	guest_set_exception_regs(entry == ENTRY_ABT, pc + (thumb ? lr_offset_thumb : lr_offset_arm),
				 spsr);
	write_elr_hyp(base + vector_offset);
	write_spsr(cpsr);
}

void inject_undef(struct regs *r, u32 hsr)
{
	UNUSED(r);
	UNUSED(hsr);
	/* LR_und = address of the instruction + 4 (ARM) or + 2 (Thumb) (B1.9.6). */
	enter_exception(ENTRY_UND, 0x04, 4, 2);
}

static u32 abort_fsr(bool write, bool alignment)
{
	u32 fsr = (read_ttbcr() & TTBCR_EAE) ?
			  FSR_LPAE | (alignment ? FSR_LONG_ALIGNMENT : FSR_LONG_SYNC_EXTERNAL) :
			  (alignment ? FSR_SHORT_ALIGNMENT : FSR_SHORT_SYNC_EXTERNAL);

	return write ? fsr | FSR_WNR : fsr;
}

/*
 * A synchronous external abort on 'va', or an alignment fault ('alignment'): a prefetch abort
 * ('instruction': IFSR, IFAR), else a data abort (DFSR, DFAR; 'write' sets WnR).  LR_abt = the aborted instruction's address + 4
 * for a prefetch abort (B1.9.7), + 8 for a data abort (B1.9.8), ARM and Thumb alike.
 */
void inject_abort(struct regs *r, u32 va, bool write, bool instruction, bool alignment)
{
	u32 lr = instruction ? 4 : 8, fsr = abort_fsr(write && !instruction, alignment);

	UNUSED(r);
	if (instruction) {
		write_ifsr(fsr);
		write_ifar(va);
	} else {
		write_dfsr(fsr);
		write_dfar(va);
	}
	enter_exception(ENTRY_ABT, instruction ? 0x0c : 0x10, lr, lr);
}

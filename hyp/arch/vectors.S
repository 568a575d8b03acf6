/*
 * The Hyp vector table (ARM ARM B1.8.1, Table B1-3) and the trap entry and
 * exit paths.
 *
 * A vCPU owns its CPU, so the guest's banked registers, CP15 state and VFP
 * stay live while Tessera runs: entry saves only r0-r12 and LR_usr (Hyp mode
 * has no LR of its own), at the top of this CPU's Hyp stack, and exit
 * restores them and returns with ERET (ELR_hyp, SPSR_hyp).  While a guest
 * runs, SP_hyp is always the top of the stack, so the frame's address is
 * fixed per CPU.
 */
#include "arch/armv7.h"
#include "arch/asm.h"
#include "hyp/arch/layout.h"

	.section .text.vectors, "ax", %progbits
	.arm
	.align 5
	.global hyp_vectors
	.type hyp_vectors, %object
hyp_vectors:
	b	hyp_vec_reset		/* 0x00 Reset: never taken in Hyp mode */
	b	hyp_vec_undef		/* 0x04 Undefined instruction in Hyp mode */
	b	hyp_vec_hvc		/* 0x08 HVC (or SVC) executed in Hyp mode */
	b	hyp_vec_pabt		/* 0x0c Prefetch abort in Hyp mode */
	b	hyp_vec_dabt		/* 0x10 Data abort in Hyp mode, or a guest's async abort (AMO) */
	b	hyp_vec_trap		/* 0x14 Hyp trap: synchronous exception from the guest */
	b	hyp_vec_irq		/* 0x18 IRQ: routed to Hyp mode while a guest runs (IMO) */
	b	hyp_vec_fiq		/* 0x1c FIQ: routed to Hyp mode while a guest runs (FMO) */
	.size hyp_vectors, . - hyp_vectors

/*
 * Synchronous trap from the guest: HVC, SMC, stage-2 aborts, trapped CP14/CP15,
 * dispatched through hyp_trap_table by the exception class (HSR.EC).
 */
hyp_vec_trap:
	push	{r0-r12, lr}
	mrc	p15, 4, r1, c5, c2, 0		/* HSR: the handler's second argument */
	ldr	r3, =hyp_trap_table
	lsr	r2, r1, #HSR_EC_SHIFT
	mov	r0, sp				/* the frame: its first */
	ldr	r3, [r3, r2, lsl #2]
	blx	r3

/*
 * Back to the guest; anything to do first is a request bit of this CPU.
 *
 * The guest may have been between a LDREX and its STREX when it trapped, and Tessera's own
 * exclusives may leave the local monitor tagged (a failed try-lock or compare-and-swap is a
 * LDREX with no STREX), so the guest's STREX could store although its sequence was broken.
 * ARMv7 does not clear the monitor on ERET: whoever switches contexts must (ARM ARM A3.4.5;
 * ARMv8 made ERET do it).  A STREX always leaves the local monitor open; it goes to this
 * CPU's scratch word, so it is harmless whether it stores or not.  A dummy STREX, not CLREX,
 * as Linux's exception return does for Cortex-A15 erratum 830321.
 */
hyp_exit:
	mrc	p15, 4, r0, c13, c0, 2		/* HTPIDR: this CPU's struct cpu */
	ldr	r1, [r0, #CPU_REQUESTS_OFFSET]
	cmp	r1, #0
	beq	1f
	bl	hyp_exit_slow			/* BL, not BLNE: the linker makes it a BLX (Thumb) */
1:	strex	r1, r0, [r0]			/* struct cpu's monitor_scratch: monitor open */
	pop	{r0-r12, lr}
	eret

hyp_vec_irq:
	push	{r0-r12, lr}
	mov	r0, sp
	bl	hyp_irq_handle
	b	hyp_exit

/* A data abort from the guest can only be asynchronous (synchronous ones use 0x14). */
hyp_vec_dabt:
	push	{r0-r12, lr}
	mrs	r0, spsr
	and	r0, r0, #PSR_MODE_MASK
	cmp	r0, #PSR_MODE_HYP
	beq	1f
	mov	r0, sp
	bl	hyp_guest_async_abort
	b	hyp_exit			/* back to the guest it came from */
1:	mov	r1, #0x10
	b	unexpected

.macro unexpected_vector name, offset
\name:
	push	{r0-r12, lr}
	mov	r1, #\offset
	b	unexpected
.endm

	unexpected_vector hyp_vec_reset, 0x00
	unexpected_vector hyp_vec_undef, 0x04
	unexpected_vector hyp_vec_hvc, 0x08
	unexpected_vector hyp_vec_pabt, 0x0c
	unexpected_vector hyp_vec_fiq, 0x1c

/* r1 = vector offset; the frame is on the stack. */
unexpected:
	mov	r0, sp
	bl	hyp_unexpected			/* does not return; BL becomes a BLX (Thumb) */

/* void hyp_enter_guest(struct regs *frame): frame must be this CPU's stack-top frame. */
func hyp_enter_guest
	mov	sp, r0
	b	hyp_exit			/* the monitor cleared as on every return */
endfunc hyp_enter_guest

/*
 * noreturn void hyp_run_below_frame(void (*fn)(void), struct regs *frame):
 * call fn with SP just below this CPU's trap frame, dropping whatever the
 * stack held: the idle loop must not sit where a guest's registers will go.
 */
func hyp_run_below_frame
	mov	sp, r1
	blx	r0
1:	b	1b
endfunc hyp_run_below_frame

/*
 * Task context switch for the ARMv7-A port.
 *
 * A switched-out task's stack holds a struct exc_frame, the same frame the IRQ entry of
 * guests/lib/start.S builds: r0-r12, lr, pc, cpsr (16 words, lowest address first).  So a
 * task switched out voluntarily here can be resumed at the end of an interrupt and vice
 * versa, both with "pop {r0-r12, lr}; rfeia sp!" (RFE, ARM ARM B9.3.13).
 */
#include "arch.h"

	.syntax unified
	.arch armv7-a
	.arm
	.text

/*
 * void port_context_switch(uint32_t **save_sp, uint32_t *load_sp)
 *
 * Called in SVC mode with IRQs masked.  Saves the caller as a frame that resumes at its
 * return address in its instruction set (Thumb if LR bit 0 is set, ARM ARM A2.6.2) with the
 * current CPSR, stores the frame's address in *save_sp and resumes the frame at load_sp.
 */
func port_context_switch
	mrs	r2, cpsr
	tst	lr, #1
	orrne	r2, r2, #PSR_T
	bic	r3, lr, #1
	push	{r2}			/* frame.cpsr */
	push	{r3}			/* frame.pc */
	push	{r0-r12, lr}		/* frame.r[0..12], frame.lr */
	str	sp, [r0]
	mov	sp, r1
	pop	{r0-r12, lr}
	rfeia	sp!
endfunc port_context_switch

/*
 * void port_context_load(uint32_t *load_sp): resume the frame at load_sp; never returns.  It
 * starts the first task only, so it first records CNTVCT in port_first_task_count, from which
 * tools/bench.py derives the boot length to the first task (5 more instructions to it).
 */
func port_context_load
	mrrc	p15, 1, r2, r3, c14	/* CNTVCT */
	ldr	r1, =port_first_task_count
	strd	r2, r3, [r1]
	mov	sp, r0
	pop	{r0-r12, lr}
	rfeia	sp!
endfunc port_context_load

	.bss
	.align 3
	.global port_first_task_count
port_first_task_count:
	.space	8

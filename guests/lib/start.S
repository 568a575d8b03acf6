/*
 * Guest start-up: the exception vector table, reset and secondary-CPU entry, exception entry
 * and exit.
 *
 * Reset (ARM state, SVC mode with MMU and caches off per design.md "Guest entry"; or Hyp mode
 * on bare QEMU with virtualization=on, which is dropped to SVC here) installs the vectors with
 * VBAR, gives every exception mode of this CPU its stack (per-CPU areas from guest.ld, indexed
 * by MPIDR.Aff0), zeroes .bss, records r2 (the device tree) and calls guest_c_start().
 *
 * Exceptions other than IRQ save a struct exc_frame on their own mode's stack (SRS pushes the
 * return address and SPSR, ARM ARM B9.3.16) and call exc_dispatch(), which may change the
 * frame before RFE resumes it.  IRQ saves the frame on the interrupted SVC stack, runs
 * irq_dispatch() in IRQ mode on the IRQ stack and resumes the frame it returns: an RTOS
 * switches tasks by returning another task's frame.
 */
#include "arch.h"

	.syntax unified
	.arch armv7-a
	.arch_extension virt
	.arm

/* The vector table: eight branches, 32-byte aligned for VBAR (ARM ARM B4.1.156). */
	.section .text.vectors, "ax"
	.align 5
func guest_vectors
	b	reset_entry		/* 0x00 reset */
	b	undef_entry		/* 0x04 undefined instruction */
	b	svc_entry		/* 0x08 supervisor call */
	b	pabt_entry		/* 0x0c prefetch abort */
	b	dabt_entry		/* 0x10 data abort */
	b	unused_entry		/* 0x14 Hyp trap, never taken at PL1 */
	b	irq_entry		/* 0x18 IRQ */
	b	fiq_entry		/* 0x1c FIQ */
endfunc guest_vectors

	.text

/* sp of \mode = \base + \size * r3, r3 = CPU index + 1. */
	.macro set_stack mode, base, size
	cps	#\mode
	ldr	r1, =\base
	ldr	r2, =\size
	mla	sp, r2, r3, r1
	.endm

func reset_entry
	mrrc	p15, 1, r4, r5, c14	/* CNTVCT at the image's second instruction: boot length */
	mov	r10, r2			/* device tree pointer, kept until .bss is clear */
	mov	r11, #0			/* boot CPU */
	b	common_entry
endfunc reset_entry

/* PSCI CPU_ON entry for secondary CPUs: r0 = context. */
func guest_secondary_entry
	mov	r10, r0
	mov	r11, #1
	b	common_entry
endfunc guest_secondary_entry

func common_entry
	/*
	 * In Hyp mode (bare QEMU with virtualization=on) leave it for SVC with an exception
	 * return (ARM ARM B1.8.10 ERET), after letting PL1 use both timers (CNTHCTL.PL1PCTEN,
	 * PL1PCEN, B8.5.3) with a zero virtual offset, and leaving behind a Hyp vector table
	 * whose HVC entry returns at once (guest_hyp_stub_vectors).
	 */
	mov	r9, #0
	mrs	r0, cpsr
	and	r0, r0, #PSR_MODE_MASK
	cmp	r0, #PSR_MODE_HYP
	bne	1f
	mov	r9, #1
	ldr	r0, =guest_hyp_stub_vectors
	mcr	p15, 4, r0, c12, c0, 0	/* HVBAR */
	mov	r0, #3
	mcr	p15, 4, r0, c14, c1, 0	/* CNTHCTL */
	mov	r0, #0
	mov	r1, #0
	mcrr	p15, 4, r0, r1, c14	/* CNTVOFF */
	ldr	r0, =(PSR_MODE_SVC | PSR_I | PSR_F | PSR_A)
	msr	spsr_cxsf, r0
	adr	r0, 1f
	msr	elr_hyp, r0
	eret
1:	cpsid	aif

	/* Vectors at VBAR in ARM state: SCTLR.V = 0, SCTLR.TE = 0; no alignment checks. */
	ldr	r0, =guest_vectors
	stcopr	r0, VBAR
	ldcopr	r0, SCTLR
	bic	r0, r0, #SCTLR_V
	bic	r0, r0, #SCTLR_TE
	bic	r0, r0, #SCTLR_A
	orr	r0, r0, #SCTLR_I
	stcopr	r0, SCTLR
	isb

	/* Exception-mode stacks of this CPU; CPUs past __guest_cpu_max are parked. */
	ldcopr	r0, MPIDR
	and	r0, r0, #MPIDR_AFF0
	ldr	r1, =__guest_cpu_max
	cmp	r0, r1
	bhs	guest_park
	add	r3, r0, #1
	set_stack PSR_MODE_FIQ, __stack_fiq_base, __stack_fiq_size
	set_stack PSR_MODE_IRQ, __stack_irq_base, __stack_irq_size
	set_stack PSR_MODE_ABT, __stack_abt_base, __stack_abt_size
	set_stack PSR_MODE_UND, __stack_und_base, __stack_und_size
	set_stack PSR_MODE_SVC, __stack_svc_base, __stack_svc_size

	cmp	r11, #0
	bne	2f

	/* Boot CPU: zero .bss (word aligned by guest.ld), then record what reset found. */
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
3:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	3b
	ldr	r0, =guest_boot_r2_value
	str	r10, [r0]
	ldr	r0, =guest_boot_in_hyp
	str	r9, [r0]
	ldr	r0, =guest_boot_count_value
	strd	r4, r5, [r0]
	bl	guest_c_start
	b	guest_park

2:	mov	r0, r10
	bl	guest_c_secondary
	b	guest_park
endfunc common_entry

/*
 * The Hyp vectors left behind on bare hardware: an HVC from SVC (the Hyp trap vector, ARM ARM
 * B1.8.1) returns at once with every register unchanged, the floor of a hypercall round trip
 * (guests/bench); anything else taken to Hyp mode stops that CPU.
 */
	.align 5
func guest_hyp_stub_vectors
	b	.			/* 0x00 reset */
	b	.			/* 0x04 undefined instruction in Hyp mode */
	b	.			/* 0x08 HVC in Hyp mode */
	b	.			/* 0x0c prefetch abort in Hyp mode */
	b	.			/* 0x10 data abort in Hyp mode */
	eret				/* 0x14 Hyp trap: HVC from SVC, return */
	b	.			/* 0x18 IRQ */
	b	.			/* 0x1c FIQ */
endfunc guest_hyp_stub_vectors

func guest_park
	cpsid	aif
	wfi
	b	guest_park
endfunc guest_park

/*
 * Synchronous exceptions and FIQ: frame on this mode's stack, exc_dispatch(frame, kind).
 * The stack stays 8-byte aligned (AAPCS): mode stacks start aligned, the frame is 64 bytes.
 */
	.macro exc_stub name, mode, kind
func \name
	srsdb	sp!, #\mode
	push	{r0-r12, lr}
	mov	r0, sp
	mov	r1, #\kind
	bl	exc_dispatch
	pop	{r0-r12, lr}
	rfeia	sp!
endfunc \name
	.endm

	exc_stub undef_entry, PSR_MODE_UND, 0	/* EXC_UNDEF */
	exc_stub svc_entry, PSR_MODE_SVC, 1	/* EXC_SVC */
	exc_stub pabt_entry, PSR_MODE_ABT, 2	/* EXC_PABT */
	exc_stub dabt_entry, PSR_MODE_ABT, 3	/* EXC_DABT */
	exc_stub unused_entry, PSR_MODE_UND, 4	/* EXC_UNUSED */
	exc_stub fiq_entry, PSR_MODE_FIQ, 5	/* EXC_FIQ */

/*
 * IRQ: the frame goes on the interrupted SVC stack (the current task's, under an RTOS), the
 * handlers run in IRQ mode on the IRQ stack, and the frame irq_dispatch() returns is resumed.
 * LR_irq is the interrupted instruction + 4 (ARM ARM B1.8.3, table B1-7).
 */
func irq_entry
	sub	lr, lr, #4
	srsdb	sp!, #PSR_MODE_SVC
	cps	#PSR_MODE_SVC
	push	{r0-r12, lr}
	mov	r0, sp
	cps	#PSR_MODE_IRQ
	bl	irq_dispatch
	cps	#PSR_MODE_SVC
	mov	sp, r0
	pop	{r0-r12, lr}
	rfeia	sp!
endfunc irq_entry

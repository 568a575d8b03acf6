/*
 * The bench guest's timed primitives, its vector table and the zImage header that lets Xen
 * load the same image as a domU.
 *
 * A measurement is "ISB; MRRC CNTVCT; <operation>; ISB; MRRC CNTVCT" (ARM ARM B8.1.2: the ISB
 * keeps the counter read in program order), kept in assembly so that the compiler cannot move
 * anything into the window.  CNTVCT is read into r4/r5, which every hypervisor call preserves
 * (SMCCC: r4-r14; Xen: r5 up, so Xen's window uses r5/r6).
 */
#include "arch.h"

	.syntax unified
	.arch armv7-a
	.arch_extension virt
	.arm

/*
 * Linux's ARM zImage header (the fields Xen checks, xen/arch/arm/kernel.c): magic at offset
 * 0x24, then the load address and the end of the loaded image.  The library's vector table
 * (start.o, linked first) fills 0x00-0x1f of .text.vectors and this object's part of the
 * section follows it: bench.c checks the offset at run time, tools/bench.py in the file.
 * Nothing here is executed (entry is offset 0, the reset branch).
 */
	.section .text.vectors, "ax"
	.align 2
	b	.			/* 0x20: never reached */
	.global bench_zimage_magic
bench_zimage_magic:
	.word	0x016f2818		/* 0x24: zImage magic */
	.word	__ram_base		/* 0x28: start: load here */
	.word	__bss_start		/* 0x2c: end (tools/bench.py pads the file to it) */

	.text

	.macro stamp_begin lo=r4, hi=r5
	isb
	mrrc	p15, 1, \lo, \hi, c14	/* CNTVCT */
	.endm

	/* r0 = (CNTVCT now) - (\lo from stamp_begin), low 32 bits. */
	.macro stamp_end lo=r4
	isb
	mrrc	p15, 1, r2, r3, c14
	sub	r0, r2, \lo
	.endm

func bench_null
	push	{r4, r5, r6, lr}
	stamp_begin
	stamp_end
	pop	{r4, r5, r6, pc}
endfunc bench_null

func bench_hvc
	push	{r4, r5, r6, lr}
	stamp_begin
	hvc	#0
	stamp_end
	pop	{r4, r5, r6, pc}
endfunc bench_hvc

/* Xen clobbers r0-r4 and r12 in a hypercall (xen/include/public/arch-arm.h). */
func bench_xen_version
	push	{r4, r5, r6, lr}
	mov	r12, #17		/* __HYPERVISOR_xen_version */
	mov	r0, #0			/* XENVER_version */
	mov	r1, #0
	stamp_begin r5, r6
	hvc	#0xea1			/* XEN_HYPERCALL_TAG */
	stamp_end r5
	pop	{r4, r5, r6, pc}
endfunc bench_xen_version

func bench_read32
	push	{r4, r5, r6, lr}
	stamp_begin
	ldr	r1, [r0]		/* plain LDR: the syndrome describes it (ISV = 1) */
	stamp_end
	pop	{r4, r5, r6, pc}
endfunc bench_read32

/* r0 = address, r1 = value: one timed STR (or STRB). */
func bench_write32
	push	{r4, r5, r6, lr}
	stamp_begin
	str	r1, [r0]
	stamp_end
	pop	{r4, r5, r6, pc}
endfunc bench_write32

func bench_write8
	push	{r4, r5, r6, lr}
	stamp_begin
	strb	r1, [r0]
	stamp_end
	pop	{r4, r5, r6, pc}
endfunc bench_write8

/*
 * CNTPCT - CNTVCT (CNTVOFF as the guest sees it): the two reads are one instruction apart,
 * which -icount counts as one tick.
 */
func bench_counter_offset
	push	{r4, r5, r6, lr}
	isb
	mrrc	p15, 1, r4, r5, c14	/* CNTVCT */
	mrrc	p15, 0, r2, r3, c14	/* CNTPCT */
	subs	r0, r2, r4
	sbc	r1, r3, r5
	subs	r0, r0, #1
	sbc	r1, r1, #0
	pop	{r4, r5, r6, pc}
endfunc bench_counter_offset

func bench_actlr
	push	{r4, r5, r6, lr}
	stamp_begin
	mrc	p15, 0, r1, c1, c0, 1	/* ACTLR */
	stamp_end
	pop	{r4, r5, r6, pc}
endfunc bench_actlr

/*
 * r0 = address, r1 = value: store, then wait for an interrupt (IRQs masked by the caller);
 * returns r0:r1 = CNTVCT just before the store.  Under QEMU's single-threaded -icount the
 * other CPUs run only while this one is halted, so halting right after the store hands the
 * simulation to the receiver at once.
 */
func bench_write32_wfi
	push	{r4, r5, r6, lr}
	dsb	sy			/* earlier stores are visible first */
	stamp_begin
	str	r1, [r0]
	wfi
	mov	r0, r4
	mov	r1, r5
	pop	{r4, r5, r6, pc}
endfunc bench_write32_wfi

/* r0 = fid, r1 = argument: HVC, then wait for an interrupt, as above. */
func bench_hvc_wfi
	push	{r4, r5, r6, lr}
	dsb	sy
	stamp_begin
	hvc	#0
	wfi
	mov	r0, r4
	mov	r1, r5
	pop	{r4, r5, r6, pc}
endfunc bench_hvc_wfi

/*
 * Vectors: the library's (each entry branches to the library's entry, which branches on), but
 * the IRQ entry reads CNTVCT as its second instruction, before anything else can run, into this
 * CPU's slot of bench_irq_stamps, then goes on to the library's IRQ entry.
 */
	.align 5
func bench_vectors
	b	guest_vectors + 0x00
	b	guest_vectors + 0x04
	b	guest_vectors + 0x08
	b	guest_vectors + 0x0c
	b	guest_vectors + 0x10
	b	guest_vectors + 0x14
	b	bench_irq_entry
	b	guest_vectors + 0x1c
endfunc bench_vectors

func bench_irq_entry
	push	{r0-r3}
	mrrc	p15, 1, r0, r1, c14	/* CNTVCT: the exception entry synchronised the context */
	ldcopr	r2, MPIDR
	and	r2, r2, #3
	ldr	r3, =bench_irq_stamps
	add	r3, r3, r2, lsl #3
	strd	r0, r1, [r3]
	pop	{r0-r3}
	b	irq_entry
endfunc bench_irq_entry

	.bss
	.align 3
	.global bench_irq_stamps
bench_irq_stamps:
	.space	8 * 4

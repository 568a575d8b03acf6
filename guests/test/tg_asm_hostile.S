/*
 * Instructions for the hostile guest, in ARM code so that an injected abort
 * or undefined instruction resumes at the next one (4 bytes on).
 */
	.syntax unified
	.arm
	.text
	.arch_extension virt

.macro fn name
	.global \name
	.type \name, %function
\name:
.endm

fn tg_ldm
	push	{r4, r5}
	ldm	r0, {r4, r5}
	pop	{r4, r5}
	bx	lr

fn tg_stm
	push	{r4, r5}
	mov	r4, #0
	mov	r5, #0
	stm	r0, {r4, r5}
	pop	{r4, r5}
	bx	lr

fn tg_ldrd
	push	{r4, r5}
	ldrd	r4, r5, [r0]
	pop	{r4, r5}
	bx	lr

fn tg_strd
	push	{r4, r5}
	mov	r4, #0
	mov	r5, #0
	strd	r4, r5, [r0]
	pop	{r4, r5}
	bx	lr

fn tg_ldr_writeback
	ldr	r1, [r0], #4
	bx	lr

fn tg_str_writeback
	mov	r1, #0
	str	r1, [r0, #4]!
	bx	lr

fn tg_ldrex
	mov	r1, r0
	mov	r0, #0
	ldrex	r0, [r1]
	bx	lr

fn tg_strex
	mov	r2, r0
	mov	r0, #1
	strex	r0, r1, [r2]
	bx	lr

fn tg_ldr_unaligned
	mov	r1, r0
	mov	r0, #0
	ldr	r0, [r1]
	bx	lr

/* HCR, from PL1: UNDEFINED (ARM ARM B4.1.65: accessible only in Hyp mode). */
fn tg_hyp_register_write
	mov	r0, #0
	mcr	p15, 4, r0, c1, c1, 0
	bx	lr

fn tg_dbgdidr_read
	mov	r0, #0xff
	mrc	p14, 0, r0, c0, c0, 0
	bx	lr

fn tg_l2ctlr_read
	mrc	p15, 1, r0, c9, c0, 2
	bx	lr

fn tg_actlr_read
	mrc	p15, 0, r0, c1, c0, 1
	bx	lr

fn tg_actlr_write
	mcr	p15, 0, r0, c1, c0, 1
	isb
	bx	lr

fn tg_dcisw
	mcr	p15, 0, r0, c7, c6, 2
	bx	lr

fn tg_udf
	udf	#0x42
	bx	lr

fn tg_wfe
	wfe
	bx	lr

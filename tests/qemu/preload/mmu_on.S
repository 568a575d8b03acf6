/*
 * A stand-in for a loader that enters an image in HYP mode with its own Hyp MMU and
 * caches still on (U-Boot's 'go' from HYP mode does: it turns neither off).  Linked at
 * 0x40000000 and run by QEMU's -kernel: it maps the low 4 GiB 1:1 with 1 GiB blocks
 * (the first as Device memory, the rest Normal write-back), turns on the Hyp MMU, the
 * D-cache and the I-cache, and branches to the image at 0x48000000 with r2 = 0.
 */
	.syntax unified
	.arm
	.global _start
_start:
	ldr	r0, =table
	mov	r1, #0
	/* Four 1 GiB blocks: AF, inner shareable, AttrIndx 0 (Device) for the first, 1 else. */
	ldr	r2, =0x00000401 | (3 << 8)		/* block, AF, SH = inner */
	str	r2, [r0]
	str	r1, [r0, #4]
	ldr	r2, =0x40000401 | (3 << 8) | (1 << 2)
	str	r2, [r0, #8]
	str	r1, [r0, #12]
	ldr	r2, =0x80000401 | (3 << 8) | (1 << 2)
	str	r2, [r0, #16]
	str	r1, [r0, #20]
	ldr	r2, =0xc0000401 | (3 << 8) | (1 << 2)
	str	r2, [r0, #24]
	str	r1, [r0, #28]
	dsb	sy
	ldr	r2, =0x0000ff04				/* attr 0 Device-nGnRE, attr 1 WB RW-alloc */
	mcr	p15, 4, r2, c10, c2, 0			/* HMAIR0 */
	ldr	r2, =0x80003500				/* HTCR: RES1, inner/outer WBWA, inner shareable */
	mcr	p15, 4, r2, c2, c0, 2
	mcrr	p15, 4, r0, r1, c2			/* HTTBR */
	isb
	mcr	p15, 4, r1, c8, c7, 0			/* TLBIALLH */
	dsb	sy
	isb
	mrc	p15, 4, r2, c1, c0, 0			/* HSCTLR */
	orr	r2, r2, #(1 << 0) | (1 << 2)		/* M, C */
	orr	r2, r2, #(1 << 12)			/* I */
	mcr	p15, 4, r2, c1, c0, 0
	isb
	mov	r0, #0
	mov	r1, #0
	mov	r2, #0
	ldr	r3, =0x48000000
	bx	r3
	.ltorg

	.align	5
table:
	.space	32

/*
 * Cache maintenance loops (ARM ARM B2.2.6 and B4.2.1): by VA to the Point of
 * Coherency for ranges, by set/way for the local L1 at boot.
 */
#include "arch/asm.h"
#include "arch/sysreg.h"

/*
 * r0 <- start rounded down to a line, r2 <- the smallest D-cache line in bytes (CTR.DminLine,
 * B4.1.42), r12 <- the last start of eight whole lines before the end r1; clobbers lr.
 */
thumb_func dcache_range_setup
	ldcopr	r12, CTR
	ubfx	r12, r12, #16, #4
	movs	r2, #4
	lsl	r2, r2, r12
	subs	r12, r2, #1
	bic	r0, r0, r12
	sub	r12, r1, r2, lsl #3
	bx	lr
endfunc dcache_range_setup

/*
 * Apply the by-VA operation 'op' to [r0, r1): eight lines a step while eight remain (one MCR
 * and one ADD a line: the loop's own compare and branch come once per eight), then line by
 * line.
 */
.macro dcache_range op:vararg
	push	{r4, lr}
	bl	dcache_range_setup
1:	cmp	r0, r12
	bhi	2f
	.rept	8
	stcopr	r0, \op
	add	r0, r2
	.endr
	b	1b
2:	cmp	r0, r1
	bhs	3f
	stcopr	r0, \op
	add	r0, r2
	b	2b
3:	dsb	sy
	pop	{r4, pc}
.endm

/*
 * void mem_zero(void *start, size_t bytes): bytes a multiple of 64, start 8-byte aligned.
 * Eight registers a store, 64 bytes a step: about 0.08 instructions a byte (the 16-store
 * unrolled loop it was took 0.025, for 84 bytes more code).  What it clears in practice is
 * the channels, at boot (each start of a partition runs on a CPU of its own, which clears
 * with mem_zero_vfp): a 64 KiB channel is some 5,000 instructions, 3,500 more than before.
 */
thumb_func mem_zero
	push	{r4-r9}
	add	r1, r0
	movs	r2, #0
	movs	r3, #0
	movs	r4, #0
	movs	r5, #0
	movs	r6, #0
	movs	r7, #0
	mov	r8, r2
	mov	r9, r2
1:	cmp	r0, r1
	ittt	lo
	stmialo	r0!, {r2-r9}
	stmialo	r0!, {r2-r9}
	blo	1b
	pop	{r4-r9}
	bx	lr
endfunc mem_zero

/*
 * void vfp_zero(void): FPEXC.EN set, d0-d31 and FPSCR zeroed; clobbers r2 (left 0) and
 * nothing else.  VFPv4-D32, which on the Cortex-A15 and A7 comes only with Advanced SIMD
 * (their TRMs): VMOV.I32 of a Q register zeroes two D registers at once.  Shared by
 * mem_zero_vfp and vfp_reset (hyp/arch/vfp.S).
 */
	.fpu	neon-vfpv4
thumb_func vfp_zero
	mov	r2, #0x40000000			/* FPEXC.EN: VFP instructions UNDEFINED without it (B1.11) */
	vmsr	fpexc, r2
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vmov.i32 q\n, #0
	.endr
	movs	r2, #0
	vmsr	fpscr, r2
	bx	lr
endfunc vfp_zero

/*
 * void mem_zero_vfp(void *start, size_t bytes): mem_zero with the VFP registers, 128 bytes a
 * store (VSTM of d0-d15, the widest store the core has: ARM ARM A8.8, VSTM), 32 stores a
 * step while 4 KiB remain, then 64 bytes a step: about 0.0085 instructions a byte.  Only on a
 * CPU whose VFP registers the caller may overwrite: one of the partition's own while it is
 * loaded (its vCPUs start from vfp_reset()'s state), never a running guest's.  HCPTR.TCP10/TCP11 are
 * cleared so that Hyp mode may use them (B4.1.63: set, they make these instructions
 * UNDEFINED in Hyp mode); the guest's value is written at its start (guest_arch_reset).
 * FPEXC.EN is set for the stores (vfp_zero) and cleared again.  d0-d31 and FPSCR are left zero.
 */
thumb_func mem_zero_vfp
	push	{r4, lr}
	ldcopr	r2, HCPTR
	bic	r2, r2, #(3 << 10)		/* TCP10, TCP11 */
	stcopr	r2, HCPTR
	isb
	bl	vfp_zero
	add	r1, r0
	sub	r3, r1, #4096			/* the last start of a whole step */
1:	cmp	r0, r3
	bhi	2f
	.rept	32
	vstmia	r0!, {d0-d15}
	.endr
	b	1b
2:	cmp	r0, r1
	itt	lo
	vstmialo r0!, {d0-d7}
	blo	2b
	vmsr	fpexc, r2			/* EN clear again (r2 = 0) */
	pop	{r4, pc}
endfunc mem_zero_vfp

/*
 * void dcache_clean_inval_range(uintptr_t start, uintptr_t end): write back to PoC, then
 * drop.  A restarted partition's RAM goes through it (hyp/core/partition.c): the guest starts
 * with its caches off, so its stores go past any line left valid, and such a line would hide
 * them once it turns its caches on (A3.5.7): cleaning alone is not enough.
 */
thumb_func dcache_clean_inval_range
	dcache_range DCCIMVAC
endfunc dcache_clean_inval_range

/* The same, line by line (two instructions a line more): for the boot's short ranges. */
.macro dcache_range_short op:vararg
	push	{r4, lr}
	bl	dcache_range_setup
1:	cmp	r0, r1
	bhs	2f
	stcopr	r0, \op
	add	r0, r2
	b	1b
2:	dsb	sy
	pop	{r4, pc}
.endm

/* void dcache_inval_range(uintptr_t start, uintptr_t end): discards data; boot only. */
thumb_func dcache_inval_range
	dcache_range_short DCIMVAC
endfunc dcache_inval_range

/* Invalidate this CPU's L1 data cache by set/way; safe only while it holds no dirty line. */
thumb_func cache_invalidate_l1_local
	push	{r4, r5}
	movs	r0, #0
	stcopr	r0, CSSELR			/* level 1, data */
	isb
	ldcopr	r0, CCSIDR			/* B4.1.19 */
	and	r1, r0, #7
	adds	r1, #4				/* r1 = log2(line bytes) */
	ubfx	r2, r0, #3, #10			/* r2 = ways - 1 */
	ubfx	r3, r0, #13, #15		/* r3 = sets - 1 */
	clz	r12, r2				/* way field starts at bit 32 - log2(ways) */
1:	mov	r4, r3				/* each way r2, each set r4; level field 0 = L1 */
2:	lsl	r5, r2, r12
	lsl	r0, r4, r1
	orrs	r5, r0
	stcopr	r5, DCISW
	subs	r4, #1
	bge	2b
	subs	r2, #1
	bge	1b
	dsb	sy
	isb
	pop	{r4, r5}
	bx	lr
endfunc cache_invalidate_l1_local

/*
 * Boot CPU, MMU still off: discard every cached copy of the hypervisor's
 * image (U-Boot ran with caches on; we have since written .bss and the page
 * tables straight to RAM), then the local L1, the I-cache and predictors.
 * Only [__hyp_start, __hyp_end): the rest of the reserved region is never
 * read or written by anyone, so a stale clean line of it is never used, and
 * the boot protocol leaves no dirty line (U-Boot cleans its caches to the
 * point of coherency before it enters an image, Linux's booting.rst 5); the
 * whole 16 MiB by VA was 0.65M instructions of each boot.
 */
thumb_func cache_boot_invalidate_all
	push	{r4, lr}
	ldr	r0, =__hyp_start
	ldr	r1, =__hyp_end
	bl	dcache_inval_range
	bl	cache_invalidate_l1_local
	movs	r0, #0
	stcopr	r0, ICIALLU
	stcopr	r0, BPIALL
	dsb	sy
	isb
	pop	{r4, pc}
endfunc cache_boot_invalidate_all

/*
 * void *memcpy(void *dst, const void *src, size_t n): the C library's, in place of
 * newlib's, which is a kilobyte of code tuned for long copies.  The hypervisor copies
 * only guest images at a start and hypercall buffers (hyp/core/guest_mem.c): 16 bytes a
 * step (LDM/STM) while both pointers are word-aligned, then words, then bytes.
 */
thumb_func memcpy
	push	{r0, r4-r6}			/* r0: returned */
	orr	r3, r0, r1
	lsls	r3, r3, #30			/* word-aligned both? */
	bne	3f
	subs	r2, #16
	blo	2f
1:	ldmia	r1!, {r3-r6}
	stmia	r0!, {r3-r6}
	subs	r2, #16
	bhs	1b
2:	adds	r2, #12				/* 16 back, 4 taken for the next test */
	blo	4f
5:	ldr	r3, [r1], #4
	str	r3, [r0], #4
	subs	r2, #4
	bhs	5b
4:	adds	r2, #4
3:	cbz	r2, 6f
7:	ldrb	r3, [r1], #1
	strb	r3, [r0], #1
	subs	r2, #1
	bne	7b
6:	pop	{r0, r4-r6}
	bx	lr
endfunc memcpy

/*
 * Reset the guest-visible VFP/Advanced SIMD state of this CPU: d0-d31 and
 * FPSCR zeroed, FPEXC.EN cleared (the guest enables VFP itself).  The
 * hypervisor is built for soft-float and never touches these otherwise, so a
 * guest's VFP state needs no saving (ARM ARM B1.11, "Advanced SIMD and floating-point support"; VFPv4-D32).
 */
#include "arch/asm.h"

	.fpu	neon-vfpv4

func vfp_reset
	mov	r0, #0x40000000		/* FPEXC.EN: allow the accesses below */
	vmsr	fpexc, r0
	mov	r0, #0
	mov	r1, #0
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	vmov	d\n, r0, r1
	.endr
	vmsr	fpscr, r0
	vmsr	fpexc, r0
	bx	lr
endfunc vfp_reset

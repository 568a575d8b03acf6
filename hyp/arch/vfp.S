/*
 * Reset the guest-visible VFP/Advanced SIMD state of this CPU: d0-d31 and
 * FPSCR zeroed, FPEXC.EN cleared (the guest enables VFP itself).  The
 * hypervisor is built for soft-float and never touches these otherwise, so a
 * guest's VFP state needs no saving (ARM ARM B1.11, "Advanced SIMD and floating-point support"; VFPv4-D32).
 * The zeroing is mm/cache.S's vfp_zero, which mem_zero_vfp shares.
 */
#include "arch/asm.h"

	.fpu	neon-vfpv4

thumb_func vfp_reset
	push	{r4, lr}
	bl	vfp_zero			/* leaves r2 = 0 */
	vmsr	fpexc, r2
	pop	{r4, pc}
endfunc vfp_reset

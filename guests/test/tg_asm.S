/*
 * Memory probes for the test guest, in ARM code so that an injected abort
 * resumes predictably: the faulting instruction is skipped (4 bytes) and a
 * faulting load leaves 0xdeadbeef, preloaded into its register.
 */
	.syntax unified
	.arm
	.text

	.global tg_read32
	.type tg_read32, %function
tg_read32:
	mov	r1, r0
	ldr	r0, =0xdeadbeef
	ldr	r0, [r1]
	bx	lr
	.size tg_read32, . - tg_read32

	.global tg_write32
	.type tg_write32, %function
tg_write32:
	str	r1, [r0]
	bx	lr
	.size tg_write32, . - tg_write32

/* Branch to addr; a prefetch abort there resumes at tg_exec_recover, which returns. */
	.global tg_try_exec
	.type tg_try_exec, %function
tg_try_exec:
	push	{r4, lr}
	blx	r0
	pop	{r4, pc}
	.size tg_try_exec, . - tg_try_exec

	.global tg_exec_recover
	.type tg_exec_recover, %function
tg_exec_recover:
	bx	lr			/* LR_svc still holds tg_try_exec's return address */
	.size tg_exec_recover, . - tg_exec_recover

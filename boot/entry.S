/*
 * Reset entry of the hypervisor, for the boot CPU and for secondary CPUs.
 *
 * The boot CPU arrives here from QEMU's loader or from U-Boot's bootm with the
 * Linux boot protocol: MMU and D-cache off, r2 = device tree address (0 from
 * QEMU's ELF loader).  Secondary CPUs arrive at secondary_entry through PSCI
 * CPU_ON.  Each CPU checks it is in Hyp mode, takes its stack, installs the
 * Hyp vectors, turns on the Hyp MMU and caches, and continues in C.
 */
#include "arch/armv7.h"
#include "arch/asm.h"
#include "hyp/arch/layout.h"
#include "arch/sysreg.h"
#include "arch/lpae.h"
#include "platform.h"

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

/* sp <- top of the stack of the CPU whose index is in r0. */
.macro set_cpu_stack
	ldr	r1, =hyp_stacks
	add	r1, r1, r0, lsl #HYP_STACK_SHIFT
	add	r1, r1, #HYP_STACK_SIZE
	mov	sp, r1
.endm

/*
 * Both entries are ARM state (the boot loader's and PSCI's CPU_ON enter in it) for one
 * instruction: the rest is Thumb-2, like the C it calls.
 */
func _start, .text.entry
	blx	1f
	.thumb
1:	mov	r8, r2				/* device tree: kept for boot_main */
	sub	r5, lr, #4			/* where we run: BLX left _start + 4 (ARM) in lr */
	mrs	r4, cpsr
	cpsid	aif
	/*
	 * Everything past this point uses link-time addresses (literal pools, the tables):
	 * run anywhere else (a raw tessera.bin given to QEMU's -kernel, a 'load' and 'go' at
	 * another address), it would read what is not there and halt without a word.
	 */
	ldr	r0, =_start
	cmp	r0, r5
	bne	4f
	and	r1, r4, #PSR_MODE_MASK
	cmp	r1, #PSR_MODE_HYP
	bne	1f
	/*
	 * The Linux boot protocol enters with the MMU and D-cache off; U-Boot's 'go' in HYP mode
	 * leaves its own Hyp map and caches on, under which .bss and the tables below would be
	 * written into the cache and then discarded by cache_boot_invalidate_all.
	 */
	ldcopr	r6, HSCTLR
	tst	r6, #(HSCTLR_M | HSCTLR_C)
	bne	5f
	bl	cpu_start

	/*
	 * Clear .bss (stacks included: nothing is on them yet), 32 bytes a store (eight
	 * registers: r8 and r9 are kept), four stores a step while 128 bytes remain, then
	 * 8 bytes a step: its 156 KiB took 60,000 instructions with STRD alone (docs/bench.md).
	 * Not mm/cache.S's mem_zero: that pushes onto a stack, and the stacks are in the .bss
	 * this clears.
	 */
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	movs	r2, #0
	movs	r3, #0
	movs	r4, #0
	movs	r5, #0
	movs	r6, #0
	movs	r7, #0
	mov	r10, r2
	mov	r11, r2
	sub	r12, r1, #128			/* the last start of a whole step */
2:	cmp	r0, r12
	bhi	3f
	.rept	4
	stmia	r0!, {r2-r7, r10, r11}
	.endr
	b	2b
3:	cmp	r0, r1
	itt	lo
	strdlo	r2, r3, [r0], #8
	blo	3b

	ldr	r0, =boot_dtb
	str	r8, [r0]
	bl	boot_read_ram			/* with the MMU off: the tree may lie anywhere in RAM */

	bl	mmu_build_tables		/* C, with the MMU off */
	bl	cache_boot_invalidate_all	/* nothing stale may survive into the MMU-on world */
	bl	mmu_enable
	mov	r0, r9
	b	boot_main

	/*
	 * Not in Hyp mode (CPSR in r4), or the Hyp MMU or D-cache on (HSCTLR in r6): say why on
	 * the UART, from CPU 0's stack, and stop.
	 */
1:	mov	r6, r4
	movs	r7, #1
	b	8f
5:	movs	r7, #0
8:	ldr	r1, =(hyp_stacks + HYP_STACK_SIZE)
	mov	sp, r1
	bl	uart_init
	mov	r0, r6
	cbz	r7, 2f
	bl	boot_refuse_not_hyp
	b	9f
2:	bl	boot_refuse_caches_on
	b	9f

	/*
	 * Not where it was linked: only position-independent code from here (relative branches,
	 * link addresses less r6, the distance), with a stack where CPU 0's would be were the
	 * image linked here.
	 */
4:	subs	r6, r0, r5
	ldr	r1, =(hyp_stacks + HYP_STACK_SIZE)
	subs	r1, r1, r6
	mov	sp, r1
	bl	uart_init
	ldr	r0, =6f
	subs	r0, r0, r6
	bl	boot_puts
	mov	r0, r5
	bl	early_put_hex
	ldr	r0, =7f
	subs	r0, r0, r6
	bl	boot_puts
9:	bl	uart_flush
	b	boot_halt
	.pushsection .rodata.entry, "a"
6:	.asciz	"\r\nTessera cannot start: it was entered at "
7:	.ascii	", but it runs only where it is linked, " STRINGIFY(PLAT_HYP_BASE) ".\r\n"
	.ascii	"Load tessera.elf (QEMU -kernel) or the FIT (tessera.itb, U-Boot's bootm), which "
	.ascii	"place it there; a raw tessera.bin must be loaded at " STRINGIFY(PLAT_HYP_BASE)
	.asciz	".\r\nHalted.\r\n"
	.popsection
endfunc _start

/* Print r0 as 0x%08x with boot_puts: position-independent, for the check above. */
thumb_func early_put_hex
	push	{r4, lr}
	sub	sp, sp, #16
	movw	r1, #('0' | 'x' << 8)
	strh	r1, [sp]
	add	r2, sp, #2
	movs	r3, #8				/* digits, at [sp + 2, sp + 9] */
1:	ror	r0, r0, #28			/* the next digit, highest first, to bits [3:0] */
	and	r1, r0, #0xf
	cmp	r1, #10
	ite	lo
	addlo	r1, r1, #'0'
	addhs	r1, r1, #('a' - 10)
	strb	r1, [r2], #1
	subs	r3, r3, #1
	bne	1b
	strb	r3, [r2]			/* the NUL */
	mov	r0, sp
	bl	boot_puts
	add	sp, sp, #16
	pop	{r4, pc}
endfunc early_put_hex

/*
 * PSCI CPU_ON entry for secondary CPUs; r0 = context: non-zero if this CPU must halt when its
 * ACTLR.SMP is clear after cpu_start (boot_main passes it where the GIC is not QEMU's, whose
 * ACTLR reads as zero: boot.c, check_smp_coherent).  MPIDR, not the context, gives the index.
 */
func secondary_entry, .text.entry
	blx	1f
	.thumb
1:	cpsid	aif
	mov	r2, r0
	mrs	r1, cpsr
	and	r1, r1, #PSR_MODE_MASK
	cmp	r1, #PSR_MODE_HYP
	bne	boot_halt
	bl	cpu_start
	/* Outside coherency, before its caches hold anything: halt, the boot CPU says so. */
	ldcopr	r0, ACTLR
	tst	r0, #ACTLR_SMP
	bne	2f
	cmp	r2, #0
	bne	boot_halt
2:
	bl	cache_invalidate_l1_local	/* never L2: the boot CPU's dirty lines live there */
	bl	mmu_enable
	mov	r0, r9
	b	boot_secondary_main
endfunc secondary_entry

/*
 * Both entries, in Hyp mode: ACTLR.SMP set where it was clear and NSACR.NS_SMP lets
 * Non-secure state set it, r9 <- this CPU's index (MPIDR.Aff0), sp <- its stack, HVBAR <-
 * the vectors; a CPU we have no stack for, or one with Aff1/Aff2 set (one cluster only),
 * halts.  Clobbers r0 and r1.
 *
 * ACTLR.SMP: without it a Cortex-A7 or A15 keeps its data cache and TLBs out of the
 * cluster's coherency, and their TRMs ask for it before the caches and MMU are enabled or any
 * cache or TLB maintenance is done; the CPUs' shared data would be silently corrupted.  The
 * firmware normally sets it (U-Boot's cpu_init_cp15 with ARMV7_SET_CORTEX_SMPEN on the boot
 * CPU, its PSCI's psci_enable_smp on the others, and its NSACR gives NS_SMP); this is for
 * firmware that does not, as Linux's __v7_setup and Xen's ca7mp/ca15mp init do.  Written
 * only when clear and allowed: a Non-secure write without NS_SMP is not ours to make.  NSACR
 * exists only with the Security Extensions (ID_PFR1.Security, B4.1.94), which every core with
 * the Virtualization Extensions has, but not QEMU's without EL3 (virt), where reading it is
 * UNDEFINED.  QEMU's ACTLR reads as zero and ignores writes (boot.c, check_smp_coherent).
 */
thumb_func cpu_start
	ldcopr	r0, ACTLR
	tst	r0, #ACTLR_SMP
	bne	1f
	ldcopr	r1, ID_PFR1
	tst	r1, #ID_PFR1_SECURITY_MASK	/* no NSACR without them: QEMU virt, no EL3 */
	beq	1f
	ldcopr	r1, NSACR
	tst	r1, #NSACR_NS_SMP
	beq	1f
	orr	r0, r0, #ACTLR_SMP
	stcopr	r0, ACTLR
	isb
1:	ldcopr	r0, MPIDR
	lsls	r1, r0, #8
	lsrs	r1, r1, #16			/* Aff2 and Aff1 */
	ite	ne
	movne	r0, #-1
	andeq	r0, r0, #0xff
	cmp	r0, #PLAT_CPU_COUNT
	bhs	boot_halt			/* unsigned: also catches -1 */
	mov	r9, r0
	set_cpu_stack
	ldr	r0, =hyp_vectors
	stcopr	r0, HVBAR
	bx	lr
endfunc cpu_start

/* Turn on the Hyp stage-1 MMU and caches with the tables mmu_build_tables made. */
thumb_func mmu_enable
	ldr	r0, =HMAIR0_VALUE
	stcopr	r0, HMAIR0
	movs	r0, #0
	stcopr	r0, HMAIR1
	/* 32-bit input range (T0SZ = 0), walks inner-shareable write-back (B4.1.76). */
	ldr	r0, =(HTCR_RES1 | TCR_SH0_INNER | TCR_ORGN0_WBWA | TCR_IRGN0_WBWA)
	stcopr	r0, HTCR
	ldr	r2, =hyp_pt_root_pa
	ldrd	r0, r1, [r2]
	mcrr	p15, 4, r0, r1, c2		/* HTTBR */
	dsb	sy
	isb
	movs	r0, #0
	stcopr	r0, TLBIALLH
	stcopr	r0, ICIALLU
	stcopr	r0, BPIALL
	dsb	sy
	isb
	ldcopr	r0, HSCTLR
	ldr	r1, =(HSCTLR_M | HSCTLR_C | HSCTLR_I)
	orrs	r0, r1
	/* No alignment faults, no WXN, little-endian, ARM-state exceptions. */
	ldr	r1, =(HSCTLR_A | HSCTLR_WXN | HSCTLR_EE | HSCTLR_TE)
	bics	r0, r1
	stcopr	r0, HSCTLR
	isb
	bx	lr
endfunc mmu_enable

thumb_func boot_halt
	cpsid	aif
1:	wfi
	b	1b
endfunc boot_halt

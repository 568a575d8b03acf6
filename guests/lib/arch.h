/*
 * ARMv7-A processor definitions for guests: PSR bits, CP15 registers and their accessors,
 * MMIO accessors, interrupt masking.
 *
 * Each CP15 register is defined once as its encoding ("p15, opc1, CRn, CRm, opc2", ARM ARM
 * B4.1 and B8 for the generic timer), usable from assembly through the ldcopr/stcopr macros
 * below and from C through read_<reg>()/write_<reg>() generated from the same encoding
 * (the Trusted Firmware-A scheme).  64-bit registers use mcrr/mrrc encodings.
 */
#ifndef GUEST_ARCH_H
#define GUEST_ARCH_H

#include "bits.h"

/* Program status register bits and modes: the hypervisor's definitions, one copy. */
#include "arch/armv7.h"

/* SCTLR bits (ARM ARM B4.1.130). */
#define SCTLR_M BIT(0) /* stage 1 MMU enable */
#define SCTLR_A BIT(1) /* alignment fault checking */
#define SCTLR_C BIT(2) /* data and unified caches */
#define SCTLR_Z BIT(11) /* branch prediction */
#define SCTLR_I BIT(12) /* instruction cache */
#define SCTLR_V BIT(13) /* high vectors (0: vectors at VBAR) */
#define SCTLR_TRE BIT(28)
#define SCTLR_AFE BIT(29)
#define SCTLR_TE BIT(30) /* exceptions taken in Thumb state */

/* CP15 registers by their encodings, and ldcopr/stcopr: the hypervisor's, one copy. */
#include "arch/cp15_regs.h"

#define MPIDR_AFF0 GENMASK(7, 0)

#ifdef __ASSEMBLER__
/* clang-format off */

/* func / endfunc: bracket an assembly routine with its ELF type and size. */
	.macro func name
	.global \name
	.type \name, %function
\name:
	.endm

	.macro endfunc name
	.size \name, . - \name
	.endm

/* clang-format on */
#else /* !__ASSEMBLER__ */

#include <stdbool.h>
#include <stdint.h>

#define DEFINE_COPROCR_READ_FUNC_(name, coproc, opc1, CRn, CRm, opc2)                              \
	static inline uint32_t read_##name(void)                                                   \
	{                                                                                          \
		uint32_t v;                                                                        \
		__asm__ volatile("mrc " #coproc ", " #opc1 ", %0, " #CRn ", " #CRm ", " #opc2      \
				 : "=r"(v));                                                       \
		return v;                                                                          \
	}

#define DEFINE_COPROCR_WRITE_FUNC_(name, coproc, opc1, CRn, CRm, opc2)                             \
	static inline void write_##name(uint32_t v)                                                \
	{                                                                                          \
		__asm__ volatile("mcr " #coproc ", " #opc1 ", %0, " #CRn ", " #CRm ", " #opc2      \
				 :                                                                 \
				 : "r"(v)                                                          \
				 : "memory");                                                      \
	}

#define DEFINE_COPROCR_READ64_FUNC_(name, coproc, opc1, CRm)                                       \
	static inline uint64_t read64_##name(void)                                                 \
	{                                                                                          \
		uint64_t v;                                                                        \
		__asm__ volatile("mrrc " #coproc ", " #opc1 ", %Q0, %R0, " #CRm : "=r"(v));        \
		return v;                                                                          \
	}

#define DEFINE_COPROCR_WRITE64_FUNC_(name, coproc, opc1, CRm)                                      \
	static inline void write64_##name(uint64_t v)                                              \
	{                                                                                          \
		__asm__ volatile("mcrr " #coproc ", " #opc1 ", %Q0, %R0, " #CRm                    \
				 :                                                                 \
				 : "r"(v)                                                          \
				 : "memory");                                                      \
	}

/* The indirection expands the register name into its encoding before pasting. */
#define DEFINE_COPROCR_RO_FUNCS(name, reg) DEFINE_COPROCR_READ_FUNC_(name, reg)
#define DEFINE_COPROCR_WO_FUNCS(name, reg) DEFINE_COPROCR_WRITE_FUNC_(name, reg)
#define DEFINE_COPROCR_RW_FUNCS(name, reg)                                                         \
	DEFINE_COPROCR_READ_FUNC_(name, reg) DEFINE_COPROCR_WRITE_FUNC_(name, reg)
#define DEFINE_COPROCR64_RO_FUNCS(name, reg) DEFINE_COPROCR_READ64_FUNC_(name, reg)
#define DEFINE_COPROCR64_RW_FUNCS(name, reg)                                                       \
	DEFINE_COPROCR_READ64_FUNC_(name, reg) DEFINE_COPROCR_WRITE64_FUNC_(name, reg)

DEFINE_COPROCR_RO_FUNCS(midr, MIDR)
DEFINE_COPROCR_RO_FUNCS(mpidr, MPIDR)
DEFINE_COPROCR_RW_FUNCS(sctlr, SCTLR)
DEFINE_COPROCR_RW_FUNCS(actlr, ACTLR)
DEFINE_COPROCR_RW_FUNCS(ttbr0, TTBR0)
DEFINE_COPROCR_RW_FUNCS(ttbcr, TTBCR)
DEFINE_COPROCR_RW_FUNCS(dacr, DACR)
DEFINE_COPROCR_RO_FUNCS(dfsr, DFSR)
DEFINE_COPROCR_RO_FUNCS(ifsr, IFSR)
DEFINE_COPROCR_RO_FUNCS(dfar, DFAR)
DEFINE_COPROCR_RO_FUNCS(ifar, IFAR)
DEFINE_COPROCR_WO_FUNCS(iciallu, ICIALLU)
DEFINE_COPROCR_WO_FUNCS(bpiall, BPIALL)
DEFINE_COPROCR_WO_FUNCS(tlbiall, TLBIALL)
DEFINE_COPROCR_RW_FUNCS(vbar, VBAR)
DEFINE_COPROCR_RO_FUNCS(cntfrq, CNTFRQ)
DEFINE_COPROCR_RW_FUNCS(cntp_tval, CNTP_TVAL)
DEFINE_COPROCR_RW_FUNCS(cntp_ctl, CNTP_CTL)
DEFINE_COPROCR_RW_FUNCS(cntv_tval, CNTV_TVAL)
DEFINE_COPROCR_RW_FUNCS(cntv_ctl, CNTV_CTL)
DEFINE_COPROCR64_RO_FUNCS(cntpct, CNTPCT_64)
DEFINE_COPROCR64_RO_FUNCS(cntvct, CNTVCT_64)
DEFINE_COPROCR64_RW_FUNCS(cntp_cval, CNTP_CVAL_64)
DEFINE_COPROCR64_RW_FUNCS(cntv_cval, CNTV_CVAL_64)

/* MMIO: device registers are only touched through these (32-bit unless the spec allows). */
/*
 * MMIO accessors as single LDR/STR with a plain base register: no writeback
 * and no multiple-register forms, which a hypervisor cannot emulate from the
 * fault syndrome (ARM ARM B3.13.6, ISV = 0) - the same rule as Linux's
 * readl/writel.
 */
static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	__asm__ volatile("str %0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

static inline uint8_t mmio_read8(uintptr_t addr)
{
	uint32_t v;

	__asm__ volatile("ldrb %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return (uint8_t)v;
}

static inline void mmio_write8(uintptr_t addr, uint8_t v)
{
	__asm__ volatile("strb %0, [%1]" : : "r"((uint32_t)v), "r"(addr) : "memory");
}

static inline uint32_t cpu_read_cpsr(void)
{
	uint32_t v;

	__asm__ volatile("mrs %0, cpsr" : "=r"(v));
	return v;
}

/* Mask IRQs; returns the previous mask state for cpu_irq_restore(). */
static inline uint32_t cpu_irq_save(void)
{
	uint32_t cpsr;

	__asm__ volatile("mrs %0, cpsr\n\tcpsid i" : "=r"(cpsr) : : "memory");
	return cpsr & PSR_I;
}

static inline void cpu_irq_restore(uint32_t flags)
{
	if (!(flags & PSR_I))
		__asm__ volatile("cpsie i" ::: "memory");
}

static inline void cpu_irq_enable(void)
{
	__asm__ volatile("cpsie i" ::: "memory");
}

static inline void cpu_irq_disable(void)
{
	__asm__ volatile("cpsid i" ::: "memory");
}

static inline bool cpu_irqs_masked(void)
{
	return (cpu_read_cpsr() & PSR_I) != 0;
}

static inline uint32_t cpu_mode(void)
{
	return cpu_read_cpsr() & PSR_MODE_MASK;
}

/* Wait for interrupt; a pending masked interrupt also wakes it (ARM ARM B1.8.13). */
static inline void cpu_wfi(void)
{
	__asm__ volatile("dsb sy\n\twfi" ::: "memory");
}

/*
 * A hint in a loop that waits for another CPU (ARM ARM A8.8.424: YIELD, a NOP on a core
 * without hardware threads).  QEMU 7.2 needs it under -icount: it runs the vCPUs in turns,
 * each until the next timer deadline, and the vCPU after one that spins to that deadline
 * gets a turn of zero instructions, every time; YIELD ends the spinner's turn early.
 * Without it, a vCPU waiting for its neighbour in the turn order could wait forever
 * (fixed in QEMU 8.1, which shares each turn among the vCPUs).
 */
static inline void cpu_yield(void)
{
	__asm__ volatile("yield" ::: "memory");
}

/* The CPU's index: MPIDR Aff0 (under Tessera, the vCPU index). */
static inline uint32_t cpu_index(void)
{
	return read_mpidr() & MPIDR_AFF0;
}

#endif /* __ASSEMBLER__ */

#endif /* GUEST_ARCH_H */

/*
 * CP15 system registers and operations used by Tessera, each defined once as
 * its encoding "coproc, opc1, CRn, CRm, opc2" (or "coproc, opc1, CRm" for the
 * 64-bit MCRR/MRRC ones), usable from C and from assembly:
 *
 *   C:    u32 v = read_hsr();  write_hcr(v);  u64 t = read64_cntpct();
 *   asm:  ldcopr r0, HSR      stcopr r0, HCR
 *
 * Encodings from the ARM ARM (DDI 0406C), B4.1 and the summary tables in
 * B3.17 (VMSA CP15 register summary) and B8.2 (Generic Timer).
 */
#ifndef TESSERA_SYSREG_H
#define TESSERA_SYSREG_H

#include "arch/cp15_regs.h"

#ifndef __ASSEMBLER__

#include "tessera/types.h"

#define SYSREG_STR(x) #x
#define SYSREG_XSTR(x) SYSREG_STR(x)

#ifdef TESSERA_HOST_FAKE
/*
 * Host builds (tests/fake, Hafnium's arch/fake): each register accessor is an
 * ordinary function over a fake register file, declared here and defined by
 * tests/fake/fake_arch.c, which sets SYSREG_FAKE_READ and the others to
 * definitions before it includes this header.  The other instructions are
 * declared here and defined there by hand.
 */
#ifndef SYSREG_FAKE_READ
#define SYSREG_FAKE_READ(name) u32 read_##name(void);
#define SYSREG_FAKE_WRITE(name) void write_##name(u32 v);
#define SYSREG_FAKE_READ64(name) u64 read64_##name(void);
#define SYSREG_FAKE_WRITE64(name) void write64_##name(u64 v);
#endif
#define DEFINE_ASM_READ(name, insn) SYSREG_FAKE_READ(name)
#define DEFINE_ASM_WRITE(name, insn) SYSREG_FAKE_WRITE(name)
#define DEFINE_ASM_OP(name, insn) void name(void);
#define _DEFINE_SYSREG_READ64(name, ...) SYSREG_FAKE_READ64(name)
#define _DEFINE_SYSREG_WRITE64(name, ...) SYSREG_FAKE_WRITE64(name)
#else /* the target */

/* read_<name>() and write_<name>(): one instruction moving a register from or to a core register. */
#define DEFINE_ASM_READ(name, insn)                                                                \
	static inline u32 read_##name(void)                                                        \
	{                                                                                          \
		u32 v;                                                                             \
		__asm__ volatile(insn : "=r"(v));                                                  \
		return v;                                                                          \
	}

#define DEFINE_ASM_WRITE(name, insn)                                                               \
	static inline void write_##name(u32 v)                                                     \
	{                                                                                          \
		__asm__ volatile(insn ::"r"(v) : "memory");                                        \
	}

/* An instruction without operands: a barrier, WFI, SEV. */
#define DEFINE_ASM_OP(name, insn)                                                                  \
	static inline void name(void)                                                              \
	{                                                                                          \
		__asm__ volatile(insn ::: "memory");                                               \
	}

#define _DEFINE_SYSREG_READ64(name, cp, opc1, crm)                                                 \
	static inline u64 read64_##name(void)                                                      \
	{                                                                                          \
		u32 lo, hi;                                                                        \
		__asm__ volatile("mrrc " #cp ", " #opc1 ", %0, %1, " #crm : "=r"(lo), "=r"(hi));   \
		return ((u64)hi << 32) | lo;                                                       \
	}

#define _DEFINE_SYSREG_WRITE64(name, cp, opc1, crm)                                                \
	static inline void write64_##name(u64 v)                                                   \
	{                                                                                          \
		__asm__ volatile("mcrr " #cp ", " #opc1 ", %0, %1, " #crm                          \
				 :                                                                 \
				 : "r"((u32)v), "r"((u32)(v >> 32))                                \
				 : "memory");                                                      \
	}
#endif /* TESSERA_HOST_FAKE */

#define _DEFINE_SYSREG_READ(name, cp, opc1, crn, crm, opc2)                                        \
	DEFINE_ASM_READ(name, "mrc " #cp ", " #opc1 ", %0, " #crn ", " #crm ", " #opc2)
#define _DEFINE_SYSREG_WRITE(name, cp, opc1, crn, crm, opc2)                                       \
	DEFINE_ASM_WRITE(name, "mcr " #cp ", " #opc1 ", %0, " #crn ", " #crm ", " #opc2)

/* Variadic indirection: the register macro expands into its fields first. */
#define DEFINE_SYSREG_READ(name, ...) _DEFINE_SYSREG_READ(name, __VA_ARGS__)
#define DEFINE_SYSREG_WRITE(name, ...) _DEFINE_SYSREG_WRITE(name, __VA_ARGS__)
#define DEFINE_SYSREG_RW(name, ...)                                                                \
	DEFINE_SYSREG_READ(name, __VA_ARGS__)                                                      \
	DEFINE_SYSREG_WRITE(name, __VA_ARGS__)
#define DEFINE_SYSREG64_READ(name, ...) _DEFINE_SYSREG_READ64(name, __VA_ARGS__)
#define DEFINE_SYSREG64_WRITE(name, ...) _DEFINE_SYSREG_WRITE64(name, __VA_ARGS__)
#define DEFINE_SYSREG64_RW(name, ...)                                                              \
	DEFINE_SYSREG64_READ(name, __VA_ARGS__)                                                    \
	DEFINE_SYSREG64_WRITE(name, __VA_ARGS__)
#define DEFINE_SYSOP(name, ...) DEFINE_SYSREG_WRITE(name, __VA_ARGS__)

#ifndef SYSREG_NO_ACCESSORS /* host tests only look at the encodings */

DEFINE_SYSREG_RW(vpidr, VPIDR)
DEFINE_SYSREG_RW(vmpidr, VMPIDR)
DEFINE_SYSREG_RW(hsctlr, HSCTLR)
DEFINE_SYSREG_RW(hcr, HCR)
DEFINE_SYSREG_RW(hdcr, HDCR)
DEFINE_SYSREG_RW(hcptr, HCPTR)
DEFINE_SYSREG_RW(hstr, HSTR)
DEFINE_SYSREG_RW(vtcr, VTCR)
DEFINE_SYSREG_READ(hsr, HSR)
DEFINE_SYSREG_READ(hdfar, HDFAR)
DEFINE_SYSREG_READ(hifar, HIFAR)
DEFINE_SYSREG_READ(hpfar, HPFAR)
DEFINE_SYSREG_RW(htpidr, HTPIDR)
DEFINE_SYSREG_RW(cnthctl, CNTHCTL)
DEFINE_SYSREG_RW(cnthp_ctl, CNTHP_CTL)
DEFINE_SYSREG64_RW(vttbr, VTTBR_64)
DEFINE_SYSREG64_RW(cntvoff, CNTVOFF_64)
DEFINE_SYSREG64_RW(cnthp_cval, CNTHP_CVAL_64)

DEFINE_SYSREG_READ(midr, MIDR)
DEFINE_SYSREG_READ(mpidr, MPIDR)
DEFINE_SYSREG_READ(id_pfr0, ID_PFR0)
DEFINE_SYSREG_READ(id_pfr1, ID_PFR1)
DEFINE_SYSREG_RW(teecr, TEECR)
DEFINE_SYSREG_RW(teehbr, TEEHBR)
DEFINE_SYSREG_READ(ccsidr, CCSIDR)
DEFINE_SYSREG_READ(clidr, CLIDR)
DEFINE_SYSREG_RW(csselr, CSSELR)
DEFINE_SYSREG_RW(sctlr, SCTLR)
DEFINE_SYSREG_RW(actlr, ACTLR)
DEFINE_SYSREG_READ(nsacr, NSACR)
DEFINE_SYSREG_RW(cpacr, CPACR)
DEFINE_SYSREG_RW(ttbcr, TTBCR)
DEFINE_SYSREG_RW(dacr, DACR)
DEFINE_SYSREG_RW(dfsr, DFSR)
DEFINE_SYSREG_RW(ifsr, IFSR)
DEFINE_SYSREG_RW(adfsr, ADFSR)
DEFINE_SYSREG_RW(aifsr, AIFSR)
DEFINE_SYSREG_RW(dfar, DFAR)
DEFINE_SYSREG_RW(ifar, IFAR)
DEFINE_SYSREG_RW(prrr, PRRR)
DEFINE_SYSREG_RW(nmrr, NMRR)
DEFINE_SYSREG_RW(amair0, AMAIR0)
DEFINE_SYSREG_RW(amair1, AMAIR1)
DEFINE_SYSREG_RW(vbar, VBAR)
DEFINE_SYSREG_RW(fcseidr, FCSEIDR)
DEFINE_SYSREG_RW(contextidr, CONTEXTIDR)
DEFINE_SYSREG_RW(tpidrurw, TPIDRURW)
DEFINE_SYSREG_RW(tpidruro, TPIDRURO)
DEFINE_SYSREG_RW(tpidrprw, TPIDRPRW)
DEFINE_SYSREG64_RW(ttbr0, TTBR0_64)
DEFINE_SYSREG64_RW(ttbr1, TTBR1_64)
DEFINE_SYSREG64_RW(par, PAR_64)
DEFINE_SYSREG_READ(l2ctlr, L2CTLR)

/* CNTFRQ's write: test builds only (Hyp mode can where it is the highest, as in QEMU virt). */
DEFINE_SYSREG_RW(cntfrq, CNTFRQ)
DEFINE_SYSREG_RW(cntkctl, CNTKCTL)
DEFINE_SYSREG_RW(cntp_ctl, CNTP_CTL)
DEFINE_SYSREG_RW(cntv_ctl, CNTV_CTL)
DEFINE_SYSREG64_READ(cntpct, CNTPCT_64)
DEFINE_SYSREG64_RW(cntp_cval, CNTP_CVAL_64)
DEFINE_SYSREG64_RW(cntv_cval, CNTV_CVAL_64)

DEFINE_SYSREG_RW(pmcr, PMCR)
DEFINE_SYSREG_RW(pmcntenset, PMCNTENSET)
DEFINE_SYSREG_RW(pmcntenclr, PMCNTENCLR)
DEFINE_SYSREG_RW(pmovsr, PMOVSR)
DEFINE_SYSREG_RW(pmuserenr, PMUSERENR)
DEFINE_SYSREG_RW(pmintenset, PMINTENSET)
DEFINE_SYSREG_RW(pmintenclr, PMINTENCLR)
DEFINE_SYSREG_RW(pmovsset, PMOVSSET)
DEFINE_SYSREG_RW(pmccntr, PMCCNTR)
DEFINE_SYSREG_RW(pmccfiltr, PMCCFILTR)
DEFINE_SYSREG_RW(pmselr, PMSELR)
DEFINE_SYSREG_RW(pmxevtyper, PMXEVTYPER)
DEFINE_SYSREG_RW(pmxevcntr, PMXEVCNTR)
DEFINE_SYSOP(pmswinc, PMSWINC)

DEFINE_SYSOP(icialluis, ICIALLUIS)
DEFINE_SYSOP(bpiallis, BPIALLIS)
DEFINE_SYSOP(iciallu, ICIALLU)
DEFINE_SYSOP(bpiall, BPIALL)
DEFINE_SYSOP(dccisw, DCCISW)
DEFINE_SYSOP(ats1cpr, ATS1CPR)
DEFINE_SYSOP(ats12nsopr, ATS12NSOPR)
DEFINE_SYSOP(ats12nsopw, ATS12NSOPW)
DEFINE_SYSOP(tlbiallnsnh, TLBIALLNSNH)
DEFINE_SYSOP(tlbiallhis, TLBIALLHIS)

DEFINE_ASM_OP(dsb, "dsb sy")
DEFINE_ASM_OP(dsb_ish, "dsb ish")
DEFINE_ASM_OP(dmb, "dmb sy")
DEFINE_ASM_OP(dmb_ish, "dmb ish")
DEFINE_ASM_OP(isb, "isb")
DEFINE_ASM_OP(wfi, "wfi")
DEFINE_ASM_OP(sev, "sev")

DEFINE_ASM_READ(cpsr, "mrs %0, cpsr")
DEFINE_ASM_READ(elr_hyp, "mrs %0, elr_hyp")
DEFINE_ASM_WRITE(elr_hyp, "msr elr_hyp, %0")
/* SPSR of the current mode (Hyp): writing SPSR_hyp by name traps on QEMU. */
DEFINE_ASM_READ(spsr, "mrs %0, spsr")
DEFINE_ASM_WRITE(spsr, "msr spsr_cxsf, %0")

/* Banked registers of the guest's modes, reachable from Hyp mode (B9.3.9, MRS/MSR banked). */
#define DEFINE_BANKED_RW(reg)                                                                      \
	DEFINE_ASM_READ(reg, "mrs %0, " #reg)                                                      \
	DEFINE_ASM_WRITE(reg, "msr " #reg ", %0")

DEFINE_BANKED_RW(SP_usr)
DEFINE_BANKED_RW(SP_svc)
DEFINE_BANKED_RW(LR_svc)
DEFINE_BANKED_RW(SPSR_svc)
DEFINE_BANKED_RW(SP_abt)
DEFINE_BANKED_RW(LR_abt)
DEFINE_BANKED_RW(SPSR_abt)
DEFINE_BANKED_RW(SP_und)
DEFINE_BANKED_RW(LR_und)
DEFINE_BANKED_RW(SPSR_und)
DEFINE_BANKED_RW(SP_irq)
DEFINE_BANKED_RW(LR_irq)
DEFINE_BANKED_RW(SPSR_irq)
DEFINE_BANKED_RW(SP_fiq)
DEFINE_BANKED_RW(LR_fiq)
DEFINE_BANKED_RW(SPSR_fiq)
DEFINE_BANKED_RW(r8_fiq)
DEFINE_BANKED_RW(r9_fiq)
DEFINE_BANKED_RW(r10_fiq)
DEFINE_BANKED_RW(r11_fiq)
DEFINE_BANKED_RW(r12_fiq)

#endif /* SYSREG_NO_ACCESSORS */
#endif /* __ASSEMBLER__ */
#endif /* TESSERA_SYSREG_H */

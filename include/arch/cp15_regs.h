/*
 * CP15 register encodings, "coproc, opc1, CRn, CRm, opc2" for MRC/MCR (or
 * "coproc, opc1, CRm" for the 64-bit MCRR/MRRC ones), and the ldcopr/stcopr
 * assembler macros that take them: one copy for the hypervisor
 * (arch/sysreg.h builds its accessors on it) and the guests (guests/lib/arch.h).
 *
 * Encodings from the ARM ARM (DDI 0406C), B4.1 and the summary tables in
 * B3.17 (VMSA CP15 register summary) and B8.2 (Generic Timer).
 */
#ifndef TESSERA_CP15_REGS_H
#define TESSERA_CP15_REGS_H

/* Hyp-mode registers (B4.1, "H" registers). */
#define VPIDR p15, 4, c0, c0, 0
#define VMPIDR p15, 4, c0, c0, 5
#define HSCTLR p15, 4, c1, c0, 0
#define HCR p15, 4, c1, c1, 0
#define HDCR p15, 4, c1, c1, 1
#define HCPTR p15, 4, c1, c1, 2
#define HSTR p15, 4, c1, c1, 3
#define HTCR p15, 4, c2, c0, 2
#define VTCR p15, 4, c2, c1, 2
#define HSR p15, 4, c5, c2, 0
#define HDFAR p15, 4, c6, c0, 0
#define HIFAR p15, 4, c6, c0, 2
#define HPFAR p15, 4, c6, c0, 4
#define HMAIR0 p15, 4, c10, c2, 0
#define HMAIR1 p15, 4, c10, c2, 1
#define HVBAR p15, 4, c12, c0, 0
#define HTPIDR p15, 4, c13, c0, 2
#define CNTHCTL p15, 4, c14, c1, 0
#define CNTHP_CTL p15, 4, c14, c2, 1
#define HTTBR_64 p15, 4, c2
#define VTTBR_64 p15, 6, c2
#define CNTVOFF_64 p15, 4, c14
#define CNTHP_CVAL_64 p15, 6, c14

/*
 * ThumbEE configuration (ARM ARM A2.12, "Thumb Execution Environment"; CP14,
 * B6): TEECR and TEEHBR, present when ID_PFR0.State3 says ThumbEE is.
 */
#define TEECR p14, 6, c0, c0, 0
#define TEEHBR p14, 6, c1, c0, 0

/* PL1 registers the hypervisor reads, resets or emulates for a guest. */
#define MIDR p15, 0, c0, c0, 0
#define CTR p15, 0, c0, c0, 1
#define MPIDR p15, 0, c0, c0, 5
#define ID_PFR0 p15, 0, c0, c1, 0
#define ID_PFR0_STATE3_MASK (0xfU << 12) /* ThumbEE: non-zero if implemented (B4.1.93) */
#define ID_PFR1 p15, 0, c0, c1, 1
#define ID_PFR1_SECURITY_MASK GENMASK(7, 4) /* the Security Extensions: non-zero if implemented */
#define CCSIDR p15, 1, c0, c0, 0
#define CLIDR p15, 1, c0, c0, 1
#define CSSELR p15, 2, c0, c0, 0
#define SCTLR p15, 0, c1, c0, 0
#define ACTLR p15, 0, c1, c0, 1
#define NSACR p15, 0, c1, c1, 2 /* read-only in Non-secure state */
#define CPACR p15, 0, c1, c0, 2
#define TTBR0 p15, 0, c2, c0, 0
#define TTBCR p15, 0, c2, c0, 2
#define DACR p15, 0, c3, c0, 0
#define DFSR p15, 0, c5, c0, 0
#define IFSR p15, 0, c5, c0, 1
#define ADFSR p15, 0, c5, c1, 0
#define AIFSR p15, 0, c5, c1, 1
#define DFAR p15, 0, c6, c0, 0
#define IFAR p15, 0, c6, c0, 2
#define PRRR p15, 0, c10, c2, 0 /* MAIR0 when TTBCR.EAE = 1 */
#define NMRR p15, 0, c10, c2, 1 /* MAIR1 */
#define AMAIR0 p15, 0, c10, c3, 0
#define AMAIR1 p15, 0, c10, c3, 1
#define VBAR p15, 0, c12, c0, 0
#define FCSEIDR p15, 0, c13, c0, 0
#define CONTEXTIDR p15, 0, c13, c0, 1
#define TPIDRURW p15, 0, c13, c0, 2
#define TPIDRURO p15, 0, c13, c0, 3
#define TPIDRPRW p15, 0, c13, c0, 4
#define TTBR0_64 p15, 0, c2
#define TTBR1_64 p15, 1, c2
#define PAR_64 p15, 0, c7

/* Generic Timer (B8.2). */
#define CNTFRQ p15, 0, c14, c0, 0
#define CNTKCTL p15, 0, c14, c1, 0
#define CNTP_TVAL p15, 0, c14, c2, 0
#define CNTP_CTL p15, 0, c14, c2, 1
#define CNTV_TVAL p15, 0, c14, c3, 0
#define CNTV_CTL p15, 0, c14, c3, 1
#define CNTPCT_64 p15, 0, c14
#define CNTVCT_64 p15, 1, c14
#define CNTP_CVAL_64 p15, 2, c14
#define CNTV_CVAL_64 p15, 3, c14

/* Performance monitors (C12): PMCR.N sizes HDCR.HPMN for a guest. */
#define PMCR p15, 0, c9, c12, 0
#define PMCNTENSET p15, 0, c9, c12, 1
#define PMCNTENCLR p15, 0, c9, c12, 2
#define PMOVSR p15, 0, c9, c12, 3
#define PMSWINC p15, 0, c9, c12, 4
#define PMSELR p15, 0, c9, c12, 5
#define PMCCNTR p15, 0, c9, c13, 0
#define PMXEVTYPER p15, 0, c9, c13, 1
#define PMXEVCNTR p15, 0, c9, c13, 2
#define PMUSERENR p15, 0, c9, c14, 0
#define PMINTENSET p15, 0, c9, c14, 1
#define PMINTENCLR p15, 0, c9, c14, 2
#define PMOVSSET p15, 0, c9, c14, 3
#define PMCCFILTR p15, 0, c14, c15, 7 /* PMUv2 (B4.1.115) */

/* Cache and branch predictor maintenance (B4.2.1). */
#define ICIALLUIS p15, 0, c7, c1, 0
#define BPIALLIS p15, 0, c7, c1, 6
#define ICIALLU p15, 0, c7, c5, 0
#define BPIALL p15, 0, c7, c5, 6
#define DCIMVAC p15, 0, c7, c6, 1
#define DCISW p15, 0, c7, c6, 2
#define DCCMVAC p15, 0, c7, c10, 1
#define DCCIMVAC p15, 0, c7, c14, 1
#define DCCISW p15, 0, c7, c14, 2

/* Address translation operations (B4.2.2). */
#define ATS1CPR p15, 0, c7, c8, 0
#define ATS12NSOPR p15, 0, c7, c8, 4
#define ATS12NSOPW p15, 0, c7, c8, 5

/* TLB maintenance (B4.2.3). */
#define TLBIALL p15, 0, c8, c7, 0
#define TLBIALLH p15, 4, c8, c7, 0
#define TLBIALLHIS p15, 4, c8, c3, 0
#define TLBIALLNSNH p15, 4, c8, c7, 4

/* Cortex-A15/A7 implementation defined: L2 control (TRM 4.3.57). */
#define L2CTLR p15, 1, c9, c0, 2

#ifdef __ASSEMBLER__
/* clang-format off */

.macro ldcopr reg, coproc, opc1, crn, crm, opc2
	mrc \coproc, \opc1, \reg, \crn, \crm, \opc2
.endm

.macro stcopr reg, coproc, opc1, crn, crm, opc2
	mcr \coproc, \opc1, \reg, \crn, \crm, \opc2
.endm

/* clang-format on */
#endif

#endif /* TESSERA_CP15_REGS_H */

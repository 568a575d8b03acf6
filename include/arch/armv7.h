/*
 * ARMv7-A architecture bit definitions used by the hypervisor: processor
 * modes, the Hyp-mode control registers and the Hyp Syndrome Register.
 * Values from the ARM ARM (DDI 0406C); each block cites its section.
 * Usable from C and assembly.
 */
#ifndef TESSERA_ARCH_H
#define TESSERA_ARCH_H

#include "tessera/bits.h"

/* CPSR / SPSR (B1.3.3). */
#define PSR_MODE_MASK GENMASK(4, 0)
#define PSR_MODE_USR 0x10
#define PSR_MODE_FIQ 0x11
#define PSR_MODE_IRQ 0x12
#define PSR_MODE_SVC 0x13
#define PSR_MODE_MON 0x16
#define PSR_MODE_ABT 0x17
#define PSR_MODE_HYP 0x1a
#define PSR_MODE_UND 0x1b
#define PSR_MODE_SYS 0x1f
#define PSR_T BIT(5)
#define PSR_F BIT(6)
#define PSR_I BIT(7)
#define PSR_A BIT(8)
#define PSR_E BIT(9)
#define PSR_IT_LOW_MASK GENMASK(15, 10) /* IT[7:2] */
#define PSR_GE_MASK GENMASK(19, 16)
#define PSR_IT_HIGH_MASK GENMASK(26, 25) /* IT[1:0] */
#define PSR_Q BIT(27)
#define PSR_V BIT(28)
#define PSR_C BIT(29)
#define PSR_Z BIT(30)
#define PSR_N BIT(31)
#define PSR_NZCV (PSR_N | PSR_Z | PSR_C | PSR_V)

/* HSCTLR (B4.1.66). */
#define HSCTLR_M BIT(0) /* stage 1 MMU for Hyp mode */
#define HSCTLR_A BIT(1) /* alignment checking */
#define HSCTLR_C BIT(2) /* data and unified caches */
#define HSCTLR_I BIT(12) /* instruction cache */
#define HSCTLR_WXN BIT(19)
#define HSCTLR_EE BIT(25)
#define HSCTLR_TE BIT(30)

/*
 * ACTLR.SMP (Cortex-A7 and Cortex-A15 MPCore TRMs, "Auxiliary Control Register"): the core's
 * data cache and TLBs take part in the cluster's coherency.  Non-secure state may write it
 * only while NSACR.NS_SMP is set (the same TRMs, "Non-Secure Access Control Register").
 */
#define ACTLR_SMP BIT(6)
#define NSACR_NS_SMP BIT(18)

/* HCR (B4.1.65). */
#define HCR_VM BIT(0) /* stage 2 translation */
#define HCR_SWIO BIT(1) /* set/way invalidate behaves as clean+invalidate */
#define HCR_PTW BIT(2) /* protect stage-1 walks to Device memory */
#define HCR_FMO BIT(3) /* FIQs to Hyp mode, virtual FIQ enabled */
#define HCR_IMO BIT(4) /* IRQs to Hyp mode, virtual IRQ enabled */
#define HCR_AMO BIT(5) /* asynchronous aborts to Hyp mode */
#define HCR_VA BIT(8)
#define HCR_FB BIT(9) /* broadcast TLB/BP/I-cache maintenance */
#define HCR_BSU_INNER (1U << 10)
#define HCR_TSC BIT(19) /* trap SMC */
#define HCR_TIDCP BIT(20) /* trap implementation-defined CP15 (c9-c11 lockdown/TCM/DMA) */
#define HCR_TAC BIT(21) /* trap ACTLR */
#define HCR_TSW BIT(22) /* trap set/way cache maintenance */

/* HDCR (B4.1.64). */
#define HDCR_HPMN_MASK GENMASK(4, 0)
#define HDCR_TPMCR BIT(5)
#define HDCR_TPM BIT(6)
#define HDCR_HPME BIT(7) /* counters HPMN..N-1 enabled (they are Hyp's alone) */
#define HDCR_TDA BIT(9)
#define HDCR_TDOSA BIT(10)
#define HDCR_TDRA BIT(11)

/*
 * The Performance Monitors (ARM ARM C12; PMCR B4.1.117, PMCNTENSET B4.1.119, PMCCFILTR B4.1.115,
 * PMXEVTYPER B4.1.127, PMSWINC B4.1.125).  The filter bits are the same in PMCCFILTR and
 * PMXEVTYPER (C12.8.2).
 */
#define PMCR_E BIT(0) /* counters enabled */
#define PMCR_P BIT(1) /* reset the event counters (from Hyp mode: all of them) */
#define PMCR_C BIT(2) /* reset the cycle counter */
#define PMCR_GUEST_WRITABLE (PMCR_E | PMCR_C | BIT(3) | BIT(4) | BIT(5)) /* E, C, D, X, DP */
#define PMCR_N_SHIFT 11
#define PMCR_N_MASK GENMASK(4, 0)
#define PMCNTEN_C BIT(31) /* the cycle counter */
#define PMSELR_CCFILTR 31 /* PMSELR value selecting PMCCFILTR through PMXEVTYPER */
#define PMFILTER_P BIT(31) /* not at PL1 (Non-secure PL1 too while NSK == 0) */
#define PMFILTER_U BIT(30) /* not at PL0 (Non-secure PL0 too while NSU == 0) */
#define PMFILTER_NSH BIT(27) /* in Hyp mode */
#define PMEVENT_CPU_CYCLES 0x11 /* ARM ARM C12.8, Table C12-6 */

/* HCPTR (B4.1.63): RES1 bits set, TCPn/TASE/TTA are traps. */
#define HCPTR_TTA BIT(20)
#define HCPTR_RES1 (GENMASK(9, 0) | BIT(12) | BIT(13))

/* HSTR (B4.1.72): trap CP15 primary register c<n>. */
#define HSTR_T(n) BIT(n)

/* HTCR (B4.1.76) and VTCR (B4.1.159). */
#define TCR_IRGN0_WBWA (1U << 8)
#define TCR_ORGN0_WBWA (1U << 10)
#define TCR_SH0_INNER (3U << 12)
#define HTCR_RES1 BIT(31)
#define VTCR_SL0_L1 (1U << 6)
#define VTCR_RES1 BIT(31)

/* VTTBR (B4.1.160): VMID in bits [55:48]. */
#define VTTBR_VMID_SHIFT 48

/* CNTHCTL (B4.1.26). */
#define CNTHCTL_PL1PCTEN BIT(0) /* PL1 may read CNTPCT */
#define CNTHCTL_PL1PCEN BIT(1) /* PL1 may access the physical timer */
#define CNTHCTL_EVNTEN BIT(2) /* the event stream */
#define CNTHCTL_EVNTI_SHIFT 4 /* which bit of the count triggers it */
#define CNTHCTL_EVNTI_MASK GENMASK(7, 4)

/* Timer control (B8.2.2). */
#define CNT_CTL_ENABLE BIT(0)

/* HSR (B3.13.6): exception class and instruction syndrome. */
#define HSR_EC_SHIFT 26
#define HSR_IL BIT(25)
#define HSR_ISS_MASK GENMASK(24, 0)
#define HSR_CV BIT(24) /* condition code valid (EC 0x01..0x0c) */
#define HSR_COND_SHIFT 20
#define HSR_COND_MASK GENMASK(23, 20)

#define HSR_EC_UNKNOWN 0x00
#define HSR_EC_WFI_WFE 0x01
#define HSR_EC_CP15_32 0x03
#define HSR_EC_CP15_64 0x04
#define HSR_EC_CP14_32 0x05
#define HSR_EC_CP14_LS 0x06
#define HSR_EC_HCPTR 0x07
#define HSR_EC_CP10_ID 0x08
#define HSR_EC_JAZELLE 0x09
#define HSR_EC_BXJ 0x0a
#define HSR_EC_CP14_64 0x0c
#define HSR_EC_SVC_HYP 0x11
#define HSR_EC_HVC 0x12
#define HSR_EC_SMC 0x13
#define HSR_EC_IABT_GUEST 0x20
#define HSR_EC_IABT_HYP 0x21
#define HSR_EC_DABT_GUEST 0x24
#define HSR_EC_DABT_HYP 0x25

/* ISS of data aborts (B3.13.6, Table B3-24). */
#define HSR_DABT_ISV BIT(24)
#define HSR_DABT_SAS_SHIFT 22
#define HSR_DABT_SAS_MASK GENMASK(23, 22)
#define HSR_DABT_SSE BIT(21)
#define HSR_DABT_SRT_SHIFT 16
#define HSR_DABT_SRT_MASK GENMASK(19, 16)
#define HSR_DABT_EA BIT(9)
#define HSR_DABT_CM BIT(8) /* cache maintenance (or address translation) by VA */
#define HSR_DABT_S1PTW BIT(7)
#define HSR_DABT_WNR BIT(6)
#define HSR_FSC_MASK GENMASK(5, 0)

/* Long-descriptor fault status codes (B3.13.3, Table B3-23). */
#define FSC_TYPE_MASK GENMASK(5, 2)
#define FSC_TRANSLATION 0x04 /* + level */
#define FSC_PERMISSION 0x0c /* + level */
#define FSC_SYNC_EXTERNAL 0x10
#define FSC_ASYNC_EXTERNAL 0x11
#define FSC_SYNC_EXTERNAL_WALK 0x14 /* + level */
#define FSC_SYNC_PARITY 0x18
#define FSC_ASYNC_PARITY 0x19
#define FSC_SYNC_PARITY_WALK 0x1c /* + level */
#define FSC_ALIGNMENT 0x21
#define FSC_DEBUG 0x22
#define FSC_TLB_CONFLICT 0x30
#define FSC_LOCKDOWN 0x34
#define FSC_COPROC_ABORT 0x3a

/* ISS of MCR/MRC traps (B3.13.6, Table B3-26). */
#define HSR_CP_OPC2_SHIFT 17
#define HSR_CP_OPC1_SHIFT 14
#define HSR_CP_CRN_SHIFT 10
#define HSR_CP_RT_SHIFT 5
#define HSR_CP_CRM_SHIFT 1
#define HSR_CP_READ BIT(0) /* direction: 1 = read (MRC) */

/* HPFAR (B4.1.70): IPA[39:12] in bits [31:4]. */
#define HPFAR_FIPA_MASK GENMASK(31, 4)

/* PAR, 64-bit format after an ATS operation (B4.1.113). */
#define PAR_F BIT(0)
#define PAR_LPAE BIT(11)
#define PAR_PA_MASK GENMASK64(39, 12)

#endif /* TESSERA_ARCH_H */

/*
 * The register encodings and bit fields of include/arch/sysreg.h, include/arch/armv7.h and
 * include/arch/lpae.h, checked against the values printed in the ARM ARM (DDI 0406C)
 * and the GIC specification.  Wrong TLB maintenance encodings have shipped in
 * famous kernels because nothing exercised them: this test is that something.
 */
#define SYSREG_NO_ACCESSORS
#include "test.h"
#include "arch/armv7.h"
#include "arch/sysreg.h"
#include "arch/lpae.h"

#define ENC(reg) SYSREG_XSTR((reg))

TEST(hyp_register_encodings)
{
	/* B3.17.2, Table B3-42 (Hyp registers). */
	EXPECT_STREQ(ENC(HSCTLR), "(p15, 4, c1, c0, 0)");
	EXPECT_STREQ(ENC(HCR), "(p15, 4, c1, c1, 0)");
	EXPECT_STREQ(ENC(HDCR), "(p15, 4, c1, c1, 1)");
	EXPECT_STREQ(ENC(HCPTR), "(p15, 4, c1, c1, 2)");
	EXPECT_STREQ(ENC(HSTR), "(p15, 4, c1, c1, 3)");
	EXPECT_STREQ(ENC(HTCR), "(p15, 4, c2, c0, 2)");
	EXPECT_STREQ(ENC(VTCR), "(p15, 4, c2, c1, 2)");
	EXPECT_STREQ(ENC(HSR), "(p15, 4, c5, c2, 0)");
	EXPECT_STREQ(ENC(HDFAR), "(p15, 4, c6, c0, 0)");
	EXPECT_STREQ(ENC(HIFAR), "(p15, 4, c6, c0, 2)");
	EXPECT_STREQ(ENC(HPFAR), "(p15, 4, c6, c0, 4)");
	EXPECT_STREQ(ENC(HMAIR0), "(p15, 4, c10, c2, 0)");
	EXPECT_STREQ(ENC(HVBAR), "(p15, 4, c12, c0, 0)");
	EXPECT_STREQ(ENC(HTPIDR), "(p15, 4, c13, c0, 2)");
	EXPECT_STREQ(ENC(VPIDR), "(p15, 4, c0, c0, 0)");
	EXPECT_STREQ(ENC(VMPIDR), "(p15, 4, c0, c0, 5)");
	EXPECT_STREQ(ENC(HTTBR_64), "(p15, 4, c2)");
	EXPECT_STREQ(ENC(VTTBR_64), "(p15, 6, c2)");
	/* B3.17.2 (c1 registers): ACTLR and NSACR, the SMP bit's pair. */
	EXPECT_STREQ(ENC(ACTLR), "(p15, 0, c1, c0, 1)");
	EXPECT_STREQ(ENC(NSACR), "(p15, 0, c1, c1, 2)");
}

/* A2.12 and B6 (CP14 ThumbEE registers), B4.1.93 (ID_PFR0.State3). */
TEST(thumbee_encodings)
{
	EXPECT_STREQ(ENC(TEECR), "(p14, 6, c0, c0, 0)");
	EXPECT_STREQ(ENC(TEEHBR), "(p14, 6, c1, c0, 0)");
	EXPECT_STREQ(ENC(ID_PFR0), "(p15, 0, c0, c1, 0)");
	EXPECT_EQ(ID_PFR0_STATE3_MASK, 0xf000);
}

TEST(timer_encodings)
{
	/* B8.2, Table B8-3. */
	EXPECT_STREQ(ENC(CNTFRQ), "(p15, 0, c14, c0, 0)");
	EXPECT_STREQ(ENC(CNTHCTL), "(p15, 4, c14, c1, 0)");
	EXPECT_STREQ(ENC(CNTHP_CTL), "(p15, 4, c14, c2, 1)");
	EXPECT_STREQ(ENC(CNTV_CTL), "(p15, 0, c14, c3, 1)");
	EXPECT_STREQ(ENC(CNTP_CTL), "(p15, 0, c14, c2, 1)");
	EXPECT_STREQ(ENC(CNTPCT_64), "(p15, 0, c14)");
	EXPECT_STREQ(ENC(CNTP_CVAL_64), "(p15, 2, c14)");
	EXPECT_STREQ(ENC(CNTV_CVAL_64), "(p15, 3, c14)");
	EXPECT_STREQ(ENC(CNTVOFF_64), "(p15, 4, c14)");
	EXPECT_STREQ(ENC(CNTHP_CVAL_64), "(p15, 6, c14)");
}

TEST(tlb_and_cache_operations)
{
	/* B4.2.3, Table B4-3 (TLB maintenance) and B4.2.1 (cache maintenance). */
	EXPECT_STREQ(ENC(TLBIALLNSNH), "(p15, 4, c8, c7, 4)");
	EXPECT_STREQ(ENC(TLBIALLH), "(p15, 4, c8, c7, 0)");
	EXPECT_STREQ(ENC(ICIALLU), "(p15, 0, c7, c5, 0)");
	EXPECT_STREQ(ENC(ICIALLUIS), "(p15, 0, c7, c1, 0)");
	EXPECT_STREQ(ENC(BPIALL), "(p15, 0, c7, c5, 6)");
	EXPECT_STREQ(ENC(DCCMVAC), "(p15, 0, c7, c10, 1)");
	EXPECT_STREQ(ENC(DCIMVAC), "(p15, 0, c7, c6, 1)");
	EXPECT_STREQ(ENC(DCISW), "(p15, 0, c7, c6, 2)");
	EXPECT_STREQ(ENC(DCCISW), "(p15, 0, c7, c14, 2)");
	EXPECT_STREQ(ENC(ATS12NSOPR), "(p15, 0, c7, c8, 4)");
	EXPECT_STREQ(ENC(ATS12NSOPW), "(p15, 0, c7, c8, 5)");
	EXPECT_STREQ(ENC(ATS1CPR), "(p15, 0, c7, c8, 0)");
	EXPECT_STREQ(ENC(PAR_64), "(p15, 0, c7)");
}

TEST(hcr_bits)
{
	/* B4.1.65. */
	EXPECT_EQ(HCR_VM, 0x1);
	EXPECT_EQ(HCR_SWIO, 0x2);
	EXPECT_EQ(HCR_IMO, 0x10);
	EXPECT_EQ(HCR_AMO, 0x20);
	EXPECT_EQ(HCR_FB, 0x200);
	EXPECT_EQ(HCR_BSU_INNER, 0x400);
	EXPECT_EQ(HCR_TSC, 0x80000);
	EXPECT_EQ(HCR_TIDCP, 0x100000);
	EXPECT_EQ(HCR_TAC, 0x200000);
	EXPECT_EQ(HCR_TSW, 0x400000);
	/* HDCR (B4.1.64) and HCPTR (B4.1.63). */
	EXPECT_EQ(HDCR_TPM, 0x40);
	EXPECT_EQ(HDCR_TDA, 0x200);
	EXPECT_EQ(HDCR_TDRA, 0x800);
	EXPECT_EQ(HCPTR_TTA, 0x100000);
}

TEST(hsr_fields)
{
	/* B3.13.6. */
	EXPECT_EQ(HSR_IL, 0x02000000);
	EXPECT_EQ(HSR_DABT_ISV, 0x01000000);
	EXPECT_EQ(HSR_DABT_SAS_MASK, 0x00c00000);
	EXPECT_EQ(HSR_DABT_SRT_MASK, 0x000f0000);
	EXPECT_EQ(HSR_DABT_WNR, 0x40);
	EXPECT_EQ(HSR_DABT_S1PTW, 0x80);
	EXPECT_EQ(HSR_DABT_CM, 0x100);
	EXPECT_EQ(HSR_EC_DABT_GUEST, 0x24);
	EXPECT_EQ(HSR_EC_IABT_GUEST, 0x20);
	EXPECT_EQ(HSR_EC_HVC, 0x12);
	EXPECT_EQ(HSR_EC_SMC, 0x13);
	EXPECT_EQ(HSR_EC_CP15_32, 0x03);
	EXPECT_EQ(HPFAR_FIPA_MASK, 0xfffffff0);
}

TEST(psr_and_control_bits)
{
	EXPECT_EQ(PSR_MODE_HYP, 0x1a);
	EXPECT_EQ(PSR_MODE_SVC, 0x13);
	EXPECT_EQ(PSR_MODE_ABT, 0x17);
	EXPECT_EQ(PSR_MODE_UND, 0x1b);
	EXPECT_EQ(PSR_I | PSR_F | PSR_A, 0x1c0);
	EXPECT_EQ(PSR_IT_LOW_MASK, 0xfc00);
	EXPECT_EQ(PSR_IT_HIGH_MASK, 0x06000000);
	EXPECT_EQ(HSCTLR_M | HSCTLR_C | HSCTLR_I, 0x1005);
	EXPECT_EQ(VTCR_SL0_L1, 0x40);
	EXPECT_EQ(TCR_SH0_INNER | TCR_ORGN0_WBWA | TCR_IRGN0_WBWA, 0x3500);
	EXPECT_EQ(CNTHCTL_PL1PCTEN | CNTHCTL_PL1PCEN, 0x3);
	/* Cortex-A7 and A15 TRMs: ACTLR bit 6 SMP, NSACR bit 18 NS_SMP (U-Boot writes 0x43fff). */
	EXPECT_EQ(ACTLR_SMP, 0x40);
	EXPECT_EQ(NSACR_NS_SMP, 0x40000);
	EXPECT_EQ(ID_PFR1_SECURITY_MASK, 0xf0); /* B4.1.94 */
}

TEST(lpae_descriptor_bits)
{
	/* B3.6.1-B3.6.2 (long-descriptor format). */
	EXPECT_EQ(LPAE_AF, 0x400);
	EXPECT_EQ(LPAE_SH_INNER, 0x300);
	EXPECT_EQ(LPAE_S2_HAP_R | LPAE_S2_HAP_W, 0xc0);
	EXPECT_EQ(LPAE_XN, 1ULL << 54);
	EXPECT_EQ(LPAE_ADDR_MASK, 0x000000fffffff000ULL);
	EXPECT_EQ(LPAE_S2_MEMATTR(S2_MEMATTR_NORMAL_WB), 0x3c);
	EXPECT_EQ(LPAE_S2_MEMATTR(S2_MEMATTR_DEVICE), 0x04);
	/* HMAIR0: Attr0 Device (0x04), Attr1 Normal WB RW-allocate (0xff), Attr2 Normal NC (0x44). */
	EXPECT_EQ(HMAIR0_VALUE, 0x0044ff04);
}

TEST(genmask)
{
	EXPECT_EQ(GENMASK(31, 0), 0xffffffffU);
	EXPECT_EQ(GENMASK(7, 4), 0xf0U);
	EXPECT_EQ(GENMASK64(39, 12), 0xfffffff000ULL);
	EXPECT_EQ(BIT(31), 0x80000000U);
	EXPECT_EQ(FIELD_GET(GENMASK(23, 22), 0x00800000U), 2);
	EXPECT_EQ(FIELD_PREP(GENMASK(19, 16), 5U), 0x50000U);
}

int main(void)
{
	test_suite_name = "sysreg";
	RUN(hyp_register_encodings);
	RUN(thumbee_encodings);
	RUN(timer_encodings);
	RUN(tlb_and_cache_operations);
	RUN(hcr_bits);
	RUN(hsr_fields);
	RUN(psr_and_control_bits);
	RUN(lpae_descriptor_bits);
	RUN(genmask);
	return test_summary();
}

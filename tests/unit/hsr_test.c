/*
 * Host tests of the HSR decoder, the condition-code check and the Thumb
 * IT-state advance (hyp/arch/hsr.c), with syndromes and rules from the ARM ARM
 * (B3.13.6 for HSR, A8.3 for conditions, A2.5.2 for ITSTATE).
 */
#include "test.h"
#include "arch/armv7.h"
#include "hyp/arch/hsr.h"

static char buf[200];

TEST(exception_classes)
{
	EXPECT_STREQ(hsr_ec_name(0x24), "data abort from guest");
	EXPECT_STREQ(hsr_ec_name(0x25), "data abort taken in Hyp mode");
	EXPECT_STREQ(hsr_ec_name(0x12), "HVC");
	EXPECT_STREQ(hsr_ec_name(0x13), "SMC");
	EXPECT_STREQ(hsr_ec_name(0x03), "MCR/MRC to CP15");
	EXPECT_STREQ(hsr_ec_name(0x3f), "reserved exception class");
	EXPECT_EQ(hsr_ec(0x93830046), 0x24);
}

TEST(fault_status_codes)
{
	EXPECT_STREQ(hsr_fsc_name(0x05), "translation fault, level 1");
	EXPECT_STREQ(hsr_fsc_name(0x07), "translation fault, level 3");
	EXPECT_STREQ(hsr_fsc_name(0x0e), "permission fault, level 2");
	EXPECT_STREQ(hsr_fsc_name(0x0b), "access flag fault, level 3");
	EXPECT_STREQ(hsr_fsc_name(0x10), "synchronous external abort");
	EXPECT_STREQ(hsr_fsc_name(0x15), "synchronous external abort on translation table walk");
	EXPECT_STREQ(hsr_fsc_name(0x21), "alignment fault");
}

TEST(describe_data_abort)
{
	/* EC 0x24, IL, ISV, SAS word, SRT r3, WnR, translation fault level 2. */
	u32 hsr = (0x24U << 26) | HSR_IL | HSR_DABT_ISV | (2U << 22) | (3U << 16) | HSR_DABT_WNR |
		  0x06;

	hsr_describe(hsr, buf, sizeof(buf));
	EXPECT(strstr(buf, "EC 0x24 (data abort from guest)") != NULL);
	EXPECT(strstr(buf, "translation fault, level 2, write") != NULL);
	EXPECT(strstr(buf, "word r3") != NULL);
	hsr = (0x25U << 26) | HSR_IL | 0x06;
	hsr_describe(hsr, buf, sizeof(buf));
	EXPECT(strstr(buf, "data abort taken in Hyp mode") != NULL);
	EXPECT(strstr(buf, "read") != NULL);
	EXPECT(strstr(buf, " r") == NULL || strstr(buf, "word") == NULL);
}

TEST(describe_cp15_and_hvc)
{
	/* mrc p15, 0, r2, c1, c0, 1 (ACTLR read): Opc2 1, Opc1 0, CRn 1, Rt 2, CRm 0, read. */
	u32 hsr = (0x03U << 26) | HSR_IL | HSR_CV | (0xeU << 20) | (1U << 17) | (1U << 10) |
		  (2U << 5) | HSR_CP_READ;

	hsr_describe(hsr, buf, sizeof(buf));
	EXPECT(strstr(buf, "mrc p15, 0, r2, c1, c0, 1") != NULL);
	hsr_describe((0x12U << 26) | HSR_IL | 0xea1, buf, sizeof(buf));
	EXPECT(strstr(buf, "immediate 0xea1") != NULL);
}

TEST(describe_truncates)
{
	char small[10];
	size_t n = hsr_describe((0x24U << 26) | HSR_DABT_ISV | 0x06, small, sizeof(small));

	EXPECT(n > sizeof(small));
	EXPECT_EQ(strlen(small), sizeof(small) - 1);
}

TEST(conditions)
{
	/* A8.3 Table A8-1. */
	EXPECT(psr_cond_holds(0x0, PSR_Z)); /* EQ */
	EXPECT(!psr_cond_holds(0x0, 0));
	EXPECT(psr_cond_holds(0x1, 0)); /* NE */
	EXPECT(psr_cond_holds(0x2, PSR_C)); /* CS */
	EXPECT(psr_cond_holds(0x8, PSR_C)); /* HI: C && !Z */
	EXPECT(!psr_cond_holds(0x8, PSR_C | PSR_Z));
	EXPECT(psr_cond_holds(0xa, PSR_N | PSR_V)); /* GE: N == V */
	EXPECT(!psr_cond_holds(0xa, PSR_N));
	EXPECT(psr_cond_holds(0xc, 0)); /* GT */
	EXPECT(!psr_cond_holds(0xc, PSR_Z));
	EXPECT(psr_cond_holds(0xd, PSR_Z)); /* LE */
	EXPECT(psr_cond_holds(0xe, 0)); /* AL */
}

/* Table A8-1 row by row, over every combination of N, Z, C and V. */
TEST(conditions_exhaustive)
{
	u32 f, cond;

	for (f = 0; f < 16; f++) {
		bool n = f & 8, z = f & 4, c = f & 2, v = f & 1;
		u32 psr = (n ? PSR_N : 0) | (z ? PSR_Z : 0) | (c ? PSR_C : 0) | (v ? PSR_V : 0);
		const bool want[16] = {
			z,
			!z,
			c,
			!c,
			n,
			!n,
			v,
			!v, /* EQ NE CS CC MI PL VS VC */
			c && !z,
			!c || z,
			n == v,
			n != v, /* HI LS GE LT */
			!z && n == v,
			z || n != v,
			true,
			true, /* GT LE AL, 0b1111 */
		};

		for (cond = 0; cond < 16; cond++)
			EXPECT_EQ(psr_cond_holds(cond, psr), want[cond]);
	}
}

TEST(trapped_condition_failed)
{
	/* CV = 1, COND = EQ, Z clear: the trapped instruction must be skipped. */
	u32 hsr = (0x03U << 26) | HSR_CV | (0x0U << 20);

	EXPECT(!hsr_cond_check(hsr, 0));
	EXPECT(hsr_cond_check(hsr, PSR_Z));
	/* Aborts carry no condition: always "passed". */
	EXPECT(hsr_cond_check((0x24U << 26), 0));
	/* CV = 0 in Thumb state outside an IT block: passed. */
	EXPECT(hsr_cond_check((0x03U << 26), PSR_T));
}

/* ITSTATE = IT[7:0] with IT[1:0] in SPSR[26:25] and IT[7:2] in SPSR[15:10]. */
static u32 with_it(u32 it)
{
	return PSR_T | ((it & 3) << 25) | ((it >> 2) << 10);
}

static u32 it_of(u32 psr)
{
	return ((psr >> 25) & 3) | (((psr >> 10) & 0x3f) << 2);
}

TEST(it_advance)
{
	/* "ITTE EQ": firstcond 0000, mask 0110 -> IT = 0x06; then 0x0c, 0x18 (E: cond NE), then done. */
	u32 psr = with_it(0x06);

	psr = psr_it_advance(psr);
	EXPECT_EQ(it_of(psr), 0x0c);
	psr = psr_it_advance(psr);
	EXPECT_EQ(it_of(psr), 0x18);
	psr = psr_it_advance(psr);
	EXPECT_EQ(it_of(psr), 0x00);
	/* A single "IT" instruction (mask 1000): one instruction then done. */
	EXPECT_EQ(it_of(psr_it_advance(with_it(0x08))), 0);
	/* ARM state is untouched. */
	EXPECT_EQ(psr_it_advance(0x600001d3), 0x600001d3);
	/* The condition of an instruction inside an IT block comes from ITSTATE when CV = 0. */
	EXPECT(!hsr_cond_check((0x03U << 26), with_it(0x08))); /* EQ with Z clear */
	EXPECT(hsr_cond_check((0x03U << 26), with_it(0x08) | PSR_Z));
}

int main(void)
{
	test_suite_name = "hsr";
	RUN(exception_classes);
	RUN(fault_status_codes);
	RUN(describe_data_abort);
	RUN(describe_cp15_and_hvc);
	RUN(describe_truncates);
	RUN(conditions);
	RUN(conditions_exhaustive);
	RUN(trapped_condition_failed);
	RUN(it_advance);
	return test_summary();
}

/*
 * Host tests of the data-abort syndrome decoder (hyp/mmio_decode.c) over every
 * load/store form the syndrome can report (ARM ARM B3.13.6, Table B3-24):
 * LDR/STR, LDRB/STRB, LDRH/STRH, LDRSB/LDRSH (and their T variants, which
 * report the same), in ARM and Thumb encodings (IL), to every register; and
 * the refusals: ISV = 0 (LDM/STM, LDRD/STRD, writeback, ...), the PC, and a
 * doubleword size.
 */
#include "test.h"
#include "hyp/dev/mmio.h"

static u32 syndrome(u32 sas, bool sse, u32 srt, bool wnr, bool il)
{
	return (0x24U << 26) | (il ? HSR_IL : 0) | HSR_DABT_ISV | (sas << 22) |
	       (sse ? HSR_DABT_SSE : 0) | (srt << 16) | (wnr ? HSR_DABT_WNR : 0) |
	       0x07; /* translation fault, level 3 */
}

TEST(every_described_form)
{
	u32 sas, srt, n = 0;
	int sse, wnr, il;

	for (sas = 0; sas < 3; sas++)
		for (srt = 0; srt < 15; srt++)
			for (sse = 0; sse < 2; sse++)
				for (wnr = 0; wnr < 2; wnr++)
					for (il = 0; il < 2; il++) {
						struct mmio_access a;
						u32 hsr = syndrome(sas, sse, srt, wnr, il);

						EXPECT(mmio_decode(hsr, 0x123, &a));
						EXPECT_EQ(a.size, 1U << sas);
						EXPECT_EQ(a.reg, srt);
						EXPECT_EQ(a.write, (bool)wnr);
						EXPECT_EQ(a.sign_extend, (bool)sse);
						EXPECT_EQ(a.offset, 0x123);
						n++;
					}
	EXPECT_EQ(n, 3 * 15 * 8);
}

TEST(refused_forms)
{
	struct mmio_access a;

	/* ISV = 0: LDM/STM, LDRD/STRD, writeback, exclusive, ... */
	EXPECT(!mmio_decode(syndrome(2, false, 3, false, true) & ~HSR_DABT_ISV, 0, &a));
	/* A load to the PC. */
	EXPECT(!mmio_decode(syndrome(2, false, 15, false, true), 0, &a));
	/* SAS = 0b11 (doubleword) is not a single-register access here. */
	EXPECT(!mmio_decode(syndrome(3, false, 1, false, true), 0, &a));
}

TEST(load_values)
{
	/* LDRB / LDRSB */
	EXPECT_EQ(mmio_load_value(0x1234567f, 1, false), 0x7f);
	EXPECT_EQ(mmio_load_value(0x12345680, 1, false), 0x80);
	EXPECT_EQ(mmio_load_value(0x12345680, 1, true), 0xffffff80);
	EXPECT_EQ(mmio_load_value(0x1234567f, 1, true), 0x7f);
	/* LDRH / LDRSH */
	EXPECT_EQ(mmio_load_value(0xabcd8001, 2, false), 0x8001);
	EXPECT_EQ(mmio_load_value(0xabcd8001, 2, true), 0xffff8001);
	EXPECT_EQ(mmio_load_value(0xabcd7fff, 2, true), 0x7fff);
	/* LDR */
	EXPECT_EQ(mmio_load_value(0xdeadbeef, 4, false), 0xdeadbeef);
	EXPECT_EQ(mmio_load_value(0xdeadbeef, 4, true), 0xdeadbeef);
}

int main(void)
{
	test_suite_name = "mmio";
	RUN(every_described_form);
	RUN(refused_forms);
	RUN(load_values);
	return test_summary();
}

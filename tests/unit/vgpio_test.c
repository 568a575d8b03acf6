/*
 * Host tests of the doorbell GPIO (hyp/dev/vgpio.c), the emulated PL061 of a channel end
 * (ARM DDI 0190B): the ID registers Linux's AMBA bus reads, the address-masked data
 * register, the register file, what each access asks the caller to do (raise the
 * interrupt, ring the peer, refuse), and a randomised check against a model of the
 * interrupt logic: MIS = RIS & IE, an interrupt raised whenever MIS goes from 0 to 1
 * by a ring or an enable, and at least once for any ring while enabled.
 */
#include <stdlib.h>

#include "test.h"
#include "hyp/dev/vgpio.h"

struct vgpio vgpios[1];

/* A load's value; a load that asks for anything (it never should) reads as BAD. */
#define BAD 0xbad00000U

static u32 rd(struct vgpio *g, u32 offset, u32 size)
{
	u32 v = 0xdeadbeef;

	return vgpio_access(g, offset, size, false, &v) ? BAD : v;
}

static u32 wr(struct vgpio *g, u32 offset, u32 size, u32 v)
{
	return vgpio_access(g, offset, size, true, &v);
}

TEST(primecell_id)
{
	static const u32 want[8] = { 0x61, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	struct vgpio g;
	u32 i, pid = 0, cid = 0;

	vgpio_reset(&g);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(rd(&g, 0xfe0 + 4 * i, 4), want[i]);
	/* As Linux's amba_read_periphid() assembles them. */
	for (i = 0; i < 4; i++) {
		pid |= (rd(&g, 0xfe0 + 4 * i, 4) & 0xff) << (8 * i);
		cid |= (rd(&g, 0xff0 + 4 * i, 4) & 0xff) << (8 * i);
	}
	EXPECT_EQ(pid, 0x00041061); /* part 0x061, designer 0x41 (ARM), revision 0 */
	EXPECT_EQ(cid, 0xb105f00d); /* AMBA_CID */
	EXPECT_EQ(rd(&g, 0xfe1, 1), 0); /* upper byte lanes read zero */
	EXPECT_EQ(wr(&g, 0xfe0, 4, 0xff), 0); /* read-only */
	EXPECT_EQ(rd(&g, 0xfe0, 4), 0x61);
}

TEST(sizes_and_alignment)
{
	struct vgpio g;
	u32 v = 0;

	vgpio_reset(&g);
	EXPECT_EQ(vgpio_access(&g, 0x400, 2, false, &v), VGPIO_REFUSE);
	EXPECT_EQ(vgpio_access(&g, 0x402, 4, true, &v), VGPIO_REFUSE);
	EXPECT_EQ(vgpio_access(&g, 0x400, 8, false, &v), VGPIO_REFUSE);
	EXPECT_EQ(vgpio_access(&g, 0x401, 1, false, &v), 0);
	EXPECT_EQ(v, 0); /* not a register: reads as zero */
	EXPECT_EQ(wr(&g, 0x424, 4, 0xff), 0); /* beyond GPIOAFSEL: ignored */
	EXPECT_EQ(rd(&g, 0x424, 4), 0);
	EXPECT_EQ(rd(&g, 0x800, 1), 0);
}

TEST(registers_read_back)
{
	struct vgpio g;

	vgpio_reset(&g);
	EXPECT_EQ(wr(&g, 0x400, 1, 0x1fe), 0); /* GPIODIR, 8 bits kept */
	EXPECT_EQ(rd(&g, 0x400, 1), 0xfe);
	EXPECT_EQ(wr(&g, 0x404, 1, 0x01), 0); /* GPIOIS */
	EXPECT_EQ(wr(&g, 0x408, 4, 0x02), 0); /* GPIOIBE */
	EXPECT_EQ(wr(&g, 0x40c, 1, 0x03), 0); /* GPIOIEV */
	EXPECT_EQ(wr(&g, 0x420, 1, 0x04), 0); /* GPIOAFSEL */
	EXPECT_EQ(rd(&g, 0x404, 4), 0x01);
	EXPECT_EQ(rd(&g, 0x408, 1), 0x02);
	EXPECT_EQ(rd(&g, 0x40c, 1), 0x03);
	EXPECT_EQ(rd(&g, 0x420, 1), 0x04);
	EXPECT_EQ(rd(&g, 0x41c, 1), 0); /* GPIOIC is write-only */
	vgpio_reset(&g);
	EXPECT_EQ(rd(&g, 0x400, 1), 0);
	EXPECT_EQ(rd(&g, 0x404, 1), 0);
}

TEST(data_lines)
{
	struct vgpio g;

	vgpio_reset(&g);
	/* An input line does not take a write, so nothing rings (direction_output writes first). */
	EXPECT_EQ(wr(&g, 1U << (1 + 2), 1, VGPIO_LINE_OUT), 0);
	EXPECT_EQ(rd(&g, 0x3fc, 1), 0);
	EXPECT_EQ(wr(&g, 0x400, 1, VGPIO_LINE_OUT), 0); /* line 1 an output */
	/* Linux's set_value: writeb(!!value << offset, base + BIT(offset + 2)). */
	EXPECT_EQ(wr(&g, 1U << (1 + 2), 1, VGPIO_LINE_OUT), VGPIO_RING);
	EXPECT_EQ(rd(&g, 1U << (1 + 2), 1), VGPIO_LINE_OUT);
	/* Every write of 1 rings, not only a change: the program pulses, but need not. */
	EXPECT_EQ(wr(&g, 1U << (1 + 2), 1, VGPIO_LINE_OUT), VGPIO_RING);
	EXPECT_EQ(wr(&g, 1U << (1 + 2), 1, 0), 0);
	EXPECT_EQ(rd(&g, 0x3fc, 4), 0);
	/* The address mask: a write that does not select line 1 leaves it and rings nothing. */
	EXPECT_EQ(wr(&g, 1U << (0 + 2), 1, 0xff), 0);
	EXPECT_EQ(wr(&g, 0x3fc & ~(1U << (1 + 2)), 4, 0xff), 0);
	EXPECT_EQ(rd(&g, 0x3fc, 4), 0);
	/* The input line reads 0 whatever the peer did: its rings are edges, seen in RIS. */
	EXPECT(!vgpio_ring(&g));
	EXPECT_EQ(rd(&g, 1U << (0 + 2), 1), 0);
	EXPECT_EQ(rd(&g, 0x414, 1), VGPIO_LINE_IN);
}

TEST(edges_as_linux_takes_them)
{
	struct vgpio g;

	vgpio_reset(&g);
	/* Probe: writeb(0, GPIOIE); a ring now is kept in RIS but interrupts no one. */
	EXPECT_EQ(wr(&g, 0x410, 1, 0), 0);
	EXPECT(!vgpio_ring(&g));
	EXPECT_EQ(rd(&g, 0x414, 1), 1);
	EXPECT_EQ(rd(&g, 0x418, 1), 0);
	/* irq_set_type(EDGE_RISING): GPIOIS, GPIOIBE 0, GPIOIEV 1; then unmask: the pending
	 * edge interrupts as soon as it is enabled, as the PL061's level output would. */
	EXPECT_EQ(wr(&g, 0x40c, 1, 1), 0);
	EXPECT_EQ(wr(&g, 0x410, 1, 1), VGPIO_RAISE);
	EXPECT_EQ(rd(&g, 0x418, 1), 1);
	/* Handler: MIS, then ack through GPIOIC. */
	EXPECT_EQ(wr(&g, 0x41c, 1, 1), 0);
	EXPECT_EQ(rd(&g, 0x414, 1), 0);
	EXPECT_EQ(rd(&g, 0x418, 1), 0);
	/* Each ring while enabled interrupts. */
	EXPECT(vgpio_ring(&g));
	EXPECT(vgpio_ring(&g));
	EXPECT_EQ(rd(&g, 0x418, 4), 1);
	/* Writes to RIS and MIS change nothing; an enable of another line raises nothing new. */
	EXPECT_EQ(wr(&g, 0x414, 1, 0), 0);
	EXPECT_EQ(wr(&g, 0x418, 1, 0), 0);
	EXPECT_EQ(rd(&g, 0x414, 1), 1);
	EXPECT_EQ(wr(&g, 0x410, 1, 0x80), 0);
	EXPECT_EQ(rd(&g, 0x418, 1), 0);
	vgpio_reset(&g);
	EXPECT_EQ(rd(&g, 0x414, 1), 0);
}

/* Random rings, enables, masks and acks against the model in the file's comment. */
TEST(random_against_model)
{
	unsigned seed = test_seed();
	struct vgpio g;
	u32 ris = 0, ie = 0, i, raised = 0, rings_enabled = 0;

	srand(seed);
	vgpio_reset(&g);
	for (i = 0; i < 100000 && !test_case_failed; i++) {
		u32 v = (u32)rand() & 0xff, act, mis_before = ris & ie & 1;

		switch (rand() % 4) {
		case 0:
			ris |= 1;
			if (ie & 1)
				rings_enabled++;
			act = vgpio_ring(&g) ? VGPIO_RAISE : 0;
			break;
		case 1:
			ie = v;
			act = wr(&g, 0x410, 1, v);
			break;
		case 2:
			ris &= ~v;
			act = wr(&g, 0x41c, 1, v);
			break;
		default:
			act = 0;
			EXPECT_EQ(rd(&g, 0x418, 1), ris & ie);
			break;
		}
		if (act & VGPIO_RAISE) {
			raised++;
			EXPECT(ris & ie & 1);
		} else {
			EXPECT(!(!mis_before && (ris & ie & 1)));
		}
		EXPECT_EQ(rd(&g, 0x414, 1), ris);
		EXPECT_EQ(rd(&g, 0x410, 1), ie);
	}
	EXPECT(raised >= rings_enabled);
}

int main(void)
{
	test_suite_name = "vgpio";
	RUN(primecell_id);
	RUN(sizes_and_alignment);
	RUN(registers_read_back);
	RUN(data_lines);
	RUN(edges_as_linux_takes_them);
	RUN(random_against_model);
	return test_summary();
}

/*
 * Host test of the physical GICv2 driver (vgic/gic.c), built for the host with
 * the MMIO accessors of tests/unit/gic_io/tessera/io.h: every access lands in
 * a register file here, which fails the test on an access that is not
 * naturally aligned (a 32-bit access to Device memory at an address that is
 * not a multiple of 4 is an alignment fault in Hyp mode, ARM ARM A3.2.1,
 * whatever -mno-unaligned-access makes of it in C) and records what the
 * driver programs.
 */
#include "test.h"
#include "vgic/vgic.h"
#include "platform.h"

#define REGION_SIZE 0x10000U
#define ITLINES 2 /* GICD_TYPER.ITLinesNumber: 96 INTIDs */

struct region {
	uintptr_t base;
	u8 bytes[REGION_SIZE];
};

static struct region gicd_r = { .base = (uintptr_t)PLAT_GICD_BASE };
static struct region gicc_r = { .base = (uintptr_t)PLAT_GICC_BASE };
static struct region gich_r = { .base = (uintptr_t)PLAT_GICH_BASE };
static u32 misaligned, outside;
/*
 * A GIC with the Security Extensions as the Non-secure hypervisor sees it on a board (the
 * H3's GIC-400 after U-Boot; QEMU's models have none): IGROUPR RAZ/WI, and a priority
 * written to a Group 1 interrupt stored as the Secure view's (value >> 1) | 0x80 (GIC
 * architecture spec 3.6.2); U-Boot left every interrupt Group 1 but SGI 15.
 */
static bool secure_view;
static char misaligned_text[96];

static struct region *region_of(uintptr_t addr)
{
	struct region *r[] = { &gicd_r, &gicc_r, &gich_r };
	u32 i;

	for (i = 0; i < ARRAY_SIZE(r); i++)
		if (addr >= r[i]->base && addr - r[i]->base < REGION_SIZE)
			return r[i];
	return NULL;
}

static u8 *reg(uintptr_t addr, u32 size)
{
	struct region *r = region_of(addr);

	if (addr & (size - 1)) {
		if (!misaligned++)
			snprintf(misaligned_text, sizeof(misaligned_text),
				 "%u-byte access at 0x%08lx", (unsigned)size, (unsigned long)addr);
	}
	if (!r || addr - r->base + size > REGION_SIZE) {
		outside++;
		return NULL;
	}
	return &r->bytes[addr - r->base];
}

u32 gic_test_io_read(uintptr_t addr, u32 size)
{
	u8 *p = reg(addr, size);
	u32 v = 0, i;

	for (i = 0; p && i < size; i++)
		v |= (u32)p[i] << (8 * i);
	return v;
}

void gic_test_io_write(uintptr_t addr, u32 size, u32 value)
{
	u8 *p = reg(addr, size);
	uintptr_t off = addr - (uintptr_t)PLAT_GICD_BASE;
	u32 i;

	if (secure_view && addr >= (uintptr_t)PLAT_GICD_BASE && off >= GICD_IGROUPR &&
	    off < GICD_IGROUPR + 0x80)
		return; /* RAZ/WI to Non-secure accesses */
	for (i = 0; p && i < size; i++) {
		u8 b = (u8)(value >> (8 * i));

		if (secure_view && addr >= (uintptr_t)PLAT_GICD_BASE && off >= GICD_IPRIORITYR &&
		    off < GICD_IPRIORITYR + 0x400 && off + i - GICD_IPRIORITYR != 15)
			b = (u8)(b >> 1 | 0x80);
		p[i] = b;
	}
}

/* The hooks of vgic.h that gic.c uses. */
u32 vgic_this_pcpu(void)
{
	return 0;
}

static void poke32(struct region *r, u32 off, u32 v)
{
	memcpy(&r->bytes[off], &v, 4);
}

static void boot(void)
{
	memset(gicd_r.bytes, 0, REGION_SIZE);
	memset(gicc_r.bytes, 0, REGION_SIZE);
	memset(gich_r.bytes, 0, REGION_SIZE);
	poke32(&gicd_r, GICD_TYPER, ITLINES | (secure_view ? GICD_TYPER_SECURITY_EXTN : 0));
	memset(&gicd_r.bytes[GICD_IGROUPR], 0xff, 4 * (ITLINES + 1)); /* U-Boot: Group 1 */
	gicd_r.bytes[GICD_IGROUPR + 1] = 0x7f; /* but SGI 15 */
	poke32(&gicd_r, GICD_ITARGETSR, 0x01010101U); /* banked: this CPU is interface 0 */
	poke32(&gich_r, GICH_VTR, 0x90000003U); /* 4 list registers */
	misaligned = 0;
	outside = 0;
	gic_init();
	gic_cpu_init();
}

/* Boot programs every register with its natural access; priorities land where they belong. */
TEST(boot_accesses_aligned)
{
	u32 i;

	boot();
	if (misaligned)
		TEST_FAIL_AT("unaligned MMIO access: %s (%u in all)", misaligned_text,
			     (unsigned)misaligned);
	EXPECT_EQ(outside, 0);
	for (i = 0; i < 32 * (ITLINES + 1); i++) {
		u32 want = i < GIC_SGI_COUNT || i == GIC_PPI_MAINTENANCE ? 0x80 : 0xa0;

		if (gicd_r.bytes[GICD_IPRIORITYR + i] != want)
			TEST_FAIL_AT("INTID %u priority 0x%02x, want 0x%02x", (unsigned)i,
				     gicd_r.bytes[GICD_IPRIORITYR + i], (unsigned)want);
	}
	EXPECT_EQ(gich_lr_count(), 4);
}

/*
 * Without the Security Extensions (QEMU) both groups are the hypervisor's: every interrupt
 * is made Group 0 and both are enabled.  With them (a board, Non-secure), the groups are the
 * firmware's: the driver leaves IGROUPR alone and enables what its view has (Group 1, bit 0
 * of the Non-secure GICD_CTLR), and the priorities keep their order in the Secure view.
 */
TEST(security_extensions)
{
	u32 i;

	secure_view = false;
	boot();
	EXPECT_EQ(gic_test_io_read(PLAT_GICD_BASE + GICD_IGROUPR, 4), 0);
	EXPECT_EQ(gic_test_io_read(PLAT_GICD_BASE + GICD_IGROUPR + 4, 4), 0);
	EXPECT_EQ(gic_test_io_read(PLAT_GICD_BASE + GICD_CTLR, 4), 3);
	EXPECT(gic_test_io_read(PLAT_GICC_BASE + GICC_CTLR, 4) & GICC_CTLR_ENABLE_GRP1);

	secure_view = true;
	boot();
	secure_view = false;
	EXPECT_EQ(gic_test_io_read(PLAT_GICD_BASE + GICD_IGROUPR, 4), 0xffff7fffU);
	EXPECT_EQ(gic_test_io_read(PLAT_GICD_BASE + GICD_IGROUPR + 4, 4), ~0U);
	EXPECT_EQ(gic_test_io_read(PLAT_GICD_BASE + GICD_CTLR, 4), GICD_CTLR_ENABLE_GRP0);
	EXPECT(!(gic_test_io_read(PLAT_GICC_BASE + GICC_CTLR, 4) & GICC_CTLR_ENABLE_GRP1));
	EXPECT_EQ(misaligned, 0);
	/* The hypervisor's interrupts still above the guests' (lower is higher), none masked. */
	for (i = 0; i < 32 * (ITLINES + 1); i++) {
		u32 prio = gicd_r.bytes[GICD_IPRIORITYR + i];
		bool hyp = i < GIC_SGI_COUNT || i == GIC_PPI_MAINTENANCE;

		if (i != 15 && prio != (hyp ? 0xc0U : 0xd0U))
			TEST_FAIL_AT("INTID %u priority 0x%02x in the Secure view", (unsigned)i,
				     prio);
	}
	EXPECT_EQ(gic_test_io_read(PLAT_GICC_BASE + GICC_PMR, 4), 0xff);
}

/* Run-time operations: byte targets, bit registers by word, list registers. */
TEST(runtime_accesses_aligned)
{
	boot();
	gic_irq_route(45, 0);
	gic_irq_config(45, true);
	gic_irq_enable(45, true);
	gic_irq_set_pending(45, false);
	gic_irq_set_active(45, false);
	gic_send_sgi(0, 3);
	gich_write_lr(3, 0x1234);
	EXPECT_EQ(gich_read_lr(3), 0x1234);
	gich_set_underflow_irq(true);
	gich_reset(true);
	(void)gich_empty_lrs();
	gic_priority_drop(gic_ack());
	gic_deactivate(27);
	if (misaligned)
		TEST_FAIL_AT("unaligned MMIO access: %s", misaligned_text);
	EXPECT_EQ(outside, 0);
	EXPECT_EQ(gicd_r.bytes[GICD_ITARGETSR + 45], 0x01);
}

int main(void)
{
	test_suite_name = "gic";
	RUN(boot_accesses_aligned);
	RUN(runtime_accesses_aligned);
	RUN(security_extensions);
	return test_summary();
}

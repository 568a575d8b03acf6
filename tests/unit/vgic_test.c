/*
 * Host tests of the virtual GIC: the emulated distributor (vgic/vgicd.c) and
 * list-register injection (vgic/vgic.c), on the fake GICv2 of fake_gic.c.
 *
 * The oracle is the GICv2 architecture specification (ARM IHI 0048B): the
 * distributor register rules of chapter 4 (cited per case), the list
 * register and virtual CPU interface behaviour of chapter 5 (emulated by the
 * fake, including the guest's acknowledge and EOI), and the hypervisor's
 * entry path of hyp/core/cpu.c and hyp/core/vcpu.c (an IPI drains the vCPU's inbox; a kick
 * or a maintenance interrupt makes the vCPU dirty; a dirty vCPU is flushed before it enters).
 * Randomised cases check the injection engine against a reference model;
 * their seed is printed.
 */
#include <stdarg.h>

#include "test.h"
#include "fake_gic.h"

/* ---- Partitions ------------------------------------------------------------- */

#define MAX_PT 8
#define MAX_DB 16

struct layout {
	u32 id;
	u32 vcpus;
	u8 pcpus[CFG_CPU_MAX];
	u16 virq_count;
	u16 uart_irq;
	u16 pt[MAX_PT]; /* passthrough INTIDs; 0 ends the list */
	u16 db[MAX_DB]; /* doorbell INTIDs (channel endpoints); 0 ends the list */
};

struct part {
	struct cfg_partition cfg;
	struct cfg_irq irqs[MAX_PT];
	struct cfg_endpoint eps[MAX_DB];
	struct vgic_dist d;
	struct vgic_cpu vc[CFG_CPU_MAX];
};

static struct part pa, pb;

/* One vCPU on CPU 1: UART 33, passthrough 40 and 41, doorbells 50-57. */
static const struct layout L1 = {
	.id = 0,
	.vcpus = 1,
	.pcpus = { 1 },
	.virq_count = 96,
	.uart_irq = 33,
	.pt = { 40, 41 },
	.db = { 50, 51, 52, 53, 54, 55, 56, 57 },
};

/* Two vCPUs on CPUs 2 and 3: UART 33, passthrough 40, doorbells 50 and 51. */
static const struct layout L2 = {
	.id = 1,
	.vcpus = 2,
	.pcpus = { 2, 3 },
	.virq_count = 64,
	.uart_irq = 33,
	.pt = { 40 },
	.db = { 50, 51 },
};

/* Three vCPUs on CPUs 0, 1 and 2. */
static const struct layout L3 = {
	.id = 2,
	.vcpus = 3,
	.pcpus = { 0, 1, 2 },
	.virq_count = 64,
	.uart_irq = 33,
	.pt = { 40 },
	.db = { 50 },
};

static void part_init(struct part *p, const struct layout *l)
{
	struct vgic_cpu *vcs[CFG_CPU_MAX];
	u32 i, n;

	memset(p, 0, sizeof(*p));
	snprintf(p->cfg.name, sizeof(p->cfg.name), "p%u", l->id);
	p->cfg.id = l->id;
	p->cfg.cpu_count = l->vcpus;
	for (i = 0; i < l->vcpus; i++) {
		p->cfg.cpus[i] = l->pcpus[i];
		vcs[i] = &p->vc[i];
	}
	for (n = 0; n < MAX_PT && l->pt[n]; n++)
		p->irqs[n].intid = l->pt[n];
	p->cfg.irqs = p->irqs;
	p->cfg.irq_count = n;
	for (n = 0; n < MAX_DB && l->db[n]; n++)
		p->eps[n] = (struct cfg_endpoint){ .channel = n, .peer = 1, .irq = l->db[n] };
	p->cfg.endpoints = p->eps;
	p->cfg.endpoint_count = n;
	p->cfg.uart_irq = l->uart_irq;
	p->cfg.virq_count = l->virq_count;
	vgic_dist_init(&p->d, &p->cfg, vcs);
	for (i = 0; i < l->vcpus; i++) {
		fake_set_cpu(l->pcpus[i]);
		vgic_cpu_reset(&p->d, &p->vc[i]);
	}
}

/* ---- Helpers that cannot use EXPECT (they are not test functions) ------------- */

static int helper_failed;
static char helper_msg[256];

static void helper_fail(int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (helper_failed++)
		return;
	n = snprintf(helper_msg, sizeof(helper_msg), "line %d: ", line);
	va_start(ap, fmt);
	vsnprintf(helper_msg + n, sizeof(helper_msg) - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Fresh fake GIC with 'lrs' list registers per CPU, and partition A laid out as 'l'. */
static void start(const struct layout *l, u32 lrs)
{
	helper_failed = 0;
	helper_msg[0] = 0;
	fake_gic_reset(lrs);
	part_init(&pa, l);
	fake_clear_ops();
	fake_clear_kicks();
	fake_clear_warnings();
}

/* Every case ends here: helper failures and GICH misuse seen by the fake. */
#define DONE()                                                                                     \
	do {                                                                                       \
		if (helper_failed)                                                                 \
			TEST_FAIL_AT("%s", helper_msg);                                            \
		if (fake_errors())                                                                 \
			TEST_FAIL_AT("GICH misuse: %s", fake_last_error());                        \
	} while (0)

static u32 pcpu_of(struct part *p, u32 vcpu)
{
	return p->vc[vcpu].pcpu;
}

/* A guest access to its distributor traps on the vCPU's own CPU. */
static u32 rd_at(int line, struct part *p, u32 vcpu, u32 off, u32 size)
{
	u32 v = 0xdeadbeef;

	fake_set_cpu(pcpu_of(p, vcpu));
	if (!vgicd_read(&p->d, vcpu, off, size, &v))
		helper_fail(line, "read of 0x%x (size %u) refused", off, size);
	return v;
}

static void wr_at(int line, struct part *p, u32 vcpu, u32 off, u32 size, u32 value)
{
	fake_set_cpu(pcpu_of(p, vcpu));
	if (!vgicd_write(&p->d, vcpu, off, size, value))
		helper_fail(line, "write of 0x%x (size %u) refused", off, size);
}

#define RD(vcpu, off) rd_at(__LINE__, &pa, (vcpu), (off), 4)
#define RD8(vcpu, off) rd_at(__LINE__, &pa, (vcpu), (off), 1)
#define WR(vcpu, off, v) wr_at(__LINE__, &pa, (vcpu), (off), 4, (v))
#define WR8(vcpu, off, v) wr_at(__LINE__, &pa, (vcpu), (off), 1, (v))

/* Register bit of 'intid' in a one-bit-per-interrupt block. */
static u32 reg_of(u32 base, u32 intid)
{
	return base + (intid / 32) * 4;
}

static u32 bit_of(u32 intid)
{
	return 1U << (intid % 32);
}

static bool bit_read(struct part *p, u32 vcpu, u32 base, u32 intid)
{
	return rd_at(__LINE__, p, vcpu, reg_of(base, intid), 4) & bit_of(intid);
}

static void bit_write(struct part *p, u32 vcpu, u32 base, u32 intid)
{
	wr_at(__LINE__, p, vcpu, reg_of(base, intid), 4, bit_of(intid));
}

static void enable(struct part *p, u32 vcpu, u32 intid)
{
	bit_write(p, vcpu, GICD_ISENABLER, intid);
}

static void set_prio(struct part *p, u32 vcpu, u32 intid, u32 prio)
{
	wr_at(__LINE__, p, vcpu, GICD_IPRIORITYR + intid, 1, prio);
}

/*
 * What the hypervisor does before entering 'vcpu' (hyp/core/cpu.c, hyp/core/vcpu.c): an IPI
 * drains the vCPU's inbox; a maintenance interrupt or a kick marks the vCPU dirty, and a
 * dirty vCPU is flushed.  Returns whether it drained or flushed.
 */
static bool enter(struct part *p, u32 vcpu)
{
	struct vgic_cpu *vc = &p->vc[vcpu];
	bool drained = false;

	fake_set_cpu(vc->pcpu);
	if (fake_take_ipi(vc->pcpu)) {
		vgic_inbox_drain(vc); /* irq_dispatch, on the kick */
		drained = true;
	}
	if (fake_maintenance(vc->pcpu))
		vc->dirty = true;
	if (fake_take_kick(vc->pcpu))
		vc->dirty = true;
	if (!vc->dirty)
		return drained;
	vgic_flush(&p->d, vc);
	return true;
}

static u32 ack(struct part *p, u32 vcpu)
{
	return fake_guest_ack(pcpu_of(p, vcpu));
}

static void eoi_at(int line, struct part *p, u32 vcpu, u32 iar)
{
	if (!fake_guest_eoi(pcpu_of(p, vcpu), iar))
		helper_fail(line, "guest EOI of 0x%x matched no list register", iar);
}

#define EOI(p, vcpu, iar) eoi_at(__LINE__, (p), (vcpu), (iar))

/* A physical interrupt for 'vcpu' fires on its CPU: the hypervisor acks it and injects it. */
static void hw_arrives(struct part *p, u32 vcpu, u32 intid)
{
	fake_set_cpu(pcpu_of(p, vcpu));
	fake_phys_fire(pcpu_of(p, vcpu), intid);
	EXPECT(vgic_inject_hw(&p->d, &p->vc[vcpu], intid));
}

/*
 * The guest takes and completes interrupts one at a time (no nesting) until
 * nothing is left; 'order' receives the IARs.  Returns how many it took.
 */
static u32 deliver_all(struct part *p, u32 vcpu, u32 *order, u32 max)
{
	u32 n = 0, idle = 0, iter;

	for (iter = 0; iter < 1000 && idle < 2; iter++) {
		bool flushed = enter(p, vcpu);
		u32 iar = ack(p, vcpu);

		if (iar == FAKE_SPURIOUS) {
			idle = flushed ? 0 : idle + 1;
			continue;
		}
		idle = 0;
		if (n < max)
			order[n] = iar;
		n++;
		EOI(p, vcpu, iar);
	}
	return n;
}

static int lr_of(struct part *p, u32 vcpu, u32 vid)
{
	return fake_find_lr(pcpu_of(p, vcpu), vid, -1);
}

static u32 lr_value(struct part *p, u32 vcpu, u32 vid)
{
	int n = lr_of(p, vcpu, vid);

	return n < 0 ? 0 : fake_lr(pcpu_of(p, vcpu), (u32)n);
}

static bool listed(struct part *p, u32 vcpu, u32 vid)
{
	return lr_of(p, vcpu, vid) >= 0;
}

/* ============================================================================= */
/* Distributor registers (GIC spec 4.3)                                          */
/* ============================================================================= */

/* 4.3.1: without the Security Extensions, bit 0 enables group 0, bit 1 group 1; the rest RAZ/WI. */
TEST(ctlr)
{
	static const struct {
		u32 write, read;
	} t[] = {
		{ 0xffffffff, 0x3 }, { 0x1, 0x1 },	  { 0x2, 0x2 },
		{ 0xfffffffc, 0x0 }, { 0x80000003, 0x3 },
	};
	u32 i;

	start(&L1, 4);
	EXPECT_EQ(RD(0, GICD_CTLR), 0);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		WR(0, GICD_CTLR, t[i].write);
		EXPECT_EQ(RD(0, GICD_CTLR), t[i].read);
	}
	DONE();
}

/* 4.3.2: ITLinesNumber = N where 32(N+1) INTIDs; CPUNumber = CPUs - 1; SecurityExtn 0; RO. */
TEST(typer)
{
	static const struct {
		u16 virq_count;
		u32 vcpus;
		u32 typer;
	} t[] = {
		{ 32, 1, 0x00 },  { 64, 1, 0x01 }, { 96, 2, 0x22 },
		{ 128, 4, 0x63 }, { 64, 8, 0xe1 },
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct layout l = { .id = 3, .vcpus = t[i].vcpus, .virq_count = t[i].virq_count };
		u32 c;

		for (c = 0; c < t[i].vcpus; c++)
			l.pcpus[c] = (u8)c;
		start(&l, 4);
		EXPECT_EQ(RD(0, GICD_TYPER), t[i].typer);
		WR(0, GICD_TYPER, 0);
		EXPECT_EQ(RD(t[i].vcpus - 1, GICD_TYPER), t[i].typer);
	}
	DONE();
}

/* 4.3.3 GICD_IIDR (implementer ARM, JEP106 0x43b) and the identification registers (4.1.2, Table 4-1). */
TEST(iidr_and_id_registers)
{
	u32 iidr;

	start(&L1, 4);
	iidr = RD(0, GICD_IIDR);
	EXPECT_EQ(iidr & 0xfff, 0x43b);
	WR(0, GICD_IIDR, 0);
	EXPECT_EQ(RD(0, GICD_IIDR), iidr);
	/* ICPIDR2: ArchRev [7:4] = 2 (GICv2), JEDEC bit 3, JEP106 ID [6:4] in [2:0]. */
	EXPECT_EQ((RD(0, 0xfe8) >> 4) & 0xf, 2);
	EXPECT_EQ(RD(0, 0xfe8) & 0xf, 0xb);
	EXPECT_EQ(RD(0, 0xfe4) >> 4, 0xb); /* ICPIDR1: JEP106 ID [3:0] */
	EXPECT_EQ(RD(0, 0xfd0) & 0xf, 0x4); /* ICPIDR4: JEP106 continuation code */
	/* Component ID: the CoreSight preamble 0x0d, 0xf0, 0x05, 0xb1. */
	EXPECT_EQ(RD(0, 0xff0), 0x0d);
	EXPECT_EQ(RD(0, 0xff4), 0xf0);
	EXPECT_EQ(RD(0, 0xff8), 0x05);
	EXPECT_EQ(RD(0, 0xffc), 0xb1);
	/* Reserved and implementation-defined words around them read as zero. */
	EXPECT_EQ(RD(0, 0x010), 0);
	EXPECT_EQ(RD(0, 0xfcc), 0);
	DONE();
}

/* 4.3.4: IGROUPR, banked for INTIDs 0-31; only the partition's own interrupts. */
TEST(igroupr)
{
	start(&L2, 4);
	EXPECT_EQ(RD(0, GICD_IGROUPR), 0);
	WR(0, GICD_IGROUPR, 0xffffffff);
	EXPECT_EQ(RD(0, GICD_IGROUPR), 0x0000ffff | bit_of(27) | bit_of(30));
	EXPECT_EQ(RD(1, GICD_IGROUPR), 0); /* banked: vCPU 1 has its own */
	WR(1, GICD_IGROUPR + 4, 0xffffffff);
	EXPECT_EQ(RD(0, GICD_IGROUPR + 4), bit_of(33) | bit_of(40) | bit_of(50) | bit_of(51));
	WR(0, GICD_IGROUPR + 4, bit_of(50));
	EXPECT_EQ(RD(0, GICD_IGROUPR + 4), bit_of(50));
	WR(0, GICD_IGROUPR, 0);
	EXPECT_EQ(RD(0, GICD_IGROUPR), 0);
	DONE();
}

/* 4.3.5/4.3.6: ISENABLER/ICENABLER read the same; SGIs are always enabled (RAO/WI). */
TEST(enable_registers)
{
	static const u32 ids[] = { 27, 30, 33, 40, 41, 50, 57 };
	u32 i;

	start(&L1, 4);
	EXPECT_EQ(RD(0, GICD_ISENABLER), 0x0000ffff);
	EXPECT_EQ(RD(0, GICD_ICENABLER), 0x0000ffff);
	WR(0, GICD_ICENABLER, 0x0000ffff);
	EXPECT_EQ(RD(0, GICD_ISENABLER), 0x0000ffff);
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		u32 id = ids[i];

		EXPECT(!bit_read(&pa, 0, GICD_ISENABLER, id));
		bit_write(&pa, 0, GICD_ISENABLER, id);
		EXPECT(bit_read(&pa, 0, GICD_ISENABLER, id));
		EXPECT(bit_read(&pa, 0, GICD_ICENABLER, id));
		bit_write(&pa, 0, GICD_ICENABLER, id);
		EXPECT(!bit_read(&pa, 0, GICD_ISENABLER, id));
	}
	/* Writing zeros changes nothing. */
	enable(&pa, 0, 50);
	WR(0, reg_of(GICD_ISENABLER, 50), 0);
	WR(0, reg_of(GICD_ICENABLER, 50), 0);
	EXPECT(bit_read(&pa, 0, GICD_ISENABLER, 50));
	DONE();
}

/*
 * 4.3.7/4.3.8: ISPENDR/ICPENDR; SGI bits there are WI (GICD_SPENDSGIR does
 * that).  An interrupt handed to the guest in a list register and not yet
 * acknowledged is still pending; once acknowledged it is active (4.3.9).
 */
TEST(pending_and_active_registers)
{
	u32 iar;

	start(&L1, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50);
	vgic_raise(&pa.d, 50);
	EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 50));
	EXPECT(bit_read(&pa, 0, GICD_ICPENDR, 50));
	bit_write(&pa, 0, GICD_ICPENDR, 50);
	EXPECT(!bit_read(&pa, 0, GICD_ISPENDR, 50));
	enter(&pa, 0);
	EXPECT(!listed(&pa, 0, 50));
	bit_write(&pa, 0, GICD_ISPENDR, 50);
	EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 50));
	EXPECT(enter(&pa, 0)); /* the write kicked the vCPU */
	EXPECT(listed(&pa, 0, 50));
	EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 50)); /* in a LR, not yet acknowledged */
	EXPECT(!bit_read(&pa, 0, GICD_ISACTIVER, 50));
	iar = ack(&pa, 0);
	EXPECT_EQ(iar, 50);
	EXPECT(!bit_read(&pa, 0, GICD_ISPENDR, 50));
	EXPECT(bit_read(&pa, 0, GICD_ISACTIVER, 50));
	EXPECT(bit_read(&pa, 0, GICD_ICACTIVER, 50));
	EOI(&pa, 0, iar);
	EXPECT(!bit_read(&pa, 0, GICD_ISACTIVER, 50));

	/* SGIs: ISPENDR0/ICPENDR0 bits 0-15 are WI. */
	WR(0, GICD_ISPENDR, 0x0000ffff);
	EXPECT_EQ(RD(0, GICD_ISPENDR), 0);
	EXPECT_EQ(fake_warning_count(), 0);

	/* ISACTIVER/ICACTIVER on an interrupt the guest does not hold. */
	bit_write(&pa, 0, GICD_ISACTIVER, 51);
	EXPECT(bit_read(&pa, 0, GICD_ISACTIVER, 51));
	bit_write(&pa, 0, GICD_ICACTIVER, 51);
	EXPECT(!bit_read(&pa, 0, GICD_ISACTIVER, 51));
	DONE();
}

/* 4.3.11: IPRIORITYR, byte accessible; 5 implemented bits (the LR priority field). */
TEST(priority_registers)
{
	static const struct {
		u32 intid, write, read;
	} bytes[] = {
		{ 0, 0xff, 0xf8 },  { 15, 0x07, 0x00 }, { 27, 0x88, 0x88 },
		{ 30, 0x41, 0x40 }, { 33, 0x10, 0x10 }, { 40, 0xa7, 0xa0 },
		{ 50, 0x18, 0x18 }, { 34, 0x80, 0x00 }, /* not the partition's */
		{ 26, 0x80, 0x00 }, /* the hypervisor's timer */
	};
	u32 i;

	start(&L2, 4);
	for (i = 0; i < ARRAY_SIZE(bytes); i++) {
		WR8(0, GICD_IPRIORITYR + bytes[i].intid, bytes[i].write);
		EXPECT_EQ(RD8(0, GICD_IPRIORITYR + bytes[i].intid), bytes[i].read);
	}
	/* Word access: four interrupts at once (48-51: 50 and 51 are doorbells). */
	WR(0, GICD_IPRIORITYR + 48, 0x12345678);
	EXPECT_EQ(RD(0, GICD_IPRIORITYR + 48), 0x10300000);
	EXPECT_EQ(RD8(0, GICD_IPRIORITYR + 50), 0x30);
	EXPECT_EQ(RD8(0, GICD_IPRIORITYR + 51), 0x10);
	/* SGI and PPI priorities are banked per CPU. */
	EXPECT_EQ(RD8(1, GICD_IPRIORITYR + 0), 0);
	WR(1, GICD_IPRIORITYR + 0, 0x08102030);
	EXPECT_EQ(RD(1, GICD_IPRIORITYR + 0), 0x08102030);
	EXPECT_EQ(RD8(0, GICD_IPRIORITYR + 0), 0xf8);
	DONE();
}

/*
 * 4.3.12: ITARGETSR0-7 read the accessing CPU's own mask and ignore writes;
 * SPI targets are writable when there is more than one CPU interface, and
 * bits of CPU interfaces that do not exist are RAZ/WI.
 */
TEST(target_registers)
{
	u32 i;

	start(&L2, 4);
	for (i = 0; i < 8; i++) {
		EXPECT_EQ(RD(0, GICD_ITARGETSR + 4 * i), 0x01010101);
		EXPECT_EQ(RD(1, GICD_ITARGETSR + 4 * i), 0x02020202);
	}
	WR(1, GICD_ITARGETSR + 24, 0x01010101);
	EXPECT_EQ(RD(1, GICD_ITARGETSR + 24), 0x02020202);
	EXPECT_EQ(RD8(1, GICD_ITARGETSR + 27), 0x02); /* a byte: the reading CPU too */
	EXPECT_EQ(RD8(1, GICD_ITARGETSR + 3), 0x02);
	EXPECT_EQ(RD8(0, GICD_ITARGETSR + 50), 0x01);
	WR8(0, GICD_ITARGETSR + 50, 0x02);
	EXPECT_EQ(RD8(1, GICD_ITARGETSR + 50), 0x02);
	WR8(0, GICD_ITARGETSR + 50, 0xff);
	EXPECT_EQ(RD8(0, GICD_ITARGETSR + 50), 0x03);
	WR(0, GICD_ITARGETSR + 48, 0x01020202);
	EXPECT_EQ(RD(0, GICD_ITARGETSR + 48), 0x01020000); /* 48, 49 are not the partition's */
	EXPECT_EQ(RD8(0, GICD_ITARGETSR + 60), 0);

	/* One vCPU: every interrupt goes to it, the SPI targets do not change. */
	start(&L1, 4);
	EXPECT_EQ(RD8(0, GICD_ITARGETSR + 50), 0x01);
	WR8(0, GICD_ITARGETSR + 50, 0x02);
	EXPECT_EQ(RD8(0, GICD_ITARGETSR + 50), 0x01);
	DONE();
}

/*
 * 4.3.13: ICFGR. SGIs read 0b10 (edge) and are RO; PPIs are RO here (timer
 * PPIs level); emulated SPIs keep their nature (doorbells edge, the UART
 * level); a passthrough SPI's trigger is programmed in the physical GIC.
 */
TEST(config_registers)
{
	start(&L1, 4);
	EXPECT_EQ(RD(0, GICD_ICFGR), 0xaaaaaaaa);
	WR(0, GICD_ICFGR, 0);
	EXPECT_EQ(RD(0, GICD_ICFGR), 0xaaaaaaaa);
	EXPECT_EQ(RD(0, GICD_ICFGR + 4), 0);
	WR(0, GICD_ICFGR + 4, 0xffffffff);
	EXPECT_EQ(RD(0, GICD_ICFGR + 4), 0);
	/* 48-63: doorbells 50-57 edge (fields 2-9). */
	EXPECT_EQ(RD(0, GICD_ICFGR + 12), 0x000aaaa0);
	/* 32-47: UART 33 level; passthrough 40, 41 level at start. */
	EXPECT_EQ(RD(0, GICD_ICFGR + 8), 0);
	WR(0, GICD_ICFGR + 8, 2U << (2 * 1)); /* UART edge: refused */
	EXPECT_EQ(RD(0, GICD_ICFGR + 8), 0);
	EXPECT_EQ(fake_ops_on(33), 0);
	WR(0, GICD_ICFGR + 8, 2U << (2 * 8)); /* passthrough 40 edge */
	EXPECT_EQ(RD(0, GICD_ICFGR + 8), 2U << (2 * 8));
	EXPECT(fake_last_op_for(FAKE_OP_CONFIG, 40) && fake_last_op_for(FAKE_OP_CONFIG, 40)->arg);
	EXPECT(fake_phys(1, 40)->edge);
	WR(0, GICD_ICFGR + 8, 0);
	EXPECT_EQ(RD(0, GICD_ICFGR + 8), 0);
	EXPECT(!fake_phys(1, 40)->edge);
	DONE();
}

/*
 * A restart starts from the configuration: a passthrough SPI the last run made
 * edge-triggered is level again in the physical GIC, as its virtual view says.
 */
TEST(restart_resets_trigger)
{
	start(&L1, 4);
	WR(0, GICD_ICFGR + 8, 2U << (2 * 8)); /* passthrough 40 edge */
	EXPECT(fake_phys(1, 40)->edge);
	vgic_dist_stop(&pa.d);
	part_init(&pa, &L1); /* partition_start: vgic_dist_init again */
	EXPECT_EQ(RD(0, GICD_ICFGR + 8), 0);
	EXPECT(!fake_phys(1, 40)->edge);
	DONE();
}

/*
 * Everything the last run wrote to the distributor is gone after a restart: enables,
 * trigger modes (ICFGR reads the configuration's again) and pending state of its SPIs.
 * vgic_dist_init is called on the distributor as the last run left it (part_init would
 * clear the whole partition first, as a boot does).
 */
TEST(restart_starts_clear)
{
	struct vgic_cpu *vcs[CFG_CPU_MAX] = { &pa.vc[0] };
	u32 icfgr;

	start(&L1, 4);
	icfgr = RD(0, GICD_ICFGR + 8);
	enable(&pa, 0, 40);
	enable(&pa, 0, 50);
	WR(0, GICD_ICFGR + 8, icfgr | 2U << (2 * 8)); /* passthrough 40 edge */
	WR(0, reg_of(GICD_ISPENDR, 50), BIT(50 % 32));
	EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 50) || pa.vc[0].lr_used);
	EXPECT(RD(0, GICD_ICFGR + 8) != icfgr);
	vgic_dist_stop(&pa.d);
	vgic_dist_init(&pa.d, &pa.cfg, vcs);
	EXPECT_EQ(RD(0, GICD_ISENABLER + 4), 0);
	EXPECT(!bit_read(&pa, 0, GICD_ISPENDR, 50));
	EXPECT_EQ(RD(0, GICD_ICFGR + 8), icfgr);
	DONE();
}

/*
 * A timer PPI the last run made pending in the GIC (GICD_ISPENDR0, which reaches the physical
 * register: the timers are HW-mapped) while it was disabled stays pending there, a latch a
 * level-sensitive interrupt keeps until it is acknowledged or cleared (GIC spec 4.3.7): it
 * must not reach the next run (or a CPU_ON) as an interrupt of a timer that run never armed.
 */
TEST(restart_clears_timer_pending)
{
	start(&L1, 4);
	WR(0, GICD_ICENABLER, BIT(27) | BIT(30));
	WR(0, GICD_ISPENDR, BIT(27) | BIT(30));
	EXPECT(fake_phys(1, 27)->pending && fake_phys(1, 30)->pending);
	fake_set_cpu(1);
	vgic_cpu_stop(&pa.d, &pa.vc[0]); /* the vCPU parks */
	vgic_dist_stop(&pa.d);
	part_init(&pa, &L1); /* partition_start, then vcpu_start: vgic_cpu_reset */
	EXPECT(!fake_phys(1, 27)->pending);
	EXPECT(!fake_phys(1, 30)->pending);
	/* PSCI CPU_OFF and CPU_ON alike. */
	WR(0, GICD_ISPENDR, BIT(27));
	fake_set_cpu(1);
	vgic_cpu_stop(&pa.d, &pa.vc[0]);
	vgic_cpu_reset(&pa.d, &pa.vc[0]);
	EXPECT(!fake_phys(1, 27)->pending);
	DONE();
}

static u32 sgir(u32 filter, u32 targets, u32 sgi)
{
	return (filter << GICD_SGIR_FILTER_SHIFT) | (targets << GICD_SGIR_TARGETS_SHIFT) | sgi;
}

/* 4.3.15: GICD_SGIR target list filter; targets outside the partition are dropped. */
TEST(sgir_filters)
{
	static const struct {
		u32 sender, value, sgi, targets;
	} t[] = {
		{ 0, 0x00060003, 3, 0x6 }, /* list: vCPUs 1 and 2 */
		{ 1, 0x01000004, 4, 0x5 }, /* all but self */
		{ 2, 0x02000005, 5, 0x4 }, /* self */
		{ 0, 0x03070006, 6, 0x0 }, /* reserved filter */
		{ 0, 0x00000007, 7, 0x0 }, /* empty list */
		{ 1, 0x00ff0008, 8, 0x7 }, /* list with CPUs that do not exist */
	};
	u32 i, v;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		start(&L3, 4);
		WR(0, GICD_CTLR, 1);
		for (v = 0; v < 3; v++)
			enter(&pa, v);
		fake_clear_kicks();
		WR(t[i].sender, GICD_SGIR, t[i].value);
		for (v = 0; v < 3; v++) {
			bool want = t[i].targets & (1U << v);
			u32 iar;

			EXPECT_EQ(RD8(v, GICD_SPENDSGIR + t[i].sgi), want ? 1U << t[i].sender : 0);
			EXPECT_EQ(!!(RD(v, GICD_ISPENDR) & bit_of(t[i].sgi)), want);
			/* An SGI to the sender itself is listed at once: no kick. */
			EXPECT_EQ(fake_kicks(pcpu_of(&pa, v)) > 0, want && v != t[i].sender);
			enter(&pa, v);
			iar = ack(&pa, v);
			EXPECT_EQ(iar, want ? t[i].sgi | (t[i].sender << 10) : FAKE_SPURIOUS);
		}
	}
	/* Foreign targets: dropped, and logged without flooding. */
	start(&L3, 4);
	WR(0, GICD_SGIR, sgir(GICD_SGIR_FILTER_LIST, 0x0a, 1));
	EXPECT_EQ(fake_warning_count(), 1);
	WR(0, GICD_SGIR, sgir(GICD_SGIR_FILTER_LIST, 0x0a, 1));
	EXPECT_EQ(fake_warning_count(), 1);
	EXPECT_EQ(RD8(1, GICD_SPENDSGIR + 1), 0x01);
	DONE();
}

/* 4.3.16/4.3.17: CPENDSGIR/SPENDSGIR, one byte per SGI holding the source CPUs. */
TEST(sgi_pending_registers)
{
	start(&L3, 4);
	WR(0, GICD_CTLR, 1);
	WR8(1, GICD_SPENDSGIR + 5, 0x85); /* sources 0 and 2; CPU 7 does not exist */
	EXPECT_EQ(RD(1, GICD_SPENDSGIR + 4), 0x00000500);
	EXPECT_EQ(RD(1, GICD_CPENDSGIR + 4), 0x00000500);
	EXPECT_EQ(RD8(1, GICD_CPENDSGIR + 5), 0x05);
	EXPECT(RD(1, GICD_ISPENDR) & bit_of(5));
	EXPECT_EQ(RD(0, GICD_SPENDSGIR + 4), 0); /* banked */
	WR8(1, GICD_CPENDSGIR + 5, 0x01);
	EXPECT_EQ(RD8(1, GICD_SPENDSGIR + 5), 0x04);
	WR(1, GICD_SPENDSGIR, 0x00020000); /* SGI 2 from vCPU 1 */
	EXPECT_EQ(RD(1, GICD_SPENDSGIR), 0x00020000);
	enter(&pa, 1);
	EXPECT_EQ(ack(&pa, 1), 2 | (1U << 10));
	EXPECT_EQ(ack(&pa, 1), FAKE_SPURIOUS); /* SGI 2 active: same priority as SGI 5 */
	EOI(&pa, 1, 2 | (1U << 10));
	EXPECT_EQ(ack(&pa, 1), 5 | (2U << 10));
	DONE();
}

/*
 * The pending state of an SGI handed to the guest in a list register (not yet
 * acknowledged) is still visible in SPENDSGIR and ISPENDR0, and CPENDSGIR
 * removes it (4.3.16, 4.3.17, as GICD_ICPENDR does for other interrupts).
 */
TEST(sgi_pending_state_in_lr)
{
	start(&L3, 4);
	WR(0, GICD_CTLR, 1);
	WR8(1, GICD_SPENDSGIR + 5, 0x04);
	enter(&pa, 1);
	EXPECT(fake_find_lr(1, 5, 2) >= 0);
	EXPECT_EQ(RD8(1, GICD_SPENDSGIR + 5), 0x04);
	EXPECT(RD(1, GICD_ISPENDR) & bit_of(5));
	WR8(1, GICD_CPENDSGIR + 5, 0x04);
	enter(&pa, 1);
	EXPECT_EQ(ack(&pa, 1), FAKE_SPURIOUS);
	DONE();
}

/* 4.1.4: word access everywhere; byte access only to IPRIORITYR, ITARGETSR, C/SPENDSGIR. */
TEST(access_sizes)
{
	static const struct {
		u32 offset, size;
		bool ok;
	} t[] = {
		{ GICD_CTLR, 4, true },
		{ GICD_CTLR, 2, false },
		{ GICD_CTLR, 1, false },
		{ GICD_TYPER + 2, 2, false },
		{ GICD_ISENABLER, 1, false },
		{ GICD_ISENABLER + 2, 2, false },
		{ GICD_ISENABLER + 1, 4, false },
		{ GICD_ICPENDR + 3, 1, false },
		{ GICD_IPRIORITYR + 3, 1, true },
		{ GICD_IPRIORITYR + 2, 2, false },
		{ GICD_IPRIORITYR + 1, 4, false },
		{ GICD_IPRIORITYR + 0x3fc, 4, true },
		{ GICD_ITARGETSR + 33, 1, true },
		{ GICD_ITARGETSR + 34, 2, false },
		{ GICD_ICFGR + 1, 1, false },
		{ GICD_ICFGR + 4, 4, true },
		{ GICD_SGIR, 1, false },
		{ GICD_SGIR, 2, false },
		{ GICD_CPENDSGIR + 3, 1, true },
		{ GICD_SPENDSGIR + 15, 1, true },
		{ GICD_SPENDSGIR + 2, 2, false },
		{ 0xfe8, 1, false },
		{ 0xffc, 4, true },
		{ 0x1000, 4, false },
		{ 0x0, 8, false },
		{ 0x0, 0, false },
	};
	u32 i, v;

	start(&L1, 4);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		bool r = vgicd_read(&pa.d, 0, t[i].offset, t[i].size, &v);
		bool w = vgicd_write(&pa.d, 0, t[i].offset, t[i].size, 0);

		if (r != t[i].ok || w != t[i].ok)
			TEST_FAIL_AT("offset 0x%x size %u: read %d write %d, want %d", t[i].offset,
				     t[i].size, r, w, t[i].ok);
		if (!r)
			EXPECT_EQ(v, 0);
	}
	/* A refused write has no effect; a vCPU index beyond the partition is refused. */
	EXPECT(!vgicd_write(&pa.d, 0, GICD_CTLR, 1, 1));
	EXPECT(!vgicd_write(&pa.d, 0, GICD_CTLR + 1, 2, 0x0303));
	EXPECT_EQ(RD(0, GICD_CTLR), 0);
	EXPECT(!vgicd_read(&pa.d, 1, GICD_CTLR, 4, &v));
	EXPECT(!vgicd_write(&pa.d, 1, GICD_CTLR, 4, 1));
	DONE();
}

/* ============================================================================= */
/* Ownership                                                                     */
/* ============================================================================= */

/* A partition owns its SGIs, timer PPIs 27 and 30, passthrough SPIs, UART and doorbells. */
TEST(ownership)
{
	static const u16 owned[] = { 0, 7, 15, 27, 30, 33, 40, 41, 50, 53, 57 };
	static const u16 foreign[] = {
		16, 25, 26, 28, 29, 31, 32, 34, 42, 49, 58, 95, 96, 100, 127
	};
	/* Partition A as L1, plus a passthrough PPI and an SPI beyond virq_count in its config. */
	struct layout la = L1;
	struct layout lb = { .id = 7, .vcpus = 1, .pcpus = { 2 }, .virq_count = 64, .pt = { 42 } };
	u32 i, w,
		want[3] = { 0x0000ffff | bit_of(27) | bit_of(30),
			    bit_of(33) | bit_of(40) | bit_of(41) | (0xffU << 18), 0 };
	const u32 hw[3] = { bit_of(27) | bit_of(30), bit_of(40) | bit_of(41), 0 };

	la.pt[2] = 29;
	la.pt[3] = 100;
	start(&la, 4);
	part_init(&pb, &lb);
	fake_clear_ops();
	for (i = 0; i < ARRAY_SIZE(owned); i++)
		EXPECT(vgic_owns(&pa.d, owned[i]));
	for (i = 0; i < ARRAY_SIZE(foreign); i++)
		if (vgic_owns(&pa.d, foreign[i]))
			TEST_FAIL_AT("INTID %u is not partition A's", foreign[i]);

	/* Writes to every bit: only A's own interrupts change. */
	for (w = 0; w < 3; w++) {
		WR(0, GICD_ISENABLER + 4 * w, 0xffffffff);
		WR(0, GICD_IGROUPR + 4 * w, 0xffffffff);
		WR(0, GICD_ISACTIVER + 4 * w, 0xffffffff);
		WR(0, GICD_ISPENDR + 4 * w, 0xffffffff);
	}
	for (w = 0; w < 3; w++) {
		EXPECT_EQ(RD(0, GICD_ISENABLER + 4 * w), want[w]);
		EXPECT_EQ(RD(0, GICD_IGROUPR + 4 * w), want[w]);
		EXPECT_EQ(RD(0, GICD_ISACTIVER + 4 * w), want[w]);
		/* Pending: SGIs are WI in ISPENDR; physical ones become pending physically. */
		EXPECT_EQ(RD(0, GICD_ISPENDR + 4 * w) & ~hw[w],
			  want[w] & ~hw[w] & (w == 0 ? ~0xffffU : ~0U));
	}
	/*
	 * Configuration writes to foreign interrupts (a GIC driver's defaults for every INTID):
	 * dropped, and not logged.
	 */
	w = fake_warning_count();
	for (i = 0; i < ARRAY_SIZE(foreign); i++) {
		u32 id = foreign[i];

		WR8(0, GICD_IPRIORITYR + id, 0x80);
		EXPECT_EQ(RD8(0, GICD_IPRIORITYR + id), 0);
		if (id >= 32) {
			WR8(0, GICD_ITARGETSR + id, 0x01);
			EXPECT_EQ(RD8(0, GICD_ITARGETSR + id), 0);
		}
		WR(0, GICD_ICFGR + 4 * (id / 16), 0xaaaaaaaa);
		EXPECT_EQ((RD(0, GICD_ICFGR + 4 * (id / 16)) >> (2 * (id % 16))) & 3, 0);
	}
	EXPECT_EQ(fake_warning_count(), w);
	/* Nothing physical happened to B's interrupt, and B's view is untouched. */
	EXPECT_EQ(fake_ops_on(42), 0);
	EXPECT_EQ(fake_ops_on(29), 0);
	EXPECT(!(rd_at(__LINE__, &pb, 0, GICD_ISENABLER + 4, 4) & bit_of(42)));
	/*
	 * Reports: the first foreign write is logged as a warning, every report
	 * names a foreign interrupt of this partition, none is repeated for one
	 * interrupt, and repeating the writes adds none (rate limit).
	 */
	EXPECT(fake_warning_count() >= 1);
	for (i = 0; i < fake_warning_count(); i++) {
		const struct fake_warning *fw = fake_warning_at(i);

		EXPECT(!vgic_owns(&pa.d, fw->intid));
		EXPECT_EQ(fake_warnings_for(fw->intid), 1);
		EXPECT_EQ(fw->partition, la.id);
	}
	w = fake_warning_count();
	for (i = 0; i < 3; i++) {
		WR(0, GICD_ISENABLER + 4 * i, 0xffffffff);
		WR(0, GICD_IPRIORITYR + 4 * 13, 0x80808080);
	}
	EXPECT_EQ(fake_warning_count(), w);

	/* Events on interrupts A does not own do nothing. */
	WR(0, GICD_CTLR, 3);
	vgic_raise(&pa.d, 34);
	vgic_set_line(&pa.d, 35, true);
	vgic_raise(&pa.d, 26);
	EXPECT(!bit_read(&pa, 0, GICD_ISPENDR, 34));
	EXPECT(!bit_read(&pa, 0, GICD_ISPENDR, 35));
	EXPECT(!bit_read(&pa, 0, GICD_ISPENDR, 26));
	/* A physical interrupt A does not own is refused: the caller disables and releases it. */
	fake_set_cpu(pcpu_of(&pa, 0));
	fake_phys_fire(pcpu_of(&pa, 0), 42);
	EXPECT(!vgic_inject_hw(&pa.d, &pa.vc[0], 42));
	EXPECT_EQ(fake_ops_for(FAKE_OP_DEACTIVATE, 42), 0);
	EXPECT(!listed(&pa, 0, 42));
	DONE();
}

/* ============================================================================= */
/* Passthrough side effects                                                      */
/* ============================================================================= */

TEST(passthrough_reaches_physical_gic)
{
	const struct fake_op *op;

	fake_gic_reset(4);
	helper_failed = 0;
	part_init(&pa, &L2);
	/* At start: disabled, routed to the CPU of vCPU 0. */
	EXPECT_EQ(fake_ops_for(FAKE_OP_DISABLE, 40), 1);
	op = fake_last_op_for(FAKE_OP_ROUTE, 40);
	EXPECT(op && op->arg == 2);
	fake_clear_ops();

	enable(&pa, 0, 40);
	EXPECT_EQ(fake_ops_for(FAKE_OP_ENABLE, 40), 1);
	EXPECT(fake_phys(0, 40)->enabled);
	bit_write(&pa, 1, GICD_ICENABLER, 40);
	EXPECT_EQ(fake_ops_for(FAKE_OP_DISABLE, 40), 1);
	EXPECT(!fake_phys(0, 40)->enabled);
	bit_write(&pa, 0, GICD_ISPENDR, 40);
	EXPECT_EQ(fake_ops_for(FAKE_OP_SET_PENDING, 40), 1);
	bit_write(&pa, 0, GICD_ICPENDR, 40);
	EXPECT_EQ(fake_ops_for(FAKE_OP_CLEAR_PENDING, 40), 1);
	bit_write(&pa, 0, GICD_ISACTIVER, 40);
	EXPECT_EQ(fake_ops_for(FAKE_OP_SET_ACTIVE, 40), 1);
	bit_write(&pa, 0, GICD_ICACTIVER, 40);
	EXPECT_EQ(fake_ops_for(FAKE_OP_CLEAR_ACTIVE, 40), 1);
	EXPECT(!fake_phys(0, 40)->active);

	/* Targets: routed to the physical CPU of the (lowest) target vCPU. */
	WR8(0, GICD_ITARGETSR + 40, 0x02);
	op = fake_last_op_for(FAKE_OP_ROUTE, 40);
	EXPECT(op && op->arg == 3);
	WR8(0, GICD_ITARGETSR + 40, 0x03);
	op = fake_last_op_for(FAKE_OP_ROUTE, 40);
	EXPECT(op && op->arg == 2);
	EXPECT_EQ(fake_phys(0, 40)->route, 2);

	/* Trigger. */
	WR(0, GICD_ICFGR + 8, 2U << (2 * 8));
	op = fake_last_op_for(FAKE_OP_CONFIG, 40);
	EXPECT(op && op->arg == 1);

	/* Timer PPI 27: banked, so it is enabled on the CPU of the vCPU that asks. */
	enable(&pa, 1, 27);
	op = fake_last_op_for(FAKE_OP_ENABLE, 27);
	EXPECT(op && op->pcpu == 3);
	EXPECT(fake_phys(3, 27)->enabled);
	EXPECT(!fake_phys(2, 27)->enabled);

	/* Emulated interrupts never touch the physical GIC. */
	enable(&pa, 0, 50);
	bit_write(&pa, 0, GICD_ISPENDR, 50);
	bit_write(&pa, 0, GICD_ISACTIVER, 50);
	WR8(0, GICD_ITARGETSR + 50, 0x02);
	EXPECT_EQ(fake_ops_on(50), 0);
	DONE();
}

/*
 * 4.3.8: clearing the pending state of a passthrough interrupt the hypervisor
 * has already acknowledged (it waits for the guest, physically active) must
 * release the physical interrupt, or the device's interrupt is never seen
 * again.  Two ways: waiting in software (group disabled), or in a list register.
 */
TEST(passthrough_icpendr_releases_physical)
{
	start(&L1, 4);
	enable(&pa, 0, 40);
	hw_arrives(&pa, 0, 40); /* group 0 disabled: waits */
	EXPECT(!listed(&pa, 0, 40));
	EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 40));
	bit_write(&pa, 0, GICD_ICPENDR, 40);
	EXPECT(!bit_read(&pa, 0, GICD_ISPENDR, 40));
	if (fake_phys(1, 40)->active)
		TEST_FAIL_AT("%s", "ICPENDR while waiting in software: INTID 40 stays physically "
				   "active");

	start(&L1, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 41);
	hw_arrives(&pa, 0, 41);
	EXPECT(listed(&pa, 0, 41));
	bit_write(&pa, 0, GICD_ICPENDR, 41);
	EXPECT(!bit_read(&pa, 0, GICD_ISPENDR, 41));
	if (fake_phys(1, 41)->active)
		TEST_FAIL_AT("%s", "ICPENDR while in a list register: INTID 41 stays physically "
				   "active");
	DONE();
}

/* ============================================================================= */
/* Injection and list registers (GIC spec chapter 5)                             */
/* ============================================================================= */

/* Doorbells 50-57 enabled with these priorities, in group 0, group 0 enabled. */
static void doorbells(const u8 *prio, u32 count)
{
	u32 i;

	WR(0, GICD_CTLR, 1);
	for (i = 0; i < count; i++) {
		set_prio(&pa, 0, 50 + i, prio[i]);
		enable(&pa, 0, 50 + i);
	}
}

/*
 * More pending interrupts than list registers: the highest priorities are
 * listed, the rest wait and come in, highest priority first and the lowest
 * INTID first among equals, as the guest completes interrupts.
 */
TEST(overflow_priority_order)
{
	static const u8 prio[8] = { 0x80, 0x20, 0x40, 0x20, 0xa0, 0x10, 0x60, 0x40 };
	static const u32 want[8] = { 55, 51, 53, 52, 57, 56, 50, 54 };
	u32 order[16], i, n;

	start(&L1, 4);
	doorbells(prio, 8);
	for (i = 0; i < 8; i++)
		vgic_raise(&pa.d, 50 + i);
	EXPECT(enter(&pa, 0));
	for (i = 0; i < 8; i++)
		EXPECT_EQ(listed(&pa, 0, want[i]), i < 4);
	EXPECT_EQ(fake_lrs_in_state(1, FAKE_ST_PENDING), 4);
	/* Priorities in the LRs are the top 5 bits. */
	EXPECT_EQ(FAKE_LR_PRIO(lr_value(&pa, 0, 55)), 0x10 >> 3);
	EXPECT(fake_uie(1));
	n = deliver_all(&pa, 0, order, 16);
	EXPECT_EQ(n, 8);
	for (i = 0; i < 8 && i < n; i++)
		if (order[i] != want[i])
			TEST_FAIL_AT("delivery %u: INTID %u, want %u", i, order[i], want[i]);
	EXPECT(!fake_uie(1));
	DONE();
}

/* A higher-priority arrival evicts the lowest-priority pending-only entry, which comes back later. */
TEST(eviction)
{
	static const u8 prio[5] = { 0x40, 0x50, 0x60, 0x70, 0x10 };
	static const u32 want[6] = { 54, 50, 51, 52, 55, 53 };
	u32 order[8], i, n;

	start(&L1, 4);
	doorbells(prio, 5);
	for (i = 0; i < 4; i++)
		vgic_raise(&pa.d, 50 + i);
	enter(&pa, 0);
	EXPECT_EQ(fake_lrs_in_state(1, FAKE_ST_PENDING), 4);
	vgic_raise(&pa.d, 54);
	EXPECT(enter(&pa, 0));
	EXPECT(listed(&pa, 0, 54));
	EXPECT(!listed(&pa, 0, 53));
	EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 53));
	EXPECT(fake_uie(1));
	/* Equal priority never evicts. */
	set_prio(&pa, 0, 55, 0x60);
	enable(&pa, 0, 55);
	vgic_raise(&pa.d, 55);
	enter(&pa, 0);
	EXPECT(listed(&pa, 0, 52) && !listed(&pa, 0, 55));
	n = deliver_all(&pa, 0, order, 8);
	EXPECT_EQ(n, 6);
	for (i = 0; i < 6 && i < n; i++)
		if (order[i] != want[i])
			TEST_FAIL_AT("delivery %u: INTID %u, want %u", i, order[i], want[i]);
	DONE();
}

/*
 * Nested interrupts: all list registers active.  Nothing active is evicted;
 * a higher-priority arrival waits, and comes in once the guest completes
 * enough of what it holds.
 */
TEST(active_never_evicted)
{
	static const u8 prio[5] = { 0x80, 0x60, 0x40, 0x20, 0x00 };
	u32 i, eois, stack[4];

	start(&L1, 4);
	doorbells(prio, 5);
	for (i = 0; i < 4; i++) {
		vgic_raise(&pa.d, 50 + i);
		enter(&pa, 0);
		stack[i] = ack(&pa, 0);
		EXPECT_EQ(stack[i], 50 + i);
	}
	EXPECT_EQ(fake_lrs_in_state(1, FAKE_ST_ACTIVE), 4);
	vgic_raise(&pa.d, 54);
	EXPECT(enter(&pa, 0));
	EXPECT_EQ(fake_lrs_in_state(1, FAKE_ST_ACTIVE), 4);
	EXPECT(!listed(&pa, 0, 54));
	EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 54));
	EXPECT(fake_uie(1));
	/* The guest completes the nested ones, innermost first. */
	for (eois = 0; eois < 4 && !listed(&pa, 0, 54); eois++) {
		EOI(&pa, 0, stack[3 - eois]);
		enter(&pa, 0);
	}
	EXPECT(listed(&pa, 0, 54));
	EXPECT(eois <= 3); /* at the latest when one of the four is left */
	EXPECT_EQ(ack(&pa, 0), 54);
	DONE();
}

/*
 * A maintenance interrupt that is asserted as the guest is entered, before it
 * can run, is taken at once, and the flush it causes recreates it: the guest
 * never runs again.  After a flush the maintenance condition must be clear,
 * for every number of list registers (GICv2 allows 1 to 64).
 */
TEST(no_maintenance_storm)
{
	static const u8 prio[8] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80 };
	u32 lrs, i;

	for (lrs = 1; lrs <= 4; lrs++) {
		start(&L1, lrs);
		doorbells(prio, 8);
		for (i = 0; i <= lrs; i++)
			vgic_raise(&pa.d, 50 + i);
		enter(&pa, 0);
		if (fake_maintenance(1))
			TEST_FAIL_AT(
				"%u LRs, %u pending: maintenance asserted right after the flush",
				lrs, lrs + 1);
	}
	DONE();
}

/* The underflow maintenance interrupt is requested exactly when something deliverable waits. */
TEST(maintenance_exactly_when_waiting)
{
	static const u8 prio[6] = { 0x10, 0x20, 0x30, 0x40, 0x50, 0x60 };
	u32 order[8];

	start(&L1, 4);
	doorbells(prio, 6);
	vgic_flush(&pa.d, &pa.vc[0]);
	EXPECT(!fake_uie(1));
	vgic_raise(&pa.d, 50);
	vgic_raise(&pa.d, 51);
	vgic_raise(&pa.d, 52);
	vgic_raise(&pa.d, 53);
	enter(&pa, 0);
	EXPECT(!fake_uie(1)); /* four fit */
	vgic_raise(&pa.d, 54);
	enter(&pa, 0);
	EXPECT(fake_uie(1));
	EXPECT_EQ(deliver_all(&pa, 0, order, 8), 5);
	EXPECT(!fake_uie(1));
	/* Something waits that cannot be delivered (disabled): no maintenance. */
	bit_write(&pa, 0, GICD_ICENABLER, 55);
	vgic_raise(&pa.d, 50);
	vgic_raise(&pa.d, 51);
	vgic_raise(&pa.d, 52);
	vgic_raise(&pa.d, 53);
	vgic_raise(&pa.d, 55);
	enter(&pa, 0);
	EXPECT(!fake_uie(1));
	EXPECT_EQ(deliver_all(&pa, 0, order, 8), 4);
	EXPECT(!fake_uie(1));
	enable(&pa, 0, 55);
	EXPECT_EQ(deliver_all(&pa, 0, order, 8), 1);
	EXPECT_EQ(order[0], 55);
	DONE();
}

/* Passthrough and timer interrupts go in with HW = 1 and their physical ID; the guest's EOI deactivates. */
TEST(hw_interrupts)
{
	u32 lr, iar;

	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 40);
	hw_arrives(&pa, 0, 40);
	lr = lr_value(&pa, 0, 40);
	EXPECT(FAKE_LR_HW(lr));
	EXPECT_EQ(FAKE_LR_PID(lr), 40);
	EXPECT_EQ(FAKE_LR_STATE(lr), FAKE_ST_PENDING);
	EXPECT(fake_phys(2, 40)->active);
	iar = ack(&pa, 0);
	EXPECT_EQ(iar, 40);
	EOI(&pa, 0, iar);
	EXPECT_EQ(fake_ops_for(FAKE_OP_GUEST_DEACTIVATE, 40), 1);
	EXPECT(!fake_phys(2, 40)->active);
	EXPECT(!listed(&pa, 0, 40));

	/* The virtual timer of vCPU 1, on CPU 3. */
	enable(&pa, 1, 27);
	hw_arrives(&pa, 1, 27);
	lr = lr_value(&pa, 1, 27);
	EXPECT(FAKE_LR_HW(lr));
	EXPECT_EQ(FAKE_LR_PID(lr), 27);
	EXPECT(!listed(&pa, 0, 27));
	iar = ack(&pa, 1);
	EXPECT_EQ(iar, 27);
	EOI(&pa, 1, iar);
	EXPECT(!fake_phys(3, 27)->active);
	/* Emulated ones: HW = 0; the UART (level) with the EOI maintenance bit, to re-sample. */
	enable(&pa, 0, 50);
	enable(&pa, 0, 33);
	vgic_raise(&pa.d, 50);
	vgic_set_line(&pa.d, 33, true);
	enter(&pa, 0);
	lr = lr_value(&pa, 0, 50);
	EXPECT(!FAKE_LR_HW(lr) && FAKE_LR_VID(lr) == 50);
	lr = lr_value(&pa, 0, 33);
	EXPECT(!FAKE_LR_HW(lr) && FAKE_LR_EOI(lr));
	DONE();
}

/* SGIs carry their source in the LR CPUID field; each source is delivered separately. */
TEST(sgi_sources)
{
	u32 a, b;

	start(&L3, 4);
	WR(0, GICD_CTLR, 1);
	WR(0, GICD_SGIR, sgir(GICD_SGIR_FILTER_LIST, 0x2, 9));
	WR(2, GICD_SGIR, sgir(GICD_SGIR_FILTER_LIST, 0x2, 9));
	EXPECT_EQ(RD8(1, GICD_SPENDSGIR + 9), 0x5);
	enter(&pa, 1);
	EXPECT(fake_find_lr(1, 9, 0) >= 0);
	EXPECT(fake_find_lr(1, 9, 2) >= 0);
	a = ack(&pa, 1);
	EOI(&pa, 1, a);
	enter(&pa, 1);
	b = ack(&pa, 1);
	EOI(&pa, 1, b);
	EXPECT_EQ(a & 0x3ff, 9);
	EXPECT_EQ(b & 0x3ff, 9);
	EXPECT_EQ((1U << (a >> 10)) | (1U << (b >> 10)), 0x5);
	enter(&pa, 1);
	EXPECT_EQ(ack(&pa, 1), FAKE_SPURIOUS);
	DONE();
}

/*
 * An SGI's pending state is one bit per source (4.3.16): sent again by the
 * same source while still pending, it is delivered once; sent again while
 * active, once more after the EOI.  Either way one (SGI, source) pair never
 * occupies two list registers (5.3.4).
 */
TEST(sgi_same_source_coalesces)
{
	u32 order[8], n;

	start(&L1, 4);
	WR(0, GICD_CTLR, 1);
	WR(0, GICD_SGIR, sgir(GICD_SGIR_FILTER_SELF, 0, 2));
	enter(&pa, 0);
	EXPECT(listed(&pa, 0, 2));
	WR(0, GICD_SGIR, sgir(GICD_SGIR_FILTER_SELF, 0, 2));
	enter(&pa, 0);
	n = deliver_all(&pa, 0, order, 8);
	if (n != 1)
		TEST_FAIL_AT("SGI 2 sent twice while pending: delivered %u times, want 1", n);

	start(&L1, 4);
	WR(0, GICD_CTLR, 1);
	WR(0, GICD_SGIR, sgir(GICD_SGIR_FILTER_SELF, 0, 3));
	enter(&pa, 0);
	order[0] = ack(&pa, 0);
	EXPECT_EQ(order[0], 3);
	WR(0, GICD_SGIR, sgir(GICD_SGIR_FILTER_SELF, 0, 3));
	enter(&pa, 0);
	EOI(&pa, 0, order[0]);
	n = deliver_all(&pa, 0, order, 8);
	if (n != 1)
		TEST_FAIL_AT("SGI 3 sent again while active: %u more deliveries, want 1", n);
	DONE();
}

/* Level-sensitive emulated line (UART): pending again after EOI while high, not once low. */
TEST(level_line)
{
	u32 iar;

	start(&L1, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 33);
	vgic_set_line(&pa.d, 33, true);
	EXPECT(fake_kicks(1) > 0);
	enter(&pa, 0);
	EXPECT(listed(&pa, 0, 33));
	iar = ack(&pa, 0);
	EXPECT_EQ(iar, 33);
	EOI(&pa, 0, iar); /* still high */
	EXPECT(fake_maintenance(1)); /* EOI maintenance: re-sample the line */
	enter(&pa, 0);
	EXPECT(!fake_maintenance(1));
	EXPECT_EQ(FAKE_LR_STATE(lr_value(&pa, 0, 33)), FAKE_ST_PENDING);
	iar = ack(&pa, 0);
	EXPECT_EQ(iar, 33);
	vgic_set_line(&pa.d, 33, false);
	EOI(&pa, 0, iar);
	enter(&pa, 0);
	EXPECT(!listed(&pa, 0, 33));
	EXPECT(!bit_read(&pa, 0, GICD_ISPENDR, 33));
	EXPECT(!fake_maintenance(1));
	EXPECT_EQ(ack(&pa, 0), FAKE_SPURIOUS);

	/* High then low while disabled: a level interrupt is no longer pending. */
	bit_write(&pa, 0, GICD_ICENABLER, 33);
	vgic_set_line(&pa.d, 33, true);
	EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 33));
	vgic_set_line(&pa.d, 33, false);
	EXPECT(!bit_read(&pa, 0, GICD_ISPENDR, 33));
	enable(&pa, 0, 33);
	enter(&pa, 0);
	EXPECT_EQ(ack(&pa, 0), FAKE_SPURIOUS);
	DONE();
}

/*
 * GIC spec 4.3.5: a disabled interrupt is not forwarded, so a list register holding it pending
 * only is taken back.  A timer's ICENABLER0 word (what Linux's gic_mask_irq writes: one bit)
 * takes vgicd_write_word_fast's path, which leaves that to the general path.
 */
TEST(timer_disable_withdraws_listed_pending)
{
	start(&L1, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 27);
	hw_arrives(&pa, 0, 27);
	EXPECT(listed(&pa, 0, 27));
	bit_write(&pa, 0, GICD_ICENABLER, 27); /* a word: 1 << 27 */
	EXPECT(!bit_read(&pa, 0, GICD_ISENABLER, 27));
	enter(&pa, 0);
	EXPECT_EQ(ack(&pa, 0), FAKE_SPURIOUS);
	DONE();
}

/*
 * 4.3.5 and 4.3.1: an SPI listed on vCPU 0 and disabled by vCPU 1, or whose group vCPU 1
 * turns off, is not forwarded: vCPU 0, kicked, takes it back at its next entry (lr_sync).
 */
TEST(disable_elsewhere_withdraws_listed)
{
	u32 how;

	for (how = 0; how < 2; how++) {
		start(&L2, 4);
		WR(0, GICD_CTLR, 1);
		enable(&pa, 0, 50); /* a doorbell, targeted at vCPU 0 */
		vgic_raise(&pa.d, 50);
		enter(&pa, 0);
		EXPECT(listed(&pa, 0, 50));
		if (how == 0)
			bit_write(&pa, 1, GICD_ICENABLER, 50);
		else
			WR(1, GICD_CTLR, 0);
		EXPECT(enter(&pa, 0)); /* kicked */
		EXPECT(!listed(&pa, 0, 50));
		EXPECT_EQ(ack(&pa, 0), FAKE_SPURIOUS);
		EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 50)); /* still pending, in software */
		if (how == 0)
			enable(&pa, 1, 50);
		else
			WR(1, GICD_CTLR, 1);
		enter(&pa, 0);
		EXPECT_EQ(ack(&pa, 0), 50); /* delivered once it may be */
		DONE();
	}
}

/* GIC spec 4.3.10: GICD_ICACTIVER deactivates an interrupt, an SGI in a list register too. */
TEST(sgi_icactiver_deactivates)
{
	start(&L1, 4);
	WR(0, GICD_CTLR, 1);
	WR(0, GICD_SGIR, (2U << 24) | 3); /* SGI 3 to itself */
	enter(&pa, 0);
	EXPECT_EQ(ack(&pa, 0) & 0x3ff, 3);
	EXPECT(bit_read(&pa, 0, GICD_ISACTIVER, 3));
	fake_allow_deactivate(pcpu_of(&pa, 0)); /* the guest asks for it */
	bit_write(&pa, 0, GICD_ICACTIVER, 3);
	EXPECT(!bit_read(&pa, 0, GICD_ISACTIVER, 3));
	EXPECT_EQ(FAKE_LR_STATE(lr_value(&pa, 0, 3)), FAKE_ST_INVALID);
	DONE();
}

/*
 * 3.2.4, 4.3.8: a level line lowered before the guest acknowledges it (its driver read the
 * data first, on the vCPU's own CPU) is no longer pending, in a list register either.
 */
TEST(level_line_low_before_ack)
{
	start(&L1, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 33);
	vgic_set_line(&pa.d, 33, true);
	enter(&pa, 0);
	EXPECT(listed(&pa, 0, 33));
	fake_set_cpu(pcpu_of(&pa, 0));
	vgic_set_line(&pa.d, 33, false);
	EXPECT(!bit_read(&pa, 0, GICD_ISPENDR, 33));
	enter(&pa, 0);
	EXPECT_EQ(ack(&pa, 0), FAKE_SPURIOUS);
	DONE();
}

/*
 * 4.3.8 and 3.2.4: a level-sensitive interrupt whose line is asserted stays
 * pending when software writes GICD_ICPENDR; ICPENDR only clears a pending
 * state latched by GICD_ISPENDR.
 */
TEST(level_line_icpendr_while_high)
{
	start(&L1, 4);
	WR(0, GICD_CTLR, 1);
	/* Latched by ISPENDR with the line low: ICPENDR clears it. */
	bit_write(&pa, 0, GICD_ISPENDR, 33);
	EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 33));
	bit_write(&pa, 0, GICD_ICPENDR, 33);
	EXPECT(!bit_read(&pa, 0, GICD_ISPENDR, 33));
	/* Line high (UART disabled, so it waits): ICPENDR leaves it pending. */
	vgic_set_line(&pa.d, 33, true);
	bit_write(&pa, 0, GICD_ICPENDR, 33);
	EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 33));
	enable(&pa, 0, 33);
	enter(&pa, 0);
	EXPECT_EQ(ack(&pa, 0), 33);
	DONE();
}

/* Disabled, or in a disabled group: not delivered until enabled (4.3.1, 4.3.5). */
TEST(disabled_not_delivered)
{
	static const u8 prio[3] = { 0x80, 0x80, 0x80 };
	u32 lr;

	start(&L1, 4);
	doorbells(prio, 3);
	bit_write(&pa, 0, GICD_ICENABLER, 50);
	vgic_raise(&pa.d, 50);
	enter(&pa, 0);
	EXPECT(!listed(&pa, 0, 50));
	enable(&pa, 0, 50);
	EXPECT(enter(&pa, 0)); /* kicked */
	EXPECT(listed(&pa, 0, 50));

	WR(0, GICD_CTLR, 0);
	vgic_raise(&pa.d, 51);
	enter(&pa, 0);
	EXPECT(!listed(&pa, 0, 51));
	WR(0, GICD_SGIR, sgir(GICD_SGIR_FILTER_SELF, 0, 1));
	enter(&pa, 0);
	EXPECT(!listed(&pa, 0, 1));
	WR(0, GICD_CTLR, 1);
	EXPECT(enter(&pa, 0));
	EXPECT(listed(&pa, 0, 51));
	EXPECT(listed(&pa, 0, 1));

	/* Group 1 interrupt while only group 0 is enabled; the LR says group 1. */
	bit_write(&pa, 0, GICD_IGROUPR, 52);
	vgic_raise(&pa.d, 52);
	enter(&pa, 0);
	EXPECT(!listed(&pa, 0, 52));
	WR(0, GICD_CTLR, 3);
	EXPECT(enter(&pa, 0));
	lr = lr_value(&pa, 0, 52);
	EXPECT(lr & GICH_LR_GRP1);
	EXPECT(!(lr_value(&pa, 0, 51) & GICH_LR_GRP1));
	DONE();
}

/* Raised for a vCPU on another physical CPU: that CPU is kicked, and its LRs get it. */
TEST(kick_other_cpu)
{
	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50);
	WR8(0, GICD_ITARGETSR + 50, 0x02);
	enter(&pa, 0);
	enter(&pa, 1);
	fake_clear_kicks();
	fake_set_cpu(2);
	vgic_raise(&pa.d, 50);
	EXPECT(fake_kicks(3) > 0);
	EXPECT(!enter(&pa, 0));
	EXPECT(enter(&pa, 1));
	EXPECT(listed(&pa, 1, 50));
	EXPECT(!listed(&pa, 0, 50));
	EXPECT_EQ(ack(&pa, 1), 50);
	/* An SGI from vCPU 0 to vCPU 1. */
	fake_clear_kicks();
	WR(0, GICD_SGIR, sgir(GICD_SGIR_FILTER_LIST, 0x2, 4));
	EXPECT(fake_kicks(3) > 0);
	EXPECT(enter(&pa, 1));
	EXPECT(fake_find_lr(3, 4, 0) >= 0);
	DONE();
}

/*
 * An SPI active on one CPU is not signalled to another until it is
 * deactivated (an SPI has one state, GIC spec 1.4.2 and 3.2.4); after a
 * retarget it goes to the new target only then, and list-register
 * bookkeeping of two vCPUs never mixes (no interrupt twice in one vCPU's LRs).
 */
TEST(spi_retarget_while_listed)
{
	u32 iar0, iar1, order[8], n;

	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50);
	vgic_raise(&pa.d, 50);
	enter(&pa, 0);
	iar0 = ack(&pa, 0);
	EXPECT_EQ(iar0, 50);
	WR8(1, GICD_ITARGETSR + 50, 0x02);
	vgic_raise(&pa.d, 50);
	enter(&pa, 1);
	if (listed(&pa, 1, 50))
		TEST_FAIL_AT("%s", "INTID 50 active on vCPU 0 is also listed on vCPU 1");
	EOI(&pa, 0, iar0);
	enter(&pa, 0);
	enter(&pa, 1);
	iar1 = ack(&pa, 1);
	EXPECT_EQ(iar1, 50);
	vgic_raise(&pa.d, 50); /* again, while active on vCPU 1 */
	enter(&pa, 1);
	EOI(&pa, 1, iar1);
	n = deliver_all(&pa, 1, order, 8);
	EXPECT_EQ(n, 1);
	EXPECT_EQ(deliver_all(&pa, 0, order, 8), 0);
	DONE();
}

/*
 * 4.3.12: a pending SPI not yet in a list register (its vCPU's are full) follows its target:
 * after the change only the new target is given it, once; with no target it waits in the
 * distributor until it has one again.
 */
TEST(spi_retarget_while_pending)
{
	u32 order[8], iar;

	/* One list register, which 51 holds (active): 50 is pending in the distributor only. */
	start(&L2, 1);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50);
	enable(&pa, 0, 51);
	vgic_raise(&pa.d, 51);
	enter(&pa, 0);
	iar = ack(&pa, 0);
	EXPECT_EQ(iar, 51);
	vgic_raise(&pa.d, 50);
	enter(&pa, 0);
	EXPECT(!listed(&pa, 0, 50));
	WR8(0, GICD_ITARGETSR + 50, 0x02);
	EXPECT_EQ(deliver_all(&pa, 1, order, 8), 1);
	EXPECT_EQ(order[0], 50);
	EOI(&pa, 0, iar);
	EXPECT_EQ(deliver_all(&pa, 0, order, 8), 0);
	/* With no target it waits in the distributor until it has one again. */
	vgic_raise(&pa.d, 50);
	WR8(1, GICD_ITARGETSR + 50, 0x00);
	EXPECT_EQ(deliver_all(&pa, 1, order, 8), 0);
	EXPECT_EQ(deliver_all(&pa, 0, order, 8), 0);
	EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 50));
	WR8(1, GICD_ITARGETSR + 50, 0x01);
	EXPECT_EQ(deliver_all(&pa, 1, order, 8), 0);
	EXPECT_EQ(deliver_all(&pa, 0, order, 8), 1);
	EXPECT_EQ(order[0], 50);
	DONE();
}

/* A stopped vCPU leaves no physical interrupt active: in its LRs or waiting for one. */
TEST(cpu_stop_deactivates)
{
	start(&L1, 2);
	WR(0, GICD_CTLR, 1);
	set_prio(&pa, 0, 27, 0x20);
	set_prio(&pa, 0, 40, 0x40);
	set_prio(&pa, 0, 41, 0x80);
	enable(&pa, 0, 27);
	enable(&pa, 0, 40);
	enable(&pa, 0, 41);
	hw_arrives(&pa, 0, 27);
	EXPECT_EQ(ack(&pa, 0), 27); /* active in its LR */
	hw_arrives(&pa, 0, 40); /* pending in an LR */
	hw_arrives(&pa, 0, 41); /* waits: both LRs taken */
	EXPECT(listed(&pa, 0, 40) && !listed(&pa, 0, 41));
	EXPECT(fake_phys(1, 27)->active && fake_phys(1, 40)->active && fake_phys(1, 41)->active);
	fake_set_cpu(1);
	vgic_cpu_stop(&pa.d, &pa.vc[0]);
	EXPECT(!fake_phys(1, 27)->active);
	EXPECT(!fake_phys(1, 40)->active);
	EXPECT(!fake_phys(1, 41)->active);
	EXPECT_EQ(fake_elrsr(1), 0x3);
	EXPECT(!fake_phys(1, 27)->enabled && !fake_phys(1, 30)->enabled);
	EXPECT_EQ(ack(&pa, 0), FAKE_SPURIOUS);
	/* Restart: nothing left over. */
	vgic_cpu_reset(&pa.d, &pa.vc[0]);
	enter(&pa, 0);
	EXPECT_EQ(ack(&pa, 0), FAKE_SPURIOUS);
	DONE();
}

/* Another partition's CPU (0) rings doorbell 'intid' of partition A 'times' times. */
static void ring(u32 intid, u32 times)
{
	fake_set_cpu(0);
	while (times--)
		vgic_raise(&pa.d, intid);
}

/*
 * Issue 14 defect 5: a ring that changes nothing costs the peer nothing.  Rings
 * of a doorbell already pending, or one the peer disabled, kick nobody; an
 * edge that comes after the guest acknowledged is still delivered once.
 */
TEST(doorbell_rings_coalesce)
{
	u32 order[8];

	start(&L1, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50);
	enter(&pa, 0);
	fake_clear_kicks();
	/* Pending, not yet in a list register: one kick for a thousand rings. */
	ring(50, 1000);
	EXPECT_EQ(fake_kicks(1), 1);
	EXPECT(enter(&pa, 0));
	EXPECT_EQ(FAKE_LR_STATE(lr_value(&pa, 0, 50)), FAKE_ST_PENDING);
	/* Listed, the guest has not acknowledged it (interrupts masked): at most one more. */
	ring(50, 1000);
	enter(&pa, 0);
	ring(50, 1000);
	enter(&pa, 0);
	EXPECT(fake_kicks(1) <= 2);
	/* The guest takes it; the edges may give one more delivery, never lose one. */
	EXPECT_EQ(deliver_all(&pa, 0, order, 8) >= 1, 1);
	/* An edge after the acknowledge is delivered once more. */
	ring(50, 1);
	enter(&pa, 0);
	EXPECT_EQ(ack(&pa, 0), 50);
	fake_clear_kicks(); /* while it is active: at most two kicks for any number of rings */
	ring(50, 1000);
	EXPECT(fake_kicks(1) <= 2);
	enter(&pa, 0);
	ring(50, 1000);
	EXPECT(fake_kicks(1) <= 2);
	EOI(&pa, 0, 50);
	EXPECT(deliver_all(&pa, 0, order, 8) >= 1);
	/* Disabled by the peer: the ring that makes it pending kicks, no other; delivered once. */
	fake_clear_kicks();
	ring(51, 1000);
	EXPECT(fake_kicks(1) <= 1);
	EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 51));
	enable(&pa, 0, 51);
	EXPECT_EQ(deliver_all(&pa, 0, order, 8), 1);
	EXPECT_EQ(order[0], 51);
	DONE();
}

/* Doorbell 50 moved to vCPU 'to' (written there) and rung: 'holder', whose entry books it, is kicked. */
static void move_and_ring(u32 to, u32 holder)
{
	WR8(to, GICD_ITARGETSR + 50, (u32)BIT(to));
	fake_clear_kicks();
	ring(50, 1);
	enter(&pa, to);
	if (!fake_kicks(pcpu_of(&pa, holder)))
		helper_fail(__LINE__, "vCPU %u holding INTID 50's entry not kicked", holder);
}

/* Doorbell 50 delivered once, to vCPU 'to', and not to 'other'. */
static void delivered_once(u32 to, u32 other)
{
	u32 order[8];

	if (deliver_all(&pa, to, order, 8) != 1 || order[0] != 50)
		helper_fail(__LINE__, "INTID 50 not delivered once to vCPU %u", to);
	if (deliver_all(&pa, other, order, 8))
		helper_fail(__LINE__, "INTID 50 delivered to vCPU %u too", other);
}

/*
 * A doorbell of a partition of several vCPUs: its list register asks for no EOI maintenance
 * interrupt (each would cost the peer's CPU a trap per ring), and the next ring refills the
 * entry in place.  Retargeted, the next instance is not held up by the entry the old target
 * still books: the holder is kicked, and its sync hands the instance over, at once if the
 * guest completed the last one, at its EOI (asked for then) if it is still active.
 */
TEST(smp_doorbell_lazy_eoi)
{
	u32 order[8], n;

	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50); /* targeted at vCPU 0 */
	ring(50, 1);
	enter(&pa, 0);
	EXPECT_EQ(lr_value(&pa, 0, 50) & GICH_LR_EOI, 0);
	n = (u32)lr_of(&pa, 0, 50);
	EXPECT_EQ(ack(&pa, 0), 50);
	EOI(&pa, 0, 50);
	EXPECT(!fake_maintenance(pcpu_of(&pa, 0)));
	ring(50, 1);
	enter(&pa, 0);
	EXPECT_EQ(lr_of(&pa, 0, 50), (int)n); /* the same entry, refilled */
	EXPECT_EQ(deliver_all(&pa, 0, order, 8), 1);
	/* Completed on vCPU 0, moved to vCPU 1: vCPU 0 is kicked and hands the ring over. */
	move_and_ring(1, 0);
	enter(&pa, 0);
	delivered_once(1, 0);
	/* Active on vCPU 1, moved back to vCPU 0 and rung: delivered there at vCPU 1's EOI. */
	ring(50, 1);
	enter(&pa, 1);
	EXPECT_EQ(ack(&pa, 1), 50);
	move_and_ring(0, 1);
	enter(&pa, 1);
	EXPECT(lr_value(&pa, 1, 50) & GICH_LR_EOI);
	EXPECT_EQ(deliver_all(&pa, 0, order, 8), 0); /* not while vCPU 1 handles the last */
	EOI(&pa, 1, 50);
	EXPECT(fake_maintenance(pcpu_of(&pa, 1)));
	enter(&pa, 1);
	delivered_once(0, 1);
	DONE();
}

/*
 * Issue 14 defect 9: a passthrough SPI retargeted to another vCPU after its
 * EOI: the next instance reaches the new vCPU although the old one had not
 * synced its list registers (no maintenance for an HW entry, and the timer
 * fast path does not sync): the old one is kicked, and its sync hands the
 * interrupt on, with no other event needed.
 */
static void hw_arrives_moved(struct part *p, u32 from, u32 to, u32 intid)
{
	fake_clear_kicks();
	hw_arrives(p, to, intid);
	if (!fake_kicks(pcpu_of(p, from)))
		helper_fail(__LINE__, "vCPU %u holding INTID %u's last LR not kicked", from, intid);
	enter(p, from);
	enter(p, to);
}

TEST(passthrough_retarget_after_eoi)
{
	u32 iar;

	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 40);
	hw_arrives(&pa, 0, 40);
	iar = ack(&pa, 0);
	EXPECT_EQ(iar, 40);
	EOI(&pa, 0, iar);
	EXPECT(!fake_phys(2, 40)->active);
	WR8(1, GICD_ITARGETSR + 40, 0x02);
	EXPECT_EQ(fake_phys(3, 40)->route, 3);
	hw_arrives_moved(&pa, 0, 1, 40);
	EXPECT(listed(&pa, 1, 40));
	iar = ack(&pa, 1);
	EXPECT_EQ(iar, 40);
	EOI(&pa, 1, iar);
	/* And back, still with neither vCPU having synced since. */
	WR8(0, GICD_ITARGETSR + 40, 0x01);
	hw_arrives_moved(&pa, 1, 0, 40);
	EXPECT(listed(&pa, 0, 40));
	EXPECT_EQ(ack(&pa, 0), 40);
	EOI(&pa, 0, 40);
	enter(&pa, 0);
	enter(&pa, 1);
	EXPECT(!listed(&pa, 0, 40) && !listed(&pa, 1, 40));
	EXPECT(!fake_phys(2, 40)->active);
	DONE();
}

/*
 * A passthrough SPI's next instance goes back into the list register its last one used, which
 * the guest's EOI emptied, without the partition's lock and without writing the SPI's shared
 * flags; one the vCPU saw active (VIRQ_ACTIVE) takes the locked path, which clears it.
 */
TEST(passthrough_refill_lock_free)
{
	u32 next, flags;
	int n;

	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 40);
	hw_arrives(&pa, 0, 40);
	n = lr_of(&pa, 0, 40);
	EXPECT(n >= 0);
	EXPECT_EQ(ack(&pa, 0), 40);
	EOI(&pa, 0, 40);
	EXPECT(!listed(&pa, 0, 40));
	next = pa.d.lock.next;
	flags = pa.d.spi[40 - GIC_PRIV_COUNT].flags;
	hw_arrives(&pa, 0, 40);
	EXPECT_EQ(pa.d.lock.next, next); /* no lock */
	EXPECT_EQ(pa.d.spi[40 - GIC_PRIV_COUNT].flags, flags);
	EXPECT_EQ(lr_of(&pa, 0, 40), n);
	EXPECT(FAKE_LR_HW(lr_value(&pa, 0, 40)));
	EXPECT_EQ(FAKE_LR_STATE(lr_value(&pa, 0, 40)), FAKE_ST_PENDING);
	/* Active when the vCPU synced: the locked path refills it and clears VIRQ_ACTIVE. */
	EXPECT_EQ(ack(&pa, 0), 40);
	pa.vc[0].dirty = true;
	enter(&pa, 0);
	EXPECT(pa.d.spi[40 - GIC_PRIV_COUNT].flags & VIRQ_ACTIVE);
	EOI(&pa, 0, 40);
	next = pa.d.lock.next;
	hw_arrives(&pa, 0, 40);
	EXPECT(pa.d.lock.next != next);
	EXPECT(!(pa.d.spi[40 - GIC_PRIV_COUNT].flags & VIRQ_ACTIVE));
	EXPECT_EQ(lr_of(&pa, 0, 40), n);
	EXPECT_EQ(ack(&pa, 0), 40);
	EOI(&pa, 0, 40);
	/* Disabled meanwhile by the other vCPU: not refilled, pending instead. */
	WR(1, reg_of(GICD_ICENABLER, 40), 1U << (40 % 32));
	hw_arrives(&pa, 0, 40);
	EXPECT(!listed(&pa, 0, 40));
	DONE();
}

/*
 * In a partition of one vCPU a doorbell is placed by its IPI's drain without the lock; in one
 * of two the lock is taken.  Either way it reaches the guest once.
 */
TEST(doorbell_one_vcpu_lock_free)
{
	u32 next;

	start(&L1, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50);
	enter(&pa, 0); /* the flush vgic_cpu_reset asked for */
	next = pa.d.lock.next;
	fake_set_cpu(0); /* rung from another partition's CPU */
	vgic_raise(&pa.d, 50);
	EXPECT(enter(&pa, 0));
	EXPECT_EQ(pa.d.lock.next, next);
	EXPECT(listed(&pa, 0, 50));
	EXPECT_EQ(ack(&pa, 0), 50);
	EOI(&pa, 0, 50);
	/* Again, into the list register its last ring used. */
	fake_set_cpu(0); /* rung from another partition's CPU */
	vgic_raise(&pa.d, 50);
	EXPECT(enter(&pa, 0));
	EXPECT_EQ(pa.d.lock.next, next);
	EXPECT_EQ(ack(&pa, 0), 50);
	EOI(&pa, 0, 50);
	EXPECT_EQ(ack(&pa, 0), FAKE_SPURIOUS);

	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50);
	enter(&pa, 0);
	next = pa.d.lock.next;
	fake_set_cpu(0); /* rung from another partition's CPU */
	vgic_raise(&pa.d, 50);
	EXPECT(enter(&pa, 0));
	EXPECT(pa.d.lock.next != next);
	EXPECT_EQ(ack(&pa, 0), 50);
	EOI(&pa, 0, 50);
	DONE();
}

/*
 * Issue 14 defect 10: CPU_OFF then CPU_ON.  The vCPU's banked interrupts start
 * as a fresh vCPU's: its timers read disabled (they are off physically), and
 * enabling one again delivers it.
 */
TEST(cpu_off_on_fresh_private_state)
{
	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 27);
	enable(&pa, 1, 27);
	set_prio(&pa, 1, 27, 0x40);
	EXPECT(bit_read(&pa, 1, GICD_ISENABLER, 27));
	EXPECT(fake_phys(3, 27)->enabled);
	fake_set_cpu(3);
	vgic_cpu_stop(&pa.d, &pa.vc[1]);
	EXPECT(!fake_phys(3, 27)->enabled);
	vgic_cpu_reset(&pa.d, &pa.vc[1]);
	EXPECT(!bit_read(&pa, 1, GICD_ISENABLER, 27));
	EXPECT_EQ(RD8(1, GICD_IPRIORITYR + 27), 0);
	EXPECT(bit_read(&pa, 0, GICD_ISENABLER, 27)); /* vCPU 0's own copy is untouched */
	enable(&pa, 1, 27);
	EXPECT(fake_phys(3, 27)->enabled);
	hw_arrives(&pa, 1, 27);
	EXPECT_EQ(ack(&pa, 1), 27);
	EOI(&pa, 1, 27);
	DONE();
}

/* The partition stops: its passthrough SPIs are disabled, not pending, not active. */
TEST(dist_stop)
{
	start(&L1, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 40);
	enable(&pa, 0, 41);
	hw_arrives(&pa, 0, 40);
	fake_set_cpu(1);
	vgic_dist_stop(&pa.d);
	EXPECT(!fake_phys(1, 40)->enabled && !fake_phys(1, 40)->active);
	EXPECT(!fake_phys(1, 41)->enabled && !fake_phys(1, 41)->pending);
	EXPECT_EQ(fake_ops_on(50), 0);
	DONE();
}

/* ============================================================================= */
/* Randomised: the injection engine against a reference model                    */
/* ============================================================================= */

/*
 * Partition L1 (one vCPU on CPU 1).  The model keeps, per interrupt, the GIC
 * state machine of 3.2.4 (pending, active) and what the guest configured.
 * Edges coalesce while pending; a level interrupt is pending while its line
 * is high.  Checked after every step:
 *  - the fake saw no GICH misuse (never two LRs for one non-SGI INTID, nor
 *    for one SGI and source; no active LR lost);
 *  - every listed entry matches the model, every active interrupt is listed;
 *  - a physical interrupt is active in the physical GIC exactly while the
 *    model has it pending or active (the guest's EOI deactivated it);
 *  - after a flush: whatever deliverable interrupt waits outside the LRs has
 *    no free LR and no pending-only LR of lower priority (the LRs hold the
 *    highest pending), and the underflow maintenance is requested exactly
 *    when something waits (with a single LR it may not be: it would fire at
 *    once, see no_maintenance_storm; the drain then stands in a periodic
 *    exit, the hypervisor's tick);
 *  - the guest only ever takes an interrupt the model has pending (exactly
 *    once per accepted edge), and a drain at the end delivers everything.
 * An interrupt that was listed and then disabled (or its line dropped) may
 * still be taken once: the architecture lets an interrupt already forwarded
 * to the CPU interface be acknowledged.  An edge that arrives while its
 * interrupt sits pending in a list register may be delivered once more (the
 * hypervisor cannot tell whether the guest acknowledged before or after it;
 * KVM/ARM behaves the same): that extra delivery is allowed, not required.
 */
enum r_kind { R_SGI, R_HW, R_LEVEL, R_EDGE };

#define R_PCPU 1
#define R_UART 33

static const u32 r_ids_all[] = { 0, 1, 2, 3, 27, 33, 40, 41, 50, 51, 52, 53, 54, 55, 56, 57 };

struct rmodel {
	u32 round, step; /* kept across rounds: everything from 'ids' on is cleared */
	char trace[8][48];
	u32 trace_n;
	const u32 *ids;
	u32 id_count;
	bool pending[VGIC_MAX_IRQS];
	bool active[VGIC_MAX_IRQS];
	bool enabled[VGIC_MAX_IRQS];
	bool group1[VGIC_MAX_IRQS];
	bool tolerated[VGIC_MAX_IRQS];
	bool late[VGIC_MAX_IRQS]; /* an edge came while listed pending */
	bool optional[VGIC_MAX_IRQS]; /* ... so one more delivery is allowed */
	u32 extra[VGIC_MAX_IRQS]; /* deliveries of that kind */
	u8 prio[VGIC_MAX_IRQS];
	u32 accepted[VGIC_MAX_IRQS];
	u32 delivered[VGIC_MAX_IRQS];
	u32 ctlr;
	bool line;
	u32 stack[FAKE_LR_MAX + 8];
	u32 depth;
};

static struct rmodel M;
static u32 rng_state;

static u32 rnd(u32 n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state % n;
}

static void r_trace(const char *fmt, u32 a, u32 b)
{
	snprintf(M.trace[M.trace_n++ % 8], sizeof(M.trace[0]), fmt, a, b);
}

static void r_fail(const char *fmt, u32 a, u32 b, u32 c)
{
	char what[128], last[8 * 50 + 16 * 16] = "";
	u32 i;

	snprintf(what, sizeof(what), fmt, a, b, c);
	for (i = M.trace_n > 8 ? M.trace_n - 8 : 0; i < M.trace_n; i++) {
		strcat(last, M.trace[i % 8]);
		strcat(last, "; ");
	}
	for (i = 0; i < fake_lr_count(R_PCPU); i++)
		snprintf(last + strlen(last), sizeof(last) - strlen(last), "LR%u=%08x ", i,
			 fake_lr(R_PCPU, i));
	helper_fail(0, "round %u (%u LRs) step %u: %s [last: %s]", M.round, fake_lr_count(R_PCPU),
		    M.step, what, last);
}

static enum r_kind r_kind(u32 id)
{
	if (id < GIC_SGI_COUNT)
		return R_SGI;
	if (id == 27 || id == 40 || id == 41)
		return R_HW;
	return id == R_UART ? R_LEVEL : R_EDGE;
}

static bool r_deliverable(u32 id)
{
	return (id < GIC_SGI_COUNT || M.enabled[id]) && (M.ctlr & (M.group1[id] ? 2U : 1U));
}

/* The LR state of 'id' (SGIs: from source 0), 0 if not listed. */
static u32 r_lr_state(u32 id)
{
	int n = fake_find_lr(R_PCPU, id, id < GIC_SGI_COUNT ? 0 : -1);

	return n < 0 ? 0 : FAKE_LR_STATE(fake_lr(R_PCPU, (u32)n));
}

/*
 * Its list register holds it pending, or active with a doorbell edge deferred
 * to the guest's EOI (an LR with the EOI maintenance bit, see lr_merge): the
 * hypervisor delivers that one at the EOI, where an active+pending LR would
 * deliver it too.
 */
static bool r_lr_pending(u32 id)
{
	int n = fake_find_lr(R_PCPU, id, id < GIC_SGI_COUNT ? 0 : -1);
	u32 lr;

	if (n < 0)
		return false;
	lr = fake_lr(R_PCPU, (u32)n);
	return (FAKE_LR_STATE(lr) & FAKE_ST_PENDING) || (r_kind(id) == R_EDGE && FAKE_LR_EOI(lr));
}

/* The model wants it delivered: pending (edges), line high and not being handled (level). */
static bool r_wants(u32 id)
{
	if (r_kind(id) == R_LEVEL)
		return M.line && !M.active[id];
	return M.pending[id];
}

/* The model cannot say whether it still waits: only an optional or a tolerated delivery is left. */
static bool r_unsure(u32 id)
{
	return (M.optional[id] || M.tolerated[id]) && !r_wants(id);
}

static bool r_deliverable_snapshot[VGIC_MAX_IRQS];

static void r_snapshot(void)
{
	u32 i;

	for (i = 0; i < M.id_count; i++)
		r_deliverable_snapshot[M.ids[i]] = r_deliverable(M.ids[i]);
}

/* Listed with the pending bit and no longer deliverable: may still be taken once. */
static void r_tolerate(void)
{
	u32 i;

	for (i = 0; i < M.id_count; i++) {
		u32 id = M.ids[i];

		if ((r_lr_state(id) & FAKE_ST_PENDING) &&
		    ((r_deliverable_snapshot[id] && !r_deliverable(id)) ||
		     (r_kind(id) == R_LEVEL && !M.line)))
			M.tolerated[id] = true;
	}
}

static bool r_known(u32 id)
{
	u32 i;

	for (i = 0; i < M.id_count; i++)
		if (M.ids[i] == id)
			return true;
	return false;
}

static void r_check(bool flushed)
{
	u32 i, n, lrs = fake_lr_count(R_PCPU), valid = lrs - fake_lrs_in_state(R_PCPU, 0);
	bool waits = false, unsure = false;

	if (fake_errors()) {
		r_fail("GICH misuse", 0, 0, 0);
		snprintf(helper_msg + strlen(helper_msg), sizeof(helper_msg) - strlen(helper_msg),
			 " %s", fake_last_error());
		return;
	}
	for (n = 0; n < lrs; n++) {
		u32 lr = fake_lr(R_PCPU, n), id = FAKE_LR_VID(lr), st = FAKE_LR_STATE(lr);

		if (st == 0)
			continue;
		if (!r_known(id)) {
			r_fail("LR%u holds INTID %u", n, id, 0);
			return;
		}
		if ((st & FAKE_ST_ACTIVE) && !M.active[id]) {
			r_fail("LR%u: INTID %u active, the guest has not taken it", n, id, 0);
			return;
		}
		if ((st & FAKE_ST_PENDING) && !r_wants(id) && !M.tolerated[id] && !M.optional[id] &&
		    !(r_kind(id) == R_LEVEL && M.line)) {
			r_fail("LR%u: INTID %u pending, the model has it not pending", n, id, 0);
			return;
		}
	}
	for (i = 0; i < M.id_count; i++) {
		u32 id = M.ids[i];

		if (M.active[id] && !(r_lr_state(id) & FAKE_ST_ACTIVE)) {
			r_fail("INTID %u active in the guest, no LR says so", id, 0, 0);
			return;
		}
		if (r_kind(id) == R_HW &&
		    fake_phys(R_PCPU, id)->active != (M.pending[id] || M.active[id])) {
			r_fail("physical INTID %u active %u, model pending or active %u", id,
			       fake_phys(R_PCPU, id)->active, M.pending[id] || M.active[id]);
			return;
		}
	}
	if (!flushed)
		return;
	for (i = 0; i < M.id_count; i++) {
		u32 id = M.ids[i];

		if (r_unsure(id) && r_deliverable(id) && !r_lr_pending(id))
			unsure = true;
		if (!r_wants(id) || !r_deliverable(id) || r_lr_pending(id))
			continue;
		waits = true;
		if (valid < lrs) {
			r_fail("INTID %u waits with LRs free (%u of %u in use)", id, valid, lrs);
			return;
		}
		for (n = 0; n < lrs; n++) {
			u32 lr = fake_lr(R_PCPU, n);

			if (FAKE_LR_STATE(lr) == FAKE_ST_PENDING &&
			    FAKE_LR_PRIO(lr) > M.prio[id] >> 3) {
				r_fail("INTID %u (priority 0x%x) waits while LR%u holds a lower one",
				       id, M.prio[id], n);
				return;
			}
		}
	}
	if (fake_uie(R_PCPU) != waits && !(unsure && !waits) && !(waits && lrs == 1))
		r_fail("underflow maintenance %u, something waits %u", fake_uie(R_PCPU), waits, 0);
}

static void r_ack(void)
{
	u32 iar = ack(&pa, 0), id = iar & 0x3ff;

	r_trace("ack %u", iar, 0);
	if (iar == FAKE_SPURIOUS)
		return;
	if (!r_known(id) || (iar >> 10) != 0) {
		r_fail("guest took 0x%x", iar, 0, 0);
		return;
	}
	if (r_kind(id) != R_LEVEL && !M.pending[id] && M.optional[id]) {
		M.optional[id] = false;
		M.extra[id]++;
	} else if (r_kind(id) == R_LEVEL ? !(M.line || M.tolerated[id]) : !M.pending[id]) {
		r_fail("guest took INTID %u, not pending in the model (delivered %u, accepted %u)",
		       id, M.delivered[id], M.accepted[id]);
		return;
	}
	if (!r_deliverable(id) && !M.tolerated[id]) {
		r_fail("guest took INTID %u, disabled or its group disabled", id, 0, 0);
		return;
	}
	if (M.pending[id] && M.late[id])
		M.optional[id] = true;
	M.late[id] = false;
	M.pending[id] = false;
	M.active[id] = true;
	M.tolerated[id] = false;
	M.delivered[id]++;
	M.stack[M.depth++] = iar;
}

static void r_eoi(void)
{
	u32 iar;

	if (!M.depth)
		return;
	iar = M.stack[--M.depth];
	r_trace("eoi %u", iar, 0);
	EOI(&pa, 0, iar);
	M.active[iar & 0x3ff] = false;
}

static void r_edge(u32 id)
{
	if (!M.pending[id]) {
		M.pending[id] = true;
		M.accepted[id]++;
	} else if (r_lr_state(id) & FAKE_ST_PENDING) {
		M.late[id] = true;
	}
}

static void r_step(void)
{
	u32 op = rnd(100), id = M.ids[rnd(M.id_count)];
	bool flushed = false;

	r_snapshot();
	if (op < 18) {
		u32 db = 50 + rnd(8);

		r_trace("raise %u", db, 0);
		r_edge(db);
		if (rnd(4))
			vgic_raise(&pa.d, db);
		else
			bit_write(&pa, 0, GICD_ISPENDR, db);
	} else if (op < 24) {
		if (r_kind(id) == R_SGI) {
			r_trace("sgi %u", id, 0);
			r_edge(id);
			WR(0, GICD_SGIR, sgir(GICD_SGIR_FILTER_SELF, 0, id));
		}
	} else if (op < 30) {
		if (r_kind(id) == R_HW && fake_phys(R_PCPU, id)->enabled &&
		    !fake_phys(R_PCPU, id)->active) {
			r_trace("hw %u", id, 0);
			r_edge(id);
			hw_arrives(&pa, 0, id);
			/*
			 * The injection's fast path places only this instance; a maintenance
			 * interrupt already asserted (an EOI that hands a deferred edge on) is
			 * taken next, at the next 'enter', before the guest runs on.
			 */
			flushed = !fake_maintenance(R_PCPU);
		}
	} else if (op < 34) {
		M.line = !M.line;
		r_trace("line %u", M.line, 0);
		vgic_set_line(&pa.d, R_UART, M.line);
	} else if (op < 40) {
		if (id >= GIC_SGI_COUNT) {
			M.enabled[id] = rnd(3) != 0;
			r_trace("enable %u %u", id, M.enabled[id]);
			bit_write(&pa, 0, M.enabled[id] ? GICD_ISENABLER : GICD_ICENABLER, id);
		}
	} else if (op < 44) {
		u32 p = rnd(256);

		r_trace("prio %u 0x%x", id, p);
		M.prio[id] = (u8)(p & 0xf8);
		set_prio(&pa, 0, id, p);
	} else if (op < 46) {
		u32 v = RD(0, reg_of(GICD_IGROUPR, id)) ^ bit_of(id);

		M.group1[id] = !M.group1[id];
		r_trace("group %u %u", id, M.group1[id]);
		WR(0, reg_of(GICD_IGROUPR, id), v);
	} else if (op < 48) {
		M.ctlr = rnd(3) ? 3 : rnd(4);
		r_trace("ctlr %u", M.ctlr, 0);
		WR(0, GICD_CTLR, M.ctlr);
	} else if (op < 62) {
		r_trace("enter", 0, 0);
		flushed = enter(&pa, 0);
	} else if (op < 75) {
		r_ack();
	} else if (op < 88) {
		r_eoi();
	} else if (op < 91) {
		static const u32 pmr[] = { 0xff, 0xff, 0x80, 0x40 };
		u32 v = pmr[rnd(4)];

		r_trace("pmr 0x%x", v, 0);
		fake_guest_set_pmr(R_PCPU, v);
	}
	r_tolerate();
	if (!helper_failed)
		r_check(flushed);
}

/* Everything enabled, the line low: the guest takes all that is left, exactly once each. */
static void r_drain(void)
{
	u32 i, iter, idle = 0;

	r_snapshot();
	fake_guest_set_pmr(R_PCPU, 0xff);
	M.ctlr = 3;
	WR(0, GICD_CTLR, 3);
	for (i = 0; i < M.id_count; i++)
		if (M.ids[i] >= GIC_SGI_COUNT) {
			M.enabled[M.ids[i]] = true;
			enable(&pa, 0, M.ids[i]);
		}
	M.line = false;
	vgic_set_line(&pa.d, R_UART, false);
	r_tolerate();
	while (M.depth && !helper_failed)
		r_eoi();
	for (iter = 0; iter < 5000 && idle < 2 && !helper_failed; iter++) {
		bool flushed = enter(&pa, 0);
		u32 before = M.depth;

		if (!flushed && idle == 1 && fake_lr_count(R_PCPU) == 1) {
			/* A periodic exit (the Hyp tick): the vCPU is flushed anyway. */
			vgic_flush(&pa.d, &pa.vc[0]);
			flushed = true;
		}

		r_check(flushed);
		r_ack();
		if (M.depth > before) {
			idle = 0;
			r_eoi();
		} else {
			idle = flushed ? 0 : idle + 1;
		}
	}
	for (i = 0; i < M.id_count && !helper_failed; i++) {
		u32 id = M.ids[i];

		if (r_kind(id) == R_LEVEL)
			continue;
		if (M.pending[id] || M.accepted[id] + M.extra[id] != M.delivered[id])
			r_fail("after the drain INTID %u: %u edges accepted, %u delivered", id,
			       M.accepted[id], M.delivered[id]);
	}
	if (!helper_failed && listed(&pa, 0, R_UART))
		r_fail("after the drain the UART (line low) is still listed", 0, 0, 0);
}

static void r_run(bool with_sgis, u32 seed, u32 rounds, u32 steps)
{
	u32 i;

	rng_state = seed ? seed : 1;
	for (M.round = 0; M.round < rounds && !helper_failed; M.round++) {
		start(&L1, 1 + M.round % 4);
		memset(&M.ids, 0, sizeof(M) - offsetof(struct rmodel, ids));
		M.ids = with_sgis ? r_ids_all : r_ids_all + 4;
		M.id_count = ARRAY_SIZE(r_ids_all) - (with_sgis ? 0 : 4);
		M.ctlr = 3;
		WR(0, GICD_CTLR, 3);
		for (i = 0; i < M.id_count; i++) {
			u32 id = M.ids[i], p = rnd(256);

			M.prio[id] = (u8)(p & 0xf8);
			set_prio(&pa, 0, id, p);
			if (id >= GIC_SGI_COUNT) {
				M.enabled[id] = true;
				enable(&pa, 0, id);
			}
		}
		for (M.step = 0; M.step < steps && !helper_failed; M.step++)
			r_step();
		if (!helper_failed)
			r_drain();
	}
}

static u32 random_seed;

TEST(random_against_model)
{
	helper_failed = 0;
	r_run(false, random_seed, 64, 400);
	DONE();
}

TEST(random_against_model_with_sgis)
{
	helper_failed = 0;
	r_run(true, random_seed ^ 0x5a5a5a5a, 64, 400);
	DONE();
}

/*
 * A vCPU that stops (PSCI CPU_OFF, Linux CPU hotplug) with an emulated SPI pending in one
 * of its list registers must not lose it: the distributor keeps an SPI pending for a CPU
 * interface that is off (GIC spec 3.2.4, 4.3.12), and a level line still asserted stays
 * pending (4.3.8).  vgic_set_line is only called on a change of level: an SPI lost here
 * would leave the UART's line high with nothing pending, its console input dead for good.
 */
TEST(cpu_stop_keeps_listed_spi)
{
	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 33);
	WR8(0, GICD_ITARGETSR + 33, 0x02); /* the UART to vCPU 1 */
	vgic_set_line(&pa.d, 33, true);
	enter(&pa, 1);
	EXPECT(listed(&pa, 1, 33)); /* pending in vCPU 1's LR; its guest has IRQs masked */
	/* Linux's take_cpu_down: migrate the interrupts away, then PSCI CPU_OFF. */
	WR8(1, GICD_ITARGETSR + 33, 0x01);
	fake_set_cpu(pcpu_of(&pa, 1));
	vgic_cpu_stop(&pa.d, &pa.vc[1]);
	enter(&pa, 0);
	EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 33)); /* the line is still high */
	EXPECT_EQ(ack(&pa, 0), 33);
	DONE();
}

/* The same without a retarget: CPU_OFF then CPU_ON, the line still high. */
TEST(cpu_off_on_keeps_level_line)
{
	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 33);
	WR8(0, GICD_ITARGETSR + 33, 0x02);
	vgic_set_line(&pa.d, 33, true);
	enter(&pa, 1);
	EXPECT(listed(&pa, 1, 33));
	fake_set_cpu(pcpu_of(&pa, 1));
	vgic_cpu_stop(&pa.d, &pa.vc[1]);
	vgic_cpu_reset(&pa.d, &pa.vc[1]);
	WR(1, GICD_CTLR, 1);
	enter(&pa, 1);
	EXPECT_EQ(ack(&pa, 1), 33);
	DONE();
}

/* ICACTIVER on the UART's active LR: a level line still high is pending again. */
TEST(icactiver_resamples_level_line)
{
	u32 iar;

	start(&L1, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 33);
	vgic_set_line(&pa.d, 33, true);
	enter(&pa, 0);
	iar = ack(&pa, 0);
	EXPECT_EQ(iar, 33);
	fake_allow_deactivate(pcpu_of(&pa, 0));
	bit_write(&pa, 0, GICD_ICACTIVER, 33); /* deactivated through the distributor */
	enter(&pa, 0);
	EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 33)); /* line high: pending again (4.3.8) */
	DONE();
}

/*
 * A doorbell rung while its target vCPU is off waits in that vCPU's inbox; retargeted to a
 * vCPU that runs, it goes with the SPI (4.3.12: pending in the distributor, forwarded to the
 * new target), not lost until the old target starts again.
 */
TEST(ring_to_off_vcpu_follows_retarget)
{
	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50);
	WR8(0, GICD_ITARGETSR + 50, 0x02);
	fake_set_cpu(pcpu_of(&pa, 1));
	vgic_cpu_stop(&pa.d, &pa.vc[1]);
	vgic_raise(&pa.d, 50);
	WR8(0, GICD_ITARGETSR + 50, 0x01);
	EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 50));
	enter(&pa, 0);
	EXPECT_EQ(ack(&pa, 0), 50);
	DONE();
}

/*
 * GICD_ISACTIVER read on one vCPU for a passthrough SPI another vCPU handled: VIRQ_ACTIVE
 * is "as last seen" by that vCPU's lr_sync, and a HW list register's EOI raises no
 * maintenance interrupt, so it stays 1 after the guest's EOI until that vCPU happens to flush
 * again.  Linux's disable_irq()/free_irq() -> synchronize_irq() -> __synchronize_hardirq()
 * polls IRQCHIP_STATE_ACTIVE (gic_irq_get_irqchip_state: GICD_ISACTIVER) until it reads 0:
 * it spins while the other vCPU idles.  The physical GIC's active bit is exact for HW SPIs.
 */
TEST(isactiver_of_passthrough_held_elsewhere)
{
	u32 iar, i;

	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 40);
	WR8(0, GICD_ITARGETSR + 40, 0x02); /* handled on vCPU 1 */
	WR8(0, GICD_IPRIORITYR + 40, 0xa0);
	WR8(1, GICD_IPRIORITYR + 27, 0x20); /* the tick preempts the SPI's handler */
	enable(&pa, 1, 27);
	hw_arrives(&pa, 1, 27); /* a timer tick: into an LR (locked path) */
	iar = ack(&pa, 1);
	EOI(&pa, 1, iar);
	hw_arrives(&pa, 1, 40); /* first instance: locked path, its sync completes the tick */
	iar = ack(&pa, 1);
	EXPECT_EQ(iar, 40);
	hw_arrives(&pa, 1, 27); /* the next tick while 40 is active: locked path, lr_sync */
	EOI(&pa, 1, ack(&pa, 1)); /* the tick */
	EOI(&pa, 1, iar); /* INTID 40: HW, deactivates the physical SPI, no maintenance */
	EXPECT(!fake_phys(pcpu_of(&pa, 1), 40)->active);
	/* vCPU 1 now idles in WFI (not trapped); vCPU 0 calls disable_irq(40). */
	bit_write(&pa, 0, GICD_ICENABLER, 40);
	for (i = 0; i < 3; i++) {
		enter(&pa, 0);
		EXPECT(!bit_read(&pa, 0, GICD_ISACTIVER, 40));
	}
	DONE();
}

/*
 * An interrupt disabled (GICD_ICENABLER) or whose group is disabled (GICD_CTLR) is not
 * forwarded to the CPU interface (4.3.1, 4.3.5/4.3.6; GICC_IAR returns 1023 when forwarding
 * is disabled, 4.4.4); here one already in a list register as pending stays there and the
 * guest still acknowledges it after it disabled it (KVM retires such entries).
 */
TEST(disable_withdraws_listed_pending)
{
	start(&L1, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50);
	vgic_raise(&pa.d, 50);
	enter(&pa, 0);
	EXPECT(listed(&pa, 0, 50));
	bit_write(&pa, 0, GICD_ICENABLER, 50);
	enter(&pa, 0);
	EXPECT_EQ(ack(&pa, 0), FAKE_SPURIOUS);
	/* Enabled again, it is still pending and is delivered. */
	enable(&pa, 0, 50);
	enter(&pa, 0);
	EXPECT_EQ(ack(&pa, 0), 50);
	DONE();
}

/*
 * One SPI's enable word takes no lock (vgicd_write_spi_enable: the ticket stays where it was)
 * unless something has to follow: an enable of a pending SPI kicks its target, a disable of a
 * listed one takes it back, both under the lock; several SPIs in one word go there too.
 */
TEST(spi_enable_word_lock_free)
{
	u32 tickets;

	start(&L1, 4);
	WR(0, GICD_CTLR, 1);
	tickets = pa.d.lock.tickets;
	enable(&pa, 0, 50);
	bit_write(&pa, 0, GICD_ICENABLER, 50);
	enable(&pa, 0, 51);
	EXPECT_EQ(pa.d.lock.tickets, tickets);
	EXPECT_EQ(RD(0, GICD_ISENABLER + 4), bit_of(51));
	EXPECT_EQ(RD(0, GICD_ICENABLER + 4), bit_of(51));

	vgic_raise(&pa.d, 50); /* disabled: pending, not listed */
	enter(&pa, 0);
	EXPECT(!listed(&pa, 0, 50));
	tickets = pa.d.lock.tickets;
	enable(&pa, 0, 50);
	EXPECT(pa.d.lock.tickets != tickets); /* pending: its target kicked under the lock */
	EXPECT(enter(&pa, 0));
	EXPECT(listed(&pa, 0, 50));
	tickets = pa.d.lock.tickets;
	bit_write(&pa, 0, GICD_ICENABLER, 50); /* listed: taken back */
	EXPECT(pa.d.lock.tickets != tickets);
	EXPECT(!listed(&pa, 0, 50));
	EXPECT(RD(0, GICD_ISPENDR + 4) & bit_of(50));

	tickets = pa.d.lock.tickets;
	WR(0, GICD_ISENABLER + 4, bit_of(50) | bit_of(52));
	EXPECT(pa.d.lock.tickets != tickets);
	EXPECT_EQ(RD(0, GICD_ISENABLER + 4), bit_of(50) | bit_of(51) | bit_of(52));
	enter(&pa, 0);
	EXPECT_EQ(ack(&pa, 0), 50);
	DONE();
}

/*
 * Races of an SPI's lock-free enable word with what another vCPU does at that moment, made
 * deterministic by the fake's list-register hook (the other CPU acts between two steps).
 */
static void disable50_on_vcpu1(void)
{
	bit_write(&pa, 1, GICD_ICENABLER, 50);
}

/*
 * A disable without the lock on vCPU 1 while vCPU 0's flush, which read the doorbell enabled,
 * is placing it: the disable found no list register booked yet, so the placement looks at
 * the enable again (lr_recheck_enable) and takes it back.  Before: listed while disabled,
 * with nothing to bring vCPU 0 back, and acknowledged after the disable had completed.
 */
TEST(spi_disable_races_placement)
{
	start(&L2, 1);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50);
	enable(&pa, 0, 51);
	set_prio(&pa, 0, 50, 0x10);
	set_prio(&pa, 0, 51, 0xf0);
	fake_set_cpu(0);
	vgic_raise(&pa.d, 51);
	enter(&pa, 0);
	EXPECT(listed(&pa, 0, 51));
	fake_set_cpu(0);
	vgic_raise(&pa.d, 50);
	fake_read_lr_hook = disable50_on_vcpu1;
	fake_read_lr_hook_at = 2; /* lr_sync's read, then the eviction's search */
	fake_set_cpu(pcpu_of(&pa, 0));
	EXPECT(fake_take_ipi(pcpu_of(&pa, 0)));
	vgic_inbox_drain(&pa.vc[0]);
	EXPECT(fake_read_lr_hook == 0);
	EXPECT(!bit_read(&pa, 0, GICD_ISENABLER, 50));
	EXPECT(!listed(&pa, 0, 50));
	EXPECT(ack(&pa, 0) != 50);
	EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 50)); /* still pending, in software */
	DONE();
}

static void enable50_on_vcpu0(void)
{
	enable(&pa, 0, 50);
}

/*
 * A lock-free enable on vCPU 0 while vCPU 1's locked disable takes the doorbell back from its
 * list register: the enable found it not yet pending, so the eviction looks at the enable
 * again (lr_undeliverable) and vCPU 1 flushes.  Before: enabled and pending, never
 * delivered.
 */
TEST(spi_enable_races_withdraw)
{
	u32 iar;

	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50);
	WR8(0, GICD_ITARGETSR + 50, 2);
	fake_set_cpu(0);
	vgic_raise(&pa.d, 50);
	enter(&pa, 1);
	EXPECT(listed(&pa, 1, 50));
	fake_read_lr_hook = enable50_on_vcpu0;
	fake_read_lr_hook_at = 1; /* vgic_lr_withdraw's read of the list register */
	bit_write(&pa, 1, GICD_ICENABLER, 50);
	EXPECT(fake_read_lr_hook == 0);
	EXPECT(bit_read(&pa, 0, GICD_ISENABLER, 50)); /* the enable came last */
	enter(&pa, 0);
	enter(&pa, 1);
	iar = ack(&pa, 1);
	if (iar == FAKE_SPURIOUS) {
		enter(&pa, 0);
		iar = ack(&pa, 0);
	}
	EXPECT_EQ(iar & 0x3ff, 50);
	DONE();
}

/*
 * An SPI taken back from vCPU 0's list register after a retarget to vCPU 1 waits in vCPU 0's
 * map; enabled again, the vCPU whose map holds it is kicked, not only its target.
 */
TEST(spi_enable_kicks_the_holder)
{
	u32 iar;

	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50);
	fake_set_cpu(0);
	vgic_raise(&pa.d, 50);
	enter(&pa, 0);
	EXPECT(listed(&pa, 0, 50));
	WR8(1, GICD_ITARGETSR + 50, 2);
	bit_write(&pa, 1, GICD_ICENABLER, 50);
	enter(&pa, 0); /* kicked: the entry goes back to pending, in vCPU 0's map */
	EXPECT(!listed(&pa, 0, 50));
	enable(&pa, 1, 50);
	enter(&pa, 1);
	enter(&pa, 0);
	iar = ack(&pa, 1);
	if (iar == FAKE_SPURIOUS)
		iar = ack(&pa, 0);
	EXPECT_EQ(iar & 0x3ff, 50);
	DONE();
}

/*
 * A disable without the lock on vCPU 1 that read irq->lr before vCPU 0's booking became
 * visible (the fake hides the booking for that moment), then an enable on vCPU 1 while vCPU 0
 * takes the SPI back (lr_recheck_enable): the enable found it not yet pending again, so the
 * taking back looks once more and vCPU 0 flushes.  Before: enabled and pending, never
 * delivered.  Through the general flush (the UART's level SPI 33) and a doorbell's placement.
 */
static u32 race_intid;

static void race_enable_on_vcpu1(void)
{
	enable(&pa, 1, race_intid);
}

static void race_disable_on_vcpu1_before_booking(void)
{
	struct virq *irq = &pa.d.spi[race_intid - GIC_PRIV_COUNT];
	u8 booked = irq->lr;

	irq->lr = 0;
	bit_write(&pa, 1, GICD_ICENABLER, race_intid);
	irq->lr = booked;
	fake_write_lr_hook = race_enable_on_vcpu1;
	fake_write_lr_hook_at = 1; /* the taking back's write of the list register */
}

static void expect_delivered_after_race(u32 intid)
{
	u32 iar;

	EXPECT(bit_read(&pa, 1, GICD_ISENABLER, intid));
	enter(&pa, 0);
	enter(&pa, 1);
	iar = ack(&pa, 0);
	if (iar == FAKE_SPURIOUS)
		iar = ack(&pa, 1);
	EXPECT_EQ(iar & 0x3ff, intid);
}

TEST(spi_recheck_then_enable_flush)
{
	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 33);
	enter(&pa, 0);
	enter(&pa, 1);
	race_intid = 33;
	vgic_set_line(&pa.d, 33, true);
	fake_write_lr_hook = race_disable_on_vcpu1_before_booking;
	fake_write_lr_hook_at = 1;
	EXPECT(enter(&pa, 0));
	EXPECT(fake_write_lr_hook == 0);
	expect_delivered_after_race(33);
	DONE();
}

TEST(spi_recheck_then_enable_doorbell)
{
	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50);
	enter(&pa, 0);
	enter(&pa, 1);
	race_intid = 50;
	fake_set_cpu(0);
	vgic_raise(&pa.d, 50);
	fake_write_lr_hook = race_disable_on_vcpu1_before_booking;
	fake_write_lr_hook_at = 1;
	EXPECT(enter(&pa, 0));
	EXPECT(fake_write_lr_hook == 0);
	expect_delivered_after_race(50);
	DONE();
}

/* A partition of two vCPUs whose vCPU 0 holds doorbell 50 active and pending (rung twice). */
static void active_pending_on_vcpu0(void)
{
	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50); /* targeted at vCPU 0 */
	ring(50, 1);
	enter(&pa, 0);
	EXPECT_EQ(ack(&pa, 0), 50);
	ring(50, 1);
	enter(&pa, 0);
	EXPECT_EQ(FAKE_LR_STATE(lr_value(&pa, 0, 50)), FAKE_ST_PENDING_ACTIVE);
}

/*
 * GIC spec 4.3.5: a disabled interrupt is not forwarded.  A doorbell rung again while the guest
 * handles it is active and pending in its list register (lr_merge); disabled then, by its own
 * vCPU or another, its pending state leaves the list register and waits in software, so the
 * guest's EOI does not hand it over; enabled again, it is delivered once.
 */
TEST(disable_keeps_active_pending_back)
{
	u32 who;

	for (who = 0; who < 2; who++) {
		active_pending_on_vcpu0();
		bit_write(&pa, who, GICD_ICENABLER, 50);
		enter(&pa, 0); /* vCPU 1's disable kicked it */
		EXPECT_EQ(FAKE_LR_STATE(lr_value(&pa, 0, 50)), FAKE_ST_ACTIVE);
		EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 50)); /* pending, in software */
		EXPECT(bit_read(&pa, 0, GICD_ISACTIVER, 50));
		EOI(&pa, 0, 50);
		enter(&pa, 0);
		EXPECT_EQ(ack(&pa, 0), FAKE_SPURIOUS);
		EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 50));
		enable(&pa, who, 50);
		enter(&pa, 0);
		EXPECT_EQ(ack(&pa, 0), 50);
		EOI(&pa, 0, 50);
		enter(&pa, 0);
		EXPECT_EQ(ack(&pa, 0), FAKE_SPURIOUS);
		DONE();
	}
}

/*
 * A passthrough SPI handled on vCPU 1 (its state synced while active: a timer tick during its
 * handler), EOId (HW: no maintenance), then vCPU 1 CPU_OFF and CPU_ON.  GIC spec 4.3.9:
 * ISACTIVER reads the active state, and the interrupt is inactive (deactivated in the GIC), so
 * Linux's synchronize_irq (disable_irq) on vCPU 1, which polls ISACTIVER, reads 0.
 */
TEST(cpu_off_on_clears_passthrough_active)
{
	u32 iar;

	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 40);
	WR8(0, GICD_ITARGETSR + 40, 0x02); /* handled on vCPU 1 */
	WR8(0, GICD_IPRIORITYR + 40, 0xa0);
	WR8(1, GICD_IPRIORITYR + 27, 0x20);
	enable(&pa, 1, 27);
	hw_arrives(&pa, 1, 40);
	iar = ack(&pa, 1);
	EXPECT_EQ(iar, 40);
	hw_arrives(&pa, 1, 27); /* a tick while 40 is active: locked path, lr_sync */
	EOI(&pa, 1, ack(&pa, 1));
	EOI(&pa, 1, iar); /* deactivates the physical SPI, no maintenance */
	EXPECT(!fake_phys(pcpu_of(&pa, 1), 40)->active);
	fake_set_cpu(pcpu_of(&pa, 1));
	vgic_cpu_stop(&pa.d, &pa.vc[1]); /* PSCI CPU_OFF */
	vgic_cpu_reset(&pa.d, &pa.vc[1]); /* PSCI CPU_ON */
	enter(&pa, 1);
	bit_write(&pa, 1, GICD_ICENABLER, 40); /* disable_irq(40) on vCPU 1 */
	EXPECT(!bit_read(&pa, 1, GICD_ISACTIVER, 40));
	DONE();
}

/*
 * GIC spec 4.3.1: with GICD_CTLR.EnableGrp0 = 0 pending group 0 interrupts are not forwarded
 * (GICC_IAR reads 1023, 4.4.4): listed, unacknowledged, an SPI and an SGI are both taken back.
 */
TEST(group_off_takes_back_listed_sgi)
{
	u32 iar;

	start(&L1, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50);
	vgic_raise(&pa.d, 50);
	enter(&pa, 0);
	WR(0, GICD_SGIR, sgir(GICD_SGIR_FILTER_SELF, 0, 1));
	enter(&pa, 0);
	EXPECT(listed(&pa, 0, 50) && listed(&pa, 0, 1)); /* both pending, not acknowledged */
	WR(0, GICD_CTLR, 0); /* Linux's gic_dist_init / a cpu-pm save: distributor off */
	enter(&pa, 0);
	EXPECT(!listed(&pa, 0, 50) && !listed(&pa, 0, 1));
	EXPECT_EQ(ack(&pa, 0), FAKE_SPURIOUS);
	EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 1)); /* still pending, in software */
	WR(0, GICD_CTLR, 1);
	enter(&pa, 0);
	iar = ack(&pa, 0);
	EXPECT_EQ(iar & 0x3ff, 1); /* SGI 1 first (INTID order at equal priority) */
	EOI(&pa, 0, iar);
	EXPECT_EQ(ack(&pa, 0), 50);
	DONE();
}

/*
 * GIC spec 4.3.4 with 4.3.1: an interrupt moved (GICD_IGROUPR) into a group that is off is not
 * forwarded; moved back, it is, with its group's bit in the list register.
 */
TEST(igroupr_takes_back_listed)
{
	start(&L1, 4);
	WR(0, GICD_CTLR, 1); /* group 0 only */
	enable(&pa, 0, 50);
	vgic_raise(&pa.d, 50);
	enter(&pa, 0);
	EXPECT(listed(&pa, 0, 50));
	bit_write(&pa, 0, GICD_IGROUPR, 50); /* now group 1, which is off */
	enter(&pa, 0);
	EXPECT_EQ(ack(&pa, 0), FAKE_SPURIOUS);
	WR(0, GICD_CTLR, 3);
	enter(&pa, 0);
	EXPECT(lr_value(&pa, 0, 50) & GICH_LR_GRP1);
	EXPECT_EQ(ack(&pa, 0), 50);
	DONE();
}

/*
 * A ring (vgic_raise, no lock) reads the target, vCPU 1; before it posts, vCPU 1 moves the
 * doorbell to vCPU 0 (Linux's take_cpu_down migrates IRQs) and switches itself off (PSCI
 * CPU_OFF: vgic_cpu_stop).  The post lands in the inbox of vCPU 1, which is off, and its IPI
 * wakes vCPU 1's CPU, whose idle loop hands the ring to vCPU 0 (vgic_inbox_parked).  GIC spec
 * 3.2.4 and 4.3.12: a pending SPI is forwarded to its target.
 */
static void retarget50_then_cpu_off_vcpu1(void)
{
	WR8(1, GICD_ITARGETSR + 50, 0x01);
	fake_set_cpu(pcpu_of(&pa, 1));
	vgic_cpu_stop(&pa.d, &pa.vc[1]);
}

TEST(ring_races_retarget_and_cpu_off)
{
	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50);
	WR8(0, GICD_ITARGETSR + 50, 0x02); /* to vCPU 1 */
	enter(&pa, 0);
	enter(&pa, 1);
	fake_this_pcpu_hook = retarget50_then_cpu_off_vcpu1;
	fake_this_pcpu_hook_at = 1; /* vgic_raise: after the target's read, before the post */
	fake_set_cpu(0);
	vgic_raise(&pa.d, 50);
	EXPECT(fake_this_pcpu_hook == 0);
	EXPECT(fake_take_ipi(pcpu_of(&pa, 1)));
	fake_set_cpu(pcpu_of(&pa, 1)); /* its idle loop, woken by the IPI */
	vgic_inbox_parked(&pa.d, &pa.vc[1]);
	EXPECT(bit_read(&pa, 0, GICD_ISPENDR, 50)); /* pending, for vCPU 0 */
	enter(&pa, 0);
	EXPECT_EQ(ack(&pa, 0), 50);
	/* A ring to a vCPU that is off and still its target waits for its CPU_ON. */
	WR8(0, GICD_ITARGETSR + 51, 0x02);
	enable(&pa, 0, 51);
	fake_set_cpu(0);
	vgic_raise(&pa.d, 51);
	fake_set_cpu(pcpu_of(&pa, 1));
	vgic_inbox_parked(&pa.d, &pa.vc[1]);
	vgic_cpu_reset(&pa.d, &pa.vc[1]);
	enter(&pa, 1);
	EXPECT_EQ(ack(&pa, 1), 51);
	DONE();
}

/*
 * Doorbell 50 active and pending in vCPU 0's list register (rung twice), moved to vCPU 1,
 * disabled by vCPU 1: vCPU 0's sync takes the pending state back, and at the guest's EOI it
 * goes to its target, vCPU 1, in one map only.  Enabled again, it is delivered once (GIC spec
 * 3.2.4: an edge while pending is one pending state).
 */
TEST(disable_active_pending_after_retarget_once)
{
	u32 order[8], n0, n1, i, count50 = 0;

	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50); /* targeted at vCPU 0 */
	enable(&pa, 0, 33);
	ring(50, 1);
	enter(&pa, 0);
	EXPECT_EQ(ack(&pa, 0), 50); /* first ring: delivery 1 */
	ring(50, 1);
	enter(&pa, 0);
	EXPECT_EQ(FAKE_LR_STATE(lr_value(&pa, 0, 50)), FAKE_ST_PENDING_ACTIVE);
	WR8(1, GICD_ITARGETSR + 50, 0x02); /* to vCPU 1 */
	bit_write(&pa, 1, GICD_ICENABLER, 50);
	enter(&pa, 0); /* kicked: pending state back to software */
	EXPECT_EQ(FAKE_LR_STATE(lr_value(&pa, 0, 50)), FAKE_ST_ACTIVE);
	EOI(&pa, 0, 50);
	enter(&pa, 0); /* EOI maintenance: lr_complete */
	enable(&pa, 1, 50);
	n1 = deliver_all(&pa, 1, order, 8);
	for (i = 0; i < n1 && i < 8; i++)
		count50 += (order[i] & 0x3ff) == 50;
	vgic_set_line(&pa.d, 33, true); /* anything that makes vCPU 0 flush */
	vgic_set_line(&pa.d, 33, false);
	n0 = deliver_all(&pa, 0, order, 8);
	for (i = 0; i < n0 && i < 8; i++)
		count50 += (order[i] & 0x3ff) == 50;
	EXPECT_EQ(count50, 1); /* the second ring, once */
	DONE();
}

/*
 * The same disabled by vCPU 0 itself, the holder (its own write takes the pending state back at
 * once, vgic_lr_withdraw): the entry keeps the active state and asks for its EOI, at which the
 * instance goes to vCPU 1, whose enable alone cannot hand it over (only vCPU 0's CPU sees
 * its list registers).
 */
TEST(disable_by_holder_after_retarget)
{
	u32 order[8];

	active_pending_on_vcpu0();
	WR8(0, GICD_ITARGETSR + 50, 0x02); /* to vCPU 1 */
	bit_write(&pa, 0, GICD_ICENABLER, 50);
	EXPECT_EQ(FAKE_LR_STATE(lr_value(&pa, 0, 50)), FAKE_ST_ACTIVE);
	EXPECT(lr_value(&pa, 0, 50) & GICH_LR_EOI);
	enable(&pa, 1, 50);
	EXPECT_EQ(deliver_all(&pa, 1, order, 8), 0); /* not while vCPU 0 handles the last */
	EOI(&pa, 0, 50);
	enter(&pa, 0); /* EOI maintenance: lr_complete */
	delivered_once(1, 0);
	DONE();
}

/*
 * A doorbell's active state as another vCPU reads it (GICD_ISACTIVER: Linux's synchronize_irq
 * polls it): once vCPU 0's sync has seen it active, its entry asks for the EOI, so the guest's
 * EOI clears it for every reader, not only at vCPU 0's next sync.  (Found by a review.)
 */
TEST(isactiver_of_doorbell_held_elsewhere)
{
	u32 i;

	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50);
	enable(&pa, 0, 51);
	set_prio(&pa, 0, 50, 0x80); /* 51 (0) preempts its handler */
	ring(50, 1);
	enter(&pa, 0);
	EXPECT_EQ(ack(&pa, 0), 50); /* in its handler */
	bit_write(&pa, 1, GICD_ISPENDR, 51); /* anything that makes vCPU 0 sync meanwhile */
	enter(&pa, 0);
	EXPECT_EQ(ack(&pa, 0), 51);
	EXPECT(bit_read(&pa, 1, GICD_ISACTIVER, 50));
	EOI(&pa, 0, 51);
	EOI(&pa, 0, 50);
	for (i = 0; i < 3; i++) {
		enter(&pa, 0); /* whatever maintenance the EOIs raised */
		enter(&pa, 1);
	}
	EXPECT(!bit_read(&pa, 1, GICD_ISACTIVER, 50));
	DONE();
}

/*
 * GIC spec 4.3.4 with 4.3.1: an SGI moved (GICD_IGROUPR) into a group that is off is not
 * forwarded, as igroupr_takes_back_listed checks for an SPI; moved back, it is, signalled in
 * its new group.
 */
TEST(igroupr_takes_back_listed_sgi)
{
	start(&L1, 4);
	WR(0, GICD_CTLR, 1); /* group 0 only */
	WR(0, GICD_SGIR, sgir(GICD_SGIR_FILTER_SELF, 0, 1));
	enter(&pa, 0);
	EXPECT(listed(&pa, 0, 1));
	WR(0, GICD_IGROUPR, bit_of(1)); /* SGI 1 now group 1, which is off */
	enter(&pa, 0);
	EXPECT(!listed(&pa, 0, 1));
	EXPECT_EQ(ack(&pa, 0), FAKE_SPURIOUS);
	WR(0, GICD_CTLR, 3);
	enter(&pa, 0);
	EXPECT(lr_value(&pa, 0, 1) & GICH_LR_GRP1);
	EXPECT_EQ(ack(&pa, 0) & 0x3ff, 1);
	DONE();
}

/*
 * GIC spec 4.3.4: an SPI another vCPU holds pending in a list register, moved to the other
 * group (both on): that vCPU, kicked, places it anew, signalled in its new group (not a
 * virtual FIQ for a group 1 interrupt with GICV_CTLR.FIQEn).
 */
TEST(igroupr_reaches_spi_listed_elsewhere)
{
	start(&L2, 4);
	WR(0, GICD_CTLR, 3); /* both groups on */
	enable(&pa, 0, 50); /* targeted at vCPU 0 */
	ring(50, 1);
	enter(&pa, 0);
	EXPECT(listed(&pa, 0, 50));
	EXPECT(!(lr_value(&pa, 0, 50) & GICH_LR_GRP1));
	bit_write(&pa, 1, GICD_IGROUPR, 50); /* vCPU 1 moves it to group 1 */
	enter(&pa, 0); /* kicked */
	EXPECT(listed(&pa, 0, 50));
	EXPECT(lr_value(&pa, 0, 50) & GICH_LR_GRP1);
	DONE();
}

/*
 * Passthrough SPI 40 handled on vCPU 0 and EOId (HW: deactivated, no maintenance, vCPU 0 not
 * synced), retargeted to vCPU 1, fires again there: vCPU 1's CPU acknowledged it and it waits
 * in vCPU 1's map for vCPU 0's entry to complete.  vCPU 0 then switches off: its stop must
 * not take the stale entry for an instance of its own (GIC spec 4.3.10, 5.4.2: the instance
 * vCPU 1 acknowledged stays active until its guest's EOI), and vCPU 1 gets it.
 */
TEST(cpu_stop_keeps_instance_of_other_vcpu)
{
	u32 iar;

	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 40); /* targeted at vCPU 0 */
	hw_arrives(&pa, 0, 40);
	iar = ack(&pa, 0);
	EXPECT_EQ(iar, 40);
	EOI(&pa, 0, iar); /* deactivates the physical SPI, no maintenance */
	WR8(1, GICD_ITARGETSR + 40, 0x02); /* to vCPU 1 */
	hw_arrives(&pa, 1, 40); /* acknowledged on vCPU 1's CPU, booked still to vCPU 0 */
	EXPECT(fake_phys(pcpu_of(&pa, 1), 40)->active);
	fake_set_cpu(pcpu_of(&pa, 0));
	vgic_cpu_stop(&pa.d, &pa.vc[0]); /* vCPU 0's PSCI CPU_OFF, before its kick */
	EXPECT(fake_phys(pcpu_of(&pa, 1), 40)->active); /* vCPU 1's instance, not released */
	EXPECT(fake_take_kick(pcpu_of(&pa, 1)) || pa.vc[1].dirty);
	enter(&pa, 1);
	EXPECT_EQ(ack(&pa, 1), 40);
	DONE();
}

/*
 * An edge-triggered passthrough SPI that a vCPU's CPU acknowledged (active in the GIC) but its
 * guest had not (pending in a list register, or waiting for one) when the vCPU switched off
 * (PSCI CPU_OFF, before the guest took it): a distributor keeps an SPI pending for a CPU
 * interface that is off and forwards it where it targets once it can (GIC spec 3.2.4, 4.3.12),
 * so the instance goes back to the distributor pending, not merely released (an edge is not
 * raised again: released, it was lost).  A level-sensitive one is only released: its line,
 * still high, makes it pending again by itself, and a line that dropped asks for nothing.
 */
TEST(cpu_off_keeps_passthrough_edge_pending)
{
	u32 p1 = pcpu_of(&pa, 1);

	/* Listed pending on vCPU 1, which switches off; then it comes back (CPU_ON). */
	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	WR(0, GICD_ICFGR + 8, 2U << (2 * 8)); /* 40 edge */
	WR8(0, GICD_ITARGETSR + 40, 0x02);
	enable(&pa, 0, 40);
	enter(&pa, 1);
	hw_arrives(&pa, 1, 40);
	EXPECT(listed(&pa, 1, 40));
	fake_set_cpu(p1);
	vgic_cpu_stop(&pa.d, &pa.vc[1]);
	EXPECT(!fake_phys(p1, 40)->active);
	EXPECT(fake_phys(p1, 40)->pending); /* back in the distributor */
	EXPECT_EQ(fake_phys(p1, 40)->route, GIC_CPU_NONE); /* its target is off: it waits */
	vgic_cpu_reset(&pa.d, &pa.vc[1]);
	EXPECT_EQ(fake_phys(p1, 40)->route, p1);
	hw_arrives(&pa, 1, 40); /* the distributor forwards it */
	enter(&pa, 1);
	EXPECT_EQ(ack(&pa, 1), 40);

	/* Waiting for a list register (the only one holds doorbell 50, active); then moved. */
	start(&L2, 1);
	WR(0, GICD_CTLR, 1);
	WR(0, GICD_ICFGR + 8, 2U << (2 * 8));
	WR8(0, GICD_ITARGETSR + 40, 0x02);
	WR8(0, GICD_ITARGETSR + 50, 0x02);
	enable(&pa, 0, 40);
	enable(&pa, 0, 50);
	fake_set_cpu(0);
	vgic_raise(&pa.d, 50);
	enter(&pa, 1);
	EXPECT_EQ(ack(&pa, 1), 50);
	hw_arrives(&pa, 1, 40);
	EXPECT(!listed(&pa, 1, 40));
	fake_set_cpu(p1);
	vgic_cpu_stop(&pa.d, &pa.vc[1]);
	EXPECT(!fake_phys(p1, 40)->active && fake_phys(p1, 40)->pending);
	WR8(0, GICD_ITARGETSR + 40, 0x01); /* Linux's migration after the fact */
	EXPECT_EQ(fake_phys(p1, 40)->route, pcpu_of(&pa, 0));

	/* Level: released only. */
	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	WR8(0, GICD_ITARGETSR + 40, 0x02);
	enable(&pa, 0, 40);
	enter(&pa, 1);
	hw_arrives(&pa, 1, 40);
	fake_set_cpu(p1);
	vgic_cpu_stop(&pa.d, &pa.vc[1]);
	EXPECT(!fake_phys(p1, 40)->active && !fake_phys(p1, 40)->pending);

	/* Edge, acknowledged by the guest before it switched off: released only. */
	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	WR(0, GICD_ICFGR + 8, 2U << (2 * 8));
	WR8(0, GICD_ITARGETSR + 40, 0x02);
	enable(&pa, 0, 40);
	enter(&pa, 1);
	hw_arrives(&pa, 1, 40);
	EXPECT_EQ(ack(&pa, 1), 40);
	fake_set_cpu(p1);
	vgic_cpu_stop(&pa.d, &pa.vc[1]);
	EXPECT(!fake_phys(p1, 40)->active && !fake_phys(p1, 40)->pending);
	DONE();
}

/*
 * Doorbell 50 listed pending on vCPU 0, moved to vCPU 1, then taken back by vCPU 0 (disabled):
 * it is pending for its target, vCPU 1 (lr_take_back).  Made pending again while it is
 * pending (GICD_ISPENDR by vCPU 1, as Linux's gic_retrigger writes), it is still one pending
 * state (GIC spec 3.2.4): taken once, not once from each of two vCPUs' maps (it waited in
 * vCPU 0's, and GICD_ISPENDR put it in vCPU 1's as well).
 */
static u32 taken_by_both(u32 intid)
{
	u32 order[8], n;

	enable(&pa, 0, intid);
	n = deliver_all(&pa, 0, order, 8);
	fake_set_cpu(pcpu_of(&pa, 0));
	vgic_flush(&pa.d, &pa.vc[0]); /* its next exit: the entry completes */
	return n + deliver_all(&pa, 1, order, 8) + deliver_all(&pa, 0, order, 8);
}

TEST(pending_again_taken_once)
{
	start(&L2, 4);
	WR(0, GICD_CTLR, 1);
	enable(&pa, 0, 50);
	fake_set_cpu(0);
	vgic_raise(&pa.d, 50);
	enter(&pa, 0);
	EXPECT(listed(&pa, 0, 50));
	WR8(1, GICD_ITARGETSR + 50, 0x02); /* to vCPU 1; its entry stays on vCPU 0 */
	bit_write(&pa, 0, GICD_ICENABLER, 50); /* taken back into vCPU 0's map */
	bit_write(&pa, 1, GICD_ISPENDR, 50); /* pending already */
	EXPECT_EQ(taken_by_both(50), 1);
	DONE();
}

/*
 * Doorbell 50 listed pending on vCPU 1, moved to vCPU 0, then evicted on vCPU 1 by a
 * higher-priority doorbell (lr_take_back keeps it in vCPU 1's map): vCPU 1 switches off (PSCI
 * CPU_OFF) before it could list it again.  The distributor keeps an SPI pending for its target
 * (GIC spec 3.2.4, 4.3.12): vCPU 0 takes it, and the rings after it too.  It stayed in the map
 * of vCPU 1, off, and since it read as pending every later ring was merged into it: the
 * doorbell was dead for vCPU 0 until vCPU 1 came back.
 */
TEST(cpu_off_hands_taken_back_spi_to_target)
{
	u32 order[8];

	start(&L2, 1);
	WR(0, GICD_CTLR, 1);
	WR8(0, GICD_ITARGETSR + 50, 0x02);
	WR8(0, GICD_ITARGETSR + 51, 0x02);
	set_prio(&pa, 0, 50, 0x80);
	set_prio(&pa, 0, 51, 0x40);
	enable(&pa, 0, 50);
	enable(&pa, 0, 51);
	ring(50, 1);
	enter(&pa, 1);
	EXPECT(listed(&pa, 1, 50));
	WR8(0, GICD_ITARGETSR + 50, 0x01); /* to vCPU 0; its entry stays on vCPU 1 */
	ring(51, 1);
	enter(&pa, 1);
	EXPECT(listed(&pa, 1, 51) && !listed(&pa, 1, 50)); /* 50 evicted */
	fake_set_cpu(pcpu_of(&pa, 1));
	vgic_cpu_stop(&pa.d, &pa.vc[1]);
	EXPECT_EQ(deliver_all(&pa, 0, order, 8), 1);
	EXPECT_EQ(order[0], 50);
	ring(50, 1);
	EXPECT_EQ(deliver_all(&pa, 0, order, 8), 1);
	DONE();
}

/*
 * Randomised, several vCPUs: partition L3S (three vCPUs) against a model of what must reach
 * each guest.  SGIs between the vCPUs (every filter, GICD_SPENDSGIR, GICD_CPENDSGIR),
 * doorbells rung from another partition's CPU or the partition's own and through
 * GICD_ISPENDR/ICPENDR, the UART's line, an edge-triggered passthrough SPI fired where the
 * physical GIC routes it, and at random retargets, enables, priorities, groups, GICD_CTLR, the
 * guests' priority masks, acknowledges and EOIs, and a vCPU's CPU_OFF and CPU_ON.  Checked:
 *  - after every step, no GICH misuse, and an SPI pending in at most one vCPU's map (one
 *    pending state, GIC spec 3.2.4);
 *  - at the end, with every vCPU on, everything enabled and the line low, every SGI (per
 *    target and source) and every SPI made pending since it was last taken is taken (GIC
 *    spec 4.3.12: an SPI stays pending for its target; an SGI for a CPU that is on).
 * Taking one more often than it was made pending is not checked here: the hypervisor may
 * deliver an edge once more where it cannot tell whether the guest acknowledged first (see
 * random_against_model).
 */
static const struct layout L3S = {
	.id = 4,
	.vcpus = 3,
	.pcpus = { 0, 1, 2 },
	.virq_count = 64,
	.uart_irq = 33,
	.pt = { 40 },
	.db = { 50, 51, 52 },
};

#define S_VCPUS 3
#define S_SGIS 4

static struct {
	bool owed_sgi[S_VCPUS][S_SGIS][S_VCPUS]; /* [target][sgi][source] */
	bool owed_spi[64];
	bool on[S_VCPUS];
	bool hw_edge; /* the passthrough SPI's device raised an edge not yet in the GIC */
	bool line;
	u32 stack[S_VCPUS][16];
	u32 depth[S_VCPUS];
} S;

static void s_enter(u32 v)
{
	struct vgic_cpu *vc = &pa.vc[v];

	if (S.on[v]) {
		enter(&pa, v);
		return;
	}
	fake_set_cpu(vc->pcpu); /* its idle loop */
	if (fake_take_ipi(vc->pcpu))
		vgic_inbox_parked(&pa.d, vc);
	(void)fake_take_kick(vc->pcpu);
}

static void s_ack(u32 v)
{
	u32 iar, id;

	if (!S.on[v] || S.depth[v] >= ARRAY_SIZE(S.stack[v]))
		return;
	iar = ack(&pa, v);
	if (iar == FAKE_SPURIOUS)
		return;
	id = iar & 0x3ff;
	if (id < S_SGIS)
		S.owed_sgi[v][id][(iar >> 10) & 7] = false;
	else if (id < 64)
		S.owed_spi[id] = false;
	S.stack[v][S.depth[v]++] = iar;
}

static void s_eoi(u32 v)
{
	if (S.on[v] && S.depth[v])
		EOI(&pa, v, S.stack[v][--S.depth[v]]);
}

/* PSCI CPU_OFF (on) or CPU_ON: SGIs to a CPU that is off are dropped. */
static void s_power(u32 v, bool on)
{
	fake_set_cpu(pcpu_of(&pa, v));
	if (on)
		vgic_cpu_reset(&pa.d, &pa.vc[v]);
	else
		vgic_cpu_stop(&pa.d, &pa.vc[v]);
	S.on[v] = on;
	S.depth[v] = 0;
	memset(S.owed_sgi[v], 0, sizeof(S.owed_sgi[v]));
}

/* The physical GIC signals the passthrough SPI where it is routed, once it may. */
static void s_phys(void)
{
	const struct fake_phys_irq *p = fake_phys(0, 40);
	u32 v;

	if (!p->enabled || p->active || !(S.hw_edge || p->pending))
		return;
	for (v = 0; v < S_VCPUS && pcpu_of(&pa, v) != p->route; v++)
		;
	if (v == S_VCPUS)
		return;
	S.hw_edge = false;
	fake_set_cpu(p->route);
	fake_phys_fire(p->route, 40);
	if (S.on[v] && !vgic_inject_hw(&pa.d, &pa.vc[v], 40))
		helper_fail(__LINE__, "passthrough 40 refused by vCPU %u", v);
	if (!S.on[v]) { /* hyp/core/cpu.c: irq_orphan, then irq_dispatch deactivates it */
		(void)vgic_hw_orphan(&pa.d, 40);
		gic_irq_set_active(40, false);
	}
}

static void s_send_sgi(u32 v)
{
	static const u32 filters[] = { GICD_SGIR_FILTER_LIST, GICD_SGIR_FILTER_LIST,
				       GICD_SGIR_FILTER_OTHERS, GICD_SGIR_FILTER_SELF };
	u32 sgi = rnd(S_SGIS), f = filters[rnd(4)], list = rnd(8), t, mask;

	mask = f == GICD_SGIR_FILTER_LIST ? list :
	       f == GICD_SGIR_FILTER_SELF ? 1U << v :
					    GENMASK(S_VCPUS - 1, 0) & ~(1U << v);
	for (t = 0; t < S_VCPUS; t++)
		if ((mask & (1U << t)) && S.on[t])
			S.owed_sgi[t][sgi][v] = true;
	wr_at(__LINE__, &pa, v, GICD_SGIR, 4, sgir(f, list, sgi));
}

static void s_step(u32 v)
{
	u32 op = rnd(100), db = 50 + rnd(3), id = rnd(2) ? db : rnd(S_SGIS), i;

	if (rnd(3) == 0)
		s_phys();
	if (op < 14) {
		s_send_sgi(v);
	} else if (op < 28) {
		S.owed_spi[db] = true;
		if (rnd(4)) {
			fake_set_cpu(rnd(2) ? pcpu_of(&pa, v) :
					      5); /* its own (PL061) or a peer's */
			vgic_raise(&pa.d, db);
		} else {
			bit_write(&pa, v, GICD_ISPENDR, db);
		}
	} else if (op < 34) {
		wr_at(__LINE__, &pa, v, GICD_ITARGETSR + (rnd(4) ? db : 40), 1, rnd(8));
	} else if (op < 40) {
		id = rnd(4) ? db : rnd(2) ? 40 : 33;
		bit_write(&pa, v, rnd(3) ? GICD_ISENABLER : GICD_ICENABLER, id);
	} else if (op < 43) {
		set_prio(&pa, v, id, rnd(256));
	} else if (op < 45) {
		wr_at(__LINE__, &pa, v, GICD_CTLR, 4, rnd(3) ? 3 : rnd(4));
	} else if (op < 47) {
		wr_at(__LINE__, &pa, v, reg_of(GICD_IGROUPR, id), 4,
		      rd_at(__LINE__, &pa, v, reg_of(GICD_IGROUPR, id), 4) ^ bit_of(id));
	} else if (op < 49) {
		u32 sgi = rnd(S_SGIS), sources = 1 + rnd(7), set = rnd(2);

		for (i = 0; i < S_VCPUS; i++)
			if (sources & (1U << i))
				S.owed_sgi[v][sgi][i] = set ? true : false;
		wr_at(__LINE__, &pa, v, (set ? GICD_SPENDSGIR : GICD_CPENDSGIR) + sgi, 1, sources);
	} else if (op < 51) {
		S.owed_spi[db] = false;
		bit_write(&pa, v, GICD_ICPENDR, db);
	} else if (op < 53) {
		S.line = !S.line;
		S.owed_spi[33] = S.line;
		fake_set_cpu(rnd(2) ? pcpu_of(&pa, v) : 5); /* its vCPU, or the console's CPU */
		vgic_set_line(&pa.d, 33, S.line);
	} else if (op < 55) {
		S.hw_edge = true;
		S.owed_spi[40] = true;
	} else if (op < 57) {
		(void)rd_at(__LINE__, &pa, v, GICD_ISPENDR + 4, 4); /* takes the inbox */
		(void)rd_at(__LINE__, &pa, v, GICD_CPENDSGIR, 4);
	} else if (op < 59) {
		static const u32 pmr[] = { 0xff, 0xff, 0x80, 0x40 };

		fake_guest_set_pmr(pcpu_of(&pa, rnd(S_VCPUS)), pmr[rnd(4)]);
	} else if (op < 61) {
		i = 1 + rnd(S_VCPUS - 1); /* vCPU 0 stays on: the partition runs */
		s_power(i, !S.on[i]);
	} else if (op < 75) {
		s_enter(rnd(S_VCPUS));
	} else if (op < 88) {
		s_ack(rnd(S_VCPUS));
	} else {
		s_eoi(rnd(S_VCPUS));
	}
}

static void s_check_one_map(void)
{
	u32 id, v, maps;

	for (id = GIC_PRIV_COUNT; id < 64; id++) {
		for (maps = 0, v = 0; v < S_VCPUS; v++)
			maps += (pa.vc[v].pending[1] >> (id - 32)) & 1;
		if (maps > 1 && id != 40)
			helper_fail(0, "INTID %u pending in %u vCPUs' maps", id, maps);
	}
}

/* Every vCPU on, everything enabled and targeted, the line low: all that is owed is taken. */
static void s_drain(u32 round)
{
	u32 v, i, j, iter;

	for (v = 0; v < S_VCPUS; v++) {
		s_enter(v);
		if (!S.on[v])
			s_power(v, true);
		fake_guest_set_pmr(pcpu_of(&pa, v), 0xff);
		while (S.depth[v])
			s_eoi(v);
	}
	S.line = false;
	S.owed_spi[33] = false;
	fake_set_cpu(5);
	vgic_set_line(&pa.d, 33, false);
	wr_at(__LINE__, &pa, 0, GICD_CTLR, 4, 3);
	for (i = 33; i <= 52; i++) {
		if (i != 33 && i != 40 && i < 50)
			continue;
		enable(&pa, 0, i);
		if (!(rd_at(__LINE__, &pa, 0, GICD_ITARGETSR + i, 1) & 7))
			wr_at(__LINE__, &pa, 0, GICD_ITARGETSR + i, 1, 1);
	}
	for (iter = 0; iter < 200; iter++) {
		s_phys();
		for (v = 0; v < S_VCPUS; v++) {
			s_enter(v);
			s_ack(v);
			s_eoi(v);
			if (iter % 50 == 49) { /* a periodic exit: the Hyp timer */
				fake_set_cpu(pcpu_of(&pa, v));
				vgic_flush(&pa.d, &pa.vc[v]);
			}
		}
	}
	for (v = 0; v < S_VCPUS; v++)
		for (i = 0; i < S_SGIS; i++)
			for (j = 0; j < S_VCPUS; j++)
				if (S.owed_sgi[v][i][j])
					helper_fail(0,
						    "round %u: SGI %u from vCPU %u to %u not taken",
						    round, i, j, v);
	for (i = GIC_PRIV_COUNT; i < 64; i++)
		if (S.owed_spi[i])
			helper_fail(0, "round %u: INTID %u not taken", round, i);
}

TEST(random_smp_against_model)
{
	u32 round, step, i;

	helper_failed = 0;
	rng_state = (random_seed ^ 0x3c3c3c3c) | 1;
	for (round = 0; round < 48 && !helper_failed; round++) {
		start(&L3S, 1 + round % 4);
		memset(&S, 0, sizeof(S));
		for (i = 0; i < S_VCPUS; i++)
			S.on[i] = true;
		WR(0, GICD_CTLR, 3);
		WR(0, GICD_ICFGR + 8, 2U << (2 * 8)); /* passthrough 40 edge */
		for (i = 50; i <= 52; i++)
			enable(&pa, 0, i);
		enable(&pa, 0, 33);
		enable(&pa, 0, 40);
		for (step = 0; step < 300 && !helper_failed; step++) {
			u32 v = rnd(S_VCPUS);

			if (S.on[v])
				s_step(v);
			else
				s_enter(v);
			s_check_one_map();
			if (fake_errors())
				helper_fail(0, "round %u step %u: GICH misuse: %s", round, step,
					    fake_last_error());
		}
		if (!helper_failed)
			s_drain(round);
	}
	DONE();
}

int main(void)
{
	test_suite_name = "vgic";
	random_seed = test_seed();
	RUN(ctlr);
	RUN(timer_disable_withdraws_listed_pending);
	RUN(sgi_icactiver_deactivates);
	RUN(disable_elsewhere_withdraws_listed);
	RUN(level_line_low_before_ack);
	RUN(typer);
	RUN(iidr_and_id_registers);
	RUN(igroupr);
	RUN(enable_registers);
	RUN(pending_and_active_registers);
	RUN(priority_registers);
	RUN(target_registers);
	RUN(config_registers);
	RUN(restart_resets_trigger);
	RUN(restart_starts_clear);
	RUN(restart_clears_timer_pending);
	RUN(sgir_filters);
	RUN(sgi_pending_registers);
	RUN(sgi_pending_state_in_lr);
	RUN(access_sizes);
	RUN(ownership);
	RUN(passthrough_reaches_physical_gic);
	RUN(passthrough_icpendr_releases_physical);
	RUN(overflow_priority_order);
	RUN(eviction);
	RUN(active_never_evicted);
	RUN(no_maintenance_storm);
	RUN(maintenance_exactly_when_waiting);
	RUN(hw_interrupts);
	RUN(sgi_sources);
	RUN(sgi_same_source_coalesces);
	RUN(level_line);
	RUN(level_line_icpendr_while_high);
	RUN(disabled_not_delivered);
	RUN(kick_other_cpu);
	RUN(spi_retarget_while_listed);
	RUN(spi_retarget_while_pending);
	RUN(cpu_stop_deactivates);
	RUN(dist_stop);
	RUN(doorbell_rings_coalesce);
	RUN(smp_doorbell_lazy_eoi);
	RUN(passthrough_retarget_after_eoi);
	RUN(passthrough_refill_lock_free);
	RUN(doorbell_one_vcpu_lock_free);
	RUN(cpu_off_on_fresh_private_state);
	RUN(cpu_stop_keeps_listed_spi);
	RUN(cpu_off_on_keeps_level_line);
	RUN(icactiver_resamples_level_line);
	RUN(isactiver_of_passthrough_held_elsewhere);
	RUN(ring_to_off_vcpu_follows_retarget);
	RUN(disable_withdraws_listed_pending);
	RUN(disable_keeps_active_pending_back);
	RUN(disable_active_pending_after_retarget_once);
	RUN(disable_by_holder_after_retarget);
	RUN(isactiver_of_doorbell_held_elsewhere);
	RUN(cpu_off_on_clears_passthrough_active);
	RUN(group_off_takes_back_listed_sgi);
	RUN(igroupr_takes_back_listed);
	RUN(ring_races_retarget_and_cpu_off);
	RUN(igroupr_takes_back_listed_sgi);
	RUN(igroupr_reaches_spi_listed_elsewhere);
	RUN(cpu_stop_keeps_instance_of_other_vcpu);
	RUN(cpu_off_keeps_passthrough_edge_pending);
	RUN(pending_again_taken_once);
	RUN(cpu_off_hands_taken_back_spi_to_target);
	RUN(spi_enable_word_lock_free);
	RUN(spi_disable_races_placement);
	RUN(spi_enable_races_withdraw);
	RUN(spi_enable_kicks_the_holder);
	RUN(spi_recheck_then_enable_flush);
	RUN(spi_recheck_then_enable_doorbell);
	RUN(random_against_model);
	RUN(random_against_model_with_sgis);
	RUN(random_smp_against_model);
	return test_summary();
}

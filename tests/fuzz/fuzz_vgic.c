/*
 * Fuzz target "vgic": a partition's emulated distributor (vgic/vgicd.c) and
 * the list-register engine (vgic/vgic.c) alone, on the fake GICv2 of
 * tests/unit/fake_gic.c, with a configuration drawn from the input (1-8
 * vCPUs on any physical CPUs, 64-128 INTIDs, passthrough SPIs, the UART line,
 * doorbells: what tools/tcfg would accept) and any sequence of distributor
 * reads and writes (any offset, size and value, from any vCPU), list-register
 * flushes, guest acknowledges and EOIs through the fake GICV, doorbells,
 * UART line changes, physical interrupts, and vCPU and partition restarts.
 *
 * Checked after every step: the invariants of vgic_check.h, and that the
 * fake saw no GICH misuse other than what the guest caused itself (an EOI of
 * an interrupt it had deactivated through GICD_ICACTIVER, for instance).
 *
 * Input: 4 bytes of configuration, a byte of list-register count, then steps.
 */
#include <string.h>

#include "vgic_check.h"
#include "fuzz_input.h"

#define MAX_STEPS 256
#define MAX_PT 6
#define MAX_DB 6
#define MAX_ACKED 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool verbose; /* FAKE_VERBOSE=1: say each step on stderr */

#define TRACE(...)                                                                                 \
	do {                                                                                       \
		if (verbose)                                                                       \
			fprintf(stderr, __VA_ARGS__);                                              \
	} while (0)

static struct {
	struct cfg_partition cfg;
	struct cfg_irq irqs[MAX_PT];
	struct cfg_endpoint eps[MAX_DB];
	struct vgic_dist d;
	struct vgic_cpu vc[CFG_CPU_MAX];
	bool running[CFG_CPU_MAX];
	u32 acked[CFG_CPU_MAX][MAX_ACKED];
	u32 acked_count[CFG_CPU_MAX];
	u32 errors_allowed;
} p;

/* ---- Configuration ------------------------------------------------------------- */

static u32 take_spi(struct fin *f, u8 *used)
{
	u32 n = p.cfg.virq_count - GIC_PRIV_COUNT, i = fin_u8(f) % n, k;

	for (k = 0; k < n; k++, i = (i + 1) % n)
		if (!used[i]) {
			used[i] = 1;
			return GIC_PRIV_COUNT + i;
		}
	return 0;
}

static void configure(struct fin *f)
{
	struct vgic_cpu *vcs[CFG_CPU_MAX];
	u8 used[VGIC_MAX_IRQS] = { 0 };
	u8 a = fin_u8(f), b = fin_u8(f), c = fin_u8(f), e = fin_u8(f);
	u32 i;

	memset(&p, 0, sizeof(p));
	verbose = getenv("FAKE_VERBOSE") != NULL;
	strcpy(p.cfg.name, "fuzz");
	p.cfg.cpu_count = 1 + a % CFG_CPU_MAX;
	for (i = 0; i < p.cfg.cpu_count; i++) /* distinct physical CPUs, any order */
		p.cfg.cpus[i] = (u8)((a / CFG_CPU_MAX + i * (b % 2 ? 1 : 3)) % FAKE_PCPU_COUNT);
	p.cfg.virq_count = (u16)(32 * (2 + b / 2 % 3));
	p.cfg.uart_irq = (u16)take_spi(f, used);
	p.cfg.irq_count = c % (MAX_PT + 1);
	for (i = 0; i < p.cfg.irq_count; i++)
		p.irqs[i].intid = (u16)take_spi(f, used);
	p.cfg.endpoint_count = e % (MAX_DB + 1);
	for (i = 0; i < p.cfg.endpoint_count; i++)
		p.eps[i] = (struct cfg_endpoint){ .channel = i, .irq = (u16)take_spi(f, used) };
	p.cfg.irqs = p.irqs;
	p.cfg.endpoints = p.eps;
	for (i = 0; i < CFG_CPU_MAX; i++)
		vcs[i] = &p.vc[i];
	fake_gic_reset(1 + fin_u8(f) % VGIC_MAX_LRS);
	vgic_dist_init(&p.d, &p.cfg, vcs);
	for (i = 0; i < p.cfg.cpu_count; i++) {
		fake_set_cpu(p.cfg.cpus[i]);
		vgic_cpu_reset(&p.d, &p.vc[i]);
		p.running[i] = true;
	}
	TRACE("%u vCPUs (cpu%u first), %u INTIDs, UART %u, %u passthrough, %u doorbells, %u LRs\n",
	      p.cfg.cpu_count, p.cfg.cpus[0], p.cfg.virq_count, p.cfg.uart_irq, p.cfg.irq_count,
	      p.cfg.endpoint_count, fake_lr_count(p.cfg.cpus[0]));
}

/* ---- Steps ----------------------------------------------------------------------- */

static u32 pick_vcpu(struct fin *f)
{
	u32 v = fin_u8(f) % p.cfg.cpu_count;

	fake_set_cpu(p.cfg.cpus[v]);
	return v;
}

static u32 pick_offset(struct fin *f)
{
	static const u32 blocks[] = { 0x000, 0x004, 0x008, 0x080, 0x100, 0x180, 0x200,
				      0x280, 0x300, 0x380, 0x400, 0x800, 0xc00, 0xf00,
				      0xf10, 0xf20, 0xfd0, 0xd00, 0xe00 };
	u32 base = FIN_PICK(f, blocks), sel = fin_u8(f);

	if (base >= 0x400 && base < 0xc00)
		base += sel % 128; /* byte-addressable: one per INTID */
	else if (base >= 0x080 && base < 0x400)
		base += 4 * (sel % 4);
	else if (base == 0xc00)
		base += 4 * (sel % 8);
	else if (base >= 0xf10 && base < 0xf30)
		base += sel % 16;
	return base & 0xfff;
}

static u32 pick_value(struct fin *f)
{
	static const u32 values[] = { 0xffffffff, 0,	      1,	  0x80000000,
				      0x00010000, 0x0000ffff, 0x02000001, 0x01ff0003,
				      0x00ff0000, 0xa0a0a0a0, 0x0f0f0f0f, 0x00000003 };

	return FIN_PICK(f, values);
}

static void step_gicd(struct fin *f, bool write)
{
	u32 v = pick_vcpu(f), offset = pick_offset(f), size = 1U << (fin_u8(f) % 3), value;

	if (!p.running[v])
		return;
	if (!write) {
		(void)vgicd_read(&p.d, v, offset, size, &value);
		TRACE("vCPU %u reads GICD 0x%03x/%u: 0x%x\n", v, offset, size, value);
		return;
	}
	value = pick_value(f);
	TRACE("vCPU %u writes GICD 0x%03x/%u: 0x%x\n", v, offset, size, value);
	if (!vgicd_write(&p.d, v, offset, size, value))
		return;
	if (offset >= GICD_ICACTIVER && offset < GICD_IPRIORITYR)
		p.errors_allowed = fake_errors() + 64; /* deactivating what the guest holds */
}

/* What hyp/core/vcpu.c does before it enters the guest: a kick makes the vCPU dirty. */
static void enter(u32 v)
{
	TRACE("vCPU %u enters (dirty %d)\n", v, p.vc[v].dirty);
	if (fake_take_ipi(p.cfg.cpus[v]))
		vgic_inbox_drain(&p.vc[v]); /* irq_dispatch, on the kick */
	if (fake_take_kick(p.cfg.cpus[v]))
		p.vc[v].dirty = true;
	if (p.vc[v].dirty)
		vgic_flush(&p.d, &p.vc[v]);
	vgic_check_waiting(p.cfg.cpus[v], &p.d, &p.vc[v]);
}

static void step_guest(struct fin *f)
{
	u32 v = pick_vcpu(f), pcpu = p.cfg.cpus[v];
	u8 sel = fin_u8(f);

	if (!p.running[v])
		return;
	if ((sel & 1) || !p.acked_count[v]) {
		u32 iar;

		fake_guest_set_pmr(pcpu, sel & 2 ? 0xf0 : 0xff);
		iar = fake_guest_ack(pcpu);
		TRACE("vCPU %u acks: 0x%x\n", v, iar);
		if ((iar & 0x3ff) != FAKE_SPURIOUS && p.acked_count[v] < MAX_ACKED)
			p.acked[v][p.acked_count[v]++] = iar;
	} else {
		u32 i = (sel >> 1) % p.acked_count[v], iar = p.acked[v][i];

		p.acked[v][i] = p.acked[v][--p.acked_count[v]];
		TRACE("vCPU %u EOIs 0x%x\n", v, iar);
		if (!fake_guest_eoi(pcpu, iar))
			p.errors_allowed++; /* it EOIs what is no longer in an LR: the guest's error */
	}
	if (fake_maintenance(pcpu)) { /* hyp/core/cpu.c on the maintenance interrupt */
		p.vc[v].dirty = true;
		vgic_flush(&p.d, &p.vc[v]);
	}
}

static void step_emulated(struct fin *f)
{
	u8 sel = fin_u8(f);

	TRACE("emulated interrupt (sel 0x%x)\n", sel);
	if (sel & 1)
		vgic_set_line(&p.d, p.cfg.uart_irq, sel & 2);
	else if (p.cfg.endpoint_count)
		vgic_raise(&p.d, p.eps[(sel >> 1) % p.cfg.endpoint_count].irq);
	else
		vgic_raise(&p.d, GIC_PRIV_COUNT + (sel >> 1) % (p.cfg.virq_count - 32));
}

/* A passthrough or timer interrupt fires at the CPU it is routed to (hyp/core/cpu.c). */
static void step_hw(struct fin *f)
{
	u8 sel = fin_u8(f);
	u32 intid, pcpu, v;

	if ((sel & 1) || !p.cfg.irq_count) {
		v = (sel >> 2) % p.cfg.cpu_count;
		pcpu = p.cfg.cpus[v];
		intid = sel & 2 ? GIC_PPI_VIRT_TIMER : GIC_PPI_PHYS_TIMER;
	} else {
		intid = p.irqs[(sel >> 1) % p.cfg.irq_count].intid;
		pcpu = fake_phys(0, intid)->route;
		for (v = 0; v < p.cfg.cpu_count && p.cfg.cpus[v] != pcpu; v++)
			;
		if (v == p.cfg.cpu_count)
			return; /* routed to a CPU of no vCPU of ours */
	}
	if (!fake_phys(pcpu, intid)->enabled || fake_phys(pcpu, intid)->active || !p.running[v])
		return;
	fake_set_cpu(pcpu);
	TRACE("INTID %u fires at cpu%u (vCPU %u)\n", intid, pcpu, v);
	fake_phys_fire(pcpu, intid);
	if (vgic_owns(&p.d, intid))
		vgic_inject_hw(&p.d, &p.vc[v], intid);
}

static void step_lifecycle(struct fin *f)
{
	u8 sel = fin_u8(f);
	u32 v = pick_vcpu(f), i;

	TRACE("lifecycle %u on vCPU %u\n", sel % 4, v);
	switch (sel % 4) {
	case 0: /* the vCPU stops (CPU_OFF) */
		if (p.running[v]) {
			vgic_cpu_stop(&p.d, &p.vc[v]);
			p.running[v] = false;
			p.acked_count[v] = 0;
		}
		break;
	case 1: /* and starts again (CPU_ON) */
		if (!p.running[v]) {
			vgic_cpu_reset(&p.d, &p.vc[v]);
			p.running[v] = true;
		}
		break;
	case 2: { /* the partition restarts */
		struct vgic_cpu *vcs[CFG_CPU_MAX];

		for (i = 0; i < p.cfg.cpu_count; i++) {
			fake_set_cpu(p.cfg.cpus[i]);
			if (p.running[i])
				vgic_cpu_stop(&p.d, &p.vc[i]);
			p.running[i] = false;
			p.acked_count[i] = 0;
		}
		vgic_dist_stop(&p.d);
		for (i = 0; i < CFG_CPU_MAX; i++)
			vcs[i] = &p.vc[i];
		vgic_dist_init(&p.d, &p.cfg, vcs);
		fake_set_cpu(p.cfg.cpus[0]);
		vgic_cpu_reset(&p.d, &p.vc[0]);
		p.running[0] = true;
		break;
	}
	default:
		if (p.running[v])
			enter(v);
		break;
	}
}

static void check(void)
{
	u32 v;

	for (v = 0; v < p.cfg.cpu_count; v++)
		vgic_check_lrs(p.cfg.cpus[v], &p.d, p.running[v] ? &p.vc[v] : NULL);
	vgic_check_spis(&p.d);
	FUZZ_CHECK(fake_errors() <= p.errors_allowed, "GICH misuse: %s", fake_last_error());
	p.errors_allowed = fake_errors();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fin f = { data, size };
	u32 steps = 0, v;

	configure(&f);
	check();
	while (fin_more(&f) && steps++ < MAX_STEPS) {
		switch (fin_u8(&f) % 10) {
		case 0:
			step_gicd(&f, false);
			break;
		case 1:
		case 2:
			step_gicd(&f, true);
			break;
		case 3:
		case 4:
			v = pick_vcpu(&f);
			if (p.running[v])
				enter(v);
			break;
		case 5:
		case 6:
			step_guest(&f);
			break;
		case 7:
			step_emulated(&f);
			break;
		case 8:
			step_hw(&f);
			break;
		default:
			step_lifecycle(&f);
			break;
		}
		check();
	}
	return 0;
}

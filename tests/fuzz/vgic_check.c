/*
 * The vGIC invariants of vgic_check.h.
 */
#include "vgic_check.h"
#include "fuzz_input.h"

static const struct virq *irq_of(const struct vgic_dist *d, const struct vgic_cpu *vc, u32 intid)
{
	if (intid < GIC_PRIV_COUNT)
		return &vc->priv[intid];
	return intid < d->irq_count ? &d->spi[intid - GIC_PRIV_COUNT] : NULL;
}

void vgic_check_lrs(u32 pcpu, const struct vgic_dist *d, const struct vgic_cpu *vc)
{
	u32 count = fake_lr_count(pcpu), n, m;

	for (n = 0; n < count; n++) {
		u32 lr = fake_lr(pcpu, n);

		if (FAKE_LR_STATE(lr) == FAKE_ST_INVALID)
			continue;
		for (m = n + 1; m < count; m++) {
			u32 other = fake_lr(pcpu, m);

			FUZZ_CHECK(FAKE_LR_STATE(other) == FAKE_ST_INVALID ||
					   FAKE_LR_VID(other) != FAKE_LR_VID(lr) ||
					   (FAKE_LR_VID(lr) < GIC_SGI_COUNT &&
					    FAKE_LR_CPUID(lr) != FAKE_LR_CPUID(other)),
				   "cpu%u: LR%u and LR%u both hold vINTID %u", pcpu, n, m,
				   FAKE_LR_VID(lr));
		}
		FUZZ_CHECK(vc, "cpu%u runs no vCPU, yet vINTID %u is live in LR%u", pcpu,
			   FAKE_LR_VID(lr), n);
		FUZZ_CHECK(vc->lr_used & BIT(n),
			   "cpu%u: LR%u holds vINTID %u (0x%08x) that the vGIC does not know of",
			   pcpu, n, FAKE_LR_VID(lr), lr);
		FUZZ_CHECK(FAKE_LR_VID(lr) == vc->lr_intid[n],
			   "cpu%u: LR%u holds vINTID %u, the vGIC thinks %u", pcpu, n,
			   FAKE_LR_VID(lr), vc->lr_intid[n]);
	}
	if (!vc)
		return;
	FUZZ_CHECK(!(vc->lr_used & ~(u32)((1ULL << count) - 1)),
		   "cpu%u: lr_used 0x%x beyond its %u list registers", pcpu, vc->lr_used, count);
	for (n = 0; n < count; n++) {
		u32 intid = vc->lr_intid[n];
		const struct virq *irq;

		if (!(vc->lr_used & BIT(n)) || intid < GIC_SGI_COUNT)
			continue;
		irq = irq_of(d, vc, intid);
		FUZZ_CHECK(irq, "cpu%u: LR%u holds INTID %u beyond the distributor (%u)", pcpu, n,
			   intid, d->irq_count);
		FUZZ_CHECK(irq->lr == n + 1 && irq->lr_vcpu == vc->index,
			   "cpu%u: LR%u holds INTID %u, which says LR%d of vCPU %u", pcpu, n, intid,
			   (int)irq->lr - 1, irq->lr_vcpu);
	}
}

/*
 * The words the trap's fast path reads from mirrors (vgicd_read_word) against the general
 * path's answer from the interrupts' flags (vgicd_read), for every vCPU.
 */
static void check_mirrors(const struct vgic_dist *d)
{
	static const u32 base[] = { GICD_ISENABLER, GICD_ICENABLER, GICD_IPRIORITYR, GICD_ITARGETSR,
				    GICD_ICFGR };
	static const u32 per_word[] = { 32, 32, 4, 4, 16 };

	for (u32 v = 0; v < d->vcpu_count; v++)
		for (u32 k = 0; k < 5; k++)
			for (u32 first = 0; first < d->irq_count + 32; first += per_word[k]) {
				u32 off = base[k] + first / per_word[k] * 4, fast = 1, slow = 2;
				bool taken = vgicd_read_word(d, d->vcpu[v], off, &fast);

				FUZZ_CHECK(taken, "vgicd_read_word refused offset 0x%x", off);
				vgicd_read((struct vgic_dist *)d, v, off, 4, &slow);
				FUZZ_CHECK(
					fast == slow,
					"%s vCPU %u: GICD 0x%x reads 0x%08x fast, 0x%08x from the flags",
					d->name, v, off, fast, slow);
			}
}

void vgic_check_spis(const struct vgic_dist *d)
{
	u32 intid;

	check_mirrors(d);

	for (intid = GIC_PRIV_COUNT; intid < d->irq_count; intid++) {
		const struct virq *irq = &d->spi[intid - GIC_PRIV_COUNT];
		const struct vgic_cpu *vc;

		if (!irq->lr)
			continue;
		FUZZ_CHECK(irq->lr_vcpu < d->vcpu_count, "%s: INTID %u in an LR of vCPU %u",
			   d->name, intid, irq->lr_vcpu);
		vc = d->vcpu[irq->lr_vcpu];
		FUZZ_CHECK((vc->lr_used & BIT(irq->lr - 1)) && vc->lr_intid[irq->lr - 1] == intid,
			   "%s: INTID %u says LR%u of vCPU %u, which holds %u (LRs used 0x%x)",
			   d->name, intid, irq->lr - 1, irq->lr_vcpu, vc->lr_intid[irq->lr - 1],
			   vc->lr_used);
	}
}

static bool deliverable(const struct vgic_dist *d, const struct vgic_cpu *vc,
			const struct virq *irq, u32 intid)
{
	u32 group = (irq->flags & VIRQ_GROUP1) ? GICD_CTLR_ENABLE_GRP1 : GICD_CTLR_ENABLE_GRP0;
	u32 map = intid < GIC_PRIV_COUNT ?
			  vc->enabled_map :
			  (u32)d->spi_enabled[intid - GIC_PRIV_COUNT] << (intid % 32);

	if (intid >= GIC_PRIV_COUNT)
		FUZZ_CHECK(d->spi_enabled[intid - GIC_PRIV_COUNT] <= 1 &&
				   ((irq->flags & VIRQ_OWNED) || !(map & BIT(intid % 32))),
			   "%s: SPI %u's enable byte %u (owned %d)", d->name, intid,
			   d->spi_enabled[intid - GIC_PRIV_COUNT], (irq->flags & VIRQ_OWNED) != 0);
	return (irq->flags & VIRQ_OWNED) && (map & BIT(intid % 32)) && (d->ctlr & group);
}

void vgic_check_waiting(u32 pcpu, const struct vgic_dist *d, const struct vgic_cpu *vc)
{
	u32 count = fake_lr_count(pcpu), w;
	u32 empty = fake_elrsr(pcpu) & ~vc->lr_used & (u32)((1ULL << count) - 1);

	for (w = 0; w < ARRAY_SIZE(vc->pending); w++) {
		u32 bits = vc->pending[w];

		while (bits) {
			u32 intid = w * 32 + (u32)__builtin_ctz(bits);
			const struct virq *irq = irq_of(d, vc, intid);

			bits &= bits - 1;
			if (!irq || !deliverable(d, vc, irq, intid))
				continue;
			/*
			 * An SPI another vCPU still holds in a list register waits until that
			 * vCPU completes it (vgic.c: best_pending); lr_complete() then kicks
			 * its new target.  (docs/assurance.md: when the holder notices.)
			 */
			if (intid >= GIC_PRIV_COUNT && irq->lr && irq->lr_vcpu != vc->index)
				continue;
			FUZZ_CHECK(!empty, "cpu%u: INTID %u waits while LRs 0x%x are empty", pcpu,
				   intid, empty);
			FUZZ_CHECK(count < 2 || fake_uie(pcpu),
				   "cpu%u: INTID %u waits with no underflow interrupt armed", pcpu,
				   intid);
		}
	}
}

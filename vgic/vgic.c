/*
 * Virtual interrupt delivery through the GIC list registers (GIC spec 5.1-5.4).
 *
 * An interrupt becomes pending in software (its INTID set in the target
 * vCPU's pending map); before the vCPU re-enters its guest, vgic_flush() moves
 * the highest-priority deliverable ones into free list registers, evicting a
 * lower-priority pending-only entry when all are full.  What does not fit
 * waits in the map, and the underflow maintenance interrupt (UIE) brings the
 * CPU back to refill.  Physical interrupts go in with the HW bit,
 * so the guest's EOI deactivates them in the distributor; emulated
 * level-sensitive lines ask for an EOI maintenance interrupt to re-sample.
 *
 * All state is under the partition's dist->lock; a vCPU's list registers
 * are only touched on its own CPU.  This is the general path, built for size
 * (-Os); the cases make bench measures (SGIs, doorbells, timers, passthrough
 * SPIs) are fast.c's, at -O2, which leave here what they do not settle.
 */
#include <string.h>

#include "vgic_internal.h"

struct virq *vgic_irq(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid)
{
	return vgic_irq_inline(d, vc, intid);
}

bool vgic_owns(const struct vgic_dist *d, u32 intid)
{
	if (intid < GIC_PRIV_COUNT)
		return d->vcpu_count && (d->vcpu[0]->priv[intid].flags & VIRQ_OWNED);
	return intid < d->irq_count && (d->spi[intid - GIC_PRIV_COUNT].flags & VIRQ_OWNED);
}

/* vgic_deliverable, once for this file's four callers (none is a measured path). */
static __attribute__((noinline)) bool deliverable(struct vgic_dist *d, struct vgic_cpu *vc,
						  const struct virq *irq, u32 intid)
{
	return vgic_deliverable(d, vc, irq, intid);
}

static void map_clear(struct vgic_cpu *vc, u32 intid)
{
	vc->pending[intid / 32] &= ~(1U << (intid % 32));
}

/*
 * SPI 'irq', pending for vCPU t, is still booked to another vCPU's list register: t takes it
 * only once that entry completes (best_pending), which only the holder's CPU can see.  The
 * holder is kicked: its sync completes an empty entry (lr_complete hands the SPI to t) or asks
 * for the EOI of a live one (vgic_lr_sync).  Lock held.
 */
static void spi_wait_holder(struct vgic_dist *d, const struct virq *irq, u32 t)
{
	if (irq->lr && irq->lr_vcpu != t)
		vgic_mark_dirty(d->vcpu[irq->lr_vcpu]);
}

/* Make 'intid' pending for 'vc' (private) or for its target (SPI); lock held. */
void vgic_make_pending(struct vgic_dist *d, u32 intid, struct virq *irq, struct vgic_cpu *vc)
{
	irq->flags |= VIRQ_PENDING;
	if (intid >= GIC_PRIV_COUNT) {
		u32 t = irq->target;

		spi_wait_holder(d, irq, t);
		vc = t < d->vcpu_count ? d->vcpu[t] : NULL;
	}
	if (!vc)
		return; /* no target (it stays pending in the distributor) or no vCPU */
	vgic_map_set(vc, intid);
	vgic_mark_dirty(vc);
}

/* Clear a software-pending interrupt (not one already in a list register); lock held. */
void vgic_unpend(struct vgic_dist *d, u32 intid, struct virq *irq, struct vgic_cpu *vc)
{
	u32 i;

	irq->flags &= (u8)~VIRQ_PENDING;
	if (intid < GIC_PRIV_COUNT) {
		if (vc)
			map_clear(vc, intid);
		return;
	}
	for (i = 0; i < d->vcpu_count; i++)
		map_clear(d->vcpu[i], intid);
}

static u32 lr_state(u32 lr)
{
	return lr & GICH_LR_STATE_MASK;
}

static u32 lr_priority(u32 lr)
{
	return (lr >> GICH_LR_PRIORITY_SHIFT) & 0x1f;
}

/* A list register became empty: the guest completed its interrupt. */
static void lr_complete(struct vgic_dist *d, struct vgic_cpu *vc, u32 n, u32 lr)
{
	u32 intid = vc->lr_intid[n];
	struct virq *irq = vgic_irq(d, vc, intid);

	vc->lr_used &= ~(1U << n);
	if (lr & GICH_LR_EOI)
		gich_write_lr(n, 0); /* clears its EISR bit */
	if (!irq)
		return;
	if (intid >= GIC_PRIV_COUNT && (irq->lr != n + 1U || irq->lr_vcpu != vc->index))
		return; /* not this entry's bookkeeping */
	irq->lr = 0;
	irq->flags &= (u8)~VIRQ_ACTIVE;
	/*
	 * Pending again meanwhile: retargeted, its new target may take it now; an
	 * edge lr_merge deferred to this EOI (an LR with the EOI bit) is not in
	 * any pending map yet.  An edge pending here as usual needs nothing.
	 */
	if (intid >= GIC_PRIV_COUNT && (irq->flags & VIRQ_PENDING)) {
		/* Into its target's map (vgic_make_pending: with none, the distributor's only). */
		if (irq->target != vc->index || (lr & GICH_LR_EOI))
			vgic_make_pending(d, intid, irq, vc);
		/*
		 * A passthrough instance that arrived meanwhile on another vCPU's CPU
		 * (vgic_inject_hw) waited in that vCPU's map for this entry to complete:
		 * it may take it now, whatever the target says by then.
		 */
		for (u32 i = 0; (irq->flags & VIRQ_HW) && i < d->vcpu_count; i++)
			if (d->vcpu[i] != vc && (d->vcpu[i]->pending[intid / 32] & BIT(intid % 32)))
				vgic_mark_dirty(d->vcpu[i]);
	}
	/* An emulated level-sensitive line still asserted is pending again. */
	if (!(irq->flags & (VIRQ_EDGE | VIRQ_HW)) && (irq->flags & VIRQ_LINE) &&
	    !(irq->flags & VIRQ_PENDING))
		vgic_make_pending(d, intid, irq, vc);
}

static void lr_undeliverable(struct vgic_dist *d, struct vgic_cpu *vc, u32 n, u32 lr);

/* Bring the software view up to date with this vCPU's list registers; lock held. */
void vgic_lr_sync(struct vgic_dist *d, struct vgic_cpu *vc)
{
	u32 empty = gich_empty_lrs(), used = vc->lr_used;

	while (used) {
		u32 n = (u32)__builtin_ctz(used), lr;
		struct virq *irq;

		used &= used - 1;
		lr = (empty & (1U << n)) ? 0 : gich_read_lr(n);
		if (lr_state(lr) == 0) {
			lr_complete(d, vc, n, lr);
			continue;
		}
		irq = vgic_irq(d, vc, vc->lr_intid[n]);
		if (!irq)
			continue;
		/*
		 * Pending, and no longer deliverable: disabled or its group turned off (an SGI's
		 * too), maybe by another vCPU, which kicked this one (GIC spec 4.3.1, 4.3.5: not
		 * forwarded).  Its pending state goes back to software, as vgic_lr_withdraw does
		 * on the disabling CPU; an entry that was only pending goes with it.  So does one
		 * only pending whose group another vCPU changed (GICD_IGROUPR): it is placed
		 * anew, signalled as its group now says (GIC spec 4.3.4).
		 */
		if ((lr & GICH_LR_PENDING) &&
		    (!deliverable(d, vc, irq, vc->lr_intid[n]) ||
		     (!(lr & GICH_LR_ACTIVE) &&
		      !(lr & GICH_LR_GRP1) != !(irq->flags & VIRQ_GROUP1)))) {
			lr_undeliverable(d, vc, n, lr);
			if (!(lr & GICH_LR_ACTIVE))
				continue;
			lr = gich_read_lr(n); /* as it kept the entry */
		}
		virq_set_flag(irq, VIRQ_ACTIVE, lr & GICH_LR_ACTIVE);
		/*
		 * An emulated SPI's list register asks for the EOI maintenance interrupt when
		 * something waits for that EOI (only then: an EOI bit on every entry would cost
		 * each doorbell a maintenance interrupt): its next instance, due on another vCPU
		 * (retargeted; the holder, this one, was kicked: spi_wait_holder), which
		 * lr_complete hands over; or, in a partition of several vCPUs, the others' view
		 * of its active state (GICD_ISACTIVER, read_field: VIRQ_ACTIVE, just set, would
		 * otherwise stay until this vCPU syncs again; Linux's synchronize_irq polls it).
		 */
		if (vc->lr_intid[n] >= GIC_PRIV_COUNT && !(irq->flags & VIRQ_HW) &&
		    !(lr & GICH_LR_EOI) &&
		    (((lr & GICH_LR_ACTIVE) && d->vcpu_count > 1) ||
		     ((irq->flags & VIRQ_PENDING) && irq->target != vc->index)))
			gich_write_lr(n, lr | GICH_LR_EOI);
	}
}

/*
 * The highest-priority deliverable pending interrupt of vc (lowest value, then lowest INTID),
 * and how many deliverable ones there are (0: none).
 */
static u32 best_pending(struct vgic_dist *d, struct vgic_cpu *vc, u32 *intid_out, u32 *prio_out)
{
	u32 w, best_prio = 0x100, best = 0, count = 0;

	/*
	 * What made these pending (VIRQ_PENDING, set under the lock) before what follows reads
	 * the enables: vgicd_write_spi_enable stores an SPI's enable byte without the lock and
	 * reads VIRQ_PENDING after a barrier of its own, so one of the two sees the other.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (w = 0; w < (d->irq_count + 31) / 32; w++) {
		u32 bits = vc->pending[w];

		while (bits) {
			u32 intid = w * 32 + (u32)__builtin_ctz(bits);
			struct virq *irq = vgic_irq(d, vc, intid);

			bits &= bits - 1;
			/* An SPI another vCPU holds waits until that one completes it. */
			if (irq && intid >= GIC_PRIV_COUNT && irq->lr && irq->lr_vcpu != vc->index)
				continue;
			if (!irq || !deliverable(d, vc, irq, intid))
				continue;
			count++;
			if (*vgic_priority(d, vc, intid) < best_prio) {
				best_prio = *vgic_priority(d, vc, intid);
				best = intid;
			}
		}
	}
	*intid_out = best;
	*prio_out = best_prio;
	return best_prio < 0x100 ? count : 0;
}

static u32 lr_encode(struct virq *irq, u32 intid, u32 source, u32 prio)
{
	u32 lr = intid | ((prio >> 3) << GICH_LR_PRIORITY_SHIFT) | GICH_LR_PENDING;

	if (irq->flags & VIRQ_GROUP1)
		lr |= GICH_LR_GRP1;
	if (irq->flags & VIRQ_HW)
		lr |= GICH_LR_HW | (intid << GICH_LR_PHYSICAL_SHIFT);
	else if (intid < GIC_SGI_COUNT)
		lr |= source << GICH_LR_CPUID_SHIFT;
	else if (!(irq->flags & VIRQ_EDGE))
		lr |= GICH_LR_EOI; /* re-sample a level line (an edge's: lr_merge, vgic_lr_sync) */
	return lr;
}

/*
 * Pending 'intid' goes into a list register: it is no longer pending in
 * software, except an SGI, which goes in once per source (its lowest pending
 * one, returned) and stays pending while other sources remain.  Inline: it is on
 * the SGI and doorbell paths (docs/bench.md).
 */
static inline u32 take_pending(struct vgic_cpu *vc, struct virq *irq, u32 intid)
{
	u32 source = 0;

	if (intid < GIC_SGI_COUNT) {
		source = (u32)__builtin_ctz(vc->sgi_sources[intid]);
		vc->sgi_sources[intid] &= (u8) ~(1U << source);
		if (vc->sgi_sources[intid])
			return source;
	}
	irq->flags &= (u8)~VIRQ_PENDING;
	map_clear(vc, intid);
	return source;
}

/*
 * An SPI just put into list register n, in a partition of several vCPUs: another vCPU may
 * have disabled it without the lock since best_pending read its enable (vgicd.c,
 * vgicd_write_spi_enable: the byte written, a barrier, then a look at irq->lr, which it may
 * have read before this booking).  So, after a barrier of its own, the enable is read again
 * here; of the two, at least one sees the other (Dekker's pattern, ARM ARM A3.8.3), and
 * a disabled SPI goes back to pending before the guest runs.  As any taking back for a
 * disable, with one more look (an enable may come before VIRQ_PENDING is set again).  True
 * if it was taken back.
 */
static bool lr_recheck_enable(struct vgic_dist *d, struct vgic_cpu *vc, u32 n, u32 intid)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vgic_spi_enabled(d, intid))
		return false;
	lr_undeliverable(d, vc, n, GICH_LR_PENDING); /* just placed: pending only */
	return true;
}

/*
 * Put pending 'intid' (irq, of priority prio) into list register n; lock held.  False if it
 * stayed there; true if it was disabled meanwhile and went back to pending (the caller looks
 * again: best_pending reads the enables after its barrier).
 */
static bool lr_place(struct vgic_dist *d, struct vgic_cpu *vc, u32 n, struct virq *irq, u32 intid,
		     u32 prio)
{
	u32 source = take_pending(vc, irq, intid);

	if (intid >= GIC_SGI_COUNT) {
		irq->lr = (u8)(n + 1);
		irq->lr_vcpu = (u8)vc->index;
	}
	vc->lr_intid[n] = (u16)intid;
	vc->lr_source[n] = (u8)source;
	vc->lr_used |= 1U << n;
	vc->injected++;
	gich_write_lr(n, lr_encode(irq, intid, source, prio));
	return intid >= GIC_PRIV_COUNT && d->vcpu_count > 1 && lr_recheck_enable(d, vc, n, intid);
}

/*
 * The pending state list register n holds goes back to software: the entry keeps 'keep' (its
 * active state), or, with 0, is taken back whole, as for a higher-priority interrupt that
 * needs it (evicted).  An emulated SPI's goes to its target's map, as the distributor keeps
 * an SPI pending for its target (GIC spec 4.3.12): one SPI, one map.  In vc's map whatever
 * its target, it could sit beside a pending state already in its target's map and be taken
 * twice, or, vc switched off, be taken by nobody while every later ring merged into it.  A
 * passthrough SPI, active in the GIC for vc's CPU, waits in vc's map (vgicd.c's
 * kick_if_pending looks there).  An entry that stays (active) while another vCPU is the
 * target asks for its EOI, at which lr_complete hands the pending state over, as the
 * distributor would once the active state is gone.
 */
static __attribute__((cold)) void lr_take_back(struct vgic_dist *d, struct vgic_cpu *vc, u32 n,
					       u32 keep)
{
	u32 intid = vc->lr_intid[n];
	struct virq *irq = vgic_irq(d, vc, intid);
	bool here = !keep || intid < GIC_PRIV_COUNT || irq->target == vc->index;

	/* Not here: an emulated SPI's entry (lr_undeliverable keeps no other). */
	gich_write_lr(n, here ? keep : keep | GICH_LR_EOI);
	if (intid < GIC_SGI_COUNT)
		vc->sgi_sources[intid] |= (u8)(1U << vc->lr_source[n]);
	irq->flags |= VIRQ_PENDING;
	if (!keep) {
		vc->lr_used &= ~(1U << n);
		if (intid >= GIC_SGI_COUNT)
			irq->lr = 0;
	}
	if (!here)
		return;
	if (intid >= GIC_PRIV_COUNT && !(irq->flags & VIRQ_HW))
		vgic_make_pending(d, intid, irq, vc);
	else
		vgic_map_set(vc, intid);
}

/*
 * List register n (its value lr) holds an interrupt that may no longer be delivered (disabled,
 * its group turned off; GIC spec 4.3.5: not forwarded): its pending state goes back to
 * software.  Pending only, the entry is taken back (lr_take_back).  Active and pending (an edge
 * again while the guest handles the last one, lr_merge; an SGI from the same source), the
 * entry keeps the active state and the pending one waits in software, so that the guest's EOI
 * does not hand it over; enabled again, lr_merge adds it back.  An enable on another vCPU
 * without the lock may have come meanwhile and found it not pending (vgicd_write_spi_enable
 * reads VIRQ_PENDING after its barrier, before this set it): after a barrier here, one more
 * look, and if it may be delivered after all, this vCPU flushes before its guest runs.
 */
static __attribute__((cold)) void lr_undeliverable(struct vgic_dist *d, struct vgic_cpu *vc, u32 n,
						   u32 lr)
{
	u32 intid = vc->lr_intid[n];
	struct virq *irq = vgic_irq(d, vc, intid);

	if (lr_state(lr) == GICH_LR_PENDING)
		lr_take_back(d, vc, n, 0);
	else if (lr_state(lr) == GICH_LR_STATE_MASK && !(lr & GICH_LR_HW))
		lr_take_back(d, vc, n, lr & ~GICH_LR_PENDING);
	else
		return;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (deliverable(d, vc, irq, intid))
		vgic_mark_dirty(vc);
}

/*
 * A pending interrupt that already has a list register (an edge arrived again
 * while the guest handles the previous one): add "pending" to that entry
 * rather than take a second one, which the GIC does not allow for the same
 * interrupt (GIC spec 5.3.8 "List Registers, GICH_LRn": the same virtual ID, and for SGIs the
 * same source, in two list registers is UNPREDICTABLE).  Lock held.
 */
static bool lr_merge(struct vgic_cpu *vc, struct virq *irq, u32 intid)
{
	u32 n, lr;

	if (intid < GIC_SGI_COUNT) {
		u32 source = (u32)__builtin_ctz(vc->sgi_sources[intid]), used;

		for (used = vc->lr_used; used; used &= used - 1) {
			n = (u32)__builtin_ctz(used);
			if (vc->lr_intid[n] == intid && vc->lr_source[n] == source)
				break;
		}
		if (!used)
			return false;
	} else {
		if (!irq->lr || irq->lr_vcpu != vc->index)
			return false;
		n = irq->lr - 1U;
	}
	take_pending(vc, irq, intid);
	vc->injected++;
	lr = gich_read_lr(n);
	if (lr_state(lr) == GICH_LR_ACTIVE && !(lr & GICH_LR_HW)) {
		gich_write_lr(n, lr | GICH_LR_PENDING);
	} else if (intid >= GIC_PRIV_COUNT && (irq->flags & VIRQ_EDGE) &&
		   (lr & (GICH_LR_PENDING | GICH_LR_HW)) == GICH_LR_PENDING) {
		/*
		 * A doorbell rung while the guest has not yet acknowledged the one
		 * in the list register: the edges coalesce (GIC spec 3.2.4), but
		 * later rings cannot see when the guest acknowledges.  It stays
		 * VIRQ_PENDING (not in the map), so they cost nothing
		 * (vgic_raise), and the LR asks for an EOI maintenance interrupt,
		 * at which lr_complete delivers it once more: an edge after the
		 * acknowledge is never lost, at the price of at most one spurious
		 * doorbell per delivered one.
		 */
		irq->flags |= VIRQ_PENDING;
		gich_write_lr(n, lr | GICH_LR_EOI);
	}
	return true;
}

/* List register n rewritten as 'lr', freed if that has no state left; true if it has. */
static bool lr_rewrite(struct vgic_cpu *vc, u32 n, u32 lr)
{
	bool live = lr_state(lr);

	gich_write_lr(n, live ? lr : 0);
	if (!live)
		vc->lr_used &= ~(1U << n);
	return live;
}

/*
 * Set or clear the state bit 'state' (pending or active) of the list register
 * holding 'intid' on this vCPU (GICD_ICPENDR/ISACTIVER/ICACTIVER on an
 * interrupt already handed to the guest); an entry left with no state is
 * freed.  Lock held, on vc's CPU.
 */
__attribute__((cold)) void vgic_lr_set_state(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid,
					     u32 state, bool on)
{
	struct virq *irq = vgic_irq(d, vc, intid);
	u32 n, lr;

	if (intid < GIC_SGI_COUNT) {
		/* An SGI's entries, one per source (GICD_ICACTIVER deactivates them all, 4.3.10). */
		for (u32 used = vc->lr_used; used; used &= used - 1) {
			n = (u32)__builtin_ctz(used);
			if (vc->lr_intid[n] != intid)
				continue;
			lr = gich_read_lr(n);
			if (!lr_state(lr))
				continue; /* completed, kept for reuse (sgi_place): not the guest's */
			(void)lr_rewrite(vc, n, on ? lr | state : lr & ~state);
		}
		return;
	}
	if (!irq || !irq->lr || irq->lr_vcpu != vc->index)
		return;
	n = irq->lr - 1U;
	lr = gich_read_lr(n);
	if (!lr_rewrite(vc, n, on ? lr | state : lr & ~state))
		lr_complete(d, vc, n,
			    0); /* as if the guest had: a level line still high re-pends */
}

/*
 * 'intid' was disabled, or moved to the other group: if a list register of this vCPU holds
 * it pending, its pending state goes back to software (lr_undeliverable), so the guest cannot
 * acknowledge it while it may not be forwarded (GIC spec 4.3.5); deliverable, it is placed
 * anew.  An SGI may be in several, one per source (only a group change comes here for one).
 * An SPI another vCPU holds: that vCPU, kicked, does the same at its next entry
 * (vgic_lr_sync; only its own CPU may touch its list registers).  Lock held, on vc's CPU.
 */
__attribute__((cold)) void vgic_lr_withdraw(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid)
{
	struct virq *irq = vgic_irq(d, vc, intid);

	if (irq && intid < GIC_SGI_COUNT) {
		for (u32 used = vc->lr_used; used; used &= used - 1) {
			u32 n = (u32)__builtin_ctz(used);

			if (vc->lr_intid[n] == intid)
				lr_undeliverable(d, vc, n, gich_read_lr(n));
		}
		return;
	}
	if (!irq || !irq->lr)
		return;
	if (irq->lr_vcpu != vc->index)
		vgic_mark_dirty(d->vcpu[irq->lr_vcpu]); /* an SPI: private ones are vc's */
	else
		lr_undeliverable(d, vc, irq->lr - 1U, gich_read_lr(irq->lr - 1U));
}

/*
 * Sources of SGI 'sgi' this vCPU's list registers hold pending (handed to the
 * guest, not yet acknowledged); with 'clear', take those sources back.  Lock
 * held, on vc's CPU.
 */
__attribute__((cold)) u8 vgic_lr_sgi_sources(struct vgic_cpu *vc, u32 sgi, u8 clear)
{
	u32 used;
	u8 sources = 0;

	for (used = vc->lr_used; used; used &= used - 1) {
		u32 n = (u32)__builtin_ctz(used), lr;

		if (vc->lr_intid[n] != sgi)
			continue;
		lr = gich_read_lr(n);
		if (!(lr & GICH_LR_PENDING))
			continue;
		sources |= (u8)(1U << vc->lr_source[n]);
		if (!(clear & (1U << vc->lr_source[n])))
			continue;
		(void)lr_rewrite(vc, n, lr & ~GICH_LR_PENDING);
	}
	return sources;
}

void vgic_flush_locked(struct vgic_dist *d, struct vgic_cpu *vc)
{
	u32 all = (1U << gich_lr_count()) - 1;
	u32 intid, prio, count;
	bool left = false, uie; /* left: a deliverable interrupt waits for a list register */

	vgic_lr_sync(d, vc);
	while ((count = best_pending(d, vc, &intid, &prio))) {
		u32 free = all & ~vc->lr_used, victim = 0;
		struct virq *irq = vgic_irq(d, vc, intid);

		if (lr_merge(vc, irq, intid))
			continue;
		if (!free) {
			u32 victim_prio = 0, used;

			/* All full: evict the lowest-priority entry that is only pending. */
			for (used = vc->lr_used; used; used &= used - 1) {
				u32 n = (u32)__builtin_ctz(used), lr;

				lr = gich_read_lr(n);
				if (lr_state(lr) == GICH_LR_PENDING &&
				    lr_priority(lr) > (prio >> 3) &&
				    lr_priority(lr) >= victim_prio) {
					victim = n + 1;
					victim_prio = lr_priority(lr);
				}
			}
			left = !victim; /* none to take: it waits for a list register */
			if (left)
				break;
			lr_take_back(d, vc, victim - 1, 0);
			free = 1U << (victim - 1);
		}
		if (lr_place(d, vc, (u32)__builtin_ctz(free), irq, intid, prio))
			continue; /* disabled meanwhile: pending again, look again */
		/*
		 * It was the only one (an SGI: its only source): nothing left to look for.  After
		 * an eviction the loop's next look decides (the evicted one is pending again).
		 */
		if (!victim && count == 1 && !(intid < GIC_SGI_COUNT && vc->sgi_sources[intid]))
			break;
	}
	/*
	 * Anything left waits for a list register: ask for the underflow
	 * maintenance interrupt (at most one LR in use, GIC spec 5.3.1), which
	 * fires once the guest has completed what it holds, never while it is
	 * still busy with them.
	 */
	vc->dirty = left; /* the loop ended on best_pending's "none" or on no free LR */
	/* With a single LR the underflow condition holds as soon as anything is listed. */
	uie = left && gich_lr_count() > 1;
	if (uie != vc->underflow_irq) {
		vc->underflow_irq = uie;
		gich_set_underflow_irq(uie);
	}
}

void vgic_flush(struct vgic_dist *d, struct vgic_cpu *vc)
{
	spin_lock(&d->lock);
	vgic_flush_locked(d, vc);
	spin_unlock(&d->lock);
}

/* A ring of a doorbell targeted at no vCPU: it stays pending in the distributor. */
void vgic_raise_untargeted(struct vgic_dist *d, u32 intid, struct virq *irq)
{
	spin_lock(&d->lock);
	if (!(irq->flags & VIRQ_PENDING))
		vgic_make_pending(d, intid, irq, NULL);
	spin_unlock(&d->lock);
}

void vgic_inject_hw_locked(struct vgic_dist *d, struct vgic_cpu *vc, struct virq *irq, u32 intid)
{
	u32 n;

	spin_lock(&d->lock);
	n = irq->lr - 1U;
	if (irq->lr && irq->lr_vcpu == vc->index && !vc->dirty && gich_lr_empty(n) &&
	    deliverable(d, vc, irq, intid)) {
		vgic_lr_refill(d, vc, irq, intid); /* the same for an SPI, whose state is shared */
	} else {
		/*
		 * An SPI still booked to another vCPU's list register (retargeted
		 * after its last instance): the physical GIC signals it again only
		 * once that instance was deactivated (GIC spec 3.2.4), which the
		 * guest's EOI of its HW list register did (5.4.2), so that LR is
		 * empty; but only its own CPU can see that, and it may not sync for
		 * long (no maintenance interrupt for an HW entry; its timer fast path
		 * does not sync).  Kick it: its sync completes the entry and
		 * lr_complete hands this instance here.
		 */
		if (intid >= GIC_PRIV_COUNT && irq->lr && irq->lr_vcpu != vc->index)
			vgic_mark_dirty(d->vcpu[irq->lr_vcpu]);
		irq->flags |= VIRQ_PENDING;
		vgic_map_set(vc, intid);
		vgic_flush_locked(d, vc);
	}
	spin_unlock(&d->lock);
}

__attribute__((cold)) bool vgic_hw_orphan(struct vgic_dist *d, u32 intid)
{
	bool owned;

	spin_lock(&d->lock);
	owned = intid >= GIC_PRIV_COUNT && intid < d->irq_count &&
		(d->spi[intid - GIC_PRIV_COUNT].flags & (VIRQ_OWNED | VIRQ_HW)) ==
			(VIRQ_OWNED | VIRQ_HW);
	for (u32 i = 0; owned && i < d->vcpu_count; i++) {
		if (d->vcpu[i]->on) { /* written under the lock (vgic_cpu_reset, vgic_cpu_stop) */
			gic_irq_write(GICD_ISPENDR, intid);
			break;
		}
	}
	spin_unlock(&d->lock);
	return owned;
}

__attribute__((cold)) void vgic_set_line(struct vgic_dist *d, u32 intid, bool high)
{
	struct virq *irq;

	spin_lock(&d->lock);
	irq = intid >= GIC_PRIV_COUNT ? vgic_irq(d, NULL, intid) : NULL;
	if (irq && (irq->flags & VIRQ_OWNED)) {
		bool was = irq->flags & VIRQ_LINE;

		if (high) {
			irq->flags |= VIRQ_LINE;
			if (!was && !irq->lr)
				vgic_make_pending(d, intid, irq, NULL);
		} else {
			irq->flags &= (u8)~VIRQ_LINE;
			/*
			 * Handed to a vCPU of this CPU and not yet acknowledged (its driver read the
			 * data first): taken back, as the line no longer asks (GIC spec 3.2.4).  Held
			 * on another CPU it stays (the guest finds nothing to do).
			 */
			if (irq->lr && d->vcpu[irq->lr_vcpu]->pcpu == vgic_this_pcpu())
				vgic_lr_withdraw(d, d->vcpu[irq->lr_vcpu], intid);
			if (irq->flags & VIRQ_PENDING)
				vgic_unpend(d, intid, irq,
					    NULL); /* a level interrupt is no longer pending */
		}
	}
	spin_unlock(&d->lock);
}

/* ---- The inbox (vgic.h: VGIC_INBOX_SGI_WORDS) ------------------------------------- */

/* Inbox word w's bits become pending (vc's CPU, lock held). */
static __attribute__((cold)) void inbox_take_word(struct vgic_dist *d, struct vgic_cpu *vc, u32 w,
						  u32 in)
{
	while (in) {
		u32 b = (u32)__builtin_ctz(in), intid, t;
		struct virq *irq;

		in &= in - 1;
		if (w < vc->inbox_spi) {
			intid = b % 16; /* SGI 'intid' from vCPU 2w + b / 16 */
			vc->sgi_sources[intid] |= (u8)BIT(2 * w + b / 16);
			irq = &vc->priv[intid];
			t = vc->index;
		} else {
			intid = GIC_PRIV_COUNT + 32 * (w - vc->inbox_spi) + b;
			irq = &d->spi[intid - GIC_PRIV_COUNT];
			if ((irq->flags & (VIRQ_OWNED | VIRQ_PENDING)) != VIRQ_OWNED)
				continue; /* coalesced with the edge already pending */
			t = irq->target;
			spi_wait_holder(d, irq, t);
		}
		irq->flags |= VIRQ_PENDING;
		if (t >= d->vcpu_count)
			continue; /* no target: pending in the distributor only */
		vgic_map_set(d->vcpu[t], intid);
		if (d->vcpu[t] == vc)
			vc->dirty = true; /* the caller flushes or kicks */
		else
			vgic_mark_dirty(d->vcpu[t]); /* retargeted since the ring */
	}
}

__attribute__((cold)) void vgic_inbox_move_spi(struct vgic_dist *d, struct vgic_cpu *was, u32 intid)
{
	u32 n = intid - GIC_PRIV_COUNT, w = was->inbox_spi + n / 32, bit = BIT(n % 32);

	if (__atomic_fetch_and(&was->inbox[w], ~bit, __ATOMIC_ACQUIRE) & bit)
		inbox_take_word(d, was, w, bit);
}

/*
 * Inbox words from 'first' on become pending (lock held); true if any held a bit.  Inline in
 * its two callers: a call more would cost the distributor reads' general path (make bench).
 */
static inline __attribute__((always_inline)) bool inbox_take_from(struct vgic_dist *d,
								  struct vgic_cpu *vc, u32 first)
{
	bool any = false;

	for (u32 w = first; w < vc->inbox_words; w++) {
		if (!__atomic_load_n(&vc->inbox[w], __ATOMIC_RELAXED))
			continue;
		inbox_take_word(d, vc, w, __atomic_exchange_n(&vc->inbox[w], 0, __ATOMIC_ACQUIRE));
		any = true;
	}
	return any;
}

__attribute__((cold)) bool vgic_inbox_take(struct vgic_dist *d, struct vgic_cpu *vc)
{
	return inbox_take_from(d, vc, 0);
}

/*
 * On the CPU of vCPU vc while vc is off (its idle loop, after a kick): SPIs posted to its inbox
 * go to their targets.  A ring reads the target without the lock and posts later (vgic_raise):
 * meanwhile the doorbell may have moved to another vCPU and this one switched off (Linux's
 * take_cpu_down), and nothing else would hand the ring on (write_target moves what an inbox
 * holds only if the old target is off then).  The post's IPI brings this CPU here.  One still
 * for vc waits in its map, as a distributor keeps an SPI for a CPU that is off, until CPU_ON.
 */
__attribute__((cold)) void vgic_inbox_parked(struct vgic_dist *d, struct vgic_cpu *vc)
{
	u32 w, any = 0;

	if (vc->on) /* written only on this CPU */
		return;
	/* The SPI words' place is the configuration's: the same in every run. */
	for (w = vc->inbox_spi; w < ARRAY_SIZE(vc->inbox); w++)
		any |= __atomic_load_n(&vc->inbox[w], __ATOMIC_RELAXED);
	if (!any)
		return; /* most wakes: the lock untouched */
	spin_lock(&d->lock); /* inbox_words too: a restart sets it under the lock */
	(void)inbox_take_from(d, vc, vc->inbox_spi);
	spin_unlock(&d->lock);
}

/* vgic_spi_place_locked (fast.c) under the lock: a doorbell of a partition of several vCPUs. */
bool vgic_spi_place_shared(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid)
{
	bool done;

	spin_lock(&d->lock);
	done = vgic_spi_place_locked(d, vc, intid);
	/*
	 * As lr_place: a disable without the lock may have come meanwhile.  Taken back, it is
	 * marked dirty if an enable came after that too: the drain's return flushes.
	 */
	if (done)
		(void)lr_recheck_enable(d, vc, d->spi[intid - GIC_PRIV_COUNT].lr - 1U, intid);
	spin_unlock(&d->lock);
	return done;
}

/* Inbox word w's bits 'in' and the rest of the inbox become pending, and are placed. */
void vgic_inbox_general(struct vgic_dist *d, struct vgic_cpu *vc, u32 w, u32 in)
{
	spin_lock(&d->lock);
	inbox_take_word(d, vc, w, in);
	(void)vgic_inbox_take(d, vc);
	vgic_flush_locked(d, vc);
	spin_unlock(&d->lock);
}

/* An interrupt as a partition starts with it: an owned one targets vCPU 0. */
static void init_irq(struct virq *irq, u8 flags)
{
	*irq = (struct virq){ .flags = flags,
			      .target = (flags & VIRQ_OWNED) ? 0 : (u8)VIRQ_NO_TARGET };
}

/*
 * A vCPU's private interrupts as a CPU that was just switched on has them:
 * SGIs always enabled, edge (GIC-400 behaviour); timers level, physical, off;
 * nothing pending (private INTIDs are map word 0), priorities 0.
 */
static __attribute__((cold)) void priv_init(struct vgic_cpu *vc)
{
	/* A table, not a loop: read-only data is cheaper than the code that would build it. */
	/* clang-format off */
#define SGI { VIRQ_OWNED | VIRQ_EDGE, 1, 0, 0 } /* edge */
#define TIMER { VIRQ_OWNED | VIRQ_HW, 1, 0, 0 } /* level, physical */
	static const struct virq fresh[GIC_PRIV_COUNT] = {
		SGI, SGI, SGI, SGI, SGI, SGI, SGI, SGI, SGI, SGI, SGI, SGI, SGI, SGI, SGI, SGI,
		[GIC_PPI_VIRT_TIMER] = TIMER, [GIC_PPI_PHYS_TIMER] = TIMER
	};
#undef SGI
#undef TIMER
	/* clang-format on */
	_Static_assert(GIC_SGI_COUNT == 16, "fresh[] lists the SGIs");

	memcpy(vc->priv, fresh, sizeof(vc->priv));
	/* priority[] and sgi_sources[], side by side (vgic.h), in one call. */
	_Static_assert(offsetof(struct vgic_cpu, sgi_sources) ==
			       offsetof(struct vgic_cpu, priority) + sizeof(vc->priority),
		       "sgi_sources[] follows priority[]");
	memset((u8 *)vc + offsetof(struct vgic_cpu, priority), 0,
	       sizeof(vc->priority) + sizeof(vc->sgi_sources));
	vc->enabled_map = (1U << GIC_SGI_COUNT) - 1; /* SGIs; the timers off */
	vc->pending[0] = 0;
}

/* A configured SPI the distributor has (below irq_count): the partition's, with 'flags'. */
static bool own_spi(struct vgic_dist *d, u32 intid, u8 flags)
{
	u32 n = intid - GIC_PRIV_COUNT;

	if (intid < GIC_PRIV_COUNT || intid >= d->irq_count)
		return false;
	/* Targets vCPU 0 (init_irq), and ICFGR's mirror says its trigger (vgic_internal.h). */
	init_irq(&d->spi[n], (u8)(VIRQ_OWNED | flags));
	d->spi_owned_map[n / 32] |= BIT(n % 32);
	d->spi_targets[n] = 1;
	if (flags & VIRQ_EDGE)
		d->spi_icfgr[n / 16] |= 2U << (2 * (n % 16));
	return true;
}

/*
 * Where the physical GIC sends passthrough SPI 'intid': to the CPU of its target vCPU while
 * that vCPU is on, else to no CPU, where it stays pending in the distributor (GIC spec
 * 4.3.12) until the vCPU starts or the guest retargets it, as a GIC keeps an SPI for a CPU
 * interface that is off.  Never to the CPU of a vCPU that is off: its idle loop would take
 * the interrupt for nobody.  Lock held.
 */
void vgic_route_hw(struct vgic_dist *d, u32 intid, const struct virq *irq)
{
	u32 t = irq->target;

	gic_irq_route(intid, t < d->vcpu_count && d->vcpu[t]->on ? d->vcpu[t]->pcpu : GIC_CPU_NONE);
}

/* Every passthrough SPI routed again, after a vCPU started or stopped.  Lock held. */
static void route_hw_spis(struct vgic_dist *d)
{
	u32 i;

	for (i = GIC_PRIV_COUNT; i < d->irq_count; i++) {
		const struct virq *irq = &d->spi[i - GIC_PRIV_COUNT];

		if ((irq->flags & (VIRQ_OWNED | VIRQ_HW)) == (VIRQ_OWNED | VIRQ_HW))
			vgic_route_hw(d, i, irq);
	}
}

__attribute__((cold)) void vgic_dist_init(struct vgic_dist *d, const struct cfg_partition *cfg,
					  struct vgic_cpu *const *vcpus)
{
	u32 i, j;

	spin_lock(&d->lock);
	d->ctlr = 0;
	d->irq_count = MIN((u32)cfg->virq_count, (u32)VGIC_MAX_IRQS);
	d->vcpu_count = cfg->cpu_count;
	d->vcpu_mask = (1U << d->vcpu_count) - 1;
	d->partition = cfg->id;
	d->name = cfg->name;
	/*
	 * Every field from logged on (vgic.h) starts clear: no SPI owned, none enabled or
	 * pending, the log's once-flags down.  A foreign interrupt's priority and targets stay
	 * 0: vgicd_read_word reads them as is.
	 */
	memset(&d->logged, 0, sizeof(*d) - offsetof(struct vgic_dist, logged));
	for (i = 0; i < d->vcpu_count; i++) {
		struct vgic_cpu *vc = vcpus[i];

		d->vcpu[i] = vc;
		vc->dist = d;
		vc->index = i;
		vc->pcpu = cfg->cpus[i];
		priv_init(vc);
		for (j = 0; j < ARRAY_SIZE(vc->pending); j++)
			vc->pending[j] = 0;
		vc->inbox_spi = (d->vcpu_count + 1) / 2;
		vc->sgi_word = (u32)offsetof(struct vgic_cpu, inbox) + 4 * (i / 2);
		vc->sgi_shift = 16 * (i % 2);
		vc->inbox_words = vc->inbox_spi + (d->irq_count + 31) / 32 - 1;
		for (j = 0; j < ARRAY_SIZE(vc->inbox); j++)
			__atomic_store_n(&vc->inbox[j], 0, __ATOMIC_RELAXED);
		vc->lr_used = 0;
		vc->dirty = false;
	}
	for (i = 0; i < cfg->irq_count; i++) {
		u32 intid = cfg->irqs[i].intid;

		if (own_spi(d, intid, VIRQ_HW)) {
			gic_irq_enable(intid, false);
			/*
			 * Level, as the virtual view says, whatever the last run set
			 * (GICv2 4.3.13: changed only while disabled, as here).
			 */
			gic_irq_config(intid, false);
			gic_irq_route(intid, GIC_CPU_NONE); /* until its vCPU starts */
		}
	}
	(void)own_spi(d, cfg->uart_irq, 0);
	for (i = 0; i < cfg->endpoint_count; i++)
		(void)own_spi(d, cfg->endpoints[i].irq, VIRQ_EDGE);
	spin_unlock(&d->lock);
}

__attribute__((cold)) void vgic_cpu_reset(struct vgic_dist *d, struct vgic_cpu *vc)
{
	spin_lock(&d->lock);
	gich_reset(true);
	vc->underflow_irq = false;
	vc->lr_used = 0;
	/*
	 * Its banked interrupts start as a fresh vCPU's (after CPU_OFF, CPU_ON):
	 * the timers disabled both virtually and physically, so ISENABLER tells
	 * the guest the truth.  SPIs still pending for it are delivered, doorbells rung
	 * while it was off too; SGIs sent to it then are dropped, as by a CPU that was off.
	 * Not pending in the GIC either: a guest's GICD_ISPENDR0 reaches the physical timer
	 * PPIs (HW-mapped), and a level-sensitive interrupt made pending so stays pending
	 * until acknowledged or cleared, its line low or not (GIC spec 4.3.7): the last run's
	 * write, made while the PPI was disabled, would otherwise interrupt this one as soon
	 * as it enables a timer it has not armed (guest_arch_reset stopped both).
	 */
	(void)vgic_inbox_take(d, vc);
	priv_init(vc);
	vgic_mark_dirty(vc);
	gic_priv_write(GICD_ICENABLER, VGIC_TIMERS);
	gic_priv_write(GICD_ICPENDR, VGIC_TIMERS);
	gic_priv_write(GICD_ICACTIVER, VGIC_TIMERS);
	vc->on = true;
	route_hw_spis(d); /* its passthrough SPIs to this CPU */
	spin_unlock(&d->lock);
}

__attribute__((cold)) void vgic_cpu_stop(struct vgic_dist *d, struct vgic_cpu *vc)
{
	u32 used, w;

	spin_lock(&d->lock);
	vc->on = false;
	route_hw_spis(d); /* its passthrough SPIs to no CPU: they wait in the distributor */
	/* Physical interrupts the guest still holds (in a LR or acked by us) must not stay active. */
	for (used = vc->lr_used; used; used &= used - 1) {
		u32 n = (u32)__builtin_ctz(used), intid = vc->lr_intid[n], lr;
		struct virq *irq = vgic_irq(d, vc, intid);

		if (!irq)
			continue;
		lr = gich_read_lr(n);
		/* Not acknowledged by the guest: still pending (what follows says for whom). */
		if (lr & GICH_LR_PENDING)
			irq->flags |= VIRQ_PENDING;
		if (intid >= GIC_PRIV_COUNT && (irq->flags & VIRQ_HW) && !lr_state(lr)) {
			/*
			 * EOId by the guest, which deactivated it (GIC spec 5.4.2): not this
			 * vCPU's to release.  An instance another vCPU acknowledged since (a
			 * retarget) stays active for that guest, and the entry's completion
			 * kicks the vCPU whose map holds it.
			 */
			lr_complete(d, vc, n, 0);
		} else if (intid < GIC_PRIV_COUNT || (irq->flags & VIRQ_HW)) {
			irq->lr = 0; /* private ones start afresh (vgic_cpu_reset) */
			if (irq->flags & VIRQ_HW)
				vgic_map_set(vc, intid); /* the loop below releases it */
		} else {
			/*
			 * An emulated SPI the guest had not acknowledged stays pending, for its
			 * target now (GIC spec 3.2.4: the distributor keeps it for a CPU that is
			 * off); one it had is complete, and its level line, if still high, pends
			 * it again (4.3.8), as do an edge lr_merge deferred to the EOI.
			 */
			lr_complete(d, vc, n, 0);
			if ((irq->flags & VIRQ_PENDING) && irq->target == vc->index)
				vgic_map_set(vc, intid); /* lr_complete leaves its own target's */
		}
	}
	for (w = 0; w < ARRAY_SIZE(vc->pending); w++) {
		u32 bits = vc->pending[w];

		while (bits) {
			u32 intid = w * 32 + (u32)__builtin_ctz(bits);
			struct virq *irq = vgic_irq(d, vc, intid);

			bits &= bits - 1;
			/*
			 * A physical one we acknowledged is released: neither pending nor
			 * active any more (an EOI of its HW entry raised no maintenance, so
			 * VIRQ_ACTIVE may still say what the last sync saw, and its reads,
			 * read_field, trust it on its own vCPU).  An edge-triggered SPI the
			 * guest had not acknowledged goes back to the distributor pending
			 * first, which forwards it where it is routed now (to no CPU while
			 * its target is off), as a distributor keeps an SPI for a CPU that is
			 * off (GIC spec 3.2.4, 4.3.12): released, the edge was lost.  A level
			 * one still asserted is pending again by itself (the timers are
			 * level).  An emulated SPI stays pending for the vCPU.
			 */
			if (irq && (irq->flags & VIRQ_HW)) {
				if ((irq->flags & (VIRQ_PENDING | VIRQ_EDGE)) ==
				    (VIRQ_PENDING | VIRQ_EDGE))
					gic_irq_write(GICD_ISPENDR, intid);
				gic_irq_write(GICD_ICACTIVER, intid);
				irq->flags &= (u8) ~(VIRQ_PENDING | VIRQ_ACTIVE);
				map_clear(vc, intid);
			}
		}
	}
	vc->pending[0] = 0; /* private ones: vgic_cpu_reset starts them afresh */
	gich_reset(false);
	vc->underflow_irq = false;
	vc->lr_used = 0;
	vc->dirty = false;
	gic_priv_write(GICD_ICENABLER, VGIC_TIMERS);
	spin_unlock(&d->lock);
}

__attribute__((cold)) void vgic_dist_stop(struct vgic_dist *d)
{
	u32 i;

	spin_lock(&d->lock);
	for (i = GIC_PRIV_COUNT; i < d->irq_count; i++) {
		struct virq *irq = &d->spi[i - GIC_PRIV_COUNT];

		if ((irq->flags & (VIRQ_OWNED | VIRQ_HW)) == (VIRQ_OWNED | VIRQ_HW)) {
			gic_irq_enable(i, false);
			gic_irq_write(GICD_ICPENDR, i);
			gic_irq_write(GICD_ICACTIVER, i);
		}
	}
	spin_unlock(&d->lock);
}

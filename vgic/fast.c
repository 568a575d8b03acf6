/*
 * The measured fast paths of injection (make bench, docs/bench.md), built for speed (-O2):
 * a doorbell's ring (vgic_raise), an SGI or doorbell from the inbox straight into a list
 * register (vgic_inbox_drain), and a timer's or passthrough SPI's next instance into the list
 * register its last one used (vgic_inject_hw).  Whatever they do not settle goes to the
 * general path in vgic.c, built for size.  Locking as vgic.c says.
 */
#include "vgic_internal.h"

/*
 * A doorbell ring.  One that finds its interrupt already pending changes
 * nothing (edges coalesce while pending, GIC spec 3.2.4) and costs the peer
 * nothing: no lock, no IPI.  That holds however the peer races with it:
 * VIRQ_PENDING is set while the edge is not yet in a list register (it joins
 * one the guest has not acknowledged yet), while the peer has it disabled or
 * targeted at no vCPU (enabling or retargeting it delivers it), or while an
 * edge lr_merge deferred waits for the guest's EOI (lr_complete delivers it);
 * and a ring still in its target's inbox absorbs the next (vgic_post).
 * The ringer's DSB before DOORBELL_RING (docs/hypercalls.md) orders its
 * channel writes before this load, against the peer's clearing of the flag
 * before its guest reads the channel (unlock: DMB, DSB; ARM ARM A3.8.3).
 * OWNED never changes while the partition runs.  The target is read without
 * the lock: if a retarget races with the ring, the inbox's owner takes the
 * ring under the lock and hands it to the new target (inbox_take_word).
 */
void vgic_raise(struct vgic_dist *d, u32 intid)
{
	u32 n = intid - GIC_PRIV_COUNT, t; /* SPIs beyond irq_count are never OWNED */
	struct virq *irq;
	struct vgic_cpu *dst;

	if (n >= ARRAY_SIZE(d->spi))
		return;
	irq = &d->spi[n];
	if ((__atomic_load_n(&irq->flags, __ATOMIC_RELAXED) & (VIRQ_OWNED | VIRQ_PENDING)) !=
	    VIRQ_OWNED)
		return;
	t = irq->target;
	if (t == VIRQ_NO_TARGET) {
		vgic_raise_untargeted(d, intid, irq);
		return;
	}
	dst = d->vcpu[t];
	/*
	 * Placed at once only into the list registers of a vCPU this CPU runs, not one that is
	 * off ('on' is written only on its own CPU, so it is read only there).
	 */
	vgic_post(dst, dst->inbox_spi + n / 32, BIT(n % 32),
		  dst->pcpu == vgic_this_pcpu_inline() && dst->on);
}

/*
 * A shared SPI's next instance may go back into vc's list register n, the one its last
 * instance used, without the lock (the passthrough refill below, a doorbell's in spi_refill)
 * when nothing but this CPU's own state has to change.  Its flags, shared (other vCPUs write
 * them under the lock), are read once by the caller and not written.  The entry is trusted as
 * vc's own bookkeeping says (lr_used and lr_intid change only on this CPU): while they say
 * list register n holds this INTID no other vCPU can book it (irq->lr stays n + 1,
 * best_pending and lr_merge skip it), so irq->lr read without the lock is n + 1 whatever
 * another CPU does, and an SPI booked to another vCPU, or a word read while another vCPU
 * books it (.lr and .lr_vcpu are written apart), fails the test.  The guest completed the
 * entry, the SPI is enabled and its group on; a disable, priority or group change racing
 * with this is ordered after it, as if it had taken the lock a moment later.
 */
static inline __attribute__((always_inline)) bool spi_entry_refillable(const struct vgic_dist *d,
								       const struct vgic_cpu *vc,
								       u32 intid, u32 n, u32 flags)
{
	return n < VGIC_MAX_LRS && (vc->lr_used & BIT(n)) && vc->lr_intid[n] == intid &&
	       gich_lr_empty(n) && vgic_spi_enabled(d, intid) &&
	       (d->ctlr & ((flags & VIRQ_GROUP1) ? GICD_CTLR_ENABLE_GRP1 : GICD_CTLR_ENABLE_GRP0));
}

bool vgic_inject_hw(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid)
{
	struct virq *irq = vgic_irq_inline(d, vc, intid);

	/* OWNED and HW are set when the partition starts and never change while it runs. */
	if (!irq || (irq->flags & (VIRQ_OWNED | VIRQ_HW)) != (VIRQ_OWNED | VIRQ_HW))
		return false;
	/*
	 * A timer's next tick (the fast path below) needs no lock: a private interrupt's state
	 * is touched only on its own vCPU's CPU, which is this one (IRQs masked), and CTLR is
	 * read as one word.  Another CPU can only set vc->dirty, and its kick follows.
	 */
	if (intid < GIC_PRIV_COUNT) {
		if (irq->lr && !vc->dirty && (vc->enabled_map & BIT(intid)) &&
		    gich_lr_empty(irq->lr - 1U) && vgic_group_enabled(d, irq)) {
			vgic_lr_refill(d, vc, irq, intid);
			return true;
		}
	} else {
		/*
		 * A passthrough SPI's next instance (spi_entry_refillable): only one neither
		 * active nor pending in software (the locked path clears VIRQ_ACTIVE).  A
		 * retargeted SPI still booked to another vCPU (issue 14's defect 9) takes the
		 * locked path.
		 */
		u32 flags = __atomic_load_n(&irq->flags, __ATOMIC_RELAXED);
		u32 n = __atomic_load_n(&irq->lr, __ATOMIC_RELAXED) - 1U;

		if (!(flags & (VIRQ_ACTIVE | VIRQ_PENDING)) && !vc->dirty &&
		    spi_entry_refillable(d, vc, intid, n, flags)) {
			vgic_lr_refill_hw(d, vc, n, flags, intid);
			return true;
		}
	}
	vgic_inject_hw_locked(d, vc, irq, intid);
	return true;
}

/*
 * SGI 'sgi' from 'source' straight into a list register, without the lock: a vCPU's SGIs
 * are its own CPU's state (vgic.h, VGIC_PRIV_OWNED).  The lowest empty list register is
 * taken; one an SGI the guest completed still holds is reused (lr_complete's bookkeeping
 * for an SGI is only its active flag).  False if the same SGI from the same source is live
 * in one (lr_merge's case), is pending in software, its group is off, or no list register
 * is free but those completed interrupts other than SGIs hold: the general path decides.
 */
static inline bool sgi_place(struct vgic_cpu *vc, u32 sgi, u32 source)
{
	u32 flags = vc->priv[sgi].flags, empty, live, n;

	/* Its group's enable: GICD_CTLR bit 0 or 1 (GIC spec 4.3.1), by a shift. */
	if ((flags & VIRQ_PENDING) ||
	    !(vc->dist->ctlr & (GICD_CTLR_ENABLE_GRP0 << ((flags / VIRQ_GROUP1) & 1))))
		return false;
	empty = gich_empty_lrs();
	for (live = vc->lr_used & ~empty; live; live &= live - 1) {
		n = (u32)__builtin_ctz(live);
		if (vc->lr_intid[n] == sgi && vc->lr_source[n] == source)
			return false;
	}
	if (!empty)
		return false;
	n = (u32)__builtin_ctz(empty);
	if (vc->lr_used & BIT(n)) {
		u32 old = vc->lr_intid[n];

		if (old >= GIC_SGI_COUNT) {
			empty &= ~vc->lr_used;
			if (!empty)
				return false;
			n = (u32)__builtin_ctz(empty);
		} else {
			vc->priv[old].flags &= (u8)~VIRQ_ACTIVE;
		}
	}
	vc->lr_intid[n] = (u16)sgi;
	vc->lr_source[n] = (u8)source;
	vc->lr_used |= BIT(n);
	vc->injected++;
	gich_write_lr(n, sgi | (source << GICH_LR_CPUID_SHIFT) | GICH_LR_PENDING |
				 ((u32)(vc->priority[sgi] >> 3) << GICH_LR_PRIORITY_SHIFT) |
				 ((flags & VIRQ_GROUP1) ? GICH_LR_GRP1 : 0));
	return true;
}

/* lr_encode's list register value for an emulated edge SPI (no EOI maintenance). */
static inline __attribute__((always_inline)) u32 doorbell_lr(const struct vgic_dist *d, u32 intid,
							     u32 flags)
{
	return intid | GICH_LR_PENDING | ((flags & VIRQ_GROUP1) ? GICH_LR_GRP1 : 0) |
	       ((u32)(d->spi_priority[intid - GIC_PRIV_COUNT] >> 3) << GICH_LR_PRIORITY_SHIFT);
}

/*
 * A doorbell (an emulated edge SPI) targeted at vc and booked to no list register (its first
 * instance, or one after its last completed: spi_refill takes the rest) straight into a free
 * one.  Lock held; false: the general path decides.
 */
bool vgic_spi_place_locked(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid)
{
	struct virq *irq = &d->spi[intid - GIC_PRIV_COUNT];
	u32 empty = gich_empty_lrs(), n;

	if ((irq->flags & (VIRQ_PENDING | VIRQ_HW | VIRQ_EDGE | VIRQ_OWNED)) !=
		    (VIRQ_EDGE | VIRQ_OWNED) ||
	    !vgic_spi_enabled(d, intid) || !vgic_group_enabled(d, irq) || irq->target != vc->index)
		return false;
	empty &= ~vc->lr_used;
	if (irq->lr || !empty)
		return false;
	n = (u32)__builtin_ctz(empty);
	irq->lr = (u8)(n + 1);
	irq->lr_vcpu = (u8)vc->index;
	vc->lr_intid[n] = (u16)intid;
	vc->lr_source[n] = 0;
	vc->lr_used |= BIT(n);
	vc->injected++;
	gich_write_lr(n, doorbell_lr(d, intid, irq->flags));
	return true;
}

/*
 * The common case, without the lock whatever the vCPUs (one or several): the doorbell's last
 * instance still books list register n of vc, which the guest completed (no EOI maintenance
 * is asked for, lr_encode), and nothing but that list register has to change
 * (spi_entry_refillable).  Its state word is read once (struct virq: one single-copy atomic
 * load, ARM ARM A3.5.3), target included.  Only an instance neither pending in software nor
 * last seen active is refilled here (the general path's sync settles that).  A disable on
 * another vCPU sees the booking (vgicd_write_spi_enable reads irq->lr after its barrier) and
 * kicks vc, whose sync then takes the instance back (vgic_lr_withdraw).
 */
static inline __attribute__((always_inline)) bool spi_refill(struct vgic_dist *d,
							     struct vgic_cpu *vc, u32 intid)
{
	struct virq v;
	u32 flags, n;

	__atomic_load(&d->spi[intid - GIC_PRIV_COUNT], &v, __ATOMIC_RELAXED);
	flags = v.flags;
	n = v.lr - 1U;
	if ((flags & (VIRQ_PENDING | VIRQ_ACTIVE | VIRQ_HW | VIRQ_EDGE | VIRQ_OWNED)) !=
		    (VIRQ_EDGE | VIRQ_OWNED) ||
	    !spi_entry_refillable(d, vc, intid, n, flags) || v.target != vc->index)
		return false;
	vc->injected++;
	gich_write_lr(n, doorbell_lr(d, intid, flags));
	return true;
}

/*
 * The refill without the lock, else vgic_spi_place_locked under the lock
 * (vgic_spi_place_shared), or without it in a partition of one vCPU: every SPI's
 * state there (flags, booking, priority, the distributor's CTLR) is written only on that
 * vCPU's CPU (its own distributor writes, its flushes, and its partition's start and stop,
 * which run there while it is parked).  Other CPUs only read the flags (vgic_raise), post
 * to the inbox (atomic), or, under the lock, change another SPI's flags byte and the
 * pending map and dirty flag (vgic_set_line: the UART's line), none of which this writes.
 */
static __attribute__((noinline)) bool spi_place(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid)
{
	if (spi_refill(d, vc, intid))
		return true;
	if (d->vcpu_count == 1)
		return vgic_spi_place_locked(d, vc, intid);
	return vgic_spi_place_shared(d, vc, intid);
}

/*
 * The common case, one SGI or doorbell in a word and nothing else waiting for a list
 * register, goes straight into one; anything else becomes pending and the general flush
 * places it.
 */
void vgic_inbox_drain(struct vgic_cpu *vc)
{
	u32 w = vc->inbox_words; /* from the last: the loop's end is one test (SGI -1) */

	do {
		u32 in, b;
		bool done = false;

		w--;

		if (!__atomic_load_n(&vc->inbox[w], __ATOMIC_RELAXED))
			continue;
		in = __atomic_exchange_n(&vc->inbox[w], 0, __ATOMIC_ACQUIRE);
		b = (u32)__builtin_ctz(in);
		if (!(in & (in - 1)) && !vc->dirty)
			done = w < vc->inbox_spi ?
				       sgi_place(vc, b % 16, 2 * w + b / 16) :
				       spi_place(vc->dist, vc,
						 GIC_PRIV_COUNT + 32 * (w - vc->inbox_spi) + b);
		if (!done) {
			vgic_inbox_general(vc->dist, vc, w, in);
			return;
		}
	} while (w);
}

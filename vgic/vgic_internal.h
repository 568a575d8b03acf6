/*
 * Shared between the list-register engine (vgic.c) and the distributor
 * emulation (vgicd.c) only; the rest of the hypervisor uses vgic.h.
 * Every function here expects the partition's dist->lock held.
 */
#ifndef TESSERA_VGIC_INTERNAL_H
#define TESSERA_VGIC_INTERNAL_H

#include "vgic/vgic.h"

/* The interrupt 'intid' as vCPU 'vc' sees it (private ones are banked), or NULL. */
struct virq *vgic_irq(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid);

/* The same, inline on the fast paths (fast.c). */
static inline __attribute__((always_inline)) struct virq *
vgic_irq_inline(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid)
{
	if (intid < GIC_PRIV_COUNT)
		return &vc->priv[intid];
	if (intid < d->irq_count)
		return &d->spi[intid - GIC_PRIV_COUNT];
	return NULL;
}

/* Bring the software view up to date with vc's list registers (on vc's CPU). */
void vgic_lr_sync(struct vgic_dist *d, struct vgic_cpu *vc);

/* Set or clear a state bit of the list register holding 'intid' on vc (on vc's CPU). */
void vgic_lr_set_state(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid, u32 state, bool on);
/*
 * SPI 'intid' rung into the inbox of 'was', its target until now: pending for its target now.
 * For a vCPU that is off, whose inbox only its start drains.  Lock held.
 */
void vgic_inbox_move_spi(struct vgic_dist *d, struct vgic_cpu *was, u32 intid);

/* A disabled interrupt vc's list registers hold pending only goes back to software (vc's CPU). */
void vgic_lr_withdraw(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid);

/* Sources of SGI 'sgi' pending in vc's list registers; those in 'clear' are withdrawn. */
u8 vgic_lr_sgi_sources(struct vgic_cpu *vc, u32 sgi, u8 clear);

/* Route passthrough SPI 'intid' physically to its target vCPU's CPU, or to none (vgic.c). */
void vgic_route_hw(struct vgic_dist *d, u32 intid, const struct virq *irq);

/* 'intid' pending for vc in software (its map; not in a list register). */
static inline void vgic_map_set(struct vgic_cpu *vc, u32 intid)
{
	vc->pending[intid / 32] |= 1U << (intid % 32);
}

static inline bool vgic_group_enabled(const struct vgic_dist *d, const struct virq *irq)
{
	return d->ctlr &
	       ((irq->flags & VIRQ_GROUP1) ? GICD_CTLR_ENABLE_GRP1 : GICD_CTLR_ENABLE_GRP0);
}

/* SPI 'intid' (below irq_count) enabled: read without the lock (vgic_spi_set_enabled). */
static inline bool vgic_spi_enabled(const struct vgic_dist *d, u32 intid)
{
	return __atomic_load_n(&d->spi_enabled[intid - GIC_PRIV_COUNT], __ATOMIC_RELAXED);
}

/*
 * Enable or disable SPI 'intid': its byte, the one record of it (GICD_ISENABLER's words are
 * built from the bytes, vgic_spi_enable_word).  One store, single-copy atomic (ARM ARM
 * A3.5.3): without the lock (vgicd.c, vgicd_write_spi_enable) or with it, two vCPUs writing
 * the same SPI's enable at once leave one of the two values, never a mixture.
 */
static inline __attribute__((always_inline)) void vgic_spi_set_enabled(struct vgic_dist *d,
								       u32 intid, bool on)
{
	__atomic_store_n(&d->spi_enabled[intid - GIC_PRIV_COUNT], on, __ATOMIC_RELAXED);
}

/*
 * Owned, enabled and its group on: 'intid' as vc sees it.  A private interrupt's enable is
 * kept only in vc->enabled_map (its fast path writes one word); an SPI's in spi_enabled,
 * which a distributor write changes without the lock (vgicd.c, vgicd_write_spi_enable).
 */
static inline __attribute__((always_inline)) bool vgic_deliverable(const struct vgic_dist *d,
								   const struct vgic_cpu *vc,
								   const struct virq *irq,
								   u32 intid)
{
	bool en = intid < GIC_PRIV_COUNT ? vc->enabled_map & BIT(intid) :
					   vgic_spi_enabled(d, intid);

	return en && (irq->flags & VIRQ_OWNED) && vgic_group_enabled(d, irq);
}

/* Make 'intid' pending (for vc if private, for its target if an SPI) and kick its CPU. */
void vgic_make_pending(struct vgic_dist *d, u32 intid, struct virq *irq, struct vgic_cpu *vc);

/* Withdraw a software-pending interrupt (not one a list register already holds). */
void vgic_unpend(struct vgic_dist *d, u32 intid, struct virq *irq, struct vgic_cpu *vc);

static inline void virq_set_flag(struct virq *irq, u8 flag, bool on)
{
	irq->flags = (u8)((irq->flags & ~flag) | (on ? flag : 0));
}

/* The priority byte of 'intid' (below irq_count) as vc sees it (private ones are banked). */
static inline u8 *vgic_priority(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid)
{
	return intid < GIC_PRIV_COUNT ? &vc->priority[intid] :
					&d->spi_priority[intid - GIC_PRIV_COUNT];
}

/* Interrupts may wait for vc's list registers: have its CPU look before it enters the guest. */
static inline void vgic_mark_dirty(struct vgic_cpu *vc)
{
	vc->dirty = true;
	vgic_kick(vc->pcpu);
}

/*
 * Post 'bit' of inbox word 'word' (one of dst's) to dst, without any lock; 'here': dst runs on this CPU.  Only
 * the post that finds the word empty interrupts dst's CPU: later ones, until dst takes the
 * word, ride on that one (a doorbell or SGI rung again meanwhile costs dst nothing).  The
 * release orders what the sender wrote before against the guest it interrupts; the IPI's
 * DSB (gic_send_sgi) makes the bit visible before the SGI.
 */
static inline void vgic_post_word(struct vgic_cpu *dst, u32 *word, u32 bit, bool here)
{
	if (__atomic_fetch_or(word, bit, __ATOMIC_RELEASE))
		return;
	if (here)
		vgic_inbox_drain(dst); /* the list register written at once */
	else
		vgic_ipi_inline(dst->pcpu);
}

/* The same, word w of dst's inbox. */
static inline void vgic_post(struct vgic_cpu *dst, u32 w, u32 bit, bool here)
{
	vgic_post_word(dst, &dst->inbox[w], bit, here);
}

/*
 * The common case of an injection, the next tick of a timer: its last one still owns list
 * register irq->lr - 1, which the guest's EOI emptied (and which deactivated the physical
 * interrupt, GIC architecture v2 5.4.2).  The interrupt goes straight back into it; the
 * entry's bookkeeping is already right.
 */
static inline void vgic_lr_refill_hw(struct vgic_dist *d, struct vgic_cpu *vc, u32 n, u32 flags,
				     u32 intid)
{
	vc->injected++;
	gich_write_lr(n,
		      GICH_LR_HW | (intid << GICH_LR_PHYSICAL_SHIFT) | intid |
			      ((u32)(*vgic_priority(d, vc, intid) >> 3) << GICH_LR_PRIORITY_SHIFT) |
			      ((flags & VIRQ_GROUP1) ? GICH_LR_GRP1 : 0) | GICH_LR_PENDING);
}

static inline void vgic_lr_refill(struct vgic_dist *d, struct vgic_cpu *vc, struct virq *irq,
				  u32 intid)
{
	irq->flags &= (u8)~VIRQ_ACTIVE;
	vgic_lr_refill_hw(d, vc, irq->lr - 1U, irq->flags, intid);
}

/*
 * The general path (vgic.c, built for size), where the fast paths (fast.c) leave what they
 * do not settle.  Fill vc's list registers from its pending map (vc's CPU, lock held).
 */
void vgic_flush_locked(struct vgic_dist *d, struct vgic_cpu *vc);

/*
 * A doorbell targeted at vc and booked to no list register straight into a free one (fast.c;
 * vc's CPU, the lock held or vc the partition's only vCPU), and the same taking the lock
 * (vgic.c); false: the general path decides.
 */
bool vgic_spi_place_locked(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid);
bool vgic_spi_place_shared(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid);

/* vgic_inject_hw's general case: shared state, locked (the timer's path stays a leaf). */
void vgic_inject_hw_locked(struct vgic_dist *d, struct vgic_cpu *vc, struct virq *irq, u32 intid);

/* A ring of a doorbell targeted at no vCPU: it stays pending in the distributor. */
__attribute__((cold)) void vgic_raise_untargeted(struct vgic_dist *d, u32 intid, struct virq *irq);

/* Inbox word w's bits 'in' and the rest of vc's inbox become pending, and are placed. */
__attribute__((cold)) void vgic_inbox_general(struct vgic_dist *d, struct vgic_cpu *vc, u32 w,
					      u32 in);

/* Everything vc's inbox holds becomes pending (vc's CPU, lock held); true if anything did. */
bool vgic_inbox_take(struct vgic_dist *d, struct vgic_cpu *vc);

#endif /* TESSERA_VGIC_INTERNAL_H */

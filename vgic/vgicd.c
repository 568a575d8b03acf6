/*
 * Emulation of a GICv2 distributor per partition (GIC spec 4.3), as a GIC
 * without the Security Extensions: both group enables in GICD_CTLR, IGROUPR
 * writable, and GICD_TYPER sized to the partition (its vCPUs and the highest
 * INTID it owns).
 *
 * A partition sees and changes only its own interrupts: SGIs, its two timer
 * PPIs, its passthrough SPIs and its emulated ones (virtual UART, doorbells).
 * Everything else reads as zero and ignores writes, and the first attempt on
 * each foreign interrupt is logged.  Changes to passthrough interrupts
 * (enable, pending, active, target, trigger) are applied to the physical
 * distributor; priorities stay virtual (they go into the list registers).
 */
#include "vgic_internal.h"

#define VGICD_IIDR 0x5400043bU /* ProductID 'T', implementer ARM (JEP106 0x43b) */

/* Identification registers PIDR4-7, PIDR0-3, CIDR0-3 (GIC-400 values, ArchRev 2). */
static const u8 vgicd_id[12] = { 0x04, 0x00, 0x00, 0x00, 0x90, 0xb4,
				 0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static bool in_range(u32 offset, u32 base, u32 count_bytes)
{
	return offset - base < count_bytes; /* below base: a large unsigned difference */
}

/* Registers a byte access is allowed on (GIC spec 4.1.4). */
static bool byte_accessible(u32 offset)
{
	return in_range(offset, GICD_IPRIORITYR, 0x400) ||
	       in_range(offset, GICD_ITARGETSR, 0x400) || in_range(offset, GICD_CPENDSGIR, 0x20);
}

/*
 * The first attempt to raise, enable or activate an interrupt the partition
 * does not own is logged as a warning; later ones are not.  Configuration
 * writes to one (priority, target, trigger) are dropped without a line, as a
 * GIC drops writes to an interrupt it does not implement: a GIC driver's
 * initialisation writes defaults to every INTID the distributor reports (the
 * bundled RTOS's and Linux's do), and a driver that goes on to use an
 * interrupt that is not its own enables it, which is the warning.  Clearing
 * what reads as clear is never logged.  The first SGI aimed outside the
 * partition is a warning of its own.
 */
enum note {
	NOTE_NONE, /* (nothing to log) */
	NOTE_WRITE, /* a write that would raise, enable or activate */
	NOTE_SGI /* an SGI aimed outside */
};

static const struct {
	const char *what;
	u8 once; /* the vgic_dist.logged bit that says it was logged */
} notes[] = {
	[NOTE_NONE] = { "", 0 },
	[NOTE_WRITE] = { "write to an interrupt it does not own", VGIC_LOGGED_FOREIGN },
	[NOTE_SGI] = { "SGI aimed at a CPU outside the partition", VGIC_LOGGED_SGI },
};

static __attribute__((noinline)) void log_once(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid,
					       enum note n)
{
	if (d->logged & notes[n].once)
		return;
	d->logged |= notes[n].once;
	vgic_warn(d, vc->index, notes[n].what, intid);
}

/* The interrupt 'intid' as 'vc' sees it, if the partition owns it. */
static struct virq *owned(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid)
{
	struct virq *irq = vgic_irq(d, vc, intid);

	return irq && (irq->flags & VIRQ_OWNED) ? irq : NULL;
}

static bool is_pending(struct vgic_cpu *vc, u32 intid, const struct virq *irq)
{
	if (intid < GIC_SGI_COUNT)
		return vc->sgi_sources[intid] != 0 || (irq->flags & VIRQ_PENDING) ||
		       vgic_lr_sgi_sources(vc, intid, 0);
	return (irq->flags & VIRQ_PENDING) || (irq->lr && irq->lr_vcpu == vc->index &&
					       (gich_read_lr(irq->lr - 1U) & GICH_LR_PENDING));
}

/*
 * The registers with a field per interrupt, in map order: the one-bit ones, 0x80 bytes each
 * from GICD_IGROUPR (GIC spec 4.3.4-4.3.10), then a byte each in IPRIORITYR and ITARGETSR
 * (4.3.11, 4.3.12) and two bits each in ICFGR (4.3.13).
 */
enum field_reg {
	SET_GROUP, /* GICD_IGROUPR */
	SET_ENABLE, /* GICD_ISENABLER */
	CLEAR_ENABLE, /* GICD_ICENABLER */
	SET_PENDING, /* GICD_ISPENDR */
	CLEAR_PENDING, /* GICD_ICPENDR */
	SET_ACTIVE, /* GICD_ISACTIVER */
	CLEAR_ACTIVE, /* GICD_ICACTIVER */
	PRIORITY, /* GICD_IPRIORITYR */
	TARGET, /* GICD_ITARGETSR */
	CONFIG, /* GICD_ICFGR */
	NOT_FIELDS /* any other register */
};
_Static_assert(GICD_IGROUPR + CLEAR_ACTIVE * 0x80 == GICD_ICACTIVER, "field_reg in map order");

/*
 * The field register at 'offset': its first INTID there and its bits per interrupt.  A table
 * by 0x80-byte block from GICD_IGROUPR to the end of GICD_ICFGR (read-only data, not code):
 * the register, log2 of its bits per interrupt, and the offset bits that count interrupts.
 */
#define FIELD(reg, log2_bits, mask) ((reg) | (log2_bits) << 4 | (mask) << 16)
static const u32 field_regs[(GICD_ICFGR + 0x100) / 0x80] = {
	[0] = NOT_FIELDS,
	[GICD_IGROUPR / 0x80] = FIELD(SET_GROUP, 0, 0x7fU),
	FIELD(SET_ENABLE, 0, 0x7fU),
	FIELD(CLEAR_ENABLE, 0, 0x7fU),
	FIELD(SET_PENDING, 0, 0x7fU),
	FIELD(CLEAR_PENDING, 0, 0x7fU),
	FIELD(SET_ACTIVE, 0, 0x7fU),
	FIELD(CLEAR_ACTIVE, 0, 0x7fU),
#define EIGHT(x) x, x, x, x, x, x, x, x
	EIGHT(FIELD(PRIORITY, 3, 0x3ffU)),
	EIGHT(FIELD(TARGET, 3, 0x3ffU)),
#undef EIGHT
	FIELD(CONFIG, 1, 0xffU),
	FIELD(CONFIG, 1, 0xffU),
};
#undef FIELD
_Static_assert(GICD_IPRIORITYR / 0x80 == 8 && GICD_ITARGETSR / 0x80 == 16 &&
		       GICD_ICFGR / 0x80 == 24,
	       "field_regs[] in map order");

static __attribute__((noinline)) enum field_reg field_reg(u32 offset, u32 *first, u32 *bits)
{
	u32 f;

	if (offset / 0x80 >= ARRAY_SIZE(field_regs))
		return NOT_FIELDS;
	f = field_regs[offset / 0x80];
	*bits = 1U << ((f >> 4) & 0xf);
	*first = ((offset & (f >> 16)) * 8) >> ((f >> 4) & 0xf);
	return (enum field_reg)(f & 0xf);
}

static void kick_if_pending(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid, struct virq *irq)
{
	u32 t;

	if (!(irq->flags & VIRQ_PENDING) && !(intid < GIC_SGI_COUNT && vc->sgi_sources[intid]))
		return;
	t = intid < GIC_PRIV_COUNT ? vc->index : irq->target;
	if (t < d->vcpu_count)
		vgic_mark_dirty(d->vcpu[t]);
	/*
	 * A passthrough SPI taken back from a list register waits in the map of the vCPU that
	 * held it (lr_take_back), which need not be its target after a retarget: that one
	 * places it.
	 */
	for (t = 0; intid >= GIC_PRIV_COUNT && t < d->vcpu_count; t++)
		if (d->vcpu[t]->pending[intid / 32] & BIT(intid % 32))
			vgic_mark_dirty(d->vcpu[t]);
}

/*
 * Built with what the Makefile's COLD_OPT turns off (24 bytes fewer; the rest of this file it
 * makes larger, or slower on the writes a guest's GIC driver makes as it starts).
 */
#ifndef __clang__
#pragma GCC push_options
#pragma GCC optimize("no-move-loop-invariants", "no-tree-loop-im", "no-tree-ch",                   \
		     "no-schedule-insns2", "no-tree-tail-merge", "no-ipa-cp", "no-if-conversion",  \
		     "no-expensive-optimizations", "no-guess-branch-probability")
#endif
static __attribute__((noinline)) void apply_bit(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid,
						struct virq *irq, enum field_reg op, bool bit)
{
	/* SGIs are always enabled, and pending through GICD_SPENDSGIR only. */
	if (intid < GIC_SGI_COUNT && op >= SET_ENABLE && op <= CLEAR_PENDING)
		return;
	/*
	 * A passthrough interrupt's enable, pending and active state change in the GIC as well,
	 * in the same register there (its group is the hypervisor's).  Only IGROUPR comes here
	 * with a zero bit.
	 */
	if ((irq->flags & VIRQ_HW) && op != SET_GROUP)
		gic_irq_write(GICD_IGROUPR + (u32)op * 0x80, intid);
	switch (op) {
	case SET_GROUP:
		/*
		 * A listed one moved to the other group is taken back and placed anew (or, in a
		 * group that is off, kept back: GIC spec 4.3.1): its list register names the
		 * group it is signalled as.  IGROUPR writes name every owned interrupt of the
		 * word, so only a change does it.
		 */
		if (!(irq->flags & VIRQ_GROUP1) != !bit) {
			virq_set_flag(irq, VIRQ_GROUP1, bit);
			vgic_lr_withdraw(d, vc, intid);
		}
		kick_if_pending(d, vc, intid, irq);
		break;
	case SET_ENABLE:
	case CLEAR_ENABLE:
		if (intid >= GIC_PRIV_COUNT)
			vgic_spi_set_enabled(d, intid, op == SET_ENABLE);
		else if (op == SET_ENABLE)
			vc->enabled_map |= BIT(intid);
		else
			vc->enabled_map &= ~BIT(intid);
		if (op == SET_ENABLE)
			kick_if_pending(d, vc, intid, irq);
		else
			vgic_lr_withdraw(d, vc, intid);
		break;
	case SET_PENDING:
		if (!(irq->flags & VIRQ_HW)) /* a passthrough one arrives like any other */
			vgic_make_pending(d, intid, irq, vc);
		break;
	case CLEAR_PENDING:
		if (irq->flags & VIRQ_HW) {
			/*
			 * Pending for the guest means we acknowledged it (active in
			 * the GIC, priority dropped): release it, or the device's
			 * interrupt is never seen again (GIC spec 4.3.8).
			 */
			if (is_pending(vc, intid, irq))
				gic_irq_write(GICD_ICACTIVER, intid);
		} else if (!(irq->flags & VIRQ_EDGE) && (irq->flags & VIRQ_LINE)) {
			break; /* a level-sensitive line still asserted stays pending (4.3.8) */
		}
		if (irq->flags & VIRQ_PENDING)
			vgic_unpend(d, intid, irq, vc);
		vgic_lr_set_state(d, vc, intid, GICH_LR_PENDING, false);
		break;
	default: /* SET_ACTIVE, CLEAR_ACTIVE: only the one-bit registers come here */
		virq_set_flag(irq, VIRQ_ACTIVE, op == SET_ACTIVE);
		vgic_lr_set_state(d, vc, intid, GICH_LR_ACTIVE, op == SET_ACTIVE);
		break;
	}
}
#ifndef __clang__
#pragma GCC pop_options
#endif

/*
 * The field of 'intid' in register 'reg' as vc reads it, from the interrupt's flags (the
 * reference for the mirrors vgicd_read_word answers from: the vgic fuzzer and unit tests
 * compare the two); enabled is a private one's bit of enabled_map, an SPI's byte.
 */
static u32 read_field(struct vgic_dist *d, struct vgic_cpu *vc, enum field_reg reg, u32 intid)
{
	struct virq *irq = owned(d, vc, intid);

	if (reg == TARGET && intid < GIC_PRIV_COUNT)
		return 1U << vc->index; /* banked: the reading CPU itself */
	if (!irq)
		return 0;
	switch (reg) {
	case SET_GROUP:
		return (irq->flags & VIRQ_GROUP1) != 0;
	case SET_ENABLE: /* set/clear pairs read alike */
	case CLEAR_ENABLE:
		return intid < GIC_PRIV_COUNT ? (vc->enabled_map >> intid) & 1 :
						vgic_spi_enabled(d, intid);
	case SET_PENDING:
	case CLEAR_PENDING:
		return is_pending(vc, intid, irq);
	case SET_ACTIVE:
	case CLEAR_ACTIVE:
		/*
		 * A passthrough SPI another vCPU holds: its VIRQ_ACTIVE is as that vCPU last
		 * synced, and the guest's EOI of a hardware entry raises no maintenance
		 * interrupt, so ask the GIC, where that EOI deactivates it.  (Linux's
		 * synchronize_irq polls this until it reads 0.)
		 */
		if ((irq->flags & VIRQ_HW) && intid >= GIC_PRIV_COUNT && irq->lr_vcpu != vc->index)
			return gic_irq_is_active(intid);
		return (irq->flags & VIRQ_ACTIVE) != 0;
	case PRIORITY:
		return *vgic_priority(d, vc, intid);
	case TARGET: /* a private one's: the reading CPU itself (banked) */
		return intid < GIC_PRIV_COUNT ? BIT(vc->index) :
						d->spi_targets[intid - GIC_PRIV_COUNT];
	default: /* CONFIG: SGIs edge, PPIs level (GIC-400) */
		return (irq->flags & VIRQ_EDGE) ? 2 : 0;
	}
}

static __attribute__((noinline)) void write_target(struct vgic_dist *d, struct vgic_cpu *vc,
						   u32 intid, u32 targets)
{
	struct virq *irq = owned(d, vc, intid);
	u32 old, now;

	/* Private: read-only.  Not the partition's: dropped (above).  One vCPU: all target it. */
	if (intid < GIC_PRIV_COUNT || !irq || d->vcpu_count == 1)
		return;
	old = irq->target;
	targets &= d->vcpu_mask;
	d->spi_targets[intid - GIC_PRIV_COUNT] = (u8)targets;
	now = targets ? (u32)__builtin_ctz(targets) : VIRQ_NO_TARGET;
	irq->target = (u8)now;
	if (old == now)
		return;
	if (irq->flags & VIRQ_HW)
		vgic_route_hw(d, intid, irq);
	/* A doorbell rung while its old target was off waits in that vCPU's inbox: it moves. */
	if (old < d->vcpu_count && !d->vcpu[old]->on)
		vgic_inbox_move_spi(d, d->vcpu[old], intid);
	/*
	 * Pending and not yet in a list register (a passthrough one too, taken while its
	 * vCPU's list registers were full): it moves to the new target, or, with none,
	 * stays pending in the distributor only (GIC spec 4.3.12: an SPI with no target
	 * is forwarded to no CPU interface) until a target is set again.
	 */
	if (irq->flags & VIRQ_PENDING) {
		vgic_unpend(d, intid, irq, vc);
		vgic_make_pending(d, intid, irq, vc);
	}
}

static __attribute__((noinline)) void write_priority(struct vgic_dist *d, struct vgic_cpu *vc,
						     u32 intid, u32 prio)
{
	struct virq *irq = owned(d, vc, intid);

	if (!irq)
		return; /* not the partition's: dropped (above) */
	*vgic_priority(d, vc, intid) =
		(u8)(prio & 0xf8); /* 5 priority bits, as GICH list registers hold */
	kick_if_pending(d, vc, intid, irq);
}

/*
 * An ICFGR field: an owned passthrough SPI's trigger, which goes to the GIC as well.  SGIs and
 * PPIs are read-only, and emulated lines keep their nature (UART level, doorbells edge).
 */
static void write_trigger(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid, u32 field)
{
	struct virq *irq = owned(d, vc, intid);
	u32 bit = 2U << (2 * (intid % 16)), *word;
	bool edge = field & 2;

	if (intid < GIC_PRIV_COUNT || !irq || !(irq->flags & VIRQ_HW))
		return;
	word = &d->spi_icfgr[intid / 16 - 2];
	gic_irq_config(intid, edge);
	virq_set_flag(irq, VIRQ_EDGE, edge);
	*word = edge ? *word | bit : *word & ~bit;
}

/*
 * The writers of a field register's fields, in field_reg order from PRIORITY (one call
 * through this table, not three inlined: tests/gates/stack.txt declares it).
 */
static void (*const field_writers[])(struct vgic_dist *, struct vgic_cpu *, u32,
				     u32) = { write_priority, write_target, write_trigger };
_Static_assert(TARGET == PRIORITY + 1 && CONFIG == PRIORITY + 2, "field_writers[] in order");

/*
 * What a non-zero field written to a foreign interrupt logs (once); clears and configuration
 * writes log nothing.
 */
static const u8 foreign_note[NOT_FIELDS] = {
	[SET_GROUP] = NOTE_WRITE,
	[SET_ENABLE] = NOTE_WRITE,
	[SET_PENDING] = NOTE_WRITE,
	[SET_ACTIVE] = NOTE_WRITE,
};

/*
 * Of the 32 interrupts from 'first' (a multiple of 32), the partition's: the one-bit registers'
 * general path looks at these only (a partition owns a few of a word's 32).
 */
static u32 owned_word(const struct vgic_dist *d, u32 first)
{
	if (first < GIC_PRIV_COUNT)
		return VGIC_PRIV_OWNED;
	return first < d->irq_count ? d->spi_owned_map[first / 32 - 1] : 0;
}

/* A write of 'size' bytes to field register 'reg' from INTID 'first', 'bits' each. */
static void write_fields(struct vgic_dist *d, struct vgic_cpu *vc, enum field_reg reg, u32 first,
			 u32 bits, u32 size, u32 value)
{
	u32 i;

	if (bits == 1) { /* a word (access_ok): the interrupts it names, and IGROUPR's zeros */
		u32 own = owned_word(d, first), foreign = value & ~own;

		if (foreign && foreign_note[reg])
			log_once(d, vc, first + (u32)__builtin_ctz(foreign),
				 (enum note)foreign_note[reg]);
		for (own &= reg == SET_GROUP ? ~0U : value; own; own &= own - 1) {
			u32 intid = first + (u32)__builtin_ctz(own);

			apply_bit(d, vc, intid, vgic_irq(d, vc, intid), reg,
				  (value >> (intid % 32)) & 1);
		}
		return;
	}
	/*
	 * Bytes of IPRIORITYR and ITARGETSR, two-bit fields of ICFGR (access_ok: the one-bit
	 * registers are written as words, above).  A foreign interrupt's are dropped without a
	 * line (above).
	 */
	for (i = 0; i < size * 8 / bits; i++)
		field_writers[reg - PRIORITY](d, vc, first + i,
					      (value >> (i * bits)) & ((1U << bits) - 1));
}

/* The first SGI aimed outside the partition is logged (under the lock: once). */
static __attribute__((cold, noinline)) void sgi_outside(struct vgic_dist *d, struct vgic_cpu *vc,
							u32 sgi)
{
	spin_lock(&d->lock);
	log_once(d, vc, sgi, NOTE_SGI);
	spin_unlock(&d->lock);
}

/*
 * GICD_SGIR (GIC spec 4.3.15): send SGI to vCPUs of the partition only, through their
 * inboxes, without the lock; one to this vCPU itself goes into its list registers at once.
 */
void vgicd_sgir(struct vgic_cpu *vc, u32 value)
{
	struct vgic_dist *d = vc->dist;
	u32 all = d->vcpu_mask, targets;
	u32 bit = BIT((value & GICD_SGIR_INTID_MASK) + vc->sgi_shift), w = vc->sgi_word;

	u32 filter = (value >> GICD_SGIR_FILTER_SHIFT) & 3;

	/* The target list first: what a GIC driver sends (make bench). */
	if (filter == GICD_SGIR_FILTER_LIST) {
		targets = (value >> GICD_SGIR_TARGETS_SHIFT) & 0xff;
		if (targets & ~all)
			sgi_outside(d, vc, value & GICD_SGIR_INTID_MASK);
		targets &= all;
	} else if (filter == GICD_SGIR_FILTER_OTHERS) {
		targets = all & ~(1U << vc->index);
	} else if (filter == GICD_SGIR_FILTER_SELF) {
		targets = 1U << vc->index;
	} else {
		return; /* reserved */
	}
	for (; targets; targets &= targets - 1) {
		struct vgic_cpu *dst = d->vcpu[__builtin_ctz(targets)];

		vgic_post_word(dst, (u32 *)((uintptr_t)dst + w), bit, dst == vc);
	}
}

static __attribute__((cold)) u32 read_sgi_pending(struct vgic_cpu *vc, u32 offset, u32 size)
{
	u32 first = offset & 0xf, v = 0, i;

	for (i = 0; i < size; i++)
		v |= (u32)(vc->sgi_sources[first + i] | vgic_lr_sgi_sources(vc, first + i, 0))
		     << (8 * i);
	return v;
}

static __attribute__((cold)) void write_sgi_pending(struct vgic_dist *d, struct vgic_cpu *vc,
						    u32 offset, u32 value, u32 size, bool set)
{
	u32 first = offset & 0xf, i;
	u32 all = d->vcpu_mask;

	for (i = 0; i < size; i++) {
		u32 sgi = first + i;
		u8 sources = (u8)((value >> (8 * i)) & all);

		if (set) {
			if (sources) {
				vc->sgi_sources[sgi] |= sources;
				vgic_make_pending(d, sgi, &vc->priv[sgi], vc);
			}
		} else {
			vc->sgi_sources[sgi] &= (u8)~sources;
			vgic_lr_sgi_sources(vc, sgi, sources);
			if (!vc->sgi_sources[sgi])
				vgic_unpend(d, sgi, &vc->priv[sgi], vc);
		}
	}
}

static bool access_ok(u32 offset, u32 size)
{
	if (offset >= GICD_SIZE || (offset & (size - 1)))
		return false;
	return size == 4 || (size == 1 && byte_accessible(offset));
}

/* Any register as vc reads it: the general path. */
static u32 read_reg(struct vgic_dist *d, struct vgic_cpu *vc, u32 offset, u32 size)
{
	u32 first = 0, bits = 1;
	enum field_reg reg = field_reg(offset, &first, &bits);

	if (reg != NOT_FIELDS) {
		u32 v = 0;

		if (bits == 1) { /* a word: only the partition's interrupts read other than 0 */
			for (u32 own = owned_word(d, first); own; own &= own - 1) {
				u32 i = (u32)__builtin_ctz(own);

				v |= read_field(d, vc, reg, first + i) << i;
			}
			return v;
		}
		for (u32 i = 0; i < size * 8 / bits; i++)
			v |= read_field(d, vc, reg, first + i) << (i * bits);
		return v;
	}
	if (offset == GICD_CTLR)
		return d->ctlr;
	if (offset == GICD_TYPER)
		return vgicd_typer(d);
	if (offset == GICD_IIDR)
		return VGICD_IIDR;
	if (in_range(offset, GICD_CPENDSGIR, 0x20))
		return read_sgi_pending(vc, offset, size);
	if (offset >= GICD_PIDR4 && offset <= GICD_CIDR3)
		return vgicd_id[(offset - GICD_PIDR4) / 4];
	return 0; /* reserved, implementation defined, NSACR, SGIR (write-only): RAZ */
}

bool vgicd_read(struct vgic_dist *d, u32 vcpu, u32 offset, u32 size, u32 *value)
{
	if (!access_ok(offset, size) || vcpu >= d->vcpu_count) {
		*value = 0;
		return false;
	}
	/* The general path, rare since vgicd_read_word and mmio_emulate answer the common reads. */
	spin_lock(&d->lock);
	/*
	 * Pending and active states of interrupts in this vCPU's list registers are live there,
	 * and what its inbox holds is pending already (a distributor has it at once).
	 */
	if (in_range(offset, GICD_ISPENDR, 0x200) || in_range(offset, GICD_CPENDSGIR, 0x20)) {
		if (vgic_inbox_take(d, d->vcpu[vcpu]))
			vgic_mark_dirty(d->vcpu[vcpu]);
		vgic_lr_sync(d, d->vcpu[vcpu]);
	}
	*value = read_reg(d, d->vcpu[vcpu], offset, size);
	spin_unlock(&d->lock);
	return true;
}

/* The rarer writes (vgicd_write_word_fast and _byte_fast take the common ones): for size. */
static __attribute__((cold)) void write_reg(struct vgic_dist *d, struct vgic_cpu *vc, u32 offset,
					    u32 size, u32 value)
{
	u32 first = 0, bits = 1, i;
	enum field_reg reg = field_reg(offset, &first, &bits);

	if (reg != NOT_FIELDS) {
		write_fields(d, vc, reg, first, bits, size, value);
	} else if (offset == GICD_CTLR) {
		u32 old = d->ctlr;

		d->ctlr = value & (GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
		/* A group on: its pending ones go; off: its listed ones come back (lr_sync). */
		if (d->ctlr != old)
			for (i = 0; i < d->vcpu_count; i++)
				vgic_mark_dirty(d->vcpu[i]);
	} else if (in_range(offset, GICD_CPENDSGIR, 0x20)) { /* CPENDSGIR, then SPENDSGIR */
		write_sgi_pending(d, vc, offset, value, size, offset >= GICD_SPENDSGIR);
	}
	/* Everything else is read-only or reserved: writes ignored. */
}

bool vgicd_write_byte_fast(struct vgic_cpu *vc, u32 offset, u32 value)
{
	struct vgic_dist *d = vc->dist;
	u32 intid = offset & 0x3ff;
	struct virq *irq;

	if (offset - GICD_IPRIORITYR >= 0x800)
		return false; /* the general path: refused, or SGI pending bytes */
	if (intid < GIC_PRIV_COUNT) {
		if (offset >= GICD_ITARGETSR)
			return true; /* banked targets: read-only */
		if (!(VGIC_PRIV_OWNED & BIT(intid)))
			return false; /* foreign: the general path logs it */
		/* Own CPU only: no lock.  Pending, it may now go before another. */
		vc->priority[intid] = (u8)(value & 0xf8);
		if ((vc->priv[intid].flags & VIRQ_PENDING) ||
		    (intid < GIC_SGI_COUNT && vc->sgi_sources[intid]))
			vgic_mark_dirty(vc);
		return true;
	}
	irq = intid < d->irq_count ? &d->spi[intid - GIC_PRIV_COUNT] : NULL;
	/*
	 * A target byte that changes nothing: no lock, nothing moves.  Another vCPU's change
	 * under the lock is ordered after this one.  (Uniprocessor: targets stay 1, and
	 * write_target ignores the writes that do not match.)
	 */
	if (offset >= GICD_ITARGETSR && irq && (irq->flags & VIRQ_OWNED) &&
	    d->spi_targets[intid - GIC_PRIV_COUNT] == (value & d->vcpu_mask))
		return true;
	/* An SPI's priority or target byte: shared state, locked. */
	spin_lock(&d->lock);
	if (offset < GICD_ITARGETSR)
		write_priority(d, vc, intid, value & 0xff);
	else
		write_target(d, vc, intid, value & 0xff);
	spin_unlock(&d->lock);
	return true;
}

/*
 * GICD_ISENABLER's word of the 32 SPIs from 'first', from their enable bytes (0 or 1), four
 * at a time: the multiplication puts byte k's bit 0 on bit 28 + k, and the other products
 * fall on bits 7 to 23 or above 31, so nothing carries into the four bits taken.
 */
u32 vgic_spi_enable_word(const struct vgic_dist *d, u32 first)
{
	const u32 *w = (const u32 *)(const void *)&d->spi_enabled[first - GIC_PRIV_COUNT];
	u32 v = 0, i;

	for (i = 0; i < 8; i++)
		v |= ((__atomic_load_n(&w[i], __ATOMIC_RELAXED) * 0x10204080U) >> 28) << (4 * i);
	return v;
}

/* vgicd_write_spi_enable's word under the lock: several SPIs, or what one's change leads to. */
static __attribute__((noinline, cold)) bool
spi_enable_locked(struct vgic_dist *d, struct vgic_cpu *vc, u32 offset, u32 value)
{
	u32 first = (offset & 0x7f) * 8;

	spin_lock(&d->lock);
	for (; value; value &= value - 1) {
		u32 intid = first + (u32)__builtin_ctz(value);

		apply_bit(d, vc, intid, &d->spi[intid - GIC_PRIV_COUNT],
			  offset < GICD_ICENABLER ? SET_ENABLE : CLEAR_ENABLE, 1);
	}
	spin_unlock(&d->lock);
	return true;
}

/*
 * A word of ISENABLER or ICENABLER for SPIs that names the partition's own SPIs only: a driver
 * masking and unmasking its device's interrupt (Linux does for every threaded one), without
 * the general path's decoding, inbox and log checks.
 *
 * One SPI takes no lock.  Its enable is one byte (vgic_spi_set_enabled), stored, then a full
 * barrier orders the store before the look at what has to follow (ARM ARM A3.8.3;
 * docs/design.md, Locking).  An enable then reads VIRQ_PENDING: whoever makes the SPI pending
 * sets that flag and reads the enables after a barrier too (best_pending, vgic.c), so of the
 * two racing at least one sees the other and the SPI is not left pending and unseen (if both
 * see, one kick is spare).  A disable then reads whether a list register holds the SPI, and
 * takes it back as apply_bit does; a placement on another vCPU books the list register and
 * reads the enable again after its barrier (lr_recheck_enable, vgic.c), so one of the two
 * takes it back.  A passthrough SPI (its GIC enable changes too) goes under the lock.
 */
bool vgicd_write_spi_enable(struct vgic_cpu *vc, u32 offset, u32 value)
{
	struct vgic_dist *d = vc->dist;
	u32 w = (offset & 0x7f) / 4 - 1, intid; /* the word's index in the SPI maps */
	struct virq *irq;

	if (w >= ARRAY_SIZE(d->spi_owned_map) || (value & ~d->spi_owned_map[w]))
		return false; /* a foreign SPI: the general path logs it */
	/* None or several (rare): not one bit, which alone is below value ^ (value - 1). */
	if (value - 1 >= (value ^ (value - 1)))
		return spi_enable_locked(d, vc, offset, value);
	intid = 32 * w + GIC_PRIV_COUNT + (u32)__builtin_ctz(value);
	irq = &d->spi[intid - GIC_PRIV_COUNT];
	if (irq->flags & VIRQ_HW) /* passthrough: its GIC enable changes too */
		return spi_enable_locked(d, vc, offset, value);
	if (offset < GICD_ICENABLER) {
		vgic_spi_set_enabled(d, intid, true);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!(__atomic_load_n(&irq->flags, __ATOMIC_RELAXED) & VIRQ_PENDING))
			return true;
	} else {
		vgic_spi_set_enabled(d, intid, false);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!__atomic_load_n(&irq->lr, __ATOMIC_RELAXED))
			return true;
	}
	return spi_enable_locked(d, vc, offset, value); /* kick_if_pending, vgic_lr_withdraw */
}

/* Any of the timers 'ppis' (a word 0 mask, VGIC_TIMERS at most) in one of vc's list registers. */
static inline bool ppis_listed(const struct vgic_cpu *vc, u32 ppis)
{
	return ((ppis & BIT(GIC_PPI_VIRT_TIMER)) && vc->priv[GIC_PPI_VIRT_TIMER].lr) ||
	       ((ppis & BIT(GIC_PPI_PHYS_TIMER)) && vc->priv[GIC_PPI_PHYS_TIMER].lr);
}

bool vgicd_write_priv_word(struct vgic_cpu *vc, u32 offset, u32 value)
{
	u32 ppis;

	/* Word 0 of ISENABLER, ICENABLER, ISPENDR naming owned interrupts only. */
	if ((value & ~VGIC_PRIV_OWNED) ||
	    (offset != GICD_ISENABLER && offset != GICD_ICENABLER && offset != GICD_ISPENDR))
		return false;
	/*
	 * SGI bits do nothing there (always enabled; pending through SPENDSGIR); the timers are
	 * physical (VIRQ_HW), so the change goes to the GIC as apply_bit's.
	 */
	ppis = value & ~GENMASK(15, 0);
	/*
	 * A timer disabled while a list register holds it: the general path takes it back
	 * (apply_bit, vgic_lr_withdraw; GIC spec 4.3.5), so the guest cannot acknowledge it.
	 */
	if (offset == GICD_ICENABLER && ppis_listed(vc, ppis))
		return false;
	gic_priv_write(offset, ppis);
	if (offset == GICD_ISPENDR)
		return true; /* it arrives like any other */
	if (offset == GICD_ICENABLER) {
		vc->enabled_map &= ~ppis;
		return true;
	}
	vc->enabled_map |= ppis;
	/* One that was pending (in software: pending[0], as VIRQ_PENDING) may go now. */
	if (vc->pending[0] & ppis)
		vgic_mark_dirty(vc);
	return true;
}

__attribute__((cold)) bool vgicd_write(struct vgic_dist *d, u32 vcpu, u32 offset, u32 size,
				       u32 value)
{
	if (!access_ok(offset, size) || vcpu >= d->vcpu_count)
		return false;
	if (size == 4 && offset == GICD_SGIR) {
		vgicd_sgir(d->vcpu[vcpu], value);
		return true;
	}
	if (size == 4 ? vgicd_write_word_fast(d->vcpu[vcpu], offset, value) :
			vgicd_write_byte_fast(d->vcpu[vcpu], offset, value))
		return true;
	spin_lock(&d->lock);
	/* What the inbox holds is pending already: a clear of pending state must see it. */
	if (vgic_inbox_take(d, d->vcpu[vcpu]))
		vgic_mark_dirty(d->vcpu[vcpu]);
	write_reg(d, d->vcpu[vcpu], offset, size, value);
	spin_unlock(&d->lock);
	return true;
}

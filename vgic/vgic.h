/*
 * The vgic/ interface: the physical GICv2 driver (gic.c), each partition's
 * emulated distributor (vgicd.c) and the list-register injection engine
 * (vgic.c).
 *
 * Every partition has one struct vgic_dist and one struct vgic_cpu per vCPU.
 * All of a partition's interrupt state is under its dist->lock, with these
 * exceptions (docs/design.md, Locking): a vCPU's private interrupts' state
 * (VGIC_PRIV_OWNED below) changed on its own CPU only, distributor registers read as
 * one word, and the inbox (vgic_cpu.inbox), which other CPUs fill with atomic bit sets.
 * List registers are per physical CPU, so only the CPU that runs a vCPU touches
 * that vCPU's list registers; other CPUs post to its inbox and interrupt it (vgic_ipi),
 * or mark work under the lock and kick it (vgic_kick).
 */
#ifndef TESSERA_VGIC_H
#define TESSERA_VGIC_H

#include "abi/config.h"
#include "arch/spinlock.h"
#include "tessera/types.h"
#include "dev/gicv2.h"

#ifndef VGIC_MAX_IRQS
#include "config_gen.h"
#define VGIC_MAX_IRQS (CFG_MAX_VIRQ > 64 ? CFG_MAX_VIRQ : 64)
#endif
#define VGIC_MAX_LRS 16
/* The SGI by which the hypervisor interrupts another CPU (vgic_ipi, vgic_kick). */
#define VGIC_IPI_SGI 0U

/* ---- The physical GIC (gic.c) ------------------------------------------- */

void gic_init(void); /* boot CPU: the distributor */
void gic_cpu_init(void); /* every CPU: its CPU interface and GICH */
bool gic_is_emulated(void); /* the GIC is QEMU's model (identified at gic_init) */
void gic_send_sgi(u32 cpu, u32 sgi);
void gic_irq_enable(u32 intid, bool enable); /* private INTIDs: this CPU's banked copy */
/* SPI 'intid' to CPU 'cpu'; to none (GIC_CPU_NONE: it stays pending in the distributor). */
void gic_irq_route(u32 intid, u32 cpu);
#define GIC_CPU_NONE 0xffU
void gic_irq_config(u32 intid, bool edge);
void gic_irq_set_pending(u32 intid, bool pending);
void gic_irq_set_active(u32 intid, bool active);
/* A 1 to intid's bit of a set/clear register (GICD_ISENABLER to GICD_ICACTIVER, GIC spec 4.3). */
void gic_irq_write(u32 reg, u32 intid);
/* Is SPI 'intid' active in the GIC (acknowledged, not yet deactivated)? */
bool gic_irq_is_active(u32 intid);

/*
 * The accessors on every interrupt's path, inline in the hypervisor (a call each cost the
 * timer tick a tenth of its path, docs/bench.md); host builds replace them with fakes:
 *   gic_ack            GICC_IAR: INTID (and SGI source) of the highest pending
 *   gic_priority_drop  GICC_EOIR (EOImode = 1: no deactivation)
 *   gic_deactivate     GICC_DIR
 *   gich_read_lr, gich_write_lr: this CPU's list register n
 *   gich_lr_empty      ELRSR0 says list register n holds nothing (n below the LR count)
 *   gich_lr_count, gich_empty_lrs: the list registers there are, and those holding nothing
 */
#if defined(__arm__) && !defined(TESSERA_HOST_FAKE)
#define VGIC_GIC_INLINE 1
#include "platform.h"
#include "tessera/io.h"

static inline u32 gic_ack(void)
{
	return mmio_read32((uintptr_t)PLAT_GICC_BASE + GICC_IAR);
}

static inline void gic_priority_drop(u32 iar)
{
	mmio_write32((uintptr_t)PLAT_GICC_BASE + GICC_EOIR, iar);
}

static inline void gic_deactivate(u32 iar)
{
	mmio_write32((uintptr_t)PLAT_GICC_BASE + GICC_DIR, iar);
}

static inline u32 gich_read_lr(u32 lr)
{
	return mmio_read32((uintptr_t)PLAT_GICH_BASE + GICH_LR0 + 4 * lr);
}

static inline void gich_write_lr(u32 lr, u32 value)
{
	/* Indexed, so that the compiler keeps the base and stores with the index scaled. */
	((volatile u32 *)((uintptr_t)PLAT_GICH_BASE + GICH_LR0))[lr] = value;
}

static inline bool gich_lr_empty(u32 lr)
{
	return mmio_read32((uintptr_t)PLAT_GICH_BASE + GICH_ELRSR0) & (1U << lr);
}

extern u32 gich_lrs; /* list registers this CPU interface has (gic.c, at gic_cpu_init) */
extern u32 gich_lr_mask; /* (1 << gich_lrs) - 1 */

static inline u32 gich_lr_count(void)
{
	return gich_lrs;
}

/* ELRSR0: LRs that hold nothing. */
static inline u32 gich_empty_lrs(void)
{
	return mmio_read32((uintptr_t)PLAT_GICH_BASE + GICH_ELRSR0) & gich_lr_mask;
}

/* Word 0 of a set/clear bit register (GICD_ISENABLER to ICACTIVER): this CPU's banked copy. */
static inline void gic_priv_write(u32 reg, u32 mask)
{
	mmio_write32((uintptr_t)PLAT_GICD_BASE + reg, mask);
}

extern u8 gic_cpu_mask[PLAT_CPU_COUNT]; /* gic.c: each CPU's bit in GICD_ITARGETSR */

/* vgic_ipi's SGI, inline on the SGI and doorbell paths (gic_send_sgi's, without the call). */
static inline void vgic_ipi_inline(u32 pcpu)
{
	/* The SGI must not overtake the inbox bit it announces (GIC spec 4.3.15 note). */
	__asm__ volatile("dsb ish" ::: "memory");
	mmio_write32((uintptr_t)PLAT_GICD_BASE + GICD_SGIR,
		     ((u32)gic_cpu_mask[pcpu] << GICD_SGIR_TARGETS_SHIFT) | VGIC_IPI_SGI);
}

/*
 * vgic_this_pcpu, inline on the doorbell path: HTPIDR holds the hypervisor's record of this
 * CPU, whose second word is the CPU's number (hyp/core/cpu.c asserts it).
 */
static inline u32 vgic_this_pcpu_inline(void)
{
	u32 cpu;

	__asm__ volatile("mrc p15, 4, %0, c13, c0, 2" : "=r"(cpu));
	return *(const u32 *)(uintptr_t)(cpu + 4);
}
#else
#define vgic_ipi_inline vgic_ipi
#define vgic_this_pcpu_inline vgic_this_pcpu
void gic_priv_write(u32 reg, u32 mask);
u32 gic_ack(void);
void gic_priority_drop(u32 iar);
void gic_deactivate(u32 iar);
u32 gich_read_lr(u32 lr);
void gich_write_lr(u32 lr, u32 value);
bool gich_lr_empty(u32 lr);
u32 gich_lr_count(void);
u32 gich_empty_lrs(void); /* ELRSR0: LRs that hold nothing */
#endif

/* GICH: this CPU's list registers and virtual interface control. */
void gich_set_underflow_irq(bool on); /* maintenance interrupt when at most one LR is in use */
void gich_reset(bool enable); /* all LRs empty, APR and VMCR cleared (reset state); HCR.En */

/* ---- Emulation ----------------------------------------------------------- */

/* struct virq.flags */
#define VIRQ_OWNED BIT(0) /* the partition has this interrupt */
#define VIRQ_HW BIT(1) /* a physical interrupt (passthrough, timers): LR HW bit */
#define VIRQ_EDGE BIT(2) /* edge-triggered (ICFGR) */
/* BIT(3) free: an SPI's enable is its byte of vgic_dist.spi_enabled */
#define VIRQ_PENDING BIT(4) /* pending and not in a list register */
#define VIRQ_ACTIVE BIT(5) /* active (as last seen in its list register) */
#define VIRQ_GROUP1 BIT(6)
#define VIRQ_LINE BIT(7) /* an emulated level-sensitive line is asserted */

#define VIRQ_NO_TARGET 0xffU /* struct virq.target of an SPI targeted at no vCPU */

/*
 * An interrupt's state.  Its priority lives apart, in GICD_IPRIORITYR's layout (a byte per
 * INTID: vgic_cpu.priority, vgic_dist.spi_priority), and SPI targets in ITARGETSR's
 * (vgic_dist.spi_targets), so the distributor reads four of them as one word.  The one vCPU
 * an SPI goes to is kept here, where the paths that place it read it with its flags.
 */
struct virq {
	u8 flags;
	u8 target; /* SPIs: the vCPU ITARGETSR's lowest bit names, or VIRQ_NO_TARGET */
	u8 lr; /* 1 + the list register holding it, 0 if none */
	u8 lr_vcpu; /* the vCPU whose list register that is */
} __attribute__((aligned(4))); /* set as one word (init_irq) */

struct vgic_dist;

/*
 * The private interrupts a partition owns on every vCPU: SGIs and the two timer PPIs
 * (priv_init).  A vCPU's private state (priv[], sgi_sources, enabled_map, priority[],
 * pending[0]) changes only on its own CPU (docs/design.md, Locking): other vCPUs' SGIs
 * arrive through its inbox.
 */
#define VGIC_TIMERS (BIT(GIC_PPI_VIRT_TIMER) | BIT(GIC_PPI_PHYS_TIMER)) /* physical (VIRQ_HW) */
#define VGIC_PRIV_OWNED (GENMASK(15, 0) | VGIC_TIMERS)

/*
 * The inbox: SGIs and doorbells posted to a vCPU without the partition's lock, one bit
 * each, set atomically by the sender and taken (atomic exchange) on the vCPU's own CPU.
 * Words [0, inbox_spi): SGIs, two sources a word (bit 16 * (source % 2) + SGI of word
 * source / 2); then one word per 32 SPIs (doorbells), from INTID 32.
 */
#define VGIC_INBOX_SGI_WORDS (CFG_CPU_MAX / 2)
#define VGIC_INBOX_WORDS (VGIC_INBOX_SGI_WORDS + VGIC_MAX_IRQS / 32 - 1)

struct vgic_cpu {
	/*
	 * The fields every path reads first, then the small arrays: Thumb-2's 16-bit loads and
	 * stores reach 31 bytes (byte), 62 (halfword) and 124 (word) from their base.
	 */
	struct vgic_dist *dist; /* its partition's distributor */
	bool dirty; /* interrupts may be waiting for a list register */
	bool underflow_irq; /* GICH_HCR.UIE as last written */
	bool on; /* between vgic_cpu_reset and vgic_cpu_stop: its list registers are its CPU's */
	u8 lr_source[VGIC_MAX_LRS];
	u32 lr_used; /* list registers this vCPU filled */
	u32 index; /* vCPU index in the partition */
	u32 pcpu; /* the physical CPU running it */
	u32 enabled_map; /* priv[] enabled, one bit each, as GICD_ISENABLER0 reads */
	u32 injected; /* interrupts put in a list register since boot (counters, make bench) */
	u32 inbox_spi; /* the inbox's first SPI word: (vcpu_count + 1) / 2 */
	u32 sgi_word; /* where its SGIs go in every vCPU: the byte offset of inbox[index / 2] */
	u32 sgi_shift; /* their first bit there: 16 * (index % 2) */
	u32 inbox_words; /* inbox words in use */
	u16 lr_intid[VGIC_MAX_LRS];
	u32 pending[VGIC_MAX_IRQS / 32]; /* INTIDs pending for this vCPU, not in a LR */
	u32 inbox[VGIC_INBOX_WORDS]; /* atomic; see VGIC_INBOX_SGI_WORDS */
	struct virq priv[GIC_PRIV_COUNT];
	u8 priority[GIC_PRIV_COUNT] __attribute__((aligned(4))); /* IPRIORITYR, 5 bits kept */
	u8 sgi_sources[GIC_SGI_COUNT]; /* pending SGI senders (vCPU mask), not in a LR */
};

struct vgic_dist {
	spinlock_t lock;
	u32 ctlr;
	u32 irq_count; /* INTIDs the distributor reports (TYPER) */
	u32 vcpu_count;
	u32 vcpu_mask; /* (1 << vcpu_count) - 1 */
	u32 partition; /* ID, for the log */
	const char *name;
	struct vgic_cpu *vcpu[CFG_CPU_MAX];
	/* Every field from here on, logged first, starts clear (vgic_dist_init). */
	u8 logged; /* VGIC_LOGGED_*: what vgicd.c logs once was logged */
	u32 spi_owned_map[VGIC_MAX_IRQS / 32 - 1]; /* spi[] the partition's (VIRQ_OWNED) */
	u32 spi_icfgr[VGIC_MAX_IRQS / 16 - 2]; /* VIRQ_EDGE of spi[] as ICFGR reads it */
	struct virq spi[VGIC_MAX_IRQS - GIC_PRIV_COUNT];
	u8 spi_priority[VGIC_MAX_IRQS - GIC_PRIV_COUNT] __attribute__((aligned(4)));
	u8 spi_targets[VGIC_MAX_IRQS - GIC_PRIV_COUNT] __attribute__((aligned(4))); /* mirror */
	/* spi[] enabled, a byte each (0 or 1): the only record (vgic_spi_set_enabled) */
	u8 spi_enabled[VGIC_MAX_IRQS - GIC_PRIV_COUNT] __attribute__((aligned(4)));
};

#define VGIC_LOGGED_FOREIGN BIT(0) /* a write to a foreign interrupt */
#define VGIC_LOGGED_SGI BIT(1) /* an SGI to a foreign CPU */

/*
 * Hooks the hypervisor provides (hyp/): kick a CPU (a request to flush, and the IPI),
 * interrupt a CPU (the IPI alone: its handler calls vgic_inbox_drain), name the current
 * CPU, log.
 */
void vgic_kick(u32 pcpu);
void vgic_ipi(u32 pcpu); /* SGI VGIC_IPI_SGI to pcpu */
u32 vgic_this_pcpu(void);
void vgic_warn(const struct vgic_dist *d, u32 vcpu, const char *what, u32 intid);

/* Set up a partition's distributor from its configuration (boot and restart). */
void vgic_dist_init(struct vgic_dist *d, const struct cfg_partition *cfg,
		    struct vgic_cpu *const *vcpus);

/* A vCPU starts (on its own CPU): empty list registers, nothing pending. */
void vgic_cpu_reset(struct vgic_dist *d, struct vgic_cpu *vc);

/*
 * A vCPU stops (on its own CPU): list registers emptied, physical interrupts
 * it held active are deactivated and its timer interrupts disabled.
 */
void vgic_cpu_stop(struct vgic_dist *d, struct vgic_cpu *vc);

/* vc is off and its CPU idle: SPIs rung into its inbox go to their targets (vgic.c). */
void vgic_inbox_parked(struct vgic_dist *d, struct vgic_cpu *vc);

/* The partition stopped: its passthrough SPIs are disabled and left inactive. */
void vgic_dist_stop(struct vgic_dist *d);

/* GICD_TYPER as the partition reads it: its interrupt lines and vCPUs (GIC spec 4.3.2). */
static inline u32 vgicd_typer(const struct vgic_dist *d)
{
	return ((d->irq_count / 32) - 1) | ((d->vcpu_count - 1) << GICD_TYPER_CPUS_SHIFT);
}

/* GICD_ISENABLER's word of SPIs from 'first' (a multiple of 32, below irq_count). */
u32 vgic_spi_enable_word(const struct vgic_dist *d, u32 first);

/*
 * A word load of a register read without the lock (ISENABLER, ICENABLER, IPRIORITYR,
 * ITARGETSR, ICFGR) by vCPU vc at a word-aligned offset: true with *value set, false for any
 * other register.  Inline: it is the distributor read guests make most (make bench), answered
 * in the trap's fast path.  Each register is one word, or bytes that are single-copy atomic
 * (ARM ARM A3.5.3): a write on another vCPU is seen or not (docs/design.md, Locking).  A
 * foreign interrupt's priority and targets bytes are 0 (vgic_dist_init, never written), so
 * four of them are read as one word without looking at the flags.
 */
static inline bool vgicd_read_word(const struct vgic_dist *d, const struct vgic_cpu *vc, u32 offset,
				   u32 *value)
{
	u32 intid, v = 0;

	if (offset - GICD_ISENABLER < 0x100) { /* ISENABLER and ICENABLER read alike */
		intid = (offset & 0x7f) * 8;
		if (intid < d->irq_count)
			v = intid < GIC_PRIV_COUNT ? vc->enabled_map :
						     vgic_spi_enable_word(d, intid);
	} else if (offset - GICD_IPRIORITYR < 0x800) { /* IPRIORITYR, ITARGETSR: four bytes */
		intid = offset & 0x3ff;
		if (intid >= GIC_PRIV_COUNT) {
			const u8 *b = offset < GICD_ITARGETSR ? d->spi_priority : d->spi_targets;

			if (intid < d->irq_count)
				v = *(const u32 *)(const void *)&b[intid - GIC_PRIV_COUNT];
		} else if (offset < GICD_ITARGETSR) {
			v = *(const u32 *)(const void *)&vc->priority[intid];
		} else {
			v = 0x01010101U << vc->index; /* banked: the reading CPU itself */
		}
	} else if (offset - GICD_ICFGR < 0x100) {
		/* SGIs edge, PPIs level, both read-only (GIC-400); SPIs mirrored. */
		intid = (offset - GICD_ICFGR) * 4;
		if (intid < GIC_PRIV_COUNT)
			v = intid ? 0 : 0xaaaaaaaaU;
		else if (intid < d->irq_count)
			v = d->spi_icfgr[intid / 16 - 2];
	} else {
		return false;
	}
	*value = v;
	return true;
}

/*
 * The distributor writes guests make most, by vCPU vc, an aligned word or a byte at 'offset'
 * below GICD_SIZE: enable and pending words of vc's own timers and priority bytes of its
 * private interrupts, and an enable word naming one of the partition's emulated SPIs, without
 * the lock; priority and target bytes of SPIs and other enable words, under it.  True if done,
 * false for the general path (vgicd_write).  GICD_SGIR (a word) is vgicd_sgir's.
 */
bool vgicd_write_byte_fast(struct vgic_cpu *vc, u32 offset, u32 value);
bool vgicd_write_priv_word(struct vgic_cpu *vc, u32 offset, u32 value); /* word 0 */
bool vgicd_write_spi_enable(struct vgic_cpu *vc, u32 offset, u32 value); /* ISENABLERn, n>0 */

/* Which of the two a word goes to, inline in the trap (no frame of its own). */
static inline bool vgicd_write_word_fast(struct vgic_cpu *vc, u32 offset, u32 value)
{
	if (__builtin_expect(!(offset & 0x7f), 1)) /* word 0 of a register: SGIs and PPIs */
		return vgicd_write_priv_word(vc, offset, value);
	/* A later word (SPIs) of ISENABLER or ICENABLER; of any other register, general. */
	return offset - GICD_ISENABLER < 0x100 && !(offset & 3) &&
	       vgicd_write_spi_enable(vc, offset, value);
}

/* A word written to GICD_SGIR by vCPU vc (GIC spec 4.3.15): the SGI sent, without the lock. */
void vgicd_sgir(struct vgic_cpu *vc, u32 value);

/* Emulated distributor access by 'vcpu'; false if the access size is not allowed. */
bool vgicd_read(struct vgic_dist *d, u32 vcpu, u32 offset, u32 size, u32 *value);
bool vgicd_write(struct vgic_dist *d, u32 vcpu, u32 offset, u32 size, u32 value);

/* An emulated edge-triggered interrupt (doorbell): pending once more. */
void vgic_raise(struct vgic_dist *d, u32 intid);

/*
 * On vc's CPU, its guest stopped (the IPI, or vc's own post): what its inbox holds becomes
 * pending, a single interrupt straight into a free list register.
 */
void vgic_inbox_drain(struct vgic_cpu *vc);

/* An emulated level-sensitive line (virtual UART) changes level. */
void vgic_set_line(struct vgic_dist *d, u32 intid, bool high);

/*
 * A physical interrupt arrived on vc's CPU: inject it with the HW bit, or
 * return false if the partition does not own it.
 */
bool vgic_inject_hw(struct vgic_dist *d, struct vgic_cpu *vc, u32 intid);

/*
 * Passthrough SPI 'intid' of the partition, acknowledged by the CPU of a vCPU that is off: an
 * instance the distributor forwarded there before the route that took it away
 * (vgic_cpu_stop) reached it.  While a vCPU of the partition is on it goes back to the
 * distributor, pending, which forwards it where it is routed now (to no CPU, it waits for its
 * vCPU); with none on the partition stopped, and vgic_dist_stop dropped it.  False if the
 * partition does not own it as a passthrough SPI.
 */
bool vgic_hw_orphan(struct vgic_dist *d, u32 intid);

/* On the vCPU's CPU, before entering the guest: fill list registers. */
void vgic_flush(struct vgic_dist *d, struct vgic_cpu *vc);

/* Does the interrupt 'intid' belong to the partition? (private: to every vCPU) */
bool vgic_owns(const struct vgic_dist *d, u32 intid);

#endif /* TESSERA_VGIC_H */

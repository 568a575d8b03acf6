/*
 * Driver for the physical GICv2 (ARM IHI 0048B): the hypervisor owns the
 * distributor, the CPU interface and the virtual interface control (GICH);
 * guests only ever see their emulated distributor and the GICV page.
 *
 * The CPU interface runs with EOImode = 1 (GIC spec 3.2.1 and 4.4.1 GICC_CTLR, "Priority drop and
 * interrupt deactivation"): the hypervisor's EOI only drops the running
 * priority, so an interrupt injected with the list register HW bit stays
 * active until the guest's own EOI deactivates it.
 *
 * Read-modify-write of shared distributor registers (ICFGR) is under gic_lock.
 */
#include "vgic/vgic.h"
#include "tessera/io.h"
#include "platform.h"

#define HYP_IRQ_PRIORITY 0x80 /* the hypervisor's own SGIs and PPIs */
#define GUEST_IRQ_PRIORITY 0xa0 /* interrupts passed through to partitions */

/*
 * QEMU's GICv2 model (hw/intc/arm_gic.c) names no product and no revision:
 * GICC_IIDR reads 0x0002043B ((revision 2 << 16) | ARM's JEP106 code 0x43B)
 * and GICD_IIDR 0x0000043B (0 in QEMU releases before November 2022); read
 * under QEMU 7.2 on both virt and orangepi-pc.  ARM's GIC-400 (TRM r0p1)
 * reads 0x0202143B and 0x0200143B.  The GIC inside a Cortex-A15 MPCore reads
 * as QEMU does (A15 TRM: ProductID 0, revision 0) and is taken for it: it gets
 * the tick, which costs time but loses no interrupt.
 */
#define QEMU_GICC_IIDR 0x0002043bU
#define QEMU_GICD_IIDR_7_2 0x00000000U
#define QEMU_GICD_IIDR 0x0000043bU

static spinlock_t gic_lock;
static u32 gic_irqs;
static bool gic_secure_view; /* GICD_TYPER.SecurityExtn: we see the Non-secure copy */
u8 gic_cpu_mask[PLAT_CPU_COUNT];
u32 gich_lrs; /* vgic.h: read inline on the interrupt path */
u32 gich_lr_mask; /* (1 << gich_lrs) - 1, the same */
static bool gic_emulated;

static uintptr_t gicd(u32 off)
{
	return (uintptr_t)PLAT_GICD_BASE + off;
}

static uintptr_t gicc(u32 off)
{
	return (uintptr_t)PLAT_GICC_BASE + off;
}

static uintptr_t gich(u32 off)
{
	return (uintptr_t)PLAT_GICH_BASE + off;
}

/* The 32 interrupts from 'first': disabled, neither pending nor active, Group 0. */
static void quiesce_irqs(u32 first)
{
	mmio_write32(gicd(GICD_ICENABLER + first / 8), ~0U);
	mmio_write32(gicd(GICD_ICPENDR + first / 8), ~0U);
	mmio_write32(gicd(GICD_ICACTIVER + first / 8), ~0U);
	/*
	 * Without the Security Extensions both groups are ours: Group 0 is
	 * what GICC_IAR acknowledges with AckCtl = 0, whatever the firmware
	 * left (U-Boot makes everything Group 1 for a Non-secure OS).
	 */
	if (!gic_secure_view)
		mmio_write32(gicd(GICD_IGROUPR + first / 8), 0);
}

/* Whether this is QEMU's GIC model, whose physical interrupts need the tick of hyp/cpu.c. */
static void gic_identify(void)
{
	u32 gicd_iidr = mmio_read32(gicd(GICD_IIDR)), gicc_iidr = mmio_read32(gicc(GICC_IIDR));

	gic_emulated = gicc_iidr == QEMU_GICC_IIDR &&
		       (gicd_iidr == QEMU_GICD_IIDR_7_2 || gicd_iidr == QEMU_GICD_IIDR);
}

bool gic_is_emulated(void)
{
	return gic_emulated;
}

void gic_init(void)
{
	u32 typer = mmio_read32(gicd(GICD_TYPER)), i;

	gic_irqs = MIN(32 * ((typer & GICD_TYPER_ITLINES) + 1), 1020U);
	gic_secure_view = typer & GICD_TYPER_SECURITY_EXTN;
	gic_identify();
	mmio_write32(gicd(GICD_CTLR), 0);
	for (i = GIC_PRIV_COUNT; i < gic_irqs; i += 4) {
		if (i % 32 == 0)
			quiesce_irqs(i);
		if (i % 16 == 0) /* level-sensitive until a guest says */
			mmio_write32(gicd(GICD_ICFGR + i / 4), 0);
		mmio_write32(gicd(GICD_IPRIORITYR + i), GUEST_IRQ_PRIORITY * 0x01010101U);
		mmio_write32(gicd(GICD_ITARGETSR + i), 0x01010101U);
	}
	/* Without the Security Extensions both groups exist and both are ours. */
	mmio_write32(gicd(GICD_CTLR), gic_secure_view ?
					      GICD_CTLR_ENABLE_GRP0 :
					      GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
}

void gic_cpu_init(void)
{
	u32 i, cpu = vgic_this_pcpu();

	/* Banked: SGIs (the hypervisor's IPIs) enabled, PPIs off until used. */
	quiesce_irqs(0);
	for (i = 0; i < GIC_PRIV_COUNT; i += 4)
		mmio_write32(gicd(GICD_IPRIORITYR + i),
			     (i < GIC_SGI_COUNT ? HYP_IRQ_PRIORITY : GUEST_IRQ_PRIORITY) *
				     0x01010101U);
	/*
	 * One byte: GICD_IPRIORITYR is byte-accessible (GIC spec 4.3.11), and a word at
	 * 0x400 + 25 would be unaligned (an alignment fault on Device memory, ARM ARM
	 * A3.2.1) and would also set the priorities of INTIDs 26-28.
	 */
	mmio_write8(gicd(GICD_IPRIORITYR + GIC_PPI_MAINTENANCE), HYP_IRQ_PRIORITY);
	mmio_write32(gicd(GICD_ISENABLER),
		     GENMASK(GIC_SGI_COUNT - 1, 0) | BIT(GIC_PPI_MAINTENANCE));
	/* This CPU's interface number, as the distributor reports it to the CPU itself. */
	gic_cpu_mask[cpu] = (u8)(mmio_read32(gicd(GICD_ITARGETSR)) & 0xff);

	mmio_write32(gicc(GICC_PMR), 0xff);
	mmio_write32(gicc(GICC_BPR), 0);
	mmio_write32(gicc(GICC_CTLR), GICC_CTLR_EOIMODE | GICC_CTLR_ENABLE_GRP0 |
					      (gic_secure_view ? 0 : GICC_CTLR_ENABLE_GRP1));

	gich_lrs = (mmio_read32(gich(GICH_VTR)) & GICH_VTR_LISTREGS) + 1;
	if (gich_lrs > VGIC_MAX_LRS)
		gich_lrs = VGIC_MAX_LRS;
	gich_lr_mask = (1U << gich_lrs) - 1;
	gich_reset(false);
}

#ifndef VGIC_GIC_INLINE /* host builds (tests/unit/gic_test.c); inline in vgic.h otherwise */
void gic_priv_write(u32 reg, u32 mask)
{
	mmio_write32(gicd(reg), mask);
}

u32 gic_ack(void)
{
	return mmio_read32(gicc(GICC_IAR));
}

void gic_priority_drop(u32 iar)
{
	mmio_write32(gicc(GICC_EOIR), iar);
}

void gic_deactivate(u32 iar)
{
	mmio_write32(gicc(GICC_DIR), iar);
}

u32 gich_read_lr(u32 lr)
{
	return mmio_read32(gich(GICH_LR0 + 4 * lr));
}

void gich_write_lr(u32 lr, u32 value)
{
	mmio_write32(gich(GICH_LR0 + 4 * lr), value);
}

bool gich_lr_empty(u32 lr)
{
	return mmio_read32(gich(GICH_ELRSR0)) & (1U << lr);
}

u32 gich_lr_count(void)
{
	return gich_lrs;
}

u32 gich_empty_lrs(void)
{
	return mmio_read32(gich(GICH_ELRSR0)) & ((1U << gich_lrs) - 1);
}
#endif

void gic_send_sgi(u32 cpu, u32 sgi)
{
	/* The SGI must not overtake the request it announces (GIC spec 4.3.15 note). */
#ifdef __arm__ /* host builds (tests/unit/gic_test.c) have no barrier to make */
	__asm__ volatile("dsb ish" ::: "memory");
#endif
	mmio_write32(gicd(GICD_SGIR), ((u32)gic_cpu_mask[cpu] << GICD_SGIR_TARGETS_SHIFT) | sgi);
}

void gic_irq_write(u32 reg, u32 intid)
{
	if (intid < gic_irqs)
		mmio_write32(gicd(reg + (intid / 32) * 4), 1U << (intid % 32));
}

bool gic_irq_is_active(u32 intid)
{
	return intid < gic_irqs &&
	       (mmio_read32(gicd(GICD_ISACTIVER + (intid / 32) * 4)) & (1U << (intid % 32)));
}

void gic_irq_enable(u32 intid, bool enable)
{
	gic_irq_write(enable ? GICD_ISENABLER : GICD_ICENABLER, intid);
}

void gic_irq_set_pending(u32 intid, bool pending)
{
	gic_irq_write(pending ? GICD_ISPENDR : GICD_ICPENDR, intid);
}

void gic_irq_set_active(u32 intid, bool active)
{
	gic_irq_write(active ? GICD_ISACTIVER : GICD_ICACTIVER, intid);
}

void gic_irq_route(u32 intid, u32 cpu)
{
	if (intid >= GIC_PRIV_COUNT && intid < gic_irqs)
		mmio_write8(gicd(GICD_ITARGETSR + intid),
			    cpu < PLAT_CPU_COUNT ? gic_cpu_mask[cpu] : 0);
}

void gic_irq_config(u32 intid, bool edge)
{
	u32 reg = GICD_ICFGR + (intid / 16) * 4, bit = 2U << (2 * (intid % 16)), v;

	if (intid < GIC_PRIV_COUNT || intid >= gic_irqs)
		return;
	spin_lock(&gic_lock);
	v = mmio_read32(gicd(reg));
	mmio_write32(gicd(reg), edge ? v | bit : v & ~bit);
	spin_unlock(&gic_lock);
}

void gich_set_underflow_irq(bool on)
{
	mmio_write32(gich(GICH_HCR), GICH_HCR_EN | (on ? GICH_HCR_UIE : 0));
}

/*
 * GICH_VMCR = 0 gives the vCPU interface its reset state: groups and FIQEn off, priority mask
 * 0, and binary points at their minimum, the value a write below it sets (GICv2 4.4.3,
 * GICC_BPR; VMBP and VMABP alias GICV_BPR and GICV_ABPR, GICv2 5.3, GICH_VMCR).  With the
 * 5 preemption bits of the GIC-400 and of the Cortex-A15's GIC that is 2 and 3, their
 * documented reset values of GICV_BPR and GICV_ABPR (GICH_VMCR resets to 0x004C0000 there).
 * KVM (vgic_v2_enable) and Xen (a zeroed vCPU's VMCR, gicv2_restore_state) write 0 too; QEMU
 * raises the fields the same way (gic_vmcr_write).  qemu.vgic.sgi_and_psci_smp reads them.
 */
void gich_reset(bool enable)
{
	u32 i;

	for (i = 0; i < gich_lrs; i++)
		gich_write_lr(i, 0);
	mmio_write32(gich(GICH_APR), 0);
	mmio_write32(gich(GICH_VMCR), 0);
	mmio_write32(gich(GICH_HCR), enable ? GICH_HCR_EN : 0);
}

/*
 * GICv2 distributor and CPU interface driver, interrupt handler table and dispatch
 * (ARM IHI 0048B).
 *
 * Distributor writes to the enable, pending and active registers use their set/clear pairs
 * (write-one semantics, GICv2 4.3.5-4.3.10), so no read-modify-write races with another CPU;
 * GICD_ICFGR is the only read-modify-write and runs with IRQs masked.  IPRIORITYR and
 * ITARGETSR are byte-accessible (GICv2 4.3.11, 4.3.12).  The handler table is shared by all
 * CPUs; SGIs and PPIs are banked per CPU in hardware but not in the table.
 */
#include "guest.h"

#include "internal.h"

struct gic_slot {
	gic_handler_t handler;
	void *arg;
	uint32_t count;
};

static struct gic_slot slots[GIC_INTID_MAX];
static uint32_t intid_count = 32U;
static uintptr_t gicd_base = GICD_BASE;
static uintptr_t gicc_base = GICC_BASE;

void gic_set_base(uintptr_t gicd, uintptr_t gicc)
{
	gicd_base = gicd;
	gicc_base = gicc;
}

uintptr_t gic_dist_base(void)
{
	return gicd_base;
}

static uintptr_t gicd(uint32_t off)
{
	return gicd_base + off;
}

static uintptr_t gicc(uint32_t off)
{
	return gicc_base + off;
}

static uint32_t bank(uint32_t intid)
{
	return 4U * (intid / 32U);
}

/* The mask of this CPU's interface: GICD_ITARGETSR0-7 read as it (GICv2 4.3.12). */
static uint8_t this_cpu_mask(void)
{
	uint8_t mask = mmio_read8(gicd(GICD_ITARGETSR));

	return mask ? mask : 1U;
}

void gic_init(void)
{
	uint32_t typer = mmio_read32(gicd(GICD_TYPER));
	uint32_t i;
	uint8_t target;

	/* ITLinesNumber: 32 * (N + 1) INTIDs (GICv2 4.3.2). */
	intid_count = MIN(32U * ((typer & GICD_TYPER_ITLINES) + 1U), GIC_INTID_MAX);
	mmio_write32(gicd(GICD_CTLR), 0);
	target = this_cpu_mask();
	for (i = GIC_SPI_BASE; i < intid_count; i += 32U) {
		mmio_write32(gicd(GICD_ICENABLER + bank(i)), ~0U);
		mmio_write32(gicd(GICD_ICPENDR + bank(i)), ~0U);
		mmio_write32(gicd(GICD_ICACTIVER + bank(i)), ~0U);
	}
	for (i = GIC_SPI_BASE; i < intid_count; i++) {
		mmio_write8(gicd(GICD_IPRIORITYR + i), GIC_PRIO_DEFAULT);
		mmio_write8(gicd(GICD_ITARGETSR + i), target);
	}
	mmio_write32(gicd(GICD_CTLR), GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
	gic_cpu_init();
}

void gic_cpu_init(void)
{
	uint32_t i;

	/* SGIs and PPIs are banked per CPU (GICv2 3.1.2): PPIs off, SGIs on. */
	mmio_write32(gicd(GICD_ICENABLER), GENMASK(31, 16));
	mmio_write32(gicd(GICD_ISENABLER), GENMASK(15, 0));
	mmio_write32(gicd(GICD_ICPENDR), ~0U);
	mmio_write32(gicd(GICD_ICACTIVER), ~0U);
	for (i = 0; i < GIC_SPI_BASE; i++)
		mmio_write8(gicd(GICD_IPRIORITYR + i), GIC_PRIO_DEFAULT);
	gic_cpu_interface_init();
}

void gic_cpu_interface_init(void)
{
	mmio_write32(gicc(GICC_PMR), GIC_PRIO_MASK_ALL);
	mmio_write32(gicc(GICC_BPR), 0);
	/*
	 * Both groups signalled as IRQ (FIQEn = 0), and AckCtl so that GICC_IAR acknowledges
	 * Group 1 interrupts too, whichever group the emulation or list registers use
	 * (GICv2 4.4.1, 5.3.1 for GICV_CTLR).
	 */
	mmio_write32(gicc(GICC_CTLR),
		     GICC_CTLR_ENABLE_GRP0 | GICC_CTLR_ENABLE_GRP1 | GICC_CTLR_ACK_CTL);
}

uint32_t gic_intid_count(void)
{
	return intid_count;
}

void gic_irq_enable(uint32_t intid)
{
	mmio_write32(gicd(GICD_ISENABLER + bank(intid)), BIT(intid % 32U));
}

void gic_irq_disable(uint32_t intid)
{
	mmio_write32(gicd(GICD_ICENABLER + bank(intid)), BIT(intid % 32U));
}

bool gic_irq_is_enabled(uint32_t intid)
{
	return (mmio_read32(gicd(GICD_ISENABLER + bank(intid))) & BIT(intid % 32U)) != 0;
}

void gic_irq_set_priority(uint32_t intid, uint8_t priority)
{
	mmio_write8(gicd(GICD_IPRIORITYR + intid), priority);
}

uint8_t gic_irq_get_priority(uint32_t intid)
{
	return mmio_read8(gicd(GICD_IPRIORITYR + intid));
}

void gic_irq_set_target(uint32_t intid, uint8_t cpu_mask)
{
	/* ITARGETSR0-7 (SGIs, PPIs) are read-only. */
	if (intid >= GIC_SPI_BASE)
		mmio_write8(gicd(GICD_ITARGETSR + intid), cpu_mask);
}

void gic_irq_set_edge(uint32_t intid, bool edge)
{
	uintptr_t reg = gicd(GICD_ICFGR + 4U * (intid / 16U));
	uint32_t bit = BIT(2U * (intid % 16U) + 1U); /* Int_config[1]: 1 edge, 0 level */
	uint32_t flags;

	/* SGI configuration is read-only (GICv2 4.3.13). */
	if (intid < GIC_SGI_COUNT)
		return;
	flags = cpu_irq_save();
	mmio_write32(reg, edge ? (mmio_read32(reg) | bit) : (mmio_read32(reg) & ~bit));
	cpu_irq_restore(flags);
}

void gic_irq_set_pending(uint32_t intid)
{
	mmio_write32(gicd(GICD_ISPENDR + bank(intid)), BIT(intid % 32U));
}

void gic_irq_clear_pending(uint32_t intid)
{
	mmio_write32(gicd(GICD_ICPENDR + bank(intid)), BIT(intid % 32U));
}

bool gic_irq_is_pending(uint32_t intid)
{
	return (mmio_read32(gicd(GICD_ISPENDR + bank(intid))) & BIT(intid % 32U)) != 0;
}

void gic_irq_set_active(uint32_t intid)
{
	mmio_write32(gicd(GICD_ISACTIVER + bank(intid)), BIT(intid % 32U));
}

void gic_irq_clear_active(uint32_t intid)
{
	mmio_write32(gicd(GICD_ICACTIVER + bank(intid)), BIT(intid % 32U));
}

bool gic_irq_is_active(uint32_t intid)
{
	return (mmio_read32(gicd(GICD_ISACTIVER + bank(intid))) & BIT(intid % 32U)) != 0;
}

void gic_send_sgi(uint32_t sgi, enum gic_sgi_filter filter, uint8_t cpu_list)
{
	/* Our earlier stores are visible to the target before it takes the SGI. */
	dsb_ish();
	mmio_write32(gicd(GICD_SGIR), (uint32_t)filter << GICD_SGIR_FILTER_SHIFT |
					      (uint32_t)cpu_list << GICD_SGIR_TARGETS_SHIFT |
					      (sgi & 0xfU));
}

uint32_t gic_ack(void)
{
	return mmio_read32(gicc(GICC_IAR));
}

void gic_eoi(uint32_t iar)
{
	mmio_write32(gicc(GICC_EOIR), iar);
}

void gic_set_priority_mask(uint8_t mask)
{
	mmio_write32(gicc(GICC_PMR), mask);
}

uint8_t gic_get_running_priority(void)
{
	return (uint8_t)(mmio_read32(gicc(GICC_RPR)) & 0xffU);
}

bool gic_register(uint32_t intid, gic_handler_t handler, void *arg)
{
	uint32_t flags;

	if (intid >= GIC_INTID_MAX || !handler)
		return false;
	flags = cpu_irq_save();
	slots[intid].handler = handler;
	slots[intid].arg = arg;
	cpu_irq_restore(flags);
	return true;
}

void gic_unregister(uint32_t intid)
{
	uint32_t flags;

	if (intid >= GIC_INTID_MAX)
		return;
	flags = cpu_irq_save();
	slots[intid].handler = NULL;
	slots[intid].arg = NULL;
	cpu_irq_restore(flags);
}

uint32_t gic_irq_count(uint32_t intid)
{
	return intid < GIC_INTID_MAX ? slots[intid].count : 0;
}

bool gic_dispatch_one(void)
{
	uint32_t iar = gic_ack();
	uint32_t intid = iar & GICC_IAR_INTID;
	struct gic_slot *slot;

	/* 1020-1023: nothing to acknowledge, no EOI (GICv2 3.2.5). */
	if (intid >= GIC_INTID_MAX)
		return false;
	slot = &slots[intid];
	slot->count++;
	if (slot->handler) {
		slot->handler(intid, slot->arg);
	} else {
		guest_raw_puts("gic: unexpected INTID ");
		pl011_put_dec(intid);
		guest_raw_puts(", disabled\n");
		gic_irq_disable(intid);
	}
	/* EOImode 0: this write drops the priority and deactivates (GICv2 4.4.5). */
	gic_eoi(iar);
	return true;
}

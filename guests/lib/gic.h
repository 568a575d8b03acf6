/*
 * GICv2 driver: distributor and CPU interface (ARM IHI 0048B, "GIC architecture specification
 * v1.0 and v2.0"), with a table of interrupt handlers.
 *
 * Bare QEMU virt: the real GICD at 0x08000000 and GICC at 0x08010000.  In a Tessera partition
 * the same addresses give an emulated distributor that shows only the partition's interrupts
 * and the physical GICV as CPU interface; the driver does nothing that differs between both.
 * Interrupts are not nested: the dispatcher runs with IRQs masked.
 */
#ifndef GUEST_GIC_H
#define GUEST_GIC_H

#include <stdbool.h>
#include <stdint.h>

#include "bits.h"

/* QEMU virt's addresses: the default until gic_set_base() (guest_c_start: the device tree). */
#define GICD_BASE 0x08000000U
#define GICC_BASE 0x08010000U

/* The GICv2 register maps: one copy, the hypervisor's, shared by the guests. */
#include "dev/gicv2.h"

#define GICC_RPR 0x014 /* running priority (GICv2 4.1.3, table 4-2) */
#define GICC_CTLR_ACK_CTL BIT(2)

/* INTID ranges (GICv2 2.2.1). */
#define GIC_PPI_BASE 16U
#define GIC_SPI_BASE 32U
#define GIC_INTID_MAX 1020U /* 1020-1023 are special */

#define GIC_PRIO_DEFAULT 0xa0U
#define GIC_PRIO_MASK_ALL 0xf0U /* PMR value that lets every configured priority through */

/* GICD_SGIR TargetListFilter (GICv2 4.3.15). */
enum gic_sgi_filter {
	GIC_SGI_TO_LIST = 0,
	GIC_SGI_TO_OTHERS = 1,
	GIC_SGI_TO_SELF = 2,
};

typedef void (*gic_handler_t)(uint32_t intid, void *arg);

/* Where the distributor and CPU interface are (before gic_init); guest_c_start() takes them
 * from the device tree's GIC node, e.g. 0x03001000/0x03002000 in a Xen domU. */
void gic_set_base(uintptr_t gicd, uintptr_t gicc);
uintptr_t gic_dist_base(void);
/* Distributor (all SPIs off, default priority, routed here) and this CPU's interface. */
void gic_init(void);
/* This CPU's banked SGIs/PPIs and CPU interface (secondary CPUs call only this). */
void gic_cpu_init(void);
/* The CPU interface part of gic_cpu_init() only: the banked distributor state is left as found. */
void gic_cpu_interface_init(void);
/* INTIDs the distributor implements (GICD_TYPER.ITLinesNumber). */
uint32_t gic_intid_count(void);
void gic_irq_enable(uint32_t intid);
void gic_irq_disable(uint32_t intid);
bool gic_irq_is_enabled(uint32_t intid);
void gic_irq_set_priority(uint32_t intid, uint8_t priority);
uint8_t gic_irq_get_priority(uint32_t intid);
void gic_irq_set_target(uint32_t intid, uint8_t cpu_mask);
/* Edge- (true) or level-sensitive (GICD_ICFGR); ignored for SGIs. */
void gic_irq_set_edge(uint32_t intid, bool edge);
void gic_irq_set_pending(uint32_t intid);
void gic_irq_clear_pending(uint32_t intid);
bool gic_irq_is_pending(uint32_t intid);
void gic_irq_set_active(uint32_t intid);
void gic_irq_clear_active(uint32_t intid);
bool gic_irq_is_active(uint32_t intid);
/* GICD_SGIR: SGI 0-15 to the CPUs in cpu_list, to all others, or to this CPU. */
void gic_send_sgi(uint32_t sgi, enum gic_sgi_filter filter, uint8_t cpu_list);
/* GICC_IAR / GICC_EOIR: the raw IAR value goes back to EOI (it carries the SGI source). */
uint32_t gic_ack(void);
void gic_eoi(uint32_t iar);
void gic_set_priority_mask(uint8_t mask);
uint8_t gic_get_running_priority(void);
/* Handler for an INTID, called in IRQ mode with IRQs masked; does not enable the INTID. */
bool gic_register(uint32_t intid, gic_handler_t handler, void *arg);
void gic_unregister(uint32_t intid);
/* Acknowledge, run the handler, EOI; false if nothing was pending (spurious). */
bool gic_dispatch_one(void);
/* How many times an INTID was dispatched. */
uint32_t gic_irq_count(uint32_t intid);

#endif /* GUEST_GIC_H */

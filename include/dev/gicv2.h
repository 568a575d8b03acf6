/*
 * GICv2 register maps (ARM IHI 0048B, "GIC Architecture Specification v2"):
 * the distributor (4.1.2, Table 4-1), the CPU interface (4.1.3, Table 4-2) and
 * the virtual interface control block GICH (5.3, Table 5-1).  One place per
 * block; the distributor map serves both the driver and the emulation.
 */
#ifndef TESSERA_GIC_REGS_H
#define TESSERA_GIC_REGS_H

#include "tessera/bits.h"

/* Distributor (GICD). */
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IIDR 0x008
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ICPENDR 0x280
#define GICD_ISACTIVER 0x300
#define GICD_ICACTIVER 0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00
#define GICD_CPENDSGIR 0xf10
#define GICD_SPENDSGIR 0xf20
#define GICD_PIDR4 0xfd0
#define GICD_CIDR3 0xffc
#define GICD_SIZE 0x1000

#define GICD_CTLR_ENABLE_GRP0 BIT(0)
#define GICD_CTLR_ENABLE_GRP1 BIT(1)
#define GICD_TYPER_ITLINES GENMASK(4, 0)
#define GICD_TYPER_CPUS_SHIFT 5
#define GICD_TYPER_SECURITY_EXTN BIT(10)
#define GICD_SGIR_FILTER_SHIFT 24
#define GICD_SGIR_TARGETS_SHIFT 16
#define GICD_SGIR_INTID_MASK GENMASK(3, 0)
#define GICD_SGIR_FILTER_LIST 0
#define GICD_SGIR_FILTER_OTHERS 1
#define GICD_SGIR_FILTER_SELF 2

/* CPU interface (GICC). */
#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_BPR 0x008
#define GICC_IAR 0x00c
#define GICC_EOIR 0x010
#define GICC_ABPR 0x01c
#define GICC_IIDR 0x0fc
#define GICC_DIR 0x1000

#define GICC_CTLR_ENABLE_GRP0 BIT(0)
#define GICC_CTLR_ENABLE_GRP1 BIT(1)
#define GICC_CTLR_EOIMODE BIT(9) /* EOImodeNS in the Non-secure view */
#define GICC_IAR_INTID GENMASK(9, 0)
#define GIC_INTID_SPURIOUS 1023

/* Virtual interface control (GICH). */
#define GICH_HCR 0x000
#define GICH_VTR 0x004
#define GICH_VMCR 0x008
#define GICH_ELRSR0 0x030
#define GICH_APR 0x0f0
#define GICH_LR0 0x100

#define GICH_HCR_EN BIT(0)
#define GICH_HCR_UIE BIT(1)
#define GICH_VTR_LISTREGS GENMASK(5, 0)

#define GICH_LR_VIRTUAL_ID GENMASK(9, 0)
#define GICH_LR_PHYSICAL_SHIFT 10
#define GICH_LR_CPUID_SHIFT 10
#define GICH_LR_EOI BIT(19)
#define GICH_LR_PRIORITY_SHIFT 23
#define GICH_LR_STATE_SHIFT 28
#define GICH_LR_STATE_MASK GENMASK(29, 28)
#define GICH_LR_PENDING (1U << 28)
#define GICH_LR_ACTIVE (2U << 28)
#define GICH_LR_GRP1 BIT(30)
#define GICH_LR_HW BIT(31)

/* Interrupt ID ranges (GIC spec 2.2.1). */
#define GIC_SGI_COUNT 16
#define GIC_PRIV_COUNT 32
#define GIC_PPI_MAINTENANCE 25
#define GIC_PPI_HYP_TIMER 26
#define GIC_PPI_VIRT_TIMER 27
#define GIC_PPI_PHYS_TIMER 30

#endif /* TESSERA_GIC_REGS_H */

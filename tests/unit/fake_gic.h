/*
 * A fake of the physical GICv2 for host tests of vgic/ (Hafnium's arch/fake
 * approach): it implements the hardware hooks vgic/vgic.h declares and the
 * hypervisor hooks (kick, current CPU, warning log).
 *
 * Per simulated physical CPU it holds a set of list registers that behaves
 * like GICH (ARM IHI 0048B 5.3): ELRSR and EISR are computed from the LR
 * contents, HCR.En and HCR.UIE are remembered, and the maintenance interrupt
 * condition (MISR.EOI or MISR.U) can be queried.  The guest side of the virtual CPU
 * interface (GICV_IAR, GICV_EOIR with EOImode 0, GIC spec 5.4) is emulated by
 * fake_guest_ack() and fake_guest_eoi().  The physical distributor keeps
 * enable, pending, active, route and trigger per interrupt (private INTIDs
 * banked per CPU), and every operation on it is logged.
 *
 * Misuse of GICH that the specification calls UNPREDICTABLE or that loses
 * guest state (two LRs for one interrupt, an active LR overwritten, an LR
 * beyond GICH_VTR.ListRegs, an EOI the LRs cannot match) is counted as an
 * error: tests check fake_errors() == 0.
 */
#ifndef TESSERA_FAKE_GIC_H
#define TESSERA_FAKE_GIC_H

#include "vgic/vgic.h"

#define FAKE_PCPU_COUNT CFG_CPU_MAX
#define FAKE_LR_MAX VGIC_MAX_LRS
#define FAKE_PHYS_IRQS 1020
#define FAKE_OPS_MAX 4096
#define FAKE_WARN_MAX 512
#define FAKE_SPURIOUS 1023

/* List register fields (GIC spec 5.3.4, GICH_LRn). */
#define FAKE_LR_STATE(lr) (((lr) >> GICH_LR_STATE_SHIFT) & 3U)
#define FAKE_LR_VID(lr) ((lr)&GICH_LR_VIRTUAL_ID)
#define FAKE_LR_PID(lr) (((lr) >> GICH_LR_PHYSICAL_SHIFT) & 0x3ffU)
#define FAKE_LR_CPUID(lr) (((lr) >> GICH_LR_CPUID_SHIFT) & 7U)
#define FAKE_LR_PRIO(lr) (((lr) >> GICH_LR_PRIORITY_SHIFT) & 0x1fU) /* 5 bits */
#define FAKE_LR_HW(lr) (((lr)&GICH_LR_HW) != 0)
#define FAKE_LR_EOI(lr) (!FAKE_LR_HW(lr) && ((lr)&GICH_LR_EOI) != 0)
#define FAKE_ST_INVALID 0U
#define FAKE_ST_PENDING 1U
#define FAKE_ST_ACTIVE 2U
#define FAKE_ST_PENDING_ACTIVE 3U

enum fake_op_kind {
	FAKE_OP_ENABLE,
	FAKE_OP_DISABLE,
	FAKE_OP_ROUTE, /* arg: the physical CPU */
	FAKE_OP_CONFIG, /* arg: 1 edge, 0 level */
	FAKE_OP_SET_PENDING,
	FAKE_OP_CLEAR_PENDING,
	FAKE_OP_SET_ACTIVE,
	FAKE_OP_CLEAR_ACTIVE,
	FAKE_OP_DEACTIVATE, /* GICC_DIR by the hypervisor */
	FAKE_OP_GUEST_DEACTIVATE, /* the guest's EOI of an HW=1 list register */
};

struct fake_op {
	enum fake_op_kind kind;
	u32 pcpu; /* the CPU that did it */
	u32 intid;
	u32 arg;
};

struct fake_phys_irq {
	bool enabled, pending, active, edge;
	u32 route;
};

struct fake_warning {
	u32 partition;
	u32 vcpu;
	u32 intid;
	char what[96];
};

/* Everything cleared: every CPU gets lr_count list registers; current CPU 0. */
void fake_gic_reset(u32 lr_count);
void fake_set_lr_count(u32 pcpu, u32 lr_count);
void fake_set_cpu(u32 pcpu);
u32 fake_cpu(void);

/* GICH state of a CPU, as the hardware would report it. */
u32 fake_lr(u32 pcpu, u32 n);
u32 fake_lr_count(u32 pcpu);
u32 fake_elrsr(u32 pcpu);
u32 fake_eisr(u32 pcpu);
bool fake_uie(u32 pcpu); /* GICH_HCR.UIE: underflow maintenance requested */
bool fake_enabled(u32 pcpu); /* GICH_HCR.En */
bool fake_maintenance(u32 pcpu); /* MISR.EOI or MISR.U: the maintenance PPI is asserted */
u32 fake_lr_writes(u32 pcpu);
/* The LR holding vINTID 'vid' (and, if cpuid >= 0, that SGI source) in a non-invalid state, or -1. */
int fake_find_lr(u32 pcpu, u32 vid, int cpuid);
/* Number of LRs in the given state (FAKE_ST_*). */
u32 fake_lrs_in_state(u32 pcpu, u32 state);

/* Errors: GICH misuse seen by the fake. */
u32 fake_errors(void);
/* The next LR write on pcpu may clear an active entry: the guest deactivates it (ICACTIVER). */
void fake_allow_deactivate(u32 pcpu);
const char *fake_last_error(void);

/* Guest side of the virtual CPU interface. */
void fake_guest_set_pmr(u32 pcpu, u32 pmr);
u32 fake_guest_ack(u32 pcpu); /* GICV_IAR: vINTID | CPUID << 10, or 1023 */
bool fake_guest_eoi(u32 pcpu, u32 iar); /* GICV_EOIR; false if no LR matched */

/* Physical distributor. */
const struct fake_phys_irq *fake_phys(u32 pcpu, u32 intid);
/* A physical interrupt fires and the hypervisor acknowledges it (active, priority dropped). */
void fake_phys_fire(u32 pcpu, u32 intid);
u32 fake_op_count(void);
const struct fake_op *fake_op_at(u32 i);
u32 fake_ops_for(enum fake_op_kind kind, u32 intid); /* how many such operations */
const struct fake_op *fake_last_op_for(enum fake_op_kind kind, u32 intid);
u32 fake_ops_on(u32 intid); /* operations of any kind on intid */
void fake_clear_ops(void);

/* Kicks (vgic_kick, and vgic_ipi counted with them) and warnings (vgic_warn). */
u32 fake_kicks(u32 pcpu);
bool fake_take_kick(u32 pcpu); /* the CPU's pending kick request, consumed */
bool fake_take_ipi(u32 pcpu); /* the CPU's pending IPI (vgic_ipi), consumed */
/* Run 'fake_read_lr_hook' (as another CPU would act) at the n-th gich_read_lr from now. */
extern void (*fake_read_lr_hook)(void);
extern u32 fake_read_lr_hook_at;
/* The same at the n-th gich_write_lr, before the write. */
extern void (*fake_write_lr_hook)(void);
extern u32 fake_write_lr_hook_at;
/* The same at the n-th vgic_this_pcpu (vgic_raise reads it between the target and the post). */
extern void (*fake_this_pcpu_hook)(void);
extern u32 fake_this_pcpu_hook_at;
void fake_clear_kicks(void);
u32 fake_warning_count(void);
const struct fake_warning *fake_warning_at(u32 i);
u32 fake_warnings_for(u32 intid); /* reports on intid */
void fake_clear_warnings(void);

#endif /* TESSERA_FAKE_GIC_H */

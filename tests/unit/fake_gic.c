/*
 * The fake GICv2 for host tests of vgic/ (see fake_gic.h for what it
 * promises).  List-register behaviour follows ARM IHI 0048B: 5.3.4 (GICH_LRn),
 * 5.3.8-5.3.10 (MISR, EISR, ELRSR) and 5.4 (the virtual CPU interface).
 */
#include <stdio.h>
#include <string.h>

#include "fake_gic.h"

struct fake_cpu {
	u32 lr[FAKE_LR_MAX];
	u32 lr_count;
	u32 lr_writes;
	bool uie; /* GICH_HCR.UIE */
	bool en; /* GICH_HCR.En */
	u32 pmr;
	struct fake_phys_irq priv[GIC_PRIV_COUNT];
	u32 kicks;
	bool kick_pending;
	bool ipi_pending; /* vgic_ipi: the inbox to drain */
	bool deactivate_allowed; /* the guest asked (GICD_ICACTIVER): an active LR may be cleared */
};

static struct fake_cpu fcpu[FAKE_PCPU_COUNT];
static struct fake_phys_irq fspi[FAKE_PHYS_IRQS];
static u32 fcur;
static struct fake_op fops[FAKE_OPS_MAX];
static u32 fop_count;
static struct fake_warning fwarn[FAKE_WARN_MAX];
static u32 fwarn_count;
static u32 ferrors;
static char ferror_text[160];

static void fake_error(const char *fmt, u32 a, u32 b, u32 c)
{
	ferrors++;
	snprintf(ferror_text, sizeof(ferror_text), fmt, a, b, c);
}

void fake_gic_reset(u32 lr_count)
{
	u32 i;

	memset(fcpu, 0, sizeof(fcpu));
	memset(fspi, 0, sizeof(fspi));
	for (i = 0; i < FAKE_PCPU_COUNT; i++) {
		fcpu[i].lr_count = lr_count;
		fcpu[i].pmr = 0xff;
	}
	fcur = 0;
	fop_count = 0;
	fwarn_count = 0;
	ferrors = 0;
	ferror_text[0] = 0;
}

void fake_set_lr_count(u32 pcpu, u32 lr_count)
{
	fcpu[pcpu].lr_count = lr_count;
}

void fake_set_cpu(u32 pcpu)
{
	fcur = pcpu;
}

u32 fake_cpu(void)
{
	return fcur;
}

/* ---- GICH ------------------------------------------------------------------ */

u32 fake_lr(u32 pcpu, u32 n)
{
	return fcpu[pcpu].lr[n];
}

u32 fake_lr_count(u32 pcpu)
{
	return fcpu[pcpu].lr_count;
}

u32 fake_lr_writes(u32 pcpu)
{
	return fcpu[pcpu].lr_writes;
}

/* ELRSR (5.3.10): an LR is empty when invalid and it will not raise an EOI maintenance. */
u32 fake_elrsr(u32 pcpu)
{
	u32 n, v = 0;

	for (n = 0; n < fcpu[pcpu].lr_count; n++) {
		u32 lr = fcpu[pcpu].lr[n];

		if (FAKE_LR_STATE(lr) == FAKE_ST_INVALID && (FAKE_LR_HW(lr) || !FAKE_LR_EOI(lr)))
			v |= 1U << n;
	}
	return v;
}

/* EISR (5.3.9): invalid LRs with HW == 0 and EOI == 1 (the guest completed them). */
u32 fake_eisr(u32 pcpu)
{
	u32 n, v = 0;

	for (n = 0; n < fcpu[pcpu].lr_count; n++) {
		u32 lr = fcpu[pcpu].lr[n];

		if (FAKE_LR_STATE(lr) == FAKE_ST_INVALID && FAKE_LR_EOI(lr))
			v |= 1U << n;
	}
	return v;
}

bool fake_uie(u32 pcpu)
{
	return fcpu[pcpu].uie;
}

bool fake_enabled(u32 pcpu)
{
	return fcpu[pcpu].en;
}

u32 fake_lrs_in_state(u32 pcpu, u32 state)
{
	u32 n, count = 0;

	for (n = 0; n < fcpu[pcpu].lr_count; n++)
		if (FAKE_LR_STATE(fcpu[pcpu].lr[n]) == state)
			count++;
	return count;
}

/* MISR (5.3.8): EOI when EISR is non-zero, U when UIE is set and at most one LR is valid. */
bool fake_maintenance(u32 pcpu)
{
	if (!fcpu[pcpu].en)
		return false;
	if (fake_eisr(pcpu))
		return true;
	return fcpu[pcpu].uie &&
	       fcpu[pcpu].lr_count - fake_lrs_in_state(pcpu, FAKE_ST_INVALID) <= 1;
}

int fake_find_lr(u32 pcpu, u32 vid, int cpuid)
{
	u32 n;

	for (n = 0; n < fcpu[pcpu].lr_count; n++) {
		u32 lr = fcpu[pcpu].lr[n];

		if (FAKE_LR_STATE(lr) == FAKE_ST_INVALID || FAKE_LR_VID(lr) != vid)
			continue;
		if (cpuid >= 0 && (FAKE_LR_HW(lr) || FAKE_LR_CPUID(lr) != (u32)cpuid))
			continue;
		return (int)n;
	}
	return -1;
}

u32 fake_errors(void)
{
	return ferrors;
}

const char *fake_last_error(void)
{
	return ferror_text;
}

/* Same interrupt in two LRs: the same vINTID, and for SGIs the same source (5.3.4). */
static void check_duplicates(u32 pcpu, u32 n)
{
	u32 lr = fcpu[pcpu].lr[n], m;

	if (FAKE_LR_STATE(lr) == FAKE_ST_INVALID)
		return;
	for (m = 0; m < fcpu[pcpu].lr_count; m++) {
		u32 other = fcpu[pcpu].lr[m];

		if (m == n || FAKE_LR_STATE(other) == FAKE_ST_INVALID ||
		    FAKE_LR_VID(other) != FAKE_LR_VID(lr))
			continue;
		if (FAKE_LR_VID(lr) < GIC_SGI_COUNT && !FAKE_LR_HW(lr) &&
		    FAKE_LR_CPUID(other) != FAKE_LR_CPUID(lr))
			continue; /* an SGI from another source */
		fake_error("cpu%u: two list registers hold vINTID %u (one is LR%u)", pcpu,
			   FAKE_LR_VID(lr), m);
		return;
	}
}

u32 gich_lr_count(void)
{
	return fcpu[fcur].lr_count;
}

void (*fake_read_lr_hook)(void);
u32 fake_read_lr_hook_at;
void (*fake_write_lr_hook)(void);
u32 fake_write_lr_hook_at;

/*
 * A hook's moment, at its 'at'-th call: another CPU acts between two of this CPU's steps (a
 * race), then this CPU goes on.  The hook runs once.
 */
static void run_hook(void (**hook)(void), u32 *at)
{
	void (*h)(void) = *hook;
	u32 saved = fcur;

	if (!h || !*at || --*at)
		return;
	*hook = 0;
	h();
	fcur = saved;
}

u32 gich_read_lr(u32 lr)
{
	run_hook(&fake_read_lr_hook, &fake_read_lr_hook_at);
	if (lr >= fcpu[fcur].lr_count) {
		fake_error("cpu%u: read of LR%u beyond ListRegs (%u)", fcur, lr,
			   fcpu[fcur].lr_count);
		return 0;
	}
	return fcpu[fcur].lr[lr];
}

void gich_write_lr(u32 lr, u32 value)
{
	struct fake_cpu *c;
	u32 old;

	run_hook(&fake_write_lr_hook, &fake_write_lr_hook_at);
	c = &fcpu[fcur];

	if (lr >= c->lr_count) {
		fake_error("cpu%u: write of LR%u beyond ListRegs (%u)", fcur, lr, c->lr_count);
		return;
	}
	old = c->lr[lr];
	/* An active interrupt only ever gains the pending state; anything else loses it. */
	if ((FAKE_LR_STATE(old) & FAKE_ST_ACTIVE) &&
	    !(FAKE_LR_VID(value) == FAKE_LR_VID(old) && (FAKE_LR_STATE(value) & FAKE_ST_ACTIVE)) &&
	    !c->deactivate_allowed)
		fake_error("cpu%u: LR%u overwritten while vINTID %u is active", fcur, lr,
			   FAKE_LR_VID(old));
	c->deactivate_allowed = false;
	c->lr[lr] = value;
	c->lr_writes++;
	check_duplicates(fcur, lr);
}

void fake_allow_deactivate(u32 pcpu)
{
	fcpu[pcpu].deactivate_allowed = true;
}

bool gich_lr_empty(u32 lr)
{
	return gich_empty_lrs() & (1U << lr);
}

u32 gich_empty_lrs(void)
{
	return fake_elrsr(fcur);
}

void gich_set_underflow_irq(bool on)
{
	fcpu[fcur].uie = on;
	fcpu[fcur].en = true;
}

void gich_reset(bool enable)
{
	struct fake_cpu *c = &fcpu[fcur];

	memset(c->lr, 0, sizeof(c->lr));
	c->uie = false;
	c->en = enable;
}

/* ---- Guest side: GICV_IAR and GICV_EOIR (GIC spec 5.4, EOImode 0) ------------- */

void fake_guest_set_pmr(u32 pcpu, u32 pmr)
{
	fcpu[pcpu].pmr = pmr;
}

/* Running priority: the highest (lowest value) priority among active LRs, 0x100 if none. */
static u32 running_priority(const struct fake_cpu *c)
{
	u32 n, rp = 0x100;

	for (n = 0; n < c->lr_count; n++) {
		u32 lr = c->lr[n];

		if ((FAKE_LR_STATE(lr) & FAKE_ST_ACTIVE) && (FAKE_LR_PRIO(lr) << 3) < rp)
			rp = FAKE_LR_PRIO(lr) << 3;
	}
	return rp;
}

u32 fake_guest_ack(u32 pcpu)
{
	struct fake_cpu *c = &fcpu[pcpu];
	u32 rp = running_priority(c), n, best = FAKE_LR_MAX, best_prio = 0x100, lr;

	for (n = 0; n < c->lr_count; n++) {
		u32 prio;

		lr = c->lr[n];
		if (FAKE_LR_STATE(lr) != FAKE_ST_PENDING)
			continue;
		prio = FAKE_LR_PRIO(lr) << 3;
		/* It must pass the priority mask and preempt what the guest is handling. */
		if (prio >= c->pmr || prio >= rp)
			continue;
		if (prio < best_prio ||
		    (prio == best_prio && FAKE_LR_VID(lr) < FAKE_LR_VID(c->lr[best]))) {
			best = n;
			best_prio = prio;
		}
	}
	if (best == FAKE_LR_MAX || !c->en)
		return FAKE_SPURIOUS;
	lr = c->lr[best];
	c->lr[best] = (lr & ~GICH_LR_STATE_MASK) | GICH_LR_ACTIVE;
	if (!FAKE_LR_HW(lr) && FAKE_LR_VID(lr) < GIC_SGI_COUNT)
		return FAKE_LR_VID(lr) | (FAKE_LR_CPUID(lr) << GICH_LR_CPUID_SHIFT);
	return FAKE_LR_VID(lr);
}

static struct fake_phys_irq *phys(u32 pcpu, u32 intid)
{
	if (intid < GIC_PRIV_COUNT)
		return &fcpu[pcpu].priv[intid];
	return &fspi[intid < FAKE_PHYS_IRQS ? intid : FAKE_PHYS_IRQS - 1];
}

static void record(enum fake_op_kind kind, u32 intid, u32 arg)
{
	if (fop_count < FAKE_OPS_MAX)
		fops[fop_count++] = (struct fake_op){ kind, fcur, intid, arg };
}

bool fake_guest_eoi(u32 pcpu, u32 iar)
{
	struct fake_cpu *c = &fcpu[pcpu];
	u32 vid = iar & GICH_LR_VIRTUAL_ID, cpuid = (iar >> GICH_LR_CPUID_SHIFT) & 7, n;

	for (n = 0; n < c->lr_count; n++) {
		u32 lr = c->lr[n], saved;

		if (!(FAKE_LR_STATE(lr) & FAKE_ST_ACTIVE) || FAKE_LR_VID(lr) != vid)
			continue;
		if (!FAKE_LR_HW(lr) && vid < GIC_SGI_COUNT && FAKE_LR_CPUID(lr) != cpuid)
			continue;
		/* Active -> invalid; pending and active -> pending. */
		c->lr[n] = (lr & ~GICH_LR_STATE_MASK) |
			   (FAKE_LR_STATE(lr) == FAKE_ST_PENDING_ACTIVE ? GICH_LR_PENDING : 0);
		if (FAKE_LR_HW(lr)) {
			/* HW=1: the GIC deactivates the physical interrupt itself (5.3.4). */
			saved = fcur;
			fcur = pcpu;
			record(FAKE_OP_GUEST_DEACTIVATE, FAKE_LR_PID(lr), 0);
			phys(pcpu, FAKE_LR_PID(lr))->active = false;
			fcur = saved;
		}
		return true;
	}
	fake_error("cpu%u: guest EOI of vINTID %u (source %u) that no active LR holds", pcpu, vid,
		   cpuid);
	return false;
}

/* ---- The physical distributor --------------------------------------------------- */

const struct fake_phys_irq *fake_phys(u32 pcpu, u32 intid)
{
	return phys(pcpu, intid);
}

void fake_phys_fire(u32 pcpu, u32 intid)
{
	struct fake_phys_irq *p = phys(pcpu, intid);

	p->pending = false;
	p->active = true;
}

u32 fake_op_count(void)
{
	return fop_count;
}

const struct fake_op *fake_op_at(u32 i)
{
	return &fops[i];
}

u32 fake_ops_for(enum fake_op_kind kind, u32 intid)
{
	u32 i, n = 0;

	for (i = 0; i < fop_count; i++)
		if (fops[i].kind == kind && fops[i].intid == intid)
			n++;
	return n;
}

const struct fake_op *fake_last_op_for(enum fake_op_kind kind, u32 intid)
{
	u32 i;

	for (i = fop_count; i-- > 0;)
		if (fops[i].kind == kind && fops[i].intid == intid)
			return &fops[i];
	return NULL;
}

u32 fake_ops_on(u32 intid)
{
	u32 i, n = 0;

	for (i = 0; i < fop_count; i++)
		if (fops[i].intid == intid)
			n++;
	return n;
}

void fake_clear_ops(void)
{
	fop_count = 0;
}

void gic_irq_enable(u32 intid, bool enable)
{
	record(enable ? FAKE_OP_ENABLE : FAKE_OP_DISABLE, intid, 0);
	phys(fcur, intid)->enabled = enable;
}

void gic_priv_write(u32 reg, u32 mask)
{
	for (u32 i = 0; i < 32; i++)
		if (mask & (1U << i))
			gic_irq_write(reg, i);
}

void gic_irq_route(u32 intid, u32 cpu)
{
	record(FAKE_OP_ROUTE, intid, cpu);
	phys(fcur, intid)->route = cpu;
}

void gic_irq_config(u32 intid, bool edge)
{
	record(FAKE_OP_CONFIG, intid, edge);
	phys(fcur, intid)->edge = edge;
}

void gic_irq_set_pending(u32 intid, bool pending)
{
	record(pending ? FAKE_OP_SET_PENDING : FAKE_OP_CLEAR_PENDING, intid, 0);
	phys(fcur, intid)->pending = pending;
}

void gic_irq_set_active(u32 intid, bool active)
{
	record(active ? FAKE_OP_SET_ACTIVE : FAKE_OP_CLEAR_ACTIVE, intid, 0);
	phys(fcur, intid)->active = active;
}

void gic_irq_write(u32 reg, u32 intid)
{
	bool set = !(reg / 0x80 % 2); /* ISENABLER, ISPENDR, ISACTIVER are the even blocks */

	if (reg < GICD_ISPENDR)
		gic_irq_enable(intid, set);
	else if (reg < GICD_ISACTIVER)
		gic_irq_set_pending(intid, set);
	else
		gic_irq_set_active(intid, set);
}

bool gic_irq_is_active(u32 intid)
{
	return phys(fcur, intid)->active;
}

void gic_deactivate(u32 iar)
{
	u32 intid = iar & GICC_IAR_INTID;

	record(FAKE_OP_DEACTIVATE, intid, 0);
	phys(fcur, intid)->active = false;
}

/* ---- Hypervisor hooks ------------------------------------------------------------- */

void vgic_kick(u32 pcpu)
{
	fcpu[pcpu].kicks++;
	fcpu[pcpu].kick_pending = true;
}

/* The IPI alone (vgic_ipi): counted as a kick; the CPU drains its vCPU's inbox. */
void vgic_ipi(u32 pcpu)
{
	fcpu[pcpu].kicks++;
	fcpu[pcpu].ipi_pending = true;
}

void (*fake_this_pcpu_hook)(void);
u32 fake_this_pcpu_hook_at;

u32 vgic_this_pcpu(void)
{
	run_hook(&fake_this_pcpu_hook, &fake_this_pcpu_hook_at);
	return fcur;
}

void vgic_warn(const struct vgic_dist *d, u32 vcpu, const char *what, u32 intid)
{
	struct fake_warning *w;

	if (fwarn_count >= FAKE_WARN_MAX)
		return;
	w = &fwarn[fwarn_count++];
	w->partition = d->partition;
	w->vcpu = vcpu;
	w->intid = intid;
	snprintf(w->what, sizeof(w->what), "%s", what);
}

u32 fake_kicks(u32 pcpu)
{
	return fcpu[pcpu].kicks;
}

bool fake_take_kick(u32 pcpu)
{
	bool k = fcpu[pcpu].kick_pending;

	fcpu[pcpu].kick_pending = false;
	return k;
}

bool fake_take_ipi(u32 pcpu)
{
	bool k = fcpu[pcpu].ipi_pending;

	fcpu[pcpu].ipi_pending = false;
	return k;
}

void fake_clear_kicks(void)
{
	u32 i;

	for (i = 0; i < FAKE_PCPU_COUNT; i++) {
		fcpu[i].kicks = 0;
		fcpu[i].kick_pending = false;
		fcpu[i].ipi_pending = false;
	}
}

u32 fake_warning_count(void)
{
	return fwarn_count;
}

const struct fake_warning *fake_warning_at(u32 i)
{
	return &fwarn[i];
}

u32 fake_warnings_for(u32 intid)
{
	u32 i, n = 0;

	for (i = 0; i < fwarn_count; i++)
		if (fwarn[i].intid == intid)
			n++;
	return n;
}

void fake_clear_warnings(void)
{
	fwarn_count = 0;
}

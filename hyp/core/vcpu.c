/*
 * A vCPU on its own physical CPU: entering the guest, the checks made before
 * every return to it, and parking it.  Only the CPU that owns a vCPU runs this
 * code for it; the guest-visible CPU state is reset by hyp/arch/regs.c.
 */
#include <string.h>

#include "arch/sysreg.h"
#include "hyp/arch/regs.h"
#include "hyp/arch/trap.h"
#include "hyp/core/cpu.h"
#include "hyp/core/log.h"
#include "hyp/core/partition.h"
#include "hyp/core/timer.h"
#include "hyp/dev/vuart.h"
#include "mm/mm.h"
#include "vgic/vgic.h"

/* ---- Entering and leaving the guest ------------------------------------------ */

static void load_vmid(struct cpu *c, struct partition *p)
{
	u64 vttbr;

	if (!vmid_current(&vmid_allocator, &p->vmid, c->index)) {
		/*
		 * Other CPUs flush on their kick (bounded: no guest can delay it).  The
		 * allocator's unlock sends SEV, this CPU's own too, so a WFE here mostly
		 * returns at once: this polls the allocator, under its fair ticket lock,
		 * for the few microseconds of a rollover.
		 */
		while (vmid_prepare_entry(&vmid_allocator, &p->vmid, c->index) == VMID_WAIT)
			cpu_relax_wfe();
	}
	vttbr = s2_vttbr(p->s2.root_pa, p->vmid.id);
	if (c->vttbr_loaded != vttbr) {
		write64_vttbr(vttbr);
		isb();
		c->vttbr_loaded = vttbr;
	}
}

/*
 * Everything that must happen before a guest runs again arrives as a request
 * bit (cpu_request): other CPUs' kicks, virtual interrupts made pending (even
 * by this CPU), VMID generation changes.  So the common return to the guest
 * tests one word; this is the rest.
 */
void vcpu_handle_requests(struct cpu *c, struct vcpu *v)
{
	u32 req = __atomic_exchange_n(&c->requests, 0, __ATOMIC_ACQ_REL);

	if (req & CPU_REQ_TLB_FLUSH)
		vmid_handle_flush_request(&vmid_allocator, c->index);
	if ((req & CPU_REQ_VCPU_STOP) &&
	    __atomic_load_n(&v->part->state, __ATOMIC_ACQUIRE) != PART_RUNNING)
		vcpu_park(v);
	if (req & CPU_REQ_VGIC)
		v->vgic.dirty = true;
	if (CFG_WATCHDOG_COUNT && (req & CPU_REQ_WATCHDOG))
		hyp_timer_wake_at(__atomic_load_n(&v->part->watchdog_deadline, __ATOMIC_RELAXED));
	if (v->vgic.dirty)
		vgic_flush(&v->part->vgic, &v->vgic);
	load_vmid(c, v->part);
}

/*
 * v is OFF now (p->lock held, released); the CPU that switches off the partition's last vCPU
 * finishes the partition's stop (partition_vcpu_parked).  This CPU goes idle.
 */
static noreturn __attribute__((noinline)) void off_unlock(struct partition *p, struct vcpu *v)
{
	bool last;

	v->power = VCPU_OFF;
	v->start_pending = false;
	last = --p->vcpus_on == 0;
	if (last) {
		/* No start until partition_vcpu_parked() has stopped this run's interrupts. */
		p->parking = true;
		if (p->state == PART_RUNNING)
			p->state = PART_STOPPED; /* its last vCPU switched itself off */
	}
	spin_unlock(&p->lock);
	if (last)
		partition_vcpu_parked(p);
	cpu_idle();
}

noreturn void vcpu_start(struct vcpu *v)
{
	struct partition *p = v->part;
	struct regs *frame = cpu_frame(this_cpu()->index);
	u32 pc, spsr, told;

	spin_lock(&p->lock);
	if (!v->start_pending || p->state != PART_RUNNING) {
		/*
		 * Stale request: nothing to start.  A vCPU switched ON (CPU_ON) whose
		 * partition stopped before it could start parks here, never having
		 * run, or the partition would wait for it forever.
		 */
		if (v->start_pending)
			off_unlock(p, v);
		spin_unlock(&p->lock);
		cpu_idle();
	}
	v->start_pending = false;
	pc = v->start_pc;
	memset(frame, 0, sizeof(*frame));
	frame->r[0] = v->start_r0;
	frame->r[1] = v->start_r1;
	frame->r[2] = v->start_r2;
	/* Once a run: a CPU_OFF/CPU_ON loop is the guest's business, not lines of the log. */
	told = p->entries_told & BIT(v->index);
	p->entries_told |= BIT(v->index);
	spin_unlock(&p->lock);

	guest_arch_reset(v->index);
	vgic_cpu_reset(&p->vgic, &v->vgic);
	hyp_timer_start();
	if (CFG_WATCHDOG_COUNT) /* CPU_ON: a watchdog armed already */
		hyp_timer_wake_at(__atomic_load_n(&p->watchdog_deadline, __ATOMIC_RELAXED));
	/* SVC mode, interrupts and aborts masked; Thumb if the entry address says so. */
	spsr = PSR_MODE_SVC | PSR_A | PSR_I | PSR_F | ((pc & 1) ? PSR_T : 0);
	write_elr_hyp(pc & ~1U);
	write_spsr(spsr);
	if (!told)
		log_info("%s: vCPU %u enters 0x%08x on cpu%u", p->cfg->tag, v->index, pc & ~1U,
			 v->cpu);
	vcpu_handle_requests(this_cpu(), v); /* also loads this partition's VMID */
	hyp_enter_guest(frame);
}

noreturn void vcpu_park(struct vcpu *v)
{
	struct partition *p = v->part;

	write_cntv_ctl(0);
	write_cntp_ctl(0);
	hyp_timer_stop();
	fault_log_flush(p); /* this CPU's Hyp timer would have said it */
	vuart_flush_vcpu(p, v->index); /* and sent its unfinished line */
	vgic_cpu_stop(&p->vgic, &v->vgic);
	spin_lock(&p->lock);
	off_unlock(p, v);
}

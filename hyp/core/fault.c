/*
 * Guest faults the hypervisor contains: stage-2 aborts it does not emulate,
 * asynchronous aborts, and whatever else a guest does that its partition's
 * fault policy must answer (stop, restart within a bound, or inject the
 * abort into the guest).  Every one is logged with partition, address and
 * PC, rate-limited per partition so that a guest cannot flood the console.
 */
#include "hyp/arch/inject.h"
#include "hyp/core/cpu.h"
#include "hyp/core/fault.h"
#include "hyp/core/fmt.h"
#include "hyp/core/log.h"
#include "hyp/core/partition.h"
#include "hyp/core/timer.h"
#include "hyp/dev/mmio.h"

#define FAULT_LOG_BURST 5 /* messages per window before suppressing */
#define FAULT_LOG_WINDOW_MS 1000

/* Say a closed window's count of suppressed messages ('n' > 0). */
static __attribute__((noinline)) void say_suppressed(const struct partition *p, u32 n)
{
	log_warn("%s: %u fault messages suppressed", p->cfg->tag, n);
}

/*
 * Say how many messages a closed window (or, with 'now_anyway', the current one) suppressed.
 * In each of its two callers: their constant arguments leave less code than one copy.
 */
static inline __attribute__((always_inline)) void
report_suppressed(struct partition *p, bool now_anyway, u64 now, u64 *next)
{
	/* A call: not made where 'now_anyway' leaves the window unread (a constant there). */
	u64 window = now_anyway ? 0 : timer_ms_to_ticks(FAULT_LOG_WINDOW_MS);
	u32 n = 0;

	spin_lock(&p->lock);
	if (p->fault_rl.suppressed) {
		if (now_anyway || now - p->fault_rl.window_start > window) {
			/* The window stays as it is: the next message opens a new one. */
			n = p->fault_rl.suppressed;
			p->fault_rl.suppressed = 0;
		} else if (next) {
			*next = p->fault_rl.window_start + window + 1;
		}
	}
	spin_unlock(&p->lock);
	if (n)
		say_suppressed(p, n);
}

u64 fault_log_window_closed(struct partition *p, u64 now)
{
	u64 next = ~0ULL;

	report_suppressed(p, false, now, &next);
	return next;
}

void fault_log_flush(struct partition *p)
{
	if (__atomic_load_n(&p->fault_rl.suppressed, __ATOMIC_RELAXED))
		report_suppressed(p, true, 0, NULL); /* (no time needed) */
}

void guest_fault_log(struct vcpu *v, const struct guest_fault *f)
{
	struct partition *p = v->part;
	const struct cfg_partition *cfg = p->cfg;
	static const char *const policy[] = {
		[CFG_FAULT_STOP] = "stop", [CFG_FAULT_RESTART] = "restart", [CFG_FAULT_INJECT] = "inject"
	};
	static const char *const access[] = { "read", "write", "fetch" };
	struct ratelimit *rl = &p->fault_rl;
	char ipa[40];
	u32 suppressed = 0;
	u64 window = timer_ms_to_ticks(FAULT_LOG_WINDOW_MS), now, window_end;
	bool allowed, first_suppressed;

	spin_lock(&p->lock);
	p->faults++;
	p->last_fault = f->what;
	/* The rate limit: FAULT_LOG_BURST messages a window, the rest counted (said later). */
	now = timer_now();
	if (now - rl->window_start > window) {
		suppressed = rl->suppressed; /* the count of the window just closed */
		rl->window_start = now;
		rl->count = 0;
		rl->suppressed = 0;
	}
	allowed = rl->count < FAULT_LOG_BURST;
	if (allowed)
		rl->count++;
	else
		rl->suppressed++;
	first_suppressed = !allowed && rl->suppressed == 1;
	window_end = rl->window_start + window + 1;
	spin_unlock(&p->lock);
	if (!allowed) {
		/*
		 * The window's count is said when it closes, even if the guest
		 * faults no more: the Hyp timer of this CPU comes back then
		 * (hyp_timer_expired), or the partition's stop says it first.
		 */
		if (first_suppressed)
			hyp_timer_wake_at(window_end);
		return;
	}
	if (suppressed)
		say_suppressed(p, suppressed);
	ipa[0] = '\0';
	if (f->has_ipa)
		fmt_snprintf(ipa, sizeof(ipa), " IPA 0x%llx", f->ipa);
	/* A fetch is never a write (prefetch_abort): one index for the three. */
	log_warn("%s vCPU %u: %s: %s%s VA 0x%08x PC 0x%08x (HSR 0x%08x); "
		 "policy %s",
		 cfg->tag, v->index, f->what, access[f->instruction * 2 + f->write], ipa, f->va,
		 read_elr_hyp(), f->hsr,
		 policy[cfg->fault_policy < ARRAY_SIZE(policy) ? cfg->fault_policy : 0]);
}

void guest_fault(struct vcpu *v, struct regs *r, const struct guest_fault *f)
{
	const struct cfg_partition *cfg = v->part->cfg;

	guest_fault_log(v, f);
	if (fault_policy_is(cfg, CFG_FAULT_INJECT)) {
		/* An alignment fault (a stage-2 Device mapping's) stays one; the rest are external. */
		inject_abort(r, f->va, f->write, f->instruction,
			     (f->hsr & HSR_FSC_MASK) == FSC_ALIGNMENT);
	} else if (fault_policy_is(cfg, CFG_FAULT_RESTART)) {
		partition_fault_restart(v->part);
	} else {
		partition_stop(v->part, "fault");
	}
}

/* The IPA of a stage-2 abort (ARM ARM B3.12.7 "Hyp IPA Fault Address Register", B4.1.70). */
static bool fault_ipa(u32 hsr, u32 va, u64 *ipa)
{
	u32 fsc = hsr & HSR_FSC_MASK;

	/*
	 * HPFAR holds the IPA only for stage-2 translation and access-flag faults
	 * and for faults on a stage-1 walk; for the rest (a permission fault, an
	 * alignment fault of a stage-2 Device mapping, an external abort) it is
	 * UNKNOWN, so the guest's own stage-1 translation of the VA is redone with
	 * ATS1CPR.  Stage 2 never clears an access flag: no access-flag faults.
	 */
	if (hsr & HSR_DABT_S1PTW)
		va = 0; /* HPFAR names the descriptor's page, whose offset the VA does not give */
	else if ((fsc & FSC_TYPE_MASK) != FSC_TRANSLATION)
		return guest_translate(GUEST_AT_S1_PL1_READ, va, ipa);
	*ipa = ((u64)(read_hpfar() & HPFAR_FIPA_MASK) << 8) | (va & 0xfff);
	return true;
}

__attribute__((noinline)) void data_abort(struct vcpu *v, struct regs *r, u32 hsr)
{
	u32 va = read_hdfar();
	u64 ipa;

	/*
	 * Cache maintenance by VA (HSR.CM, ARM ARM B3.13.6) on an IPA that is
	 * emulated or not mapped: no memory there for it to act on, and the
	 * architecture lets the hypervisor treat it as a no-op (as KVM does), so
	 * it is skipped rather than put to the fault policy.  The operation is an
	 * MCR, 32 bits in ARM and Thumb state alike.  Not a fault on the guest's
	 * own stage-1 walk (S1PTW; an address translation sets CM too): its tables
	 * are outside its memory, which the fault policy hears of (as KVM does),
	 * and a skipped ATS1C* would leave a stale PAR that says it succeeded.
	 */
	if ((hsr & (HSR_DABT_CM | HSR_DABT_S1PTW)) == HSR_DABT_CM) {
		guest_skip_instruction(hsr | HSR_IL);
		return;
	}
	if (!fault_ipa(hsr, va, &ipa))
		return; /* the guest changed its tables under us: retry the access */
	/* A translation fault on an emulated device's page is an access to emulate. */
	if ((hsr & (FSC_TYPE_MASK | HSR_DABT_S1PTW)) == FSC_TRANSLATION &&
	    mmio_abort(v, r, hsr, ipa))
		return;
	mmio_fault(v, r, hsr, ipa, va,
		   (hsr & HSR_DABT_S1PTW) ? "stage-2 abort on its stage-1 walk" :
					    "stage-2 data abort");
}

__attribute__((noinline)) void prefetch_abort(struct vcpu *v, struct regs *r, u32 hsr)
{
	struct guest_fault f; /* every member set below, ipa by fault_ipa if it can: no memset */

	f.what = "stage-2 prefetch abort";
	f.va = read_hifar();
	f.hsr = hsr;
	f.write = false;
	f.instruction = true;
	f.has_ipa = fault_ipa(hsr, f.va, &f.ipa); /* (ipa is read only if has_ipa) */
	guest_fault(v, r, &f);
}

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

bool ratelimit_allow(struct ratelimit *rl, u32 *suppressed)
{
	u64 now = timer_now();

	*suppressed = 0;
	if (now - rl->window_start > timer_ms_to_ticks(FAULT_LOG_WINDOW_MS)) {
		*suppressed = rl->suppressed;
		rl->window_start = now;
		rl->count = 0;
		rl->suppressed = 0;
	}
	if (rl->count < FAULT_LOG_BURST) {
		rl->count++;
		return true;
	}
	rl->suppressed++;
	return false;
}

static const char *policy_name(u32 policy)
{
	static const char *const names[] = {
		[CFG_FAULT_STOP] = "stop", [CFG_FAULT_RESTART] = "restart", [CFG_FAULT_INJECT] = "inject"
	};

	return policy < ARRAY_SIZE(names) ? names[policy] : "stop";
}

void guest_fault_log(struct vcpu *v, const struct guest_fault *f)
{
	struct partition *p = v->part;
	const struct cfg_partition *cfg = p->cfg;
	char ipa[40] = "";
	u32 suppressed;
	bool allowed;

	spin_lock(&p->lock);
	allowed = ratelimit_allow(&p->fault_rl, &suppressed);
	spin_unlock(&p->lock);
	if (!allowed)
		return;
	if (suppressed)
		log_warn("partition %u (%s): %u fault messages suppressed", cfg->id, cfg->name,
			 suppressed);
	if (f->has_ipa)
		fmt_snprintf(ipa, sizeof(ipa), " IPA 0x%llx", f->ipa);
	log_warn("partition %u (%s) vCPU %u: %s: %s%s VA 0x%08x PC 0x%08x (HSR 0x%08x); "
		 "policy %s",
		 cfg->id, cfg->name, v->index, f->what,
		 f->instruction ? "fetch" :
		 f->write	? "write" :
				  "read",
		 ipa, f->va, f->pc, f->hsr, policy_name(cfg->fault_policy));
}

void guest_fault(struct vcpu *v, struct regs *r, const struct guest_fault *f)
{
	guest_fault_log(v, f);
	switch (v->part->cfg->fault_policy) {
	case CFG_FAULT_INJECT:
		if (f->instruction)
			inject_prefetch_abort(r, f->va);
		else
			inject_data_abort(r, f->va, f->write);
		break;
	case CFG_FAULT_RESTART:
		partition_fault_restart(v->part);
		break;
	default:
		partition_stop(v->part, "fault");
		break;
	}
}

/* The IPA of a stage-2 abort (ARM ARM B3.12.7 "Hyp IPA Fault Address Register", B4.1.70). */
static bool fault_ipa(u32 hsr, u32 va, u64 *ipa)
{
	u32 fsc = hsr & HSR_FSC_MASK;

	/*
	 * HPFAR holds the IPA for translation and access-flag faults and for
	 * faults on a stage-1 walk; for a permission fault it is UNKNOWN, so the
	 * guest's own stage-1 translation of the VA is redone with ATS1CPR.
	 */
	if ((fsc & FSC_TYPE_MASK) == FSC_PERMISSION && !(hsr & HSR_DABT_S1PTW)) {
		u64 par;

		write_ats1cpr(va);
		isb();
		par = read64_par();
		if (par & PAR_F)
			return false;
		*ipa = (par & PAR_LPAE) ? (par & PAR_PA_MASK) | (va & 0xfff) :
					  (par & 0xfffff000ULL) | (va & 0xfff);
		return true;
	}
	*ipa = ((u64)(read_hpfar() & HPFAR_FIPA_MASK) << 8) | (va & 0xfff);
	return true;
}

__attribute__((noinline)) void data_abort(struct vcpu *v, struct regs *r, u32 hsr)
{
	u32 va = read_hdfar();
	u64 ipa;

	if (!fault_ipa(hsr, va, &ipa))
		return; /* the guest changed its tables under us: retry the access */
	/* A translation fault on an emulated device's page is an access to emulate. */
	if ((hsr & (FSC_TYPE_MASK | HSR_DABT_S1PTW)) == FSC_TRANSLATION &&
	    mmio_abort(v, r, hsr, ipa))
		return;
	mmio_fault(v, r, hsr, ipa, va, "stage-2 data abort");
}

__attribute__((noinline)) void prefetch_abort(struct vcpu *v, struct regs *r, u32 hsr)
{
	u32 va = read_hifar();
	u64 ipa;
	struct guest_fault f = { .what = "stage-2 prefetch abort",
				 .va = va,
				 .pc = read_elr_hyp(),
				 .hsr = hsr,
				 .instruction = true };

	if (fault_ipa(hsr, va, &ipa)) {
		f.ipa = ipa;
		f.has_ipa = true;
	}
	guest_fault(v, r, &f);
}

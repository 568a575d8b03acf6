/*
 * The synchronous trap dispatcher: every exception a guest takes to Hyp mode
 * (HVC, SMC, stage-2 aborts, trapped CP14/CP15 accesses), by exception class
 * (ARM ARM B3.13.6), and the containment of guest faults.
 */
#include "hyp.h"
#include "hsr.h"
#include "sysreg.h"
#include "../boot/boot.h"

#define FAULT_LOG_BURST 5 /* messages per window before suppressing */
#define FAULT_LOG_WINDOW_MS 1000

void partition_fault_restart(struct partition *p);

void guest_skip_instruction(u32 hsr)
{
	u32 len = (hsr & HSR_IL) ? 4 : 2;

	write_elr_hyp(read_elr_hyp() + len);
	write_spsr(psr_it_advance(read_spsr()));
}

bool ratelimit_allow(struct ratelimit *rl, u32 *suppressed)
{
	u64 now = boot_counter();

	*suppressed = 0;
	if (now - rl->window_start > boot_ms_to_ticks(FAULT_LOG_WINDOW_MS)) {
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
	switch (policy) {
	case CFG_FAULT_RESTART:
		return "restart";
	case CFG_FAULT_INJECT:
		return "inject";
	default:
		return "stop";
	}
}

static void guest_fault_log(struct vcpu *v, const struct guest_fault *f)
{
	struct partition *p = v->part;
	const struct cfg_partition *cfg = p->cfg;
	u32 suppressed;

	spin_lock(&p->lock);
	if (ratelimit_allow(&p->fault_rl, &suppressed)) {
		char ipa[40] = "";

		spin_unlock(&p->lock);
		if (suppressed)
			log_warn("partition %u (%s): %u fault messages suppressed", cfg->id,
				 cfg->name, suppressed);
		if (f->has_ipa)
			fmt_snprintf(ipa, sizeof(ipa), " IPA 0x%llx", f->ipa);
		log_warn("partition %u (%s) vCPU %u: %s: %s%s VA 0x%08x PC 0x%08x (HSR 0x%08x); "
			 "policy %s",
			 cfg->id, cfg->name, v->index, f->what,
			 f->instruction ? "fetch" :
			 f->write	? "write" :
					  "read",
			 ipa, f->va, f->pc, f->hsr, policy_name(cfg->fault_policy));
	} else {
		spin_unlock(&p->lock);
	}
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

/* The IPA of a stage-2 abort (B3.13.? and B4.1.70). */
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

static void data_abort(struct vcpu *v, struct regs *r, u32 hsr)
{
	u32 va = read_hdfar();
	u64 ipa;
	struct guest_fault f = { .what = "stage-2 data abort",
				 .va = va,
				 .pc = read_elr_hyp(),
				 .hsr = hsr,
				 .write = hsr & HSR_DABT_WNR };

	if (!fault_ipa(hsr, va, &ipa))
		return; /* the guest changed its tables under us: retry the access */
	f.ipa = ipa;
	f.has_ipa = true;
	if ((hsr & HSR_FSC_MASK & FSC_TYPE_MASK) == FSC_TRANSLATION && !(hsr & HSR_DABT_S1PTW)) {
		mmio_abort(v, r, hsr, ipa, va);
		return;
	}
	guest_fault(v, r, &f);
}

static void prefetch_abort(struct vcpu *v, struct regs *r, u32 hsr)
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

void hyp_trap(struct regs *r)
{
	u32 hsr = read_hsr();
	struct vcpu *v = this_cpu()->vcpu;

	switch (hsr_ec(hsr)) {
	case HSR_EC_HVC:
		smccc_dispatch(v, r);
		break;
	case HSR_EC_SMC:
		/* Trapped by HCR.TSC; answered like HVC, then skipped (ELR points at it). */
		if (hsr_cond_passed(hsr, read_spsr()))
			smccc_dispatch(v, r);
		guest_skip_instruction(hsr | HSR_IL);
		break;
	case HSR_EC_DABT_GUEST:
		data_abort(v, r, hsr);
		break;
	case HSR_EC_IABT_GUEST:
		prefetch_abort(v, r, hsr);
		break;
	case HSR_EC_CP15_32:
	case HSR_EC_CP15_64:
	case HSR_EC_CP14_32:
	case HSR_EC_CP14_LS:
	case HSR_EC_CP14_64:
	case HSR_EC_HCPTR:
	case HSR_EC_CP10_ID:
		cp_trap(v, r, hsr);
		break;
	default:
		/* Nothing else is configured to trap: answer as the hardware would. */
		inject_undef(r, hsr);
		break;
	}
	vcpu_before_entry(v);
}

void hyp_guest_async_abort(struct regs *r)
{
	struct vcpu *v = this_cpu()->vcpu;
	struct guest_fault f = { .what = "asynchronous external abort",
				 .pc = read_elr_hyp(),
				 .hsr = read_hsr() };

	if (v->part->cfg->fault_policy == CFG_FAULT_INJECT) {
		/* Hand it on as a virtual abort, taken when the guest unmasks A. */
		f.what = "asynchronous external abort, passed on as a virtual abort";
		guest_fault_log(v, &f);
		write_hcr(read_hcr() | HCR_VA);
	} else {
		guest_fault(v, r, &f);
	}
	vcpu_before_entry(v);
}

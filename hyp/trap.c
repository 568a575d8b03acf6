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
	static const char *const names[] = {
		[CFG_FAULT_STOP] = "stop", [CFG_FAULT_RESTART] = "restart", [CFG_FAULT_INJECT] = "inject"
	};

	return policy < ARRAY_SIZE(names) ? names[policy] : "stop";
}

static void guest_fault_log(struct vcpu *v, const struct guest_fault *f)
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

static __attribute__((noinline)) void data_abort(struct vcpu *v, struct regs *r, u32 hsr)
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

static __attribute__((noinline)) void prefetch_abort(struct vcpu *v, struct regs *r, u32 hsr)
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

/* ---- The dispatch table, by exception class (B3.13.6, Table B3-24) ---------------- */

static void trap_hvc(struct regs *r, u32 hsr)
{
	UNUSED(hsr);
	smccc_dispatch(this_cpu()->vcpu, r);
}

static void trap_smc(struct regs *r, u32 hsr)
{
	/* Trapped by HCR.TSC; answered like HVC, then skipped (ELR points at it). */
	if (guest_cond_passed(hsr))
		smccc_dispatch(this_cpu()->vcpu, r);
	guest_skip_instruction(hsr | HSR_IL);
}

/*
 * Data aborts: the hot case, a translation fault on an emulated device page
 * whose IPA HPFAR gives, is recognised without any 64-bit arithmetic.
 */
static void trap_dabt(struct regs *r, u32 hsr)
{
	struct vcpu *v = this_cpu()->vcpu;

	if ((hsr & (FSC_TYPE_MASK | HSR_DABT_S1PTW)) == FSC_TRANSLATION) {
		u32 hpfar = read_hpfar() & HPFAR_FIPA_MASK;

		if (hpfar == v->part->gicd_hpfar) {
			mmio_emulate(v, r, hsr, MMIO_GICD);
			return;
		}
		if (hpfar == v->part->uart_hpfar) {
			mmio_emulate(v, r, hsr, MMIO_UART);
			return;
		}
	}
	data_abort(v, r, hsr);
}

static void trap_iabt(struct regs *r, u32 hsr)
{
	prefetch_abort(this_cpu()->vcpu, r, hsr);
}

/* Nothing else is configured to trap: answer as the hardware would. */
static void trap_undefined(struct regs *r, u32 hsr)
{
	inject_undef(r, hsr);
}

/*
 * hyp/vectors.S indexes this with HSR.EC and calls the handler with the trap
 * frame.  Every class defaults to UNDEFINED, then the trapped ones override it.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
const trap_handler_t hyp_trap_table[64] = {
	[0 ... 63] = trap_undefined,	 [HSR_EC_HVC] = trap_hvc,
	[HSR_EC_SMC] = trap_smc,	 [HSR_EC_DABT_GUEST] = trap_dabt,
	[HSR_EC_IABT_GUEST] = trap_iabt, [HSR_EC_CP15_32] = cp_trap,
	[HSR_EC_CP15_64] = cp_trap,	 [HSR_EC_CP14_32] = cp_trap,
	[HSR_EC_CP14_LS] = cp_trap,	 [HSR_EC_CP14_64] = cp_trap,
	[HSR_EC_HCPTR] = cp_trap,	 [HSR_EC_CP10_ID] = cp_trap,
};
#pragma GCC diagnostic pop

void hyp_trap(struct regs *r)
{
	u32 hsr = read_hsr();

	hyp_trap_table[hsr_ec(hsr)](r, hsr);
	vcpu_before_entry(this_cpu()->vcpu);
}

void hyp_exit_slow(void)
{
	struct cpu *c = this_cpu();

	vcpu_handle_requests(c, c->vcpu);
}

_Static_assert(offsetof(struct cpu, requests) == CPU_REQUESTS_OFFSET,
	       "hyp/layout.h CPU_REQUESTS_OFFSET is what hyp/vectors.S reads");
_Static_assert(sizeof(struct regs) == REGS_SIZE && offsetof(struct regs, lr) == REGS_LR,
	       "hyp/layout.h describes the frame hyp/vectors.S pushes");

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

/*
 * The synchronous trap dispatcher: every exception a guest takes to Hyp mode
 * (HVC, SMC, stage-2 aborts, trapped CP14/CP15 accesses), by exception class
 * (ARM ARM B3.13.6), handed to the handler that owns it.
 */
#include "arch/sysreg.h"
#include "hyp/arch/hsr.h"
#include "hyp/arch/inject.h"
#include "hyp/arch/layout.h"
#include "hyp/arch/trap.h"
#include "hyp/core/cpu.h"
#include "hyp/core/fault.h"
#include "hyp/core/hypercall.h"
#include "hyp/core/partition.h"
#include "hyp/core/stats.h"
#include "hyp/dev/mmio.h"

/* ---- The dispatch table, by exception class (B3.13.6, Table B3-24) ---------------- */

static void trap_smc(struct regs *r, u32 hsr)
{
	struct cpu *c = this_cpu();

	/* Trapped by HCR.TSC; answered like HVC, then skipped (ELR points at it). */
	c->stats.count[STATS_HVC]++;
	if (guest_cond_passed(hsr))
		smccc_dispatch(r);
	guest_skip_instruction(hsr | HSR_IL);
}

static void trap_iabt(struct regs *r, u32 hsr)
{
	struct cpu *c = this_cpu();

	c->stats.count[STATS_OTHER]++;
	prefetch_abort(c->vcpu, r, hsr);
}

/* Nothing else is configured to trap: answer as the hardware would. */
static void trap_undefined(struct regs *r, u32 hsr)
{
	this_cpu()->stats.count[STATS_OTHER]++;
	inject_undef(r, hsr);
}

/*
 * hyp/arch/vectors.S indexes this with HSR.EC and calls the handler with the trap
 * frame.  Every class defaults to UNDEFINED, then the trapped ones override it.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
const trap_handler_t hyp_trap_table[64] = {
	[0 ... 63] = trap_undefined,	 [HSR_EC_HVC] = smccc_trap_hvc,
	[HSR_EC_SMC] = trap_smc,	 [HSR_EC_DABT_GUEST] = mmio_trap_dabt,
	[HSR_EC_IABT_GUEST] = trap_iabt, [HSR_EC_CP15_32] = cp_trap,
	[HSR_EC_CP15_64] = cp_trap,	 [HSR_EC_CP14_32] = cp_trap,
	[HSR_EC_CP14_LS] = cp_trap,	 [HSR_EC_CP14_64] = cp_trap,
	[HSR_EC_HCPTR] = cp_trap,	 [HSR_EC_CP10_ID] = cp_trap,
};
#pragma GCC diagnostic pop

struct cpu *hyp_exit_slow(void)
{
	struct cpu *c = this_cpu();

	vcpu_handle_requests(c, c->vcpu);
	return c; /* for the exit path's monitor clear (hyp/arch/vectors.S) */
}

_Static_assert(offsetof(struct cpu, requests) == CPU_REQUESTS_OFFSET,
	       "hyp/arch/layout.h CPU_REQUESTS_OFFSET is what hyp/arch/vectors.S reads");
_Static_assert(offsetof(struct cpu, monitor_scratch) == 0,
	       "hyp/arch/vectors.S's STREX targets the first word of struct cpu");
_Static_assert(sizeof(struct regs) == REGS_SIZE && offsetof(struct regs, lr) == REGS_LR,
	       "hyp/arch/layout.h describes the frame hyp/arch/vectors.S pushes");

void hyp_guest_async_abort(struct regs *r)
{
	struct cpu *c = this_cpu();
	struct vcpu *v = c->vcpu;
	struct guest_fault f = { .what = "asynchronous external abort", .hsr = read_hsr() };

	c->stats.count[STATS_ASYNC]++;
	if (fault_policy_is(v->part->cfg, CFG_FAULT_INJECT)) {
		/* Hand it on as a virtual abort, taken when the guest unmasks A. */
		f.what = "asynchronous external abort, passed on as a virtual abort";
		guest_fault_log(v, &f);
		write_hcr(read_hcr() | HCR_VA);
	} else {
		guest_fault(v, r, &f);
	}
}

/*
 * The C twins of hyp/arch/vectors.S's guest entries, for the host-built harnesses
 * (tests/fuzz), which have no vectors: each calls what its vector calls, in the same
 * order, and leaves through the same check (hyp_exit there, exit_check here).
 * tests/gates/vector_twins.py compares the two and fails if they drift apart.
 */
static void exit_check(void)
{
	if (__atomic_load_n(&this_cpu()->requests, __ATOMIC_RELAXED))
		hyp_exit_slow();
}

void hyp_trap(struct regs *r)
{
	u32 hsr = read_hsr();

	hyp_trap_table[hsr_ec(hsr)](r, hsr);
	exit_check();
}

void hyp_irq(struct regs *r)
{
	hyp_irq_handle(r);
	exit_check();
}

void hyp_async_abort(struct regs *r)
{
	hyp_guest_async_abort(r);
	exit_check();
}

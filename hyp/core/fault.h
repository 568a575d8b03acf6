/*
 * Guest faults the hypervisor contains (fault.c): logged with partition,
 * address and PC through a per-partition rate limit, then answered by the
 * partition's fault policy.
 */
#ifndef TESSERA_HYP_FAULT_H
#define TESSERA_HYP_FAULT_H

#include "hyp/arch/regs.h"
#include "abi/config.h"
#include "config_gen.h"
#include "tessera/bits.h"
#include "tessera/types.h"

struct vcpu;

/*
 * Is 'policy' (CFG_FAULT_*) the partition's fault policy?  Constant false for a policy no
 * partition of the system has (tcfg's CFG_FAULT_POLICIES), so that its code is left out.
 */
static inline bool fault_policy_is(const struct cfg_partition *cfg, u32 policy)
{
	return (CFG_FAULT_POLICIES & BIT(policy)) && cfg->fault_policy == policy;
}

/* A rate limit: a burst of messages per window, the rest counted. */
struct ratelimit {
	u64 window_start;
	u32 count;
	u32 suppressed;
};

struct guest_fault {
	const char *what; /* "stage-2 data abort", ... */
	u64 ipa;
	u32 va; /* (its PC is ELR_hyp's, which guest_fault_log reads: still the trap's) */
	u32 hsr;
	bool write;
	bool has_ipa;
	bool instruction;
};

/* Log the fault (rate-limited) and apply the partition's policy. */
void guest_fault(struct vcpu *v, struct regs *r, const struct guest_fault *f);

/* Log only: for a fault the caller answers itself (an asynchronous abort passed on). */
void guest_fault_log(struct vcpu *v, const struct guest_fault *f);

/*
 * The count of fault messages a partition's rate limit suppressed, said when
 * its window closes: fault_log_window_closed() says it if the window has
 * closed by 'now' (timer_now()) and returns when to look again (~0: nothing
 * pending; the Hyp timer calls it); fault_log_flush() says it now (the
 * partition or vCPU stops).
 */
struct partition;
u64 fault_log_window_closed(struct partition *p, u64 now);
void fault_log_flush(struct partition *p);

/* Stage-2 aborts that are not emulated-device accesses (from the trap dispatcher). */
void data_abort(struct vcpu *v, struct regs *r, u32 hsr);
void prefetch_abort(struct vcpu *v, struct regs *r, u32 hsr);

#endif /* TESSERA_HYP_FAULT_H */

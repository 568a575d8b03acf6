/*
 * PSCI 1.0 for guests (Arm DEN 0022D), through HVC or trapped SMC: a
 * partition powers its own vCPUs on and off, and can switch itself off or
 * reset itself; nothing else.  A vCPU's MPIDR is its index in Aff0 (VMPIDR).
 */
#include "abi/smccc.h"
#include "hyp/core/guest_mem.h"
#include "hyp/core/hypercall.h"
#include "hyp/core/partition.h"

/*
 * Is 'mpidr' a vCPU of p's (its index: Aff0, every other bit clear)?  The argument is the
 * affinity fields only: in SMC32 calls bits [31:24] must be zero (DEN 0022D 5.1.4), so a raw
 * MPIDR, its bit 31 set, is refused as KVM refuses it.  One compare does both: the vCPU
 * count is CFG_CPU_MAX at most, so a value below it is an Aff0 with every other bit clear.
 */
static bool is_vcpu(const struct partition *p, u32 mpidr)
{
	_Static_assert(CFG_CPU_MAX <= 0x100, "a value below the vCPU count is an Aff0 alone");
	return mpidr < p->cfg->cpu_count;
}

/*
 * PSCI_FEATURES answers for these.  SMCCC_VERSION is how a caller learns that SMCCC 1.1 is
 * there (DEN 0022D 5.1.14, DEN 0028 7.2): Linux asks before it calls it.
 */
static bool supported(u32 fid)
{
	static const u32 functions[] = { PSCI_VERSION,	     PSCI_CPU_SUSPEND,
					 PSCI_CPU_OFF,	     PSCI_CPU_ON,
					 PSCI_AFFINITY_INFO, PSCI_MIGRATE_INFO_TYPE,
					 PSCI_SYSTEM_OFF,    PSCI_SYSTEM_RESET,
					 PSCI_FEATURES,	     SMCCC_VERSION };
	u32 i;

	for (i = 0; i < ARRAY_SIZE(functions); i++)
		if (functions[i] == fid)
			return true;
	return false;
}

static s32 affinity_info(struct partition *p, u32 mpidr, u32 level)
{
	u32 index = level ? mpidr & ~0xffU : mpidr, i, end, seen = 0;

	if (!is_vcpu(p, index) || level > 1)
		return PSCI_E_INVALID_PARAMETERS;
	/* Level 0: that vCPU; level 1: the cluster, every vCPU (index 0, Aff0 cleared, first). */
	end = level ? p->cfg->cpu_count : index + 1;
	spin_lock(&p->lock);
	for (i = index; i < end; i++) {
		struct vcpu *v = p->vcpus[i];

		/* Bit 0: one on and started; bit 1: one on, its start still pending. */
		if (v->power == VCPU_ON)
			seen |= 1U << v->start_pending;
	}
	spin_unlock(&p->lock);
	/* ON if any is, else ON_PENDING if any is, else OFF. */
	return (seen & 1) ? PSCI_AFFINITY_ON : seen ? PSCI_AFFINITY_ON_PENDING : PSCI_AFFINITY_OFF;
}

s32 psci_call(struct vcpu *v, struct regs *r, u32 fid)
{
	struct partition *p = v->part;

	switch (fid) {
	case PSCI_VERSION:
		return PSCI_VERSION_1_0;
	case PSCI_FEATURES:
		/* (CPU_SUSPEND's flags, 0: the original power_state format, no OS-initiated mode) */
		return supported(r->r[1]) ? PSCI_SUCCESS : PSCI_E_NOT_SUPPORTED;
	case PSCI_CPU_SUSPEND:
		/*
		 * Mandatory from PSCI 0.2.  The vCPU owns its CPU, so there is no deeper state to
		 * offer: every power_state returns at once, as after a wake-up event (DEN 0022D
		 * 5.4.2, an early return), and the caller's context is intact.
		 */
		return PSCI_SUCCESS;
	case PSCI_CPU_ON:
		if (!is_vcpu(p, r->r[1]))
			return PSCI_E_INVALID_PARAMETERS;
		/*
		 * An ARM-state entry is word-aligned (bit 0 set: Thumb, halfword-aligned), and
		 * lies in executable RAM of the partition (the guest's MMU off: an IPA).
		 */
		if ((r->r[2] & 3) == 2 ||
		    !guest_region_holds(p->cfg,
					GUEST_REGION_BY_IPA | GUEST_REGION_KIND(CFG_REGION_RAM) |
						CFG_ACCESS_X,
					r->r[2] & ~1U))
			return PSCI_E_INVALID_ADDRESS;
		return partition_vcpu_on(p, r->r[1], r->r[2], r->r[3]);
	case PSCI_CPU_OFF:
		vcpu_park(v); /* does not return */
	case PSCI_AFFINITY_INFO:
		return affinity_info(p, r->r[1], r->r[2]);
	case PSCI_MIGRATE_INFO_TYPE:
		return PSCI_MIGRATE_INFO_NO_TOS;
	case PSCI_SYSTEM_OFF:
		__atomic_store_n(&p->switched_off, true, __ATOMIC_RELEASE);
		partition_stop(p, "PSCI SYSTEM_OFF");
		return PSCI_SUCCESS; /* not seen: the vCPU parks before it returns */
	case PSCI_SYSTEM_RESET:
		partition_reset(p);
		return PSCI_SUCCESS;
	default:
		return PSCI_E_NOT_SUPPORTED;
	}
}

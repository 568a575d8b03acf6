/*
 * The SMC Calling Convention entry point (Arm DEN 0028) for HVC and trapped
 * SMC: standard discovery calls, PSCI (psci.c) and Tessera's own calls in the
 * vendor-specific hypervisor service range (docs/hypercalls.md).  Unknown
 * function IDs return NOT_SUPPORTED; no argument can make this fault.
 */
#include "abi/hypercall.h"
#include "abi/smccc.h"
#include "config_gen.h"
#include "hyp/core/hypercall.h"
#include "hyp/core/partition.h"
#include "hyp/core/stats.h"
#include "vgic/vgic.h"

/* Inline: the doorbell path (make bench) pays no call of its own. */
static inline s32 doorbell_ring(struct vcpu *v, u32 index)
{
	const struct cfg_partition *cfg = v->part->cfg;

	if (index >= cfg->endpoint_count)
		return TESSERA_INVALID_PARAMETER;
	partition_ring(&cfg->endpoints[index]);
	return 0;
}

/* SMCCC_ARCH_FEATURES: a call that would answer NOT_SUPPORTED here is not offered (DEN 0028 7.3). */
static bool implemented(const struct vcpu *v, u32 fid)
{
	if (fid == TESSERA_FID_WATCHDOG_KICK && !v->part->cfg->watchdog_ms)
		return false;
	if (fid == SMCCC_VERSION || fid == SMCCC_ARCH_FEATURES || fid == TESSERA_FID_CALL_UID ||
	    fid == TESSERA_FID_REVISION || fid == TESSERA_FID_CPU_STATS)
		return true;
	return fid >= TESSERA_FID(0) && fid < TESSERA_FID(TESSERA_CALL_COUNT);
}

/* Everything else: SMCCC discovery, the vendor service queries, PSCI. */
static __attribute__((noinline)) s32 other_call(struct vcpu *v, struct regs *r, u32 fid)
{
	switch (fid) {
	case SMCCC_VERSION:
		return SMCCC_VERSION_1_1;
	case SMCCC_ARCH_FEATURES:
		return implemented(v, r->r[1]) ? 0 : SMCCC_NOT_SUPPORTED;
	case TESSERA_FID_CALL_UID:
		r->r[1] = TESSERA_UID1;
		r->r[2] = TESSERA_UID2;
		r->r[3] = TESSERA_UID3;
		return (s32)TESSERA_UID0;
	case TESSERA_FID_REVISION:
		r->r[1] = 0;
		return 1;
	case TESSERA_FID_CPU_STATS:
		return hypercall_cpu_stats(r);
	default:
		return SMCCC_OWNER(fid) == SMCCC_OWNER_STANDARD ? psci_call(v, r, fid) :
								  SMCCC_NOT_SUPPORTED;
	}
}

#define TESSERA_VERSION_VALUE (TESSERA_ABI_MAJOR * 0x10000 + TESSERA_ABI_MINOR)

/*
 * Tessera's own calls by function number (fid - 0x86000000), everything else in other_call.
 * The calling vCPU is looked up only by the calls that need it.
 */
void smccc_dispatch(struct regs *r)
{
	u32 fid = r->r[0];
	s32 ret;

	switch (fid - TESSERA_FID(0)) {
	case TESSERA_FID_VERSION - TESSERA_FID(0):
		ret = TESSERA_VERSION_VALUE;
		break;
	case TESSERA_FID_PARTITION_ID - TESSERA_FID(0):
		ret = hypercall_partition_id(this_cpu()->vcpu, r);
		break;
	case TESSERA_FID_PARTITION_NAME - TESSERA_FID(0):
		ret = hypercall_partition_name(this_cpu()->vcpu, r->r[1], r->r[2]);
		break;
	case TESSERA_FID_CONSOLE_WRITE - TESSERA_FID(0):
		ret = hypercall_console_write(this_cpu()->vcpu, r->r[1], r->r[2]);
		break;
	case TESSERA_FID_CHANNEL_INFO - TESSERA_FID(0):
		ret = hypercall_channel_info(this_cpu()->vcpu, r, r->r[1]);
		break;
	case TESSERA_FID_DOORBELL_RING - TESSERA_FID(0):
		ret = doorbell_ring(this_cpu()->vcpu, r->r[1]);
		break;
	case TESSERA_FID_YIELD - TESSERA_FID(0):
		ret = 0; /* a hint: a vCPU owns its CPU */
		break;
	case TESSERA_FID_WATCHDOG_KICK - TESSERA_FID(0):
		ret = partition_watchdog_kick(this_cpu()->vcpu->part);
		break;
	case TESSERA_FID_PARTITION_STATE - TESSERA_FID(0):
	case TESSERA_FID_PARTITION_CONTROL - TESSERA_FID(0):
		ret = hypercall_manage(this_cpu()->vcpu, r, r->r[1],
				       fid == TESSERA_FID_PARTITION_CONTROL);
		break;
	default:
		ret = other_call(this_cpu()->vcpu, r, fid);
		break;
	}
	r->r[0] = (u32)ret;
}
_Static_assert(TESSERA_FID_PARTITION_CONTROL == TESSERA_FID(TESSERA_CALL_COUNT - 1),
	       "every Tessera call has its case in smccc_dispatch()");

/*
 * TESSERA_VERSION, which every guest library asks first (and make bench's null hypercall),
 * is answered here: a constant needs no stack frame, which the calls in smccc_dispatch do.
 */
void smccc_trap_hvc(struct regs *r, u32 hsr)
{
	UNUSED(hsr);
	this_cpu()->stats.count[STATS_HVC]++;
	if (r->r[0] == TESSERA_FID_VERSION) {
		r->r[0] = TESSERA_VERSION_VALUE;
		return;
	}
	smccc_dispatch(r);
}

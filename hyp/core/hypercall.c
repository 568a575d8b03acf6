/*
 * Tessera's own calls that no measured path takes (docs/hypercalls.md), out of smccc.c so
 * that they are built with link-time optimisation (the Makefile's LTO_SRCS, as psci.c): the
 * guest memory and console helpers they alone call are inlined into them.  smccc.c keeps
 * the dispatch, the doorbell and the discovery calls, whose instruction counts make bench
 * measures.
 */
#include "abi/hypercall.h"
#include "config_gen.h"
#include "hyp/core/guest_mem.h"
#include "hyp/core/hypercall.h"
#include "hyp/core/log.h"
#include "hyp/core/partition.h"
#include "hyp/core/stats.h"
#include "hyp/dev/vuart.h"

s32 hypercall_console_write(struct vcpu *v, u32 va, u32 len)
{
	char buf[128];
	u32 done;

	if (len > TESSERA_CONSOLE_WRITE_MAX)
		return TESSERA_INVALID_PARAMETER;
	if (!guest_copy(v, va, NULL, len, false))
		return TESSERA_BAD_ADDRESS; /* nothing is printed from a bad buffer */
	for (done = 0; done < len;) {
		u32 chunk = MIN(len - done, (u32)sizeof(buf));

		if (!guest_copy(v, va + done, buf, chunk, false))
			return done ? (s32)done : TESSERA_BAD_ADDRESS;
		vuart_output(v->part, buf, chunk);
		done += chunk;
	}
	return (s32)len;
}

s32 hypercall_partition_name(struct vcpu *v, u32 va, u32 size)
{
	const char *name = v->part->cfg->name;
	u32 len = 0;

	while (len < CFG_NAME_MAX - 1 && name[len]) /* tcfg bounds and terminates it */
		len++;

	if (size < len + 1)
		return TESSERA_INVALID_PARAMETER;
	/* (The cast: a write to the guest only reads buf.) */
	if (!guest_copy(v, va, (char *)(uintptr_t)name, len + 1, true))
		return TESSERA_BAD_ADDRESS;
	return (s32)len;
}

s32 hypercall_channel_info(struct vcpu *v, struct regs *r, u32 index)
{
	const struct cfg_partition *cfg = v->part->cfg;
	const struct cfg_endpoint *e;

	if (index >= cfg->endpoint_count)
		return TESSERA_INVALID_PARAMETER;
	e = &cfg->endpoints[index];
	r->r[1] = (u32)e->ipa;
	r->r[2] = (u32)e->size;
	r->r[3] =
		TESSERA_CHANNEL_R3(e->peer, e->access & (CFG_ACCESS_R | CFG_ACCESS_W), (u32)e->irq);
	return 0;
}

s32 hypercall_partition_id(struct vcpu *v, struct regs *r)
{
	r->r[1] = v->index;
	r->r[2] = v->part->cfg->cpu_count;
	return (s32)v->part->cfg->id;
}

s32 hypercall_cpu_stats(struct regs *r)
{
	struct stats_view s;

	stats_read(this_cpu(), &s);
	r->r[1] = s.hyp_cycles;
	r->r[2] = s.kicks;
	r->r[3] = s.injected;
	return (s32)s.entries;
}

/*
 * A manager's call on partition 'target': only a partition the configuration says it manages
 * (cfg.manages, fixed at build time; never itself); anyone else is refused, logged once.
 */
s32 hypercall_manage(struct vcpu *v, struct regs *r, u32 target, bool control)
{
	struct partition *self = v->part;
	struct partition *p;
	struct partition_info in;

	/* With no manager in the system (tcfg's CFG_MANAGER_COUNT), only the refusal is built. */
	if (!CFG_MANAGER_COUNT || target >= cfg_system.partition_count || target >= 32 ||
	    !(self->cfg->manages & BIT(target))) {
		if (!__atomic_exchange_n(&self->denied_told, true, __ATOMIC_RELAXED))
			log_warn("%s: manager call on partition %u denied "
				 "(reported once)",
				 self->cfg->tag, target);
		return TESSERA_DENIED;
	}
	p = &partitions[target < CFG_PARTITION_COUNT ? target : 0];
	if (control) {
		if (r->r[2] > TESSERA_PARTITION_RESTART)
			return TESSERA_INVALID_PARAMETER;
		return partition_command(p, r->r[2], self->cfg->name, self);
	}
	partition_info(p, &in);
	r->r[1] = in.starts;
	r->r[2] = in.faults;
	r->r[3] = in.uptime_ms;
	return (s32)(in.state | in.restarts_left << 8);
}

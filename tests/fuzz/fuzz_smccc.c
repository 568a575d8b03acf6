/*
 * Fuzz target "smccc": the hypercall and PSCI dispatchers (hyp/core/smccc.c,
 * hyp/core/psci.c) with any registers, on a host-built Tessera (fuzz_sys.h) whose
 * guests' address translations (ATS12NSOPR/W, for hypercall buffers) the
 * input chooses: into the caller's RAM, a read-only region, another
 * partition's RAM, memory no partition owns, a device, or a fault.
 *
 * Checked besides the sanitizers and the system invariants: every result is
 * one docs/hypercalls.md allows for its call, and a call writes guest memory
 * only where it says (PARTITION_NAME: the name, at the bytes the caller's own
 * translation gives), never anywhere else in any partition.
 *
 * Input: the fuzz_sys.h set-up, then steps: a byte (CPU in bits 1:0, kind
 * above) and its operands.
 */
#include <string.h>

#include "abi/hypercall.h"
#include "hyp/dev/vgpio.h"
#include "fuzz_sys.h"

#define MAX_STEPS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct {
	bool psci; /* psci_call() directly, else smccc_dispatch() */
	u32 args[4];
	/* The caller's partition as the call found it. */
	u32 state; /* enum partition_state */
	u32 power[CFG_CPU_MAX]; /* enum vcpu_power */
	bool start_pending[CFG_CPU_MAX];
} call;

static u8 before[FAKE_RAM_SIZE];

static bool in(s32 v, const s32 *set, u32 count)
{
	u32 i;

	for (i = 0; i < count; i++)
		if (set[i] == v)
			return true;
	return false;
}

#define IN(v, ...) in((v), (const s32[]){ __VA_ARGS__ }, sizeof((s32[]){ __VA_ARGS__ }) / 4)

/* Is 'pc' in executable RAM of the partition?  Read from the configuration. */
static bool executable(const struct cfg_partition *cfg, u32 pc)
{
	u32 i;

	for (i = 0; i < cfg->region_count; i++) {
		const struct cfg_region *r = &cfg->regions[i];

		if (r->kind == CFG_REGION_RAM && (r->access & CFG_ACCESS_X) && pc >= r->ipa &&
		    pc - r->ipa < r->size)
			return true;
	}
	return false;
}

/*
 * CPU_ON's answer (DEN 0022D 5.6): a bad MPIDR, then a bad entry point, then the target's
 * state as the call found it; a partition already stopping (its vCPUs not yet parked) refuses.
 */
static void check_cpu_on(const struct vcpu *v, s32 ret)
{
	const struct cfg_partition *cfg = v->part->cfg;
	u32 mpidr = call.args[1], pc = call.args[2], t = mpidr & 0xff;
	s32 want;

	if ((mpidr & ~0xffU) || t >= cfg->cpu_count)
		want = -2;
	else if ((pc & 3) == 2 || !executable(cfg, pc & ~1U))
		want = -9;
	else if (call.state != PART_RUNNING)
		want = -6;
	else if (call.power[t] == VCPU_ON)
		want = call.start_pending[t] ? -5 : -4;
	else
		want = 0;
	FUZZ_CHECK(ret == want, "CPU_ON(0x%x, 0x%x) from %s: %d, expected %d", mpidr, pc, cfg->name,
		   ret, want);
	if (want == 0)
		FUZZ_CHECK(v->part->vcpus[t]->power == VCPU_ON && v->part->vcpus[t]->start_pending,
			   "CPU_ON(%u) succeeded, the vCPU is not on its way", t);
}

/* The result against docs/hypercalls.md. */
static void check_result(const struct vcpu *v, const struct regs *r)
{
	const struct cfg_partition *cfg = v->part->cfg;
	u32 fid = call.args[0];
	s32 ret = (s32)r->r[0];

	switch (fid) {
	case 0x80000000:
		FUZZ_CHECK(ret == 0x10001, "SMCCC_VERSION: 0x%x", ret);
		break;
	case 0x80000001:
		FUZZ_CHECK(IN(ret, 0, -1), "SMCCC_ARCH_FEATURES: %d", ret);
		break;
	case 0x8600ff01:
		FUZZ_CHECK(r->r[0] == 0x7e55e7a0 && r->r[1] == 0x4d1c11f0 &&
				   r->r[2] == 0x9a3c5b12 && r->r[3] == 0x00c0ffee,
			   "UID: 0x%x", ret);
		break;
	case 0x8600ff03:
		FUZZ_CHECK(ret == 1 && r->r[1] == 0, "revision %d.%u", ret, r->r[1]);
		break;
	case 0x86000000:
		FUZZ_CHECK(ret == (TESSERA_ABI_MAJOR << 16 | TESSERA_ABI_MINOR),
			   "TESSERA_VERSION: 0x%x", ret);
		break;
	case 0x86000001:
		FUZZ_CHECK((u32)ret == cfg->id && r->r[1] == v->index && r->r[2] == cfg->cpu_count,
			   "PARTITION_ID: %d %u %u", ret, r->r[1], r->r[2]);
		break;
	case 0x86000002:
		FUZZ_CHECK(ret == (s32)strlen(cfg->name) || IN(ret, -2, -4), "PARTITION_NAME: %d",
			   ret);
		FUZZ_CHECK(ret != -2 || call.args[2] <= strlen(cfg->name),
			   "PARTITION_NAME: refused a buffer of %u bytes", call.args[2]);
		break;
	case 0x86000003:
		FUZZ_CHECK((ret >= 0 && (u32)ret == call.args[2]) || IN(ret, -2, -4),
			   "CONSOLE_WRITE of %u bytes: %d", call.args[2], ret);
		FUZZ_CHECK(ret != -2 || call.args[2] > 4096, "CONSOLE_WRITE: -2 for %u bytes",
			   call.args[2]);
		break;
	case 0x86000004:
	case 0x86000005:
		FUZZ_CHECK(call.args[1] < cfg->endpoint_count ? ret == 0 : ret == -2,
			   "channel call 0x%x on channel %u: %d", fid, call.args[1], ret);
		/* A ring towards a peer's doorbell PL061 is an edge on its input line, kept. */
		if (fid == 0x86000005 && ret == 0 && cfg->endpoints[call.args[1]].peer_gpio)
			FUZZ_CHECK(vgpios[cfg->endpoints[call.args[1]].peer_gpio - 1].ris &
					   VGPIO_LINE_IN,
				   "DOORBELL_RING %u: the peer's PL061 saw no edge", call.args[1]);
		break;
	case 0x86000006:
		FUZZ_CHECK(ret == 0, "YIELD: %d", ret);
		break;
	case 0x86000007:
		FUZZ_CHECK(ret == (cfg->watchdog_ms ? (s32)cfg->watchdog_ms : -1),
			   "WATCHDOG_KICK: %d", ret);
		break;
	case 0x86000008:
	case 0x86000009: {
		bool managed = call.args[1] < 32 && (cfg->manages & BIT(call.args[1]));

		if (!managed)
			FUZZ_CHECK(ret == -3, "manager call 0x%x on %u, not managed: %d", fid,
				   call.args[1], ret);
		else if (fid == 0x86000008)
			FUZZ_CHECK(ret >= 0 && (ret & 0xff) <= 4, "PARTITION_STATE: %d", ret);
		else /* a start or restart past the target's reset-limit is BUSY */
			FUZZ_CHECK(ret == (call.args[2] <= 2 ? 0 : -2) ||
					   (ret == -5 && (call.args[2] == 1 || call.args[2] == 2)),
				   "PARTITION_CONTROL %u: %d", call.args[2], ret);
		break;
	}
	case 0x84000000:
		FUZZ_CHECK(ret == 0x10000, "PSCI_VERSION: 0x%x", ret);
		break;
	case 0x84000001:
		FUZZ_CHECK(ret == 0, "CPU_SUSPEND: %d", ret); /* returns at once */
		break;
	case 0x84000003:
		check_cpu_on(v, ret);
		break;
	case 0x84000004:
		FUZZ_CHECK(IN(ret, 0, 1, 2, -2), "AFFINITY_INFO: %d", ret);
		if (call.args[2] == 0 && call.args[1] < cfg->cpu_count) {
			const struct vcpu *t = v->part->vcpus[call.args[1]];
			s32 want = t->power != VCPU_ON ? 1 : t->start_pending ? 2 : 0;

			FUZZ_CHECK(ret == want, "AFFINITY_INFO(vCPU %u): %d, its state says %d",
				   call.args[1], ret, want);
		}
		break;
	case 0x84000006:
		FUZZ_CHECK(ret == 2, "MIGRATE_INFO_TYPE: %d", ret);
		break;
	case 0x84000008:
	case 0x84000009:
		FUZZ_CHECK(ret == 0, "SYSTEM_OFF/RESET: %d", ret);
		break;
	case 0x8400000a:
		FUZZ_CHECK(IN(ret, 0, -1), "PSCI_FEATURES: %d", ret);
		break;
	default:
		FUZZ_CHECK(ret == -1, "unknown function 0x%08x: %d", fid, ret);
		break;
	}
}

/* Is 'pa' in RAM (or shared memory) the partition may write?  Read from the configuration. */
static bool writable(const struct cfg_partition *cfg, u64 pa)
{
	u32 i;

	for (i = 0; i < cfg->region_count; i++) {
		const struct cfg_region *r = &cfg->regions[i];

		if ((r->kind == CFG_REGION_RAM || r->kind == CFG_REGION_SHARED) &&
		    (r->access & CFG_ACCESS_W) && pa >= r->pa && pa - r->pa < r->size)
			return true;
	}
	return false;
}

/* Guest memory changed only where the call may write: the caller's name buffer. */
static void check_memory(u32 cpu, const struct regs *r)
{
	const u8 *now = fake_ram(FAKE_RAM_PA, FAKE_RAM_SIZE);
	const char *name = cpus[cpu].vcpu->part->cfg->name;
	u32 len = (u32)strlen(name) + 1, i, k;
	u64 pa[CFG_NAME_MAX];

	if (call.args[0] != 0x86000002 || (s32)r->r[0] < 0)
		len = 0;
	for (k = 0; k < len; k++) {
		u8 *at;

		pa[k] = sys_translate(cpu, "ats12nsopw", call.args[1] + k);
		at = fake_ram(pa[k], 1);
		FUZZ_CHECK(at && *at == (u8)name[k],
			   "PARTITION_NAME succeeded, but byte %u is not at PA 0x%llx", k, pa[k]);
		FUZZ_CHECK(writable(cpus[cpu].vcpu->part->cfg, pa[k]),
			   "PARTITION_NAME wrote PA 0x%llx, not writable RAM of the caller", pa[k]);
	}
	if (!memcmp(now, before, FAKE_RAM_SIZE))
		return;
	for (i = 0; i < FAKE_RAM_SIZE; i++) {
		bool expected = false;

		if (now[i] == before[i])
			continue;
		for (k = 0; k < len && !expected; k++)
			expected = pa[k] == FAKE_RAM_PA + i;
		FUZZ_CHECK(expected, "call 0x%08x from cpu%u changed PA 0x%llx: 0x%02x -> 0x%02x",
			   call.args[0], cpu, FAKE_RAM_PA + i, before[i], now[i]);
	}
}

static void do_call(struct regs *r)
{
	u32 cpu = this_cpu()->index, starts[CFG_PARTITION_COUNT], i;
	struct vcpu *v = this_cpu()->vcpu;
	bool restarted = false;

	for (i = 0; i < CFG_PARTITION_COUNT; i++)
		starts[i] = partitions[i].starts;
	call.state = v->part->state;
	for (i = 0; i < v->part->cfg->cpu_count; i++) {
		call.power[i] = v->part->vcpus[i]->power;
		call.start_pending[i] = v->part->vcpus[i]->start_pending;
	}
	memcpy(before, fake_ram(FAKE_RAM_PA, FAKE_RAM_SIZE), FAKE_RAM_SIZE);
	if (call.psci)
		r->r[0] = (u32)psci_call(v, r, r->r[0]);
	else
		smccc_dispatch(r);
	check_result(v, r);
	for (i = 0; i < CFG_PARTITION_COUNT; i++)
		restarted |= partitions[i].starts != starts[i];
	if (!restarted)
		check_memory(cpu, r);
	vcpu_before_entry(v);
}

static u32 pick_arg(struct fin *f)
{
	static const u32 values[] = { 0,
				      1,
				      2,
				      5,
				      6,
				      16,
				      4096,
				      4097,
				      0xffffffff,
				      0x80000000,
				      FAKE_GUEST_RAM_IPA,
				      FAKE_GUEST_RAM_IPA + 0xffa,
				      FAKE_GUEST_RAM_IPA + FAKE_PART_RAM_SIZE - 4,
				      FAKE_GUEST_RAM_IPA + 0x3000,
				      FAKE_SHARED_IPA + 0xffc,
				      FAKE_RO_IPA,
				      0x0a000000,
				      0x08000000,
				      0xfffff000,
				      0x40000001 };

	return FIN_PICK(f, values);
}

static void step_call(struct fin *f, u32 cpu, bool psci)
{
	static const u32 fids[] = { 0x80000000, 0x80000001, 0x8600ff01, 0x8600ff03, 0x86000000,
				    0x86000001, 0x86000002, 0x86000003, 0x86000004, 0x86000005,
				    0x86000006, 0x86000007, 0x84000000, 0x84000001, 0x84000002,
				    0x84000003, 0x84000004, 0x84000006, 0x84000008, 0x84000009,
				    0x8400000a, 0xc4000003, 0x84000005, 0x8600ff02, 0x86000008,
				    0x86000009 };
	struct regs *r = cpu_frame(cpu);
	u32 i;

	call.psci = psci;
	call.args[0] = FIN_PICK(f, fids);
	if (psci)
		call.args[0] = 0x84000000 | (call.args[0] & 0xf);
	for (i = 1; i < 4; i++)
		call.args[i] = pick_arg(f);
	if (call.args[0] == 0x86000002 || call.args[0] == 0x86000003)
		call.args[2] = fin_bool(f) ? fin_u8(f) : call.args[2]; /* buffer sizes */
	if ((call.args[0] == 0x86000008 || call.args[0] == 0x86000009) && fin_bool(f)) {
		/* A manager's call: mostly on the partition alpha manages, with an operation. */
		static const u32 targets[] = { 2, 2, 2, 0, 1, 3, 31, 32 };

		call.args[1] = FIN_PICK(f, targets);
		call.args[2] = fin_u8(f) % 4; /* STOP, START, RESTART, or one too many */
	}
	for (i = 0; i < 13; i++)
		r->r[i] = i < 4 ? call.args[i] : 0x1000 + i;
	sys_set_trap_regs(cpu, (u32)HSR_EC_HVC << HSR_EC_SHIFT | HSR_IL, 0, 0,
			  FAKE_GUEST_RAM_IPA + 0x104, sys_guest_spsr(f));
	sys_enter(cpu, do_call);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fin f = { data, size };
	u32 steps = 0;

	sys_reset_from(&f);
	while (fin_more(&f) && steps++ < MAX_STEPS) {
		u8 sel = fin_u8(&f);
		u32 cpu = sel % SYS_CPUS;

		if (!sys_guest_vcpu(cpu)) {
			sys_idle(cpu);
			continue;
		}
		switch ((sel >> 2) % 8) {
		case 0:
		case 1:
		case 2:
		case 3:
			step_call(&f, cpu, false);
			break;
		case 4:
			step_call(&f, cpu, true);
			break;
		case 5:
		case 6:
			sys_add_ats(&f);
			break;
		default:
			sys_step(&f, cpu, (u32)fin_u8(&f) % SYS_STEP_KINDS);
			break;
		}
		sys_check();
	}
	sys_finish();
	return 0;
}

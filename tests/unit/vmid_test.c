/*
 * Host tests of the VMID allocator (mm/vmid.c).
 *
 * Scripted cases check the rules of mm/vmid.h one at a time: consecutive
 * round-robin assignment from 1, reuse within a generation, the generation
 * change when the space is used up (a flush requested from every other online
 * CPU, each CPU flushing exactly once per generation, VMID_WAIT until every
 * online CPU has flushed).
 *
 * The model check explores every interleaving of partition restarts, flush
 * requests being served, guest entries and guest exits, for small VMID
 * widths and small systems.  A restart is two steps, as in
 * hyp/core/partition.c: the restarting CPU leaves (vmid_cpu_offline) for its
 * long job (clearing the partition's RAM), other CPUs moving on meanwhile
 * without waiting for it, then comes back (vmid_cpu_online), takes the fresh
 * VMID (vmid_assign) and posts itself a request to go through the entry
 * path.  After every step it checks:
 *  - no two partitions run at the same time under one VMID of one generation;
 *  - no CPU runs a partition under a VMID while another partition runs under
 *    the same VMID of a newer generation that the first CPU has not flushed
 *    for (mm/vmid.h: no CPU enters under a new generation before all online
 *    CPUs flushed for it);
 *  - a TLB model: each CPU's TLB holds entries tagged with the VMIDs it ran
 *    (and for which partition incarnation) until it flushes; a CPU never runs
 *    a partition under a VMID its TLB still holds for another partition or
 *    for an earlier incarnation (a restart) of the same one;
 *  - each CPU flushes exactly once per generation (ops->flush_local), and
 *    flush requests go to every other online CPU when the generation moves;
 *  - vmid_prepare_entry says VMID_READY exactly when every online CPU has
 *    flushed for the current generation (a CPU away on a restart's long job
 *    is not waited for: it enters no guest before it comes back flushed);
 *  - progress: from every reachable state, a state where every CPU runs its
 *    guest is reachable (when there are enough VMIDs for the partitions that
 *    run at once), and for each CPU, a state where that CPU runs.
 * Generation numbers are replaced by their rank among the values in the
 * state (the allocator only compares generations for equality, the checks
 * only for order), which makes the state space finite: it is explored to the
 * end, and the number of states is printed.
 */
#include "test.h"
#include "mm/vmid.h"

/* ---- Recording ops for the scripted cases -------------------------------------- */

struct rec {
	u32 flushes[VMID_CPU_MAX];
	u64 flushed_for[VMID_CPU_MAX]; /* the generation of each CPU's last flush */
	u32 repeated_flushes; /* a second flush for one generation */
	u32 requests[VMID_CPU_MAX];
	u32 assigned_count;
	u32 last_owner, last_id;
	u64 last_gen;
	u32 wraps;
	u64 last_wrap_gen;
};

static struct rec R;
static struct vmid_alloc A;

static void rec_flush(u32 cpu)
{
	R.flushes[cpu]++;
	if (R.flushed_for[cpu] == A.generation)
		R.repeated_flushes++;
	R.flushed_for[cpu] = A.generation;
}

static void rec_request(u32 cpu)
{
	R.requests[cpu]++;
}

static void rec_assigned(u32 owner, u32 id, u64 generation)
{
	R.assigned_count++;
	R.last_owner = owner;
	R.last_id = id;
	R.last_gen = generation;
}

static void rec_wrapped(u64 generation)
{
	R.wraps++;
	R.last_wrap_gen = generation;
}

static const struct vmid_ops rec_ops = {
	.flush_local = rec_flush,
	.request_flush = rec_request,
	.assigned = rec_assigned,
	.wrapped = rec_wrapped,
};

static void setup(u32 bits, u32 cpu_count, u32 online_mask)
{
	u32 c;

	memset(&R, 0, sizeof(R));
	memset(&A, 0, sizeof(A));
	vmid_init(&A, bits, cpu_count, &rec_ops);
	for (c = 0; c < cpu_count; c++)
		if (online_mask & (1U << c))
			vmid_cpu_online(&A, c);
}

static struct vmid part(u32 owner)
{
	return (struct vmid){ .generation = VMID_INVALID_GEN, .id = 0, .owner = owner };
}

/* Consecutive, from 1, in the order partitions ask; each CPU flushed once when it came online. */
TEST(assignment_order)
{
	struct vmid v[6];
	u32 i;

	setup(8, 4, 0xf);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(R.flushes[i], 1);
	for (i = 0; i < 6; i++) {
		v[i] = part(10 + i);
		vmid_assign(&A, &v[i], i % 4);
		EXPECT_EQ(v[i].id, i + 1);
		EXPECT_EQ(v[i].generation, 1);
		EXPECT_EQ(R.last_owner, 10 + i);
		EXPECT_EQ(R.last_id, i + 1);
		EXPECT_EQ(R.last_gen, 1);
	}
	EXPECT_EQ(R.assigned_count, 6);
	EXPECT_EQ(R.wraps, 0);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(R.requests[i], 0);
		EXPECT_EQ(R.flushes[i], 1);
	}
	/* vmid_prepare_entry hands out a VMID to a partition that has none. */
	v[0] = part(20);
	EXPECT_EQ(vmid_prepare_entry(&A, &v[0], 2), VMID_READY);
	EXPECT_EQ(v[0].id, 7);
}

/* Within a generation a partition keeps its VMID on every CPU; a restart takes a fresh one. */
TEST(reuse_within_generation)
{
	struct vmid a = part(1), b = part(2);
	u32 c, n;

	setup(3, 3, 0x7);
	vmid_assign(&A, &a, 0);
	vmid_assign(&A, &b, 1);
	n = R.assigned_count;
	for (c = 0; c < 3; c++) {
		EXPECT_EQ(vmid_prepare_entry(&A, &a, c), VMID_READY);
		EXPECT_EQ(a.id, 1);
		EXPECT(vmid_current(&A, &a, c));
		EXPECT_EQ(vmid_prepare_entry(&A, &b, c), VMID_READY);
		EXPECT_EQ(b.id, 2);
	}
	EXPECT_EQ(R.assigned_count, n);
	vmid_assign(&A, &a, 0); /* restart */
	EXPECT_EQ(a.id, 3);
	EXPECT_EQ(a.generation, 1);
	for (c = 0; c < 3; c++)
		EXPECT_EQ(R.flushes[c], 1);
}

/*
 * 2-bit VMIDs (1-3): the fourth assignment starts generation 2 on CPU 1.  It
 * flushes itself, asks CPUs 0 and 2 (not itself), and nobody enters under
 * generation 2 until all three flushed; each flushes exactly once.
 */
TEST(generation_change)
{
	struct vmid p[4] = { part(0), part(1), part(2), part(3) };
	u32 c;

	setup(2, 3, 0x7);
	vmid_assign(&A, &p[0], 0);
	vmid_assign(&A, &p[1], 0);
	vmid_assign(&A, &p[2], 0);
	EXPECT_EQ(p[2].id, 3);
	EXPECT_EQ(R.wraps, 0);
	vmid_assign(&A, &p[3], 1);
	EXPECT_EQ(R.wraps, 1);
	EXPECT_EQ(R.last_wrap_gen, 2);
	EXPECT_EQ(p[3].id, 1);
	EXPECT_EQ(p[3].generation, 2);
	EXPECT_EQ(R.requests[0], 1);
	EXPECT_EQ(R.requests[1], 0);
	EXPECT_EQ(R.requests[2], 1);
	EXPECT_EQ(R.flushes[1], 2);
	EXPECT_EQ(R.flushes[0], 1);
	EXPECT_EQ(R.flushes[2], 1);
	EXPECT_EQ(vmid_prepare_entry(&A, &p[3], 1), VMID_WAIT);
	EXPECT(!vmid_current(&A, &p[0], 0));
	vmid_handle_flush_request(&A, 0);
	EXPECT_EQ(R.flushes[0], 2);
	EXPECT_EQ(vmid_prepare_entry(&A, &p[3], 1), VMID_WAIT);
	/* CPU 2 enters partition 0: stale, so it flushes itself and takes VMID 2. */
	EXPECT_EQ(vmid_prepare_entry(&A, &p[0], 2), VMID_READY);
	EXPECT_EQ(p[0].id, 2);
	EXPECT_EQ(p[0].generation, 2);
	EXPECT_EQ(R.flushes[2], 2);
	vmid_handle_flush_request(&A, 2); /* the request arrives late: nothing to do */
	EXPECT_EQ(R.flushes[2], 2);
	EXPECT_EQ(vmid_prepare_entry(&A, &p[3], 1), VMID_READY);
	EXPECT_EQ(p[3].id, 1);
	for (c = 0; c < 3; c++)
		EXPECT_EQ(R.flushes[c], 2);
	EXPECT_EQ(R.wraps, 1);
}

/* Only online CPUs are asked and waited for; a CPU coming online later flushes itself. */
TEST(offline_cpus_not_waited)
{
	struct vmid p[2] = { part(0), part(1) };

	setup(1, 4, 0x3);
	vmid_assign(&A, &p[0], 0); /* VMID 1, the only one with 1 bit */
	vmid_assign(&A, &p[1], 0); /* wraps */
	EXPECT_EQ(R.wraps, 1);
	EXPECT_EQ(R.requests[1], 1);
	EXPECT_EQ(R.requests[2] + R.requests[3], 0);
	EXPECT_EQ(vmid_prepare_entry(&A, &p[1], 0), VMID_WAIT);
	vmid_handle_flush_request(&A, 1);
	EXPECT_EQ(vmid_prepare_entry(&A, &p[1], 0), VMID_READY);
	vmid_cpu_online(&A, 3);
	EXPECT_EQ(R.flushes[3], 1);
	EXPECT_EQ(vmid_prepare_entry(&A, &p[1], 3), VMID_READY);
	vmid_assign(&A, &p[0], 3); /* wraps: CPUs 0 and 1 asked, 2 still offline */
	EXPECT_EQ(R.requests[0], 1);
	EXPECT_EQ(R.requests[1], 2);
	EXPECT_EQ(R.requests[2], 0);
	EXPECT_EQ(R.requests[3], 0);
	EXPECT_EQ(vmid_prepare_entry(&A, &p[0], 3), VMID_WAIT);
	vmid_handle_flush_request(&A, 0);
	vmid_handle_flush_request(&A, 1);
	EXPECT_EQ(vmid_prepare_entry(&A, &p[0], 3), VMID_READY);
}

/*
 * A CPU away on a restart's long job (vmid_cpu_offline: clearing RAM with
 * interrupts masked) is neither asked nor waited for when the generation
 * moves meanwhile; it flushes once when it comes back, before its own entry.
 */
TEST(restarting_cpu_not_waited)
{
	struct vmid p[4] = { part(0), part(1), part(2), part(3) };

	setup(2, 3, 0x7);
	vmid_assign(&A, &p[0], 0);
	vmid_assign(&A, &p[1], 1);
	vmid_assign(&A, &p[2], 2);
	vmid_cpu_offline(&A, 1); /* cpu1 restarts partition 1 */
	vmid_assign(&A, &p[3], 0); /* cpu0 wraps meanwhile */
	EXPECT_EQ(R.wraps, 1);
	EXPECT_EQ(R.requests[1], 0);
	EXPECT_EQ(R.requests[2], 1);
	EXPECT_EQ(vmid_prepare_entry(&A, &p[3], 0), VMID_WAIT); /* cpu2 has not flushed */
	vmid_handle_flush_request(&A, 2);
	EXPECT_EQ(vmid_prepare_entry(&A, &p[3], 0), VMID_READY); /* cpu1 not waited for */
	EXPECT(vmid_current(&A, &p[3], 0));
	EXPECT_EQ(R.flushes[1], 1);
	vmid_cpu_online(&A, 1); /* back: flushes for the generation it missed */
	EXPECT_EQ(R.flushes[1], 2);
	vmid_assign(&A, &p[1], 1);
	EXPECT_EQ(vmid_prepare_entry(&A, &p[1], 1), VMID_READY);
	EXPECT_EQ(R.repeated_flushes, 0);
	/* Going away while others wait lets them go. */
	vmid_assign(&A, &p[0], 0);
	vmid_assign(&A, &p[2], 0); /* wraps: cpu1 and cpu2 asked */
	EXPECT_EQ(R.wraps, 2);
	vmid_handle_flush_request(&A, 2);
	EXPECT_EQ(vmid_prepare_entry(&A, &p[2], 0), VMID_WAIT);
	vmid_cpu_offline(&A, 1);
	EXPECT(vmid_current(&A, &p[2], 0));
	EXPECT_EQ(vmid_prepare_entry(&A, &p[2], 0), VMID_READY);
}

/*
 * A CPU that stops for good (a panic: hyp/core/panic.c) never serves a flush request again.
 * Left online, the next generation change would have every other CPU wait for its flush
 * before any guest entry, for ever.  vmid_cpu_stop takes it out of the rendezvous: waiters
 * go at once, later changes neither ask nor wait for it.  With the lock held (the CPU may
 * have stopped holding it) it gives up after its tries and changes nothing.
 */
TEST(stopped_cpu_not_waited)
{
	struct vmid p[3] = { part(0), part(1), part(2) };

	setup(1, 3, 0x7);
	vmid_assign(&A, &p[0], 0); /* VMID 1, the only one with 1 bit */
	vmid_assign(&A, &p[1], 1); /* wraps: cpu0 and cpu2 asked */
	EXPECT_EQ(R.wraps, 1);
	vmid_handle_flush_request(&A, 0);
	EXPECT_EQ(vmid_prepare_entry(&A, &p[1], 1), VMID_WAIT); /* cpu2 has not flushed */
	/* cpu2 panics: without vmid_cpu_stop, VMID_WAIT for ever. */
	spin_lock(&A.lock); /* held elsewhere: the tries run out, nothing changes */
	EXPECT(!vmid_cpu_stop(&A, 2, 100));
	spin_unlock(&A.lock);
	EXPECT_EQ(vmid_prepare_entry(&A, &p[1], 1), VMID_WAIT);
	EXPECT(vmid_cpu_stop(&A, 2, 100));
	EXPECT(vmid_current(&A, &p[1], 1));
	EXPECT_EQ(vmid_prepare_entry(&A, &p[1], 1), VMID_READY);
	/* The next change asks only cpu1 and waits only for it. */
	vmid_assign(&A, &p[2], 0);
	EXPECT_EQ(R.wraps, 2);
	EXPECT_EQ(R.requests[1], 1);
	EXPECT_EQ(R.requests[2], 1); /* the first change's request only */
	EXPECT_EQ(vmid_prepare_entry(&A, &p[2], 0), VMID_WAIT);
	vmid_handle_flush_request(&A, 1);
	EXPECT_EQ(vmid_prepare_entry(&A, &p[2], 0), VMID_READY);
	EXPECT_EQ(R.flushes[2], 1); /* never again after its stop */
}

/*
 * Three CPUs interleaving with 2-bit VMIDs through many generations (seeded):
 * a CPU flushes at most once per generation (a generation it was asked for
 * but that moved on before it served the request needs no flush of its own),
 * at least once for every generation it entered a guest in, every other CPU
 * is asked at every change, and READY comes exactly when all have flushed.
 */
TEST(interleaving_flush_counts)
{
	struct vmid p[3] = { part(0), part(1), part(2) };
	u32 seed = test_seed(), i, c, gens_seen = 1;
	u32 pending_req[3] = { 0, 0, 0 };
	bool entered_in_gen[3] = { false, false, false };

	srand(seed);
	setup(2, 3, 0x7);
	for (i = 0; i < 20000; i++) {
		u32 op = (u32)rand() % 3, cpu = (u32)rand() % 3, w = (u32)rand() % 3;
		u32 before[3];

		for (c = 0; c < 3; c++)
			before[c] = R.requests[c];
		if (op == 0) {
			vmid_assign(&A, &p[w], cpu);
		} else if (op == 1) {
			enum vmid_status st = vmid_prepare_entry(&A, &p[w], cpu);
			bool all = true;

			for (c = 0; c < 3; c++)
				all = all && A.flushed[c] == A.generation;
			EXPECT_EQ(st == VMID_READY, all);
			EXPECT_EQ(p[w].generation, A.generation);
			if (st == VMID_READY) {
				EXPECT_EQ(R.flushed_for[cpu], A.generation);
				entered_in_gen[cpu] = true;
			}
		} else {
			vmid_handle_flush_request(&A, cpu);
		}
		for (c = 0; c < 3; c++)
			pending_req[c] += R.requests[c] - before[c];
		if (A.generation != gens_seen) {
			EXPECT_EQ(A.generation, gens_seen + 1);
			gens_seen = (u32)A.generation;
			/* Every other CPU was asked. */
			for (c = 0; c < 3; c++)
				EXPECT_EQ(R.requests[c] - before[c], c == cpu ? 0U : 1U);
		}
	}
	EXPECT_EQ(R.repeated_flushes, 0);
	for (c = 0; c < 3; c++) {
		EXPECT(R.flushes[c] <= gens_seen);
		EXPECT(entered_in_gen[c]);
	}
	EXPECT_EQ(R.wraps, gens_seen - 1);
	EXPECT(gens_seen > 100);
	EXPECT(pending_req[0] > 0 && pending_req[1] > 0 && pending_req[2] > 0);
}

/* ---- The model check ------------------------------------------------------------- */

#define MC_CPUS 3
#define MC_PARTS 3
#define MC_IDS 8 /* 3-bit VMIDs at most */

/* One state of the system; all fields bytes, so equal states compare equal bytewise. */
struct mc_state {
	u8 next; /* allocator */
	u8 gen;
	u8 flushed[MC_CPUS];
	u8 mflushed[MC_CPUS]; /* the generation the model saw each CPU flush for */
	u8 req[MC_CPUS]; /* flush request (IPI) not yet served */
	u8 spin[MC_CPUS]; /* entry path: in load_vmid's retry loop after VMID_WAIT */
	u8 pid[MC_PARTS], pgen[MC_PARTS]; /* each partition's struct vmid */
	u8 in[MC_CPUS]; /* 0: in the hypervisor; 1 + p: running partition p */
	u8 eid[MC_CPUS], egen[MC_CPUS]; /* the VMID it entered with */
	u8 tlb[MC_CPUS][MC_IDS]; /* bit p: partition p; bit MC_PARTS + p: an earlier run of p */
	u8 busy[MC_CPUS]; /* 1 + p: away restarting partition p (vmid_cpu_offline) */
	u8 online; /* the allocator's online mask */
};

struct mc_config {
	u32 bits, parts, cpus;
	/*
	 * false: a CPU out of its guest may restart a partition, serve a flush
	 * request or call vmid_prepare_entry, in any order, and give up after
	 * VMID_WAIT.  true: the entry path of hyp/core/vcpu.c: requests are served
	 * first (vcpu_before_entry), then load_vmid: vmid_current() and, if it
	 * says there is work, vmid_prepare_entry() until VMID_READY.
	 */
	bool entry_path;
	u8 map[MC_CPUS]; /* the partition each CPU runs */
};

enum mc_op { MC_RESTART, MC_SERVE, MC_ENTER, MC_EXIT, MC_RESTARTED };

struct mc_move {
	enum mc_op op;
	u32 arg; /* the partition for a restart */
	u32 cpu;
};

static const char *const mc_op_name[] = { "restart", "serve-flush", "enter", "exit", "restarted" };

/* Exploration storage: states, BFS parents (for traces) and edges (for progress). */
#define MC_MAX_STATES (1U << 20)
#define MC_MAX_EDGES (1U << 23)
#define MC_BUDGET 150000U /* states per configuration before the depth is bounded */

static struct mc_state *mc_states;
static u32 *mc_parent;
static u16 *mc_parent_op; /* op << 8 | arg << 4 | cpu */
static u32 mc_count, mc_expanded;
static u32 *mc_hash;
static u32 mc_hash_size;
static u32 *mc_edge_from, *mc_edge_to;
static u32 mc_edges;

/* The live allocator while one step runs, and what its ops did. */
static struct mc_state *mc_cur;
static struct vmid_alloc mc_alloc;
static u32 mc_caller, mc_requested, mc_flush_errors, mc_wrapped;
static const struct mc_config *mc_cfg;
static char mc_violation[256];
static char mc_contract[256]; /* first breach of the vmid.h entry rule, if any */
static u32 mc_contract_count;

static void mc_flush_local(u32 cpu)
{
	u32 i;

	if (cpu != mc_caller)
		mc_flush_errors |= 1; /* a CPU may only flush itself */
	if (mc_cur->mflushed[cpu] == (u8)mc_alloc.generation)
		mc_flush_errors |= 2; /* twice for one generation */
	mc_cur->mflushed[cpu] = (u8)mc_alloc.generation;
	for (i = 0; i < MC_IDS; i++)
		mc_cur->tlb[cpu][i] = 0;
}

static void mc_request_flush(u32 cpu)
{
	if (cpu == mc_caller)
		mc_flush_errors |= 4; /* asked itself */
	mc_requested |= 1U << cpu;
	mc_cur->req[cpu] = 1;
}

static void mc_wrapped_cb(u64 generation)
{
	UNUSED(generation);
	mc_wrapped = 1;
}

static const struct vmid_ops mc_ops = {
	.flush_local = mc_flush_local,
	.request_flush = mc_request_flush,
	.assigned = NULL,
	.wrapped = mc_wrapped_cb,
};

static void mc_load(const struct mc_state *s, struct vmid *v)
{
	u32 c, p;

	memset(&mc_alloc, 0, sizeof(mc_alloc));
	vmid_init(&mc_alloc, mc_cfg->bits, mc_cfg->cpus, &mc_ops);
	mc_alloc.next = s->next;
	mc_alloc.generation = s->gen;
	mc_alloc.online = s->online;
	for (c = 0; c < mc_cfg->cpus; c++)
		mc_alloc.flushed[c] = s->flushed[c];
	for (p = 0; p < mc_cfg->parts; p++)
		v[p] = (struct vmid){ .generation = s->pgen[p], .id = s->pid[p], .owner = p };
}

static void mc_store(struct mc_state *s, const struct vmid *v)
{
	u32 c, p;

	s->next = (u8)mc_alloc.next;
	s->gen = (u8)mc_alloc.generation;
	s->online = (u8)mc_alloc.online;
	for (c = 0; c < mc_cfg->cpus; c++)
		s->flushed[c] = (u8)mc_alloc.flushed[c];
	for (p = 0; p < mc_cfg->parts; p++) {
		s->pid[p] = (u8)v[p].id;
		s->pgen[p] = (u8)v[p].generation;
	}
}

/* Replace generation numbers by their rank (0 stays 0: "never"). */
static void mc_canonical(struct mc_state *s)
{
	u8 *g[1 + 3 * MC_CPUS + MC_PARTS];
	u32 n = 0, c, p, i, j;
	bool seen[256] = { false };
	u8 rank[256];

	g[n++] = &s->gen;
	for (c = 0; c < mc_cfg->cpus; c++) {
		g[n++] = &s->flushed[c];
		g[n++] = &s->mflushed[c];
		if (s->in[c])
			g[n++] = &s->egen[c];
		else
			s->egen[c] = s->eid[c] = 0;
	}
	for (p = 0; p < mc_cfg->parts; p++)
		g[n++] = &s->pgen[p];
	for (i = 0; i < n; i++)
		seen[*g[i]] = true;
	rank[0] = 0;
	for (i = 1, j = 1; i < 256; i++)
		if (seen[i])
			rank[i] = (u8)j++;
	for (i = 0; i < n; i++)
		*g[i] = rank[*g[i]];
}

static bool mc_all_flushed(const struct mc_state *s)
{
	u32 c;

	for (c = 0; c < mc_cfg->cpus; c++)
		if ((s->online & (1U << c)) && s->mflushed[c] != s->gen)
			return false;
	return true;
}

/* Safety checks on a state; false (with mc_violation) if one fails. */
static bool mc_safe(const struct mc_state *s)
{
	u32 c, d;

	for (c = 0; c < mc_cfg->cpus; c++) {
		if (s->flushed[c] != s->mflushed[c]) {
			snprintf(mc_violation, sizeof(mc_violation),
				 "cpu%u: allocator says flushed for %u, it flushed for %u", c,
				 s->flushed[c], s->mflushed[c]);
			return false;
		}
		if (!s->in[c])
			continue;
		if (s->tlb[c][s->eid[c]] != (1U << (s->in[c] - 1))) {
			snprintf(mc_violation, sizeof(mc_violation),
				 "cpu%u runs partition %u under VMID %u, its TLB holds VMID %u for "
				 "0x%x (bit p: partition p, bit %u+p: an earlier run of p)",
				 c, s->in[c] - 1, s->eid[c], s->eid[c], s->tlb[c][s->eid[c]],
				 MC_PARTS);
			return false;
		}
		for (d = 0; d < mc_cfg->cpus; d++) {
			if (d == c || !s->in[d] || s->in[d] == s->in[c] || s->eid[d] != s->eid[c])
				continue;
			if (s->egen[d] == s->egen[c]) {
				snprintf(mc_violation, sizeof(mc_violation),
					 "cpu%u (partition %u) and cpu%u (partition %u) both run "
					 "VMID %u of one generation",
					 c, s->in[c] - 1, d, s->in[d] - 1, s->eid[c]);
				return false;
			}
			if (s->egen[d] > s->egen[c] && s->mflushed[c] < s->egen[d]) {
				snprintf(
					mc_violation, sizeof(mc_violation),
					"cpu%u runs partition %u under VMID %u of an old generation "
					"and has not flushed, while cpu%u runs partition %u under "
					"VMID %u of a newer one",
					c, s->in[c] - 1, s->eid[c], d, s->in[d] - 1, s->eid[d]);
				return false;
			}
		}
	}
	return true;
}

/* Apply a move to 's'; false (with mc_violation) if a check fails. */
static bool mc_step(struct mc_state *s, const struct mc_move *m, bool *contract_ok)
{
	struct vmid v[MC_PARTS];
	u32 c, i, p, cpu = m->cpu;
	u8 gen_before = s->gen;

	mc_cur = s;
	mc_caller = cpu;
	mc_requested = 0;
	mc_flush_errors = 0;
	mc_wrapped = 0;
	*contract_ok = true;
	mc_load(s, v);
	switch (m->op) {
	case MC_RESTART:
		p = m->arg;
		/* The old incarnation's TLB entries are stale for the new one. */
		for (c = 0; c < mc_cfg->cpus; c++)
			for (i = 0; i < MC_IDS; i++)
				if (s->tlb[c][i] & (1U << p))
					s->tlb[c][i] = (u8)((s->tlb[c][i] & ~(1U << p)) |
							    (1U << (MC_PARTS + p)));
		vmid_cpu_offline(&mc_alloc, cpu);
		s->busy[cpu] = (u8)(1 + p);
		break;
	case MC_RESTARTED:
		p = s->busy[cpu] - 1U;
		s->busy[cpu] = 0;
		vmid_cpu_online(&mc_alloc, cpu);
		vmid_assign(&mc_alloc, &v[p], cpu);
		s->req[cpu] = 1; /* cpu_request(this CPU, CPU_REQ_TLB_FLUSH) */
		break;
	case MC_SERVE:
		s->req[cpu] = 0;
		vmid_handle_flush_request(&mc_alloc, cpu);
		break;
	case MC_ENTER: {
		enum vmid_status st;
		bool fast = false;

		p = mc_cfg->map[cpu];
		if (mc_cfg->entry_path && !s->spin[cpu] && vmid_current(&mc_alloc, &v[p], cpu)) {
			st = VMID_READY;
			fast = true;
		} else {
			st = vmid_prepare_entry(&mc_alloc, &v[p], cpu);
		}
		mc_store(s, v);
		if (!fast && (st == VMID_READY) != mc_all_flushed(s)) {
			snprintf(
				mc_violation, sizeof(mc_violation),
				"vmid_prepare_entry on cpu%u said %s; every online CPU flushed: %d",
				cpu, st == VMID_READY ? "READY" : "WAIT", mc_all_flushed(s));
			return false;
		}
		s->spin[cpu] = mc_cfg->entry_path && st == VMID_WAIT;
		if (st == VMID_READY) {
			if (!mc_all_flushed(s)) {
				snprintf(mc_contract, sizeof(mc_contract),
					 "cpu%u enters partition %u under VMID %u (vmid_current() "
					 "said current) before every online CPU flushed for its "
					 "generation",
					 cpu, p, v[p].id);
				*contract_ok = false;
			}
			s->in[cpu] = (u8)(1 + p);
			s->eid[cpu] = (u8)v[p].id;
			s->egen[cpu] = (u8)v[p].generation;
			s->tlb[cpu][v[p].id] |= (u8)(1U << p);
		}
		break;
	}
	case MC_EXIT:
		s->in[cpu] = 0;
		break;
	}
	mc_store(s, v);
	if (mc_flush_errors) {
		snprintf(mc_violation, sizeof(mc_violation), "%s on cpu%u: flush_local misuse 0x%x",
			 mc_op_name[m->op], cpu, mc_flush_errors);
		return false;
	}
	if (s->gen != gen_before) {
		u32 others = mc_alloc.online & ~(1U << cpu);

		if (!mc_wrapped || s->gen != gen_before + 1 || mc_requested != others) {
			snprintf(
				mc_violation, sizeof(mc_violation),
				"%s on cpu%u moved the generation; wrapped %u, requests 0x%x, want 0x%x",
				mc_op_name[m->op], cpu, mc_wrapped, mc_requested, others);
			return false;
		}
	}
	mc_canonical(s);
	return mc_safe(s);
}

/* Is a restart of partition p under way (a CPU away on its long job)? */
static bool mc_restarting(const struct mc_state *s, u32 p)
{
	u32 d;

	for (d = 0; d < mc_cfg->cpus; d++)
		if (s->busy[d] == 1 + p)
			return true;
	return false;
}

/* The moves possible from 's'. */
static u32 mc_moves(const struct mc_state *s, struct mc_move *ops)
{
	u32 n = 0, c, p, d;

	for (c = 0; c < mc_cfg->cpus; c++) {
		if (s->in[c]) {
			ops[n++] = (struct mc_move){ MC_EXIT, c, c };
			continue;
		}
		if (s->busy[c]) {
			ops[n++] = (struct mc_move){ MC_RESTARTED, c, c }; /* its long job ends */
			continue;
		}
		if (s->spin[c]) {
			ops[n++] = (struct mc_move){ MC_ENTER, c, c }; /* retry: nothing else */
			continue;
		}
		if (s->req[c])
			ops[n++] = (struct mc_move){ MC_SERVE, c, c };
		/* No vCPU of a partition enters while its restart is under way. */
		if ((!mc_cfg->entry_path || !s->req[c]) && !mc_restarting(s, mc_cfg->map[c]))
			ops[n++] = (struct mc_move){ MC_ENTER, c, c };
		/* A partition restarts (on one of its CPUs) when none of its vCPUs runs. */
		for (p = 0; p < mc_cfg->parts; p++) {
			bool running = false, mapped = false;

			for (d = 0; d < mc_cfg->cpus; d++) {
				running = running || s->in[d] == 1 + p || s->busy[d] == 1 + p ||
					  (s->spin[d] && mc_cfg->map[d] == p);
				mapped = mapped || mc_cfg->map[d] == p;
			}
			if (!running && (mc_cfg->map[c] == p || !mapped))
				ops[n++] = (struct mc_move){ MC_RESTART, p, c };
		}
	}
	return n;
}

static u32 mc_hash_of(const struct mc_state *s)
{
	const u8 *b = (const u8 *)s;
	u32 h = 2166136261U;
	size_t i;

	for (i = 0; i < sizeof(*s); i++)
		h = (h ^ b[i]) * 16777619U;
	return h;
}

/* Index of 's', added if new (*added set); UINT32_MAX when full. */
static u32 mc_intern(const struct mc_state *s, bool *added)
{
	u32 h = mc_hash_of(s) & (mc_hash_size - 1);

	*added = false;
	for (;;) {
		u32 i = mc_hash[h];

		if (i == UINT32_MAX)
			break;
		if (!memcmp(&mc_states[i], s, sizeof(*s)))
			return i;
		h = (h + 1) & (mc_hash_size - 1);
	}
	if (mc_count >= MC_MAX_STATES)
		return UINT32_MAX;
	mc_states[mc_count] = *s;
	mc_hash[h] = mc_count;
	*added = true;
	return mc_count++;
}

static void mc_print_trace(u32 i)
{
	u32 path[512], n = 0;

	while (i != 0 && n < 512) {
		path[n++] = i;
		i = mc_parent[i];
	}
	printf("#   path from the start (%u steps):", n);
	while (n--) {
		u32 o = mc_parent_op[path[n]];

		if ((o >> 8) == MC_RESTART)
			printf(" restart(p%u)@cpu%u", (o >> 4) & 0xf, o & 0xf);
		else
			printf(" %s@cpu%u", mc_op_name[o >> 8], o & 0xf);
	}
	printf("\n");
}

static const char *mc_name(const struct mc_config *cfg)
{
	static char name[96];

	snprintf(name, sizeof(name), "%u-bit, %u partitions, %u CPUs%s", cfg->bits, cfg->parts,
		 cfg->cpus, cfg->entry_path ? ", hyp entry path" : "");
	return name;
}

/*
 * Breadth first to the end, or, past MC_BUDGET states, to the end of the
 * current depth (the states of the last level are then not expanded).
 * false (with a printed trace) on a violation.
 */
static bool mc_explore(const struct mc_config *cfg, u32 *depth_out, u32 *first_contract)
{
	struct mc_state s0;
	u32 head, c, depth = 0, level_end;
	bool added;

	mc_cfg = cfg;
	mc_count = 0;
	mc_edges = 0;
	*first_contract = UINT32_MAX;
	mc_contract_count = 0;
	memset(mc_hash, 0xff, mc_hash_size * sizeof(u32));
	memset(&s0, 0, sizeof(s0));
	/* Boot: vmid_init, every CPU online (each flushes for generation 1). */
	mc_cur = &s0;
	memset(&mc_alloc, 0, sizeof(mc_alloc));
	vmid_init(&mc_alloc, cfg->bits, cfg->cpus, &mc_ops);
	for (c = 0; c < cfg->cpus; c++) {
		mc_caller = c;
		vmid_cpu_online(&mc_alloc, c);
	}
	s0.next = (u8)mc_alloc.next;
	s0.gen = (u8)mc_alloc.generation;
	s0.online = (u8)mc_alloc.online;
	for (c = 0; c < cfg->cpus; c++)
		s0.flushed[c] = (u8)mc_alloc.flushed[c];
	mc_canonical(&s0);
	mc_intern(&s0, &added);
	mc_parent[0] = 0;
	level_end = 1;
	for (head = 0; head < mc_count; head++) {
		struct mc_move ops[MC_CPUS * (MC_PARTS + 3)];
		u32 n, k;

		if (head == level_end) {
			if (mc_count > MC_BUDGET)
				break;
			depth++;
			level_end = mc_count;
		}
		n = mc_moves(&mc_states[head], ops);
		for (k = 0; k < n; k++) {
			struct mc_state next = mc_states[head];
			bool contract_ok;
			u32 to;

			if (!mc_step(&next, &ops[k], &contract_ok)) {
				printf("# vmid model (%s): %s/%u on cpu%u: %s\n", mc_name(cfg),
				       mc_op_name[ops[k].op], ops[k].arg, ops[k].cpu, mc_violation);
				mc_print_trace(head);
				return false;
			}
			if (!contract_ok && mc_contract_count++ == 0)
				*first_contract = head;
			to = mc_intern(&next, &added);
			if (to == UINT32_MAX || mc_edges >= MC_MAX_EDGES) {
				printf("# vmid model (%s): storage full\n", mc_name(cfg));
				return false;
			}
			if (added) {
				mc_parent[to] = head;
				mc_parent_op[to] =
					(u16)((ops[k].op << 8) | (ops[k].arg << 4) | ops[k].cpu);
			}
			mc_edge_from[mc_edges] = head;
			mc_edge_to[mc_edges++] = to;
		}
	}
	mc_expanded = head;
	*depth_out = depth;
	return true;
}

/* The goal: every CPU in 'cpus' runs its guest. */
static bool mc_goal(const struct mc_state *s, u32 cpus)
{
	u32 c;

	for (c = 0; c < mc_cfg->cpus; c++)
		if ((cpus & (1U << c)) && !s->in[c])
			return false;
	return true;
}

/*
 * A cooperative schedule from 's' (no restarts): CPUs asked to flush leave
 * their guest and serve the request, CPUs in the retry loop retry, the CPUs
 * of the goal enter.  True if it reaches the goal.
 */
static bool mc_schedule_reaches(struct mc_state s, u32 cpus)
{
	u32 step, start = 0;

	for (step = 0; step < 400; step++) {
		u32 k;
		bool moved = false;

		if (mc_goal(&s, cpus))
			return true;
		for (k = 0; k < mc_cfg->cpus && !moved; k++) {
			u32 c = (start + k) % mc_cfg->cpus;
			struct mc_move m = { MC_ENTER, c, c };
			bool ok;

			if (s.in[c]) {
				if (!s.req[c])
					continue;
				m.op = MC_EXIT;
			} else if (s.busy[c]) {
				m.op = MC_RESTARTED;
			} else if (mc_restarting(&s, mc_cfg->map[c])) {
				continue; /* its partition's restart ends first */
			} else if (!s.spin[c] && s.req[c]) {
				m.op = MC_SERVE;
			} else if (!s.spin[c] && !(cpus & (1U << c))) {
				continue;
			}
			if (!mc_step(&s, &m, &ok))
				return false;
			moved = true;
		}
		start++;
		if (!moved)
			return false;
	}
	return false;
}

/*
 * States that cannot reach the goal: backwards over the recorded edges, and
 * for what that leaves (states at the depth bound), the cooperative schedule.
 */
static u32 mc_unreachable(u32 cpus, u32 *bad)
{
	u8 *good = calloc(mc_count, 1);
	u32 *off = calloc(mc_count + 2, sizeof(u32)), *rev = malloc(mc_edges * sizeof(u32) + 4);
	u32 *queue = malloc(mc_count * sizeof(u32)), head = 0, tail = 0, i, count = 0;

	for (i = 0; i < mc_edges; i++)
		off[mc_edge_to[i] + 2]++;
	for (i = 0; i < mc_count; i++)
		off[i + 2] += off[i + 1];
	for (i = 0; i < mc_edges; i++)
		rev[off[mc_edge_to[i] + 1]++] = mc_edge_from[i];
	/* Goals, and states at the depth bound from which the cooperative schedule gets there. */
	for (i = 0; i < mc_count; i++)
		if (mc_goal(&mc_states[i], cpus) ||
		    (i >= mc_expanded && mc_schedule_reaches(mc_states[i], cpus))) {
			good[i] = 1;
			queue[tail++] = i;
		}
	while (head < tail) {
		u32 t = queue[head++], e;

		for (e = off[t]; e < off[t + 1]; e++)
			if (!good[rev[e]]) {
				good[rev[e]] = 1;
				queue[tail++] = rev[e];
			}
	}
	*bad = UINT32_MAX;
	for (i = 0; i < mc_count; i++) {
		if (good[i])
			continue;
		if (*bad == UINT32_MAX)
			*bad = i;
		count++;
	}
	free(good);
	free(off);
	free(rev);
	free(queue);
	return count;
}

/*
 * Progress: from every state, each CPU can get to run its guest; and all can
 * at once, if no more partitions run at once than there are VMIDs.  With
 * more partitions than VMIDs (which tcfg refuses: partition_count <
 * 2^VMID_BITS) the result is printed, not required.
 */
static bool mc_progress(const struct mc_config *cfg)
{
	u32 c, bad, n, running = 0, p, all = (1U << cfg->cpus) - 1;
	bool valid = cfg->parts < (1U << cfg->bits), ok = true;

	for (p = 0; p < cfg->parts; p++)
		for (c = 0; c < cfg->cpus; c++)
			if (cfg->map[c] == p) {
				running++;
				break;
			}
	for (c = 0; c < cfg->cpus && ok; c++) {
		n = mc_unreachable(1U << c, &bad);
		if (n) {
			printf("# vmid model (%s): %u states from which cpu%u never runs its guest%s\n",
			       mc_name(cfg), n, c,
			       valid ? "" : " (more partitions than VMIDs: tcfg refuses this)");
			mc_print_trace(bad);
			ok = !valid;
		}
	}
	if (running <= (1U << cfg->bits) - 1) {
		n = mc_unreachable(all, &bad);
		if (n) {
			printf("# vmid model (%s): %u states from which the CPUs never all run\n",
			       mc_name(cfg), n);
			mc_print_trace(bad);
			ok = false;
		}
	}
	return ok;
}

static bool mc_alloc_storage(void)
{
	mc_hash_size = 1U << 22;
	mc_states = malloc(MC_MAX_STATES * sizeof(*mc_states));
	mc_parent = malloc(MC_MAX_STATES * sizeof(u32));
	mc_parent_op = malloc(MC_MAX_STATES * sizeof(u16));
	mc_hash = malloc(mc_hash_size * sizeof(u32));
	mc_edge_from = malloc(MC_MAX_EDGES * sizeof(u32));
	mc_edge_to = malloc(MC_MAX_EDGES * sizeof(u32));
	return mc_states && mc_parent && mc_parent_op && mc_hash && mc_edge_from && mc_edge_to;
}

static void mc_free_storage(void)
{
	free(mc_states);
	free(mc_parent);
	free(mc_parent_op);
	free(mc_hash);
	free(mc_edge_from);
	free(mc_edge_to);
}

/*
 * Every configuration: VMID widths 1-3, 2-3 partitions, 2-3 CPUs; CPU c runs
 * partition c mod P (so with 3 CPUs and 2 partitions, partition 0 has two
 * vCPUs; with 2 CPUs and 3 partitions, partition 2 only ever restarts).
 */
static void mc_run_all(bool entry_path, u32 *failures, u32 *contracts)
{
	u32 bits, parts, cpus, c, total = 0;

	for (bits = 1; bits <= 3; bits++)
		for (parts = 2; parts <= 3; parts++)
			for (cpus = 2; cpus <= 3; cpus++) {
				struct mc_config cfg = { .bits = bits,
							 .parts = parts,
							 .cpus = cpus,
							 .entry_path = entry_path };
				u32 depth = 0, first_contract;

				for (c = 0; c < cpus; c++)
					cfg.map[c] = (u8)(c % parts);
				if (!mc_explore(&cfg, &depth, &first_contract)) {
					(*failures)++;
					continue;
				}
				total += mc_count;
				printf("# vmid model (%s): %u states, %sdepth %u%s\n",
				       mc_name(&cfg), mc_count,
				       mc_expanded == mc_count ? "all, " : "to ", depth,
				       mc_expanded == mc_count ? "" : " (bounded)");
				if (mc_contract_count) {
					(*contracts)++;
					printf("# vmid model (%s): %u steps break the vmid.h rule: %s\n",
					       mc_name(&cfg), mc_contract_count, mc_contract);
					mc_print_trace(first_contract);
				}
				if (!mc_progress(&cfg))
					(*failures)++;
			}
	printf("# vmid model%s: %u states explored in all\n", entry_path ? " (entry path)" : "",
	       total);
}

/* The allocator as mm/vmid.h states it: every entry through vmid_prepare_entry. */
TEST(model_check)
{
	u32 failures = 0, contracts = 0;

	if (!mc_alloc_storage()) {
		mc_free_storage();
		TEST_FAIL_AT("%s", "out of memory");
		return;
	}
	mc_run_all(false, &failures, &contracts);
	mc_free_storage();
	EXPECT_EQ(failures, 0);
	EXPECT_EQ(contracts, 0);
}

/*
 * The entry path of hyp/core/vcpu.c (vcpu_before_entry, load_vmid): pending
 * requests first, vmid_current() as a fast path, then vmid_prepare_entry()
 * until VMID_READY.  Same checks, plus the rule of mm/vmid.h that no CPU
 * enters under a generation before every online CPU flushed for it.
 */
TEST(model_check_entry_path)
{
	u32 failures = 0, contracts = 0;

	if (!mc_alloc_storage()) {
		mc_free_storage();
		TEST_FAIL_AT("%s", "out of memory");
		return;
	}
	mc_run_all(true, &failures, &contracts);
	mc_free_storage();
	EXPECT_EQ(failures, 0);
	EXPECT_EQ(contracts, 0);
}

int main(void)
{
	test_suite_name = "vmid";
	RUN(assignment_order);
	RUN(reuse_within_generation);
	RUN(generation_change);
	RUN(offline_cpus_not_waited);
	RUN(restarting_cpu_not_waited);
	RUN(stopped_cpu_not_waited);
	RUN(interleaving_flush_counts);
	RUN(model_check);
	RUN(model_check_entry_path);
	return test_summary();
}

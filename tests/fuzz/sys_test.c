/*
 * Host tests of partition and vCPU lifecycle on the host-built system of
 * fuzz_sys.h (the real hyp/ on tests/fake), written out from what the fuzz
 * targets found, so each stays readable as a test:
 *
 *   cpu_on_target_checked     CPU_ON, AFFINITY_INFO and PSCI_FEATURES answer by
 *   affinity_info             DEN 0022D: a bad MPIDR, level or entry is refused,
 *   psci_features             a vCPU's state and the functions offered exact
 *   cpu_on_then_system_off    a vCPU switched on (PSCI CPU_ON) whose partition
 *                             stops before it starts must not keep the
 *                             partition from stopping (found by fuzz.smccc)
 *   cpu_on_then_system_reset  nor from restarting
 *   restart_invalidates_own_cpus_only  a restart's I-cache and predictor invalidation
 *                             is each vCPU's own CPU's as it starts, never a broadcast
 *   start_registers           every start enters vCPU 0 at the entry with r0 = 0,
 *                             r1 = ~0, r2 = the device tree (a restart too)
 *   vmid_wrap_restarts        restarts past the VMID space (VMID_BITS=2 here)
 *                             never leave two running partitions one VMID
 *   reset_bound               guest-requested restarts (SYSTEM_RESET) are bounded
 *                             by reset-limit: past it the partition stays
 *                             stopped, said once; a slower loop goes on
 *   one_fault_one_credit      faults on two vCPUs of a partition already
 *                             restarting use one restart credit, not two
 *   doorbell_ring             DOORBELL_RING makes the peer's SPI pending there
 *   cache_maintenance_skipped a cache operation by VA on an unmapped IPA
 *                             (HSR.CM) is skipped, not put to the fault policy
 *   load_serves_between_chunks  a partition's load (clear, image copy, clean by VA)
 *                             looks at its CPU's requests and the console after every
 *                             PARTITION_LOAD_CHUNK bytes of work
 *   image_check_not_waited_for  the boot check's hashing CPU takes no part in VMID
 *                             rollovers, as a load's does not
 *   image_check_serves_within_a_chunk  and it serves requests and the console every
 *                             PARTITION_HASH_STEP bytes of a chunk it hashes
 *   console_paste_reaches_guest_whole  input longer than the UART's FIFO is
 *                             not dropped; a loss past the buffer is flagged
 *   guest_par_kept            the IPA lookup of a stage-2 permission fault
 *                             (ATS1CPR) leaves the guest's PAR as it was
 *   fault_ipa_not_from_unknown_hpfar  an alignment fault's IPA is the guest's
 *                             translation of its VA, not HPFAR (UNKNOWN then)
 *   suppressed_count_told     the count of rate-limited fault messages is said
 *                             when the window closes, with no later fault
 *   fault_rate_limit_windows  every window lets five fault messages through, a
 *                             count is said once, every fault is counted
 *   prefetch_abort_told       a prefetch abort is said as a fetch, with its IPA
 *   console_hyp_never_waits   hypervisor lines never wait for a stuck UART:
 *                             those that do not fit are counted and reported
 *   console_tx_irq_while_waiting  the UART's TX interrupt is on exactly while
 *                             output waits
 *   console_fair_share        a partition that floods a stuck UART loses its
 *                             own lines (reported as its own), never another's
 *   console_escapes_controls  control bytes and escape sequences reach the
 *                             terminal as \xNN, so nobody forges a line
 *   console_line_max          a line of VUART_LINE_MAX bytes comes out whole, a longer
 *                             one too (in pieces that continue one another)
 *   console_partial_line_out  an unfinished line goes out 50 ms after its first
 *                             byte, or when its vCPU is switched off
 *   console_open_line_continues  a line sent in pieces (a prompt, then an echo) is one
 *                             line on the terminal unless another line comes between
 *   console_sequence_ends_with_its_run  a control sequence cut by CPU_OFF does not eat
 *                             the next run's first byte
 *   console_device_order_one_line  a device-order partition's line begun on one vCPU
 *                             ends on another as one line; an ESC held at its stop shows
 *   console_focused_line_shown_again  the focused partition's open line, ended by another
 *                             source's line, shows again from its start with its next
 *                             piece (a shell's typed line stays whole)
 *   console_kept_line_shown_as_shown  a kept line that showed its tag again while
 *                             unfocused shows again from that tag, no tag mid-line
 *   console_kept_line_ends_with_run  a kept line ends with its partition's run, and with
 *                             an end that went out unfocused: the next one is kept
 *   console_kept_line_per_partition  the input moved to another partition that prints
 *                             and back: each shell's prompt still shows again
 *   console_empty_rest_not_shown  the rest of an interrupted open line that is only its
 *                             newline shows nothing (no empty tagged line); a guest's
 *                             own empty line still shows
 *   uart_reset_at_restart     a restart resets the PL011 and empties its FIFO
 *   console_vcpu_lines_whole  two vCPUs of one partition print byte by byte
 *                             at once: each line comes out whole
 *   monitor_find              the monitor's partition argument: number or label
 *   monitor_commands          Ctrl-T ?, l, s, +/-, k/b/r <partition>, focus; bytes
 *                             of a command never reach the partition
 *   watchdog_restarts         a partition that stops kicking is restarted when its
 *                             Hyp timer sees the deadline pass, then halted past
 *                             its restart-limit; the operator may start it again
 *   manager_rights            a manager reads, restarts, stops and starts what it
 *                             manages; every other call is DENIED, logged once
 *   machine_off_when_all_off  the machine is switched off when every partition
 *                             has switched itself off, not when one was stopped
 *   manager_restart_bound     a manager's starts and restarts are bounded by the
 *                             managed partition's reset-limit (BUSY past it, said
 *                             once), in a history a start of a halted one keeps
 *
 * Every console line is also checked not to be written with the VMID
 * allocator's lock held (fuzz_sys.c, __wrap_console_hyp_line and __wrap_console_guest_line).
 *
 * sys_check() and the checks at the end of every sys_settle() run throughout.
 */
#include "test.h"
#include "fuzz_sys.h"
#include "abi/hypercall.h"
#include "abi/smccc.h"
#include "hyp/dev/console.h"
#include "hyp/dev/monitor.h"
#include "hyp/dev/vuart.h"
#include "tessera/sha256.h"

#define TESSERA_PARTITION_ID 0x86000001U
#define FID_DOORBELL_RING 0x86000005U

/* Partition 1 "beta": vCPU 0 on cpu1, vCPU 1 on cpu2. */
#define BETA 1
#define BETA_CPU0 1
#define BETA_CPU1 2

#define UNMAPPED_IPA 0x54000000U
#define GUEST_PC (FAKE_GUEST_RAM_IPA + 0x100)
#define DABT_WRITE(fsc) ((u32)HSR_EC_DABT_GUEST << HSR_EC_SHIFT | HSR_IL | HSR_DABT_WNR | (fsc))
#define FSC_TRANSLATION_L3 (FSC_TRANSLATION | 3)
#define FSC_PERMISSION_L3 (FSC_PERMISSION | 3)

/* A policy word for sys_reset: policy, restart-limit max (0..3), window in 250 ms units. */
#define POLICY(policy, max, quarters) ((policy) | (max) << 2 | (quarters) << 4)

static void start_system(void)
{
	static const u32 stop[CFG_PARTITION_COUNT] = { 0, 0, 0 };

	sys_reset(4, stop);
}

/*
 * The guest on 'cpu' calls HVC with r0-r3; returns r0.  Nested: from inside another CPU's
 * hypervisor code (a hook), so no sys_check(): that CPU's state in the model is stale until
 * its entry ends.
 */
static u32 hvc_nested(u32 cpu, u32 fid, u32 a1, u32 a2, u32 a3)
{
	struct regs *r = cpu_frame(cpu);

	r->r[0] = fid;
	r->r[1] = a1;
	r->r[2] = a2;
	r->r[3] = a3;
	sys_set_trap_regs(cpu, (u32)HSR_EC_HVC << HSR_EC_SHIFT | HSR_IL, 0, 0,
			  FAKE_GUEST_RAM_IPA + 0x100, PSR_MODE_SVC);
	sys_trap(cpu);
	return r->r[0];
}

static u32 hvc(u32 cpu, u32 fid, u32 a1, u32 a2, u32 a3)
{
	u32 ret = hvc_nested(cpu, fid, a1, a2, a3);

	sys_check();
	return ret;
}

/* The guest on 'cpu' takes a stage-2 data abort writing 'ipa' (MMU off: VA = IPA). */
static void data_abort_at(u32 cpu, u32 hsr, u32 ipa)
{
	sys_set_trap_regs(cpu, hsr, ipa, (u32)(ipa >> 8) & HPFAR_FIPA_MASK, GUEST_PC, PSR_MODE_SVC);
	sys_trap(cpu);
	sys_check();
}

/*
 * PSCI CPU_ON's entry (DEN 0022D 5.1.4): outside the partition's RAM, or an ARM-state address
 * that is not word-aligned, is INVALID_ADDRESS, and nothing starts; a Thumb one (bit 0) is fine.
 */
TEST(cpu_on_entry_checked)
{
	struct partition *p = &partitions[BETA];

	start_system();
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA + 2, 0), (u32)-9);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, 0x100, 0), (u32)-9);
	/* The first byte past the RAM (the region's end is exclusive). */
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA + FAKE_PART_RAM_SIZE, 0),
		  (u32)-9);
	EXPECT_EQ(p->vcpus_on, 1);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA + 3, 0), 0);
	EXPECT_EQ(p->vcpus_on, 2);
	sys_finish();
}

/*
 * CPU_ON's target is the MPIDR's affinity fields: bits [31:24] must be zero (DEN 0022D 5.1.4),
 * so a raw MPIDR (bit 31 set, bit 24 MT) is INVALID_PARAMETERS, for AFFINITY_INFO too.
 */
TEST(cpu_on_mpidr_high_bits)
{
	start_system();
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 0x80000001U, FAKE_GUEST_RAM_IPA, 0), (u32)-2);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 0x01000001U, FAKE_GUEST_RAM_IPA, 0), (u32)-2);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_AFFINITY_INFO, 0x80000000U, 0, 0), (u32)-2);
	EXPECT_EQ(partitions[BETA].vcpus_on, 1);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA, 0), 0);
	sys_finish();
}

/*
 * PSCI CPU_ON's target (DEN 0022D 5.1.4): a vCPU of the caller's partition by its MPIDR, Aff0
 * its index and every other affinity field 0; anything else is INVALID_PARAMETERS, a vCPU
 * already on is ALREADY_ON, and nothing starts.
 */
TEST(cpu_on_target_checked)
{
	struct partition *p = &partitions[BETA];

	start_system();
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 0, FAKE_GUEST_RAM_IPA, 0), (u32)-4);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 2, FAKE_GUEST_RAM_IPA, 0), (u32)-2); /* 2 vCPUs */
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 0x101, FAKE_GUEST_RAM_IPA, 0), (u32)-2);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 0x10001, FAKE_GUEST_RAM_IPA, 0), (u32)-2);
	EXPECT_EQ(p->vcpus_on, 1);
	sys_finish();
}

/*
 * PSCI AFFINITY_INFO (DEN 0022D 5.1.5): level 0 is one vCPU, OFF, ON_PENDING from CPU_ON until
 * it runs, then ON; level 1 the whole partition (ON when any vCPU is); a level above 1, or an
 * MPIDR of no vCPU, is INVALID_PARAMETERS.
 */
TEST(affinity_info)
{
	start_system();
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_AFFINITY_INFO, 0, 0, 0), 0);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_AFFINITY_INFO, 1, 0, 0), 1);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_AFFINITY_INFO, 1, 1, 0), 0);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_AFFINITY_INFO, 2, 0, 0), (u32)-2);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_AFFINITY_INFO, 0x101, 0, 0), (u32)-2);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_AFFINITY_INFO, 0, 2, 0), (u32)-2);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA, 0), 0);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_AFFINITY_INFO, 1, 0, 0), 2);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_AFFINITY_INFO, 1, 1, 0), 0);
	sys_settle();
	EXPECT(sys_guest_vcpu(BETA_CPU1));
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_AFFINITY_INFO, 1, 0, 0), 0);
	EXPECT_EQ(hvc(BETA_CPU1, PSCI_AFFINITY_INFO, 0, 1, 0), 0);
	sys_finish();
}

/* PSCI_FEATURES (DEN 0022D 5.1.17): SUCCESS for what is implemented, NOT_SUPPORTED otherwise. */
TEST(psci_features)
{
	start_system();
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_FEATURES, PSCI_CPU_ON, 0, 0), 0);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_FEATURES, PSCI_FEATURES, 0, 0), 0);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_FEATURES, 0x80000000U, 0, 0), 0); /* SMCCC_VERSION */
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_FEATURES, 0x84000005U, 0, 0), (u32)-1); /* CPU_FREEZE */
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_FEATURES, 0xc4000003U, 0, 0), (u32)-1); /* CPU_ON, 64-bit */
	sys_finish();
}

/*
 * A CPU_ON from a partition a manager has just stopped, before its vCPU parks: one of CPU_ON's
 * return codes (DEN 0022D 5.1.4), INTERNAL_FAILURE, not DENIED; nothing starts.
 */
TEST(cpu_on_while_stopping)
{
	start_system();
	EXPECT_EQ(partition_command(&partitions[BETA], TESSERA_PARTITION_STOP, "t", NULL), 0);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA, 0), (u32)-6);
	sys_settle();
	EXPECT_EQ(partitions[BETA].state, PART_STOPPED);
	EXPECT_EQ(partitions[BETA].vcpus_on, 0);
	sys_finish();
}

TEST(cpu_on_then_system_off)
{
	struct partition *p = &partitions[BETA];

	start_system();
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA, 0), 0);
	EXPECT_EQ(p->vcpus_on, 2);
	/* Before cpu2 acts on its start request, the partition switches itself off. */
	hvc(BETA_CPU0, PSCI_SYSTEM_OFF, 0, 0, 0);
	sys_settle();
	EXPECT_EQ(p->state, PART_STOPPED);
	EXPECT_EQ(p->vcpus_on, 0);
	EXPECT(!sys_guest_vcpu(BETA_CPU0) && !sys_guest_vcpu(BETA_CPU1));
	sys_finish();
}

/*
 * A restart's fresh images reach its vCPUs' instruction fetches through each one's own I-cache
 * and branch predictor invalidation as it starts (CPU_ON too), never through a broadcast
 * (ICIALLUIS, BPIALLIS) that would empty every CPU's of the Inner Shareable domain, the other
 * partitions' too: a reset loop costs a neighbour nothing.
 */
TEST(restart_invalidates_own_cpus_only)
{
	u32 broadcast, local0, local1;

	start_system();
	broadcast = fake_arch_stats.broadcast_inval;
	local0 = fake_arch_stats.local_inval[BETA_CPU0];
	hvc(BETA_CPU0, PSCI_SYSTEM_RESET, 0, 0, 0);
	sys_settle();
	EXPECT_EQ(partitions[BETA].starts, 2);
	EXPECT_EQ(fake_arch_stats.broadcast_inval, broadcast);
	EXPECT(fake_arch_stats.local_inval[BETA_CPU0] > local0);
	/* Its other vCPU, off at the restart, when it starts (no VMID rollover to do it). */
	local1 = fake_arch_stats.local_inval[BETA_CPU1];
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA, 0), 0);
	sys_settle();
	EXPECT(sys_guest_vcpu(BETA_CPU1));
	EXPECT(fake_arch_stats.local_inval[BETA_CPU1] > local1);
	sys_finish();
}

/* A restarted partition's RAM leaves the caches (clean and invalidate), every byte of it. */
TEST(restart_drops_ram_from_caches)
{
	const struct cfg_partition *cfg = partitions[BETA].cfg;
	u64 before, ram = 0;
	u32 i;

	start_system();
	for (i = 0; i < cfg->region_count; i++)
		if (cfg->regions[i].kind == CFG_REGION_RAM)
			ram += cfg->regions[i].size;
	before = fake_clean_inval_bytes;
	hvc(BETA_CPU0, PSCI_SYSTEM_RESET, 0, 0, 0);
	sys_settle();
	EXPECT_EQ(partitions[BETA].starts, 2);
	EXPECT(ram > 0);
	EXPECT(fake_clean_inval_bytes - before >= ram);
	sys_finish();
}

TEST(cpu_on_then_system_reset)
{
	struct partition *p = &partitions[BETA];

	start_system();
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA, 0), 0);
	hvc(BETA_CPU0, PSCI_SYSTEM_RESET, 0, 0, 0);
	sys_settle();
	EXPECT_EQ(p->state, PART_RUNNING);
	EXPECT_EQ(p->starts, 2);
	EXPECT_EQ(p->vcpus_on, 1);
	EXPECT(sys_guest_vcpu(BETA_CPU0) && !sys_guest_vcpu(BETA_CPU1));
	EXPECT_EQ(hvc(BETA_CPU0, TESSERA_PARTITION_ID, 0, 0, 0), BETA);
	sys_finish();
}

/*
 * Every start (a restart too) enters vCPU 0 at the partition's entry with r0 = 0, r1 = ~0 (no
 * machine type) and r2 = its device tree's IPA (Linux's boot protocol), whatever a CPU_ON of
 * vCPU 0 gave it in the previous run.
 */
TEST(start_registers)
{
	const struct cfg_partition *cfg = partitions[BETA].cfg;
	struct regs *r = cpu_frame(BETA_CPU0);

	start_system();
	EXPECT_EQ(*fake_reg_on(BETA_CPU0, "elr_hyp"), cfg->entry);
	EXPECT_EQ(r->r[0], 0);
	EXPECT_EQ(r->r[1], ~0U);
	EXPECT_EQ(r->r[2], (u32)cfg->dtb_ipa);
	/* vCPU 1 takes over, switches vCPU 0 off and on elsewhere, then resets the partition. */
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA, 0), 0);
	sys_settle();
	hvc(BETA_CPU0, PSCI_CPU_OFF, 0, 0, 0);
	sys_settle();
	EXPECT_EQ(hvc(BETA_CPU1, PSCI_CPU_ON, 0, FAKE_GUEST_RAM_IPA + 0x40, 0x77), 0);
	sys_settle();
	EXPECT_EQ(*fake_reg_on(BETA_CPU0, "elr_hyp"), FAKE_GUEST_RAM_IPA + 0x40);
	EXPECT_EQ(r->r[0], 0x77);
	hvc(BETA_CPU1, PSCI_SYSTEM_RESET, 0, 0, 0);
	sys_settle();
	EXPECT_EQ(partitions[BETA].starts, 2);
	EXPECT(sys_guest_vcpu(BETA_CPU0) && !sys_guest_vcpu(BETA_CPU1));
	EXPECT_EQ(*fake_reg_on(BETA_CPU0, "elr_hyp"), cfg->entry);
	EXPECT_EQ(r->r[0], 0);
	EXPECT_EQ(r->r[1], ~0U);
	EXPECT_EQ(r->r[2], (u32)cfg->dtb_ipa);
	sys_finish();
}

TEST(vmid_wrap_restarts)
{
	u32 round, cpu;

	start_system();
	for (round = 0; round < 12; round++) {
		/* alpha (cpu0), beta (cpu1) and gamma (cpu3) restart in turn: 3 VMIDs, 2 bits. */
		cpu = round % 3 == 0 ? 0 : round % 3 == 1 ? 1 : 3;
		hvc(cpu, PSCI_SYSTEM_RESET, 0, 0, 0);
		sys_settle();
	}
	for (cpu = 0; cpu < SYS_CPUS; cpu++)
		if (cpu != BETA_CPU1)
			EXPECT(sys_guest_vcpu(cpu));
	EXPECT(vmid_allocator.generation > 1);
	sys_finish();
}

/* ---- The console (hyp/dev/console.c, hyp/dev/vuart.c) ---------------------------------- */

#define SEEN_MAX 1024

static char seen[SEEN_MAX][200];
static u32 seen_count;

static void record_line(const char *line)
{
	if (seen_count < SEEN_MAX)
		snprintf(seen[seen_count++], sizeof(seen[0]), "%s", line);
}

/* Some recorded line contains 'text'. */
static bool seen_with(const char *text)
{
	for (u32 i = 0; i < seen_count; i++)
		if (strstr(seen[i], text))
			return true;
	return false;
}

static void console_start(void)
{
	start_system();
	seen_count = 0;
	fake_uart_line_hook = record_line;
}

static void console_end(void)
{
	fake_uart_stall(false);
	console_irq(); /* the UART's transmit interrupt drains what is left */
	fake_uart_line_hook = NULL;
	sys_finish();
}

/* The index of the first line seen from 'from' on that starts with 'prefix', or -1. */
static int seen_at(u32 from, const char *prefix)
{
	u32 i;

	for (i = from; i < seen_count; i++)
		if (!strncmp(seen[i], prefix, strlen(prefix)))
			return (int)i;
	return -1;
}

/* Guest output as partition p's vCPU on 'cpu' writes it to its PL011's data register. */
static void guest_puts(u32 cpu, u32 p, const char *s, size_t len)
{
	size_t i;
	u32 v;

	fake_arch_set_cpu(cpu);
	for (i = 0; i < len; i++) {
		v = (u8)s[i];
		vuart_access(&partitions[p], 0x000, 4, true, &v);
	}
}

TEST(console_hyp_never_waits)
{
	u32 i, shown = 0, lost = 0;
	int at;

	console_start();
	fake_uart_stall(true);
	for (i = 0; i < 300; i++) /* 20 KiB of log: a CPU_ON/CPU_OFF loop's "enters" lines */
		log_info("partition 1 (beta): vCPU 1 enters 0x40000000 on cpu2, line %u", i);
	guest_puts(0, 0, "still here\n", 11);
	fake_uart_stall(false);
	console_irq();
	log_info("the UART moves again");
	console_irq();
	for (i = 0; i < seen_count; i++)
		shown += strstr(seen[i], "vCPU 1 enters") != NULL;
	at = seen_at(0, "[tessera] console: ");
	EXPECT(at >= 0);
	if (at >= 0) {
		lost = (u32)strtoul(seen[at] + 19, NULL, 10);
		EXPECT(strstr(seen[at], " hypervisor log lines lost") != NULL);
	}
	EXPECT(lost > 0);
	EXPECT_EQ(shown + lost, 300);
	EXPECT_EQ(console_hyp_lost(), lost); /* kept for the stats machine line */
	EXPECT(seen_at(0, "[alpha] still here") >= 0);
	EXPECT(seen_at(0, "[tessera] the UART moves again") >= 0);
	console_end();
}

/*
 * The UART's transmit interrupt is on exactly while the console has bytes it could not write:
 * on when the UART stalls with output waiting, off once the interrupt has drained it.
 */
TEST(console_tx_irq_while_waiting)
{
	console_start();
	EXPECT(!fake_uart_tx_irq_on());
	fake_uart_stall(true);
	log_info("a line that waits");
	EXPECT(fake_uart_tx_irq_on());
	fake_uart_stall(false);
	console_irq();
	EXPECT(seen_at(0, "[tessera] a line that waits") >= 0);
	EXPECT(!fake_uart_tx_irq_on());
	console_end();
}

/*
 * A hypervisor line is one line on the terminal whatever its text holds: a newline or CR inside
 * it (a name, an argument a message quotes) goes out as a space, so no second line starts with
 * text that is not the hypervisor's tag.
 */
TEST(console_line_folds_breaks)
{
	console_start();
	log_info("fold one\ntwo\rthree\x01"
		 "four\x11"
		 "five"); /* a break, a marker's byte: spaces */
	console_irq();
	EXPECT(seen_at(0, "[tessera] fold one two three four five") >= 0);
	EXPECT_EQ(seen_at(0, "two"), -1);
	console_end();
}

TEST(console_fair_share)
{
	static const char text[] =
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n";
	char line[32];
	int at = 0;
	u32 i;

	console_start();
	fake_uart_stall(true);
	for (i = 0; i < 200; i++) { /* 14 KiB of lines from beta while nothing moves */
		guest_puts(1, 1, text, sizeof(text) - 1);
		if (i % 40 == 0) {
			snprintf(line, sizeof(line), "alpha %u\n", i / 40);
			guest_puts(0, 0, line, strlen(line));
		}
	}
	fake_uart_stall(false);
	console_irq();
	for (i = 0; i < 5 && at >= 0; i++) { /* every one of alpha's lines, in order */
		snprintf(line, sizeof(line), "[alpha] alpha %u", i);
		at = seen_at((u32)at, line);
		EXPECT(at >= 0);
	}
	at = seen_at(0, "[tessera] console: beta: ");
	EXPECT(at >= 0);
	if (at >= 0)
		EXPECT(strtoul(seen[at] + 25, NULL, 10) > 0);
	EXPECT(seen_at(0, "[tessera] console: alpha") < 0);
	console_end();
}

/*
 * While lines wait for the UART, its interrupt goes to the CPU of the source whose line is
 * next (issue 14): a partition's backlog interrupts its own CPU, never a neighbour's.
 */
TEST(console_served_by_the_sources_cpu)
{
	static const char text[] = "beta floods the console with this line\n";
	u32 i;

	console_start();
	fake_uart_stall(true);
	for (i = 0; i < 8; i++)
		guest_puts(BETA_CPU0, 1, text, sizeof(text) - 1);
	EXPECT_EQ(fake_phys(0, PLAT_UART_IRQ)->route, BETA_CPU0);
	/* alpha's line is next in turn: alpha's CPU serves it, then beta's again. */
	guest_puts(0, 0, "alpha\n", 6);
	EXPECT_EQ(fake_phys(0, PLAT_UART_IRQ)->route, 0);
	fake_uart_stall(false);
	console_irq();
	EXPECT(seen_at(0, "[alpha] alpha") >= 0);
	/* beta's second vCPU's line: its CPU, which wrote it (and polls, in UART_BAUD builds). */
	fake_uart_stall(true);
	guest_puts(BETA_CPU1, 1, text, sizeof(text) - 1);
	EXPECT_EQ(fake_phys(0, PLAT_UART_IRQ)->route, BETA_CPU1);
	fake_uart_stall(false);
	console_irq();
	/* A hypervisor line: the CPU that wrote it. */
	fake_uart_stall(true);
	fake_arch_set_cpu(3);
	log_warn("a warning on cpu3");
	EXPECT_EQ(fake_phys(0, PLAT_UART_IRQ)->route, 3);
	EXPECT_EQ(console_server(), 3);
	/* Never to a CPU that is not up (its GIC CPU interface unknown): CONSOLE_CPU instead. */
	fake_uart_stall(false);
	console_irq();
	fake_uart_stall(true);
	cpus[BETA_CPU0].online = false;
	guest_puts(BETA_CPU0, 1, text, sizeof(text) - 1);
	EXPECT_EQ(fake_phys(0, PLAT_UART_IRQ)->route, CONSOLE_CPU);
	cpus[BETA_CPU0].online = true;
	console_end();
}

TEST(console_escapes_controls)
{
	static const char forged[] = "\x1b[2K\r[tessera] forged\0\x07\x7f\xff\x1b]0;t\n";

	console_start();
	guest_puts(0, 0, forged, sizeof(forged) - 1);
	/* A control sequence is dropped (ECMA-48 5.4), another ESC shown. */
	EXPECT_STREQ(fake_uart_last_line(),
		     "[alpha] [tessera] forged\\x00\\x07\\x7f\\xff\\x1b]0;t");
	/* A shell's prompt with its cursor query, ls's colours; a sequence a newline cuts short. */
	guest_puts(0, 0, "/ # \x1b[6n\x1b[1;34mbin\x1b[m \x1b[12\n", 27);
	EXPECT_STREQ(fake_uart_last_line(), "[alpha] / # bin ");
	guest_puts(0, 0, "tab\tok\n", 7);
	EXPECT_STREQ(fake_uart_last_line(), "[alpha] tab\tok");
	guest_puts(0, 0, " ~\x1f\n", 4); /* printable ASCII's two ends, and the byte below */
	EXPECT_STREQ(fake_uart_last_line(), "[alpha]  ~\\x1f");
	fake_time_advance(2000 * FAKE_TICKS_PER_MS);
	guest_puts(0, 0, "next\n", 5);
	/* Counted (the stats lines), but no note a second for them: a shell's prompt has some. */
	EXPECT_EQ(console_escaped_of(0), (4 + 4 + 1) + (4 + 7 + 3 + 4) + 1);
	EXPECT(seen_at(0, "[tessera] console: alpha") < 0);
	console_end();
}

/* A line of VUART_LINE_MAX bytes comes out whole; a longer one in pieces of that many. */
TEST(console_line_max)
{
	char text[2 * VUART_LINE_MAX + 1];

	console_start();
	memset(text, 'a', sizeof(text));
	guest_puts(0, 0, text, VUART_LINE_MAX);
	guest_puts(0, 0, "\n", 1);
	EXPECT_EQ(strlen(seen[0]), 8 + VUART_LINE_MAX); /* "[alpha] " */
	/* Longer: it goes out in pieces, which continue one another on the terminal. */
	guest_puts(0, 0, text, sizeof(text));
	guest_puts(0, 0, "\n", 1);
	EXPECT_EQ(strlen(fake_uart_last_line()), 8 + sizeof(text));
	console_end();
}

/*
 * A partition whose console is in device order (Linux's: tcfg sets it for a kernel
 * partition): a line begun on one vCPU and finished on another (a process that moved) is
 * one line, as the UART got it.
 */
TEST(console_device_order_one_line)
{
	console_start();
	((struct cfg_partition *)cfg_system.partitions)[1].console_device_order = 1;
	guest_puts(2, 1, "l", 1); /* vCPU 1 (cpu2) */
	guest_puts(1, 1, "ine 303\n", 8); /* vCPU 0 (cpu1) */
	EXPECT(seen_at(0, "[beta] line 303") >= 0);
	for (u32 i = 0; i < seen_count; i++)
		EXPECT(strcmp(seen[i], "[beta] l") != 0);
	EXPECT(seen_at(0, "[beta] ine") < 0);
	/* An ESC it held as it stopped is its last byte, shown, not lost at its restart. */
	guest_puts(1, 1, "bye\x1b", 4);
	hvc(BETA_CPU0, PSCI_SYSTEM_RESET, 0, 0, 0);
	sys_settle();
	EXPECT(seen_at(0, "[beta] bye\\x1b") >= 0);
	((struct cfg_partition *)cfg_system.partitions)[1].console_device_order = 0;
	console_end();
}

TEST(console_vcpu_lines_whole)
{
	u32 i;

	console_start();
	for (i = 0; i < 20; i++) { /* beta's vCPU 0 (cpu1) and vCPU 1 (cpu2), byte by byte */
		guest_puts(1, 1, "A", 1);
		guest_puts(2, 1, "B", 1);
	}
	guest_puts(1, 1, "\n", 1);
	guest_puts(2, 1, "\n", 1);
	EXPECT(seen_at(0, "[beta] AAAAAAAAAAAAAAAAAAAA") >= 0);
	EXPECT(seen_at(0, "[beta] BBBBBBBBBBBBBBBBBBBB") >= 0);
	console_end();
}

/* PSCI SYSTEM_RESET: at most reset-limit (default <10 1000>) within the window, then halted. */
TEST(reset_bound)
{
	struct partition *p = &partitions[0];
	u32 i, lines;

	start_system();
	EXPECT_EQ(p->cfg->reset_max, 10);
	EXPECT_EQ(p->cfg->reset_window_ms, 1000);
	/* One every 101 ms: never 10 within 1000 ms, so it goes on. */
	for (i = 0; i < 20; i++) {
		fake_time_advance(101 * FAKE_TICKS_PER_MS);
		hvc(0, PSCI_SYSTEM_RESET, 0, 0, 0);
		sys_settle();
		EXPECT_EQ(p->state, PART_RUNNING);
	}
	EXPECT_EQ(p->starts, 21);
	/* As fast as it can: ten more, then the eleventh halts it. */
	fake_time_advance(1001 * FAKE_TICKS_PER_MS);
	for (i = 0; i < 10; i++) {
		hvc(0, PSCI_SYSTEM_RESET, 0, 0, 0);
		sys_settle();
	}
	EXPECT_EQ(p->state, PART_RUNNING);
	lines = fake_uart_tx_count();
	hvc(0, PSCI_SYSTEM_RESET, 0, 0, 0);
	sys_settle();
	EXPECT_EQ(p->state, PART_HALTED);
	EXPECT_EQ(p->starts, 31);
	EXPECT(!sys_guest_vcpu(0));
	EXPECT(fake_uart_tx_count() > lines);
	EXPECT(strstr(fake_uart_last_line(), "partition 0 (alpha): stopped") ||
	       strstr(fake_uart_last_line(),
		      "partition 0 (alpha): 10 resets within 1000 ms: reset limit reached"));
	/* Its neighbours run on. */
	EXPECT(sys_guest_vcpu(BETA_CPU0) && sys_guest_vcpu(3));
	/* Started again by hand, its bound starts afresh: a reset at once is a reset. */
	EXPECT_EQ(partition_command(p, TESSERA_PARTITION_START, "t", NULL), 0);
	sys_settle();
	EXPECT_EQ(p->state, PART_RUNNING);
	hvc(0, PSCI_SYSTEM_RESET, 0, 0, 0);
	sys_settle();
	EXPECT_EQ(p->state, PART_RUNNING);
	EXPECT_EQ(p->starts, 33);
	sys_finish();
}

/* Both vCPUs of beta fault before either has parked: one restart, one credit of one. */
TEST(one_fault_one_credit)
{
	static const u32 policy[CFG_PARTITION_COUNT] = { 0, POLICY(CFG_FAULT_RESTART, 1, 240), 0 };
	struct partition *p = &partitions[BETA];

	sys_reset(4, policy);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA, 0), 0);
	sys_settle();
	EXPECT(sys_guest_vcpu(BETA_CPU0) && sys_guest_vcpu(BETA_CPU1));
	data_abort_at(BETA_CPU0, DABT_WRITE(FSC_TRANSLATION_L3), UNMAPPED_IPA);
	EXPECT(sys_guest_vcpu(BETA_CPU1)); /* asked to stop, it has not yet seen the request */
	data_abort_at(BETA_CPU1, DABT_WRITE(FSC_TRANSLATION_L3), UNMAPPED_IPA);
	sys_settle();
	EXPECT_EQ(p->state, PART_RUNNING);
	EXPECT_EQ(p->starts, 2);
	EXPECT_EQ(p->restarts.count, 1);
	EXPECT(sys_guest_vcpu(BETA_CPU0));
	sys_finish();
}

/* ARM ARM B3.13.6: HSR.CM, a cache maintenance operation by VA; a no-op on an unmapped IPA. */
TEST(cache_maintenance_skipped)
{
	struct partition *p = &partitions[0];

	start_system(); /* fault policy "stop" everywhere */
	data_abort_at(0, DABT_WRITE(FSC_TRANSLATION_L3) | HSR_DABT_CM, UNMAPPED_IPA);
	sys_settle();
	EXPECT_EQ(p->state, PART_RUNNING);
	EXPECT(sys_guest_vcpu(0));
	EXPECT_EQ(*fake_reg_on(0, "elr_hyp"), GUEST_PC + 4);
	/* On the emulated distributor's and UART's pages too (no syndrome to emulate: ISV 0). */
	data_abort_at(0, DABT_WRITE(FSC_TRANSLATION_L3) | HSR_DABT_CM, 0x08000100U);
	data_abort_at(0, DABT_WRITE(FSC_TRANSLATION_L3) | HSR_DABT_CM, 0x09000000U);
	sys_settle();
	EXPECT_EQ(p->state, PART_RUNNING);
	/* The same access without CM is a fault: the policy stops the partition. */
	data_abort_at(0, DABT_WRITE(FSC_TRANSLATION_L3), UNMAPPED_IPA);
	sys_settle();
	EXPECT_EQ(p->state, PART_STOPPED);
	sys_finish();
}

/* A store of 'value' ('sas': 0 byte, 2 word) to the distributor by the guest on 'cpu'. */
static void gicd_store(u32 cpu, u32 off, u32 value, u32 sas)
{
	cpu_frame(cpu)->r[0] = value;
	data_abort_at(cpu,
		      DABT_WRITE(FSC_TRANSLATION_L3) | HSR_DABT_ISV | sas << HSR_DABT_SAS_SHIFT,
		      0x08000000U + off);
}

/*
 * A passthrough SPI aimed at a vCPU that is off waits in the distributor for it, as a GIC
 * keeps an SPI for a CPU interface that is off: routed to no CPU (not to the idle CPU, which
 * took it for nobody and disabled it, the guest still reading it as enabled), and delivered
 * once the vCPU is switched on.
 */
TEST(spi_waits_for_its_vcpu)
{
	const struct fake_phys_irq *spi = fake_phys(0, 42);

	start_system();
	EXPECT(sys_guest_vcpu(BETA_CPU0) && !sys_guest_vcpu(BETA_CPU1));
	gicd_store(BETA_CPU0, GICD_CTLR, 1, 2);
	gicd_store(BETA_CPU0, GICD_ITARGETSR + 42, 0x02, 0); /* vCPU 1, off */
	gicd_store(BETA_CPU0, GICD_ISENABLER + 4, BIT(42 - 32), 2);
	EXPECT(spi->enabled);
	EXPECT_EQ(spi->route, GIC_CPU_NONE);
	/* The device raises it now: pending in the distributor, signalled to no CPU. */
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA, 0), 0);
	sys_settle();
	EXPECT(sys_guest_vcpu(BETA_CPU1));
	EXPECT_EQ(spi->route, BETA_CPU1);
	fake_irq_raise(BETA_CPU1, 42); /* now the GIC signals it to vCPU 1's CPU */
	sys_irq(BETA_CPU1);
	fake_guest_set_pmr(BETA_CPU1, 0xff);
	EXPECT_EQ(fake_guest_ack(BETA_CPU1) & 0x3ff, 42);
	EXPECT(spi->enabled);
	fake_guest_eoi(BETA_CPU1, 42);
	/* Retargeted to vCPU 0, it follows; back to vCPU 1, whose CPU_OFF sends it nowhere. */
	gicd_store(BETA_CPU0, GICD_ITARGETSR + 42, 0x01, 0);
	EXPECT_EQ(spi->route, BETA_CPU0);
	gicd_store(BETA_CPU0, GICD_ITARGETSR + 42, 0x02, 0);
	EXPECT_EQ(spi->route, BETA_CPU1);
	hvc(BETA_CPU1, PSCI_CPU_OFF, 0, 0, 0);
	sys_settle();
	EXPECT(!sys_guest_vcpu(BETA_CPU1));
	EXPECT_EQ(spi->route, GIC_CPU_NONE);
	EXPECT(spi->enabled);
	sys_finish();
}

/*
 * The same SPI forwarded to vCPU 1's CPU just before its CPU_OFF took the route away: on a
 * board nothing bounds the distributor's target change (GIC spec 4.3.12) against that CPU
 * interface's acknowledge, so the idle CPU may take that instance for nobody.  It goes back to the distributor, pending and still enabled, and
 * reaches the guest once vCPU 1 is on again (it was disabled, said "unexpected", the guest
 * still reading it as enabled and never seeing it again).  With no vCPU of the partition on
 * (it stopped: vgic_dist_stop disabled and cleared it) such an instance is dropped, silently.
 */
TEST(spi_in_flight_to_parked_vcpu)
{
	const struct fake_phys_irq *spi = fake_phys(0, 42);

	console_start();
	gicd_store(BETA_CPU0, GICD_CTLR, 1, 2);
	gicd_store(BETA_CPU0, GICD_ITARGETSR + 42, 0x02, 0); /* vCPU 1 */
	gicd_store(BETA_CPU0, GICD_ISENABLER + 4, BIT(42 - 32), 2);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA, 0), 0);
	sys_settle();
	EXPECT_EQ(spi->route, BETA_CPU1);
	hvc(BETA_CPU1, PSCI_CPU_OFF, 0, 0, 0);
	sys_settle();
	EXPECT_EQ(spi->route, GIC_CPU_NONE);
	fake_irq_raise(BETA_CPU1, 42); /* forwarded before the route change took effect */
	sys_interrupt(BETA_CPU1); /* the idle loop acknowledges it */
	EXPECT(spi->enabled);
	EXPECT(spi->pending && !spi->active);
	EXPECT_EQ(seen_at(0, "[tessera] cpu2: unexpected interrupt"), -1);
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA, 0), 0);
	sys_settle();
	EXPECT_EQ(spi->route, BETA_CPU1);
	fake_irq_raise(BETA_CPU1, 42); /* the distributor forwards the pending one there */
	sys_irq(BETA_CPU1);
	fake_guest_set_pmr(BETA_CPU1, 0xff);
	EXPECT_EQ(fake_guest_ack(BETA_CPU1) & 0x3ff, 42);
	fake_guest_eoi(BETA_CPU1, 42);
	EXPECT(!spi->active);
	/* The partition stops: an instance still in flight to a CPU of it is dropped. */
	hvc(BETA_CPU0, PSCI_SYSTEM_OFF, 0, 0, 0);
	sys_settle();
	fake_irq_raise(BETA_CPU1, 42);
	sys_interrupt(BETA_CPU1);
	EXPECT(!spi->enabled && !spi->pending && !spi->active);
	EXPECT_EQ(seen_at(0, "[tessera] cpu2: unexpected interrupt"), -1);
	console_end();
}

/* A word load from emulated 'ipa' by the guest on 'cpu', through the trap (into r0). */
static u32 word_load(u32 cpu, u32 ipa)
{
	data_abort_at(cpu,
		      (u32)HSR_EC_DABT_GUEST << HSR_EC_SHIFT | HSR_IL | HSR_DABT_ISV |
			      2U << HSR_DABT_SAS_SHIFT | FSC_TRANSLATION_L3,
		      ipa);
	return cpu_frame(cpu)->r[0];
}

/* A word load from (store to) the emulated PL011 by the guest on 'cpu', through the trap. */
static u32 uart_load(u32 cpu, u32 off)
{
	return word_load(cpu, 0x09000000U + off);
}

static void uart_store(u32 cpu, u32 off, u32 value)
{
	cpu_frame(cpu)->r[0] = value;
	data_abort_at(cpu, DABT_WRITE(FSC_TRANSLATION_L3) | HSR_DABT_ISV | 2U << HSR_DABT_SAS_SHIFT,
		      0x09000000U + off);
}

/* A word load from the emulated distributor by the guest on 'cpu', through the trap. */
static u32 gicd_load(u32 cpu, u32 off)
{
	return word_load(cpu, 0x08000000U + off);
}

/*
 * DOORBELL_RING (docs/hypercalls.md): alpha's channel end 0 makes the peer's interrupt (beta's
 * SPI 51) pending in beta's distributor, and beta's vCPU takes it; an index past the
 * partition's channel ends is INVALID_PARAMETER and rings nothing.
 */
TEST(doorbell_ring)
{
	start_system();
	gicd_store(BETA_CPU0, GICD_CTLR, 1, 2);
	gicd_store(BETA_CPU0, GICD_ISENABLER + 4, BIT(51 - 32), 2);
	EXPECT_EQ(hvc(0, FID_DOORBELL_RING, 1, 0, 0), (u32)TESSERA_INVALID_PARAMETER);
	EXPECT_EQ(gicd_load(BETA_CPU0, GICD_ISPENDR + 4), 0);
	EXPECT_EQ(hvc(0, FID_DOORBELL_RING, 0, 0, 0), 0);
	sys_settle();
	fake_guest_set_pmr(BETA_CPU0, 0xff);
	EXPECT_EQ(fake_guest_ack(BETA_CPU0) & 0x3ff, 51);
	fake_guest_eoi(BETA_CPU0, 51);
	EXPECT_EQ(gicd_load(BETA_CPU0, GICD_ISPENDR + 4), 0);
	EXPECT_EQ(gicd_load(0, GICD_ISPENDR + 4), 0); /* nothing for alpha's own end */
	sys_finish();
}

/*
 * PL011 TRM (DDI 0183G) 2.4.3: with the FIFOs off (LCR_H.FEN clear, its reset value) the
 * receive side is a one-character holding register, and a character raises RX: a driver that
 * unmasks RX alone gets an interrupt a byte (it waited for IFLS's 16 bytes).  With them on,
 * RX waits for the IFLS level and RT says a byte is there.
 */
TEST(uart_rx_fifo_off_and_on)
{
	struct partition *p = &partitions[0];

	start_system();
	uart_store(0, PL011_LCR_H, PL011_LCR_H_WLEN_8);
	uart_store(0, PL011_CR, PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE);
	uart_store(0, PL011_IMSC, PL011_INT_RX);
	vuart_rx(p, 'a');
	EXPECT_EQ(uart_load(0, PL011_MIS), PL011_INT_RX);
	EXPECT(uart_load(0, PL011_FR) & PL011_FR_RXFF); /* the holding register is full */
	EXPECT(p->vuart.line_high);
	EXPECT_EQ(uart_load(0, PL011_DR), 'a');
	EXPECT_EQ(uart_load(0, PL011_MIS), 0);
	EXPECT(!p->vuart.line_high);
	uart_store(0, PL011_LCR_H, PL011_LCR_H_WLEN_8 | PL011_LCR_H_FEN);
	vuart_rx(p, 'b');
	EXPECT_EQ(uart_load(0, PL011_RIS) & (PL011_INT_RX | PL011_INT_RT), PL011_INT_RT);
	EXPECT(!(uart_load(0, PL011_FR) & PL011_FR_RXFF));
	EXPECT(!p->vuart.line_high);
	sys_finish();
}

/* MRC p14, 0, APSR_nzcv, c0, c1, 0 (DBGDSCRint, read as zero) sets the flags (A8.8.108). */
TEST(mrc_to_apsr_nzcv)
{
	u32 hsr = (u32)HSR_EC_CP14_32 << HSR_EC_SHIFT | HSR_IL | HSR_CV | 0xeU << HSR_COND_SHIFT |
		  HSR_CP_READ | 15U << HSR_CP_RT_SHIFT | 1U << HSR_CP_CRM_SHIFT;

	start_system();
	sys_set_trap_regs(0, hsr, 0, 0, GUEST_PC, PSR_MODE_SVC | PSR_NZCV);
	sys_trap(0);
	sys_check();
	EXPECT_EQ(*fake_reg_on(0, "spsr"), PSR_MODE_SVC);
	EXPECT_EQ(*fake_reg_on(0, "elr_hyp"), GUEST_PC + 4);
	sys_finish();
}

/*
 * UNDEFINED where the core would make it so: LDC/STC to the debug registers (no debug
 * channel offered; skipping one lost its writeback) and PL0's access to an
 * implementation-defined register that HCR.TIDCP trapped (L2CTLR: MRC p15, 1, Rt, c9, c0, 2).
 */
TEST(undefined_where_the_core_would)
{
	const u32 common = HSR_IL | HSR_CV | 0xeU << HSR_COND_SHIFT;
	const u32 ldc = (u32)HSR_EC_CP14_LS << HSR_EC_SHIFT | common;
	const u32 l2ctlr = (u32)HSR_EC_CP15_32 << HSR_EC_SHIFT | common | HSR_CP_READ |
			   2U << HSR_CP_OPC2_SHIFT | 1U << HSR_CP_OPC1_SHIFT |
			   9U << HSR_CP_CRN_SHIFT;

	start_system();
	sys_set_trap_regs(0, ldc, 0, 0, GUEST_PC, PSR_MODE_SVC);
	sys_trap(0);
	EXPECT_EQ(*fake_reg_on(0, "spsr") & PSR_MODE_MASK, PSR_MODE_UND);
	sys_set_trap_regs(0, l2ctlr, 0, 0, GUEST_PC, PSR_MODE_SVC); /* PL1: answered */
	sys_trap(0);
	EXPECT_EQ(*fake_reg_on(0, "spsr") & PSR_MODE_MASK, PSR_MODE_SVC);
	EXPECT_EQ(*fake_reg_on(0, "elr_hyp"), GUEST_PC + 4);
	sys_set_trap_regs(0, l2ctlr, 0, 0, GUEST_PC, PSR_MODE_USR); /* PL0: UNDEFINED */
	sys_trap(0);
	EXPECT_EQ(*fake_reg_on(0, "spsr") & PSR_MODE_MASK, PSR_MODE_UND);
	sys_finish();
}

/* A guest's local I-cache, predictor and TLB maintenance stays on its own CPU (no HCR.FB). */
TEST(guest_maintenance_not_broadcast)
{
	start_system();
	EXPECT(*fake_reg_on(0, "hcr") & HCR_VM);
	EXPECT_EQ(*fake_reg_on(0, "hcr") & HCR_FB, 0);
	sys_finish();
}

/* The inject policy: a stage-2 alignment fault reaches the guest as one, the rest external. */
TEST(inject_keeps_alignment_faults)
{
	static const u32 policy[CFG_PARTITION_COUNT] = { POLICY(CFG_FAULT_INJECT, 0, 0), 0, 0 };

	sys_reset(4, policy);
	data_abort_at(0, DABT_WRITE(FSC_ALIGNMENT), FAKE_GUEST_RAM_IPA + 0x2001);
	EXPECT_EQ(*fake_reg_on(0, "spsr") & PSR_MODE_MASK, PSR_MODE_ABT);
	EXPECT_EQ(*fake_reg_on(0, "dfsr"), 0x801); /* WnR, FS = 0b00001: alignment */
	data_abort_at(0, DABT_WRITE(FSC_TRANSLATION_L3), UNMAPPED_IPA);
	EXPECT_EQ(*fake_reg_on(0, "dfsr"), 0x808); /* WnR, FS = 0b01000: external */
	sys_finish();
}

/*
 * HPFAR is UNKNOWN for an alignment fault (B4.1.70): the IPA logged is the guest's own stage-1
 * translation of the VA (ATS1CPR), not what HPFAR happens to hold.
 */
TEST(fault_ipa_not_from_unknown_hpfar)
{
	static const u32 policy[CFG_PARTITION_COUNT] = { POLICY(CFG_FAULT_INJECT, 0, 0), 0, 0 };

	sys_reset(4, policy);
	sys.ats[sys.ats_count++] =
		(struct sys_ats){ .va_page = 0xc0002000,
				  .par = PAR_LPAE | (FAKE_GUEST_RAM_IPA + 0x5000),
				  .stage1_only = true };
	sys_set_trap_regs(0, DABT_WRITE(FSC_ALIGNMENT), 0xc0002001, 0x00dead00, GUEST_PC,
			  PSR_MODE_SVC);
	sys_trap(0);
	sys_check();
	EXPECT(strstr(fake_uart_last_line(), "IPA 0x40005001 VA 0xc0002001") != NULL);
	sys_finish();
}

/* fault_ipa redoes the guest's stage-1 walk with ATS1CPR: the guest's PAR must survive it. */
TEST(guest_par_kept)
{
	start_system();
	*fake_reg_on(0, "par") = 0x12345678ULL;
	data_abort_at(0, DABT_WRITE(FSC_PERMISSION_L3), FAKE_GUEST_RAM_IPA + 0x2000);
	EXPECT(fake_arch_stats.ats > 0);
	EXPECT_EQ(*fake_reg_on(0, "par"), 0x12345678ULL);
	sys_finish();
}

/*
 * A guest's ATS1CPR (or DC by VA) whose stage-1 walk reaches an unmapped IPA traps with CM = 1
 * and S1PTW = 1 (QEMU's do_ats_write): not skipped as a cache operation would be (its PAR would
 * keep a stale successful result), but a fault for the policy.
 */
TEST(ats_walk_fault_not_skipped)
{
	start_system();
	*fake_reg_on(0, "par") =
		0x40001000ULL; /* the guest's previous AT: success, PA 0x40001000 */
	data_abort_at(0, DABT_WRITE(FSC_TRANSLATION_L3) | HSR_DABT_CM | HSR_DABT_S1PTW,
		      UNMAPPED_IPA);
	sys_settle();
	/* What the guest reads next: PAR.F must be 1 (or the abort handed to its policy). */
	EXPECT((*fake_reg_on(0, "par") & 1) || *fake_reg_on(0, "elr_hyp") != GUEST_PC + 4);
	sys_finish();
}

/*
 * A stage-2 fault on the guest's stage-1 walk (S1PTW): HPFAR names the page of the descriptor,
 * whose offset in it has nothing to do with the VA's: the log names the page, as a walk's.
 */
TEST(s1ptw_log_ipa)
{
	static const u32 policy[CFG_PARTITION_COUNT] = { POLICY(CFG_FAULT_INJECT, 0, 0), 0, 0 };

	sys_reset(4, policy);
	/* The guest's walk of VA 0xc0000abc reads a descriptor on the unmapped page of IPA 0x20000000. */
	sys_set_trap_regs(0, DABT_WRITE(FSC_TRANSLATION_L3) | HSR_DABT_S1PTW, 0xc0000abc,
			  (0x20000000U >> 8) & HPFAR_FIPA_MASK, GUEST_PC, PSR_MODE_SVC);
	sys_trap(0);
	sys_check();
	EXPECT(strstr(fake_uart_last_line(), "IPA 0x20000000 VA 0xc0000abc") != NULL);
	EXPECT(strstr(fake_uart_last_line(), "stage-1 walk") != NULL);
	sys_finish();
}

static void hyp_timer_tick(struct regs *r)
{
	UNUSED(r);
	hyp_timer_expired(this_cpu()->vcpu);
}

/* Five messages a window, the rest counted; the count is said when the window closes. */
TEST(suppressed_count_told)
{
	static const u32 policy[CFG_PARTITION_COUNT] = { CFG_FAULT_INJECT, 0, 0 };
	u32 i;

	sys_reset(4, policy);
	fake_time_advance(5 * FAKE_TICKS_PER_MS);
	for (i = 0; i < 8; i++)
		data_abort_at(0, DABT_WRITE(FSC_TRANSLATION_L3), UNMAPPED_IPA);
	EXPECT(strstr(fake_uart_last_line(), "stage-2 data abort") != NULL);
	/* This CPU's Hyp timer is due by the window's end... */
	EXPECT(cpus[0].hyp_timer_deadline <= fake_time() + 1001 * FAKE_TICKS_PER_MS);
	fake_time_advance(500 * FAKE_TICKS_PER_MS);
	sys_enter(0, hyp_timer_tick); /* early: nothing to say yet */
	EXPECT(strstr(fake_uart_last_line(), "suppressed") == NULL);
	EXPECT(cpus[0].hyp_timer_deadline <= fake_time() + 501 * FAKE_TICKS_PER_MS);
	/* ...and says it then, with no fault since. */
	fake_time_advance(501 * FAKE_TICKS_PER_MS);
	sys_enter(0, hyp_timer_tick);
	EXPECT_STREQ(fake_uart_last_line(),
		     "[tessera] WARN: partition 0 (alpha): 3 fault messages suppressed");
	sys_enter(0, hyp_timer_tick); /* once */
	EXPECT_EQ(partitions[0].fault_rl.suppressed, 0);
	sys_finish();
}

static u32 seen_count_with(const char *text)
{
	u32 n = 0;

	for (u32 i = 0; i < seen_count; i++)
		n += strstr(seen[i], text) != NULL;
	return n;
}

/*
 * The rate limit across windows, late in uptime: each window lets five messages through
 * afresh, a window that suppressed only one still wakes its CPU to say so, and a count is said
 * once; every fault is counted (and named) whether its message was said or not.
 */
TEST(fault_rate_limit_windows)
{
	static const u32 policy[CFG_PARTITION_COUNT] = { CFG_FAULT_INJECT, 0, 0 };
	u32 i;

	sys_reset(4, policy);
	seen_count = 0;
	fake_uart_line_hook = record_line;
	fake_time_advance(3000 * FAKE_TICKS_PER_MS);
	for (i = 0; i < 6; i++)
		data_abort_at(0, DABT_WRITE(FSC_TRANSLATION_L3), UNMAPPED_IPA);
	EXPECT_EQ(seen_count_with("stage-2 data abort"), 5);
	EXPECT(cpus[0].hyp_timer_deadline <= fake_time() + 1001 * FAKE_TICKS_PER_MS);
	fake_time_advance(1001 * FAKE_TICKS_PER_MS);
	data_abort_at(0, DABT_WRITE(FSC_TRANSLATION_L3), UNMAPPED_IPA);
	EXPECT_EQ(seen_count_with("stage-2 data abort"), 6);
	EXPECT_EQ(seen_count_with("partition 0 (alpha): 1 fault messages suppressed"), 1);
	fake_time_advance(1001 * FAKE_TICKS_PER_MS);
	sys_enter(0, hyp_timer_tick);
	data_abort_at(0, DABT_WRITE(FSC_TRANSLATION_L3), UNMAPPED_IPA);
	EXPECT_EQ(seen_count_with("stage-2 data abort"), 7);
	EXPECT_EQ(seen_count_with("suppressed"), 1);
	EXPECT_EQ(partitions[0].faults, 8);
	EXPECT(partitions[0].last_fault && strstr(partitions[0].last_fault, "data abort"));
	fake_uart_line_hook = NULL;
	sys_finish();
}

/*
 * A line a guest leaves unfinished goes out on its own once it is 50 ms old (the Hyp
 * timer's tick), not before; and when its vCPU is switched off, at once.
 */
TEST(console_partial_line_out)
{
	console_start();
	guest_puts(0, 0, "boot\n", 5);
	fake_time_advance(1000 * FAKE_TICKS_PER_MS);
	guest_puts(0, 0, "prom", 4);
	EXPECT(cpus[0].hyp_timer_deadline <= fake_time() + 50 * FAKE_TICKS_PER_MS);
	fake_time_advance(30 * FAKE_TICKS_PER_MS);
	sys_enter(0, hyp_timer_tick);
	EXPECT(seen_at(0, "[alpha] prom") < 0);
	guest_puts(0, 0, "pt> ", 4); /* (the line's age is its first byte's) */
	EXPECT(cpus[0].hyp_timer_deadline <= fake_time() + 20 * FAKE_TICKS_PER_MS);
	fake_time_advance(20 * FAKE_TICKS_PER_MS);
	sys_enter(0, hyp_timer_tick);
	EXPECT_STREQ(fake_uart_open_line(), "[alpha] prompt> "); /* out, the line left open */

	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA, 0), 0);
	sys_settle();
	guest_puts(BETA_CPU1, BETA, "last words", 10);
	hvc(BETA_CPU1, PSCI_CPU_OFF, 0, 0, 0);
	sys_settle();
	EXPECT(!sys_guest_vcpu(BETA_CPU1));
	EXPECT(seen_at(0, "[beta] last words") >= 0);
	console_end();
}

/* What the UART got since its last newline is 'text', after 50 ms of partition p's time. */
static void flushed_open(u32 cpu, const char *text)
{
	fake_time_advance(50 * FAKE_TICKS_PER_MS);
	sys_enter(cpu, hyp_timer_tick);
	EXPECT_STREQ(fake_uart_open_line(), text);
}

/*
 * A line that goes out in pieces (a prompt, then the echo of what is typed at it, each sent
 * 50 ms on) stays one line on the terminal while nothing else goes out; a line of another
 * source in between ends it, and its next piece shows its tag again (the focused partition's
 * its whole line so far: console_focused_line_shown_again).  The lines of two vCPUs of one
 * partition never continue each other.
 */
TEST(console_open_line_continues)
{
	console_start();
	guest_puts(0, 0, "/ # ", 4);
	flushed_open(0, "[alpha] / # ");
	guest_puts(0, 0, "l", 1);
	flushed_open(0, "[alpha] / # l");
	guest_puts(0, 0, "s\n", 2);
	EXPECT_STREQ(fake_uart_last_line(), "[alpha] / # ls");
	EXPECT_STREQ(fake_uart_open_line(), "");

	guest_puts(0, 0, "/ # ", 4);
	flushed_open(0, "[alpha] / # ");
	guest_puts(BETA_CPU0, BETA, "tick\n", 5);
	EXPECT_STREQ(seen[seen_count - 2], "[alpha] / # ");
	EXPECT_STREQ(seen[seen_count - 1], "[beta] tick");
	guest_puts(0, 0, "pwd\n", 4);
	EXPECT_STREQ(fake_uart_last_line(), "[alpha] / # pwd");

	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA, 0), 0);
	sys_settle();
	guest_puts(BETA_CPU0, BETA, "vcpu0 ", 6);
	flushed_open(BETA_CPU0, "[beta] vcpu0 ");
	guest_puts(BETA_CPU1, BETA, "vcpu1 ", 6);
	flushed_open(BETA_CPU1, "[beta] vcpu1 ");
	guest_puts(BETA_CPU0, BETA, "ends\n", 5);
	EXPECT_STREQ(seen[seen_count - 2], "[beta] vcpu1 ");
	EXPECT_STREQ(seen[seen_count - 1], "[beta] ends");

	/* A panic's line is a line of its own too. */
	guest_puts(0, 0, "> ", 2);
	flushed_open(0, "[alpha] > ");
	console_panic_line("dump");
	EXPECT_STREQ(seen[seen_count - 2], "[alpha] > ");
	EXPECT_STREQ(seen[seen_count - 1], "[tessera] dump");
	console_end();
}

/*
 * The rest of an open line that is only its newline (a shell's echo of Enter, "\r\n", after
 * another source's line ended the prompt's line on the terminal) shows nothing, not an empty
 * tagged line; nor does it end another source's line left open meanwhile.  A newline a guest
 * prints with no line open is an empty line of its own, and shows as one; one that continues
 * its open line ends it.  (alpha is not focused here: a focused partition's line shows again,
 * console_focused_line_shown_again.)
 */
TEST(console_empty_rest_not_shown)
{
	u32 lines;

	console_start();
	console_focus(2);
	guest_puts(0, 0, "/ # ", 4);
	flushed_open(0, "[alpha] / # ");
	guest_puts(BETA_CPU0, BETA, "tick\n", 5);
	lines = seen_count;
	guest_puts(0, 0, "\r\n", 2);
	EXPECT_EQ(seen_count, lines);
	EXPECT_STREQ(fake_uart_last_line(), "[beta] tick");
	EXPECT_STREQ(fake_uart_open_line(), "");

	guest_puts(0, 0, "\n", 1);
	EXPECT_EQ(seen_count, lines + 1);
	EXPECT_STREQ(fake_uart_last_line(), "[alpha] ");
	guest_puts(0, 0, "$ ", 2);
	flushed_open(0, "[alpha] $ ");
	guest_puts(0, 0, "\n", 1);
	EXPECT_STREQ(fake_uart_last_line(), "[alpha] $ ");

	guest_puts(0, 0, "/ # ", 4);
	flushed_open(0, "[alpha] / # ");
	guest_puts(BETA_CPU0, BETA, "tick\n", 5);
	guest_puts(BETA_CPU0, BETA, "> ", 2);
	flushed_open(BETA_CPU0, "[beta] > ");
	lines = seen_count;
	guest_puts(0, 0, "\n", 1);
	EXPECT_EQ(seen_count, lines);
	EXPECT_STREQ(fake_uart_open_line(), "[beta] > ");
	guest_puts(BETA_CPU0, BETA, "y\n", 2);
	EXPECT_STREQ(fake_uart_last_line(), "[beta] > y");
	console_focus(0);
	console_end();
}

/*
 * The focused partition's open line (a shell's prompt and what is typed at it), ended on the
 * terminal by another source's line, shows again from its start with its next piece, so the
 * line being typed stays whole beside a neighbour that prints all the time: each keystroke's
 * echo shows the line so far, Enter the whole command.  Its neighbour's lines pay nothing for
 * it and are never held back.  Not for a line too long to keep, a line another partition
 * printed while it was focused, nor once the focus has moved.
 */
TEST(console_focused_line_shown_again)
{
	char longer[CONSOLE_ECHO_MAX + 8];
	u32 lines;

	console_start();
	guest_puts(0, 0, "/ # ", 4);
	flushed_open(0, "[alpha] / # ");
	guest_puts(BETA_CPU0, BETA, "tick\n", 5);
	EXPECT_STREQ(fake_uart_last_line(), "[beta] tick");
	EXPECT_STREQ(fake_uart_open_line(), ""); /* nothing shown until alpha prints */
	guest_puts(0, 0, "l", 1);
	flushed_open(0, "[alpha] / # l");
	guest_puts(BETA_CPU0, BETA, "tock\n", 5);
	guest_puts(0, 0, "s", 1);
	flushed_open(0, "[alpha] / # ls");
	guest_puts(0, 0, "\r\n", 2); /* continues what shows: no third copy */
	EXPECT_STREQ(fake_uart_last_line(), "[alpha] / # ls");
	EXPECT_STREQ(seen[seen_count - 2], "[beta] tock");

	/* Enter alone after another line: the whole command line, then its output. */
	guest_puts(0, 0, "/ # ", 4);
	flushed_open(0, "[alpha] / # ");
	guest_puts(0, 0, "pwd", 3);
	flushed_open(0, "[alpha] / # pwd");
	guest_puts(BETA_CPU0, BETA, "tick\n", 5);
	lines = seen_count;
	guest_puts(0, 0, "\r\n/\n", 4);
	EXPECT_EQ(seen_count, lines + 2);
	EXPECT_STREQ(seen[seen_count - 2], "[alpha] / # pwd");
	EXPECT_STREQ(seen[seen_count - 1], "[alpha] /");

	/* Too long to keep: its rest shows with its tag alone, as any other's. */
	memset(longer, 'x', sizeof(longer));
	guest_puts(0, 0, longer, VUART_LINE_MAX - 1);
	fake_time_advance(50 * FAKE_TICKS_PER_MS);
	sys_enter(0, hyp_timer_tick);
	guest_puts(0, 0, longer, sizeof(longer) - VUART_LINE_MAX);
	fake_time_advance(50 * FAKE_TICKS_PER_MS);
	sys_enter(0, hyp_timer_tick);
	EXPECT_EQ(strlen(fake_uart_open_line()), 8 + sizeof(longer) - 1);
	guest_puts(BETA_CPU0, BETA, "tick\n", 5);
	guest_puts(0, 0, "end\n", 4);
	EXPECT_STREQ(fake_uart_last_line(), "[alpha] end");

	/* The focus moved while the line was open: no longer kept. */
	guest_puts(0, 0, "/ # ", 4);
	flushed_open(0, "[alpha] / # ");
	console_focus(1);
	guest_puts(BETA_CPU0, BETA, "tick\n", 5);
	guest_puts(0, 0, "ls\n", 3);
	EXPECT_STREQ(fake_uart_last_line(), "[alpha] ls");

	/* beta focused: its vCPU 1's line does not continue vCPU 0's; vCPU 0's shows again. */
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA, 0), 0);
	sys_settle();
	guest_puts(BETA_CPU0, BETA, "# ", 2);
	flushed_open(BETA_CPU0, "[beta] # ");
	guest_puts(BETA_CPU1, BETA, "cpu1 up\n", 8);
	guest_puts(BETA_CPU0, BETA, "date\n", 5);
	EXPECT_STREQ(seen[seen_count - 2], "[beta] cpu1 up");
	EXPECT_STREQ(seen[seen_count - 1], "[beta] # date");
	console_focus(0);
	console_end();
}

/*
 * A kept line whose next piece went out while another partition had the focus shows its tag
 * again there, and the terminal's line starts anew: once the focus is back, that line is what
 * shows again, not the old start with a tag in the middle.
 */
TEST(console_kept_line_shown_as_shown)
{
	console_start();
	guest_puts(0, 0, "/ # ", 4);
	flushed_open(0, "[alpha] / # ");
	console_focus(1); /* its line ends alpha's on the terminal */
	guest_puts(0, 0, "l", 1);
	flushed_open(0, "[alpha] l");
	console_focus(0);
	guest_puts(0, 0, "s", 1);
	flushed_open(0, "[alpha] ls");
	guest_puts(0, 0, "\n", 1);
	EXPECT_STREQ(fake_uart_last_line(), "[alpha] ls");
	console_end();
}

/*
 * The focused partition's kept line ends with its run (a restart) even when nothing of it is
 * left to send: the new run's lines are kept as the old run's were, its first prompt shown
 * again.  So too a kept line whose end went out while another partition had the focus.
 */
TEST(console_kept_line_ends_with_run)
{
	console_start();
	guest_puts(0, 0, "/ # ", 4);
	flushed_open(0, "[alpha] / # ");
	hvc(0, PSCI_SYSTEM_RESET, 0, 0, 0);
	sys_settle();
	EXPECT_EQ(partitions[0].starts, 2);
	guest_puts(0, 0, "login: ", 7);
	flushed_open(0, "[alpha] login: ");
	guest_puts(BETA_CPU0, BETA, "tick\n", 5);
	guest_puts(0, 0, "r", 1);
	flushed_open(0, "[alpha] login: r");

	console_focus(1);
	guest_puts(0, 0, "\n", 1);
	console_focus(0);
	guest_puts(0, 0, "# ", 2);
	flushed_open(0, "[alpha] # ");
	guest_puts(BETA_CPU0, BETA, "tick\n", 5);
	guest_puts(0, 0, "l", 1);
	flushed_open(0, "[alpha] # l");
	console_end();
}

/*
 * Each partition keeps its own open line: the input moved to a partition that prints (an
 * RTOS's shell) and back, the command typed next at the first still shows with its prompt,
 * and the second's prompt shows again when the input goes back to it.
 */
TEST(console_kept_line_per_partition)
{
	console_start();
	guest_puts(0, 0, "/ # ", 4);
	flushed_open(0, "[alpha] / # ");
	console_focus(1);
	guest_puts(BETA_CPU0, BETA, "tick\n", 5);
	guest_puts(BETA_CPU0, BETA, "rtos> ", 6);
	flushed_open(BETA_CPU0, "[beta] rtos> ");
	console_focus(0);
	guest_puts(0, 0, "e", 1);
	flushed_open(0, "[alpha] / # e");
	console_focus(1);
	guest_puts(BETA_CPU0, BETA, "h", 1);
	flushed_open(BETA_CPU0, "[beta] rtos> h");
	console_focus(0);
	guest_puts(0, 0, "cho\n", 4);
	EXPECT_STREQ(fake_uart_last_line(), "[alpha] / # echo");
	console_end();
}

/*
 * A vCPU switched off in the middle of a control sequence, or with an ESC held to see whether
 * one starts: its next run neither loses its first byte to the old sequence nor gets the old
 * run's ESC in its first line.
 */
TEST(console_sequence_ends_with_its_run)
{
	/* What the run writes before CPU_OFF, its last line; the next run's line. */
	static const char *const cases[][3] = {
		{ "bye\x1b[", "[beta] bye", "[beta] ready" },
		{ "bye\x1b", "[beta] bye\\x1b", "[beta] hi" },
	};

	console_start();
	for (u32 i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *next = cases[i][2] + sizeof("[beta]");

		EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA, 0), 0);
		sys_settle();
		guest_puts(BETA_CPU1, BETA, cases[i][0], strlen(cases[i][0]));
		hvc(BETA_CPU1, PSCI_CPU_OFF, 0, 0, 0);
		sys_settle();
		EXPECT_STREQ(fake_uart_last_line(), cases[i][1]);
		EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA, 0), 0);
		sys_settle();
		guest_puts(BETA_CPU1, BETA, next, strlen(next));
		guest_puts(BETA_CPU1, BETA, "\n", 1);
		EXPECT_STREQ(fake_uart_last_line(), cases[i][2]);
		hvc(BETA_CPU1, PSCI_CPU_OFF, 0, 0, 0);
		sys_settle();
	}
	console_end();
}

/*
 * A partition's restart resets its PL011 (PL011 TRM 3.2: IFLS 0x12, interrupts masked) and
 * empties its receive FIFO: nothing typed for the old run reaches the new one.
 */
TEST(uart_reset_at_restart)
{
	struct partition *p = &partitions[0];

	start_system();
	EXPECT_EQ(uart_load(0, PL011_IFLS), 0x12);
	uart_store(0, PL011_IFLS, 0x24);
	uart_store(0, PL011_IMSC, PL011_INT_RX);
	uart_store(0, PL011_LCR_H, PL011_LCR_H_WLEN_8 | PL011_LCR_H_FEN);
	vuart_rx(p, 'a');
	vuart_rx(p, 'b');
	EXPECT(!(uart_load(0, PL011_FR) & PL011_FR_RXFE));
	hvc(0, PSCI_SYSTEM_RESET, 0, 0, 0);
	sys_settle();
	EXPECT_EQ(p->starts, 2);
	EXPECT_EQ(uart_load(0, PL011_IFLS), 0x12);
	EXPECT_EQ(uart_load(0, PL011_IMSC), 0);
	EXPECT_EQ(uart_load(0, PL011_LCR_H), 0);
	EXPECT(uart_load(0, PL011_FR) & PL011_FR_RXFE);
	sys_finish();
}

/*
 * A stage-2 prefetch abort is said as a fetch, with the IPA it faulted on (MMU off: the VA),
 * like a data abort's message.
 */
TEST(prefetch_abort_told)
{
	static const u32 policy[CFG_PARTITION_COUNT] = { CFG_FAULT_INJECT, 0, 0 };

	sys_reset(4, policy);
	sys_set_trap_regs(0, (u32)HSR_EC_IABT_GUEST << HSR_EC_SHIFT | HSR_IL | FSC_TRANSLATION_L3,
			  UNMAPPED_IPA, (UNMAPPED_IPA >> 8) & HPFAR_FIPA_MASK, UNMAPPED_IPA,
			  PSR_MODE_SVC);
	sys_trap(0);
	sys_check();
	EXPECT(strstr(fake_uart_last_line(),
		      "partition 0 (alpha) vCPU 0: stage-2 prefetch abort: "
		      "fetch IPA 0x54000000 VA 0x54000000 PC 0x54000000") != NULL);
	EXPECT_EQ(partitions[0].faults, 1);
	sys_finish();
}

/* ---- Operating a running system (issue 17) ----------------------------------------- */

#define FID_WATCHDOG_KICK 0x86000007U
#define FID_PARTITION_STATE 0x86000008U
#define FID_PARTITION_CONTROL 0x86000009U
#define GAMMA 2
#define GAMMA_CPU 3

/* Bytes typed on the console: the UART interrupt on the boot CPU, then whatever it asked. */
static void type(const char *s)
{
	fake_uart_rx((const u8 *)s, (u32)strlen(s));
	fake_irq_raise(0, PLAT_UART_IRQ);
	sys_interrupt(0);
	sys_settle();
}

/*
 * A pasted line longer than the PL011's 32-byte FIFO reaches the focused partition whole: the
 * bytes behind the FIFO wait for the guest's reads (they were dropped, and the guest's driver,
 * which counts overruns from DR, never knew).  Past the buffer, the next byte read says so.
 */
/*
 * console_irq on two CPUs at once: CPU 0 serves, reads a batch of input, and its drain hands
 * the turn (and the UART's interrupt) to beta's CPU, which takes the interrupt while CPU 0
 * still delivers its batch.  Input stays in order: one CPU reads and delivers at a time.
 */
void __real_vuart_rx(struct partition *p, u8 c);
void __wrap_vuart_rx(struct partition *p, u8 c);
static void (*rx_hook)(void);

void __wrap_vuart_rx(struct partition *p, u8 c)
{
	void (*h)(void) = rx_hook;

	rx_hook = NULL;
	if (h)
		h();
	__real_vuart_rx(p, c);
}

static void stall_after_hyp_line(const char *line)
{
	record_line(line);
	if (!strncmp(line, "[tessera] WARN: hyp line", 24))
		fake_uart_stall(true);
}

static void beta_cpu_takes_the_interrupt(void)
{
	EXPECT_EQ(console_server(), BETA_CPU0);
	fake_arch_set_cpu(BETA_CPU0);
	console_irq();
	fake_arch_set_cpu(0);
}

TEST(console_input_in_order_across_cpus)
{
	static const char first[] = "abcdefghijklmnopqrstuvwxyz012345";
	static const char second[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ6789!?";
	char got[65];
	u32 n = 0;

	console_start();
	uart_store(0, PL011_LCR_H, PL011_LCR_H_WLEN_8 | PL011_LCR_H_FEN);
	EXPECT_EQ(console_focused(), 0);
	fake_uart_stall(true);
	guest_puts(BETA_CPU0, 1, "beta line\n", 10); /* out first, then the hypervisor's */
	guest_puts(BETA_CPU0, 1, "beta 2nd!\n", 10);
	fake_arch_set_cpu(0);
	log_warn("hyp line on cpu0");
	EXPECT_EQ(console_server(), 0);
	fake_uart_rx((const u8 *)first, 32);
	fake_uart_rx((const u8 *)second, 32);
	/* The hypervisor's line goes out, then the UART is busy again with beta's next. */
	fake_uart_line_hook = stall_after_hyp_line;
	fake_uart_stall(false);
	rx_hook = beta_cpu_takes_the_interrupt;
	console_irq(); /* cpu0 */
	fake_uart_line_hook = record_line;
	while (n < 64 && !(uart_load(0, PL011_FR) & PL011_FR_RXFE))
		got[n++] = (char)uart_load(0, PL011_DR);
	got[n] = 0;
	EXPECT_EQ(n, 64);
	EXPECT(!strncmp(got, first, 32));
	EXPECT(!strncmp(got + 32, second, 32));
	console_end();
}

TEST(console_paste_reaches_guest_whole)
{
	char line[201], got[201];
	u32 i, n = 0;

	for (i = 0; i < 200; i++)
		line[i] = (char)('!' + i % 90);
	line[200] = '\0';
	start_system();
	uart_store(0, PL011_LCR_H, PL011_LCR_H_WLEN_8 | PL011_LCR_H_FEN);
	type(line);
	for (i = 0; i < 8; i++) { /* the console reads a batch an interrupt */
		fake_irq_raise(0, PLAT_UART_IRQ);
		sys_interrupt(0);
	}
	EXPECT(uart_load(0, PL011_FR) & PL011_FR_RXFF);
	while (n < 200 && !(uart_load(0, PL011_FR) & PL011_FR_RXFE))
		got[n++] = (char)uart_load(0, PL011_DR);
	got[n] = '\0';
	EXPECT_EQ(n, 200);
	EXPECT(!strcmp(got, line));
	/* More than the buffer holds while the guest reads nothing: the loss is flagged once. */
	for (i = 0; i < 3; i++)
		type(line);
	for (i = 0; i < 8; i++) {
		fake_irq_raise(0, PLAT_UART_IRQ);
		sys_interrupt(0);
	}
	EXPECT_EQ(uart_load(0, PL011_DR) & PL011_DR_OE, PL011_DR_OE);
	EXPECT_EQ(uart_load(0, PL011_DR) & PL011_DR_OE, 0);
	sys_finish();
}

TEST(monitor_find)
{
	start_system();
	EXPECT_EQ(monitor_find("2", 1), 2);
	EXPECT_EQ(monitor_find("02", 2), 2);
	EXPECT_EQ(monitor_find("3", 1), -1);
	EXPECT_EQ(monitor_find("gamma", 5), 2);
	EXPECT_EQ(monitor_find("gammas", 5), 2); /* the length given counts */
	EXPECT_EQ(monitor_find("gam", 3), -1);
	EXPECT_EQ(monitor_find("alphax", 6), -1);
	EXPECT_EQ(monitor_find("", 0), -1);
	EXPECT_EQ(monitor_find("99999999999", 11), -1);
	sys_finish();
}

TEST(monitor_commands)
{
	console_start();
	type("\x14?");
	EXPECT(seen_at(0, "[tessera] monitor: Ctrl-T then 0-2 or n (input)") >= 0);
	type("\x14l");
	EXPECT(seen_at(0, "[tessera] partition 1 beta: running cpus=1,2 up=0ms starts=1 "
			  "restarts_left=0 faults=0 last_fault=none watchdog=0ms") >= 0);
	type("\x14s");
	EXPECT(seen_at(0, "[tessera] stats cpu3: entries=") >= 0);
	type("\x14-\x14-\x14-");
	EXPECT_EQ(log_level, LOG_ERROR);
	EXPECT_STREQ(fake_uart_last_line(), "[tessera] monitor: log level error");
	type("\x14+\x14+\x14+\x14+");
	EXPECT_EQ(log_level, LOG_DEBUG);
	type("\x14-");
	EXPECT_EQ(log_level, LOG_INFO);
	type("\x14rbeta\r");
	EXPECT(seen_at(0, "[tessera] monitor: restart partition 1 (beta)") >= 0);
	EXPECT_EQ(partitions[BETA].starts, 2);
	type("\x14k2\n");
	EXPECT_EQ(partitions[GAMMA].state, PART_STOPPED);
	type("\x14"
	     "b2\r");
	EXPECT_EQ(partitions[GAMMA].state, PART_RUNNING);
	EXPECT_EQ(partitions[GAMMA].starts, 2);
	EXPECT(seen_with("partition 2 (gamma): starting (console monitor)"));
	type("\x14"
	     "b2\r"); /* running: nothing to do, and the monitor says so */
	EXPECT_STREQ(fake_uart_last_line(),
		     "[tessera] monitor: start partition 2 (gamma): it runs already");
	EXPECT_EQ(partitions[GAMMA].starts, 2);
	type("\x14k2\r");
	sys_settle();
	type("\x14k2\r");
	EXPECT(seen_with("monitor: stop partition 2 (gamma): it is stopped already"));
	type("\x14"
	     "b2\r");
	type("\x14"
	     "7");
	EXPECT_STREQ(fake_uart_last_line(), "[tessera] monitor: no partition 7 (0 to 2)");
	EXPECT_EQ(console_focused(), 0);
	type("\x14"
	     "bzzz\r");
	EXPECT_STREQ(fake_uart_last_line(), "[tessera] monitor: no partition \"zzz\"");
	type("\x14r\x03");
	EXPECT_STREQ(fake_uart_last_line(), "[tessera] monitor: command cancelled");
	type("\x14r0123456789abcdefg");
	EXPECT_STREQ(fake_uart_last_line(), "[tessera] monitor: command dropped, up to Enter");
	type("hij\r"); /* the rest of that line is the monitor's too */
	type("\x14r betq\x7f"
	     "a\r"); /* a space first, a typo taken back */
	EXPECT(seen_at(0, "[tessera] monitor: restart partition 1 (beta)") >= 0);
	EXPECT_EQ(partitions[BETA].starts, 3);
	type("\x14k2\r\n"); /* a terminal's CR LF */
	type("\x14"
	     "b2\r\n");
	type("\x14k\x14"
	     "1"); /* a change of mind: Ctrl-T again, then a command */
	EXPECT_EQ(console_focused(), 1);
	type("\x14"
	     "0");
	type("\x14k\x1b[A\xc3\xa9\r"); /* an arrow key, a UTF-8 letter */
	type("\x14k\x1b[Bxyz\x03"); /* dropped, then Ctrl-C: nothing more swallowed */
	EXPECT_STREQ(fake_uart_last_line(), "[tessera] monitor: command cancelled");
	type("\x14\r\n"); /* Ctrl-T Enter on a CR LF terminal: the help, the LF too */
	type("\x14k gamma \r"); /* spaces around the name */
	EXPECT(seen_at(0, "[tessera] monitor: stop partition 2 (gamma)") >= 0);
	type("\x14"
	     "b2\r");
	EXPECT_EQ(partitions[GAMMA].state, PART_RUNNING);
	EXPECT_EQ(partitions[0].vuart.rx_count, 0); /* none of it reached alpha */
	type("\x14\x14");
	EXPECT_EQ(partitions[0].vuart.rx_count, 1); /* Ctrl-T Ctrl-T: one Ctrl-T for alpha */
	type("\x14n");
	EXPECT_EQ(console_focused(), 1);
	type("\x14"
	     "0");
	EXPECT_EQ(console_focused(), 0);
	console_end();
}

TEST(watchdog_restarts)
{
	static const u32 policy[CFG_PARTITION_COUNT] = { 0, 0, POLICY(CFG_FAULT_RESTART, 1, 4) };

	sys_reset(4, policy);
	seen_count = 0;
	fake_uart_line_hook = record_line;
	EXPECT_EQ(hvc(0, FID_WATCHDOG_KICK, 0, 0, 0), (u32)TESSERA_NOT_SUPPORTED); /* none */
	/* SMCCC_ARCH_FEATURES says so beforehand: the call is offered only with a watchdog. */
	EXPECT_EQ(hvc(0, SMCCC_ARCH_FEATURES, FID_WATCHDOG_KICK, 0, 0), (u32)SMCCC_NOT_SUPPORTED);
	EXPECT_EQ(hvc(GAMMA_CPU, SMCCC_ARCH_FEATURES, FID_WATCHDOG_KICK, 0, 0), 0);
	EXPECT_EQ(hvc(GAMMA_CPU, FID_WATCHDOG_KICK, 0, 0, 0), 100);
	EXPECT(cpus[GAMMA_CPU].hyp_timer_deadline <= fake_time() + 100 * FAKE_TICKS_PER_MS);
	fake_time_advance(60 * FAKE_TICKS_PER_MS);
	EXPECT_EQ(hvc(GAMMA_CPU, FID_WATCHDOG_KICK, 0, 0, 0), 100);
	fake_time_advance(99 * FAKE_TICKS_PER_MS);
	sys_enter(GAMMA_CPU, hyp_timer_tick); /* not yet */
	EXPECT_EQ(partitions[GAMMA].starts, 1);
	EXPECT(cpus[GAMMA_CPU].hyp_timer_deadline <= fake_time() + 1 * FAKE_TICKS_PER_MS);
	fake_time_advance(2 * FAKE_TICKS_PER_MS);
	sys_enter(GAMMA_CPU, hyp_timer_tick);
	sys_settle();
	EXPECT(seen_at(0, "[tessera] WARN: partition 2 (gamma): watchdog: no kick for 101 ms "
			  "(timeout 100 ms)") >= 0);
	EXPECT_EQ(partitions[GAMMA].starts, 2);
	EXPECT_EQ(partitions[GAMMA].faults, 1);
	/* A new run: not armed until its first kick. */
	fake_time_advance(500 * FAKE_TICKS_PER_MS);
	sys_enter(GAMMA_CPU, hyp_timer_tick);
	EXPECT_EQ(partitions[GAMMA].starts, 2);
	EXPECT_EQ(hvc(GAMMA_CPU, FID_WATCHDOG_KICK, 0, 0, 0), 100);
	fake_time_advance(101 * FAKE_TICKS_PER_MS);
	sys_enter(GAMMA_CPU, hyp_timer_tick);
	sys_settle();
	EXPECT_EQ(partitions[GAMMA].state, PART_HALTED); /* restart-limit <1 1000> */
	type("\x14l");
	EXPECT(seen_at(0, "[tessera] partition 2 gamma: halted cpus=3 up=0ms starts=2 "
			  "restarts_left=0 faults=2 last_fault=watchdog watchdog=100ms") >= 0);
	type("\x14"
	     "bgamma\r"); /* the operator starts it again */
	EXPECT_EQ(partitions[GAMMA].state, PART_RUNNING);
	EXPECT_EQ(partitions[GAMMA].starts, 3);
	/* Policy stop: the watchdog stops it. */
	fake_config_set_policy(GAMMA, CFG_FAULT_STOP, 0, 0);
	EXPECT_EQ(hvc(GAMMA_CPU, FID_WATCHDOG_KICK, 0, 0, 0), 100);
	fake_time_advance(100 * FAKE_TICKS_PER_MS);
	sys_enter(GAMMA_CPU, hyp_timer_tick);
	sys_settle();
	EXPECT_EQ(partitions[GAMMA].state, PART_STOPPED);
	fake_uart_line_hook = NULL;
	sys_finish();
}

TEST(manager_rights)
{
	struct regs *r = cpu_frame(0);
	u32 denials;

	start_system();
	seen_count = 0;
	fake_uart_line_hook = record_line;
	fake_time_advance(7 * FAKE_TICKS_PER_MS);
	/* (r2 comes back as the fault count: 0, whatever the caller left in it) */
	EXPECT_EQ(hvc(0, FID_PARTITION_STATE, GAMMA, 5, 0), TESSERA_STATE_RUNNING);
	EXPECT_EQ(r->r[1], 1); /* starts */
	EXPECT_EQ(r->r[2], 0); /* faults */
	EXPECT_EQ(r->r[3], 7); /* uptime, ms */
	EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_RESTART, 0), 0);
	sys_settle();
	EXPECT_EQ(partitions[GAMMA].starts, 2);
	fake_time_advance(3 * FAKE_TICKS_PER_MS);
	EXPECT_EQ(hvc(0, FID_PARTITION_STATE, GAMMA, 0, 0), TESSERA_STATE_RUNNING);
	EXPECT_EQ(r->r[3], 3); /* uptime of this run */
	EXPECT(seen_with("partition 2 (gamma): restarting ("));
	EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_STOP, 0), 0);
	EXPECT_EQ(hvc(0, FID_PARTITION_STATE, GAMMA, 0, 0), TESSERA_STATE_STOPPING);
	/* A start while its vCPU parks: it starts once the vCPU has parked. */
	EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_START, 0), 0);
	sys_settle();
	EXPECT_EQ(partitions[GAMMA].state, PART_RUNNING);
	EXPECT_EQ(partitions[GAMMA].starts, 3);
	EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_START, 0), 0); /* no-op */
	EXPECT_EQ(partitions[GAMMA].starts, 3);
	EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, GAMMA, 3, 0), (u32)TESSERA_INVALID_PARAMETER);
	/* Not managed, not a partition, or not a manager: DENIED, said once per caller. */
	EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, BETA, TESSERA_PARTITION_STOP, 0),
		  (u32)TESSERA_DENIED);
	EXPECT_EQ(partitions[BETA].state, PART_RUNNING);
	EXPECT_EQ(hvc(0, FID_PARTITION_STATE, 0, 0, 0), (u32)TESSERA_DENIED);
	EXPECT_EQ(hvc(0, FID_PARTITION_STATE, 40, 0, 0), (u32)TESSERA_DENIED);
	EXPECT_EQ(hvc(BETA_CPU0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_STOP, 0),
		  (u32)TESSERA_DENIED);
	EXPECT_EQ(partitions[GAMMA].state, PART_RUNNING);
	denials = 0;
	for (u32 i = 0; i < seen_count; i++)
		denials += strstr(seen[i], "denied (reported once)") != NULL;
	EXPECT_EQ(denials, 2); /* alpha's and beta's first */
	EXPECT(seen_with("(alpha): manager call on partition 1 denied"));
	EXPECT(seen_with("(beta): manager call on partition 2 denied"));
	fake_uart_line_hook = NULL;
	sys_finish();
}

/*
 * The machine is switched off once every partition has switched itself off (PSCI SYSTEM_OFF),
 * and only then: a partition a manager stopped keeps it up.
 */
TEST(machine_off_when_all_off)
{
	static const char off[] = "every partition has switched itself off";

	start_system();
	seen_count = 0;
	fake_uart_line_hook = record_line;
	/* Gamma switched itself off in an earlier run; a manager started it, then stopped it. */
	hvc(GAMMA_CPU, PSCI_SYSTEM_OFF, 0, 0, 0);
	sys_settle();
	EXPECT_EQ(partition_command(&partitions[GAMMA], TESSERA_PARTITION_START, "t", NULL), 0);
	sys_settle();
	EXPECT_EQ(partitions[GAMMA].state, PART_RUNNING);
	EXPECT_EQ(partition_command(&partitions[GAMMA], TESSERA_PARTITION_STOP, "t", NULL), 0);
	hvc(BETA_CPU0, PSCI_SYSTEM_OFF, 0, 0, 0);
	hvc(0, PSCI_SYSTEM_OFF, 0, 0, 0);
	sys_settle();
	EXPECT_EQ(partitions[GAMMA].state, PART_STOPPED);
	EXPECT_EQ(partitions[0].state, PART_STOPPED);
	EXPECT(!seen_with(off));
	EXPECT(seen_with("partition 1 (beta): stopping (PSCI SYSTEM_OFF)"));
	EXPECT(seen_with("partition 1 (beta): stopped"));

	start_system();
	seen_count = 0;
	hvc(GAMMA_CPU, PSCI_SYSTEM_OFF, 0, 0, 0);
	hvc(BETA_CPU0, PSCI_SYSTEM_OFF, 0, 0, 0);
	sys_settle();
	EXPECT(!seen_with(off));
	hvc(0, PSCI_SYSTEM_OFF, 0, 0, 0);
	sys_settle();
	EXPECT(seen_with(off));

	/* Tried once a boot: a system booted again (a test's, a fuzz input's) tries again. */
	start_system();
	seen_count = 0;
	hvc(GAMMA_CPU, PSCI_SYSTEM_OFF, 0, 0, 0);
	hvc(BETA_CPU0, PSCI_SYSTEM_OFF, 0, 0, 0);
	hvc(0, PSCI_SYSTEM_OFF, 0, 0, 0);
	sys_settle();
	EXPECT(seen_with(off));
	fake_uart_line_hook = NULL;
	sys_finish();
}

TEST(manager_restart_bound)
{
	struct partition *p = &partitions[GAMMA];
	u32 i, refusals = 0;

	start_system();
	seen_count = 0;
	fake_uart_line_hook = record_line;
	EXPECT_EQ(p->cfg->reset_max, 10);
	EXPECT_EQ(p->cfg->reset_window_ms, 1000);
	/* Ten restarts as fast as the manager can: all go through. */
	for (i = 0; i < 10; i++) {
		EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_RESTART, 0), 0);
		sys_settle();
	}
	EXPECT_EQ(p->starts, 11);
	/* The eleventh and twelfth: BUSY, nothing done, said once. */
	EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_RESTART, 0),
		  (u32)TESSERA_BUSY);
	EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_RESTART, 0),
		  (u32)TESSERA_BUSY);
	sys_settle();
	EXPECT_EQ(p->starts, 11);
	EXPECT_EQ(p->state, PART_RUNNING);
	/* A stop is never refused; a start of the stopped partition is, within the window. */
	EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_STOP, 0), 0);
	sys_settle();
	EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_START, 0),
		  (u32)TESSERA_BUSY);
	for (i = 0; i < seen_count; i++)
		refusals += strstr(seen[i], "restart of partition 2 (gamma) refused: 10 within "
					    "1000 ms") != NULL;
	EXPECT_EQ(refusals, 1);
	/* Past the window it goes through; the operator is never refused. */
	fake_time_advance(1001 * FAKE_TICKS_PER_MS);
	EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_START, 0), 0);
	sys_settle();
	EXPECT_EQ(p->state, PART_RUNNING);
	EXPECT_EQ(p->starts, 12);
	for (i = 0; i < 12; i++) {
		EXPECT_EQ(partition_command(p, TESSERA_PARTITION_RESTART, "console monitor", NULL),
			  0);
		sys_settle();
	}
	EXPECT_EQ(p->starts, 24);
	fake_uart_line_hook = NULL;
	sys_finish();
}

/* ---- Interleavings inside a partition's load and stop ------------------------------------
 * partition_start() drops p->lock with p->loading set, clears and reloads RAM, then calls
 * vuart_init() before it takes the lock again to make p RUNNING.  The sys_test link wraps
 * vuart_init (-Wl,--wrap=vuart_init): a hook runs there, as another CPU would meanwhile.
 */
void __real_vuart_init(struct partition *p);
void __wrap_vuart_init(struct partition *p);
static void (*load_hook)(struct partition *p);
static u32 load_hook_runs;

void __wrap_vuart_init(struct partition *p)
{
	void (*h)(struct partition *) = load_hook;

	load_hook = NULL; /* once */
	if (h) {
		load_hook_runs++;
		h(p);
	}
	__real_vuart_init(p);
}

/* The manager (alpha, cpu0) asks for gamma's start while gamma's CPU reloads it. */
static void manager_starts_gamma(struct partition *p)
{
	EXPECT(p == &partitions[GAMMA] && p->loading);
	EXPECT_EQ(hvc_nested(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_START, 0), 0);
}

TEST(start_during_load_is_no_work)
{
	struct partition *p = &partitions[GAMMA];
	u32 starts;

	start_system();
	load_hook_runs = 0;
	load_hook = manager_starts_gamma;
	EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_RESTART, 0), 0);
	sys_settle();
	EXPECT_EQ(load_hook_runs, 1);
	EXPECT_EQ(p->state, PART_RUNNING);
	EXPECT_EQ(p->starts, 2);
	/* A manager's restart: returns OK */
	EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_RESTART, 0), 0);
	sys_settle();
	/* The guest's own SYSTEM_RESET */
	hvc(GAMMA_CPU, PSCI_SYSTEM_RESET, 0, 0, 0);
	sys_settle();
	starts = p->starts;
	/* A STOP */
	EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_STOP, 0), 0);
	sys_settle();
	EXPECT_EQ(p->state, PART_STOPPED);
	EXPECT_EQ(starts, 4);
	EXPECT_EQ(p->starts, 4);
	sys_finish();
}

/* Same stuck flag; the fault policy "restart" then never restarts: the guest faults on. */
TEST(fault_restart_after_start_during_load)
{
	static const u32 policy[CFG_PARTITION_COUNT] = { 0, 0, POLICY(CFG_FAULT_RESTART, 3, 4) };
	struct partition *p = &partitions[GAMMA];
	u32 i;

	sys_reset(4, policy);
	load_hook = manager_starts_gamma;
	EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_RESTART, 0), 0);
	sys_settle();
	EXPECT_EQ(p->starts, 2);
	for (i = 0; i < 3; i++) {
		data_abort_at(GAMMA_CPU, DABT_WRITE(FSC_TRANSLATION_L3), UNMAPPED_IPA);
		sys_settle();
		fake_time_advance(2 * FAKE_TICKS_PER_MS);
	}
	/* Three restarts (the vCPU went back to the faulting access each time before the fix). */
	EXPECT_EQ(p->starts, 5);
	EXPECT_EQ(p->restarts.count, 3);
	sys_finish();
}

/* The operator's Ctrl-T k typed while the partition is being reloaded. */
static void operator_stops_gamma(struct partition *p)
{
	static const char keys[] = "\x14k2\r";

	EXPECT(p == &partitions[GAMMA] && p->loading);
	fake_uart_rx((const u8 *)keys, sizeof(keys) - 1);
	fake_irq_raise(0, PLAT_UART_IRQ);
	sys_irq(0);
}

/* Ctrl-T k, then Ctrl-T b, typed while the partition is being reloaded. */
static void operator_stops_and_starts_gamma(struct partition *p)
{
	static const char keys[] = "\x14k2\r\x14"
				   "b2\r";

	EXPECT(p == &partitions[GAMMA] && p->loading);
	fake_uart_rx((const u8 *)keys, sizeof(keys) - 1);
	fake_irq_raise(0, PLAT_UART_IRQ);
	sys_irq(0);
}

TEST(stop_wins_over_restart)
{
	struct partition *p = &partitions[GAMMA];
	struct partition *b = &partitions[BETA];

	start_system();
	/* (a) during the load */
	load_hook = operator_stops_gamma;
	EXPECT_EQ(partition_command(p, TESSERA_PARTITION_RESTART, "console monitor", NULL), 0);
	sys_settle();
	EXPECT_EQ(p->state, PART_STOPPED); /* (it was dropped: RUNNING) */
	/* (c) but a start after that stop, still during the load, has the last word */
	load_hook = operator_stops_and_starts_gamma;
	EXPECT_EQ(partition_command(p, TESSERA_PARTITION_RESTART, "console monitor", NULL), 0);
	sys_settle();
	EXPECT_EQ(p->state, PART_RUNNING); /* (it stayed stopped) */
	EXPECT_EQ(p->starts, 2);
	/* (b) while the vCPUs of a restarting partition park (beta: 2 vCPUs) */
	EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA, 0), 0);
	sys_settle();
	hvc(BETA_CPU0, PSCI_SYSTEM_RESET, 0, 0, 0); /* beta: restart pending, vCPU 1 not parked */
	EXPECT_EQ(partition_command(b, TESSERA_PARTITION_STOP, "console monitor", NULL), 0);
	sys_settle();
	EXPECT_EQ(b->state, PART_STOPPED); /* (it was restarted) */
	sys_finish();
}

/*
 * partition_vcpu_parked() runs after off_unlock() dropped p->lock with vcpus_on 0: a start on
 * another CPU may run in between.  The sys_test link wraps vgic_dist_stop, its first call.
 */
void __real_vgic_dist_stop(struct vgic_dist *d);
void __wrap_vgic_dist_stop(struct vgic_dist *d);
static void (*dist_stop_hook)(void);

void __wrap_vgic_dist_stop(struct vgic_dist *d)
{
	void (*h)(void) = dist_stop_hook;

	dist_stop_hook = NULL;
	if (h)
		h();
	__real_vgic_dist_stop(d);
}

static void manager_starts_gamma_now(void)
{
	EXPECT_EQ(hvc_nested(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_START, 0), 0);
}

TEST(start_between_park_and_parked)
{
	struct partition *p = &partitions[GAMMA];

	start_system();
	/* (VMID_BITS=2 here: arrange for gamma's next start not to wrap, which the host model
	 * cannot serve from inside another CPU's entry.) */
	EXPECT_EQ(partition_command(&partitions[BETA], TESSERA_PARTITION_STOP, "t", NULL), 0);
	sys_settle();
	hvc(0, PSCI_SYSTEM_RESET, 0, 0, 0);
	sys_settle();
	EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_STOP, 0), 0);
	dist_stop_hook = manager_starts_gamma_now;
	sys_settle(); /* gamma's CPU parks its vCPU */
	EXPECT_EQ(p->starts, 2);
	EXPECT_EQ(p->state, PART_RUNNING); /* the start went through (OK was returned) */
	sys_finish();
}

/*
 * Who does the work of a start of a stopped partition?  docs/design.md: "each restart clears
 * and reloads that partition's RAM on that partition's own CPUs".  The operator's Ctrl-T b
 * runs partition_start() on CPU 0 (the UART's), inside whatever partition runs there.
 */
static u32 loader_cpu;
static void note_loader_and_take_long(struct partition *p)
{
	UNUSED(p);
	loader_cpu = this_cpu()->index;
	fake_time_advance(150 * FAKE_TICKS_PER_MS); /* a large partition's clear and copy */
}

TEST(operator_start_loads_on_own_cpu)
{
	struct partition *a = &partitions[0];

	/* alpha (cpu0, the UART's CPU) has a 100 ms watchdog and restarts on faults. */
	fake_config_partition(0)->watchdog_ms = 100;
	{
		static const u32 policy[CFG_PARTITION_COUNT] = { POLICY(CFG_FAULT_RESTART, 3, 4), 0,
								 0 };
		sys_reset(4, policy);
	}
	fake_config_partition(0)->watchdog_ms = 100;
	EXPECT_EQ(partition_command(&partitions[GAMMA], TESSERA_PARTITION_STOP, "t", NULL), 0);
	sys_settle();
	EXPECT_EQ(hvc(0, FID_WATCHDOG_KICK, 0, 0, 0), 100); /* alpha is healthy and kicks */
	loader_cpu = 99;
	load_hook = note_loader_and_take_long;
	type("\x14"
	     "bgamma\r");
	if (loader_cpu != 0) /* alpha's guest ran meanwhile, kicking as it does */
		EXPECT_EQ(hvc(0, FID_WATCHDOG_KICK, 0, 0, 0), 100);
	sys_enter(0, hyp_timer_tick); /* cpu0's Hyp timer interrupt, pending since the deadline */
	sys_settle();
	EXPECT_EQ(partitions[GAMMA].state, PART_RUNNING);
	EXPECT_EQ(loader_cpu, GAMMA_CPU);
	EXPECT_EQ(a->starts, 1); /* alpha, a bystander, must not be restarted by its watchdog */
	fake_config_partition(0)->watchdog_ms = 0;
	sys_finish();
}

TEST(partition_without_its_cpu_not_started)
{
	struct partition_info in;

	sys_offline_cpus = BIT(GAMMA_CPU); /* U-Boot never brought it up */
	console_start();
	EXPECT_EQ(partitions[GAMMA].state, PART_STOPPED);
	type("\x14"
	     "bgamma\r");
	EXPECT(seen_at(0, "[tessera] monitor: refused: gamma cannot run") >= 0);
	EXPECT_EQ(partition_command(&partitions[GAMMA], TESSERA_PARTITION_RESTART, "t",
				    &partitions[0]),
		  TESSERA_DENIED);
	sys_settle();
	partition_info(&partitions[GAMMA], &in);
	EXPECT_EQ(in.state, TESSERA_STATE_STOPPED); /* not "restarting" for ever */
	EXPECT_EQ(partitions[0].state, PART_RUNNING);
	console_end();
}

static void start_gamma_during_its_check(void)
{
	EXPECT_EQ(partition_command(&partitions[GAMMA], TESSERA_PARTITION_START, "t", NULL), 0);
}

TEST(partition_with_bad_image_not_started)
{
	struct partition_info in;

	sys_store_corrupt = true;
	sys_after_init = start_gamma_during_its_check; /* its images not checked yet */
	console_start();
	EXPECT_EQ(partitions[GAMMA].state, PART_HALTED);
	type("\x14"
	     "bgamma\r");
	EXPECT(seen_at(0, "[tessera] monitor: refused: gamma cannot run") >= 0);
	sys_settle();
	partition_info(&partitions[GAMMA], &in);
	EXPECT_EQ(in.state, TESSERA_STATE_HALTED); /* not "restarting" for ever */
	EXPECT_EQ(partitions[GAMMA].starts, 0);
	console_end();
}

/* The operator is answered whatever routine lines a partition makes the hypervisor log. */
TEST(monitor_heard_over_routine_lines)
{
	u32 i, enters = 0;

	console_start();
	fake_uart_stall(true);
	for (i = 0; i < 200; i++) { /* beta's CPU_ON/CPU_OFF loop: one "enters" line a run */
		EXPECT_EQ(hvc(BETA_CPU0, PSCI_CPU_ON, 1, FAKE_GUEST_RAM_IPA, 0), 0);
		sys_settle();
		hvc(BETA_CPU1, PSCI_CPU_OFF, 0, 0, 0);
		sys_settle();
	}
	for (i = 0; i < 300; i++) /* and routine lines in bulk, whatever their cause */
		log_info("partition 1 (beta): routine line %u", i);
	type("\x14l");
	log_warn("a warning");
	for (i = 0; i < 100; i++) {
		fake_uart_stall(false);
		console_irq();
	}
	for (i = 0; i < seen_count; i++)
		enters += strstr(seen[i], "(beta): vCPU 1 enters") != NULL;
	EXPECT_EQ(enters, 1);
	EXPECT(seen_at(0, "[tessera] partition 0 alpha: running") >= 0);
	EXPECT(seen_at(0, "[tessera] partition 2 gamma: running") >= 0);
	EXPECT(seen_at(0, "[tessera] WARN: a warning") >= 0);
	EXPECT(seen_at(0, "[tessera] console: ") >= 0); /* the routine lines lost, told */
	console_end();
}

/* The "lines lost" notes of routine lines stay out of the reserve too. */
TEST(lost_notes_leave_the_reserve)
{
	u32 i, warnings = 0, notes = 0;

	console_start();
	fake_uart_stall(true);
	for (i = 0; i < 40; i++) /* fills the routine half */
		log_info("routine line %u, long enough to fill the ring sooner: ............", i);
	for (i = 0; i < 40; i++) { /* each lost, then the UART's interrupt, still busy */
		log_info("routine line %u lost", i);
		console_irq();
	}
	for (i = 0; i < 6; i++)
		log_warn("warning %u", i);
	for (i = 0; i < 100; i++) {
		fake_uart_stall(false);
		console_irq();
	}
	for (i = 0; i < seen_count; i++) {
		warnings += strstr(seen[i], "WARN: warning ") != NULL;
		notes += strstr(seen[i], "hypervisor log lines lost") != NULL;
	}
	EXPECT_EQ(warnings, 6);
	EXPECT(notes >= 1 && notes <= 2);
	console_end();
}

/* A CPU asleep in its idle loop is idle now too, not only up to its last wake-up. */
TEST(stats_count_current_idle)
{
	int at;

	console_start();
	EXPECT_EQ(partition_command(&partitions[GAMMA], TESSERA_PARTITION_STOP, "t", NULL), 0);
	sys_settle();
	fake_time_advance(3000 * FAKE_TICKS_PER_MS);
	type("\x14s");
	at = seen_at(0, "[tessera] stats cpu3:");
	EXPECT(at >= 0);
	if (at >= 0)
		EXPECT(strtoul(strstr(seen[at], "idle_ms=") + 8, NULL, 10) >= 2990);
	type("\x14-\x14-\x14s"); /* the answer whatever the log level */
	EXPECT(seen_at((u32)at + 1, "[tessera] stats cpu3:") >= 0);
	type("\x14+\x14+");
	console_end();
}

/* Keys typed while CPU 0 clears and reloads its partition are read between chunks. */
TEST(console_read_during_load)
{
	static const char keys[] = "\x14l";

	console_start();
	fake_uart_rx((const u8 *)keys, sizeof(keys) - 1); /* its interrupt masked meanwhile */
	hvc(0, PSCI_SYSTEM_RESET, 0, 0, 0); /* alpha, on cpu0, restarts */
	EXPECT(seen_at(0, "[tessera] partition 0 alpha: restarting ") >= 0);
	sys_settle();
	EXPECT_EQ(partitions[0].starts, 2);
	console_end();
}

/*
 * A partition's load (RAM cleared, images copied, RAM cleaned by VA) is long work with
 * interrupts masked: its CPU looks at its requests and serves the console (the UART's
 * interrupt may be routed to it) after every PARTITION_LOAD_CHUNK bytes of it, copies and
 * cleans too.  On a board an unbroken copy of a large image and clean of a large partition's
 * RAM leave a neighbour's console lines waiting, and what is typed lost, for tens of ms.
 * Each look asks console_server() (serve_flush_requests); the work between two looks is the
 * bytes cleared and cleaned (the fake's counters) and copied (how far alpha's RAM has come to
 * match the image in the store).
 */
static struct {
	bool on;
	u64 work; /* cleared and cleaned bytes at the last look */
	u32 copied; /* the image's bytes in place at the last look */
	u64 longest; /* the most work between two looks */
	u32 looks;
} load_watch;

#define LOAD_IMAGE_SIZE 0x1000U /* the whole store: four chunks */

/* The boot check's hashes (image_check_* below). */
static struct {
	u32 calls;
	u32 online; /* calls made on a CPU the allocator counted online */
	bool hashing;
	u32 looks; /* console_server() asked while hashing: serve_flush_requests */
} hash_watch;

static u32 load_copied(void)
{
	const u8 *ram = fake_ram(FAKE_P0_RAM_PA, LOAD_IMAGE_SIZE);
	const u8 *store = fake_ram(FAKE_STORE_PA, LOAD_IMAGE_SIZE);
	u32 n = 0;

	while (n < LOAD_IMAGE_SIZE && ram[n] == store[n])
		n++;
	return n;
}

static void load_look(void)
{
	u64 work = fake_zero_bytes + fake_clean_inval_bytes;
	u32 copied = load_copied();
	u64 stretch = work - load_watch.work +
		      (copied > load_watch.copied ? copied - load_watch.copied : 0);

	if (stretch > load_watch.longest)
		load_watch.longest = stretch;
	load_watch.work = work;
	load_watch.copied = copied;
	load_watch.looks++;
}

u32 __real_console_server(void);
u32 __wrap_console_server(void);

/* serve_flush_requests's one call of it: a look. */
u32 __wrap_console_server(void)
{
	if (load_watch.on)
		load_look();
	if (hash_watch.hashing)
		hash_watch.looks++;
	return __real_console_server();
}

TEST(load_serves_between_chunks)
{
	static struct cfg_image image;
	struct cfg_partition *cfg;
	u8 *store;
	u32 i;

	start_system();
	cfg = fake_config_partition(0);
	/* alpha's image made as large as the store, bytes that are never 0 (the clear's). */
	image = cfg->images[0];
	image.size = LOAD_IMAGE_SIZE;
	cfg->images = &image;
	store = fake_ram(FAKE_STORE_PA, LOAD_IMAGE_SIZE);
	for (i = 0; i < LOAD_IMAGE_SIZE; i++)
		store[i] = (u8)(1 + i % 251);
	load_watch.on = true;
	load_watch.work = fake_zero_bytes + fake_clean_inval_bytes;
	load_watch.copied = load_copied();
	load_watch.longest = 0;
	load_watch.looks = 0;
	hvc(0, PSCI_SYSTEM_RESET, 0, 0, 0); /* alpha, on cpu0, restarts */
	sys_settle();
	load_look(); /* what came after the last look, to the guest's entry */
	load_watch.on = false;
	EXPECT_EQ(partitions[0].starts, 2);
	EXPECT_EQ(load_copied(), LOAD_IMAGE_SIZE);
	EXPECT(load_watch.looks > 1);
	EXPECT(load_watch.longest > 0);
	EXPECT(load_watch.longest <= PARTITION_LOAD_CHUNK);
	if (load_watch.longest > PARTITION_LOAD_CHUNK)
		fprintf(stderr, "  %llu bytes of load work between two looks (chunk %u)\n",
			(unsigned long long)load_watch.longest, PARTITION_LOAD_CHUNK);
	sys_finish();
}

/*
 * The boot check hashes a partition's share of its images' chunks (a sixteenth of each file
 * a loader: 7 MiB of a 112 MiB store, some 250 ms at 35 instructions a byte) with interrupts
 * masked, while partitions with smaller images already run and may restart.  Like a load it
 * takes no part in VMID rollovers meanwhile, so a CPU entering its guest under a new
 * generation never waits for a hash: each hash of the check runs on a CPU outside the
 * allocator's online set.  And like a load it looks at its requests and serves the console
 * after every PARTITION_HASH_STEP bytes (sha256_paused's pauses), not only between chunks.
 */
void __real_sha256_paused(const void *data, size_t size, u8 digest[SHA256_SIZE], size_t step,
			  void (*pause)(void));
void __wrap_sha256_paused(const void *data, size_t size, u8 digest[SHA256_SIZE], size_t step,
			  void (*pause)(void));

void __wrap_sha256_paused(const void *data, size_t size, u8 digest[SHA256_SIZE], size_t step,
			  void (*pause)(void))
{
	hash_watch.calls++;
	if (vmid_allocator.online & BIT(this_cpu()->index))
		hash_watch.online++;
	hash_watch.hashing = true;
	__real_sha256_paused(data, size, digest, step, pause);
	hash_watch.hashing = false;
}

TEST(image_check_not_waited_for)
{
	u32 i;

	hash_watch.calls = hash_watch.online = 0;
	start_system();
	EXPECT_EQ(hash_watch.calls, 1); /* one chunk of one file, hashed by one of its loaders */
	EXPECT_EQ(hash_watch.online, 0);
	for (i = 0; i < SYS_CPUS; i++) /* and back afterwards, every CPU */
		EXPECT(vmid_allocator.online & BIT(i));
	for (i = 0; i < CFG_PARTITION_COUNT; i++)
		EXPECT_EQ(partitions[i].starts, 1);
	sys_finish();
}

/* A 4 KiB image (the whole store) with its right digest, in a chunk of its own. */
static struct cfg_image big_image;
static u8 big_image_digest[1][SHA256_SIZE];

static void big_image_for_alpha(void)
{
	struct cfg_partition *cfg = fake_config_partition(0);
	u8 *store = fake_ram(FAKE_STORE_PA, LOAD_IMAGE_SIZE);
	u32 i;

	for (i = 0; i < LOAD_IMAGE_SIZE; i++)
		store[i] = (u8)(1 + i % 251);
	__real_sha256_paused(store, LOAD_IMAGE_SIZE, big_image_digest[0], 0, NULL);
	big_image = cfg->images[0];
	big_image.size = LOAD_IMAGE_SIZE;
	big_image.chunk_size = LOAD_IMAGE_SIZE;
	big_image.chunk_count = 1;
	big_image.chunk_sha256 = (const u8(*)[SHA256_SIZE])big_image_digest;
	big_image.loaders = 1; /* alpha alone: the other partitions keep the small one */
	cfg->images = &big_image;
}

TEST(image_check_serves_within_a_chunk)
{
	static const u32 stop[CFG_PARTITION_COUNT] = { 0, 0, 0 };

	hash_watch.calls = hash_watch.looks = 0;
	load_watch.on = false;
	sys_after_init = big_image_for_alpha; /* before any CPU checks its share */
	sys_reset(4, stop);
	EXPECT_EQ(partitions[0].images_verdict, IMAGES_OK);
	EXPECT_EQ(partitions[0].starts, 1);
	/* 4 KiB in steps of 1 KiB: three pauses, each a look (console_server). */
	EXPECT_EQ(hash_watch.looks, LOAD_IMAGE_SIZE / PARTITION_HASH_STEP - 1);
	sys_finish();
}

/*
 * A stop is the last word: a manager's restart of a stopped partition, then its stop, before
 * the target's CPU acts on the restart, leave it stopped (and count no start).
 */
TEST(restart_then_stop_of_stopped)
{
	struct partition *p = &partitions[GAMMA];

	start_system();
	EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_STOP, 0), 0);
	sys_settle();
	EXPECT_EQ(p->state, PART_STOPPED);
	EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_RESTART, 0), 0);
	EXPECT_EQ(hvc(0, FID_PARTITION_CONTROL, GAMMA, TESSERA_PARTITION_STOP, 0), 0);
	EXPECT_EQ(hvc(0, FID_PARTITION_STATE, GAMMA, 0, 0), TESSERA_STATE_STOPPED);
	sys_settle();
	EXPECT_EQ(p->state, PART_STOPPED); /* the stop was the last word */
	EXPECT_EQ(p->starts, 1);
	sys_finish();
}

/* The same from the operator, who pastes "Ctrl-T b gamma Enter Ctrl-T k gamma Enter". */
TEST(operator_start_then_stop)
{
	struct partition *p = &partitions[GAMMA];

	start_system();
	EXPECT_EQ(partition_command(p, TESSERA_PARTITION_STOP, "t", NULL), 0);
	sys_settle();
	fake_uart_rx((const u8 *)"\x14"
				 "bgamma\r\x14"
				 "kgamma\r",
		     16);
	fake_irq_raise(0, PLAT_UART_IRQ);
	sys_interrupt(0);
	sys_settle();
	EXPECT_EQ(p->state, PART_STOPPED);
	sys_finish();
}

/* A manager stops gamma while gamma's boot CPU still checks its images: it is not started. */
static void manager_stops_gamma_during_check(void)
{
	EXPECT_EQ(partition_command(&partitions[GAMMA], TESSERA_PARTITION_STOP, "alpha",
				    &partitions[0]),
		  0);
}

TEST(stop_during_image_check)
{
	sys_after_init = manager_stops_gamma_during_check;
	start_system();
	EXPECT_EQ(partitions[GAMMA].state, PART_STOPPED);
	sys_finish();
}

/*
 * A partial line (last words without a newline, a prompt) when the partition stops: it goes
 * out then, before a start wipes it (vcpu_park, partition_vcpu_parked).
 */
TEST(partial_line_out_at_stop)
{
	console_start();
	guest_puts(GAMMA_CPU, GAMMA, "last words", 10);
	hvc(GAMMA_CPU, PSCI_SYSTEM_OFF, 0, 0, 0);
	sys_settle();
	EXPECT_EQ(partitions[GAMMA].state, PART_STOPPED);
	fake_time_advance(200 * FAKE_TICKS_PER_MS);
	sys_enter(0, hyp_timer_tick);
	type("\x14"
	     "b2\r"); /* the operator starts it again */
	EXPECT_EQ(partitions[GAMMA].state, PART_RUNNING);
	fake_time_advance(200 * FAKE_TICKS_PER_MS);
	sys_enter(GAMMA_CPU, hyp_timer_tick);
	console_end();
	EXPECT(seen_at(0, "[gamma] last words") >= 0);
}

/* The operator stops and restarts the partition whose CPU takes the UART interrupt, and types into it. */
TEST(operator_stops_own_server)
{
	console_start();
	type("\x14k0\r");
	EXPECT_EQ(partitions[0].state, PART_STOPPED);
	type("abc"); /* input to a stopped partition */
	type("\x14"
	     "b0\r");
	EXPECT_EQ(partitions[0].state, PART_RUNNING);
	type("\x14r0\r");
	EXPECT_EQ(partitions[0].starts, 3);
	type("\x14k alpha\r\x14"
	     "b alpha\r\x14r 1\r\x14k 2\r");
	EXPECT_EQ(partitions[0].state, PART_RUNNING);
	EXPECT_EQ(partitions[2].state, PART_STOPPED);
	EXPECT_EQ(partitions[1].starts, 2);
	console_end();
}

static u32 stall_lines;
static void stall_after_6(const char *line)
{
	record_line(line);
	if (++stall_lines == 6)
		fake_uart_stall(true);
}

/*
 * Beta's drop note, written by the CPU that serves (alpha's), leaves beta's CPU to serve beta's
 * backlog (issue 14: a flooder's lines cost its neighbours nothing).
 */
TEST(drop_note_keeps_server)
{
	char text[200];
	u32 i;

	memset(text, 'x', 159);
	text[159] = '\n';
	console_start();
	fake_time_advance(3000 * FAKE_TICKS_PER_MS);
	fake_uart_stall(true);
	guest_puts(0, 0, "alpha\n", 6);
	for (i = 0; i < 20; i++)
		guest_puts(BETA_CPU0, 1, text, 160);
	fake_time_advance(3000 * FAKE_TICKS_PER_MS);
	guest_puts(BETA_CPU0, 1, text, 160); /* dropped: the note is due, no room */
	guest_puts(0, 0, "alpha2\n", 7);
	fake_uart_line_hook = stall_after_6;
	stall_lines = 0;
	fake_uart_stall(false);
	fake_arch_set_cpu(0);
	console_irq(); /* cpu0, alpha's, serves: puts beta's note */
	fake_uart_line_hook = record_line;
	EXPECT_EQ(console_server(), BETA_CPU0);
	console_end();
}

static u32 beta_notes(void)
{
	u32 i, notes = 0;

	for (i = 0; i < seen_count; i++)
		notes += !strncmp(seen[i], "[tessera] console: beta:", 24);
	return notes;
}

/*
 * Drops after a note, within the note's second, then silence (the transmit interrupt off): their
 * note goes out once the rings have drained, not never.
 */
/* Beta floods while the UART is stalled (its ring overflows), then everything goes out. */
static void beta_floods(void)
{
	static const char text[] =
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n";

	fake_uart_stall(true);
	for (u32 i = 0; i < 100; i++)
		guest_puts(1, 1, text, sizeof(text) - 1);
	fake_uart_stall(false);
	console_irq(); /* everything out: the transmit interrupt is switched off */
}

TEST(late_drops_told)
{
	u32 i;

	console_start();
	fake_time_advance(5000 * FAKE_TICKS_PER_MS);
	beta_floods();
	fake_time_advance(100 * FAKE_TICKS_PER_MS);
	beta_floods();
	fake_time_advance(5000 * FAKE_TICKS_PER_MS);
	for (i = 0; i < 20; i++) {
		sys_enter(0, hyp_timer_tick);
		sys_enter(BETA_CPU0, hyp_timer_tick);
		if (beta_notes() > 1)
			break;
	}
	log_warn("later");
	guest_puts(0, 0, "alpha later\n", 12);
	EXPECT_EQ(beta_notes(), 2);
	console_end();
}

/* An arrow key (ESC [ A) right after Ctrl-T: none of it reaches the partition. */
TEST(escape_sequence_after_ctrl_t)
{
	console_start();
	type("\x14\x1b[A");
	EXPECT_EQ(partitions[0].vuart.rx_count, 0);
	console_end();
}
int main(void)
{
	test_suite_name = "sys";
	RUN(cpu_on_entry_checked);
	RUN(cpu_on_mpidr_high_bits);
	RUN(cpu_on_target_checked);
	RUN(affinity_info);
	RUN(psci_features);
	RUN(cpu_on_while_stopping);
	RUN(cpu_on_then_system_off);
	RUN(cpu_on_then_system_reset);
	RUN(restart_drops_ram_from_caches);
	RUN(restart_invalidates_own_cpus_only);
	RUN(start_registers);
	RUN(vmid_wrap_restarts);
	RUN(reset_bound);
	RUN(one_fault_one_credit);
	RUN(cache_maintenance_skipped);
	RUN(spi_waits_for_its_vcpu);
	RUN(spi_in_flight_to_parked_vcpu);
	RUN(doorbell_ring);
	RUN(mrc_to_apsr_nzcv);
	RUN(undefined_where_the_core_would);
	RUN(inject_keeps_alignment_faults);
	RUN(guest_maintenance_not_broadcast);
	RUN(uart_rx_fifo_off_and_on);
	RUN(uart_reset_at_restart);
	RUN(console_paste_reaches_guest_whole);
	RUN(guest_par_kept);
	RUN(ats_walk_fault_not_skipped);
	RUN(s1ptw_log_ipa);
	RUN(fault_ipa_not_from_unknown_hpfar);
	RUN(suppressed_count_told);
	RUN(fault_rate_limit_windows);
	RUN(prefetch_abort_told);
	RUN(console_hyp_never_waits);
	RUN(monitor_heard_over_routine_lines);
	RUN(stats_count_current_idle);
	RUN(lost_notes_leave_the_reserve);
	RUN(console_read_during_load);
	RUN(load_serves_between_chunks);
	RUN(image_check_not_waited_for);
	RUN(image_check_serves_within_a_chunk);
	RUN(console_tx_irq_while_waiting);
	RUN(console_line_folds_breaks);
	RUN(console_fair_share);
	RUN(console_served_by_the_sources_cpu);
	RUN(console_input_in_order_across_cpus);
	RUN(console_escapes_controls);
	RUN(console_line_max);
	RUN(console_partial_line_out);
	RUN(console_open_line_continues);
	RUN(console_sequence_ends_with_its_run);
	RUN(console_empty_rest_not_shown);
	RUN(console_focused_line_shown_again);
	RUN(console_kept_line_shown_as_shown);
	RUN(console_kept_line_ends_with_run);
	RUN(console_kept_line_per_partition);
	RUN(console_vcpu_lines_whole);
	RUN(console_device_order_one_line);
	RUN(monitor_find);
	RUN(monitor_commands);
	RUN(watchdog_restarts);
	RUN(manager_rights);
	RUN(machine_off_when_all_off);
	RUN(manager_restart_bound);
	RUN(start_during_load_is_no_work);
	RUN(fault_restart_after_start_during_load);
	RUN(stop_wins_over_restart);
	RUN(start_between_park_and_parked);
	RUN(operator_start_loads_on_own_cpu);
	RUN(partition_without_its_cpu_not_started);
	RUN(partition_with_bad_image_not_started);
	RUN(restart_then_stop_of_stopped);
	RUN(operator_start_then_stop);
	RUN(stop_during_image_check);
	RUN(partial_line_out_at_stop);
	RUN(operator_stops_own_server);
	RUN(drop_note_keeps_server);
	RUN(escape_sequence_after_ctrl_t);
	RUN(late_drops_told);
	return test_summary();
}

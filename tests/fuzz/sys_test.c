/*
 * Host tests of partition and vCPU lifecycle on the host-built system of
 * fuzz_sys.h (the real hyp/ on tests/fake), written out from what the fuzz
 * targets found, so each stays readable as a test:
 *
 *   cpu_on_then_system_off    a vCPU switched on (PSCI CPU_ON) whose partition
 *                             stops before it starts must not keep the
 *                             partition from stopping (found by fuzz.smccc)
 *   cpu_on_then_system_reset  nor from restarting
 *   vmid_wrap_restarts        restarts past the VMID space (VMID_BITS=2 here)
 *                             never leave two running partitions one VMID
 *   console_hyp_never_waits   hypervisor lines never wait for a stuck UART:
 *                             those that do not fit are counted and reported
 *   console_fair_share        a partition that floods a stuck UART loses its
 *                             own lines (reported as its own), never another's
 *   console_escapes_controls  control bytes and escape sequences reach the
 *                             terminal as \xNN, so nobody forges a line
 *   console_vcpu_lines_whole  two vCPUs of one partition print byte by byte
 *                             at once: each line comes out whole
 *
 * sys_check() and the checks at the end of every sys_settle() run throughout.
 */
#include "test.h"
#include "fuzz_sys.h"

#define PSCI_CPU_ON 0x84000003U
#define PSCI_SYSTEM_OFF 0x84000008U
#define PSCI_SYSTEM_RESET 0x84000009U
#define TESSERA_PARTITION_ID 0x86000001U

/* Partition 1 "beta": vCPU 0 on cpu1, vCPU 1 on cpu2. */
#define BETA 1
#define BETA_CPU0 1
#define BETA_CPU1 2

static void start_system(void)
{
	static const u32 stop[CFG_PARTITION_COUNT] = { 0, 0, 0 };

	sys_reset(4, stop);
}

/* The guest on 'cpu' calls HVC with r0-r3; returns r0. */
static u32 hvc(u32 cpu, u32 fid, u32 a1, u32 a2, u32 a3)
{
	struct regs *r = cpu_frame(cpu);

	r->r[0] = fid;
	r->r[1] = a1;
	r->r[2] = a2;
	r->r[3] = a3;
	sys_set_trap_regs(cpu, (u32)HSR_EC_HVC << HSR_EC_SHIFT | HSR_IL, 0, 0,
			  FAKE_GUEST_RAM_IPA + 0x100, PSR_MODE_SVC);
	sys_trap(cpu);
	sys_check();
	return r->r[0];
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

	fake_arch_set_cpu(cpu);
	for (i = 0; i < len; i++)
		vuart_write(&partitions[p], 0x000, 4, (u8)s[i]);
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
	EXPECT(seen_at(0, "[alpha] still here") >= 0);
	EXPECT(seen_at(0, "[tessera] the UART moves again") >= 0);
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

TEST(console_escapes_controls)
{
	static const char forged[] = "\x1b[2K\r[tessera] forged\0\x07\x7f\xff\n";

	console_start();
	guest_puts(0, 0, forged, sizeof(forged) - 1);
	EXPECT_STREQ(fake_uart_last_line(), "[alpha] \\x1b[2K[tessera] forged\\x00\\x07\\x7f\\xff");
	guest_puts(0, 0, "tab\tok\n", 7);
	EXPECT_STREQ(fake_uart_last_line(), "[alpha] tab\tok");
	fake_time_advance(2000 * FAKE_TICKS_PER_MS);
	guest_puts(0, 0, "next\n", 5); /* the count goes out with alpha's next line */
	EXPECT(seen_at(0, "[tessera] console: alpha: 0 lines (0 bytes) dropped, 5 control bytes "
			  "escaped") >= 0);
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

int main(void)
{
	test_suite_name = "sys";
	RUN(cpu_on_then_system_off);
	RUN(cpu_on_then_system_reset);
	RUN(vmid_wrap_restarts);
	RUN(console_hyp_never_waits);
	RUN(console_fair_share);
	RUN(console_escapes_controls);
	RUN(console_vcpu_lines_whole);
	return test_summary();
}

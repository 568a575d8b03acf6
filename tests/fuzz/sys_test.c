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
 *   console_tells_dropped     guest lines dropped while the UART is stuck are
 *                             reported, once, when it moves again
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

TEST(console_tells_dropped)
{
	static const char text[] =
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	const u32 line = 4 + 3 + 64 + 2; /* "[beta] " text "\r\n" */
	unsigned long n;
	const char *note;
	u32 i;

	start_system();
	fake_uart_stall(true);
	for (i = 0; i < 200; i++) /* 14 KiB of lines into an 8 KiB ring */
		console_line("beta", text, sizeof(text) - 1, true);
	fake_uart_stall(false);
	console_irq(); /* the UART's transmit interrupt drains the ring */
	console_line("beta", "moving", 6, true);
	note = fake_uart_last_line();
	EXPECT(strncmp(note, "[tessera] console: ", 19) == 0);
	n = strtoul(note + 19, NULL, 10);
	EXPECT(n > 0 && n % line == 0 && n < 200 * line);
	EXPECT(strstr(note, " bytes of guest output dropped") != NULL);
	console_line("beta", "again", 5, true); /* said once */
	EXPECT_STREQ(fake_uart_last_line(), "[beta] again");
	sys_finish();
}

int main(void)
{
	test_suite_name = "sys";
	RUN(cpu_on_then_system_off);
	RUN(cpu_on_then_system_reset);
	RUN(vmid_wrap_restarts);
	RUN(console_tells_dropped);
	return test_summary();
}

/*
 * Test-guest cases of the shared console (issue 14): a bystander that prints
 * a numbered line every 10 ms and measures its own period, a flooder that
 * writes 4 KiB lines through CONSOLE_WRITE and the PL011, and a two-vCPU
 * partition that loops CPU_ON/CPU_OFF (a hypervisor log line each time) and
 * tries to forge lines with control bytes and escape sequences.
 * tests/qemu/test_console.py checks what reaches the console.
 */
#include <stdio.h>
#include <string.h>

#include "testguest.h"

/* Raw bytes to the emulated PL011's data register: no lock, no "\n" -> "\r\n". */
static void raw_write(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		mmio_write32(PL011_BASE + PL011_DR, (uint8_t)s[i]);
}

/*
 * A lap mark for tools/insn_per_cpu.c (laps): HINT #0x20, a NOP on every
 * ARMv7 core (unallocated hints execute as NOPs, ARM ARM A8.8.100), which the
 * plugin sees executed and reports what the lap cost this CPU and what
 * QEMU's scheduling took from it.
 */
static inline void lap_mark(void)
{
#ifdef __thumb__
	__asm__ volatile(".inst.w 0xf3af8020" ::: "memory");
#else
	__asm__ volatile(".inst 0xe320f020" ::: "memory");
#endif
}

/*
 * "TG by <n>" every 'period' ms, 'count' times; then the worst time between
 * two lines beyond the period, in microseconds.  Each period is two laps
 * (lap_mark) for tests/qemu/test_console.py: printing its line, and sleeping.
 */
void tg_bystander(void)
{
	uint32_t period = tg_arg_u32("period", 10), count = tg_arg_u32("count", 200), n;
	uint64_t last, now, worst = 0, expect = gtimer_ns_to_count((uint64_t)period * 1000000);
	uint64_t worst_print = 0;
	uint32_t worst_print_n = 0, worst_n = 0;

	tg_sleep_ms(1); /* sets up the GIC: not part of any period */
	last = gtimer_virt_count();
	lap_mark();
	for (n = 0; n < count; n++) {
		uint64_t t0 = gtimer_virt_count(), t1;

		printf("TG by %u\n", (unsigned)n);
		t1 = gtimer_virt_count();
		lap_mark(); /* laps alternate: the line, then the sleep */
		if (t1 - t0 > worst_print)
			worst_print = t1 - t0, worst_print_n = n;
		tg_sleep_ms(period);
		now = gtimer_virt_count();
		lap_mark();
		if (now - last > expect && now - last - expect > worst)
			worst = now - last - expect, worst_n = n;
		last = now;
	}
	printf("TG by worst lateness %u us\n", (unsigned)(gtimer_count_to_ns(worst) / 1000));
	printf("TG by diag worst_n %u print %u us at %u\n", (unsigned)worst_n,
	       (unsigned)(gtimer_count_to_ns(worst_print) / 1000), (unsigned)worst_print_n);
	tg_check(true, "bystander.lines", "-");
	tg_done();
	for (;;)
		tg_sleep_ms(1000);
}

/* Lines that try to pass for someone else's, or to break the terminal. */
static const char *const forgeries[] = {
	"\r[tessera] FORGED-CR\n",
	"\x1b[2K\x1b[0G[tessera] FORGED-ESC\n",
	"\x1b[1A\x1b[2K[bystander] TG by 99999\n",
	"NUL\0here FORGED-NUL [tessera] x\n",
	"\x1b]0;title\x07\x08\x08\x7f\xff\x9b FORGED-MIXED\n",
};

static char flood_line[4096];

/* The forged lines, through the PL011 (even 'round') or CONSOLE_WRITE (odd). */
static void forge(uint32_t round)
{
	uint32_t i;

	for (i = 0; i < ARRAY_SIZE(forgeries); i++) {
		size_t len = i == 3 ? sizeof("NUL\0here FORGED-NUL [tessera] x\n") - 1 :
				      strlen(forgeries[i]);

		if (round & 1)
			tessera_console_write(forgeries[i], len);
		else
			raw_write(forgeries[i], len);
	}
}

static char flood_line[4096];

/* 4 KiB lines through CONSOLE_WRITE and the PL011, forever. */
void tg_flood(void)
{
	memset(flood_line, 'F', sizeof(flood_line));
	memcpy(flood_line, "TG flood ", 9);
	flood_line[sizeof(flood_line) - 1] = '\n';
	printf("TG flood: starting\n");
	for (;;) {
		tessera_console_write(flood_line, sizeof(flood_line));
		raw_write(flood_line, sizeof(flood_line));
	}
}

/* vCPU 1 of the cpuloop case has started (guest_secondary_main, cases_psci.c). */
static volatile uint32_t cpuloop_up;

void tg_cpuloop_secondary(void)
{
	cpuloop_up = 1;
	psci_cpu_off();
	guest_halt();
}

/*
 * vCPU 0 starts vCPU 1, which turns itself off at once, and again, 'rounds'
 * times: every start is a line of the hypervisor's log.  Every 20 rounds it
 * tries the forged lines, every 5 it says how far it got.
 */
void tg_cpuloop(void)
{
	uint32_t rounds = tg_arg_u32("rounds", 1000000), r, failures = 0;

	for (r = 1; r <= rounds; r++) {
		cpuloop_up = 0;
		if (psci_cpu_on(1, (uintptr_t)guest_secondary_entry, TG_CPULOOP_CONTEXT) !=
		    PSCI_SUCCESS)
			failures++;
		while (psci_affinity_info(1, 0) != PSCI_AFFINITY_OFF || !cpuloop_up)
			cpu_yield(); /* vCPU 1, next in QEMU's turns, must get one */
		if (r % 20 == 1)
			forge(r / 20);
		if (r % 5 == 0)
			printf("TG cpuloop: %u rounds\n", (unsigned)r);
	}
	tg_check(failures == 0, "cpuloop.cpu_on", "%u CPU_ON calls failed", (unsigned)failures);
	tg_done();
}

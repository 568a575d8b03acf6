/*
 * The test guest's internal interface: verdicts, fault capture, and the cases.
 */
#ifndef TESTGUEST_H
#define TESTGUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "guest.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#ifndef UNUSED
#define UNUSED(x) ((void)(x))
#endif

struct tg_case {
	const char *name;
	void (*run)(void);
};

struct tg_fault {
	uint32_t count;
	uint32_t kind; /* enum exc_kind */
	uint32_t fsr;
	uint32_t far;
};

void tg_check(bool ok, const char *check, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tg_done(void);
const char *tg_case(void);
uint32_t tg_arg_u32(const char *key, uint32_t fallback);

/* Catch injected data/prefetch aborts and undefined instructions, and resume. */
void tg_catch_faults(void);
/* The faults caught since the last call. */
struct tg_fault tg_fault_take(void);

/* Memory probes that survive an injected abort (tg_asm.S). */
uint32_t tg_read32(uintptr_t addr);
void tg_write32(uintptr_t addr, uint32_t value);
void tg_try_exec(uintptr_t addr);

/* The passed-through PL031 RTC's alarm, taken by polling on the vCPU it targets. */
void tg_rtc_setup(void);
void tg_rtc_poll(void);
uint32_t tg_rtc_alarm_at(uint8_t cpu_mask);

/* Sleep in WFI on the virtual timer. */
void tg_sleep_ms(uint32_t ms);
/* Reads and writes around and above the partition's RAM that did not abort (cases_memory.c). */
uint32_t tg_probe_beyond_ram(void);

/* Print a heartbeat every period, checking a canary block, forever (or 'beats' times). */
void tg_heartbeat_loop(uint32_t period_ms, uint32_t beats);

void tg_hello(void);
void tg_memory(void);
void tg_heartbeat(void);
void tg_isolation(void);
void tg_trespass(void);
void tg_smp(void);
void tg_reset(void);
void tg_crash(void);
void tg_timer(void);
void tg_gicd(void);
void tg_passthrough(void);
void tg_storm(void);
void tg_console(void);
void tg_hypercalls(void);
void tg_hostile(void);
void tg_xip(void);
void tg_doorbell(void);
void tg_ringer(void);
void tg_bystander(void);
void tg_flood(void);
void tg_cpuloop(void);
void tg_hang(void);
void tg_manager(void);
void tg_outsider(void);

/* vCPU 1 of the cpuloop case, started with this CPU_ON context (cases_console.c). */
#define TG_CPULOOP_CONTEXT 0xc0501e
__attribute__((noreturn)) void tg_cpuloop_secondary(void);
/* vCPU 1 of the enable_race case (cases_hypercall.c). */
#define TG_RACE_CONTEXT 0x5ace
void tg_enable_race(void);
__attribute__((noreturn)) void tg_enable_race_secondary(void);

/* The PMU (cases_pmu.c): what a previous run left, count and leave it running, attack. */
uint32_t tg_pmu_dirty(void);
void tg_pmu_exercise(void);
void tg_pmu_attack(void);

#endif /* TESTGUEST_H */

/*
 * The fake register file behind include/arch/sysreg.h's accessors on the host (see
 * fake_arch.h for what it promises).  Registers are found by accessor name;
 * each accessor caches its slot, so an access costs an array index.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tessera/types.h"

static u64 reg_read(const char *name, int *slot);
static void reg_write(const char *name, int *slot, u64 v);

/*
 * The accessors of include/arch/sysreg.h, defined rather than declared: set before
 * the first inclusion of sysreg.h (through fake_arch.h and hyp.h).
 */
#define SYSREG_FAKE_READ(name)                                                                     \
	u32 read_##name(void)                                                                      \
	{                                                                                          \
		static int slot = -1;                                                              \
		return (u32)reg_read(#name, &slot);                                                \
	}
#define SYSREG_FAKE_WRITE(name)                                                                    \
	void write_##name(u32 v)                                                                   \
	{                                                                                          \
		static int slot = -1;                                                              \
		reg_write(#name, &slot, v);                                                        \
	}
#define SYSREG_FAKE_READ64(name)                                                                   \
	u64 read64_##name(void)                                                                    \
	{                                                                                          \
		static int slot = -1;                                                              \
		return reg_read(#name, &slot);                                                     \
	}
#define SYSREG_FAKE_WRITE64(name)                                                                  \
	void write64_##name(u64 v)                                                                 \
	{                                                                                          \
		static int slot = -1;                                                              \
		reg_write(#name, &slot, v);                                                        \
	}
#include "fake_arch.h"

#define FAKE_REG_MAX 256
#define FAKE_CNTFRQ (FAKE_TICKS_PER_MS * 1000)

enum reg_kind {
	REG_PLAIN,
	REG_ATS, /* an address translation operation: result in PAR */
	REG_CCSIDR, /* selected by CSSELR */
	REG_CLIDR,
	REG_COUNTER, /* CNTPCT: the fake time */
	REG_CNTFRQ,
	REG_MPIDR,
	REG_DCCISW,
	REG_TLBI,
	REG_BROADCAST, /* ICIALLUIS, BPIALLIS: reach every CPU of the Inner Shareable domain */
};

static const char *reg_names[FAKE_REG_MAX];
static enum reg_kind reg_kinds[FAKE_REG_MAX];
static int reg_count;
static u64 regs[FAKE_CPU_COUNT][FAKE_REG_MAX];
static u32 cur;
static u64 now;
static fake_ats_fn ats_hook;
static u32 fake_clidr;
static u32 fake_ccsidr[7];
static int par_slot = -1, csselr_slot = -1;

jmp_buf *fake_exit_point;
struct fake_arch_stats fake_arch_stats;

static enum reg_kind kind_of(const char *name)
{
	if (!strcmp(name, "ats1cpr") || !strcmp(name, "ats12nsopr") || !strcmp(name, "ats12nsopw"))
		return REG_ATS;
	if (!strcmp(name, "ccsidr"))
		return REG_CCSIDR;
	if (!strcmp(name, "clidr"))
		return REG_CLIDR;
	if (!strcmp(name, "cntpct"))
		return REG_COUNTER;
	if (!strcmp(name, "cntfrq"))
		return REG_CNTFRQ;
	if (!strcmp(name, "mpidr"))
		return REG_MPIDR;
	if (!strcmp(name, "dccisw"))
		return REG_DCCISW;
	if (!strncmp(name, "tlbi", 4))
		return REG_TLBI;
	if (!strcmp(name, "icialluis") || !strcmp(name, "bpiallis"))
		return REG_BROADCAST;
	return REG_PLAIN;
}

static int slot_of(const char *name, int *slot)
{
	int i;

	if (*slot >= 0)
		return *slot;
	for (i = 0; i < reg_count; i++)
		if (!strcmp(reg_names[i], name))
			return *slot = i;
	if (reg_count == FAKE_REG_MAX) {
		fprintf(stderr, "fake_arch: more than %d registers\n", FAKE_REG_MAX);
		abort();
	}
	reg_names[reg_count] = name;
	reg_kinds[reg_count] = kind_of(name);
	return *slot = reg_count++;
}

static u64 reg_read(const char *name, int *slot)
{
	int s = slot_of(name, slot);

	switch (reg_kinds[s]) {
	case REG_CCSIDR:
		return fake_ccsidr[(regs[cur][slot_of("csselr", &csselr_slot)] >> 1) % 7];
	case REG_CLIDR:
		return fake_clidr;
	case REG_COUNTER:
		return now;
	case REG_CNTFRQ:
		return FAKE_CNTFRQ;
	case REG_MPIDR:
		return BIT(31) | cur;
	default:
		return regs[cur][s];
	}
}

static void reg_write(const char *name, int *slot, u64 v)
{
	int s = slot_of(name, slot);

	switch (reg_kinds[s]) {
	case REG_ATS:
		fake_arch_stats.ats++;
		regs[cur][slot_of("par", &par_slot)] = ats_hook ? ats_hook(cur, name, (u32)v) :
								  PAR_F;
		break;
	case REG_DCCISW:
		fake_arch_stats.dccisw++;
		break;
	case REG_TLBI:
		fake_arch_stats.tlbi++;
		break;
	case REG_BROADCAST:
		fake_arch_stats.broadcast_inval++;
		break;
	default:
		regs[cur][s] = v;
		break;
	}
}

u64 *fake_reg_on(u32 cpu, const char *name)
{
	int slot = -1;

	return &regs[cpu][slot_of(name, &slot)];
}

u64 *fake_reg(const char *name)
{
	return fake_reg_on(cur, name);
}

void fake_arch_reset(void)
{
	/* A Cortex-A15: L1 I+D (32 KiB, 2-way), L2 unified (512 KiB, 16-way), 64-byte lines. */
	static const u32 a15_ccsidr[7] = { (255U << 13) | (1U << 3) | 2, 0,
					   (511U << 13) | (15U << 3) | 2 };
	u32 cpu;

	memset(regs, 0, sizeof(regs));
	cur = 0;
	now = 0;
	ats_hook = NULL;
	fake_exit_point = NULL;
	memset(&fake_arch_stats, 0, sizeof(fake_arch_stats));
	fake_arch_set_caches(0x02000023, a15_ccsidr);
	for (cpu = 0; cpu < FAKE_CPU_COUNT; cpu++)
		*fake_reg_on(cpu, "pmcr") = 4U << 11; /* PMCR.N: four event counters, as QEMU's */
}

void fake_arch_set_cpu(u32 cpu)
{
	if (cpu >= FAKE_CPU_COUNT)
		abort();
	cur = cpu;
}

u32 fake_arch_cpu(void)
{
	return cur;
}

struct cpu *this_cpu(void)
{
	return &cpus[cur];
}

void fake_arch_set_ats(fake_ats_fn fn)
{
	ats_hook = fn;
}

void fake_arch_set_caches(u32 clidr, const u32 ccsidr[7])
{
	fake_clidr = clidr;
	memcpy(fake_ccsidr, ccsidr, sizeof(fake_ccsidr));
}

void fake_time_advance(u64 ticks)
{
	now += ticks;
}

u64 fake_time(void)
{
	return now;
}

noreturn void fake_exit(enum fake_exit how)
{
	if (!fake_exit_point) {
		fprintf(stderr, "fake_arch: the hypervisor left (%d) with no exit point set\n",
			how);
		abort();
	}
	longjmp(*fake_exit_point, (int)how);
}

/* Barriers order nothing on a single host thread. */
void dsb(void)
{
}

void dsb_ish(void)
{
}

void dmb(void)
{
}

void dmb_ish(void)
{
}

void isb(void)
{
}

void sev(void)
{
}

/* The idle loop sleeps: return at once if an interrupt waits, else leave to the test. */
void wfi(void)
{
	if (!fake_irq_waiting(cur))
		fake_exit(FAKE_EXIT_IDLE);
}

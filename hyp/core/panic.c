/*
 * panic() and the register dump of an exception taken in Hyp mode: the
 * hypervisor's own invariant is broken, so the CPU reports what it can and
 * stops.  Other CPUs, and the partitions on them, carry on.
 */
#include <string.h>

#include "arch/sysreg.h"
#include "hyp/arch/hsr.h"
#include "hyp/arch/trap.h"
#include "hyp/core/cpu.h"
#include "hyp/core/fmt.h"
#include "hyp/core/log.h"
#include "hyp/dev/console.h"

static void panic_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void panic_line(const char *fmt, ...)
{
	char buf[190];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_panic_line(buf);
}

/* Tries at the VMID allocator's lock, as console_panic_line's at the console's. */
#define PANIC_LOCK_TRIES 1000000U

/*
 * The last line of a panic, then this CPU stops for good.  It takes no part in VMID
 * generation changes any more: the other CPUs' entries would wait for its flush for ever.
 */
static noreturn void stop_this_cpu(void)
{
	u32 cpu = this_cpu()->index;

	if (!vmid_cpu_stop(&vmid_allocator, cpu, PANIC_LOCK_TRIES))
		panic_line("cpu%u: VMID allocator locked: generation changes will wait for it",
			   cpu);
	panic_line("cpu%u stopped", cpu);
	for (;;)
		__asm__ volatile("cpsid aif\n\twfi");
}

static const char *vector_name(u32 vector)
{
	static const char *const names[8] = {
		"reset",
		"undefined instruction",
		"HVC/SVC in Hyp mode",
		"prefetch abort",
		"data abort",
		"Hyp trap",
		"IRQ",
		"FIQ",
	};

	/* vectors.S passes the entry's offset in the vector table: 0x00-0x1c (ARM ARM B1.8.1). */
	return names[(vector / 4) % ARRAY_SIZE(names)];
}

void panic_dump(const struct regs *r, u32 vector, u32 sp)
{
	/* One format a line, the names in it: four values a call, whatever the line. */
	static const char *const lines[6] = {
		"  HDFAR   0x%08x  HIFAR 0x%08x  HPFAR 0x%08x",
		"  ELR_hyp 0x%08x  SPSR  0x%08x  CPU %u",
		"  r0  0x%08x  r1  0x%08x  r2  0x%08x  r3  0x%08x",
		"  r4  0x%08x  r5  0x%08x  r6  0x%08x  r7  0x%08x",
		"  r8  0x%08x  r9  0x%08x  r10 0x%08x  r11 0x%08x",
		"  r12 0x%08x  sp  0x%08x  lr  0x%08x",
	};
	char desc[160];
	u32 hsr = read_hsr(), cpu = this_cpu()->index;
	u32 v[24], i;

	/* Each line's values; a line of three has a fourth for no one. */
	v[0] = read_hdfar();
	v[1] = read_hifar();
	v[2] = read_hpfar();
	v[4] = read_elr_hyp();
	v[5] = read_spsr();
	v[6] = cpu;
	v[3] = v[7] = v[23] = 0;
	_Static_assert(sizeof(r->r) == 13 * sizeof(u32), "r0-r12 are v[8] to v[20]");
	memcpy(&v[8], r->r, sizeof(r->r));
	v[21] = sp;
	v[22] = r->lr;
	hsr_describe(hsr, desc, sizeof(desc));
	panic_line("PANIC: cpu%u: unexpected exception in Hyp mode: %s (vector 0x%02x)", cpu,
		   vector_name(vector), vector);
	panic_line("  HSR     0x%08x  %s", hsr, desc);
	for (i = 0; i < 24; i += 4)
		panic_line(lines[i / 4], v[i], v[i + 1], v[i + 2], v[i + 3]);
}

noreturn void hyp_unexpected(struct regs *r, u32 vector)
{
	panic_dump(r, vector, (u32)(uintptr_t)r + (u32)sizeof(*r));
	stop_this_cpu();
}

noreturn void panic(const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	__asm__ volatile("cpsid aif");
	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	panic_line("PANIC: cpu%u: %s", this_cpu()->index, buf);
	stop_this_cpu();
}

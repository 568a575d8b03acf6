/*
 * Where every CPU arrives after boot: per-CPU state, cross-CPU requests and
 * the idle loop.
 */
#include "hyp.h"
#include "sysreg.h"
#include "../boot/boot.h"

#define ALL_CPUS_TIMEOUT_MS 2000

struct cpu cpus[PLAT_CPU_COUNT];

u32 cpu_take_requests(struct cpu *c)
{
	return __atomic_exchange_n(&c->requests, 0, __ATOMIC_ACQ_REL);
}

noreturn void cpu_idle(void)
{
	for (;;)
		wfi();
}

static u32 online_count(void)
{
	u32 i, n = 0;

	for (i = 0; i < PLAT_CPU_COUNT; i++)
		n += __atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE) ? 1 : 0;
	return n;
}

void hyp_start_cpu(u32 cpu);

void hyp_start_cpu(u32 cpu)
{
	if (cpu == 0) {
		u64 deadline = boot_counter() + boot_ms_to_ticks(ALL_CPUS_TIMEOUT_MS);

		while (online_count() < PLAT_CPU_COUNT && boot_counter() < deadline)
			cpu_relax_wfe();
		log_info("%u of %u CPUs up in HYP mode", online_count(), PLAT_CPU_COUNT);
#ifdef SELFTEST_HYP_FAULT
		/* A test build: fault in Hyp mode on purpose to show the register dump. */
		log_info("selftest: reading unmapped address 0xfffff000 in Hyp mode");
		(void)*(volatile u32 *)0xfffff000U;
#endif
	}
	cpu_idle();
}

void hyp_trap(struct regs *r)
{
	hyp_unexpected(r, 0x14);
}

void hyp_irq(struct regs *r)
{
	hyp_unexpected(r, 0x18);
}

void hyp_guest_async_abort(struct regs *r)
{
	hyp_unexpected(r, 0x10);
}

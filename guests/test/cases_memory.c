/*
 * Test-guest cases of memory and isolation (issue 3): the partition's own
 * RAM is all there and private; everything else faults.
 */
#include <stdio.h>
#include <string.h>

#include "testguest.h"

extern char __heap_start[];

#define CANARY_WORDS 4096U

static uint32_t canary[CANARY_WORDS];

void tg_hello(void)
{
	char name[32] = "?";
	struct tessera_partition id = { 0 };

	if (tessera_present()) {
		tessera_partition_name(name, sizeof(name));
		tessera_partition_id(&id);
	}
	printf("TG hello: I am partition %u \"%s\", vCPU %u of %u\n", (unsigned)id.id, name,
	       (unsigned)id.vcpu, (unsigned)id.vcpu_count);
	tg_check(tessera_present(), "hello.tessera", "no /hypervisor node in the device tree");
	tg_done();
	tg_heartbeat_loop(tg_arg_u32("period", 200), tg_arg_u32("beats", 0));
}

/* Write and read back every word of RAM the image does not use, with two patterns. */
void tg_memory(void)
{
	uint64_t base = 0, size = 0;
	uintptr_t start = (uintptr_t)__heap_start, end, a;
	uint32_t bad = 0;

	tg_check(fdt_memory(guest_fdt(), &base, &size), "memory.dtb", "no /memory in the DTB");
	end = (uintptr_t)(base + size - GUEST_DTB_RESERVE);
	printf("TG memory: RAM 0x%08x-0x%08x, sweeping 0x%08x-0x%08x\n", (unsigned)base,
	       (unsigned)(base + size), (unsigned)start, (unsigned)end);
	for (a = start; a < end; a += 4)
		*(volatile uint32_t *)a = (uint32_t)a ^ 0x5a5a5a5aU;
	for (a = start; a < end; a += 4)
		if (*(volatile uint32_t *)a != ((uint32_t)a ^ 0x5a5a5a5aU))
			bad++;
	for (a = start; a < end; a += 4)
		*(volatile uint32_t *)a = ~(uint32_t)a;
	for (a = start; a < end; a += 4)
		if (*(volatile uint32_t *)a != ~(uint32_t)a)
			bad++;
	tg_check(bad == 0, "memory.sweep", "%u words read back wrong", (unsigned)bad);
	printf("TG memory: %u KiB written and read back twice\n", (unsigned)((end - start) / 1024));
	tg_done();
	tg_heartbeat_loop(tg_arg_u32("period", 200), tg_arg_u32("beats", 0));
}

/*
 * Sleep in WFI until the virtual timer's deadline, taking its interrupt by
 * polling with IRQs masked (a pending interrupt wakes WFI all the same): no
 * busy-waiting, so an instruction-counted QEMU skips the idle time.
 */
static uint32_t unexpected_told;

void tg_sleep_ms(uint32_t ms)
{
	static bool gic_ready[GUEST_CPU_MAX];
	uint32_t flags = cpu_irq_save(), cpu = cpu_index(), iar;

	if (cpu < GUEST_CPU_MAX && !gic_ready[cpu]) {
		if (cpu == 0)
			gic_init();
		gic_cpu_init();
		gic_ready[cpu] = true;
	}
	gic_irq_enable(27);
	gtimer_virt_arm_at(gtimer_virt_count() + gtimer_ns_to_count((uint64_t)ms * 1000000));
	while (!(gtimer_virt_get_ctl() & BIT(2))) /* ISTATUS */
		cpu_wfi();
	gtimer_virt_stop();
	while (((iar = gic_ack()) & GICC_IAR_INTID) < GIC_INTID_MAX) {
		/* Anything but the timer is said: a heartbeat partition expects no other interrupt. */
		if ((iar & GICC_IAR_INTID) != 27 && unexpected_told < 3) {
			unexpected_told++;
			printf("TG unexpected interrupt %u\n", (unsigned)(iar & GICC_IAR_INTID));
		}
		gic_eoi(iar);
	}
	cpu_irq_restore(flags);
}

/*
 * The heartbeat: every period, check the canary block and the time since the
 * last beat; a beat later than the bound ("late=" in bootargs, in
 * microseconds, default 2000) says so.  Every 50 beats, the worst deviation.
 */
void tg_heartbeat_loop(uint32_t period_ms, uint32_t beats)
{
	uint32_t i, n, worst_us = 0, bound_us = tg_arg_u32("late", 2000);
	uint64_t last;

	for (i = 0; i < CANARY_WORDS; i++)
		canary[i] = i * 2654435761U;
	tg_sleep_ms(1); /* the first call sets up the GIC: not part of any period */
	last = gtimer_virt_count();
	for (n = 1; beats == 0 || n <= beats; n++) {
		uint32_t bad = 0, us;
		uint64_t now, expect = (uint64_t)period_ms * 1000;
		uint64_t took;

		tg_sleep_ms(period_ms);
		now = gtimer_virt_count();
		took = gtimer_count_to_ns(now - last) / 1000;
		last = now;
		us = (uint32_t)(took > expect ? took - expect : expect - took);
		if (us > worst_us)
			worst_us = us;
		for (i = 0; i < CANARY_WORDS; i++)
			if (canary[i] != i * 2654435761U)
				bad++;
		printf("TG heartbeat %u %s\n", (unsigned)n, bad ? "CORRUPT" : "ok");
		if (us > bound_us)
			printf("TG heartbeat %u LATE by %u us\n", (unsigned)n, (unsigned)us);
		if (n % 50 == 0)
			printf("TG heartbeat worst deviation %u us (bound %u us)\n",
			       (unsigned)worst_us, (unsigned)bound_us);
	}
}

void tg_heartbeat(void)
{
	tg_heartbeat_loop(tg_arg_u32("period", 100), tg_arg_u32("beats", 0));
}

struct probe {
	const char *what;
	uintptr_t addr;
};

static bool aborted_at(uintptr_t addr)
{
	struct tg_fault f = tg_fault_take();

	return f.count == 1 && f.kind == EXC_DABT && f.far == addr;
}

/* A read and a write of 'a' must each abort at it; 'bad' plus those that did not. */
static uint32_t must_abort(uintptr_t a, uint32_t bad)
{
	uint32_t before = bad;

	tg_fault_take();
	(void)tg_read32(a);
	bad += !aborted_at(a);
	tg_write32(a, 0x0badc0de);
	bad += !aborted_at(a);
	if (bad != before && !before)
		printf("TG probe: an access to 0x%08x did not abort\n", (unsigned)a);
	return bad;
}

/*
 * Reads and writes where a stage-2 table that maps too much would show: just below the
 * partition's RAM, just past its end, across the next 2 MiB block, and every 16 MiB up to
 * the top of the address space (no fetches: one into memory mapped by mistake runs away).
 * For partitions that have nothing else there.  Returns how many accesses did not abort.
 */
uint32_t tg_probe_beyond_ram(void)
{
	static const uint32_t past_end[] = { 0, 4, 0x1000, 0x1ffffc, 0x200000 };
	uint64_t base = 0, size = 0;
	uint32_t bad = 0, end, i;
	uintptr_t a;

	if (!fdt_memory(guest_fdt(), &base, &size))
		return 1;
	end = (uint32_t)(base + size);
	for (i = 0; i < ARRAY_SIZE(past_end); i++)
		bad = must_abort(end + past_end[i], bad);
	bad = must_abort((uintptr_t)base - 4, bad);
	bad = must_abort((uintptr_t)base - 0x1000, bad);
	for (a = end + 0x1000000U; a > end && a <= 0xff000000U; a += 0x1000000U)
		bad = must_abort(a, bad);
	return bad;
}

/*
 * With fault-policy "inject": every access outside the partition's memory
 * comes back as a synchronous external abort at the address accessed.
 */
void tg_isolation(void)
{
	static const struct probe probes[] = {
		{ "other-partition-ram", 0x54000000 }, { "hypervisor-ram", 0x48000000 },
		{ "hypervisor-ram-end", 0x48fff000 },  { "gic-hyp-interface", 0x08030000 },
		{ "unassigned-device", 0x09010000 },   { "top-of-address-space", 0xfffff000 },
	};
	char check[64];
	uint32_t missed;
	size_t i;

	tg_catch_faults();
	for (i = 0; i < ARRAY_SIZE(probes); i++) {
		struct tg_fault f;
		uint32_t v;

		tg_fault_take();
		v = tg_read32(probes[i].addr);
		f = tg_fault_take();
		snprintf(check, sizeof(check), "isolation.read.%s", probes[i].what);
		tg_check(f.count == 1 && f.kind == EXC_DABT && f.far == probes[i].addr &&
				 v == 0xdeadbeef,
			 check, "faults %u kind %u far 0x%08x value 0x%08x", (unsigned)f.count,
			 (unsigned)f.kind, (unsigned)f.far, (unsigned)v);
		tg_write32(probes[i].addr, 0x12345678);
		f = tg_fault_take();
		snprintf(check, sizeof(check), "isolation.write.%s", probes[i].what);
		tg_check(f.count == 1 && f.kind == EXC_DABT && f.far == probes[i].addr &&
				 (f.fsr & BIT(11)),
			 check, "faults %u kind %u far 0x%08x fsr 0x%x", (unsigned)f.count,
			 (unsigned)f.kind, (unsigned)f.far, (unsigned)f.fsr);
		tg_try_exec(probes[i].addr);
		f = tg_fault_take();
		snprintf(check, sizeof(check), "isolation.exec.%s", probes[i].what);
		tg_check(f.count == 1 && f.kind == EXC_PABT && f.far == probes[i].addr, check,
			 "faults %u kind %u far 0x%08x", (unsigned)f.count, (unsigned)f.kind,
			 (unsigned)f.far);
	}
	missed = tg_probe_beyond_ram();
	tg_check(missed == 0, "isolation.beyond_ram",
		 "%u reads and writes around and above its RAM did not abort", (unsigned)missed);
	tg_done();
	tg_heartbeat_loop(tg_arg_u32("period", 200), tg_arg_u32("beats", 0));
}

/* With fault-policy "stop": touch an address outside the partition once. */
void tg_trespass(void)
{
	uintptr_t addr = tg_arg_u32("addr", 0x54000000);

	printf("TG trespass: writing to 0x%08x\n", (unsigned)addr);
	tg_write32(addr, 0xbad);
	printf("TG trespass: still running after the write: FAIL\n");
	tg_check(false, "trespass.stopped", "the partition was not stopped");
	tg_done();
}

/*
 * An execute-in-place image at IPA 0, mapped read-only and executable:
 * readable, callable, and a write to it comes back as an abort (policy
 * "inject").
 */
void tg_xip(void)
{
	uint32_t (*xip)(void) = (uint32_t(*)(void))(uintptr_t)0;
	struct tg_fault f;
	uint32_t v;

	tg_catch_faults();
	tg_fault_take();
	tg_check(tg_read32(0x100) == 0x21504958, "xip.read", "signature 0x%08x",
		 (unsigned)tg_read32(0x100)); /* "XIP!" */
	v = xip();
	tg_check(v == 0xab2a, "xip.execute", "returned 0x%x", (unsigned)v);
	tg_write32(0x100, 0);
	f = tg_fault_take();
	tg_check(f.count == 1 && f.kind == EXC_DABT && f.far == 0x100, "xip.read_only",
		 "faults %u far 0x%08x", (unsigned)f.count, (unsigned)f.far);
	tg_check(tg_read32(0x100) == 0x21504958, "xip.unchanged", "signature overwritten");
	tg_done();
	tg_heartbeat_loop(tg_arg_u32("period", 100), tg_arg_u32("beats", 0));
}

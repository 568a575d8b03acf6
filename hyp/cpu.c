/*
 * Physical CPUs: bring-up after boot, cross-CPU requests, the idle loop and
 * the physical interrupt dispatcher.
 *
 * A CPU asks another for work by setting a bit in its 'requests' word and
 * sending it SGI 0 (the kick); the target acts on its requests before it
 * re-enters its guest (vcpu_before_entry) or in its idle loop.  IRQs are
 * always masked in Hyp mode: they are taken only while a guest runs (HCR.IMO)
 * or polled by the idle loop after WFI.
 */
#include "hyp.h"
#include "sysreg.h"
#include "../boot/boot.h"
#include "../platform/uart.h"

#define SGI_KICK 0
#define ALL_CPUS_TIMEOUT_MS 2000

struct cpu cpus[PLAT_CPU_COUNT];
struct vmid_alloc vmid_allocator;

void hyp_init_early(void);
void hyp_cpu_online(u32 cpu);
noreturn void hyp_main(void);

/* ---- VMID allocator hooks ------------------------------------------------- */

static void vmid_flush_local(u32 cpu)
{
	UNUSED(cpu);
	tlb_flush_guest_local();
}

static void vmid_request_flush(u32 cpu)
{
	cpu_request(cpu, CPU_REQ_TLB_FLUSH);
}

static void vmid_assigned(u32 owner, u32 vmid, u64 generation)
{
	log_info("VMID %u -> partition %u (%s), generation %llu", vmid, owner,
		 partitions[owner].cfg->name, generation);
}

static void vmid_wrapped(u64 generation)
{
	log_info("VMID space used up: generation %llu, flushing guest TLBs on every CPU",
		 generation);
}

static const struct vmid_ops vmid_hooks = {
	.flush_local = vmid_flush_local,
	.request_flush = vmid_request_flush,
	.assigned = vmid_assigned,
	.wrapped = vmid_wrapped,
};

/* ---- Requests --------------------------------------------------------------- */

void cpu_request(u32 cpu, u32 req)
{
	__atomic_fetch_or(&cpus[cpu].requests, req, __ATOMIC_RELEASE);
	if (cpu != this_cpu()->index)
		gic_send_sgi(cpu, SGI_KICK);
}

void vgic_kick(u32 pcpu)
{
	cpu_request(pcpu, CPU_REQ_VGIC);
}

u32 vgic_this_pcpu(void)
{
	return this_cpu()->index;
}

void vgic_warn(const struct vgic_dist *d, u32 vcpu, const char *what, u32 intid, bool warning)
{
	log_printf(warning ? LOG_WARN : LOG_INFO,
		   "partition %u (%s) vCPU %u: %s (INTID %u), ignored (reported once)",
		   d->partition, d->name, vcpu, what, intid);
}

/* ---- The Hyp timer ---------------------------------------------------------- */

/*
 * The hypervisor's own timer (CNTHP, PPI 26), never a guest's.  It serves
 * two things on a CPU that runs a guest: flushing a partial console line the
 * guest has left without a newline for too long (a prompt, an echo), and the
 * QEMU GIC workaround described at PLAT_GIC_REPOKE_MS (a periodic interrupt
 * makes the GIC model look at pending interrupts again), which runs only on
 * QEMU's GIC (gic_is_emulated) unless GIC_REPOKE_MS= on the make command line
 * forces it on or off.
 */
#define PARTIAL_LINE_MS 50

#ifdef PLAT_GIC_REPOKE_FORCED
#define REPOKE_FORCED true /* make GIC_REPOKE_MS=<n>: on every GIC, never if 0 */
#else
#define REPOKE_FORCED false
#endif

static bool repoke_on; /* set once by hyp_init_early */

static u64 repoke_deadline(u64 now)
{
#if PLAT_GIC_REPOKE_MS > 0
	if (repoke_on)
		return now + boot_ms_to_ticks(PLAT_GIC_REPOKE_MS);
#endif
	UNUSED(now);
	return ~0ULL;
}

static void hyp_timer_program(u64 deadline)
{
	struct cpu *c = this_cpu();

	c->hyp_timer_deadline = deadline;
	if (deadline == ~0ULL) {
		write_cnthp_ctl(0);
		return;
	}
	write64_cnthp_cval(deadline);
	write_cnthp_ctl(CNT_CTL_ENABLE);
	isb();
}

void hyp_timer_start(void)
{
	hyp_timer_program(repoke_deadline(boot_counter()));
	gic_irq_enable(GIC_PPI_HYP_TIMER, true);
}

void hyp_timer_stop(void)
{
	hyp_timer_program(~0ULL);
	gic_irq_enable(GIC_PPI_HYP_TIMER, false);
}

void hyp_timer_flush_line_later(void)
{
	u64 when = boot_counter() + boot_ms_to_ticks(PARTIAL_LINE_MS);

	if (when < this_cpu()->hyp_timer_deadline)
		hyp_timer_program(when);
}

static void hyp_timer_expired(struct vcpu *v)
{
	u64 now = boot_counter(), next = repoke_deadline(now);

	if (v && vuart_flush_stale(v->part, boot_ms_to_ticks(PARTIAL_LINE_MS)))
		next = MIN(next, now + boot_ms_to_ticks(PARTIAL_LINE_MS));
	hyp_timer_program(next);
}

/* ---- Interrupts ---------------------------------------------------------- */

/* Acknowledge and handle every pending physical interrupt on this CPU. */
static void irq_dispatch(struct vcpu *v)
{
	for (;;) {
		u32 iar = gic_ack(), intid = iar & GICC_IAR_INTID;

		if (intid >= GIC_INTID_SPURIOUS - 3)
			return; /* 1020-1023: nothing (more) pending */
		if (intid < GIC_SGI_COUNT) {
			/* A kick: the requests word says what to do. */
		} else if (intid == GIC_PPI_MAINTENANCE) {
			/* LRs freed up (underflow) or an emulated level line was EOId: resync now, */
			/* which also clears the condition before the next acknowledge. */
			if (v) {
				v->vgic.dirty = true;
				vgic_flush(&v->part->vgic, &v->vgic);
			}
		} else if (intid == PLAT_UART_IRQ) {
			console_irq();
		} else if (intid == GIC_PPI_HYP_TIMER) {
			hyp_timer_expired(v);
		} else if (v && vgic_inject_hw(&v->part->vgic, &v->vgic, intid)) {
			/*
			 * A partition's interrupt: it stays active until the guest's EOI
			 * deactivates it.  Back to the guest at once; anything else
			 * pending brings us back.
			 */
			gic_priority_drop(iar);
			return;
		} else {
			gic_irq_enable(intid, false);
			log_warn("cpu%u: unexpected interrupt %u disabled", this_cpu()->index,
				 intid);
		}
		gic_priority_drop(iar);
		gic_deactivate(iar);
	}
}

void hyp_irq_handle(struct regs *r)
{
	UNUSED(r);
	irq_dispatch(this_cpu()->vcpu);
}

void hyp_irq(struct regs *r)
{
	hyp_irq_handle(r);
	vcpu_before_entry(this_cpu()->vcpu);
}

/* ---- Idle ------------------------------------------------------------------- */

noreturn void hyp_run_below_frame(void (*fn)(void), struct regs *frame);

static noreturn void idle_loop(void)
{
	struct cpu *c = this_cpu();

	for (;;) {
		u32 req = __atomic_exchange_n(&c->requests, 0, __ATOMIC_ACQ_REL);

		if (req & CPU_REQ_TLB_FLUSH)
			vmid_handle_flush_request(&vmid_allocator, c->index);
		if ((req & CPU_REQ_VCPU_START) && c->vcpu)
			vcpu_start(c->vcpu); /* returns only if there was nothing to start */
		if (!__atomic_load_n(&c->requests, __ATOMIC_ACQUIRE))
			wfi(); /* wakes on a pending interrupt even with IRQs masked */
		irq_dispatch(NULL);
	}
}

noreturn void cpu_idle(void)
{
	hyp_run_below_frame(idle_loop, cpu_frame(this_cpu()->index));
}

/* ---- Bring-up ---------------------------------------------------------------- */

void hyp_init_early(void)
{
	gic_init();
	repoke_on = REPOKE_FORCED ? PLAT_GIC_REPOKE_MS > 0 : gic_is_emulated();
	if (repoke_on)
		log_info("GIC: %s, %u ms re-evaluation tick on%s",
			 gic_is_emulated() ? "QEMU's model detected" : "not QEMU's model",
			 (u32)PLAT_GIC_REPOKE_MS, REPOKE_FORCED ? " (GIC_REPOKE_MS)" : "");
	else
		log_info("GIC: %s, re-evaluation tick off%s",
			 gic_is_emulated() ? "QEMU's model detected" : "not QEMU's model",
			 REPOKE_FORCED ? " (GIC_REPOKE_MS=0)" : "");
	vmid_init(&vmid_allocator, VMID_BITS, PLAT_CPU_COUNT, &vmid_hooks);
}

void hyp_cpu_online(u32 cpu)
{
	gic_cpu_init();
	if (cpu == 0) {
		/* The console UART interrupts the boot CPU (its GIC CPU mask is known now). */
		gic_irq_route(PLAT_UART_IRQ, 0);
		gic_irq_enable(PLAT_UART_IRQ, true);
	}
	vmid_cpu_online(&vmid_allocator, cpu);
	__atomic_store_n(&cpus[cpu].online, true, __ATOMIC_RELEASE);
	cpu_sev();
}

static u32 online_count(void)
{
	u32 i, n = 0;

	for (i = 0; i < PLAT_CPU_COUNT; i++)
		n += __atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE) ? 1 : 0;
	return n;
}

noreturn void hyp_main(void)
{
	u64 deadline = boot_counter() + boot_ms_to_ticks(ALL_CPUS_TIMEOUT_MS);

	while (online_count() < PLAT_CPU_COUNT && boot_counter() < deadline)
		cpu_relax_wfe();
	log_info("%u of %u CPUs up in HYP mode", online_count(), PLAT_CPU_COUNT);
#ifdef SELFTEST_HYP_FAULT
	/* A test build: fault in Hyp mode on purpose to show the register dump. */
	log_info("selftest: reading unmapped address 0xfffff000 in Hyp mode");
	(void)*(volatile u32 *)0xfffff000U;
#endif
	partitions_init();
	cpu_idle();
}

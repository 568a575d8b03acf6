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
#include "arch/sysreg.h"
#include "hyp/arch/trap.h"
#include "hyp/core/cpu.h"
#include "hyp/core/log.h"
#include "hyp/core/partition.h"
#include "hyp/core/stats.h"
#include "hyp/core/timer.h"
#include "hyp/dev/console.h"
#include "mm/mm.h"
#include "platform.h"
#include "vgic/vgic.h"

#define SGI_KICK VGIC_IPI_SGI

struct cpu cpus[PLAT_CPU_COUNT];
u8 hyp_stacks[PLAT_CPU_COUNT][HYP_STACK_SIZE] __attribute__((aligned(16)));

struct regs *cpu_frame(u32 cpu)
{
	return (struct regs *)(void *)(hyp_stacks[cpu] + HYP_STACK_SIZE - sizeof(struct regs));
}
struct vmid_alloc vmid_allocator;

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

static const struct vmid_ops vmid_hooks = {
	.flush_local = vmid_flush_local,
	.request_flush = vmid_request_flush,
	/*
	 * No observers: they run under the allocator's lock, which every
	 * partition's CPUs share, and a log line may wait for the console.  A
	 * partition's start line says which VMID and generation it took.
	 */
	.assigned = NULL,
	.wrapped = NULL,
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

void vgic_ipi(u32 pcpu)
{
	gic_send_sgi(pcpu, SGI_KICK);
}

u32 vgic_this_pcpu(void)
{
	return this_cpu()->index;
}
_Static_assert(offsetof(struct cpu, index) == 4,
	       "vgic/vgic.h's vgic_this_pcpu_inline reads the CPU's number at HTPIDR");

void vgic_warn(const struct vgic_dist *d, u32 vcpu, const char *what, u32 intid)
{
	log_warn("partition %u (%s) vCPU %u: %s (INTID %u), ignored (reported once)", d->partition,
		 d->name, vcpu, what, intid);
}

/* ---- Interrupts ---------------------------------------------------------- */

/* Acknowledge and handle every pending physical interrupt on this CPU. */
/* Off the hot path: nothing on the interrupt path pays for the message's arguments. */
static __attribute__((noinline, cold)) void irq_unexpected(u32 intid)
{
	gic_irq_enable(intid, false);
	log_warn("cpu%u: unexpected interrupt %u disabled", this_cpu()->index, intid);
}

/*
 * On a CPU whose vCPU is off, a passthrough SPI of its partition: an instance the distributor
 * forwarded here before the route that took it away (vgic_cpu_stop) reached it.  Nothing
 * bounds that against this CPU interface's acknowledge: the GIC withdraws a retargeted
 * pending interrupt from a CPU interface once the change has taken effect (GIC spec 4.3.12;
 * 3.2.5, the acknowledge then reads spurious), and ARM ARM A3.8.2 orders Device accesses to
 * one peripheral only (GICD and GICC are two).  Handed back to the distributor
 * (vgic_hw_orphan), not disabled: the guest still has it enabled, and would never see it
 * again.  QEMU's GIC applies the change at once, so only a board shows it.
 */
static __attribute__((noinline, cold)) bool irq_orphan(u32 intid)
{
	const struct vcpu *mine = this_cpu()->vcpu;

	return mine && vgic_hw_orphan(&mine->part->vgic, intid);
}

/*
 * A kick (an SGI from another CPU), acknowledged as 'iar': counted, completed, and, on a CPU
 * running vCPU 'v', what was sent to it taken from its inbox.  The requests word says the
 * rest, on the way out.
 */
static inline void kick_taken(struct vcpu *v, u32 iar)
{
	gic_priority_drop(iar);
	gic_deactivate(iar);
	/*
	 * What the sender posted before its SGI (the inbox, the requests word read on the way
	 * out) is read after the acknowledge: without a barrier a load may be performed before
	 * GICC_IAR's (A3.8.3; a branch on the IAR does not order them), see the word as before
	 * the post, and leave it set with no SGI to come.  As Linux's gic_handle_irq does.
	 */
	dmb_ish();
	if (v)
		vgic_inbox_drain(&v->vgic);
}

/* Interrupt 'iar' (acknowledged) and every other pending one. */
static void irq_dispatch(struct vcpu *v, u32 iar)
{
	for (;; iar = gic_ack()) {
		u32 intid = iar & GICC_IAR_INTID;

		if (intid >= GIC_INTID_SPURIOUS - 3)
			return; /* 1020-1023: nothing (more) pending */
		if (intid < GIC_SGI_COUNT) {
			/* Back at once: anything else pending brings us back (as for an injection). */
			this_cpu()->stats.count[STATS_KICKS]++;
			kick_taken(v, iar);
			if (v)
				return;
			continue; /* the idle loop: look again */
		} else if (v && vgic_inject_hw(&v->part->vgic, &v->vgic, intid)) {
			/*
			 * A partition's interrupt (never one of the hypervisor's own, which no
			 * partition owns): it stays active until the guest's EOI deactivates
			 * it.  Back to the guest at once; anything else pending brings us back.
			 */
			gic_priority_drop(iar);
			return;
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
		} else if (v || !irq_orphan(intid)) {
			irq_unexpected(intid);
		}
		gic_priority_drop(iar);
		gic_deactivate(iar);
	}
}

/*
 * The first interrupt's two common cases are taken here, without irq_dispatch's frame
 * (make bench): a kick to a CPU running a vCPU (SGIs and doorbells between vCPUs: its inbox
 * drained) and a partition's own interrupt (timers, passthrough SPIs).
 */
void hyp_irq_handle(struct regs *r)
{
	struct cpu *c = this_cpu();
	struct vcpu *v = c->vcpu;
	u32 iar = gic_ack();

	UNUSED(r);
	/* INTIDs 0-15 are the ones with bits 4-9 clear (1020-1023 are not). */
	if (v && !(iar & GICC_IAR_INTID & ~(GIC_SGI_COUNT - 1U))) {
		c->stats.count[STATS_IRQ_KICK]++; /* an interrupt and a kick, counted once */
		kick_taken(v, iar);
		return;
	}
	c->stats.count[STATS_IRQ]++;
	if (v && vgic_inject_hw(&v->part->vgic, &v->vgic, iar & GICC_IAR_INTID)) {
		gic_priority_drop(iar);
		return;
	}
	irq_dispatch(v, iar);
}

/* ---- Idle ------------------------------------------------------------------- */

static noreturn void idle_loop(void)
{
	struct cpu *c = this_cpu();

	for (;;) {
		u32 req = __atomic_exchange_n(&c->requests, 0, __ATOMIC_ACQ_REL);

		if (req & CPU_REQ_TLB_FLUSH)
			vmid_handle_flush_request(&vmid_allocator, c->index);
		if ((req & CPU_REQ_PART_BOOT) && c->vcpu)
			partition_boot(c->vcpu->part);
		if ((req & CPU_REQ_PART_START) && c->vcpu)
			partition_start(c->vcpu->part);
		if ((req & CPU_REQ_VCPU_START) && c->vcpu)
			vcpu_start(c->vcpu); /* returns only if there was nothing to start */
		if (c->vcpu) /* a doorbell rung to it as it switched off goes on */
			vgic_inbox_parked(&c->vcpu->part->vgic, &c->vcpu->vgic);
		stats_cpu_snapshot(); /* for stats_report() on another CPU */
		if (!__atomic_load_n(&c->requests, __ATOMIC_ACQUIRE))
			stats_idle_wfi(c); /* wakes on a pending interrupt even with IRQs masked */
		irq_dispatch(NULL, gic_ack());
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
	hyp_timer_init();
	vmid_init(&vmid_allocator, VMID_BITS, PLAT_CPU_COUNT, &vmid_hooks);
}

void hyp_cpu_online(u32 cpu)
{
	gic_cpu_init();
	stats_cpu_init();
	if (cpu == CONSOLE_CPU) {
		/* The console UART interrupts the boot CPU (its GIC CPU mask is known now). */
		gic_irq_route(PLAT_UART_IRQ, CONSOLE_CPU);
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

/* After boot_main's start of the secondaries: each is up, halted at a check or timed out. */
noreturn void hyp_main(void)
{
	timer_wfe_bounded(false);
	log_info("%u of %u CPUs up in HYP mode", online_count(), PLAT_CPU_COUNT);
#ifdef SELFTEST_HYP_FAULT
	/* A test build: fault in Hyp mode on purpose to show the register dump. */
	log_info("selftest: reading unmapped address 0xfffff000 in Hyp mode");
	(void)*(volatile u32 *)0xfffff000U;
#endif
#ifdef SELFTEST_STORE_WRITE
	/* A test build: the image store is read-only to the hypervisor too (boot/mmu.c). */
	log_info("selftest: writing the image store at 0x%08llx in Hyp mode", cfg_system.store_pa);
	*(volatile u32 *)(uintptr_t)cfg_system.store_pa = 0;
#endif
	partitions_init();
	cpu_idle();
}

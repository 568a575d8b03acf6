/*
 * The host system of fuzz_sys.h: booting it, running its CPUs, and the
 * invariants checked after every step.
 */
#include <string.h>

#include "fuzz_sys.h"
#include "vgic_check.h"
#include "boot/boot.h"

struct sys sys;

/* From hyp/core/cpu.c, for the boot sequence boot/boot.c runs on the target. */
void hyp_init_early(void);
void hyp_cpu_online(u32 cpu);

#define GUARD_PA FAKE_UNOWNED_PA /* RAM no partition owns: must never change */
#define GUARD_SIZE (FAKE_STORE_PA - FAKE_UNOWNED_PA) /* the image store follows */
#define GUARD_BYTE 0xa5

#define MAX_ACKED 8
static u32 acked[SYS_CPUS][MAX_ACKED];
static u32 acked_count[SYS_CPUS];

/* ---- Running the hypervisor on a CPU ---------------------------------------- */

static void idle_entry(struct regs *r)
{
	UNUSED(r);
	cpu_idle();
}

static bool on_stack[SYS_CPUS]; /* in the hypervisor, perhaps waiting for other CPUs */

/* Call a hypervisor entry point on 'cpu'; it ends in its guest or asleep in the idle loop. */
void sys_enter(u32 cpu, void (*fn)(struct regs *))
{
	jmp_buf jb;
	jmp_buf *saved = fake_exit_point;
	u32 caller = fake_arch_cpu();
	int how;

	FUZZ_CHECK(!on_stack[cpu], "cpu%u entered the hypervisor twice", cpu);
	on_stack[cpu] = true;
	fake_arch_set_cpu(cpu);
	fake_set_cpu(cpu);
	fake_exit_point = &jb;
	how = setjmp(jb);
	if (how == 0) {
		fn(cpu_frame(cpu));
		/* hyp/arch/vectors.S on the way back: anything to do first is a request bit. */
		if (__atomic_load_n(&cpus[cpu].requests, __ATOMIC_ACQUIRE))
			hyp_exit_slow();
		how = FAKE_EXIT_GUEST; /* ERET into the guest */
	}
	fake_exit_point = saved;
	if (fake_verbose)
		fprintf(stderr, "sys: cpu%u %s -> %s (requests 0x%x)\n", cpu,
			fn == hyp_trap	 ? "trap" :
			fn == hyp_irq	 ? "irq" :
			fn == idle_entry ? "idle" :
					   "call",
			how == FAKE_EXIT_GUEST ? "guest" : "idle", cpus[cpu].requests);
	on_stack[cpu] = false;
	fake_arch_set_cpu(caller);
	fake_set_cpu(caller);
	sys.state[cpu] = how == FAKE_EXIT_GUEST ? SYS_GUEST : SYS_IDLE;
	if (sys.state[cpu] == SYS_IDLE)
		acked_count[cpu] = 0; /* the guest's view of its interrupts went with it */
	sys.steps++;
}

struct vcpu *sys_guest_vcpu(u32 cpu)
{
	return sys.state[cpu] == SYS_GUEST ? cpus[cpu].vcpu : NULL;
}

void sys_trap(u32 cpu)
{
	sys_enter(cpu, hyp_trap);
}

void sys_irq(u32 cpu)
{
	sys_enter(cpu, hyp_irq);
}

void sys_async_abort(u32 cpu)
{
	sys_enter(cpu, hyp_async_abort);
}

void sys_idle(u32 cpu)
{
	sys_enter(cpu, idle_entry);
}

void sys_interrupt(u32 cpu)
{
	sys_enter(cpu, sys.state[cpu] == SYS_GUEST ? hyp_irq : idle_entry);
}

/*
 * A CPU that waits for the others (a VMID generation change: every CPU must
 * flush first) lets them run, as they would on the hardware meanwhile: each
 * one not itself inside the hypervisor acts on its interrupts and requests.
 * The system targets link with -Wl,--wrap=vmid_prepare_entry, the call
 * hyp/core/vcpu.c repeats while it waits.
 */
enum vmid_status __real_vmid_prepare_entry(struct vmid_alloc *a, struct vmid *v, u32 cpu);
enum vmid_status __wrap_vmid_prepare_entry(struct vmid_alloc *a, struct vmid *v, u32 cpu);

enum vmid_status __wrap_vmid_prepare_entry(struct vmid_alloc *a, struct vmid *v, u32 cpu)
{
	static u32 waits;
	enum vmid_status status = __real_vmid_prepare_entry(a, v, cpu);
	u32 c;

	if (status == VMID_READY) {
		waits = 0;
		return status;
	}
	FUZZ_CHECK(++waits < 10000, "cpu%u waits for a VMID generation change that never ends",
		   cpu);
	for (c = 0; c < SYS_CPUS; c++) {
		if (on_stack[c] || sys.state[c] == SYS_OFFLINE)
			continue;
		if (fake_irq_queued(c))
			sys_interrupt(c);
		else if (sys.state[c] == SYS_IDLE &&
			 __atomic_load_n(&cpus[c].requests, __ATOMIC_ACQUIRE))
			sys_enter(c, idle_entry);
	}
	return status;
}

/*
 * No line goes to the console while a CPU holds the VMID allocator's lock,
 * which every partition's CPUs share (issue 14).  The system targets link with
 * -Wl,--wrap=console_hyp_line,--wrap=console_guest_line.
 */
static void vmid_lock_free(const char *text, size_t len)
{
	FUZZ_CHECK(__atomic_load_n(&vmid_allocator.lock.next, __ATOMIC_RELAXED) ==
			   __atomic_load_n(&vmid_allocator.lock.owner, __ATOMIC_RELAXED),
		   "a console line with the VMID allocator's lock held: %.*s", (int)len, text);
}

void __real_console_hyp_line(const char *text, size_t len, bool routine);
void __wrap_console_hyp_line(const char *text, size_t len, bool routine);
void __real_console_guest_line(u32 part, const char *text, size_t len, u32 escaped, u32 piece);
void __wrap_console_guest_line(u32 part, const char *text, size_t len, u32 escaped, u32 piece);

void __wrap_console_hyp_line(const char *text, size_t len, bool routine)
{
	vmid_lock_free(text, len);
	__real_console_hyp_line(text, len, routine);
}

void __wrap_console_guest_line(u32 part, const char *text, size_t len, u32 escaped, u32 piece)
{
	vmid_lock_free(text, len);
	__real_console_guest_line(part, text, len, escaped, piece);
}

/*
 * Once every CPU has acted on its interrupts and requests, what was asked has
 * happened: a vCPU that is ON runs, a partition that is not running has no
 * vCPU ON, and one that runs has at least one.
 */
static void check_settled(void)
{
	u32 i, j;

	for (i = 0; i < CFG_PARTITION_COUNT; i++) {
		const struct partition *p = &partitions[i];

		FUZZ_CHECK(p->state == PART_RUNNING ? p->vcpus_on > 0 : p->vcpus_on == 0,
			   "%s: state %u with %u vCPUs on, after every CPU acted", p->cfg->name,
			   p->state, p->vcpus_on);
		/* A restart or a stop under way is finished: none shows "restarting" for ever. */
		FUZZ_CHECK(!p->restart_pending && !p->loading && !p->parking && !p->stop_after_load,
			   "%s: restart pending %d, loading %d, parking %d, stop after load %d, "
			   "after every CPU acted",
			   p->cfg->name, p->restart_pending, p->loading, p->parking,
			   p->stop_after_load);
		for (j = 0; j < p->cfg->cpu_count; j++) {
			const struct vcpu *v = p->vcpus[j];

			FUZZ_CHECK(v->power != VCPU_ON || sys.state[v->cpu] == SYS_GUEST,
				   "%s vCPU %u is ON but cpu%u idles, after every CPU acted",
				   p->cfg->name, j, v->cpu);
			if (v->power == VCPU_ON)
				vgic_check_waiting(v->cpu, &p->vgic, &v->vgic);
		}
	}
}

void sys_settle(void)
{
	u32 round, c;

	for (round = 0; round < 64; round++) {
		bool progress = false;

		for (c = 0; c < SYS_CPUS; c++) {
			if (sys.state[c] == SYS_OFFLINE)
				continue;
			/* The GIC raises the maintenance interrupt while its condition holds. */
			if (sys.state[c] == SYS_GUEST && fake_maintenance(c) &&
			    fake_phys(c, GIC_PPI_MAINTENANCE)->enabled)
				fake_irq_raise(c, GIC_PPI_MAINTENANCE);
			if (fake_irq_queued(c)) {
				sys_interrupt(c);
				progress = true;
			} else if (sys.state[c] == SYS_IDLE &&
				   __atomic_load_n(&cpus[c].requests, __ATOMIC_ACQUIRE)) {
				sys_idle(c);
				progress = true;
			}
		}
		if (!progress) {
			check_settled();
			return;
		}
	}
	FUZZ_CHECK(false, "CPUs still interrupt each other after %u rounds", round);
}

/* ---- Guest address translation -------------------------------------------------- */

static u64 ats(u32 cpu, const char *op, u32 va)
{
	bool stage1 = !strcmp(op, "ats1cpr"), write = !strcmp(op, "ats12nsopw");
	struct vcpu *v = cpus[cpu].vcpu;
	const struct cfg_partition *cfg;
	u32 i;

	for (i = sys.ats_count; i-- > 0;)
		if (sys.ats[i].va_page == (va & ~0xfffU) && sys.ats[i].stage1_only == stage1)
			return sys.ats[i].par;
	/* The guest's MMU is off: VA = IPA, then its stage 2. */
	if (stage1)
		return PAR_LPAE | (va & ~0xfffULL);
	if (!v)
		return PAR_F;
	cfg = v->part->cfg;
	for (i = 0; i < cfg->region_count; i++) {
		const struct cfg_region *r = &cfg->regions[i];

		if (va >= r->ipa && va - r->ipa < r->size) {
			if (!(r->access & (write ? CFG_ACCESS_W : CFG_ACCESS_R)))
				return PAR_F | (FSC_PERMISSION + 3) << 1;
			return PAR_LPAE | ((r->pa + (va - r->ipa)) & ~0xfffULL);
		}
	}
	return PAR_F | (FSC_TRANSLATION + 1) << 1;
}

u64 sys_translate(u32 cpu, const char *op, u32 va)
{
	u64 par = ats(cpu, op, va);

	if (par & PAR_F)
		return ~0ULL;
	return ((par & PAR_LPAE) ? (par & PAR_PA_MASK) : (par & 0xfffff000ULL)) | (va & 0xfff);
}

/* ---- Boot --------------------------------------------------------------------- */

u32 sys_offline_cpus;
bool sys_store_corrupt;
bool sys_gpio;
void (*sys_after_init)(void);

void sys_reset(u32 lr_count, const u32 policy[CFG_PARTITION_COUNT])
{
	u32 c, i;

	/* The vCPUs live in partition.c's static storage: reach them through the CPUs. */
	for (c = 0; c < SYS_CPUS; c++)
		if (cpus[c].vcpu)
			memset(cpus[c].vcpu, 0, sizeof(*cpus[c].vcpu));
	memset(cpus, 0, sizeof(cpus));
	memset(partitions, 0, sizeof(struct partition) * CFG_PARTITION_COUNT);
	memset(&sys, 0, sizeof(sys));
	memset(acked_count, 0, sizeof(acked_count));

	fake_arch_reset();
	fake_platform_reset();
	fake_gic_reset(lr_count);
	fake_config_reset();
	if (sys_store_corrupt)
		*(u8 *)fake_ram(FAKE_STORE_PA, 1) ^= 1;
	sys_store_corrupt = false;
	if (sys_gpio)
		fake_config_use_gpio();
	sys_gpio = false;
	for (i = 0; i < CFG_PARTITION_COUNT; i++)
		fake_config_set_policy(i, policy[i] & 3, (policy[i] >> 2) & 3,
				       (policy[i] >> 4) * 250);
	memset(fake_ram(GUARD_PA, GUARD_SIZE), GUARD_BYTE, GUARD_SIZE);
	fake_arch_set_ats(ats);

	/* What boot/boot.c does on each CPU, then hyp_main() on the boot CPU. */
	for (c = 0; c < SYS_CPUS; c++) {
		cpus[c].index = c;
		cpus[c].mpidr = BIT(31) | c;
	}
	fake_arch_set_cpu(0);
	fake_set_cpu(0);
	console_init();
	hyp_init_early();
	for (c = 0; c < SYS_CPUS; c++) {
		if (sys_offline_cpus & BIT(c)) {
			sys.state[c] = SYS_OFFLINE;
			continue;
		}
		fake_arch_set_cpu(c);
		fake_set_cpu(c);
		hyp_cpu_online(c);
	}
	sys_offline_cpus = 0;
	fake_arch_set_cpu(0);
	fake_set_cpu(0);
	partitions_init();
	if (sys_after_init)
		sys_after_init();
	sys_after_init = NULL;
	for (c = 0; c < SYS_CPUS; c++)
		if (sys.state[c] != SYS_OFFLINE)
			sys_idle(c);
	sys_settle();
	sys_check();
}

void sys_reset_from(struct fin *f)
{
	static const u32 lrs[] = { 4, 1, 2, 16, 3, 8, 4, 4 };
	u32 policy[CFG_PARTITION_COUNT], i;

	u8 sel;

	for (i = 0; i < CFG_PARTITION_COUNT; i++)
		policy[i] = fin_u8(f);
	sel = fin_u8(f);
	sys_gpio = sel & 0x80; /* the doorbells through PL061s */
	sys_reset(lrs[sel % ARRAY_SIZE(lrs)], policy);
}

/* ---- Invariants ----------------------------------------------------------------- */

/* HCR bits no guest may run without (hyp/core/vcpu.c HCR_GUEST: its containment). */
#define HCR_CONTAINMENT                                                                            \
	(HCR_VM | HCR_SWIO | HCR_PTW | HCR_FMO | HCR_IMO | HCR_AMO | HCR_TSC | HCR_TIDCP |         \
	 HCR_TAC | HCR_TSW)

/* What the hardware would run the guest with on 'cpu': its mode, traps and stage 2. */
static void check_guest_entry(u32 c, const struct vcpu *v)
{
	u32 mode = (u32)*fake_reg_on(c, "spsr") & PSR_MODE_MASK, d;
	u64 vttbr = *fake_reg_on(c, "vttbr");
	u32 vmid = (u32)(vttbr >> VTTBR_VMID_SHIFT) & 0xff;

	FUZZ_CHECK(mode == PSR_MODE_USR || mode == PSR_MODE_FIQ || mode == PSR_MODE_IRQ ||
			   mode == PSR_MODE_SVC || mode == PSR_MODE_ABT || mode == PSR_MODE_UND ||
			   mode == PSR_MODE_SYS,
		   "cpu%u returns to its guest in mode 0x%x", c, mode);
	FUZZ_CHECK((*fake_reg_on(c, "hcr") & HCR_CONTAINMENT) == HCR_CONTAINMENT,
		   "cpu%u runs its guest with HCR 0x%llx", c, *fake_reg_on(c, "hcr"));
	FUZZ_CHECK(vttbr == s2_vttbr(v->part->s2.root_pa, v->part->vmid.id) && vmid != 0,
		   "cpu%u runs %s with VTTBR 0x%llx, its stage 2 is 0x%llx with VMID %u", c,
		   v->part->cfg->name, vttbr, v->part->s2.root_pa, v->part->vmid.id);
	for (d = 0; d < c; d++) {
		const struct vcpu *w = cpus[d].vcpu;
		u32 other = (u32)(*fake_reg_on(d, "vttbr") >> VTTBR_VMID_SHIFT) & 0xff;

		if (sys.state[d] == SYS_GUEST && w->part != v->part)
			FUZZ_CHECK(other != vmid, "cpu%u (%s) and cpu%u (%s) both run VMID %u", c,
				   v->part->cfg->name, d, w->part->cfg->name, vmid);
	}
}

/*
 * The hypervisor's own PMU counter (the last, HDCR.HPMN: stats.c) is out of the guests' reach
 * (cp15.c, pmu_access): no write to a counter mask names it, and PMCR.P, which from Hyp mode
 * would reset it, is never written.  The fake keeps each register's last write per CPU.
 */
static void check_pmu(u32 c)
{
	static const char *const masks[] = { "pmcntenclr", "pmintenset", "pmintenclr",
					     "pmovsr",	   "pmovsset",	 "pmswinc" };
	static u64 *reg[SYS_CPUS][ARRAY_SIZE(masks) + 2]; /* stable: the fake's static array */
	u32 i, hyp;

	if (!reg[c][0]) {
		for (i = 0; i < ARRAY_SIZE(masks); i++)
			reg[c][i] = fake_reg_on(c, masks[i]);
		reg[c][i++] = fake_reg_on(c, "hdcr");
		reg[c][i] = fake_reg_on(c, "pmcr");
	}
	hyp = (u32)*reg[c][ARRAY_SIZE(masks)] & HDCR_HPMN_MASK;
	for (i = 0; i < ARRAY_SIZE(masks); i++)
		FUZZ_CHECK(!(*reg[c][i] & BIT(hyp)), "cpu%u: %s 0x%llx names Hyp's counter %u", c,
			   masks[i], *reg[c][i], hyp);
	FUZZ_CHECK(!(*reg[c][ARRAY_SIZE(masks) + 1] & PMCR_P), "cpu%u: PMCR 0x%llx with P", c,
		   *reg[c][ARRAY_SIZE(masks) + 1]);
}

void sys_check(void)
{
	u32 c, i;

	for (c = 0; c < SYS_CPUS; c++) {
		struct vcpu *v = cpus[c].vcpu;

		if (sys.state[c] == SYS_GUEST) {
			FUZZ_CHECK(v && v->power == VCPU_ON && !v->start_pending,
				   "cpu%u runs a guest with its vCPU %s", c,
				   !v		       ? "absent" :
				   v->power != VCPU_ON ? "off" :
							 "not started");
			check_guest_entry(c, v);
		}
		vgic_check_lrs(c, v ? &v->part->vgic : NULL,
			       v && sys.state[c] == SYS_GUEST ? &v->vgic : NULL);
		check_pmu(c);
	}
	for (i = 0; i < CFG_PARTITION_COUNT; i++) {
		const struct partition *p = &partitions[i];
		u32 on = 0, j;

		for (j = 0; j < p->cfg->cpu_count; j++)
			on += p->vcpus[j]->power == VCPU_ON;
		FUZZ_CHECK(on == p->vcpus_on, "%s: %u vCPUs on, vcpus_on %u", p->cfg->name, on,
			   p->vcpus_on);
		FUZZ_CHECK(p->state <= PART_HALTED, "%s: state %u", p->cfg->name, p->state);
		vgic_check_spis(&p->vgic);
	}
}

void sys_finish(void)
{
	const u8 *guard = fake_ram(GUARD_PA, GUARD_SIZE);
	u32 i;

	sys_settle();
	sys_check();
	for (i = 0; i < GUARD_SIZE; i++)
		FUZZ_CHECK(guard[i] == GUARD_BYTE, "memory no partition owns changed at PA 0x%llx",
			   GUARD_PA + i);
	if (sys.console_used) {
		/*
		 * Leave the console monitor idle and the log level as they were at the start
		 * (both outlive a reset): Ctrl-C ends whatever the monitor is in, a command, its
		 * argument or an escape sequence.
		 */
		static const u8 cancel = 0x03;

		fake_uart_rx(&cancel, 1);
		fake_irq_raise(0, PLAT_UART_IRQ);
		sys_interrupt(0);
		log_level = LOG_INFO;
		sys.console_used = false;
	}
}

/* ---- Steps -------------------------------------------------------------------- */

void sys_set_trap_regs(u32 cpu, u32 hsr, u32 far, u32 hpfar, u32 elr, u32 spsr)
{
	*fake_reg_on(cpu, "hsr") = hsr;
	*fake_reg_on(cpu, "hdfar") = far;
	*fake_reg_on(cpu, "hifar") = far;
	*fake_reg_on(cpu, "hpfar") = hpfar;
	*fake_reg_on(cpu, "elr_hyp") = elr;
	*fake_reg_on(cpu, "spsr") = spsr;
}

u32 sys_guest_spsr(struct fin *f)
{
	static const u32 modes[] = { PSR_MODE_SVC, PSR_MODE_USR, PSR_MODE_SYS, PSR_MODE_IRQ,
				     PSR_MODE_FIQ, PSR_MODE_ABT, PSR_MODE_UND, PSR_MODE_SVC };
	u8 sel = fin_u8(f);
	u32 spsr = modes[sel & 7] | PSR_A | PSR_I | PSR_F;

	if (sel & 0x08)
		spsr |= PSR_T;
	if (sel & 0x10) /* flags and IT state */
		spsr |= fin_u32(f) & (PSR_N | PSR_Z | PSR_C | PSR_V | PSR_IT_LOW_MASK |
				      PSR_IT_HIGH_MASK | PSR_GE_MASK);
	return spsr;
}

u32 sys_pick_intid(struct fin *f)
{
	static const u32 intids[] = { 0,  1,  15, 16, 25, 26, 27, 30, 31,  32,
				      33, 40, 41, 42, 50, 51, 63, 95, 127, 1023 };

	return FIN_PICK(f, intids) % 1024;
}

static u32 pick_reg_value(struct fin *f)
{
	static const u32 values[] = { 0,
				      1,
				      2,
				      0xffffffff,
				      FAKE_GUEST_RAM_IPA,
				      FAKE_GUEST_RAM_IPA + 0xff8,
				      FAKE_GUEST_RAM_IPA + FAKE_PART_RAM_SIZE - 0x10,
				      FAKE_SHARED_IPA,
				      FAKE_RO_IPA,
				      0x08000000,
				      0x09000000,
				      16,
				      4096,
				      4097,
				      0x80000000 };

	return FIN_PICK(f, values);
}

static void fill_frame(struct fin *f, u32 cpu, u32 r0)
{
	struct regs *r = cpu_frame(cpu);
	u32 i;

	r->r[0] = r0;
	for (i = 1; i < 13; i++)
		r->r[i] = i < 4 || fin_bool(f) ? pick_reg_value(f) : i;
	r->lr = fin_u32(f);
}

/* A trap of a random class, with a syndrome built for the classes that have fields. */
static void step_trap(struct fin *f, u32 cpu)
{
	static const u32 ecs[] = { HSR_EC_CP15_32,    HSR_EC_CP15_64,  HSR_EC_CP14_32,
				   HSR_EC_CP14_LS,    HSR_EC_CP14_64,  HSR_EC_HCPTR,
				   HSR_EC_CP10_ID,    HSR_EC_UNKNOWN,  HSR_EC_WFI_WFE,
				   HSR_EC_JAZELLE,    HSR_EC_BXJ,      HSR_EC_SVC_HYP,
				   HSR_EC_SMC,	      HSR_EC_HVC,      HSR_EC_IABT_GUEST,
				   HSR_EC_DABT_GUEST, HSR_EC_IABT_HYP, HSR_EC_DABT_HYP };
	/* (opc1, crn, crm, opc2) of the CP15 registers the emulation knows: the PMU's all. */
	static const u32 cp15[] = { 0x0101, 0x1902, 0x1903, 0x0762, 0x07a2, 0x07e2, 0x0f00, 0x09c0,
				    0x09c1, 0x09d0, 0x0100, 0x0f07, 0x07a1, 0x09c2, 0x09c3, 0x09c4,
				    0x09c5, 0x09c6, 0x09d1, 0x09d2, 0x09e0, 0x09e1, 0x09e2, 0x09e3 };
	u32 ec = FIN_PICK(f, ecs) & 0x3f, iss = fin_u32(f) & HSR_ISS_MASK, hsr;
	u32 far = pick_reg_value(f), hpfar = fin_bool(f) ? (far >> 8) & ~0xfU : fin_u32(f);

	if (ec == HSR_EC_CP15_32 && fin_bool(f)) {
		u32 reg = FIN_PICK(f, cp15);

		iss = (iss & (HSR_CV | HSR_COND_MASK | (0xf << HSR_CP_RT_SHIFT) | HSR_CP_READ)) |
		      ((reg >> 12) & 7) << HSR_CP_OPC1_SHIFT |
		      ((reg >> 8) & 0xf) << HSR_CP_CRN_SHIFT |
		      ((reg >> 4) & 0xf) << HSR_CP_CRM_SHIFT | (reg & 7) << HSR_CP_OPC2_SHIFT;
	}
	hsr = ec << HSR_EC_SHIFT | (fin_bool(f) ? HSR_IL : 0) | iss;
	sys_set_trap_regs(cpu, hsr, far, hpfar, FAKE_GUEST_RAM_IPA + (fin_u16(f) & ~1U),
			  sys_guest_spsr(f));
	fill_frame(f, cpu, pick_reg_value(f));
	sys_trap(cpu);
}

/* An HVC (or SMC) with a function ID a guest would use. */
static void step_call(struct fin *f, u32 cpu)
{
	static const u32 fids[] = { 0x80000000, 0x80000001, 0x8600ff01, 0x8600ff03, 0x86000000,
				    0x86000001, 0x86000002, 0x86000003, 0x86000004, 0x86000005,
				    0x86000006, 0x86000007, 0x84000000, 0x84000001, 0x84000002,
				    0x84000003, 0x84000004, 0x84000006, 0x84000008, 0x84000009,
				    0x8400000a, 0xc4000003, 0x84000005, 0x86000008, 0x86000009 };
	bool smc = fin_u8(f) < 32;
	u32 hsr = (u32)(smc ? HSR_EC_SMC : HSR_EC_HVC) << HSR_EC_SHIFT | HSR_IL;

	if (smc && fin_bool(f))
		hsr |= HSR_CV | (fin_u8(f) & 0xfU) << HSR_COND_SHIFT;
	sys_set_trap_regs(cpu, hsr, 0, 0, FAKE_GUEST_RAM_IPA + 0x100, sys_guest_spsr(f));
	fill_frame(f, cpu, FIN_PICK(f, fids));
	sys_trap(cpu);
}

/* A load or store to an emulated device page, as a stage-2 translation fault. */
static void step_mmio(struct fin *f, u32 cpu)
{
	static const u32 pages[] = { 0x08000000, 0x09000000, 0x08001000,   0x08010000,
				     0x0a000000, 0x40000000, FAKE_GPIO_IPA };
	/* GICD, PL011 and PL061 registers (0x00c: the PL061's data lines 0 and 1). */
	static const u32 offsets[] = { 0x000, 0x004, 0x008, 0x080, 0x100, 0x104, 0x180,
				       0x200, 0x280, 0x300, 0x380, 0x400, 0x420, 0x800,
				       0x820, 0xc00, 0xc08, 0xf00, 0xf10, 0xf20, 0xfe0,
				       0x018, 0x030, 0x038, 0x044, 0x03c, 0x024, 0x034,
				       0xffc, 0x00c, 0x410, 0x414, 0x418, 0x41c };
	u32 ipa = FIN_PICK(f, pages) & ~0xfffU,
	    off = (FIN_PICK(f, offsets) + fin_u8(f) % 4) & 0xfff;
	u32 sas = fin_u8(f) % 4, srt = fin_u8(f) % 16, fsc = FSC_TRANSLATION + 1 + fin_u8(f) % 3;
	u32 iss = HSR_DABT_ISV | sas << HSR_DABT_SAS_SHIFT | srt << HSR_DABT_SRT_SHIFT | fsc;
	u8 flags = fin_u8(f);

	if (flags & 1)
		iss |= HSR_DABT_WNR;
	if (flags & 2)
		iss |= HSR_DABT_SSE;
	if ((flags & 0x1c) == 0x1c)
		iss &= ~HSR_DABT_ISV;
	if ((flags & 0xe0) == 0xe0)
		iss |= HSR_DABT_S1PTW;
	sys_set_trap_regs(
		cpu, (u32)HSR_EC_DABT_GUEST << HSR_EC_SHIFT | (flags & 0x80 ? 0 : HSR_IL) | iss,
		0x10000000 | off, (ipa >> 8) & ~0xfU, FAKE_GUEST_RAM_IPA + 0x200,
		sys_guest_spsr(f));
	fill_frame(f, cpu, fin_u32(f));
	sys_trap(cpu);
}

/* A physical interrupt, as the GIC would signal it: enabled, and routed to this CPU. */
static void deliver_irq(u32 cpu, u32 iar)
{
	u32 intid = iar & 0x3ff;
	const struct fake_phys_irq *p = fake_phys(cpu, intid);

	if (intid >= GIC_SGI_COUNT && (!p->enabled || (intid >= GIC_PRIV_COUNT && p->route != cpu)))
		return;
	fake_irq_raise(cpu, iar);
	if (sys.state[cpu] == SYS_GUEST)
		sys_irq(cpu);
	else
		sys_idle(cpu);
}

static void step_irq(struct fin *f, u32 cpu)
{
	u32 intid = sys_pick_intid(f);

	if (intid < GIC_SGI_COUNT)
		intid |= (fin_u8(f) % SYS_CPUS) << 10; /* the sender */
	deliver_irq(cpu, intid);
}

/* The guest acknowledges its highest-priority virtual interrupt, or completes one. */
static void step_guest_gic(struct fin *f, u32 cpu)
{
	u8 sel = fin_u8(f);

	if (sys.state[cpu] != SYS_GUEST)
		return;
	if ((sel & 1) || !acked_count[cpu]) {
		u32 iar;

		fake_guest_set_pmr(cpu, sel & 2 ? 0xf0 : 0xff);
		iar = fake_guest_ack(cpu);
		if ((iar & 0x3ff) != FAKE_SPURIOUS && acked_count[cpu] < MAX_ACKED)
			acked[cpu][acked_count[cpu]++] = iar;
	} else {
		u32 i = (sel >> 1) % acked_count[cpu];
		u32 iar = acked[cpu][i];

		acked[cpu][i] = acked[cpu][--acked_count[cpu]];
		(void)fake_guest_eoi(cpu,
				     iar); /* the guest may EOI what the hypervisor took back */
	}
	/* The list-register state changed under the hypervisor: a maintenance interrupt? */
	if (fake_maintenance(cpu) && fake_phys(cpu, GIC_PPI_MAINTENANCE)->enabled)
		fake_irq_raise(cpu, GIC_PPI_MAINTENANCE);
}

/*
 * Console input: for the partition with the focus, or the monitor's (hyp/dev/monitor.c):
 * Ctrl-T and its commands, focus, list, counters, log level, and the operator's stop (k),
 * start (b) and restart (r) of a partition by number, Enter-terminated.
 */
static void step_console(struct fin *f)
{
	static const u32 chars[] = { 'a', '\n', 0x14, '0', '1',	 '2', '9', 'n',
				     'x', '\r', 'k',  'b', 'r',	 'l', 's', '+',
				     '-', 0x03, 0x7f, ' ', 0x1b, '[', 'A' };
	u8 bytes[4];
	u32 n = 1 + fin_u8(f) % 4, i;

	for (i = 0; i < n; i++)
		bytes[i] = (u8)FIN_PICK(f, chars);
	sys.console_used = true;
	fake_uart_rx(bytes, n);
	deliver_irq(0, PLAT_UART_IRQ);
}

void sys_add_ats(struct fin *f)
{
	static const u64 pas[] = { FAKE_P0_RAM_PA,
				   FAKE_P1_RAM_PA,
				   FAKE_P1_RO_PA,
				   FAKE_P2_RAM_PA,
				   FAKE_SHARED_PA,
				   FAKE_UNOWNED_PA,
				   FAKE_P0_RAM_PA + FAKE_PART_RAM_SIZE - 0x1000,
				   FAKE_DEVICE_PA,
				   0x48000000,
				   0x08000000,
				   0xfffff000,
				   0x100000000ULL };
	struct sys_ats *a;
	u8 sel = fin_u8(f);

	if (sys.ats_count == SYS_ATS_MAX)
		sys.ats_count = 0;
	a = &sys.ats[sys.ats_count++];
	a->va_page = pick_reg_value(f) & ~0xfffU;
	a->stage1_only = sel & 1;
	if (sel & 2)
		a->par = PAR_F | (fin_u8(f) & 0x7e);
	else if (sel & 4)
		a->par = (pas[(sel >> 3) % ARRAY_SIZE(pas)] & 0xfffff000U) | (fin_u16(f) & 0xffe);
	else
		a->par = PAR_LPAE | (pas[(sel >> 3) % ARRAY_SIZE(pas)] & PAR_PA_MASK) |
			 (fin_u16(f) & 0xffe);
}

/*
 * Time passes, and the Hyp timer of each CPU fires as the hardware's would once its
 * compare value is reached (its interrupt a level while CNTHP_CTL is enabled and due):
 * the watchdog's expiry, a partial console line's flush, a fault-log window's close.
 */
static void time_passes(u64 ticks)
{
	u32 c;

	fake_time_advance(ticks);
	for (c = 0; c < SYS_CPUS; c++)
		if (sys.state[c] != SYS_OFFLINE &&
		    (*fake_reg_on(c, "cnthp_ctl") & CNT_CTL_ENABLE) &&
		    *fake_reg_on(c, "cnthp_cval") <= fake_time())
			deliver_irq(c, GIC_PPI_HYP_TIMER);
}

static void step_misc(struct fin *f, u32 cpu)
{
	/* (in microseconds: 1 MHz, FAKE_TICKS_PER_MS) */
	static const u32 ticks[] = { 1, 100, 1000, 5000, 100000, 1000000, 30000000, 50000, 101000 };
	u8 sel = fin_u8(f);

	switch (sel % 6) {
	case 0:
		time_passes(FIN_PICK(f, ticks));
		break;
	case 1:
		if (sys.state[cpu] == SYS_GUEST) {
			sys_set_trap_regs(cpu, fin_u32(f), 0, 0, FAKE_GUEST_RAM_IPA,
					  sys_guest_spsr(f));
			sys_async_abort(cpu);
		}
		break;
	case 2:
		sys_settle();
		break;
	case 3:
		sys_add_ats(f);
		break;
	case 4: {
		u32 ccsidr[7], i;

		for (i = 0; i < 7; i++)
			ccsidr[i] = fin_u32(f);
		fake_arch_set_caches(fin_u32(f), ccsidr);
		break;
	}
	default:
		step_console(f);
		break;
	}
}

void sys_step(struct fin *f, u32 cpu, u32 kind)
{
	/* A physical interrupt pending at a CPU in its guest is taken first. */
	if (sys.state[cpu] == SYS_GUEST && fake_irq_queued(cpu))
		sys_irq(cpu);
	if (sys.state[cpu] == SYS_IDLE && kind < 3) {
		sys_idle(cpu); /* no guest to trap: the CPU looks at its requests */
		return;
	}
	switch (kind % SYS_STEP_KINDS) {
	case 0:
		step_trap(f, cpu);
		break;
	case 1:
		step_call(f, cpu);
		break;
	case 2:
		step_mmio(f, cpu);
		break;
	case 3:
	case 4:
		step_irq(f, cpu);
		break;
	case 5:
	case 6:
		step_guest_gic(f, cpu);
		break;
	default:
		step_misc(f, cpu);
		break;
	}
	sys_check();
}

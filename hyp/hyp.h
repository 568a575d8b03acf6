/*
 * The hyp/ interface: logging and panics, the console, per-CPU state, traps,
 * partitions and vCPUs, PSCI, hypercalls and emulated devices.
 *
 * Concurrency: each physical CPU runs at most one vCPU, for life, and only
 * that CPU touches its vCPU's live state.  Other CPUs ask for work through
 * cpu_request() (an atomic request word plus an IPI); the owning CPU acts on
 * requests before it returns to its guest.  Lock order: partition.lock, then
 * vgic locks, then the console lock.
 */
#ifndef TESSERA_HYP_H
#define TESSERA_HYP_H

#include <stdarg.h>
#include <stdnoreturn.h>
#include <string.h>

#include "arch.h"
#include "bits.h"
#include "config.h"
#include "fmt.h"
#include "hsr.h"
#include "layout.h"
#include "platform.h"
#include "spinlock.h"
#include "sysreg.h"
#include "types.h"
#include "../mm/mm.h"
#include "../vgic/vgic.h"

#define TESSERA_VERSION_MAJOR 0
#define TESSERA_VERSION_MINOR 1
#define TESSERA_VERSION_STRING "0.1.0"

/* ---- Log and panic ------------------------------------------------------ */

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

#ifndef LOG_LEVEL
#define LOG_LEVEL LOG_INFO
#endif

void log_printf(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vprintf(enum log_level level, const char *fmt, va_list ap);

#define log_error(...) log_printf(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_printf(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_printf(LOG_INFO, __VA_ARGS__)
#define log_debug(...)                                                                             \
	do {                                                                                       \
		if (LOG_LEVEL >= LOG_DEBUG)                                                        \
			log_printf(LOG_DEBUG, __VA_ARGS__);                                        \
	} while (0)

/* The hypervisor's own invariant is broken: report and stop this CPU. */
void panic(const char *fmt, ...) __attribute__((__noreturn__, format(printf, 1, 2)));

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			panic("CHECK(%s) failed at %s:%d", #cond, __FILE__, __LINE__);             \
	} while (0)

/* ---- Console ------------------------------------------------------------ */

void console_init(void);

/*
 * Emit one whole line "[tag] text" (a newline is added).  Lines never
 * interleave.  Guest lines are dropped rather than delay the hypervisor when
 * the transmit ring is nearly full (and a later line says how many bytes);
 * hypervisor lines use the whole ring.
 */
void console_line(const char *tag, const char *text, size_t len, bool from_guest);

/* The UART interrupt: drain the transmit ring, route received bytes. */
void console_irq(void);

/* ---- Per-CPU state ------------------------------------------------------ */

/* Guest registers saved on trap entry: r0-r12 and LR_usr (Hyp mode shares LR with User). */
struct regs {
	u32 r[13];
	u32 lr;
};

struct vcpu;

/* Requests other CPUs post for this one (cpu_request). */
#define CPU_REQ_TLB_FLUSH BIT(0) /* VMID generation change: flush guest TLBs here */
#define CPU_REQ_VCPU_START BIT(1) /* start this CPU's vCPU */
#define CPU_REQ_VCPU_STOP BIT(2) /* stop this CPU's vCPU */
#define CPU_REQ_VGIC BIT(3) /* virtual interrupts wait for this vCPU */

struct cpu {
	u32 index;
	u32 mpidr;
	bool online;
	u32 requests; /* CPU_REQ_*, atomic */
	struct vcpu *vcpu; /* the vCPU this CPU runs, for life; NULL if none */
	u64 vttbr_loaded; /* VTTBR as last written on this CPU */
	u64 hyp_timer_deadline; /* CNTHP_CVAL, or ~0 when the Hyp timer is off */
};

extern struct cpu cpus[PLAT_CPU_COUNT];

#ifdef TESSERA_HOST_FAKE
struct cpu *this_cpu(void); /* host builds: tests/fake/fake_arch.c */
#else
static inline struct cpu *this_cpu(void)
{
	u32 v;

	__asm__ volatile("mrc p15, 4, %0, c13, c0, 2" : "=r"(v)); /* HTPIDR */
	return (struct cpu *)(uintptr_t)v;
}
#endif

/* Post 'req' to 'cpu' and interrupt it (no IPI needed for this CPU itself). */
void cpu_request(u32 cpu, u32 req);

/* The Hyp timer of this CPU (cpu.c), armed while the CPU runs a guest. */
void hyp_timer_start(void);
void hyp_timer_stop(void);
/* Come back soon to flush this CPU's partition's partial console line. */
void hyp_timer_flush_line_later(void);

/* Park this CPU with nothing to run: waits for requests and interrupts. */
noreturn void cpu_idle(void);

/* The trap frame at the top of a CPU's stack, where a running guest's registers go. */
struct regs *cpu_frame(u32 cpu);

/* ---- Partitions and vCPUs (partition.c, vcpu.c) ------------------------- */

enum vcpu_power { VCPU_OFF, VCPU_ON };

struct vcpu {
	struct partition *part;
	u32 index; /* vCPU number in the partition = its MPIDR Aff0 */
	u32 cpu; /* the physical CPU it owns */
	u32 power; /* enum vcpu_power: ON from CPU_ON/start until it parks */
	bool start_pending; /* ON, but not yet entered */
	u32 start_pc;
	u32 start_r0;
	u32 start_r1;
	u32 start_r2;
	struct vgic_cpu vgic;
};

enum partition_state {
	PART_STOPPED, /* not running; can be started */
	PART_RUNNING,
	PART_HALTED, /* stopped for good: its restart bound was exceeded */
};

/* The emulated PL011 of a partition (vuart.c). */
#define VUART_FIFO 32
#define VUART_LINE_MAX 160

struct vuart {
	spinlock_t lock;
	u32 cr, lcr_h, ibrd, fbrd, ifls, imsc, ris, dmacr, rsr;
	u8 rx[VUART_FIFO];
	u32 rx_head, rx_count;
	char line[VUART_LINE_MAX];
	u32 line_len;
	u64 line_since; /* counter value when the pending partial line began */
	bool line_high; /* the interrupt line as last told to the vGIC */
};

#define RESTART_HISTORY 16

struct ratelimit {
	u64 window_start;
	u32 count;
	u32 suppressed;
};

struct partition {
	const struct cfg_partition *cfg;
	u32 gicd_hpfar; /* the emulated pages' IPAs as HPFAR reports them (IPA[39:12] << 4) */
	u32 uart_hpfar;
	spinlock_t lock;
	u32 state; /* enum partition_state */
	u32 vcpus_on; /* vCPUs with power ON */
	bool restart_pending;
	bool loading;
	u32 starts; /* times it was started since boot */
	struct vmid vmid;
	struct pt s2;
	struct vgic_dist vgic;
	struct vuart vuart;
	u64 restart_log[RESTART_HISTORY];
	u32 restart_log_count;
	struct ratelimit fault_rl;
	struct vcpu *vcpus[CFG_CPU_MAX];
};

extern struct partition partitions[];
extern struct vmid_alloc vmid_allocator;

/* Build every partition's tables and state, then start them in order (boot CPU). */
void partitions_init(void);

/* Lifecycle; callable from any CPU.  Stopping takes effect as each vCPU parks. */
void partition_start(struct partition *p);
void partition_stop(struct partition *p, const char *why);
void partition_restart(struct partition *p, const char *why);

/* CPU_ON for a vCPU of p; returns a PSCI status. */
s32 partition_vcpu_on(struct partition *p, u32 index, u32 pc, u32 context);

/* Stop the calling vCPU now (CPU_OFF, or its partition stopping); never returns. */
noreturn void vcpu_park(struct vcpu *v);

/* Enter the guest for a vCPU that has start_pending set, on its own CPU; never returns. */
noreturn void vcpu_start(struct vcpu *v);

/* Act on this CPU's requests: refill list registers, load the VMID, park... */
void vcpu_handle_requests(struct cpu *c, struct vcpu *v);

/* Before every return to a guest: anything to do is a request bit (see vcpu.c). */
static inline void vcpu_before_entry(struct vcpu *v)
{
	struct cpu *c = this_cpu();

	if (__builtin_expect(__atomic_load_n(&c->requests, __ATOMIC_RELAXED) != 0, 0))
		vcpu_handle_requests(c, v);
}

/* Reset every piece of guest-visible CPU state on this CPU (CP15, banked, VFP, timers). */
void vcpu_reset_arch(struct vcpu *v);

/* A guest register by number, as the guest's current mode sees it (r13/r14 banked). */
u32 guest_reg_read(const struct regs *r, u32 n);
void guest_reg_write(struct regs *r, u32 n, u32 value);

/* The same, with r0-r7 (never banked) straight from the trap frame. */
static inline u32 guest_reg_get(const struct regs *r, u32 n)
{
	return n < 8 ? r->r[n] : guest_reg_read(r, n);
}

static inline void guest_reg_set(struct regs *r, u32 n, u32 value)
{
	if (n < 8)
		r->r[n] = value;
	else
		guest_reg_write(r, n, value);
}

/* Does the trapped instruction pass its condition?  SPSR is read only if it matters. */
static inline bool guest_cond_passed(u32 hsr)
{
	u32 spsr;

	if ((hsr & (HSR_CV | HSR_COND_MASK)) == (HSR_CV | (0xeU << HSR_COND_SHIFT)))
		return true; /* AL: the common case */
	spsr = read_spsr();
	return hsr_cond_check(hsr, spsr);
}

/* Skip the trapped instruction (ARM or Thumb, IT state advanced, A2.5.2). */
static inline void guest_skip_instruction(u32 hsr)
{
	u32 spsr;

	write_elr_hyp(read_elr_hyp() + ((hsr & HSR_IL) ? 4 : 2));
	spsr = read_spsr();
	if (spsr & PSR_T)
		write_spsr(psr_it_advance(spsr));
}

/* A guest fault the hypervisor contains: log it (rate-limited) and apply the policy. */
struct guest_fault {
	const char *what; /* "stage-2 data abort", ... */
	u64 ipa;
	u32 va;
	u32 pc;
	u32 hsr;
	bool write;
	bool has_ipa;
	bool instruction;
};
void guest_fault(struct vcpu *v, struct regs *r, const struct guest_fault *f);

/* Exception injection into the guest (inject.c), with its syndrome registers set. */
void inject_undef(struct regs *r, u32 hsr);
void inject_data_abort(struct regs *r, u32 va, bool write);
void inject_prefetch_abort(struct regs *r, u32 va);

/* Guest memory access by guest virtual address (stage 1 + 2, checked against RAM). */
bool guest_copy_from(struct vcpu *v, void *dst, u32 va, u32 len);
bool guest_copy_to(struct vcpu *v, u32 va, const void *src, u32 len);
bool guest_range_ok(struct vcpu *v, u32 va, u32 len, bool write);

/* Handlers behind the trap dispatcher. */
void smccc_dispatch(struct vcpu *v, struct regs *r);
s32 psci_call(struct vcpu *v, struct regs *r, u32 fid);
/* Emulate an access to an emulated device page; false if ipa is not one. */
bool mmio_abort(struct vcpu *v, struct regs *r, u32 hsr, u64 ipa);
/* The fast path of the same, when the syndrome describes the access (ISV = 1). */
enum mmio_device { MMIO_GICD = 1, MMIO_UART = 2 };
void mmio_emulate(struct vcpu *v, struct regs *r, u32 hsr, enum mmio_device device);
/* A data abort the hypervisor does not emulate: the partition's fault policy. */
void mmio_fault(struct vcpu *v, struct regs *r, u32 hsr, u64 ipa, u32 va, const char *what);
void cp_trap(struct regs *r, u32 hsr);

/* An emulated-device access, as a data abort's syndrome describes it (mmio_decode.c). */
struct mmio_access {
	u32 offset;
	u32 size; /* bytes: 1, 2 or 4 */
	bool write;
	bool sign_extend;
	u32 reg;
};

/* Decode the syndrome; false if it does not describe the access (ISV = 0, PC, doubleword). */
static inline bool mmio_decode(u32 hsr, u32 offset, struct mmio_access *a)
{
	u32 sas = (hsr & HSR_DABT_SAS_MASK) >> HSR_DABT_SAS_SHIFT;

	a->reg = (hsr & HSR_DABT_SRT_MASK) >> HSR_DABT_SRT_SHIFT;
	if (!(hsr & HSR_DABT_ISV) || sas == 3 || a->reg == 15)
		return false; /* not described; a doubleword; or the PC: never emulated */
	a->offset = offset;
	a->size = 1U << sas;
	a->write = hsr & HSR_DABT_WNR;
	a->sign_extend = hsr & HSR_DABT_SSE;
	return true;
}

/* The value a load of 'size' bytes leaves in its register (zero- or sign-extended). */
static inline u32 mmio_load_value(u32 value, u32 size, bool sign_extend)
{
	u32 bits = size * 8;

	if (bits >= 32)
		return value;
	value &= (1U << bits) - 1;
	if (sign_extend && (value & (1U << (bits - 1))))
		value |= ~((1U << bits) - 1);
	return value;
}

/* Virtual UART (vuart.c). */
void vuart_init(struct partition *p);
bool vuart_read(struct partition *p, u32 offset, u32 size, u32 *value);
bool vuart_write(struct partition *p, u32 offset, u32 size, u32 value);
void vuart_rx(struct partition *p, u8 c);
void vuart_output(struct partition *p, const char *s, u32 len);
/* Flush a partial line older than 'age' counter ticks; true if one is still pending. */
bool vuart_flush_stale(struct partition *p, u64 age);

/* Console input focus (console.c). */
void console_set_input(u32 partition);

/* Rate limiting of guest-caused log lines: true if this one may be printed. */
bool ratelimit_allow(struct ratelimit *rl, u32 *suppressed);

/* ---- Traps -------------------------------------------------------------- */

/* From hyp/vectors.S: the Hyp vector table and the way back into a guest. */
extern const u32 hyp_vectors[];
noreturn void hyp_enter_guest(struct regs *frame);

/* Called from the vectors. */
typedef void (*trap_handler_t)(struct regs *r, u32 hsr);
extern const trap_handler_t hyp_trap_table[64];
void hyp_exit_slow(void);
void hyp_irq_handle(struct regs *r);
/* C entries doing what the vectors do (dispatch, then requests), for the host harnesses. */
void hyp_trap(struct regs *r);
void hyp_irq(struct regs *r);
void hyp_guest_async_abort(struct regs *r);
noreturn void hyp_unexpected(struct regs *r, u32 vector);

/* Dump the syndrome and registers of an exception taken in Hyp mode. */
void panic_dump(const struct regs *r, u32 vector, u32 sp);

#endif /* TESSERA_HYP_H */

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

#include "arch.h"
#include "bits.h"
#include "config.h"
#include "fmt.h"
#include "layout.h"
#include "platform.h"
#include "spinlock.h"
#include "types.h"

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
noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

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
 * the transmit ring is nearly full; hypervisor lines use the whole ring.
 */
void console_line(const char *tag, const char *text, size_t len, bool from_guest);

/* Push everything queued out of the UART, waiting as needed. */
void console_sync(void);

/* The UART interrupt: drain the transmit ring, route received bytes. */
void console_irq(void);

/* Bytes dropped because the ring was full, since boot. */
u32 console_dropped(void);

/* ---- Per-CPU state ------------------------------------------------------ */

/* Guest registers saved on trap entry: r0-r12 and LR_usr (Hyp mode shares LR with User). */
struct regs {
	u32 r[13];
	u32 lr;
};

struct vcpu;

/* Requests other CPUs post for this one (cpu_request). */
#define CPU_REQ_TLB_FLUSH BIT(0) /* VMID generation change: flush stage-1&2 TLBs */
#define CPU_REQ_VCPU_START BIT(1) /* start (or restart) this CPU's vCPU */
#define CPU_REQ_VCPU_STOP BIT(2) /* stop this CPU's vCPU */
#define CPU_REQ_VGIC BIT(3) /* virtual interrupts were queued for this vCPU */

struct cpu {
	u32 index;
	u32 mpidr;
	bool online;
	u32 requests; /* CPU_REQ_*, atomic */
	struct vcpu *vcpu; /* the vCPU this CPU runs, or NULL */
	u64 vmid_flushed_gen;
};

extern struct cpu cpus[PLAT_CPU_COUNT];

static inline struct cpu *this_cpu(void)
{
	u32 v;

	__asm__ volatile("mrc p15, 4, %0, c13, c0, 2" : "=r"(v)); /* HTPIDR */
	return (struct cpu *)(uintptr_t)v;
}

/* Post 'req' to 'cpu' and interrupt it (no-op IPI if it is this CPU). */
void cpu_request(u32 cpu, u32 req);

/* Take this CPU's pending requests (atomically clears them). */
u32 cpu_take_requests(struct cpu *c);

/* Park this CPU with nothing to run: waits for requests and interrupts. */
noreturn void cpu_idle(void);

/* ---- Traps -------------------------------------------------------------- */

/* From hyp/vectors.S: the Hyp vector table and the way back into a guest. */
extern const u32 hyp_vectors[];
noreturn void hyp_enter_guest(struct regs *frame);

/* Called from the vectors. */
void hyp_trap(struct regs *r);
void hyp_irq(struct regs *r);
void hyp_guest_async_abort(struct regs *r);
noreturn void hyp_unexpected(struct regs *r, u32 vector);

/* Dump the syndrome and registers of an exception taken in Hyp mode. */
void panic_dump(const struct regs *r, u32 vector, u32 sp);

#endif /* TESSERA_HYP_H */

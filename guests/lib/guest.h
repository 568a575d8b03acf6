/*
 * Guest support library: the one interface of guests/lib, shared by the RTOS and every test
 * and bench guest that Tessera builds.
 *
 * A guest links start.S (vectors and reset), the library and newlib, and provides main().
 * Reset sets up the exception-mode stacks, zeroes .bss, keeps the device tree pointer from r2,
 * then guest_c_start() validates the device tree, turns on the MMU (identity map, caches),
 * initialises the console and newlib's stdio (stdout unbuffered: one printf, one write), and
 * calls main(); returning from main() powers off through PSCI SYSTEM_OFF.
 *
 * Machine: QEMU virt layout (design.md): RAM at 0x40000000, GICD 0x08000000, GICC 0x08010000,
 * PL011 0x09000000 (INTID 33), generic timer, PSCI through HVC.  The last 64 KiB of the linked
 * RAM size (__ram_size, 16 MiB unless the link overrides it) are left for the device tree
 * Tessera places there; the heap stops below.
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "barrier.h"
#include "bits.h"
#include "bootargs.h"
#include "channel.h"
#include "fdt.h"
#include "gic.h"
#include "gtimer.h"
#include "pl011.h"
#include "psci.h"
#include "tessera.h"

#define GUEST_RAM_BASE 0x40000000U
#define GUEST_DTB_RESERVE 0x10000U /* the device tree area at the top of RAM */
#define GUEST_CPU_MAX 4U /* CPUs that have exception stacks */

/* ---- start-up (start.S, guest.c) ---- */

int main(void);

/* The device tree Tessera passed, or NULL (r2 = 0 or bad header: "no DTB"). */
const struct fdt *guest_fdt(void);
/* The raw r2 value at reset. */
uintptr_t guest_boot_r2(void);
/* True if reset found the CPU in Hyp mode and dropped to SVC itself. */
bool guest_entered_hyp(void);
/* CNTVCT at the image's first instruction (reset, boot CPU): with CNTVOFF = 0, as Tessera sets
 * it, the instructions executed since the machine's reset under QEMU -icount (tools/bench.py). */
uint64_t guest_boot_count(void);
/* /chosen/bootargs, else guest_default_bootargs ("" unless the program defines it). */
const char *guest_bootargs(void);
/*
 * Optional settings a program may define (weak references: the library holds no default
 * definition, which the compiler could constant-fold):
 *   const char *const guest_default_bootargs = "...";  bootargs when there is no device tree
 *   const bool guest_use_mmu = false;                   stay with the MMU and caches off
 */
extern const char *const guest_default_bootargs __attribute__((weak));
extern const bool guest_use_mmu __attribute__((weak));

/* Entry point for secondary CPUs: psci_cpu_on(mpidr, (uintptr_t)guest_secondary_entry, ctx). */
void guest_secondary_entry(void);
/* Called on a secondary CPU with its stacks set up; weak default parks the CPU. */
void guest_secondary_main(uint32_t context);

/* Stop this CPU for good: IRQs masked, WFI loop. */
__attribute__((noreturn)) void guest_halt(void);
/* Print a message on the raw console and halt. */
__attribute__((noreturn)) void guest_panic(const char *msg);
/* Power the machine (or the partition) off; halts if PSCI returns. */
__attribute__((noreturn)) void guest_power_off(void);

/* Heap bounds (newlib _sbrk): [start, end), end below the device tree area. */
uintptr_t guest_heap_start(void);
uintptr_t guest_heap_end(void);

/* ---- exceptions (exc.c) ---- */

/* Saved state, as laid out on the stack by start.S (16 words). */
struct exc_frame {
	uint32_t r[13];
	uint32_t lr; /* IRQ: the interrupted SVC-mode LR; others: the exception mode's LR */
	uint32_t pc; /* where the exception returns; hooks may change it */
	uint32_t cpsr; /* the interrupted mode's CPSR (SPSR of the exception) */
};

/* start.S (SRS + push {r0-r12, lr}) and the RTOS port's switch.S build this frame by hand. */
_Static_assert(sizeof(struct exc_frame) == 64, "exc_frame is 16 words");
_Static_assert(offsetof(struct exc_frame, lr) == 52, "lr follows r0-r12");
_Static_assert(offsetof(struct exc_frame, pc) == 56, "SRS stores the return address here");
_Static_assert(offsetof(struct exc_frame, cpsr) == 60, "SRS stores the SPSR here");

enum exc_kind {
	EXC_UNDEF = 0,
	EXC_SVC = 1,
	EXC_PABT = 2,
	EXC_DABT = 3,
	EXC_UNUSED = 4, /* vector 0x14, only taken in Hyp mode */
	EXC_FIQ = 5,
	EXC_KIND_COUNT = 6,
};

/* What the exception was, with the faulting instruction's address (ARM ARM B1.8.3). */
struct exc_info {
	enum exc_kind kind;
	uint32_t pc; /* address of the faulting (or SVC) instruction */
	uint32_t insn_len; /* 2 or 4; 4 if unknown (prefetch abort) */
	bool thumb;
	uint32_t fsr; /* DFSR (data abort), IFSR (prefetch abort), else 0 */
	uint32_t far; /* DFAR, IFAR, else 0 */
};

enum exc_action {
	EXC_HALT, /* report and halt (the default) */
	EXC_RESUME_NEXT, /* resume after the faulting instruction */
	EXC_RESUME, /* resume at frame->pc (the faulting instruction unless changed) */
};

typedef enum exc_action (*exc_hook_t)(struct exc_frame *frame, const struct exc_info *info);

/* Install the hook for one kind of exception (NULL: default); returns the previous one.  A
 * hook runs in the exception's mode with IRQs masked; it may change the frame. */
exc_hook_t exc_set_hook(enum exc_kind kind, exc_hook_t hook);
/* Print the exception and registers on the raw console (what the default does before halting). */
void exc_report(const struct exc_frame *frame, const struct exc_info *info);
const char *exc_kind_name(enum exc_kind kind);
/* Weak; an RTOS overrides it to switch tasks when an interrupt ends.  Returns the frame to
 * resume (on its own SVC stack). */
struct exc_frame *exc_irq_exit(struct exc_frame *frame);

/* ---- MMU (mmu.c) ---- */

/* Identity map, RAM (0x40000000 up, and channel regions) normal cacheable, the rest Device;
 * then MMU and caches on.  Called by guest_c_start() unless guest_use_mmu is false. */
void mmu_enable(void);
bool mmu_is_enabled(void);

/* ---- console (syscalls.c) ---- */

/* Weak hooks around each console write by newlib's _write; an RTOS makes them a mutex. */
void guest_console_lock(void);
void guest_console_unlock(void);

#endif /* GUEST_GUEST_H */

/*
 * The Hyp exception vectors (vectors.S) and what they call: the world
 * switch into and out of a guest, the trap table by exception class, the IRQ
 * path, and the dump of an exception the hypervisor itself took.
 */
#ifndef TESSERA_HYP_TRAP_H
#define TESSERA_HYP_TRAP_H

#include <stdnoreturn.h>

#include "hyp/arch/regs.h"

/* From vectors.S: the Hyp vector table and the way back into a guest. */
extern const u32 hyp_vectors[];
noreturn void hyp_enter_guest(struct regs *frame);

/* Run fn on a fresh stack just below 'frame' (the idle loop); never returns. */
noreturn void hyp_run_below_frame(void (*fn)(void), struct regs *frame);

/* Called from the vectors: the trap table (hyp/core/trap.c), indexed by HSR.EC. */
typedef void (*trap_handler_t)(struct regs *r, u32 hsr);
extern const trap_handler_t hyp_trap_table[64];
struct cpu *hyp_exit_slow(void); /* returns this CPU's struct cpu */
void hyp_irq_handle(struct regs *r);
void hyp_guest_async_abort(struct regs *r);
noreturn void hyp_unexpected(struct regs *r, u32 vector);

/*
 * What the vectors do, as C, for the host-built harnesses that have no
 * vectors (tests/fuzz): a trap dispatched through the same table, then the
 * same exit check; an IRQ likewise.  tests/gates/vector_twins.py checks that
 * vectors.S calls exactly what these call.
 */
void hyp_trap(struct regs *r);
void hyp_irq(struct regs *r);
void hyp_async_abort(struct regs *r);

/* CP14/CP15/CP10 accesses the hypervisor traps (cp15.c). */
void cp_trap(struct regs *r, u32 hsr);

/* Dump the syndrome and registers of an exception taken in Hyp mode (panic.c). */
void panic_dump(const struct regs *r, u32 vector, u32 sp);

#endif /* TESSERA_HYP_TRAP_H */

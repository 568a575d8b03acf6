/*
 * The rest of the machine for host builds of the hypervisor (fake_platform.c):
 * what boot/, the assembly of hyp/, the board's UART driver, the stage-2
 * table pool and the parts of the GIC driver that tests/unit/fake_gic.c does
 * not model (acknowledge, priority drop, SGIs) do on the target.
 *
 * Physical interrupts are modelled per CPU as a queue of what the CPU
 * interface will acknowledge next: the test raises device interrupts, and
 * gic_send_sgi() queues SGIs.  gic_ack() takes from the queue of the current
 * CPU and makes the interrupt active in the fake distributor.
 */
#ifndef TESSERA_FAKE_PLATFORM_H
#define TESSERA_FAKE_PLATFORM_H

#include "fake_arch.h"

#define FAKE_IRQ_QUEUE 32
#define FAKE_S2_TABLES 64
#define FAKE_S2_PA_BASE 0x8000000000ULL /* fake PAs of stage-2 tables: below 2^40 */

/* Everything empty: interrupt queues, UART, stage-2 pool. */
void fake_platform_reset(void);

/* A physical interrupt arrives at 'cpu' (false if its queue is full). */
bool fake_irq_raise(u32 cpu, u32 intid);
u32 fake_irq_queued(u32 cpu);

/* Bytes for the console UART's receiver. */
void fake_uart_rx(const u8 *bytes, u32 len);

/* What the console UART transmitted since the reset (bytes), and its last line. */
u32 fake_uart_tx_count(void);
const char *fake_uart_last_line(void);
/* What the UART got after its last newline: a line still open on the terminal. */
const char *fake_uart_open_line(void);

/* If set, called with every line the console UART completes (without its CR LF). */
extern void (*fake_uart_line_hook)(const char *line);

/* A stalled UART takes no byte (its FIFO stays full) until it is let go. */
void fake_uart_stall(bool stalled);

/* The transmit interrupt as the console last enabled it (uart_irq_enable). */
bool fake_uart_tx_irq_on(void);

/* Set to print every console line to stderr (FAKE_VERBOSE=1 in the environment does it). */
extern bool fake_verbose;

/* Bytes dcache_clean_inval_range() was given since boot (a restart's RAM goes through it). */
extern u64 fake_clean_inval_bytes;

/* Bytes mem_zero() and mem_zero_vfp() cleared, since the process began. */
extern u64 fake_zero_bytes;

#endif /* TESSERA_FAKE_PLATFORM_H */

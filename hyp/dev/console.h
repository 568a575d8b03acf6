/*
 * The console (console.c): one physical UART shared by the hypervisor's log
 * and every partition's output, line by line, and console input routed to
 * one partition at a time (Ctrl-T).
 */
#ifndef TESSERA_HYP_CONSOLE_H
#define TESSERA_HYP_CONSOLE_H

#include "tessera/types.h"

void console_init(void);

/*
 * Emit one whole line "[tag] text" (a newline is added).  Lines never
 * interleave.  Guest lines are dropped rather than delay the hypervisor when
 * the transmit ring is nearly full (and a later line says how many bytes);
 * hypervisor lines use the whole ring.
 */
void console_line(const char *tag, const char *text, size_t len, bool from_guest);

/* A panic's line: written straight to the UART, past a console lock that may be held. */
void console_panic_line(const char *text);

/* The UART interrupt: drain the transmit ring, route received bytes. */
void console_irq(void);

/* Bytes of guest output dropped since boot (hyp/core/stats.c). */
u32 console_dropped(void);

/* Wait until every byte in the ring has gone to the UART (before the machine powers off). */
void console_flush(void);

/* Console input focus: the partition that receives what is typed. */
void console_set_input(u32 partition);

#endif /* TESSERA_HYP_CONSOLE_H */

/*
 * The console (console.c): one physical UART shared by the hypervisor's log
 * and every partition's output, line by line, and console input routed to
 * one partition at a time (Ctrl-T).
 */
#ifndef TESSERA_HYP_CONSOLE_H
#define TESSERA_HYP_CONSOLE_H

#include "tessera/types.h"

/* The CPU the console UART interrupts first (the boot CPU, hyp/core/cpu.c). */
#define CONSOLE_CPU 0
/* A partition's open line is kept up to this many bytes, to show it again (focused). */
#define CONSOLE_ECHO_MAX 200U

/*
 * The CPU the UART's interrupt goes to now, which reads the input: the CPU serving the
 * output that goes out next (console.c); CONSOLE_CPU in a UART_BAUD build, whose UART
 * interrupts only for input.
 */
u32 console_server(void);

void console_init(void);

/*
 * One line of the hypervisor's log, "[tessera] text" (a newline is added).
 * Never waits for the UART once the partitions run: if the hypervisor's ring
 * is full the line is lost, counted, and reported as soon as there is room.
 * A 'routine' line (info, debug) leaves part of the ring to the others
 * (errors, warnings, the monitor's answers), so routine lines in bulk, such
 * as a partition's CPU_ON/CPU_OFF loop can cause, never crowd them out.
 */
void console_hyp_line(const char *text, size_t len, bool routine);

/*
 * One whole line of partition 'part', "[name] text", its bytes already made
 * printable (hyp/dev/vuart.c: 'escaped' of them were shown escaped).  It goes
 * into the partition's own ring or, when that is full, is dropped and counted
 * against the partition, which a later "[tessera] console: <name>: ..." line says.
 * 'piece' 0: a whole line; else a piece of one: it continues the open line
 * (CONSOLE_PIECE_CONT) of the partition's line buffer 'n' (a vCPU's) and
 * leaves it open (CONSOLE_PIECE_OPEN), n << CONSOLE_PIECE_LINE_SHIFT (console.c).
 */
#define CONSOLE_PIECE_CONT 1U
#define CONSOLE_PIECE_OPEN 2U
#define CONSOLE_PIECE_LINE_SHIFT 2
void console_guest_line(u32 part, const char *text, size_t len, u32 escaped, u32 piece);

/*
 * Drain what the UART takes now and report drops, if the console lock is free;
 * true if bytes are still waiting.  For UART_BAUD builds, whose UART has no
 * transmit interrupt (platform/uart.h): the Hyp timer calls it.
 */
bool console_poll(void);

/*
 * A panic's line, "[tessera] text" (a newline is added): written straight to the UART, past a
 * console lock that may be held.
 */
void console_panic_line(const char *text);

/* The UART interrupt: drain the transmit ring, route received bytes. */
void console_irq(void);

/* Bytes of guest output dropped since boot, of all partitions and of one (hyp/core/stats.c). */
u32 console_dropped(void);
u32 console_dropped_of(u32 part);

/* Bytes of partition 'part' shown escaped (\xNN) since boot. */
u32 console_escaped_of(u32 part);

/* The longest any CPU waited for the console lock, which every partition shares (ticks). */
u32 console_lock_wait_max(void);
/* Hypervisor log lines lost since boot (each also told in a "lines lost" note). */
u32 console_hyp_lost(void);

/* Wait until every byte in the ring has gone to the UART (before the machine powers off). */
void console_flush(void);

/*
 * Console input focus: the partition that receives what is typed.  Called once
 * the partitions are set up, before they start: from then on, no line waits.
 */
void console_set_input(u32 partition);

/* Move the input focus (the console monitor: Ctrl-T then a digit or n), and say so. */
void console_focus(u32 partition);
u32 console_focused(void);

#endif /* TESSERA_HYP_CONSOLE_H */

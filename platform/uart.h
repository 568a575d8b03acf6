/*
 * The console UART the hypervisor drives, whichever the board has (a PL011
 * on QEMU virt, a 16550 on the Allwinner H3).  One driver is linked per board
 * (platform/<board>/platform.mk picks it).  All calls are non-reentrant: the
 * console (hyp/dev/console.c) serialises them.
 */
#ifndef TESSERA_UART_H
#define TESSERA_UART_H

#include "tessera/types.h"
#include "platform.h"

/*
 * UART_BAUD=<baud> (make option, for tests): the driver models a board's UART
 * at that rate, a 16-byte transmit FIFO that sends baud/10 bytes a second,
 * timed with the generic timer (platform/uart/pace.h), so uart_try_putc says
 * "full" exactly when such a board's UART would, even on QEMU's instant PL011.
 * Such a UART has no transmit interrupt (UART_HAS_TX_IRQ is false): the
 * console drains it from a timer instead.
 */
#ifdef UART_BAUD
#define UART_HAS_TX_IRQ false
#else
#define UART_HAS_TX_IRQ true
#endif

/* Make the UART usable: 8N1 with FIFOs, as firmware set its baud rate; no interrupts. */
void uart_init(void);

/* Queue one byte for transmission; false if the transmit FIFO is full. */
bool uart_try_putc(char c);

/* Wait until every queued byte has left the transmitter (for panics and power-off). */
void uart_flush(void);

/* One received byte, or -1 if none is waiting. */
int uart_try_getc(void);

/*
 * Interrupt sources: receive data (and receive timeout) and transmit FIFO
 * below its threshold (not when !UART_HAS_TX_IRQ: tx is then ignored).  The interrupt stays asserted while its condition holds,
 * so the handler drains the receiver / refills the transmitter, or disables tx.
 */
void uart_irq_enable(bool rx, bool tx);

#endif /* TESSERA_UART_H */

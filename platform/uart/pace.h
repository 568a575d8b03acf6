/*
 * A board's slow UART modelled inside the console driver, for UART_BAUD
 * builds (platform/uart.h): a 16-byte transmit FIFO that sends one byte every
 * 10 bit times (8N1: start, 8 data, stop) at UART_BAUD, timed with the
 * physical counter (ARM ARM B8.1.1, CNTPCT at CNTFRQ).  The FIFO's occupancy
 * follows from when it will have sent its last byte: the driver writes the
 * real UART only when the model has room, so it sees "full" exactly when a
 * board's 16550 or PL011 at that rate would.  Only UART_BAUD builds have it:
 * the drivers call it under #ifdef UART_BAUD.
 */
#ifndef TESSERA_UART_PACE_H
#define TESSERA_UART_PACE_H

#include "tessera/types.h"

#ifdef UART_BAUD
#include "arch/sysreg.h"

#define UART_PACE_FIFO 16U

static u64 pace_empty_at; /* counter value when the FIFO has sent its last byte */
static u32 pace_byte_ticks; /* counter ticks a byte takes on the line */

static inline void uart_pace_init(void)
{
	/* 24 MHz / 11520 bytes a second (the H3) is 2083.3: a byte 0.02% quicker than on the wire. */
	pace_byte_ticks = read_cntfrq() / (UART_BAUD / 10U);
	pace_empty_at = 0;
}

/* Room in the FIFO now?  If so, account for one more byte in it. */
static inline bool uart_pace_take(void)
{
	u64 now = read64_cntpct();

	if (pace_empty_at < now)
		pace_empty_at = now;
	/* Occupancy is ceil((empty_at - now) / byte): below 16 while within 15 byte times. */
	if (pace_empty_at - now > (u64)(UART_PACE_FIFO - 1U) * pace_byte_ticks)
		return false;
	pace_empty_at += pace_byte_ticks;
	return true;
}

/* Wait until the model's FIFO has sent everything (panics and power-off only). */
static inline void uart_pace_flush(void)
{
	while (read64_cntpct() < pace_empty_at)
		;
}
#endif

#endif /* TESSERA_UART_PACE_H */

/*
 * ARM PrimeCell UART (PL011) driver for the hypervisor's console
 * (PL011 TRM, DDI 0183G, 3.3 "Register descriptions").
 */
#include "platform/uart.h"
#include "tessera/bits.h"
#include "tessera/io.h"
#include "dev/pl011.h"
#include "pace.h"

static uintptr_t reg(u32 offset)
{
	return (uintptr_t)PLAT_UART_BASE + offset;
}

void uart_init(void)
{
	mmio_write32(reg(PL011_IMSC), 0);
	mmio_write32(reg(PL011_ICR), PL011_INT_ALL);
	mmio_write32(reg(PL011_LCR_H), PL011_LCR_H_FEN | PL011_LCR_H_WLEN_8);
	mmio_write32(reg(PL011_IFLS), 0); /* interrupt at 1/8 full (rx) / 1/8 empty (tx) */
	mmio_write32(reg(PL011_CR), PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE);
#ifdef UART_BAUD
	uart_pace_init();
#endif
}

bool uart_try_putc(char c)
{
	if (mmio_read32(reg(PL011_FR)) & PL011_FR_TXFF)
		return false;
#ifdef UART_BAUD
	if (!uart_pace_take())
		return false;
#endif
	mmio_write32(reg(PL011_DR), (u8)c);
	return true;
}

void uart_flush(void)
{
#ifdef UART_BAUD
	uart_pace_flush();
#endif
	while (mmio_read32(reg(PL011_FR)) & PL011_FR_BUSY)
		;
}

int uart_try_getc(void)
{
	if (mmio_read32(reg(PL011_FR)) & PL011_FR_RXFE)
		return -1;
	return (int)(mmio_read32(reg(PL011_DR)) & 0xff);
}

void uart_irq_enable(bool rx, bool tx)
{
	/* TXRIS is set on crossing the threshold and held until cleared (TRM 3.4.3). */
	mmio_write32(reg(PL011_ICR), PL011_INT_TX);
	mmio_write32(reg(PL011_IMSC), (rx ? PL011_INT_RX | PL011_INT_RT : 0) |
					      (tx && UART_HAS_TX_IRQ ? PL011_INT_TX : 0));
}

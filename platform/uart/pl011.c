/*
 * ARM PrimeCell UART (PL011) driver for the hypervisor's console
 * (PL011 TRM, DDI 0183G, 3.3 "Register descriptions").
 */
#include "../uart.h"
#include "../../hyp/bits.h"
#include "../../hyp/io.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_LCR_H 0x2c
#define UART_CR 0x30
#define UART_IFLS 0x34
#define UART_IMSC 0x38
#define UART_ICR 0x44

#define FR_RXFE BIT(4)
#define FR_TXFF BIT(5)
#define FR_BUSY BIT(3)
#define LCR_H_FEN BIT(4)
#define LCR_H_WLEN_8 (3U << 5)
#define CR_UARTEN BIT(0)
#define CR_TXE BIT(8)
#define CR_RXE BIT(9)
#define INT_RX BIT(4)
#define INT_TX BIT(5)
#define INT_RT BIT(6)
#define INT_ALL GENMASK(10, 0)

static uintptr_t reg(u32 offset)
{
	return (uintptr_t)PLAT_UART_BASE + offset;
}

void uart_init(void)
{
	mmio_write32(reg(UART_IMSC), 0);
	mmio_write32(reg(UART_ICR), INT_ALL);
	mmio_write32(reg(UART_LCR_H), LCR_H_FEN | LCR_H_WLEN_8);
	mmio_write32(reg(UART_IFLS), 0); /* interrupt at 1/8 full (rx) / 1/8 empty (tx) */
	mmio_write32(reg(UART_CR), CR_UARTEN | CR_TXE | CR_RXE);
}

bool uart_try_putc(char c)
{
	if (mmio_read32(reg(UART_FR)) & FR_TXFF)
		return false;
	mmio_write32(reg(UART_DR), (u8)c);
	return true;
}

void uart_flush(void)
{
	while (mmio_read32(reg(UART_FR)) & FR_BUSY)
		;
}

int uart_try_getc(void)
{
	if (mmio_read32(reg(UART_FR)) & FR_RXFE)
		return -1;
	return (int)(mmio_read32(reg(UART_DR)) & 0xff);
}

void uart_irq_enable(bool rx, bool tx)
{
	/* TXRIS is set on crossing the threshold and held until cleared (TRM 3.4.3). */
	mmio_write32(reg(UART_ICR), INT_TX);
	mmio_write32(reg(UART_IMSC), (rx ? INT_RX | INT_RT : 0) | (tx ? INT_TX : 0));
}

/*
 * 16550-compatible UART driver for the hypervisor's console (TI PC16550D data
 * sheet, "Register Description"); the Allwinner H3's UART0 is one (a Synopsys
 * DesignWare APB UART).  Registers are 8 bits wide, 1 << PLAT_UART_REG_SHIFT
 * bytes apart, accessed as 32-bit words.  The baud rate stays as the firmware
 * set it: the divisor latch is never touched.
 *
 * A 16550 cannot say how full its transmit FIFO is, only that it is empty
 * (LSR.THRE), so the driver counts: after THRE it may queue TX_FIFO_SIZE bytes.
 */
#include "platform/uart.h"
#include "dev/ns16550.h"
#include "tessera/io.h"
#include "pace.h"

#ifndef PLAT_UART_REG_SHIFT
#define PLAT_UART_REG_SHIFT 0
#endif

/* The 16550A's FIFO depth; the H3's UARTs have 64 bytes, so this is safe on both. */
#define TX_FIFO_SIZE 16U

static u32 tx_room; /* bytes that may still be queued since THRE was last seen */

static uintptr_t reg(u32 index)
{
	return (uintptr_t)PLAT_UART_BASE + (index << PLAT_UART_REG_SHIFT);
}

static u32 rd(u32 index)
{
	return mmio_read32(reg(index)) & 0xff;
}

static void wr(u32 index, u32 value)
{
	mmio_write32(reg(index), value);
}

void uart_init(void)
{
	u32 lcr;

	wr(NS16550_IER, 0);
	/* Let the firmware's last words leave before the FIFOs are reset. */
	uart_flush();
	wr(NS16550_FCR, NS16550_FCR_FIFOE | NS16550_FCR_RFIFOR |
				NS16550_FCR_XFIFOR); /* rx interrupt at 1 byte */
	/*
	 * Only rewrite LCR if it must change: a DesignWare UART ignores LCR
	 * writes while busy and raises a "busy detect" interrupt instead.
	 */
	lcr = rd(NS16550_LCR);
	if ((lcr & (NS16550_LCR_DLAB | NS16550_LCR_FORMAT)) != NS16550_LCR_WLS_8)
		wr(NS16550_LCR, NS16550_LCR_WLS_8);
	tx_room = TX_FIFO_SIZE;
#ifdef UART_BAUD
	uart_pace_init();
#endif
}

bool uart_try_putc(char c)
{
	if (tx_room == 0) {
		if (!(rd(NS16550_LSR) & NS16550_LSR_THRE))
			return false;
		tx_room = TX_FIFO_SIZE;
	}
#ifdef UART_BAUD
	if (!uart_pace_take())
		return false;
#endif
	wr(NS16550_THR, (u8)c);
	tx_room--;
	return true;
}

void uart_flush(void)
{
#ifdef UART_BAUD
	uart_pace_flush();
#endif
	while (!(rd(NS16550_LSR) & NS16550_LSR_TEMT))
		;
}

int uart_try_getc(void)
{
	if (!(rd(NS16550_LSR) & NS16550_LSR_DR))
		return -1;
	return (int)rd(NS16550_RBR);
}

void uart_irq_enable(bool rx, bool tx)
{
	/*
	 * Setting ETBEI while the FIFO is empty raises the interrupt at once; it
	 * clears when THR is written (or ETBEI cleared), and comes back each time
	 * the FIFO runs empty.  The receive interrupt holds while data waits.
	 */
	wr(NS16550_IER,
	   (rx ? NS16550_IER_ERBFI : 0) | (tx && UART_HAS_TX_IRQ ? NS16550_IER_ETBEI : 0));
}

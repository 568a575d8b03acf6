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
#include "../uart.h"
#include "../../hyp/bits.h"
#include "../../hyp/io.h"

#ifndef PLAT_UART_REG_SHIFT
#define PLAT_UART_REG_SHIFT 0
#endif

#define UART_RBR 0 /* receive buffer (read) */
#define UART_THR 0 /* transmit holding (write) */
#define UART_IER 1 /* interrupt enable */
#define UART_FCR 2 /* FIFO control (write) */
#define UART_LCR 3 /* line control */
#define UART_LSR 5 /* line status */

#define IER_ERBFI BIT(0) /* received data available (and character timeout) */
#define IER_ETBEI BIT(1) /* transmitter holding register empty */
#define FCR_FIFOE BIT(0)
#define FCR_RFIFOR BIT(1) /* reset the receive FIFO */
#define FCR_XFIFOR BIT(2) /* reset the transmit FIFO */
#define LCR_WLS_8 3U /* 8 data bits; with STB = PEN = 0: 8N1 */
#define LCR_FORMAT GENMASK(5, 0) /* word length, stop bits, parity */
#define LCR_DLAB BIT(7) /* divisor latch access */
#define LSR_DR BIT(0) /* data ready */
#define LSR_THRE BIT(5) /* transmit FIFO empty */
#define LSR_TEMT BIT(6) /* transmit FIFO and shift register empty */

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

	wr(UART_IER, 0);
	/* Let the firmware's last words leave before the FIFOs are reset. */
	uart_flush();
	wr(UART_FCR, FCR_FIFOE | FCR_RFIFOR | FCR_XFIFOR); /* rx interrupt at 1 byte */
	/*
	 * Only rewrite LCR if it must change: a DesignWare UART ignores LCR
	 * writes while busy and raises a "busy detect" interrupt instead.
	 */
	lcr = rd(UART_LCR);
	if ((lcr & (LCR_DLAB | LCR_FORMAT)) != LCR_WLS_8)
		wr(UART_LCR, LCR_WLS_8);
	tx_room = TX_FIFO_SIZE;
}

bool uart_try_putc(char c)
{
	if (tx_room == 0) {
		if (!(rd(UART_LSR) & LSR_THRE))
			return false;
		tx_room = TX_FIFO_SIZE;
	}
	wr(UART_THR, (u8)c);
	tx_room--;
	return true;
}

void uart_flush(void)
{
	while (!(rd(UART_LSR) & LSR_TEMT))
		;
}

int uart_try_getc(void)
{
	if (!(rd(UART_LSR) & LSR_DR))
		return -1;
	return (int)rd(UART_RBR);
}

void uart_irq_enable(bool rx, bool tx)
{
	/*
	 * Setting ETBEI while the FIFO is empty raises the interrupt at once; it
	 * clears when THR is written (or ETBEI cleared), and comes back each time
	 * the FIFO runs empty.  The receive interrupt holds while data waits.
	 */
	wr(UART_IER, (rx ? IER_ERBFI : 0) | (tx ? IER_ETBEI : 0));
}

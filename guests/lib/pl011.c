/*
 * PL011 UART driver (PL011 TRM, ARM DDI 0183): polled and interrupt-driven paths.
 *
 * Concurrency: the RX and TX rings have one producer and one consumer each (the ISR and the
 * caller); IMSC read-modify-writes and polled draining of the TX ring run with IRQs masked.
 * Single CPU only: secondary CPUs must use the polled functions under their own lock.
 * Console output translates "\n" into "\r\n".
 */
#include "guest.h"

#define RX_RING_SIZE 256U
#define TX_RING_SIZE 2048U

static struct {
	char rx[RX_RING_SIZE];
	volatile uint32_t rx_head; /* written by the ISR */
	volatile uint32_t rx_tail; /* written by readers */
	char tx[TX_RING_SIZE];
	volatile uint32_t tx_head; /* written by writers */
	volatile uint32_t tx_tail; /* written by whoever feeds the FIFO, IRQs masked */
	bool irq_mode;
	bool tx_irq;
	pl011_callback_t callback;
	void *callback_arg;
	struct pl011_stats stats;
} uart;

static uintptr_t uart_base = PL011_BASE;
static bool uart_sbsa;

void pl011_set_base(uintptr_t base, bool sbsa)
{
	uart_base = base;
	uart_sbsa = sbsa;
}

uintptr_t pl011_base(void)
{
	return uart_base;
}

static uint32_t reg_read(uint32_t off)
{
	return mmio_read32(uart_base + off);
}

static void reg_write(uint32_t off, uint32_t v)
{
	mmio_write32(uart_base + off, v);
}

void pl011_init(void)
{
	if (uart_sbsa) {
		reg_write(PL011_IMSC, 0);
		reg_write(PL011_ICR, PL011_INT_ALL);
		return;
	}
	/* Let the firmware's last characters leave before reprogramming (TRM 3.3.8, note). */
	while (reg_read(PL011_FR) & PL011_FR_BUSY)
		;
	reg_write(PL011_CR, 0);
	reg_write(PL011_IMSC, 0);
	reg_write(PL011_ICR, PL011_INT_ALL);
	/* The baud rate divisors are left as the firmware set them (QEMU ignores them). */
	reg_write(PL011_LCR_H, PL011_LCR_H_WLEN_8 | PL011_LCR_H_FEN);
	reg_write(PL011_CR, PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE);
}

static void putc_polled(char c)
{
	while (reg_read(PL011_FR) & PL011_FR_TXFF)
		;
	reg_write(PL011_DR, (uint8_t)c);
}

/* Promises: moves queued TX bytes into the FIFO until it is full or the ring empty.  IRQs
 * masked by the caller. */
static void tx_fill(void)
{
	while (uart.tx_tail != uart.tx_head && !(reg_read(PL011_FR) & PL011_FR_TXFF)) {
		reg_write(PL011_DR, (uint8_t)uart.tx[uart.tx_tail % TX_RING_SIZE]);
		uart.tx_tail = uart.tx_tail + 1U;
		uart.stats.tx_bytes++;
	}
}

/* Promises: the TX ring is empty (its bytes went out by polling).  IRQs masked by the caller. */
static void tx_drain_polled(void)
{
	while (uart.tx_tail != uart.tx_head) {
		putc_polled(uart.tx[uart.tx_tail % TX_RING_SIZE]);
		uart.tx_tail = uart.tx_tail + 1U;
	}
}

void pl011_putc(char c)
{
	uint32_t flags = cpu_irq_save();

	tx_drain_polled();
	putc_polled(c);
	cpu_irq_restore(flags);
}

void pl011_puts(const char *s)
{
	uint32_t flags = cpu_irq_save();

	tx_drain_polled();
	for (; *s; s++) {
		if (*s == '\n')
			putc_polled('\r');
		putc_polled(*s);
	}
	cpu_irq_restore(flags);
}

void pl011_put_hex(uint32_t v)
{
	char buf[11];
	int i;

	buf[0] = '0';
	buf[1] = 'x';
	for (i = 0; i < 8; i++) {
		uint32_t nibble = (v >> (28 - 4 * i)) & 0xfU;

		buf[2 + i] = (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
	}
	buf[10] = '\0';
	pl011_puts(buf);
}

void pl011_put_dec(uint32_t v)
{
	char buf[11];
	int i = 10;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10U);
		v /= 10U;
	} while (v && i > 0);
	pl011_puts(&buf[i]);
}

bool pl011_getc_nowait(char *c)
{
	if (uart.irq_mode) {
		if (uart.rx_tail == uart.rx_head)
			return false;
		*c = uart.rx[uart.rx_tail % RX_RING_SIZE];
		uart.rx_tail = uart.rx_tail + 1U;
		return true;
	}
	if (reg_read(PL011_FR) & PL011_FR_RXFE)
		return false;
	*c = (char)(reg_read(PL011_DR) & 0xffU);
	return true;
}

char pl011_getc(void)
{
	char c;

	for (;;) {
		uint32_t flags;
		bool got;

		if (!uart.irq_mode || cpu_irqs_masked()) {
			if (pl011_getc_nowait(&c))
				return c;
			continue;
		}
		/*
		 * Looked at and slept on with IRQs masked: a byte whose interrupt came between the
		 * look and the WFI would otherwise wait there for the next interrupt of any kind.
		 * A pending interrupt ends WFI even while masked; it is taken at the restore.
		 */
		flags = cpu_irq_save();
		got = pl011_getc_nowait(&c);
		if (!got)
			cpu_wfi();
		cpu_irq_restore(flags);
		if (got)
			return c;
	}
}

static void imsc_update(uint32_t set, uint32_t clear)
{
	uint32_t flags = cpu_irq_save();

	reg_write(PL011_IMSC, (reg_read(PL011_IMSC) & ~clear) | set);
	cpu_irq_restore(flags);
}

static void pl011_isr(uint32_t intid, void *arg)
{
	uint32_t mis = reg_read(PL011_MIS);

	UNUSED(intid);
	UNUSED(arg);
	uart.stats.irq_count++;
	if (mis & (PL011_INT_RX | PL011_INT_RT)) {
		bool rx = false;

		while (!(reg_read(PL011_FR) & PL011_FR_RXFE)) {
			char c = (char)(reg_read(PL011_DR) & 0xffU);

			if (uart.rx_head - uart.rx_tail >= RX_RING_SIZE) {
				uart.stats.rx_dropped++;
				continue;
			}
			uart.rx[uart.rx_head % RX_RING_SIZE] = c;
			uart.rx_head = uart.rx_head + 1U;
			uart.stats.rx_bytes++;
			rx = true;
		}
		reg_write(PL011_ICR, PL011_INT_RX | PL011_INT_RT);
		if (rx && uart.callback)
			uart.callback(PL011_EVENT_RX, uart.callback_arg);
	}
	if (mis & PL011_INT_TX) {
		uint32_t before = uart.tx_head - uart.tx_tail;

		reg_write(PL011_ICR, PL011_INT_TX);
		tx_fill();
		if (uart.tx_tail == uart.tx_head)
			reg_write(PL011_IMSC, reg_read(PL011_IMSC) & ~PL011_INT_TX);
		if (uart.callback && before >= TX_RING_SIZE / 2U &&
		    uart.tx_head - uart.tx_tail < TX_RING_SIZE / 2U)
			uart.callback(PL011_EVENT_TX_SPACE, uart.callback_arg);
	}
}

bool pl011_irq_init(uint8_t priority, pl011_callback_t callback, void *arg)
{
	uart.callback = callback;
	uart.callback_arg = arg;
	if (!gic_register(PL011_INTID, pl011_isr, NULL))
		return false;
	gic_irq_set_priority(PL011_INTID, priority);
	gic_irq_set_edge(PL011_INTID, false);
	gic_irq_set_target(PL011_INTID, 1U);
	uart.irq_mode = true;
	reg_write(PL011_ICR, PL011_INT_ALL);
	imsc_update(PL011_INT_RX | PL011_INT_RT, 0);
	gic_irq_enable(PL011_INTID);
	return true;
}

void pl011_tx_irq_enable(bool enable)
{
	uint32_t flags = cpu_irq_save();

	if (!enable) {
		tx_drain_polled();
		imsc_update(0, PL011_INT_TX);
	}
	uart.tx_irq = enable && uart.irq_mode;
	cpu_irq_restore(flags);
}

/* Promises: queues c for the TX interrupt, waiting (IRQs enabled) while the ring is full. */
static void tx_queue(char c)
{
	while (uart.tx_head - uart.tx_tail >= TX_RING_SIZE) {
		uint32_t flags = cpu_irq_save();

		tx_fill();
		cpu_irq_restore(flags);
	}
	uart.tx[uart.tx_head % TX_RING_SIZE] = c;
	uart.tx_head = uart.tx_head + 1U;
}

size_t pl011_write(const void *buf, size_t len)
{
	const char *p = buf;
	uint32_t flags;
	size_t i;

	/* Polled when interrupts cannot drain the ring: before pl011_irq_init, IRQs masked or
	 * in an exception handler. */
	if (!uart.tx_irq || cpu_irqs_masked()) {
		flags = cpu_irq_save();
		tx_drain_polled();
		for (i = 0; i < len; i++) {
			if (p[i] == '\n')
				putc_polled('\r');
			putc_polled(p[i]);
		}
		cpu_irq_restore(flags);
		return len;
	}
	for (i = 0; i < len; i++) {
		if (p[i] == '\n')
			tx_queue('\r');
		tx_queue(p[i]);
	}
	/* Start the transfer: the first bytes go straight into the FIFO, the TX interrupt (at
	 * or below the FIFO trigger level, TRM 2.9.2) refills it. */
	flags = cpu_irq_save();
	tx_fill();
	if (uart.tx_tail != uart.tx_head)
		reg_write(PL011_IMSC, reg_read(PL011_IMSC) | PL011_INT_TX);
	cpu_irq_restore(flags);
	return len;
}

size_t pl011_read(void *buf, size_t len)
{
	char *p = buf;
	size_t n = 0;

	while (n < len && pl011_getc_nowait(&p[n]))
		n++;
	return n;
}

void pl011_flush(void)
{
	uint32_t flags = cpu_irq_save();

	tx_drain_polled();
	cpu_irq_restore(flags);
	while (!uart_sbsa &&
	       (!(reg_read(PL011_FR) & PL011_FR_TXFE) || (reg_read(PL011_FR) & PL011_FR_BUSY)))
		;
}

struct pl011_stats pl011_get_stats(void)
{
	return uart.stats;
}

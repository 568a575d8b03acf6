/*
 * ARM PL011 UART driver (PrimeCell UART (PL011) Technical Reference Manual, r1p5, ARM DDI 0183).
 *
 * One UART, the console: 0x09000000, INTID 33 on QEMU virt and in every Tessera partition
 * (there it is emulated).  Polled putc/getc work at any time, from any mode, with interrupts
 * masked; the interrupt-driven paths (RX ring filled by the RX/RX-timeout interrupts, TX ring
 * drained by the TX interrupt) are enabled by pl011_irq_init() and need the GIC.
 */
#ifndef GUEST_PL011_H
#define GUEST_PL011_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bits.h"

/* QEMU virt's UART: the default until pl011_set_base() (guest_c_start: the device tree). */
#define PL011_BASE 0x09000000U
#define PL011_INTID 33U

/* The PL011 register map: one copy, the hypervisor's, shared by the guests. */
#include "dev/pl011.h"

/* Events reported to the callback from interrupt context. */
enum pl011_event {
	PL011_EVENT_RX, /* bytes arrived in the RX ring */
	PL011_EVENT_TX_SPACE, /* the TX ring drained below half */
};

typedef void (*pl011_callback_t)(enum pl011_event event, void *arg);

/* Statistics of the interrupt-driven paths. */
struct pl011_stats {
	uint32_t irq_count; /* UART interrupts taken */
	uint32_t rx_bytes; /* bytes moved by the RX interrupt */
	uint32_t rx_dropped; /* bytes lost because the RX ring was full */
	uint32_t tx_bytes; /* bytes moved by the TX interrupt */
};

/*
 * Where the UART is (before pl011_init).  sbsa: an SBSA generic UART (Arm DEN0094, appendix B;
 * "arm,sbsa-uart", a Xen domU's vpl011): only DR, RSR, FR, IMSC, RIS, MIS and ICR exist, so
 * pl011_init() leaves the line and control set-up alone, and pl011_flush() does not wait for
 * TXFE, which Xen's vpl011 never sets again once written.
 */
void pl011_set_base(uintptr_t base, bool sbsa);
uintptr_t pl011_base(void);
/* 8N1, FIFOs on, interrupts masked; the baud rate is left as the firmware set it. */
void pl011_init(void);
/* Polled output (after anything queued for the TX interrupt); puts turns "\n" into "\r\n". */
void pl011_putc(char c);
void pl011_puts(const char *s);
void pl011_put_hex(uint32_t v);
void pl011_put_dec(uint32_t v);
/* A received byte, from the RX ring in interrupt mode, else from the FIFO. */
bool pl011_getc_nowait(char *c);
char pl011_getc(void);

/* Interrupt mode: RX and RX-timeout interrupts fill the RX ring; the callback runs in the ISR. */
bool pl011_irq_init(uint8_t priority, pl011_callback_t callback, void *arg);
/* Let pl011_write() queue output for the TX interrupt (needs pl011_irq_init). */
void pl011_tx_irq_enable(bool enable);
/* Console write ("\n" -> "\r\n"): queued for the TX interrupt when enabled and IRQs are
 * unmasked (waits while the ring is full), polled otherwise. */
size_t pl011_write(const void *buf, size_t len);
/* What has been received, without waiting. */
size_t pl011_read(void *buf, size_t len);
/* Wait until every byte has left the UART. */
void pl011_flush(void);
struct pl011_stats pl011_get_stats(void);

#endif /* GUEST_PL011_H */

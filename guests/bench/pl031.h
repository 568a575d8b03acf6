/*
 * QEMU virt's PL031 RTC (PrimeCell PL031 TRM), whose alarm both bench roles raise at will:
 * QEMU raises it at once when the match register is written with the current count (its
 * resolution is one second otherwise).  bench.c's passthrough-SPI figure, noisy.c's flood.
 */
#ifndef BENCH_PL031_H
#define BENCH_PL031_H

#include <stdint.h>

#include "guest.h"

#define RTC_DR 0x00
#define RTC_MR 0x04
#define RTC_CR 0x0c
#define RTC_IMSC 0x10
#define RTC_ICR 0x1c
#define RTC_INTID 34U /* QEMU virt's PL031: SPI 2 */

/* The RTC at 'base' counting, its alarm's interrupt on (level) and handled by 'isr'. */
static inline void pl031_alarm_on(uintptr_t base, gic_handler_t isr)
{
	gic_register(RTC_INTID, isr, NULL);
	gic_irq_set_edge(RTC_INTID, false);
	gic_irq_enable(RTC_INTID);
	mmio_write32(base + RTC_CR, 1);
	mmio_write32(base + RTC_IMSC, 1);
}

#endif /* BENCH_PL031_H */

/*
 * ARM generic timer (ARM ARM B8): frequency, 64-bit counters, the virtual timer (PPI 11,
 * INTID 27) and the non-secure physical timer (PPI 14, INTID 30), delays.
 *
 * Under Tessera the virtual timer belongs to the partition; the physical timer may be denied
 * (CNTHCTL), then its accessors fault.
 */
#ifndef GUEST_GTIMER_H
#define GUEST_GTIMER_H

#include <stdbool.h>
#include <stdint.h>

#include "bits.h"

#define GTIMER_VIRT_INTID 27U
#define GTIMER_PHYS_INTID 30U

/* CNTV_CTL / CNTP_CTL (ARM ARM B8.5.7). */
#define GTIMER_CTL_ENABLE BIT(0)
#define GTIMER_CTL_IMASK BIT(1)
#define GTIMER_CTL_ISTATUS BIT(2)

/* CNTFRQ in Hz. */
uint32_t gtimer_freq(void);
/* CNTVCT / CNTPCT, read after an ISB. */
uint64_t gtimer_virt_count(void);
uint64_t gtimer_phys_count(void);

void gtimer_virt_set_cval(uint64_t cval);
uint64_t gtimer_virt_get_cval(void);
void gtimer_virt_set_tval(uint32_t tval);
void gtimer_virt_set_ctl(uint32_t ctl);
uint32_t gtimer_virt_get_ctl(void);
/* Fire (and enable, unmasked) when the count reaches cval, or `count` ticks from now. */
void gtimer_virt_arm_at(uint64_t cval);
void gtimer_virt_arm_in(uint64_t count);
void gtimer_virt_stop(void);

void gtimer_phys_set_cval(uint64_t cval);
uint64_t gtimer_phys_get_cval(void);
void gtimer_phys_set_tval(uint32_t tval);
void gtimer_phys_set_ctl(uint32_t ctl);
uint32_t gtimer_phys_get_ctl(void);
void gtimer_phys_arm_at(uint64_t cval);
void gtimer_phys_arm_in(uint64_t count);
void gtimer_phys_stop(void);

/* Conversions without overflow for any 64-bit count below 4 GHz. */
uint64_t gtimer_ns_to_count(uint64_t ns);
uint64_t gtimer_count_to_ns(uint64_t count);
uint64_t gtimer_uptime_ns(void);
/* Busy-wait on the virtual counter. */
void gtimer_delay_count(uint64_t count);
void gtimer_delay_us(uint32_t us);
void gtimer_delay_ms(uint32_t ms);

#endif /* GUEST_GTIMER_H */

/*
 * Generic timer access (ARM ARM B8).  Counter reads are preceded by an ISB: without it they
 * may be performed out of order with earlier instructions (B8.1.2).
 */
#include "guest.h"

uint32_t gtimer_freq(void)
{
	return read_cntfrq();
}

uint64_t gtimer_virt_count(void)
{
	isb();
	return read64_cntvct();
}

uint64_t gtimer_phys_count(void)
{
	isb();
	return read64_cntpct();
}

void gtimer_virt_set_cval(uint64_t cval)
{
	write64_cntv_cval(cval);
	isb();
}

uint64_t gtimer_virt_get_cval(void)
{
	return read64_cntv_cval();
}

void gtimer_virt_set_tval(uint32_t tval)
{
	write_cntv_tval(tval);
	isb();
}

void gtimer_virt_set_ctl(uint32_t ctl)
{
	write_cntv_ctl(ctl);
	isb();
}

uint32_t gtimer_virt_get_ctl(void)
{
	return read_cntv_ctl();
}

void gtimer_virt_arm_at(uint64_t cval)
{
	gtimer_virt_set_cval(cval);
	gtimer_virt_set_ctl(GTIMER_CTL_ENABLE);
}

void gtimer_virt_arm_in(uint64_t count)
{
	gtimer_virt_arm_at(gtimer_virt_count() + count);
}

void gtimer_virt_stop(void)
{
	gtimer_virt_set_ctl(0);
}

void gtimer_phys_set_cval(uint64_t cval)
{
	write64_cntp_cval(cval);
	isb();
}

uint64_t gtimer_phys_get_cval(void)
{
	return read64_cntp_cval();
}

void gtimer_phys_set_tval(uint32_t tval)
{
	write_cntp_tval(tval);
	isb();
}

void gtimer_phys_set_ctl(uint32_t ctl)
{
	write_cntp_ctl(ctl);
	isb();
}

uint32_t gtimer_phys_get_ctl(void)
{
	return read_cntp_ctl();
}

void gtimer_phys_arm_at(uint64_t cval)
{
	gtimer_phys_set_cval(cval);
	gtimer_phys_set_ctl(GTIMER_CTL_ENABLE);
}

void gtimer_phys_arm_in(uint64_t count)
{
	gtimer_phys_arm_at(gtimer_phys_count() + count);
}

void gtimer_phys_stop(void)
{
	gtimer_phys_set_ctl(0);
}

/* Promises: count * mul / div without overflowing for any count of a 64-bit counter whose
 * frequency is below 4 GHz. */
static uint64_t scale(uint64_t count, uint64_t mul, uint64_t div)
{
	return (count / div) * mul + (count % div) * mul / div;
}

uint64_t gtimer_ns_to_count(uint64_t ns)
{
	return scale(ns, gtimer_freq(), 1000000000ULL);
}

uint64_t gtimer_count_to_ns(uint64_t count)
{
	uint32_t freq = gtimer_freq();

	return freq ? scale(count, 1000000000ULL, freq) : 0;
}

uint64_t gtimer_uptime_ns(void)
{
	return gtimer_count_to_ns(gtimer_virt_count());
}

void gtimer_delay_count(uint64_t count)
{
	uint64_t start = gtimer_virt_count();

	while (gtimer_virt_count() - start < count)
		;
}

void gtimer_delay_us(uint32_t us)
{
	gtimer_delay_count(gtimer_ns_to_count((uint64_t)us * 1000U));
}

void gtimer_delay_ms(uint32_t ms)
{
	gtimer_delay_count(gtimer_ns_to_count((uint64_t)ms * 1000000U));
}

/*
 * Decoding of a data abort's syndrome into the access it describes (ARM ARM
 * B3.13.6, ISS of data aborts with ISV = 1).  Pure logic, host-tested.
 */
#include "hyp.h"

bool mmio_decode(u32 hsr, u32 offset, struct mmio_access *a)
{
	if (!(hsr & HSR_DABT_ISV))
		return false;
	a->offset = offset;
	a->size = 1U << ((hsr & HSR_DABT_SAS_MASK) >> HSR_DABT_SAS_SHIFT);
	a->write = hsr & HSR_DABT_WNR;
	a->sign_extend = hsr & HSR_DABT_SSE;
	a->reg = (hsr & HSR_DABT_SRT_MASK) >> HSR_DABT_SRT_SHIFT;
	if (a->size > 4 || a->reg == 15)
		return false; /* doubleword (reserved here) or the PC: not emulated */
	return true;
}

u32 mmio_load_value(u32 value, u32 size, bool sign_extend)
{
	u32 bits = size * 8;

	if (bits >= 32)
		return value;
	value &= (1U << bits) - 1;
	if (sign_extend && (value & (1U << (bits - 1))))
		value |= ~((1U << bits) - 1);
	return value;
}

/*
 * MMIO accessors for the hypervisor's own devices (UART, GIC).  The
 * hypervisor maps MMIO as Device memory, so each access is single-copy atomic
 * and ordered with other Device accesses (ARM ARM A3.5.5).
 */
#ifndef TESSERA_IO_H
#define TESSERA_IO_H

#include "tessera/types.h"

static inline u32 mmio_read32(uintptr_t addr)
{
	return *(volatile u32 *)addr;
}

static inline void mmio_write32(uintptr_t addr, u32 v)
{
	*(volatile u32 *)addr = v;
}

static inline u8 mmio_read8(uintptr_t addr)
{
	return *(volatile u8 *)addr;
}

static inline void mmio_write8(uintptr_t addr, u8 v)
{
	*(volatile u8 *)addr = v;
}

#endif /* TESSERA_IO_H */

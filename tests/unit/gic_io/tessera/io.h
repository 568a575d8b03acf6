/*
 * The MMIO accessors of include/tessera/io.h for the host build of vgic/gic.c
 * (tests/unit/gic_test.c, which puts this directory first on the include
 * path): every access goes to the test's register file, which checks it is
 * naturally aligned, as Device memory requires (ARM ARM A3.2.1: an unaligned
 * access to Device memory is an alignment fault whatever SCTLR.A says).
 */
#ifndef TESSERA_IO_H
#define TESSERA_IO_H

#include "tessera/types.h"

u32 gic_test_io_read(uintptr_t addr, u32 size);
void gic_test_io_write(uintptr_t addr, u32 size, u32 value);

static inline u32 mmio_read32(uintptr_t addr)
{
	return gic_test_io_read(addr, 4);
}

static inline void mmio_write32(uintptr_t addr, u32 v)
{
	gic_test_io_write(addr, 4, v);
}

static inline u8 mmio_read8(uintptr_t addr)
{
	return (u8)gic_test_io_read(addr, 1);
}

static inline void mmio_write8(uintptr_t addr, u8 v)
{
	gic_test_io_write(addr, 1, v);
}

#endif /* TESSERA_IO_H */

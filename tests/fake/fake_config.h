/*
 * A fixed system for host builds of the hypervisor (fake_config.c): three
 * partitions on the four CPUs of the fake QEMU virt, with guest RAM the host
 * really has, mapped at the low physical addresses the configuration names,
 * so the hypervisor's copies to and from "physical" memory land in it.
 *
 *   partition 0 "alpha": vCPU 0 on cpu0; RAM 16 KiB; passthrough SPIs 40, 41;
 *                        channel 0 (RW), doorbell 50; a passthrough device page
 *   partition 1 "beta":  vCPUs on cpu1, cpu2; RAM 16 KiB and a read-only 8 KiB;
 *                        passthrough SPI 42; channel 0 (read-only), doorbell 51
 *   partition 2 "gamma": vCPU 0 on cpu3; RAM 12 KiB; no channel
 *
 * RAM is small so that the tests can compare all of it after every hypercall.
 *
 * Every partition sees RAM at IPA 0x40000000, the emulated GICD at 0x08000000,
 * GICV at 0x08010000 and the emulated PL011 (INTID 33) at 0x09000000; with
 * fake_config_use_gpio(), alpha and beta a doorbell PL061 each at 0x0b000000.
 */
#ifndef TESSERA_FAKE_CONFIG_H
#define TESSERA_FAKE_CONFIG_H

#include "hyp/arch/inject.h"
#include "hyp/arch/trap.h"
#include "hyp/core/cpu.h"
#include "hyp/core/fault.h"
#include "hyp/core/guest_mem.h"
#include "hyp/core/hypercall.h"
#include "hyp/core/log.h"
#include "hyp/core/partition.h"
#include "hyp/core/timer.h"
#include "hyp/dev/console.h"
#include "hyp/dev/mmio.h"
#include "hyp/dev/vuart.h"

/* Physical layout: all of it mapped on the host, at these very addresses. */
#define FAKE_RAM_PA 0x40000000ULL
#define FAKE_P0_RAM_PA (FAKE_RAM_PA + 0x0000) /* alpha: 16 KiB */
#define FAKE_P1_RAM_PA (FAKE_RAM_PA + 0x4000) /* beta: 16 KiB */
#define FAKE_P1_RO_PA (FAKE_RAM_PA + 0x8000) /* beta, read-only: 8 KiB */
#define FAKE_P2_RAM_PA (FAKE_RAM_PA + 0xa000) /* gamma: 12 KiB */
#define FAKE_SHARED_PA (FAKE_RAM_PA + 0xd000) /* channel 0: 4 KiB */
#define FAKE_UNOWNED_PA (FAKE_RAM_PA + 0xe000) /* no partition's: 8 KiB */
#define FAKE_STORE_PA (FAKE_RAM_PA + 0x10000) /* the image store: 4 KiB */
#define FAKE_RAM_SIZE 0x11000U
#define FAKE_PART_RAM_SIZE 0x4000U /* alpha's and beta's */

#define FAKE_GUEST_RAM_IPA 0x40000000U
#define FAKE_SHARED_IPA 0x50000000U
#define FAKE_RO_IPA 0x41000000U /* partition 1's read-only RAM */
#define FAKE_DEVICE_PA 0x0a000000ULL /* a passthrough device: never mapped on the host */
#define FAKE_GPIO_IPA 0x0b000000U /* the channel ends' doorbell PL061s, if they have them */

/* Map guest RAM (once) and set the configuration to its defaults; RAM is zeroed. */
void fake_config_reset(void);

/* Fault policy of a partition (enum cfg_fault_policy) and its restart bound. */
void fake_config_set_policy(u32 partition, u32 policy, u32 restart_max, u32 window_ms);

/*
 * Give both ends of channel 0 a doorbell GPIO (vgpios[0] alpha's, [1] beta's, each at
 * FAKE_GPIO_IPA): rings then go through the peer's PL061.  Until fake_config_reset().
 */
void fake_config_use_gpio(void);

/* The writable configuration behind cfg_system. */
struct cfg_partition *fake_config_partition(u32 partition);

/* Host pointer to a physical address of guest RAM, or NULL outside it. */
u8 *fake_ram(u64 pa, u64 len);

#endif

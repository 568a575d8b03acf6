/*
 * Sizes of the fake system of fake_config.c, standing in for the config
 * compiler's generated config_gen.h in host builds of the hypervisor.
 */
#ifndef TESSERA_FAKE_CONFIG_GEN_H
#define TESSERA_FAKE_CONFIG_GEN_H

#define CFG_PARTITION_COUNT 3
#define CFG_CHANNEL_COUNT 1
#define CFG_GPIO_COUNT 2
#define CFG_WATCHDOG_COUNT 1
#define CFG_MANAGER_COUNT 1
#define CFG_FAULT_POLICIES 0x7 /* stop, restart, inject */
#define CFG_S2_TABLE_COUNT 64
#define CFG_MAX_VIRQ 128
#define CFG_VMID_BITS 2

#endif

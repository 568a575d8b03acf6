/*
 * Stand-in for the config compiler's generated config_gen.h, for host unit
 * tests that include the hypervisor's headers without a configuration.
 */
#ifndef TESSERA_TEST_CONFIG_GEN_H
#define TESSERA_TEST_CONFIG_GEN_H

#define CFG_PARTITION_COUNT 4
#define CFG_CHANNEL_COUNT 2
#define CFG_GPIO_COUNT 2
#define CFG_WATCHDOG_COUNT 1
#define CFG_MANAGER_COUNT 1
#define CFG_FAULT_POLICIES 0x7 /* stop, restart, inject */
#define CFG_S2_TABLE_COUNT 16
#define CFG_MAX_VIRQ 128
#define CFG_VMID_BITS 8

#endif

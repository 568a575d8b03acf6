/*
 * C start-up and machine-level services: device tree discovery, the PSCI conduit, MMU,
 * console and newlib set-up before main(); halting and powering off.
 */
#include "guest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

uintptr_t guest_boot_r2_value;
uint32_t guest_boot_in_hyp;
uint64_t guest_boot_count_value __attribute__((aligned(8)));

extern char __heap_start[];
extern char __heap_end[];

static struct fdt boot_fdt;
static bool have_fdt;

/* The MMU is on unless the program defines guest_use_mmu = false. */
static bool use_mmu(void)
{
	return !&guest_use_mmu || guest_use_mmu;
}

/* newlib's constructor runner, and the _init/_fini it calls (no crti/crtn: -nostartfiles). */
void __libc_init_array(void);
void _init(void);
void _fini(void);

void _init(void)
{
}

void _fini(void)
{
}

const struct fdt *guest_fdt(void)
{
	return have_fdt ? &boot_fdt : NULL;
}

uintptr_t guest_boot_r2(void)
{
	return guest_boot_r2_value;
}

bool guest_entered_hyp(void)
{
	return guest_boot_in_hyp != 0;
}

uint64_t guest_boot_count(void)
{
	/* Read by the second instruction (the first is the reset branch); under QEMU -icount the
	 * count a read returns includes the reading instruction itself. */
	return guest_boot_count_value - 2U;
}

const char *guest_bootargs(void)
{
	const char *args;

	if (!have_fdt)
		return (&guest_default_bootargs && guest_default_bootargs) ?
			       guest_default_bootargs :
			       "";
	args = fdt_bootargs(&boot_fdt);
	return args ? args : "";
}

uintptr_t guest_heap_start(void)
{
	return (uintptr_t)__heap_start;
}

uintptr_t guest_heap_end(void)
{
	uintptr_t start = (uintptr_t)__heap_start, end = (uintptr_t)__heap_end;
	uint64_t base, size;

	/*
	 * The link assumes RAM of __ram_size with the device tree at its top: in a smaller
	 * partition its RAM, and the device tree the hypervisor placed, end the heap sooner.
	 */
	if (have_fdt) {
		if (guest_boot_r2_value > start && guest_boot_r2_value < end)
			end = guest_boot_r2_value;
		if (fdt_memory(&boot_fdt, &base, &size) && base <= start && base + size > start &&
		    base + size < end)
			end = (uintptr_t)(base + size);
	}
	return end;
}

void guest_raw_puts(const char *s)
{
	pl011_puts(s);
}

/* Promises: true iff r2 can be dereferenced as a device tree: 8-byte aligned, inside RAM. */
static bool plausible_dtb(uintptr_t r2)
{
	return r2 != 0 && IS_ALIGNED(r2, 8U) && r2 >= GUEST_RAM_BASE &&
	       r2 - GUEST_RAM_BASE < 0x80000000U - FDT_MAX_SIZE;
}

/* Promises: the UART node /chosen/stdout-path names ("/pl011@9000000:115200"), or -1. */
static int stdout_node(void)
{
	const char *path =
		fdt_getprop_string(&boot_fdt, fdt_path_offset(&boot_fdt, "/chosen"), "stdout-path");
	char buf[64];
	size_t len;

	if (!path)
		return -1;
	len = strcspn(path, ":");
	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, path, len);
	buf[len] = '\0';
	return fdt_path_offset(&boot_fdt, buf);
}

/*
 * Promises: the GIC and the console UART are the device tree's when it describes them (a
 * Tessera partition with other IPAs, a Xen domU), else QEMU virt's.  The console is the node
 * /chosen/stdout-path names, else the first PL011 or SBSA UART.
 */
static void discover_devices(void)
{
	static const char *const gics[] = { "arm,cortex-a15-gic", "arm,gic-400",
					    "arm,cortex-a7-gic" };
	uint64_t gicd, gicc, uart, size;
	size_t i;
	int node;

	for (i = 0; i < ARRAY_SIZE(gics); i++) {
		node = fdt_next_compatible(&boot_fdt, -1, gics[i]);
		if (node >= 0 && fdt_reg(&boot_fdt, node, 0, &gicd, &size) &&
		    fdt_reg(&boot_fdt, node, 1, &gicc, &size) && gicd < BIT64(32) &&
		    gicc < BIT64(32)) {
			gic_set_base((uintptr_t)gicd, (uintptr_t)gicc);
			break;
		}
	}
	node = stdout_node();
	if (node < 0 || !(fdt_node_is_compatible(&boot_fdt, node, "arm,pl011") ||
			  fdt_node_is_compatible(&boot_fdt, node, "arm,sbsa-uart")))
		node = fdt_next_compatible(&boot_fdt, -1, "arm,sbsa-uart");
	if (node < 0)
		node = fdt_next_compatible(&boot_fdt, -1, "arm,pl011");
	if (node >= 0 && fdt_reg(&boot_fdt, node, 0, &uart, &size) && uart < BIT64(32))
		pl011_set_base((uintptr_t)uart,
			       fdt_node_is_compatible(&boot_fdt, node, "arm,sbsa-uart"));
}

void guest_c_start(void)
{
	const char *method;

	have_fdt = plausible_dtb(guest_boot_r2_value) &&
		   fdt_init(&boot_fdt, (const void *)guest_boot_r2_value);
	if (have_fdt)
		discover_devices();
	method = have_fdt ? fdt_psci_method(&boot_fdt) : NULL;
	smccc_use_smc(guest_boot_in_hyp || (method && method[0] == 's'));
	if (use_mmu())
		mmu_enable();
	pl011_init();
	guest_syscalls_init();
	/* Unbuffered: each printf reaches _write as one piece, so lines do not interleave. */
	setvbuf(stdout, NULL, _IONBF, 0);
	setvbuf(stderr, NULL, _IONBF, 0);
	__libc_init_array();
	exit(main());
}

__attribute__((weak)) void guest_secondary_main(uint32_t context)
{
	UNUSED(context);
	guest_halt();
}

void guest_c_secondary(uint32_t context)
{
	if (use_mmu())
		mmu_enable_secondary();
	guest_secondary_main(context);
	psci_cpu_off();
	guest_halt();
}

void guest_halt(void)
{
	cpu_irq_disable();
	for (;;)
		cpu_wfi();
}

void guest_panic(const char *msg)
{
	guest_raw_puts("\nguest: panic: ");
	guest_raw_puts(msg);
	guest_raw_puts("\n");
	guest_halt();
}

void guest_power_off(void)
{
	pl011_flush();
	psci_system_off();
	guest_raw_puts("guest: PSCI SYSTEM_OFF returned, halting\n");
	guest_halt();
}

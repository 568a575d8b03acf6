/*
 * The RTOS image's main(): picks the role from the bootargs and starts the kernel.
 *
 * rtos.elf and rtos-test.elf are built from the same sources; rtos-test.elf is compiled with
 * RTOS_DEFAULT_BOOTARGS="test", the bootargs used when there is no device tree (bare QEMU's
 * -kernel passes none), so the self-test suite runs bare too.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "guest.h"

#ifndef RTOS_DEFAULT_BOOTARGS
#define RTOS_DEFAULT_BOOTARGS ""
#endif

const char *const guest_default_bootargs = RTOS_DEFAULT_BOOTARGS;

static const char *environment(void)
{
	if (tessera_present())
		return "Tessera partition";
	return guest_fdt() ? "device tree without Tessera" : "bare, no device tree";
}

int main(void)
{
	const char *args = guest_bootargs();
	char role[24] = "";

	rtos_init();
	printf("rtos: Tessera RTOS on %s, tick %lu Hz, counter %lu Hz, bootargs \"%s\"\n",
	       environment(), (unsigned long)rtos_tick_hz(), (unsigned long)gtimer_freq(), args);
	(void)bootargs_get(args, "role", role, sizeof(role));
	if (bootargs_has(args, "test") || strcmp(role, "test") == 0) {
		selftest_start();
	} else if (strcmp(role, "producer") == 0) {
		if (!producer_start())
			demo_start();
	} else if (strcmp(role, "consumer") == 0) {
		if (!consumer_start())
			demo_start();
	} else {
		if (role[0])
			printf("rtos: unknown role \"%s\", running the local demo\n", role);
		demo_start();
	}
	if (bootargs_has(args, "link"))
		(void)link_start();
	rtos_start();
	return 0;
}

/*
 * Operating a running system (issue 17): the health watchdog and a manager partition's rights.
 *
 *   hang      kicks its watchdog "kicks" times, every "period" ms, then masks interrupts
 *             and spins (wfi=1: around WFI, which a pending interrupt ends without taking
 *             it): only the watchdog can end it (the hypervisor logs the miss).  Under
 *             QEMU -icount a busy loop takes whole time slices from the other CPUs
 *             (their timers fire late by up to a slice, without any hypervisor); around
 *             WFI it does not, so the timing of the others can be checked
 *   manager   after "after" ms: reads the state of partition "target" (which it manages),
 *             is refused partition "other" (which it does not), restarts, stops and starts
 *             the target and sees each take effect; then beats
 *   outsider  tries to restart and to read partition "target", which it does not manage:
 *             DENIED each time; then beats (a bystander whose timing the others must keep)
 */
#include <stdio.h>

#include "guest.h"
#include "testguest.h"

void tg_hang(void)
{
	uint32_t kicks = tg_arg_u32("kicks", 5), period = tg_arg_u32("period", 20), i;
	int32_t timeout = 0;

	for (i = 0; i < kicks; i++) {
		timeout = tessera_watchdog_kick();
		tg_sleep_ms(period);
	}
	tg_check(timeout > 0, "hang.watchdog", "kick returned %d", (int)timeout);
	printf("TG hang: %u kicks (timeout %d ms), now masking interrupts and spinning\n",
	       (unsigned)kicks, (int)timeout);
	(void)tessera_watchdog_kick(); /* the last kick: the miss is timed from here */
	cpu_irq_save();
	if (tg_arg_u32("wfi", 0))
		for (;;)
			cpu_wfi(); /* a pending interrupt ends WFI, masked or not: nothing is taken */
	for (;;)
		__asm__ volatile("" ::: "memory");
}

/* Poll the target's state until 'want' (and, if starts_min, at least that many starts). */
static bool await_state(uint32_t target, uint32_t want, uint32_t starts_min,
			struct tessera_partition_state *st)
{
	uint32_t i;

	for (i = 0; i < 200; i++) {
		if (tessera_partition_state(target, st) == TESSERA_OK && st->state == want &&
		    st->starts >= starts_min)
			return true;
		tg_sleep_ms(5);
	}
	return false;
}

void tg_manager(void)
{
	uint32_t target = tg_arg_u32("target", 3), other = tg_arg_u32("other", 2);
	struct tessera_partition_state st = { 0 }, before;
	int32_t r;

	tg_sleep_ms(tg_arg_u32("after", 300));
	r = tessera_partition_state(target, &before);
	tg_check(r == TESSERA_OK && before.state == TESSERA_STATE_RUNNING && before.starts >= 1,
		 "manager.state", "r=%d state=%u starts=%u", (int)r, (unsigned)before.state,
		 (unsigned)before.starts);
	printf("TG manager: target %u running, starts=%u faults=%u up=%u ms\n", (unsigned)target,
	       (unsigned)before.starts, (unsigned)before.faults, (unsigned)before.uptime_ms);
	tg_check(tessera_partition_state(other, &st) == TESSERA_DENIED, "manager.other_denied",
		 "state of an unmanaged partition not refused");
	tg_check(tessera_partition_control(other, TESSERA_PARTITION_RESTART) == TESSERA_DENIED,
		 "manager.other_control_denied", "restart of an unmanaged partition not refused");
	tg_check(tessera_partition_control(target, 7) == TESSERA_INVALID_PARAMETER,
		 "manager.bad_op", "operation 7 not refused");

	r = tessera_partition_control(target, TESSERA_PARTITION_RESTART);
	tg_check(r == TESSERA_OK &&
			 await_state(target, TESSERA_STATE_RUNNING, before.starts + 1, &st),
		 "manager.restart", "r=%d state=%u starts=%u", (int)r, (unsigned)st.state,
		 (unsigned)st.starts);
	r = tessera_partition_control(target, TESSERA_PARTITION_STOP);
	tg_check(r == TESSERA_OK && await_state(target, TESSERA_STATE_STOPPED, 0, &st),
		 "manager.stop", "r=%d state=%u", (int)r, (unsigned)st.state);
	r = tessera_partition_control(target, TESSERA_PARTITION_START);
	tg_check(r == TESSERA_OK &&
			 await_state(target, TESSERA_STATE_RUNNING, before.starts + 2, &st),
		 "manager.start", "r=%d state=%u starts=%u", (int)r, (unsigned)st.state,
		 (unsigned)st.starts);
	printf("TG manager: target %u restarted, stopped and started: starts=%u\n",
	       (unsigned)target, (unsigned)st.starts);
	tg_done();
	tg_heartbeat_loop(tg_arg_u32("period", 100), tg_arg_u32("beats", 0));
}

void tg_outsider(void)
{
	uint32_t target = tg_arg_u32("target", 3);
	struct tessera_partition_state st;

	tg_check(tessera_partition_control(target, TESSERA_PARTITION_RESTART) == TESSERA_DENIED,
		 "outsider.restart_denied", "restart not refused");
	tg_check(tessera_partition_control(target, TESSERA_PARTITION_STOP) == TESSERA_DENIED,
		 "outsider.stop_denied", "stop not refused");
	tg_check(tessera_partition_state(target, &st) == TESSERA_DENIED, "outsider.state_denied",
		 "state not refused");
	tg_done();
	tg_heartbeat_loop(tg_arg_u32("period", 50), tg_arg_u32("beats", 0));
}

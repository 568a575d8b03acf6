/*
 * The RTOS self-test suite, run on the target ("test" in the bootargs; rtos-test.elf bare).
 *
 * A runner task at the highest priority runs the cases one after the other; each case makes
 * helper tasks (never reused, so a failed case cannot disturb the next) and checks the order
 * of their events, priorities, results and, against the generic counter, time.  Output, one
 * line per case, then the summary, then PSCI SYSTEM_OFF:
 *   RTOS-TEST PASS <name>
 *   RTOS-TEST FAIL <name>: <why>
 *   RTOS-TEST SUMMARY <n> passed, <m> failed
 *
 * Time bounds, with a 1 kHz tick: a timeout of N ticks ends N ticks later, never earlier, read
 * at most TICK_SLACK ticks late; it lasts N - 1 to N tick periods plus interrupt latency
 * (sem_timeout accepts 49..51 ms for 50 ticks); rtos_sleep_ms(ms) lasts at
 * least ms and at most ms + 2 periods + 1 period of latency; 1000 ticks measured against the
 * generic counter last 1000 periods within one period (the tick is drift-free by design, so
 * this bounds latency jitter, and would catch a wrong period or lost ticks).
 */
#include "app.h"

#include <stdio.h>
#include <string.h>

#include "guest.h"

#define RUNNER_PRIO 30U
#define HELPER_MAX 40U
#define HELPER_STACK 4096U
#define TRACE_MAX 96U
#define SGI_GIVE 1U
#define SGI_SEND 2U
/*
 * Without -icount, QEMU's counter follows the host clock, so a host that deschedules QEMU
 * shows up as interrupt latency (a task may even start a sleep from a tick count that lags the
 * counter, and measure it short).  A timing case is run up to this many times and passes if
 * one run meets its bounds; a real error (wrong period, lost ticks) fails every run.  Each
 * failed run is printed.  With -icount the runs are exact and the first one passes.
 */
#define TIMING_ATTEMPTS 3U
#define TICK_SLACK 2U

typedef bool (*case_fn)(char *why, size_t size);

struct test_case {
	const char *name;
	case_fn fn;
	bool bare_only; /* needs bare QEMU (e.g. an unmapped address that aborts) */
	bool timing; /* compares with wall-clock time: retried, see TIMING_ATTEMPTS */
};

static struct rtos_task runner_task;
static uint64_t runner_stack[16384 / 8];
static struct rtos_task helpers[HELPER_MAX];
static uint64_t helper_stacks[HELPER_MAX][HELPER_STACK / 8];
static unsigned helper_count;

static char trace_buf[TRACE_MAX];
static unsigned trace_len;

static struct rtos_sem done, ready, sem;
static struct rtos_mutex m1, m2;
static struct rtos_queue queue;
static uint32_t queue_buf[8];
static volatile bool release;
static volatile char last_runner;
static volatile unsigned observed_prio[4];
static volatile enum rtos_err observed_err[4];
static volatile bool isr_saw_isr, isr_blocking_refused;

#define FAIL_IF(cond, ...)                                                                         \
	do {                                                                                       \
		if (cond) {                                                                        \
			snprintf(why, size, __VA_ARGS__);                                          \
			return false;                                                              \
		}                                                                                  \
	} while (0)

static void trace_reset(void)
{
	trace_len = 0;
	trace_buf[0] = '\0';
}

static void trace(char c)
{
	uint32_t state = rtos_critical_enter();

	if (trace_len < TRACE_MAX - 1U) {
		trace_buf[trace_len++] = c;
		trace_buf[trace_len] = '\0';
	}
	rtos_critical_exit(state);
}

static struct rtos_task *helper(const char *name, void (*fn)(void *), void *arg, unsigned prio)
{
	struct rtos_task *t;

	if (helper_count >= HELPER_MAX)
		return NULL;
	t = &helpers[helper_count];
	if (rtos_task_create(t, name, fn, arg, prio, helper_stacks[helper_count],
			     sizeof(helper_stacks[0])) != RTOS_OK)
		return NULL;
	helper_count++;
	return t;
}

/* Promises: true iff `count` gives of `done` arrived within the time limit. */
static bool wait_done(unsigned count)
{
	unsigned i;

	for (i = 0; i < count; i++) {
		if (rtos_sem_take(&done, rtos_ms_to_ticks(2000)) != RTOS_OK)
			return false;
	}
	return true;
}

/*
 * Promises: true iff n ticks, and at most TICK_SLACK more, passed since t0.  Never early; the
 * slack is for reading the count late (the host unit tests check exact ticks).
 */
static bool ticks_within(rtos_tick_t t0, rtos_tick_t n)
{
	rtos_tick_t d = rtos_tick_count() - t0;

	return d >= n && d <= n + TICK_SLACK;
}

static uint64_t now_us(void)
{
	return gtimer_count_to_ns(gtimer_virt_count()) / 1000U;
}

static void record(void *arg)
{
	trace((char)(uintptr_t)arg);
	rtos_sem_give(&done);
}

/* ---- scheduling ---- */

static void creator(void *arg)
{
	(void)arg;
	trace('1');
	helper("high", record, (void *)'H', 20);
	trace('2');
	helper("low", record, (void *)'L', 5);
	trace('3');
	rtos_sem_give(&done);
}

static bool case_preempt_on_create(char *why, size_t size)
{
	rtos_sem_init(&done, 0, 8);
	FAIL_IF(!helper("creator", creator, NULL, 10), "cannot create tasks");
	FAIL_IF(!wait_done(3), "tasks did not finish, trace \"%s\"", trace_buf);
	FAIL_IF(strcmp(trace_buf, "1H23L") != 0, "order \"%s\", expected \"1H23L\"", trace_buf);
	return true;
}

static bool case_priority_order(char *why, size_t size)
{
	rtos_sem_init(&done, 0, 8);
	helper("a7", record, (void *)'a', 7);
	helper("b9", record, (void *)'b', 9);
	helper("c8", record, (void *)'c', 8);
	helper("d9", record, (void *)'d', 9);
	FAIL_IF(!wait_done(4), "tasks did not finish");
	FAIL_IF(strcmp(trace_buf, "bdca") != 0, "order \"%s\", expected \"bdca\"", trace_buf);
	return true;
}

#define RR_TURNS 4U

static void spinner(void *arg)
{
	char me = (char)(uintptr_t)arg;
	uint64_t deadline = now_us() + 2000000U;
	unsigned turns = 0;

	/* Busy until time slicing has given us RR_TURNS turns (never yields or blocks). */
	while (turns < RR_TURNS && now_us() < deadline) {
		if (last_runner != me) {
			last_runner = me;
			turns++;
			trace(me);
		}
	}
	rtos_sem_give(&done);
}

static bool case_round_robin(char *why, size_t size)
{
	uint64_t us = now_us();
	unsigned i;

	rtos_sem_init(&done, 0, 8);
	last_runner = 0;
	helper("spin-a", spinner, (void *)'A', 10);
	helper("spin-b", spinner, (void *)'B', 10);
	FAIL_IF(!wait_done(2), "spinners did not finish");
	us = now_us() - us;
	/* Neither spinner yields: only the 10-tick time slice can alternate them. */
	FAIL_IF(trace_len != 2U * RR_TURNS, "%u turns: \"%s\"", trace_len, trace_buf);
	for (i = 1; i < trace_len; i++)
		FAIL_IF(trace_buf[i] == trace_buf[i - 1], "not alternating: \"%s\"", trace_buf);
	app_log("round_robin turns=%u \"%s\" in %lu us", trace_len, trace_buf, (unsigned long)us);
	return true;
}

static void yielder(void *arg)
{
	int i;

	for (i = 0; i < 3; i++) {
		trace((char)(uintptr_t)arg);
		rtos_yield();
	}
	rtos_sem_give(&done);
}

static bool case_yield(char *why, size_t size)
{
	rtos_sem_init(&done, 0, 8);
	helper("yield-a", yielder, (void *)'A', 10);
	helper("yield-b", yielder, (void *)'B', 10);
	FAIL_IF(!wait_done(2), "yielders did not finish");
	FAIL_IF(strcmp(trace_buf, "ABABAB") != 0, "order \"%s\", expected \"ABABAB\"", trace_buf);
	return true;
}

/* ---- semaphores ---- */

static void sem_waiter(void *arg)
{
	(void)arg;
	observed_err[0] = rtos_sem_take(&sem, RTOS_WAIT_FOREVER);
	trace('W');
	rtos_sem_give(&done);
}

static void sem_giver(void *arg)
{
	(void)arg;
	trace('g');
	rtos_sem_give(&sem);
	trace('G');
	rtos_sem_give(&done);
}

static bool case_sem_wakes_and_preempts(char *why, size_t size)
{
	rtos_sem_init(&done, 0, 8);
	rtos_sem_init(&sem, 0, 1);
	helper("waiter", sem_waiter, NULL, 20);
	helper("giver", sem_giver, NULL, 10);
	FAIL_IF(!wait_done(2), "tasks did not finish, trace \"%s\"", trace_buf);
	FAIL_IF(observed_err[0] != RTOS_OK, "take returned %s", rtos_err_name(observed_err[0]));
	FAIL_IF(strcmp(trace_buf, "gWG") != 0, "order \"%s\", expected \"gWG\"", trace_buf);
	return true;
}

static bool case_sem_timeout(char *why, size_t size)
{
	rtos_tick_t t0;
	uint64_t us;
	enum rtos_err err;

	rtos_sem_init(&sem, 0, 1);
	t0 = rtos_tick_count();
	us = now_us();
	err = rtos_sem_take(&sem, 50);
	us = now_us() - us;
	FAIL_IF(err != RTOS_ERR_TIMEOUT, "take returned %s", rtos_err_name(err));
	FAIL_IF(!ticks_within(t0, 50), "woke after %lu ticks",
		(unsigned long)(rtos_tick_count() - t0));
	FAIL_IF(us < 49000U || us > 51000U, "took %lu us, expected 49000..51000",
		(unsigned long)us);
	FAIL_IF(rtos_sem_take(&sem, RTOS_NO_WAIT) != RTOS_ERR_TIMEOUT, "no-wait take succeeded");
	return true;
}

static void sgi_give(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	isr_saw_isr = rtos_in_isr();
	isr_blocking_refused = rtos_sem_take(&ready, 10) == RTOS_ERR_ISR;
	rtos_sem_give(&sem);
}

static void sgi_sender(void *arg)
{
	(void)arg;
	trace('s');
	gic_send_sgi((uint32_t)(uintptr_t)arg, GIC_SGI_TO_SELF, 0);
	trace('L');
	rtos_sem_give(&done);
}

static bool case_isr_gives_semaphore(char *why, size_t size)
{
	rtos_sem_init(&done, 0, 8);
	rtos_sem_init(&sem, 0, 1);
	rtos_sem_init(&ready, 0, 1);
	isr_saw_isr = false;
	isr_blocking_refused = false;
	gic_register(SGI_GIVE, sgi_give, NULL);
	gic_irq_enable(SGI_GIVE);
	helper("waiter", sem_waiter, NULL, 20);
	helper("sgi", sgi_sender, (void *)SGI_GIVE, 5);
	FAIL_IF(!wait_done(2), "tasks did not finish, trace \"%s\" (SGI taken %lu times)",
		trace_buf, (unsigned long)gic_irq_count(SGI_GIVE));
	/* The waiter preempts the sender at the end of the interrupt, before 'L'. */
	FAIL_IF(strcmp(trace_buf, "sWL") != 0, "order \"%s\", expected \"sWL\"", trace_buf);
	FAIL_IF(!isr_saw_isr, "rtos_in_isr() false in the handler");
	FAIL_IF(!isr_blocking_refused, "a blocking take was allowed in the handler");
	return true;
}

/* ---- queues ---- */

static void queue_sender(void *arg)
{
	uint32_t i;

	(void)arg;
	for (i = 0; i < 8; i++)
		rtos_queue_send(&queue, &i, RTOS_WAIT_FOREVER);
	rtos_sem_give(&done);
}

static bool case_queue_blocks_and_keeps_order(char *why, size_t size)
{
	struct rtos_task *sender;
	uint32_t i, v;

	rtos_sem_init(&done, 0, 8);
	rtos_queue_init(&queue, queue_buf, sizeof(uint32_t), 4);
	sender = helper("sender", queue_sender, NULL, 20);
	rtos_sleep(5);
	FAIL_IF(rtos_queue_count(&queue) != 4, "queue holds %lu, expected 4",
		(unsigned long)rtos_queue_count(&queue));
	FAIL_IF(rtos_task_state(sender) != RTOS_TASK_BLOCKED, "sender not blocked on a full queue");
	for (i = 0; i < 8; i++) {
		FAIL_IF(rtos_queue_receive(&queue, &v, 100) != RTOS_OK, "receive %lu failed",
			(unsigned long)i);
		FAIL_IF(v != i, "item %lu is %lu", (unsigned long)i, (unsigned long)v);
	}
	FAIL_IF(!wait_done(1), "sender did not finish");
	return true;
}

static bool case_queue_timeouts(char *why, size_t size)
{
	rtos_tick_t t0;
	uint32_t v = 7, i;
	enum rtos_err err;

	rtos_queue_init(&queue, queue_buf, sizeof(uint32_t), 2);
	t0 = rtos_tick_count();
	err = rtos_queue_receive(&queue, &v, 20);
	FAIL_IF(err != RTOS_ERR_TIMEOUT, "receive on empty returned %s", rtos_err_name(err));
	FAIL_IF(!ticks_within(t0, 20), "receive woke after %lu ticks",
		(unsigned long)(rtos_tick_count() - t0));
	for (i = 0; i < 2; i++)
		FAIL_IF(rtos_queue_send(&queue, &v, RTOS_NO_WAIT) != RTOS_OK, "send failed");
	FAIL_IF(rtos_queue_send(&queue, &v, RTOS_NO_WAIT) != RTOS_ERR_TIMEOUT,
		"no-wait send to a full queue succeeded");
	t0 = rtos_tick_count();
	err = rtos_queue_send(&queue, &v, 5);
	FAIL_IF(err != RTOS_ERR_TIMEOUT, "send to full returned %s", rtos_err_name(err));
	FAIL_IF(!ticks_within(t0, 5), "send woke after %lu ticks",
		(unsigned long)(rtos_tick_count() - t0));
	return true;
}

static void sgi_send(uint32_t intid, void *arg)
{
	uint32_t v = 0x5a5a0000U | intid;

	(void)arg;
	observed_err[1] = rtos_queue_send(&queue, &v, RTOS_NO_WAIT);
}

static bool case_isr_sends_to_queue(char *why, size_t size)
{
	uint32_t v = 0;
	enum rtos_err err;
	rtos_tick_t t0;

	rtos_sem_init(&done, 0, 8);
	rtos_queue_init(&queue, queue_buf, sizeof(uint32_t), 2);
	gic_register(SGI_SEND, sgi_send, NULL);
	gic_irq_enable(SGI_SEND);
	helper("sgi", sgi_sender, (void *)SGI_SEND, 5);
	t0 = rtos_tick_count();
	err = rtos_queue_receive(&queue, &v, 100);
	FAIL_IF(err != RTOS_OK, "receive returned %s", rtos_err_name(err));
	FAIL_IF(v != (0x5a5a0000U | SGI_SEND), "received 0x%lx", (unsigned long)v);
	FAIL_IF(rtos_tick_count() - t0 > 2, "woke %lu ticks late",
		(unsigned long)(rtos_tick_count() - t0));
	FAIL_IF(observed_err[1] != RTOS_OK, "send in the handler returned %s",
		rtos_err_name(observed_err[1]));
	/* The runner preempted the sender at the end of the interrupt. */
	FAIL_IF(strcmp(trace_buf, "s") != 0, "trace \"%s\", expected \"s\"", trace_buf);
	FAIL_IF(!wait_done(1), "sender did not finish");
	return true;
}

/* ---- mutexes ---- */

static bool case_mutex_rules(char *why, size_t size)
{
	rtos_mutex_init(&m1, "m1");
	FAIL_IF(rtos_mutex_lock(&m1, RTOS_NO_WAIT) != RTOS_OK, "lock failed");
	FAIL_IF(rtos_mutex_owner(&m1) != rtos_task_self(), "wrong owner");
	FAIL_IF(rtos_mutex_lock(&m1, 10) != RTOS_ERR_DEADLOCK, "recursive lock not refused");
	FAIL_IF(rtos_mutex_unlock(&m1) != RTOS_OK, "unlock failed");
	FAIL_IF(rtos_mutex_unlock(&m1) != RTOS_ERR_NOT_OWNER, "unlock of a free mutex accepted");
	return true;
}

/* Holds m1 until released; then records the priority it dropped back to (pi and chain). */
static void pi_low(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER);
	rtos_sem_give(&ready);
	while (!release)
		;
	rtos_mutex_unlock(&m1);
	observed_prio[0] = rtos_task_priority(rtos_task_self());
	trace('l');
	rtos_sem_give(&done);
}

static void pi_high(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER);
	trace('H');
	rtos_mutex_unlock(&m1);
	rtos_sem_give(&done);
}

static bool case_priority_inheritance(char *why, size_t size)
{
	struct rtos_task *low;

	rtos_sem_init(&done, 0, 8);
	rtos_sem_init(&ready, 0, 1);
	rtos_mutex_init(&m1, "pi");
	release = false;
	low = helper("pi-low", pi_low, NULL, 5);
	rtos_sem_take(&ready, 100);
	helper("pi-high", pi_high, NULL, 20);
	rtos_sleep(2);
	FAIL_IF(rtos_task_priority(low) != 20, "holder at %u, expected 20 (inherited)",
		rtos_task_priority(low));
	/* A medium task must not run before the holder releases: bounded inversion. */
	helper("pi-mid", record, (void *)'M', 10);
	release = true;
	FAIL_IF(!wait_done(3), "tasks did not finish, trace \"%s\"", trace_buf);
	FAIL_IF(strcmp(trace_buf, "HMl") != 0, "order \"%s\", expected \"HMl\"", trace_buf);
	FAIL_IF(observed_prio[0] != 5, "holder at %u after unlock, expected 5", observed_prio[0]);
	return true;
}

static void chain_mid(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m2, RTOS_WAIT_FOREVER);
	rtos_sem_give(&ready);
	rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER);
	trace('m');
	rtos_mutex_unlock(&m1);
	rtos_mutex_unlock(&m2);
	observed_prio[1] = rtos_task_priority(rtos_task_self());
	rtos_sem_give(&done);
}

static void chain_high(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m2, RTOS_WAIT_FOREVER);
	trace('h');
	rtos_mutex_unlock(&m2);
	rtos_sem_give(&done);
}

static bool case_priority_inheritance_chain(char *why, size_t size)
{
	struct rtos_task *low, *mid;

	rtos_sem_init(&done, 0, 8);
	rtos_sem_init(&ready, 0, 1);
	rtos_mutex_init(&m1, "A");
	rtos_mutex_init(&m2, "B");
	release = false;
	low = helper("chain-low", pi_low, NULL, 5);
	rtos_sem_take(&ready, 100);
	mid = helper("chain-mid", chain_mid, NULL, 10);
	rtos_sem_take(&ready, 100);
	rtos_sleep(2); /* mid blocks on A */
	FAIL_IF(rtos_task_priority(low) != 10, "low at %u, expected 10", rtos_task_priority(low));
	helper("chain-high", chain_high, NULL, 20);
	rtos_sleep(2); /* high blocks on B: mid and, through it, low inherit 20 */
	FAIL_IF(rtos_task_priority(mid) != 20 || rtos_task_priority(low) != 20,
		"mid at %u, low at %u, expected 20 and 20", rtos_task_priority(mid),
		rtos_task_priority(low));
	release = true;
	FAIL_IF(!wait_done(3), "tasks did not finish, trace \"%s\"", trace_buf);
	FAIL_IF(strcmp(trace_buf, "mhl") != 0, "order \"%s\", expected \"mhl\"", trace_buf);
	FAIL_IF(observed_prio[0] != 5 || observed_prio[1] != 10,
		"after release low at %u, mid at %u, expected 5 and 10", observed_prio[0],
		observed_prio[1]);
	return true;
}

static void pi_timed_high(void *arg)
{
	(void)arg;
	observed_err[2] = rtos_mutex_lock(&m1, 20);
	rtos_sem_give(&done);
}

static bool case_priority_restored_after_timeout(char *why, size_t size)
{
	struct rtos_task *low;

	rtos_sem_init(&done, 0, 8);
	rtos_sem_init(&ready, 0, 1);
	rtos_mutex_init(&m1, "pi");
	release = false;
	low = helper("pi-low", pi_low, NULL, 5);
	rtos_sem_take(&ready, 100);
	helper("pi-timed", pi_timed_high, NULL, 20);
	rtos_sleep(2);
	FAIL_IF(rtos_task_priority(low) != 20, "holder at %u, expected 20",
		rtos_task_priority(low));
	FAIL_IF(!wait_done(1), "waiter did not time out");
	FAIL_IF(observed_err[2] != RTOS_ERR_TIMEOUT, "lock returned %s",
		rtos_err_name(observed_err[2]));
	FAIL_IF(rtos_task_priority(low) != 5, "holder at %u after the timeout, expected 5",
		rtos_task_priority(low));
	release = true;
	FAIL_IF(!wait_done(1), "holder did not finish");
	return true;
}

static void deadlock_a(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER);
	rtos_sleep(3); /* b takes m2 and waits for m1 */
	observed_err[0] = rtos_mutex_lock(&m2, RTOS_WAIT_FOREVER);
	if (observed_err[0] == RTOS_OK)
		rtos_mutex_unlock(&m2);
	rtos_mutex_unlock(&m1);
	rtos_sem_give(&done);
}

static void deadlock_b(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m2, RTOS_WAIT_FOREVER);
	observed_err[1] = rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER);
	if (observed_err[1] == RTOS_OK)
		rtos_mutex_unlock(&m1);
	rtos_mutex_unlock(&m2);
	rtos_sem_give(&done);
}

static bool case_mutex_deadlock_detected(char *why, size_t size)
{
	rtos_sem_init(&done, 0, 8);
	rtos_mutex_init(&m1, "m1");
	rtos_mutex_init(&m2, "m2");
	helper("dl-a", deadlock_a, NULL, 10);
	helper("dl-b", deadlock_b, NULL, 10);
	FAIL_IF(!wait_done(2), "tasks did not finish");
	FAIL_IF(observed_err[0] != RTOS_ERR_DEADLOCK, "closing the cycle returned %s",
		rtos_err_name(observed_err[0]));
	FAIL_IF(observed_err[1] != RTOS_OK, "the other lock returned %s",
		rtos_err_name(observed_err[1]));
	return true;
}

/* ---- time ---- */

static bool case_sleep_accuracy(char *why, size_t size)
{
	static const uint32_t ms_cases[] = { 1, 10, 100 };
	unsigned i;
	rtos_tick_t t0;

	for (i = 0; i < ARRAY_SIZE(ms_cases); i++) {
		uint32_t ms = ms_cases[i];
		uint64_t us = now_us();

		rtos_sleep_ms(ms);
		us = now_us() - us;
		FAIL_IF(us < ms * 1000U, "sleep_ms(%lu) took %lu us", (unsigned long)ms,
			(unsigned long)us);
		FAIL_IF(us > (ms + 3U) * 1000U, "sleep_ms(%lu) took %lu us, bound %lu",
			(unsigned long)ms, (unsigned long)us, (unsigned long)((ms + 3U) * 1000U));
		app_log("sleep_ms(%lu) took %lu us", (unsigned long)ms, (unsigned long)us);
	}
	t0 = rtos_tick_count();
	rtos_sleep(10);
	FAIL_IF(!ticks_within(t0, 10), "sleep(10) took %lu ticks",
		(unsigned long)(rtos_tick_count() - t0));
	return true;
}

static bool case_tick_accuracy(char *why, size_t size)
{
	rtos_tick_t t0, ticks;
	uint64_t c0, elapsed_us, tick_us = 1000000U / rtos_tick_hz();
	int64_t drift_us;

	/*
	 * Both ends are seen the same way, spinning until the tick count changes, so that the
	 * interrupt latency is the same at both and cancels; in between the task sleeps.
	 */
	t0 = rtos_tick_count();
	while (rtos_tick_count() == t0)
		;
	t0 = rtos_tick_count();
	c0 = gtimer_virt_count();
	rtos_sleep(995);
	while (rtos_tick_count() - t0 < 1000U)
		;
	elapsed_us = gtimer_count_to_ns(gtimer_virt_count() - c0) / 1000U;
	ticks = rtos_tick_count() - t0;
	drift_us = (int64_t)elapsed_us - (int64_t)ticks * (int64_t)tick_us;
	app_log("tick_accuracy ticks=%lu counter_us=%lu drift_us=%ld bound_us=%lu",
		(unsigned long)ticks, (unsigned long)elapsed_us, (long)drift_us,
		(unsigned long)tick_us);
	/* The count may exceed 1000 if the host stalled QEMU: the drift is what must hold. */
	FAIL_IF(drift_us < -(int64_t)tick_us || drift_us > (int64_t)tick_us,
		"%lu ticks took %lu us of the counter", (unsigned long)ticks,
		(unsigned long)elapsed_us);
	return true;
}

/* ---- stacks ---- */

static uint64_t victim_area[(2048U + 1024U) / 8U];
static volatile bool victim_went_on;

static __attribute__((noinline)) void smash_stack(void)
{
	volatile uint8_t big[1536];
	unsigned i;

	/* A frame larger than the whole 1 KiB stack: runs over the canary into the guard. */
	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)i;
}

static void victim(void *arg)
{
	(void)arg;
	smash_stack();
	rtos_sleep(1); /* switched out: the kernel checks the canary */
	victim_went_on = true;
}

static bool case_stack_overflow_detected(char *why, size_t size)
{
	static struct rtos_task victim_task;
	uint32_t before = rtos_overflow_count();

	victim_went_on = false;
	FAIL_IF(rtos_task_create(&victim_task, "victim", victim, NULL, 10,
				 (uint8_t *)victim_area + 2048, 1024) != RTOS_OK,
		"cannot create the victim");
	rtos_sleep(5);
	FAIL_IF(rtos_task_state(&victim_task) != RTOS_TASK_FAULTED, "victim state %d, not FAULTED",
		(int)rtos_task_state(&victim_task));
	FAIL_IF(rtos_overflow_count() != before + 1, "overflow count %lu, expected %lu",
		(unsigned long)rtos_overflow_count(), (unsigned long)before + 1U);
	FAIL_IF(victim_went_on, "the victim ran on after its overflow");
	return true;
}

static __attribute__((noinline)) void use_stack(void)
{
	volatile uint8_t buf[1024];
	unsigned i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
}

static void stack_user(void *arg)
{
	(void)arg;
	use_stack();
	rtos_sem_give(&done);
}

static bool case_stack_high_water_mark(char *why, size_t size)
{
	struct rtos_task *t;
	size_t unused, used;

	rtos_sem_init(&done, 0, 8);
	t = helper("stack-user", stack_user, NULL, 10);
	FAIL_IF(!t || !wait_done(1), "task did not run");
	unused = rtos_task_stack_unused(t);
	used = t->stack_size - unused;
	FAIL_IF(used < 1024U || unused == 0, "used %lu of %lu", (unsigned long)used,
		(unsigned long)t->stack_size);
	FAIL_IF(!rtos_task_stack_ok(t), "canary broken");
	app_log("stack_high_water used=%lu unused=%lu", (unsigned long)used, (unsigned long)unused);
	return true;
}

/* ---- exceptions (guests/lib hooks, from task context) ---- */

static volatile uint32_t hook_calls, hook_far;

static enum exc_action count_undef(struct exc_frame *frame, const struct exc_info *info)
{
	(void)frame;
	(void)info;
	hook_calls++;
	return EXC_RESUME_NEXT;
}

static bool case_undef_hook_resumes(char *why, size_t size)
{
	exc_hook_t old = exc_set_hook(EXC_UNDEF, count_undef);

	hook_calls = 0;
	__asm__ volatile(".inst.n 0xde00"); /* UDF #0, 16-bit Thumb */
	__asm__ volatile(".inst.w 0xf7f0a000"); /* UDF.W #0, 32-bit Thumb */
	exc_set_hook(EXC_UNDEF, old);
	FAIL_IF(hook_calls != 2, "hook ran %lu times, expected 2", (unsigned long)hook_calls);
	return true;
}

static enum exc_action note_dabt(struct exc_frame *frame, const struct exc_info *info)
{
	(void)frame;
	hook_calls++;
	hook_far = info->far;
	return EXC_RESUME_NEXT;
}

static bool case_data_abort_hook_resumes(char *why, size_t size)
{
	exc_hook_t old = exc_set_hook(EXC_DABT, note_dabt);

	hook_calls = 0;
	hook_far = 0;
	(void)*(volatile uint32_t *)0x0c000000U; /* nothing there on QEMU virt */
	exc_set_hook(EXC_DABT, old);
	FAIL_IF(hook_calls != 1, "hook ran %lu times", (unsigned long)hook_calls);
	FAIL_IF(hook_far != 0x0c000000U, "DFAR 0x%lx", (unsigned long)hook_far);
	return true;
}

static const struct test_case cases[] = {
	{ .name = "preempt_on_create", .fn = case_preempt_on_create },
	{ .name = "priority_order", .fn = case_priority_order },
	{ .name = "round_robin", .fn = case_round_robin },
	{ .name = "yield", .fn = case_yield },
	{ .name = "sem_wakes_and_preempts", .fn = case_sem_wakes_and_preempts },
	{ .name = "sem_timeout", .fn = case_sem_timeout, .timing = true },
	{ .name = "isr_gives_semaphore", .fn = case_isr_gives_semaphore },
	{ .name = "queue_blocks_and_keeps_order", .fn = case_queue_blocks_and_keeps_order },
	{ .name = "queue_timeouts", .fn = case_queue_timeouts, .timing = true },
	{ .name = "isr_sends_to_queue", .fn = case_isr_sends_to_queue, .timing = true },
	{ .name = "mutex_rules", .fn = case_mutex_rules },
	{ .name = "priority_inheritance", .fn = case_priority_inheritance },
	{ .name = "priority_inheritance_chain", .fn = case_priority_inheritance_chain },
	{ .name = "priority_restored_after_timeout", .fn = case_priority_restored_after_timeout },
	{ .name = "mutex_deadlock_detected", .fn = case_mutex_deadlock_detected },
	{ .name = "sleep_accuracy", .fn = case_sleep_accuracy, .timing = true },
	{ .name = "tick_accuracy", .fn = case_tick_accuracy, .timing = true },
	{ .name = "stack_overflow_detected", .fn = case_stack_overflow_detected },
	{ .name = "stack_high_water_mark", .fn = case_stack_high_water_mark },
	{ .name = "undef_hook_resumes", .fn = case_undef_hook_resumes },
	{ .name = "data_abort_hook_resumes", .fn = case_data_abort_hook_resumes, .bare_only = true },
};

static bool run_case(const struct test_case *tc, char *why, size_t size)
{
	unsigned attempt;

	for (attempt = 1;; attempt++) {
		trace_reset();
		memset((void *)observed_err, 0, sizeof(observed_err));
		memset((void *)observed_prio, 0, sizeof(observed_prio));
		if (tc->fn(why, size))
			return true;
		if (!tc->timing || attempt == TIMING_ATTEMPTS)
			return false;
		app_log("%s attempt %u failed: %s; retrying", tc->name, attempt, why);
		rtos_sleep(2);
	}
}

static void runner(void *arg)
{
	unsigned passed = 0, failed = 0, i;
	char why[160];

	(void)arg;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (cases[i].bare_only && tessera_present())
			continue;
		why[0] = '\0';
		if (run_case(&cases[i], why, sizeof(why))) {
			passed++;
			printf("RTOS-TEST PASS %s\n", cases[i].name);
		} else {
			failed++;
			printf("RTOS-TEST FAIL %s: %s\n", cases[i].name, why);
		}
		rtos_sleep(2); /* let the case's helpers finish before the next */
	}
	printf("RTOS-TEST SUMMARY %u passed, %u failed\n", passed, failed);
	guest_power_off();
}

void selftest_start(void)
{
	printf("rtos: self-test suite, %u cases\n", (unsigned)ARRAY_SIZE(cases));
	rtos_task_create(&runner_task, "selftest", runner, NULL, RUNNER_PRIO, runner_stack,
			 sizeof(runner_stack));
}

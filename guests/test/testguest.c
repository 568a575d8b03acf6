/*
 * Tessera's test guest: one image, a catalogue of cases chosen by
 * /chosen/bootargs ("test=<case> [key=value...]"), each printing what it does
 * and a parseable verdict:
 *
 *   TG <case>: <progress>
 *   TG PASS <check> | TG FAIL <check>: <why>
 *   TG DONE <n> passed, <m> failed
 *
 * The QEMU integration tests (tests/qemu) boot it in partitions and assert on
 * these lines and on the hypervisor's log.
 */
#include <stdio.h>
#include <string.h>

#include "guest.h"
#include "testguest.h"

static unsigned passed, failed;
static char case_name[32] = "none";

void tg_check(bool ok, const char *check, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		printf("TG PASS %s\n", check);
		return;
	}
	failed++;
	printf("TG FAIL %s: ", check);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void tg_done(void)
{
	printf("TG DONE %u passed, %u failed\n", passed, failed);
}

const char *tg_case(void)
{
	return case_name;
}

uint32_t tg_arg_u32(const char *key, uint32_t fallback)
{
	uint32_t v;

	return bootargs_get_u32(guest_bootargs(), key, &v) ? v : fallback;
}

/* ---- Faults the hypervisor injects: caught, recorded, resumed ---------------------- */

static volatile uint32_t fault_count, fault_fsr, fault_far, fault_kind;

static enum exc_action record_abort(struct exc_frame *frame, const struct exc_info *info)
{
	UNUSED(frame);
	fault_count++;
	fault_fsr = info->fsr;
	fault_far = info->far;
	fault_kind = info->kind;
	return EXC_RESUME_NEXT;
}

/* A prefetch abort from tg_try_exec: resume in tg_exec_recover, which returns to the caller. */
extern void tg_exec_recover(void);

static enum exc_action record_prefetch(struct exc_frame *frame, const struct exc_info *info)
{
	fault_count++;
	fault_fsr = info->fsr;
	fault_far = info->far;
	fault_kind = info->kind;
	frame->pc = (uint32_t)(uintptr_t)tg_exec_recover;
	frame->cpsr &= ~PSR_T; /* tg_exec_recover is ARM code */
	return EXC_RESUME;
}

static enum exc_action record_undef(struct exc_frame *frame, const struct exc_info *info)
{
	UNUSED(frame);
	fault_count++;
	fault_kind = info->kind;
	fault_fsr = 0;
	fault_far = info->pc;
	return EXC_RESUME_NEXT;
}

void tg_catch_faults(void)
{
	exc_set_hook(EXC_DABT, record_abort);
	exc_set_hook(EXC_PABT, record_prefetch);
	exc_set_hook(EXC_UNDEF, record_undef);
}

struct tg_fault tg_fault_take(void)
{
	struct tg_fault f = { fault_count, fault_kind, fault_fsr, fault_far };

	fault_count = 0;
	fault_fsr = fault_far = 0;
	fault_kind = EXC_KIND_COUNT;
	return f;
}

/* ---- Cases ---------------------------------------------------------------------- */

/* clang-format off */
static const struct tg_case cases[] = {
	{ "hello", tg_hello },
	{ "memory", tg_memory },
	{ "heartbeat", tg_heartbeat },
	{ "isolation", tg_isolation },
	{ "trespass", tg_trespass },
	{ "smp", tg_smp },
	{ "reset", tg_reset },
	{ "crash", tg_crash },
	{ "timer", tg_timer },
	{ "gicd", tg_gicd },
	{ "passthrough", tg_passthrough },
	{ "storm", tg_storm },
	{ "console", tg_console },
	{ "hypercalls", tg_hypercalls },
	{ "hostile", tg_hostile },
	{ "xip", tg_xip },
	{ "doorbell", tg_doorbell },
	{ "ringer", tg_ringer },
	{ "enable_race", tg_enable_race },
	{ "bystander", tg_bystander },
	{ "flood", tg_flood },
	{ "cpuloop", tg_cpuloop },
	{ "hang", tg_hang },
	{ "manager", tg_manager },
	{ "outsider", tg_outsider },
};
/* clang-format on */

int main(void)
{
	const char *args = guest_bootargs();
	size_t i;

	if (!bootargs_get(args, "test", case_name, sizeof(case_name)))
		strcpy(case_name, "hello");
	printf("TG start: case %s, bootargs \"%s\"\n", case_name, args);
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		if (strcmp(cases[i].name, case_name) == 0) {
			cases[i].run();
			return 0;
		}
	tg_check(false, "case", "unknown case '%s'", case_name);
	tg_done();
	return 0;
}

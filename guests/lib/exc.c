/*
 * Exception dispatch: hooks for the synchronous exceptions and FIQ, the IRQ dispatcher, and
 * the default report.
 *
 * The faulting instruction's address follows from the link value of each exception
 * (ARM ARM B1.8.3, table B1-7): undefined instruction and SVC LR - 4 (ARM) or - 2 (Thumb),
 * prefetch abort LR - 4, data abort LR - 8, IRQ and FIQ LR - 4.  Reports go out on the raw
 * console (polled, no lock), so they work from any context, including inside printf.
 */
#include "guest.h"

#include "internal.h"

static exc_hook_t hooks[EXC_KIND_COUNT];

static const char *const kind_names[EXC_KIND_COUNT] = {
	[EXC_UNDEF] = "undefined instruction", [EXC_SVC] = "supervisor call",
	[EXC_PABT] = "prefetch abort",	       [EXC_DABT] = "data abort",
	[EXC_UNUSED] = "unused vector 0x14",   [EXC_FIQ] = "FIQ",
};

const char *exc_kind_name(enum exc_kind kind)
{
	return (unsigned)kind < EXC_KIND_COUNT ? kind_names[kind] : "unknown exception";
}

exc_hook_t exc_set_hook(enum exc_kind kind, exc_hook_t hook)
{
	exc_hook_t old;

	if ((unsigned)kind >= EXC_KIND_COUNT)
		return NULL;
	old = hooks[kind];
	hooks[kind] = hook;
	return old;
}

/* Short-descriptor fault status, FS[4] = FSR[10], FS[3:0] = FSR[3:0] (ARM ARM B3.13.3). */
static const char *fault_status_name(uint32_t fsr)
{
	uint32_t fs = ((fsr >> 6) & BIT(4)) | (fsr & GENMASK(3, 0));

	if (fsr & BIT(9))
		return "long-descriptor format";
	switch (fs) {
	case 0x01:
		return "alignment fault";
	case 0x02:
		return "debug event";
	case 0x03:
	case 0x06:
		return "access flag fault";
	case 0x04:
		return "cache maintenance fault";
	case 0x05:
	case 0x07:
		return "translation fault";
	case 0x08:
		return "synchronous external abort";
	case 0x09:
	case 0x0b:
		return "domain fault";
	case 0x0c:
	case 0x0e:
		return "external abort on table walk";
	case 0x0d:
	case 0x0f:
		return "permission fault";
	case 0x16:
		return "asynchronous external abort";
	case 0x19:
		return "synchronous parity error";
	default:
		return "fault";
	}
}

static void put_reg(const char *name, uint32_t v)
{
	guest_raw_puts(name);
	guest_raw_puts("=");
	pl011_put_hex(v);
	guest_raw_puts(" ");
}

void exc_report(const struct exc_frame *frame, const struct exc_info *info)
{
	static const char *const reg_names[13] = { "r0", "r1", "r2", "r3",  "r4",  "r5", "r6",
						   "r7", "r8", "r9", "r10", "r11", "r12" };
	unsigned i;

	guest_raw_puts("\nguest: ");
	guest_raw_puts(exc_kind_name(info->kind));
	guest_raw_puts(" at pc=");
	pl011_put_hex(info->pc);
	guest_raw_puts(info->thumb ? " (thumb)\n" : " (arm)\n");
	if (info->kind == EXC_DABT || info->kind == EXC_PABT) {
		guest_raw_puts("guest:   ");
		put_reg(info->kind == EXC_DABT ? "dfsr" : "ifsr", info->fsr);
		put_reg(info->kind == EXC_DABT ? "dfar" : "ifar", info->far);
		guest_raw_puts(fault_status_name(info->fsr));
		if (info->kind == EXC_DABT)
			guest_raw_puts((info->fsr & BIT(11)) ? ", write\n" : ", read\n");
		else
			guest_raw_puts("\n");
	}
	for (i = 0; i < 13; i++) {
		if (i % 4 == 0)
			guest_raw_puts("guest:   ");
		put_reg(reg_names[i], frame->r[i]);
		if (i % 4 == 3)
			guest_raw_puts("\n");
	}
	put_reg("lr", frame->lr);
	put_reg("cpsr", frame->cpsr);
	guest_raw_puts("\n");
}

/* Promises: the CPSR after one Thumb instruction of an IT block (ITAdvance, ARM ARM A2.5.2). */
static uint32_t it_advance(uint32_t cpsr)
{
	uint32_t it = ((cpsr >> 25) & 0x3U) | (((cpsr >> 10) & 0x3fU) << 2);

	if ((it & 0x7U) == 0)
		it = 0;
	else
		it = (it & 0xe0U) | ((it << 1) & 0x1fU);
	cpsr &= ~(GENMASK(26, 25) | GENMASK(15, 10));
	return cpsr | (it & 0x3U) << 25 | ((it >> 2) & 0x3fU) << 10;
}

/* Promises: 2 or 4, the size of the Thumb instruction at pc (ARM ARM A6.1). */
static uint32_t thumb_insn_len(uint32_t pc)
{
	uint16_t hw = *(const volatile uint16_t *)(uintptr_t)pc;
	uint32_t top = (uint32_t)hw >> 11;

	return (top == 0x1d || top == 0x1e || top == 0x1f) ? 4U : 2U;
}

void exc_dispatch(struct exc_frame *frame, uint32_t kind)
{
	struct exc_info info = { 0 };
	uint32_t link = frame->pc;
	enum exc_action action = EXC_HALT;
	exc_hook_t hook;

	info.kind = kind < EXC_KIND_COUNT ? (enum exc_kind)kind : EXC_UNUSED;
	info.thumb = (frame->cpsr & PSR_T) != 0;
	info.insn_len = 4;
	switch (info.kind) {
	case EXC_UNDEF:
	case EXC_SVC:
		info.pc = link - (info.thumb ? 2U : 4U);
		break;
	case EXC_PABT:
		info.pc = link - 4U;
		info.fsr = read_ifsr();
		info.far = read_ifar();
		break;
	case EXC_DABT:
		info.pc = link - 8U;
		info.fsr = read_dfsr();
		info.far = read_dfar();
		break;
	case EXC_FIQ:
		info.pc = link - 4U;
		break;
	default:
		info.pc = link;
		break;
	}
	/* The instruction cannot be read back after a prefetch abort. */
	if (info.thumb && info.kind != EXC_PABT)
		info.insn_len = thumb_insn_len(info.pc);
	frame->pc = info.pc;

	hook = hooks[info.kind];
	if (hook)
		action = hook(frame, &info);
	switch (action) {
	case EXC_RESUME_NEXT:
		/* FIQ interrupted an instruction that has not run: nothing to skip. */
		if (info.kind != EXC_FIQ) {
			frame->pc = info.pc + info.insn_len;
			if (info.thumb)
				frame->cpsr = it_advance(frame->cpsr);
		}
		return;
	case EXC_RESUME:
		return;
	case EXC_HALT:
	default:
		exc_report(frame, &info);
		guest_raw_puts("guest: halted\n");
		guest_halt();
	}
}

struct exc_frame *irq_dispatch(struct exc_frame *frame)
{
	unsigned n;

	/* Handle what is pending, bounded so that a stuck level interrupt cannot starve the
	 * interrupted code of the return (it re-enters at once if still pending). */
	for (n = 0; n < 8U && gic_dispatch_one(); n++)
		;
	return exc_irq_exit(frame);
}

__attribute__((weak)) struct exc_frame *exc_irq_exit(struct exc_frame *frame)
{
	return frame;
}

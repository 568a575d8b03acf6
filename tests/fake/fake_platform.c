/*
 * The machine around the hypervisor on the host (see fake_platform.h): boot/
 * services, the assembly entry points of hyp/, panic(), the console UART, the
 * stage-2 table pool of mm/stage2.c (its target half is ARM-only) and the GIC
 * CPU-interface calls tests/unit/fake_gic.c leaves out.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_platform.h"
#include "boot/boot.h"
#include "platform/uart.h"
#include "../unit/fake_gic.h"

bool fake_verbose;
void (*fake_uart_line_hook)(const char *line);

/* ---- boot/ and mm/cache.S ---------------------------------------------------------------- */

uintptr_t boot_dtb;
u64 fake_zero_bytes;

void mem_zero(void *start, size_t bytes)
{
	memset(start, 0, bytes);
	fake_zero_bytes += bytes;
}

void mem_zero_vfp(void *start, size_t bytes)
{
	memset(start, 0, bytes);
	fake_zero_bytes += bytes;
}

/* The host has no Hyp tables: the attribute change is the target's (mm/stage2.c). */
void hyp_map_cacheable(u64 pa, u64 size)
{
	UNUSED(pa);
	UNUSED(size);
}

u64 fake_clean_inval_bytes;

void dcache_clean_inval_range(uintptr_t start, uintptr_t end)
{
	fake_clean_inval_bytes += end - start;
}

void dcache_inval_range(uintptr_t start, uintptr_t end)
{
	UNUSED(start);
	UNUSED(end);
}

/* ---- hyp/arch/vectors.S, hyp/arch/vfp.S, hyp/core/panic.c ---------------------------------- */

noreturn void hyp_enter_guest(struct regs *frame)
{
	if (frame != cpu_frame(this_cpu()->index)) {
		fprintf(stderr, "fake: cpu%u enters its guest with a frame not its own\n",
			this_cpu()->index);
		abort();
	}
	fake_arch_stats.guest_entries++;
	fake_exit(FAKE_EXIT_GUEST);
}

noreturn void hyp_run_below_frame(void (*fn)(void), struct regs *frame)
{
	UNUSED(frame);
	fn();
	fprintf(stderr, "fake: a function run below the frame returned\n");
	abort();
}

void vfp_reset(void)
{
}

/* The hypervisor's own invariant broke: with a fuzzed guest on the other side, a bug. */
noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "PANIC: cpu%u: ", this_cpu()->index);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* ---- The console UART (platform/uart.h) ------------------------------------- */

static struct {
	u8 rx[256];
	u32 rx_head, rx_count;
	u32 tx_count;
	char line[512];
	char last[512];
	u32 line_len;
	bool stalled;
} uart;

void uart_init(void)
{
}

bool uart_try_putc(char c)
{
	if (uart.stalled)
		return false;
	uart.tx_count++;
	if (c == '\n') {
		uart.line[uart.line_len] = 0;
		memcpy(uart.last, uart.line, uart.line_len + 1);
		if (fake_verbose)
			fprintf(stderr, "%s\n", uart.line);
		if (fake_uart_line_hook)
			fake_uart_line_hook(uart.line);
		uart.line_len = 0;
	} else if (c != '\r' && uart.line_len < sizeof(uart.line) - 1) {
		uart.line[uart.line_len++] = c;
	}
	return true;
}

void uart_flush(void)
{
}

int uart_try_getc(void)
{
	u8 c;

	if (!uart.rx_count)
		return -1;
	c = uart.rx[uart.rx_head];
	uart.rx_head = (uart.rx_head + 1) % sizeof(uart.rx);
	uart.rx_count--;
	return c;
}

static bool uart_rx_irq_on, uart_tx_irq_on;

void uart_irq_enable(bool rx, bool tx)
{
	uart_rx_irq_on = rx;
	uart_tx_irq_on = tx;
}

bool fake_uart_tx_irq_on(void)
{
	return uart_tx_irq_on;
}

void fake_uart_rx(const u8 *bytes, u32 len)
{
	u32 i;

	for (i = 0; i < len && uart.rx_count < sizeof(uart.rx); i++)
		uart.rx[(uart.rx_head + uart.rx_count++) % sizeof(uart.rx)] = bytes[i];
}

u32 fake_uart_tx_count(void)
{
	return uart.tx_count;
}

const char *fake_uart_last_line(void)
{
	return uart.last;
}

const char *fake_uart_open_line(void)
{
	uart.line[uart.line_len] = 0;
	return uart.line;
}

void fake_uart_stall(bool stalled)
{
	uart.stalled = stalled;
}

/* ---- mm/stage2.c's pool (its target half is ARM-only) ------------------------ */

static pte_t s2_tables[FAKE_S2_TABLES][LPAE_ENTRIES];
static u32 s2_used;

static pte_t *s2_alloc(struct pt_alloc *self, u64 *pa)
{
	UNUSED(self);
	if (s2_used == FAKE_S2_TABLES)
		return NULL;
	memset(s2_tables[s2_used], 0, sizeof(s2_tables[0]));
	*pa = FAKE_S2_PA_BASE + (u64)s2_used * LPAE_PAGE_SIZE;
	return s2_tables[s2_used++];
}

static pte_t *s2_table(struct pt_alloc *self, u64 pa)
{
	u64 i = (pa - FAKE_S2_PA_BASE) / LPAE_PAGE_SIZE;

	UNUSED(self);
	if (pa < FAKE_S2_PA_BASE || i >= s2_used) {
		fprintf(stderr, "fake: stage-2 table at bad PA 0x%llx\n", pa);
		abort();
	}
	return s2_tables[i];
}

static struct pt_alloc s2_pool_alloc = { .alloc = s2_alloc, .table = s2_table };

struct pt_alloc *s2_pool(void)
{
	return &s2_pool_alloc;
}

u32 s2_pool_used(void)
{
	return s2_used;
}

u32 s2_pool_size(void)
{
	return FAKE_S2_TABLES;
}

void tlb_flush_guest_local(void)
{
	fake_arch_stats.tlbi++;
	fake_arch_stats.local_inval[fake_arch_cpu()]++;
}

/* ---- The GIC CPU interface (vgic/gic.c), beside tests/unit/fake_gic.c --------- */

static struct {
	u32 iar[FAKE_IRQ_QUEUE];
	u32 count;
} irqq[FAKE_CPU_COUNT];

static bool queue(u32 cpu, u32 iar)
{
	u32 i;

	for (i = 0; i < irqq[cpu].count; i++)
		if (irqq[cpu].iar[i] == iar)
			return true; /* pending already */
	if (irqq[cpu].count == FAKE_IRQ_QUEUE)
		return false;
	irqq[cpu].iar[irqq[cpu].count++] = iar;
	return true;
}

bool fake_irq_raise(u32 cpu, u32 intid)
{
	return queue(cpu, intid);
}

u32 fake_irq_queued(u32 cpu)
{
	return irqq[cpu].count;
}

bool fake_irq_waiting(u32 cpu)
{
	return irqq[cpu].count != 0;
}

void gic_init(void)
{
}

/* The fake stands for QEMU's GIC, as before gic_is_emulated(): the workaround tick runs. */
bool gic_is_emulated(void)
{
	return true;
}

/* As vgic/gic.c: SGIs and the maintenance interrupt enabled, other PPIs off until used. */
void gic_cpu_init(void)
{
	u32 i;

	for (i = 0; i < GIC_SGI_COUNT; i++)
		gic_irq_enable(i, true);
	gic_irq_enable(GIC_PPI_MAINTENANCE, true);
	gich_reset(false);
}

u32 gic_ack(void)
{
	u32 cpu = this_cpu()->index, iar;

	if (!irqq[cpu].count)
		return GIC_INTID_SPURIOUS;
	iar = irqq[cpu].iar[0];
	memmove(&irqq[cpu].iar[0], &irqq[cpu].iar[1], --irqq[cpu].count * sizeof(u32));
	fake_phys_fire(cpu, iar & GICC_IAR_INTID);
	return iar;
}

void gic_priority_drop(u32 iar)
{
	UNUSED(iar);
}

void gic_send_sgi(u32 cpu, u32 sgi)
{
	if (cpu >= FAKE_CPU_COUNT || sgi >= GIC_SGI_COUNT) {
		fprintf(stderr, "fake: SGI %u to cpu%u\n", sgi, cpu);
		abort();
	}
	queue(cpu, sgi | (this_cpu()->index << 10));
}

void fake_platform_reset(void)
{
	uart_rx_irq_on = uart_tx_irq_on = false;
	memset(hyp_stacks, 0, sizeof(hyp_stacks));
	memset(&uart, 0, sizeof(uart));
	memset(irqq, 0, sizeof(irqq));
	s2_used = 0;
	fake_verbose = getenv("FAKE_VERBOSE") != NULL;
}

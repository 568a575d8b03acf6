/*
 * The hypervisor's log: a levelled line, formatted here and handed to the
 * console whole (hyp/dev/console.c), tagged [tessera].
 */
#include "hyp/core/fmt.h"
#include "hyp/core/log.h"
#include "hyp/dev/console.h"

u32 log_level = LOG_INFO;

void log_printf(enum log_level level, const char *fmt, ...)
{
	static const char *const prefix[] = { "", "ERROR: ", "WARN: ", "", "DEBUG: " };
	char buf[256];
	size_t n = 0;
	va_list ap;

	if ((u32)level > __atomic_load_n(&log_level, __ATOMIC_RELAXED))
		return;
	/* The prefix copied, not formatted: every line, the boot's too, parses one format less. */
	for (const char *s = prefix[level]; *s;)
		buf[n++] = *s++;
	va_start(ap, fmt);
	n += fmt_vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	console_hyp_line(buf, MIN(n, sizeof(buf) - 1), level >= LOG_INFO);
}

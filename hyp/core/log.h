/*
 * Logging and the hypervisor's own broken invariants (ERROR, WARN, INFO,
 * DEBUG; panic and CHECK).  A guest's misbehaviour is logged at WARN through
 * a rate limit (hyp/core/fault.h), never with panic().
 */
#ifndef TESSERA_HYP_LOG_H
#define TESSERA_HYP_LOG_H

#include <stdarg.h>
#include <stdnoreturn.h>

#include "tessera/types.h"

/* LOG_ALWAYS: what the console monitor prints on request, whatever the level. */
enum log_level { LOG_ALWAYS, LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Lines above this level are not printed; the console monitor moves it (Ctrl-T + and -). */
extern u32 log_level;

void log_printf(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_printf(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_printf(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_printf(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)
#define log_always(...) log_printf(LOG_ALWAYS, __VA_ARGS__)

/* The hypervisor's own invariant is broken: report and stop this CPU (panic.c). */
void panic(const char *fmt, ...) __attribute__((__noreturn__, format(printf, 1, 2)));

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			panic("CHECK(%s) failed at %s:%d", #cond, __FILE__, __LINE__);             \
	} while (0)

#endif /* TESSERA_HYP_LOG_H */

/*
 * A small printf-style formatter: %c %s %d %i %u %x %X %p %%, with the '-'
 * and '0' flags, a field width, a precision for strings (%.*s too), and the
 * length modifiers l, ll and z.  No floating point.  Host-testable.
 */
#ifndef TESSERA_FMT_H
#define TESSERA_FMT_H

#include <stdarg.h>

#include "tessera/types.h"

/*
 * Format into buf (always NUL-terminated when size > 0).  Returns the length
 * the full output would have had, like vsnprintf.
 */
size_t fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* TESSERA_FMT_H */

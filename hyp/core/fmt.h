/*
 * A small printf-style formatter: what the hypervisor's messages use, %s %d %u %x %%, with
 * the '-' and '0' flags, a field width (* too), a precision for strings (%.*s too) and the
 * length modifier ll.  No %c, %i, %X, %p, l or z (a 'long' is an 'int' on this target): the
 * format attribute lets the compiler check each message's arguments, not which of these it
 * uses, so tests/unit/fmt_test.c holds every form the sources use.  Host-testable.
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

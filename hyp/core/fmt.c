/*
 * printf-style formatting for the log and the register dump: what the hypervisor's messages
 * use and no more (hyp/core/fmt.h).
 */
#include "hyp/core/fmt.h"

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/*
 * The digits of hi:lo in 'base' (at most 16), written backwards from end; returns the first.
 * Long division of the 64-bit value in 16-bit steps of 32-bit division (UDIV): a remainder
 * and the next 16 bits fit in 32, and libgcc's 64-bit division (a quarter of a KiB of code)
 * stays out of the image.
 */
static char *digits(char *end, u32 hi, u32 lo, u32 base)
{
	do {
		u32 part = ((hi % base) << 16) | (lo >> 16), q;

		hi /= base;
		q = part / base;
		part = ((part % base) << 16) | (lo & 0xffff);
		lo = (q << 16) | (part / base);
		*--end = "0123456789abcdef"[part % base];
	} while (hi | lo);
	return end;
}

/* A number (*, a width or a precision) from the format or from the arguments. */
static size_t number(const char **p, va_list *ap)
{
	size_t n = 0;

	if (**p == '*') {
		int v = va_arg(*ap, int);

		(*p)++;
		return v < 0 ? 0 : (size_t)v;
	}
	while (**p >= '0' && **p <= '9')
		n = n * 10 + (size_t)(*(*p)++ - '0');
	return n;
}

size_t fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };
	va_list args;
	const char *p;

	va_copy(args, ap);
	for (p = fmt; *p; p++) {
		bool left = false, negative = false;
		char pad = ' ', tmp[24], *s, c;
		size_t width, prec = (size_t)-1, n, fill;
		int lng = 0;
		u64 v;

		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		while (*++p == '-' || *p == '0') {
			if (*p == '-')
				left = true;
			else
				pad = '0';
		}
		width = number(&p, &args);
		if (*p == '.') {
			p++;
			prec = number(&p, &args);
		}
		while (*p == 'l') {
			lng++;
			p++;
		}
		c = *p;
		if (c == 's') {
			s = va_arg(args, char *);
			if (!s)
				s = "(null)";
			for (n = 0; n < prec && s[n]; n++)
				;
			pad = ' ';
		} else if (c == 'd' || c == 'u' || c == 'x') {
			if (lng >= 2)
				v = va_arg(args, u64);
			else if (c == 'd')
				v = (u64)(s64)va_arg(args, int);
			else
				v = va_arg(args, unsigned int);
			if (c == 'd' && (s64)v < 0) {
				negative = true;
				v = 0 - v;
			}
			s = digits(tmp + sizeof(tmp), (u32)(v >> 32), (u32)v, c == 'x' ? 16 : 10);
			n = (size_t)(tmp + sizeof(tmp) - s);
		} else {
			if (!c)
				break; /* a lone '%' at the end */
			if (c != '%')
				put(&o, '%'); /* an unknown conversion printed as written */
			put(&o, c);
			continue;
		}
		if (left)
			pad = ' ';
		if (negative) {
			/* The sign goes before zero padding (-0042), else with the digits. */
			if (pad == '0') {
				put(&o, '-');
				width -= width != 0;
			} else {
				*--s = '-';
				n++;
			}
		}
		fill = width > n ? width - n : 0;
		for (; !left && fill; fill--)
			put(&o, pad);
		while (n--)
			put(&o, *s++);
		for (; fill; fill--)
			put(&o, ' ');
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}

size_t fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

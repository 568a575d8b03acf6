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

static void put_fill(struct out *o, char c, size_t n, size_t width)
{
	for (; n < width; n++)
		put(o, c);
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
		char pad = ' ', tmp[24], *s;
		size_t width, prec = (size_t)-1, n;
		int lng = 0;
		u64 v;

		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		for (p++;; p++) {
			if (*p == '-')
				left = true;
			else if (*p == '0')
				pad = '0';
			else
				break;
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
		switch (*p) {
		case 's':
			s = va_arg(args, char *);
			if (!s)
				s = "(null)";
			for (n = 0; n < prec && s[n]; n++)
				;
			pad = ' ';
			break;
		case 'd':
		case 'u':
		case 'x':
			if (lng >= 2)
				v = va_arg(args, u64);
			else if (*p == 'd')
				v = (u64)(s64)va_arg(args, int);
			else
				v = va_arg(args, unsigned int);
			if (*p == 'd' && (s64)v < 0) {
				negative = true;
				v = 0 - v;
			}
			s = digits(tmp + sizeof(tmp), (u32)(v >> 32), (u32)v, *p == 'x' ? 16 : 10);
			n = (size_t)(tmp + sizeof(tmp) - s);
			if (negative) {
				if (pad == '0' && !left) {
					put(&o,
					    '-'); /* the sign goes before the zero padding: -0042 */
					width = width ? width - 1 : 0;
				} else {
					*--s = '-';
					n++;
				}
			}
			break;
		case '\0':
			p--; /* a lone '%' at the end: stop at the NUL */
			continue;
		default: /* %%, or an unknown conversion printed as written */
			if (*p != '%')
				put(&o, '%');
			put(&o, *p);
			continue;
		}
		if (left)
			pad = ' ';
		if (!left)
			put_fill(&o, pad, n, width);
		for (size_t i = 0; i < n; i++)
			put(&o, s[i]);
		if (left)
			put_fill(&o, ' ', n, width);
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

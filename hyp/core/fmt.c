/*
 * printf-style formatting for the log and the register dump: what the hypervisor's messages
 * use and no more (hyp/core/fmt.h).
 */
#include "hyp/core/fmt.h"

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
	while ((u32)(**p - '0') <= 9)
		n = n * 10 + (size_t)(*(*p)++ - '0');
	return n;
}

/*
 * Every conversion, and every other character, is a field of n characters at s with 'fill'
 * padding characters: before them (pad: ' ' or '0'), after them ('-': spaces), or after the
 * sign when zeros pad a negative number (-0042); one loop writes them all.
 */
size_t fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	size_t len = 0;
	va_list args;
	const char *p;
	char tmp[24]; /* a number's digits and sign, or an unknown conversion */

	va_copy(args, ap);
	for (p = fmt; *p; p++) {
		char pad = ' ';
		const char *s = p;
		size_t width = 0, prec = (size_t)-1, n = 1, fill, i, k = 0;

		if (*p == '%') {
			bool left = false;
			char c;
			int lng = 0;

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
				char *d;
				u64 v;

				if (lng >= 2)
					v = va_arg(args, u64);
				else if (c == 'd')
					v = (u64)(s64)va_arg(args, int);
				else
					v = va_arg(args, unsigned int);
				if (c == 'd' && (s64)v < 0)
					v = 0 - v;
				else
					c = 0; /* no sign */
				d = digits(tmp + sizeof(tmp), (u32)(v >> 32), (u32)v,
					   *p == 'x' ? 16 : 10);
				if (c)
					*--d = '-';
				/* The sign goes before zero padding (-0042), else with the digits. */
				k = c && pad == '0';
				s = d;
				n = (size_t)(tmp + sizeof(tmp) - d);
			} else {
				if (!c)
					break; /* a lone '%' at the end */
				/* "%%" as '%', an unknown conversion printed as written, unpadded. */
				tmp[0] = '%';
				tmp[1] = c;
				s = c == '%' ? p : tmp;
				n = c == '%' ? 1 : 2;
				width = 0;
			}
			if (left) {
				pad = ' ';
				k = n;
			}
		}
		fill = width > n ? width - n : 0;
		for (i = 0; i < n + fill; i++) {
			if (len + 1 < size)
				buf[len] = i < k ? s[i] : i < k + fill ? pad : s[i - fill];
			len++;
		}
	}
	va_end(args);
	if (size)
		buf[len < size ? len : size - 1] = '\0';
	return len;
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

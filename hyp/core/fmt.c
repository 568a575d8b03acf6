/*
 * printf-style formatting for the log and the register dump.
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

static void put_padded(struct out *o, const char *s, size_t n, size_t width, bool left, char pad)
{
	size_t i;

	if (!left)
		for (i = n; i < width; i++)
			put(o, pad);
	for (i = 0; i < n; i++)
		put(o, s[i]);
	if (left)
		for (i = n; i < width; i++)
			put(o, ' ');
}

/*
 * *v /= base, returning the remainder, in 16-bit steps of 32-bit division (UDIV): base is
 * at most 16, so a remainder and the next 16 bits fit in 32, and libgcc's 64-bit division
 * (a quarter of a KiB of code) stays out of the image.
 */
static u32 divmod_small(u64 *v, u32 base)
{
	u64 q = 0;
	u32 r = 0;
	int shift;

	for (shift = 48; shift >= 0; shift -= 16) {
		u32 part = (r << 16) | (u32)((*v >> shift) & 0xffff);

		q |= (u64)(part / base) << shift;
		r = part % base;
	}
	*v = q;
	return r;
}

/* Digits of v in 'base', most significant first, into tmp; returns the count. */
static size_t utoa(u64 v, unsigned base, bool upper, char *tmp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char rev[24];
	size_t n = 0, i;

	do
		rev[n++] = digits[divmod_small(&v, base)];
	while (v);
	for (i = 0; i < n; i++)
		tmp[i] = rev[n - 1 - i];
	return n;
}

static void put_number(struct out *o, u64 v, bool negative, unsigned base, bool upper, size_t width,
		       bool left, bool zero)
{
	char tmp[24];
	size_t n = 0;

	if (negative)
		tmp[n++] = '-';
	n += utoa(v, base, upper, tmp + n);
	if (zero && !left && negative) {
		/* The sign goes before the zero padding: -0042. */
		put(o, '-');
		put_padded(o, tmp + 1, n - 1, width ? width - 1 : 0, false, '0');
		return;
	}
	put_padded(o, tmp, n, width, left, zero && !left ? '0' : ' ');
}

size_t fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };
	const char *p;

	for (p = fmt; *p; p++) {
		bool left = false, zero = false;
		size_t width = 0, prec = (size_t)-1;
		int lng = 0;
		u64 uv;
		s64 sv;

		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		p++;
		for (;; p++) {
			if (*p == '-')
				left = true;
			else if (*p == '0')
				zero = true;
			else
				break;
		}
		if (*p == '*') {
			int w = va_arg(ap, int);

			if (w < 0) {
				left = true;
				w = -w;
			}
			width = (size_t)w;
			p++;
		}
		while (*p >= '0' && *p <= '9')
			width = width * 10 + (size_t)(*p++ - '0');
		if (*p == '.') {
			p++;
			prec = 0;
			if (*p == '*') {
				int pr = va_arg(ap, int);

				prec = pr < 0 ? 0 : (size_t)pr;
				p++;
			}
			while (*p >= '0' && *p <= '9')
				prec = prec * 10 + (size_t)(*p++ - '0');
		}
		while (*p == 'l') {
			lng++;
			p++;
		}
		if (*p == 'z') {
			lng = sizeof(size_t) == 8 ? 2 : 0;
			p++;
		}

		switch (*p) {
		case 'c':
			put_padded(&o, (char[]){ (char)va_arg(ap, int) }, 1, width, left, ' ');
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t n = 0;

			if (!s)
				s = "(null)";
			while (n < prec && s[n])
				n++;
			put_padded(&o, s, n, width, left, ' ');
			break;
		}
		case 'd':
		case 'i':
			sv = lng >= 2 ? va_arg(ap, long long) :
			     lng == 1 ? va_arg(ap, long) :
					va_arg(ap, int);
			uv = sv < 0 ? (u64)0 - (u64)sv : (u64)sv;
			put_number(&o, uv, sv < 0, 10, false, width, left, zero);
			break;
		case 'u':
		case 'x':
		case 'X':
			uv = lng >= 2 ? va_arg(ap, unsigned long long) :
			     lng == 1 ? va_arg(ap, unsigned long) :
					va_arg(ap, unsigned int);
			put_number(&o, uv, false, *p == 'u' ? 10 : 16, *p == 'X', width, left,
				   zero);
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_number(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, width, left,
				   zero);
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			p--; /* a lone '%' at the end: stop at the NUL */
			break;
		default: /* unknown conversion: print it as written */
			put(&o, '%');
			put(&o, *p);
			break;
		}
	}
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

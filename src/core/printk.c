/* SPDX-License-Identifier: MIT */
/*
 * printk and the kernel's format extensions.
 *
 * The console is stderr.  A message starts with an optional KERN_<LEVEL> prefix; it reaches
 * the console when its level is below loglevel= (default 7).  KERN_CONT appends to the
 * previous line.  Output is serialised by the console lock, which reports hold for their
 * whole length so that two threads' reports never interleave.
 *
 * ukmem__vsnprintf walks a format: integers and characters are written as 6.1's number()
 * and FORMAT_TYPE_CHAR write them (a zero with precision 0 is "0", "%#x" of zero "0x0", the
 * '0' flag pads even with a precision, %lc is one byte); strings and floating point go to
 * the C library one at a time; %p conversions to printk_ptr.c.  Every conversion's flags,
 * field width and precision are decoded as 6.1's format_decode() leaves them (a '*' precision
 * below 0 is 0, not C's "none"; a '*' value too large for 6.1's printf_spec is clamped).  A
 * conversion 6.1 does not know (%n included) is its WARN_ONCE, and the formatting stops there.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <asm/page.h>
#include "core/core.h"
#include "core/format.h"

#define DEFAULT_MESSAGE_LEVEL	4

static struct {
	pthread_mutex_t lock;		/* recursive: reports print through printk */
	bool line_open;			/* last message did not end with a newline */
	bool hidden_open;		/* the record being continued is below the console level */
} console = { .lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP };

void ukmem__console_lock(void)
{
	pthread_mutex_lock(&console.lock);
}

void ukmem__console_unlock(void)
{
	pthread_mutex_unlock(&console.lock);
}

/* One standard conversion, through the C library.  A result longer than the stack buffer
 * (a long %s, a wide field) is formatted again at its full length in memory of its own. */
void ukmem__out_fmt(struct obuf *o, const char *fmt, ...)
{
	char tmp[512], *big;
	va_list ap, again;
	int n;

	va_start(ap, fmt);
	va_copy(again, ap);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(tmp)) {
		out_mem(o, tmp, (size_t)n);
	} else if (n > 0 && (big = malloc((size_t)n + 1))) {
		vsnprintf(big, (size_t)n + 1, fmt, again);
		out_mem(o, big, (size_t)n);
		free(big);
	} else if (n > 0) {	/* no memory: what fitted, and the length still counts all */
		out_mem(o, tmp, sizeof(tmp) - 1);
		o->len += (size_t)n - (sizeof(tmp) - 1);
	}
	va_end(again);
}

/* 6.1's check_pointer(): the first page and error values are never read (NULL is too). */
static bool unreadable(const void *p)
{
	return (unsigned long)p < PAGE_SIZE || IS_ERR_VALUE(p);
}

/* The spec of a %p conversion as 6.1's format_decode() leaves it: a negative width (from
 * '*') is a left-justified one, and the base is 10 (socket addresses print ports with it). */
static struct fspec pointer_spec(const char *flags, const char *flags_end, int width, int prec)
{
	struct fspec s = { width, prec, 0, 10 };

	for (const char *c = flags; c < flags_end; c++)
		s.flags |= *c == '-' ? FMT_LEFT : *c == '+' ? FMT_PLUS : *c == ' ' ? FMT_SPACE :
			   *c == '0' ? FMT_ZEROPAD : *c == '#' ? FMT_SPECIAL : 0;
	if (s.width < 0 && *flags_end == '*') {
		s.width = -s.width;
		s.flags |= FMT_LEFT;
	}
	return s;
}

/* An integer argument as 6.1's vsnprintf fetches it for qualifier @lng (0, 'H' for hh,
 * 'h', 'l' for l z t j, 'q' for ll L q): narrowed to its type, then sign- or zero-extended. */
static unsigned long long int_arg(va_list *ap, int lng, bool sign)
{
	int v;

	if (lng == 'q')
		return va_arg(*ap, unsigned long long);
	if (lng == 'l')
		return sign ? (unsigned long long)va_arg(*ap, long) : va_arg(*ap, unsigned long);
	v = va_arg(*ap, int);
	if (lng == 'H')
		return sign ? (unsigned long long)(signed char)v : (unsigned char)v;
	if (lng == 'h')
		return sign ? (unsigned long long)(short)v : (unsigned short)v;
	return sign ? (unsigned long long)v : (unsigned int)v;
}

/* %c (any qualifier): one byte, in the field width. */
static void char_conversion(struct obuf *o, struct fspec s, char c)
{
	for (; !(s.flags & FMT_LEFT) && s.width > 1; s.width--)
		out_mem(o, " ", 1);
	out_mem(o, &c, 1);
	for (; s.width > 1; s.width--)
		out_mem(o, " ", 1);
}

/* 6.1's printf_spec holds a field width in 24 bits and a precision in 16: a '*' value that
 * does not fit is clamped with set_field_width()'s or set_precision()'s WARN_ONCE; and
 * format_decode() takes a negative '*' precision as 0 (C's printf: as none). */
#define FIELD_WIDTH_MAX	((1 << 23) - 1)
#define PRECISION_MAX	((1 << 15) - 1)

static int star_width(int width)
{
	if (WARN_ONCE(width < -(1 << 23) || width > FIELD_WIDTH_MAX,
		      "field width %d too large", width))
		return clamp(width, -FIELD_WIDTH_MAX, FIELD_WIDTH_MAX);
	return width < -FIELD_WIDTH_MAX ? -FIELD_WIDTH_MAX : width;
}

static int star_precision(int prec)
{
	if (WARN_ONCE(prec < -(1 << 15) || prec > PRECISION_MAX, "precision %d too large", prec))
		return clamp(prec, 0, PRECISION_MAX);
	return prec < 0 ? 0 : prec;
}

/* One standard conversion: rebuild its spec and pass the matching argument to the C library. */
static const char *fmt_standard(struct obuf *o, const char *start, va_list *ap)
{
	const char *f = start + 1, *flags_end;
	char spec[32];
	int width = -1, prec = -1, lng = 0, digits = -1;	/* digits: a width written out */
	int pdigits = -1;					/* a precision written out */
	bool wstar = false;
	size_t n;

	while (*f && strchr("-+ #0'", *f))
		f++;
	flags_end = f;
	if (*f == '*') {
		width = star_width(va_arg(*ap, int));
		wstar = true;
		f++;
	} else {
		for (; isdigit((unsigned char)*f); f++)
			digits = (digits < 0 ? 0 : digits * 10) + (*f - '0');
	}
	if (*f == '.') {
		f++;
		if (*f == '*') {
			prec = star_precision(va_arg(*ap, int));
			f++;
		} else {
			for (pdigits = 0; isdigit((unsigned char)*f); f++)
				pdigits = pdigits * 10 + (*f - '0');
		}
	}
	if (*f == 'p') {
		const void *ptr = va_arg(*ap, const void *);
		struct fspec ps = pointer_spec(start + 1, flags_end, wstar ? width : digits,
					       prec >= 0 ? prec : pdigits);

		f++;
		ukmem__fmt_pointer(o, &f, ptr, &ps);
		return f;
	}
	for (;; f++) {
		if (*f == 'h') lng = lng == 'h' ? 'H' : 'h';
		else if (*f == 'l') lng = lng == 'l' ? 'q' : 'l';
		else if (*f == 'q' || *f == 'L') lng = 'q';
		else if (*f == 'z' || *f == 't' || *f == 'j') lng = 'l';
		else break;
	}
	n = (size_t)(f - start) + 1;
	if (n >= sizeof(spec) || !*f)
		return f;		/* malformed: stop formatting here */
	memcpy(spec, start, n);
	spec[n] = '\0';

#define CALL(arg) (width >= 0 && prec >= 0 ? ukmem__out_fmt(o, spec, width, prec, arg) : \
		   width >= 0 ? ukmem__out_fmt(o, spec, width, arg) : \
		   prec >= 0 ? ukmem__out_fmt(o, spec, prec, arg) : ukmem__out_fmt(o, spec, arg))
	switch (*f) {
	case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': {
		struct fspec is = pointer_spec(start + 1, flags_end, wstar ? width : digits,
					       prec >= 0 ? prec : pdigits);

		is.base = *f == 'o' ? 8 : *f == 'u' || *f == 'd' || *f == 'i' ? 10 : 16;
		is.flags |= (*f == 'x' ? FMT_SMALL : 0) | (is.base == 10 && *f != 'u' ? FMT_SIGN : 0);
		ukmem__out_number(o, int_arg(ap, lng, is.flags & FMT_SIGN), is);
		break;
	}
	case 'c':
		char_conversion(o, pointer_spec(start + 1, flags_end, wstar ? width : digits, -1),
				(char)va_arg(*ap, int));
		break;
	case 's': {	/* what 6.1's check_pointer() prints for a string it cannot read */
		const char *str = va_arg(*ap, const char *);

		if (!str)
			str = "(null)";
		else if (unreadable(str))
			str = "(efault)";
		CALL(str);
		break;
	}
	case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
		if (lng == 'q') CALL(va_arg(*ap, long double));
		else CALL(va_arg(*ap, double));
		break;
	default:	/* %n too: 6.1's FORMAT_TYPE_INVALID, the arguments can no longer be trusted */
		WARN_ONCE(1, "Please remove unsupported %%%c in format string\n", *f);
		return f + strlen(f);
	}
#undef CALL
	return f + 1;
}

int ukmem__vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct obuf o = { buf, size ? size - 1 : 0, 0 };
	va_list va;

	/* 6.1's check: such a size is a negative length gone unsigned; nothing is written */
	if (WARN_ON_ONCE(size > INT_MAX))
		return 0;
	va_copy(va, ap);
	while (*fmt) {
		const char *pct = strchr(fmt, '%');

		if (!pct) {
			out_str(&o, fmt);
			break;
		}
		out_mem(&o, fmt, (size_t)(pct - fmt));
		if (pct[1] == '%') {
			out_mem(&o, "%", 1);
			fmt = pct + 2;
			continue;
		}
		fmt = fmt_standard(&o, pct, &va);
	}
	va_end(va);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int vscnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	int n = ukmem__vsnprintf(buf, size, fmt, args);

	if (!size)
		return 0;
	return (size_t)n < size ? n : (int)size - 1;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* ---- printk ---- */
static int printk_level(const char **fmtp, bool *cont)
{
	int level = DEFAULT_MESSAGE_LEVEL;
	const char *f = *fmtp;
	bool leveled = false;

	*cont = false;
	/* As 6.1's printk_parse_prefix: the first level counts, anything else ends the prefix */
	while (f[0] == KERN_SOH_ASCII && ((f[1] >= '0' && f[1] <= '7') || f[1] == 'c')) {
		if (f[1] == 'c')
			*cont = true;
		else if (!leveled)
			level = f[1] - '0', leveled = true;
		f += 2;
	}
	*fmtp = f;
	return level;
}

/*
 * As 6.1's vprintk_store: the whole text is formatted first and its level read from the
 * result, so a level passed as an argument ("%s", KERN_ERR, as dev_printk does) counts.  A
 * KERN_CONT piece belongs to the record it continues: shown or hidden with it.
 */
int ukmem__vprintk(const char *fmt, va_list ap)
{
	char stack_buf[1024], *text = stack_buf;
	const char *body;
	bool cont, show, ends_line;
	int level, n;
	size_t len;
	va_list va;

	va_copy(va, ap);
	n = ukmem__vsnprintf(stack_buf, sizeof(stack_buf), fmt, va);
	va_end(va);
	if (n >= (int)sizeof(stack_buf) && (text = malloc((size_t)n + 1)) != NULL)
		ukmem__vsnprintf(text, (size_t)n + 1, fmt, ap);
	if (!text)
		text = stack_buf;
	body = text;
	level = printk_level(&body, &cont);
	len = strlen(body);
	ends_line = len > 0 && body[len - 1] == '\n';
	ukmem__console_lock();
	if (cont && (console.line_open || console.hidden_open)) {
		show = !console.hidden_open;
	} else {
		show = level < ukmem__cfg.loglevel;
		console.hidden_open = false;
	}
	if (show) {
		if (!cont && console.line_open)
			fputc('\n', stderr);
		fputs(body, stderr);
		console.line_open = len > 0 && !ends_line;
	} else {
		console.hidden_open = !ends_line;
	}
	ukmem__console_unlock();
	if (text != stack_buf)
		free(text);
	return n - (int)(body - text) - ends_line;	/* 6.1 counts neither prefix nor newline */
}

int vprintk(const char *fmt, va_list args)
{
	return ukmem__vprintk(fmt, args);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = ukmem__vprintk(fmt, ap);
	va_end(ap);
	return n;
}

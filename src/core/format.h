/* SPDX-License-Identifier: MIT */
/*
 * The kernel-style formatter's pieces shared by printk.c (the walk over a format and the
 * standard conversions), printk_ptr.c (the %p extensions) and hexdump.c.
 *
 * An obuf is the output of one formatting call: it belongs to that call, so there is no
 * locking.  Invariant: len counts every byte the call would have written, of which the first
 * min(len, size) are in buf; the caller keeps one more byte of buf for the NUL.
 */
#ifndef _UKMEM_CORE_FORMAT_H
#define _UKMEM_CORE_FORMAT_H
#include <stddef.h>
#include <string.h>
#include <linux/compiler.h>

struct obuf {
	char *buf;
	size_t size, len;	/* len counts what would have been written */
};

static inline void out_mem(struct obuf *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - o->len;

		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static inline void out_str(struct obuf *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

/* The flags of a conversion, as 6.1's struct printf_spec keeps them. */
#define FMT_SIGN	1u	/* signed conversion */
#define FMT_LEFT	2u	/* '-' */
#define FMT_PLUS	4u	/* '+' */
#define FMT_SPACE	8u	/* ' ' */
#define FMT_ZEROPAD	16u	/* '0' */
#define FMT_SMALL	32u	/* lower-case hex digits */
#define FMT_SPECIAL	64u	/* '#': 0x prefix */

/* One conversion's flags, field width and precision (-1: not given), and number base. */
struct fspec {
	int width;
	int prec;
	unsigned int flags;
	unsigned int base;
};

__printf(2, 3) void ukmem__out_fmt(struct obuf *o, const char *fmt, ...);
/* 6.1's number(): the integer conversions' text, %d %i %u %x %X %o and the extensions' */
void ukmem__out_number(struct obuf *o, unsigned long long num, struct fspec s);
/* The %p extension at *fmtp (just after the 'p'), with its argument; *fmtp moves past it. */
void ukmem__fmt_pointer(struct obuf *o, const char **fmtp, const void *ptr,
			const struct fspec *spec);
#endif

/* SPDX-License-Identifier: MIT */
/*
 * printk and the kernel's format extensions.
 *
 * The console is stderr.  A message starts with an optional KERN_<LEVEL> prefix; it reaches
 * the console when its level is below loglevel= (default 7).  KERN_CONT appends to the
 * previous line.  Output is serialised by the console lock, which reports hold for their
 * whole length so that two threads' reports never interleave.
 *
 * ukmem__vsnprintf understands standard conversions (handed to the C library one at a time)
 * and the %p extensions listed in <linux/printk.h>.  As in the kernel, every alphanumeric
 * character after %p belongs to the extension.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/gfp_types.h>
#include <linux/ioport.h>
#include <asm/page.h>
#include "core/core.h"

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

/* ---- the output buffer of one formatting call ---- */
struct obuf {
	char *buf;
	size_t size, len;	/* len counts what would have been written */
};

static void out_mem(struct obuf *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - o->len;

		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void out_str(struct obuf *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

/* One standard conversion, through the C library.  A result longer than the stack buffer
 * (a long %s, a wide field) is formatted again at its full length in memory of its own. */
static __printf(2, 3) void out_fmt(struct obuf *o, const char *fmt, ...)
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

/* ---- %pe ---- */
static const struct { int err; const char *name; } errnames[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" }, { EINTR, "EINTR" },
	{ EIO, "EIO" }, { ENXIO, "ENXIO" }, { E2BIG, "E2BIG" }, { EBADF, "EBADF" },
	{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EFAULT, "EFAULT" },
	{ EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { ENODEV, "ENODEV" }, { EINVAL, "EINVAL" },
	{ ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" }, { ENOSYS, "ENOSYS" }, { ENODATA, "ENODATA" },
	{ ETIME, "ETIME" }, { EOVERFLOW, "EOVERFLOW" }, { EOPNOTSUPP, "EOPNOTSUPP" },
	{ ETIMEDOUT, "ETIMEDOUT" }, { EALREADY, "EALREADY" }, { EINPROGRESS, "EINPROGRESS" },
	{ ENOTTY, "ENOTTY" }, { EROFS, "EROFS" }, { EPIPE, "EPIPE" }, { EDOM, "EDOM" },
	{ ERESTARTSYS, "ERESTARTSYS" }, { EPROBE_DEFER, "EPROBE_DEFER" },
	{ ENOTSUPP, "ENOTSUPP" }, { ENOIOCTLCMD, "ENOIOCTLCMD" },
};

static void fmt_err(struct obuf *o, const void *ptr)
{
	long err = (long)ptr;

	if (IS_ERR(ptr)) {
		for (size_t i = 0; i < ARRAY_SIZE(errnames); i++)
			if (errnames[i].err == -err) {
				out_fmt(o, "-%s", errnames[i].name);
				return;
			}
		out_fmt(o, "%ld", err);
		return;
	}
	out_fmt(o, "%016lx", (unsigned long)ptr);
}

/* ---- %pGg: GFP flags with composite names first, as the kernel prints them ---- */
static const struct { gfp_t mask; const char *name; } gfp_names[] = {
	{ GFP_TRANSHUGE, "GFP_TRANSHUGE" }, { GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT" },
	{ GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" }, { GFP_HIGHUSER, "GFP_HIGHUSER" },
	{ GFP_USER, "GFP_USER" }, { GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT" },
	{ GFP_KERNEL, "GFP_KERNEL" }, { GFP_NOFS, "GFP_NOFS" }, { GFP_ATOMIC, "GFP_ATOMIC" },
	{ GFP_NOIO, "GFP_NOIO" }, { GFP_NOWAIT, "GFP_NOWAIT" }, { GFP_DMA, "GFP_DMA" },
	{ __GFP_HIGHMEM, "__GFP_HIGHMEM" }, { GFP_DMA32, "GFP_DMA32" },
	{ __GFP_HIGH, "__GFP_HIGH" }, { __GFP_ATOMIC, "__GFP_ATOMIC" }, { __GFP_IO, "__GFP_IO" },
	{ __GFP_FS, "__GFP_FS" }, { __GFP_NOWARN, "__GFP_NOWARN" },
	{ __GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL" }, { __GFP_NOFAIL, "__GFP_NOFAIL" },
	{ __GFP_NORETRY, "__GFP_NORETRY" }, { __GFP_COMP, "__GFP_COMP" },
	{ __GFP_ZERO, "__GFP_ZERO" }, { __GFP_NOMEMALLOC, "__GFP_NOMEMALLOC" },
	{ __GFP_MEMALLOC, "__GFP_MEMALLOC" }, { __GFP_HARDWALL, "__GFP_HARDWALL" },
	{ __GFP_THISNODE, "__GFP_THISNODE" }, { __GFP_RECLAIMABLE, "__GFP_RECLAIMABLE" },
	{ __GFP_MOVABLE, "__GFP_MOVABLE" }, { __GFP_ACCOUNT, "__GFP_ACCOUNT" },
	{ __GFP_WRITE, "__GFP_WRITE" }, { __GFP_RECLAIM, "__GFP_RECLAIM" },
	{ __GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
	{ __GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" }, { __GFP_ZEROTAGS, "__GFP_ZEROTAGS" },
};

const char *ukmem__gfp_names(gfp_t gfp, char *buf, size_t len)
{
	struct obuf o = { buf, len ? len - 1 : 0, 0 };
	bool first = true;

	for (size_t i = 0; i < ARRAY_SIZE(gfp_names) && gfp; i++) {
		if ((gfp & gfp_names[i].mask) != gfp_names[i].mask)
			continue;
		out_str(&o, first ? "" : "|");
		out_str(&o, gfp_names[i].name);
		gfp &= ~gfp_names[i].mask;
		first = false;
	}
	if (gfp)		/* bits without a name, in hex; no flags at all print nothing */
		out_fmt(&o, "%s%#x", first ? "" : "|", gfp);
	if (len)
		buf[o.len < len ? o.len : len - 1] = '\0';
	return buf;
}

static const char *const page_flag_names[] = {
	"locked", "referenced", "uptodate", "dirty", "lru", "active", "workingset", "waiters",
	"error", "slab", "owner_priv_1", "arch_1", "reserved", "private", "private_2",
	"writeback", "head", "mappedtodisk", "reclaim", "swapbacked", "unevictable", "mlocked",
	"uncached", "hwpoison", "young", "idle", "arch_2",
};

static void fmt_page_flags(struct obuf *o, unsigned long flags)
{
	bool first = true;

	out_fmt(o, "%#lx(", flags);
	for (size_t i = 0; i < ARRAY_SIZE(page_flag_names); i++)
		if (flags & (1UL << i)) {
			out_fmt(o, "%s%s", first ? "" : "|", page_flag_names[i]);
			first = false;
		}
	out_str(o, ")");
}

static void fmt_resource(struct obuf *o, const struct resource *r, bool decode)
{
	const char *type = (r->flags & IORESOURCE_IO) ? "io" : (r->flags & IORESOURCE_MEM) ? "mem" :
			   (r->flags & IORESOURCE_IRQ) ? "irq" : (r->flags & IORESOURCE_DMA) ? "dma" :
			   "??? ";

	if (r->flags & (IORESOURCE_IRQ | IORESOURCE_DMA))
		out_fmt(o, "[%s %llu", type, (unsigned long long)r->start);
	else
		out_fmt(o, "[%s %#010llx-%#010llx", type, (unsigned long long)r->start,
			(unsigned long long)r->end);
	if (decode && (r->flags & IORESOURCE_PREFETCH))
		out_str(o, " pref");
	if (!decode)
		out_fmt(o, " flags %#lx", r->flags);
	out_str(o, "]");
}

static void fmt_hex_buf(struct obuf *o, const u8 *p, int n, char sep)
{
	if (n < 0)
		n = 1;
	for (int i = 0; i < n && i < 64; i++) {
		if (i && sep)
			out_mem(o, &sep, 1);
		out_fmt(o, "%02x", p[i]);
	}
}

static void fmt_pointer(struct obuf *o, const char **fmtp, const void *ptr, int field_width)
{
	const char *f = *fmtp;
	char tmp[256];

	/* Extensions that read through the pointer print what the kernel's check_pointer()
	 * prints for one that cannot be read: "(null)", or "(efault)" for the first page and
	 * error values ("invalid resource %pR" of a NULL resource is a valid driver message). */
	if (strchr("VaGRrhM", *f) && *f && unreadable(ptr)) {
		out_str(o, ptr ? "(efault)" : "(null)");
		goto skip;
	}
	switch (*f) {
	case 'S': case 's': case 'B':
		if (*f == 's')
			ukmem__sym_name((unsigned long)ptr, tmp, sizeof(tmp));
		else	/* %pB: a return address, so the call's own line (offset shown minus 1) */
			ukmem__symbolize((unsigned long)ptr - (*f == 'B'), tmp, sizeof(tmp));
		out_str(o, tmp);
		break;
	case 'V': {
		const struct va_format *vaf = ptr;
		va_list va;
		int n;

		va_copy(va, *vaf->va);
		/* the buffer has o->size bytes and the NUL's: so has the rest of it */
		n = ukmem__vsnprintf(o->len < o->size ? o->buf + o->len : NULL,
				     o->len < o->size ? o->size - o->len + 1 : 0, vaf->fmt, va);
		va_end(va);
		o->len += n > 0 ? n : 0;
		break;
	}
	case 'a':
		if (f[1] == 'd')
			out_fmt(o, "0x%016llx", (unsigned long long)*(const dma_addr_t *)ptr);
		else
			out_fmt(o, "0x%016llx", (unsigned long long)*(const phys_addr_t *)ptr);
		break;
	case 'e':
		fmt_err(o, ptr);
		break;
	case 'G':
		if (f[1] == 'g')
			out_str(o, ukmem__gfp_names(*(const gfp_t *)ptr, tmp, sizeof(tmp)));
		else if (f[1] == 'p')
			fmt_page_flags(o, *(const unsigned long *)ptr);
		break;
	case 'R': case 'r':
		fmt_resource(o, ptr, *f == 'R');
		break;
	case 'h':
		fmt_hex_buf(o, ptr, field_width, f[1] == 'C' ? ':' : f[1] == 'D' ? '-' : f[1] == 'N' ? 0 : ' ');
		break;
	case 'M':
		fmt_hex_buf(o, ptr, 6, ':');
		break;
	default:		/* %p %px %pK and unknown extensions: the address itself */
		out_fmt(o, "%016lx", (unsigned long)ptr);	/* NULL too: 6.1's pointer_string() */
		break;
	}
skip:
	while (isalnum((unsigned char)**fmtp))
		(*fmtp)++;
}

/* "%#x" of zero as 6.1's number() writes it: the 0x stays (C drops it), inside the width,
 * before zero padding and after space padding. */
static void out_hex_zero(struct obuf *o, bool upper, bool left, bool zeropad, int width,
			 int prec)
{
	int digits = prec > 1 ? prec : 1, pad = width - digits - 2;

	if (left)
		zeropad = false;
	for (; !left && !zeropad && pad > 0; pad--)
		out_mem(o, " ", 1);
	out_str(o, upper ? "0X" : "0x");
	for (; !left && zeropad && pad > 0; pad--)
		out_mem(o, "0", 1);
	while (digits--)
		out_mem(o, "0", 1);
	for (; left && pad > 0; pad--)
		out_mem(o, " ", 1);
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
		width = va_arg(*ap, int);
		wstar = true;
		f++;
	} else {
		for (; isdigit((unsigned char)*f); f++)
			digits = (digits < 0 ? 0 : digits * 10) + (*f - '0');
	}
	if (*f == '.') {
		f++;
		if (*f == '*') {
			prec = va_arg(*ap, int);
			f++;
		} else {
			for (pdigits = 0; isdigit((unsigned char)*f); f++)
				pdigits = pdigits * 10 + (*f - '0');
		}
	}
	if (*f == 'p') {
		const void *ptr = va_arg(*ap, const void *);

		f++;
		fmt_pointer(o, &f, ptr, width >= 0 ? width : digits);	/* "%6phC" as "%*phC" */
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

#define CALL(arg) (width >= 0 && prec >= 0 ? out_fmt(o, spec, width, prec, arg) : \
		   width >= 0 ? out_fmt(o, spec, width, arg) : \
		   prec >= 0 ? out_fmt(o, spec, prec, arg) : out_fmt(o, spec, arg))
	switch (*f) {
	case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': case 'c': {
		long long v = lng == 'q' ? va_arg(*ap, long long) : lng == 'l' ? va_arg(*ap, long) :
			      va_arg(*ap, int);

		/* The kernel keeps the 0x of "%#x" on zero ("0x0"); C drops it. */
		if ((*f == 'x' || *f == 'X') && (lng ? v : (unsigned int)v) == 0 &&
		    memchr(start, '#', flags_end - start)) {
			bool left = memchr(start, '-', flags_end - start);

			if (wstar && width < 0)		/* "%*x" with a negative width: left */
				left = true, width = -width;
			out_hex_zero(o, *f == 'X', left, memchr(start, '0', flags_end - start),
				     width >= 0 ? width : digits, prec >= 0 ? prec : pdigits);
			break;
		}
		if (lng == 'q') CALL(v);
		else if (lng == 'l') CALL((long)v);
		else CALL((int)v);
		break;
	}
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
	case 'n':
		(void)va_arg(*ap, void *);	/* never written, as in the kernel */
		break;
	default:
		out_mem(o, start, n);
		break;
	}
#undef CALL
	return f + 1;
}

int ukmem__vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct obuf o = { buf, size ? size - 1 : 0, 0 };
	va_list va;

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
	return n < (int)size ? n : (int)size - 1;
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

	*cont = false;
	while (f[0] == KERN_SOH_ASCII && f[1]) {
		if (f[1] >= '0' && f[1] <= '7')
			level = f[1] - '0';
		else if (f[1] == 'c')
			*cont = true;
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
	return n - (int)(body - text);
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

void print_hex_dump(const char *level, const char *prefix_str, int prefix_type, int rowsize,
		    int groupsize, const void *buf, size_t len, bool ascii)
{
	const u8 *p = buf;

	if (rowsize != 16 && rowsize != 32)
		rowsize = 16;
	for (size_t i = 0; i < len; i += rowsize) {
		char line[200], fmt[32];
		struct obuf o = { line, sizeof(line) - 1, 0 };
		size_t n = len - i < (size_t)rowsize ? len - i : (size_t)rowsize;

		for (size_t j = 0; j < n; j++)
			out_fmt(&o, "%s%02x", j ? " " : "", p[i + j]);
		if (ascii) {
			out_fmt(&o, "%*s", (int)(3 * (rowsize - n) + 2), "");
			for (size_t j = 0; j < n; j++)
				out_fmt(&o, "%c", isprint(p[i + j]) ? p[i + j] : '.');
		}
		line[o.len < sizeof(line) ? o.len : sizeof(line) - 1] = '\0';
		/* the level must open the format itself, where printk looks for it */
		if (prefix_type == DUMP_PREFIX_ADDRESS)
			snprintf(fmt, sizeof(fmt), "%s%%s%%px: %%s\n", level);
		else if (prefix_type == DUMP_PREFIX_OFFSET)
			snprintf(fmt, sizeof(fmt), "%s%%s%%.8zx: %%s\n", level);
		else
			snprintf(fmt, sizeof(fmt), "%s%%s%%s\n", level);
		if (prefix_type == DUMP_PREFIX_ADDRESS)
			printk(fmt, prefix_str, p + i, line);
		else if (prefix_type == DUMP_PREFIX_OFFSET)
			printk(fmt, prefix_str, i, line);
		else
			printk(fmt, prefix_str, line);
	}
}

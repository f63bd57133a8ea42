/* SPDX-License-Identifier: MIT */
/*
 * The kernel's %p format extensions, printing what 6.1's lib/vsprintf.c prints: symbols
 * (%pS %ps %pB), resources (%pR %pr), hex buffers (%*ph), bitmaps (%*pb %*pbl), MAC, IPv4,
 * IPv6 and socket addresses (%pM %pm %pI %pi %pIS), UUIDs (%pU), device-tree nodes (%pOF),
 * errors (%pe), physical and DMA addresses (%pa %pad), flags (%pGg %pGp), escaped buffers
 * (%*pE), dates and times (%ptR %ptT), clocks (%pC, through the name function the clock core
 * registers), four-character codes (%p4cc), netdev features (%pNF), %pV and plain pointers
 * (%p %px %pK, unhashed; so are the extensions ukmem has no objects for: %pd %pD %pg %pf).  The field width and precision apply as 6.1 applies
 * them: most extensions are strings (precision cuts, width pads with spaces), %ph and %pb
 * take the width as their length, %pa and %pV ignore both.
 *
 * Extensions that read through their pointer print 6.1's check_pointer() text for one that
 * cannot be read: "(null)", or "(efault)" for the first page and error values.
 *
 * Everything here works on the caller's output buffer and constant tables; the one piece of
 * state is the clock-name hook, set once by the clock core's start-up and read atomically
 * (symbol look-ups take the console lock inside stack.c).
 */
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/gfp_types.h>
#include <linux/ioport.h>
#include <linux/mm_types.h>
#include <linux/of.h>
#include <linux/printk.h>
#include <linux/rtc.h>
#include <linux/string_helpers.h>
#include <linux/time64.h>
#include <asm/page.h>
#include "core/core.h"
#include "core/format.h"

/* Hooks that upper layers register (core never names them). */
static struct {
	const char *(*clk_name)(const struct clk *clk);	/* %pC; NULL: print the address */
} ptr_hooks;

static const char hex_lower[] = "0123456789abcdef", hex_upper[] = "0123456789ABCDEF";

static void out_fill(struct obuf *o, char c, int n)
{
	for (; n > 0; n--)
		out_mem(o, &c, 1);
}

static void out_hex_byte(struct obuf *o, u8 b, bool upper)
{
	const char *d = upper ? hex_upper : hex_lower;
	char two[2] = { d[b >> 4], d[b & 15] };

	out_mem(o, two, 2);
}

/* The sign, the 0x of '#' and the padding around @ndigits digits, as 6.1's number(). */
static void number_prefix(struct obuf *o, const struct fspec *s, char sign, bool zero,
			  int ndigits, int *width)
{
	bool pfx = (s->flags & FMT_SPECIAL) && s->base != 10;
	int prec = s->prec > ndigits ? s->prec : ndigits;

	*width -= prec + (sign != 0) + (pfx ? (s->base == 16 ? 2 : !zero) : 0);
	if (!(s->flags & (FMT_ZEROPAD | FMT_LEFT)))
		out_fill(o, ' ', *width), *width = 0;
	if (sign)
		out_mem(o, &sign, 1);
	if (pfx && (s->base == 16 || !zero))
		out_mem(o, "0", 1);
	if (pfx && s->base == 16)
		out_mem(o, s->flags & FMT_SMALL ? "x" : "X", 1);
	if (!(s->flags & FMT_LEFT))
		out_fill(o, s->flags & FMT_ZEROPAD ? '0' : ' ', *width), *width = 0;
	out_fill(o, '0', prec - ndigits);
}

/* 6.1's number(): @num in base 8, 10 or 16 with the spec's sign, prefix, width, precision;
 * at least one digit, even for zero with precision 0. */
void ukmem__out_number(struct obuf *o, unsigned long long num, struct fspec s)
{
	const char *digits = s.flags & FMT_SMALL ? hex_lower : hex_upper;
	char tmp[24], sign = 0;
	bool zero = !num;
	int i = 0, width = s.width;

	if (s.flags & FMT_LEFT)
		s.flags &= ~FMT_ZEROPAD;
	if ((s.flags & FMT_SIGN) && (long long)num < 0) {
		sign = '-';
		num = 0 - num;
	} else if (s.flags & FMT_SIGN) {
		sign = s.flags & FMT_PLUS ? '+' : s.flags & FMT_SPACE ? ' ' : 0;
	}
	do {
		tmp[i++] = digits[num % s.base];
		num /= s.base;
	} while (num);
	number_prefix(o, &s, sign, zero, i, &width);
	while (i--)
		out_mem(o, &tmp[i], 1);
	out_fill(o, ' ', width);
}

static const struct fspec dec_spec = { -1, -1, 0, 10 };
static const struct fspec flag_spec = { -1, -1, FMT_SPECIAL | FMT_SMALL, 16 };

/* 6.1's widen_string(): pad what was written since @start to the field width. */
static void widen(struct obuf *o, size_t start, const struct fspec *s)
{
	size_t n = o->len - start, pad;

	if (s->width <= 0 || (size_t)s->width <= n)
		return;
	pad = (size_t)s->width - n;
	if (s->flags & FMT_LEFT) {
		out_fill(o, ' ', (int)pad);
		return;
	}
	if (start < o->size) {		/* move what fits right, spaces before it */
		size_t room = o->size - start, keep = n < room ? n : room;

		if (pad < room) {
			keep = keep < room - pad ? keep : room - pad;
			memmove(o->buf + start + pad, o->buf + start, keep);
		}
		memset(o->buf + start, ' ', pad < room ? pad : room);
	}
	o->len += pad;
}

/* 6.1's string_nocheck(): at most the precision's bytes of @s, widened. */
static void out_string(struct obuf *o, const char *s, const struct fspec *sp)
{
	size_t start = o->len, n = strlen(s);

	if (sp->prec >= 0 && (size_t)sp->prec < n)
		n = (size_t)sp->prec;
	out_mem(o, s, n);
	widen(o, start, sp);
}

/* 6.1's error_string(): precision 16 unless one was given. */
static void error_string(struct obuf *o, const char *s, const struct fspec *sp)
{
	struct fspec e = *sp;

	if (e.prec == -1)
		e.prec = 2 * sizeof(void *);
	out_string(o, s, &e);
}

/* 6.1's check_pointer(): false (and the text printed) for a pointer it would not read. */
static bool check_pointer(struct obuf *o, const void *p, const struct fspec *sp)
{
	if ((unsigned long)p >= PAGE_SIZE && !IS_ERR_VALUE(p))
		return true;
	error_string(o, p ? "(efault)" : "(null)", sp);
	return false;
}

/* %p %px %pK: the address in hex, 16 digits unless a width was given (6.1 does not hash
 * here: ukmem prints addresses as no_hash_pointers would). */
static void pointer_string(struct obuf *o, const void *p, const struct fspec *sp)
{
	struct fspec s = *sp;

	s.base = 16;
	s.flags |= FMT_SMALL;
	if (s.width == -1) {
		s.width = 2 * sizeof(p);
		s.flags |= FMT_ZEROPAD;
	}
	ukmem__out_number(o, (unsigned long)p, s);
}

/* A local text buffer for an extension that is built first and widened as one string. */
#define LOCAL_OBUF(name, arr)	struct obuf name = { arr, sizeof(arr) - 1, 0 }
static const char *local_end(struct obuf *t)
{
	t->buf[t->len < t->size ? t->len : t->size] = '\0';
	return t->buf;
}

/* ---- %pS %ps %pB ---- */
static void symbol_string(struct obuf *o, const void *ptr, const struct fspec *sp, char kind)
{
	char sym[256];

	if (kind == 'B')
		ukmem__symbolize_backtrace((unsigned long)ptr, sym, sizeof(sym));
	else if (kind == 's')
		ukmem__sym_name((unsigned long)ptr, sym, sizeof(sym));
	else
		ukmem__symbolize((unsigned long)ptr, sym, sizeof(sym));
	out_string(o, sym, sp);
}

/* ---- %pR %pr ---- */
static const struct fspec io_spec = { 6, -1, FMT_SPECIAL | FMT_SMALL | FMT_ZEROPAD, 16 };
static const struct fspec mem_spec = { 10, -1, FMT_SPECIAL | FMT_SMALL | FMT_ZEROPAD, 16 };
static const struct fspec bus_spec = { 2, -1, FMT_SMALL | FMT_ZEROPAD, 16 };

static const struct { unsigned long flag; const char *name; const struct fspec *num; }
resource_types[] = {
	{ IORESOURCE_IO, "io  ", &io_spec }, { IORESOURCE_MEM, "mem ", &mem_spec },
	{ IORESOURCE_IRQ, "irq ", &dec_spec }, { IORESOURCE_DMA, "dma ", &dec_spec },
	{ IORESOURCE_BUS, "bus ", &bus_spec },
};

static const struct { unsigned long flag; const char *name; } resource_bits[] = {
	{ IORESOURCE_MEM_64, " 64bit" }, { IORESOURCE_PREFETCH, " pref" },
	{ IORESOURCE_WINDOW, " window" }, { IORESOURCE_DISABLED, " disabled" },
};

/* "[mem 0x...-0x... 64bit pref]" (%pR, decoded) or "[mem 0x...-0x... flags 0x...]" (%pr) */
static void resource_string(struct obuf *o, const struct resource *r, const struct fspec *sp,
			    bool decode)
{
	const struct fspec *num = &mem_spec;
	const char *type = "??? ";
	char text[128];
	LOCAL_OBUF(t, text);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(resource_types); i++)
		if (r->flags & resource_types[i].flag)
			break;
	if (i < ARRAY_SIZE(resource_types))
		type = resource_types[i].name, num = resource_types[i].num;
	else
		decode = false;
	out_str(&t, "[");
	out_str(&t, type);
	if (decode && (r->flags & IORESOURCE_UNSET)) {
		out_str(&t, "size ");
		ukmem__out_number(&t, resource_size(r), *num);
	} else {
		ukmem__out_number(&t, r->start, *num);
		if (r->start != r->end)
			out_str(&t, "-"), ukmem__out_number(&t, r->end, *num);
	}
	for (i = 0; decode && i < ARRAY_SIZE(resource_bits); i++)
		if (r->flags & resource_bits[i].flag)
			out_str(&t, resource_bits[i].name);
	if (!decode)
		out_str(&t, " flags "), ukmem__out_number(&t, r->flags, flag_spec);
	out_str(&t, "]");
	out_string(o, local_end(&t), sp);
}

/* ---- %*ph: the width is the length (1 without one, at most 64); no widening ---- */
static void hex_string(struct obuf *o, const u8 *p, const struct fspec *sp, char kind)
{
	char sep = kind == 'C' ? ':' : kind == 'D' ? '-' : kind == 'N' ? 0 : ' ';
	int len = sp->width > 0 ? (sp->width < 64 ? sp->width : 64) : 1;

	if (sp->width == 0 || !check_pointer(o, p, sp))
		return;
	for (int i = 0; i < len; i++) {
		out_hex_byte(o, p[i], false);
		if (sep && i != len - 1)
			out_mem(o, &sep, 1);
	}
}

/* ---- %*pb: 32-bit hex chunks, most significant first; %*pbl: ranges "0-3,8" ---- */
static unsigned int bitmap_bit(const unsigned long *map, int bit)
{
	return (map[bit / BITS_PER_LONG] >> (bit % BITS_PER_LONG)) & 1;
}

static void bitmap_string(struct obuf *o, const unsigned long *map, const struct fspec *sp)
{
	int nbits = sp->width > 0 ? sp->width : 0, chunk = nbits % 32 ? nbits % 32 : 32;

	if (!check_pointer(o, map, sp))
		return;
	for (int i = ALIGN(nbits, 32) - 32; i >= 0; i -= 32, chunk = 32) {
		u32 val = (u32)(map[i / BITS_PER_LONG] >> (i % BITS_PER_LONG)) &
			  (u32)((1ULL << chunk) - 1);
		struct fspec s = { DIV_ROUND_UP(chunk, 4), -1, FMT_SMALL | FMT_ZEROPAD, 16 };

		if (i != ALIGN(nbits, 32) - 32)
			out_mem(o, ",", 1);
		ukmem__out_number(o, val, s);
	}
}

static void bitmap_list_string(struct obuf *o, const unsigned long *map,
			       const struct fspec *sp)
{
	int nbits = sp->width > 0 ? sp->width : 0;
	bool first = true;

	if (!check_pointer(o, map, sp))
		return;
	for (int bot = 0, top; bot < nbits; bot = top) {
		if (!bitmap_bit(map, bot)) {
			top = bot + 1;
			continue;
		}
		for (top = bot + 1; top < nbits && bitmap_bit(map, top); top++)
			;
		if (!first)
			out_mem(o, ",", 1);
		first = false;
		ukmem__out_number(o, (unsigned int)bot, dec_spec);
		if (top - 1 != bot)
			out_mem(o, "-", 1), ukmem__out_number(o, (unsigned int)(top - 1), dec_spec);
	}
}

/* ---- %pM %pMR %pMF %pm %pmR ---- */
static void mac_address_string(struct obuf *o, const u8 *addr, const struct fspec *sp,
			       const char *f)
{
	char sep = f[1] == 'F' ? '-' : ':', text[sizeof("xx:xx:xx:xx:xx:xx")];
	bool reversed = f[1] == 'R';
	LOCAL_OBUF(t, text);

	if (!check_pointer(o, addr, sp))
		return;
	for (int i = 0; i < 6; i++) {
		out_hex_byte(&t, addr[reversed ? 5 - i : i], false);
		if (f[0] == 'M' && i != 5)
			out_mem(&t, &sep, 1);
	}
	out_string(o, local_end(&t), sp);
}

/* ---- %pI4 %pi4 (byte order by h, n, b, l) ---- */
static void ip4_string(struct obuf *t, const u8 *addr, char kind, char order)
{
	bool reversed = order == 'h' || order == 'l';	/* host order is little-endian here */

	for (int i = 0; i < 4; i++)
		ukmem__out_fmt(t, kind == 'i' ? "%s%03u" : "%s%u", i ? "." : "",
			       addr[reversed ? 3 - i : i]);
}

/* ---- %pI6 %pi6 %pI6c ---- */
static u16 ip6_word(const u8 *addr, int i)
{
	return (u16)(addr[2 * i] << 8 | addr[2 * i + 1]);
}

static bool ip6_has_ipv4_tail(const u8 *a)
{
	static const u8 mapped[12] = { [10] = 0xff, [11] = 0xff };

	return !memcmp(a, mapped, 12) ||				/* ::ffff:a.b.c.d */
	       ((a[8] | 0x02) == 0x02 && a[9] == 0 && a[10] == 0x5e && a[11] == 0xfe); /* ISATAP */
}

/* The longest run (longer than one) of zero words in the first @words: its start, or -1. */
static int ip6_zero_run(const u8 *addr, int words, int *len)
{
	int best = -1;

	*len = 1;
	for (int i = 0; i < words; i++) {
		int n = 0;

		while (i + n < words && !ip6_word(addr, i + n))
			n++;
		if (n > *len)
			*len = n, best = i;
	}
	return best;
}

/* RFC 5952 style: leading zeros dropped, the longest zero run as "::", IPv4 tails dotted. */
static void ip6_compressed(struct obuf *t, const u8 *addr)
{
	bool v4 = ip6_has_ipv4_tail(addr), colon = false;
	int words = v4 ? 6 : 8, run, zero = ip6_zero_run(addr, words, &run);

	for (int i = 0; i < words; i++) {
		if (i == zero) {
			out_str(t, colon || i == 0 ? "::" : ":");
			colon = false;
			i += run - 1;
			continue;
		}
		if (colon)
			out_mem(t, ":", 1);
		ukmem__out_fmt(t, "%x", ip6_word(addr, i));
		colon = true;
	}
	if (v4) {
		if (colon)
			out_mem(t, ":", 1);
		ip4_string(t, addr + 12, 'I', 'n');
	}
}

static void ip6_plain(struct obuf *t, const u8 *addr, char kind)
{
	for (int i = 0; i < 16; i++) {
		out_hex_byte(t, addr[i], false);
		if (kind == 'I' && i % 2 && i != 15)
			out_mem(t, ":", 1);
	}
}

/* ---- %pIS %piS: a struct sockaddr_in or _in6, with p (port), f (flow), s (scope), c ---- */
static void ip4_sockaddr(struct obuf *t, const struct sockaddr_in *sa, const char *f,
			 const struct fspec *sp)
{
	char order = 'n';
	bool port = false;

	for (const char *c = f + 2; isalpha((unsigned char)*c); c++) {
		if (*c == 'p')
			port = true;
		else if (strchr("hlnb", *c))
			order = *c;
	}
	ip4_string(t, (const u8 *)&sa->sin_addr.s_addr, f[0], order);
	if (port)
		out_mem(t, ":", 1), ukmem__out_number(t, ntohs(sa->sin_port), *sp);
}

static void ip6_sockaddr(struct obuf *t, const struct sockaddr_in6 *sa, const char *f,
			 const struct fspec *sp)
{
	const u8 *addr = sa->sin6_addr.s6_addr;
	bool port = false, flow = false, scope = false, compress = false;

	for (const char *c = f + 2; isalpha((unsigned char)*c); c++) {
		port |= *c == 'p';
		flow |= *c == 'f';
		scope |= *c == 's';
		compress |= *c == 'c';
	}
	if (port || flow || scope)
		out_mem(t, "[", 1);
	if (f[0] == 'I' && compress)
		ip6_compressed(t, addr);
	else
		ip6_plain(t, addr, f[0]);
	if (port || flow || scope)
		out_mem(t, "]", 1);
	if (port)
		out_mem(t, ":", 1), ukmem__out_number(t, ntohs(sa->sin6_port), *sp);
	if (flow)	/* the flow label and traffic class, without the top nibble */
		out_mem(t, "/", 1), ukmem__out_number(t, ntohl(sa->sin6_flowinfo) & 0x0fffffff, *sp);
	if (scope)
		out_mem(t, "%", 1), ukmem__out_number(t, sa->sin6_scope_id, *sp);
}

static void ip_addr_string(struct obuf *o, const void *ptr, const struct fspec *sp,
			   const char *f)
{
	const struct sockaddr *sa = ptr;
	char text[128];
	LOCAL_OBUF(t, text);

	if (!check_pointer(o, ptr, sp))
		return;
	if (f[1] == '4') {
		ip4_string(&t, ptr, f[0], f[2]);
	} else if (f[1] == '6' && f[0] == 'I' && f[2] == 'c') {
		ip6_compressed(&t, ptr);
	} else if (f[1] == '6') {
		ip6_plain(&t, ptr, f[0]);
	} else if (f[1] == 'S' && sa->sa_family == AF_INET) {
		ip4_sockaddr(&t, ptr, f, sp);
	} else if (f[1] == 'S' && sa->sa_family == AF_INET6) {
		ip6_sockaddr(&t, ptr, f, sp);
	} else {
		error_string(o, f[1] == 'S' ? "(einval)" : f[0] == 'i' ? "(%pi?)" : "(%pI?)", sp);
		return;
	}
	out_string(o, local_end(&t), sp);
}

/* ---- %pU: b/B big-endian (the default), l/L little-endian (GUID); B and L upper-case ---- */
static void uuid_string(struct obuf *o, const u8 *addr, const struct fspec *sp, char kind)
{
	static const u8 be[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
	static const u8 le[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	const u8 *index = kind == 'l' || kind == 'L' ? le : be;
	char text[sizeof("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")];
	LOCAL_OBUF(t, text);

	if (!check_pointer(o, addr, sp))
		return;
	for (int i = 0; i < 16; i++) {
		out_hex_byte(&t, addr[index[i]], kind == 'B' || kind == 'L');
		if (i == 3 || i == 5 || i == 7 || i == 9)
			out_mem(&t, "-", 1);
	}
	out_string(o, local_end(&t), sp);
}

/* ---- %pOF[fnpPFcC] ---- */

/* A node's name as 6.1's fwnode_get_name: the last component of its full name ("" for a
 * root, whose full name is "/"). */
static const char *of_print_name(const struct device_node *dn)
{
	const char *slash = strrchr(dn->full_name, '/');

	return slash ? slash + 1 : dn->full_name;
}

/* Every node from the root down: "/" and the name, the root without its "/" (a ukmem node
 * has no parent, so it is its own root: its name alone). */
static void of_full_name(struct obuf *o, const struct device_node *dn)
{
	if (dn->parent) {
		of_full_name(o, dn->parent);
		out_mem(o, "/", 1);
	}
	out_str(o, of_print_name(dn));
}

static void of_compatibles(struct obuf *o, const struct device_node *dn, const struct fspec *s,
			   bool all)
{
	int len;
	const char *p = of_get_property(dn, "compatible", &len), *end = p ? p + len : NULL;

	for (bool first = true; p && p < end; p += strlen(p) + 1, first = false) {
		if (!all) {
			out_string(o, p, s);
			return;
		}
		out_str(o, first ? "\"" : ",\"");
		out_string(o, p, s);
		out_mem(o, "\"", 1);
	}
}

static void of_flags(struct obuf *o, const struct device_node *dn, const struct fspec *s)
{
	char text[5] = {
		dn->_flags & (1UL << OF_DYNAMIC) ? 'D' : '-',
		dn->_flags & (1UL << OF_DETACHED) ? 'd' : '-',
		dn->_flags & (1UL << OF_POPULATED) ? 'P' : '-',
		dn->_flags & (1UL << OF_POPULATED_BUS) ? 'B' : '-',
	};

	out_string(o, text, s);
}

static void of_field(struct obuf *o, const struct device_node *dn, char c, const struct fspec *s)
{
	const char *name = of_print_name(dn);
	struct fspec n = *s;

	switch (c) {
	case 'f': of_full_name(o, dn); break;
	case 'n':
		n.prec = (int)strcspn(name, "@");
		out_string(o, name, &n);
		break;
	case 'p': ukmem__out_number(o, dn->phandle, dec_spec); break;
	case 'P': out_string(o, name[0] && name[1] ? name : "/", s); break;
	case 'F': of_flags(o, dn, s); break;
	case 'c': of_compatibles(o, dn, s, false); break;
	case 'C': of_compatibles(o, dn, s, true); break;
	}
}

/* Fields joined by ':'; no letter (or something else first) is "f".  Each field keeps the
 * precision; the width pads the whole. */
static void device_node_string(struct obuf *o, const struct device_node *dn,
			       const struct fspec *sp, const char *f)
{
	static const char fields[] = "fnpPFcC";
	struct fspec each = *sp;
	size_t start = o->len;

	if (f[0] != 'F') {
		error_string(o, "(%pO?)", sp);
		return;
	}
	if (!check_pointer(o, dn, sp))
		return;
	f++;
	if (!f[0] || strcspn(f, fields) > 0)
		f = "f";
	each.width = -1;
	for (const char *c = f; *c && strchr(fields, *c); c++) {
		if (c != f)
			out_mem(o, ":", 1);
		of_field(o, dn, *c, &each);
	}
	widen(o, start, sp);
}

/* ---- %pe: the error's name as 6.1's lib/errname.c has it, else its number ---- */
#define ERRNAME(e)	[e] = #e
static const char *const errnames_low[] = {
	ERRNAME(EPERM), ERRNAME(ENOENT), ERRNAME(ESRCH), ERRNAME(EINTR), ERRNAME(EIO),
	ERRNAME(ENXIO), ERRNAME(E2BIG), ERRNAME(ENOEXEC), ERRNAME(EBADF), ERRNAME(ECHILD),
	ERRNAME(EAGAIN), ERRNAME(ENOMEM), ERRNAME(EACCES), ERRNAME(EFAULT), ERRNAME(ENOTBLK),
	ERRNAME(EBUSY), ERRNAME(EEXIST), ERRNAME(EXDEV), ERRNAME(ENODEV), ERRNAME(ENOTDIR),
	ERRNAME(EISDIR), ERRNAME(EINVAL), ERRNAME(ENFILE), ERRNAME(EMFILE), ERRNAME(ENOTTY),
	ERRNAME(ETXTBSY), ERRNAME(EFBIG), ERRNAME(ENOSPC), ERRNAME(ESPIPE), ERRNAME(EROFS),
	ERRNAME(EMLINK), ERRNAME(EPIPE), ERRNAME(EDOM), ERRNAME(ERANGE), ERRNAME(EDEADLK),
	ERRNAME(ENAMETOOLONG), ERRNAME(ENOLCK), ERRNAME(ENOSYS), ERRNAME(ENOTEMPTY),
	ERRNAME(ELOOP), ERRNAME(ENOMSG), ERRNAME(EIDRM), ERRNAME(ECHRNG), ERRNAME(EL2NSYNC),
	ERRNAME(EL3HLT), ERRNAME(EL3RST), ERRNAME(ELNRNG), ERRNAME(EUNATCH), ERRNAME(ENOCSI),
	ERRNAME(EL2HLT), ERRNAME(EBADE), ERRNAME(EBADR), ERRNAME(EXFULL), ERRNAME(ENOANO),
	ERRNAME(EBADRQC), ERRNAME(EBADSLT), ERRNAME(EBFONT), ERRNAME(ENOSTR), ERRNAME(ENODATA),
	ERRNAME(ETIME), ERRNAME(ENOSR), ERRNAME(ENONET), ERRNAME(ENOPKG), ERRNAME(EREMOTE),
	ERRNAME(ENOLINK), ERRNAME(EADV), ERRNAME(ESRMNT), ERRNAME(ECOMM), ERRNAME(EPROTO),
	ERRNAME(EMULTIHOP), ERRNAME(EDOTDOT), ERRNAME(EBADMSG), ERRNAME(EOVERFLOW),
	ERRNAME(ENOTUNIQ), ERRNAME(EBADFD), ERRNAME(EREMCHG), ERRNAME(ELIBACC),
	ERRNAME(ELIBBAD), ERRNAME(ELIBSCN), ERRNAME(ELIBMAX), ERRNAME(ELIBEXEC),
	ERRNAME(EILSEQ), ERRNAME(ERESTART), ERRNAME(ESTRPIPE), ERRNAME(EUSERS),
	ERRNAME(ENOTSOCK), ERRNAME(EDESTADDRREQ), ERRNAME(EMSGSIZE), ERRNAME(EPROTOTYPE),
	ERRNAME(ENOPROTOOPT), ERRNAME(EPROTONOSUPPORT), ERRNAME(ESOCKTNOSUPPORT),
	ERRNAME(EOPNOTSUPP), ERRNAME(EPFNOSUPPORT), ERRNAME(EAFNOSUPPORT), ERRNAME(EADDRINUSE),
	ERRNAME(EADDRNOTAVAIL), ERRNAME(ENETDOWN), ERRNAME(ENETUNREACH), ERRNAME(ENETRESET),
	ERRNAME(ECONNABORTED), ERRNAME(ECONNRESET), ERRNAME(ENOBUFS), ERRNAME(EISCONN),
	ERRNAME(ENOTCONN), ERRNAME(ESHUTDOWN), ERRNAME(ETOOMANYREFS), ERRNAME(ETIMEDOUT),
	ERRNAME(ECONNREFUSED), ERRNAME(EHOSTDOWN), ERRNAME(EHOSTUNREACH), ERRNAME(EALREADY),
	ERRNAME(EINPROGRESS), ERRNAME(ESTALE), ERRNAME(EUCLEAN), ERRNAME(ENOTNAM),
	ERRNAME(ENAVAIL), ERRNAME(EISNAM), ERRNAME(EREMOTEIO), ERRNAME(EDQUOT),
	ERRNAME(ENOMEDIUM), ERRNAME(EMEDIUMTYPE), ERRNAME(ECANCELED), ERRNAME(ENOKEY),
	ERRNAME(EKEYEXPIRED), ERRNAME(EKEYREVOKED), ERRNAME(EKEYREJECTED), ERRNAME(EOWNERDEAD),
	ERRNAME(ENOTRECOVERABLE), ERRNAME(ERFKILL), ERRNAME(EHWPOISON),
};

/* The kernel's own codes, from 512: indexed from ERESTARTSYS */
#define ERRNAME_HIGH(e)	[e - ERESTARTSYS] = #e
static const char *const errnames_high[] = {
	ERRNAME_HIGH(ERESTARTSYS), ERRNAME_HIGH(ERESTARTNOINTR), ERRNAME_HIGH(ERESTARTNOHAND),
	ERRNAME_HIGH(ENOIOCTLCMD), ERRNAME_HIGH(ERESTART_RESTARTBLOCK),
	ERRNAME_HIGH(EPROBE_DEFER), ERRNAME_HIGH(EOPENSTALE), ERRNAME_HIGH(ENOPARAM),
	ERRNAME_HIGH(EBADHANDLE), ERRNAME_HIGH(ENOTSYNC), ERRNAME_HIGH(EBADCOOKIE),
	ERRNAME_HIGH(ENOTSUPP), ERRNAME_HIGH(ETOOSMALL), ERRNAME_HIGH(ESERVERFAULT),
	ERRNAME_HIGH(EBADTYPE), ERRNAME_HIGH(EJUKEBOX), ERRNAME_HIGH(EIOCBQUEUED),
	ERRNAME_HIGH(ERECALLCONFLICT),
};

static const char *errname(unsigned int err)
{
	if (err < ARRAY_SIZE(errnames_low))
		return errnames_low[err];
	if (err >= ERESTARTSYS && err - ERESTARTSYS < ARRAY_SIZE(errnames_high))
		return errnames_high[err - ERESTARTSYS];
	return NULL;
}

static void err_ptr(struct obuf *o, const void *ptr, const struct fspec *sp)
{
	long err = PTR_ERR(ptr);
	const char *name = errname((unsigned int)-err);
	struct fspec s = *sp;
	char text[32];

	if (!IS_ERR(ptr)) {		/* 6.1: a plain %p */
		pointer_string(o, ptr, sp);
		return;
	}
	if (!name) {
		s.flags |= FMT_SIGN;
		s.base = 10;
		ukmem__out_number(o, (unsigned long long)err, s);
		return;
	}
	snprintf(text, sizeof(text), "-%s", name);
	out_string(o, text, sp);
}

/* 6.1's special_hex_number(): "0x" and every digit of a @size-byte value. */
static void special_hex(struct obuf *o, unsigned long long v, int size)
{
	struct fspec s = { 2 + 2 * size, -1, FMT_SPECIAL | FMT_SMALL | FMT_ZEROPAD, 16 };

	ukmem__out_number(o, v, s);
}

/* ---- %pa %pad: "0x" and every digit of the type, whatever the width ---- */
static void address_val(struct obuf *o, const void *p, const struct fspec *sp, char kind)
{
	if (!check_pointer(o, p, sp))
		return;
	if (kind == 'd')
		special_hex(o, *(const dma_addr_t *)p, sizeof(dma_addr_t));
	else
		special_hex(o, *(const phys_addr_t *)p, sizeof(phys_addr_t));
}

/* ---- %pNF: a netdev_features_t (a u64), as %pa prints an address ---- */
static void netdev_bits(struct obuf *o, const void *p, const struct fspec *sp, char kind)
{
	if (!check_pointer(o, p, sp))
		return;
	if (kind != 'F')
		return error_string(o, "(%pN?)", sp);
	special_hex(o, *(const u64 *)p, sizeof(u64));
}

/* ---- %p4cc: a V4L2/DRM four-character code, "AR24 little-endian (0x34325241)" ---- */
static void fourcc_string(struct obuf *o, const void *p, const struct fspec *sp, const char *f)
{
	char text[sizeof("0123 little-endian (0x01234567)")];
	LOCAL_OBUF(t, text);
	u32 orig, val;

	if (f[1] != 'c' || f[2] != 'c')
		return error_string(o, "(%p4?)", sp);
	if (!check_pointer(o, p, sp))
		return;
	memcpy(&orig, p, sizeof(orig));		/* it may be unaligned */
	val = orig & ~(1U << 31);		/* bit 31 is the byte order */
	for (int i = 0; i < 4; i++) {
		char c = (char)(val >> (8 * i));

		out_mem(&t, isascii(c) && isprint(c) ? &c : ".", 1);
	}
	out_str(&t, orig & (1U << 31) ? " big-endian (" : " little-endian (");
	special_hex(&t, orig, sizeof(u32));
	out_str(&t, ")");
	out_string(o, local_end(&t), sp);
}

/* ---- %pGg %pGp ---- */
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

static void gfp_string(struct obuf *o, gfp_t gfp)
{
	bool first = true;

	for (size_t i = 0; i < ARRAY_SIZE(gfp_names) && gfp; i++) {
		if ((gfp & gfp_names[i].mask) != gfp_names[i].mask)
			continue;
		out_str(o, first ? "" : "|");
		out_str(o, gfp_names[i].name);
		gfp &= ~gfp_names[i].mask;
		first = false;
	}
	if (gfp)		/* bits without a name, in hex; no flags at all print nothing */
		out_str(o, first ? "" : "|"), ukmem__out_number(o, gfp, flag_spec);
}

const char *ukmem__gfp_names(gfp_t gfp, char *buf, size_t len)
{
	struct obuf o = { buf, len ? len - 1 : 0, 0 };

	gfp_string(&o, gfp);
	if (len)
		buf[o.len < len ? o.len : len - 1] = '\0';
	return buf;
}

/* In 6.1's order (not the bits' order). */
static const struct { int bit; const char *name; } page_flag_names[] = {
	{ PG_locked, "locked" }, { PG_waiters, "waiters" }, { PG_error, "error" },
	{ PG_referenced, "referenced" }, { PG_uptodate, "uptodate" }, { PG_dirty, "dirty" },
	{ PG_lru, "lru" }, { PG_active, "active" }, { PG_workingset, "workingset" },
	{ PG_slab, "slab" }, { PG_owner_priv_1, "owner_priv_1" }, { PG_arch_1, "arch_1" },
	{ PG_reserved, "reserved" }, { PG_private, "private" }, { PG_private_2, "private_2" },
	{ PG_writeback, "writeback" }, { PG_head, "head" }, { PG_mappedtodisk, "mappedtodisk" },
	{ PG_reclaim, "reclaim" }, { PG_swapbacked, "swapbacked" },
	{ PG_unevictable, "unevictable" }, { PG_mlocked, "mlocked" }, { PG_uncached, "uncached" },
	{ PG_hwpoison, "hwpoison" }, { PG_young, "young" }, { PG_idle, "idle" },
	{ PG_arch_2, "arch_2" },
};

/* "0x10008(dirty|head)": the word, then the names of its page-flag bits (the allocator's
 * bits above them have no names and no fields to print). */
static void page_flags_string(struct obuf *o, unsigned long flags)
{
	unsigned long main = flags & ((1UL << __NR_PAGEFLAGS) - 1);

	ukmem__out_number(o, flags, flag_spec);
	out_mem(o, "(", 1);
	for (size_t i = 0; i < ARRAY_SIZE(page_flag_names) && main; i++) {
		if (!(main & (1UL << page_flag_names[i].bit)))
			continue;
		out_str(o, page_flag_names[i].name);
		main &= ~(1UL << page_flag_names[i].bit);
		if (main)
			out_mem(o, "|", 1);
	}
	out_mem(o, ")", 1);
}

static void flags_string(struct obuf *o, const void *p, const struct fspec *sp, char kind)
{
	if (!check_pointer(o, p, sp))
		return;
	if (kind == 'p')
		page_flags_string(o, *(const unsigned long *)p);
	else if (kind == 'g')
		gfp_string(o, *(const gfp_t *)p);
	else if (kind == 'v' && *(const unsigned long *)p)	/* no VMA flag names here */
		ukmem__out_number(o, *(const unsigned long *)p, flag_spec);
	else if (kind != 'v')
		error_string(o, "(%pG?)", sp);
}

/* ---- %pV: the nested format writes straight into the buffer; no width ---- */
static void va_format(struct obuf *o, const struct va_format *vaf, const struct fspec *sp)
{
	va_list va;
	int n;

	if (!check_pointer(o, vaf, sp))
		return;
	va_copy(va, *vaf->va);
	/* the buffer has o->size bytes and the NUL's: so has the rest of it */
	n = ukmem__vsnprintf(o->len < o->size ? o->buf + o->len : NULL,
			     o->len < o->size ? o->size - o->len + 1 : 0, vaf->fmt, va);
	va_end(va);
	o->len += n > 0 ? n : 0;
}

/* %*pE: @sp->width bytes (1 when no width is given, nothing for 0) through
 * string_escape_mem, with the classes the letters after 'E' name (a c h n o p s; none: the
 * default ESCAPE_ANY_NP).  As 6.1, the escaped text is neither cut by a precision nor padded. */
static void escaped_string(struct obuf *o, const u8 *addr, const struct fspec *sp,
			   const char *f)
{
	static const char letters[] = "acnhops";
	static const unsigned int classes[] = { ESCAPE_ANY, ESCAPE_SPECIAL, ESCAPE_NULL, ESCAPE_HEX,
						ESCAPE_OCTAL, ESCAPE_NP, ESCAPE_SPACE };
	unsigned int flags = 0;
	const char *hit;
	size_t room = o->len < o->size ? o->size - o->len : 0;

	if (sp->width == 0 || !check_pointer(o, addr, sp))
		return;
	for (f++; *f && (hit = strchr(letters, *f)); f++)
		flags |= classes[hit - letters];
	o->len += (size_t)string_escape_mem((const char *)addr, sp->width < 0 ? 1 : (size_t)sp->width,
					    room ? o->buf + o->len : NULL, room,
					    flags ? flags : ESCAPE_ANY_NP, NULL);
}

static void out_dec(struct obuf *o, long long v, int digits)
{
	struct fspec s = { .width = digits, .prec = -1, .flags = FMT_ZEROPAD, .base = 10 };

	ukmem__out_number(o, (unsigned long long)v, s);
}

/* The civil date of @t seconds since 1970-01-01 00:00 UTC (proleptic Gregorian). */
static void time64_to_rtc(time64_t t, struct rtc_time *tm)
{
	long long days = t / 86400, secs = t % 86400, era, doe, yoe, doy, mp, year;

	if (secs < 0)
		secs += 86400, days--;
	days += 719468;			/* count from 0000-03-01 */
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;	/* [0, 146096] */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;	/* March = 0 */
	year = yoe + era * 400 + (mp >= 10);
	*tm = (struct rtc_time){
		.tm_sec = (int)(secs % 60), .tm_min = (int)(secs / 60 % 60),
		.tm_hour = (int)(secs / 3600), .tm_mday = (int)(doy - (153 * mp + 2) / 5 + 1),
		.tm_mon = (int)(mp < 10 ? mp + 2 : mp - 10), .tm_year = (int)(year - 1900),
	};
}

/* %ptR (struct rtc_time) and %ptT (time64_t): "YYYY-mm-ddTHH:MM:SS"; d or t after R/T keeps
 * the date or the time alone; then r: the fields raw (no 1900 and 1 added), s: a space
 * between date and time.  6.1 ignores the field width and precision here. */
static void time_and_date(struct obuf *o, const void *ptr, const struct fspec *sp,
			  const char *f)
{
	bool date = true, time = true, raw = false, space = false;
	struct rtc_time tm;

	if (!check_pointer(o, ptr, sp))
		return;
	if (f[1] == 'R')
		tm = *(const struct rtc_time *)ptr;
	else if (f[1] == 'T')
		time64_to_rtc(*(const time64_t *)ptr, &tm);
	else
		return error_string(o, "(%pt?)", sp);
	f += 2;
	if (*f == 'd' || *f == 't')
		date = *f == 'd', time = *f == 't', f++;
	for (; *f == 'r' || *f == 's'; f++)
		*f == 'r' ? (raw = true) : (space = true);
	if (date) {
		out_dec(o, tm.tm_year + (raw ? 0 : 1900), 4);
		out_mem(o, "-", 1);
		out_dec(o, tm.tm_mon + (raw ? 0 : 1), 2);
		out_mem(o, "-", 1);
		out_dec(o, tm.tm_mday, 2);
	}
	if (date && time)
		out_mem(o, space ? " " : "T", 1);
	if (time) {
		out_dec(o, tm.tm_hour, 2);
		out_mem(o, ":", 1);
		out_dec(o, tm.tm_min, 2);
		out_mem(o, ":", 1);
		out_dec(o, tm.tm_sec, 2);
	}
}

/**
 * ukmem__printk_clk_name_register - name the function %pC prints a clock's name with
 * @fn: the clock core's name look-up
 */
void ukmem__printk_clk_name_register(const char *(*fn)(const struct clk *clk))
{
	__atomic_store_n(&ptr_hooks.clk_name, fn, __ATOMIC_RELEASE);
}

/* %pC and %pCn: the clock's name, as 6.1 with the common clock framework prints it. */
static void clock_string(struct obuf *o, const struct clk *clk, const struct fspec *sp)
{
	const char *(*name)(const struct clk *) =
		__atomic_load_n(&ptr_hooks.clk_name, __ATOMIC_ACQUIRE);
	const char *s;

	if (!check_pointer(o, clk, sp))
		return;
	if (!name)
		return pointer_string(o, clk, sp);
	s = name(clk);
	if (check_pointer(o, s, sp))
		out_string(o, s, sp);
}

/* As 6.1's pointer(): dispatch on the letter after %p; every alphanumeric character after
 * it belongs to the extension. */
void ukmem__fmt_pointer(struct obuf *o, const char **fmtp, const void *ptr,
			const struct fspec *sp)
{
	const char *f = *fmtp;

	switch (f[0]) {
	case 'S': case 's': case 'B': symbol_string(o, ptr, sp, f[0]); break;
	case 'R': case 'r':
		if (check_pointer(o, ptr, sp))
			resource_string(o, ptr, sp, f[0] == 'R');
		break;
	case 'h': hex_string(o, ptr, sp, f[1]); break;
	case 'b':
		if (f[1] == 'l')
			bitmap_list_string(o, ptr, sp);
		else
			bitmap_string(o, ptr, sp);
		break;
	case 'M': case 'm': mac_address_string(o, ptr, sp, f); break;
	case 'I': case 'i': ip_addr_string(o, ptr, sp, f); break;
	case 'U': uuid_string(o, ptr, sp, f[1]); break;
	case 'V': va_format(o, ptr, sp); break;
	case 'a': address_val(o, ptr, sp, f[1]); break;
	case 'G': flags_string(o, ptr, sp, f[1]); break;
	case 'O': device_node_string(o, ptr, sp, f + 1); break;
	case 'e': err_ptr(o, ptr, sp); break;
	case 'E': escaped_string(o, ptr, sp, f); break;
	case 't': time_and_date(o, ptr, sp, f); break;
	case 'C': clock_string(o, ptr, sp); break;
	case '4': fourcc_string(o, ptr, sp, f); break;
	case 'N': netdev_bits(o, ptr, sp, f[1]); break;
	case 'A':	/* Rust's formatter; 6.1 without CONFIG_RUST */
		WARN_ONCE(1, "Please remove %%pA from non-Rust code\n");
		error_string(o, "(%pA?)", sp);
		break;
	case 'k': case 'u':
		if (f[1] != 's')
			error_string(o, "(einval)", sp);
		else if (check_pointer(o, ptr, sp))
			out_string(o, ptr, sp);
		break;
	default: pointer_string(o, ptr, sp); break;	/* %p %px %pK, unknown letters */
	}
	while (isalnum((unsigned char)**fmtp))
		(*fmtp)++;
}

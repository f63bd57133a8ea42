/* SPDX-License-Identifier: MIT */
/*
 * Logging: printk levels against loglevel= (messages below the console level reach stderr,
 * others do not), KERN_CONT, the pr_* family; the kernel's %p extensions, each compared with
 * the exact text 6.1's lib/vsprintf.c prints (flags, errors, addresses, buffers and bitmaps,
 * network addresses, UUIDs, escaped buffers, dates and times, clocks, resources, device-tree
 * nodes, symbols, field width and precision); hex dumps as 6.1's lib/hexdump.c lays them out; WARN_ON, WARN, WARN_ONCE and
 * their report text and return values; BUG_ON and panic_on_warn=1 abort (observed in
 * children).
 */
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/bug.h>
#include <linux/clk.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/of.h>
#include <linux/printk.h>
#include <linux/rtc.h>
#include <linux/time64.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

static char buf[256];

#define EXPECT_FMT(expected, fmt, ...) do { \
	int _n = scnprintf(buf, sizeof(buf), fmt, ##__VA_ARGS__); \
	if (strcmp(buf, expected)) \
		KT_FAIL("format \"%s\": expected \"%s\", got \"%s\"", fmt, expected, buf); \
	KT_EQ(_n, strlen(expected)); } while (0)

/* The same, for what the compilers' format checks refuse but 6.1 defines: a precision or
 * the '0' flag on a %p extension. */
static int (*volatile unchecked_scnprintf)(char *, size_t, const char *, ...) = scnprintf;
#define EXPECT_UNCHECKED(expected, fmt, ...) do { \
	int _n = unchecked_scnprintf(buf, sizeof(buf), fmt, ##__VA_ARGS__); \
	if (strcmp(buf, expected)) \
		KT_FAIL("format \"%s\": expected \"%s\", got \"%s\"", fmt, expected, buf); \
	KT_EQ(_n, strlen(expected)); } while (0)

static volatile int sink;

noinline void known_function(void)
{
	sink = sink * 3 + 1;
	sink = sink ^ 0x55;
}

/* One conversion longer than the formatter's stack buffer (512 bytes) keeps every byte:
 * kasprintf, snprintf's length and scnprintf's count (all were cut to 511). */
static int vaf_fmt(char *b, size_t size, const char *fmt, ...)
{
	struct va_format v;
	va_list ap;
	int n;

	va_start(ap, fmt);
	v.fmt = fmt;
	v.va = &ap;
	n = scnprintf(b, size, "[%pV]", &v);
	va_end(ap);
	return n;
}

static void long_conversions(void)
{
	static char big[1000], out[2000];
	char *s;

	memset(big, 'z', sizeof(big) - 1);
	s = kasprintf(GFP_KERNEL, "<%s>", big);
	KT_ASSERT(s && strlen(s) == 1001 && s[1000] == '>' && s[999] == 'z');
	kfree(s);
	s = kasprintf(GFP_KERNEL, "%600d|", 7);
	KT_ASSERT(s && strlen(s) == 601 && s[599] == '7');
	kfree(s);
	KT_EQ(snprintf(out, 10, "%s", big), 999);
	KT_EQ(scnprintf(out, sizeof(out), "%s", big), 999);
	KT_EQ(scnprintf(out, 100, "%s", big), 99);		/* what was written, NUL aside */
	KT_EQ(strlen(out), 99);
}

static void formats(void)
{
	gfp_t gfp = GFP_KERNEL;
	phys_addr_t pa = 0x12345000;
	dma_addr_t dma = 0xfeed;
	unsigned long flags = (1UL << PG_head) | (1UL << PG_dirty);
	struct resource res = DEFINE_RES_MEM(0xfe000000, 0x1000);
	u8 bytes[] = { 0xde, 0xad, 0xbe, 0xef };

	EXPECT_FMT("GFP_KERNEL", "%pGg", &gfp);
	gfp = GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN;
	EXPECT_FMT("GFP_KERNEL|__GFP_NOWARN|__GFP_ZERO", "%pGg", &gfp);
	gfp = GFP_ATOMIC;
	EXPECT_FMT("GFP_ATOMIC", "%pGg", &gfp);
	gfp = GFP_NOWAIT | __GFP_COMP;
	EXPECT_FMT("GFP_NOWAIT|__GFP_COMP", "%pGg", &gfp);
	gfp = GFP_DMA32 | __GFP_HIGH;
	EXPECT_FMT("GFP_DMA32|__GFP_HIGH", "%pGg", &gfp);
	gfp = 0;
	EXPECT_FMT("mode:0x0()", "mode:%#x(%pGg)", gfp, &gfp);	/* no flags: no names */
	EXPECT_FMT("0x0 0X0 0x1f 0x0", "%#x %#X %#lx %#llx", 0, 0, 31UL, 0ULL);
	gfp = GFP_KERNEL;
	EXPECT_FMT("mode:0xcc0(GFP_KERNEL)", "mode:%#x(%pGg)", gfp, &gfp);
	EXPECT_FMT("0x10008(dirty|head)", "%pGp", &flags);

	EXPECT_FMT("-ENOMEM", "%pe", ERR_PTR(-ENOMEM));
	EXPECT_FMT("-EINVAL", "%pe", ERR_PTR(-EINVAL));
	EXPECT_FMT("-EPROBE_DEFER", "%pe", ERR_PTR(-EPROBE_DEFER));
	EXPECT_FMT("-4000", "%pe", ERR_PTR(-4000));	/* no name: the number */

	EXPECT_FMT("0x0000000012345000", "%pa", &pa);
	EXPECT_FMT("[0x0000000012345000]", "[%pap]", &pa);
	EXPECT_FMT("0x000000000000feed", "%pad", &dma);
	EXPECT_FMT("00000000deadbeef", "%px", (void *)0xdeadbeefUL);
	EXPECT_FMT("de ad be ef", "%*ph", 4, bytes);
	EXPECT_FMT("de:ad:be:ef", "%4phC", bytes);
	EXPECT_FMT("[mem 0xfe000000-0xfe000fff]", "%pR", &res);
	/* unreadable pointers, as check_pointer() prints them (devm_ioremap_resource's
	 * "invalid resource %pR" of NULL crashed; the first-call test found it) */
	EXPECT_FMT("(null) (null) (efault)", "%pR %ph %pa", (void *)NULL, (void *)NULL, (void *)16);
	EXPECT_FMT("(efault)", "%pR", ERR_PTR(-EINVAL));
	EXPECT_FMT("0000000000000000 0000000000000000", "%p %pK", NULL, NULL);	/* pointer_string() */
	{	/* strings it cannot read, as check_pointer() prints them (an ERR_PTR crashed) */
		const char *volatile bad = ERR_PTR(-ENOMEM), *volatile none = NULL;

		EXPECT_FMT("name (efault) (null)", "name %s %s", bad, none);
	}
	EXPECT_FMT("0x00000000|     0x0|0x0   |0x0000", "%#010x|%#8x|%#-6x|%#.4x", 0, 0, 0, 0);
	/* integers as 6.1's number(): a zero with precision 0 still has its digit, the '0'
	 * flag pads even with a precision, h and hh narrow before "%#x" looks for zero; %c of
	 * any qualifier is one byte (the C library printed "", "     005", "0", and nothing
	 * at all for a byte past ASCII as %lc) */
	EXPECT_UNCHECKED("0|0|0|0|    0|0", "%.0d|%.0u|%.0x|%.0o|%5.0i|%#.0o", 0, 0, 0, 0, 0, 0);
	EXPECT_UNCHECKED("00000005|-0000005|+005", "%08.3d|%08.3d|%+.3d", 5, -5, 5);
	EXPECT_UNCHECKED("0x0|0x0|0xff|-1|65535", "%#hx|%#hhx|%#hhx|%hd|%hu", 0x10000, 0x100,
			 0x1ff, 0xffff, -1);
	EXPECT_UNCHECKED("A|\xe9|  b|c  |", "%lc|%c|%3c|%-3c|", 'A', 0xe9, 'b', 'c');
	EXPECT_FMT("-9223372036854775808|18446744073709551615|-1|fffffffffffffffe",
		   "%lld|%llu|%zd|%zx", LLONG_MIN, ULLONG_MAX, (ssize_t)-1, (size_t)-2);
	EXPECT_FMT("   -42|-42   |+42|  42|0X2A|052|0x2a", "%6d|%-6d|%+d|% 4d|%#X|%#o|%#lx",
		   -42, -42, 42, 42, 42, 42, 42UL);
	EXPECT_FMT("    7|7    ", "%*d|%*d", 5, 7, -5, 7);
	{	/* a format that ends in '%' stops there: no reading past its end (called through
		 * a pointer: the compilers' format checks would refuse the broken format) */
		int (*fmt_fn)(char *, size_t, const char *, ...) = scnprintf;
		char fmt[16] = "load 100%";

		memcpy(fmt + 10, "%s%s", 5);
		KT_EQ(fmt_fn(buf, sizeof(buf), fmt), 8);
		KT_ASSERT(!strcmp(buf, "load 100"));
	}
	{	/* %pV keeps every byte that fits */
		char small[8];

		KT_EQ(vaf_fmt(small, sizeof(small), "%s", "abcdefghij"), 7);
		KT_ASSERT(!strcmp(small, "[abcdef"));
	}
	EXPECT_FMT("x=  42 s=ab", "x=%4d s=%.2s", 42, "abc");

	/* %pS: symbol+offset/size (and the source line where debug info exists); %ps: name. */
	scnprintf(buf, sizeof(buf), "%pS", known_function);
	KT_ASSERT(!strncmp(buf, "known_function+0x0/0x", 21));
	EXPECT_FMT("known_function", "%ps", known_function);
	scnprintf(buf, sizeof(buf), "%pS", (char *)known_function + 1);
	if (strncmp(buf, "known_function+0x1/0x", 21))
		KT_FAIL("%%pS of known_function + 1: %s", buf);
	/* %pB: a return address, looked up one byte back (its call's line) but printed with its
	 * own offset, as 6.1's sprint_backtrace does (ukmem printed the offset minus one) */
	scnprintf(buf, sizeof(buf), "%pB", (char *)known_function + 2);
	if (strncmp(buf, "known_function+0x2/0x", 21))
		KT_FAIL("%%pB of known_function + 2: %s", buf);
	EXPECT_UNCHECKED("known_function                |known", "%-30ps|%.5ps", known_function,
			 known_function);
}

/* %pe: every name of 6.1's lib/errname.c (a sample across both tables), the number when
 * there is none, a plain pointer for a value that is not an error. */
static void fmt_errors(void)
{
	unsigned long page_flags = (1UL << PG_waiters) | (1UL << PG_locked) | (1UL << PG_error) |
				   (1UL << PG_referenced);
	gfp_t gfp = GFP_KERNEL;

	EXPECT_FMT("-EDEADLK -ENOTBLK -EXFULL -EHWPOISON -ECANCELED -EAGAIN",
		   "%pe %pe %pe %pe %pe %pe",
		   ERR_PTR(-EDEADLK), ERR_PTR(-ENOTBLK), ERR_PTR(-EXFULL), ERR_PTR(-EHWPOISON),
		   ERR_PTR(-ECANCELED), ERR_PTR(-EAGAIN));
	EXPECT_FMT("-ERESTARTNOHAND -ENOPARAM -EBADCOOKIE -ENOTSUPP -ERECALLCONFLICT",
		   "%pe %pe %pe %pe %pe", ERR_PTR(-ERESTARTNOHAND), ERR_PTR(-ENOPARAM),
		   ERR_PTR(-EBADCOOKIE), ERR_PTR(-ENOTSUPP), ERR_PTR(-ERECALLCONFLICT));
	/* numbers 6.1 has no name for: 41 and 58 (aliases), 520, ENOGRACE */
	EXPECT_FMT("-41 -58 -520 -531 -134", "%pe %pe %pe %pe %pe", ERR_PTR(-41), ERR_PTR(-58),
		   ERR_PTR(-520), ERR_PTR(-ENOGRACE), ERR_PTR(-134));
	EXPECT_FMT("0000000000001234", "%pe", (void *)0x1234);
	/* a string: the width pads it; a number: number()'s padding, zeros included */
	EXPECT_UNCHECKED("      -EIO|-EIO      |-EN", "%10pe|%-10pe|%.3pe", ERR_PTR(-EIO),
		   ERR_PTR(-EIO), ERR_PTR(-ENOMEM));
	EXPECT_UNCHECKED("   -4000|-4000   |-0004000", "%8pe|%-8pe|%08pe", ERR_PTR(-4000),
		   ERR_PTR(-4000), ERR_PTR(-4000));
	/* %pGp names in 6.1's order (waiters and error after locked), %pG? is an error */
	EXPECT_FMT("0x183(locked|waiters|error|referenced)", "%pGp", &page_flags);
	EXPECT_FMT("(%pG?)", "%pGx", &gfp);
}

/* A '*' precision below 0 is 6.1's 0 (C's printf takes it as none); %p4cc and %pNF print
 * what 6.1 prints (they printed the pointer). */
static void fmt_star_and_codes(void)
{
	u32 ar24 = 0x34325241, ar24_be = 0x34325241 | (1U << 31), ctl = 1;
	u64 features = 0x1234;
	u8 mac[6] = { 1, 2, 3, 4, 5, 6 };

	EXPECT_FMT("|ab|", "%.*s|%.*s|", -1, "abc", 2, "abc");
	EXPECT_FMT("7 0", "%.*d %.*x", -1, 7, -3, 0);
	EXPECT_UNCHECKED("|", "%.*pM|", -1, mac);
	EXPECT_FMT("AR24 little-endian (0x34325241)", "%p4cc", &ar24);
	EXPECT_FMT("AR24 big-endian (0xb4325241)", "%p4cc", &ar24_be);
	EXPECT_FMT(".... little-endian (0x00000001)", "%p4cc", &ctl);
	EXPECT_FMT("    AR24 little-endian (0x34325241)|", "%35p4cc|", &ar24);
	EXPECT_FMT("(%p4?) (null)", "%p4x %p4cc", &ar24, (void *)NULL);
	EXPECT_FMT("0x0000000000001234 (%pN?) (efault)", "%pNF %pNx %pNF", &features, &features,
		   (void *)ERR_PTR(-EINVAL));
}

/* A '*' width or precision 6.1's printf_spec cannot hold is clamped with its WARN_ONCE (a
 * width of INT_MAX gave nothing for %s, and a loop of INT_MAX bytes for %d); %pA is 6.1's
 * WARN_ONCE and "(%pA?)" without Rust; an unknown conversion (or %n) is 6.1's WARN_ONCE and
 * the end of the text; a buffer size above INT_MAX is 6.1's WARN_ON_ONCE and nothing written
 * (it wrote past the buffer). */
static void huge_star_child(void *arg)
{
	char small[16];

	KT_EQ(ukmem_init(arg), 0);
	KT_EQ(unchecked_scnprintf(small, sizeof(small), "%*s|", INT_MAX, "x"), 15);
	KT_ASSERT(!strcmp(small, "               "));
	KT_EQ(unchecked_scnprintf(small, sizeof(small), "%-*d|", INT_MIN, 5), 15);
	KT_ASSERT(!strcmp(small, "5              "));
	KT_EQ(scnprintf(small, sizeof(small), "%.*s|", INT_MAX, "abc"), 4);
	KT_ASSERT(!strcmp(small, "abc|"));
	KT_EQ(scnprintf(small, sizeof(small), "%pA", small), 6);
	KT_ASSERT(!strcmp(small, "(%pA?)"));
	/* a conversion 6.1 does not know stops the formatting there (the rest was printed,
	 * "%y" itself too, and the arguments read out of step) */
	KT_EQ(unchecked_scnprintf(small, sizeof(small), "100%y%s|", "x"), 3);
	KT_ASSERT(!strcmp(small, "100"));
	KT_EQ(unchecked_scnprintf(small, sizeof(small), "a%nb", &small[8]), 1);
	KT_ASSERT(!strcmp(small, "a"));
	/* a size above INT_MAX (a length gone negative) writes nothing, with 6.1's WARNING */
	memset(small, 0, sizeof(small));
	KT_EQ(scnprintf(small + 4, sizeof(small) - 20, "%s", "overflow"), 0);
	for (size_t i = 0; i < sizeof(small); i++)
		KT_EQ(small[i], 0);
	exit(0);
}

static void fmt_huge_star(void)
{
	char *out = kt_child_output(huge_star_child, "");

	KT_CONTAINS(out, "field width 2147483647 too large");
	KT_EQ(kt_count(out, "field width "), 1);	/* once */
	KT_CONTAINS(out, "precision 2147483647 too large");
	KT_CONTAINS(out, "Please remove %pA from non-Rust code\n");
	KT_CONTAINS(out, "Please remove unsupported %y in format string\n");
	KT_EQ(kt_count(out, "Please remove unsupported"), 1);	/* once */
	KT_EQ(kt_count(out, "WARNING: "), 5);
	free(out);
}

/* %p, %px and %pa with a width: %p is number() (zeros only without a width), %pa ignores it. */
static void fmt_pointers(void)
{
	phys_addr_t pa = 0x12345000;
	void *p = (void *)0xdeadbeefUL;

	EXPECT_FMT("            deadbeef|deadbeef            |", "%20px|%-20p|", p, p);
	EXPECT_UNCHECKED("000000000000deadbeef", "%020px", p);
	EXPECT_FMT("0x0000000012345000", "%30pa", &pa);
	EXPECT_UNCHECKED("      (null)|(null)", "%12pR|%.*pM", (void *)NULL, 20, (void *)NULL);
	EXPECT_FMT("(einval) bad", "%pux %pks", (void *)"x", (void *)"bad");
	EXPECT_FMT("  abc", "%5pks", (void *)"abc");
}

/* %*ph (width = length, at most 64), %*pb (32-bit chunks, most significant first) and
 * %*pbl (ranges). */
static void fmt_buffers(void)
{
	u8 bytes[80] = { 0xde, 0xad, 0xbe, 0xef };
	unsigned long bits[2] = { 0x0000000100000f0fUL, 0x5 }, byte = 0xa5;
	char want[200];

	EXPECT_FMT("de", "%ph", bytes);
	EXPECT_FMT("deadbeef|de-ad-be-ef|de ad be ef", "%*phN|%4phD|%*ph", 4, bytes, bytes, -4,
		   bytes);
	EXPECT_FMT("||", "|%*ph|", 0, (void *)NULL);		/* no length: nothing read */
	memset(want, 0, sizeof(want));
	for (int i = 0; i < 64; i++)
		strcat(want, i < 4 ? (const char *[]){ "de", "ad", "be", "ef" }[i] : "00");
	EXPECT_FMT(want, "%*phN", 100, bytes);
	EXPECT_FMT("05,00000001,00000f0f", "%*pb", 70, bits);
	EXPECT_FMT("0-3,8-11,32,64,66", "%*pbl", 70, bits);
	EXPECT_FMT("a5|0,2,5,7|", "%*pb|%*pbl|%*pb", 8, &byte, 8, &byte, 0, bits);
	EXPECT_FMT("          (null)", "%*pb", 16, (void *)NULL);	/* padded to the bits */
}

/* MAC, IPv4, IPv6 and socket addresses. */
static void fmt_network(void)
{
	u8 mac[6] = { 0x00, 0x11, 0x22, 0xaa, 0xbb, 0xcc }, ip4[4] = { 192, 168, 1, 10 };
	u8 ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, zero[16] = { 0 }, one[16] = { [15] = 1 };
	u8 mapped[16] = { [10] = 0xff, [11] = 0xff, 192, 168, 1, 10 };
	u8 isatap[16] = { 0xfe, 0x80, [10] = 0x5e, [11] = 0xfe, 192, 168, 1, 10 };
	u8 runs[16] = { 0xfe, 0x80, [9] = 1, [15] = 1 }, single[16] = { 0, 1, 0, 0, 0, 2, 0, 3,
							     0, 4, 0, 5, 0, 6, 0, 7 };
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(8080) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(443),
				     .sin6_flowinfo = htonl(0xf0012345), .sin6_scope_id = 3 };
	struct sockaddr bad = { .sa_family = AF_UNIX };

	EXPECT_FMT("00:11:22:aa:bb:cc cc:bb:aa:22:11:00 00-11-22-aa-bb-cc", "%pM %pMR %pMF",
		   mac, mac, mac);
	EXPECT_FMT("001122aabbcc ccbbaa221100", "%pm %pmR", mac, mac);
	EXPECT_UNCHECKED("   00:11:22:aa:bb:cc|00:11|", "%20pM|%.5pM|", mac, mac);

	EXPECT_FMT("192.168.1.10 192.168.001.010", "%pI4 %pi4", ip4, ip4);
	EXPECT_FMT("10.1.168.192 192.168.1.10 192.168.1.10 10.1.168.192",
		   "%pI4h %pI4n %pI4b %pI4l", ip4, ip4, ip4, ip4);
	EXPECT_UNCHECKED("        192.168.1.10|192.168.1.10  |192.168", "%20pI4|%-14pI4|%.7pI4",
			 ip4, ip4, ip4);

	EXPECT_FMT("2001:0db8:0000:0000:0000:0000:0000:0001", "%pI6", ip6);
	EXPECT_FMT("20010db8000000000000000000000001", "%pi6", ip6);
	EXPECT_FMT("2001:db8::1 :: ::1", "%pI6c %pI6c %pI6c", ip6, zero, one);
	EXPECT_FMT("::ffff:192.168.1.10 fe80::5efe:192.168.1.10", "%pI6c %pI6c", mapped, isatap);
	EXPECT_FMT("fe80::1:0:0:1 1:0:2:3:4:5:6:7", "%pI6c %pI6c", runs, single);
	EXPECT_FMT("(%pI?) (%pi?)", "%pI5 %pi", ip4, ip4);

	memcpy(&sin.sin_addr, ip4, 4);
	memcpy(&sin6.sin6_addr, ip6, 16);
	EXPECT_FMT("192.168.1.10 192.168.1.10:8080 192.168.001.010", "%pIS %pISp %piS",
		   &sin, &sin, &sin);
	EXPECT_FMT("10.1.168.192:8080", "%pISph", &sin);
	EXPECT_FMT("192.168.1.10:    8080", "%8pISp", &sin);	/* the port takes the width */
	EXPECT_FMT("2001:db8::1 [2001:db8::1]:443 [2001:db8::1]:443/74565%3",
		   "%pISc %pISpc %pISpfsc", &sin6, &sin6, &sin6);
	EXPECT_FMT("2001:0db8:0000:0000:0000:0000:0000:0001", "%pIS", &sin6);
	EXPECT_FMT("[20010db8000000000000000000000001]:443", "%piSp", &sin6);
	EXPECT_FMT("(einval)", "%pIS", &bad);
}

/* %pU: b (the default) and B big-endian, l and L little-endian; B and L upper-case. */
static void fmt_uuids(void)
{
	u8 id[16];

	for (int i = 0; i < 16; i++)
		id[i] = (u8)i;
	EXPECT_FMT("00010203-0405-0607-0809-0a0b0c0d0e0f", "%pUb", id);
	EXPECT_FMT("00010203-0405-0607-0809-0A0B0C0D0E0F", "%pUB", id);
	EXPECT_FMT("03020100-0504-0706-0809-0a0b0c0d0e0f", "%pUl", id);
	EXPECT_FMT("03020100-0504-0706-0809-0A0B0C0D0E0F", "%pUL", id);
	EXPECT_FMT("00010203-0405-0607-0809-0a0b0c0d0e0f|", "%pU|", id);
}

/* %*pE with its class letters (none: ESCAPE_ANY_NP), one byte without a width, nothing
 * with width 0; the length counts the whole escaped text when the buffer cuts it. */
static void fmt_escapes(void)
{
	char small[4], *whole;

	EXPECT_FMT("a\\nb\"\\001", "%*pE", 5, "a\nb\"\001");
	EXPECT_FMT("\\x01\\x41", "%*pEh", 2, "\001A");
	EXPECT_FMT("\\x01A\xe9\\x85", "%*pEhp", 4, "\001A\xe9\x85");
	EXPECT_FMT("a\\0b", "%*pEn", 3, "a\0b");
	EXPECT_FMT("\\141\\142|", "%*pEo|", 2, "ab");
	EXPECT_FMT("x", "%pE", "xy");
	EXPECT_FMT("|", "%*pE|", 0, "abc");
	EXPECT_FMT("(null)", "%*pE", 3, NULL);
	KT_EQ(scnprintf(small, sizeof(small), "%*pEo", 2, "ab"), 3);
	KT_ASSERT(!strcmp(small, "\\14"));
	whole = kasprintf(GFP_KERNEL, "%*pEo", 2, "ab");	/* sized by the whole length */
	KT_ASSERT(whole && !strcmp(whole, "\\141\\142"));
	kfree(whole);
}

/* %ptR of a struct rtc_time and %ptT of a time64_t: ISO 8601, d and t for one half, r raw,
 * s a space; an unknown letter is 6.1's error text. */
static void fmt_times(void)
{
	struct rtc_time tm = { .tm_sec = 5, .tm_min = 4, .tm_hour = 3, .tm_mday = 2,
			       .tm_mon = 0, .tm_year = 123 };
	time64_t t[] = { 1700000000, 0, -1, 951782400, 253402300799LL };

	EXPECT_FMT("2023-01-02T03:04:05", "%ptR", &tm);
	EXPECT_FMT("2023-01-02 03:04:05", "%ptRs", &tm);
	EXPECT_FMT("2023-01-02|03:04:05", "%ptRd|%ptRt", &tm, &tm);
	EXPECT_FMT("0123-00-02T03:04:05", "%ptRr", &tm);
	EXPECT_FMT("0123-00-02", "%ptRdr", &tm);
	EXPECT_FMT("2023-11-14T22:13:20", "%ptT", &t[0]);
	EXPECT_FMT("1970-01-01T00:00:00 1969-12-31T23:59:59", "%ptT %ptT", &t[1], &t[2]);
	EXPECT_FMT("2000-02-29 00:00:00", "%ptTs", &t[3]);
	EXPECT_FMT("9999-12-31", "%ptTd", &t[4]);
	EXPECT_FMT("(%pt?)", "%ptX", &t[0]);
	EXPECT_FMT("(null)", "%ptR", NULL);
}

/* %pC and %pCn: the name the clock core lists the clock under (clk_summary). */
static void fmt_clocks(void)
{
	struct clk *c;

	KT_EQ(ukmem_clk_add(NULL, "printk_pclk", 1000), 0);
	c = clk_get(NULL, "printk_pclk");
	KT_ASSERT(!IS_ERR(c));
	EXPECT_FMT("*:printk_pclk *:printk_pclk", "%pC %pCn", c, c);
	EXPECT_FMT("(null)", "%pC", NULL);
	clk_put(c);
}

/* %pR decodes (io and mem widths, irq and bus, 64bit/pref/window/disabled, size of an
 * unset one); %pr prints the flags; an unknown type never decodes. */
static void fmt_resources(void)
{
	struct resource mem = DEFINE_RES_MEM(0xfe000000, 0x1000);
	struct resource io = DEFINE_RES_IO(0x3f8, 8), irq = DEFINE_RES_IRQ(5);
	struct resource irqs = DEFINE_RES_IRQ(5), bus = { .start = 0, .end = 0xff,
							   .flags = IORESOURCE_BUS };
	struct resource big = { .start = 0x100000000ULL, .end = 0x1ffffffffULL,
				.flags = IORESOURCE_MEM | IORESOURCE_MEM_64 | IORESOURCE_PREFETCH |
					 IORESOURCE_WINDOW | IORESOURCE_DISABLED };
	struct resource unset = { .start = 0, .end = 0xfff,
				  .flags = IORESOURCE_MEM | IORESOURCE_UNSET };
	struct resource none = { .start = 0x10, .end = 0x1f };

	irqs.end = 7;
	EXPECT_FMT("[mem 0xfe000000-0xfe000fff]", "%pR", &mem);
	EXPECT_FMT("[mem 0xfe000000-0xfe000fff flags 0x200]", "%pr", &mem);
	EXPECT_FMT("[io  0x03f8-0x03ff] [irq 5] [irq 5-7] [bus 00-ff]", "%pR %pR %pR %pR", &io,
		   &irq, &irqs, &bus);
	EXPECT_FMT("[mem 0x100000000-0x1ffffffff 64bit pref window disabled]", "%pR", &big);
	EXPECT_FMT("[mem size 0x00001000]", "%pR", &unset);
	EXPECT_FMT("[mem 0x00000000-0x00000fff flags 0x20000200]", "%pr", &unset);
	EXPECT_FMT("[??? 0x00000010-0x0000001f flags 0x0]", "%pR", &none);
	EXPECT_UNCHECKED("       [irq 5]|[irq 5]       |[mem ", "%14pR|%-14pR|%.5pR", &irq, &irq,
		   &mem);
}

/* %pOF and its fields on a tree of three nodes (ukmem's own nodes have no parent: each is
 * a root, printed by its name). */
static void fmt_device_nodes(void)
{
	static char compat[] = "acme,uart\0generic-uart";
	struct property prop = { .name = "compatible", .length = sizeof(compat), .value = compat };
	struct device_node root = { .name = "", .full_name = "/" };
	struct device_node soc = { .name = "soc", .full_name = "soc", .parent = &root };
	struct device_node uart = { .name = "serial", .full_name = "serial@1000", .parent = &soc,
				    .phandle = 7, .properties = &prop,
				    ._flags = (1UL << OF_DYNAMIC) | (1UL << OF_POPULATED) };
	struct device_node alone = { .name = "acme,widget", .full_name = "acme,widget" };

	EXPECT_FMT("/soc/serial@1000|/soc/serial@1000", "%pOF|%pOFf", &uart, &uart);
	EXPECT_FMT("serial 7 serial@1000 D-P-", "%pOFn %pOFp %pOFP %pOFF", &uart, &uart, &uart,
		   &uart);
	EXPECT_FMT("acme,uart \"acme,uart\",\"generic-uart\"", "%pOFc %pOFC", &uart, &uart);
	EXPECT_FMT("/soc/serial@1000:serial:acme,uart", "%pOFfnc", &uart);
	EXPECT_FMT("/soc/serial@1000|", "%pOFxyz|", &uart);	/* no field first: full name */
	EXPECT_FMT("/ /soc acme,widget", "%pOFP %pOF %pOF", &root, &soc, &alone);
	EXPECT_FMT("(%pO?) (null)", "%pO %pOF", &uart, (void *)NULL);
	EXPECT_UNCHECKED("        /soc/serial@1000|acm:7   |", "%24pOF|%-8.3pOFcp|", &uart, &uart);
}

/* hex_dump_to_buffer: groups of 1, 2, 4, 8 bytes read in the host's (little-endian) order,
 * the ASCII column where the row and group sizes put it; print_hex_dump a row a line. */
static void expect_row(const u8 *data, size_t len, int rowsize, int group, const char *hex,
		       int column, const char *ascii)
{
	char line[200], want[200];
	int n = hex_dump_to_buffer(data, len, rowsize, group, line, sizeof(line), true);

	snprintf(want, sizeof(want), "%-*s%s", column, hex, ascii);
	if (strcmp(line, want))
		KT_FAIL("row of %zu, group %d: expected \"%s\", got \"%s\"", len, group, want, line);
	KT_EQ(n, strlen(want));
	n = hex_dump_to_buffer(data, len, rowsize, group, line, sizeof(line), false);
	KT_EQ(n, strlen(hex));
	KT_ASSERT(!strcmp(line, hex));
}

static void hex_dumps(void)
{
	u8 d[20];
	char small[10], *out;

	for (int i = 0; i < 20; i++)
		d[i] = (u8)('A' + i);
	d[3] = 0;
	d[4] = 0x80;
	expect_row(d, 16, 16, 1, "41 42 43 00 80 46 47 48 49 4a 4b 4c 4d 4e 4f 50", 49,
		   "ABC..FGHIJKLMNOP");
	expect_row(d, 16, 16, 2, "4241 0043 4680 4847 4a49 4c4b 4e4d 504f", 41, "ABC..FGHIJKLMNOP");
	expect_row(d, 16, 16, 4, "00434241 48474680 4c4b4a49 504f4e4d", 37, "ABC..FGHIJKLMNOP");
	expect_row(d, 16, 16, 8, "4847468000434241 504f4e4d4c4b4a49", 35, "ABC..FGHIJKLMNOP");
	expect_row(d, 16, 16, 3, "41 42 43 00 80 46 47 48 49 4a 4b 4c 4d 4e 4f 50", 49,
		   "ABC..FGHIJKLMNOP");				/* not a power of two: bytes */
	expect_row(d + 16, 4, 16, 8, "51 52 53 54", 49, "QRST");	/* 8 does not divide 4 */
	expect_row(d + 16, 4, 16, 4, "54535251", 37, "QRST");
	expect_row(d, 20, 32, 1, "41 42 43 00 80 46 47 48 49 4a 4b 4c 4d 4e 4f 50 51 52 53 54",
		   97, "ABC..FGHIJKLMNOPQRST");
	expect_row(d, 20, 20, 1, "41 42 43 00 80 46 47 48 49 4a 4b 4c 4d 4e 4f 50", 49,
		   "ABC..FGHIJKLMNOP");				/* row size 20 is 16 */
	KT_EQ(hex_dump_to_buffer(d, 16, 16, 1, small, sizeof(small), true), 65);
	KT_ASSERT(!strcmp(small, "41 42 43 "));		/* what fitted */

	kt_capture_begin();
	print_hex_dump(KERN_ERR, "pfx: ", DUMP_PREFIX_OFFSET, 16, 4, d, sizeof(d), true);
	print_hex_dump(KERN_ERR, "", DUMP_PREFIX_NONE, 16, 2, d + 16, 4, false);
	out = kt_capture_end();
	KT_EQ(strcmp(out, "pfx: 00000000: 00434241 48474680 4c4b4a49 504f4e4d  ABC..FGHIJKLMNOP\n"
			  "pfx: 00000010: 54535251                             QRST\n"
			  "5251 5453\n"), 0);
	free(out);
}

/* loglevel=4: levels 0-3 print, 4 and above do not (reports at KERN_WARNING included,
 * as on a kernel console).  Runs in a child started with that level. */
static void quiet_child(void *arg)
{
	KT_EQ(ukmem_init("mem=16M loglevel=4"), 0);
	pr_emerg("emerg %d\n", 0);
	pr_err("err %s\n", "three");
	pr_warn("warn\n");
	pr_notice("notice\n");
	pr_info("info\n");
	printk("default level is 4\n");
	printk(KERN_CRIT "crit ");
	pr_cont("continued %d\n", 2);
	printk(KERN_INFO "info ");
	pr_cont("dropped with its line\n");
	exit(ukmem_exit());
}

static void levels(void)
{
	char *out;
	int status = kt_run_child(quiet_child, NULL, &out);

	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	KT_EQ(strcmp(out, "emerg 0\nerr three\ncrit continued 2\n"), 0);
	free(out);
}

/* The default loglevel=7: everything but KERN_DEBUG; pr_debug compiles away without DEBUG. */
static void default_level(void)
{
	char *out;

	kt_capture_begin();
	pr_err("err\n");
	pr_warn("warn\n");
	pr_info("info %s\n", "six");
	printk(KERN_DEBUG "debug\n");
	pr_debug("pr_debug\n");
	printk("plain\n");
	out = kt_capture_end();
	KT_EQ(strcmp(out, "err\nwarn\ninfo six\nplain\n"), 0);
	free(out);
	/* a level given as an argument counts (dev_printk's way), and a continuation of a
	 * hidden record stays hidden, as 6.1's vprintk_store does */
	kt_capture_begin();
	printk("%slevel via %%s\n", KERN_ERR);
	dev_err(NULL, "no device %d\n", 1);
	printk("%sdebug via %%s\n", KERN_DEBUG);
	printk(KERN_DEBUG "regs:");
	pr_cont(" 0x1234\n");
	pr_err("done\n");
	out = kt_capture_end();
	KT_EQ(strcmp(out, "level via %s\n(NULL device *): no device 1\ndone\n"), 0);
	free(out);
	/* as 6.1's printk_parse_prefix: the first level of a prefix counts (the last one hid
	 * this), a SOH with no level letter after it is text; printk returns the length of
	 * the text without the prefix or the newline */
	kt_capture_begin();
	KT_EQ(printk("\n"), 0);
	KT_EQ(printk(KERN_ERR KERN_DEBUG "first level wins\n"), 16);
	KT_EQ(printk(KERN_DEBUG KERN_ERR "hidden\n"), 6);
	KT_EQ(printk(KERN_ERR "\001x\n"), 2);
	KT_EQ(printk(KERN_INFO "no newline"), 10);
	KT_EQ(pr_cont("\n"), 0);
	out = kt_capture_end();
	KT_EQ(strcmp(out, "\nfirst level wins\n\001x\nno newline\n"), 0);
	free(out);
	KT_EQ(ukmem_report_count(), 0);		/* messages are not problems */
}

static noinline int warn_here(int cond)
{
	return WARN_ON(cond);
}

static noinline int warn_once_here(int cond)
{
	return WARN_ONCE(cond, "once: %d\n", cond);
}

/* A warning in an inline function of an installed header, and one in a driver compiled by
 * its absolute path: the header is named from include/ on, the driver's file as it is. */
static noinline int warn_in_header(void)
{
#line 40 "/opt/sdk/usr/include/linux/fake_header.h"
	return WARN_ON(1);
}
static noinline int warn_in_driver(void)
{
#line 70 "/home/dev/drivers/my_drv.c"
	return WARN_ON(1);
}
#line 475 "tests/core/test_printk.c"

static noinline void warnings(void)
{
	char *out, line[128];
	int ret;

	kt_capture_begin();
	ret = warn_here(0);
	out = kt_capture_end();
	KT_EQ(ret, 0);
	KT_EQ(strlen(out), 0);
	free(out);

	kt_capture_begin();
	ret = warn_here(5);
	out = kt_capture_end();
	KT_EQ(ret, 1);
	KT_ASSERT(!strncmp(out, "------------[ cut here ]------------\n", 37));
	snprintf(line, sizeof(line), "WARNING: CPU: 0 PID: %d at tests/core/test_printk.c:", (int)gettid());
	KT_CONTAINS(out, line);
	KT_CONTAINS(out, " warn_here\n");
	KT_CONTAINS(out, "Not tainted");		/* the taint comes with this warning */
	KT_CONTAINS(out, "Call Trace:\n");
	KT_CONTAINS(out, "warnings+");
	KT_CONTAINS(out, "---[ end trace 0000000000000000 ]---\n");
	free(out);
	KT_EQ(ukmem_report_count(), 1);

	kt_capture_begin();
	KT_EQ(warn_once_here(7), 1);
	KT_EQ(warn_once_here(8), 1);			/* true again, but silent */
	KT_EQ(warn_once_here(0), 0);
	out = kt_capture_end();
	KT_ASSERT(strstr(out, "------------[ cut here ]------------\nonce: 7\nWARNING: "));
	KT_NOT_CONTAINS(out, "once: 8");
	KT_CONTAINS(out, "Tainted: G        W");		/* after the first warning */
	KT_CONTAINS(out, " warn_once_here\n");
	free(out);
	KT_EQ(ukmem_report_count(), 2);

	kt_capture_begin();
	KT_EQ(WARN(1, "value %d is %s\n", 3, "odd"), 1);
	out = kt_capture_end();
	KT_CONTAINS(out, "value 3 is odd\n");
	free(out);
	KT_EQ(ukmem_report_count(), 3);

	kt_capture_begin();
	KT_EQ(warn_in_header(), 1);
	KT_EQ(warn_in_driver(), 1);
	out = kt_capture_end();
	KT_CONTAINS(out, " at include/linux/fake_header.h:40 warn_in_header\n");
	KT_NOT_CONTAINS(out, "/opt/sdk");
	KT_CONTAINS(out, " at /home/dev/drivers/my_drv.c:70 warn_in_driver\n");
	free(out);
	KT_EQ(ukmem_report_count(), 5);
}

/* BUG_ON and panic_on_warn: the process aborts after the report. */
static void bug_child(void *arg)
{
	KT_EQ(ukmem_init("mem=16M"), 0);
	BUG_ON(arg != NULL);
	fprintf(stderr, "not reached\n");
}

static void panic_child(void *arg)
{
	KT_EQ(ukmem_init("mem=16M panic_on_warn=1"), 0);
	WARN_ON(1);
	fprintf(stderr, "not reached\n");
}

static void panic_bad_free_child(void *arg)
{
	KT_EQ(ukmem_init("mem=16M panic_on_warn=1"), 0);
	__free_page(alloc_page(GFP_KERNEL));
	fprintf(stderr, "one good free\n");
	free_page((unsigned long)phys_to_virt(0x2000));	/* a reserved frame: BUG */
	fprintf(stderr, "not reached\n");
}

static void aborts(void)
{
	char *out;
	int status;

	status = kt_run_child(bug_child, (void *)1, &out);
	KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	KT_CONTAINS(out, "kernel BUG at tests/core/test_printk.c:");
	KT_NOT_CONTAINS(out, "not reached");
	free(out);

	status = kt_run_child(panic_child, NULL, &out);
	KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	KT_CONTAINS(out, "WARNING: CPU: ");
	KT_CONTAINS(out, "Kernel panic - not syncing: panic_on_warn set ...\n");
	KT_NOT_CONTAINS(out, "not reached");
	free(out);

	status = kt_run_child(panic_bad_free_child, NULL, &out);
	KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	KT_CONTAINS(out, "one good free\n");
	KT_CONTAINS(out, "BUG: Bad page state");
	KT_CONTAINS(out, "Kernel panic - not syncing");
	KT_NOT_CONTAINS(out, "not reached");
	free(out);
}

int main(void)
{
	aborts();			/* children start ukmem themselves: before this process does */
	fmt_huge_star();
	levels();
	KT_EQ(ukmem_init("mem=16M"), 0);
	formats();
	fmt_errors();
	fmt_pointers();
	fmt_star_and_codes();
	fmt_buffers();
	fmt_network();
	fmt_uuids();
	fmt_escapes();
	fmt_times();
	fmt_clocks();
	fmt_resources();
	fmt_device_nodes();
	hex_dumps();
	long_conversions();
	default_level();
	warnings();
	KT_EQ(ukmem_exit(), 5);
	return 0;
}

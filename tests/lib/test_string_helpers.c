/* SPDX-License-Identifier: MIT */
/*
 * <linux/string_helpers.h> against 6.1's lib/string_helpers.c: string_get_size's three
 * significant figures, its rounding (999,999 bytes are "1000 kB", as 6.1 prints them) and
 * "UNK" past the last unit; string_escape_mem's classes, its pass-through filters (the
 * kernel's Latin-1 isprint), @only and ESCAPE_APPEND, its length when the output is cut;
 * string_unescape's sequences, its limits and what it copies as it is; kstrdup_quotable;
 * kasprintf_strarray / kfree_strarray and the managed devm_kasprintf_strarray (freed with
 * its device: the exit's leak check would report it otherwise).
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string_helpers.h>
#include <ukmem.h>
#include "ktest.h"

#define EXPECT_SIZE(expected, size, blk, units) do { \
	char _b[16]; \
	string_get_size(size, blk, units, _b, sizeof(_b)); \
	if (strcmp(_b, expected)) \
		KT_FAIL("string_get_size(%llu, %llu): expected \"%s\", got \"%s\"", \
			(unsigned long long)(size), (unsigned long long)(blk), expected, _b); \
	} while (0)

static void sizes(void)
{
	char small[4], *out;

	EXPECT_SIZE("0 B", 0, 1, STRING_UNITS_10);
	EXPECT_SIZE("0 B", 1, 0, STRING_UNITS_10);
	EXPECT_SIZE("1.00 kB", 1000, 1, STRING_UNITS_10);
	EXPECT_SIZE("1.00 KiB", 1024, 1, STRING_UNITS_2);
	EXPECT_SIZE("1.50 KiB", 1536, 1, STRING_UNITS_2);
	EXPECT_SIZE("12.3 kB", 12345, 1, STRING_UNITS_10);
	EXPECT_SIZE("123 MB", 123456789, 1, STRING_UNITS_10);
	EXPECT_SIZE("1000 kB", 999999, 1, STRING_UNITS_10);
	EXPECT_SIZE("2.00 MiB", 4096, 512, STRING_UNITS_2);
	EXPECT_SIZE("16.0 EiB", U64_MAX, 1, STRING_UNITS_2);
	EXPECT_SIZE("340 UNK", U64_MAX, U64_MAX, STRING_UNITS_10);
	string_get_size(1000, 1, STRING_UNITS_10, small, sizeof(small));
	KT_ASSERT(!strcmp(small, "1.0"));			/* cut, terminated */
	/* a negative length is 6.1's vsnprintf size check: a warning, nothing written */
	memset(small, 'x', sizeof(small));
	kt_capture_begin();
	string_get_size(1000, 1, STRING_UNITS_10, small, -1);
	out = kt_capture_end();
	KT_CONTAINS(out, "WARNING: CPU:");
	free(out);
	KT_ASSERT(!memchr_inv(small, 'x', sizeof(small)));
	KT_EQ(ukmem_report_count(), 1);
}

static void escapes(void)
{
	char out[64];
	int n;

	memset(out, 'x', sizeof(out));
	/* without a filter octal takes every byte the other classes leave */
	n = string_escape_mem("a\nb\"\001\\", 6, out, sizeof(out), ESCAPE_ANY, NULL);
	KT_EQ(n, 18);
	KT_ASSERT(!memcmp(out, "\\141\\n\\142\\\"\\001\\\\", 18) && out[18] == 'x');	/* no NUL */
	/* printable bytes pass first with ESCAPE_NP: the quote stays */
	n = string_escape_mem("a\nb\"\001", 5, out, sizeof(out), ESCAPE_ANY_NP, NULL);
	KT_EQ(n, 9);
	KT_ASSERT(!memcmp(out, "a\\nb\"\\001", 9));
	/* Latin-1 0xa0-0xff is printable to the kernel; 0x80-0x9f is not */
	n = string_escape_mem("\001A\xe9\x85", 4, out, sizeof(out), ESCAPE_NP | ESCAPE_HEX, NULL);
	KT_EQ(n, 10);
	KT_ASSERT(!memcmp(out, "\\x01A\xe9\\x85", 10));
	n = string_escape_mem("A\xe9", 2, out, sizeof(out), ESCAPE_NAP | ESCAPE_HEX, NULL);
	KT_EQ(n, 5);
	KT_ASSERT(!memcmp(out, "A\\xe9", 5));
	n = string_escape_mem("a\0b", 3, out, sizeof(out), ESCAPE_NULL, NULL);
	KT_EQ(n, 4);
	KT_ASSERT(!memcmp(out, "a\\0b", 4));
	/* @only limits the escapes to its bytes; with ESCAPE_APPEND it adds them */
	n = string_escape_mem("a\tb\n", 4, out, sizeof(out), ESCAPE_SPACE, "\t");
	KT_EQ(n, 5);
	KT_ASSERT(!memcmp(out, "a\\tb\n", 5));
	n = string_escape_mem("abc\001", 4, out, sizeof(out), ESCAPE_APPEND | ESCAPE_NP | ESCAPE_HEX,
			      "a");
	KT_EQ(n, 10);
	KT_ASSERT(!memcmp(out, "\\x61bc\\x01", 10));
	/* the length of the whole text whatever fits; nothing written past osz */
	KT_EQ(string_escape_mem("\001", 1, NULL, 0, ESCAPE_OCTAL, NULL), 4);
	memset(out, 'x', sizeof(out));
	KT_EQ(string_escape_mem("ab", 2, out, 3, ESCAPE_OCTAL, NULL), 8);
	KT_ASSERT(!memcmp(out, "\\14x", 4));
	KT_EQ(string_escape_str("q\n", out, sizeof(out), ESCAPE_SPACE, NULL), 3);
	KT_EQ(string_escape_str_any_np("\a", out, sizeof(out), NULL), 2);
	KT_ASSERT(!memcmp(out, "\\a", 2));
}

static void unescapes(void)
{
	char s[] = "a\\nb\\x41\\101\\q\\", big[] = "\\777", hex1[] = "\\x4g", dst[8];
	char sel[] = "\\n\\x41";

	KT_EQ(string_unescape_any_inplace(s), 8);
	KT_ASSERT(!strcmp(s, "a\nbAA\\q\\"));	/* unknown and trailing backslashes stay */
	KT_EQ(string_unescape_any_inplace(big), 2);
	KT_ASSERT(!strcmp(big, "?7"));		/* octal stops before passing a byte */
	KT_EQ(string_unescape_any_inplace(hex1), 2);
	KT_ASSERT(hex1[0] == 4 && hex1[1] == 'g' && !hex1[2]);
	KT_EQ(string_unescape("abcdef", dst, 4, UNESCAPE_ANY), 3);
	KT_ASSERT(!strcmp(dst, "abc"));
	KT_EQ(string_unescape_inplace(sel, UNESCAPE_HEX), 3);
	KT_ASSERT(!strcmp(sel, "\\nA"));		/* only the classes asked for */
}

static void allocating(void)
{
	struct platform_device *pdev;
	char *q, **names;

	q = kstrdup_quotable("say \"hi\"\n\tok", GFP_KERNEL);
	KT_ASSERT(q && !strcmp(q, "say \\x22hi\\x22\\x0a\\x09ok"));
	kfree(q);
	KT_ASSERT(!kstrdup_quotable(NULL, GFP_KERNEL));
	names = kasprintf_strarray(GFP_KERNEL, "gpio", 3);
	KT_ASSERT(names && !strcmp(names[0], "gpio-0") && !strcmp(names[2], "gpio-2") && !names[3]);
	kfree_strarray(names, 3);
	kfree_strarray(NULL, 5);
	pdev = platform_device_register_simple("strarray", -1, NULL, 0);
	KT_ASSERT(!IS_ERR(pdev));
	names = devm_kasprintf_strarray(&pdev->dev, "line", 2);
	KT_ASSERT(!IS_ERR(names) && !strcmp(names[1], "line-1"));
	platform_device_unregister(pdev);	/* frees the array; ukmem_exit checks */
	KT_ASSERT(!strcmp(str_yes_no(true), "yes") && !strcmp(str_enabled_disabled(false), "disabled"));
}

int main(void)
{
	KT_EQ(ukmem_init(NULL), 0);
	sizes();
	escapes();
	unescapes();
	allocating();
	KT_EQ(ukmem_exit(), 1);					/* the one warning */
	printf("test_string_helpers: ok\n");
	return 0;
}

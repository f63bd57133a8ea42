/* SPDX-License-Identifier: MIT */
/*
 * <linux/string.h>'s helpers that glibc lacks, against 6.1's lib/string.c: strscpy's return
 * values (the length, -E2BIG on truncation and for a zero size) and that it always
 * terminates; strscpy_pad's zeroed tail; strlcpy/strlcat's lengths, and strlcat's BUG on a
 * full destination; sysfs_streq's single trailing newline; match_string and
 * sysfs_match_string (a NULL entry ends the array); strim/strstrip/skip_spaces (Latin-1's
 * no-break space is white space, as the kernel's ctype says); strreplace's return; strnchr;
 * memset16/32/64; hex_to_bin, hex2bin (stopping at the first bad pair) and bin2hex.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <ukmem.h>
#include "ktest.h"

static void copies(void)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	KT_EQ(strscpy(buf, "abc", sizeof(buf)), 3);
	KT_ASSERT(!strcmp(buf, "abc") && buf[4] == 'x');	/* no padding */
	KT_EQ(strscpy(buf, "1234567", sizeof(buf)), 7);		/* fits exactly */
	KT_EQ(strscpy(buf, "12345678", sizeof(buf)), -E2BIG);
	KT_ASSERT(!strcmp(buf, "1234567"));			/* truncated, terminated */
	buf[0] = 'q';
	KT_EQ(strscpy(buf, "abc", 0), -E2BIG);
	KT_EQ(buf[0], 'q');					/* nothing written */

	memset(buf, 'x', sizeof(buf));
	KT_EQ(strscpy_pad(buf, "ab", sizeof(buf)), 2);
	for (int i = 2; i < 8; i++)
		KT_EQ(buf[i], 0);
	KT_EQ(strscpy_pad(buf, "abcdefghij", sizeof(buf)), -E2BIG);
	KT_ASSERT(!strcmp(buf, "abcdefg"));

	KT_EQ(strlcpy(buf, "abcdefghij", sizeof(buf)), 10);
	KT_ASSERT(!strcmp(buf, "abcdefg"));
	KT_EQ(strlcpy(buf, "zz", 0), 2);
	KT_ASSERT(!strcmp(buf, "abcdefg"));
	strcpy(buf, "ab");
	KT_EQ(strlcat(buf, "cdefghij", sizeof(buf)), 10);
	KT_ASSERT(!strcmp(buf, "abcdefg"));
}

static void strlcat_full(void *arg)
{
	char buf[8] = "abcdefg";	/* longer than the size the caller gives: already full */

	KT_EQ(ukmem_init(arg), 0);
	strlcat(buf, "x", 4);
	fprintf(stderr, "not reached\n");
}

static void comparisons(void)
{
	static const char *const modes[] = { "off", "on", "auto" };
	static const char *const short_list[] = { "a", NULL, "c" };

	KT_ASSERT(sysfs_streq("on", "on"));
	KT_ASSERT(sysfs_streq("on\n", "on"));
	KT_ASSERT(sysfs_streq("on", "on\n"));
	KT_ASSERT(!sysfs_streq("on\n\n", "on"));
	KT_ASSERT(!sysfs_streq("on", "o"));
	KT_ASSERT(!sysfs_streq("on ", "on"));
	KT_EQ(match_string(modes, ARRAY_SIZE(modes), "auto"), 2);
	KT_EQ(match_string(modes, ARRAY_SIZE(modes), "auto\n"), -EINVAL);
	KT_EQ(match_string(modes, 2, "auto"), -EINVAL);
	KT_EQ(match_string(short_list, 3, "c"), -EINVAL);	/* the NULL ends it */
	KT_EQ(sysfs_match_string(modes, "on\n"), 1);
	KT_EQ(sysfs_match_string(modes, "dim"), -EINVAL);
}

static void trimming(void)
{
	char s[] = " \t hello world \n\r ", nb[] = "\xa0x\xa0", empty[] = "", *p;

	p = strim(s);
	KT_ASSERT(!strcmp(p, "hello world"));
	KT_ASSERT(p == s + 3);
	p = strstrip(nb);
	KT_ASSERT(!strcmp(p, "x"));
	KT_ASSERT(strim(empty) == empty);
	KT_ASSERT(!strcmp(skip_spaces("  \v\fz "), "z "));

	char r[] = "a/b/c";
	p = strreplace(r, '/', '!');
	KT_ASSERT(!strcmp(r, "a!b!c") && p == r + 5);
	KT_ASSERT(strnchr("abcdef", 3, 'd') == NULL);
	KT_ASSERT(strnchr("ab", 10, 'z') == NULL);
	KT_EQ(*strnchr("abcdef", 3, 'c'), 'c');
	/* '\0' finds the end within @count, as 6.1's (it gave NULL); never past it */
	const char *abc = "abc";
	KT_ASSERT(strnchr(abc, 10, '\0') == abc + 3);
	KT_ASSERT(strnchr(abc, 4, 0) == abc + 3);
	KT_ASSERT(strnchr(abc, 3, 0) == NULL);
	KT_ASSERT(strnchr(abc, 10, 'c' + 256) == abc + 2);
}

static void numbers(void)
{
	u16 a16[3];
	u32 a32[3];
	u64 a64[3];
	u8 bin[4] = { 0 };
	char hex[9] = { 0 };

	KT_ASSERT(memset16(a16, 0xbeef, 3) == a16 && a16[2] == 0xbeef);
	KT_ASSERT(memset32(a32, 0xdeadbeef, 3) == a32 && a32[0] == 0xdeadbeef);
	KT_ASSERT(memset64(a64, 0x0123456789abcdefULL, 3) == a64 && a64[1] == 0x0123456789abcdefULL);

	KT_EQ(hex_to_bin('7'), 7);
	KT_EQ(hex_to_bin('a'), 10);
	KT_EQ(hex_to_bin('F'), 15);
	KT_EQ(hex_to_bin('g'), -1);
	KT_EQ(hex_to_bin(' '), -1);
	KT_EQ(hex2bin(bin, "0aFf10", 3), 0);
	KT_ASSERT(bin[0] == 0x0a && bin[1] == 0xff && bin[2] == 0x10);
	KT_EQ(hex2bin(bin, "12zz34", 3), -EINVAL);
	KT_EQ(bin[0], 0x12);					/* written before the bad pair */
	KT_ASSERT(bin2hex(hex, "\x01\xab\xff\x00", 4) == hex + 8);
	KT_ASSERT(!strcmp(hex, "01abff00"));
}

int main(void)
{
	char *out;
	int status;

	/* the child starts ukmem itself: before this process does */
	status = kt_run_child(strlcat_full, NULL, &out);
	KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	KT_CONTAINS(out, "kernel BUG at src/lib/string.c:");
	KT_NOT_CONTAINS(out, "not reached");
	free(out);

	KT_EQ(ukmem_init(NULL), 0);
	copies();
	comparisons();
	trimming();
	numbers();
	KT_EQ(ukmem_exit(), 0);
	printf("test_string: ok\n");
	return 0;
}

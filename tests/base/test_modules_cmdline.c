/* SPDX-License-Identifier: MIT */
/*
 * Module parameters that cannot be honoured: a malformed value fails start-up with the
 * kernel's message ("invalid", or "too large" for a string that does not fit) and starts
 * nothing, so a corrected line can follow; a bare MODNAME.param sets a bool and is
 * "invalid" for other types; a parameter
 * of a module this program does not have fails ukmem_modules_init (nothing runs); an
 * unknown parameter of a known module is the kernel's warning, and is ignored.  ukmem_exit runs the exits ukmem_modules_exit did not.
 */
#include <stdio.h>
#include <string.h>
#include <linux/mm.h>
#include <linux/swap.h>
#include <ukmem.h>
#include "ktest.h"
#include "modtrace.h"

char modtrace[256];
extern int count;
extern bool flag;

/* A rejected line starts nothing: a corrected one starts ukmem once, with its values. */
static void bad_then_good(void *arg)
{
	unsigned long total, free_pages;

	fprintf(stderr, "first %d\n", ukmem_init("mem=64M mod_a.count=many"));
	fprintf(stderr, "second %d\n", ukmem_init(arg));
	total = totalram_pages();
	free_pages = nr_free_pages();
	fprintf(stderr, "count %d flag %d mem=32M %d free<=total %d\n", count, flag,
		total > (16UL << (20 - PAGE_SHIFT)) && total <= (32UL << (20 - PAGE_SHIFT)),
		free_pages <= total);
}

/* A string parameter set by a rejected line keeps its own copy of the value: the corrected
 * line's values take the command line's storage over (it pointed into it, and then read
 * another parameter's value). */
extern char *label;

static void charp_then_good(void *arg)
{
	fprintf(stderr, "first %d\n", ukmem_init("mod_a.label=hello mod_a.count=abc"));
	fprintf(stderr, "second %d\n", ukmem_init(arg));
	fprintf(stderr, "label %s count %d\n", label ? label : "(null)", count);
}

/* String values as long as the kernel takes (1,024 characters for a charp). */
static void long_value(void *arg)
{
	int err = ukmem_init(arg);

	fprintf(stderr, "init %d label length %zu\n", err, label ? strlen(label) : 0);
}

/* A bare MODNAME.param sets a bool, as on the kernel's command line; other types refuse it. */
static void bare_param(void *arg)
{
	int err = ukmem_init(arg);

	fprintf(stderr, "init %d count %d flag %d\n", err, count, flag);
}

static void bad_value(void *arg)
{
	fprintf(stderr, "ukmem_init returned %d\n", ukmem_init(arg));
}

static void no_such_module(void *arg)
{
	KT_EQ(ukmem_init(arg), 0);
	fprintf(stderr, "ukmem_modules_init returned %d, trace '%s'\n", ukmem_modules_init(),
		modtrace);
}

static void unknown_param(void *arg)
{
	KT_EQ(ukmem_init(arg), 0);
	fprintf(stderr, "ukmem_modules_init returned %d, count %d\n", ukmem_modules_init(), count);
	ukmem_exit();
	fprintf(stderr, "after exit: '%s'\n", modtrace);
}

int main(void)
{
	char *out;
	int status;

	status = kt_run_child(bad_value, "mod_a.count=many", &out);
	KT_ASSERT(WIFEXITED(status));
	KT_CONTAINS(out, "mod_a: `many' invalid for parameter `count'");
	KT_CONTAINS(out, "ukmem_init returned -22");
	free(out);

	/* a value too long for its string: the set's own message, then 6.1's "too large" */
	status = kt_run_child(bad_value, "mod_a.word=toolongvalue", &out);
	KT_ASSERT(WIFEXITED(status));
	KT_CONTAINS(out, "word: string doesn't fit in 7 chars.\n"
			 "mod_a: `toolongvalue' too large for parameter `word'\n");
	KT_NOT_CONTAINS(out, "invalid for parameter");
	KT_CONTAINS(out, "ukmem_init returned -22");
	free(out);

	status = kt_run_child(bad_then_good, "mem=32M mod_a.count=7 mod_a.flag=1", &out);
	KT_CONTAINS(out, "first -22\nsecond 0\ncount 7 flag 1 mem=32M 1 free<=total 1\n");
	free(out);

	status = kt_run_child(charp_then_good, "mod_a.count=5", &out);
	KT_CONTAINS(out, "first -22\nsecond 0\nlabel hello count 5\n");	/* 6.1 keeps the valid ones */
	free(out);

	{
		static char line[2048];

		strcpy(line, "mod_a.label=");
		memset(line + strlen(line), 'p', 1000);		/* a path, a list ... */
		status = kt_run_child(long_value, line, &out);
		KT_CONTAINS(out, "init 0 label length 1000\n");
		free(out);
		memset(line + strlen(line), 'p', 100);		/* 1,100: over the kernel's limit */
		status = kt_run_child(long_value, line, &out);
		KT_CONTAINS(out, "label: string parameter too long\n");
		KT_CONTAINS(out, "init -22 ");
		free(out);
	}

	status = kt_run_child(bare_param, "mod_a.count=3 mod_a.flag", &out);
	KT_CONTAINS(out, "init 0 count 3 flag 1\n");
	free(out);
	status = kt_run_child(bare_param, "mod_a.count", &out);
	KT_CONTAINS(out, "mod_a: `' invalid for parameter `count'");
	KT_CONTAINS(out, "init -22 count 1 flag 0\n");
	free(out);

	status = kt_run_child(no_such_module, "nosuch.param=1", &out);
	KT_CONTAINS(out, "ukmem: module parameter 'nosuch.param=1': no module 'nosuch' in this program");
	KT_CONTAINS(out, "ukmem_modules_init returned -22, trace ''");
	free(out);

	status = kt_run_child(unknown_param, "mod_a.typo=1 mod_a.count=5", &out);
	KT_CONTAINS(out, "mod_a: unknown parameter 'typo' ignored");
	KT_CONTAINS(out, "ukmem_modules_init returned -19, count 5");
	KT_CONTAINS(out, "after exit: 'c-core(0) a-init b-init a-exit'");
	free(out);
	printf("test_modules_cmdline: ok\n");
	return 0;
}

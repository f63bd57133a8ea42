/* SPDX-License-Identifier: MIT */
/*
 * Module parameters that cannot be honoured: a malformed value fails start-up with the
 * kernel's message ("invalid", or "too large" for a string that does not fit); a parameter
 * of a module this program does not have fails ukmem_modules_init (nothing runs); an
 * unknown parameter of a known module is the kernel's warning, and is ignored.  ukmem_exit runs the exits ukmem_modules_exit did not.
 */
#include <stdio.h>
#include <string.h>
#include <ukmem.h>
#include "ktest.h"
#include "modtrace.h"

char modtrace[256];
extern int count;

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

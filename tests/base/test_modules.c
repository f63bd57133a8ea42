/* SPDX-License-Identifier: MIT */
/*
 * Modules: ukmem_modules_init runs core_initcalls first, then module_inits in link order
 * (mod_a, mod_b, mod-c, mod_d); mod_b's failing init is reported with its code and its exit
 * never runs; mod_d's init returns 1: 6.1's warning, and it is loaded (its exit runs);
 * ukmem_modules_exit runs the rest in reverse; module_platform_driver registers and
 * unregisters its driver, builtin_platform_driver only registers; module parameters of every
 * kind take MODNAME.param=value.
 */
#include <stdio.h>
#include <string.h>
#include <linux/platform_device.h>
#include <linux/err.h>
#include <ukmem.h>
#include "ktest.h"
#include "modtrace.h"

char modtrace[256];
extern int count;
extern unsigned int ucount;
extern long lval;
extern unsigned long ulval;
extern bool flag;
extern char *label;
extern char word[8];

int main(void)
{
	struct platform_device *pdev, *apdev;
	char *out;

	/* Parameters are set at start-up, before any init runs. */
	KT_EQ(count, 1);
	ukmem_init(getenv("UKMEM_CMDLINE"));
	KT_EQ(count, 42);
	KT_EQ(ucount, 7);
	KT_EQ(lval, -9000000000L);
	KT_EQ(ulval, 0xffff);
	KT_EQ(flag, 1);
	KT_ASSERT(!strcmp(label, "hello world"));
	KT_ASSERT(!strcmp(word, "short"));
	KT_EQ(modtrace[0], 0);

	pdev = platform_device_register_simple("mod-c-dev", 0, NULL, 0);
	KT_ASSERT(!IS_ERR(pdev));
	apdev = platform_device_register_simple("mod-a-dev", 0, NULL, 0);
	KT_ASSERT(!IS_ERR(apdev));
	kt_capture_begin();
	KT_EQ(ukmem_modules_init(), -ENODEV);
	out = kt_capture_end();
	KT_CONTAINS(out, "mod_b: mod_b_init returned -19 (-ENODEV): module not loaded");
	KT_CONTAINS(out, "do_init_module: 'mod_d'->init suspiciously returned 1, it should follow 0/-E convention\n"
		    "do_init_module: loading module anyway...\n");
	free(out);
	KT_ASSERT(!strcmp(modtrace, "c-core(3) a-init a-probe b-init c-probe d-init"));
	KT_ASSERT(device_is_bound(&pdev->dev));
	KT_EQ(ukmem_modules_init(), 0);			/* nothing left to run */

	modtrace[0] = 0;
	ukmem_modules_exit();
	KT_ASSERT(!strcmp(modtrace, "d-exit c-remove a-exit"));	/* reverse; never b-exit */
	KT_ASSERT(!device_is_bound(&pdev->dev));
	KT_ASSERT(device_is_bound(&apdev->dev));	/* built-in: no exit */
	ukmem_modules_exit();
	KT_ASSERT(!strcmp(modtrace, "d-exit c-remove a-exit"));
	platform_device_unregister(pdev);
	platform_device_unregister(apdev);
	KT_EQ(ukmem_exit(), 0);
	printf("test_modules: ok\n");
	return 0;
}

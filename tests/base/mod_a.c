/* SPDX-License-Identifier: MIT */
/* A test module with parameters of every kind, built with KBUILD_MODNAME "mod_a". */
#include <stdio.h>
#include <string.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/init.h>
#include <linux/platform_device.h>
#include "modtrace.h"

int count = 1;
module_param(count, int, 0644);
MODULE_PARM_DESC(count, "how many");
unsigned int ucount = 2;
module_param(ucount, uint, 0444);
long lval = -3;
module_param(lval, long, 0444);
unsigned long ulval = 4;
module_param_named(ul, ulval, ulong, 0444);
bool flag;
module_param(flag, bool, 0644);
char *label = "default";
module_param(label, charp, 0444);
char word[8] = "none";
module_param_string(word, word, sizeof(word), 0444);

static int __init mod_a_init(void)
{
	modtrace_add("a-init");
	return 0;
}

static void __exit mod_a_exit(void)
{
	modtrace_add("a-exit");
}

module_init(mod_a_init);
module_exit(mod_a_exit);

/* A built-in driver too: registered by a device-level initcall, never unregistered. */
static int a_probe(struct platform_device *pdev)
{
	modtrace_add("a-probe");
	return 0;
}

static struct platform_driver a_builtin_driver = {
	.probe = a_probe,
	.driver = { .name = "mod-a-dev" },
};
builtin_platform_driver(a_builtin_driver);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("ukmem tests");
MODULE_DESCRIPTION("parameters and order");

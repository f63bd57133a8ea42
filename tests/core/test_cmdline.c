/* SPDX-License-Identifier: MIT */
/*
 * The command line: every bad input is a one-line error naming the parameter and -EINVAL,
 * ukmem stays unstarted (so a corrected call works), and auto-start with a bad
 * UKMEM_CMDLINE exits with status 2 instead of running misconfigured.
 */
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/swap.h>
#include <ukmem.h>
#include "ktest.h"

static void expect_rejected(const char *cmdline, const char *named)
{
	char *out;
	int err;

	kt_capture_begin();
	err = ukmem_init(cmdline);
	out = kt_capture_end();
	KT_EQ(err, -EINVAL);
	KT_CONTAINS(out, "ukmem: bad command line parameter");
	KT_CONTAINS(out, named);
	KT_EQ(strchr(out, '\n') - out, (long)strlen(out) - 1);	/* exactly one line */
	free(out);
}

static void autostart_child(void *arg)
{
	setenv("UKMEM_CMDLINE", (const char *)arg, 1);
	(void)nr_free_pages();		/* first use starts ukmem */
	_exit(0);
}

int main(void)
{
	char *out;
	int status;

	expect_rejected("mem=abc", "mem=abc");
	expect_rejected("mem=0", "mem=0");
	expect_rejected("mem=1T", "mem=1T");		/* more than this host has */
	expect_rejected("mem=", "mem=");
	expect_rejected("nosuchparam=1", "nosuchparam=1");
	expect_rejected("bogus", "bogus");
	expect_rejected("failslab=1,2,3,4,", "failslab=1,2,3,4,");
	expect_rejected("failslab=1,2,3", "failslab=1,2,3");
	expect_rejected("failslab=1,200,0,1", "failslab");
	/* the numbers as 6.1's setup_fault_attr reads them (the kernel's sscanf): no sign
	 * before the unsigned ones, no '+' at all */
	expect_rejected("failslab=-1,2,3,4", "failslab=-1,2,3,4");
	expect_rejected("failslab=+1,2,3,4", "failslab=+1,2,3,4");
	expect_rejected("fail_page_alloc=1,2,3,+4", "fail_page_alloc=1,2,3,+4");
	expect_rejected("slub_debug=FZ,", "slub_debug=FZ,");
	expect_rejected("slub_debug=FQ", "slub_debug=FQ");
	expect_rejected("init_on_alloc=2", "init_on_alloc=2");
	expect_rejected("kasan=maybe", "kasan=maybe");
	expect_rejected("kasan.nosuch=1", "kasan.nosuch=1");
	expect_rejected("kasan.quarantine=lots", "kasan.quarantine=lots");
	expect_rejected("kfence.sample_interval=-1", "kfence.sample_interval=-1");
	expect_rejected("loglevel=99", "loglevel=99");
	expect_rejected("panic_on_warn=1 please", "please");
	expect_rejected("mymod.=1", "mymod.=1");
	expect_rejected("mem=64M \"unterminated", "unterminated");
	expect_rejected("mem=4M", "mem=4M");		/* below the 8M minimum */
	expect_rejected("mem=-1G", "mem=-1G");
	expect_rejected("mem=12Q", "mem=12Q");
	expect_rejected("mem=64M,", "mem=64M,");		/* a trailing comma */
	expect_rejected("fail_page_alloc=1,2,3,4,", "fail_page_alloc=1,2,3,4,");
	expect_rejected("init_on_free", "init_on_free");	/* a value is needed */
	expect_rejected("loglevel=", "loglevel=");
	expect_rejected("mem=64M mem=lots", "mem=lots");	/* the bad word, not the good one */

	/* Auto-start with a bad UKMEM_CMDLINE: a clear error and exit status 2. */
	status = kt_run_child(autostart_child, "mem=lots", &out);
	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 2);
	KT_CONTAINS(out, "mem=lots");
	KT_EQ(strchr(out, '\n') - out + 1, (long)strlen(out));	/* one line */
	free(out);

	/* Nothing was started by the bad attempts: a good line works, once.  A parameter
	 * given twice takes its last value, as the kernel's (mem=16M is overridden). */
	KT_EQ(ukmem_init("mem=16M mem=64M slub_debug=FZPU,kmalloc-64;U,dentry init_on_free=1 "
			 "failslab=10,5,0,-1 kasan=off kasan.quarantine=1M kfence.sample_interval=100 "
			 "kmemleak=on panic_on_warn=0 loglevel=4 mymod.debug=1 \"mymod.name=a b\""), 0);
	KT_EQ(ukmem_init("mem=64M"), -EBUSY);
	KT_EQ(totalram_pages(), (64UL << 20) / PAGE_SIZE - 256);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}

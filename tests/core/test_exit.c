/* SPDX-License-Identifier: MIT */
/*
 * Start-up and shut-down: auto-start on first use from $UKMEM_CMDLINE (this test runs with
 * UKMEM_CMDLINE="mem=48M"), ukmem_init after that is -EBUSY, ukmem_report_count counts BUG
 * and WARN reports (not allocation-failure warnings or printk), and ukmem_exit returns the
 * number of problems; a clean run returns 0.  The atexit hook runs the same check when the
 * program does not call ukmem_exit.
 */
#include <linux/bug.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <ukmem.h>
#include "ktest.h"

static void clean_child(void *arg)
{
	struct page *page = alloc_page(GFP_KERNEL), *blocks[64];
	int n = 0;

	__free_page(page);
	pr_err("an error message is not a problem\n");
	/* Running out of memory prints a warning but is not a problem either. */
	while (n < 64 && (blocks[n] = alloc_pages(GFP_KERNEL, MAX_ORDER - 1)) != NULL)
		n++;
	KT_ASSERT(n < 64);
	while (n--)
		__free_pages(blocks[n], MAX_ORDER - 1);
	exit(ukmem_exit());
}

static void two_problems_child(void *arg)
{
	struct page *page = alloc_page(GFP_KERNEL);

	__free_page(page);
	__free_page(page);		/* BUG: Bad page state */
	WARN_ON(1);
	exit(ukmem_exit());
}

/* A second ukmem_exit runs nothing new and returns the same count. */
static void exit_twice_child(void *arg)
{
	WARN_ON(1);
	KT_EQ(ukmem_exit(), 1);
	KT_EQ(ukmem_exit(), 1);
	exit(0);
}

static void run(void (*fn)(void *), int expected)
{
	char *out;
	int status = kt_run_child(fn, NULL, &out);

	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), expected);
	free(out);
}

int main(void)
{
	/* Nothing started yet: the first use starts ukmem with $UKMEM_CMDLINE. */
	run(clean_child, 0);
	run(two_problems_child, 2);
	run(exit_twice_child, 0);
	KT_EQ(totalram_pages(), (48UL << 20) / PAGE_SIZE - 256);
	KT_EQ(ukmem_init("mem=64M"), -EBUSY);
	KT_EQ(ukmem_init(NULL), -EBUSY);
	KT_EQ(totalram_pages(), (48UL << 20) / PAGE_SIZE - 256);
	KT_EQ(ukmem_report_count(), 0);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * Cross-thread stress test (workload in xthread.h): more threads than CPUs trade kmalloc and
 * kvmalloc objects through a shared array, every object checked word by word at free by
 * another thread than its allocator in most cases; threads exit each round with their
 * objects still in the array.  Passes when no object was damaged, nothing was reported,
 * and ukmem_exit finds every object given back (no leak).  Runs under ThreadSanitizer and
 * ASan in CI; $UKMEM_STRESS_ROUNDS sets the rounds (CI's sanitizer builds use fewer).
 */
#include <unistd.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"
#include "xthread.h"

static void *uk_alloc(size_t size, int zero)
{
	return zero ? kzalloc(size, GFP_KERNEL) : kmalloc(size, GFP_KERNEL);
}

static void uk_free(void *p)
{
	kfree(p);
}

static void *uk_alloc_large(size_t size)
{
	return kvmalloc(size, GFP_KERNEL);
}

static void uk_free_large(void *p)
{
	kvfree(p);
}

int main(void)
{
	static const struct xt_alloc uk = { uk_alloc, uk_free, uk_alloc_large, uk_free_large };
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	const char *rounds = getenv("UKMEM_STRESS_ROUNDS");
	struct xt_params p = {
		.threads = (int)(cpus < 2 ? 4 : 2 * cpus + 1),
		.rounds = rounds ? atoi(rounds) : 30,
		.ops = 4000,
		.slots = 256,
	};
	unsigned long errors;

	KT_EQ(ukmem_init("mem=512M"), 0);
	errors = xt_run(&uk, &p);
	KT_EQ(errors, 0);
	KT_EQ(ukmem_report_count(), 0);
	KT_EQ(ukmem_exit(), 0);
	printf("test_xthread_stress: %d threads x %d rounds x %d objects, %lu freed, all intact\n",
	       p.threads, p.rounds, p.ops, atomic_load(&xt_freed));
	return 0;
}

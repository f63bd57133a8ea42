/* SPDX-License-Identifier: MIT */
/*
 * Calls after ukmem_exit (docs/usage.md, "After ukmem_exit"): from an atexit handler that runs
 * after ukmem's own, from a library destructor, and from threads still allocating while the
 * process exits, every call keeps working and the exit-time check runs once.  Each case runs
 * in a forked child that goes through a real exit().
 */
#include <pthread.h>
#include <linux/bug.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/gfp.h>
#include <ukmem.h>
#include "ktest.h"

/* Allocates, fills and frees with every allocator; prints a line when all worked. */
static void use_everything(const char *who)
{
	char *k = kmalloc(100, GFP_KERNEL), *v = vmalloc(3 * PAGE_SIZE), *kv = kvmalloc(1 << 20, GFP_KERNEL);
	struct page *pg = alloc_pages(GFP_KERNEL, 2);
	struct kmem_cache *s = kmem_cache_create("after_exit", 40, 0, 0, NULL);
	void *o = s ? kmem_cache_alloc(s, GFP_KERNEL) : NULL;

	if (!k || !v || !kv || !pg || !o) {
		fprintf(stderr, "%s: an allocation failed\n", who);
		_exit(5);
	}
	memset(k, 1, 100);
	memset(v, 2, 3 * PAGE_SIZE);
	memset(kv, 3, 1 << 20);
	kfree(k);
	vfree(v);
	kvfree(kv);
	__free_pages(pg, 2);
	kmem_cache_free(s, o);
	kmem_cache_destroy(s);
	if (ukmem_show("meminfo", stdout))
		_exit(6);
	fprintf(stderr, "%s: all calls worked (%d problems)\n", who, ukmem_exit());
}

static void late_atexit(void)
{
	use_everything("atexit");
	kfree(kmalloc(8, GFP_KERNEL));
	WARN_ON(1);		/* a report after exit still prints */
}

static int destructor_armed;
__attribute__((destructor)) static void late_destructor(void)
{
	if (destructor_armed)
		use_everything("destructor");
}

static void from_atexit(void *arg)
{
	atexit(late_atexit);	/* registered before ukmem starts: runs after ukmem's handler */
	destructor_armed = 1;
	kfree(kmalloc(32, GFP_KERNEL));
	exit(0);
}

static void *busy(void *arg)
{
	for (;;) {
		void *p = kvmalloc(((unsigned long)arg & 7) * 4000 + 8, GFP_KERNEL);

		if (!p)
			_exit(7);
		kvfree(p);
	}
	return NULL;
}

/* Threads keep allocating while main returns: ukmem_exit runs under them. */
static void running_threads(void *arg)
{
	pthread_t t;

	for (unsigned long i = 0; i < 4; i++)
		pthread_create(&t, NULL, busy, (void *)i);
	usleep(20000);
	exit(0);
}

/* After an explicit ukmem_exit the program goes on and exits: the check is not run twice. */
static void explicit_exit_then_more(void *arg)
{
	void *leak = kmalloc(64, GFP_KERNEL);

	KT_EQ(ukmem_exit(), ukmem_report_count());
	kfree(leak);
	use_everything("after ukmem_exit");
	KT_EQ(ukmem_init(NULL), -EBUSY);
	exit(0);
}

static char *run(void (*fn)(void *))
{
	char *out;
	int status = kt_run_child(fn, NULL, &out);

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		KT_FAIL("wait status 0x%x", status);
	return out;
}

int main(void)
{
	char *out = run(from_atexit);

	KT_CONTAINS(out, "atexit: all calls worked (0 problems)");
	KT_CONTAINS(out, "WARNING:");
	KT_CONTAINS(out, "destructor: all calls worked (1 problems)");
	free(out);
	free(run(running_threads));
	out = run(explicit_exit_then_more);
	/* ukmem_exit counts kmemleak's report of the object still allocated at exit (docs/
	 * debugging.md); the calls after it add no problem. */
	KT_CONTAINS(out, "kmemleak: 1 new suspected memory leaks");
	KT_CONTAINS(out, "after ukmem_exit: all calls worked (1 problems)");
	free(out);
	printf("test_after_exit: ok\n");
	return 0;
}

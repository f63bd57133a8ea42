/* SPDX-License-Identifier: MIT */
/*
 * A kfree (or kmem_cache_free) of an object whose kfree_rcu is still pending is a bug the
 * kernel reports when the grace period ends: its free is then a double free (6.1 keeps the
 * pointer in an array of its own, so nothing of the object is read before that free).  The
 * debug modes write over a freed object (poison, zeroes, a free pointer); whatever they wrote
 * over the rcu_head, the callback queue goes on, the double free is reported in the mode's
 * shape, and the program goes on: no crash in the callback thread.
 */
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

struct obj {
	long a;
	struct rcu_head rh;
	char pad[40];
};

static void child(void *arg)
{
	struct kmem_cache *c;
	struct obj *o;

	KT_EQ(ukmem_init((const char *)arg), 0);
	o = kmalloc(sizeof(*o), GFP_KERNEL);
	kfree_rcu(o, rh);
	kfree(o);
	rcu_barrier();
	c = kmem_cache_create("rcu_then_free", sizeof(*o), 0, 0, NULL);
	o = kmem_cache_alloc(c, GFP_KERNEL);
	kfree_rcu(o, rh);
	kmem_cache_free(c, o);
	rcu_barrier();
	kmem_cache_destroy(c);
	/* the queue still works */
	o = kmalloc(sizeof(*o), GFP_KERNEL);
	kfree_rcu(o, rh);
	rcu_barrier();
	exit(ukmem_exit());
}

int main(void)
{
	static const struct {
		const char *cmdline, *report;
	} modes[] = {
		{ "init_on_free=1", "BUG: KASAN: double-free in " },
		{ "kasan=on", "BUG: KASAN: double-free in " },
		{ "slub_debug=P", "BUG: KASAN: double-free in " },
		{ "slub_debug=FZPU", "): Object already free" },
		{ "kfence.sample_interval=1", "BUG: KFENCE: invalid free in " },
	};

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		char *out;
		int status = kt_run_child(child, (void *)modes[i].cmdline, &out);

		if (!WIFEXITED(status))
			KT_FAIL("%s: the child died (status 0x%x)", modes[i].cmdline, status);
		KT_EQ(WEXITSTATUS(status), 2);		/* both double frees, nothing else */
		KT_CONTAINS(out, modes[i].report);
		KT_NOT_CONTAINS(out, "general protection fault");
		free(out);
	}
	printf("test_kfree_rcu_free: ok\n");
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * Bugs for the tools: run under valgrind (memcheck) or built with -fsanitize=address, the tool
 * itself must report the bad access at the faulting instruction, because ukmem describes its
 * objects to it (src/debug/annotate.h).  argv[1] picks the bug: "oob" (one byte past a
 * kmalloc-64 object), "slack" (byte 100 of a kmalloc(100): inside its kmalloc-128 object,
 * past what was asked for), "uaf" (a read of a kmalloc object after kfree), "vmalloc" (a
 * byte past a 1000-byte vmalloc area, inside its last page), "rcu" (a read of a freed kmalloc
 * object inside rcu_read_lock; fixed: of a freed SLAB_TYPESAFE_BY_RCU object, which is legal),
 * "rcu_oob" (one byte past a freed SLAB_TYPESAFE_BY_RCU object inside the reader, its red
 * zone, while another thread empties its slab; fixed: its last byte); with "fixed" after it,
 * the same code without the bug.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>
#include <linux/vmalloc.h>
#include <ukmem.h>

static __attribute__((__noinline__)) void touch(char *p, int n)
{
	for (int i = 0; i < n; i++)
		((volatile char *)p)[i] = 1;
}

static __attribute__((__noinline__)) int peek(char *p)
{
	return ((volatile char *)p)[0];
}

static __attribute__((__noinline__)) int peek_all(char *p, int n)
{
	int sum = 0;

	for (int i = 0; i < n; i++)
		sum += ((volatile char *)p)[i];
	return sum;
}

struct rcu_free {
	struct kmem_cache *c;
	void *obj;
};

/* Another thread frees the object and shrinks the cache: its empty slab goes back to the
 * page allocator, but only after a grace period, which the reader in main() holds off. */
static void *free_and_shrink(void *arg)
{
	struct rcu_free *f = arg;

	kmem_cache_free(f->c, f->obj);
	kmem_cache_shrink(f->c);
	return NULL;
}

static void free_elsewhere(struct kmem_cache *c, void *obj)
{
	struct rcu_free f = { c, obj };
	pthread_t t;

	if (pthread_create(&t, NULL, free_and_shrink, &f) || pthread_join(t, NULL))
		abort();
}

int main(int argc, char **argv)
{
	bool fixed = argc > 2 && !strcmp(argv[2], "fixed");
	const char *bug = argc > 1 ? argv[1] : "oob";
	int v = 0;

	if (!strcmp(bug, "oob")) {
		char *p = kmalloc(64, GFP_KERNEL);

		touch(p, fixed ? 64 : 65);
		kfree(p);
	} else if (!strcmp(bug, "slack")) {
		char *p = kmalloc(100, GFP_KERNEL);

		touch(p, fixed ? 100 : 101);
		kfree(p);
	} else if (!strcmp(bug, "uaf")) {
		char *p = kmalloc(64, GFP_KERNEL);

		touch(p, 64);
		if (fixed)
			v = peek(p);
		kfree(p);
		if (!fixed)
			v = peek(p);
	} else if (!strcmp(bug, "vmalloc")) {
		char *p = vmalloc(1000);

		touch(p, fixed ? 1000 : 1001);
		vfree(p);
	} else if (!strcmp(bug, "rcu")) {
		struct kmem_cache *c = kmem_cache_create("tool_rcu", 64, 0, SLAB_TYPESAFE_BY_RCU, NULL);
		char *p = fixed ? kmem_cache_alloc(c, GFP_KERNEL) : kmalloc(64, GFP_KERNEL);

		touch(p, 64);
		rcu_read_lock();
		if (fixed)
			kmem_cache_free(c, p);
		else
			kfree(p);
		v = peek_all(p, 64);
		rcu_read_unlock();
		kmem_cache_destroy(c);
	} else if (!strcmp(bug, "rcu_oob")) {
		struct kmem_cache *c = kmem_cache_create("tool_rcu", 64, 0, SLAB_TYPESAFE_BY_RCU, NULL);
		char *p = kmem_cache_alloc(c, GFP_KERNEL);

		touch(p, 64);
		rcu_read_lock();
		free_elsewhere(c, p);
		v = peek(p + (fixed ? 63 : 64));
		rcu_read_unlock();
		kmem_cache_destroy(c);
	} else {
		return 2;
	}
	(void)v;
	return ukmem_exit();
}

/* SPDX-License-Identifier: MIT */
/*
 * kmem_cache semantics: the constructor runs once per object when its slab is created and
 * what it wrote survives free and re-allocation; alignment flags; usercopy; bulk calls;
 * shrink; destroy with live objects (reported, cache kept) and without; SLAB_PANIC;
 * SLAB_TYPESAFE_BY_RCU (contents survive a free, pages go back only after a grace period);
 * kfree_rcu with one and two arguments; fork.
 */
#include <stdint.h>
#include <pthread.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <ukmem.h>
#include "ktest.h"

struct thing {
	unsigned long magic;
	int refs;
	char name[52];
};

static int ctor_calls;

static void thing_ctor(void *p)
{
	struct thing *t = p;

	__atomic_fetch_add(&ctor_calls, 1, __ATOMIC_RELAXED);
	t->magic = 0xc0ffee;
	t->refs = 0;
	strcpy(t->name, "constructed");
}

/* Live objects of a cache according to slabinfo. */
static long slabinfo_active(const char *cache)
{
	char *buf = NULL, line[512];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	long active = -1;

	KT_EQ(ukmem_show("slabinfo", f), 0);
	fclose(f);
	f = fmemopen(buf, len, "r");
	while (fgets(line, sizeof(line), f)) {
		char name[64];
		long a;

		if (sscanf(line, "%63s %ld", name, &a) == 2 && !strcmp(name, cache))
			active = a;
	}
	fclose(f);
	free(buf);
	return active;
}

static void test_ctor(void)
{
	struct kmem_cache *c = kmem_cache_create("thing", sizeof(struct thing), 0, 0, thing_ctor);
	struct thing *objs[300];
	int calls;

	KT_ASSERT(c);
	KT_EQ(kmem_cache_size(c), sizeof(struct thing));
	objs[0] = kmem_cache_alloc(c, GFP_KERNEL);
	calls = ctor_calls;
	KT_ASSERT(calls > 1);				/* the whole slab at once */
	KT_EQ(objs[0]->magic, 0xc0ffee);
	KT_ASSERT(!strcmp(objs[0]->name, "constructed"));
	objs[0]->refs = 5;				/* the object's state at free time ... */
	kmem_cache_free(c, objs[0]);
	for (int round = 0; round < 5; round++) {	/* ... is what the next user gets */
		for (int i = 0; i < 300; i++) {
			objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
			KT_EQ(objs[i]->magic, 0xc0ffee);
			KT_ASSERT(objs[i]->refs == 0 || objs[i]->refs == 5);
			objs[i]->refs = 5;
		}
		for (int i = 0; i < 300; i++)
			kmem_cache_free(c, objs[i]);
	}
	/* ctor ran once per object ever created, never per allocation */
	KT_ASSERT(ctor_calls < 300 * 2);
	calls = ctor_calls;
	for (int i = 0; i < 1000; i++)
		kmem_cache_free(c, kmem_cache_alloc(c, GFP_KERNEL));
	KT_EQ(ctor_calls, calls);
	KT_EQ(slabinfo_active("thing"), 0);
	kmem_cache_destroy(c);
	KT_EQ(slabinfo_active("thing"), -1);
}

static void test_align(void)
{
	struct kmem_cache *a = kmem_cache_create("hw", 20, 0, SLAB_HWCACHE_ALIGN, NULL);
	struct kmem_cache *b = kmem_cache_create("a256", 100, 256, 0, NULL);
	struct kmem_cache *d = kmem_cache_create("dma-obj", 100, 0, SLAB_CACHE_DMA, NULL);

	for (int i = 0; i < 100; i++) {
		void *p = kmem_cache_alloc(a, GFP_KERNEL), *q = kmem_cache_alloc(b, GFP_KERNEL);
		void *r = kmem_cache_zalloc(d, GFP_KERNEL);

		KT_EQ((uintptr_t)p % 32, 0);		/* 20 bytes: half a cache line is enough */
		KT_EQ((uintptr_t)q % 256, 0);
		KT_ASSERT(virt_to_phys(r) < 16UL << 20);
		for (int j = 0; j < 100; j++)
			KT_EQ(((char *)r)[j], 0);
		memset(r, 0xff, 100);
		kmem_cache_free(a, p);
		kmem_cache_free(b, q);
		kmem_cache_free(d, r);
	}
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
	kmem_cache_destroy(d);
}

/* What kmem_cache_create accepts, as 6.1: an alignment below a word (or not a multiple of
 * one) is rounded up to words; objects up to KMALLOC_MAX_SIZE; the allocator's own flags are
 * refused with the kernel's "failed with error -22" warning. */
static void test_create_limits(void)
{
	struct kmem_cache *odd = kmem_cache_create("align3", 20, 3, 0, NULL);
	struct kmem_cache *big = kmem_cache_create("one_mib", 1 << 20, 0, 0, NULL);
	char *out;
	void *p, *q;

	KT_ASSERT(odd && big);
	p = kmem_cache_alloc(odd, GFP_KERNEL);
	q = kmem_cache_alloc(odd, GFP_KERNEL);
	KT_EQ((uintptr_t)p % 8, 0);
	KT_EQ((uintptr_t)q % 8, 0);
	kmem_cache_free(odd, p);
	kmem_cache_free(odd, q);
	p = kmem_cache_alloc(big, GFP_KERNEL);
	KT_ASSERT(p);
	memset(p, 0x5a, 1 << 20);
	kmem_cache_free(big, p);
	/* ksize of a cache object: the stride, as 6.1's slab_ksize (this test runs without
	 * ukmem's tool annotations, which would keep the stride's tail off limits) */
	p = kmem_cache_alloc(odd, GFP_KERNEL);
	KT_EQ(ksize(p), 24);
	kmem_cache_free(odd, p);
	/* kmem_cache_shrink says whether slabs are left (6.1) */
	p = kmem_cache_alloc(odd, GFP_KERNEL);
	KT_EQ(kmem_cache_shrink(odd), 1);
	kmem_cache_free(odd, p);
	KT_EQ(kmem_cache_shrink(odd), 0);
	kmem_cache_destroy(odd);
	kmem_cache_destroy(big);
	kt_capture_begin();
	KT_ASSERT(!kmem_cache_create("too_big", KMALLOC_MAX_SIZE + 1, 0, 0, NULL));
	KT_ASSERT(!kmem_cache_create("align24", 20, 24, 0, NULL));
	KT_ASSERT(!kmem_cache_create("kmalloc_flag", 20, 0, SLAB_KMALLOC, NULL));
	/* red zones and owner records around the largest object outgrow the largest block */
	KT_ASSERT(!kmem_cache_create("big_debug", KMALLOC_MAX_SIZE, 0,
				     SLAB_RED_ZONE | SLAB_STORE_USER, NULL));
	out = kt_capture_end();
	KT_CONTAINS(out, "kmem_cache_create_usercopy(too_big) failed with error -22");
	KT_CONTAINS(out, "kmem_cache_create_usercopy(align24) failed with error -22");
	KT_CONTAINS(out, "kmem_cache_create_usercopy(kmalloc_flag) failed with error -22");
	KT_CONTAINS(out, "kmem_cache_create_usercopy(big_debug) failed with error -22");
	free(out);
}

static void test_usercopy_and_macro(void)
{
	struct kmem_cache *c = KMEM_CACHE(thing, SLAB_ACCOUNT);
	struct kmem_cache *u = KMEM_CACHE_USERCOPY(thing, 0, name);

	KT_ASSERT(c && u);
	KT_EQ(kmem_cache_size(c), sizeof(struct thing));
	kmem_cache_free(u, kmem_cache_alloc_node(u, GFP_KERNEL, NUMA_NO_NODE));
	kmem_cache_free(c, kmem_cache_alloc_lru(c, NULL, GFP_KERNEL));
	kmem_cache_destroy(c);
	kmem_cache_destroy(u);
}

/* A user-copy region that does not fit the object, or an offset without a size: 6.1 warns
 * and creates the cache without a region (it fails closed), it does not fail the call. */
static void test_usercopy_bad_region(void)
{
	static const unsigned int bad[2][2] = { { 60, 10 }, { 8, 0 } };

	for (int i = 0; i < 2; i++) {
		unsigned long before = ukmem_report_count();
		struct kmem_cache *c;
		char *out;

		kt_capture_begin();
		c = kmem_cache_create_usercopy("uc_bad", 64, 0, 0, bad[i][0], bad[i][1], NULL);
		out = kt_capture_end();
		KT_ASSERT(c);
		KT_EQ(ukmem_report_count(), before + 1);
		KT_CONTAINS(out, "WARNING: CPU: ");
		KT_CONTAINS(out, " kmem_cache_create_usercopy\n");
		KT_NOT_CONTAINS(out, "failed with error");
		kmem_cache_free(c, kmem_cache_alloc(c, GFP_KERNEL));
		kmem_cache_destroy(c);
		free(out);
	}
}

static void test_bulk(void)
{
	struct kmem_cache *c = kmem_cache_create("bulk", 64, 0, 0, NULL);
	void *p[500];

	KT_EQ(kmem_cache_alloc_bulk(c, GFP_KERNEL, 500, p), 500);
	for (int i = 0; i < 500; i++) {
		memset(p[i], i & 0xff, 64);
		for (int j = 0; j < i; j++)
			KT_ASSERT(p[i] != p[j]);
	}
	KT_EQ(slabinfo_active("bulk"), 500);
	kmem_cache_free_bulk(c, 500, p);
	KT_EQ(slabinfo_active("bulk"), 0);
	KT_EQ(kmem_cache_alloc_bulk(c, GFP_KERNEL | __GFP_ZERO, 16, p), 16);
	for (int i = 0; i < 16; i++)
		for (int j = 0; j < 64; j++)
			KT_EQ(((char *)p[i])[j], 0);
	kmem_cache_free_bulk(c, 16, p);
	for (int i = 0; i < 20; i++)
		p[i] = kmalloc(10 + i * 30, GFP_KERNEL);
	kfree_bulk(20, p);
	kmem_cache_shrink(c);
	kmem_cache_destroy(c);
	KT_EQ(ukmem_report_count(), 0);
}

static void test_destroy_with_objects(void)
{
	struct kmem_cache *c = kmem_cache_create("leaky", 40, 0, 0, NULL);
	void *p = kmem_cache_alloc(c, GFP_KERNEL), *q = kmem_cache_alloc(c, GFP_KERNEL);
	unsigned long reports = ukmem_report_count();
	char *out;

	kmem_cache_free(c, q);
	memset(p, 0x3c, 40);
	kt_capture_begin();
	kmem_cache_destroy(c);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG leaky (Not tainted): Objects remaining in leaky on __kmem_cache_shutdown()");
	KT_CONTAINS(out, "kmem_cache_destroy leaky: Slab cache still has objects when called from");
	KT_CONTAINS(out, "test_cache.c:");
	KT_ASSERT(ukmem_report_count() > reports);
	free(out);
	/* The cache is kept and its object is intact. */
	KT_EQ(slabinfo_active("leaky"), 1);
	KT_EQ(((unsigned char *)p)[39], 0x3c);
	kmem_cache_free(c, p);
	KT_EQ(slabinfo_active("leaky"), 0);
}

static void panic_child(void *arg)
{
	kmem_cache_create("bad", 0, 0, SLAB_PANIC, NULL);
}

static void test_panic(void)
{
	char *out;
	int status = kt_run_child(panic_child, NULL, &out);

	KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	KT_CONTAINS(out, "Kernel panic - not syncing: kmem_cache_create_usercopy: Failed to create slab 'bad'");
	free(out);
	kt_capture_begin();
	KT_ASSERT(kmem_cache_create("bad", 0, 0, 0, NULL) == NULL);	/* without SLAB_PANIC: NULL */
	free(kt_capture_end());
}

struct robj {
	unsigned long key;
	struct rcu_head rcu;
	char payload[40];
};

struct free_shrink {
	struct kmem_cache *c;
	struct robj **objs;
	int n;
};

static void *free_shrink_thread(void *arg)
{
	struct free_shrink *f = arg;

	for (int i = 0; i < f->n; i++)
		kmem_cache_free(f->c, f->objs[i]);
	kmem_cache_shrink(f->c);		/* this thread's objects go back to their slabs */
	return NULL;
}

/* Free objs and shrink c from another thread: kmem_cache_shrink may sleep, so it is not
 * called inside this thread's RCU reader (a kernel would call it on another CPU). */
static void free_shrink_elsewhere(struct kmem_cache *c, struct robj **objs, int n)
{
	struct free_shrink f = { c, objs, n };
	pthread_t t;

	KT_EQ(pthread_create(&t, NULL, free_shrink_thread, &f), 0);
	KT_EQ(pthread_join(t, NULL), 0);
}

static void test_typesafe_by_rcu(void)
{
	struct kmem_cache *c = kmem_cache_create("rcuobj", sizeof(struct robj), 0,
						 SLAB_TYPESAFE_BY_RCU, NULL);
	struct robj *objs[200];
	struct robj *o;

	/* Contents survive a free: a reader that still holds the pointer sees a valid object. */
	o = kmem_cache_alloc(c, GFP_KERNEL);
	o->key = 0x1234;
	strcpy(o->payload, "still here");
	rcu_read_lock();
	kmem_cache_free(c, o);
	KT_EQ(o->key, 0x1234);
	KT_ASSERT(!strcmp(o->payload, "still here"));
	rcu_read_unlock();
	/* Objects flushed back to their slabs keep their bytes too (free pointer is outside). */
	for (int i = 0; i < 200; i++) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		objs[i]->key = 1000 + i;
	}
	rcu_read_lock();
	free_shrink_elsewhere(c, objs, 200);	/* empty slabs wait for the grace period */
	for (int i = 0; i < 200; i++)
		KT_EQ(objs[i]->key, 1000 + i);
	rcu_read_unlock();
	synchronize_rcu();
	rcu_barrier();
	kmem_cache_destroy(c);
}

static void test_kfree_rcu(void)
{
	long before = slabinfo_active("kmalloc-64");
	struct robj *a = kmalloc(sizeof(*a), GFP_KERNEL);
	char *b = kmalloc(50, GFP_KERNEL);
	struct robj *big = kmalloc(20000, GFP_KERNEL);

	KT_EQ(slabinfo_active("kmalloc-64"), before + 2);
	rcu_read_lock();
	a->key = 77;
	kfree_rcu(a, rcu);			/* two arguments: never sleeps */
	KT_EQ(a->key, 77);			/* still there while we read */
	rcu_read_unlock();
	kfree_rcu(b);				/* one argument: may sleep */
	kfree_rcu(big, rcu);
	kfree_rcu((char *)NULL);		/* ignored */
	rcu_barrier();
	KT_EQ(slabinfo_active("kmalloc-64"), before);
	KT_EQ(ukmem_report_count(), 0);
}

/* The one-argument form may sleep (it may wait for a grace period): in atomic context it is
 * the "sleeping function" report, as 6.1's kvfree_call_rcu's might_sleep(); the two-argument
 * form is not. */
static void test_kfree_rcu_atomic(void)
{
	struct robj *a = kmalloc(sizeof(*a), GFP_KERNEL);
	char *b = kmalloc(50, GFP_KERNEL);
	unsigned long before = ukmem_report_count();
	char *out;

	kt_capture_begin();
	rcu_read_lock();
	kfree_rcu(a, rcu);
	KT_EQ(ukmem_report_count(), before);
	kfree_rcu(b);
	rcu_read_unlock();
	out = kt_capture_end();
	KT_EQ(ukmem_report_count(), before + 1);
	KT_CONTAINS(out, "BUG: sleeping function called from invalid context at ");
	free(out);
	rcu_barrier();
}

/* __GFP_ZERO on a cache with a constructor: 6.1's new_slab warns (once), and the object
 * comes back zeroed all the same. */
static void test_zalloc_ctor(void)
{
	struct kmem_cache *c = kmem_cache_create("zero_ctor", sizeof(struct thing), 0, 0,
						 thing_ctor);
	unsigned long before = ukmem_report_count();
	struct thing *t;
	char *out;

	kt_capture_begin();
	t = kmem_cache_zalloc(c, GFP_KERNEL);
	out = kt_capture_end();
	KT_ASSERT(t);
	KT_EQ(t->magic, 0);
	KT_EQ(ukmem_report_count(), before + 1);
	KT_CONTAINS(out, "WARNING: CPU: ");
	KT_CONTAINS(out, " new_slab\n");
	free(out);
	kmem_cache_free(c, t);
	kmem_cache_destroy(c);
}

/* kmem_cache_shrink may sleep (6.1's takes cpus_read_lock()): under a spinlock it is the
 * "sleeping function" report. */
static void test_shrink_atomic(void)
{
	struct kmem_cache *c = kmem_cache_create("shrink_atomic", 64, 0, 0, NULL);
	unsigned long before = ukmem_report_count();
	char *out;

	kt_capture_begin();
	preempt_disable();
	kmem_cache_shrink(c);
	preempt_enable();
	out = kt_capture_end();
	KT_EQ(ukmem_report_count(), before + 1);
	KT_CONTAINS(out, "BUG: sleeping function called from invalid context at ");
	free(out);
	kmem_cache_destroy(c);
}

static long meminfo_kb(const char *key)
{
	char *buf = NULL, *p;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	long v = -1;

	ukmem_show("meminfo", f);
	fclose(f);
	p = strstr(buf, key);
	if (p)
		v = atol(p + strlen(key));
	free(buf);
	return v;
}

/* Objects freed by kfree_rcu land in the call_rcu thread's arrays; destroying their cache
 * afterwards must still give all its memory back. */
static void test_destroy_after_kfree_rcu(void)
{
	long before = meminfo_kb("SUnreclaim:");
	struct kmem_cache *c = kmem_cache_create("rcu-freed", sizeof(struct robj), 0, 0, NULL);
	struct robj *o[100];

	for (int i = 0; i < 100; i++)
		o[i] = kmem_cache_alloc(c, GFP_KERNEL);
	KT_ASSERT(meminfo_kb("SUnreclaim:") > before);
	for (int i = 0; i < 100; i++)
		kfree_rcu(o[i], rcu);
	rcu_barrier();
	KT_EQ(slabinfo_active("rcu-freed"), 0);
	kmem_cache_destroy(c);
	KT_EQ(meminfo_kb("SUnreclaim:"), before);
}

static void fork_child(void *arg)
{
	struct kmem_cache *c = arg;
	void *p[100];

	for (int i = 0; i < 100; i++)
		p[i] = kmem_cache_alloc(c, GFP_KERNEL);
	for (int i = 0; i < 100; i++)
		kmem_cache_free(c, p[i]);
	kfree(kmalloc(100, GFP_KERNEL));
	if (slabinfo_active("forked") != 1)
		fprintf(stderr, "child: wrong count\n");
	fprintf(stderr, "child done\n");
}

static void *holder_thread(void *arg)
{
	struct kmem_cache *c = arg;

	/* Leave some objects in this thread's array, then wait forever (until the process ends). */
	kmem_cache_free(c, kmem_cache_alloc(c, GFP_KERNEL));
	return NULL;
}

static pthread_barrier_t zb;

static void *zombie_holder(void *arg)
{
	struct kmem_cache *c = arg;
	void *p[10];

	for (int i = 0; i < 10; i++)
		p[i] = kmem_cache_alloc(c, GFP_KERNEL);
	for (int i = 0; i < 10; i++)
		kmem_cache_free(c, p[i]);	/* free, but cached in this thread's array */
	pthread_barrier_wait(&zb);		/* main destroys the cache now */
	pthread_barrier_wait(&zb);
	kfree(kmalloc(100, GFP_KERNEL));	/* any allocation: the array goes back */
	kfree(kmalloc(3000, GFP_KERNEL));
	return NULL;
}

/* Destroying a cache whose free objects sit in another thread's array is legal (nothing is
 * live); the cache goes away once that thread gives them back, at its next slow path or exit. */
static void test_destroy_while_cached(void)
{
	for (int round = 0; round < 2; round++) {
		struct kmem_cache *c = kmem_cache_create("zombie", 200, 0, 0, NULL);
		unsigned long reports = ukmem_report_count();
		pthread_t t;

		pthread_barrier_init(&zb, NULL, 2);
		pthread_create(&t, NULL, zombie_holder, c);
		pthread_barrier_wait(&zb);
		KT_EQ(slabinfo_active("zombie"), 0);
		kmem_cache_destroy(c);
		KT_EQ(ukmem_report_count(), reports);	/* no "still has objects" */
		KT_EQ(slabinfo_active("zombie"), -1);	/* gone from slabinfo at once */
		pthread_barrier_wait(&zb);
		pthread_join(t, NULL);
		pthread_barrier_destroy(&zb);
		/* The id and memory are reusable: a new cache works normally. */
		c = kmem_cache_create("after-zombie", 200, 0, 0, NULL);
		kmem_cache_free(c, kmem_cache_alloc(c, GFP_KERNEL));
		KT_EQ(slabinfo_active("after-zombie"), 0);
		kmem_cache_destroy(c);
	}
}

static void test_fork(void)
{
	struct kmem_cache *c = kmem_cache_create("forked", 128, 0, 0, NULL);
	void *keep = kmem_cache_alloc(c, GFP_KERNEL);
	pthread_t t;
	char *out;
	int status;

	pthread_create(&t, NULL, holder_thread, c);
	pthread_join(t, NULL);
	status = kt_run_child(fork_child, c, &out);
	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	KT_CONTAINS(out, "child done");
	KT_NOT_CONTAINS(out, "wrong count");
	KT_NOT_CONTAINS(out, "BUG");
	free(out);
	kmem_cache_free(c, keep);
	kmem_cache_destroy(c);
}

int main(void)
{
	KT_EQ(ukmem_init(getenv("UKMEM_CMDLINE") ? getenv("UKMEM_CMDLINE") : ""), 0);	/* ukmem.annotate=0 under ASan */
	test_ctor();
	test_align();
	test_create_limits();
	test_usercopy_and_macro();
	test_bulk();
	test_typesafe_by_rcu();
	test_kfree_rcu();
	test_fork();
	test_destroy_while_cached();
	test_destroy_after_kfree_rcu();
	KT_EQ(ukmem_report_count(), 0);
	test_destroy_with_objects();
	test_kfree_rcu_atomic();
	test_zalloc_ctor();
	test_shrink_atomic();
	test_usercopy_bad_region();
	test_panic();
	printf("test_cache: ok\n");
	return 0;
}

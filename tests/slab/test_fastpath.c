/* SPDX-License-Identifier: MIT */
/*
 * The slab fast path's hot object (the object a thread freed last, kept outside its cache's
 * array until an allocation of that cache takes it): it is handed only to its own cache, once;
 * the double-free check sees it and the array's top alike; __GFP_ZERO and GFP_KERNEL in
 * atomic context still take the slow path when it holds an object; it is counted in
 * slabinfo, given back by kmem_cache_shrink, kmem_cache_destroy, thread exit and fork.
 * The free fast path's object-start test refuses every address inside an object or in a
 * slab's tail, for caches of many strides.
 */
#include <pthread.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <ukmem.h>
#include "ktest.h"

#define NO_TAIL()	__asm__ __volatile__("" ::: "memory")

/* kmem_cache_shrink gives back this thread's cached objects: the hot object is empty after. */
static void empty_hot(void)
{
	kmem_cache_shrink(kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(64)]);
}

/* Runs fn with stderr captured; expects exactly one report whose text has every needle. */
static void expect_one_report(void (*fn)(void), const char *a, const char *b)
{
	unsigned long before = ukmem_report_count();
	char *out;

	kt_capture_begin();
	fn();
	out = kt_capture_end();
	KT_EQ(ukmem_report_count(), before + 1);
	KT_CONTAINS(out, a);
	if (b)
		KT_CONTAINS(out, b);
	free(out);
}

/* Reuse stays LIFO and per cache: a hot 64-byte object never answers a 128-byte request. */
static void test_classes(void)
{
	char *a = kmalloc(64, GFP_KERNEL), *b, *c, *d;

	memset(a, 0x5a, 64);
	kfree(a);
	b = kmalloc(128, GFP_KERNEL);
	KT_ASSERT(b != a);
	KT_ASSERT(ksize(b) >= 128);
	memset(b, 1, 128);
	c = kmalloc(64, GFP_KERNEL);
	KT_ASSERT(c == a);		/* the hot object, to its own cache */
	d = kmalloc(64, GFP_KERNEL);
	KT_ASSERT(d != c);		/* and only once */
	kfree(b);
	kfree(c);
	kfree(d);
}

static void *dbl_a, *dbl_b, *hot_check;

static noinline void free_b_again(void)
{
	kfree(dbl_b);
	NO_TAIL();
}

/* a goes to the hot object, b onto the array; an allocation takes a; b is still the object
 * this thread freed last, so freeing it again is a double free. */
static void test_double_free_behind_hot(void)
{
	void *x, *y;

	dbl_a = kmalloc(64, GFP_KERNEL);
	dbl_b = kmalloc(64, GFP_KERNEL);
	empty_hot();
	kfree(dbl_a);
	kfree(dbl_b);
	x = kmalloc(64, GFP_KERNEL);
	expect_one_report(free_b_again, "BUG: KASAN: double-free in free_b_again", "most recently freed");
	y = kmalloc(64, GFP_KERNEL);
	KT_ASSERT(x != y);
	KT_ASSERT(x == dbl_a && y == dbl_b);
	hot_check = kmalloc(64, GFP_KERNEL);	/* b was not put back twice */
	KT_ASSERT(hot_check != x && hot_check != y);
	kfree(hot_check);
	kfree(x);
	kfree(y);
}

static void *hot_obj;

static noinline void free_hot_again(void)
{
	kmem_cache_free(kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(64)], hot_obj);
	NO_TAIL();
}

/* Double free of the hot object itself, through kmem_cache_free. */
static void test_double_free_hot(void)
{
	void *x, *y;

	empty_hot();
	hot_obj = kmalloc(64, GFP_KERNEL);
	kfree(hot_obj);
	expect_one_report(free_hot_again, "BUG: KASAN: double-free in free_hot_again", NULL);
	x = kmalloc(64, GFP_KERNEL);
	y = kmalloc(64, GFP_KERNEL);
	KT_ASSERT(x == hot_obj);
	KT_ASSERT(y != hot_obj);
	kfree(y);
	kfree(x);
}

static noinline void free_a_again(void)
{
	kfree(dbl_a);
	NO_TAIL();
}

static struct kmem_cache *bulk_cache;

static noinline void bulk_with_hot(void)
{
	void *p[2] = { dbl_b, dbl_a };

	kmem_cache_free_bulk(bulk_cache, 2, p);
	NO_TAIL();
}

/* With a in the hot object and b on top of the array, freeing either again is caught, by
 * kfree and by kmem_cache_free_bulk; nothing is handed out twice afterwards. */
static void test_double_free_both(void)
{
	void *x, *y, *z;

	dbl_a = kmalloc(64, GFP_KERNEL);
	dbl_b = kmalloc(64, GFP_KERNEL);
	empty_hot();
	kfree(dbl_a);
	kfree(dbl_b);
	expect_one_report(free_b_again, "BUG: KASAN: double-free in free_b_again", NULL);
	expect_one_report(free_a_again, "BUG: KASAN: double-free in free_a_again", NULL);
	x = kmalloc(64, GFP_KERNEL);
	y = kmalloc(64, GFP_KERNEL);
	z = kmalloc(64, GFP_KERNEL);
	KT_ASSERT(x != y && y != z && x != z);
	KT_ASSERT((x == dbl_a || x == dbl_b) && (y == dbl_a || y == dbl_b));
	kfree(z);
	kfree(y);
	kfree(x);

	bulk_cache = kmem_cache_create("hotbulk", 64, 0, 0, NULL);
	dbl_a = kmem_cache_alloc(bulk_cache, GFP_KERNEL);
	dbl_b = kmem_cache_alloc(bulk_cache, GFP_KERNEL);
	kmem_cache_free(bulk_cache, dbl_a);	/* the hot object or the array's top */
	expect_one_report(bulk_with_hot, "BUG: KASAN: double-free in bulk_with_hot", NULL);
	x = kmem_cache_alloc(bulk_cache, GFP_KERNEL);
	y = kmem_cache_alloc(bulk_cache, GFP_KERNEL);
	z = kmem_cache_alloc(bulk_cache, GFP_KERNEL);
	KT_ASSERT(x != y && y != z && x != z);
	kmem_cache_free(bulk_cache, x);
	kmem_cache_free(bulk_cache, y);
	kmem_cache_free(bulk_cache, z);
	kmem_cache_destroy(bulk_cache);
}

/* kmem_cache_alloc(NULL) gets NULL, never the hot object (whose empty mark is NULL). */
static void test_null_cache(void)
{
	void *p;

	empty_hot();
	kfree(kmalloc(64, GFP_KERNEL));		/* the hot object holds it ... */
	p = kmalloc(64, GFP_KERNEL);		/* ... and now is empty again */
	KT_ASSERT(kmem_cache_alloc(NULL, GFP_KERNEL) == NULL);
	KT_ASSERT(kmem_cache_alloc_node(NULL, GFP_KERNEL, NUMA_NO_NODE) == NULL);
	KT_ASSERT(kmem_cache_alloc_lru(NULL, NULL, GFP_KERNEL) == NULL);
	kfree(p);
}

/* __GFP_ZERO takes the slow path even when the hot object fits: zeroed memory. */
static void test_zero(void)
{
	for (int round = 0; round < 3; round++) {
		unsigned char *p = kmalloc(96, GFP_KERNEL), *z;

		memset(p, 0xff, 96);
		kfree(p);
		z = kzalloc(96, GFP_KERNEL);
		for (int i = 0; i < 96; i++)
			KT_EQ(z[i], 0);
		kfree(z);
	}
}

static DEFINE_SPINLOCK(lock);

static noinline void alloc_under_lock(void)
{
	void *p;

	spin_lock(&lock);
	p = kmalloc(64, GFP_KERNEL);
	spin_unlock(&lock);
	kfree(p);
	NO_TAIL();
}

/* GFP_KERNEL under a spinlock is reported even when the hot object could answer it; an
 * atomic allocation there stays quiet. */
static void test_atomic(void)
{
	unsigned long before;
	void *p;

	empty_hot();
	kfree(kmalloc(64, GFP_KERNEL));	/* the hot object is a 64-byte one */
	expect_one_report(alloc_under_lock, "BUG: sleeping function called from invalid context", NULL);
	kfree(kmalloc(64, GFP_KERNEL));
	before = ukmem_report_count();
	spin_lock(&lock);
	p = kmalloc(64, GFP_ATOMIC);
	spin_unlock(&lock);
	KT_ASSERT(p != NULL);
	kfree(p);
	KT_EQ(ukmem_report_count(), before);
}

/* slabinfo counts the hot object as free; shrink and destroy give it back. */
static void test_counts(void)
{
	struct kmem_cache *c = kmem_cache_create("hotcount", 72, 0, 0, NULL);
	unsigned long before = ukmem_report_count();
	void *p = kmem_cache_alloc(c, GFP_KERNEL), *q = kmem_cache_alloc(c, GFP_KERNEL);

	KT_EQ(kt_slabinfo("hotcount", 0), 2);
	kmem_cache_free(c, p);
	KT_EQ(kt_slabinfo("hotcount", 0), 1);
	kmem_cache_free(c, q);
	KT_EQ(kt_slabinfo("hotcount", 0), 0);
	kmem_cache_shrink(c);
	KT_EQ(kt_slabinfo("hotcount", 0), 0);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, p);		/* hot again */
	kmem_cache_destroy(c);
	KT_EQ(ukmem_report_count(), before);	/* no "still has objects" */
	KT_EQ(kt_slabinfo("hotcount", 0), -1);
}

static pthread_barrier_t bar;

static void *hot_holder(void *arg)
{
	struct kmem_cache *c = arg;

	kmem_cache_free(c, kmem_cache_alloc(c, GFP_KERNEL));	/* only in the hot object */
	pthread_barrier_wait(&bar);	/* main checks and destroys */
	pthread_barrier_wait(&bar);
	return NULL;			/* exit gives the hot object back: the zombie goes */
}

/* Another thread's hot object: counted, and a destroyed cache waits for it. */
static void test_other_thread(void)
{
	for (int round = 0; round < 2; round++) {
		struct kmem_cache *c = kmem_cache_create("hotzombie", 40, 0, 0, NULL);
		unsigned long before = ukmem_report_count();
		pthread_t t;

		pthread_barrier_init(&bar, NULL, 2);
		pthread_create(&t, NULL, hot_holder, c);
		pthread_barrier_wait(&bar);
		KT_EQ(kt_slabinfo("hotzombie", 0), 0);
		kmem_cache_destroy(c);
		KT_EQ(ukmem_report_count(), before);
		pthread_barrier_wait(&bar);
		pthread_join(t, NULL);
		pthread_barrier_destroy(&bar);
		c = kmem_cache_create("hotafter", 40, 0, 0, NULL);
		kmem_cache_free(c, kmem_cache_alloc(c, GFP_KERNEL));
		KT_EQ(kt_slabinfo("hotafter", 0), 0);
		kmem_cache_destroy(c);
		KT_EQ(ukmem_report_count(), before);
	}
}

static struct kmem_cache *fork_cache;

static void *fork_holder(void *arg)
{
	kmem_cache_free(fork_cache, kmem_cache_alloc(fork_cache, GFP_KERNEL));
	pthread_barrier_wait(&bar);	/* main forks */
	pthread_barrier_wait(&bar);
	return NULL;
}

static void fork_child(void *arg)
{
	unsigned long before = ukmem_report_count();

	if (kt_slabinfo("hotfork", 0) != 0)
		fprintf(stderr, "wrong count\n");
	kmem_cache_destroy(fork_cache);	/* the other thread's hot object came back */
	if (ukmem_report_count() != before)
		fprintf(stderr, "reported\n");
	fprintf(stderr, "child done\n");
}

/* In a fork child the other threads are gone: their hot objects go back to the slabs. */
static void test_fork(void)
{
	pthread_t t;
	char *out;
	int status;

	fork_cache = kmem_cache_create("hotfork", 56, 0, 0, NULL);
	pthread_barrier_init(&bar, NULL, 2);
	pthread_create(&t, NULL, fork_holder, NULL);
	pthread_barrier_wait(&bar);
	status = kt_run_child(fork_child, NULL, &out);
	pthread_barrier_wait(&bar);
	pthread_join(t, NULL);
	pthread_barrier_destroy(&bar);
	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	KT_CONTAINS(out, "child done");
	KT_NOT_CONTAINS(out, "wrong count");
	KT_NOT_CONTAINS(out, "reported");
	KT_NOT_CONTAINS(out, "BUG");
	free(out);
	kmem_cache_destroy(fork_cache);
}

/* The free fast path's object-start test (one multiply and a compare, slab.h): for caches
 * of many strides, an address inside an object (any offset a multiple of 8 but 0) or in the
 * slab's tail past its last object is refused with a report, and the object's own start is
 * taken.  The stride and the slab's size come from slabinfo. */
static void *bad_ptr;
static struct kmem_cache *bad_cache;
static void free_bad(void)
{
	kmem_cache_free(bad_cache, bad_ptr);
	NO_TAIL();
}

static void test_object_starts(void)
{
	static const unsigned int sizes[] = { 8, 24, 40, 72, 104, 200, 1000, 3000, 5000, 70000, 1048584 };

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		char name[32], *info, *l;
		long objsize = 0, per_slab = 0, pages = 0;
		unsigned long slab_bytes, start;
		char *o;

		snprintf(name, sizeof(name), "starts-%u", sizes[i]);
		bad_cache = kmem_cache_create(name, sizes[i], 8, 0, NULL);
		KT_ASSERT(bad_cache != NULL);
		o = kmem_cache_alloc(bad_cache, GFP_KERNEL);
		KT_ASSERT(o != NULL);
		info = kt_show("slabinfo");
		l = strstr(info, name);
		KT_ASSERT(l != NULL);
		KT_EQ(sscanf(l + strlen(name), " %*d %*d %ld %ld %ld", &objsize, &per_slab, &pages), 3);
		free(info);
		slab_bytes = pages * PAGE_SIZE;
		start = (unsigned long)o & ~(slab_bytes - 1);
		KT_EQ(((unsigned long)o - start) % objsize, 0);
		for (long off = 8; off < objsize; off += objsize > 64 ? objsize / 7 & ~7L : 8) {
			bad_ptr = o + off;
			expect_one_report(free_bad, "BUG: KASAN: invalid-free", NULL);
		}
		bad_ptr = o + objsize - 8;
		if (objsize > 8)
			expect_one_report(free_bad, "BUG: KASAN: invalid-free", NULL);
		if ((unsigned long)(per_slab * objsize) < slab_bytes) {	/* the tail */
			bad_ptr = (char *)start + per_slab * objsize;
			expect_one_report(free_bad, "BUG: KASAN: invalid-free", NULL);
		}
		{
			unsigned long before = ukmem_report_count();

			kmem_cache_free(bad_cache, o);
			KT_EQ(ukmem_report_count(), before);
		}
		kmem_cache_destroy(bad_cache);
	}
}

int main(void)
{
	KT_EQ(ukmem_init(getenv("UKMEM_CMDLINE") ? getenv("UKMEM_CMDLINE") : ""), 0);	/* ukmem.annotate=0 under ASan */
	test_classes();
	test_double_free_behind_hot();
	test_double_free_hot();
	test_double_free_both();
	test_null_cache();
	test_zero();
	test_atomic();
	test_counts();
	test_other_thread();
	test_fork();
	test_object_starts();
	printf("test_fastpath: ok\n");
	return 0;
}

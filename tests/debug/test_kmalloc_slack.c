/* SPDX-License-Identifier: MIT */
/*
 * kmalloc's slack: kmalloc(100) hands out a kmalloc-128 object, and 6.1's KASAN reports an
 * access to bytes 100..127.  With kasan=on a write there is found when the object is freed
 * ("slab-out-of-bounds", the bytes restored); krealloc in place moves the slack's start to
 * the new size (grown: the bytes up to it are the caller's; shrunk: what is past it is slack
 * again); after ksize the whole object is the caller's, as 6.1's ksize unpoisons it; a cache
 * object has no slack; kfree_sensitive clears it with no report (6.1's calls ksize first).
 * And kzalloc zeroes the whole object on the fast path, as 6.1's
 * post-allocation hook zeroes object_size.  A zeroed object's slack, handed over by krealloc
 * (in place or moving) or ksize, reads zero, small or large (kasan_zeroed_child).
 */
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

static noinline void write_at(char *p, size_t i)
{
	((volatile char *)p)[i] = 1;
}

/* A kfree whose report (if any) is returned, and the count of reports it made. */
static char *free_captured(void *p, int *reports)
{
	int before = ukmem_report_count();
	char *out;

	kt_capture_begin();
	kfree(p);
	out = kt_capture_end();
	*reports = ukmem_report_count() - before;
	return out;
}

static void expect_free(void *p, int reports, const char *where)
{
	int n;
	char *out = free_captured(p, &n);

	KT_EQ(n, reports);
	if (reports) {
		KT_CONTAINS(out, "BUG: KASAN: slab-out-of-bounds in ");
		KT_CONTAINS(out, where);
		KT_CONTAINS(out, "which belongs to the cache kmalloc-128 of size 128");
	}
	free(out);
}

static void kasan_child(void *arg)
{
	struct kmem_cache *c;
	unsigned long reports;
	char *p;

	KT_EQ(ukmem_init("ukmem.annotate=0 kasan=on"), 0);
	p = kmalloc(100, GFP_KERNEL);
	write_at(p, 99);
	expect_free(p, 0, "");
	p = kmalloc(100, GFP_KERNEL);
	write_at(p, 100);
	expect_free(p, 1, "The buggy address is located 100 bytes inside of\n 128-byte region");

	p = kzalloc(100, GFP_KERNEL);
	KT_ASSERT(krealloc(p, 120, GFP_KERNEL) == p);	/* in place: ksize is 128 */
	write_at(p, 119);
	expect_free(p, 0, "");
	p = kzalloc(100, GFP_KERNEL);
	KT_ASSERT(krealloc(p, 120, GFP_KERNEL) == p);
	write_at(p, 121);
	expect_free(p, 1, "located 121 bytes inside of");
	p = kmalloc(120, GFP_KERNEL);
	KT_ASSERT(krealloc(p, 50, GFP_KERNEL) == p);	/* shrunk in place */
	write_at(p, 60);
	expect_free(p, 1, "located 60 bytes inside of");

	p = kmalloc(100, GFP_KERNEL);
	KT_EQ(ksize(p), 128);
	write_at(p, 127);
	expect_free(p, 0, "");

	p = kmalloc(100, GFP_KERNEL);		/* kfree_sensitive clears the slack too, as 6.1's */
	reports = ukmem_report_count();
	kfree_sensitive(p);
	KT_EQ(ukmem_report_count(), reports);

	c = kmem_cache_create("slack_c", 100, 0, 0, NULL);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	write_at(p, 99);
	kmem_cache_free(c, p);
	kmem_cache_destroy(c);
	exit(ukmem_exit() == 3 ? 0 : 1);
}

/* The first byte of p[from, to) that is not zero (its index), or -1. */
static long nonzero(const unsigned char *p, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (p[i])
			return (long)i;
	return -1;
}

/* kasan=on: a zeroed object whose slack is handed over (krealloc growing it in place or
 * moving it, ksize) reads zero there, as 6.1's KASAN leaves it: the pattern kasan=on keeps
 * in the slack stands for 6.1's shadow memory and never reaches the caller. */
static void kasan_zeroed_child(void *arg)
{
	static const size_t sizes[][3] = { { 100, 120, 300 }, { 10000, 12000, 20000 } };
	unsigned char *p;
	size_t ks;

	KT_EQ(ukmem_init((const char *)arg), 0);
	for (int i = 0; i < 2; i++) {
		size_t size = sizes[i][0], grown = sizes[i][1], moved = sizes[i][2];

		p = kzalloc(size, GFP_KERNEL);
		KT_ASSERT(krealloc(p, grown, GFP_KERNEL | __GFP_ZERO) == p);	/* in place */
		KT_EQ(nonzero(p, 0, grown), -1);
		kfree(p);
		p = kzalloc(size, GFP_KERNEL);
		ks = ksize(p);
		KT_ASSERT(ks > size);
		KT_EQ(nonzero(p, 0, ks), -1);
		kfree(p);
		p = kzalloc(size, GFP_KERNEL);
		p = krealloc(p, moved, GFP_KERNEL | __GFP_ZERO);		/* moved */
		KT_ASSERT(p);
		KT_EQ(nonzero(p, 0, moved), -1);
		kfree(p);
	}
	p = kcalloc(3, 3, GFP_KERNEL);
	p = krealloc_array(p, 20, 3, GFP_KERNEL | __GFP_ZERO);
	KT_ASSERT(p);
	KT_EQ(nonzero(p, 0, 60), -1);
	kfree(p);
	exit(ukmem_exit());
}

static void kzalloc_child(void *arg)
{
	unsigned char *p, *q;

	KT_EQ(ukmem_init((const char *)arg), 0);
	p = kmalloc(128, GFP_KERNEL);
	memset(p, 0xaa, 128);
	kfree(p);
	q = kzalloc(100, GFP_KERNEL);		/* the same object, from the fast path */
	KT_ASSERT(q == p);
	for (int i = 0; i < 128; i++)
		KT_EQ(q[i], 0);
	kfree(q);
	p = kmem_cache_zalloc(kmalloc_caches[KMALLOC_NORMAL][7], GFP_KERNEL);
	for (int i = 0; i < 128; i++)
		KT_EQ(p[i], 0);
	kfree(p);
	exit(ukmem_exit());
}

int main(void)
{
	free(kt_child_output(kasan_child, NULL));
	free(kt_child_output(kasan_zeroed_child, "ukmem.annotate=0 kasan=on"));
	free(kt_child_output(kasan_zeroed_child, "ukmem.annotate=0 kasan=on slub_debug=FZPU"));
	free(kt_child_output(kzalloc_child, "ukmem.annotate=0"));
	return 0;
}

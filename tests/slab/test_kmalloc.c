/* SPDX-License-Identifier: MIT */
/*
 * kmalloc semantics: size classes and ksize, ZERO_SIZE_PTR, NULL on overflow, krealloc,
 * alignment, physical contiguity, large kmalloc, GFP_DMA, zeroing, the string helpers,
 * and the might_sleep check for GFP_KERNEL in atomic context.
 */
#include <stdint.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <ukmem.h>
#include "ktest.h"

static const size_t classes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192 };

static size_t expected_class(size_t size)
{
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (size <= classes[i])
			return classes[i];
	return 0;
}

static void test_zero_and_null(void)
{
	void *p = kmalloc(0, GFP_KERNEL);
	size_t n = 0;

	KT_ASSERT(p == ZERO_SIZE_PTR);
	KT_ASSERT(kmalloc(n, GFP_KERNEL) == ZERO_SIZE_PTR);	/* the non-constant path */
	KT_ASSERT(kzalloc(n, GFP_KERNEL) == ZERO_SIZE_PTR);
	KT_EQ(ksize(ZERO_SIZE_PTR), 0);
	KT_EQ(ksize(NULL), 0);
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	kfree_sensitive(NULL);
	kfree_sensitive(ZERO_SIZE_PTR);
}

static void test_overflow(void)
{
	volatile size_t big = SIZE_MAX / 2 + 2;

	KT_ASSERT(kcalloc(big, 2, GFP_KERNEL) == NULL);
	KT_ASSERT(kmalloc_array(2, big, GFP_KERNEL) == NULL);
	KT_ASSERT(kmalloc_array_node(big, 4, GFP_KERNEL, NUMA_NO_NODE) == NULL);
	KT_ASSERT(kcalloc_node(big, 4, GFP_KERNEL, NUMA_NO_NODE) == NULL);
	KT_ASSERT(krealloc_array(NULL, big, 3, GFP_KERNEL) == NULL);
	KT_EQ(ukmem_report_count(), 0);			/* overflow is not a bug report */
}

static void test_classes_and_alignment(void)
{
	for (size_t size = 1; size <= 8192; size += (size < 300 ? 1 : 37)) {
		unsigned char *p = kmalloc(size, GFP_KERNEL);
		size_t cls = expected_class(size);

		KT_ASSERT(p);
		KT_EQ(ksize(p), cls);
		KT_EQ((uintptr_t)p % ARCH_KMALLOC_MINALIGN, 0);
		if ((cls & (cls - 1)) == 0)			/* power of two: natural alignment */
			KT_EQ((uintptr_t)p % cls, 0);
		memset(p, 0xa5, cls);				/* the whole class is usable */
		KT_EQ(kmalloc_size_roundup(size), cls);
		kfree(p);
	}
	KT_EQ(kmalloc_size_roundup(0), 0);
	KT_EQ(kmalloc_size_roundup(8193), 16384);
	KT_EQ(kmalloc_size_roundup(KMALLOC_MAX_SIZE + 1), 2 * KMALLOC_MAX_SIZE);	/* as 6.1 */
	KT_EQ(kmalloc_size_roundup(SIZE_MAX / 2), SIZE_MAX / 2 + 1);
	KT_EQ(kmalloc_size_roundup(SIZE_MAX), SIZE_MAX);
	{	/* a zone modifier kmalloc cannot honour: 6.1's kmalloc_fix_flags warning */
		char *out, *p;

		kt_capture_begin();
		p = kmalloc(20000, GFP_KERNEL | __GFP_HIGHMEM);
		out = kt_capture_end();
		KT_ASSERT(p);
		KT_CONTAINS(out, "Unexpected gfp: 0x2 (__GFP_HIGHMEM). Fixing up to gfp: 0xcc0 (GFP_KERNEL). Fix your code!");
		kfree(p);
		free(out);
	}
}

static void test_contiguity(void)
{
	static const size_t sizes[] = { 8192, 65536 };

	for (int i = 0; i < 2; i++) {
		char *p = kmalloc(sizes[i], GFP_KERNEL);

		KT_ASSERT(p);
		for (size_t off = 0; off < sizes[i]; off += 512)
			KT_EQ(virt_to_phys(p + off), virt_to_phys(p) + off);
		KT_EQ(virt_to_phys(p + sizes[i] - 1), virt_to_phys(p) + sizes[i] - 1);
		memset(p, 1, sizes[i]);
		kfree(p);
	}
}

static void test_large(void)
{
	char *p = kmalloc(100000, GFP_KERNEL);
	char *q;

	KT_ASSERT(p);
	KT_EQ((uintptr_t)p % PAGE_SIZE, 0);
	KT_EQ(ksize(p), 131072);
	memset(p, 7, 100000);
	q = kmalloc(KMALLOC_MAX_SIZE, GFP_KERNEL);
	KT_ASSERT(q);
	KT_EQ(ksize(q), KMALLOC_MAX_SIZE);
	kfree(q);
	kfree(p);
	/* Above KMALLOC_MAX_SIZE: NULL (quietly with __GFP_NOWARN). */
	KT_ASSERT(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN) == NULL);
	p = kzalloc(3 * PAGE_SIZE, GFP_KERNEL);
	for (int i = 0; i < 3 * 4096; i++)
		KT_EQ(p[i], 0);
	kfree(p);
}

static void test_dma(void)
{
	for (int i = 0; i < 50; i++) {
		void *p = kmalloc(64 + i * 40, GFP_KERNEL | GFP_DMA);

		KT_ASSERT(p);
		KT_ASSERT(virt_to_phys(p) < 16UL << 20);
		kfree(p);
	}
}

static void test_krealloc(void)
{
	char *p = kmalloc(40, GFP_KERNEL), *q;

	for (int i = 0; i < 40; i++)
		p[i] = (char)i;
	q = krealloc(p, 60, GFP_KERNEL);		/* same class (64): in place */
	KT_ASSERT(q == p);
	q = krealloc(p, 10, GFP_KERNEL);		/* shrink: in place */
	KT_ASSERT(q == p);
	q = krealloc(p, 1000, GFP_KERNEL);		/* grows: moves, keeps content */
	KT_ASSERT(q && q != p);
	for (int i = 0; i < 40; i++)
		KT_EQ(q[i], i);
	KT_EQ(ksize(q), 1024);
	p = krealloc(q, 20000, GFP_KERNEL);		/* into a large kmalloc */
	for (int i = 0; i < 40; i++)
		KT_EQ(p[i], i);
	q = krealloc(p, 0, GFP_KERNEL);			/* frees */
	KT_ASSERT(q == ZERO_SIZE_PTR);
	p = krealloc(NULL, 33, GFP_KERNEL);		/* like kmalloc */
	KT_EQ(ksize(p), 64);
	q = krealloc(ZERO_SIZE_PTR, 5, GFP_KERNEL);
	KT_EQ(ksize(q), 8);
	q = krealloc_array(q, 4, 50, GFP_KERNEL);
	KT_EQ(ksize(q), 256);
	kfree(q);
	kfree(p);
}

static void test_zeroing(void)
{
	for (int round = 0; round < 3; round++) {
		unsigned char *p = kmalloc(256, GFP_KERNEL);

		memset(p, 0xff, 256);
		kfree(p);
		p = kzalloc(200, GFP_KERNEL);
		for (int i = 0; i < 200; i++)
			KT_EQ(p[i], 0);
		kfree(p);
		p = kcalloc(25, 8, GFP_KERNEL);
		for (int i = 0; i < 200; i++)
			KT_EQ(p[i], 0);
		kfree(p);
	}
}

static void test_strings(void)
{
	static const char lit[] = "a literal";
	char buf[] = "on the stack";
	char *s = kstrdup(buf, GFP_KERNEL);
	const char *c;

	KT_ASSERT(s && s != buf && !strcmp(s, buf));
	KT_EQ(ksize(s), 16);
	kfree(s);
	KT_ASSERT(kstrdup(NULL, GFP_KERNEL) == NULL);
	s = kstrndup("abcdef", 3, GFP_KERNEL);
	KT_ASSERT(!strcmp(s, "abc"));
	kfree(s);
	s = kmemdup_nul("xyzzy", 2, GFP_KERNEL);
	KT_ASSERT(!strcmp(s, "xy"));
	kfree(s);
	s = kmemdup(buf, sizeof(buf), GFP_KERNEL);
	KT_ASSERT(!memcmp(s, buf, sizeof(buf)));
	kfree(s);
	s = kasprintf(GFP_KERNEL, "%s-%d-%05x", "dev", 42, 0xbeef);
	KT_ASSERT(!strcmp(s, "dev-42-0beef"));
	kfree(s);
	c = kstrdup_const(lit, GFP_KERNEL);		/* read-only data: not copied */
	KT_ASSERT(c == lit);
	kfree_const(c);
	c = kstrdup_const(buf, GFP_KERNEL);		/* writable: copied */
	KT_ASSERT(c != buf && !strcmp(c, buf));
	kfree_const(c);
	KT_ASSERT(memchr_inv("aaab", 'a', 4) != NULL);
	KT_ASSERT(memchr_inv("aaaa", 'a', 4) == NULL);
}

static void test_sensitive(void)
{
	unsigned char *p = kmalloc(64, GFP_KERNEL);

	memset(p, 0x77, 64);
	kfree_sensitive(p);
	/* The object is free (in this thread's array, untouched since): its bytes are gone. */
	for (int i = 0; i < 64; i++)
		KT_EQ(p[i], 0);
}

static void atomic_child(void *arg)
{
	static DEFINE_SPINLOCK(lock);
	void *p;

	spin_lock(&lock);
	p = kmalloc(32, GFP_ATOMIC);		/* fine */
	kfree(p);
	p = kmalloc(32, GFP_KERNEL);		/* may sleep: reported */
	kfree(p);
	spin_unlock(&lock);
}

static void test_atomic_context(void)
{
	char *out;
	int status = kt_run_child(atomic_child, NULL, &out);

	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	KT_CONTAINS(out, "BUG: sleeping function called from invalid context at");
	KT_EQ(strstr(strstr(out, "BUG: sleeping") + 1, "BUG: sleeping") == NULL, 1);
	free(out);
}

int main(void)
{
	KT_EQ(ukmem_init(getenv("UKMEM_CMDLINE") ? getenv("UKMEM_CMDLINE") : ""), 0);	/* ukmem.annotate=0 under ASan */
	test_zero_and_null();
	test_overflow();
	test_classes_and_alignment();
	test_contiguity();
	test_large();
	test_dma();
	test_krealloc();
	test_zeroing();
	test_strings();
	test_sensitive();
	test_atomic_context();
	KT_EQ(ukmem_report_count(), 0);
	printf("test_kmalloc: ok\n");
	return 0;
}

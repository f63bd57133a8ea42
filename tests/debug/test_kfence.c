/* SPDX-License-Identifier: MIT */
/*
 * kfence.sample_interval=1 (every allocation is a KFENCE object): what krealloc, ksize,
 * kfree_sensitive, kfree and kmem_cache_free do with KFENCE objects, live and freed.
 *  - ksize and krealloc of a freed object: KFENCE's use-after-free read, and they fail (0,
 *    NULL), as after 6.1's kasan_check_byte; nothing is copied, nothing handed out, and no
 *    second report (they returned 0 and copied nothing without a word, then krealloc's kfree
 *    reported an invalid free);
 *  - krealloc of a live object: in place when it shrinks, moved with its contents when it
 *    grows (the old object freed), no report; kfree_sensitive clears it;
 *  - kfree twice, or of an interior pointer: KFENCE's invalid free, the object untouched;
 *  - kmem_cache_free to the wrong cache: the cache_from_obj warning, then the object is
 *    freed (into its own cache, as 6.1's kmem_cache_free does), so a second free is KFENCE's
 *    invalid free (the free was ignored: the object leaked);
 *  - GFP_DMA requests and DMA/DMA32 caches are not sampled (the pool is in no particular
 *    zone: a GFP_DMA kmalloc was served from it, far above ZONE_DMA);
 *  - kmem_cache_destroy with a live KFENCE object: "Objects remaining", the cache kept (it
 *    was destroyed under the object, whose reports then read the freed cache);
 *  - kmem_cache_free with a NULL cache: the cache_from_obj warning, then the object is freed
 *    (it was ignored);
 *  - the allocation and free stacks start at the code that called the API (they left out
 *    its first frame), and an invalid free's stack too, without a "Call Trace:" block;
 *  - kmem_dump_obj of a KFENCE object: 6.1's "(kfence)" line with the stacks (it said the
 *    address was not slab memory).
 */
#include <linux/slab.h>
#include <asm/io.h>
#include <ukmem.h>
#include "ktest.h"


static long kfence_count(const char *what)
{
	char *out = kt_show("kfence"), *l = strstr(out, what);
	long v = l ? strtol(l + strlen(what), NULL, 10) : -1;

	free(out);
	return v;
}

static __attribute__((__noinline__)) void freed_object(void)
{
	char *p = kmalloc(64, GFP_KERNEL), *out;
	long reports = ukmem_report_count();

	KT_ASSERT(p);
	kfree(p);
	kt_capture_begin();
	KT_EQ(ksize(p), 0);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KFENCE: use-after-free read in freed_object+");
	KT_CONTAINS(out, "Use-after-free read at 0x");
	KT_CONTAINS(out, "freed by task");
	free(out);
	KT_EQ(ukmem_report_count(), reports + 1);

	for (size_t size = 16; size <= 128; size += 112) {	/* shrinking, then growing */
		kt_capture_begin();
		KT_ASSERT(krealloc(p, size, GFP_KERNEL) == NULL);
		out = kt_capture_end();
		KT_CONTAINS(out, "BUG: KFENCE: use-after-free read in freed_object+");
		KT_NOT_CONTAINS(out, "invalid free");
		KT_EQ(kt_count(out, "BUG:"), 1);
		free(out);
	}
	KT_EQ(ukmem_report_count(), reports + 3);

	kt_capture_begin();
	kfree_sensitive(p);		/* its ksize reports (as 6.1's, naming kfree_sensitive); */
	out = kt_capture_end();		/* its kfree is the invalid free */
	/* (gcc names kfree_sensitive; clang's build, which makes kfree_sensitive's ksize a
	 * tail call, names its caller) */
	KT_CONTAINS(out, "BUG: KFENCE: use-after-free read in ");
	KT_CONTAINS(out, "BUG: KFENCE: invalid free in freed_object+");
	KT_EQ(kt_count(out, "BUG: KFENCE: "), 2);
	free(out);
	KT_EQ(ukmem_report_count(), reports + 5);
}

static __attribute__((__noinline__)) void live_object(void)
{
	long frees = kfence_count("total frees: ");
	char *p = kmalloc(100, GFP_KERNEL), *q;

	KT_ASSERT(p);
	KT_EQ(ksize(p), 100);			/* the size asked for, as 6.1's kfence_ksize */
	for (int i = 0; i < 100; i++)
		p[i] = (char)i;
	KT_ASSERT(krealloc(p, 60, GFP_KERNEL) == p);	/* shrinks in place */
	q = krealloc(p, 300, GFP_KERNEL);		/* grows: moves */
	KT_ASSERT(q && q != p);
	KT_EQ(kfence_count("total frees: "), frees + 1);	/* the old object went back */
	for (int i = 0; i < 60; i++)
		KT_EQ(q[i], (char)i);
	memset(q + 60, 7, 240);
	kfree_sensitive(q);
	KT_EQ(kfence_count("total frees: "), frees + 2);
	KT_EQ(ukmem_report_count(), 0);
}

static __attribute__((__noinline__)) void bad_frees(void)
{
	struct kmem_cache *a = kmem_cache_create("kf_a", 48, 0, 0, NULL);
	struct kmem_cache *b = kmem_cache_create("kf_b", 48, 0, 0, NULL);
	long frees = kfence_count("total frees: ");
	char *p = kmem_cache_alloc(a, GFP_KERNEL), *out;

	KT_ASSERT(p);
	p[0] = 1;
	kt_capture_begin();
	kmem_cache_free(b, p);
	out = kt_capture_end();
	KT_CONTAINS(out, "cache_from_obj: Wrong slab cache. kf_b but object is from kf_a");
	free(out);
	KT_EQ(kfence_count("total frees: "), ++frees);	/* freed, into kf_a */
	KT_EQ(ukmem_report_count(), 1);
	kt_capture_begin();
	kmem_cache_free(a, p);			/* so this is a double free */
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KFENCE: invalid free in bad_frees+");
	free(out);
	KT_EQ(kfence_count("total frees: "), frees);
	KT_EQ(ukmem_report_count(), 2);
	p = kmem_cache_alloc(a, GFP_KERNEL);	/* a live one for the checks below */
	KT_ASSERT(p);

	kt_capture_begin();
	kfree(p + 8);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KFENCE: invalid free in bad_frees+");
	free(out);
	KT_EQ(kfence_count("total frees: "), frees);
	kt_capture_begin();
	KT_EQ(ksize(p + 8), 0);
	KT_ASSERT(krealloc(p + 8, 200, GFP_KERNEL) == NULL);
	out = kt_capture_end();
	KT_EQ(kt_count(out, "is not the start of a live KFENCE object"), 2);
	free(out);
	KT_EQ(ukmem_report_count(), 5);

	p[47] = 2;				/* still the caller's */
	kmem_cache_free(a, p);
	KT_EQ(kfence_count("total frees: "), frees + 1);
	kt_capture_begin();
	kfree(p);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KFENCE: invalid free in bad_frees+");
	free(out);
	KT_EQ(ukmem_report_count(), 6);

	/* destroy under a live object: reported, the cache kept until the object is back */
	p = kmem_cache_alloc(b, GFP_KERNEL);
	kt_capture_begin();
	kmem_cache_destroy(b);
	out = kt_capture_end();
	KT_CONTAINS(out, "Objects remaining in kf_b on __kmem_cache_shutdown()");
	KT_CONTAINS(out, "(kfence-#");
	free(out);
	KT_EQ(ukmem_report_count(), 8);		/* the BUG and its WARN, as for slab objects */
	kmem_cache_free(b, p);
	kt_capture_begin();
	kmem_cache_destroy(b);
	kmem_cache_destroy(a);
	kfree(p);				/* the cache is gone: its name is not read */
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KFENCE: invalid free in bad_frees+");
	KT_CONTAINS(out, "cache=<destroyed>");
	KT_NOT_CONTAINS(out, "Objects remaining");
	free(out);
	KT_EQ(ukmem_report_count(), 9);
}

/* DMA and DMA32 requests and caches are not sampled: the pool lies in no particular zone
 * (a GFP_DMA kmalloc came from it, far above ZONE_DMA). */
static __attribute__((__noinline__)) void dma_zones(void)
{
	struct kmem_cache *c = kmem_cache_create("kf_dma32", 64, 0, SLAB_CACHE_DMA32, NULL);
	long allocs = kfence_count("total allocations: ");
	char *p = kmalloc(64, GFP_KERNEL | GFP_DMA), *q = kmem_cache_alloc(c, GFP_KERNEL);

	KT_ASSERT(p && q);
	KT_ASSERT(virt_to_phys(p) < (16UL << 20));		/* ZONE_DMA */
	KT_ASSERT(virt_to_phys(q) < (4UL << 30));		/* ZONE_DMA32 */
	KT_EQ(kfence_count("total allocations: "), allocs);
	kfree(p);
	kmem_cache_free(c, q);
	kmem_cache_destroy(c);
	p = kmalloc(64, GFP_KERNEL);				/* the next one is sampled */
	KT_EQ(kfence_count("total allocations: "), allocs + 1);
	kfree(p);
}

/* kmemleak's scan sees KFENCE objects: an unreferenced one is reported, one referenced only
 * from another KFENCE object is not.  (KFENCE's metadata, which holds every live object's
 * address, was scanned as a root, so no KFENCE object was ever reported by a scan.) */
static unsigned long hidden;		/* an object's address, disguised */
static void **kept;

static __attribute__((__noinline__)) void make_objects(void)
{
	kept = kmalloc(64, GFP_KERNEL);
	kept[0] = kmalloc(48, GFP_KERNEL);
	hidden = ~(unsigned long)kmalloc(40, GFP_KERNEL);
}

static __attribute__((__noinline__)) void leak_scan(void)
{
	char *out, addr[32], kept_addr[32], inner_addr[32];
	long reports = ukmem_report_count();

	make_objects();
	kt_scrub_stack();
	snprintf(addr, sizeof(addr), "object 0x%lx (size 64):", ~hidden);	/* kmalloc-64's */
	snprintf(kept_addr, sizeof(kept_addr), "object 0x%lx ", (unsigned long)kept);
	snprintf(inner_addr, sizeof(inner_addr), "object 0x%lx ", (unsigned long)kept[0]);
	out = kt_show("kmemleak");
	/* Under AddressSanitizer its fake stacks keep stale copies of the pointer, which the
	 * conservative scan counts (as test_kmemleak notes): the object may look referenced. */
	if (!KT_UNDER_ASAN) {
		KT_CONTAINS(out, addr);
		KT_EQ(kt_count(out, "unreferenced object"), 1);
	}
	KT_NOT_CONTAINS(out, kept_addr);		/* referenced from a global */
	KT_NOT_CONTAINS(out, inner_addr);		/* from another KFENCE object */
	free(out);
	kfree((void *)~hidden);
	kfree(kept[0]);
	kfree(kept);
	KT_EQ(ukmem_report_count(), reports);
}

static __attribute__((__noinline__)) void *alloc_here(struct kmem_cache *c)
{
	void *p = kmem_cache_alloc(c, GFP_KERNEL);

	__asm__ volatile("" ::: "memory");	/* a frame of its own: no tail call */
	return p;
}

static __attribute__((__noinline__)) void free_here(struct kmem_cache *c, void *p)
{
	kmem_cache_free(c, p);
	__asm__ volatile("" ::: "memory");
}

static __attribute__((__noinline__)) void stacks_and_dump(void)
{
	struct kmem_cache *c = kmem_cache_create("kf_c", 48, 0, 0, NULL);
	long frees = kfence_count("total frees: "), reports = ukmem_report_count();
	char *p = alloc_here(c), *out;

	KT_ASSERT(p);
	kt_capture_begin();
	kmem_cache_free(NULL, p);
	out = kt_capture_end();
	KT_CONTAINS(out, "cache_from_obj: Wrong slab cache. (null) but object is from kf_c");
	free(out);
	KT_EQ(kfence_count("total frees: "), ++frees);	/* freed, as by kfree */
	KT_EQ(ukmem_report_count(), reports + 1);
	p = alloc_here(c);			/* a live one for the checks below */
	KT_ASSERT(p);

	kt_capture_begin();
	KT_ASSERT(kmem_dump_obj(p + 5));
	out = kt_capture_end();
	KT_CONTAINS(out, " slab kf_c (kfence) start ");
	KT_CONTAINS(out, " pointer offset 5 size 48 allocated at alloc_here+");
	KT_CONTAINS(out, "\n    alloc_here+");
	KT_CONTAINS(out, "\n    stacks_and_dump+");
	KT_NOT_CONTAINS(out, "Free path");
	free(out);

	free_here(c, p);
	KT_EQ(kfence_count("total frees: "), frees + 1);
	kt_capture_begin();
	KT_ASSERT(kmem_dump_obj(p));
	out = kt_capture_end();
	KT_CONTAINS(out, " Free path:\n    free_here+");
	free(out);

	kt_capture_begin();
	kfree(p);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KFENCE: invalid free in stacks_and_dump+");
	KT_CONTAINS(out, "(in kfence-#");
	KT_CONTAINS(out, "):\n stacks_and_dump+");	/* the stack from the caller on */
	KT_NOT_CONTAINS(out, "Call Trace:");
	KT_CONTAINS(out, "allocated by task");
	KT_CONTAINS(out, ":\n alloc_here+");		/* both records start at the caller */
	KT_CONTAINS(out, ":\n free_here+");
	free(out);
	KT_EQ(ukmem_report_count(), reports + 2);
	kmem_cache_destroy(c);
}

int main(void)
{
	KT_EQ(ukmem_init("ukmem.annotate=0 kfence.sample_interval=1"), 0);
	live_object();
	dma_zones();
	leak_scan();
	bad_frees();
	freed_object();
	stacks_and_dump();
	KT_EQ(ukmem_exit(), 16);
	printf("test_kfence: ok\n");
	return 0;
}

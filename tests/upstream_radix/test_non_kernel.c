/* SPDX-License-Identifier: MIT */
/*
 * The radix-tree suite's "non-kernel" budget on ukmem (glue.c): with failslab failing every
 * non-sleeping allocation (tests.cmake), a cache's GFP_NOWAIT allocations fail until
 * kmem_cache_set_non_kernel() gives it a budget, then exactly that many succeed; sleeping
 * allocations never use it.  Built as the suite's programs are (glue.h force-included), with
 * an IDR in use so that the glue's exit check (radix_tree_node objects from ukmem, a failed
 * non-sleeping allocation, no leak) holds as for them.
 */
#include <linux/idr.h>
#include <linux/radix-tree.h>

static int check(bool ok, const char *what)
{
	if (!ok)
		fprintf(stderr, "test_non_kernel: %s\n", what);
	return ok ? 0 : 1;
}

int main(void)
{
	struct kmem_cache *c = kmem_cache_create("non_kernel_test", 64, 0, 0, NULL);
	DEFINE_IDR(idr);
	void *a, *b, *d, *k;
	int bad = 0;

	radix_tree_init();			/* as the suite's programs start */
	bad |= check(c != NULL, "kmem_cache_create failed");
	bad |= check(kmem_cache_alloc(c, GFP_NOWAIT) == NULL, "GFP_NOWAIT succeeded without budget");
	kmem_cache_set_non_kernel(c, 2);
	k = kmem_cache_alloc(c, GFP_KERNEL);		/* sleeping: takes no budget */
	a = kmem_cache_alloc(c, GFP_NOWAIT);
	b = kmem_cache_alloc(c, GFP_ATOMIC);
	d = kmem_cache_alloc(c, GFP_NOWAIT);
	bad |= check(k && a && b, "an allocation within the budget failed");
	bad |= check(d == NULL, "a GFP_NOWAIT allocation past the budget succeeded");
	kmem_cache_free(c, k);
	kmem_cache_free(c, a);
	kmem_cache_free(c, b);
	kmem_cache_destroy(c);
	/* radix-tree nodes from ukmem, as the glue's exit check expects of a suite program */
	for (int i = 0; i < 100; i++)
		bad |= check(idr_alloc(&idr, &idr, 0, 0, GFP_KERNEL) == i, "idr_alloc");
	idr_destroy(&idr);
	printf("test_non_kernel: %s\n", bad ? "FAILED" : "ok");
	return bad;
}

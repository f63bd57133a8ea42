/* SPDX-License-Identifier: MIT */
/*
 * ukmem.vmalloc_scatter=1 (set in the environment by the test list): no two neighbouring
 * pages of an area are physically adjacent, so code that wrongly treats vmalloc memory as
 * physically contiguous breaks; content and aliasing still hold.  Scattered pages need one
 * host mapping each, which also exercises the host's vm.max_map_count: an area needing more
 * mappings than the host allows fails with a clear warning and NULL, and loses nothing.
 */
#include <linux/swap.h>
#include "vmtest.h"

/* At the host's mapping limit every mmap in the process fails, the sanitizers' own too:
 * under a sanitizer that part is left out (ThreadSanitizer's failed mmap hung the test). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer) || \
	__has_feature(thread_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif
#ifndef UNDER_SANITIZER
#define UNDER_SANITIZER 0
#endif

static long read_max_map_count(void)
{
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

static void expect_scattered(const char *p, unsigned int n)
{
	for (unsigned int i = 0; i + 1 < n; i++) {
		unsigned long a = vmalloc_to_pfn(p + i * PAGE_SIZE);
		unsigned long b = vmalloc_to_pfn(p + (i + 1) * PAGE_SIZE);

		if (b == a + 1)
			KT_FAIL("%u pages: pages %u and %u are physically adjacent (pfn %lu, %lu)", n,
				i, i + 1, a, b);
	}
}

int main(void)
{
	unsigned int n = 64;
	char *p, *out;
	long max_maps = read_max_map_count();

	/* Small areas too: two and three pages leave the least room to scatter. */
	for (unsigned int small = 2; small <= 9; small++) {
		for (int round = 0; round < 50; round++) {
			p = vmalloc(small * PAGE_SIZE);
			KT_ASSERT(p);
			expect_scattered(p, small);
			vfree(p);
		}
	}
	p = vmalloc(n * PAGE_SIZE);
	KT_ASSERT(p);
	expect_scattered(p, n);
	vt_fill(p, n * PAGE_SIZE, 99);
	KT_ASSERT(vt_check(p, n * PAGE_SIZE, 99));
	for (unsigned int i = 0; i < n; i++)
		KT_EQ(*(uint64_t *)page_address(vmalloc_to_page(p + i * PAGE_SIZE)),
		      *(uint64_t *)(p + i * PAGE_SIZE));
	vfree(p);

	/* More scattered pages than the host allows mappings. */
	if (!UNDER_SANITIZER && max_maps > 0 &&
	    (unsigned long)(max_maps + 1000) < totalram_pages() / 2) {
		unsigned long free_before, pages = max_maps + 1000;
		unsigned long count = ukmem_report_count();

		vm_unmap_aliases();
		drain_local_pages(NULL);
		free_before = nr_free_pages();
		kt_capture_begin();
		p = vmalloc(pages * PAGE_SIZE);
		out = kt_capture_end();
		KT_ASSERT(p == NULL);
		KT_CONTAINS(out, "vmalloc error: size");
		KT_CONTAINS(out, "failed to map pages");
		KT_CONTAINS(out, "vm.max_map_count");
		free(out);
		drain_local_pages(NULL);
		KT_EQ(nr_free_pages(), free_before);		/* every page came back */
		KT_EQ(ukmem_report_count(), count);		/* a warning, not a bug */
		p = vmalloc(16 * PAGE_SIZE);			/* and vmalloc still works */
		KT_ASSERT(p);
		memset(p, 1, 16 * PAGE_SIZE);
		vfree(p);
	} else {
		printf("limit part skipped (sanitizer, or vm.max_map_count %ld too large)\n", max_maps);
	}
	printf("test_vmalloc_scatter: ok\n");
	return 0;
}

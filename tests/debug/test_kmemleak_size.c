/* SPDX-License-Identifier: MIT */
/*
 * The size kmemleak reports, as Linux 6.1's: a slab object's is its cache's object_size
 * (slab_post_alloc_hook's kmemleak_alloc_recursive(p, s->object_size, ...)), so kmalloc(100)
 * reports the 128 of kmalloc-128 and kmalloc(96) the 96 of kmalloc-96, a kmem_cache object
 * the size the cache was created with; a large kmalloc (above 8 KiB) reports the size asked
 * for (kmalloc_large's kmemleak_alloc(ptr, size, ...)), not its page block, and keeps it
 * across a krealloc that stays in the block; alloc_pages reports the block.  The same with
 * every allocation recorded (kmemleak.stacks=on: the second run of this program), and with
 * every small allocation served by KFENCE (kfence.sample_interval=1: the third), whose
 * objects 6.1's kmemleak also knows by their cache's object size, not the size asked for.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

static void *obj[8];
static const unsigned long want[8] = { 128, 96, 100, 512, 10000, 8193, 10000, 16384 };

static void leak_them(void *arg)
{
	struct kmem_cache *kc = kmem_cache_create("odd100", 100, 0, 0, NULL);

	(void)arg;
	obj[0] = kmalloc(100, GFP_KERNEL);
	obj[1] = kmalloc(96, GFP_KERNEL);
	obj[2] = kmem_cache_alloc(kc, GFP_KERNEL);
	obj[3] = kmalloc_array(10, 30, GFP_KERNEL);
	obj[4] = kmalloc(10000, GFP_KERNEL);
	obj[5] = kzalloc(8193, GFP_KERNEL);
	obj[6] = kmalloc(10000, GFP_KERNEL);
	KT_ASSERT(krealloc(obj[6], 12000, GFP_KERNEL) == obj[6]);	/* in place: still 10000 */
	obj[7] = page_address(alloc_pages(GFP_KERNEL, 2));
	for (int i = 0; i < 8; i++) {
		KT_ASSERT(obj[i]);
		fprintf(stderr, "object %d at 0x%08lx\n", i, (unsigned long)obj[i]);
	}
	/* The child's exit status is ukmem_exit's count: every object is a leak. */
	exit(ukmem_exit());
}

int main(void)
{
	char *out, line[128];
	int status = kt_run_child(leak_them, NULL, &out);

	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 8);
	for (int i = 0; i < 8; i++) {
		unsigned long addr;
		char *at;

		snprintf(line, sizeof(line), "object %d at 0x", i);
		at = strstr(out, line);
		KT_ASSERT(at && sscanf(at + strlen(line), "%lx", &addr) == 1);
		snprintf(line, sizeof(line), "unreferenced object 0x%08lx (size %lu):\n", addr, want[i]);
		KT_CONTAINS(out, line);
	}
	free(out);
	printf("ok\n");
	return 0;
}

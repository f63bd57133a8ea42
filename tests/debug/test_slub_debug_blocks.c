/* SPDX-License-Identifier: MIT */
/*
 * slub_debug's empty blocks and globs, as 6.1 parses them: empty blocks (a leading, doubled
 * or trailing ';') are skipped (they were refused at the end of the line, and elsewhere read
 * as a block of no letters, FZPU, for every cache), and a '*' inside a name matches the part
 * before it as a prefix (it matched only as the last character).
 */
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

int main(void)
{
	struct kmem_cache *a, *b;

	KT_EQ(ukmem_init("ukmem.annotate=0 slub_debug=;Z,kmalloc-64;;U,dbg_*x;"), 0);
	a = kmem_cache_create("dbg_a", 20, 0, 0, NULL);
	b = kmem_cache_create("other", 20, 0, 0, NULL);
	KT_ASSERT(a && b);
	KT_EQ(kt_slabinfo("kmalloc-64", 2), 192);		/* Z: 64-byte left red zone */
	KT_EQ(kt_slabinfo("kmalloc-128", 2), 128);		/* no block for it: none */
	KT_EQ(kt_slabinfo("other", 2), 24);
	KT_ASSERT(kt_slabinfo("dbg_a", 2) > 24);		/* U through "dbg_*x" */
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
	KT_EQ(ukmem_exit(), 0);
	printf("test_slub_debug_blocks: ok\n");
	return 0;
}

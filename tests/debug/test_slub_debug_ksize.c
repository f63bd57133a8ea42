/* SPDX-License-Identifier: MIT */
/*
 * ksize() of a debug cache's object, as 6.1's slab_ksize: the object size under red zones
 * or poison (the bytes past it are checked), the object rounded up to a word under the other
 * options (F, U, T: the padding is the caller's; it was the object size).
 */
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

static size_t ksize_of(const char *name)
{
	struct kmem_cache *c = kmem_cache_create(name, 20, 0, 0, NULL);
	void *p = kmem_cache_alloc(c, GFP_KERNEL);
	size_t ks = ksize(p);

	memset(p, 0x11, ks);		/* all of it is the caller's: no report */
	kmem_cache_free(c, p);
	kmem_cache_destroy(c);
	return ks;
}

int main(void)
{
	KT_EQ(ukmem_init("ukmem.annotate=0 slub_debug=F,c_f;U,c_u;T,c_t;Z,c_z;P,c_p;FZPU,c_all"), 0);
	KT_EQ(ksize_of("plain"), 24);
	KT_EQ(ksize_of("c_f"), 24);
	KT_EQ(ksize_of("c_u"), 24);
	KT_EQ(ksize_of("c_t"), 24);
	KT_EQ(ksize_of("c_z"), 20);
	KT_EQ(ksize_of("c_p"), 20);
	KT_EQ(ksize_of("c_all"), 20);
	KT_EQ(ukmem_exit(), 0);
	printf("test_slub_debug_ksize: ok\n");
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * What slub_debug= leaves to a cache's own flags, as 6.1's kmem_cache_flags: a
 * SLAB_NO_USER_FLAGS cache gets no debugging from the command line (only what its flags ask
 * for), and a SLAB_NOLEAKTRACE cache no SLAB_STORE_USER from the global block (a block naming
 * it still gives it).  Both used to get every letter.
 */
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

int main(void)
{
	struct kmem_cache *plain, *fzp, *nouser, *nouser_z, *noleak, *noleak_named;

	KT_EQ(ukmem_init("ukmem.annotate=0 slub_debug=FZPU;FZP,fzp;FZPU,noleak_named"), 0);
	plain = kmem_cache_create("plain", 20, 0, 0, NULL);
	fzp = kmem_cache_create("fzp", 20, 0, 0, NULL);
	nouser = kmem_cache_create("nouser", 20, 0, SLAB_NO_USER_FLAGS, NULL);
	nouser_z = kmem_cache_create("nouser_z", 20, 0, SLAB_NO_USER_FLAGS | SLAB_RED_ZONE, NULL);
	noleak = kmem_cache_create("noleak", 20, 0, SLAB_NOLEAKTRACE, NULL);
	noleak_named = kmem_cache_create("noleak_named", 20, 0, SLAB_NOLEAKTRACE, NULL);
	KT_ASSERT(plain && fzp && nouser && nouser_z && noleak && noleak_named);
	KT_ASSERT(kt_slabinfo("fzp", 2) < kt_slabinfo("plain", 2));	/* no tracks */
	KT_EQ(kt_slabinfo("nouser", 2), 24);				/* no debugging */
	KT_ASSERT(kt_slabinfo("nouser_z", 2) > 24);			/* its own Z */
	KT_ASSERT(kt_slabinfo("nouser_z", 2) < kt_slabinfo("plain", 2));	/* no U */
	KT_EQ(kt_slabinfo("noleak", 2), kt_slabinfo("fzp", 2));		/* FZPU less U */
	KT_EQ(kt_slabinfo("noleak_named", 2), kt_slabinfo("plain", 2));	/* named: FZPU */
	kmem_cache_destroy(plain);
	kmem_cache_destroy(fzp);
	kmem_cache_destroy(nouser);
	kmem_cache_destroy(nouser_z);
	kmem_cache_destroy(noleak);
	kmem_cache_destroy(noleak_named);
	KT_EQ(ukmem_exit(), 0);
	printf("test_slub_debug_cache_flags: ok\n");
	return 0;
}

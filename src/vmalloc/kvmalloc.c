/* SPDX-License-Identifier: MIT */
/*
 * The kv* family: kmalloc when it can, vmalloc when the request is large or kmalloc fails;
 * kvfree frees either (the address says which: is_vmalloc_addr).  Semantics of Linux 6.1's
 * mm/util.c: the kmalloc attempt above a page is made without warnings, retries or NOFAIL;
 * requests of a page or less never fall back; non-blocking requests never fall back (vmalloc
 * may sleep); more than INT_MAX bytes warns (unless __GFP_NOWARN) and fails.
 * No state of its own.
 */
#include <string.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "core/core.h"
#include "vmalloc/vmalloc.h"

/**
 * kvmalloc_node - kmalloc, or vmalloc when that fails or the size is large
 * @size: bytes
 * @flags: GFP flags (GFP_KERNEL-compatible for the vmalloc fallback)
 * @node: ignored (one node)
 *
 * Return: the memory (free it with kvfree), or NULL.
 */
void *kvmalloc_node(size_t size, gfp_t flags, int node)
{
	gfp_t kmalloc_flags = flags;
	void *ret;

	if (size > PAGE_SIZE) {
		kmalloc_flags |= __GFP_NOWARN;
		if (!(kmalloc_flags & __GFP_RETRY_MAYFAIL))
			kmalloc_flags |= __GFP_NORETRY;
		kmalloc_flags &= ~__GFP_NOFAIL;
	}
	ret = kmalloc_node(size, kmalloc_flags, node);
	if (ret || size <= PAGE_SIZE)
		return ret;
	if (!gfpflags_allow_blocking(flags))
		return NULL;
	if (unlikely(size > INT_MAX)) {
		WARN_ON_ONCE(!(flags & __GFP_NOWARN));
		return NULL;
	}
	return __vmalloc_node_range(size, 1, VMALLOC_START, VMALLOC_END, flags, PAGE_KERNEL,
				    VM_ALLOW_HUGE_VMAP, node, __builtin_return_address(0));
}

/**
 * kvfree - free memory from kvmalloc (or kmalloc, or vmalloc); NULL does nothing
 */
void kvfree(const void *addr)
{
	if (is_vmalloc_addr(addr))
		vfree(addr);
	else
		kfree(addr);
}

/**
 * kvfree_sensitive - zero @len bytes of the object, then kvfree() it
 */
void kvfree_sensitive(const void *addr, size_t len)
{
	if (likely(!ZERO_OR_NULL_PTR(addr))) {
		memset((void *)addr, 0, len);
		__asm__ __volatile__("" : : "r"(addr) : "memory");	/* keep the zeroing */
		kvfree(addr);
	}
}

/**
 * kvrealloc - grow a kvmalloc'd object (a smaller or equal size returns it unchanged)
 * @p: the object
 * @oldsize: its size (the bytes copied)
 * @newsize: the new size
 * @flags: GFP flags for the new object
 *
 * Return: the new object (the old one is freed), @p itself, or NULL (@p is left alone).
 */
void *kvrealloc(const void *p, size_t oldsize, size_t newsize, gfp_t flags)
{
	void *newp;

	if (oldsize >= newsize)
		return (void *)p;
	newp = kvmalloc(newsize, flags);
	if (!newp)
		return NULL;
	if (oldsize)		/* kvrealloc(NULL, 0, n) starts a buffer: memcpy must not see NULL */
		memcpy(newp, p, oldsize);
	kvfree(p);
	return newp;
}

/* vfree() of a VM_MAP_PUT_PAGES vmap(): its page array is kvmalloc memory. */
void ukmem__vmap_put_array(struct page **pages)
{
	kvfree(pages);
}

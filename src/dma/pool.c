/* SPDX-License-Identifier: MIT */
/*
 * dma_pool (mm/dmapool.c's semantics): small coherent blocks of one size carved from pages
 * of dma_alloc_coherent memory ("allocation" bytes each, at least a page).  Blocks are
 * aligned as asked and never cross a multiple of the pool's boundary: the block that would
 * is skipped.  ukmem_show("dma_pools:<device name>") prints the device's pools in the kernel's
 * sysfs "pools" format.
 *
 * The free blocks of a page form a chain through their first 4 bytes (page->offset is the
 * first free block; a value >= allocation ends the chain), as the kernel's.  The kernel's
 * DMAPOOL_DEBUG checks always run here: a free of an address no page of the pool holds, of
 * an address that is not a block start, of a block whose DMA and CPU addresses disagree, or
 * of a block already free is reported and changes nothing; a destroyed pool with blocks in
 * use reports each busy page and leaks it (the device may still be writing it).  Free blocks
 * are filled with POOL_POISON_FREED (but for the link), and an allocation that finds one
 * changed reports it ("(corrupted)": something wrote a freed block) and hands it out all the
 * same, filled with POOL_POISON_ALLOCATED unless zeroed, as DMAPOOL_DEBUG does.
 *
 * The links live in memory the driver and its device can write after a free, so they are
 * never trusted: each page also keeps a bitmap of its free blocks (bit offset / size, block
 * starts being at least a block apart), the truth for "already free" and for the link an
 * allocation follows.  A link that names no free block, or ends the chain while free blocks
 * remain, is reported with its block as "(corrupted)" and the chain is rebuilt from the
 * bitmap, where 6.1 would hand out a block at the corrupted offset (inside another block,
 * or past the page) or loop for ever on a cycle.
 *
 * Locking: pool->lock (spinlock, irq-safe) guards a pool's pages; pools.lock (host mutex)
 * guards every device's dma_pools list.  Pages are allocated and freed with neither held.
 */
#include <pthread.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/slab.h>
#include "dma/dma.h"
#include "base/base.h"

#define POOL_POISON_FREED	0xa7	/* a free block */
#define POOL_POISON_ALLOCATED	0xa9	/* handed out, not yet written */

struct dma_pool {
	struct list_head page_list;
	spinlock_t lock;
	size_t size;
	struct device *dev;
	size_t allocation;
	size_t boundary;
	unsigned int blocks;		/* blocks in a page */
	char name[32];
	struct list_head pools;		/* dev->dma_pools */
};

struct dma_page {
	struct list_head page_list;
	void *vaddr;
	dma_addr_t dma;
	unsigned int in_use;
	unsigned int offset;
	unsigned long free_map[];	/* bit offset / size: the block at offset is free */
};

static struct {
	pthread_mutex_t lock;
} pools = { PTHREAD_MUTEX_INITIALIZER };

/* A report that counts as a problem: the kernel's dev_err text inside a WARNING. */
#define pool_err(pool, fmt, ...) \
	WARN(1, "%s %s: " fmt, (pool)->dev ? dev_driver_string((pool)->dev) : "", \
	     (pool)->dev ? dev_name((pool)->dev) : "(no device)", ##__VA_ARGS__)

static unsigned int pool_count_blocks(const struct dma_pool *pool);

/**
 * dma_pool_create - create a pool of coherent DMA blocks
 * @name: the pool's name (shown in the device's pools list)
 * @dev: the device that will DMA (may be NULL, as in 6.1: such a pool can be created and
 *	 destroyed, but dma_alloc_coherent() needs a device for its blocks)
 * @size: block size (at least 4 bytes are used)
 * @align: block alignment, a power of two (0 means 1)
 * @boundary: no block crosses a multiple of this (a power of two >= size; 0 means none)
 *
 * Return: the pool, or NULL for a bad size (0, or one that wraps when aligned), alignment or
 * boundary, an error pointer for @dev (a warning), or when memory runs out.
 */
struct dma_pool *dma_pool_create(const char *name, struct device *dev, size_t size,
				 size_t align, size_t boundary)
{
	struct dma_pool *pool;
	size_t allocation;

	if (WARN(IS_ERR(dev), "dma_pool_create: device is an error pointer (%ld)\n", PTR_ERR(dev)))
		return NULL;			/* 6.1 links the pool into it */
	if (align == 0)
		align = 1;
	else if (align & (align - 1))
		return NULL;
	if (size == 0)
		return NULL;
	if (size < 4)
		size = 4;
	if (size > SIZE_MAX - (align - 1))	/* ALIGN would wrap it to 0: blocks of no size */
		return NULL;
	size = ALIGN(size, align);
	allocation = max_t(size_t, size, PAGE_SIZE);
	if (!boundary)
		boundary = allocation;
	else if (boundary < size || (boundary & (boundary - 1)))
		return NULL;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;
	snprintf(pool->name, sizeof(pool->name), "%s", name);
	pool->dev = dev;
	INIT_LIST_HEAD(&pool->page_list);
	spin_lock_init(&pool->lock);
	pool->size = size;
	pool->boundary = boundary;
	pool->allocation = allocation;
	pool->blocks = pool_count_blocks(pool);
	INIT_LIST_HEAD(&pool->pools);
	if (dev) {		/* 6.1 takes a NULL device: then the pool is on no list */
		pthread_mutex_lock(&pools.lock);
		list_add(&pool->pools, &dev->dma_pools);
		pthread_mutex_unlock(&pools.lock);
	}
	return pool;
}

/*
 * The block after the one at @offset (6.1's layout: the next block is skipped, and the walk
 * goes on at the boundary, when it would reach the boundary; unlike 6.1, a block that would
 * run past the page's end is never made, when the boundary is beyond the allocation).
 */
static size_t next_block(const struct dma_pool *pool, size_t offset, size_t *next_boundary)
{
	size_t next = offset + pool->size;

	if (unlikely(next + pool->size >= *next_boundary)) {
		next = *next_boundary;
		*next_boundary += pool->boundary;
	}
	if (next + pool->size > pool->allocation)
		next = pool->allocation;
	return next;
}

/* A free block's first four bytes hold the offset of the next free block.  Blocks of an
 * odd size with alignment 1 sit at odd offsets (the kernel stores an int there all the
 * same; x86 does not mind, C does): read and write the link byte-wise. */
static unsigned int link_get(const struct dma_page *page, unsigned int offset)
{
	int v;

	memcpy(&v, (const char *)page->vaddr + offset, sizeof(v));
	return (unsigned int)v;
}

static void link_set(void *block, unsigned int next)
{
	int v = (int)next;

	memcpy(block, &v, sizeof(v));
}

/*
 * Whether @offset is where a block starts in a page of @pool, without walking the page: the
 * blocks of each stretch of @boundary bytes are at size multiples from its start, all but
 * the first ending before the stretch does (next_block's rule), none past the page.
 */
static bool block_start(const struct dma_pool *pool, size_t offset)
{
	size_t r = offset % pool->boundary;

	return offset < pool->allocation && pool->allocation - offset >= pool->size &&
	       r % pool->size == 0 && (r == 0 || r + pool->size < pool->boundary);
}

/* The number of blocks in a page of @pool. */
static unsigned int pool_count_blocks(const struct dma_pool *pool)
{
	size_t offset = 0, next_boundary = pool->boundary;
	unsigned int n = 0;

	do {
		n++;
		offset = next_block(pool, offset, &next_boundary);
	} while (offset < pool->allocation);
	return n;
}

/* Chains the free blocks of @page (its bitmap's) through their first bytes, lowest first,
 * and makes the first its head: a fresh page's, or a page whose chain was corrupted. */
static void pool_chain_free_blocks(struct dma_pool *pool, struct dma_page *page)
{
	size_t offset = 0, next_boundary = pool->boundary;
	void *prev = NULL;

	page->offset = pool->allocation;
	do {
		if (test_bit(offset / pool->size, page->free_map)) {
			if (prev)
				link_set(prev, offset);
			else
				page->offset = offset;
			prev = (char *)page->vaddr + offset;
		}
		offset = next_block(pool, offset, &next_boundary);
	} while (offset < pool->allocation);
	if (prev)
		link_set(prev, pool->allocation);
}

/* Marks every block of a fresh page free and chains them. */
static void pool_initialise_page(struct dma_pool *pool, struct dma_page *page)
{
	size_t offset = 0, next_boundary = pool->boundary;

	do {
		__set_bit(offset / pool->size, page->free_map);
		offset = next_block(pool, offset, &next_boundary);
	} while (offset < pool->allocation);
	pool_chain_free_blocks(pool, page);
}

static struct dma_page *pool_alloc_page(struct dma_pool *pool, gfp_t mem_flags)
{
	size_t map = BITS_TO_LONGS(pool->allocation / pool->size) * sizeof(long);
	struct dma_page *page = kzalloc(sizeof(*page) + map, mem_flags);

	if (!page)
		return NULL;
	page->vaddr = dma_alloc_coherent(pool->dev, pool->allocation, &page->dma, mem_flags);
	if (!page->vaddr) {
		kfree(page);
		return NULL;
	}
	memset(page->vaddr, POOL_POISON_FREED, pool->allocation);
	pool_initialise_page(pool, page);
	page->in_use = 0;
	return page;
}

static void pool_free_page(struct dma_pool *pool, struct dma_page *page)
{
	dma_free_coherent(pool->dev, pool->allocation, page->vaddr, page->dma);
	list_del(&page->page_list);
	kfree(page);
}

static void dmam_pool_release(struct device *dev, void *res);
static int dmam_pool_match(struct device *dev, void *res, void *match_data);

/* A dmam_pool_create() pool given to dma_pool_destroy(): its device destroys it when the
 * driver goes (destroying it now would leave devres a freed pool).  Reported and left to the
 * device.  A pool detached from its released device (pools_forget_device) is no device's. */
static noinline bool managed_destroy(struct dma_pool *pool)
{
	bool attached;

	pthread_mutex_lock(&pools.lock);
	attached = !list_empty(&pool->pools);
	pthread_mutex_unlock(&pools.lock);
	if (!attached || !devres_find(pool->dev, dmam_pool_release, dmam_pool_match, pool))
		return false;
	pool_err(pool, "dma_pool_destroy of managed pool %s: dmam_pool_destroy destroys it, or the device when its driver goes\n",
		 pool->name);
	return true;
}

/**
 * dma_pool_destroy - destroy a pool
 * @pool: the pool (NULL does nothing); its blocks should all be free
 *
 * Pages with blocks still in use are reported and leaked, as the kernel does.  A managed
 * pool (dmam_pool_create) is reported and left to its device.  May sleep.
 */
void dma_pool_destroy(struct dma_pool *pool)
{
	struct dma_page *page, *tmp;

	if (unlikely(!pool))
		return;
	might_sleep();			/* the kernel takes a mutex here */
	if (unlikely(pool->dev) && managed_destroy(pool))
		return;
	pthread_mutex_lock(&pools.lock);
	list_del(&pool->pools);
	pthread_mutex_unlock(&pools.lock);
	list_for_each_entry_safe(page, tmp, &pool->page_list, page_list) {
		if (page->in_use) {
			pool_err(pool, "dma_pool_destroy %s, %px busy\n", pool->name, page->vaddr);
			list_del(&page->page_list);
			kfree(page);	/* the coherent memory stays allocated */
		} else {
			pool_free_page(pool, page);
		}
	}
	kfree(pool);
}

/* A block just taken from the free chain: past its link it must still hold the poison its
 * free left, and its link must have named a free block (@link_ok), or something wrote it
 * while it was free (reported with a dump, as 6.1's DMAPOOL_DEBUG). */
static void check_poison(struct dma_pool *pool, const u8 *block, bool link_ok)
{
	for (size_t i = sizeof(int); link_ok && i < pool->size; i++)
		link_ok = block[i] == POOL_POISON_FREED;
	if (link_ok)
		return;
	pool_err(pool, "dma_pool_alloc %s, %px (corrupted)\n", pool->name, block);
	print_hex_dump(KERN_ERR, "", DUMP_PREFIX_OFFSET, 16, 1, block, pool->size, true);
}

/*
 * Takes the head block of @page off its free chain (pool->lock held) and returns its offset;
 * *@link_ok says whether the link it held names a free block, or ends the chain with no free
 * block left.  A link that does not is corruption (a write after dma_pool_free): the chain is
 * rebuilt from the page's bitmap.
 */
static unsigned int pool_take_block(struct dma_pool *pool, struct dma_page *page, bool *link_ok)
{
	unsigned int offset = page->offset, next = link_get(page, offset);

	__clear_bit(offset / pool->size, page->free_map);
	page->in_use++;
	if (next >= pool->allocation)
		*link_ok = page->in_use == pool->blocks;
	else
		*link_ok = block_start(pool, next) && test_bit(next / pool->size, page->free_map);
	if (likely(*link_ok))
		page->offset = next;
	else
		pool_chain_free_blocks(pool, page);
	return offset;
}

/**
 * dma_pool_alloc - take a block from a pool
 * @pool: the pool
 * @mem_flags: allocation flags (__GFP_ZERO zeroes the block)
 * @handle: receives the block's bus address
 *
 * Return: the block, or NULL when a new page cannot be allocated.
 */
void *dma_pool_alloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle)
{
	struct dma_page *page;
	unsigned long flags;
	unsigned int offset;
	bool link_ok;
	void *retval;

	might_sleep_if(gfpflags_allow_blocking(mem_flags));
	if (WARN(!handle, "dma_pool_alloc %s: NULL handle\n", pool->name))
		return NULL;			/* 6.1 writes the bus address through it */
	spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(page, &pool->page_list, page_list)
		if (page->offset < pool->allocation)
			goto ready;
	spin_unlock_irqrestore(&pool->lock, flags);
	page = pool_alloc_page(pool, mem_flags & ~__GFP_ZERO);
	if (!page)
		return NULL;
	spin_lock_irqsave(&pool->lock, flags);
	list_add(&page->page_list, &pool->page_list);
ready:
	offset = pool_take_block(pool, page, &link_ok);
	retval = (char *)page->vaddr + offset;
	*handle = page->dma + offset;
	spin_unlock_irqrestore(&pool->lock, flags);
	check_poison(pool, retval, link_ok);
	if ((mem_flags & __GFP_ZERO) || ukmem__cfg.init_on_alloc)
		memset(retval, 0, pool->size);
	else
		memset(retval, POOL_POISON_ALLOCATED, pool->size);
	return retval;
}

static struct dma_page *pool_find_page(struct dma_pool *pool, dma_addr_t dma)
{
	struct dma_page *page;

	list_for_each_entry(page, &pool->page_list, page_list)
		if (dma >= page->dma && dma - page->dma < pool->allocation)
			return page;
	return NULL;
}

/**
 * dma_pool_free - give a block back
 * @pool: the pool
 * @vaddr: the block
 * @dma: its bus address
 *
 * Bad frees (unknown address, mismatched addresses, not a block, already free) are reported
 * and change nothing.
 */
void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t dma)
{
	struct dma_page *page;
	unsigned long flags;
	uintptr_t offset;

	spin_lock_irqsave(&pool->lock, flags);
	page = pool_find_page(pool, dma);
	if (!page) {
		spin_unlock_irqrestore(&pool->lock, flags);
		pool_err(pool, "dma_pool_free %s, %px/%pad (bad dma)\n", pool->name, vaddr, &dma);
		return;
	}
	offset = (uintptr_t)vaddr - (uintptr_t)page->vaddr;	/* every bit: 6.1 keeps 32 */
	if (dma - page->dma != offset || !block_start(pool, offset)) {
		spin_unlock_irqrestore(&pool->lock, flags);
		pool_err(pool, "dma_pool_free %s, %px (bad vaddr)/%pad\n", pool->name, vaddr, &dma);
		return;
	}
	if (test_bit(offset / pool->size, page->free_map)) {
		spin_unlock_irqrestore(&pool->lock, flags);
		pool_err(pool, "dma_pool_free %s, dma %pad already free\n", pool->name, &dma);
		return;
	}
	memset(vaddr, POOL_POISON_FREED, pool->size);	/* init_on_free's zeroes too, as 6.1 */
	page->in_use--;
	__set_bit(offset / pool->size, page->free_map);
	link_set(vaddr, page->offset);
	page->offset = offset;
	spin_unlock_irqrestore(&pool->lock, flags);
}

/* ---- managed pools ---- */
static void dmam_pool_release(struct device *dev, void *res)
{
	(void)dev;
	dma_pool_destroy(*(struct dma_pool **)res);
}

static int dmam_pool_match(struct device *dev, void *res, void *match_data)
{
	(void)dev;
	return *(struct dma_pool **)res == match_data;
}

/**
 * dmam_pool_create - dma_pool_create() destroyed automatically when the driver detaches
 * @name: the pool's name
 * @dev: the device
 * @size: block size
 * @align: block alignment
 * @allocation: the boundary, as dma_pool_create's
 *
 * Return: the pool, or NULL.
 */
struct dma_pool *dmam_pool_create(const char *name, struct device *dev, size_t size,
				  size_t align, size_t allocation)
{
	struct dma_pool **ptr, *pool;

	if (ukmem__devres_dev_bad(dev))
		return NULL;
	ptr = devres_alloc(dmam_pool_release, sizeof(*ptr), GFP_KERNEL);
	if (!ptr)
		return NULL;
	pool = *ptr = dma_pool_create(name, dev, size, align, allocation);
	if (pool)
		devres_add(dev, ptr);
	else
		devres_free(ptr);
	return pool;
}

/**
 * dmam_pool_destroy - destroy a managed pool now
 * @pool: the pool
 */
void dmam_pool_destroy(struct dma_pool *pool)
{
	struct device *dev = pool->dev;

	WARN_ON(devres_release(dev, dmam_pool_release, dmam_pool_match, pool));
}

/* ---- "dma_pools:<device>" ---- */

/* The registered device's own list, newest pool first (the kernel's sysfs "pools" file walks
 * it the same way); never a list of every pool, whose devices may have been freed. */
static int show_pools(FILE *out, const char *devname)
{
	struct device *dev = devname ? ukmem__find_device_by_name(devname) : NULL;
	struct dma_pool *pool;

	fprintf(out, "poolinfo - 0.1\n");
	if (!dev)
		return 0;
	pthread_mutex_lock(&pools.lock);
	list_for_each_entry(pool, &dev->dma_pools, pools) {
		struct dma_page *page;
		unsigned int pages = 0, blocks = 0;
		unsigned long flags;

		spin_lock_irqsave(&pool->lock, flags);
		list_for_each_entry(page, &pool->page_list, page_list) {
			pages++;
			blocks += page->in_use;
		}
		spin_unlock_irqrestore(&pool->lock, flags);
		fprintf(out, "%-16s %4u %4zu %4zu %2u\n", pool->name, blocks,
			pages * (pool->allocation / pool->size), pool->size, pages);
	}
	pthread_mutex_unlock(&pools.lock);
	put_device(dev);
	return 0;
}

/* A device is released with pools still on its list (the driver never destroyed them): they
 * are detached, so a late dma_pool_destroy does not unlink them from freed memory. */
static void pools_forget_device(struct device *dev)
{
	struct dma_pool *pool, *tmp;

	pthread_mutex_lock(&pools.lock);
	list_for_each_entry_safe(pool, tmp, &dev->dma_pools, pools)
		list_del_init(&pool->pools);
	pthread_mutex_unlock(&pools.lock);
}

void ukmem__dma_pool_fork(bool lock)
{
	if (lock)
		pthread_mutex_lock(&pools.lock);
	else
		pthread_mutex_unlock(&pools.lock);
}

static int dma_pool_init(void)
{
	ukmem__show_register("dma_pools:", show_pools);
	ukmem__device_release_hook(pools_forget_device);
	return 0;
}
UKMEM_INITCALL(UKMEM_INIT_SUBSYS, dma_pool_init);

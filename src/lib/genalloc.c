/* SPDX-License-Identifier: MIT */
/*
 * genalloc (lib/genalloc.c's semantics): a bitmap allocator over memory the caller owns.
 *
 * Invariants: a chunk covers [start_addr, end_addr]; bit i of its map stands for the
 * 2^min_alloc_order bytes at start_addr + (i << order) and is set while they are allocated;
 * avail is the chunk's size minus the bytes whose bits are set.  The chunk list is newest
 * first (6.1 adds at the head), so allocations try the most recently added chunk first.  Chunks are only added
 * while the pool lives and all go away in gen_pool_destroy.
 *
 * Errors the kernel meets with BUG() (freeing what the pool does not hold, freeing bits that
 * are not allocated, destroying a pool with allocations outstanding) are reported here with
 * a WARNING and change nothing: the pool stays consistent and, in the last case, alive.
 *
 * Locking: pool->lock (irq-safe spinlock) guards the chunk list and the maps; avail is
 * atomic so gen_pool_avail reads it without the lock.  gen_pool_for_each_chunk calls its
 * function without the lock (the kernel's runs it under RCU): the function may not sleep,
 * nor add chunks to the same pool.
 */
#include <errno.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/genalloc.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "core/bits.h"
#include "core/core.h"
#include "base/base.h"

static unsigned long chunk_size(const struct gen_pool_chunk *chunk)
{
	return chunk->end_addr - chunk->start_addr + 1;
}

/**
 * gen_pool_create - create a pool
 * @min_alloc_order: log2 of the allocation granule in bytes
 * @nid: NUMA node (ignored)
 *
 * Return: the pool (first-fit, no chunks yet), or NULL when memory runs out.
 */
struct gen_pool *gen_pool_create(int min_alloc_order, int nid)
{
	struct gen_pool *pool = kmalloc_node(sizeof(*pool), GFP_KERNEL, nid);

	if (!pool)
		return NULL;
	spin_lock_init(&pool->lock);
	INIT_LIST_HEAD(&pool->chunks);
	pool->min_alloc_order = min_alloc_order;
	pool->algo = gen_pool_first_fit;
	pool->data = NULL;
	pool->name = NULL;
	return pool;
}

/**
 * gen_pool_add_owner - add memory to a pool
 * @pool: the pool
 * @virt: first address of the memory
 * @phys: its physical address, or -1
 * @size: bytes
 * @nid: NUMA node (ignored)
 * @owner: returned by the _owner allocation and free calls
 *
 * Return: 0, or -ENOMEM when the chunk's bookkeeping cannot be allocated.
 */
int gen_pool_add_owner(struct gen_pool *pool, unsigned long virt, phys_addr_t phys, size_t size,
		       int nid, void *owner)
{
	unsigned long nbits = size >> pool->min_alloc_order;
	struct gen_pool_chunk *chunk;
	unsigned long flags;

	(void)nid;
	chunk = vzalloc(sizeof(*chunk) + DIV_ROUND_UP(nbits, UKMEM_BPL) * sizeof(long));
	if (unlikely(!chunk))
		return -ENOMEM;
	chunk->phys_addr = phys;
	chunk->start_addr = virt;
	chunk->end_addr = virt + size - 1;
	chunk->owner = owner;
	atomic_long_set(&chunk->avail, size);
	spin_lock_irqsave(&pool->lock, flags);
	list_add(&chunk->next_chunk, &pool->chunks);	/* first in line, as 6.1's list_add_rcu */
	spin_unlock_irqrestore(&pool->lock, flags);
	return 0;
}

/**
 * gen_pool_virt_to_phys - the physical address of pool memory
 * @pool: the pool
 * @addr: an address inside one of its chunks
 *
 * Return: the physical address, or -1 when @addr is in no chunk.
 */
phys_addr_t gen_pool_virt_to_phys(struct gen_pool *pool, unsigned long addr)
{
	struct gen_pool_chunk *chunk;
	phys_addr_t paddr = -1;
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(chunk, &pool->chunks, next_chunk) {
		if (addr >= chunk->start_addr && addr <= chunk->end_addr) {
			paddr = chunk->phys_addr + (addr - chunk->start_addr);
			break;
		}
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	return paddr;
}

/**
 * gen_pool_destroy - destroy a pool and its chunks' bookkeeping
 * @pool: the pool; everything allocated from it must have been freed
 *
 * A pool with allocations outstanding is reported and kept (the kernel BUGs).
 */
void gen_pool_destroy(struct gen_pool *pool)
{
	struct gen_pool_chunk *chunk, *tmp;
	int order = pool->min_alloc_order;

	list_for_each_entry(chunk, &pool->chunks, next_chunk) {
		unsigned long end_bit = chunk_size(chunk) >> order;
		unsigned long bit = ukmem__bits_next(chunk->bits, end_bit, 0, true);

		if (WARN(bit < end_bit,
			 "gen_pool_destroy: pool %s still has %lu bytes allocated at %#lx (kept)\n",
			 pool->name ? pool->name : "(unnamed)",
			 chunk_size(chunk) - atomic_long_read(&chunk->avail),
			 chunk->start_addr + (bit << order)))
			return;
	}
	list_for_each_entry_safe(chunk, tmp, &pool->chunks, next_chunk) {
		list_del(&chunk->next_chunk);
		vfree(chunk);
	}
	kfree(pool->name);
	kfree(pool);
}

/**
 * gen_pool_alloc_algo_owner - allocate from a pool with a given algorithm
 * @pool: the pool
 * @size: bytes (rounded up to the pool's granule)
 * @algo: chooses the first bit
 * @data: the algorithm's argument
 * @owner: if not NULL, receives the chunk's owner
 *
 * Return: the address, or 0 when no chunk has room (or @size is 0).
 */
unsigned long gen_pool_alloc_algo_owner(struct gen_pool *pool, size_t size, genpool_algo_t algo,
					void *data, void **owner)
{
	int order = pool->min_alloc_order;
	unsigned long nbits, addr = 0, flags;
	struct gen_pool_chunk *chunk;

	if (owner)
		*owner = NULL;
	if (size == 0)
		return 0;
	nbits = (size + (1UL << order) - 1) >> order;
	spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(chunk, &pool->chunks, next_chunk) {
		unsigned long end_bit = chunk_size(chunk) >> order, start_bit;

		if (size > (size_t)atomic_long_read(&chunk->avail))
			continue;
		start_bit = algo(chunk->bits, end_bit, 0, nbits, data, pool, chunk->start_addr);
		if (start_bit >= end_bit || start_bit + nbits > end_bit)
			continue;
		ukmem__bits_assign(chunk->bits, start_bit, nbits, true);
		addr = chunk->start_addr + (start_bit << order);
		atomic_long_sub(nbits << order, &chunk->avail);
		if (owner)
			*owner = chunk->owner;
		break;
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	return addr;
}

/**
 * gen_pool_dma_alloc_algo - allocate pool memory and return its DMA address
 * @pool: the pool (NULL gives NULL)
 * @size: bytes
 * @dma: receives the physical address of the memory (may be NULL)
 * @algo: the algorithm
 * @data: its argument
 *
 * Return: the memory's address, or NULL.
 */
void *gen_pool_dma_alloc_algo(struct gen_pool *pool, size_t size, dma_addr_t *dma,
			      genpool_algo_t algo, void *data)
{
	unsigned long vaddr;

	if (!pool)
		return NULL;
	vaddr = gen_pool_alloc_algo(pool, size, algo, data);
	if (!vaddr)
		return NULL;
	if (dma)
		*dma = gen_pool_virt_to_phys(pool, vaddr);
	return (void *)vaddr;
}

/**
 * gen_pool_dma_alloc - gen_pool_dma_alloc_algo() with the pool's algorithm
 * @pool: the pool
 * @size: bytes
 * @dma: receives the DMA address
 *
 * Return: the memory's address, or NULL.
 */
void *gen_pool_dma_alloc(struct gen_pool *pool, size_t size, dma_addr_t *dma)
{
	return pool ? gen_pool_dma_alloc_algo(pool, size, dma, pool->algo, pool->data) : NULL;
}

/**
 * gen_pool_dma_alloc_align - gen_pool_dma_alloc() aligned to @align bytes
 * @pool: the pool
 * @size: bytes
 * @dma: receives the DMA address
 * @align: a power of two
 *
 * Return: the memory's address, or NULL.
 */
void *gen_pool_dma_alloc_align(struct gen_pool *pool, size_t size, dma_addr_t *dma, int align)
{
	struct genpool_data_align data = { .align = align };

	return gen_pool_dma_alloc_algo(pool, size, dma, gen_pool_first_fit_align, &data);
}

/**
 * gen_pool_dma_zalloc_algo - gen_pool_dma_alloc_algo(), zeroed
 * @pool: the pool
 * @size: bytes
 * @dma: receives the DMA address
 * @algo: the algorithm
 * @data: its argument
 *
 * Return: the memory's address, or NULL.
 */
void *gen_pool_dma_zalloc_algo(struct gen_pool *pool, size_t size, dma_addr_t *dma,
			       genpool_algo_t algo, void *data)
{
	void *vaddr = gen_pool_dma_alloc_algo(pool, size, dma, algo, data);

	if (vaddr)
		memset(vaddr, 0, size);
	return vaddr;
}

/**
 * gen_pool_dma_zalloc - gen_pool_dma_alloc(), zeroed
 * @pool: the pool
 * @size: bytes
 * @dma: receives the DMA address
 *
 * Return: the memory's address, or NULL.
 */
void *gen_pool_dma_zalloc(struct gen_pool *pool, size_t size, dma_addr_t *dma)
{
	return pool ? gen_pool_dma_zalloc_algo(pool, size, dma, pool->algo, pool->data) : NULL;
}

/**
 * gen_pool_dma_zalloc_align - gen_pool_dma_alloc_align(), zeroed
 * @pool: the pool
 * @size: bytes
 * @dma: receives the DMA address
 * @align: a power of two
 *
 * Return: the memory's address, or NULL.
 */
void *gen_pool_dma_zalloc_align(struct gen_pool *pool, size_t size, dma_addr_t *dma, int align)
{
	struct genpool_data_align data = { .align = align };

	return gen_pool_dma_zalloc_algo(pool, size, dma, gen_pool_first_fit_align, &data);
}

/**
 * gen_pool_free_owner - give memory back to a pool
 * @pool: the pool
 * @addr: what the allocation returned
 * @size: the size it was allocated with
 * @owner: if not NULL, receives the chunk's owner
 *
 * Freeing memory the pool does not hold, or bits that are not allocated, is reported and
 * frees nothing (the kernel BUGs).
 */
void gen_pool_free_owner(struct gen_pool *pool, unsigned long addr, size_t size, void **owner)
{
	int order = pool->min_alloc_order;
	unsigned long nbits = (size + (1UL << order) - 1) >> order, flags;
	struct gen_pool_chunk *chunk;
	const char *bad = "is not in the pool";

	if (owner)
		*owner = NULL;
	spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(chunk, &pool->chunks, next_chunk) {
		unsigned long start_bit = (addr - chunk->start_addr) >> order;

		if (addr < chunk->start_addr || addr > chunk->end_addr)
			continue;
		bad = "runs past the end of its chunk";
		if (size > chunk->end_addr - addr + 1)	/* a size that wraps runs past it too */
			break;
		bad = "is not allocated";
		if (ukmem__bits_next(chunk->bits, start_bit + nbits, start_bit, false) <
		    start_bit + nbits)
			break;
		ukmem__bits_assign(chunk->bits, start_bit, nbits, false);
		atomic_long_add(nbits << order, &chunk->avail);
		if (owner)
			*owner = chunk->owner;
		bad = NULL;
		break;
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	WARN(bad, "gen_pool_free: %#lx (size %zu) %s; nothing freed\n", addr, size, bad);
}

/**
 * gen_pool_for_each_chunk - call @func for every chunk of a pool
 * @pool: the pool
 * @func: called with the pool, the chunk and @data; may not sleep
 * @data: its argument
 */
void gen_pool_for_each_chunk(struct gen_pool *pool,
			     void (*func)(struct gen_pool *pool, struct gen_pool_chunk *chunk,
					  void *data),
			     void *data)
{
	struct gen_pool_chunk *chunk;

	list_for_each_entry(chunk, &pool->chunks, next_chunk)
		func(pool, chunk, data);
}

/**
 * gen_pool_has_addr - whether [@start, @start + @size) lies inside one chunk of the pool
 * @pool: the pool
 * @start: first address
 * @size: bytes
 *
 * Return: true when it does.
 */
bool gen_pool_has_addr(struct gen_pool *pool, unsigned long start, size_t size)
{
	struct gen_pool_chunk *chunk;
	bool found = false;
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(chunk, &pool->chunks, next_chunk) {
		if (start >= chunk->start_addr && start <= chunk->end_addr) {
			found = size <= chunk->end_addr - start + 1;
			break;
		}
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	return found;
}

/**
 * gen_pool_avail - free bytes in a pool
 * @pool: the pool
 *
 * Return: the sum over its chunks.
 */
size_t gen_pool_avail(struct gen_pool *pool)
{
	struct gen_pool_chunk *chunk;
	size_t avail = 0;
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(chunk, &pool->chunks, next_chunk)
		avail += atomic_long_read(&chunk->avail);
	spin_unlock_irqrestore(&pool->lock, flags);
	return avail;
}

/**
 * gen_pool_size - bytes a pool manages
 * @pool: the pool
 *
 * Return: the sum of its chunks' sizes.
 */
size_t gen_pool_size(struct gen_pool *pool)
{
	struct gen_pool_chunk *chunk;
	size_t size = 0;
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(chunk, &pool->chunks, next_chunk)
		size += chunk_size(chunk);
	spin_unlock_irqrestore(&pool->lock, flags);
	return size;
}

/**
 * gen_pool_set_algo - choose the pool's allocation algorithm
 * @pool: the pool
 * @algo: the algorithm; NULL means gen_pool_first_fit
 * @data: its argument
 */
void gen_pool_set_algo(struct gen_pool *pool, genpool_algo_t algo, void *data)
{
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	pool->algo = algo ? algo : gen_pool_first_fit;
	pool->data = data;
	spin_unlock_irqrestore(&pool->lock, flags);
}

/* ---- algorithms: return the first bit of @nr free ones, or >= @size ---- */

/**
 * gen_pool_first_fit - the lowest free run
 * @map: the chunk's bitmap
 * @size: its bits
 * @start: first bit to consider
 * @nr: bits wanted
 * @data: unused
 * @pool: the pool
 * @start_addr: the chunk's address
 *
 * Return: the run's first bit, or @size.
 */
unsigned long gen_pool_first_fit(unsigned long *map, unsigned long size, unsigned long start,
				 unsigned int nr, void *data, struct gen_pool *pool,
				 unsigned long start_addr)
{
	(void)data, (void)pool, (void)start_addr;
	return ukmem__bits_find_area(map, size, start, nr, 0, 0);
}

/**
 * gen_pool_first_fit_align - the lowest free run whose address is aligned
 * @map: the chunk's bitmap
 * @size: its bits
 * @start: first bit to consider
 * @nr: bits wanted
 * @data: a struct genpool_data_align
 * @pool: the pool
 * @start_addr: the chunk's address
 *
 * Return: the run's first bit, or @size.
 */
unsigned long gen_pool_first_fit_align(unsigned long *map, unsigned long size,
				       unsigned long start, unsigned int nr, void *data,
				       struct gen_pool *pool, unsigned long start_addr)
{
	struct genpool_data_align *alignment = data;
	int order = pool->min_alloc_order;
	unsigned long align_mask, align_off;

	align_mask = ((alignment->align + (1UL << order) - 1) >> order) - 1;
	align_off = (start_addr & (alignment->align - 1)) >> order;
	return ukmem__bits_find_area(map, size, start, nr, align_mask, align_off);
}

/**
 * gen_pool_fixed_alloc - the run at a fixed offset, if it is free
 * @map: the chunk's bitmap
 * @size: its bits
 * @start: first bit to consider
 * @nr: bits wanted
 * @data: a struct genpool_data_fixed
 * @pool: the pool
 * @start_addr: the chunk's address
 *
 * Return: the run's first bit, or @size.
 */
unsigned long gen_pool_fixed_alloc(unsigned long *map, unsigned long size, unsigned long start,
				   unsigned int nr, void *data, struct gen_pool *pool,
				   unsigned long start_addr)
{
	struct genpool_data_fixed *fixed = data;
	int order = pool->min_alloc_order;
	unsigned long offset_bit = fixed->offset >> order, bit;

	(void)start_addr;
	if (WARN_ON(fixed->offset & ((1UL << order) - 1)))
		return size;
	bit = ukmem__bits_find_area(map, size, start + offset_bit, nr, 0, 0);
	return bit == offset_bit ? bit : size;
}

/**
 * gen_pool_first_fit_order_align - the lowest free run aligned to its own size
 * @map: the chunk's bitmap
 * @size: its bits
 * @start: first bit to consider
 * @nr: bits wanted; the run starts at a multiple of @nr rounded up to a power of two
 * @data: unused
 * @pool: the pool
 * @start_addr: the chunk's address
 *
 * Return: the run's first bit, or @size.
 */
unsigned long gen_pool_first_fit_order_align(unsigned long *map, unsigned long size,
					     unsigned long start, unsigned int nr, void *data,
					     struct gen_pool *pool, unsigned long start_addr)
{
	(void)data, (void)pool, (void)start_addr;
	return ukmem__bits_find_area(map, size, start, nr, roundup_pow_of_two(nr) - 1, 0);
}

/**
 * gen_pool_best_fit - the smallest free run that is big enough
 * @map: the chunk's bitmap
 * @size: its bits
 * @start: first bit to consider
 * @nr: bits wanted
 * @data: unused
 * @pool: the pool
 * @start_addr: the chunk's address
 *
 * Return: the run's first bit, or @size.
 */
unsigned long gen_pool_best_fit(unsigned long *map, unsigned long size, unsigned long start,
				unsigned int nr, void *data, struct gen_pool *pool,
				unsigned long start_addr)
{
	unsigned long best = size, best_len = size + 1;
	unsigned long idx = ukmem__bits_find_area(map, size, start, nr, 0, 0);

	(void)data, (void)pool, (void)start_addr;
	while (idx < size) {
		unsigned long next = ukmem__bits_next(map, size, idx + nr, true);

		if (next - idx < best_len) {
			best_len = next - idx;
			best = idx;
			if (best_len == nr)
				break;
		}
		if (next >= size)
			break;
		idx = ukmem__bits_find_area(map, size, next + 1, nr, 0, 0);
	}
	return best;
}

/* ---- managed pools ---- */
static void devm_gen_pool_release(struct device *dev, void *res)
{
	(void)dev;
	gen_pool_destroy(*(struct gen_pool **)res);
}

/* A NULL name matches only a pool without a name. */
static int devm_gen_pool_match(struct device *dev, void *res, void *data)
{
	struct gen_pool **p = res;

	(void)dev;
	if (!data || !(*p)->name)
		return !data && !(*p)->name;
	return !strcmp(data, (*p)->name);
}

/**
 * gen_pool_get - a device's managed pool by name
 * @dev: the device
 * @name: the name given to devm_gen_pool_create(), or NULL for the unnamed pool
 *
 * Return: the pool, or NULL.
 */
struct gen_pool *gen_pool_get(struct device *dev, const char *name)
{
	struct gen_pool **p = devres_find(dev, devm_gen_pool_release, devm_gen_pool_match,
					  (void *)name);

	return p ? *p : NULL;
}

/**
 * devm_gen_pool_create - gen_pool_create() destroyed with the device's resources
 * @dev: the device
 * @min_alloc_order: log2 of the allocation granule
 * @nid: NUMA node (ignored)
 * @name: the pool's name, unique on @dev (NULL for one unnamed pool)
 *
 * Return: the pool; ERR_PTR(-EINVAL) when @dev already has a pool of that name, or
 * ERR_PTR(-ENOMEM).
 */
struct gen_pool *devm_gen_pool_create(struct device *dev, int min_alloc_order, int nid,
				      const char *name)
{
	struct gen_pool **ptr, *pool;
	char *pool_name = NULL;

	if (ukmem__devres_dev_bad(dev) || gen_pool_get(dev, name))
		return ERR_PTR(-EINVAL);
	ptr = devres_alloc(devm_gen_pool_release, sizeof(*ptr), GFP_KERNEL);
	if (!ptr)
		return ERR_PTR(-ENOMEM);
	if (name) {
		pool_name = kstrdup(name, GFP_KERNEL);
		if (!pool_name)
			goto fail;
	}
	pool = gen_pool_create(min_alloc_order, nid);
	if (!pool)
		goto fail;
	*ptr = pool;
	pool->name = pool_name;
	devres_add(dev, ptr);
	return pool;
fail:
	kfree(pool_name);
	devres_free(ptr);
	return ERR_PTR(-ENOMEM);
}

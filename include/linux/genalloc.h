/* SPDX-License-Identifier: MIT */
/*
 * <linux/genalloc.h>: the general-purpose special-memory allocator, for memory the page
 * allocator does not manage (on-chip SRAM behind an emulated device, a carved-out DMA
 * region).  A pool is a list of chunks, each a bitmap with one bit per 2^min_alloc_order
 * bytes; allocation algorithms pick the bits.  Addresses are unsigned longs (virtual, or any
 * number space the caller likes); each chunk may carry a physical address too.
 */
#ifndef _UKMEM_LINUX_GENALLOC_H
#define _UKMEM_LINUX_GENALLOC_H
#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/atomic.h>
#include <linux/numa.h>

struct device;
struct gen_pool;

typedef unsigned long (*genpool_algo_t)(unsigned long *map, unsigned long size,
					unsigned long start, unsigned int nr, void *data,
					struct gen_pool *pool, unsigned long start_addr);

struct gen_pool {
	spinlock_t lock;
	struct list_head chunks;	/* struct gen_pool_chunk.next_chunk */
	int min_alloc_order;		/* bytes per bitmap bit: 2^order */
	genpool_algo_t algo;
	void *data;			/* the algorithm's argument */
	const char *name;
};

struct gen_pool_chunk {
	struct list_head next_chunk;
	atomic_long_t avail;		/* free bytes */
	phys_addr_t phys_addr;		/* of start_addr; -1 when not given */
	void *owner;
	unsigned long start_addr;
	unsigned long end_addr;		/* inclusive */
	unsigned long bits[];
};

struct genpool_data_align {
	int align;			/* bytes; a power of two */
};

struct genpool_data_fixed {
	unsigned long offset;		/* from the chunk's start */
};

struct gen_pool *gen_pool_create(int min_alloc_order, int nid);
phys_addr_t gen_pool_virt_to_phys(struct gen_pool *pool, unsigned long addr);
int gen_pool_add_owner(struct gen_pool *pool, unsigned long addr, phys_addr_t phys,
		       size_t size, int nid, void *owner);
static inline int gen_pool_add_virt(struct gen_pool *pool, unsigned long addr, phys_addr_t phys,
				    size_t size, int nid)
{
	return gen_pool_add_owner(pool, addr, phys, size, nid, NULL);
}
static inline int gen_pool_add(struct gen_pool *pool, unsigned long addr, size_t size, int nid)
{
	return gen_pool_add_virt(pool, addr, -1, size, nid);
}
void gen_pool_destroy(struct gen_pool *pool);
unsigned long gen_pool_alloc_algo_owner(struct gen_pool *pool, size_t size, genpool_algo_t algo,
					void *data, void **owner);
static inline unsigned long gen_pool_alloc_owner(struct gen_pool *pool, size_t size, void **owner)
{
	return gen_pool_alloc_algo_owner(pool, size, pool->algo, pool->data, owner);
}
static inline unsigned long gen_pool_alloc_algo(struct gen_pool *pool, size_t size,
						genpool_algo_t algo, void *data)
{
	return gen_pool_alloc_algo_owner(pool, size, algo, data, NULL);
}
static inline unsigned long gen_pool_alloc(struct gen_pool *pool, size_t size)
{
	return gen_pool_alloc_algo(pool, size, pool->algo, pool->data);
}
void *gen_pool_dma_alloc(struct gen_pool *pool, size_t size, dma_addr_t *dma);
void *gen_pool_dma_alloc_algo(struct gen_pool *pool, size_t size, dma_addr_t *dma,
			      genpool_algo_t algo, void *data);
void *gen_pool_dma_alloc_align(struct gen_pool *pool, size_t size, dma_addr_t *dma, int align);
void *gen_pool_dma_zalloc(struct gen_pool *pool, size_t size, dma_addr_t *dma);
void *gen_pool_dma_zalloc_algo(struct gen_pool *pool, size_t size, dma_addr_t *dma,
			       genpool_algo_t algo, void *data);
void *gen_pool_dma_zalloc_align(struct gen_pool *pool, size_t size, dma_addr_t *dma, int align);
void gen_pool_free_owner(struct gen_pool *pool, unsigned long addr, size_t size, void **owner);
static inline void gen_pool_free(struct gen_pool *pool, unsigned long addr, size_t size)
{
	gen_pool_free_owner(pool, addr, size, NULL);
}
void gen_pool_for_each_chunk(struct gen_pool *pool,
			     void (*func)(struct gen_pool *pool, struct gen_pool_chunk *chunk,
					  void *data),
			     void *data);
size_t gen_pool_avail(struct gen_pool *pool);
size_t gen_pool_size(struct gen_pool *pool);
void gen_pool_set_algo(struct gen_pool *pool, genpool_algo_t algo, void *data);
bool gen_pool_has_addr(struct gen_pool *pool, unsigned long start, size_t size);

unsigned long gen_pool_first_fit(unsigned long *map, unsigned long size, unsigned long start,
				 unsigned int nr, void *data, struct gen_pool *pool,
				 unsigned long start_addr);
unsigned long gen_pool_fixed_alloc(unsigned long *map, unsigned long size, unsigned long start,
				   unsigned int nr, void *data, struct gen_pool *pool,
				   unsigned long start_addr);
unsigned long gen_pool_first_fit_align(unsigned long *map, unsigned long size,
				       unsigned long start, unsigned int nr, void *data,
				       struct gen_pool *pool, unsigned long start_addr);
unsigned long gen_pool_first_fit_order_align(unsigned long *map, unsigned long size,
					     unsigned long start, unsigned int nr, void *data,
					     struct gen_pool *pool, unsigned long start_addr);
unsigned long gen_pool_best_fit(unsigned long *map, unsigned long size, unsigned long start,
				unsigned int nr, void *data, struct gen_pool *pool,
				unsigned long start_addr);

struct gen_pool *devm_gen_pool_create(struct device *dev, int min_alloc_order, int nid,
				      const char *name);
struct gen_pool *gen_pool_get(struct device *dev, const char *name);
#endif

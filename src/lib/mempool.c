/* SPDX-License-Identifier: MIT */
/*
 * Memory pools (mm/mempool.c's semantics): a reserve of min_nr preallocated elements that
 * mempool_alloc falls back on when the underlying allocator fails, so that code which must
 * make progress under memory pressure (block I/O, network receive) always can.
 *
 * mempool_alloc first asks the allocator without direct reclaim or I/O; on failure it takes
 * an element from the reserve; when the reserve is empty too, it asks again with the caller's
 * full gfp; and if that fails and the caller may sleep, it waits (up to 5 seconds at a time,
 * as the kernel's io_schedule_timeout) for mempool_free to put an element back, then starts
 * over.  So it never returns NULL for a gfp with __GFP_DIRECT_RECLAIM, whatever fault
 * injection does to the allocator.  mempool_free refills the reserve before giving anything
 * back to the allocator.
 *
 * kmemleak: an element handed out from the reserve takes its new owner's stack (the kernel's
 * kmemleak_update_trace), and with it the fail-sweep run that took it; an element freed into
 * the reserve of an existing pool belongs to the pool from then on, so a ukmem_fail_sweep
 * run that allocated it does not report it (the kernel's kmemleak finds it referenced from
 * pool->elements).  Page pools' elements are struct pages: the block's address is the key.
 *
 * Locking: pool->lock (the kernel's spinlock) guards elements and curr_nr; curr_nr is also
 * read without it (mempool_free's quick check), so it is written with atomic stores.
 * Sleepers wait on mp.wake under mp.lock, a host mutex taken before any pool lock;
 * mp.waiters lets mempool_free skip the wake-up when nobody waits.
 */
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <linux/kernel.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/kmemleak.h>
#include <linux/poison.h>
#include "core/core.h"
#include "debug/kmemleak.h"
#include "slab/slab.h"

#define MEMPOOL_WAIT_SEC	5

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int waiters;		/* threads in mempool_wait (atomic) */
} mp = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };

/* The address kmemleak knows an element by. */
static const void *element_addr(mempool_t *pool, void *element)
{
	if (pool->alloc == mempool_alloc_pages)
		return page_address((struct page *)element);
	return element;
}

static void set_curr_nr(mempool_t *pool, int nr)
{
	__atomic_store_n(&pool->curr_nr, nr, __ATOMIC_RELAXED);
}

/*
 * Poisoning of the reserve (6.1's, built with CONFIG_SLUB_DEBUG_ON): an element of a slab or
 * kmalloc pool whose cache poisons freed objects (slub_debug=P, kasan=on) is filled with
 * POISON_FREE (POISON_END last) while it sits in the reserve, and checked when it leaves, so
 * a write through a pointer kept after mempool_free() is reported.  The bytes are ksize()'s.
 */
static size_t poison_size(mempool_t *pool, void *element)
{
	struct slab *slab;

	if (pool->alloc != mempool_alloc_slab && pool->alloc != mempool_kmalloc)
		return 0;
	slab = ukmem__virt_to_slab(element);
	if (!slab || !(slab->slab_cache->flags & SLAB_POISON))
		return 0;
	return ksize(element);
}

static void poison_element(mempool_t *pool, void *element)
{
	size_t size = poison_size(pool, element);
	u8 *obj = element;

	if (!size)
		return;
	memset(obj, POISON_FREE, size - 1);
	obj[size - 1] = POISON_END;
}

static noinline void poison_error(mempool_t *pool, u8 *obj, size_t size, size_t byte)
{
	size_t start = byte > sizeof(long) ? byte - sizeof(long) : 0;
	size_t end = min(byte + sizeof(long), size);

	ukmem__report_begin();
	pr_err("BUG: mempool element poison mismatch\n");
	pr_err("Mempool %p size %zu\n", pool, size);
	pr_err(" nr=%d @ %p: %s0x", pool->curr_nr, obj, start > 0 ? "... " : "");
	for (size_t i = start; i < end; i++)
		pr_cont("%x ", obj[i]);
	pr_cont("%s\n", end < size ? "..." : "");
	ukmem__print_task_line();		/* dump_stack()'s */
	ukmem__stack_dump(1);
	ukmem__report_end(UKMEM_REPORT_BUG);
}

static void check_element(mempool_t *pool, void *element)
{
	size_t size = poison_size(pool, element);
	u8 *obj = element;

	for (size_t i = 0; i < size; i++) {
		if (obj[i] != (i < size - 1 ? POISON_FREE : POISON_END)) {
			poison_error(pool, obj, size, i);
			break;
		}
	}
	if (size)
		memset(obj, POISON_INUSE, size);
}

static void add_element(mempool_t *pool, void *element)
{
	BUG_ON(pool->curr_nr >= pool->min_nr);
	poison_element(pool, element);
	pool->elements[pool->curr_nr] = element;
	set_curr_nr(pool, pool->curr_nr + 1);
}

static void *remove_element(mempool_t *pool)
{
	void *element = pool->elements[pool->curr_nr - 1];

	BUG_ON(pool->curr_nr <= 0);
	set_curr_nr(pool, pool->curr_nr - 1);
	check_element(pool, element);
	return element;
}

/**
 * mempool_exit - free the reserve of a pool set up with mempool_init()
 * @pool: the pool; every element handed out should have been freed back already
 *
 * The pool keeps no reserve afterwards (min_nr 0): an element freed to it later is reported
 * and goes back to its allocator, where 6.1 writes it into the freed reserve array.
 */
void mempool_exit(mempool_t *pool)
{
	while (pool->curr_nr) {
		void *element = remove_element(pool);

		pool->free(element, pool->pool_data);
	}
	kfree(pool->elements);
	pool->elements = NULL;
	pool->min_nr = 0;
}

/**
 * mempool_init_node - set up a pool in caller-provided memory and fill its reserve
 * @pool: the pool
 * @min_nr: elements kept in reserve (at least 1)
 * @alloc_fn: the underlying allocator
 * @free_fn: gives an element back to it
 * @pool_data: passed to both
 * @gfp_mask: flags for the reserve's allocations
 * @node_id: NUMA node (ignored: there is one)
 *
 * Return: 0, or -ENOMEM when the reserve cannot be filled (nothing is kept).
 */
int mempool_init_node(mempool_t *pool, int min_nr, mempool_alloc_t *alloc_fn,
		      mempool_free_t *free_fn, void *pool_data, gfp_t gfp_mask, int node_id)
{
	(void)node_id;
	spin_lock_init(&pool->lock);
	pool->min_nr = min_nr;
	pool->pool_data = pool_data;
	pool->alloc = alloc_fn;
	pool->free = free_fn;
	pool->curr_nr = 0;
	pool->elements = kmalloc_array(min_nr, sizeof(void *), gfp_mask);
	if (!pool->elements)
		return -ENOMEM;
	while (pool->curr_nr < pool->min_nr) {
		void *element = pool->alloc(gfp_mask, pool->pool_data);

		if (unlikely(!element)) {
			mempool_exit(pool);
			return -ENOMEM;
		}
		add_element(pool, element);
	}
	return 0;
}

/**
 * mempool_init - mempool_init_node() with GFP_KERNEL
 * @pool: the pool
 * @min_nr: elements kept in reserve
 * @alloc_fn: the underlying allocator
 * @free_fn: gives an element back to it
 * @pool_data: passed to both
 *
 * Return: 0 or -ENOMEM.
 */
int mempool_init(mempool_t *pool, int min_nr, mempool_alloc_t *alloc_fn,
		 mempool_free_t *free_fn, void *pool_data)
{
	return mempool_init_node(pool, min_nr, alloc_fn, free_fn, pool_data, GFP_KERNEL,
				 NUMA_NO_NODE);
}

/**
 * mempool_create_node - allocate a pool and fill its reserve
 * @min_nr: elements kept in reserve
 * @alloc_fn: the underlying allocator
 * @free_fn: gives an element back to it
 * @pool_data: passed to both
 * @gfp_mask: flags for the pool and its reserve
 * @node_id: NUMA node (ignored)
 *
 * Return: the pool, or NULL when memory runs out.
 */
mempool_t *mempool_create_node(int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn,
			       void *pool_data, gfp_t gfp_mask, int node_id)
{
	mempool_t *pool = kzalloc(sizeof(*pool), gfp_mask);

	if (!pool)
		return NULL;
	if (mempool_init_node(pool, min_nr, alloc_fn, free_fn, pool_data, gfp_mask, node_id)) {
		kfree(pool);
		return NULL;
	}
	return pool;
}

/**
 * mempool_create - mempool_create_node() with GFP_KERNEL
 * @min_nr: elements kept in reserve
 * @alloc_fn: the underlying allocator
 * @free_fn: gives an element back to it
 * @pool_data: passed to both
 *
 * Return: the pool, or NULL.
 */
mempool_t *mempool_create(int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn,
			  void *pool_data)
{
	return mempool_create_node(min_nr, alloc_fn, free_fn, pool_data, GFP_KERNEL,
				   NUMA_NO_NODE);
}

/**
 * mempool_destroy - free the reserve and the pool
 * @pool: a pool from mempool_create(), or NULL
 */
void mempool_destroy(mempool_t *pool)
{
	if (unlikely(!pool))
		return;
	mempool_exit(pool);
	kfree(pool);
}

/* Grows the reserve to @new_min_nr, one allocation at a time with the lock dropped; stops
 * at the first allocation that fails. */
static int mempool_grow(mempool_t *pool, int new_min_nr)
{
	unsigned long flags;
	void **new_elements = kmalloc_array(new_min_nr, sizeof(void *), GFP_KERNEL);

	if (!new_elements)
		return -ENOMEM;
	spin_lock_irqsave(&pool->lock, flags);
	if (unlikely(new_min_nr <= pool->min_nr)) {
		/* Someone else resized meanwhile. */
		spin_unlock_irqrestore(&pool->lock, flags);
		kfree(new_elements);
		return 0;
	}
	memcpy(new_elements, pool->elements, pool->curr_nr * sizeof(void *));
	kfree(pool->elements);
	pool->elements = new_elements;
	pool->min_nr = new_min_nr;
	while (pool->curr_nr < pool->min_nr) {
		void *element;

		spin_unlock_irqrestore(&pool->lock, flags);
		element = pool->alloc(GFP_KERNEL, pool->pool_data);
		if (!element)
			return 0;	/* 6.1's answer: min_nr stands, frees top the reserve up */
		ukmem__leak_disown(element_addr(pool, element));
		spin_lock_irqsave(&pool->lock, flags);
		if (pool->curr_nr < pool->min_nr) {
			add_element(pool, element);
		} else {
			spin_unlock_irqrestore(&pool->lock, flags);
			pool->free(element, pool->pool_data);	/* raced: the reserve is full */
			return 0;
		}
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	return 0;
}

/**
 * mempool_resize - change the reserve's size
 * @pool: the pool
 * @new_min_nr: the new number of reserved elements (at least 1)
 *
 * Shrinking gives the surplus back to the allocator; growing allocates with GFP_KERNEL and
 * may sleep.  Return: 0, -EINVAL (with a warning) for a size below 1, or -ENOMEM when the
 * new element array cannot be allocated (nothing changed).  When an element cannot be
 * allocated the new size still stands and 0 comes back, as in 6.1: the reserve holds fewer
 * than min_nr until mempool_free() tops it up.
 */
int mempool_resize(mempool_t *pool, int new_min_nr)
{
	unsigned long flags;

	might_sleep();
	if (WARN_ON(new_min_nr <= 0))	/* the kernel BUGs */
		return -EINVAL;
	spin_lock_irqsave(&pool->lock, flags);
	if (new_min_nr <= pool->min_nr) {
		while (new_min_nr < pool->curr_nr) {
			void *element = remove_element(pool);

			spin_unlock_irqrestore(&pool->lock, flags);
			pool->free(element, pool->pool_data);
			spin_lock_irqsave(&pool->lock, flags);
		}
		pool->min_nr = new_min_nr;
		spin_unlock_irqrestore(&pool->lock, flags);
		return 0;
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	return mempool_grow(pool, new_min_nr);
}

/* Sleeps until an element may be back in @pool, or MEMPOOL_WAIT_SEC pass. */
static noinline void mempool_wait(mempool_t *pool)
{
	struct timespec until;
	unsigned long flags;
	bool empty;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += MEMPOOL_WAIT_SEC;
	pthread_mutex_lock(&mp.lock);
	__atomic_fetch_add(&mp.waiters, 1, __ATOMIC_SEQ_CST);
	spin_lock_irqsave(&pool->lock, flags);
	empty = pool->curr_nr == 0;
	spin_unlock_irqrestore(&pool->lock, flags);
	if (empty)
		pthread_cond_timedwait(&mp.wake, &mp.lock, &until);
	__atomic_fetch_sub(&mp.waiters, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&mp.lock);
}

/**
 * mempool_alloc - allocate an element, from the allocator or the reserve
 * @pool: the pool
 * @gfp_mask: allocation flags; __GFP_ZERO is not allowed (elements come back dirty)
 *
 * Return: an element.  With __GFP_DIRECT_RECLAIM in @gfp_mask never NULL: when both the
 * allocator and the reserve fail, it sleeps until another thread frees an element.  Without
 * it, NULL when both fail.
 */
void *mempool_alloc(mempool_t *pool, gfp_t gfp_mask)
{
	unsigned long flags;
	gfp_t gfp_temp;
	void *element;

	WARN_ON_ONCE(gfp_mask & __GFP_ZERO);
	might_sleep_if(gfp_mask & __GFP_DIRECT_RECLAIM);
	gfp_mask |= __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN;
	gfp_temp = gfp_mask & ~(__GFP_DIRECT_RECLAIM | __GFP_IO);
	for (;;) {
		element = pool->alloc(gfp_temp, pool->pool_data);
		if (likely(element))
			return element;
		spin_lock_irqsave(&pool->lock, flags);
		if (likely(pool->curr_nr)) {
			element = remove_element(pool);
			spin_unlock_irqrestore(&pool->lock, flags);
			kmemleak_update_trace(element_addr(pool, element));
			return element;
		}
		spin_unlock_irqrestore(&pool->lock, flags);
		if (gfp_temp != gfp_mask) {
			gfp_temp = gfp_mask;	/* the reserve is empty: try harder */
			continue;
		}
		if (!(gfp_mask & __GFP_DIRECT_RECLAIM))
			return NULL;
		mempool_wait(pool);
	}
}

/*
 * An element of a slab or kmalloc pool that is a slab address but no live object: freed
 * already (a second mempool_free after the first went to the allocator), or not an
 * object's start.  Taking it into the reserve would hand it out again.
 */
static bool element_dead(mempool_t *pool, void *element)
{
	if (pool->alloc != mempool_alloc_slab && pool->alloc != mempool_kmalloc)
		return false;
	return ukmem__virt_to_slab(element) && !ukmem__slab_object_live(element);
}

/* Whether @element sits in the reserve already (pool->lock held): a second mempool_free. */
static bool element_in_reserve(mempool_t *pool, void *element)
{
	for (int i = 0; i < pool->curr_nr; i++)
		if (pool->elements[i] == element)
			return true;
	return false;
}

/**
 * mempool_free - give an element back
 * @element: from mempool_alloc() on @pool, or NULL
 * @pool: the pool
 *
 * Refills the reserve if it is short (waking a waiting mempool_alloc), else hands the
 * element back to the allocator.  While the reserve is short, an element it holds already,
 * or a slab or kmalloc pool's element that is no live object (freed already), is reported
 * and not taken in: 6.1 takes both into the reserve and hands them out again, to two owners
 * at once.
 */
void mempool_free(void *element, mempool_t *pool)
{
	unsigned long flags;

	if (unlikely(!element))
		return;
	if (unlikely(!pool->elements)) {	/* after mempool_exit, or never set up */
		WARN(1, "mempool_free: %px freed to a pool that has no reserve (after mempool_exit?)%s\n",
		     element, pool->free ? ": it goes back to the allocator" : "");
		if (pool->free)
			pool->free(element, pool->pool_data);
		return;
	}
	if (unlikely(__atomic_load_n(&pool->curr_nr, __ATOMIC_ACQUIRE) < pool->min_nr)) {
		if (unlikely(element_dead(pool, element))) {
			WARN(1, "mempool_free: %px is no live object of the pool's cache (freed already?); not taken into the reserve\n",
			     element);
			return;
		}
		/* Before it is visible in the reserve (harmless if it goes to the allocator). */
		ukmem__leak_disown(element_addr(pool, element));
		spin_lock_irqsave(&pool->lock, flags);
		if (unlikely(element_in_reserve(pool, element))) {
			spin_unlock_irqrestore(&pool->lock, flags);
			WARN(1, "mempool_free: %px is in the pool's reserve already (freed twice); left there\n",
			     element);
			return;
		}
		if (likely(pool->curr_nr < pool->min_nr)) {
			add_element(pool, element);
			spin_unlock_irqrestore(&pool->lock, flags);
			if (__atomic_load_n(&mp.waiters, __ATOMIC_SEQ_CST)) {
				pthread_mutex_lock(&mp.lock);
				pthread_cond_broadcast(&mp.wake);
				pthread_mutex_unlock(&mp.lock);
			}
			return;
		}
		spin_unlock_irqrestore(&pool->lock, flags);
	}
	pool->free(element, pool->pool_data);
}

/* ---- the standard allocators ---- */

/**
 * mempool_alloc_slab - a pool allocator over a slab cache
 * @gfp_mask: allocation flags
 * @pool_data: the struct kmem_cache
 *
 * Return: an object, or NULL.
 */
void *mempool_alloc_slab(gfp_t gfp_mask, void *pool_data)
{
	return kmem_cache_alloc(pool_data, gfp_mask);
}

/**
 * mempool_free_slab - frees an object of mempool_alloc_slab()
 * @element: the object
 * @pool_data: the struct kmem_cache
 */
void mempool_free_slab(void *element, void *pool_data)
{
	kmem_cache_free(pool_data, element);
}

/**
 * mempool_kmalloc - a pool allocator of kmalloc buffers
 * @gfp_mask: allocation flags
 * @pool_data: the size, cast to a pointer
 *
 * Return: a buffer, or NULL.
 */
void *mempool_kmalloc(gfp_t gfp_mask, void *pool_data)
{
	return kmalloc((size_t)pool_data, gfp_mask);
}

/**
 * mempool_kfree - frees a buffer of mempool_kmalloc()
 * @element: the buffer
 * @pool_data: the size (unused)
 */
void mempool_kfree(void *element, void *pool_data)
{
	(void)pool_data;
	kfree(element);
}

/**
 * mempool_alloc_pages - a pool allocator of page blocks
 * @gfp_mask: allocation flags
 * @pool_data: the order, cast to a pointer
 *
 * Return: the struct page of the block, or NULL.
 */
void *mempool_alloc_pages(gfp_t gfp_mask, void *pool_data)
{
	return alloc_pages(gfp_mask, (unsigned int)(long)pool_data);
}

/**
 * mempool_free_pages - frees a block of mempool_alloc_pages()
 * @element: the struct page
 * @pool_data: the order
 */
void mempool_free_pages(void *element, void *pool_data)
{
	__free_pages(element, (unsigned int)(long)pool_data);
}

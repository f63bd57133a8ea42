/* SPDX-License-Identifier: MIT */
/*
 * The bounce-buffer pool (kernel/dma/swiotlb.c's semantics): slots of IO_TLB_SIZE (2 KiB)
 * in RAM below 4 GiB, handed out in runs that never cross an IO_TLB_SEGSIZE (128-slot)
 * segment, so a mapping is at most 256 KiB.  Mapping copies the buffer into its slots (always,
 * as 6.1 does, so no stale pool contents leak to a device); unmapping copies back for
 * DMA_FROM_DEVICE and DMA_BIDIRECTIONAL unless DMA_ATTR_SKIP_CPU_SYNC; sync for the CPU copies
 * back (FROM_DEVICE, BIDIRECTIONAL) and sync for the device copies in (TO_DEVICE,
 * BIDIRECTIONAL).  The bits of the buffer's address under the device's min_align_mask are
 * kept in the bounce address: those below IO_TLB_SIZE as an offset into the first slot, the
 * others by choosing a first slot whose address has them (as 6.1's slot search); with no
 * such mask, a mapping of PAGE_SIZE or more starts on a page.
 *
 * The pool (swiotlb= slabs, default 32768 = 64 MiB) is allocated at start-up when RAM reaches
 * above 4 GiB or swiotlb= / swiotlb=force was given, as the kernel turns swiotlb on only for
 * such machines (and when asked to); otherwise there is none, and a mapping out of a device's
 * reach fails with 6.1's "DMA addr ... overflow" warning.  It is made of blocks of at most
 * 4 MiB (the largest buddy block), each a whole number of segments.
 *
 * Locking: tlb.lock (host mutex, a leaf: no page is allocated under it) guards the maps and
 * counters; the DMA subsystem's fork hook, registered here, takes it with debug.c's and
 * pool.c's locks.
 *
 * Invariants (tlb.lock): bit s of map is set while slot s is in use; head[s] is 1 + the first
 * slot of the mapping that holds s (0 when free); at a mapping's first slot, orig[] is the
 * original buffer's physical address, mapped[] the bytes mapped, nslots[] its slots and
 * owner[] the device it was made for.  An unmap or sync that names no live mapping changes
 * nothing (DMA-API debugging reports it); nor does one that names another device's mapping
 * (a stale address whose slots were handed on: reported here, as debugging may be off);
 * copies never run past the mapping, whatever size the caller passes (one that asks to is
 * 6.1's "Buffer overflow detected" warning).
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/device.h>
#include "core/bits.h"
#include "dma/dma.h"
#include "mm/mm.h"
#include "platform/platform.h"

#define BLOCK_SLOTS	((PAGE_SIZE << (MAX_ORDER - 1)) / IO_TLB_SIZE)	/* 2048 */

struct tlb_block {
	phys_addr_t phys;
	unsigned long first;		/* its first global slot */
	unsigned long nslots;
};

static struct {
	pthread_mutex_t lock;
	bool ready;
	unsigned long nslabs, used, hint;
	int nr_blocks;
	struct tlb_block *blocks;
	unsigned long *map;
	u32 *head, *mapped, *nslots, *offset;
	phys_addr_t *orig;
	struct device **owner;
} tlb = { .lock = PTHREAD_MUTEX_INITIALIZER };

bool ukmem__swiotlb_force(void)
{
	return ukmem__cfg.swiotlb_force;
}

/**
 * ukmem__swiotlb_active - whether there is a bounce pool (made at start-up, or never)
 *
 * Return: true when mappings can bounce.
 */
bool ukmem__swiotlb_active(void)
{
	return __atomic_load_n(&tlb.ready, __ATOMIC_ACQUIRE);
}

static void *meta_alloc(size_t each)
{
	return ukmem__os_alloc(PAGE_ALIGN(tlb.nslabs * each));
}

static void pool_free(void)
{
	for (int b = 0; b < tlb.nr_blocks; b++)
		__free_pages(phys_to_page(tlb.blocks[b].phys),
			     get_order(tlb.blocks[b].nslots * IO_TLB_SIZE));
	tlb.nr_blocks = 0;
}

/* Allocates the pool, once, at start-up: nobody reads it before tlb.ready is published, so
 * no lock is held (none is held while allocating pages).  False when RAM below 4 GiB runs
 * short. */
static bool pool_create(void)
{
	unsigned long left;

	tlb.nslabs = ALIGN(ukmem__cfg.swiotlb_slabs ?: IO_TLB_DEFAULT_SLABS, IO_TLB_SEGSIZE);
	tlb.blocks = ukmem__os_alloc(PAGE_ALIGN(DIV_ROUND_UP(tlb.nslabs, BLOCK_SLOTS) *
						 sizeof(*tlb.blocks)));
	tlb.map = ukmem__os_alloc(PAGE_ALIGN(DIV_ROUND_UP(tlb.nslabs, UKMEM_BPL) * sizeof(long)));
	tlb.head = meta_alloc(sizeof(u32));
	tlb.mapped = meta_alloc(sizeof(u32));
	tlb.nslots = meta_alloc(sizeof(u32));
	tlb.offset = meta_alloc(sizeof(u32));
	tlb.orig = meta_alloc(sizeof(phys_addr_t));
	tlb.owner = meta_alloc(sizeof(struct device *));
	if (!tlb.blocks || !tlb.map || !tlb.head || !tlb.mapped || !tlb.nslots || !tlb.offset ||
	    !tlb.orig || !tlb.owner)
		goto fail;
	for (left = tlb.nslabs; left; ) {
		unsigned long n = min(left, (unsigned long)BLOCK_SLOTS);
		struct page *page = ukmem__alloc_pages(GFP_KERNEL | GFP_DMA32 | __GFP_NOWARN,
							get_order(n * IO_TLB_SIZE));

		if (!page)
			goto fail;
		tlb.blocks[tlb.nr_blocks++] = (struct tlb_block){ page_to_phys(page),
								   tlb.nslabs - left, n };
		left -= n;
	}
	__atomic_store_n(&tlb.ready, true, __ATOMIC_RELEASE);
	return true;
fail:
	pool_free();
	printk(KERN_ERR "software IO TLB: cannot allocate %lu MiB of bounce buffers below 4 GiB (swiotlb=%lu)\n",
	       (tlb.nslabs * IO_TLB_SIZE) >> 20, tlb.nslabs);
	return false;
}

static phys_addr_t slot_phys(unsigned long s)
{
	for (int b = 0; b < tlb.nr_blocks; b++)
		if (s - tlb.blocks[b].first < tlb.blocks[b].nslots)
			return tlb.blocks[b].phys + ((s - tlb.blocks[b].first) << IO_TLB_SHIFT);
	return 0;
}

/* The slot holding @addr, or -1. */
static long phys_slot(phys_addr_t addr)
{
	for (int b = 0; b < tlb.nr_blocks; b++)
		if (addr - tlb.blocks[b].phys < tlb.blocks[b].nslots * IO_TLB_SIZE)
			return tlb.blocks[b].first + ((addr - tlb.blocks[b].phys) >> IO_TLB_SHIFT);
	return -1;
}

/* A free run of @n slots inside one segment whose first slot's address agrees with @orig in
 * the bits of @addr_mask, or (no such mask) is aligned to @align slots (a power of two, a
 * segment's divisor); -1 if none. */
static long slots_find(unsigned long n, unsigned long align, phys_addr_t orig,
		       phys_addr_t addr_mask)
{
	unsigned long nseg = tlb.nslabs / IO_TLB_SEGSIZE, start = tlb.hint / IO_TLB_SEGSIZE;

	if (tlb.nslabs - tlb.used < n)
		return -1;
	if (addr_mask)
		align = 1;
	for (unsigned long k = 0; k < nseg; k++) {
		unsigned long base = (start + k) % nseg * IO_TLB_SEGSIZE, end = base + IO_TLB_SEGSIZE;
		unsigned long i = base;

		while ((i = ukmem__bits_find_area(tlb.map, end, i, n, align - 1, 0)) < end) {
			if (!((slot_phys(i) ^ orig) & addr_mask))
				return i;
			i++;
		}
	}
	return -1;
}

/**
 * ukmem__swiotlb_map - bounce a buffer for a device (there is a pool: ukmem__swiotlb_active)
 * @dev: the device
 * @orig: physical address of the buffer
 * @size: its bytes
 * @dir: the direction (the copy in is made in every direction)
 * @attrs: DMA_ATTR_NO_WARN silences the pool-full warning
 *
 * Return: the bus address of the bounce copy, or DMA_MAPPING_ERROR.
 */
dma_addr_t ukmem__swiotlb_map(struct device *dev, phys_addr_t orig, size_t size,
			      enum dma_data_direction dir, unsigned long attrs)
{
	unsigned int min_align = dma_get_min_align_mask(dev);
	unsigned int offset = orig & min_align & (IO_TLB_SIZE - 1);
	phys_addr_t addr_mask = min_align & ~(IO_TLB_SIZE - 1);
	unsigned long n = DIV_ROUND_UP(size + offset, IO_TLB_SIZE) ?: 1;
	unsigned long align = size >= PAGE_SIZE ? PAGE_SIZE / IO_TLB_SIZE : 1;
	unsigned long nslabs, used;
	phys_addr_t tlb_addr = 0;
	long s = -1;

	pthread_mutex_lock(&tlb.lock);
	if (n <= IO_TLB_SEGSIZE)
		s = slots_find(n, align, orig, addr_mask);
	if (s >= 0) {
		ukmem__bits_assign(tlb.map, s, n, true);
		for (unsigned long i = 0; i < n; i++)
			tlb.head[s + i] = s + 1;
		tlb.orig[s] = orig;
		tlb.owner[s] = dev;
		tlb.mapped[s] = size;
		tlb.nslots[s] = n;
		tlb.offset[s] = offset;
		tlb.used += n;
		tlb.hint = s + n;
		tlb_addr = slot_phys(s) + offset;
	}
	nslabs = tlb.nslabs;
	used = tlb.used;
	pthread_mutex_unlock(&tlb.lock);
	if (s < 0) {
		if (!(attrs & DMA_ATTR_NO_WARN))
			dev_warn(dev, "swiotlb buffer is full (sz: %zd bytes), total %lu (slots), used %lu (slots)\n",
				 size, nslabs, used);
		return DMA_MAPPING_ERROR;
	}
	memcpy(phys_to_virt(tlb_addr), phys_to_virt(orig), size);
	if (unlikely(!ukmem__dma_capable(dev, tlb_addr, size))) {
		ukmem__swiotlb_unmap(dev, tlb_addr, size, dir, attrs | DMA_ATTR_SKIP_CPU_SYNC);
		dev_WARN_ONCE(dev, 1, "swiotlb addr %pad+%zu overflow (mask %llx, bus limit %llx).\n",
			      &tlb_addr, size, *dev->dma_mask, dev->bus_dma_limit);
		return DMA_MAPPING_ERROR;
	}
	return tlb_addr;
}

/**
 * ukmem__swiotlb_is_bounce - whether a bus address lies in the bounce pool
 * @addr: the address
 *
 * Return: true when it does.
 */
bool ukmem__swiotlb_is_bounce(phys_addr_t addr)
{
	bool in;

	if (!ukmem__swiotlb_active())
		return false;
	pthread_mutex_lock(&tlb.lock);
	in = phys_slot(addr) >= 0;
	pthread_mutex_unlock(&tlb.lock);
	return in;
}

/* Where the live mapping holding @addr starts (tlb.lock held); -1 if none. */
static long mapping_of(phys_addr_t addr)
{
	long s = phys_slot(addr);

	return s >= 0 && tlb.head[s] ? (long)tlb.head[s] - 1 : -1;
}

/* The live mapping of @dev holding @addr (tlb.lock held); -1 if none.  Slots that another
 * device's mapping holds (a stale address: its mapping ended and the slots were handed on)
 * are that device's: a warning, and -1.  The holder is not named: it may have been released. */
static long mapping_of_dev(struct device *dev, phys_addr_t addr, const char *what)
{
	long s = mapping_of(addr);

	if (s < 0 || tlb.owner[s] == dev)
		return s;
	dev_WARN(dev, "swiotlb: %s of a bounce buffer another device holds [device address=%pa]\n",
		 what, &addr);
	return -1;
}

/*
 * Copies bytes [addr, addr + size) of mapping @s (addr a bus address inside it) between the
 * bounce slots and the original buffer, clamped to what was mapped (tlb.lock held).  A copy
 * that starts before the mapping or runs past its end gets 6.1's swiotlb_bounce warnings
 * (once each), with the kernel's numbers: what is left of the mapping from @addr on.
 */
static void bounce(struct device *dev, long s, phys_addr_t addr, size_t size, bool to_device)
{
	phys_addr_t start = slot_phys(s) + tlb.offset[s];
	size_t k = addr - start, left;
	char *t, *o;

	if (addr < start) {
		dev_WARN_ONCE(dev, 1, "Access before mapping start detected. orig offset %u, requested offset %u.\n",
			      tlb.offset[s], (unsigned int)(addr - slot_phys(s)));
		return;
	}
	if (k > tlb.mapped[s]) {		/* the kernel counts from the slot @addr is in */
		size_t before = k & ~(size_t)(IO_TLB_SIZE - 1);

		dev_WARN_ONCE(dev, 1, "Buffer overflow detected. Allocation size: %zu. Mapping size: %zu+%u.\n",
			      tlb.mapped[s] - before, size, (unsigned int)(k - before));
		return;
	}
	left = tlb.mapped[s] - k;
	if (size > left) {
		dev_WARN_ONCE(dev, 1, "Buffer overflow detected. Allocation size: %zu. Mapping size: %zu.\n",
			      left, size);
		size = left;
	}
	t = (char *)phys_to_virt(start) + k;
	o = (char *)phys_to_virt(tlb.orig[s]) + k;
	if (to_device)
		memcpy(t, o, size);
	else
		memcpy(o, t, size);
}

/**
 * ukmem__swiotlb_unmap - end a bounced mapping
 * @dev: the device
 * @tlb_addr: the bus address ukmem__swiotlb_map() returned
 * @size: bytes the caller unmaps
 * @dir: DMA_FROM_DEVICE and DMA_BIDIRECTIONAL copy back
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC skips the copy
 *
 * An address that does not start a live mapping changes nothing.
 */
void ukmem__swiotlb_unmap(struct device *dev, phys_addr_t tlb_addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs)
{
	long s;

	pthread_mutex_lock(&tlb.lock);
	s = mapping_of_dev(dev, tlb_addr, "unmap");
	if (s >= 0 && tlb_addr == slot_phys(s) + tlb.offset[s]) {
		if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC) &&
		    (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL))
			bounce(dev, s, tlb_addr, size, false);
		ukmem__bits_assign(tlb.map, s, tlb.nslots[s], false);
		for (unsigned long i = 0; i < tlb.nslots[s]; i++)
			tlb.head[s + i] = 0;
		tlb.used -= tlb.nslots[s];
		tlb.mapped[s] = tlb.nslots[s] = tlb.offset[s] = 0;
		tlb.owner[s] = NULL;
	}
	pthread_mutex_unlock(&tlb.lock);
}

/**
 * ukmem__swiotlb_sync - copy part of a bounced mapping for the CPU or for the device
 * @dev: the device
 * @tlb_addr: a bus address inside the mapping
 * @size: bytes
 * @dir: the direction the caller syncs for
 * @for_cpu: true copies back (FROM_DEVICE, BIDIRECTIONAL), false copies in (TO_DEVICE,
 *	BIDIRECTIONAL)
 */
void ukmem__swiotlb_sync(struct device *dev, phys_addr_t tlb_addr, size_t size,
			 enum dma_data_direction dir, bool for_cpu)
{
	long s;

	if (for_cpu ? dir == DMA_TO_DEVICE : dir == DMA_FROM_DEVICE)
		return;
	pthread_mutex_lock(&tlb.lock);
	s = mapping_of_dev(dev, tlb_addr, "sync");
	if (s >= 0)
		bounce(dev, s, tlb_addr, size, !for_cpu);
	pthread_mutex_unlock(&tlb.lock);
}

/* fork(): the DMA subsystem's locks, all leaves, so their order does not matter. */
static void dma_fork_lock(void)
{
	pthread_mutex_lock(&tlb.lock);
	ukmem__dma_pool_fork(true);
	ukmem__dma_debug_fork(true);
}

static void dma_fork_unlock(void)
{
	ukmem__dma_debug_fork(false);
	ukmem__dma_pool_fork(false);
	pthread_mutex_unlock(&tlb.lock);
}

/* Start-up: the pool exists up front where the kernel would turn swiotlb on. */
static int swiotlb_init(void)
{
	bool eager = ukmem__cfg.swiotlb_slabs || ukmem__cfg.swiotlb_force ||
		     ukmem__mm.phys_end > UKMEM_HOLE_END;

	ukmem__mm_on_fork(dma_fork_lock, dma_fork_unlock, NULL);
	if (eager) {
		phys_addr_t lo = ~0ULL, hi = 0;

		pool_create();
		for (int b = 0; b < tlb.nr_blocks; b++) {
			lo = min(lo, tlb.blocks[b].phys);
			/* the kernel prints mem->end, one past the pool's last byte */
			hi = max(hi, tlb.blocks[b].phys + tlb.blocks[b].nslots * IO_TLB_SIZE);
		}
		if (tlb.ready)
			printk(KERN_INFO "software IO TLB: mapped [mem %pa-%pa] (%luMB)\n", &lo, &hi,
			       (tlb.nslabs * IO_TLB_SIZE) >> 20);
	}
	return 0;
}
UKMEM_INITCALL(UKMEM_INIT_SUBSYS, swiotlb_init);

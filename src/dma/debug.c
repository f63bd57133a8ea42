/* SPDX-License-Identifier: MIT */
/*
 * DMA-API debugging (kernel/dma/debug.c's checks and texts): every live streaming mapping
 * and coherent allocation is an entry in a hash table keyed by device address; unmaps, frees
 * and syncs are checked against it, and so are the device's own accesses (ukmem_dma_read and
 * ukmem_dma_write), which the kernel cannot see.  A problem is a WARNING whose message starts
 * "DMA-API: DRIVER DEVICE: " followed by the kernel's text, then "DMA-API: Mapped at:" and
 * where the entry was made.  Every problem is shown (the kernel's show_all_errors), unless
 * dma_debug_driver= names another driver.  When a driver unbinds with entries left, the bus
 * notifier reports them (as the kernel, under the bus's name: the device has no driver any
 * more; dma_debug_driver= matches the driver that was just unbound).  When the device itself
 * goes away (removed from a watched bus, or released, on any bus or none) its entries are
 * dropped (they would name freed memory).  ukmem_show("dma-api") lists the entries in the kernel's debugfs
 * "dump" format.
 *
 * On by default; dma_debug=off turns every hook into one predictable branch.
 *
 * An unmap or free by a function that releases something else than the entry holds (a
 * coherent buffer unmapped with dma_unmap_single, a streaming mapping freed with
 * dma_free_coherent, dma_alloc_pages memory unmapped) is reported as the kernel does and ends
 * the mapping, as there; but the entry becomes an orphan: nothing sees it (syncs, the device
 * side, the dump, unbind) except the right release function, which then gets the kernel's "has
 * not allocated" report, as in 6.1, and still releases the memory or bounce slots the entry
 * records, which 6.1 would release too (ukmem's release needs the entry to know them).
 *
 * Invariants: an entry is on exactly one list: its hash bucket ((dev_addr >> 13) & mask)
 * while live, the orphan list, or the free list.  max_size is at least the size of every
 * live entry, so a search for the entry that contains an address looks back at most that far.
 *
 * Locking: dbg.lock (host mutex, a leaf; reports are printed after it is dropped, from a
 * copy of the entry) guards the buckets, the orphan and free lists and the counters.
 * Entries live in host memory: debugging neither uses nor disturbs the memory it watches, and
 * fault injection never reaches it.
 */
#include <pthread.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/notifier.h>
#include <linux/platform_device.h>
#include <linux/vmalloc.h>
#include "dma/dma.h"
#include "base/base.h"
#include "debug/fault.h"
#include "debug/kmemleak.h"
#include "mm/mm.h"
#include "platform/platform.h"

#define HASH_SIZE	16384
#define HASH_FN_SHIFT	13
#define ENTRIES_PER_ALLOC	512

struct dma_debug_entry {
	struct list_head list;
	struct ukmem__dma_ref r;
	bool tracked;		/* kmemleak has a record of it (made in a fail sweep's run) */
	int stack_len;
	unsigned long stack[UKMEM_STACK_DEPTH];
};

static const char *const maperr2str[] = {
	[MAP_ERR_CHECK_NOT_APPLICABLE] = "dma map error check not applicable",
	[MAP_ERR_NOT_CHECKED] = "dma map error not checked",
	[MAP_ERR_CHECKED] = "dma map error checked",
};
static const char *const type2name[] = {
	[dma_debug_single] = "single",
	[dma_debug_sg] = "scather-gather",	/* sic, as the kernel spells it */
	[dma_debug_coherent] = "coherent",
	[dma_debug_resource] = "resource",
};
static const char *const dir2name[] = {
	[DMA_BIDIRECTIONAL] = "DMA_BIDIRECTIONAL",
	[DMA_TO_DEVICE] = "DMA_TO_DEVICE",
	[DMA_FROM_DEVICE] = "DMA_FROM_DEVICE",
	[DMA_NONE] = "DMA_NONE",
};

static struct {
	pthread_mutex_t lock;
	bool on;
	struct list_head *buckets;
	struct list_head free, orphans;
	unsigned long nr_live, error_count;
	u64 max_size;
} dbg = { .lock = PTHREAD_MUTEX_INITIALIZER };

/*
 * The device whose driver this thread is unbinding, and that driver's name: after the
 * unbind the device has no driver, and dma_debug_driver= still has to match the report
 * made from the unbind notifier.  Per thread: devices unbind on several threads at once.
 */
static __thread struct {
	struct device *dev;
	char drv[32];
} unbinding;

bool ukmem__dma_debug_on(void)
{
	return dbg.on;
}

static const char *dir_name(int dir)
{
	return dir >= 0 && dir <= DMA_NONE ? dir2name[dir] : "DMA_INVALID";
}

/* ---- reports ---- */
static bool driver_filter(struct device *dev)
{
	const char *name;

	if (likely(!ukmem__cfg.dma_debug_driver[0]))
		return true;
	if (!dev)
		return false;
	name = dev->driver ? dev->driver->name :
	       dev == unbinding.dev ? unbinding.drv : NULL;
	return name && !strcmp(name, ukmem__cfg.dma_debug_driver);
}

/* A WARNING with the kernel's "DMA-API: DRIVER DEVICE: " prefix, then where @e was mapped. */
static void __printf(6, 7) err_report(const char *file, int line, const char *func,
				      struct device *dev, const struct dma_debug_entry *e,
				      const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	__atomic_fetch_add(&dbg.error_count, 1, __ATOMIC_RELAXED);
	if (!driver_filter(dev))
		return;
	va_start(ap, fmt);
	ukmem__vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ukmem__console_lock();
	__ukmem_warn(file, line, func, "DMA-API: %s %s: %s", dev ? dev_driver_string(dev) : "NULL",
		     dev ? dev_name(dev) : "NULL", msg);
	if (e) {
		printk(KERN_WARNING "DMA-API: Mapped at:\n");
		ukmem__stack_print(e->stack, e->stack_len, " ");
	}
	ukmem__console_unlock();
}
#define err_printk(dev, e, fmt, ...) \
	err_report(__FILE__, __LINE__, __func__, dev, e, fmt, ##__VA_ARGS__)

/* ---- the hash ---- */
static struct list_head *bucket_of(dma_addr_t addr)
{
	return &dbg.buckets[(addr >> HASH_FN_SHIFT) & (HASH_SIZE - 1)];
}

static bool exact_match(const struct ukmem__dma_ref *a, const struct dma_debug_entry *e)
{
	return a->dev_addr == e->r.dev_addr && a->dev == e->r.dev;
}

/* The live entry for @ref's address, the closest in type, size and direction (lock held). */
static struct dma_debug_entry *find_exact(const struct ukmem__dma_ref *ref)
{
	struct dma_debug_entry *e, *best = NULL;
	int best_score = -1;

	list_for_each_entry(e, bucket_of(ref->dev_addr), list) {
		int score;

		if (!exact_match(ref, e))
			continue;
		score = (e->r.size == ref->size) + (e->r.type == ref->type) +
			(e->r.direction == ref->direction) + (e->r.sg_call_ents == ref->sg_call_ents);
		if (score > best_score) {
			best = e;
			best_score = score;
		}
	}
	return best;
}

/* The live entry of @dev containing [addr, addr + len) (len 0: containing addr) (lock held). */
static struct dma_debug_entry *find_contain(struct device *dev, dma_addr_t addr, u64 len)
{
	u64 back = 0;

	do {
		struct dma_debug_entry *e;

		list_for_each_entry(e, bucket_of(addr - back), list) {
			if (e->r.dev != dev || addr < e->r.dev_addr ||
			    addr - e->r.dev_addr >= max(e->r.size, (u64)1))
				continue;
			if (!len || addr + len <= e->r.dev_addr + e->r.size)
				return e;
		}
		back += 1UL << HASH_FN_SHIFT;
	} while (back <= dbg.max_size + (1UL << HASH_FN_SHIFT) && back <= addr);
	return NULL;
}

/* What releasing an entry gives back: coherent pages, dma_alloc_pages pages, bounce slots
 * (single and sg mappings alike) or nothing (resources). */
static int release_kind(const struct ukmem__dma_ref *r)
{
	if (r->type == dma_debug_single && r->pages)
		return dma_debug_resource + 1;
	return r->type == dma_debug_sg ? dma_debug_single : r->type;
}

/* The orphan that @ref's release function would release (lock held); NULL if none. */
static struct dma_debug_entry *find_orphan(const struct ukmem__dma_ref *ref)
{
	struct dma_debug_entry *e;

	list_for_each_entry(e, &dbg.orphans, list)
		if (exact_match(ref, e) && release_kind(&e->r) == release_kind(ref))
			return e;
	return NULL;
}

static struct dma_debug_entry *entry_alloc(void)
{
	struct dma_debug_entry *e;

	if (list_empty(&dbg.free)) {
		struct dma_debug_entry *batch = ukmem__os_alloc(ENTRIES_PER_ALLOC * sizeof(*e));

		if (!batch)
			return NULL;
		for (int i = 0; i < ENTRIES_PER_ALLOC; i++)
			list_add(&batch[i].list, &dbg.free);
	}
	e = list_first_entry(&dbg.free, struct dma_debug_entry, list);
	list_del(&e->list);
	return e;
}

/* A streaming mapping made by a fail sweep's run is kmemleak's too, keyed by its bus
 * address, so that the run's check finds it when it is never unmapped.  Only there: a
 * record with its stack would cost every mapping 0.3-0.6 us.  Coherent buffers are
 * kmemleak's already, and dma_alloc_pages memory is the page allocator's. */
static bool track_mapping(const struct ukmem__dma_ref *ref)
{
	if (likely(!ukmem__debug_tls.sweeping) || ref->type == dma_debug_coherent || ref->pages)
		return false;
	ukmem__leak_track((void *)(uintptr_t)ref->dev_addr, ref->size, UKMEM_LEAK_DMA_MAPPING,
			  _RET_IP_);
	return true;
}

static void untrack_mapping(const struct dma_debug_entry *e)
{
	if (e->tracked)
		ukmem__leak_untrack((void *)(uintptr_t)e->r.dev_addr, UKMEM_LEAK_DMA_MAPPING);
}

/**
 * ukmem__dma_debug_add - remember a new mapping or coherent allocation
 * @ref: what was mapped; the caller's stack is recorded with it
 */
void ukmem__dma_debug_add(const struct ukmem__dma_ref *ref)
{
	unsigned long stack[UKMEM_STACK_DEPTH];
	int n = ukmem__stack_save(stack, UKMEM_STACK_DEPTH, 1);
	bool tracked = track_mapping(ref);
	struct dma_debug_entry *e;

	pthread_mutex_lock(&dbg.lock);
	e = entry_alloc();
	if (e) {
		e->r = *ref;
		e->tracked = tracked;
		e->stack_len = n;
		memcpy(e->stack, stack, n * sizeof(stack[0]));
		list_add_tail(&e->list, bucket_of(ref->dev_addr));
		dbg.nr_live++;
		dbg.max_size = max(dbg.max_size, ref->size);
	}
	pthread_mutex_unlock(&dbg.lock);
	if (!e && tracked)
		ukmem__leak_untrack((void *)(uintptr_t)ref->dev_addr, UKMEM_LEAK_DMA_MAPPING);
	if (!e)
		printk(KERN_ERR "DMA-API: debugging out of memory - entry not recorded\n");
}

/**
 * ukmem__dma_debug_remove - check an unmap or free and forget the mapping
 * @ref: what the driver passed (for a dma_free_pages(), with .pages set)
 * @found: receives the mapping as recorded at map time (what really is mapped); may be NULL
 *
 * A live mapping that @ref's function does not release (another kind: see release_kind) is
 * reported and orphaned; an orphan that it does release is reported as never allocated (the
 * kernel had forgotten it) and handed back.
 *
 * Return: false when the caller must release nothing; true when it releases @found.
 */
bool ukmem__dma_debug_remove(const struct ukmem__dma_ref *ref, struct ukmem__dma_ref *found)
{
	struct dma_debug_entry *e, copy;
	struct device *dev = ref->dev;
	bool orphan = false, adopted = false;

	pthread_mutex_lock(&dbg.lock);
	e = find_exact(ref);
	if (e) {
		orphan = release_kind(&e->r) != release_kind(ref);
		list_move(&e->list, orphan ? &dbg.orphans : &dbg.free);
		dbg.nr_live--;
	} else {
		e = find_orphan(ref);
		adopted = e != NULL;
		if (e)
			list_move(&e->list, &dbg.free);
	}
	if (e)
		copy = *e;
	pthread_mutex_unlock(&dbg.lock);
	if (e && !adopted)		/* the mapping ends here, orphaned or not */
		untrack_mapping(&copy);
	if (!e || adopted) {
		if (ref->dev_addr == DMA_MAPPING_ERROR)
			err_printk(dev, NULL, "device driver tries to free an invalid DMA memory address\n");
		else
			err_printk(dev, NULL, "device driver tries to free DMA memory it has not allocated [device address=0x%016llx] [size=%llu bytes]\n",
				   ref->dev_addr, ref->size);
		if (adopted && found)
			*found = copy.r;
		return adopted;
	}
	e = &copy;
	if (found)
		*found = e->r;
	if (ref->size != e->r.size)
		err_printk(dev, e, "device driver frees DMA memory with different size [device address=0x%016llx] [map size=%llu bytes] [unmap size=%llu bytes]\n",
			   ref->dev_addr, e->r.size, ref->size);
	if (ref->type != e->r.type)
		err_printk(dev, e, "device driver frees DMA memory with wrong function [device address=0x%016llx] [size=%llu bytes] [mapped as %s] [unmapped as %s]\n",
			   ref->dev_addr, ref->size, type2name[e->r.type], type2name[ref->type]);
	else if (e->r.type == dma_debug_coherent && ref->paddr != e->r.paddr)
		err_printk(dev, e, "device driver frees DMA memory with different CPU address [device address=0x%016llx] [size=%llu bytes] [cpu alloc address=0x%016llx] [cpu free address=0x%016llx]",
			   ref->dev_addr, ref->size, e->r.paddr, ref->paddr);
	if (ref->sg_call_ents && ref->type == dma_debug_sg && ref->sg_call_ents != e->r.sg_call_ents)
		err_printk(dev, e, "device driver frees DMA sg list with different entry count [map count=%d] [unmap count=%d]\n",
			   e->r.sg_call_ents, ref->sg_call_ents);
	if (ref->direction != e->r.direction)
		err_printk(dev, e, "device driver frees DMA memory with different direction [device address=0x%016llx] [size=%llu bytes] [mapped with %s] [unmapped with %s]\n",
			   ref->dev_addr, ref->size, dir_name(e->r.direction), dir_name(ref->direction));
	if (e->r.map_err_type == MAP_ERR_NOT_CHECKED)
		err_printk(dev, e, "device driver failed to check map error[device address=0x%016llx] [size=%llu bytes] [mapped as %s]",
			   ref->dev_addr, ref->size, type2name[e->r.type]);
	return !orphan;
}

/**
 * ukmem__dma_debug_sync - check a sync against the mapping that contains it
 * @ref: the range and direction synced
 * @to_cpu: true for a sync for the CPU
 *
 * Return: false when no live mapping of the device contains the address (reported): the
 * caller then copies nothing.
 */
bool ukmem__dma_debug_sync(const struct ukmem__dma_ref *ref, bool to_cpu)
{
	struct dma_debug_entry *e, copy;
	struct device *dev = ref->dev;
	int dir = ref->direction;

	pthread_mutex_lock(&dbg.lock);
	e = find_contain(dev, ref->dev_addr, 0);
	if (e)
		copy = *e;
	pthread_mutex_unlock(&dbg.lock);
	if (!e) {
		err_printk(dev, NULL, "device driver tries to sync DMA memory it has not allocated [device address=0x%016llx] [size=%llu bytes]\n",
			   ref->dev_addr, ref->size);
		return false;
	}
	e = &copy;
	if (ref->dev_addr - e->r.dev_addr + ref->size > e->r.size)
		err_printk(dev, e, "device driver syncs DMA memory outside allocated range [device address=0x%016llx] [allocation size=%llu bytes] [sync offset+size=%llu]\n",
			   e->r.dev_addr, e->r.size, ref->dev_addr - e->r.dev_addr + ref->size);
	if (e->r.direction == DMA_BIDIRECTIONAL)
		return true;
	if (dir != e->r.direction)
		err_printk(dev, e, "device driver syncs DMA memory with different direction [device address=0x%016llx] [size=%llu bytes] [mapped with %s] [synced with %s]\n",
			   ref->dev_addr, e->r.size, dir_name(e->r.direction), dir_name(dir));
	if (to_cpu && e->r.direction != DMA_FROM_DEVICE && dir != DMA_TO_DEVICE)
		err_printk(dev, e, "device driver syncs device read-only DMA memory for cpu [device address=0x%016llx] [size=%llu bytes] [mapped with %s] [synced with %s]\n",
			   ref->dev_addr, e->r.size, dir_name(e->r.direction), dir_name(dir));
	if (!to_cpu && e->r.direction != DMA_TO_DEVICE && dir != DMA_FROM_DEVICE)
		err_printk(dev, e, "device driver syncs device write-only DMA memory to device [device address=0x%016llx] [size=%llu bytes] [mapped with %s] [synced with %s]\n",
			   ref->dev_addr, e->r.size, dir_name(e->r.direction), dir_name(dir));
	if (ref->sg_call_ents && ref->type == dma_debug_sg && ref->sg_call_ents != e->r.sg_call_ents)
		err_printk(dev, e, "device driver syncs DMA sg list with different entry count [map count=%d] [sync count=%d]\n",
			   e->r.sg_call_ents, ref->sg_call_ents);
	return true;
}

/**
 * ukmem__dma_debug_mapping_error - the driver checked this address with dma_mapping_error()
 * @dev: the device
 * @addr: the address
 */
void ukmem__dma_debug_mapping_error(struct device *dev, dma_addr_t addr)
{
	struct ukmem__dma_ref ref = { .dev = dev, .dev_addr = addr };
	struct dma_debug_entry *e;

	pthread_mutex_lock(&dbg.lock);
	list_for_each_entry(e, bucket_of(addr), list) {
		if (exact_match(&ref, e) && e->r.map_err_type == MAP_ERR_NOT_CHECKED) {
			e->r.map_err_type = MAP_ERR_CHECKED;
			break;
		}
	}
	pthread_mutex_unlock(&dbg.lock);
}

/**
 * ukmem__dma_debug_sg_mapped_ents - how many entries the sg mapping at @addr produced
 * @dev: the device
 * @addr: the DMA address of the list's first entry
 *
 * Return: the count recorded at map time, 0 when unknown.
 */
int ukmem__dma_debug_sg_mapped_ents(struct device *dev, dma_addr_t addr)
{
	struct ukmem__dma_ref ref = { .dev = dev, .dev_addr = addr, .type = dma_debug_sg };
	struct dma_debug_entry *e;
	int n;

	pthread_mutex_lock(&dbg.lock);
	e = find_exact(&ref);
	n = e ? e->r.sg_mapped_ents : 0;
	pthread_mutex_unlock(&dbg.lock);
	return n;
}

/**
 * ukmem__dma_debug_device_access - check a device's own read or write by bus address
 * @dev: the device
 * @addr: the bus address
 * @len: bytes
 * @write: true when the device writes memory
 *
 * Return: true when [addr, addr + len) lies in one live mapping of @dev whose direction
 * allows the access (coherent memory allows both), or when dma_debug_driver= names another
 * driver; false, with a report, otherwise.
 */
bool ukmem__dma_debug_device_access(struct device *dev, dma_addr_t addr, size_t len, bool write)
{
	struct dma_debug_entry *e, copy;
	const char *what = write ? "writes" : "reads";

	if (!driver_filter(dev))
		return true;		/* not the driver being debugged: not checked */
	pthread_mutex_lock(&dbg.lock);
	e = find_contain(dev, addr, len ? len : 1);
	if (e)
		copy = *e;
	pthread_mutex_unlock(&dbg.lock);
	if (!e) {
		err_printk(dev, NULL, "device %s DMA memory that is not mapped for it [device address=0x%016llx] [size=%zu bytes]\n",
			   what, addr, len);
		return false;
	}
	if (copy.r.direction == DMA_BIDIRECTIONAL ||
	    copy.r.direction == (write ? DMA_FROM_DEVICE : DMA_TO_DEVICE))
		return true;
	err_printk(dev, &copy, "device %s DMA memory against its direction [device address=0x%016llx] [size=%zu bytes] [mapped with %s]\n",
		   what, addr, len, dir_name(copy.r.direction));
	return false;
}

/**
 * ukmem__dma_debug_bad_area - report a map of memory that is not RAM in the direct map
 * @dev: the device
 * @addr: the buffer
 * @len: its bytes
 */
void ukmem__dma_debug_bad_area(struct device *dev, const void *addr, size_t len)
{
	if (!dbg.on)
		return;
	if (ukmem__os_on_thread_stack(addr))
		err_printk(dev, NULL, "device driver maps memory from stack [addr=%px]\n", addr);
	else if (is_vmalloc_addr(addr))
		err_printk(dev, NULL, "device driver maps memory from vmalloc area [addr=%px] [len=%lu]\n",
			   addr, (unsigned long)len);
	else
		err_printk(dev, NULL, "device driver maps memory from invalid area [addr=%px] [len=%lu]\n",
			   addr, (unsigned long)len);
}

/**
 * ukmem__dma_debug_sg_segment - check an sg entry against the device's segment limits
 * @dev: the device
 * @sg: the entry, after mapping
 */
void ukmem__dma_debug_sg_segment(struct device *dev, struct scatterlist *sg)
{
	unsigned int len = sg_dma_len(sg);
	dma_addr_t start = sg_dma_address(sg), end = start + len - 1;
	unsigned long boundary = dma_get_seg_boundary(dev);

	if (len > dma_get_max_seg_size(dev))
		err_printk(dev, NULL, "mapping sg segment longer than device claims to support [len=%u] [max=%u]\n",
			   len, dma_get_max_seg_size(dev));
	if ((start ^ end) & ~(dma_addr_t)boundary)
		err_printk(dev, NULL, "mapping sg segment across boundary [start=0x%016llx] [end=0x%016llx] [boundary=0x%016llx]\n",
			   start, end, (unsigned long long)boundary);
}

/* ---- unbind, the dump, start-up ---- */

/* A device is gone (removed from its bus, or released whatever its bus): its entries
 * (reported at unbind already, where a bus notifier watches) would point at freed memory. */
static void forget_device(struct device *dev)
{
	struct dma_debug_entry *e, *tmp;

	pthread_mutex_lock(&dbg.lock);
	for (int i = 0; i < HASH_SIZE && dbg.nr_live; i++)
		list_for_each_entry_safe(e, tmp, &dbg.buckets[i], list)
			if (e->r.dev == dev) {
				untrack_mapping(e);
				list_move(&e->list, &dbg.free);
				dbg.nr_live--;
			}
	list_for_each_entry_safe(e, tmp, &dbg.orphans, list)
		if (e->r.dev == dev)
			list_move(&e->list, &dbg.free);
	pthread_mutex_unlock(&dbg.lock);
}

static int device_change(struct notifier_block *nb, unsigned long action, void *data)
{
	struct device *dev = data;
	struct dma_debug_entry *e, first;
	int count = 0;

	(void)nb;
	if (!dbg.on)
		return NOTIFY_DONE;
	if (action == BUS_NOTIFY_UNBIND_DRIVER && dev->driver) {
		snprintf(unbinding.drv, sizeof(unbinding.drv), "%s", dev->driver->name);
		unbinding.dev = dev;
	}
	if (action == BUS_NOTIFY_REMOVED_DEVICE) {
		forget_device(dev);
		return NOTIFY_DONE;
	}
	if (action != BUS_NOTIFY_UNBOUND_DRIVER)
		return NOTIFY_DONE;
	pthread_mutex_lock(&dbg.lock);
	/* Every bucket, as 6.1, but only until every live entry was seen: an unbind with no
	 * DMA state anywhere (most of them) costs nothing. */
	for (unsigned long i = 0, seen = 0; i < HASH_SIZE && seen < dbg.nr_live; i++)
		list_for_each_entry(e, &dbg.buckets[i], list)
			if (++seen, e->r.dev == dev) {
				if (!count++)
					first = *e;
				/* reported here: kmemleak's exit report leaves the buffer out */
				if (e->r.type == dma_debug_coherent)
					ukmem__leak_reported(phys_to_virt(e->r.paddr),
							     UKMEM_LEAK_DMA_COHERENT);
			}
	pthread_mutex_unlock(&dbg.lock);
	if (count)
		err_printk(dev, &first, "device driver has pending DMA allocations while released from device [count=%d]\n"
			   "One of leaked entries details: [device address=0x%016llx] [size=%llu bytes] [mapped with %s] [mapped as %s]\n",
			   count, first.r.dev_addr, first.r.size, dir_name(first.r.direction),
			   type2name[first.r.type]);
	unbinding.dev = NULL;
	return NOTIFY_DONE;
}

/**
 * dma_debug_add_bus - check the devices of @bus for DMA left behind when a driver unbinds
 * @bus: a bus (the platform bus is watched from start-up)
 */
void dma_debug_add_bus(struct bus_type *bus)
{
	struct notifier_block *nb;

	if (!dbg.on)
		return;
	nb = ukmem__os_alloc(sizeof(*nb));
	if (!nb)
		return;
	nb->notifier_call = device_change;
	bus_register_notifier(bus, nb);
}

static int show_dma_api(FILE *out, const char *arg)
{
	struct dma_debug_entry *e;

	(void)arg;
	if (!dbg.on)
		return 0;
	pthread_mutex_lock(&dbg.lock);
	for (int i = 0; i < HASH_SIZE; i++)
		list_for_each_entry(e, &dbg.buckets[i], list)
			fprintf(out, "%s %s %s idx %d P=%llx N=%lx D=%llx L=%llx %s %s\n",
				dev_name(e->r.dev), dev_driver_string(e->r.dev),
				type2name[e->r.type], i, (unsigned long long)e->r.paddr,
				(unsigned long)(e->r.paddr >> PAGE_SHIFT),
				(unsigned long long)e->r.dev_addr, (unsigned long long)e->r.size,
				dir_name(e->r.direction), maperr2str[e->r.map_err_type]);
	pthread_mutex_unlock(&dbg.lock);
	return 0;
}

void ukmem__dma_debug_fork(bool lock)
{
	if (lock)
		pthread_mutex_lock(&dbg.lock);
	else
		pthread_mutex_unlock(&dbg.lock);
}

static int dma_debug_init(void)
{
	ukmem__show_register("dma-api", show_dma_api);
	if (ukmem__cfg.dma_debug_off) {
		printk(KERN_INFO "DMA-API: debugging disabled on kernel command line\n");
		return 0;
	}
	dbg.buckets = ukmem__os_alloc(PAGE_ALIGN(HASH_SIZE * sizeof(*dbg.buckets)));
	if (!dbg.buckets) {
		printk(KERN_ERR "DMA-API: debugging out of memory error - disabled\n");
		return 0;
	}
	for (int i = 0; i < HASH_SIZE; i++)
		INIT_LIST_HEAD(&dbg.buckets[i]);
	INIT_LIST_HEAD(&dbg.free);
	INIT_LIST_HEAD(&dbg.orphans);
	dbg.on = true;
	dma_debug_add_bus(&platform_bus_type);
	ukmem__device_release_hook(forget_device);
	return 0;
}
UKMEM_INITCALL(UKMEM_INIT_DEVICE, dma_debug_init);

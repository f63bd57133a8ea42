/* SPDX-License-Identifier: MIT */
/*
 * io internals: emulated device regions (mmio.c), ioremap mappings (ioremap.c), the
 * accessors' slow path and trace (access.c), the picture of physical memory (physmap.c).
 *
 * Two parts of the vmalloc window hold ioremap mappings:
 *  - "fast" mappings, anywhere in the window below the slow part: a memory-backed region's
 *    memory file mapped read-write; accessors are plain loads and stores;
 *  - "slow" mappings, in [__ukmem_mmio_window.start, + .size): left inaccessible;
 *    accessors call __ukmem_mmio_read/write, which find the mapping, the physical address
 *    and the device behind it.  Callback regions, ranges with no device, and (with
 *    ukmem.mmio_trace=1 or a hook set) memory-backed regions too are mapped here; a
 *    memory-backed region's memory is still mapped there so direct use works.
 *
 * Invariants: live regions never overlap each other or RAM and are sorted by base; every
 * mapping holds a reference on the region it was made for (region->refs counts the list
 * membership and the mappings), so a removed region's name and range stay known for reports
 * until the last mapping of it goes.  A removed region is marked removed and leaves the list;
 * the mappings of its memory are revoked (a direct access faults and is reported).
 *
 * fork(): a memory-backed device's memory is a memory file of its own; the child gets a copy
 * (taken with io.lock held for writing across the fork), mapped again at the same addresses,
 * so parent and child never share device memory, as they share no RAM.  The child starts
 * with a fresh io.lock (an unlock from its new thread id would count as a reader's).
 *
 * Locking: io.lock (a reader-writer lock) guards regions, mappings and hooks.  Accessors take
 * it for reading and hold it while a device callback runs, so a device is never called after
 * ukmem_mmio_remove() returns; callbacks must therefore not add or remove devices or
 * mappings (nor may what they call: an interrupt handler they raise runs inside them), and
 * an attempt is refused with a warning rather than left to deadlock.
 * Lock order: io.lock, then the resource lock, the vmalloc lock, the console.
 * The fault handler only try-locks.
 */
#ifndef UKMEM_IO_INTERNAL_H
#define UKMEM_IO_INTERNAL_H
#include <pthread.h>
#include <stdio.h>
#include <linux/list.h>
#include <linux/ioport.h>
#include <linux/vmalloc.h>
#include <ukmem.h>
#include "platform/platform.h"

/* The emulated CPU's physical address width (boot_cpu_data.x86_phys_bits): an Intel server
 * part's 46 bits.  ioremap refuses an address beyond it, as the kernel's phys_addr_valid()
 * check does, and no device can be added there. */
#define UKMEM_PHYS_ADDR_BITS	46

#pragma GCC visibility push(hidden)

struct ukmem__mmio_region {
	struct list_head node;		/* in io.regions while live */
	char name[64];
	phys_addr_t base;
	resource_size_t size;
	struct ukmem_mmio_ops ops;	/* a copy; has_ops false for memory-backed */
	bool has_ops;
	void *priv;
	int fd;				/* memory-backed: its memory file, else -1 */
	char *mem;			/* device-side view of the pages [base & PAGE_MASK, ...) */
	size_t mem_len;
	struct resource res;		/* the device's entry in iomem_resource */
	ukmem_mmio_hook_fn hook;
	void *hook_arg;
	bool removed;
	bool port;			/* in the I/O port space (io.ports), not physical memory */
	unsigned int refs;
};

struct ukmem__iomap {
	struct list_head node;		/* in io.maps */
	unsigned long addr, len;	/* the mapped span (page aligned, guard excluded) */
	phys_addr_t phys;		/* physical address of addr */
	struct vm_struct *vm;
	struct ukmem__mmio_region *region;	/* the device it was made for (a reference), or NULL */
	bool mem;			/* the region's memory is mapped at addr */
	bool ram;			/* RAM the kernel does not use (the reserved first MiB,
					 * PageReserved pages) is mapped at addr, from the RAM file */
	bool warned;			/* the one-time "no device" warning was given */
	bool edge_warned;		/* the one-time "across the edge" warning was given */
	const void *caller;
	const struct device *owner;	/* the device whose devres entry unmaps it (devm_ioremap,
					 * devm_memremap), or NULL: a plain iounmap() of it is
					 * refused, so the entry never unmaps a later mapping */
};

struct ukmem__io {
	pthread_rwlock_t lock;
	pid_t fork_tid;			/* the thread that holds lock across fork() */
	struct list_head regions;	/* live devices, by base */
	struct list_head maps;		/* every ioremap mapping */
	struct list_head ports;		/* live port-space devices, by base */
	unsigned long pio_warned;	/* port I/O "no device" warning given */
};
extern struct ukmem__io ukmem__io;

/* How many accesses this thread is inside (io.lock read-held: device callbacks, hooks and
 * the interrupt handlers they raise run there).  A change of devices or mappings from there
 * would wait for ever for its own read lock: ukmem__io_refused() turns it down instead. */
extern __thread unsigned int ukmem__io_reading;

/* mmio.c; _locked calls need io.lock held (either way). */
bool ukmem__io_refused(const char *what, bool sleeps);
struct ukmem__mmio_region *ukmem__mmio_find_locked(phys_addr_t phys, phys_addr_t last);
struct ukmem__mmio_region *ukmem__port_find_locked(unsigned long port, unsigned long last);
void ukmem__mmio_put_locked(struct ukmem__mmio_region *r);	/* io.lock held for writing */
bool ukmem__phys_is_ram(phys_addr_t phys, phys_addr_t last, bool *mixed);

/* ioremap.c */
struct device;
struct ukmem__iomap *ukmem__iomap_find_locked(unsigned long addr);
void ukmem__iomap_set_owner(const volatile void __iomem *addr, const struct device *dev);
void ukmem__iounmap_owned(volatile void __iomem *addr, const struct device *dev);
bool ukmem__io_fault_describe(const struct ukmem__fault *f);

/* access.c */
void ukmem__mmio_removed_access(struct ukmem__mmio_region *r, phys_addr_t phys,
				unsigned int size, bool write);

/* physmap.c */
int ukmem__physmap_show(FILE *out, const char *arg);

#pragma GCC visibility pop
#endif

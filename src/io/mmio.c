/* SPDX-License-Identifier: MIT */
/*
 * Emulated devices: physical ranges outside RAM whose accesses go to a device's callbacks
 * (ukmem_mmio_ops) or to memory the device side shares with the driver (ops == NULL).
 * Each device is an entry of iomem_resource, so /proc/iomem shows it with the regions
 * drivers claim nested below.  Also the subsystem's state and start-up.
 *
 * Invariants and locking: see io.h.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <linux/io.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>
#include "core/core.h"
#include "mm/mm.h"
#include "platform/platform.h"
#include "vmalloc/vmalloc.h"
#include "io/io.h"

/* The subsystem's state lives beside its initcall: everything that uses io references it. */
struct ukmem__io ukmem__io = {
	.lock = PTHREAD_RWLOCK_INITIALIZER,
	.regions = LIST_HEAD_INIT(ukmem__io.regions),
	.maps = LIST_HEAD_INIT(ukmem__io.maps),
	.ports = LIST_HEAD_INIT(ukmem__io.ports),
};
#define IO ukmem__io

__thread unsigned int ukmem__io_reading;

/**
 * ukmem__io_refused - turn down a change of devices or mappings from inside an access
 * @what: the entry point, for the warning
 * @sleeps: the entry point may sleep in 6.1 (might_sleep() checks the context first)
 *
 * Inside a device callback or hook, or an interrupt handler one of them raised, this thread
 * holds io.lock for reading: taking it for writing would never return.
 * Return: true (after a warning) when the caller must give up.
 */
bool ukmem__io_refused(const char *what, bool sleeps)
{
	if (likely(!ukmem__io_reading))
		return false;
	if (sleeps)
		might_sleep();
	WARN(1, "%s from inside a device access (a device callback or hook, or an interrupt "
	     "handler it raised): the device table is in use there; refused\n", what);
	return true;
}

/* The slow part of the window, read by the inline accessors; set once at start-up. */
struct __ukmem_mmio_window __ukmem_mmio_window;

#define SLOW_WINDOW_SHIFT	4	/* the top 1/16 of the vmalloc window */

/**
 * ukmem__phys_is_ram - does [phys, last] touch RAM (the reserved first MiB included)?
 * @mixed: set when it also covers something that is not RAM
 */
bool ukmem__phys_is_ram(phys_addr_t phys, phys_addr_t last, bool *mixed)
{
	phys_addr_t covered = 0;

	for (int i = 0; i < ukmem__mm.nr_ram; i++) {
		phys_addr_t s = max(phys, ukmem__mm.ram[i].start);
		phys_addr_t e = min(last, ukmem__mm.ram[i].end - 1);

		if (s <= e)
			covered += e - s + 1;
	}
	if (mixed)
		*mixed = covered && covered != last - phys + 1;
	return covered != 0;
}

/* The live device of list l (sorted by base, no overlaps) that overlaps [first, last]. */
static struct ukmem__mmio_region *region_find(struct list_head *l, u64 first, u64 last)
{
	struct ukmem__mmio_region *r;

	list_for_each_entry(r, l, node) {
		if (r->base > last)
			break;
		if (r->base + r->size - 1 >= first)
			return r;
	}
	return NULL;
}

/* The live device of list l that starts at base. */
static struct ukmem__mmio_region *region_at(struct list_head *l, u64 base)
{
	struct ukmem__mmio_region *r = region_find(l, base, base);

	return r && r->base == base ? r : NULL;
}

/**
 * ukmem__mmio_find_locked - the live device that overlaps [phys, last], or NULL
 */
struct ukmem__mmio_region *ukmem__mmio_find_locked(phys_addr_t phys, phys_addr_t last)
{
	return region_find(&IO.regions, phys, last);
}

/**
 * ukmem__port_find_locked - the live port device that overlaps [port, last], or NULL
 */
struct ukmem__mmio_region *ukmem__port_find_locked(unsigned long port, unsigned long last)
{
	return region_find(&IO.ports, port, last);
}

static void region_free(struct ukmem__mmio_region *r)
{
	if (r->mem)
		ukmem__os_free(r->mem, r->mem_len);
	ukmem__os_close(r->fd);
	free(r);
}

/**
 * ukmem__mmio_put_locked - drop a reference; the last one frees a removed region
 */
void ukmem__mmio_put_locked(struct ukmem__mmio_region *r)
{
	if (ALWAYS(r->refs) && --r->refs == 0)
		region_free(r);
}

static int region_memory(struct ukmem__mmio_region *r)
{
	phys_addr_t first = r->base & PAGE_MASK;
	int err;

	r->mem_len = PAGE_ALIGN(r->base + r->size) - first;
	r->fd = ukmem__os_memfd("ukmem-mmio", r->mem_len);
	if (r->fd < 0)
		return r->fd;
	r->mem = ukmem__os_reserve(r->mem_len, PAGE_SIZE);
	if (!r->mem)
		return -ENOMEM;
	err = ukmem__os_map_shared(r->mem, r->mem_len, r->fd, 0);
	return err;
}

static void region_insert_locked(struct list_head *list, struct ukmem__mmio_region *new)
{
	struct ukmem__mmio_region *r;

	list_for_each_entry(r, list, node)
		if (r->base > new->base)
			break;
	list_add_tail(&new->node, &r->node);
}

static int region_check(const char *name, phys_addr_t base, resource_size_t size)
{
	phys_addr_t last = base + size - 1;

	if (!name || !size || last < base || (last >> UKMEM_PHYS_ADDR_BITS)) {
		pr_err("ukmem_mmio_add: bad device range %pa size %#llx\n", &base,
		       (unsigned long long)size);
		return -EINVAL;
	}
	if (ukmem__phys_is_ram(base, last, NULL)) {
		pr_err("ukmem_mmio_add: %s at %pa-%pa overlaps RAM: devices live outside RAM "
		       "(the hole at 3-4 GiB, or above the end of RAM)\n", name, &base, &last);
		return -EINVAL;
	}
	return 0;
}

/**
 * ukmem_mmio_add - register an emulated device at a physical range
 * @name: the device's name (iomem, traces, reports); copied
 * @base: first physical address; need not be page aligned
 * @size: bytes
 * @ops: read/write callbacks (copied), or NULL for a memory-backed region
 * @priv: passed to the callbacks
 *
 * Return: 0; -EINVAL for size 0, a range that wraps, reaches beyond the 46-bit physical
 * address space or touches RAM; -EBUSY when it overlaps
 * another device or a claim in iomem that it cannot nest; -ENOMEM; -EDEADLK (and a
 * warning) from inside a device access (a callback, or an interrupt handler it raised).
 */
int ukmem_mmio_add(const char *name, phys_addr_t base, resource_size_t size,
		   const struct ukmem_mmio_ops *ops, void *priv)
{
	struct ukmem__mmio_region *r;
	int err;

	ukmem__ensure_started();
	if (ukmem__io_refused("ukmem_mmio_add", false))
		return -EDEADLK;
	err = region_check(name, base, size);
	if (err)
		return err;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->base = base;
	r->size = size;
	r->priv = priv;
	r->fd = -1;
	r->refs = 1;
	if (ops) {
		r->ops = *ops;
		r->has_ops = true;
	} else if ((err = region_memory(r))) {
		region_free(r);
		return err;
	}
	r->res = (struct resource){ .name = r->name, .start = base, .end = base + size - 1,
				    .flags = IORESOURCE_MEM };
	pthread_rwlock_wrlock(&IO.lock);
	if (ukmem__mmio_find_locked(base, base + size - 1))
		err = -EBUSY;
	else if (insert_resource(&iomem_resource, &r->res))
		err = -EBUSY;
	else
		region_insert_locked(&IO.regions, r);
	pthread_rwlock_unlock(&IO.lock);
	if (err) {
		pr_err("ukmem_mmio_add: %s at %pa size %#llx overlaps another device or a "
		       "claimed region\n", name, &base, (unsigned long long)size);
		region_free(r);
	}
	return err;
}

/**
 * ukmem_mmio_remove - take the device at base away, as if unplugged
 *
 * Mappings of it stay reserved; every access through them is reported ("access to removed
 * device").  A base where no device starts gets an error message.  From inside a device
 * access (a callback, or an interrupt handler it raised) it is refused with a warning.
 */
void ukmem_mmio_remove(phys_addr_t base)
{
	struct ukmem__mmio_region *found;
	struct ukmem__iomap *m;

	if (ukmem__io_refused("ukmem_mmio_remove", false))
		return;
	pthread_rwlock_wrlock(&IO.lock);
	found = region_at(&IO.regions, base);
	if (found) {
		list_del(&found->node);
		found->removed = true;
		remove_resource(&found->res);
		list_for_each_entry(m, &IO.maps, node)
			if (m->region == found && m->mem)
				ukmem__os_revoke((void *)m->addr, m->len);
		ukmem__mmio_put_locked(found);
	}
	pthread_rwlock_unlock(&IO.lock);
	if (!found)
		pr_err("ukmem_mmio_remove: no device at %pa\n", &base);
}

/**
 * ukmem_mmio_add_port - register an emulated device in the I/O port space
 * @name: the device's name (ioports, traces); copied
 * @port: first port (0 .. 0xffff)
 * @n: number of ports
 * @ops: read/write callbacks (required: ports have no memory); copied
 * @priv: passed to the callbacks
 *
 * inb()..outl() and ioread/iowrite of an ioport_map() cookie reach it with the offset from
 * @port and the width.  Return: 0, -EINVAL (no ops, n 0, beyond 0xffff), -EBUSY (overlap),
 * -ENOMEM, -EDEADLK (from inside a device access, with a warning).
 */
int ukmem_mmio_add_port(const char *name, unsigned long port, unsigned long n,
			const struct ukmem_mmio_ops *ops, void *priv)
{
	struct ukmem__mmio_region *r;
	int err = 0;

	ukmem__ensure_started();
	if (ukmem__io_refused("ukmem_mmio_add_port", false))
		return -EDEADLK;
	if (!name || !ops || !n || port > PIO_MASK || n > PIO_MASK + 1 - port)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	*r = (struct ukmem__mmio_region){ .base = port, .size = n, .ops = *ops, .has_ops = true,
					  .priv = priv, .fd = -1, .refs = 1, .port = true };
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->res = (struct resource){ .name = r->name, .start = port, .end = port + n - 1,
				    .flags = IORESOURCE_IO };
	pthread_rwlock_wrlock(&IO.lock);
	if (ukmem__port_find_locked(port, port + n - 1) ||
	    insert_resource(&ioport_resource, &r->res))
		err = -EBUSY;
	else
		region_insert_locked(&IO.ports, r);
	pthread_rwlock_unlock(&IO.lock);
	if (err)
		region_free(r);
	return err;
}

/**
 * ukmem_mmio_remove_port - take the port device starting at @port away
 *
 * Its callbacks are never called once this returns; its ports then read all ones.
 */
void ukmem_mmio_remove_port(unsigned long port)
{
	struct ukmem__mmio_region *found;

	if (ukmem__io_refused("ukmem_mmio_remove_port", false))
		return;
	pthread_rwlock_wrlock(&IO.lock);
	found = region_at(&IO.ports, port);
	if (found) {
		list_del(&found->node);
		remove_resource(&found->res);
		ukmem__mmio_put_locked(found);
	}
	pthread_rwlock_unlock(&IO.lock);
	if (!found)
		pr_err("ukmem_mmio_remove_port: no device at port %#lx\n", port);
}

/**
 * ukmem_mmio_mem - the device side's view of a memory-backed region
 * @base: any physical address inside the region
 *
 * Return: the address where @base's byte lives, or NULL (no memory-backed device there).
 */
void *ukmem_mmio_mem(phys_addr_t base)
{
	struct ukmem__mmio_region *r;
	void *p = NULL;

	ukmem__ensure_started();
	pthread_rwlock_rdlock(&IO.lock);
	r = ukmem__mmio_find_locked(base, base);
	if (r && r->mem)
		p = r->mem + (base - (r->base & PAGE_MASK));
	pthread_rwlock_unlock(&IO.lock);
	return p;
}

/**
 * ukmem_mmio_set_hook - observe the accessor traffic of one device (NULL fn removes it)
 * @base: any physical address inside the device
 *
 * Return: 0, -ENOENT when no device is there, -EDEADLK (with a warning) from inside a
 * device access.
 */
int ukmem_mmio_set_hook(phys_addr_t base, ukmem_mmio_hook_fn fn, void *arg)
{
	struct ukmem__mmio_region *r;

	ukmem__ensure_started();
	if (ukmem__io_refused("ukmem_mmio_set_hook", false))
		return -EDEADLK;
	pthread_rwlock_wrlock(&IO.lock);
	r = ukmem__mmio_find_locked(base, base);
	if (r) {
		r->hook = fn;
		r->hook_arg = arg;
	}
	pthread_rwlock_unlock(&IO.lock);
	return r ? 0 : -ENOENT;
}

/* ---- fork ---- */
static void io_fork_lock(void)
{
	pthread_rwlock_wrlock(&IO.lock);
	IO.fork_tid = ukmem__os_gettid();
}

/* ThreadSanitizer's view of the child: the forking thread still write-holds the lock that
 * is about to be initialised afresh (a later read lock would be "of a write locked mutex"),
 * so it is told the hold ended. */
#ifdef UKMEM_TSAN
#include <sanitizer/tsan_interface.h>
static void tsan_fork_child_release(void *lock)
{
	__tsan_mutex_pre_unlock(lock, 0);
	__tsan_mutex_post_unlock(lock, 0);
}
#else
static void tsan_fork_child_release(void *lock)
{
	(void)lock;
}
#endif

/*
 * The child's only thread has a new thread id, and glibc takes an unlock from a thread other
 * than the writer for a reader's: unlocking would leave the lock write-held for ever.  The
 * child owns everything now, so it starts with a fresh, free lock instead.
 */
static void io_fork_unlock(void)
{
	if (ukmem__os_gettid() != IO.fork_tid) {
		tsan_fork_child_release(&IO.lock);
		pthread_rwlock_init(&IO.lock, NULL);
		return;
	}
	pthread_rwlock_unlock(&IO.lock);
}

static int fork_copy_region(struct ukmem__mmio_region *r)
{
	struct ukmem__iomap *m;
	int fd = ukmem__os_memfd_clone(r->fd, r->mem_len, "ukmem-mmio");
	int err;

	if (fd < 0)
		return fd;
	err = ukmem__os_map_shared(r->mem, r->mem_len, fd, 0);
	list_for_each_entry(m, &IO.maps, node) {
		if (err || m->region != r || !m->mem)
			continue;
		err = ukmem__os_map_shared((void *)m->addr, m->len, fd,
					   (off_t)(m->phys - (r->base & PAGE_MASK)));
	}
	ukmem__os_close(r->fd);
	r->fd = fd;
	return err;
}

/* In the child, io.lock held: every live memory-backed device gets its own copy, and the
 * mappings of RAM are moved onto the child's RAM file.  Removed devices' mappings are
 * revoked already and stay so. */
static void io_fork_child(int ram_fd)
{
	struct ukmem__mmio_region *r;
	struct ukmem__iomap *m;

	list_for_each_entry(r, &IO.regions, node) {
		int err = r->has_ops ? 0 : fork_copy_region(r);

		if (err) {
			fprintf(stderr, "ukmem: fork: cannot give the child its own copy of the "
				"memory of device %s (error %d)\n", r->name, err);
			_exit(127);
		}
	}
	list_for_each_entry(m, &IO.maps, node) {
		int err = m->ram ? ukmem__os_map_shared((void *)m->addr, m->len, ram_fd,
							(off_t)m->phys) : 0;

		if (err) {
			fprintf(stderr, "ukmem: fork: cannot map the ioremap mapping of RAM at "
				"0x%llx in the child (error %d)\n", (unsigned long long)m->phys,
				err);
			_exit(127);
		}
	}
}

static void io_exit(void)
{
	struct ukmem__iomap *m;
	int n = 0;

	pthread_rwlock_rdlock(&IO.lock);
	list_for_each_entry(m, &IO.maps, node)
		n++;
	pthread_rwlock_unlock(&IO.lock);
	if (n)
		pr_info("ioremap: %d mapping%s still mapped at exit\n", n, n == 1 ? "" : "s");
}

static int io_init(void)
{
	unsigned long start = __ukmem_vmalloc_start, end = __ukmem_vmalloc_end;

	__ukmem_mmio_window.size = (end - start) >> SLOW_WINDOW_SHIFT;
	__ukmem_mmio_window.start = end - __ukmem_mmio_window.size;
	ukmem__vmalloc_fault_describe_register(ukmem__io_fault_describe);
	ukmem__mm_on_fork(io_fork_lock, io_fork_unlock, io_fork_child);
	ukmem__show_register("physmap.svg", ukmem__physmap_show);
	ukmem__show_register("ioports", ukmem__show_ioports);
	ukmem__on_exit(io_exit);
	return 0;
}
UKMEM_INITCALL(UKMEM_INIT_SUBSYS, io_init);

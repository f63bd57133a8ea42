/* SPDX-License-Identifier: MIT */
/*
 * The simulated physical memory: one memfd holds RAM (file offset == physical address), mapped
 * shared at the direct map so that every other mapping of a frame (vmalloc, vmap) aliases it.
 * The struct page array lives outside RAM, in a private anonymous mapping that the host
 * zero-fills lazily, so start-up costs nothing per frame.
 *
 * fork(): the child must not share RAM with its parent (both would hand out the same free
 * frames).  The child clones the memfd (populated ranges only) and every subsystem remaps
 * onto the clone before fork() returns in the child; the parent holds every subsystem's fork
 * locks until then (the fork gate), so what those locks guard is the same in the child's RAM
 * as in its private state.  Writes that take no ukmem lock (a program's own data, a free on
 * a per-thread fast path that poisons or zeroes its object) may still reach the copy while
 * it is made.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bitops.h>
#include <linux/kernel.h>
#include "core/core.h"
#include "mm/mm.h"
#include "platform/platform.h"

struct ukmem__mm ukmem__mm = { .fd = -1 };
struct ukmem_memmap __ukmem_memmap;

bool ukmem__pfn_is_ram(unsigned long pfn)
{
	phys_addr_t pa = PFN_PHYS(pfn);

	for (int i = 0; i < ukmem__mm.nr_ram; i++)
		if (pa >= ukmem__mm.ram[i].start && pa < ukmem__mm.ram[i].end)
			return true;
	return false;
}

bool virt_addr_valid(const volatile void *addr)
{
	return ukmem__mm.direct_base && ukmem__in_direct_map((const void *)addr) &&
	       ukmem__pfn_is_ram(virt_to_pfn(addr));
}

/**
 * __ukmem_memmap_start - the memory map, once ukmem has started
 *
 * The slow path of asm/page.h's __ukmem_memmap_get(): a conversion from a frame number or a
 * physical address made before the memory core is up starts ukmem first.
 *
 * Return: &__ukmem_memmap, filled in.
 */
const struct ukmem_memmap *__ukmem_memmap_start(void)
{
	ukmem__ensure_started();
	return &__ukmem_memmap;
}

unsigned long totalram_pages(void)
{
	ukmem__ensure_started();
	return ukmem__mm.totalram_pages;
}

void ukmem__mm_on_fork(void (*lock)(void), void (*unlock)(void), void (*remap)(int new_fd))
{
	int i = ukmem__mm.nr_fork_hooks;

	if (NEVER(i >= UKMEM_MAX_FORK_HOOKS)) {
		/* A dropped hook would leave a subsystem sharing state with a forked child. */
		fprintf(stderr, "ukmem: more than %d fork hooks: raise UKMEM_MAX_FORK_HOOKS\n",
			UKMEM_MAX_FORK_HOOKS);
		abort();
	}
	ukmem__mm.fork_lock[i] = lock;
	ukmem__mm.fork_unlock[i] = unlock;
	ukmem__mm.fork_remap[i] = remap;
	ukmem__mm.nr_fork_hooks++;
}

static int map_ram(int fd)
{
	for (int i = 0; i < ukmem__mm.nr_ram; i++) {
		phys_addr_t start = ukmem__mm.ram[i].start, end = ukmem__mm.ram[i].end;
		int err = ukmem__os_map_shared(ukmem__mm.direct_base + start, end - start, fd,
					       (off_t)start);

		if (err)
			return err;
	}
	return 0;
}

/* Locks in registration order (lower layers register first), the page allocator's last: a
 * subsystem may allocate pages while holding its own lock, never the other way round.  Then
 * the gate that holds the parent after fork() until the child has its own RAM. */
static void fork_prepare(void)
{
	for (int i = 0; i < ukmem__mm.nr_fork_hooks; i++)
		if (ukmem__mm.fork_lock[i])
			ukmem__mm.fork_lock[i]();
	ukmem__buddy_fork_lock();
	ukmem__mm.fork_gate_err = ukmem__os_fork_gate_arm();
}

static void fork_release(void)
{
	ukmem__buddy_fork_unlock();
	for (int i = ukmem__mm.nr_fork_hooks - 1; i >= 0; i--)
		if (ukmem__mm.fork_unlock[i])
			ukmem__mm.fork_unlock[i]();
}

/*
 * The parent keeps every lock until the child has copied RAM (or is gone): RAM is a shared
 * file until the child's copy, so a parent thread that went on at once could change what the
 * locks guard (a device's devres list, a slab's objects) while the child copies it, and the
 * child would get a list or a slab that its private state (struct pages, per-thread arrays,
 * a sanitizer's shadow) knows nothing of.
 */
static void fork_parent(void)
{
	int err = ukmem__mm.fork_gate_err;

	ukmem__os_fork_gate_wait();
	fork_release();
	if (err)
		fprintf(stderr, "ukmem: fork: cannot hold the parent until the child has its own RAM (error %d): the child may see the parent's later changes\n",
			err);
}

static void fork_child(void)
{
	int fd = ukmem__os_memfd_clone(ukmem__mm.fd, ukmem__mm.phys_end, "ukmem-ram");

	if (fd < 0 || map_ram(fd)) {
		fprintf(stderr, "ukmem: fork: cannot give the child its own copy of RAM (%s)\n",
			strerror(fd < 0 ? -fd : errno));
		_exit(127);
	}
	for (int i = 0; i < ukmem__mm.nr_fork_hooks; i++)
		if (ukmem__mm.fork_remap[i])
			ukmem__mm.fork_remap[i](fd);
	close(ukmem__mm.fd);
	ukmem__mm.fd = fd;
	ukmem__os_fork_gate_open();	/* the parent may go on */
	fork_release();			/* what prepare took, in the child too */
}

static void layout_ram(unsigned long long mem)
{
	ukmem__mm.nr_ram = 1;
	ukmem__mm.ram[0].start = 0;
	ukmem__mm.ram[0].end = mem < UKMEM_HOLE_START ? mem : UKMEM_HOLE_START;
	if (mem > UKMEM_HOLE_START) {
		ukmem__mm.ram[1].start = UKMEM_HOLE_END;
		ukmem__mm.ram[1].end = UKMEM_HOLE_END + (mem - UKMEM_HOLE_START);
		ukmem__mm.nr_ram = 2;
	}
	ukmem__mm.phys_end = ukmem__mm.ram[ukmem__mm.nr_ram - 1].end;
	ukmem__mm.totalram_pages = (mem - UKMEM_RESERVED_LOW) >> PAGE_SHIFT;
}

/* The vmalloc window shrinks when the host will not reserve that much address space
 * (valgrind, for one, manages at most a few tens of GiB for its client). */
static int reserve_windows(void)
{
	static const unsigned long long vmalloc_sizes[] = {
		UKMEM_VMALLOC_SIZE, 16ULL << 30, 4ULL << 30, 1ULL << 30,
	};
	size_t direct = ALIGN(ukmem__mm.phys_end, SZ_1G);

	for (size_t i = 0; i < ARRAY_SIZE(vmalloc_sizes); i++) {
		ukmem__mm.reserve_size = direct + SZ_1G + vmalloc_sizes[i];
		ukmem__mm.direct_base = ukmem__os_reserve(ukmem__mm.reserve_size, SZ_1G);
		if (!ukmem__mm.direct_base)
			continue;
		ukmem__mm.vmalloc_start = ukmem__mm.direct_base + direct + SZ_1G;
		ukmem__mm.vmalloc_end = ukmem__mm.vmalloc_start + vmalloc_sizes[i];
		return 0;
	}
	return -ENOMEM;
}

static int ukmem__mm_init(void)
{
	unsigned long nr_pfns;
	int err;

	layout_ram(ukmem__cfg.mem);
	nr_pfns = ukmem__mm.phys_end >> PAGE_SHIFT;
	ukmem__mm.fd = ukmem__os_memfd("ukmem-ram", ukmem__mm.phys_end);
	if (ukmem__mm.fd < 0) {
		fprintf(stderr, "ukmem: cannot create the RAM file (mem=%lluM): %s\n",
			ukmem__cfg.mem >> 20, strerror(-ukmem__mm.fd));
		return ukmem__mm.fd;
	}
	err = reserve_windows();
	if (!err)
		err = map_ram(ukmem__mm.fd);
	__ukmem_memmap.pages = err ? NULL : ukmem__os_alloc(nr_pfns * sizeof(struct page));
	if (err || !__ukmem_memmap.pages) {
		fprintf(stderr, "ukmem: cannot map %lluM of simulated RAM into this process\n",
			ukmem__cfg.mem >> 20);
		return -ENOMEM;
	}
	__ukmem_memmap.page_offset = (unsigned long)ukmem__mm.direct_base;
	__ukmem_memmap.nr_pfns = nr_pfns;
	ukmem__mm.map.page_offset = __ukmem_memmap.page_offset;
	ukmem__mm.map.pages = __ukmem_memmap.pages;
	ukmem__mm.map.nr_pfns = nr_pfns;
	/* without it (NULL) the walks read the whole memory map: slower, still exact */
	ukmem__mm.memmap_seen = ukmem__os_alloc(
		PAGE_ALIGN(BITS_TO_LONGS(DIV_ROUND_UP(nr_pfns, UKMEM_MEMMAP_FRAMES)) * sizeof(long)));
	for (unsigned long pfn = 0; pfn < UKMEM_RESERVED_LOW >> PAGE_SHIFT; pfn++)
		__SetPageReserved(pfn_to_page(pfn));
	err = ukmem__buddy_init();
	if (!err)
		err = ukmem__resource_init();
	ukmem__os_atfork(fork_prepare, fork_parent, fork_child);
	if (!err)	/* the public conversions may skip start-up from now on (asm/page.h) */
		__atomic_store_n(&__ukmem_memmap.ready, 1, __ATOMIC_RELEASE);
	return err;
}
UKMEM_INITCALL(UKMEM_INIT_MM, ukmem__mm_init);

static int ukmem__mm_late_init(void)
{
	ukmem__show_register("meminfo", ukmem__show_meminfo);
	ukmem__show_register("buddyinfo", ukmem__show_buddyinfo);
	ukmem__show_register("iomem", ukmem__show_iomem);
	return 0;
}
UKMEM_INITCALL(UKMEM_INIT_MM_LATE, ukmem__mm_late_init);

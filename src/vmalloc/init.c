/* SPDX-License-Identifier: MIT */
/*
 * vmalloc start-up, fork and /proc/vmallocinfo.
 *
 * fork(): the child gets its own copy of RAM in a new file; with the vmalloc lock held
 * (taken before the fork), every area that maps RAM is mapped again onto the new file at the
 * same address; lazy areas are mapped again and revoked; areas another thread was building
 * or tearing down at the moment of the fork are made inaccessible (that thread does not exist
 * in the child, so they stay reserved there).
 *
 * vmallocinfo: the areas are copied under the lock and printed without it (symbolising is
 * slow), in address order, then the lazily freed ones as "unpurged vm_area", as the kernel.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <linux/vmalloc.h>
#include "core/core.h"
#include "mm/mm.h"
#include "platform/platform.h"
#include "vmalloc/vmalloc.h"

/* The subsystem's state lives here, beside its initcall: whatever uses vmalloc references it,
 * so a static link that uses vmalloc also pulls in its start-up. */
struct ukmem__vmalloc ukmem__vmalloc = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.purge_nb_lock = PTHREAD_RWLOCK_INITIALIZER,
};
#define V ukmem__vmalloc

/* ---- fork ---- */
static void fork_remap_one(struct ukmem__vmap_area *va, void *arg)
{
	int fd = *(int *)arg, err = 0;
	unsigned long len = ukmem__vmalloc_mapped_size(va);

	if (!va->pages || !va->nr_pages)
		return;			/* nothing of RAM mapped (ioremap maps its own) */
	switch (va->state) {
	case UKMEM_VA_LIVE:
		err = ukmem__vmalloc_remap(va, fd);
		break;
	case UKMEM_VA_DEFERRED:		/* freed, its access already gone */
	case UKMEM_VA_LAZY:
		err = ukmem__vmalloc_remap(va, fd);
		if (!err)
			err = ukmem__os_revoke(va->vm->addr, ukmem__vmalloc_mapped_size(va));
		break;
	default:
		err = ukmem__os_unmap((void *)va->node.start, len);
		break;
	}
	if (err) {
		fprintf(stderr, "ukmem: fork: cannot map the vmalloc area at 0x%lx in the child "
			"(error %d)\n", va->node.start, err);
		_exit(127);
	}
}

static void vmalloc_fork_remap(int new_fd)
{
	ukmem__va_for_each_locked(fork_remap_one, &new_fd);
}

/* ---- /proc/vmallocinfo ---- */
struct show_entry {
	unsigned long start, end, size, flags;
	const void *caller;
	unsigned int nr_pages, kind, state;
	phys_addr_t phys;
};

struct show_snap {
	struct show_entry *e;
	size_t n, cap;
};

static void snap_one(struct ukmem__vmap_area *va, void *arg)
{
	struct show_snap *s = arg;

	if (s->n < s->cap)
		s->e[s->n++] = (struct show_entry){
			.start = va->node.start, .end = va->node.end, .size = va->vm->size,
			.flags = va->vm->flags, .caller = va->vm->caller,
			.nr_pages = va->vm->nr_pages, .kind = va->kind, .state = va->state,
			.phys = va->vm->phys_addr,
		};
}

/* "%pS" as the kernel prints it in vmallocinfo: symbol+off/size, no file:line. */
static void print_caller(FILE *out, const void *caller)
{
	char sym[512];
	char *sp;

	ukmem__symbolize((unsigned long)caller, sym, sizeof(sym));
	sp = strchr(sym, ' ');
	if (sp)
		*sp = '\0';
	fprintf(out, " %s", sym);
}

static void show_entry(FILE *out, const struct show_entry *e)
{
	if (e->kind == UKMEM_VA_MAP_RAM) {
		fprintf(out, "0x%016lx-0x%016lx %7ld vm_map_ram\n", e->start, e->end,
			(long)(e->end - e->start));
		return;
	}
	fprintf(out, "0x%016lx-0x%016lx %7ld", e->start, e->start + e->size, (long)e->size);
	if (e->caller)
		print_caller(out, e->caller);
	if (e->nr_pages)
		fprintf(out, " pages=%u", e->nr_pages);
	if (e->phys)
		fprintf(out, " phys=0x%016llx", (unsigned long long)e->phys);
	if (e->flags & VM_IOREMAP)
		fputs(" ioremap", out);
	if (e->flags & VM_ALLOC)
		fputs(" vmalloc", out);
	if (e->flags & VM_MAP)
		fputs(" vmap", out);
	if (e->flags & VM_USERMAP)
		fputs(" user", out);
	if (e->flags & VM_DMA_COHERENT)
		fputs(" dma-coherent", out);
	if (e->nr_pages && !(e->flags & VM_UNINITIALIZED))
		fprintf(out, " N0=%u", e->nr_pages);
	fputc('\n', out);
}

static bool entry_unpurged(const struct show_entry *e)
{
	return e->state >= UKMEM_VA_FREEING;
}

/**
 * ukmem__vmalloc_show - ukmem_show("vmallocinfo"): /proc/vmallocinfo
 */
int ukmem__vmalloc_show(FILE *out, const char *arg)
{
	struct show_snap s = { 0 };

	ukmem__va_lock();
	s.cap = ukmem__va_nr_busy_locked();
	s.e = s.cap ? malloc(s.cap * sizeof(*s.e)) : NULL;
	if (s.e)
		ukmem__va_for_each_locked(snap_one, &s);
	ukmem__va_unlock();
	if (s.cap && !s.e)
		return -ENOMEM;
	for (size_t i = 0; i < s.n; i++)
		if (!entry_unpurged(&s.e[i]))
			show_entry(out, &s.e[i]);
	for (size_t i = 0; i < s.n; i++)
		if (entry_unpurged(&s.e[i]))
			fprintf(out, "0x%016lx-0x%016lx %7ld unpurged vm_area\n", s.e[i].start,
				s.e[i].end, (long)(s.e[i].end - s.e[i].start));
	free(s.e);
	return 0;
}

/* ---- start-up ---- */

/* Can guard pages be host guard regions inside shared mappings of the RAM file?  Tried on the
 * first two pages of the window (given back to the reservation after). */
static bool guard_regions_work(unsigned long start)
{
	bool ok;

	if (ukmem__cfg.vmalloc_no_guard_regions)
		return false;
	if (ukmem__os_map_shared((void *)start, 2 * PAGE_SIZE, ukmem__mm.fd, 0))
		return false;
	ok = ukmem__os_guard_install((void *)(start + PAGE_SIZE), PAGE_SIZE) == 0;
	if (ukmem__os_unmap((void *)start, 2 * PAGE_SIZE))
		ok = false;
	return ok;
}
static void vmalloc_exit(void)
{
	ukmem__vmalloc_purge();
}

/* Page allocator shrinker: lazily freed areas give their pages back.  vmalloc allocates
 * pages with no vmap lock held, so taking it here cannot deadlock. */
static bool vmalloc_shrink(void)
{
	bool any = __atomic_load_n(&V.nr_lazy, __ATOMIC_RELAXED) != 0;

	if (any)
		ukmem__vmalloc_purge();
	return any;
}

/**
 * ukmem__vmalloc_init - set up the address-space allocator, the fault handler, fork hooks
 * and the vmallocinfo report.  Runs after the memory core.
 */
static int ukmem__vmalloc_init(void)
{
	unsigned long start = (unsigned long)ukmem__mm.vmalloc_start;
	unsigned long end = (unsigned long)ukmem__mm.vmalloc_end;
	unsigned long ram = ukmem__mm.totalram_pages;
	int err;

	err = ukmem__va_init(start, end);
	if (err)
		return err;
	/* atomic: VMALLOC_START/END may be read by a first call racing this start-up */
	__atomic_store_n(&__ukmem_vmalloc_start, start, __ATOMIC_RELAXED);
	__atomic_store_n(&__ukmem_vmalloc_end, end, __ATOMIC_RELAXED);
	INIT_LIST_HEAD(&V.lazy_lru);
	for (int i = 0; i <= UKMEM_VA_BUCKETS; i++)
		INIT_LIST_HEAD(&V.lazy_bucket[i]);
	V.max_map_count = ukmem__os_max_map_count();
	V.guard_regions = guard_regions_work(start);
	/* Lazy areas may keep 1/16 of RAM (at most 128 MiB) and 1/16 of the host's mappings. */
	V.lazy_max_pages = clamp(ram / 16, 64UL, (128UL << 20) >> PAGE_SHIFT);
	V.lazy_max_areas = V.max_map_count > 0 ? min(1024UL, (unsigned long)V.max_map_count / 16)
					       : 1024;
	err = ukmem__os_fault_install(ukmem__vmalloc_fault);
	if (err)
		fprintf(stderr, "ukmem: cannot install the page-fault handler (error %d): faults "
			"in the vmalloc space will not be reported\n", err);
	ukmem__mm_on_fork(ukmem__va_lock, ukmem__va_unlock, vmalloc_fork_remap);
	ukmem__show_register("vmallocinfo", ukmem__vmalloc_show);
	ukmem__on_exit(vmalloc_exit);
	ukmem__mm_add_shrinker(vmalloc_shrink);
	ukmem__task_work_register(ukmem__vmalloc_drain_deferred);
	return 0;
}
UKMEM_INITCALL(UKMEM_INIT_VMALLOC, ukmem__vmalloc_init);

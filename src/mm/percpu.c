/* SPDX-License-Identifier: MIT */
/*
 * The per-CPU allocator (alloc_percpu, free_percpu) and the per-CPU copies of DEFINE_PER_CPU
 * variables.
 *
 * A __percpu pointer is a cookie in a reserved, inaccessible window (so dereferencing one
 * directly faults instead of touching some CPU's data).  The window is cut into chunks of
 * 32 KiB (PCPU_MIN_UNIT_SIZE, the largest allocation); a chunk has, for each possible CPU, a
 * unit of 32 KiB of RAM from the page allocator (physically contiguous, in the direct map),
 * and __ukmem_percpu.units[chunk][cpu] is that unit.  per_cpu_ptr(cookie, cpu) is
 * units[cookie's chunk][cpu] + the cookie's offset in its chunk (an inline two-load path in
 * <linux/percpu-defs.h>); everything else comes here, to __ukmem_per_cpu_ptr_slow.
 *
 * Invariants:
 *  - units[i] is non-NULL exactly while window slot i belongs to a dynamic chunk
 *    (pcpu.chunks[i]) or to the copies of a static per-CPU section; it is published with a
 *    release store after the units are zeroed or filled, and cleared before they are freed.
 *  - In a dynamic chunk, allocation granules are PCPU_MIN_ALLOC_SIZE bytes: map has a bit set
 *    for every granule in use, and len[g] is the length in granules of the allocation that
 *    starts at granule g (0 where none starts), with LEN_MANAGED set when a device manages
 *    it (devm_alloc_percpu: only its devres release frees it).  free_slots counts clear bits.
 *  - At most one dynamic chunk is entirely free (the kernel keeps one empty chunk too);
 *    a second one goes back to the page allocator.
 *  - A static section (the "ukmem_percpu" ELF section of a program or library) gets its
 *    copies once, when both it is registered and ukmem has started; each CPU's copy starts
 *    as a byte copy of the section (the template), at the same offset modulo PAGE_SIZE.
 *
 * Locking: pcpu.lock (a host mutex, taken before the page allocator's locks: pages are
 * allocated and freed with it dropped, except in section_setup(), at start-up or for a
 * library loaded later) guards the chunk table, the maps and the sections.  The per-CPU data itself is the user's to synchronise.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/percpu.h>
#include "core/bits.h"
#include "core/core.h"
#include "mm/mm.h"
#include "debug/fault.h"
#include "debug/kmemleak.h"
#include "platform/platform.h"

#define CHUNK_SIZE	(1UL << UKMEM_PCPU_CHUNK_SHIFT)
#define CHUNK_ORDER	(UKMEM_PCPU_CHUNK_SHIFT - PAGE_SHIFT)
#define GRANULES	(CHUNK_SIZE / PCPU_MIN_ALLOC_SIZE)
#define WINDOW_SIZE	(4UL << 30)
#define MAX_CHUNKS	(WINDOW_SIZE >> UKMEM_PCPU_CHUNK_SHIFT)
#define MAX_SECTIONS	16
#define PCPU_WARN_LIMIT	10	/* failures warned of, as 6.1's warn_limit */
#define LEN_MANAGED	0x8000	/* in len[]: device-managed (lengths are at most GRANULES) */
/* The only flags 6.1's pcpu_alloc() passes on to the allocators behind it: no zone, no
 * reserves (__GFP_HIGH, __GFP_MEMALLOC), no __GFP_NOFAIL, which it does not honour. */
#define PCPU_GFP_PASSED	(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN)

struct chunk {
	unsigned long map[GRANULES / UKMEM_BPL];
	unsigned short len[GRANULES];
	unsigned int free_slots;
	unsigned int idx;		/* its slot in the window */
	char *units[];			/* nr_cpus units of CHUNK_SIZE */
};

struct section {
	char *start, *stop;		/* the template */
	unsigned long cookie;		/* where &first byte translates to; 0 until set up */
	char **blocks;			/* nr_cpus copies, order pages each */
	unsigned int order;
};

struct ukmem_percpu_map __ukmem_percpu;

static struct {
	pthread_mutex_t lock;
	bool ready;
	unsigned int nr_cpus;
	struct chunk **chunks;		/* by window slot; NULL for free and static slots */
	unsigned int nr_slots;		/* window slots ever used: search below this */
	unsigned int nr_empty;		/* dynamic chunks with nothing allocated */
	struct section sections[MAX_SECTIONS];
	int nr_sections;
	int warn_limit;			/* failure warnings left to print (atomic) */
} pcpu = { .lock = PTHREAD_MUTEX_INITIALIZER, .warn_limit = PCPU_WARN_LIMIT };

static size_t chunk_meta_size(void)
{
	return sizeof(struct chunk) + pcpu.nr_cpus * sizeof(char *);
}

/* ---- window slots (pcpu.lock held) ---- */
static bool slot_used(unsigned int i)
{
	return __ukmem_percpu.units[i] != NULL;
}

/* The first run of @n free window slots, or MAX_CHUNKS. */
static unsigned int slots_find(unsigned int n)
{
	for (unsigned int i = 0, run = 0; i < MAX_CHUNKS; i++) {
		run = slot_used(i) ? 0 : run + 1;
		if (run == n)
			return i + 1 - n;
	}
	return MAX_CHUNKS;
}

static void slot_publish(unsigned int i, char **units)
{
	__atomic_store_n(&__ukmem_percpu.units[i], units, __ATOMIC_RELEASE);
	if (i >= pcpu.nr_slots)
		pcpu.nr_slots = i + 1;
}

/* ---- dynamic chunks ---- */
static void chunk_free_units(struct chunk *c, unsigned int nr)
{
	for (unsigned int cpu = 0; cpu < nr; cpu++)
		__free_pages(virt_to_page(c->units[cpu]), CHUNK_ORDER);
	ukmem__stat_add(UKMEM_STAT_PERCPU_PAGES, -(long)(nr << CHUNK_ORDER));
	ukmem__os_free(c, chunk_meta_size());
}

/* A new chunk with a unit for every CPU, not yet in the window; NULL when pages run out. */
static struct chunk *chunk_create(gfp_t gfp)
{
	struct chunk *c = ukmem__os_alloc(chunk_meta_size());

	if (!c)
		return NULL;
	for (unsigned int cpu = 0; cpu < pcpu.nr_cpus; cpu++) {
		struct page *page = ukmem__alloc_pages(gfp & PCPU_GFP_PASSED, CHUNK_ORDER);

		if (!page) {
			ukmem__stat_add(UKMEM_STAT_PERCPU_PAGES, (long)cpu << CHUNK_ORDER);
			chunk_free_units(c, cpu);
			return NULL;
		}
		c->units[cpu] = page_address(page);
	}
	ukmem__stat_add(UKMEM_STAT_PERCPU_PAGES, (long)pcpu.nr_cpus << CHUNK_ORDER);
	c->free_slots = GRANULES;
	return c;
}

/* Puts @c in the window; false when the window is full. */
static bool chunk_install(struct chunk *c)
{
	unsigned int i = slots_find(1);

	if (i == MAX_CHUNKS)
		return false;
	c->idx = i;
	pcpu.chunks[i] = c;
	pcpu.nr_empty++;
	slot_publish(i, c->units);
	return true;
}

/* Carves @n granules aligned to @align granules from some chunk; the cookie or 0. */
static unsigned long area_alloc(unsigned int n, unsigned int align)
{
	for (unsigned int i = 0; i < pcpu.nr_slots; i++) {
		struct chunk *c = pcpu.chunks[i];
		unsigned long g;

		if (!c || c->free_slots < n)
			continue;
		g = ukmem__bits_find_area(c->map, GRANULES, 0, n, align - 1, 0);
		if (g >= GRANULES)
			continue;
		if (c->free_slots == GRANULES)
			pcpu.nr_empty--;
		ukmem__bits_assign(c->map, g, n, true);
		c->len[g] = n;
		c->free_slots -= n;
		return __ukmem_percpu.base + ((unsigned long)i << UKMEM_PCPU_CHUNK_SHIFT) +
		       g * PCPU_MIN_ALLOC_SIZE;
	}
	return 0;
}

/* The length entry of the live allocation at @cookie, or NULL (pcpu.lock held). */
static unsigned short *area_len(unsigned long cookie, struct chunk **chunk)
{
	unsigned long off = cookie - __ukmem_percpu.base;
	unsigned long in = off & (CHUNK_SIZE - 1), g = in / PCPU_MIN_ALLOC_SIZE;
	struct chunk *c = off < WINDOW_SIZE ? pcpu.chunks[off >> UKMEM_PCPU_CHUNK_SHIFT] : NULL;

	if (!c || in % PCPU_MIN_ALLOC_SIZE || !c->len[g])
		return NULL;
	*chunk = c;
	return &c->len[g];
}

/* Frees the allocation at @cookie; returns the chunk to destroy (now unused), @cookie itself
 * when it was not a live allocation (or is device-managed and @managed is false: then
 * *@refused is set), or NULL. */
static void *area_free(unsigned long cookie, bool managed, bool *refused)
{
	struct chunk *c;
	unsigned short *len = area_len(cookie, &c);
	unsigned int n;

	if (!len)
		return (void *)cookie;
	if ((*len & LEN_MANAGED) && !managed) {
		*refused = true;
		return (void *)cookie;
	}
	n = *len & ~LEN_MANAGED;
	ukmem__bits_assign(c->map, len - c->len, n, false);
	c->free_slots += n;
	*len = 0;
	if (c->free_slots < GRANULES)
		return NULL;
	if (pcpu.nr_empty == 0) {
		pcpu.nr_empty++;
		return NULL;
	}
	pcpu.chunks[c->idx] = NULL;
	__atomic_store_n(&__ukmem_percpu.units[c->idx], NULL, __ATOMIC_RELEASE);
	return c;
}

/* 6.1 warns of the first PCPU_WARN_LIMIT failures of allocations that may sleep (GFP_KERNEL)
 * and then says it stops; an atomic allocation fails silently. */
static noinline void percpu_alloc_failed(size_t size, size_t align, gfp_t gfp, const char *why)
{
	int left;

	if ((gfp & __GFP_NOWARN) || (gfp & GFP_KERNEL) != GFP_KERNEL ||
	    __atomic_load_n(&pcpu.warn_limit, __ATOMIC_RELAXED) <= 0)
		return;
	left = __atomic_sub_fetch(&pcpu.warn_limit, 1, __ATOMIC_RELAXED);
	if (left < 0)
		return;
	ukmem__console_lock();
	pr_warn("percpu: allocation failed, size=%zu align=%zu atomic=0, %s\n", size, align, why);
	ukmem__print_task_line();		/* dump_stack()'s */
	ukmem__stack_dump(1);
	if (!left)
		pr_info("percpu: limit reached, disable warning\n");
	ukmem__console_unlock();
}

/**
 * __alloc_percpu_gfp - allocate a per-CPU area
 * @size: bytes for each CPU (1 .. PCPU_MIN_UNIT_SIZE)
 * @align: alignment, a power of two up to PAGE_SIZE
 * @gfp: allocation flags; GFP_KERNEL (or stronger) may sleep
 *
 * Return: a __percpu cookie whose per_cpu_ptr() is zeroed memory on every possible CPU, or
 * NULL when the size or alignment is illegal (a warning unless __GFP_NOWARN) or memory runs
 * out (as the kernel's: a warning for the first 10 such failures of GFP_KERNEL allocations
 * without __GFP_NOWARN, none for atomic ones).
 */
void __percpu *__alloc_percpu_gfp(size_t size, size_t align, gfp_t gfp)
{
	unsigned long cookie;

	ukmem__ensure_started();
	if (align < PCPU_MIN_ALLOC_SIZE)
		align = PCPU_MIN_ALLOC_SIZE;
	size = ALIGN(size, PCPU_MIN_ALLOC_SIZE);	/* before the check: the warning shows it */
	if (unlikely(!size || size > PCPU_MIN_UNIT_SIZE || align > PAGE_SIZE ||
		     !is_power_of_2(align))) {
		WARN(!(gfp & __GFP_NOWARN), "illegal size (%zu) or align (%zu) for percpu allocation\n",
		     size, align);
		return NULL;
	}
	if ((gfp & GFP_KERNEL) == GFP_KERNEL)
		might_sleep();
	if (ukmem__debug_hooked() && ukmem__should_fail(UKMEM_FAULT_PERCPU, gfp, size))
		return NULL;
	for (;;) {
		struct chunk *c;
		bool installed;

		pthread_mutex_lock(&pcpu.lock);
		cookie = area_alloc(DIV_ROUND_UP(size, PCPU_MIN_ALLOC_SIZE),
				    align / PCPU_MIN_ALLOC_SIZE);
		pthread_mutex_unlock(&pcpu.lock);
		if (cookie)
			break;
		c = chunk_create(gfp);
		if (!c) {
			percpu_alloc_failed(size, align, gfp, "failed to allocate new chunk");
			return NULL;
		}
		pthread_mutex_lock(&pcpu.lock);
		installed = chunk_install(c);
		pthread_mutex_unlock(&pcpu.lock);
		if (!installed) {
			chunk_free_units(c, pcpu.nr_cpus);
			percpu_alloc_failed(size, align, gfp, "the per-CPU window is full");
			return NULL;
		}
	}
	for (unsigned int cpu = 0; cpu < pcpu.nr_cpus; cpu++)
		memset(__ukmem_per_cpu_ptr((void *)cookie, cpu), 0, size);
	/* kmemleak keys the area by its cookie (what drivers keep) and reads CPU 0's copy. */
	ukmem__leak_track((void *)cookie, size, UKMEM_LEAK_PERCPU, _RET_IP_);
	return (void __percpu *)cookie;
}

/**
 * __alloc_percpu - allocate a per-CPU area that may sleep (GFP_KERNEL)
 * @size: bytes for each CPU
 * @align: alignment, a power of two up to PAGE_SIZE
 *
 * Return: as __alloc_percpu_gfp().
 */
void __percpu *__alloc_percpu(size_t size, size_t align)
{
	return __alloc_percpu_gfp(size, align, GFP_KERNEL);
}

static void percpu_free(void __percpu *ptr, bool managed)
{
	bool refused = false;
	void *dead;

	if (!ptr)
		return;
	ukmem__ensure_started();
	pthread_mutex_lock(&pcpu.lock);
	dead = area_free((unsigned long)ptr, managed, &refused);
	pthread_mutex_unlock(&pcpu.lock);
	if (dead != (void *)ptr)
		ukmem__leak_untrack((void *)ptr, UKMEM_LEAK_PERCPU);
	if (refused)
		WARN(true, "free_percpu: %px is device-managed (devm_alloc_percpu): devm_free_percpu() frees it, or the device when its driver goes; left allocated\n",
		     ptr);
	else if (dead == (void *)ptr)
		WARN(true, "free_percpu: %px is not a live per-CPU allocation\n", ptr);
	else if (dead)
		chunk_free_units(dead, pcpu.nr_cpus);
}

/**
 * free_percpu - free a per-CPU area
 * @ptr: a cookie from alloc_percpu() and friends, or NULL
 *
 * A pointer that is not a live per-CPU allocation (never allocated, freed already, or a
 * static per-CPU variable) is reported with a warning and nothing is freed.  So is one a
 * device manages (devm_alloc_percpu): 6.1 frees it, and its devres entry frees it again when
 * the driver goes, by then perhaps another allocation.
 */
void free_percpu(void __percpu *ptr)
{
	percpu_free(ptr, false);
}

/**
 * ukmem__percpu_set_managed - mark a live allocation as a device's (devm_alloc_percpu)
 * @ptr: the cookie
 *
 * From then on only ukmem__free_percpu_managed() frees it.
 */
void ukmem__percpu_set_managed(void __percpu *ptr)
{
	struct chunk *c;
	unsigned short *len;

	pthread_mutex_lock(&pcpu.lock);
	len = area_len((unsigned long)ptr, &c);
	if (len)
		*len |= LEN_MANAGED;
	pthread_mutex_unlock(&pcpu.lock);
}

/**
 * ukmem__free_percpu_managed - free_percpu() for the devres release of a managed allocation
 * @ptr: the cookie
 */
void ukmem__free_percpu_managed(void __percpu *ptr)
{
	percpu_free(ptr, true);
}

/**
 * per_cpu_ptr_to_phys - the physical address of a per-CPU copy
 * @addr: an address returned by per_cpu_ptr() or this_cpu_ptr()
 *
 * Per-CPU units are in the direct map, so this is virt_to_phys().
 */
phys_addr_t per_cpu_ptr_to_phys(void *addr)
{
	return virt_to_phys(addr);
}

/* ---- static sections ---- */
static void section_free_blocks(struct section *s, unsigned int nr)
{
	for (unsigned int cpu = 0; cpu < nr; cpu++)
		__free_pages(virt_to_page(s->blocks[cpu]), s->order);
	ukmem__os_free(s->blocks, pcpu.nr_cpus * sizeof(char *));
	s->blocks = NULL;
}

/* Gives every CPU its copy of @s (pcpu.lock held, started).  0 or -ENOMEM. */
static int section_setup(struct section *s)
{
	size_t pad = (unsigned long)s->start & (PAGE_SIZE - 1), len = s->stop - s->start;
	unsigned int n = DIV_ROUND_UP(pad + len, CHUNK_SIZE), first = slots_find(n);
	char **tables;

	s->order = get_order(n * CHUNK_SIZE);
	s->blocks = ukmem__os_alloc(pcpu.nr_cpus * sizeof(char *));
	tables = ukmem__os_alloc(n * pcpu.nr_cpus * sizeof(char *));
	if (first == MAX_CHUNKS || s->order >= MAX_ORDER || !s->blocks || !tables)
		goto fail;
	for (unsigned int cpu = 0; cpu < pcpu.nr_cpus; cpu++) {
		struct page *page = ukmem__alloc_pages(GFP_KERNEL | __GFP_ZERO, s->order);

		if (!page) {
			section_free_blocks(s, cpu);
			goto fail;
		}
		s->blocks[cpu] = page_address(page);
		memcpy(s->blocks[cpu] + pad, s->start, len);
		for (unsigned int j = 0; j < n; j++)
			tables[j * pcpu.nr_cpus + cpu] = s->blocks[cpu] + j * CHUNK_SIZE;
	}
	ukmem__stat_add(UKMEM_STAT_PERCPU_PAGES, (long)pcpu.nr_cpus << s->order);
	for (unsigned int j = 0; j < n; j++)
		slot_publish(first + j, &tables[j * pcpu.nr_cpus]);
	s->cookie = __ukmem_percpu.base + ((unsigned long)first << UKMEM_PCPU_CHUNK_SHIFT) + pad;
	return 0;
fail:
	if (s->blocks)
		ukmem__os_free(s->blocks, pcpu.nr_cpus * sizeof(char *));
	s->blocks = NULL;
	if (tables)
		ukmem__os_free(tables, n * pcpu.nr_cpus * sizeof(char *));
	printk(KERN_ERR "percpu: no room for the %zu-byte per-CPU section at %px\n", len, s->start);
	return -ENOMEM;
}

/**
 * __ukmem_percpu_section - register a program's or library's per-CPU variables
 * @start: first byte of its "ukmem_percpu" section
 * @stop: end of that section
 *
 * Called from a constructor that <linux/percpu-defs.h> puts in every file that includes it;
 * registering the same section again does nothing.  The copies are made at start-up, or now
 * when ukmem has started already (a library loaded later).
 */
void __ukmem_percpu_section(char *start, char *stop)
{
	pthread_mutex_lock(&pcpu.lock);
	for (int i = 0; i < pcpu.nr_sections; i++)
		if (pcpu.sections[i].start == start)
			goto out;
	if (pcpu.nr_sections == MAX_SECTIONS) {
		printk(KERN_ERR "percpu: too many per-CPU sections (at most %d)\n", MAX_SECTIONS);
		goto out;
	}
	pcpu.sections[pcpu.nr_sections] = (struct section){ .start = start, .stop = stop };
	if (pcpu.ready)
		section_setup(&pcpu.sections[pcpu.nr_sections]);
	pcpu.nr_sections++;
out:
	pthread_mutex_unlock(&pcpu.lock);
}

static unsigned long section_cookie(const void *ptr)
{
	unsigned long cookie = 0;

	pthread_mutex_lock(&pcpu.lock);
	for (int i = 0; i < pcpu.nr_sections; i++) {
		struct section *s = &pcpu.sections[i];

		if ((const char *)ptr >= s->start && (const char *)ptr < s->stop && s->cookie)
			cookie = s->cookie + ((const char *)ptr - s->start);
	}
	pthread_mutex_unlock(&pcpu.lock);
	return cookie;
}

/**
 * __ukmem_per_cpu_ptr_slow - per_cpu_ptr() for what the inline path does not translate
 * @ptr: a __percpu pointer: a static per-CPU variable's address, or a dynamic cookie
 * @cpu: a possible CPU
 *
 * Return: the address of @cpu's copy, or NULL with a warning when @ptr is no per-CPU
 * pointer (or not a live one) or @cpu is not a possible CPU.
 */
void *__ukmem_per_cpu_ptr_slow(const void *ptr, unsigned int cpu)
{
	unsigned long off, cookie;

	ukmem__ensure_started();
	if (cpu >= pcpu.nr_cpus) {
		WARN(true, "per_cpu_ptr: CPU %u is not possible (nr_cpu_ids is %u)\n", cpu,
		     pcpu.nr_cpus);
		return NULL;
	}
	off = (unsigned long)ptr - __ukmem_percpu.base;
	cookie = off < __ukmem_percpu.size ? (unsigned long)ptr : section_cookie(ptr);
	off = cookie - __ukmem_percpu.base;
	if (cookie && __atomic_load_n(&__ukmem_percpu.units[off >> UKMEM_PCPU_CHUNK_SHIFT],
				      __ATOMIC_ACQUIRE))
		return __ukmem_per_cpu_ptr((void *)cookie, cpu);
	WARN(true, "per_cpu_ptr: %px is not a live per-CPU pointer\n", ptr);
	return NULL;
}

/* ---- start-up ---- */
static void percpu_fork_lock(void)
{
	pthread_mutex_lock(&pcpu.lock);
}

static void percpu_fork_unlock(void)
{
	pthread_mutex_unlock(&pcpu.lock);
}

static int percpu_init(void)
{
	char *window = ukmem__os_reserve(WINDOW_SIZE, CHUNK_SIZE);
	int err = 0;

	pcpu.nr_cpus = ukmem__nr_cpus();
	pcpu.chunks = ukmem__os_alloc(MAX_CHUNKS * sizeof(*pcpu.chunks));
	__ukmem_percpu.units = ukmem__os_alloc(MAX_CHUNKS * sizeof(*__ukmem_percpu.units));
	if (!window || !pcpu.chunks || !__ukmem_percpu.units) {
		printk(KERN_ERR "percpu: cannot reserve the per-CPU window\n");
		return -ENOMEM;
	}
	pthread_mutex_lock(&pcpu.lock);
	__atomic_store_n(&__ukmem_percpu.base, (unsigned long)window, __ATOMIC_RELAXED);
	__atomic_store_n(&__ukmem_percpu.nr_cpus, pcpu.nr_cpus, __ATOMIC_RELAXED);
	__atomic_store_n(&__ukmem_percpu.size, WINDOW_SIZE, __ATOMIC_RELEASE);
	for (int i = 0; i < pcpu.nr_sections && !err; i++)
		err = section_setup(&pcpu.sections[i]);
	pcpu.ready = true;
	pthread_mutex_unlock(&pcpu.lock);
	ukmem__mm_on_fork(percpu_fork_lock, percpu_fork_unlock, NULL);
	return err;
}
UKMEM_INITCALL(UKMEM_INIT_MM_LATE, percpu_init);

/* SPDX-License-Identifier: MIT */
/*
 * kmemleak: what a driver allocated and never gave back.
 *
 * Three sources of live objects, merged when a report is made:
 *  - slab objects, found in the slabs themselves (ukmem__slab_walk_live): allocated, not
 *    in any thread's array or depot, and not of a SLAB_NOLEAKTRACE cache (never tracked, as
 *    in 6.1).  The kmalloc fast path records nothing.  The
 *    descriptor (vm_struct) of an existing vmalloc area is the area's, never a leak.
 *  - a driver's pages: alloc_pages leaves its caller in struct page (one store), and the
 *    page allocator walks them (ukmem__pages_walk_user).  kmalloc of more than 8 KiB is a
 *    page block marked as such and is reported as a kmalloc object.
 *  - records (ukmem__leak_track): every later subsystem's objects, and a full stack for
 *    slab objects and pages allocated under the debug hooks or through the slow path one at
 *    a time; vmalloc areas are records of the caller only (ukmem__leak_track_caller: their
 *    pair is a hot path) unless the debug hooks are on (kmemleak.stacks=on, fault
 *    injection), which record the stack.  A stack is kept once, in the stack depot
 *    (slab_track.c), and a record holds its handle: records stay small (64 bytes, one cache
 *    line: its task is a number in leak_task, its time 32 bits of jiffies; 16 frames took
 *    200), and a report groups objects by handle.  A slab object's record holds its
 *    cache (ukmem__slab_leak_hold): while a cache has records, its frees skip the fast
 *    path and drop them, so a record never outlives its object.  It is kept beside its
 *    slab, in an array indexed by the object's index (struct leak_slab_recs), so that the
 *    free finds it from the slab it looks up anyway; the other records are in a hash
 *    table.  A page's record that is no longer live (the page was freed through a path
 *    that does not untrack) is stale and dropped when a report finds it.
 *
 * Reports:
 *  - at ukmem_exit (kmemleak=on): everything still allocated, grouped by allocation stack,
 *    each object in kmemleak's format and counted as a problem;
 *  - ukmem_show("kmemleak"): a scan, as the kernel's kmemleak scan: the roots are every
 *    writable mapping of the process (data and bss of the program and its libraries, the
 *    heap, anonymous mappings, every thread's stack and TLS) minus ukmem's own memory (the
 *    simulated RAM and vmalloc window, struct pages, the allocators' arrays and
 *    descriptors, these records); the calling thread's stack is scanned from its stack
 *    pointer, with its registers spilled there first.  Objects reached from the roots are
 *    scanned in turn (any aligned word pointing inside an object references it).  What is
 *    left is "unreferenced".  Memory is read with process_vm_readv, so a mapping that goes
 *    away meanwhile costs an error, not a crash.  Other threads' registers are not read:
 *    a pointer that lives only in another running thread's registers is missed (their
 *    stacks are scanned whole, which errs on the side of "referenced").  While a scan
 *    runs, every free reaches ukmem__leak_untrack (the slab gates are closed, the page
 *    allocator's checked path untracks every block), which notes the address: an object
 *    the scan listed whose address was freed since is no leak, and what is at that address
 *    now is a new object, whose contents are roots (6.1: the free deletes the object, and a
 *    new one is too young to report).
 *  - ukmem__leak_run_end: what one fail-sweep run acquired and still holds.  The run's
 *    thread notes each address it records; the check looks those up (a run that gave
 *    everything back costs what it allocated, not a walk of every live record) and
 *    gathers everything only to print a leak.
 * An object reported once (exit or sweep) is not reported again, as the kernel's
 * OBJECT_REPORTED.
 *
 * Locking: the record table is split into NR_STRIPES stripes of buckets, each with its lock
 * and its own free records, so that threads tracking and untracking different objects (an
 * allocating thread and the RCU callback thread freeing what it allocated) do not queue on
 * one lock.  One object's record: its stripe's lock (stripe_lock), the slot of a slab's
 * array included.  The whole table (reports, range searches, fork): every stripe's lock in
 * index order (table_lock_all).  leak.chunk_lock (leaf, under a stripe lock) guards carving
 * new records and arrays, the list of chunks, the list of slabs' arrays and the free arrays;
 * a slab's array pointer (struct slab's leak_recs) is set and cleared under it and read
 * without it (acquire).  leak.scan_lock (a leaf) guards the frees noted during scans and
 * the count of scans running.  Reports
 * gather with no lock of ours held (the slab walk takes the slab locks), then lock the whole
 * table to attach records, then print with nothing held but the console lock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <linux/sort.h>
#include <linux/kmemleak.h>
#include <linux/percpu.h>
#include <linux/vmalloc.h>
#include "core/core.h"
#include "mm/mm.h"
#include "slab/slab.h"
#include "vmalloc/vmalloc.h"
#include "platform/platform.h"
#include "debug/kmemleak.h"
#include "debug/fault.h"
#include "debug/slab_debug.h"

#define NR_BUCKETS	(1u << 16)
#define CHUNK_BYTES	(1u << 20)
#define MAX_CHUNKS	4096
#define HEX_BYTES	32		/* HEX_MAX_LINES * HEX_ROW_SIZE */
#define GROUP_FULL	16		/* objects printed in full per stack group */
#define HZ		250
#define INITIAL_JIFFIES	((unsigned long)(unsigned int)(-300 * HZ))

/* Record flags (the kernel's object flags and colours). */
#define REC_NOT_LEAK	0x01		/* kmemleak_not_leak: scanned, never reported */
#define REC_NO_SCAN	0x02		/* kmemleak_no_scan / kmemleak_ignore */
#define REC_REPORTED	0x04		/* reported once already */

struct leak_rec {
	/* first what a free reads and writes (one cache line with the array's strides) */
	unsigned long ptr;			/* 0: a free slot of a slab's array */
	struct kmem_cache *gate;		/* the slab cache this record holds (slab.h) */
	unsigned char kind, flags;
	bool in_slab;				/* in its slab's array, not in the table */
	unsigned int stack;			/* stack depot handle; 0: the caller only */
	struct leak_rec *next;			/* in its bucket (NULL in a slab's array) */
	unsigned long size, caller, run;
	unsigned int ticks;			/* jiffies - INITIAL_JIFFIES (198 days at HZ) */
	unsigned int task;			/* its task's name and pid (leak_task); 0: none */
};
_Static_assert(sizeof(struct leak_rec) == 64, "a record is one cache line (docs/performance.md)");

/* The tasks records name: (pid, comm) pairs, numbered from 1, in segments that are never
 * moved or freed (a report reads them with no lock).  A thread adds one the first time it
 * records with its name and pid, and again when either changes (a thread keeps the last
 * one it used); 20 bytes a thread where every record held its 20. */
struct leak_task {
	int pid;
	char comm[16];
};
#define TASK_SEG	1024
#define TASK_SEGS	4096

/* Bucket b belongs to stripe b % NR_STRIPES.  Reports and fork hold every stripe at once:
 * ThreadSanitizer's deadlock detector follows at most 64 locks held by one thread. */
#define NR_STRIPES	16

/*
 * A slab's records, one slot per object, by object index: struct slab's leak_recs, made when
 * one of its objects first gets a record (the objects that debug hooks send through the slow
 * path one at a time, kmemleak_not_leak's flag ...), kept until the slab goes back to the
 * page allocator (ukmem__leak_slab_gone), then kept for another slab of as many objects.  A
 * free finds its object's record from the slab it looks up anyway, with no hash lookup and
 * no cold bucket.  Slot i is guarded by the stripe lock of object i's address, like a record
 * in the table; the list and the free arrays by chunk_lock.  A slab without an array (its
 * objects not at the array's strides: debug caches; out of memory) keeps its records in the
 * table, as every other kind does.
 */
struct leak_slab_recs {
	struct list_head node;			/* leak.slab_recs, or next in a free list */
	struct slab *slab;
	unsigned int cap;			/* slots: the slab's objects */
	struct leak_rec rec[] __attribute__((aligned(64)));	/* a line each */
};

#define SLAB_RECS_CLASSES	17		/* free arrays by order of slots: up to 65536 */

struct leak_stripe {
	pthread_mutex_t lock;
	struct leak_rec *free;			/* unused records of this stripe */
	unsigned long nr;			/* its records (atomic reads) */
} __attribute__((aligned(64)));

static struct {
	struct leak_stripe stripes[NR_STRIPES];
	struct leak_rec **buckets;		/* published once (release), never freed */
	pthread_mutex_t chunk_lock;
	struct { void *start; size_t len; } chunks[MAX_CHUNKS];
	int nr_chunks;
	char *chunk_pos, *chunk_end;
	/* arrays in slabs (chunk_lock); aligned as an array is, since the list's walk makes
	 * an entry pointer of its head */
	struct list_head slab_recs __attribute__((aligned(64)));
	struct leak_slab_recs *free_recs[SLAB_RECS_CLASSES];	/* by order of slots */
	unsigned long next_run;
	unsigned long long start_ns;		/* the coarse clock at start-up */
	bool (*holder)(const void *ptr, char *buf, size_t len);	/* set at start-up */
	/* What was freed while scans run (scan_lock, a leaf): an open-addressing table of
	 * (~address, free sequence), the latest free of each address, in host memory (the
	 * address inverted: read as a root, it references nothing). */
	pthread_mutex_t scan_lock;
	struct freed { unsigned long addr, seq; } *freed;
	size_t freed_cap, freed_n;
	unsigned long free_seq;			/* frees noted so far */
	/* the tasks records name (task_lock, a leaf, for additions) */
	pthread_mutex_t task_lock;
	struct leak_task *task_seg[TASK_SEGS];
	unsigned int nr_tasks;			/* published with release */
	unsigned int irq_task[2];		/* "hardirq" and "softirq", pid 0 */
	bool freed_lost;			/* out of memory: a free went unnoted */
} leak = {
	.stripes = { [0 ... NR_STRIPES - 1] = { .lock = PTHREAD_MUTEX_INITIALIZER } },
	.chunk_lock = PTHREAD_MUTEX_INITIALIZER,
	.scan_lock = PTHREAD_MUTEX_INITIALIZER,
	.task_lock = PTHREAD_MUTEX_INITIALIZER,
	.slab_recs = LIST_HEAD_INIT(leak.slab_recs),
};

int ukmem__leak_scanning;		/* scans running (changed under leak.scan_lock) */

/* A vector in host memory (never scanned, never from ukmem's allocators). */
struct vec {
	void *v;
	size_t n, cap, elem;
};

static void *vec_push(struct vec *vec)
{
	if (vec->n == vec->cap) {
		size_t cap = vec->cap ? vec->cap * 2 : 4096 / vec->elem;
		void *v = ukmem__os_alloc(PAGE_ALIGN(cap * vec->elem));

		if (!v)
			return NULL;
		if (vec->v) {
			memcpy(v, vec->v, vec->n * vec->elem);
			ukmem__os_free(vec->v, PAGE_ALIGN(vec->cap * vec->elem));
		}
		vec->v = v;
		vec->cap = cap;
	}
	return (char *)vec->v + vec->n++ * vec->elem;
}

/* Room for @want elements without moving (false when out of memory). */
static bool vec_reserve(struct vec *vec, size_t want)
{
	size_t n = vec->n;

	while (vec->cap < want)
		if (!vec_push(vec))
			return false;
	vec->n = n;
	return true;
}

static void vec_free(struct vec *vec)
{
	if (vec->v)
		ukmem__os_free(vec->v, PAGE_ALIGN(vec->cap * vec->elem));
	vec->v = NULL;
	vec->n = vec->cap = 0;
}

/* This thread's fail-sweep run: its id (0 if none) and the addresses it gave records to,
 * which the check at its end looks up, so that a run costs what it allocated rather than a
 * walk of the whole table (the vector is in host memory, the thread's own: no lock).  The
 * addresses are kept inverted: a scan that reads this memory as a root sees no pointers. */
static __thread struct {
	unsigned long id;
	struct vec ptrs;		/* ~address of each, duplicates allowed */
	bool lost;			/* out of memory for ptrs: walk the table */
} leak_run;

static const char *const kind_names[UKMEM_LEAK_NR_KINDS] = {
	"slab", "pages", "vmalloc", "devres", "percpu", "dma-coherent", "kmemleak_alloc",
	"ioremap", "resource", "dma-mapping", "irqaction", "kmem_cache",
};

static bool kind_readable(unsigned int kind)
{
	return kind < UKMEM_LEAK_IOREMAP;
}

/* Where an object's bytes are: a per-CPU area's key is its cookie (what a driver keeps and
 * what references point to); its hex dump shows CPU 0's copy (the scan reads every copy). */
static unsigned long read_addr(unsigned int kind, unsigned long ptr)
{
	if (kind == UKMEM_LEAK_PERCPU)
		return (unsigned long)per_cpu_ptr((void __percpu *)ptr, 0);
	return ptr;
}

/* jiffies since start-up (the coarse clock: a tick is 4 ms at HZ=250 anyway). */
static unsigned long jiffies_now(void)
{
	return INITIAL_JIFFIES + (unsigned long)((ukmem__os_coarse_ns() - leak.start_ns) /
						 (1000000000ULL / HZ));
}

/* ---- the record table (the stripe's lock held, or the whole table's) ---- */
static size_t bucket_of(unsigned long ptr)
{
	return (size_t)((ptr >> 4) * 0x9e3779b97f4a7c15UL >> 48) & (NR_BUCKETS - 1);
}

static struct leak_stripe *stripe_of(unsigned long ptr)
{
	return &leak.stripes[bucket_of(ptr) % NR_STRIPES];
}

static struct leak_stripe *stripe_lock(unsigned long ptr)
{
	struct leak_stripe *st = stripe_of(ptr);

	pthread_mutex_lock(&st->lock);
	return st;
}

static void stripe_unlock(struct leak_stripe *st)
{
	pthread_mutex_unlock(&st->lock);
}

static void table_lock_all(void)
{
	for (int i = 0; i < NR_STRIPES; i++)
		pthread_mutex_lock(&leak.stripes[i].lock);
}

static void table_unlock_all(void)
{
	for (int i = NR_STRIPES - 1; i >= 0; i--)
		pthread_mutex_unlock(&leak.stripes[i].lock);
}

/* Records in the table (a snapshot: no lock needed). */
static unsigned long table_count(void)
{
	unsigned long n = 0;

	for (int i = 0; i < NR_STRIPES; i++)
		n += __atomic_load_n(&leak.stripes[i].nr, __ATOMIC_RELAXED);
	return n;
}

static struct leak_rec **table_buckets(void)
{
	return __atomic_load_n(&leak.buckets, __ATOMIC_ACQUIRE);
}

/* The array of records of @slab (NULL: none yet). */
static struct leak_slab_recs *slab_recs(const struct slab *slab)
{
	return __atomic_load_n((struct leak_slab_recs *const *)&slab->leak_recs, __ATOMIC_ACQUIRE);
}

/* @slab (that of @ptr) when @ptr is the start of one of its objects, with its index. */
static __always_inline struct slab *slab_object_in(struct slab *slab, unsigned long ptr,
						   unsigned int *idx)
{
	struct kmem_cache *s = READ_ONCE(slab->slab_cache);
	unsigned int i;

	if (!s)
		return NULL;
	i = ukmem__obj_index(s, (const void *)ptr);
	if (i >= s->objects ||
	    (unsigned long)slab_address(slab) + (unsigned long)i * s->size != ptr)
		return NULL;
	*idx = i;
	return slab;
}

/* The slab of @ptr and its object index when @ptr is the start of one of its objects. */
static __always_inline struct slab *slab_object(unsigned long ptr, unsigned int *idx)
{
	struct slab *slab = ukmem__virt_to_slab((const void *)ptr);

	return slab ? slab_object_in(slab, ptr, idx) : NULL;
}

/* The slot of object @idx of @slab in the slab's array, or NULL: no array (none yet,
 * unless @make; out of memory). */
static __always_inline struct leak_rec *slab_slot(struct slab *slab, unsigned int idx, bool make);

/* A slot's object (0: the slot is free).  Written under the object's stripe lock; read
 * without it where a stale answer costs only a lock (ukmem__leak_untrack). */
static unsigned long slot_ptr(const struct leak_rec *r)
{
	return __atomic_load_n(&r->ptr, __ATOMIC_RELAXED);
}

static struct leak_rec *bucket_find_locked(unsigned long ptr, int kind)
{
	struct leak_rec *r, **buckets = table_buckets();

	if (!buckets)
		return NULL;
	for (r = buckets[bucket_of(ptr)]; r; r = r->next)
		if (r->ptr == ptr && (kind < 0 || r->kind == kind))
			return r;
	return NULL;
}

/* The record of (ptr, kind), or of ptr with any kind (@kind < 0).  A slab object's record
 * (one at the start of a slab's object) is in its slab's array, never in the table; other
 * records of that address (an irqaction's) are in the table. */
static struct leak_rec *rec_find_locked(unsigned long ptr, int kind)
{
	unsigned int idx;
	struct slab *slab;

	if ((kind == UKMEM_LEAK_SLAB || kind < 0) && (slab = slab_object(ptr, &idx)) != NULL) {
		struct leak_rec *r = slab_slot(slab, idx, false);

		if (r && slot_ptr(r) == ptr)
			return r;
		if (kind == UKMEM_LEAK_SLAB)
			return NULL;
	}
	if (!__atomic_load_n(&stripe_of(ptr)->nr, __ATOMIC_RELAXED))
		return NULL;
	return bucket_find_locked(ptr, kind);
}

/* @bytes of new host memory (chunk_lock held). */
static void *carve_locked(size_t bytes)
{
	void *p;

	if (!leak.buckets) {
		struct leak_rec **b = ukmem__os_alloc(NR_BUCKETS * sizeof(*b));

		if (!b)
			return NULL;
		leak.chunks[leak.nr_chunks].start = b;
		leak.chunks[leak.nr_chunks++].len = NR_BUCKETS * sizeof(*b);
		__atomic_store_n(&leak.buckets, b, __ATOMIC_RELEASE);
	}
	if (bytes > CHUNK_BYTES / 4) {		/* a large array: a chunk of its own */
		if (leak.nr_chunks >= MAX_CHUNKS || !(p = ukmem__os_alloc(PAGE_ALIGN(bytes))))
			return NULL;
		leak.chunks[leak.nr_chunks].start = p;
		leak.chunks[leak.nr_chunks++].len = PAGE_ALIGN(bytes);
		return p;
	}
	if (!leak.chunk_pos || (size_t)(leak.chunk_end - leak.chunk_pos) < bytes) {
		if (leak.nr_chunks >= MAX_CHUNKS || !(leak.chunk_pos = ukmem__os_alloc(CHUNK_BYTES)))
			return NULL;
		leak.chunks[leak.nr_chunks].start = leak.chunk_pos;
		leak.chunks[leak.nr_chunks++].len = CHUNK_BYTES;
		leak.chunk_end = leak.chunk_pos + CHUNK_BYTES;
	}
	p = leak.chunk_pos;
	leak.chunk_pos += bytes;
	return p;
}

static struct leak_rec *rec_new_locked(struct leak_stripe *st)
{
	struct leak_rec *r = st->free;

	if (r) {
		st->free = r->next;
		return r;
	}
	pthread_mutex_lock(&leak.chunk_lock);
	r = carve_locked(sizeof(*r));
	pthread_mutex_unlock(&leak.chunk_lock);
	return r;
}

/* An array for @slab (chunk_lock held): a free one of its order of slots, or new memory
 * (zeroed: every slot free).  Free arrays have every slot free (ukmem__leak_slab_gone). */
static struct leak_slab_recs *slab_recs_new_locked(struct slab *slab, unsigned int objects)
{
	unsigned int order = order_base_2(objects);
	struct leak_slab_recs *a;

	if (order >= SLAB_RECS_CLASSES)
		return NULL;
	a = leak.free_recs[order];
	if (a)
		leak.free_recs[order] = (struct leak_slab_recs *)a->node.next;
	else
		a = carve_locked(ALIGN(sizeof(*a) + (sizeof(struct leak_rec) << order), 64));
	if (!a)
		return NULL;
	a->slab = slab;
	a->cap = objects;
	list_add(&a->node, &leak.slab_recs);
	__atomic_store_n((struct leak_slab_recs **)&slab->leak_recs, a, __ATOMIC_RELEASE);
	return a;
}

static noinline struct leak_slab_recs *slab_recs_make(struct slab *slab)
{
	struct leak_slab_recs *a;

	pthread_mutex_lock(&leak.chunk_lock);
	a = slab_recs(slab);
	if (!a)
		a = slab_recs_new_locked(slab, READ_ONCE(slab->slab_cache)->objects);
	pthread_mutex_unlock(&leak.chunk_lock);
	return a;
}

static __always_inline struct leak_rec *slab_slot(struct slab *slab, unsigned int idx, bool make)
{
	struct leak_slab_recs *a = slab_recs(slab);

	if (!a && make)
		a = slab_recs_make(slab);
	return a ? &a->rec[idx] : NULL;		/* idx < a->cap: the slab's object */
}

/* What a record holds goes: its slab cache's gate, its page block's mark. */
static void rec_release(struct leak_rec *r)
{
	if (r->gate)
		ukmem__slab_leak_release(r->gate);
	else if (r->kind == UKMEM_LEAK_PAGES)
		ukmem__page_leak_mark(virt_to_page((void *)r->ptr), false);
}

/* Drop the table's record *pp (its stripe's lock held, or the whole table's). */
static void rec_unlink_locked(struct leak_rec **pp)
{
	struct leak_rec *r = *pp;
	struct leak_stripe *st = stripe_of(r->ptr);

	rec_release(r);
	*pp = r->next;
	r->next = st->free;
	st->free = r;
	__atomic_store_n(&st->nr, st->nr - 1, __ATOMIC_RELAXED);
}

/* Drop record @r, wherever it is. */
static void rec_drop_locked(struct leak_rec *r)
{
	struct leak_rec **pp;

	if (r->in_slab) {
		rec_release(r);
		__atomic_store_n(&r->ptr, 0, __ATOMIC_RELAXED);	/* the slot is free */
		r->gate = NULL;
		return;
	}
	for (pp = &leak.buckets[bucket_of(r->ptr)]; *pp != r; pp = &(*pp)->next)
		;
	rec_unlink_locked(pp);
}

static void rec_init(struct leak_rec *r, unsigned long ptr, unsigned int kind)
{
	memset(&r->gate, 0, sizeof(*r) - offsetof(struct leak_rec, gate));
	__atomic_store_n(&r->ptr, ptr, __ATOMIC_RELAXED);
	r->kind = kind;
	if (kind == UKMEM_LEAK_SLAB)	/* frees of its cache must find and drop it */
		r->gate = ukmem__slab_leak_hold((void *)ptr);
	else if (kind == UKMEM_LEAK_PAGES)	/* so must the page's free */
		ukmem__page_leak_mark(virt_to_page((void *)ptr), true);
}

/* Insert or replace the record of (ptr, kind); NULL when out of memory. */
static struct leak_rec *rec_set_locked(unsigned long ptr, unsigned int kind)
{
	struct leak_stripe *st = stripe_of(ptr);
	size_t b = bucket_of(ptr);
	struct leak_rec *r;
	struct slab *slab;
	unsigned int idx;

	if (kind == UKMEM_LEAK_SLAB && (slab = slab_object(ptr, &idx)) != NULL) {
		r = slab_slot(slab, idx, true);
		if (r && slot_ptr(r) != ptr) {
			rec_init(r, ptr, kind);
			r->in_slab = true;
		}
		return r;
	}
	r = rec_find_locked(ptr, kind);
	if (r)
		return r;
	r = rec_new_locked(st);
	if (!r)
		return NULL;
	rec_init(r, ptr, kind);
	r->next = leak.buckets[b];
	leak.buckets[b] = r;
	__atomic_store_n(&st->nr, st->nr + 1, __ATOMIC_RELAXED);
	return r;
}

/* Calls @fn on every record of a slab's array (the whole table's lock held). */
static void slab_recs_for_each_locked(void (*fn)(struct leak_rec *r, void *arg), void *arg)
{
	struct leak_slab_recs *a;

	pthread_mutex_lock(&leak.chunk_lock);
	list_for_each_entry(a, &leak.slab_recs, node)
		for (unsigned int i = 0; i < a->cap; i++)
			if (a->rec[i].ptr)
				fn(&a->rec[i], arg);
	pthread_mutex_unlock(&leak.chunk_lock);
}

/* Is every slot of @a free?  (Its slab is empty: the frees of its objects dropped them.) */
static bool slab_recs_empty(const struct leak_slab_recs *a)
{
	for (unsigned int i = 0; i < a->cap; i++)
		if (slot_ptr(&a->rec[i]))
			return false;
	return true;
}

/* @slab's array goes to the free arrays (chunk_lock held). */
static void slab_recs_put_locked(struct slab *slab)
{
	struct leak_slab_recs *a = slab_recs(slab);
	unsigned int order = order_base_2(a->cap);

	list_del(&a->node);
	a->node.next = (struct list_head *)leak.free_recs[order];
	leak.free_recs[order] = a;
	__atomic_store_n((struct leak_slab_recs **)&slab->leak_recs, NULL, __ATOMIC_RELEASE);
}

/* The common case takes chunk_lock only: no slot is in use.  A slot still in use (a record
 * an object's free did not drop) is dropped under every lock of the table. */
void ukmem__leak_slab_gone(struct slab *slab)
{
	struct leak_slab_recs *a;

	pthread_mutex_lock(&leak.chunk_lock);
	a = slab_recs(slab);
	if (a && slab_recs_empty(a)) {
		slab_recs_put_locked(slab);
		a = NULL;
	}
	pthread_mutex_unlock(&leak.chunk_lock);
	if (!a)
		return;
	table_lock_all();
	pthread_mutex_lock(&leak.chunk_lock);
	a = slab_recs(slab);
	if (a) {
		for (unsigned int i = 0; i < a->cap; i++)
			if (a->rec[i].ptr)
				rec_drop_locked(&a->rec[i]);
		slab_recs_put_locked(slab);
	}
	pthread_mutex_unlock(&leak.chunk_lock);
	table_unlock_all();
}

/* ---- what scans must hear: frees made while they run ---- */
static size_t freed_slot(const struct freed *tab, size_t cap, unsigned long addr)
{
	size_t i = (size_t)((addr >> 3) * 0x9e3779b97f4a7c15UL) & (cap - 1);

	while (tab[i].addr && tab[i].addr != ~addr)
		i = (i + 1) & (cap - 1);
	return i;
}

/* Twice the room (scan_lock held); false without memory. */
static bool freed_grow_locked(void)
{
	size_t cap = leak.freed_cap ? leak.freed_cap * 2 : 4096;
	struct freed *tab = ukmem__os_alloc(cap * sizeof(*tab));

	if (!tab)
		return false;
	for (size_t i = 0; i < leak.freed_cap; i++)
		if (leak.freed[i].addr)
			tab[freed_slot(tab, cap, ~leak.freed[i].addr)] = leak.freed[i];
	if (leak.freed)
		ukmem__os_free(leak.freed, leak.freed_cap * sizeof(*leak.freed));
	leak.freed = tab;
	leak.freed_cap = cap;
	return true;
}

/* @addr was freed while a scan runs: from now on, an object at @addr is not the one the
 * scan listed there (6.1's kmemleak deletes the object at its free; a new one is too young
 * to report). */
static noinline void scan_note_free(unsigned long addr)
{
	size_t i;

	pthread_mutex_lock(&leak.scan_lock);
	if (!ukmem__leak_scanning)
		goto out;
	if ((leak.freed_n + 1) * 4 > leak.freed_cap * 3 && !freed_grow_locked()) {
		leak.freed_lost = true;
		goto out;
	}
	i = freed_slot(leak.freed, leak.freed_cap, addr);
	leak.freed_n += !leak.freed[i].addr;
	leak.freed[i].addr = ~addr;
	leak.freed[i].seq = ++leak.free_seq;
out:
	pthread_mutex_unlock(&leak.scan_lock);
}

/* Was @addr freed after sequence @since (the start of a scan)?  True for everything when a
 * free went unnoted (out of memory): the scan then reports nothing it cannot be sure of. */
static bool freed_since(unsigned long addr, unsigned long since)
{
	bool freed = false;
	size_t i;

	pthread_mutex_lock(&leak.scan_lock);
	if (leak.freed_lost) {
		freed = true;
	} else if (leak.freed_n) {
		i = freed_slot(leak.freed, leak.freed_cap, addr);
		freed = leak.freed[i].addr && leak.freed[i].seq > since;
	}
	pthread_mutex_unlock(&leak.scan_lock);
	return freed;
}

/* A scan starts: frees are noted from now on, and every slab cache's gate closes so that
 * each of them is heard.  Returns the free sequence the scan starts from. */
static unsigned long scan_begin(void)
{
	unsigned long since;

	pthread_mutex_lock(&leak.scan_lock);
	if (!ukmem__leak_scanning) {
		leak.freed_lost = false;
		if (!leak.freed_cap && !freed_grow_locked())
			leak.freed_lost = true;
	}
	__atomic_store_n(&ukmem__leak_scanning, ukmem__leak_scanning + 1, __ATOMIC_RELEASE);
	since = leak.free_seq;
	pthread_mutex_unlock(&leak.scan_lock);
	ukmem__slab_gates_update_all();
	return since;
}

/* The scan is over: the last one forgets the frees and opens the gates again. */
static void scan_end(void)
{
	bool last;

	pthread_mutex_lock(&leak.scan_lock);
	last = ukmem__leak_scanning == 1;
	if (last) {
		if (leak.freed)
			memset(leak.freed, 0, leak.freed_cap * sizeof(*leak.freed));
		leak.freed_n = 0;
	}
	__atomic_store_n(&ukmem__leak_scanning, ukmem__leak_scanning - 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&leak.scan_lock);
	if (last)
		ukmem__slab_gates_update_all();
}

/* ---- tracking ---- */
static void run_note(unsigned long ptr)
{
	unsigned long *slot = leak_run.ptrs.elem ? vec_push(&leak_run.ptrs) : NULL;

	if (slot)
		*slot = ~ptr;
	else
		leak_run.lost = true;
}

/* The task numbered @id (1 ... nr_tasks). */
static const struct leak_task *task_of(unsigned int id)
{
	return &leak.task_seg[(id - 1) / TASK_SEG][(id - 1) % TASK_SEG];
}

/* A new task number for (@pid, @comm); 0 when out of memory (the record names no task). */
static noinline unsigned int task_add(int pid, const char *comm)
{
	unsigned int id = 0, n;
	struct leak_task *seg;

	pthread_mutex_lock(&leak.task_lock);
	n = leak.nr_tasks;
	if (n >= TASK_SEG * TASK_SEGS)
		goto out;
	seg = leak.task_seg[n / TASK_SEG];
	if (!seg) {
		seg = ukmem__os_alloc(PAGE_ALIGN(TASK_SEG * sizeof(*seg)));
		if (!seg)
			goto out;
		leak.task_seg[n / TASK_SEG] = seg;
	}
	seg[n % TASK_SEG].pid = pid;
	memcpy(seg[n % TASK_SEG].comm, comm, sizeof(seg->comm));
	id = n + 1;
	__atomic_store_n(&leak.nr_tasks, id, __ATOMIC_RELEASE);
out:
	pthread_mutex_unlock(&leak.task_lock);
	return id;
}

/* This thread's task number, for its current name and pid. */
static __thread struct {
	unsigned int id;
	int pid;
	char comm[16];
} leak_this_task;

static unsigned int task_now(const struct ukmem__cpu *c)
{
	/* as the kernel's create_object: an interrupt's allocation belongs to no task */
	if (c->preempt_count & (HARDIRQ_MASK | SOFTIRQ_OFFSET)) {
		bool hard = c->preempt_count & HARDIRQ_MASK;
		unsigned int *id = &leak.irq_task[hard ? 0 : 1];
		unsigned int got = __atomic_load_n(id, __ATOMIC_ACQUIRE);

		if (!got) {
			char comm[16] = { 0 };

			strncpy(comm, hard ? "hardirq" : "softirq", sizeof(comm));
			got = task_add(0, comm);
			__atomic_store_n(id, got, __ATOMIC_RELEASE);	/* a duplicate at worst */
		}
		return got;
	}
	if (likely(leak_this_task.id && leak_this_task.pid == c->task.pid &&
		   !memcmp(leak_this_task.comm, c->task.comm, sizeof(leak_this_task.comm))))
		return leak_this_task.id;
	leak_this_task.id = task_add(c->task.pid, (const char *)c->task.comm);
	leak_this_task.pid = c->task.pid;
	memcpy(leak_this_task.comm, c->task.comm, sizeof(leak_this_task.comm));
	return leak_this_task.id;
}

static void fill(struct leak_rec *r, unsigned long size, unsigned long caller,
		 unsigned int stack)
{
	r->size = size;
	r->caller = caller;
	r->flags = 0;
	r->run = leak_run.id;
	if (leak_run.id)
		run_note(r->ptr);
	r->ticks = (unsigned int)(jiffies_now() - INITIAL_JIFFIES);
	r->stack = stack;
	r->task = task_now(ukmem__cpu());
}

static void record(const void *ptr, size_t size, enum ukmem__leak_kind kind,
		   unsigned long caller, unsigned int stack)
{
	struct leak_stripe *st = stripe_lock((unsigned long)ptr);
	struct leak_rec *r = rec_set_locked((unsigned long)ptr, kind);

	if (r)
		fill(r, size, caller, stack);
	stripe_unlock(st);
}

noinline void ukmem__leak_track(const void *ptr, size_t size, enum ukmem__leak_kind kind,
				unsigned long caller)
{
	if (!ukmem__cfg.kmemleak || ZERO_OR_NULL_PTR(ptr) || kind >= UKMEM_LEAK_NR_KINDS)
		return;
	record(ptr, size, kind, caller, ukmem__depot_save(2));	/* from this function's caller */
}

noinline void ukmem__leak_track_caller(const void *ptr, size_t size,
				       enum ukmem__leak_kind kind, unsigned long caller)
{
	unsigned int stack = 0;

	if (!ukmem__cfg.kmemleak || ZERO_OR_NULL_PTR(ptr) || kind >= UKMEM_LEAK_NR_KINDS)
		return;
	if (ukmem__debug_hooked())	/* kmemleak.stacks=on, fault injection: the stack */
		stack = ukmem__depot_save(2);
	record(ptr, size, kind, caller, stack);
}

/* Can @ptr have a record of @kind (any, @kind < 0), other than a slab object's of
 * UKMEM_LEAK_SLAB (untrack_slab)?  No lock: the record of an object is made and dropped by
 * the thread that holds the object (or by a report, which may find it gone then), so a
 * stale answer is the race of a report with the object's free. */
static bool may_have_rec(unsigned long ptr, int kind)
{
	unsigned int idx;
	struct slab *slab;

	if (__atomic_load_n(&stripe_of(ptr)->nr, __ATOMIC_RELAXED))
		return true;
	if (kind >= 0)
		return false;
	slab = slab_object(ptr, &idx);
	return slab && slab_recs(slab);
}

/* A slab object's free: its slot, found from its slab. */
static void untrack_slab(unsigned long ptr, struct slab *slab, unsigned int idx)
{
	struct leak_rec *r = slab_slot(slab, idx, false);
	struct leak_stripe *st;

	if (!r || slot_ptr(r) != ptr)
		return;
	st = stripe_lock(ptr);
	if (r->ptr == ptr)
		rec_drop_locked(r);
	stripe_unlock(st);
}

void ukmem__leak_untrack(const void *ptr, enum ukmem__leak_kind kind)
{
	struct leak_stripe *st;
	struct leak_rec *r;
	struct slab *slab;
	unsigned int idx;

	if (unlikely(ukmem__leak_scan_running()))
		scan_note_free((unsigned long)ptr);
	/* A slab without an array has no record of an object at a stride's start: only the
	 * table may have a record, of an object elsewhere (a debug cache's).  So a gated free
	 * of an object of such a slab costs its slab's word and the table's count. */
	slab = kind == UKMEM_LEAK_SLAB ? ukmem__virt_to_slab(ptr) : NULL;
	if (slab && slab_recs(slab) && slab_object_in(slab, (unsigned long)ptr, &idx)) {
		untrack_slab((unsigned long)ptr, slab, idx);
		return;
	}
	if (!may_have_rec((unsigned long)ptr, kind))
		return;
	st = stripe_lock((unsigned long)ptr);
	r = rec_find_locked((unsigned long)ptr, kind);
	if (r)
		rec_drop_locked(r);
	stripe_unlock(st);
}

bool ukmem__leak_reported(const void *ptr, enum ukmem__leak_kind kind)
{
	struct leak_stripe *st;
	struct leak_rec *r;
	bool was = false;

	if (!ukmem__cfg.kmemleak || ZERO_OR_NULL_PTR(ptr))
		return false;
	st = stripe_lock((unsigned long)ptr);
	r = rec_find_locked((unsigned long)ptr, kind);
	if (r) {
		was = r->flags & REC_REPORTED;
		r->flags |= REC_REPORTED;
	}
	stripe_unlock(st);
	return was;
}

static void forget_cache_cb(struct leak_rec *r, void *s)
{
	if (r->gate == s)
		rec_drop_locked(r);
}

void ukmem__leak_forget_cache(struct kmem_cache *s)
{
	table_lock_all();
	slab_recs_for_each_locked(forget_cache_cb, s);
	for (unsigned int b = 0; leak.buckets && b < NR_BUCKETS; b++) {
		struct leak_rec **pp = &leak.buckets[b];

		while (*pp) {
			if ((*pp)->gate == s)
				rec_unlink_locked(pp);
			else
				pp = &(*pp)->next;
		}
	}
	table_unlock_all();
}

void ukmem__leak_pages_taken(struct page *page)
{
	page->ukmem_reserved = 0;
	ukmem__leak_untrack(page_address(page), UKMEM_LEAK_PAGES);
}

/* ---- the objects of one report ---- */
struct lobj {
	unsigned long ptr, size, owner;		/* owner: a page's caller word */
	const char *cache;			/* slab cache name, or NULL */
	unsigned char kind;
	bool marked, has_rec, large_kmalloc;
	bool suspect;				/* unreferenced in the scan's first round */
	bool area_desc;				/* a vmalloc area's own vm_struct */
	unsigned long hash;			/* of the stack: groups */
	const char *held_by;			/* a run's report: who still holds it */
	struct leak_rec rec;			/* a copy, when has_rec */
};

struct range {
	unsigned long start, end;
};

struct gather {
	struct vec objs;		/* struct lobj */
	struct vec skip;		/* struct range: ukmem's own memory, not roots */
	bool oom;
};

static void add_obj(struct gather *g, unsigned long ptr, unsigned long size, unsigned int kind,
		    const char *cache)
{
	struct lobj *o = vec_push(&g->objs);

	if (!o) {
		g->oom = true;
		return;
	}
	memset(o, 0, sizeof(*o) - sizeof(o->rec));
	o->ptr = ptr;
	o->size = size;
	o->kind = kind;
	o->cache = cache;
}

static void add_skip(struct gather *g, const void *start, size_t len)
{
	struct range *r = vec_push(&g->skip);

	if (!r) {
		g->oom = true;
		return;
	}
	r->start = (unsigned long)start;
	r->end = (unsigned long)start + len;
}

static void slab_obj_cb(void *arg, void *obj, unsigned int size, const char *cache)
{
	add_obj(arg, (unsigned long)obj, size, UKMEM_LEAK_SLAB, cache);
}

/* ukmem's own memory that the scan must not read as roots (slab arrays, the stack depot). */
static void own_memory_cb(void *arg, const void *start, size_t len)
{
	add_skip(arg, start, len);
}

static void page_cb(void *arg, struct page *page, unsigned int order, unsigned long owner)
{
	struct gather *g = arg;
	struct lobj *o;

	add_obj(g, (unsigned long)page_address(page), PAGE_SIZE << order, UKMEM_LEAK_PAGES, NULL);
	if (g->oom)
		return;
	o = (struct lobj *)g->objs.v + g->objs.n - 1;
	o->owner = owner;
	if (PageHead(page) && page->index == UKMEM_KMALLOC_LARGE) {
		unsigned long size = READ_ONCE(page->private);

		o->large_kmalloc = true;
		o->cache = "kmalloc";
		if (size && size <= o->size)
			o->size = size;		/* the requested size, as kmalloc_large's kmemleak_alloc */
	}
}

static int cmp_lobj(const void *a, const void *b)
{
	const struct lobj *x = a, *y = b;

	return x->ptr < y->ptr ? -1 : x->ptr > y->ptr;
}

/* The object containing addr, by binary search over objs sorted by address. */
static struct lobj *find_obj(struct lobj *objs, size_t n, unsigned long addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (addr < objs[mid].ptr)
			hi = mid;
		else if (addr >= objs[mid].ptr + (objs[mid].size ? objs[mid].size : 1))
			lo = mid + 1;
		else
			return &objs[mid];
	}
	return NULL;
}

/* A bijective mixer (splitmix64's finaliser): distinct keys give unrelated hashes. */
static unsigned long mix(unsigned long x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9UL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebUL;
	return x ^ (x >> 31);
}

/* What a group of objects shares: the stack, or what stands for it.  Mixed, not XORed:
 * the XOR of two code addresses and two string addresses of one binary collided, and put a
 * page leak in a large kmalloc's group ("the same as" a backtrace that was not its own). */
static unsigned long stack_hash(const struct lobj *o)
{
	if (!o->has_rec)
		return mix(mix(mix(1 + o->kind) ^ (o->owner & ~1UL)) ^
			   (unsigned long)(o->cache ? o->cache : ""));
	if (!o->rec.stack)		/* a record of the caller only */
		return mix(mix(16 + o->kind) ^ o->rec.caller);
	return mix(mix(32) ^ o->rec.stack);	/* one handle per distinct stack */
}

static void va_skip_cb(struct ukmem__vmap_area *va, void *arg)
{
	add_skip(arg, va, sizeof(*va));
	if (va->pages)
		add_skip(arg, va->pages, va->nr_pages * sizeof(*va->pages));
}

/* An area's descriptor is a kmalloc object that the area holds (6.1's vmap_area points to
 * it): never a leak while the area exists; remove_vm_area() makes it the caller's. */
struct desc_mark {
	struct lobj *objs;
	size_t n;
};

static void va_desc_cb(struct ukmem__vmap_area *va, void *arg)
{
	struct desc_mark *m = arg;
	struct lobj *o;

	if (!ukmem__va_desc_owned(va))
		return;
	o = find_obj(m->objs, m->n, (unsigned long)va->vm);
	if (o && o->ptr == (unsigned long)va->vm)
		o->area_desc = true;
}

/* The objects gathered so far: the first n, sorted by address, are the walks'. */
struct attach {
	struct gather *g;
	size_t n;
};

/* Attach record @r to its object: one of the walks' (a slab object or page), or a new one
 * (other kinds).  False when the record is stale (its object is gone): drop it. */
static bool attach_rec(struct leak_rec *r, const struct attach *at)
{
	struct gather *g = at->g;
	struct lobj *o;

	/* Slab records are checked against the walk (a fast-path free does not untrack);
	 * KFENCE objects live outside slabs and every free of one untracks it, so their
	 * records stand as they are. */
	if ((r->kind == UKMEM_LEAK_SLAB && !ukmem__is_kfence_address((void *)r->ptr)) ||
	    r->kind == UKMEM_LEAK_PAGES) {
		o = find_obj(g->objs.v, at->n, r->ptr);
		if (!o || o->ptr != r->ptr ||
		    (r->kind == UKMEM_LEAK_PAGES && !(o->owner & 1) && !r->flags) ||
		    (r->kind == UKMEM_LEAK_SLAB && o->kind != UKMEM_LEAK_SLAB))
			return false;
	} else {
		if (g->objs.n == g->objs.cap) {	/* added since the reserve */
			g->oom = true;
			return true;
		}
		o = vec_push(&g->objs);
		memset(o, 0, sizeof(*o) - sizeof(o->rec));
		o->ptr = r->ptr;
		o->size = r->size;
		o->kind = r->kind;
	}
	o->has_rec = true;
	o->rec = *r;
	return true;
}

static void attach_slab_rec(struct leak_rec *r, void *at)
{
	if (!attach_rec(r, at))
		rec_drop_locked(r);
}

/*
 * Every live object, sorted by address, with the records attached; stale records of slab
 * objects and pages are dropped.  With @skips, ukmem's own memory is collected too.
 */
static int gather(struct gather *g, bool skips)
{
	struct ukmem__slab_walk w = { slab_obj_cb, skips ? own_memory_cb : NULL, g, true };
	struct lobj *objs;
	size_t n;

	g->objs.elem = sizeof(struct lobj);
	g->skip.elem = sizeof(struct range);
	if (ukmem__slab_walk_live(&w))
		g->oom = true;
	ukmem__pages_walk_user(page_cb, g);
	if (skips) {
		ukmem__va_lock();
		ukmem__va_for_each_locked(va_skip_cb, g);
		ukmem__va_unlock();
	}
	n = g->objs.n;
	if (!vec_reserve(&g->objs, n + table_count() + 64))
		g->oom = true;
	objs = g->objs.v;
	if (n)
		sort(objs, n, sizeof(*objs), cmp_lobj, NULL);
	table_lock_all();
	for (unsigned int b = 0; leak.buckets && b < NR_BUCKETS; b++) {
		struct leak_rec **pp = &leak.buckets[b];

		while (*pp) {
			struct leak_rec *r = *pp;

			if (attach_rec(r, &(struct attach){ g, n }))
				pp = &r->next;
			else
				rec_unlink_locked(pp);	/* stale: freed through a fast path */
		}
	}
	slab_recs_for_each_locked(attach_slab_rec, &(struct attach){ g, n });
	if (skips) {
		ukmem__depot_ranges(own_memory_cb, g);
		ukmem__kfence_ranges(own_memory_cb, g);
		for (int i = 0; i < leak.nr_chunks; i++)
			add_skip(g, leak.chunks[i].start, leak.chunks[i].len);
	}
	table_unlock_all();
	for (size_t i = 0; i < g->objs.n; i++)
		((struct lobj *)g->objs.v)[i].hash = stack_hash((struct lobj *)g->objs.v + i);
	sort(g->objs.v, g->objs.n, sizeof(struct lobj), cmp_lobj, NULL);
	ukmem__va_lock();
	ukmem__va_for_each_locked(va_desc_cb, &(struct desc_mark){ g->objs.v, g->objs.n });
	ukmem__va_unlock();
	return g->oom ? -ENOMEM : 0;
}

/* Mark records as reported (by address and kind), so that no later report repeats them. */
static void mark_reported(const struct lobj *o)
{
	struct leak_stripe *st;
	struct leak_rec *r, *had;

	st = stripe_lock(o->ptr);
	had = rec_find_locked(o->ptr, o->kind);
	r = had ? had : rec_set_locked(o->ptr, o->kind);
	if (r && !had) {		/* a flag-only record */
		fill(r, o->size, o->owner & ~1UL, 0);
		r->task = 0;
		r->ticks = 0;
	}
	if (r)
		r->flags |= REC_REPORTED;
	stripe_unlock(st);
}

/* ---- reading memory that may vanish ---- */
static size_t safe_read(unsigned long addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)addr, len };
	ssize_t n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);

	return n > 0 ? (size_t)n : 0;
}

/* ---- printing ---- */
__printf(2, 3) static void out(FILE *f, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	ukmem__vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (f)
		fputs(buf, f);
	else
		printk(KERN_WARNING "%s", buf);
}

static void hex_dump(FILE *f, const struct lobj *o)
{
	unsigned char bytes[HEX_BYTES];
	size_t len = min_t(size_t, o->size, HEX_BYTES), got;

	if (!kind_readable(o->kind))
		return;
	got = safe_read(read_addr(o->kind, o->ptr), bytes, len);
	out(f, "  hex dump (first %zu bytes):\n", len);
	for (size_t row = 0; row < got; row += 16) {
		char line[96];
		int pos = 0;
		size_t end = min_t(size_t, got, row + 16);

		for (size_t i = row; i < end; i++)
			pos += snprintf(line + pos, sizeof(line) - pos, i > row ? " %02x" : "%02x", bytes[i]);
		pos += snprintf(line + pos, sizeof(line) - pos, "%*s", (int)(49 - pos), "");
		for (size_t i = row; i < end; i++)
			line[pos++] = bytes[i] >= 0x20 && bytes[i] < 0x7f ? bytes[i] : '.';
		line[pos] = '\0';
		out(f, "    %s\n", line);
	}
}

static void print_backtrace(FILE *f, const struct lobj *o)
{
	const unsigned long *pcs;
	char sym[512];
	int n = o->has_rec ? ukmem__depot_fetch(o->rec.stack, &pcs) : 0;

	out(f, "  backtrace:\n");
	if (n) {
		for (int i = 0; i < n; i++) {
			ukmem__symbolize(pcs[i] - 1, sym, sizeof(sym));
			out(f, "    [<%016lx>] %s\n", pcs[i], sym);
		}
		return;
	}
	if ((o->has_rec && o->rec.caller) || (o->owner & ~1UL)) {
		unsigned long caller = o->has_rec && o->rec.caller ? o->rec.caller : o->owner & ~1UL;

		ukmem__symbolize(caller - 1, sym, sizeof(sym));
		out(f, "    [<%016lx>] %s\n", caller, sym);
		out(f, "    (the caller only: kmemleak.stacks=on records whole stacks)\n");
		return;
	}
	out(f, "    (not recorded: %s objects are allocated on a per-thread fast path; "
	    "kmemleak.stacks=on records every allocation's stack)\n", o->cache ? o->cache : "slab");
}

static void print_object(FILE *f, const struct lobj *o, const struct lobj *same)
{
	out(f, "unreferenced object 0x%08lx (size %lu):\n", o->ptr, o->size);
	if (o->has_rec && o->rec.task) {	/* flag-only records have no task */
		const struct leak_task *t = task_of(o->rec.task);

		out(f, "  comm \"%s\", pid %d, jiffies %lu\n", t->comm, t->pid,
		    INITIAL_JIFFIES + o->rec.ticks);
	} else {
		/* A fast-path object has no record: the task reporting it (the process's, at
		 * exit) is the best the kernel's line can say, and its start time. */
		struct ukmem__cpu *c = ukmem__cpu();

		out(f, "  comm \"%s\", pid %d, jiffies %lu\n", c->task.comm, c->task.pid,
		    INITIAL_JIFFIES);
	}
	hex_dump(f, o);
	if (same) {
		out(f, "  backtrace: the same as object 0x%08lx above\n", same->ptr);
		if (o->held_by)
			out(f, "  (held by %s)\n", o->held_by);
		return;
	}
	print_backtrace(f, o);
	if (o->kind != UKMEM_LEAK_SLAB && o->kind != UKMEM_LEAK_OTHER && !o->large_kmalloc)
		out(f, "  (a %s object)\n", kind_names[o->kind]);
	if (o->held_by)
		out(f, "  (held by %s)\n", o->held_by);
}

static int cmp_group(const void *a, const void *b)
{
	const struct lobj *x = *(const struct lobj *const *)a, *y = *(const struct lobj *const *)b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->ptr < y->ptr ? -1 : x->ptr > y->ptr;
}

static bool reportable(const struct lobj *o)
{
	return !o->area_desc && !(o->has_rec && (o->rec.flags & (REC_NOT_LEAK | REC_REPORTED)));
}

/*
 * Print the objects of @list grouped by stack, the groups in order of first appearance by
 * address.  To the console (f == NULL) each object is one counted report.
 */
static void print_grouped(FILE *f, struct lobj **list, size_t n, bool count)
{
	sort(list, n, sizeof(*list), cmp_group, NULL);
	for (size_t i = 0; i < n;) {
		size_t j = i, shown = 0;
		unsigned long bytes = 0;

		while (j < n && list[j]->hash == list[i]->hash)
			j++;
		for (size_t k = i; k < j; k++) {
			if (count)
				ukmem__report_begin();
			if (shown < GROUP_FULL) {
				print_object(f, list[k], k > i ? list[i] : NULL);
				shown++;
			} else {
				bytes += list[k]->size;
			}
			if (count) {
				mark_reported(list[k]);
				ukmem__report_end(UKMEM_REPORT_LEAK);
			}
		}
		if (j - i > shown)
			out(f, "... and %zu more unreferenced objects (%lu bytes) with the same backtrace\n",
			    j - i - shown, bytes);
		i = j;
	}
}

/* Report the leaks among g's objects that @want selects; returns how many. */
static int report_leaks(struct gather *g, FILE *f, bool count, bool (*want)(const struct lobj *, void *),
			void *arg)
{
	struct vec list = { .elem = sizeof(struct lobj *) };
	int n = 0;

	for (size_t i = 0; i < g->objs.n; i++) {
		struct lobj *o = (struct lobj *)g->objs.v + i, **slot;

		if (!reportable(o) || !want(o, arg) || !(slot = vec_push(&list)))
			continue;
		*slot = o;
		n++;
	}
	if (n)
		print_grouped(f, list.v, list.n, count);
	vec_free(&list);
	return n;
}

/* ---- ukmem_exit: everything still allocated ---- */
static bool want_all(const struct lobj *o, void *arg)
{
	return true;
}

static void kmemleak_exit(void)
{
	struct gather g = { 0 };
	int n;

	if (!ukmem__cfg.kmemleak)
		return;
	if (ukmem__urcu_used())
		ukmem__urcu_barrier();		/* kfree_rcu()s already asked for are not leaks */
	if (gather(&g, false))
		printk(KERN_WARNING "kmemleak: out of memory while gathering objects: the report is incomplete\n");
	n = report_leaks(&g, NULL, true, want_all, NULL);
	if (n)
		printk(KERN_WARNING "kmemleak: %d new suspected memory leaks (ukmem_exit: still allocated)\n", n);
	vec_free(&g.objs);
	vec_free(&g.skip);
}

/* ---- fail-sweep runs ---- */
unsigned long ukmem__leak_run_begin(void)
{
	leak_run.ptrs.elem = sizeof(unsigned long);
	leak_run.ptrs.n = 0;
	leak_run.lost = false;
	leak_run.id = __atomic_add_fetch(&leak.next_run, 1, __ATOMIC_RELAXED);
	return leak_run.id;
}

/* A longer-lived owner (a mempool's reserve) took @ptr over: no run counts it any more. */
void ukmem__leak_disown(const void *ptr)
{
	struct leak_stripe *st;
	struct leak_rec *r;

	if (!ukmem__cfg.kmemleak || ZERO_OR_NULL_PTR(ptr) ||
	    !may_have_rec((unsigned long)ptr, -1))	/* as ukmem__leak_untrack */
		return;
	st = stripe_lock((unsigned long)ptr);
	r = rec_find_locked((unsigned long)ptr, -1);
	if (r)
		r->run = 0;
	stripe_unlock(st);
}

static bool want_run(const struct lobj *o, void *arg)
{
	return o->has_rec && o->rec.run == *(unsigned long *)arg;
}

/* Does a record of @ptr still belong to @run? */
static bool ptr_in_run(unsigned long ptr, unsigned long run)
{
	struct leak_stripe *st = stripe_lock(ptr);
	struct leak_rec **buckets = table_buckets(), *r = rec_find_locked(ptr, UKMEM_LEAK_SLAB);
	bool found = r && r->run == run;

	for (r = buckets ? buckets[bucket_of(ptr)] : NULL; r && !found; r = r->next)
		found = r->ptr == ptr && r->run == run;
	stripe_unlock(st);
	return found;
}

struct run_find {
	unsigned long run;
	bool found;
};

static void run_find_cb(struct leak_rec *r, void *arg)
{
	struct run_find *rf = arg;

	rf->found |= r->run == rf->run;
}

/* Does any record belong to @run?  The addresses the run recorded are looked up (its own
 * cost); the whole table is walked only when that list ran out of memory. */
static bool run_has_records(unsigned long run)
{
	const unsigned long *ptrs = leak_run.ptrs.v;
	bool found = false;

	if (leak_run.lost) {
		struct run_find rf = { run, false };

		table_lock_all();
		for (unsigned int b = 0; leak.buckets && b < NR_BUCKETS && !rf.found; b++)
			for (struct leak_rec *r = leak.buckets[b]; r && !rf.found; r = r->next)
				rf.found = r->run == run;
		slab_recs_for_each_locked(run_find_cb, &rf);
		table_unlock_all();
		return rf.found;
	}
	for (size_t i = 0; i < leak_run.ptrs.n && !found; i++)
		found = ptr_in_run(~ptrs[i], run);
	return found;
}

void ukmem__leak_holder_register(bool (*holder)(const void *ptr, char *buf, size_t len))
{
	leak.holder = holder;
}

#define HELD_BY_LEN	96

/* Who holds each object of @g a run reports (names in @names, host memory; no lock held). */
static void note_holders(struct gather *g, unsigned long run, struct vec *names)
{
	size_t n = 0;

	for (size_t i = 0; i < g->objs.n; i++)
		n += want_run((struct lobj *)g->objs.v + i, &run);
	names->elem = HELD_BY_LEN;
	if (!leak.holder || !vec_reserve(names, n))
		return;
	for (size_t i = 0; i < g->objs.n; i++) {
		struct lobj *o = (struct lobj *)g->objs.v + i;
		char *buf;

		if (!want_run(o, &run) || !reportable(o))
			continue;
		buf = (char *)names->v + names->n * HELD_BY_LEN;
		if (leak.holder((const void *)read_addr(o->kind, o->ptr), buf, HELD_BY_LEN)) {
			o->held_by = buf;
			names->n++;
		}
	}
}

int ukmem__leak_run_end(unsigned long run, const char *title)
{
	struct vec names = { 0 };
	struct gather g = { 0 };
	bool any;
	int n = 0;

	leak_run.id = 0;
	if (ukmem__cfg.kmemleak && ukmem__urcu_used())
		ukmem__urcu_barrier();
	any = ukmem__cfg.kmemleak && run_has_records(run);
	vec_free(&leak_run.ptrs);
	if (!any)
		return 0;
	gather(&g, false);
	for (size_t i = 0; i < g.objs.n; i++)
		n += want_run((struct lobj *)g.objs.v + i, &run) && reportable((struct lobj *)g.objs.v + i);
	if (n) {
		note_holders(&g, run, &names);
		printk(KERN_WARNING "%s: %d object(s) acquired in this run were not returned:\n", title, n);
		report_leaks(&g, NULL, true, want_run, &run);
	}
	vec_free(&names);
	vec_free(&g.objs);
	vec_free(&g.skip);
	return n;
}

/* ---- the scan (ukmem_show("kmemleak")) ---- */
struct scan {
	struct lobj *objs;
	size_t n;
	unsigned long lo, hi;		/* bounds of every object */
	struct vec gray;		/* size_t indexes */
	unsigned long *buf;		/* read buffer (host memory, skipped) */
	struct range *skip;
	size_t nskip;
	unsigned long since;		/* the free sequence when the scan began */
};

#define SCAN_BUF	(64u << 10)
/* Larger writable mappings are reservations, not data: sanitizers' shadow memory. */
#define MAX_ROOT_MAPPING	(16UL << 30)

static void scan_words(struct scan *sc, const unsigned long *w, size_t nwords)
{
	for (size_t i = 0; i < nwords; i++) {
		struct lobj *o;
		size_t *slot;

		if (w[i] < sc->lo || w[i] >= sc->hi)
			continue;
		o = find_obj(sc->objs, sc->n, w[i]);
		if (!o || o->marked)
			continue;
		o->marked = true;
		if (kind_readable(o->kind) && !(o->has_rec && (o->rec.flags & REC_NO_SCAN)) &&
		    (slot = vec_push(&sc->gray)))
			*slot = (size_t)(o - sc->objs);
	}
}

static void scan_range(struct scan *sc, unsigned long start, unsigned long end)
{
	start = ALIGN(start, sizeof(long));
	while (start + sizeof(long) <= end) {
		size_t len = min_t(unsigned long, end - start, SCAN_BUF) & ~(sizeof(long) - 1);
		size_t got = safe_read(start, sc->buf, len);

		scan_words(sc, sc->buf, got / sizeof(long));
		if (got < len)		/* a hole: skip to the next page */
			got = PAGE_ALIGN(start + got + 1) - start;
		start += got;
	}
}

/* Scan [start, end) minus ukmem's own ranges (sorted). */
static void scan_root(struct scan *sc, unsigned long start, unsigned long end)
{
	for (size_t i = 0; i < sc->nskip && start < end; i++) {
		const struct range *r = &sc->skip[i];

		if (r->end <= start || r->start >= end)
			continue;
		if (r->start > start)
			scan_range(sc, start, r->start);
		start = max(start, r->end);
	}
	if (start < end)
		scan_range(sc, start, end);
}

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The stack pointer: everything above it on this thread's stack is live. */
static __always_inline unsigned long stack_pointer(void)
{
	unsigned long sp;
#if defined(__x86_64__)
	__asm__ volatile("mov %%rsp, %0" : "=r"(sp));
#elif defined(__aarch64__)
	__asm__ volatile("mov %0, sp" : "=r"(sp));
#else
	sp = (unsigned long)__builtin_frame_address(0) - 4096;
#endif
	return sp;
}

static noinline void scan_roots(struct scan *sc)
{
	unsigned long here;
	char line[512];
	FILE *maps;

	__builtin_unwind_init();	/* this thread's callee-saved registers onto its stack */
	memset(line, 0, sizeof(line));
	here = stack_pointer();
	maps = fopen("/proc/self/maps", "re");
	if (!maps)
		return;
	while (fgets(line, sizeof(line), maps)) {
		unsigned long start, end;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) != 3 || perms[0] != 'r' ||
		    perms[1] != 'w' || strstr(line, "[vvar]") || strstr(line, "[vsyscall]") ||
		    end - start > MAX_ROOT_MAPPING)
			continue;
		if (here >= start && here < end)	/* this thread's stack: the live part */
			start = here & ~(sizeof(long) - 1);
		scan_root(sc, start, end);
	}
	fclose(maps);
}

/* An object's contents: a per-CPU area's are every CPU's copy, as 6.1's kmemleak makes an
 * object of each copy (a pointer kept in CPU 1's copy only is a reference too). */
static void scan_object(struct scan *sc, const struct lobj *o)
{
	unsigned int cpu;

	if (o->kind != UKMEM_LEAK_PERCPU) {
		scan_range(sc, o->ptr, o->ptr + o->size);
		return;
	}
	for_each_possible_cpu(cpu) {
		unsigned long at = (unsigned long)per_cpu_ptr((void __percpu *)o->ptr, cpu);

		scan_range(sc, at, at + o->size);
	}
}

static void scan_gray(struct scan *sc)
{
	while (sc->gray.n)
		scan_object(sc, &sc->objs[((size_t *)sc->gray.v)[--sc->gray.n]]);
}

/*
 * Other threads go on while the scan runs.  An object allocated since the list was taken is
 * not on it, and it may hold the only pointer to an old one (a list that grows at its head):
 * its contents are roots, since a new object cannot be a leak yet.  An object freed since is
 * no leak either.  (6.1's scan rescans objects whose checksum changed and does not report
 * young ones.)  The walks race the allocations they see, so an object one round leaves
 * unreferenced is reported only when a second round, its roots read again, agrees.
 */
#define LATE_PASSES	3	/* a walk races the allocations it sees: each pass narrows it */

static void scan_late(struct scan *sc)
{
	struct gather now = { 0 };
	struct lobj *v = NULL;

	for (int pass = 0; pass < LATE_PASSES; pass++) {
		vec_free(&now.objs);
		vec_free(&now.skip);
		now = (struct gather){ 0 };
		if (gather(&now, false) || now.oom)
			goto out;
		v = now.objs.v;
		for (size_t i = 0; i < now.objs.n; i++) {
			struct lobj *o = find_obj(sc->objs, sc->n, v[i].ptr);

			if (o && o->ptr == v[i].ptr) {		/* listed at the start */
				if (!freed_since(o->ptr, sc->since))
					continue;
				o->marked = true;	/* freed: what is there now is new */
			}
			scan_object(sc, &v[i]);
		}
		scan_gray(sc);
	}
	for (size_t i = 0; i < sc->n; i++) {
		struct lobj *o = find_obj(v, now.objs.n, sc->objs[i].ptr);

		if (!o || o->ptr != sc->objs[i].ptr || freed_since(sc->objs[i].ptr, sc->since))
			sc->objs[i].marked = true;	/* freed meanwhile */
	}
out:
	vec_free(&now.objs);
	vec_free(&now.skip);
}

/* One round: the roots, what they reach, and what objects allocated meanwhile reach. */
static noinline void scan_round(struct scan *sc)
{
	scan_roots(sc);
	scan_gray(sc);
	scan_late(sc);
}

/* Notes the objects the round left unreferenced; any? */
static bool suspects(struct scan *sc)
{
	bool any = false;

	for (size_t i = 0; i < sc->n; i++) {
		sc->objs[i].suspect = !sc->objs[i].marked;
		any |= sc->objs[i].suspect;
	}
	return any;
}

static bool want_unmarked(const struct lobj *o, void *arg)
{
	return !o->marked;
}

/* Zero the stack below the caller, where gathering and an earlier round left object
 * addresses: the scan of this thread's stack starts just below here.  Before every round: a
 * round's own frame has slots it writes only after scan_roots has read them (a spill slot
 * of scan_round that the first round's late pass filled, read as a root by the second
 * round, kept a leak of a ThreadSanitizer build "referenced").  Word by word through a
 * volatile array (a memset of a dying local is a dead store: compilers drop it and then the
 * call), and not instrumented, so that AddressSanitizer neither moves the array off this
 * stack nor checks stale poison left there by earlier frames. */
static noinline __attribute__((no_sanitize("address"))) void scrub_stack(void)
{
	volatile unsigned long junk[1024];

	for (size_t i = 0; i < ARRAY_SIZE(junk); i++)
		junk[i] = 0;
}

static int kmemleak_show(FILE *f, const char *arg)
{
	struct gather g = { 0 };
	unsigned long since;
	char *mem = NULL;
	struct scan *sc;

	if (!ukmem__cfg.kmemleak) {
		fprintf(f, "kmemleak: disabled (kmemleak=off)\n");
		return 0;
	}
	/* The scan state lives in host memory that is not scanned: an object's address in
	 * this frame would count as a reference. */
	since = scan_begin();
	mem = ukmem__os_alloc(SCAN_BUF + PAGE_SIZE);
	if (!mem || gather(&g, true))
		goto oom;
	sc = (struct scan *)(mem + SCAN_BUF);
	sc->since = since;
	sc->gray.elem = sizeof(size_t);
	sc->buf = (unsigned long *)mem;
	add_skip(&g, (void *)ukmem__mm.direct_base, ukmem__mm.reserve_size);
	add_skip(&g, ukmem__mm.vmalloc_start, ukmem__mm.vmalloc_end - ukmem__mm.vmalloc_start);
	add_skip(&g, mem_map, PAGE_ALIGN(max_pfn * sizeof(struct page)));
	add_skip(&g, mem, SCAN_BUF + PAGE_SIZE);
	add_skip(&g, g.objs.v, PAGE_ALIGN(g.objs.cap * g.objs.elem));
	if (vec_reserve(&g.skip, g.skip.n + 1))	/* the list itself, last: it must not move */
		add_skip(&g, g.skip.v, PAGE_ALIGN(g.skip.cap * g.skip.elem));
	if (g.oom)
		goto oom;
	sc->objs = g.objs.v;
	sc->n = g.objs.n;
	sc->lo = sc->n ? sc->objs[0].ptr : 0;
	for (size_t i = 0; i < sc->n; i++)
		sc->hi = max(sc->hi, sc->objs[i].ptr + sc->objs[i].size);
	sort(g.skip.v, g.skip.n, sizeof(struct range), cmp_range, NULL);
	sc->skip = g.skip.v;
	sc->nskip = g.skip.n;
	scrub_stack();
	scan_round(sc);
	if (suspects(sc)) {	/* a second round: one a race fooled once is found this time */
		for (size_t i = 0; i < sc->n; i++)
			sc->objs[i].marked = false;
		scrub_stack();
		scan_round(sc);
		for (size_t i = 0; i < sc->n; i++)
			sc->objs[i].marked |= !sc->objs[i].suspect;
	}
	report_leaks(&g, f, false, want_unmarked, NULL);
	vec_free(&sc->gray);
	goto out;
oom:
	fprintf(f, "kmemleak: out of memory: no scan\n");
out:
	vec_free(&g.objs);
	vec_free(&g.skip);
	if (mem)
		ukmem__os_free(mem, SCAN_BUF + PAGE_SIZE);
	scan_end();
	return 0;
}

/* ---- the kernel's API (<linux/kmemleak.h>) ---- */
/* The kernel's warning for a call about an object kmemleak does not know: @what is the
 * text before "unknown object", @as what follows the address ("" for nothing).  Inlined
 * into the API call, so that the trace starts at that call's caller: called out of line, it
 * was a tail call in some builds (the API function's frame gone) and not in others
 * (ThreadSanitizer's function-exit hook follows the call), and the trace's first frame moved. */
static __always_inline void kmemleak_warn_unknown(const void *ptr, const char *what,
						   const char *as)
{
	ukmem__console_lock();
	printk(KERN_WARNING "kmemleak: %s unknown object at 0x%08lx%s\n", what, (unsigned long)ptr,
	       as);
	ukmem__stack_dump(1);	/* from the API call, as dump_stack shows it */
	ukmem__console_unlock();
}

/* The kind of a live object at ptr that has no record yet (slab object or page), or -1: a
 * free object is unknown, as in the kernel, whose metadata goes with the object. */
static int untracked_kind(const void *ptr)
{
	if (!ukmem__in_direct_map(ptr))
		return -1;
	if (ukmem__virt_to_slab(ptr))
		return ukmem__slab_object_live(ptr) ? UKMEM_LEAK_SLAB : -1;
	return ukmem__page_user_live(virt_to_page(ptr)) ? UKMEM_LEAK_PAGES : -1;
}

/* Set flags on the object at ptr (creating a flag-only record for slab objects and pages);
 * false when kmemleak knows no such object. */
static bool set_flags(const void *ptr, unsigned char flags)
{
	struct leak_stripe *st;
	struct leak_rec *r;
	int kind;

	ukmem__ensure_started();
	kind = untracked_kind(ptr);
	st = stripe_lock((unsigned long)ptr);
	r = rec_find_locked((unsigned long)ptr, -1);
	if (!r && kind >= 0 && (r = rec_set_locked((unsigned long)ptr, kind)) != NULL) {
		fill(r, kind == UKMEM_LEAK_SLAB ? ukmem__virt_to_slab(ptr)->slab_cache->object_size :
		     PAGE_SIZE, _RET_IP_, 0);
		r->task = 0;		/* a flag-only record: no task of its own */
	}
	if (r)
		r->flags |= flags;
	stripe_unlock(st);
	return r != NULL;
}

static bool api_wants(const void *ptr)
{
	return ukmem__cfg.kmemleak && !ZERO_OR_NULL_PTR(ptr) && !IS_ERR(ptr);
}

/* The live slab object or large kmalloc block holding @addr, or 0: objects kmemleak knows
 * without kmemleak_alloc (6.1's kmemleak knows no other page allocation). */
static unsigned long known_object_at(unsigned long addr, unsigned long *size)
{
	const void *p = (const void *)addr, *start;
	struct page *head;

	if (!ukmem__in_direct_map(p))
		return 0;
	if (ukmem__virt_to_slab(p)) {
		start = ukmem__slab_object_start(p);
		if (!start || !ukmem__slab_object_live(start))
			return 0;
		*size = ukmem__virt_to_slab(p)->slab_cache->object_size;
		return (unsigned long)start;
	}
	head = compound_head(virt_to_page(p));
	if (!PageHead(head) || head->index != UKMEM_KMALLOC_LARGE || !ukmem__page_user_live(head))
		return 0;
	*size = page_private(head);
	return (unsigned long)page_address(head);
}

/*
 * kmemleak_alloc of a range that overlaps an object kmemleak knows (a live slab object or
 * large kmalloc at either end, or a registered object at the same start): 6.1's message.
 * 6.1 then disables kmemleak for good; here only this registration is refused, so the rest
 * of the run is still checked.
 */
static noinline bool overlaps_known(const void *ptr, size_t size)
{
	unsigned long p = (unsigned long)ptr, osize = size, at = 0;
	struct leak_stripe *st;
	bool dup;

	at = known_object_at(p, &osize);
	if (!at && size > 1)
		at = known_object_at(p + size - 1, &osize);
	st = stripe_lock(p);
	dup = !at && rec_find_locked(p, UKMEM_LEAK_OTHER);
	stripe_unlock(st);
	if (!at && !dup)
		return false;
	ukmem__console_lock();
	printk(KERN_WARNING "kmemleak: Cannot insert 0x%lx into the object search tree (overlaps existing)\n",
	       p);
	ukmem__stack_dump(2);
	if (at)
		printk(KERN_NOTICE "kmemleak: Object 0x%08lx (size %lu):\n", at, osize);
	else
		printk(KERN_NOTICE "kmemleak: Object 0x%08lx registered with kmemleak_alloc() already\n",
		       p);
	ukmem__console_unlock();
	return true;
}

/**
 * kmemleak_alloc - register an object that kmemleak does not know (a custom allocator's)
 * @ptr: its start
 * @size: its size
 * @min_count: 0: never reported (scanned only); -1: neither scanned nor reported;
 *             otherwise reported when nothing references it
 * @gfp: ignored (the record comes from ukmem's own memory)
 */
void kmemleak_alloc(const void *ptr, size_t size, int min_count, gfp_t gfp)
{
	struct leak_stripe *st;
	struct leak_rec *r;

	if (api_wants(ptr) && overlaps_known(ptr, size))
		return;
	ukmem__leak_track(ptr, size, UKMEM_LEAK_OTHER, _RET_IP_);
	if (min_count > 0 || ZERO_OR_NULL_PTR(ptr))
		return;
	st = stripe_lock((unsigned long)ptr);
	r = rec_set_locked((unsigned long)ptr, UKMEM_LEAK_OTHER);
	if (r)
		r->flags |= min_count < 0 ? REC_NOT_LEAK | REC_NO_SCAN : REC_NOT_LEAK;
	stripe_unlock(st);
}

void kmemleak_alloc_percpu(const void __percpu *ptr, size_t size, gfp_t gfp)
{
	kmemleak_alloc(ptr, size, 1, gfp);
}

void kmemleak_vmalloc(const struct vm_struct *area, size_t size, gfp_t gfp)
{
	if (area)
		kmemleak_alloc(area->addr, size, 1, gfp);
}

/**
 * kmemleak_free - an object registered with kmemleak_alloc() is gone
 *
 * On a slab object or page (which kmemleak knows without kmemleak_alloc) it means "forget
 * it": it is neither reported nor scanned any more.
 */
void kmemleak_free(const void *ptr)
{
	struct leak_stripe *st;
	struct leak_rec *r;

	if (!ukmem__cfg.kmemleak || ZERO_OR_NULL_PTR(ptr))
		return;
	st = stripe_lock((unsigned long)ptr);
	r = rec_find_locked((unsigned long)ptr, UKMEM_LEAK_OTHER);
	if (r)
		rec_drop_locked(r);
	stripe_unlock(st);
	if (!r)			/* unknown: silent, as 6.1 built without DEBUG */
		set_flags(ptr, REC_NOT_LEAK | REC_NO_SCAN);
}

/**
 * kmemleak_free_part - only part of a kmemleak_alloc() object is gone
 * @ptr: the start of the part freed (the object's start or an inside address)
 * @size: its size
 *
 * The part at the start or the end is cut off; a part in the middle leaves the head.
 */
void kmemleak_free_part(const void *ptr, size_t size)
{
	unsigned long p = (unsigned long)ptr;
	bool found = false;

	if (!ukmem__cfg.kmemleak)
		return;
	table_lock_all();
	for (unsigned int b = 0; leak.buckets && b < NR_BUCKETS && !found; b++)
		for (struct leak_rec **pp = &leak.buckets[b]; *pp; pp = &(*pp)->next) {
			struct leak_rec *r = *pp, *nr;

			if (r->kind != UKMEM_LEAK_OTHER || p < r->ptr || p >= r->ptr + r->size)
				continue;
			found = true;
			if (p == r->ptr && size >= r->size) {
				rec_unlink_locked(pp);
			} else if (p == r->ptr) {
				nr = rec_set_locked(p + size, UKMEM_LEAK_OTHER);
				if (nr) {
					struct leak_rec *next = nr->next;

					*nr = *r;
					nr->next = next;
					nr->ptr = p + size;
					nr->size = r->size - size;
				}
				nr = rec_find_locked(p, UKMEM_LEAK_OTHER);
				if (nr)
					rec_drop_locked(nr);
			} else {
				r->size = p - r->ptr;
			}
			break;
		}
	table_unlock_all();
	/* unknown: silent, as 6.1 built without DEBUG */
}

void kmemleak_free_percpu(const void __percpu *ptr)
{
	kmemleak_free(ptr);
}

/* kmemleak_update_trace - the object's stack becomes the caller's */
void kmemleak_update_trace(const void *ptr)
{
	struct leak_stripe *st;
	struct leak_rec *r;
	unsigned int stack;
	int kind;

	if (!ukmem__cfg.kmemleak || ZERO_OR_NULL_PTR(ptr))
		return;
	stack = ukmem__depot_save(2);
	kind = untracked_kind(ptr);
	st = stripe_lock((unsigned long)ptr);
	r = rec_find_locked((unsigned long)ptr, -1);
	if (!r && kind >= 0)
		r = rec_set_locked((unsigned long)ptr, kind);
	if (r) {
		unsigned char flags = r->flags;
		unsigned long size = r->size;

		if (!size)
			size = kind == UKMEM_LEAK_SLAB ?
			       ukmem__virt_to_slab(ptr)->slab_cache->object_size : PAGE_SIZE;
		fill(r, size, _RET_IP_, stack);
		r->flags = flags;
	}
	stripe_unlock(st);
}

/**
 * kmemleak_not_leak - never report the object (it is still scanned for references)
 * @ptr: the start of a live object kmemleak knows
 */
void kmemleak_not_leak(const void *ptr)
{
	if (api_wants(ptr) && !set_flags(ptr, REC_NOT_LEAK))
		kmemleak_warn_unknown(ptr, "Trying to color", " as Grey");
}

/**
 * kmemleak_ignore - neither report nor scan the object
 * @ptr: the start of a live object kmemleak knows
 */
void kmemleak_ignore(const void *ptr)
{
	if (api_wants(ptr) && !set_flags(ptr, REC_NOT_LEAK | REC_NO_SCAN))
		kmemleak_warn_unknown(ptr, "Trying to color", " as Black");
}

/**
 * kmemleak_no_scan - do not scan the object's memory for references
 * @ptr: the start of a live object kmemleak knows
 */
void kmemleak_no_scan(const void *ptr)
{
	if (api_wants(ptr) && !set_flags(ptr, REC_NO_SCAN))
		kmemleak_warn_unknown(ptr, "Not scanning", "");
}

/* kmemleak_scan_area - accepted: the whole object is scanned (more conservative) */
void kmemleak_scan_area(const void *ptr, size_t size, gfp_t gfp)
{
}

void kmemleak_alloc_phys(phys_addr_t phys, size_t size, gfp_t gfp)
{
	if (ukmem__pfn_is_ram(phys >> PAGE_SHIFT))
		kmemleak_alloc(phys_to_virt(phys), size, 0, gfp);
}

void kmemleak_free_part_phys(phys_addr_t phys, size_t size)
{
	if (ukmem__pfn_is_ram(phys >> PAGE_SHIFT))
		kmemleak_free_part(phys_to_virt(phys), size);
}

void kmemleak_ignore_phys(phys_addr_t phys)
{
	if (ukmem__pfn_is_ram(phys >> PAGE_SHIFT))
		kmemleak_ignore(phys_to_virt(phys));
}

static void leak_fork_lock(void)
{
	table_lock_all();
	pthread_mutex_lock(&leak.chunk_lock);
	pthread_mutex_lock(&leak.scan_lock);
	pthread_mutex_lock(&leak.task_lock);
}

static void leak_fork_unlock(void)
{
	pthread_mutex_unlock(&leak.task_lock);
	pthread_mutex_unlock(&leak.scan_lock);
	pthread_mutex_unlock(&leak.chunk_lock);
	table_unlock_all();
}

/* A scan another thread was running did not follow into the child: none runs there.  The
 * slab gates it closed open again lazily (ukmem__slab_free_tracked). */
static void leak_fork_child(void)
{
	if (ukmem__leak_scanning) {
		__atomic_store_n(&ukmem__leak_scanning, 0, __ATOMIC_RELEASE);
		if (leak.freed)
			memset(leak.freed, 0, leak.freed_cap * sizeof(*leak.freed));
		leak.freed_n = 0;
	}
	leak_fork_unlock();
}

static int kmemleak_init(void)
{
	ukmem__os_atfork(leak_fork_lock, leak_fork_unlock, leak_fork_child);
	leak.start_ns = ukmem__os_coarse_ns();
	ukmem__show_register("kmemleak", kmemleak_show);
	ukmem__on_exit(kmemleak_exit);
	if (ukmem__cfg.kmemleak && ukmem__cfg.kmemleak_stacks)
		__atomic_store_n(&ukmem__debug_global, 1, __ATOMIC_RELEASE);
	return 0;
}
/* Before slab, vmalloc and devices: its exit runs after theirs (exits run in reverse). */
UKMEM_INITCALL(UKMEM_INIT_MM_LATE, kmemleak_init);

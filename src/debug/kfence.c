/* SPDX-License-Identifier: MIT */
/*
 * KFENCE (kfence.sample_interval=N): every N-th slab allocation of a thread (objects up to a
 * page) is served from the KFENCE pool instead, on a page of its own between two guard pages,
 * placed against the page's end or start in turn.  An access past either end faults at once
 * on a guard page; a freed KFENCE object's page is made inaccessible, so a use after free
 * faults too.  The fault is reported in KFENCE's format ("BUG: KFENCE: out-of-bounds write in
 * FUNC", the object, its cache, the allocation and free stacks); then, as the kernel does, the
 * page is made accessible and the access goes on.  The bytes of the object's page around the
 * object are a canary, checked when it is freed ("memory corruption").
 *
 * The pool: 2 * (KFENCE_OBJECTS + 1) pages from the page allocator (in the direct map, so the
 * objects are ordinary kmalloc memory: virt_to_phys works), guard pages at even indices,
 * object pages at odd ones.  The pool pages are not slab pages: kfree and kmem_cache_free
 * reach this file through their slow checks.  The slab allocator counts each thread's
 * allocations and calls ukmem__kfence_alloc for the sampled one (slub.c, "KFENCE's count":
 * its arrays stay, but hold fewer objects than the thread allocates before that one).
 *
 * Locking: kfence.lock guards the metadata and the free list; the fault handler reads an
 * object's metadata without it (a report may race with a free of the same object, as in the
 * kernel).
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/poison.h>
#include "slab/slab.h"
#include "mm/mm.h"
#include "platform/platform.h"
#include "debug/slab_debug.h"
#include "debug/kmemleak.h"
#include "debug/annotate.h"

#define KFENCE_OBJECTS		255
#define KFENCE_POOL_PAGES	(2 * (KFENCE_OBJECTS + 1))
#define CANARY(addr)		((u8)(0xaa ^ ((unsigned long)(addr) & 7)))
#define X86_PF_WRITE		0x2UL

enum kfence_state { KFENCE_UNUSED, KFENCE_ALLOCATED, KFENCE_FREED };

struct kfence_track {
	int pid, cpu;
	unsigned long when_ns;
	int n;
	unsigned long pcs[UKMEM_STACK_DEPTH];
};

struct kfence_meta {
	enum kfence_state state;
	char *addr;			/* the object */
	unsigned int size;
	struct kmem_cache *cache;
	struct kfence_track alloc, free;
	int next_free;			/* free list, -1: end */
};

struct ukmem__kfence_state ukmem__kfence;

static struct {
	pthread_mutex_t lock;
	struct kfence_meta *meta;
	int free_head, free_tail;	/* least recently freed first */
	unsigned long allocated, freed;
} kfence = { .lock = PTHREAD_MUTEX_INITIALIZER, .free_head = -1, .free_tail = -1 };

/* Eight canary bytes as a word at a word-aligned address: CANARY(0) .. CANARY(7). */
#define CANARY_WORD		0xadacafaea9a8abaaUL

static char *obj_page(int i)
{
	return ukmem__kfence.pool + (2UL * i + 1) * PAGE_SIZE;
}

/* The record starts at the code that called the API (6.1 skips the allocator's frames). */
static void save_track(struct kfence_track *t, unsigned long caller)
{
	struct ukmem__cpu *c = ukmem__cpu();

	t->pid = c->task.pid;
	t->cpu = c->cpu;
	t->when_ns = ktime_get_ns();
	t->n = ukmem__stack_save_from(t->pcs, UKMEM_STACK_DEPTH, caller);
}

/* The pool, made at start-up when KFENCE is on (no lock: no other thread runs yet). */
static bool pool_init(void)
{
	struct page *page;
	char *pool;

	page = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_ZERO, get_order(KFENCE_POOL_PAGES * PAGE_SIZE));
	kfence.meta = ukmem__os_alloc(KFENCE_OBJECTS * sizeof(*kfence.meta));
	if (!page || !kfence.meta) {
		printk(KERN_ERR "kfence: failed to allocate the pool; KFENCE is off\n");
		if (page)
			__free_pages(page, get_order(KFENCE_POOL_PAGES * PAGE_SIZE));
		return false;
	}
	ukmem__leak_pages_taken(page);	/* the pool lives as long as the process: not a leak */
	pool = page_address(page);
	for (int i = 0; i < KFENCE_POOL_PAGES; i++)
		if (ukmem__os_revoke(pool + (unsigned long)i * PAGE_SIZE, PAGE_SIZE)) {
			printk(KERN_ERR "kfence: cannot protect the pool; KFENCE is off\n");
			return false;
		}
	for (int i = 0; i < KFENCE_OBJECTS; i++)
		kfence.meta[i].next_free = i + 1 < KFENCE_OBJECTS ? i + 1 : -1;
	kfence.free_head = 0;
	kfence.free_tail = KFENCE_OBJECTS - 1;
	ukmem__kfence.pool_end = pool + KFENCE_POOL_PAGES * PAGE_SIZE;
	ukmem__kfence.pool = pool;
	printk(KERN_INFO "kfence: initialized - using %lu bytes for %d objects at 0x%px-0x%px\n",
	       KFENCE_POOL_PAGES * PAGE_SIZE, KFENCE_OBJECTS, pool, ukmem__kfence.pool_end);
	return true;
}

/**
 * ukmem__kfence_alloc - serve a sampled allocation from the KFENCE pool
 * @orig: the size kmalloc asked for (0: the cache's object size); the object has that size
 *
 * Return: the object, or NULL when it cannot be KFENCE's (a cache or a request the pool does
 * not serve, or the pool is full): the sample is lost then, as in 6.1.
 */
void *ukmem__kfence_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long caller, size_t orig)
{
	/* the size kmalloc asked for, as 6.1's kfence_alloc(s, orig_size): the guard page or
	 * the canary starts right past it */
	unsigned int size = orig && orig < s->object_size ? (unsigned int)orig : s->object_size;
	struct kfence_meta *m;
	char *page, *obj;
	int i;

	if (s->object_size > PAGE_SIZE || (s->flags & (SLAB_SKIP_KFENCE | SLAB_TYPESAFE_BY_RCU)))
		return NULL;
	/* the pool is ordinary memory of no particular zone: DMA and DMA32 requests and caches
	 * are not sampled, as 6.1's */
	if ((gfp & GFP_ZONEMASK) || (s->flags & (SLAB_CACHE_DMA | SLAB_CACHE_DMA32)))
		return NULL;
	pthread_mutex_lock(&kfence.lock);
	if (!ukmem__kfence.pool || kfence.free_head < 0) {
		pthread_mutex_unlock(&kfence.lock);
		return NULL;
	}
	i = kfence.free_head;
	m = &kfence.meta[i];
	kfence.free_head = m->next_free;
	if (kfence.free_head < 0)
		kfence.free_tail = -1;
	page = obj_page(i);
	ukmem__os_protect(page, PAGE_SIZE, true);
	/* alternate: against the right guard page, then the left one */
	if (kfence.allocated++ & 1)
		obj = page;
	else
		obj = (char *)ALIGN_DOWN((unsigned long)page + PAGE_SIZE - size, s->align);
	m->addr = obj;
	m->size = size;
	m->cache = s;
	m->free.n = 0;
	save_track(&m->alloc, caller);
	for (unsigned long *w = (unsigned long *)page; w < (unsigned long *)(page + PAGE_SIZE); w++)
		*w = CANARY_WORD;
	__atomic_store_n(&m->state, KFENCE_ALLOCATED, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&kfence.lock);
	ukmem__os_fault_thread();
	if (s->ctor)
		s->ctor(obj);
	else if (ukmem__slab_init_on_free(s) || ukmem__slab_want_init_on_alloc(s, gfp))
		memset(obj, 0, m->size);	/* 6.1 zeroes the size asked for, not the class */
	else
		memset(obj, POISON_INUSE, m->size);
	return obj;
}

static struct kfence_meta *meta_of(const void *p)
{
	long pg = ((const char *)p - ukmem__kfence.pool) / (long)PAGE_SIZE;

	if (!ukmem__is_kfence_address(p) || !(pg & 1) || pg / 2 >= KFENCE_OBJECTS)
		return NULL;
	return &kfence.meta[pg / 2];
}

static void print_track(const char *what, const struct kfence_track *t)
{
	printk(KERN_ERR "%s by task %d on cpu %d at %lu.%06lus:\n", what, t->pid, t->cpu,
	       t->when_ns / 1000000000UL, t->when_ns % 1000000000UL / 1000);
	ukmem__stack_print(t->pcs, t->n, " ");
}

static void print_object(const struct kfence_meta *m)
{
	printk(KERN_ERR "kfence-#%td: 0x%px-0x%px, size=%u, cache=%s\n\n", m - kfence.meta, m->addr,
	       m->addr + m->size - 1, m->size, m->cache ? m->cache->name : "<destroyed>");
	print_track("allocated", &m->alloc);
	if (m->state == KFENCE_FREED) {
		printk(KERN_ERR "\n");
		print_track("freed", &m->free);
	}
}

static void report_end(void)
{
	printk(KERN_ERR "\n");
	ukmem__print_task_line();
	printk(KERN_ERR "==================================================================\n");
	ukmem__add_taint(TAINT_BAD_PAGE, false);
	ukmem__report_end(UKMEM_REPORT_BUG);
}

/* The stack of the faulting context: the frames from the faulting instruction on. */
static void print_fault_stack(unsigned long ip)
{
	unsigned long pcs[UKMEM_STACK_DEPTH + 16];
	int n = ukmem__stack_save(pcs, ARRAY_SIZE(pcs), 0), i;

	for (i = 0; i < n && pcs[i] != ip; i++)
		;
	if (i == n) {
		printk(KERN_ERR " %pS\n", (void *)ip);
		return;
	}
	pcs[i]++;		/* stack_print looks up pc - 1: the faulting pc is exact */
	ukmem__stack_print(pcs + i, min(n - i, UKMEM_STACK_DEPTH), " ");
}

static enum ukmem__fault_result kfence_fault(const struct ukmem__fault *f)
{
	const char *addr = f->addr, *rw;
	long pg;
	struct kfence_meta *m;
	bool oob;

	if (!ukmem__is_kfence_address(addr))
		return UKMEM_FAULT_NOT_MINE;
	rw = f->have_error_code && (f->error_code & X86_PF_WRITE) ? "write" : "read";
	pg = (addr - ukmem__kfence.pool) / (long)PAGE_SIZE;
	oob = !(pg & 1);
	if (oob) {
		/* a guard page: the closer of its neighbours that is allocated */
		struct kfence_meta *l = pg >= 2 ? &kfence.meta[(pg - 1) / 2] : NULL;
		struct kfence_meta *r = pg / 2 < KFENCE_OBJECTS ? &kfence.meta[pg / 2] : NULL;

		if (l && l->state != KFENCE_ALLOCATED)
			l = NULL;
		if (r && r->state != KFENCE_ALLOCATED)
			r = NULL;
		m = l && r ? (addr - (l->addr + l->size) < r->addr - addr ? l : r) : l ? l : r;
	} else {
		m = &kfence.meta[pg / 2];
	}
	ukmem__report_begin();
	printk(KERN_ERR "==================================================================\n");
	if (oob) {
		printk(KERN_ERR "BUG: KFENCE: out-of-bounds %s in %pS\n\n", rw, (void *)f->ip);
		if (m)
			printk(KERN_ERR "Out-of-bounds %s at 0x%px (%luB %s of kfence-#%td):\n", rw, addr,
			       addr < m->addr ? (unsigned long)(m->addr - addr) :
			       (unsigned long)(addr - (m->addr + m->size)) + 1,
			       addr < m->addr ? "left" : "right", m - kfence.meta);
		else
			printk(KERN_ERR "Out-of-bounds %s at 0x%px (a guard page of no live object):\n", rw, addr);
	} else {
		printk(KERN_ERR "BUG: KFENCE: use-after-free %s in %pS\n\n", rw, (void *)f->ip);
		printk(KERN_ERR "Use-after-free %s at 0x%px (in kfence-#%td):\n", rw, addr, m - kfence.meta);
	}
	print_fault_stack(f->ip);
	printk(KERN_ERR "\n");
	if (m)
		print_object(m);
	report_end();
	/* as the kernel: make the page accessible and let the access proceed */
	ukmem__os_protect((void *)ALIGN_DOWN((unsigned long)addr, PAGE_SIZE), PAGE_SIZE, true);
	return UKMEM_FAULT_FIXED;
}

static noinline void report_free(const char *bug, const char *what, const void *p,
				 struct kfence_meta *m, unsigned long caller)
{
	unsigned long pcs[UKMEM_STACK_DEPTH];
	int n;

	ukmem__report_begin();
	printk(KERN_ERR "==================================================================\n");
	printk(KERN_ERR "BUG: KFENCE: %s in %pS\n\n", bug, (void *)caller);
	printk(KERN_ERR "%s 0x%px (in kfence-#%td):\n", what, p, m - kfence.meta);
	n = ukmem__stack_save_from(pcs, UKMEM_STACK_DEPTH, caller);
	ukmem__stack_print(pcs, n, " ");	/* from the API's caller, as 6.1's */
	printk(KERN_ERR "\n");
	print_object(m);
	report_end();
}

/* The first byte in [p, end) that is not the canary, or NULL: words at a time. */
static char *canary_damage(char *p, char *end)
{
	for (; p < end && ((unsigned long)p & 7); p++)
		if ((u8)*p != CANARY(p))
			return p;
	for (; p + 8 <= end; p += 8)
		if (*(unsigned long *)p != CANARY_WORD)
			break;
	for (; p < end; p++)
		if ((u8)*p != CANARY(p))
			return p;
	return NULL;
}

/* The canary bytes around an object, checked at free; a damaged byte is reported. */
static void check_canary(struct kfence_meta *m, unsigned long caller)
{
	char *page = (char *)ALIGN_DOWN((unsigned long)m->addr, PAGE_SIZE);
	char *bad = canary_damage(page, m->addr);

	if (!bad)
		bad = canary_damage(m->addr + m->size, page + PAGE_SIZE);
	if (bad)
		report_free("memory corruption", "Corrupted memory at", bad, m, caller);
}

/**
 * ukmem__kfence_free - free of p inside the KFENCE pool
 * @s: the cache kmem_cache_free was given, NULL for kfree (any cache)
 *
 * Return: true (the free was handled or reported) for any address in the pool.
 */
bool ukmem__kfence_free(struct kmem_cache *s, const void *p, unsigned long caller)
{
	struct kfence_meta *m = meta_of(p);

	if (!ukmem__is_kfence_address(p))
		return false;
	pthread_mutex_lock(&kfence.lock);
	if (!m || m->state != KFENCE_ALLOCATED || p != m->addr) {
		pthread_mutex_unlock(&kfence.lock);
		if (m && m->state != KFENCE_UNUSED)
			report_free("invalid free", "Invalid free of", p, m, caller);
		else
			ukmem__slab_report_free("invalid-free", p,
				"the address is in the KFENCE pool but not a KFENCE object", NULL, caller);
		return true;
	}
	if (s && s != m->cache) {
		pthread_mutex_unlock(&kfence.lock);
		/* the slab path's warning, then the free into the object's own cache (6.1's
		 * cache_from_obj), checked again: another thread may have freed it meanwhile */
		ukmem__slab_wrong_cache(s, m->cache, NULL);
		return ukmem__kfence_free(NULL, p, caller);
	}
	ukmem__leak_untrack(p, UKMEM_LEAK_SLAB);	/* a valid free: no longer kmemleak's */
	check_canary(m, caller);
	save_track(&m->free, caller);
	m->state = KFENCE_FREED;
	ukmem__os_revoke((void *)ALIGN_DOWN((unsigned long)m->addr, PAGE_SIZE), PAGE_SIZE);
	m->next_free = -1;
	if (kfence.free_tail >= 0)
		kfence.meta[kfence.free_tail].next_free = m - kfence.meta;
	else
		kfence.free_head = m - kfence.meta;
	kfence.free_tail = m - kfence.meta;
	kfence.freed++;
	pthread_mutex_unlock(&kfence.lock);
	return true;
}

/**
 * ukmem__kfence_check_byte - what 6.1's krealloc and ksize meet reading a KFENCE address
 *
 * An address on a freed object's page is KFENCE's use-after-free read (6.1's caller reads
 * the object and faults; here the report comes first and the caller fails, as after
 * kasan_check_byte, so the freed memory is never handed out or copied).
 *
 * Return: false after that report, true for anything else.
 */
bool ukmem__kfence_check_byte(const void *p, unsigned long caller)
{
	struct kfence_meta *m = meta_of(p);
	bool freed;

	if (!m)
		return true;
	pthread_mutex_lock(&kfence.lock);
	freed = m->state == KFENCE_FREED;
	pthread_mutex_unlock(&kfence.lock);
	if (freed)
		report_free("use-after-free read", "Use-after-free read at", p, m, caller);
	return !freed;
}

size_t ukmem__kfence_ksize(const void *p)
{
	struct kfence_meta *m = meta_of(p);

	return m && m->state == KFENCE_ALLOCATED && p == m->addr ? m->size : 0;
}

/* The cache of the live KFENCE object holding p, else NULL (kmem_cache_free's NULL-cache
 * check: a cache to name in its warning). */
struct kmem_cache *ukmem__kfence_cache_of(const void *p)
{
	struct kfence_meta *m = meta_of(p);

	return m && m->state == KFENCE_ALLOCATED ? m->cache : NULL;
}

/**
 * ukmem__kfence_dump_obj - kmem_dump_obj's text for an address on a KFENCE object's page
 *
 * 6.1's: the cache, "(kfence)", the object's start, the pointer's offset, the size, where it
 * was allocated and the allocation stack, then a freed object's free stack.
 *
 * Return: false when p is on no object's page or the page never held an object.
 */
bool ukmem__kfence_dump_obj(const void *p)
{
	struct kfence_meta *m = meta_of(p), copy;

	if (!m)
		return false;
	pthread_mutex_lock(&kfence.lock);
	copy = *m;
	pthread_mutex_unlock(&kfence.lock);
	if (copy.state == KFENCE_UNUSED)
		return false;
	printk(KERN_CONT " slab %s (kfence) start %px pointer offset %ld size %u",
	       copy.cache ? copy.cache->name : "<destroyed>", copy.addr,
	       (long)((const char *)p - copy.addr), copy.size);
	if (copy.alloc.n)
		printk(KERN_CONT " allocated at %pS\n", (void *)copy.alloc.pcs[0]);
	else
		printk(KERN_CONT "\n");
	ukmem__stack_print(copy.alloc.pcs, copy.alloc.n, "    ");
	if (copy.state == KFENCE_FREED && copy.free.n) {
		printk(KERN_CONT " Free path:\n");
		ukmem__stack_print(copy.free.pcs, copy.free.n, "    ");
	}
	return true;
}

/* Live objects of s, for kmem_cache_destroy: each listed when @print (its report). */
unsigned long ukmem__kfence_cache_live(struct kmem_cache *s, bool print)
{
	unsigned long n = 0;

	if (!ukmem__kfence.pool)
		return 0;
	pthread_mutex_lock(&kfence.lock);
	for (int i = 0; i < KFENCE_OBJECTS; i++)
		if (kfence.meta[i].cache == s && kfence.meta[i].state == KFENCE_ALLOCATED) {
			n++;
			if (print)
				printk(KERN_ERR "Object 0x%px (kfence-#%d)\n", kfence.meta[i].addr, i);
		}
	pthread_mutex_unlock(&kfence.lock);
	return n;
}

/* s is gone: its freed objects' reports say so instead of reading it (6.1's
 * kfence_shutdown_cache).  None of its objects is live (kmem_cache_destroy checked). */
void ukmem__kfence_cache_gone(struct kmem_cache *s)
{
	if (!ukmem__kfence.pool)
		return;
	pthread_mutex_lock(&kfence.lock);
	for (int i = 0; i < KFENCE_OBJECTS; i++)
		if (kfence.meta[i].cache == s)
			kfence.meta[i].cache = NULL;
	pthread_mutex_unlock(&kfence.lock);
}

void *ukmem__kfence_object_start(const void *p)
{
	struct kfence_meta *m = meta_of(p);

	return m && m->state == KFENCE_ALLOCATED ? m->addr : NULL;
}

/* Where the metadata lives: kmemleak's scan skips it (each live object's address is there,
 * which would make every KFENCE object look referenced). */
void ukmem__kfence_ranges(void (*fn)(void *arg, const void *start, size_t len), void *arg)
{
	if (ukmem__kfence.pool)
		fn(arg, kfence.meta, KFENCE_OBJECTS * sizeof(*kfence.meta));
}

static int kfence_show(FILE *out, const char *arg)
{
	pthread_mutex_lock(&kfence.lock);
	fprintf(out, "enabled: %d\n", ukmem__kfence.pool != NULL);
	fprintf(out, "currently allocated: %lu\n", kfence.allocated - kfence.freed);
	fprintf(out, "total allocations: %lu\n", kfence.allocated);
	fprintf(out, "total frees: %lu\n", kfence.freed);
	pthread_mutex_unlock(&kfence.lock);
	return 0;
}

static void kfence_fork_prepare(void)
{
	pthread_mutex_lock(&kfence.lock);
}

static void kfence_fork_done(void)
{
	pthread_mutex_unlock(&kfence.lock);
}

/* Before the slab allocator's caches are set up: with KFENCE on they get no per-thread array
 * (every allocation is counted in the slow path). */
static int ukmem__kfence_init(void)
{
	ukmem__show_register("kfence", kfence_show);
	if (!ukmem__cfg.kfence_sample_interval || !pool_init())
		return 0;
	ukmem__os_atfork(kfence_fork_prepare, kfence_fork_done, kfence_fork_done);
	ukmem__kfence.interval = ukmem__cfg.kfence_sample_interval;
	return ukmem__os_fault_install(kfence_fault);
}
UKMEM_INITCALL(UKMEM_INIT_SLAB - 1, ukmem__kfence_init);

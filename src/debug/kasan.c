/* SPDX-License-Identifier: MIT */
/*
 * kasan=on without recompiling the driver: the quarantine of freed objects and KASAN's
 * reports.  With kasan=on every cache is a debug cache (slab_debug.h) with red zones,
 * poisoning, tracking and an exact per-object state; a freed object is poisoned (POISON_FREE)
 * and held in a FIFO quarantine of at most kasan.quarantine bytes (default 1/32 of mem=) so it
 * is not reused at once.  When it leaves the quarantine its poison is checked: a write made
 * after the free is reported (slab-use-after-free, with the allocation and free stacks) and
 * the poison restored before the object goes back to its slab.  A free of an object that is
 * not ALLOCATED is a double free however many frees lie between, as long as the object has
 * not been handed out again (the quarantine makes that late).
 *
 * A large kmalloc (whole pages) is covered the same way, as 6.1's kasan_kmalloc_large and
 * kasan_kfree_large: its slack holds the red zone's pattern, checked at kfree
 * (slab-out-of-bounds); a freed block is poisoned and quarantined, linked through its head
 * page's lru, with head->index UKMEM_KMALLOC_LARGE_FREED, so that a second kfree of it is a
 * double free and a write into it is found when it leaves (use-after-free); a block larger
 * than a quarantine's quarter goes back at once, poison unchecked.
 *
 * What cannot be seen without instrumentation: a read of freed memory (but for the byte that
 * krealloc and ksize check first, as 6.1's kasan_check_byte), and any access at the moment
 * it happens.  Writes are found at the next free of the object (red zones) or when it
 * leaves the quarantine (poison).  Under -fsanitize=address the same quarantine and ASan's
 * poisoning report every access at once (annotate.h).
 *
 * Locking: quarantine.lock guards the FIFO and its byte count; objects are unlinked under it
 * and checked and released outside it, so a cache lock is never taken under it, and it is
 * never taken under another ukmem lock (the quarantine's own shrinker drains it in direct
 * reclaim, outside the slab's; kmem_cache_shrink and kmem_cache_destroy drain it holding
 * no lock).
 */
#include <pthread.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/poison.h>
#include "slab/slab.h"
#include "debug/slab_debug.h"
#include "debug/annotate.h"
#include "platform/platform.h"
#include "mm/mm.h"
#include "debug/kmemleak.h"

#define QUARANTINE_BATCH	32

static struct {
	pthread_mutex_t lock;
	void *head, *tail;		/* oldest first, linked through each object's qlink */
	struct list_head large;		/* freed large kmalloc blocks (head pages), oldest first */
	unsigned long bytes;
	unsigned long objects;		/* slab objects and large blocks */
} quarantine = { .lock = PTHREAD_MUTEX_INITIALIZER, .large = LIST_HEAD_INIT(quarantine.large) };

static void leave_large(struct page *head);

static void **qlink(struct kmem_cache *s, void *obj)
{
	return (void **)((char *)obj + s->meta_end - sizeof(void *));
}

static struct kmem_cache *cache_of(void *obj)
{
	return ukmem__virt_to_slab(obj)->slab_cache;
}

static void *qnext(void *obj)
{
	struct kmem_cache *s = cache_of(obj);
	void **l = qlink(s, obj), *next;

	ukmem__annotate_open(l, sizeof(*l));
	next = *l;
	ukmem__annotate_close(l, sizeof(*l));
	return next;
}

static void qset(void *obj, void *next)
{
	struct kmem_cache *s = cache_of(obj);
	void **l = qlink(s, obj);

	ukmem__annotate_open(l, sizeof(*l));
	*l = next;
	ukmem__annotate_close(l, sizeof(*l));
}

/* An object leaving the quarantine: poison checked, then back to its slab. */
static void leave(void *obj)
{
	struct kmem_cache *s = cache_of(obj);

	ukmem__annotate_open((char *)obj - s->red_left_pad, s->size);
	if (s->debug & SLAB_KASAN)
		ukmem__debug_check_poison(s, obj, true);
	ukmem__debug_release(s, obj);
}

static void uncount(struct kmem_cache *s)
{
	__atomic_store_n(&s->quarantined, s->quarantined - 1, __ATOMIC_RELAXED);
}

static unsigned long qmax(void)
{
	/* the configuration is read-only once ukmem has started */
	return ukmem__cfg.kasan_quarantine_set ? ukmem__cfg.kasan_quarantine : ukmem__cfg.mem / 32;
}

/* Under the lock, over size: up to QUARANTINE_BATCH of the oldest objects, then of the
 * oldest large blocks, unlinked into batch and blocks, to leave once the lock is dropped. */
static void over_size(void **batch, unsigned int *n, struct page **blocks, unsigned int *nb)
{
	while (quarantine.bytes > qmax() && quarantine.head && *n < QUARANTINE_BATCH) {
		void *old = quarantine.head;

		quarantine.head = qnext(old);
		if (!quarantine.head)
			quarantine.tail = NULL;
		quarantine.bytes -= cache_of(old)->size;
		__atomic_store_n(&quarantine.objects, quarantine.objects - 1, __ATOMIC_RELAXED);
		uncount(cache_of(old));
		batch[(*n)++] = old;
	}
	while (quarantine.bytes > qmax() && !list_empty(&quarantine.large) && *nb < QUARANTINE_BATCH) {
		struct page *old = list_first_entry(&quarantine.large, struct page, lru);

		list_del(&old->lru);
		quarantine.bytes -= page_size(old);
		__atomic_store_n(&quarantine.objects, quarantine.objects - 1, __ATOMIC_RELAXED);
		blocks[(*nb)++] = old;
	}
}

static void leave_all(void **batch, unsigned int n, struct page **blocks, unsigned int nb)
{
	for (unsigned int i = 0; i < n; i++)
		leave(batch[i]);
	for (unsigned int i = 0; i < nb; i++)
		leave_large(blocks[i]);
}

/**
 * ukmem__kasan_quarantine_put - hold a freed object back; the oldest leave when over size
 */
void ukmem__kasan_quarantine_put(struct kmem_cache *s, void *obj)
{
	void *batch[QUARANTINE_BATCH];
	struct page *blocks[QUARANTINE_BATCH];
	unsigned int n = 0, nb = 0;

	qset(obj, NULL);
	pthread_mutex_lock(&quarantine.lock);
	if (quarantine.tail)
		qset(quarantine.tail, obj);
	else
		quarantine.head = obj;
	quarantine.tail = obj;
	quarantine.bytes += s->size;
	__atomic_store_n(&quarantine.objects, quarantine.objects + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&s->quarantined, s->quarantined + 1, __ATOMIC_RELAXED);
	over_size(batch, &n, blocks, &nb);
	pthread_mutex_unlock(&quarantine.lock);
	leave_all(batch, n, blocks, nb);
}

/**
 * ukmem__kasan_quarantine_drain - release the quarantined objects of s (NULL: of every cache,
 * and the large kmalloc blocks)
 *
 * Before a cache is shrunk or destroyed, and at exit: they are free, not live.
 */
void ukmem__kasan_quarantine_drain(struct kmem_cache *s)
{
	void *keep_head = NULL, *keep_tail = NULL, *out = NULL, *obj;
	LIST_HEAD(blocks);
	struct page *b, *tmp;

	pthread_mutex_lock(&quarantine.lock);
	if (!s) {
		list_for_each_entry(b, &quarantine.large, lru) {
			quarantine.bytes -= page_size(b);
			__atomic_store_n(&quarantine.objects, quarantine.objects - 1, __ATOMIC_RELAXED);
		}
		list_splice_init(&quarantine.large, &blocks);
	}
	obj = quarantine.head;
	while (obj) {
		void *next = qnext(obj);
		struct kmem_cache *c = cache_of(obj);

		if (!s || c == s) {
			quarantine.bytes -= c->size;
			__atomic_store_n(&quarantine.objects, quarantine.objects - 1, __ATOMIC_RELAXED);
			uncount(c);
			qset(obj, out);
			out = obj;
		} else {
			qset(obj, NULL);
			if (keep_tail)
				qset(keep_tail, obj);
			else
				keep_head = obj;
			keep_tail = obj;
		}
		obj = next;
	}
	quarantine.head = keep_head;
	quarantine.tail = keep_tail;
	pthread_mutex_unlock(&quarantine.lock);
	while (out) {
		void *next = qnext(out);

		leave(out);
		out = next;
	}
	list_for_each_entry_safe(b, tmp, &blocks, lru) {
		list_del(&b->lru);
		leave_large(b);
	}
}

/* ---- reports (KASAN's format) ---- */
static void print_tracks(struct kmem_cache *s, void *obj)
{
	static const char *const title[2] = { "Allocated", "Freed" };

	for (int i = 0; i < 2; i++) {
		struct ukmem__track *t = ukmem__debug_track(s, obj, i);

		if (!t || !t->addr)
			continue;
		printk(KERN_ERR "%s by task %d:\n", title[i], t->pid);
		if (t->handle)
			ukmem__depot_print(t->handle, t->addr, " ");
		else
			printk(KERN_ERR " %pS\n", (void *)t->addr);
		printk(KERN_ERR "\n");
	}
}

static void describe(struct kmem_cache *s, void *obj, const void *addr)
{
	long off = (const char *)addr - (char *)obj;

	printk(KERN_ERR "The buggy address belongs to the object at %px\n which belongs to the cache %s of size %u\n",
	       obj, s->name, s->object_size);
	if (off < 0)
		printk(KERN_ERR "The buggy address is located %ld bytes to the left of\n %u-byte region [%px, %px)\n",
		       -off, s->object_size, obj, (char *)obj + s->object_size);
	else if (off >= s->object_size)
		printk(KERN_ERR "The buggy address is located %ld bytes to the right of\n %u-byte region [%px, %px)\n",
		       off - s->object_size, s->object_size, obj, (char *)obj + s->object_size);
	else
		printk(KERN_ERR "The buggy address is located %ld bytes inside of\n %u-byte region [%px, %px)\n",
		       off, s->object_size, obj, (char *)obj + s->object_size);
	printk(KERN_ERR "\n");
}

static void kasan_begin(const char *bug, unsigned long caller)
{
	ukmem__report_begin();
	printk(KERN_ERR "==================================================================\n");
	printk(KERN_ERR "BUG: KASAN: %s in %pB\n", bug, (void *)caller);
}

static void kasan_end(void)
{
	printk(KERN_ERR "==================================================================\n");
	ukmem__add_taint(TAINT_BAD_PAGE, true);
	ukmem__report_end(UKMEM_REPORT_BUG);
}

/**
 * ukmem__kasan_report_free - double-free / invalid-free of p in debug cache s, with stacks
 */
noinline void ukmem__kasan_report_free(const char *bug, struct kmem_cache *s, const void *p,
				       const char *why, unsigned long caller)
{
	struct ukmem__cpu *c = ukmem__cpu();
	void *obj = ukmem__debug_object_start(s, p);

	kasan_begin(bug, caller);
	printk(KERN_ERR "Free of addr %px by task %s/%d\n\n", p, c->task.comm, c->task.pid);
	ukmem__print_task_line();
	ukmem__stack_dump(2);
	printk(KERN_ERR "\n");
	if (obj) {
		ukmem__annotate_open((char *)obj - s->red_left_pad, s->size);
		print_tracks(s, obj);
		ukmem__annotate_close((char *)obj - s->red_left_pad, s->size);
		describe(s, obj, p);
	}
	printk(KERN_ERR "Expected the start of a live object: %s.  The free is ignored.\n", why);
	kasan_end();
}

/**
 * ukmem__kasan_report_uaf - a freed object's poison found overwritten when it left the
 * quarantine: len bytes from first were written after the free
 */
noinline void ukmem__kasan_report_uaf(struct kmem_cache *s, void *obj, const u8 *first,
				      unsigned int len)
{
	struct ukmem__track *freed = ukmem__debug_track(s, obj, 1);

	kasan_begin("slab-use-after-free", freed ? freed->addr : _RET_IP_);
	printk(KERN_ERR "Write of size %u at addr %px, found when the object left the quarantine: it was written after it was freed\n\n",
	       len, first);
	ukmem__print_task_line();
	ukmem__stack_dump(3);
	printk(KERN_ERR "\n");
	print_tracks(s, obj);
	describe(s, obj, first);
	printk(KERN_ERR "Object bytes after the free (expected 0x%02x, the last 0x%02x):\n", POISON_FREE,
	       POISON_END);
	print_hex_dump(KERN_ERR, "", DUMP_PREFIX_ADDRESS, 16, 1, obj, min(s->object_size, 256U), 1);
	printk(KERN_ERR "FIX %s: Restoring the poison; the object goes back to its slab\n", s->name);
	kasan_end();
	memset(obj, POISON_FREE, s->object_size - 1);
	((u8 *)obj)[s->object_size - 1] = POISON_END;
}

/**
 * ukmem__kasan_report_read_freed - krealloc or ksize of a freed object, as 6.1's
 * kasan_check_byte reports it (a read of its first byte); the caller then fails
 */
noinline void ukmem__kasan_report_read_freed(struct kmem_cache *s, const void *p,
					     unsigned long caller)
{
	struct ukmem__cpu *c = ukmem__cpu();

	kasan_begin("use-after-free", caller);
	printk(KERN_ERR "Read of size 1 at addr %px by task %s/%d\n\n", p, c->task.comm,
	       c->task.pid);
	ukmem__print_task_line();
	ukmem__stack_dump(2);
	printk(KERN_ERR "\n");
	ukmem__annotate_open((char *)p - s->red_left_pad, s->size);
	print_tracks(s, (void *)p);
	ukmem__annotate_close((char *)p - s->red_left_pad, s->size);
	describe(s, (void *)p, p);
	kasan_end();
}

/* A red zone overwritten, found when the object is freed: slab-out-of-bounds, bytes restored. */
static noinline void report_oob(struct kmem_cache *s, char *obj, u8 *first, u8 *end,
				unsigned long caller, unsigned int slack)
{
	kasan_begin("slab-out-of-bounds", caller);
	if (slack)
		printk(KERN_ERR "Write of size %ld at addr %px, found when the object was freed: kmalloc was asked for %u bytes\n\n",
		       (long)(end - first), first, slack);
	else
		printk(KERN_ERR "Write of size %ld at addr %px, found when the object was freed: a red zone was overwritten\n\n",
		       (long)(end - first), first);
	ukmem__print_task_line();
	ukmem__stack_dump(3);
	printk(KERN_ERR "\n");
	print_tracks(s, obj);
	describe(s, obj, first);
	printk(KERN_ERR "FIX %s: Restoring %sRedzone 0x%px-0x%px=0x%x\n", s->name,
	       slack ? "kmalloc " : "", first, end - 1, SLUB_RED_ACTIVE);
	kasan_end();
}

void ukmem__kasan_check_redzone(struct kmem_cache *s, struct slab *slab, char *obj,
				unsigned long caller)
{
	unsigned int slack = ukmem__debug_slack(s, obj);	/* kmalloc's, 0: none */
	u8 *zones[3] = { (u8 *)obj - s->red_left_pad, (u8 *)obj + s->object_size,
			 (u8 *)obj + slack };
	unsigned int lens[3] = { s->red_left_pad, s->rz_end - s->object_size,
				 slack ? s->object_size - slack : 0 };

	for (int i = 0; i < 3; i++) {
		u8 *first = memchr_inv(zones[i], SLUB_RED_ACTIVE, lens[i]), *end = zones[i] + lens[i];

		if (!first)
			continue;
		while (end > first && end[-1] == SLUB_RED_ACTIVE)
			end--;
		report_oob(s, obj, first, end, caller, i == 2 ? slack : 0);
		memset(first, SLUB_RED_ACTIVE, end - first);
	}
}

/* ---- large kmalloc ---- */
/* Where a live block's slack starts: the first tail page's private (every large kmalloc
 * has order 1 at least).  Once the block is freed it holds the freeing caller instead. */
static unsigned long *large_word(struct page *head)
{
	return &head[1].private;
}

/* The first and last byte in [p, end) that are not @c, or NULL. */
static u8 *first_not(u8 *p, u8 *end, u8 c, u8 **last)
{
	u8 *first = memchr_inv(p, c, end - p);

	*last = NULL;
	if (!first)
		return NULL;
	for (*last = end - 1; **last == c; (*last)--)
		;
	return first;
}

/* 6.1's description of a page-backed buggy address: the page, then where in the block. */
static void describe_large(struct page *head, const void *addr)
{
	char *start = page_address(head);
	unsigned long size = page_private(head);
	long off = (const char *)addr - start;

	printk(KERN_ERR "The buggy address belongs to the physical page:\n");
	printk(KERN_ERR "page:%px refcount:%d mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x%lx\n",
	       head, page_ref_count(head), page_to_pfn(head));
	printk(KERN_ERR "head:%px order:%u compound_mapcount:0 compound_pincount:0\n", head,
	       compound_order(head));
	if (off >= (long)size)
		printk(KERN_ERR "The buggy address is located %ld bytes to the right of\n %lu-byte region [%px, %px)\n",
		       off - (long)size, size, start, start + size);
	else
		printk(KERN_ERR "The buggy address is located %ld bytes inside of\n %lu-byte region [%px, %px)\n",
		       off, size, start, start + size);
	printk(KERN_ERR "\n");
}

/**
 * ukmem__kasan_kmalloc_large - a large kmalloc of @size bytes: the rest of its pages is a red
 * zone (6.1's kasan_kmalloc_large poisons it)
 */
void ukmem__kasan_kmalloc_large(struct page *head, size_t size)
{
	memset((char *)page_address(head) + size, SLUB_RED_ACTIVE, page_size(head) - size);
	*large_word(head) = size;
}

/**
 * ukmem__kasan_large_resize - krealloc in place (@size) or ksize (0: the whole block is the
 * caller's) of a live large kmalloc: the red zone starts at the new end
 */
void ukmem__kasan_large_resize(struct page *head, size_t size)
{
	unsigned long end = *large_word(head);

	if (!size)
		size = page_size(head);
	if (size < end)
		memset((char *)page_address(head) + size, SLUB_RED_ACTIVE, end - size);
	else		/* the red zone's bytes handed over read as the allocation left them */
		memset((char *)page_address(head) + end, 0, size - end);
	*large_word(head) = size;
}

/**
 * ukmem__kasan_large_slack - where a live large kmalloc block's red zone starts (its page
 * size when the whole block is the caller's)
 */
size_t ukmem__kasan_large_slack(struct page *head)
{
	return *large_word(head);
}

static noinline void report_large_oob(struct page *head, u8 *first, u8 *last, unsigned long caller)
{
	kasan_begin("slab-out-of-bounds", caller);
	printk(KERN_ERR "Write of size %ld at addr %px, found when the object was freed: kmalloc was asked for %lu bytes\n\n",
	       (long)(last + 1 - first), first, *large_word(head));
	ukmem__print_task_line();
	ukmem__stack_dump(3);
	printk(KERN_ERR "\n");
	describe_large(head, first);
	printk(KERN_ERR "FIX kmalloc: Restoring kmalloc Redzone 0x%px-0x%px=0x%x\n", first, last,
	       SLUB_RED_ACTIVE);
	kasan_end();
	memset(first, SLUB_RED_ACTIVE, last + 1 - first);
}

/**
 * ukmem__kasan_kfree_large - kfree of a live large kmalloc block: its red zone checked, then
 * the block poisoned and held in the quarantine (the oldest leave when over size)
 *
 * Return: false when the block is too large to hold: the caller frees it now.
 */
bool ukmem__kasan_kfree_large(struct page *head, unsigned long caller)
{
	u8 *start = page_address(head), *end = start + page_size(head), *first, *last;
	void *batch[QUARANTINE_BATCH];
	struct page *blocks[QUARANTINE_BATCH];
	unsigned int n = 0, nb = 0;

	/* of two kfrees at once, the other is the double free */
	if (!ukmem__kmalloc_large_claim(head, UKMEM_KMALLOC_LARGE_FREED)) {
		ukmem__kasan_report_large("double-free", start, caller);
		return true;
	}
	first = first_not(start + *large_word(head), end, SLUB_RED_ACTIVE, &last);
	if (first)
		report_large_oob(head, first, last, caller);
	if (page_size(head) > qmax() / 4)
		return false;
	ukmem__leak_pages_taken(head);		/* freed: no longer kmemleak's */
	memset(start, POISON_FREE, end - start);
	*large_word(head) = caller;
	pthread_mutex_lock(&quarantine.lock);
	list_add_tail(&head->lru, &quarantine.large);
	quarantine.bytes += page_size(head);
	__atomic_store_n(&quarantine.objects, quarantine.objects + 1, __ATOMIC_RELAXED);
	over_size(batch, &n, blocks, &nb);
	pthread_mutex_unlock(&quarantine.lock);
	leave_all(batch, n, blocks, nb);
	return true;
}

/* A block leaving the quarantine: a write after the free is reported, then the pages go. */
static void leave_large(struct page *head)
{
	u8 *start = page_address(head), *end = start + page_size(head), *first, *last;

	first = first_not(start, end, POISON_FREE, &last);
	if (first) {
		kasan_begin("use-after-free", *large_word(head));
		printk(KERN_ERR "Write of size %ld at addr %px, found when the block left the quarantine: it was written after it was freed\n\n",
		       (long)(last + 1 - first), first);
		ukmem__print_task_line();
		ukmem__stack_dump(2);
		printk(KERN_ERR "\nFreed by:\n %pS\n\n", (void *)*large_word(head));
		describe_large(head, first);
		printk(KERN_ERR "FIX kmalloc: the pages go back to the page allocator\n");
		kasan_end();
	}
	head->lru.next = head->lru.prev = NULL;
	*large_word(head) = 0;
	head->index = UKMEM_KMALLOC_LARGE;
	ukmem__kmalloc_large_release(head);
}

/**
 * ukmem__kasan_report_large - kfree ("double-free", "invalid-free") or ksize and krealloc
 * ("use-after-free": 6.1's kasan_check_byte) of @p, in a large kmalloc block that was freed
 */
noinline void ukmem__kasan_report_large(const char *bug, const void *p, unsigned long caller)
{
	struct page *head = compound_head(virt_to_page(p));
	struct ukmem__cpu *c = ukmem__cpu();
	bool read = !strcmp(bug, "use-after-free");

	kasan_begin(bug, caller);
	printk(KERN_ERR "%s addr %px by task %s/%d\n\n", read ? "Read of size 1 at" : "Free of", p,
	       c->task.comm, c->task.pid);
	ukmem__print_task_line();
	ukmem__stack_dump(2);
	printk(KERN_ERR "\nFreed by:\n %pS\n\n", (void *)*large_word(head));
	describe_large(head, p);
	printk(KERN_ERR "The large kmalloc block was freed already (it is in the quarantine).%s\n",
	       read ? "" : "  The free is ignored.");
	kasan_end();
}

/* The last drain: first the kfree_rcu and call_rcu callbacks already queued run (their frees
 * land in the quarantine), so that nothing freed before ukmem_exit() is still held back when
 * kmemleak, which runs next, counts what is left. */
static void kasan_exit(void)
{
	if (ukmem__urcu_used())
		ukmem__urcu_barrier();
	ukmem__kasan_quarantine_drain(NULL);
}

/* fork: no thread may hold the quarantine's or the stack depot's lock in the child.  Neither
 * is ever held with another ukmem lock, so taking them first cannot deadlock. */
static void kasan_fork_prepare(void)
{
	pthread_mutex_lock(&quarantine.lock);
	ukmem__depot_fork(true);
}

static void kasan_fork_done(void)
{
	ukmem__depot_fork(false);
	pthread_mutex_unlock(&quarantine.lock);
}

/* A page-allocator shrinker (direct reclaim): quarantined objects go back to their slabs,
 * whose empty slabs the slab shrinker, which runs after this one, then frees. */
static bool quarantine_shrink(void)
{
	bool any = __atomic_load_n(&quarantine.objects, __ATOMIC_RELAXED) != 0;

	if (any)
		ukmem__kasan_quarantine_drain(NULL);
	return any;
}

/* Before the slab allocator's start-up, so its shrinker comes after this one. */
static int ukmem__kasan_init(void)
{
	ukmem__on_exit(kasan_exit);
	ukmem__os_atfork(kasan_fork_prepare, kasan_fork_done, kasan_fork_done);
	ukmem__mm_add_shrinker(quarantine_shrink);
	return 0;
}
UKMEM_INITCALL(UKMEM_INIT_SLAB - 1, ukmem__kasan_init);

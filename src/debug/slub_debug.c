/* SPDX-License-Identifier: MIT */
/*
 * slub_debug: red zones, poisoning, consistency checks, allocation/free tracking and trace for
 * the caches that slub_debug= (or kasan=on, or a sanitizer/valgrind watching) selects, with
 * SLUB's reports: "BUG CACHE (Not tainted): Right Redzone overwritten", the INFO lines, hex
 * dumps of the object and its red zones, "FIX CACHE: Restoring ...".  After a report the bytes
 * are restored and the program goes on; an object found damaged on allocation is never handed
 * out (it stays marked BAD), a bad free is ignored.
 *
 * The layout of a debug object is in slab_debug.h; the slab layer computes it (slub.c) and
 * calls the hooks here from its slow paths only.
 *
 * Invariants:
 *  - The state word of every object of a debug cache is exact (FREE on the slab, ALLOCATED,
 *    QUARANTINED, BAD), written only here and in kasan.c, under no lock: an object in one of
 *    those states is owned by exactly one party (the slab under its lock, the user, the
 *    quarantine, nobody).
 *  - Under a sanitizer or valgrind, everything of a stride but a live object's bytes is off
 *    limits outside these functions; they open it for the time they work on it.
 *
 * Locking: none of its own; the console lock for reports.  Hooks run with no slab lock held.
 */
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/kernel.h>
#include <linux/poison.h>
#include <ukmem.h>
#include "slab/slab.h"
#include "debug/kmemleak.h"
#include "debug/slab_debug.h"
#include "debug/annotate.h"

int ukmem__annotate_mode;

static struct {
	bool annotate_checked;		/* ukmem__annotate_mode decided (at the first cache) */
} dbg;

/* ---- configuration ---- */
static slab_flags_t letters_to_flags(const char *p, const char *end)
{
	slab_flags_t f = 0;

	if (p == end)
		return SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER;
	for (; p < end; p++)
		switch (*p | 0x20) {
		case '-': f = 0; break;
		case 'f': f |= SLAB_CONSISTENCY_CHECKS; break;
		case 'z': f |= SLAB_RED_ZONE; break;
		case 'p': f |= SLAB_POISON; break;
		case 'u': f |= SLAB_STORE_USER; break;
		case 't': f |= SLAB_TRACE; break;
		case 'a': f |= SLAB_FAILSLAB; break;
		case 'o': break;	/* ignored: 6.1 drops Z, P, U where they raise the
					 * objects' page order (docs/debugging.md) */
		}
	return f;
}

/* Does cache name match pattern?  Exactly, or, when the pattern holds a '*', on the part
 * before the first '*' as a prefix (what follows it is ignored, as 6.1 ignores it). */
static bool name_matches(const char *name, const char *pat, size_t len)
{
	const char *glob = memchr(pat, '*', len);

	if (glob)
		return !strncmp(name, pat, glob - pat);
	return strlen(name) == len && !strncmp(name, pat, len);
}

/* The flags slub_debug= gives cache name (created with flags): the first block naming it,
 * else the last block without a list (0 when there is none), as 6.1's kmem_cache_flags: none
 * for a SLAB_NO_USER_FLAGS cache, and no SLAB_STORE_USER from the global block for a
 * SLAB_NOLEAKTRACE one. */
static slab_flags_t spec_flags(const char *name, slab_flags_t flags)
{
	const char *p = ukmem__cfg.slub_debug_spec;
	slab_flags_t global = 0, named = 0;
	bool have_named = false;

	if (!ukmem__cfg.slub_debug_set || (flags & SLAB_NO_USER_FLAGS))
		return 0;
	if (!*p)
		global = letters_to_flags(p, p);
	while (*p) {
		const char *end = p + strcspn(p, ";");
		const char *comma = memchr(p, ',', end - p);
		slab_flags_t f = letters_to_flags(p, comma ? comma : end);

		if (p == end) {
			/* an empty block (";;", a leading or trailing ';'): skipped, as 6.1 does */
		} else if (!comma) {
			global = f;
		} else {
			for (const char *c = comma + 1; c < end;) {
				size_t len = strcspn(c, ",;");

				if (!have_named && name_matches(name, c, len)) {
					named = f;	/* the first block naming it wins (6.1) */
					have_named = true;
				}
				c += len + (c[len] == ',');
			}
		}
		p = *end ? end + 1 : end;
	}
	if (have_named)
		return named;
	return flags & SLAB_NOLEAKTRACE ? global & ~SLAB_STORE_USER : global;
}

/* Memcheck, not another valgrind tool (callgrind measures the production paths): valgrind
 * preloads the tool's own library. */
static bool running_memcheck(void)
{
	const char *preload = getenv("LD_PRELOAD");

	return preload && strstr(preload, "vgpreload_memcheck");
}

static void annotate_detect(void)
{
	if (dbg.annotate_checked)
		return;
	dbg.annotate_checked = true;
	if (ukmem__cfg.no_annotate)
		return;
	if (__asan_poison_memory_region)
		ukmem__annotate_mode = UKMEM_ANNOTATE_ASAN;
	else if (RUNNING_ON_VALGRIND && running_memcheck())
		ukmem__annotate_mode = UKMEM_ANNOTATE_VALGRIND;
}

slab_flags_t ukmem__debug_cache_flags(const char *name, slab_flags_t flags, unsigned int size)
{
	slab_flags_t f = (flags & (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON |
				   SLAB_STORE_USER | SLAB_TRACE)) | spec_flags(name, flags);

	annotate_detect();
	if (ukmem__cfg.kasan) {
		if (!(f & SLAB_POISON))
			f |= SLAB_UKMEM_KASAN_POISON;
		f |= SLAB_KASAN | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER;
	}
	if (ukmem__annotate_active())
		f |= SLAB_RED_ZONE | SLAB_UKMEM_ANNOTATE;
	return f;
}

/* ---- layout helpers ---- */
static inline char *obj_of(const struct kmem_cache *s, void *stride)
{
	return (char *)stride + s->red_left_pad;
}

static inline char *stride_of(const struct kmem_cache *s, const void *obj)
{
	return (char *)obj - s->red_left_pad;
}

struct ukmem__track *ukmem__debug_track(struct kmem_cache *s, void *obj, int which)
{
	if (!(s->debug & (SLAB_STORE_USER | SLAB_KASAN)))
		return NULL;
	return (struct ukmem__track *)((char *)obj + s->rz_end + sizeof(void *)) + which;
}

u32 *ukmem__debug_state(struct kmem_cache *s, void *obj)
{
	return (u32 *)((char *)obj + s->meta_end - (s->debug & UKMEM_QUARANTINE_FLAGS ? 16 : 8));
}

/* The word after the state word: the size kmalloc asked for, 0 for none (see slab_debug.h). */
static u32 *slack_word(struct kmem_cache *s, void *obj)
{
	return ukmem__debug_state(s, obj) + 1;
}

/* The state word is read and written atomically: a free claims it with a compare-and-swap,
 * and a free that lost to another waits for the winner's last store (release). */
static inline u32 state_get(struct kmem_cache *s, void *obj)
{
	return __atomic_load_n(ukmem__debug_state(s, obj), __ATOMIC_ACQUIRE);
}

static inline void state_set(struct kmem_cache *s, void *obj, u32 state)
{
	__atomic_store_n(ukmem__debug_state(s, obj), state, __ATOMIC_RELEASE);
}

static bool object_poisoned(const struct kmem_cache *s)
{
	return (s->debug & SLAB_POISON) && !s->ctor && !(s->flags & SLAB_TYPESAFE_BY_RCU);
}

/* The whole stride usable for our own accesses. */
static void stride_open(struct kmem_cache *s, void *obj)
{
	ukmem__annotate_open(stride_of(s, obj), s->size);
}

/*
 * SLAB_TYPESAFE_BY_RCU: a freed object stays an object of its type until a grace period has
 * passed after its slab went back, so an RCU reader may still read it (lib/test_meminit.c
 * does).  KASAN neither poisons nor quarantines such objects, and KMSAN leaves their bytes'
 * state alone across free and allocation; ukmem does the same for the tools.
 */
static bool typesafe(const struct kmem_cache *s)
{
	return s->flags & SLAB_TYPESAFE_BY_RCU;
}

/* Back to what the tools should see: a live object's bytes usable, nothing else -- but a
 * free object of a SLAB_TYPESAFE_BY_RCU cache stays readable (its red zones and metadata do
 * not). */
static void stride_close(struct kmem_cache *s, void *obj, bool live)
{
	char *st = stride_of(s, obj);

	if (!ukmem__annotate_active())
		return;
	ukmem__annotate_close(st, s->size);
	if (live)
		ukmem__annotate_undefined(obj, s->object_size);
	else if (typesafe(s))
		ukmem__annotate_open(obj, s->object_size);
}

/* Memcheck learns of an allocation.  An object whose bytes the kernel keeps across free and
 * allocation (a constructor's work, a SLAB_TYPESAFE_BY_RCU object) is defined, as KMSAN
 * leaves it; any other is undefined until written. */
static void tool_alloc(struct kmem_cache *s, void *obj)
{
	if (ukmem__annotate_mode != UKMEM_ANNOTATE_VALGRIND)
		return;
	VALGRIND_MEMPOOL_ALLOC(s, obj, s->object_size);
	if (s->ctor || typesafe(s))
		(void)VALGRIND_MAKE_MEM_DEFINED(obj, s->object_size);
}

/* Memcheck learns of a free: the block is gone (its bytes off limits, memcheck keeps the
 * free stack), except that a SLAB_TYPESAFE_BY_RCU object stays readable. */
static void tool_free(struct kmem_cache *s, void *obj)
{
	if (ukmem__annotate_mode != UKMEM_ANNOTATE_VALGRIND)
		return;
	VALGRIND_MEMPOOL_FREE(s, obj);
	if (typesafe(s))
		(void)VALGRIND_MAKE_MEM_DEFINED(obj, s->object_size);
}

/* ---- reports (SLUB's format) ---- */
static void slab_bug(struct kmem_cache *s, const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	ukmem__vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk(KERN_ERR "=============================================================================\n");
	printk(KERN_ERR "BUG %s (%s): %s\n", s->name, ukmem__print_tainted(), buf);
	printk(KERN_ERR "-----------------------------------------------------------------------------\n\n");
}

/* Every report ends with its FIX line; the bad-page taint comes just before it, as 6.1's. */
static void slab_fix(struct kmem_cache *s, const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	ukmem__add_taint(TAINT_BAD_PAGE, true);
	va_start(ap, fmt);
	ukmem__vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk(KERN_ERR "FIX %s: %s\n", s->name, buf);
}

static void print_section(const char *text, const void *addr, unsigned int len)
{
	print_hex_dump(KERN_ERR, text, DUMP_PREFIX_ADDRESS, 16, 1, addr, len, 1);
}

void ukmem__debug_print_track(const char *what, struct ukmem__track *t)
{
	if (!t || !t->addr)
		return;
	printk(KERN_ERR "%s in %pS age=%lu cpu=%d pid=%d\n", what, (void *)t->addr,
	       ukmem__jiffies() - t->when, t->cpu, t->pid);
	if (t->handle)
		ukmem__depot_print(t->handle, t->addr, " ");
	else
		printk(KERN_ERR "object allocation/free stack trace missing\n");
}

/* 6.1's print_tracking: @p's allocation and free tracks, when @s stores them for slub_debug=U
 * (kasan=on keeps its own, as 6.1's KASAN does, which print_tracking does not show) and @p
 * starts one of @s's objects. */
void ukmem__debug_print_tracking(struct kmem_cache *s, const void *p)
{
	struct ukmem__track *t;

	if ((s->debug & (SLAB_STORE_USER | SLAB_KASAN)) != SLAB_STORE_USER ||
	    !ukmem__debug_valid_object(s, p))
		return;
	t = ukmem__debug_track(s, (void *)p, 0);
	ukmem__annotate_open(t, 2 * sizeof(*t));
	ukmem__debug_print_track("Allocated", t);
	ukmem__debug_print_track("Freed", t + 1);
	ukmem__annotate_close(t, 2 * sizeof(*t));
}

static void print_trailer(struct kmem_cache *s, struct slab *slab, char *obj)
{
	char *base = slab_address(slab);
	unsigned int end = s->size - s->red_left_pad;

	if (s->debug & SLAB_STORE_USER) {
		ukmem__debug_print_track("Allocated", ukmem__debug_track(s, obj, 0));
		ukmem__debug_print_track("Freed", ukmem__debug_track(s, obj, 1));
	}
	printk(KERN_ERR "Slab 0x%px objects=%u used=%u fp=0x%px flags=0x%lx(slab)\n", slab,
	       s->objects, slab->inuse, s->use_map ? NULL : slab->freelist,
	       slab_page(slab)->flags);
	printk(KERN_ERR "Object 0x%px @offset=%tu fp=0x%px\n\n", obj, obj - base,
	       *(void **)(obj + s->rz_end));
	if (s->debug & SLAB_RED_ZONE)
		print_section("Redzone  ", obj - s->red_left_pad, s->red_left_pad);
	else if (obj > base + 16)
		print_section("Bytes b4 ", obj - 16, 16);
	print_section("Object   ", obj, min_t(unsigned int, s->object_size, PAGE_SIZE));
	if (s->debug & SLAB_RED_ZONE)
		print_section("Redzone  ", obj + s->object_size, s->rz_end - s->object_size);
	if (end > s->meta_end)
		print_section("Padding  ", obj + s->meta_end, end - s->meta_end);
	ukmem__print_task_line();
	ukmem__stack_dump(3);
}

/* Check that [start, start + bytes) holds value; otherwise report, restore, return false. */
static bool check_bytes(struct kmem_cache *s, struct slab *slab, char *obj, const char *what,
			char *start, u8 value, unsigned int bytes)
{
	u8 *fault = memchr_inv(start, value, bytes), *end = (u8 *)start + bytes;

	if (!fault)
		return true;
	while (end > fault && end[-1] == value)
		end--;
	ukmem__report_begin();
	slab_bug(s, "%s overwritten", what);
	printk(KERN_ERR "0x%px-0x%px @offset=%tu. First byte 0x%x instead of 0x%x\n", fault,
	       end - 1, (char *)fault - (char *)slab_address(slab), fault[0], value);
	print_trailer(s, slab, obj);
	slab_fix(s, "Restoring %s 0x%px-0x%px=0x%x", what, fault, end - 1, value);
	memset(fault, value, end - fault);
	ukmem__report_end(UKMEM_REPORT_BUG);
	return false;
}

static void init_object(struct kmem_cache *s, char *obj, u8 val)
{
	if (s->debug & SLAB_RED_ZONE)
		memset(obj - s->red_left_pad, val, s->red_left_pad);
	if (object_poisoned(s)) {
		memset(obj, POISON_FREE, s->object_size - 1);
		obj[s->object_size - 1] = (char)POISON_END;
	}
	if (s->debug & SLAB_RED_ZONE)
		memset(obj + s->object_size, val, s->rz_end - s->object_size);
}

/* SLUB's check_object: red zones, poison, padding.  True when all are intact. */
static bool check_object(struct kmem_cache *s, struct slab *slab, char *obj, u8 val)
{
	bool ok = true;
	unsigned int end = s->size - s->red_left_pad;

	if (s->debug & SLAB_RED_ZONE) {
		ok &= check_bytes(s, slab, obj, "Left Redzone", obj - s->red_left_pad, val,
				  s->red_left_pad);
		ok &= check_bytes(s, slab, obj, "Right Redzone", obj + s->object_size, val,
				  s->rz_end - s->object_size);
	} else if ((s->debug & SLAB_POISON) && s->object_size < s->rz_end) {
		ok &= check_bytes(s, slab, obj, "Alignment padding", obj + s->object_size,
				  POISON_INUSE, s->rz_end - s->object_size);
	}
	if (s->debug & SLAB_POISON) {
		if (val != SLUB_RED_ACTIVE && object_poisoned(s))
			ok &= check_bytes(s, slab, obj, "Poison", obj, POISON_FREE, s->object_size - 1) &&
			      check_bytes(s, slab, obj, "End Poison", obj + s->object_size - 1,
					  POISON_END, 1);
		if (end > s->meta_end)
			ok &= check_bytes(s, slab, obj, "Object padding", obj + s->meta_end,
					  POISON_INUSE, end - s->meta_end);
	}
	return ok;
}

/* Poison of a freed object intact (kasan.c, when it leaves the quarantine). */
bool ukmem__debug_check_poison(struct kmem_cache *s, void *obj, bool report)
{
	u8 *p = obj, *fault;

	if (!object_poisoned(s))
		return true;
	fault = memchr_inv(p, POISON_FREE, s->object_size - 1);
	if (!fault && p[s->object_size - 1] == POISON_END)
		return true;
	if (report) {
		u8 *first = fault ? fault : p + s->object_size - 1, *end = p + s->object_size;

		while (end > first + 1 && end[-1] == (end == p + s->object_size ? POISON_END : POISON_FREE))
			end--;
		ukmem__kasan_report_uaf(s, obj, first, end - first);
	}
	return false;
}

static void set_track(struct kmem_cache *s, char *obj, int which, unsigned long caller)
{
	struct ukmem__track *t = ukmem__debug_track(s, obj, which);
	struct ukmem__cpu *c = ukmem__cpu();

	if (!t)
		return;
	t->addr = caller;
	t->handle = ukmem__depot_save(3);
	t->cpu = c->cpu;
	t->pid = c->task.pid;
	t->when = ukmem__jiffies();
}

static void trace(struct kmem_cache *s, struct slab *slab, char *obj, bool alloc)
{
	if (!(s->debug & SLAB_TRACE))
		return;
	ukmem__console_lock();
	printk(KERN_INFO "TRACE %s %s 0x%px inuse=%d fp=0x%px\n", s->name, alloc ? "alloc" : "free",
	       obj, slab->inuse, s->use_map ? NULL : slab->freelist);
	if (!alloc)
		print_hex_dump(KERN_INFO, "Object ", DUMP_PREFIX_ADDRESS, 16, 1, obj, s->object_size, 1);
	ukmem__print_task_line();
	ukmem__stack_dump(3);
	ukmem__console_unlock();
}

/* ---- hooks ---- */
void ukmem__debug_new_slab(struct kmem_cache *s, struct slab *slab)
{
	char *base = slab_address(slab);
	unsigned long len = PAGE_SIZE << s->order;

	ukmem__annotate_open(base, len);
	if (s->debug & SLAB_POISON)
		memset(base, POISON_INUSE, len);
	for (unsigned int i = 0; i < s->objects; i++) {
		char *obj = obj_of(s, base + (unsigned long)i * s->size);
		struct ukmem__track *t = ukmem__debug_track(s, obj, 0);

		init_object(s, obj, SLUB_RED_INACTIVE);
		if (t)
			memset(t, 0, 2 * sizeof(*t));
		state_set(s, obj, UKMEM_OBJ_FREE);
		ukmem__debug_state(s, obj)[1] = s->object_size;
	}
	ukmem__annotate_close(base, len);
}

static noinline void state_corrupt(struct kmem_cache *s, struct slab *slab, char *obj, u32 state)
{
	ukmem__report_begin();
	slab_bug(s, "Object state corrupt");
	printk(KERN_ERR "Object 0x%px taken from its slab's free objects is marked %s\n", obj,
	       state == UKMEM_OBJ_ALLOCATED ? "allocated (a double free that reached the slab?)" :
	       state == UKMEM_OBJ_QUARANTINED ? "quarantined" :
	       state == UKMEM_OBJ_FREEING ? "being freed" : "with an unknown state");
	print_trailer(s, slab, obj);
	slab_fix(s, "Object at 0x%px kept out of use", obj);
	ukmem__report_end(UKMEM_REPORT_BUG);
}

void *ukmem__debug_alloc(struct kmem_cache *s, void *stride, gfp_t gfp, unsigned long caller,
			size_t orig)
{
	struct slab *slab = ukmem__virt_to_slab(stride);
	char *obj = obj_of(s, stride);
	u32 state;

	stride_open(s, obj);
	state = state_get(s, obj);
	if (unlikely(state != UKMEM_OBJ_FREE)) {
		if (state != UKMEM_OBJ_BAD)
			state_corrupt(s, slab, obj, state);
		state_set(s, obj, UKMEM_OBJ_BAD);
		stride_close(s, obj, false);
		return NULL;
	}
	if ((s->debug & SLAB_CONSISTENCY_CHECKS) && !check_object(s, slab, obj, SLUB_RED_INACTIVE)) {
		ukmem__console_lock();
		slab_fix(s, "Object at 0x%px kept out of use", obj);
		ukmem__console_unlock();
		state_set(s, obj, UKMEM_OBJ_BAD);
		stride_close(s, obj, false);
		return NULL;
	}
	trace(s, slab, obj, true);
	if (s->debug & (SLAB_STORE_USER | SLAB_KASAN))
		set_track(s, obj, 0, caller);
	init_object(s, obj, SLUB_RED_ACTIVE);
	*slack_word(s, obj) = orig && orig < s->object_size ? (u32)orig : 0;
	state_set(s, obj, UKMEM_OBJ_ALLOCATED);
	stride_close(s, obj, true);
	tool_alloc(s, obj);
	return obj;
}

/* A word of an object's metadata (its state, its slack's start) read or written past the
 * tools: it lies in what they are told is off limits. */
static __attribute__((no_sanitize("address"))) u32 meta_peek(const u32 *w)
{
	u32 v;

	if (ukmem__annotate_mode & UKMEM_ANNOTATE_VALGRIND)
		VALGRIND_DISABLE_ERROR_REPORTING;
	v = __atomic_load_n(w, __ATOMIC_ACQUIRE);
	if (ukmem__annotate_mode & UKMEM_ANNOTATE_VALGRIND) {
		(void)VALGRIND_MAKE_MEM_DEFINED(&v, sizeof(v));
		VALGRIND_ENABLE_ERROR_REPORTING;
	}
	return v;
}

static __attribute__((no_sanitize("address"))) void meta_poke(u32 *w, u32 v)
{
	if (ukmem__annotate_mode & UKMEM_ANNOTATE_VALGRIND)
		VALGRIND_DISABLE_ERROR_REPORTING;
	*w = v;
	if (ukmem__annotate_mode & UKMEM_ANNOTATE_VALGRIND)
		VALGRIND_ENABLE_ERROR_REPORTING;
}

unsigned int ukmem__debug_slack(struct kmem_cache *s, void *obj)
{
	return meta_peek(slack_word(s, obj));
}

/* Mark [from, object_size) as slack: kasan=on's pattern, the tools' "off limits". */
static void slack_close(struct kmem_cache *s, char *obj, unsigned int from)
{
	if (s->debug & SLAB_KASAN)
		memset(obj + from, SLUB_RED_ACTIVE, s->object_size - from);
	ukmem__annotate_close(obj + from, s->object_size - from);
}

void ukmem__debug_mark_slack(struct kmem_cache *s, void *obj)
{
	unsigned int from = meta_peek(slack_word(s, obj));

	if (from)
		slack_close(s, obj, from);
}

void ukmem__debug_resize(struct kmem_cache *s, void *obj, size_t size)
{
	unsigned int from = meta_peek(slack_word(s, obj));
	unsigned int to = size && size < s->object_size ? (unsigned int)size : 0;

	if (from == to)
		return;
	meta_poke(slack_word(s, obj), to);
	if (from && (!to || to > from)) {	/* grown: [from, to) is the caller's now */
		size_t len = (to ? to : s->object_size) - from;

		ukmem__annotate_open((char *)obj + from, len);
		/* kasan=on's pattern goes: 6.1's KASAN keeps it in shadow memory, and the caller
		 * finds what the allocation left there (zeroes, for a zeroed one) */
		if (s->debug & SLAB_KASAN)
			memset((char *)obj + from, 0, len);
	}
	if (to && (!from || to < from))		/* shrunk: what is past @size is slack */
		slack_close(s, obj, to);
}

/**
 * ukmem__debug_object_live - for the live-object walk: is the object in @stride allocated?
 *
 * One kept out of use after a report, quarantined or being freed is no live object (it is
 * off every free list all the same): kmemleak must not report it.
 */
bool ukmem__debug_object_live(struct kmem_cache *s, void *stride)
{
	return meta_peek(ukmem__debug_state(s, obj_of(s, stride))) == UKMEM_OBJ_ALLOCATED;
}

/* obj (an object's start) was freed: it is in the quarantine or back on its slab. */
bool ukmem__debug_object_freed(struct kmem_cache *s, const void *obj)
{
	u32 state = meta_peek(ukmem__debug_state(s, (void *)obj));

	return state == UKMEM_OBJ_QUARANTINED || state == UKMEM_OBJ_FREE;
}

bool ukmem__debug_valid_object(struct kmem_cache *s, const void *p)
{
	return ukmem__obj_aligned(s, stride_of(s, p)) &&
	       ukmem__virt_to_slab(stride_of(s, p)) == ukmem__virt_to_slab(p);
}

void *ukmem__debug_object_start(struct kmem_cache *s, const void *p)
{
	struct slab *slab = ukmem__virt_to_slab(p);
	unsigned long rel;

	if (!slab)
		return NULL;
	rel = (unsigned long)p - (unsigned long)slab_address(slab);
	if (rel / s->size >= s->objects)
		return NULL;
	return (char *)slab_address(slab) + rel / s->size * s->size + s->red_left_pad;
}

/* A free the checks refuse: SLUB's or KASAN's report, by the cache's mode. */
static noinline void bad_free(struct kmem_cache *s, struct slab *slab, const void *p,
			      const char *kasan_bug, const char *slub_what, const char *why,
			      unsigned long caller)
{
	if (s->debug & SLAB_KASAN) {
		ukmem__kasan_report_free(kasan_bug, s, p, why, caller);
		return;
	}
	if (!(s->debug & SLAB_CONSISTENCY_CHECKS)) {	/* no 'F': the default mode's report */
		ukmem__slab_report_free(kasan_bug, p, why, s, caller);
		return;
	}
	ukmem__report_begin();
	if (!strcmp(slub_what, "Object already free")) {
		slab_bug(s, "%s", slub_what);
		stride_open(s, (void *)p);
		print_trailer(s, slab, (char *)p);
		stride_close(s, (void *)p, false);
	} else {
		slab_bug(s, "%s 0x%px", slub_what, p);
		printk(KERN_ERR "Slab 0x%px objects=%u used=%u fp=0x%px flags=0x%lx(slab)\n", slab,
		       s->objects, slab->inuse, s->use_map ? NULL : slab->freelist,
		       slab_page(slab)->flags);
		ukmem__print_task_line();
		ukmem__stack_dump(2);
	}
	slab_fix(s, "Object at 0x%px not freed", p);
	ukmem__report_end(UKMEM_REPORT_BUG);
}

/* Poisoned and red-zoned as a free object, marked FREE, back on its slab. */
void ukmem__debug_release(struct kmem_cache *s, void *obj)
{
	stride_open(s, obj);
	init_object(s, obj, SLUB_RED_INACTIVE);
	state_set(s, obj, UKMEM_OBJ_FREE);
	/* closed before the put: once on its slab the object (and, when the slab empties and
	 * goes back, its pages) belongs to others */
	stride_close(s, obj, false);
	ukmem__slab_put(s, stride_of(s, obj));
}

void ukmem__debug_free(struct kmem_cache *s, const void *p, unsigned long caller)
{
	struct slab *slab = ukmem__virt_to_slab(p);
	char *obj = (char *)p;
	u32 state;

	if (!ukmem__debug_valid_object(s, p)) {
		bad_free(s, slab, p, "invalid-free", "Invalid object pointer",
			 "the pointer is not the start of an object", caller);
		return;
	}
	stride_open(s, obj);
	/* Claimed atomically: of two frees at once (two threads), exactly one goes on; the
	 * other waits for it to finish (SLUB's slab lock) and reports the double free. */
	state = UKMEM_OBJ_ALLOCATED;
	if (!__atomic_compare_exchange_n(ukmem__debug_state(s, obj), &state, UKMEM_OBJ_FREEING,
					 false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		while (state == UKMEM_OBJ_FREEING) {
			sched_yield();
			state = state_get(s, obj);
		}
		stride_close(s, obj, false);
		if (state == UKMEM_OBJ_BAD)
			return;		/* kept out of use after a report: nobody owns it */
		bad_free(s, slab, p, "double-free", "Object already free",
			 state == UKMEM_OBJ_QUARANTINED ? "the object was freed already (it is in the quarantine)" :
			 "the object is already free", caller);
		return;
	}
	ukmem__leak_untrack(obj, UKMEM_LEAK_SLAB);	/* a valid free: no longer kmemleak's */
	/* both with kasan=on and 'F': SLUB's red zone checks, then KASAN's, which find the red
	 * zones restored and check what SLUB does not, kmalloc's slack */
	if (s->debug & SLAB_CONSISTENCY_CHECKS)
		check_object(s, slab, obj, SLUB_RED_ACTIVE);
	if (s->debug & SLAB_KASAN)
		ukmem__kasan_check_redzone(s, slab, obj, caller);
	if (s->debug & (SLAB_STORE_USER | SLAB_KASAN))
		set_track(s, obj, 1, caller);
	trace(s, slab, obj, false);
	if (ukmem__slab_init_on_free(s))	/* init_on_free=1: a valid free zeroes the object */
		memset(obj, 0, s->object_size);
	/* no quarantine for SLAB_TYPESAFE_BY_RCU objects (as KASAN): they are not poisoned,
	 * and a driver's lookup must meet their reuse as it does in the kernel */
	if ((s->debug & UKMEM_QUARANTINE_FLAGS) && !typesafe(s)) {
		init_object(s, obj, SLUB_RED_INACTIVE);
		state_set(s, obj, UKMEM_OBJ_QUARANTINED);
		stride_close(s, obj, false);
		tool_free(s, obj);
		ukmem__kasan_quarantine_put(s, obj);
		return;
	}
	stride_close(s, obj, false);
	tool_free(s, obj);
	ukmem__debug_release(s, obj);
}

/* A new debug cache: valgrind learns it as a mempool. */
void ukmem__debug_cache_created(struct kmem_cache *s)
{
	if (ukmem__annotate_mode == UKMEM_ANNOTATE_VALGRIND)
		VALGRIND_CREATE_MEMPOOL(s, 0, 0);
}

void ukmem__debug_cache_destroyed(struct kmem_cache *s)
{
	if (ukmem__annotate_mode == UKMEM_ANNOTATE_VALGRIND)
		VALGRIND_DESTROY_MEMPOOL(s);
}

/* The slab's pages go back to the page allocator: usable by whoever gets them next.  For a
 * SLAB_TYPESAFE_BY_RCU cache only after the grace period (slub.c), while readers that
 * started before may still read its free objects. */
void ukmem__debug_slab_gone(struct slab *slab, unsigned int order)
{
	ukmem__annotate_undefined(slab_address(slab), PAGE_SIZE << order);
}

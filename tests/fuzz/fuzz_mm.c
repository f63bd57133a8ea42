/* SPDX-License-Identifier: MIT */
/*
 * Shadow-model fuzzer of the memory API.  The input is decoded into a sequence of calls --
 * kmalloc/kzalloc/krealloc/kfree, kmem_cache create/alloc/free/bulk/shrink/destroy (with and
 * without a constructor, SLAB_TYPESAFE_BY_RCU), vmalloc/vzalloc/vfree/vmap/vunmap,
 * kvmalloc/kvrealloc/kvfree, alloc_pages/__free_pages of every order and zone -- and wrong
 * uses (double frees, foreign pointers, the wrong cache, the wrong free function).  A plain
 * model (a table of live objects with their size, kind and fill byte) is checked after every
 * call:
 *  - a new object is non-NULL (while memory is plentiful), aligned as promised, zeroed when
 *    asked (or constructed, for a cache with a constructor), and overlaps no live object;
 *  - every byte written is read back at free, and the edges of every live object after every
 *    call (a stray write anywhere shows up);
 *  - kmalloc memory is physically contiguous (in the direct map, one slab or one compound
 *    block), ksize() >= size, kmem_cache_size() is the object size;
 *  - each page of a vmalloc/vmap area aliases its page in the direct map (a write through one
 *    is read through the other), and vmalloc_to_page agrees with vmap's pages;
 *  - pages come from the zone asked for, naturally aligned;
 *  - a valid call makes no report; a wrong use makes exactly one and changes nothing (the
 *    model is not touched, and the object stays valid), except kmem_cache_free to the wrong
 *    cache, which 6.1 warns of and then frees into the object's own cache (the model drops
 *    the object);
 *  - at the end of each input everything is freed and meminfo, buddyinfo and the kmalloc
 *    caches' slabinfo lines are what they were before the first input.
 * A failed check prints what it found and abort()s, so libFuzzer keeps the input.
 *
 * Opcodes: a byte below 256 - FZ_DEV_OPS (240) is one of the 24 operations here (byte % 24,
 * as before the driver half existed); 240..255 are the driver half's (fuzz_dev.c: devres,
 * ioremap, DMA), whose objects live in the same table (fuzz_mm.h).
 *
 * Built two ways: with clang -fsanitize=fuzzer,address,undefined as the libFuzzer target
 * fuzz_mm (.ci/run runs it for a minute from tests/fuzz/corpus and seeds), and with a main()
 * that replays files (test_fuzz_replay: the hand-made seeds, one per operation, and every
 * minimised crash in tests/fuzz/regressions, in every build).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ukmem.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/swap.h>

#include "fuzz_mm.h"

#define MAX_CACHES	4
#define CTOR_BYTE	0xc7

struct cache {
	struct kmem_cache *s;
	unsigned int size, align;
	bool ctor, rcu;
	int live;
};

static struct cache caches[MAX_CACHES];
struct fz_model M;

/* ---- input ---- */
unsigned int fz_byte(void)
{
	return M.pos < M.len ? M.in[M.pos++] : 0;
}

/* A size spread over powers of two: 1 .. 2^max_shift, odd sizes included. */
size_t fz_size_of(unsigned int max_shift)
{
	unsigned int shift = fz_byte() % (max_shift + 1), jitter = fz_byte();
	size_t size = (size_t)1 << shift;

	if (jitter & 1)
		size += (jitter >> 1) % (size < 128 ? size : 128);
	else if (jitter & 2)
		size -= size > 1;
	return size ? size : 1;
}

static gfp_t gfp_of(unsigned int b)
{
	static const gfp_t g[] = { GFP_KERNEL, GFP_KERNEL | __GFP_ZERO, GFP_ATOMIC, GFP_NOWAIT,
				   GFP_KERNEL | __GFP_RECLAIMABLE, GFP_KERNEL | __GFP_DMA };
	return g[b % (sizeof(g) / sizeof(g[0]))];
}

/* ---- the model's checks ---- */
void fz_expect_reports(unsigned long more, const char *what)
{
	unsigned long now = ukmem_report_count();

	M.reports += more;
	if (now != M.reports)
		FAIL("%s: %lu reports, expected %lu", what, now, M.reports);
}

struct obj *fz_slot_free(void)
{
	for (int i = 0; i < MAX_LIVE; i++)
		if (M.obj[i].kind == K_FREE)
			return &M.obj[i];
	return NULL;
}

struct obj *fz_slot_pick(unsigned int b, enum kind want)
{
	for (int i = 0; i < MAX_LIVE; i++) {
		struct obj *o = &M.obj[(b + i) % MAX_LIVE];

		if (o->kind != K_FREE && (want == K_FREE || o->kind == want))
			return o;
	}
	return NULL;
}

static bool plentiful(size_t size)
{
	return M.live_bytes + size < (64UL << 20);
}

void fz_check_new(const void *p, size_t size, const char *what)
{
	for (int i = 0; i < MAX_LIVE; i++) {
		const struct obj *o = &M.obj[i];

		if (o->kind != K_FREE && (const unsigned char *)p < o->p + o->size &&
		    o->p < (const unsigned char *)p + size)
			FAIL("%s returned %p (+%zu), overlapping a live object %p (+%zu)", what, p,
			     size, o->p, o->size);
	}
}

void fz_check_bytes(const unsigned char *p, size_t n, unsigned char want, const char *what)
{
	size_t i = 0;
	uint64_t w = 0x0101010101010101ULL * want, v;

	for (; i + 8 <= n; i += 8) {	/* a word at a time, then find the byte */
		memcpy(&v, p + i, 8);
		if (v != w)
			break;
	}
	for (; i < n; i++)
		if (p[i] != want)
			FAIL("%s: byte %zu of %p is 0x%02x, expected 0x%02x", what, i, p, p[i], want);
}

/* The object's contents as written (all of it, or its edges only). */
static void check_shadow(const unsigned char *p, const unsigned char *want, size_t n,
			 const char *what)
{
	if (memcmp(p, want, n))
		for (size_t i = 0; i < n; i++)
			if (p[i] != want[i])
				FAIL("%s: byte %zu of %p is 0x%02x, expected 0x%02x", what, i, p,
				     p[i], want[i]);
}

void fz_check_obj(const struct obj *o, bool all)
{
	size_t n = o->size, edge = n < 64 ? n : 64;

	if (o->shadow) {
		if (all) {
			check_shadow(o->p, o->shadow, n, "contents");
		} else {
			check_shadow(o->p, o->shadow, edge, "head of a live object");
			check_shadow(o->p + n - edge, o->shadow + n - edge, edge,
				     "tail of a live object");
		}
	} else if (all) {
		fz_check_bytes(o->p, n, o->fill, "contents");
	} else {
		fz_check_bytes(o->p, edge, o->fill, "head of a live object");
		fz_check_bytes(o->p + n - edge, edge, o->fill, "tail of a live object");
	}
}

void fz_check_all(bool all)
{
	for (int i = 0; i < MAX_LIVE; i++)
		if (M.obj[i].kind != K_FREE)
			fz_check_obj(&M.obj[i], all);
}

/* kmalloc memory: in the direct map, one block, at least size usable bytes. */
static void check_kmalloc(const unsigned char *p, size_t size, const char *what)
{
	struct page *first, *last;

	if (!virt_addr_valid(p) || !virt_addr_valid(p + size - 1))
		FAIL("%s: %p (+%zu) is not in the direct map", what, p, size);
	if (virt_to_phys((void *)(p + size - 1)) - virt_to_phys((void *)p) != size - 1)
		FAIL("%s: %p (+%zu) is not physically contiguous", what, p, size);
	first = compound_head(virt_to_page(p));
	last = compound_head(virt_to_page(p + size - 1));
	if (first != last)
		FAIL("%s: %p (+%zu) spans two blocks (slabs or compound pages)", what, p, size);
	if (ksize(p) < size)
		FAIL("%s: ksize(%p) = %zu < %zu", what, p, ksize(p), size);
	if ((uintptr_t)p % ARCH_KMALLOC_MINALIGN)
		FAIL("%s: %p is not aligned to %zu", what, p, (size_t)ARCH_KMALLOC_MINALIGN);
	/* A fresh power-of-two object is naturally aligned; krealloc that keeps an object in
	 * place (its size class is large enough, as the kernel does) keeps its old alignment. */
	if (!(size & (size - 1)) && size <= PAGE_SIZE && (uintptr_t)p % size && !M.realloc_in_place)
		FAIL("%s: %p of power-of-two size %zu is not naturally aligned", what, p, size);
}

/* Each page of a vmalloc-space area is its page in the direct map. */
static void check_alias(unsigned char *p, size_t size, struct page **pages, const char *what)
{
	for (size_t off = 0; off < size; off += PAGE_SIZE) {
		struct page *pg = vmalloc_to_page(p + off);
		unsigned char *d;

		if (!pg || (pages && pg != pages[off / PAGE_SIZE]))
			FAIL("%s: vmalloc_to_page(%p) = %p", what, p + off, (void *)pg);
		d = page_address(pg);
		if (d[0] != p[off])
			FAIL("%s: page %zu reads 0x%02x through the direct map, 0x%02x through %p",
			     what, off / PAGE_SIZE, d[0], p[off], p);
		d[0] ^= 0xff;		/* a write through the direct map shows in the area */
		if (p[off] != d[0])
			FAIL("%s: a write through the direct map did not show at %p", what, p + off);
		d[0] ^= 0xff;
	}
}

unsigned char fz_new_fill(void)
{
	M.next_fill = M.next_fill * 37 + 11;
	return M.next_fill ? M.next_fill : 1;
}

void fz_add(struct obj *o, enum kind kind, void *p, size_t size)
{
	o->kind = kind;
	o->p = p;
	o->size = size;
	o->fill = fz_new_fill();
	o->shadow = NULL;
	memset(p, o->fill, size);
	M.live_bytes += size;
}

/* An object whose contents the model keeps byte by byte (it starts filled). */
void fz_add_shadowed(struct obj *o, enum kind kind, void *p, size_t size)
{
	fz_add(o, kind, p, size);
	o->shadow = malloc(size);
	if (!o->shadow)
		FAIL("out of host memory for a shadow of %zu bytes", size);
	memset(o->shadow, o->fill, size);
}

void fz_drop(struct obj *o, bool check)
{
	if (check)
		fz_check_obj(o, true);
	M.live_bytes -= o->size;
	o->kind = K_FREE;
	free(o->shadow);
	free(o->dshadow);
	o->shadow = o->dshadow = NULL;
}

/* ---- valid calls ---- */
static void op_kmalloc(bool zero)
{
	struct obj *o = fz_slot_free();
	size_t size = fz_size_of(fz_byte() & 1 ? 22 : 13);
	gfp_t gfp = gfp_of(fz_byte()) | (zero ? __GFP_ZERO : 0);
	unsigned char *p;

	if (!o)
		return;
	if (size > KMALLOC_MAX_SIZE)
		gfp |= __GFP_NOWARN;	/* else the page allocator's WARN: a wrong use */
	p = zero ? kzalloc(size, gfp) : kmalloc(size, gfp);
	fz_expect_reports(0, "kmalloc");
	if (!p) {
		/* "plentiful" counts all of RAM; the DMA zone is 16 MiB, and a few live
		 * multi-MiB GFP_DMA objects fill it (as op_pages keeps in mind) */
		if (plentiful(size) && size <= KMALLOC_MAX_SIZE && (gfp & __GFP_DIRECT_RECLAIM) &&
		    !(gfp & __GFP_DMA))
			FAIL("kmalloc(%zu, %#x) failed with memory to spare", size, gfp);
		return;
	}
	if (size > KMALLOC_MAX_SIZE)
		FAIL("kmalloc(%zu) above KMALLOC_MAX_SIZE succeeded", size);
	check_kmalloc(p, size, "kmalloc");
	if (gfp & __GFP_ZERO)
		fz_check_bytes(p, size, 0, "kzalloc");
	fz_check_new(p, size, "kmalloc");
	fz_add(o, K_KMALLOC, p, size);
}

static void op_krealloc(void)
{
	struct obj *o = fz_slot_pick(fz_byte(), K_KMALLOC);
	size_t size = fz_size_of(fz_byte() & 1 ? 16 : 12), keep;
	unsigned char *p;

	if (!o) {
		if (!(o = fz_slot_free()))
			return;
		p = krealloc(NULL, size, GFP_KERNEL);
		fz_expect_reports(0, "krealloc(NULL)");
		if (!p)
			FAIL("krealloc(NULL, %zu) failed", size);
		check_kmalloc(p, size, "krealloc(NULL)");
		fz_check_new(p, size, "krealloc(NULL)");
		fz_add(o, K_KMALLOC, p, size);
		return;
	}
	fz_check_obj(o, true);
	p = krealloc(o->p, size, GFP_KERNEL);
	fz_expect_reports(0, "krealloc");
	if (!p)
		FAIL("krealloc(%p, %zu) failed", o->p, size);
	keep = size < o->size ? size : o->size;
	fz_check_bytes(p, keep, o->fill, "krealloc kept");
	M.realloc_in_place = p == o->p;
	check_kmalloc(p, size, "krealloc");
	M.realloc_in_place = false;
	M.live_bytes -= o->size;
	o->kind = K_FREE;
	fz_check_new(p, size, "krealloc");
	fz_add(o, K_KMALLOC, p, size);
}

static void op_kfree(bool twice)
{
	struct obj *o = fz_slot_pick(fz_byte(), K_KMALLOC);
	void *p;
	size_t size;

	if (!o)
		return;
	p = o->p;
	size = o->size;
	fz_drop(o, true);
	kfree(p);
	fz_expect_reports(0, "kfree");
	if (twice) {			/* the most recent free again: reported, ignored */
		if (M.trace)
			fprintf(stderr, "fuzz_mm: kfree of %p (%zu bytes) again\n", p, size);
		kfree(p);
		fz_expect_reports(1, "double kfree");
	}
}

static void ctor(void *p)
{
	memset(p, CTOR_BYTE, 24);	/* every cache's objects are at least 24 bytes */
}

static void op_cache_create(void)
{
	static const unsigned int aligns[] = { 0, 8, 16, 64, 256 };
	unsigned int flags_b = fz_byte(), i;
	struct cache *c = NULL;
	slab_flags_t flags = 0;
	char name[32];

	for (i = 0; i < MAX_CACHES && !c; i++)
		if (!caches[i].s)
			c = &caches[i];
	if (!c)
		return;
	c->size = 24 + fz_size_of(12);
	c->align = aligns[fz_byte() % 5];
	c->ctor = flags_b & 1;
	c->rcu = flags_b & 2;
	if (c->rcu) {
		flags |= SLAB_TYPESAFE_BY_RCU;
		M.used_rcu = true;
	}
	if (flags_b & 4)
		flags |= SLAB_HWCACHE_ALIGN;
	if (flags_b & 8)
		flags |= SLAB_RECLAIM_ACCOUNT;
	snprintf(name, sizeof(name), "fuzz_%u", (unsigned int)(c - caches));
	c->s = kmem_cache_create(name, c->size, c->align, flags, c->ctor ? ctor : NULL);
	fz_expect_reports(0, "kmem_cache_create");
	if (!c->s)
		FAIL("kmem_cache_create(%u, %u) failed", c->size, c->align);
	if (kmem_cache_size(c->s) != c->size)
		FAIL("kmem_cache_size = %u, expected %u", kmem_cache_size(c->s), c->size);
	c->live = 0;
}

static struct cache *cache_pick(unsigned int b)
{
	for (int i = 0; i < MAX_CACHES; i++)
		if (caches[(b + i) % MAX_CACHES].s)
			return &caches[(b + i) % MAX_CACHES];
	return NULL;
}

static void cache_obj_new(struct cache *c, struct obj *o, unsigned char *p, gfp_t gfp)
{
	if (c->align && (uintptr_t)p % c->align)
		FAIL("cache object %p not aligned to %u", p, c->align);
	if ((uintptr_t)p % ARCH_SLAB_MINALIGN)
		FAIL("cache object %p not aligned to ARCH_SLAB_MINALIGN", p);
	if (!virt_addr_valid(p) || !virt_addr_valid(p + c->size - 1))
		FAIL("cache object %p is not in the direct map", p);
	if (c->ctor)
		fz_check_bytes(p, 24, CTOR_BYTE, "constructed object");
	else if (gfp & __GFP_ZERO)
		fz_check_bytes(p, c->size, 0, "kmem_cache_zalloc");
	fz_check_new(p, c->size, "kmem_cache_alloc");
	fz_add(o, K_CACHE, p, c->size);
	o->cache = (int)(c - caches);
	c->live++;
}

static void op_cache_alloc(void)
{
	struct cache *c = cache_pick(fz_byte());
	struct obj *o = fz_slot_free();
	gfp_t gfp = fz_byte() & 1 ? GFP_KERNEL : GFP_KERNEL | __GFP_ZERO;
	unsigned char *p;

	if (!c || !o)
		return;
	if (c->ctor)
		gfp = GFP_KERNEL;	/* zeroing a constructed object is a kernel BUG */
	p = kmem_cache_alloc(c->s, gfp);
	fz_expect_reports(0, "kmem_cache_alloc");
	if (!p)
		FAIL("kmem_cache_alloc failed");
	cache_obj_new(c, o, p, gfp);
}

static void cache_obj_free(struct obj *o)
{
	struct cache *c = &caches[o->cache];

	fz_drop(o, true);
	if (c->ctor)
		memset(o->p, CTOR_BYTE, 24);	/* objects go back constructed */
	c->live--;
}

static void op_cache_free(void)
{
	struct obj *o = fz_slot_pick(fz_byte(), K_CACHE);
	unsigned int twice = fz_byte() % 4;	/* 0: the most recent free again, in bulk */

	if (!o)
		return;
	cache_obj_free(o);
	kmem_cache_free(caches[o->cache].s, o->p);
	fz_expect_reports(0, "kmem_cache_free");
	if (!twice) {
		void *p = o->p;

		kmem_cache_free_bulk(caches[o->cache].s, 1, &p);
		fz_expect_reports(1, "double free through kmem_cache_free_bulk");
	}
}

static void op_cache_bulk(void)
{
	struct cache *c = cache_pick(fz_byte());
	unsigned int n = 1 + fz_byte() % 16, got;
	void *objs[16];

	if (!c)
		return;
	got = kmem_cache_alloc_bulk(c->s, GFP_KERNEL, n, objs);
	fz_expect_reports(0, "kmem_cache_alloc_bulk");
	if (got != n)
		FAIL("kmem_cache_alloc_bulk(%u) = %u", n, got);
	for (unsigned int i = 0; i < n; i++) {
		struct obj *o = fz_slot_free();

		if (!o) {			/* no room in the model: give the rest back */
			kmem_cache_free_bulk(c->s, n - i, objs + i);
			fz_expect_reports(0, "kmem_cache_free_bulk");
			return;
		}
		cache_obj_new(c, o, objs[i], GFP_KERNEL);
	}
}

static void op_cache_free_bulk(void)
{
	struct cache *c = cache_pick(fz_byte());
	unsigned int n = 0, want = 1 + fz_byte() % 16;
	void *objs[16];

	if (!c)
		return;
	for (int i = 0; i < MAX_LIVE && n < want; i++) {
		struct obj *o = &M.obj[i];

		if (o->kind == K_CACHE && &caches[o->cache] == c) {
			cache_obj_free(o);
			objs[n++] = o->p;
		}
	}
	kmem_cache_free_bulk(c->s, n, objs);
	fz_expect_reports(0, "kmem_cache_free_bulk");
}

static void op_cache_destroy(struct cache *c)
{
	for (int i = 0; i < MAX_LIVE; i++) {
		struct obj *o = &M.obj[i];

		if (o->kind == K_CACHE && &caches[o->cache] == c) {
			cache_obj_free(o);
			kmem_cache_free(c->s, o->p);
		}
	}
	kmem_cache_destroy(c->s);
	fz_expect_reports(0, "kmem_cache_destroy");
	c->s = NULL;
}

static void op_cache_shrink_or_destroy(void)
{
	struct cache *c = cache_pick(fz_byte());

	if (!c)
		return;
	if (fz_byte() & 1) {
		kmem_cache_shrink(c->s);
		fz_expect_reports(0, "kmem_cache_shrink");
	} else {
		op_cache_destroy(c);
	}
}

static void op_vmalloc(void)
{
	struct obj *o = fz_slot_free();
	size_t size = fz_size_of(fz_byte() & 1 ? 21 : 14);
	bool zero = fz_byte() & 1;
	unsigned char *p;

	if (!o)
		return;
	p = zero ? vzalloc(size) : vmalloc(size);
	fz_expect_reports(0, "vmalloc");
	if (!p)
		FAIL("vmalloc(%zu) failed", size);
	if (!is_vmalloc_addr(p) || (uintptr_t)p % PAGE_SIZE)
		FAIL("vmalloc returned %p", p);
	if (zero)
		fz_check_bytes(p, size, 0, "vzalloc");
	fz_check_new(p, size, "vmalloc");
	fz_add(o, K_VMALLOC, p, size);
	check_alias(p, size, NULL, "vmalloc");
}

static void op_vfree(bool twice)
{
	struct obj *o = fz_slot_pick(fz_byte(), K_VMALLOC);
	void *p;

	if (!o)
		return;
	p = o->p;
	check_alias(o->p, o->size, NULL, "vfree");
	fz_drop(o, true);
	vfree(p);
	fz_expect_reports(0, "vfree");
	if (twice) {
		vfree(p);
		fz_expect_reports(1, "double vfree");
	}
}

static void op_vmap(void)
{
	struct obj *o = fz_slot_free();
	unsigned int n = 1 + fz_byte() % MAX_VMAP_PAGES, i;
	unsigned char *p;

	if (!o)
		return;
	for (i = 0; i < n; i++) {
		o->vpages[i] = alloc_page(GFP_KERNEL);
		if (!o->vpages[i])
			FAIL("alloc_page failed");
	}
	p = vmap(o->vpages, n, VM_MAP, PAGE_KERNEL);
	fz_expect_reports(0, "vmap");
	if (!p)
		FAIL("vmap of %u pages failed", n);
	fz_check_new(p, n * PAGE_SIZE, "vmap");
	fz_add(o, K_VMAP, p, n * PAGE_SIZE);
	o->nr_vpages = n;
	check_alias(p, n * PAGE_SIZE, o->vpages, "vmap");
}

static void op_vunmap(void)
{
	struct obj *o = fz_slot_pick(fz_byte(), K_VMAP);

	if (!o)
		return;
	check_alias(o->p, o->size, o->vpages, "vunmap");
	fz_drop(o, true);
	vunmap(o->p);
	for (unsigned int i = 0; i < o->nr_vpages; i++) {	/* the pages outlive the mapping */
		fz_check_bytes(page_address(o->vpages[i]), PAGE_SIZE, o->fill, "page after vunmap");
		__free_page(o->vpages[i]);
	}
	fz_expect_reports(0, "vunmap");
}

static void op_kvmalloc(void)
{
	struct obj *o = fz_slot_free();
	size_t size = fz_size_of(fz_byte() & 1 ? 21 : 14);
	bool zero = fz_byte() & 1;
	unsigned char *p;

	if (!o)
		return;
	p = zero ? kvzalloc(size, GFP_KERNEL) : kvmalloc(size, GFP_KERNEL);
	fz_expect_reports(0, "kvmalloc");
	if (!p)
		FAIL("kvmalloc(%zu) failed", size);
	if (zero)
		fz_check_bytes(p, size, 0, "kvzalloc");
	if (!is_vmalloc_addr(p))
		check_kmalloc(p, size, "kvmalloc");
	fz_check_new(p, size, "kvmalloc");
	fz_add(o, K_KV, p, size);
	if (is_vmalloc_addr(p))
		check_alias(p, size, NULL, "kvmalloc");
}

static void op_kvrealloc(void)
{
	struct obj *o = fz_slot_pick(fz_byte(), K_KV);
	size_t size = fz_size_of(fz_byte() & 1 ? 20 : 13), keep;
	unsigned char *p;

	if (!o)
		return;
	fz_check_obj(o, true);
	p = kvrealloc(o->p, o->size, size, GFP_KERNEL);
	fz_expect_reports(0, "kvrealloc");
	if (!p)
		FAIL("kvrealloc(%zu -> %zu) failed", o->size, size);
	keep = size < o->size ? size : o->size;
	fz_check_bytes(p, keep, o->fill, "kvrealloc kept");
	M.live_bytes -= o->size;
	o->kind = K_FREE;
	fz_check_new(p, size, "kvrealloc");
	fz_add(o, K_KV, p, size);
}

static void op_kvfree(void)
{
	struct obj *o = fz_slot_pick(fz_byte(), K_KV);

	if (!o)
		return;
	fz_drop(o, true);
	kvfree(o->p);
	fz_expect_reports(0, "kvfree");
}

static void op_alloc_pages(void)
{
	static const gfp_t zones[] = { GFP_KERNEL, GFP_DMA32, GFP_DMA, GFP_KERNEL | __GFP_COMP,
				       GFP_KERNEL | __GFP_ZERO };
	struct obj *o = fz_slot_free();
	unsigned int order = fz_byte() % MAX_ORDER, zb = fz_byte() % 5;
	gfp_t gfp = zones[zb];
	struct page *pg;
	unsigned char *p;
	size_t size = PAGE_SIZE << order;
	phys_addr_t phys;

	if (!o || (gfp & __GFP_DMA && order > 6))
		return;			/* 16 MiB of DMA zone: keep it for what fits */
	pg = alloc_pages(gfp, order);
	fz_expect_reports(0, "alloc_pages");
	if (!pg) {
		if (plentiful(size) && !(gfp & __GFP_DMA))
			FAIL("alloc_pages(%#x, %u) failed with memory to spare", gfp, order);
		return;
	}
	p = page_address(pg);
	phys = page_to_phys(pg);
	if (phys % size)
		FAIL("order-%u block at %#llx is not naturally aligned", order,
		     (unsigned long long)phys);
	if ((gfp & __GFP_DMA && phys + size > SZ_16M) ||
	    (gfp & __GFP_DMA32 && phys + size > SZ_4G))
		FAIL("alloc_pages(%#x) gave %#llx, outside the zone", gfp, (unsigned long long)phys);
	if (gfp & __GFP_ZERO)
		fz_check_bytes(p, size, 0, "alloc_pages(__GFP_ZERO)");
	fz_check_new(p, size, "alloc_pages");
	fz_add(o, K_PAGES, p, size);
	o->order = order;
	o->page = pg;
}

static void op_free_pages(bool twice)
{
	struct obj *o = fz_slot_pick(fz_byte(), K_PAGES);

	if (!o)
		return;
	fz_drop(o, true);
	__free_pages(o->page, o->order);
	fz_expect_reports(0, "__free_pages");
	if (twice) {
		__free_pages(o->page, o->order);
		fz_expect_reports(1, "double __free_pages");
	}
}

/* ---- wrong uses: each is reported once and changes nothing ---- */
static void op_wrong_free(void)
{
	static unsigned char static_buf[64] __attribute__((aligned(64)));
	unsigned char stack_buf[64] __attribute__((aligned(64)));
	struct obj *o = fz_slot_pick(fz_byte(), K_FREE);
	unsigned int how = fz_byte() % 8;

	switch (how) {
	case 0:
		kfree(static_buf);
		break;
	case 1:
		kfree(stack_buf);
		break;
	case 2:				/* inside a live object, or a non-kmalloc one */
		if (!o)
			return;
		if (o->kind == K_KMALLOC || o->kind == K_KV) {
			if (o->size < 16 || (o->kind == K_KV && is_vmalloc_addr(o->p)))
				return;
			kfree(o->p + 8);
		} else if (o->kind == K_CACHE) {
			kfree(o->p + 8);
		} else if (o->kind != K_DMABUF) {
			kfree(o->p);	/* vmalloc, vmap, page-allocator or devm memory */
		} else {
			return;
		}
		break;
	case 3:
		if (!o || o->kind == K_VMALLOC || o->kind == K_VMAP ||
		    (o->kind == K_KV && is_vmalloc_addr(o->p)))
			return;
		vfree(o->p);		/* not a vmalloc address */
		break;
	case 4: {			/* a live object to another cache */
		struct cache *c;

		if (!o || o->kind != K_CACHE)
			return;
		c = cache_pick(fz_byte());
		if (c == &caches[o->cache])
			return;
		/* 6.1's cache_from_obj: warned, then freed into the object's own cache */
		cache_obj_free(o);
		kmem_cache_free(c->s, o->p);
		fz_expect_reports(1, "kmem_cache_free to the wrong cache");
		return;
	}
	case 6:				/* kvfree: neither kmalloc nor vmalloc memory */
		kvfree(fz_byte() & 1 ? static_buf : stack_buf);
		break;
	case 7:				/* vfree of the start of a live object, twice */
		if (!o || o->kind != K_KMALLOC)
			return;
		vfree(o->p);
		fz_expect_reports(1, "vfree of kmalloc memory");
		vfree(o->p);
		break;
	case 5:				/* inside a vmalloc area */
		if (!o || o->kind != K_VMALLOC || o->size <= PAGE_SIZE)
			return;
		vfree(o->p + PAGE_SIZE);
		break;
	}
	fz_expect_reports(1, "a wrong free");
	if (o)
		fz_check_obj(o, true);
}

/* ---- the end of an input: everything back, counters as before ---- */
static char *counters(void)
{
	char *buf = NULL, *line, *save;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	char *slab = NULL;
	size_t slen = 0;
	FILE *s = open_memstream(&slab, &slen);

	ukmem_show("meminfo", f);
	ukmem_show("buddyinfo", f);
	ukmem_show("vmallocinfo", f);
	ukmem_show("slabinfo", s);
	fclose(s);
	/* slabinfo: the caches' names and active objects (slab counts depend on history) */
	for (line = strtok_r(slab, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[64];
		unsigned long active;

		if (sscanf(line, "%63s %lu", name, &active) == 2)
			fprintf(f, "%s %lu\n", name, active);
	}
	free(slab);
	fclose(f);
	return buf;
}

/* Gives back everything ukmem keeps for speed: thread arrays, empty slabs, lazy areas, page
 * lists. */
static void settle(void)
{
	if (M.used_rcu)		/* a grace period costs milliseconds: only when needed */
		rcu_barrier();
	M.used_rcu = false;
	vm_unmap_aliases();	/* lazily freed areas hold their descriptors (kmalloc-64) */
	for (int t = 0; t < NR_KMALLOC_TYPES; t++)
		for (int i = 1; i <= KMALLOC_SHIFT_HIGH; i++)
			if (kmalloc_caches[t][i])
				kmem_cache_shrink(kmalloc_caches[t][i]);
	drain_local_pages(NULL);	/* this thread's page lists back to the buddy lists */
}

static void end_of_input(void)
{
	char *now;

	fz_dev_end_input();
	for (int i = 0; i < MAX_LIVE; i++) {
		struct obj *o = &M.obj[i];

		switch (o->kind) {
		case K_KMALLOC: fz_drop(o, true); kfree(o->p); break;
		case K_VMALLOC: fz_drop(o, true); vfree(o->p); break;
		case K_KV: fz_drop(o, true); kvfree(o->p); break;
		case K_PAGES: fz_drop(o, true); __free_pages(o->page, o->order); break;
		case K_VMAP:
			fz_drop(o, true);
			vunmap(o->p);
			for (unsigned int j = 0; j < o->nr_vpages; j++)
				__free_page(o->vpages[j]);
			break;
		default: break;
		}
	}
	for (int i = 0; i < MAX_CACHES; i++)
		if (caches[i].s)
			op_cache_destroy(&caches[i]);
	fz_expect_reports(0, "freeing everything");
	if (M.live_bytes)
		FAIL("the model still counts %zu live bytes", M.live_bytes);
	settle();
	now = counters();
	if (strcmp(now, M.baseline))
		FAIL("counters differ after everything was freed:\n--- before ---\n%s--- after ---\n%s",
		     M.baseline, now);
	free(now);
}

static void start(void)
{
	const char *env = getenv("UKMEM_CMDLINE");
	char cmd[256];

	/* Reports are counted, not printed (loglevel=0), unless $UKMEM_CMDLINE says otherwise. */
	snprintf(cmd, sizeof(cmd), "%s loglevel=0 %s", FZ_MEM, env ? env : "");
	if (ukmem_init(cmd))
		FAIL("ukmem_init(\"%s\") failed", cmd);
	fz_dev_start();
	/* Warm up what is created once (kmalloc caches' first slabs, thread tables). */
	kfree(kmalloc(8, GFP_KERNEL));
	settle();
	M.used_rcu = true;
	settle();
	M.baseline = counters();
	M.reports = ukmem_report_count();
	M.started = true;
	M.trace = getenv("FUZZ_MM_TRACE");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	if (!M.started)
		start();
	M.in = data;
	M.len = len;
	M.pos = 0;
	fz_dev_begin_input();
	while (M.pos < M.len) {
		unsigned int b = fz_byte(), op = b % 24;

		if (b >= 256 - FZ_DEV_OPS) {	/* the driver half: devres, ioremap, DMA */
			if (M.trace)
				fprintf(stderr, "fuzz_mm: byte %zu: dev op %u\n", M.pos - 1,
					b - (256 - FZ_DEV_OPS));
			fz_dev_op(b - (256 - FZ_DEV_OPS));
			fz_check_all(false);
			continue;
		}
		if (M.trace)
			fprintf(stderr, "fuzz_mm: byte %zu: op %u, %lu bytes free\n", M.pos - 1, op,
				nr_free_pages() * PAGE_SIZE);
		switch (op) {
		case 0: case 1: op_kmalloc(false); break;
		case 2: op_kmalloc(true); break;
		case 3: op_krealloc(); break;
		case 4: case 5: op_kfree(false); break;
		case 6: op_cache_create(); break;
		case 7: case 8: op_cache_alloc(); break;
		case 9: op_cache_free(); break;
		case 10: op_cache_bulk(); break;
		case 11: op_cache_free_bulk(); break;
		case 12: op_cache_shrink_or_destroy(); break;
		case 13: op_vmalloc(); break;
		case 14: op_vfree(fz_byte() % 4 == 0); break;
		case 15: op_vmap(); break;
		case 16: op_vunmap(); break;
		case 17: op_kvmalloc(); break;
		case 18: op_kvrealloc(); break;
		case 19: op_kvfree(); break;
		case 20: op_alloc_pages(); break;
		case 21: op_free_pages(fz_byte() % 4 == 0); break;
		case 22: op_kfree(true); break;
		case 23: op_wrong_free(); break;
		}
		fz_check_all(false);
	}
	end_of_input();
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * The cross-thread workload shared by test_xthread_stress (ukmem, checked) and
 * bench/bench_xthread (ukmem against malloc peers, timed): more threads than CPUs allocate
 * objects of sizes spread over powers of two (8 B .. 32 KiB, plus 1 in 64 large ones of
 * 64 KiB .. 2 MiB), fill each with a cookie of its own, and trade them through a shared
 * exchange array, so most objects are freed by another thread than their allocator.  Each
 * round's threads exit and are created anew; the objects left in the array survive them.
 * Every object is checked at free: its cookie, in every word.
 *
 * The allocator is a struct of four functions: small (kmalloc-like), large (kvmalloc-like)
 * and their frees.  Include after <stdlib.h>, <pthread.h>, <stdint.h>, <string.h>.
 */
#ifndef UKMEM_XTHREAD_H
#define UKMEM_XTHREAD_H
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct xt_alloc {
	void *(*alloc)(size_t size, int zero);
	void (*free)(void *p);
	void *(*alloc_large)(size_t size);
	void (*free_large)(void *p);
};

struct xt_params {
	int threads, rounds, ops, slots;
};

/* Object header: the cookie is also the fill pattern of every following word. */
struct xt_obj {
	uint64_t cookie;
	uint64_t size;			/* bytes, header included; bit 63: large */
};
#define XT_LARGE	(1ULL << 63)

static _Atomic(struct xt_obj *) *xt_slots;
static const struct xt_alloc *xt_a;
static const struct xt_params *xt_p;
static atomic_ulong xt_errors, xt_freed, xt_allocated;

static inline uint64_t xt_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static inline void xt_check_free(struct xt_obj *o)
{
	uint64_t size = o->size & ~XT_LARGE, *w = (uint64_t *)(o + 1);
	uint64_t n = (size - sizeof(*o)) / 8;

	for (uint64_t i = 0; i < n; i++)
		if (w[i] != (o->cookie ^ i)) {
			fprintf(stderr, "xthread: object %p (%llu bytes) word %llu is %#llx, expected %#llx\n",
				(void *)o, (unsigned long long)size, (unsigned long long)i,
				(unsigned long long)w[i], (unsigned long long)(o->cookie ^ i));
			atomic_fetch_add(&xt_errors, 1);
			break;
		}
	o->cookie = ~o->cookie;		/* a second free of the same object shows */
	if (o->size & XT_LARGE)
		xt_a->free_large(o);
	else
		xt_a->free(o);
	atomic_fetch_add_explicit(&xt_freed, 1, memory_order_relaxed);
}

static inline struct xt_obj *xt_new(uint64_t *rng)
{
	uint64_t r = xt_mix(++*rng), size, *w;
	int large = (r & 63) == 0, zero = !large && (r >> 6 & 7) == 0;
	struct xt_obj *o;

	/* 8 B .. 32 KiB, or 64 KiB .. 2 MiB; not only exact powers of two */
	size = 1ULL << (large ? 16 + (r >> 9) % 6 : 3 + (r >> 9) % 13);
	size -= ((r >> 20) % (size / 4 + 1)) & ~7ULL;
	if (size < sizeof(*o))
		size = sizeof(*o);
	o = large ? xt_a->alloc_large(size) : xt_a->alloc(size, zero);
	if (!o) {
		atomic_fetch_add(&xt_errors, 1);
		fprintf(stderr, "xthread: allocating %llu bytes failed\n", (unsigned long long)size);
		return NULL;
	}
	if (zero)
		for (uint64_t i = 0; i < size / 8; i++)
			if (((uint64_t *)o)[i]) {
				fprintf(stderr, "xthread: zeroed object %p has word %llu set\n",
					(void *)o, (unsigned long long)i);
				atomic_fetch_add(&xt_errors, 1);
				break;
			}
	o->cookie = xt_mix(r ^ (uint64_t)(uintptr_t)o);
	o->size = size | (large ? XT_LARGE : 0);
	w = (uint64_t *)(o + 1);
	for (uint64_t i = 0; i < (size - sizeof(*o)) / 8; i++)
		w[i] = o->cookie ^ i;
	atomic_fetch_add_explicit(&xt_allocated, 1, memory_order_relaxed);
	return o;
}

static void *xt_worker(void *arg)
{
	uint64_t rng = (uint64_t)(uintptr_t)arg * 0x100000001b3ULL;

	for (int i = 0; i < xt_p->ops; i++) {
		struct xt_obj *o = xt_new(&rng), *old;
		unsigned int slot = (unsigned int)(xt_mix(rng ^ 0x5a5a) % (uint64_t)xt_p->slots);

		if (!o)
			break;
		old = atomic_exchange(&xt_slots[slot], o);	/* take someone's object */
		if (old)
			xt_check_free(old);
	}
	return NULL;
}

/* Runs the workload; returns the number of errors found (0: every object intact). */
static inline unsigned long xt_run(const struct xt_alloc *a, const struct xt_params *p)
{
	pthread_t *t = calloc(p->threads, sizeof(*t));

	xt_a = a;
	xt_p = p;
	xt_slots = calloc(p->slots, sizeof(*xt_slots));
	for (int round = 0; round < p->rounds; round++) {
		for (int i = 0; i < p->threads; i++)
			if (pthread_create(&t[i], NULL, xt_worker,
					   (void *)(uintptr_t)(round * p->threads + i + 1)))
				atomic_fetch_add(&xt_errors, 1);
		for (int i = 0; i < p->threads; i++)
			pthread_join(t[i], NULL);
	}
	for (int i = 0; i < p->slots; i++) {		/* what the last round left */
		struct xt_obj *o = atomic_exchange(&xt_slots[i], NULL);

		if (o)
			xt_check_free(o);
	}
	free(xt_slots);
	free(t);
	if (atomic_load(&xt_allocated) != atomic_load(&xt_freed)) {
		fprintf(stderr, "xthread: %lu allocated, %lu freed\n", atomic_load(&xt_allocated),
			atomic_load(&xt_freed));
		atomic_fetch_add(&xt_errors, 1);
	}
	return atomic_load(&xt_errors);
}
#endif

/* SPDX-License-Identifier: MIT */
/*
 * KFENCE's count with the per-thread arrays at work: with kfence.sample_interval=N, a
 * thread's first allocation and then every N-th one (from caches of objects up to a page)
 * are KFENCE objects, and no other allocation is, whatever the mix: kmalloc of several
 * sizes, kzalloc, two object caches, kmem_cache_alloc_bulk (each object counts), frees
 * interleaved with the allocations (kfree, kmem_cache_free, kmem_cache_free_bulk, bursts
 * that overflow the arrays), hot kmalloc/kfree pairs, and objects handed to the other
 * thread, which frees them.  Two threads run at once; each keeps its own count.  A kmalloc
 * of 8 KiB counts but is never sampled (its cache's objects are larger than a page).
 * A KFENCE object is told by its page, which is not a slab page.  Run for N = 2, 13 and
 * 1000, each in a child of its own (ukmem.annotate=0: under a sanitizer too, the caches
 * keep their arrays).
 */
#include <pthread.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

#define HELD		600
#define BULK_MAX	20

enum kind { K_KMALLOC, K_A, K_B };

struct held { void *p; enum kind kind; };

static struct kmem_cache *cache_a, *cache_b;
static unsigned long interval;

/* objects passed between the two threads */
static pthread_mutex_t box_lock = PTHREAD_MUTEX_INITIALIZER;
static struct held box[64];
static int box_n;

struct worker {
	pthread_t tid;
	unsigned long seed, rounds;
	int limit;		/* objects held at most: about 40 KFENCE objects (the pool has 255) */
	long allocs, samples, wrong, first_wrong;
	bool first_sampled;
	struct held held[HELD];
	int n;
};

static bool is_kfence(const void *p)
{
	return !PageSlab(virt_to_page(p));
}

static unsigned long rnd(struct worker *w)
{
	w->seed ^= w->seed << 13;
	w->seed ^= w->seed >> 7;
	w->seed ^= w->seed << 17;
	return w->seed;
}

/* The allocation just made: a KFENCE object exactly when its index is a multiple of the
 * interval (index 0: the thread's first allocation) and it could be one. */
static void check(struct worker *w, void *p, bool eligible)
{
	bool want = eligible && w->allocs % interval == 0, got;

	KT_ASSERT(p);
	got = is_kfence(p);
	if (got != want && !w->wrong++)
		w->first_wrong = w->allocs;
	w->samples += got;
	w->allocs++;
}

static void hold(struct worker *w, void *p, enum kind kind)
{
	w->held[w->n++] = (struct held){ p, kind };
}

static void release(struct held h)
{
	if (h.kind == K_KMALLOC)
		kfree(h.p);
	else
		kmem_cache_free(h.kind == K_A ? cache_a : cache_b, h.p);
}

static void free_one(struct worker *w, int i)
{
	release(w->held[i]);
	w->held[i] = w->held[--w->n];
}

/* The cache_a objects among the last ones held, freed with one kmem_cache_free_bulk. */
static void free_bulk(struct worker *w)
{
	void *p[BULK_MAX];
	int n = 0;

	for (int i = w->n - 1; i >= 0 && n < BULK_MAX; i--)
		if (w->held[i].kind == K_A) {
			p[n++] = w->held[i].p;
			w->held[i] = w->held[--w->n];
		}
	kmem_cache_free_bulk(cache_a, n, p);
}

/* One held object to the box; whatever the other thread left there, freed here. */
static void swap_with_other(struct worker *w)
{
	struct held mine = w->held[--w->n], theirs = { NULL, K_KMALLOC };

	pthread_mutex_lock(&box_lock);
	if (box_n && box[box_n - 1].p)
		theirs = box[--box_n];
	if (box_n < (int)ARRAY_SIZE(box))
		box[box_n++] = mine;
	else
		theirs = mine;
	pthread_mutex_unlock(&box_lock);
	if (theirs.p)
		release(theirs);
}

static void step(struct worker *w)
{
	static const size_t sizes[] = { 8, 64, 100, 200, 1000, 4096 };
	unsigned long r = rnd(w);
	void *p;

	if (w->n > w->limit - BULK_MAX - 2) {		/* a burst of frees */
		while (w->n > w->limit / 4)
			free_one(w, (int)(rnd(w) % w->n));
		return;
	}
	switch (r % 16) {
	case 0 ... 4:
		p = kmalloc(sizes[(r >> 8) % ARRAY_SIZE(sizes)], GFP_KERNEL);
		check(w, p, true);
		hold(w, p, K_KMALLOC);
		break;
	case 5 ... 6:
		p = kmem_cache_alloc(cache_a, GFP_KERNEL);
		check(w, p, true);
		hold(w, p, K_A);
		break;
	case 7:
		p = (r >> 8) % 8 ? kmem_cache_alloc(cache_b, GFP_KERNEL) :
				   kmem_cache_zalloc(cache_b, GFP_KERNEL);
		check(w, p, true);
		hold(w, p, K_B);
		break;
	case 8:
		p = (r >> 8) % 8 ? kzalloc(64, GFP_KERNEL) : kmalloc(8192, GFP_KERNEL);
		check(w, p, ksize(p) <= PAGE_SIZE);
		hold(w, p, K_KMALLOC);
		break;
	case 9: {
		void *objs[BULK_MAX];
		int k = 1 + (int)((r >> 8) % BULK_MAX);

		KT_EQ(kmem_cache_alloc_bulk(cache_a, GFP_KERNEL, k, objs), k);
		for (int i = 0; i < k; i++) {		/* allocated in this order */
			check(w, objs[i], true);
			hold(w, objs[i], K_A);
		}
		break;
	}
	case 10 ... 12:
		if (w->n)
			free_one(w, (int)((r >> 8) % w->n));
		break;
	case 13:
		free_bulk(w);
		break;
	case 14:
		if (w->n)
			swap_with_other(w);
		break;
	case 15:
		for (int i = 0; i < 50; i++) {		/* hot pairs */
			p = kmalloc(64, GFP_KERNEL);
			check(w, p, true);
			kfree(p);
		}
		break;
	}
}

static void *work(void *arg)
{
	struct worker *w = arg;
	void *p = kmalloc(64, GFP_KERNEL);	/* this thread's first allocation */

	w->first_sampled = is_kfence(p);
	kfree(p);
	w->allocs = 1;
	while ((unsigned long)w->allocs < w->rounds)
		step(w);
	while (w->n)
		free_one(w, w->n - 1);
	return NULL;
}

static long kfence_allocations(void)
{
	char *out = kt_show("kfence"), *l = strstr(out, "total allocations: ");
	long v = l ? strtol(l + strlen("total allocations: "), NULL, 10) : -1;

	free(out);
	return v;
}

static void run(void *arg)
{
	const char *cmdline = arg;
	struct worker *w = calloc(2, sizeof(*w));
	long before, samples = 0;

	KT_EQ(ukmem_init(cmdline), 0);
	interval = strtoul(strstr(cmdline, "interval=") + strlen("interval="), NULL, 10);
	cache_a = kmem_cache_create("kfc_a", 48, 0, 0, NULL);
	cache_b = kmem_cache_create("kfc_b", 300, 0, SLAB_HWCACHE_ALIGN, NULL);
	KT_ASSERT(w && cache_a && cache_b);
	before = kfence_allocations();
	for (int i = 0; i < 2; i++) {
		w[i].seed = 0x9e3779b97f4a7c15UL * (i + 1);
		w[i].limit = interval * 40 < HELD ? (int)interval * 40 : HELD;
		w[i].rounds = interval * 300 > 30000 ? interval * 300 : 30000;
		KT_EQ(pthread_create(&w[i].tid, NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < 2; i++) {
		KT_EQ(pthread_join(w[i].tid, NULL), 0);
		fprintf(stderr, "thread %d: %ld allocations, %ld KFENCE objects, %ld wrong (first at %ld)\n",
			i, w[i].allocs, w[i].samples, w[i].wrong, w[i].wrong ? w[i].first_wrong : -1L);
		KT_ASSERT(w[i].first_sampled);
		KT_EQ(w[i].wrong, 0);
		/* about one in 9 allocations is an 8 KiB kmalloc's or a zeroed one's (sampled
		 * when it is a kzalloc): most multiples of the interval are KFENCE objects */
		KT_ASSERT(w[i].samples >= (long)(w[i].allocs / interval) * 9 / 10);
		samples += w[i].samples + w[i].first_sampled;
	}
	for (int i = 0; i < box_n; i++)
		release(box[i]);
	KT_EQ(kfence_allocations() - before, samples);
	kmem_cache_destroy(cache_a);
	kmem_cache_destroy(cache_b);
	free(w);
	KT_EQ(ukmem_exit(), 0);
}

int main(void)
{
	static const char *const cmdlines[] = {
		"ukmem.annotate=0 kfence.sample_interval=2", "ukmem.annotate=0 kfence.sample_interval=13",
		"ukmem.annotate=0 kfence.sample_interval=1000",
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(cmdlines); i++)
		free(kt_child_output(run, (void *)cmdlines[i]));
	printf("test_kfence_count: ok\n");
	return 0;
}

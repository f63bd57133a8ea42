/* SPDX-License-Identifier: MIT */
/*
 * Multi-thread stress: producer threads allocate (kmalloc of many sizes, a constructed
 * cache, bulk), write a pattern and hand the objects to consumer threads, which check the
 * pattern and free them.  Threads come and go in waves, so objects outlive the threads that
 * allocated them and threads exit with objects in their per-thread arrays.  At the end every
 * count in slabinfo is back where it started: nothing leaked, nothing was lost or handed out
 * twice.  Runs under ThreadSanitizer in CI.
 */
#include <pthread.h>
#include <stdint.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

#define WAVES		6
#define PRODUCERS	3
#define CONSUMERS	3
#define PER_PRODUCER	20000
#define QCAP		4096

struct item {
	void *p;
	size_t size;
	uint32_t seed;
	bool cached;		/* from the "stress" cache */
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t nonempty, nonfull;
	struct item q[QCAP];
	unsigned head, tail;
	int producers_left;
	unsigned long checked;
} queue = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER };

static struct kmem_cache *cache;

struct sobj {
	uint32_t ctor_mark;
	uint32_t seed;
	unsigned char body[88];
};

static void sobj_ctor(void *p)
{
	((struct sobj *)p)->ctor_mark = 0xc7c7c7c7;
}

static void push(struct item it)
{
	pthread_mutex_lock(&queue.lock);
	while (queue.tail - queue.head == QCAP)
		pthread_cond_wait(&queue.nonfull, &queue.lock);
	queue.q[queue.tail++ % QCAP] = it;
	pthread_cond_signal(&queue.nonempty);
	pthread_mutex_unlock(&queue.lock);
}

/* false when every producer of the wave is done and the queue is empty */
static bool pop(struct item *it)
{
	pthread_mutex_lock(&queue.lock);
	while (queue.tail == queue.head && queue.producers_left)
		pthread_cond_wait(&queue.nonempty, &queue.lock);
	if (queue.tail == queue.head) {
		pthread_mutex_unlock(&queue.lock);
		return false;
	}
	*it = queue.q[queue.head++ % QCAP];
	pthread_cond_signal(&queue.nonfull);
	pthread_mutex_unlock(&queue.lock);
	return true;
}

static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void pattern(unsigned char *p, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7);
}

static void check(const unsigned char *p, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i * 7))
			KT_FAIL("object %p byte %zu: found %#x, expected %#x", (void *)p, i, p[i],
				(unsigned char)(seed + i * 7));
}

static void *producer(void *arg)
{
	uint32_t s = (uint32_t)(uintptr_t)arg * 2654435761u + 1;
	void *keep[8];
	int nkeep = 0;

	for (int i = 0; i < PER_PRODUCER; i++) {
		uint32_t r = rnd(&s);
		struct item it = { .seed = r };

		if (r % 7 == 0) {
			struct sobj *o = kmem_cache_alloc(cache, GFP_KERNEL);

			KT_ASSERT(o);
			KT_EQ(o->ctor_mark, 0xc7c7c7c7);
			o->seed = r;
			pattern(o->body, sizeof(o->body), r);
			it.p = o;
			it.cached = true;
		} else if (r % 97 == 0) {
			void *b[8];

			KT_EQ(kmem_cache_alloc_bulk(cache, GFP_KERNEL, 8, b), 8);
			kmem_cache_free_bulk(cache, 8, b);
			continue;
		} else {
			it.size = r % 500 == 0 ? 9000 + r % 30000 : 1 + r % (r & 1 ? 128 : 2048);
			it.p = r & 2 ? kmalloc(it.size, GFP_KERNEL) : kzalloc(it.size, GFP_KERNEL);
			KT_ASSERT(it.p);
			pattern(it.p, it.size, r);
		}
		/* Sometimes free locally first, to mix local and remote frees. */
		if (r % 5 == 0 && !it.cached) {
			if (nkeep == 8) {
				while (nkeep)
					kfree(keep[--nkeep]);
			}
			keep[nkeep++] = it.p;
			continue;
		}
		push(it);
	}
	while (nkeep)
		kfree(keep[--nkeep]);
	pthread_mutex_lock(&queue.lock);
	queue.producers_left--;
	pthread_cond_broadcast(&queue.nonempty);
	pthread_mutex_unlock(&queue.lock);
	return NULL;		/* exits with objects in its arrays and others in flight */
}

static void *consumer(void *arg)
{
	struct item it;
	unsigned long n = 0;

	while (pop(&it)) {
		if (it.cached) {
			struct sobj *o = it.p;

			KT_EQ(o->ctor_mark, 0xc7c7c7c7);
			KT_EQ(o->seed, it.seed);
			check(o->body, sizeof(o->body), it.seed);
			kmem_cache_free(cache, o);
		} else {
			KT_ASSERT(ksize(it.p) >= it.size);
			check(it.p, it.size, it.seed);
			kfree(it.p);
		}
		n++;
	}
	pthread_mutex_lock(&queue.lock);
	queue.checked += n;
	pthread_mutex_unlock(&queue.lock);
	return NULL;
}

static long total_active(void)
{
	char *buf = NULL, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	long sum = 0;

	ukmem_show("slabinfo", f);
	fclose(f);
	for (char *ln = strtok_r(buf, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
		char name[64];
		long a;

		if (ln[0] != '#' && sscanf(ln, "%63s %ld", name, &a) == 2)
			sum += a;
	}
	free(buf);
	return sum;
}

int main(void)
{
	long before;

	KT_EQ(ukmem_init(getenv("UKMEM_CMDLINE") ? getenv("UKMEM_CMDLINE") : ""), 0);	/* ukmem.annotate=0 under ASan */
	cache = kmem_cache_create("stress", sizeof(struct sobj), 0, SLAB_HWCACHE_ALIGN, sobj_ctor);
	before = total_active();
	for (int wave = 0; wave < WAVES; wave++) {
		pthread_t p[PRODUCERS], c[CONSUMERS];

		queue.producers_left = PRODUCERS;
		for (int i = 0; i < PRODUCERS; i++)
			pthread_create(&p[i], NULL, producer, (void *)(uintptr_t)(wave * PRODUCERS + i + 1));
		for (int i = 0; i < CONSUMERS; i++)
			pthread_create(&c[i], NULL, consumer, NULL);
		for (int i = 0; i < PRODUCERS; i++)
			pthread_join(p[i], NULL);
		for (int i = 0; i < CONSUMERS; i++)
			pthread_join(c[i], NULL);
	}
	KT_ASSERT(queue.checked > WAVES * PRODUCERS * PER_PRODUCER / 2);
	KT_EQ(total_active(), before);		/* every object came back */
	kmem_cache_shrink(cache);
	kmem_cache_destroy(cache);
	KT_EQ(ukmem_report_count(), 0);
	printf("test_stress: ok (%lu objects handed over)\n", queue.checked);
	return 0;
}

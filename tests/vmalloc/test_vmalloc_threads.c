/* SPDX-License-Identifier: MIT */
/*
 * Two threads vmalloc and vfree areas of random sizes at the same time, each filling its
 * areas with a pattern of its own and checking it (and the direct-map alias) before the
 * free: no area is ever handed out twice or loses content.  Afterwards vmallocinfo lists no
 * area of theirs.
 */
#include <pthread.h>
#include "vmtest.h"

#define ROUNDS	3000
#define LIVE	24

struct worker {
	unsigned int seed;
	int errors;
};

static unsigned int next_rand(unsigned int *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void *worker(void *arg)
{
	struct worker *w = arg;
	char *area[LIVE] = { 0 };
	size_t size[LIVE] = { 0 };
	uint64_t tag[LIVE] = { 0 };

	for (int r = 0; r < ROUNDS; r++) {
		int i = next_rand(&w->seed) % LIVE;

		if (area[i]) {
			struct page *pg = vmalloc_to_page(area[i] + size[i] - 1);

			if (!vt_check(area[i], size[i], tag[i]) || !pg ||
			    *(char *)((char *)page_address(pg) + offset_in_page(area[i] + size[i] - 1)) !=
			    area[i][size[i] - 1])
				w->errors++;
			vfree(area[i]);
		}
		size[i] = ((next_rand(&w->seed) % 24) + 1) * PAGE_SIZE - (next_rand(&w->seed) % 64) * 8;
		tag[i] = ((uint64_t)w->seed << 32) | (unsigned int)r;
		area[i] = r % 5 ? vmalloc(size[i]) : vzalloc(size[i]);
		if (!area[i]) {
			w->errors++;
			continue;
		}
		vt_fill(area[i], size[i], tag[i]);
	}
	for (int i = 0; i < LIVE; i++) {
		if (area[i] && !vt_check(area[i], size[i], tag[i]))
			w->errors++;
		vfree(area[i]);
	}
	return NULL;
}

int main(void)
{
	struct worker w[2] = { { .seed = 12345 }, { .seed = 67890 } };
	pthread_t t[2];
	char *text;

	KT_EQ(ukmem_init(""), 0);
	for (int i = 0; i < 2; i++)
		KT_EQ(pthread_create(&t[i], NULL, worker, &w[i]), 0);
	for (int i = 0; i < 2; i++)
		KT_EQ(pthread_join(t[i], NULL), 0);
	KT_EQ(w[0].errors, 0);
	KT_EQ(w[1].errors, 0);
	text = vt_show("vmallocinfo");
	KT_NOT_CONTAINS(text, " vmalloc");
	free(text);
	vm_unmap_aliases();
	text = vt_show("vmallocinfo");
	KT_EQ(strlen(text), 0);
	free(text);
	KT_EQ(ukmem_exit(), 0);
	printf("test_vmalloc_threads: ok\n");
	return 0;
}

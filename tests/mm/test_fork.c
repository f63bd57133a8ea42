/* SPDX-License-Identifier: MIT */
/*
 * fork(): the child gets its own copy of RAM.  It sees what the parent wrote before the
 * fork, but what it writes (into the parent's pages or into pages it allocates, which may be
 * the very frames the parent will hand out next) never reaches the parent; its allocations
 * do not use up the parent's memory; and the parent's allocator is intact after the child
 * exits.  Forking while another thread is busy in the allocator does not deadlock the child.
 */
#include <pthread.h>
#include "mm/pages.h"

static struct pt_snapshot start;
static char *shared_page, *cached_page;

static void child_writes(void *arg)
{
	struct page *pages[64];
	char *again;

	alarm(20);
	KT_ASSERT(!strcmp(shared_page, "written by the parent"));
	strcpy(shared_page, "written by the child");
	/* The first page this thread's cache hands out is the one the parent just freed. */
	again = (char *)__get_free_page(GFP_KERNEL);
	KT_ASSERT(again == cached_page);
	strcpy(again, "the child's page");
	for (int i = 0; i < 64; i++) {
		pages[i] = alloc_pages(GFP_KERNEL, i % 5);
		memset(page_address(pages[i]), 0xcc, PAGE_SIZE << (i % 5));
	}
	for (int i = 0; i < 64; i++)
		__free_pages(pages[i], i % 5);
	free_page((unsigned long)again);
	free_page((unsigned long)shared_page);
	PT_EXPECT_SAME(start);		/* the child's own allocator is consistent too */
	exit(ukmem_report_count() ? 3 : 0);
}

static void child_has_own_ram(void)
{
	char *out;
	int status;

	shared_page = (char *)__get_free_page(GFP_KERNEL);
	strcpy(shared_page, "written by the parent");
	cached_page = (char *)__get_free_page(GFP_KERNEL);
	strcpy(cached_page, "the parent's freed page");
	free_page((unsigned long)cached_page);
	status = kt_run_child(child_writes, NULL, &out);
	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 0);
	free(out);
	KT_ASSERT(!strcmp(shared_page, "written by the parent"));
	KT_ASSERT(!strcmp(cached_page, "the parent's freed page"));
	/* The parent still owns its page and hands out the cached one as before. */
	KT_ASSERT((char *)__get_free_page(GFP_KERNEL) == cached_page);
	free_page((unsigned long)cached_page);
	free_page((unsigned long)shared_page);
	PT_EXPECT_SAME(start);
}

/* Fork while another thread allocates and frees as fast as it can. */
static volatile int stop;

static void *busy(void *arg)
{
	while (!stop) {
		struct page *a = alloc_page(GFP_KERNEL), *b = alloc_pages(GFP_KERNEL, 2);

		memset(page_address(b), 1, 4 * PAGE_SIZE);
		__free_pages(b, 2);
		__free_page(a);
	}
	return NULL;
}

static void child_allocates(void *arg)
{
	alarm(20);
	for (int i = 0; i < 200; i++) {
		struct page *page = alloc_pages(GFP_KERNEL, i % 3);

		KT_ASSERT(page);
		memset(page_address(page), 2, PAGE_SIZE << (i % 3));
		__free_pages(page, i % 3);
	}
	exit(0);
}

static void fork_under_load(void)
{
	pthread_t t;

	KT_EQ(pthread_create(&t, NULL, busy, NULL), 0);
	for (int i = 0; i < 20; i++) {
		char *out;
		int status = kt_run_child(child_allocates, NULL, &out);

		KT_ASSERT(WIFEXITED(status));	/* not killed by the alarm: no deadlock */
		KT_EQ(WEXITSTATUS(status), 0);
		free(out);
	}
	stop = 1;
	pthread_join(t, NULL);
	PT_EXPECT_SAME(start);
}

int main(void)
{
	KT_EQ(ukmem_init("mem=64M"), 0);
	start = pt_snap();
	child_has_own_ram();
	fork_under_load();
	KT_EQ(ukmem_exit(), 0);
	return 0;
}

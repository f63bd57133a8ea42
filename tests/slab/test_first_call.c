/* SPDX-License-Identifier: MIT */
/*
 * Regression: a kmalloc-family call with a size known only at run time, as a process's very
 * first ukmem call (alone, and from eight threads at once), starts ukmem and succeeds.  Each
 * case runs in a fresh forked child, before anything in this program has touched ukmem.
 */
#include <pthread.h>
#include <ukmem.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include "ktest.h"

static volatile size_t runtime_size = 40;	/* volatile: the compiler cannot fold it */

static void first_kmalloc(void *arg)
{
	char *p = kmalloc(runtime_size, GFP_KERNEL);

	if (!p)
		_exit(3);
	memset(p, 0x5a, runtime_size);
	kfree(p);
}

static void first_kvmalloc(void *arg)
{
	void *p = kvmalloc(runtime_size * 1000, GFP_KERNEL);

	if (!p)
		_exit(3);
	kvfree(p);
}

static void first_kvcalloc(void *arg)
{
	void *p = kvcalloc(runtime_size, 8, GFP_KERNEL);

	if (!p)
		_exit(3);
	kvfree(p);
}

static void first_krealloc(void *arg)
{
	void *p = krealloc(NULL, runtime_size, GFP_KERNEL);

	if (!p)
		_exit(3);
	kfree(p);
}

static void first_kstrdup(void *arg)
{
	char *p = kstrdup("first call", GFP_KERNEL);

	if (!p || strcmp(p, "first call"))
		_exit(3);
	kfree(p);
}

/* The resource tree is filled at start-up (RAM is busy): a request inside RAM as the first call
 * must find it there and fail, not take the range and make start-up fail. */
static void first_request_mem_region(void *arg)
{
	if (request_mem_region(1UL << 20, PAGE_SIZE, "first"))
		_exit(3);
	if (!kmalloc(runtime_size, GFP_KERNEL))
		_exit(4);
}

/* A physical address known without asking ukmem (RAM at 1 MiB): its conversions as the
 * first call start ukmem and give the real page, not an offset from an empty map. */
static void first_pfn_to_page(void *arg)
{
	unsigned long pfn = PHYS_PFN(1UL << 20);
	struct page *page = pfn_to_page(pfn);

	if (!pfn_valid(pfn) || page_to_pfn(page) != pfn || page != virt_to_page(phys_to_virt(1UL << 20)))
		_exit(3);
	if (!virt_addr_valid(phys_to_virt(1UL << 20)) || page_to_phys(page) != 1UL << 20)
		_exit(4);
}

static void first_pfn_valid(void *arg)
{
	if (!pfn_valid(PHYS_PFN(1UL << 20)))
		_exit(3);
}

static void *thread_kmalloc(void *arg)
{
	for (size_t i = 1; i < 200; i++) {
		void *p = kmalloc(runtime_size + i, GFP_KERNEL);

		if (!p)
			return (void *)1;
		kfree(p);
	}
	return NULL;
}

static void first_kmalloc_8_threads(void *arg)
{
	pthread_t t[8];
	void *ret;

	for (int i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, thread_kmalloc, NULL);
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], &ret);
		if (ret)
			_exit(3);
	}
}

static void check(const char *name, void (*fn)(void *))
{
	char *out;
	int status = kt_run_child(fn, NULL, &out);

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		KT_FAIL("%s as the first call: wait status 0x%x", name, status);
	KT_NOT_CONTAINS(out, "BUG");
	free(out);
}

int main(void)
{
	check("kmalloc(n)", first_kmalloc);
	check("kvmalloc(n)", first_kvmalloc);
	check("kvcalloc(n, 8)", first_kvcalloc);
	check("krealloc(NULL, n)", first_krealloc);
	check("kstrdup", first_kstrdup);
	check("kmalloc(n) from 8 threads", first_kmalloc_8_threads);
	check("request_mem_region in RAM", first_request_mem_region);
	check("pfn_to_page of RAM", first_pfn_to_page);
	check("pfn_valid of RAM", first_pfn_valid);
	printf("test_first_call: ok\n");
	return 0;
}

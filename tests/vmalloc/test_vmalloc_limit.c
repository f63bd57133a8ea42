/* SPDX-License-Identifier: MIT */
/*
 * The host's mapping limit (vm.max_map_count): one-page vmalloc areas are allocated until
 * vmalloc returns NULL.  With host guard regions (Linux 6.15+) an area costs one host mapping
 * and at least 60,000 areas fit under the default limit of 65,530; with
 * ukmem.vmalloc_guard_regions=0 (how older hosts run) it costs two.  Checked: the count, the
 * kernel's vmalloc error message naming the limit, guard pages and use-after-free faults at
 * the limit and after mass frees, and that every page and every host mapping comes back.
 * At the limit every mmap in the process fails, the sanitizers' own too, and they map memory
 * while the mappings are counted: under a sanitizer the test is skipped.
 */
#include <malloc.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/vmalloc.h>
#include "vmtest.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer) || \
	__has_feature(thread_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif
#ifndef UNDER_SANITIZER
#define UNDER_SANITIZER 0
#endif

#define MAX_AREAS	200000

static char **areas;

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

static long count_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	long n = 0;
	int c;

	KT_ASSERT(f);
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* Does the host have guard regions for shared file mappings (what ukmem probes)? */
static bool host_guard_regions(void)
{
	int fd = memfd_create("probe", 0);
	char *p;
	bool ok;

	KT_ASSERT(fd >= 0 && ftruncate(fd, 2 * PAGE_SIZE) == 0);
	p = mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	KT_ASSERT(p != MAP_FAILED);
	ok = madvise(p + PAGE_SIZE, PAGE_SIZE, 102 /* MADV_GUARD_INSTALL */) == 0;
	munmap(p, 2 * PAGE_SIZE);
	close(fd);
	return ok;
}

static noinline void write_past(void *arg)
{
	char *volatile p = arg;

	p[PAGE_SIZE] = 1;		/* the guard page */
	_exit(0);
}

static noinline void write_freed(void *arg)
{
	char *volatile p = arg;

	p[8] = 1;
	_exit(0);
}

static void expect_fault(void (*fn)(void *), void *p, const char *what)
{
	char *out;
	int status = kt_run_child(fn, p, &out);

	KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	KT_CONTAINS(out, "BUG: unable to handle page fault for address");
	KT_CONTAINS(out, what);
	free(out);
}

/* Host mappings per area, over 1,000 fresh one-page areas (tenths). */
static long maps_per_area_x10(void)
{
	long before, after;
	char *p[1000];

	vm_unmap_aliases();
	before = count_maps();
	for (int i = 0; i < 1000; i++) {
		p[i] = vmalloc(PAGE_SIZE);
		KT_ASSERT(p[i]);
		p[i][0] = 1;
	}
	after = count_maps();
	for (int i = 0; i < 1000; i++)
		vfree(p[i]);
	vm_unmap_aliases();
	KT_ASSERT(count_maps() <= before + 2);
	return (after - before + 50) / 100;
}

/* The areas' descriptors are kmalloc objects: the slabs of freed ones go back too. */
static void shrink_descriptors(void)
{
	kmem_cache_shrink(kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(sizeof(struct vm_struct))]);
}

int main(void)
{
	const char *cmdline = getenv("UKMEM_CMDLINE");
	bool regions = !(cmdline && strstr(cmdline, "vmalloc_guard_regions=0")) &&
		       host_guard_regions();
	long max_maps = read_long("/proc/sys/vm/max_map_count"), per_area, n = 0, maps_before;
	unsigned long free_before;
	char *out, *freed;

	if (UNDER_SANITIZER) {		/* the sanitizers map memory of their own meanwhile */
		printf("test_vmalloc_limit: skipped under a sanitizer\n");
		return 77;		/* ctest's SKIP_RETURN_CODE: reported as skipped, not passed */
	}
	per_area = maps_per_area_x10();
	printf("host mappings per one-page area: %ld.%ld (guard regions %s)\n", per_area / 10,
	       per_area % 10, regions ? "on" : "off");
	/* 1 or 2 host mappings per area; a tenth either way for mappings the host merges or
	 * splits meanwhile (a lazily purged area, a neighbour's guard) */
	KT_ASSERT(per_area >= (regions ? 9 : 19) && per_area <= (regions ? 11 : 21));
	if (max_maps <= 0 || max_maps > 150000) {
		printf("limit part skipped (vm.max_map_count %ld)\n", max_maps);
		printf("test_vmalloc_limit: ok\n");
		return 0;
	}

	/* At the limit malloc must not need a new host mapping (the captured report). */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	areas = calloc(MAX_AREAS, sizeof(*areas));
	KT_ASSERT(areas);
	vm_unmap_aliases();
	shrink_descriptors();
	drain_local_pages(NULL);
	free_before = nr_free_pages();
	maps_before = count_maps();

	/* Until NULL: the kernel's message, and the limit named. */
	while (n < MAX_AREAS && (areas[n] = __vmalloc(PAGE_SIZE, GFP_KERNEL | __GFP_NOWARN)))
		areas[n++][PAGE_SIZE - 1] = 1;
	{
		/* Captured into a static buffer: at the limit nothing may need a new mapping. */
		static char report[1 << 16];
		int fd = memfd_create("report", 0), saved = dup(2);
		ssize_t len;

		fflush(stderr);
		dup2(fd, 2);
		/* The first NULL may have changed the map (fallback: a split reservation). */
		while (n < MAX_AREAS && (areas[n] = vmalloc(PAGE_SIZE)))
			areas[n++][PAGE_SIZE - 1] = 1;
		fflush(stderr);
		dup2(saved, 2);
		close(saved);
		len = pread(fd, report, sizeof(report) - 1, 0);
		close(fd);
		KT_ASSERT(len > 0);
		report[len] = 0;
		fputs(report, stderr);
		KT_CONTAINS(report, "vmalloc error: size 4096, failed to map pages");
		KT_CONTAINS(report, "vm.max_map_count");
		KT_NOT_CONTAINS(report, "Call Trace:");	/* see vm_vwarn() */
	}
	printf("live one-page areas at the limit: %ld (vm.max_map_count %ld)\n", n, max_maps);
	KT_ASSERT(n < MAX_AREAS);
	KT_ASSERT(n >= (regions ? 60000 : (max_maps - 1000) / 2));
	KT_EQ(vmalloc_nr_pages(), n);

	/* Guard pages of areas made at the limit (the last one kept); some frees first, so
	 * that the forked child (its copy of RAM, the report's symbolizer) finds mappings. */
	for (long i = 0; i < 2000; i++)
		vfree(areas[i]);
	vm_unmap_aliases();
	freed = areas[1999];	/* purged last: in the history of purged areas */
	n -= 2000;
	memmove(areas, areas + 2000, n * sizeof(*areas));
	expect_fault(write_past, areas[n - 1], "in the guard page of a vmalloc area");
	expect_fault(write_past, areas[0], "in the guard page of a vmalloc area");
	expect_fault(write_freed, freed, "that was freed");

	/* Mass frees: every other area, then new areas in the holes keep their guards. */
	for (long i = 0; i < n; i += 2) {
		vfree(areas[i]);
		freed = areas[i];
		areas[i] = NULL;
	}
	expect_fault(write_freed, freed, "that was freed");
	vm_unmap_aliases();
	for (long i = 0; i < 1000; i++) {
		areas[2 * i] = vmalloc(PAGE_SIZE);
		KT_ASSERT(areas[2 * i]);
		memset(areas[2 * i], 0x5a, PAGE_SIZE);
	}
	expect_fault(write_past, areas[0], "in the guard page of a vmalloc area");
	expect_fault(write_past, areas[998], "in the guard page of a vmalloc area");
	KT_EQ(areas[1][PAGE_SIZE - 1], 1);	/* the neighbours are intact */

	/* Everything back: pages, and host mappings. */
	for (long i = 0; i < n; i++)
		vfree(areas[i]);
	vm_unmap_aliases();
	shrink_descriptors();
	drain_local_pages(NULL);
	KT_EQ(vmalloc_nr_pages(), 0);
	KT_EQ(nr_free_pages(), free_before);
	KT_ASSERT(count_maps() <= maps_before + 2);
	out = vt_show("vmallocinfo");
	KT_NOT_CONTAINS(out, " vmalloc");
	free(out);
	free(areas);
	printf("test_vmalloc_limit: ok\n");
	return 0;
}

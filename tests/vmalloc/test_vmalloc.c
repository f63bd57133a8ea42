/* SPDX-License-Identifier: MIT */
/*
 * vmalloc semantics: aliasing through the direct map, vzalloc content, vmalloc_to_page/pfn,
 * sizes and vmalloc(0), vmap/vm_map_ram of alloc_page pages, invalid and double vfree,
 * alignment from 1 byte to impossible, vmalloc_32 zones, vfree in interrupt context and
 * vfree_atomic, vmallocinfo listing exactly the live areas, fork keeping areas private.
 */
#include <linux/gfp.h>
#include <linux/hardirq.h>
#include <linux/preempt.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include "vmtest.h"

static void test_alias(void)
{
	unsigned long size = 5 * PAGE_SIZE + 123;
	char *volatile p = vmalloc(size);

	KT_ASSERT(p);
	KT_ASSERT(is_vmalloc_addr(p));
	KT_ASSERT(is_vmalloc_addr(p + size - 1));
	KT_ASSERT(!is_vmalloc_addr(&size));
	for (unsigned long off = 0; off < size; off += 997) {
		struct page *page = vmalloc_to_page(p + off);
		char *direct;

		KT_ASSERT(page);
		direct = (char *)page_address(page) + offset_in_page(p + off);
		KT_ASSERT(virt_addr_valid(direct));
		p[off] = (char)(off * 7 + 1);
		KT_EQ(direct[0], (char)(off * 7 + 1));		/* written here, seen there */
		direct[0] = (char)(off * 3 + 2);
		KT_EQ(p[off], (char)(off * 3 + 2));		/* and back */
		KT_EQ(vmalloc_to_pfn(p + off), page_to_pfn(page));
		KT_EQ(vmalloc_to_pfn(p + off), virt_to_pfn(direct));
	}
	/* The rounded-up tail of the last page is usable; the guard page is not mapped. */
	p[6 * PAGE_SIZE - 1] = 1;
	KT_ASSERT(vmalloc_to_page(p + 6 * PAGE_SIZE) == NULL);
	KT_ASSERT(find_vm_area(p + 100) && find_vm_area(p + 100)->addr == p);
	KT_EQ(find_vm_area(p)->size, 7 * PAGE_SIZE);	/* guard page included, as the kernel */
	KT_EQ(find_vm_area(p)->nr_pages, 6);
	KT_EQ(get_vm_area_size(find_vm_area(p)), 6 * PAGE_SIZE);
	vfree(p);
	KT_ASSERT(vmalloc_to_page(p) == NULL);
	KT_ASSERT(find_vm_area(p) == NULL);
}

static void test_vzalloc(void)
{
	/* Dirty pages, free them, then vzalloc must still read zeroes, every time. */
	for (int round = 0; round < 40; round++) {
		unsigned long size = (round % 7 + 1) * PAGE_SIZE;
		unsigned char *d = vmalloc(size), *z;

		KT_ASSERT(d);
		memset(d, 0xa5, size);
		vfree(d);
		z = round % 2 ? vzalloc(size) : vcalloc(size / 8, 8);
		KT_ASSERT(z);
		for (unsigned long i = 0; i < size; i++)
			if (z[i])
				KT_FAIL("vzalloc byte %lu of %lu is 0x%x, expected 0", i, size, z[i]);
		memset(z, 0x5a, size);
		vfree(z);
	}
	{
		unsigned char *u = vmalloc_user(3 * PAGE_SIZE);
		char *line;

		KT_ASSERT(u);
		for (int i = 0; i < 3 * (int)PAGE_SIZE; i++)
			KT_EQ(u[i], 0);
		line = vt_info_line(u);
		KT_ASSERT(line);
		KT_CONTAINS(line, " user");
		free(line);
		vfree(u);
	}
}

static void test_sizes(void)
{
	volatile size_t huge = SIZE_MAX / 2;
	char *out;
	char *volatile p;

	kt_capture_begin();
	p = vmalloc(0);
	out = kt_capture_end();
	KT_ASSERT(p == NULL);
	free(out);
	KT_ASSERT(vmalloc_array(huge, 4) == NULL);	/* overflow: NULL, no area */
	KT_ASSERT(vcalloc(huge, 4) == NULL);
	p = vmalloc(1);
	KT_ASSERT(p);
	KT_EQ(find_vm_area(p)->nr_pages, 1);
	memset(p, 1, PAGE_SIZE);			/* one byte asked, one page usable */
	vfree(p);
	/* More than RAM: "exceeds total pages", NULL. */
	kt_capture_begin();
	p = vmalloc((unsigned long)(totalram_pages() + 1) << PAGE_SHIFT);
	out = kt_capture_end();
	KT_ASSERT(p == NULL);
	KT_CONTAINS(out, "vmalloc error: size");
	KT_CONTAINS(out, "exceeds total pages");
	free(out);
	kt_capture_begin();
	p = __vmalloc((unsigned long)(totalram_pages() + 1) << PAGE_SHIFT,
		      GFP_KERNEL | __GFP_NOWARN);
	out = kt_capture_end();
	KT_ASSERT(p == NULL);
	KT_NOT_CONTAINS(out, "vmalloc error");
	free(out);
}

static void test_vmap(void)
{
	struct page *pages[6];
	char *v, *r;

	for (int i = 0; i < 6; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KT_ASSERT(pages[i]);
		memset(page_address(pages[i]), 'a' + i, PAGE_SIZE);
	}
	/* Out of order on purpose: the area follows the array, not physical order. */
	swap(pages[1], pages[4]);
	v = vmap(pages, 6, VM_MAP, PAGE_KERNEL);
	KT_ASSERT(v);
	KT_ASSERT(is_vmalloc_addr(v));
	for (int i = 0; i < 6; i++) {
		KT_EQ(v[i * PAGE_SIZE + 17], *(char *)page_address(pages[i]));
		KT_ASSERT(vmalloc_to_page(v + i * PAGE_SIZE) == pages[i]);
	}
	v[PAGE_SIZE * 2 + 5] = 'Z';
	KT_EQ(((char *)page_address(pages[2]))[5], 'Z');
	r = vt_info_line(v);
	KT_ASSERT(r);
	KT_CONTAINS(r, " vmap");
	KT_NOT_CONTAINS(r, "pages=");		/* the kernel records pages only for PUT_PAGES */
	free(r);
	r = vm_map_ram(pages, 3, NUMA_NO_NODE);
	KT_ASSERT(r);
	KT_EQ(r[PAGE_SIZE * 2 + 5], 'Z');	/* a second alias of the same page */
	{
		char *line = vt_info_line(r);

		KT_ASSERT(line);
		KT_CONTAINS(line, "vm_map_ram");
		free(line);
	}
	vm_unmap_ram(r, 3);
	vunmap(v);
	KT_ASSERT(find_vm_area(v) == NULL);
	/* The pages are the caller's and still intact. */
	KT_EQ(((char *)page_address(pages[2]))[5], 'Z');
	for (int i = 0; i < 6; i++)
		__free_page(pages[i]);
	/* VM_MAP_PUT_PAGES: vfree() puts the pages and kvfree()s the array. */
	{
		unsigned long before = nr_free_pages();
		struct page **arr = kvmalloc_array(4, sizeof(*arr), GFP_KERNEL);

		KT_ASSERT(arr);
		for (int i = 0; i < 4; i++)
			arr[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		v = vmap(arr, 4, VM_MAP | VM_MAP_PUT_PAGES, PAGE_KERNEL);
		KT_ASSERT(v);
		KT_EQ(find_vm_area(v)->nr_pages, 4);
		vfree(v);
		drain_local_pages(NULL);
		KT_ASSERT(nr_free_pages() + 8 >= before);
	}
}

static void test_bad_vfree(void)
{
	unsigned long reports = ukmem_report_count();
	int local = 0;
	char *p = vmalloc(3 * PAGE_SIZE), *out;

	KT_ASSERT(p);
	memset(p, 0x11, 3 * PAGE_SIZE);
	vfree(NULL);					/* nothing, no report */
	KT_EQ(ukmem_report_count(), reports);
	kt_capture_begin();
	vfree(p + PAGE_SIZE);				/* inside an area, not its start */
	vfree(&local);					/* not vmalloc memory at all */
	vfree((char *)VMALLOC_START + (VMALLOC_TOTAL / 2));	/* in the window, no area */
	vfree(p + 8);					/* not page-aligned */
	out = kt_capture_end();
	KT_CONTAINS(out, "Trying to vfree() nonexistent vm area");
	KT_CONTAINS(out, "Trying to vfree() bad address");
	KT_CONTAINS(out, "WARNING:");
	KT_EQ(ukmem_report_count(), reports + 4);
	free(out);
	/* ...and did no harm: the area is intact and still freeable. */
	for (int i = 0; i < 3 * (int)PAGE_SIZE; i++)
		KT_EQ(p[i], 0x11);
	KT_ASSERT(find_vm_area(p));
	vfree(p);
	kt_capture_begin();
	vfree(p);					/* double vfree */
	vunmap(p);
	out = kt_capture_end();
	KT_CONTAINS(out, "Trying to vfree() nonexistent vm area");
	KT_EQ(ukmem_report_count(), reports + 6);
	free(out);
}

static void test_align(void)
{
	char *out;

	for (unsigned int shift = 0; shift <= 30; shift++) {
		unsigned long align = 1UL << shift;
		void *p = __vmalloc_node(PAGE_SIZE, align, GFP_KERNEL, NUMA_NO_NODE,
					 __builtin_return_address(0));
		void *q = __vmalloc_node(3 * PAGE_SIZE, align, GFP_KERNEL, NUMA_NO_NODE,
					 __builtin_return_address(0));

		KT_ASSERT(p && q);
		KT_EQ((unsigned long)p % max(align, PAGE_SIZE), 0);
		KT_EQ((unsigned long)q % max(align, PAGE_SIZE), 0);
		memset(p, 1, PAGE_SIZE);
		memset(q, 2, 3 * PAGE_SIZE);
		vfree(p);
		vfree(q);
	}
	/* Huge alignments: aligned if the window has such an address, else a clean NULL. */
	for (unsigned int shift = 31; shift < 47; shift++) {
		char *p = __vmalloc_node(PAGE_SIZE, 1UL << shift, GFP_KERNEL | __GFP_NOWARN,
					 NUMA_NO_NODE, __builtin_return_address(0));

		if (p) {
			KT_EQ((unsigned long)p % (1UL << shift), 0);
			KT_ASSERT(is_vmalloc_addr(p));
			p[PAGE_SIZE - 1] = 1;
			vfree(p);
		}
	}
	/* No address of the window (below 2^47) has these: failures with a warning. */
	kt_capture_begin();
	for (unsigned int shift = 47; shift < 64; shift++)
		if (__vmalloc_node(PAGE_SIZE, 1UL << shift, GFP_KERNEL | __GFP_NOWARN,
				   NUMA_NO_NODE, __builtin_return_address(0)) != NULL)
			KT_FAIL("an alignment of 2^%u succeeded", shift);
	KT_ASSERT(__vmalloc_node(PAGE_SIZE, 1UL << 63, GFP_KERNEL, NUMA_NO_NODE,
				 __builtin_return_address(0)) == NULL);
	KT_ASSERT(__vmalloc_node(PAGE_SIZE, 3 * PAGE_SIZE, GFP_KERNEL, NUMA_NO_NODE,
				 __builtin_return_address(0)) == NULL);	/* not a power of 2 */
	out = kt_capture_end();
	KT_CONTAINS(out, "vm_struct allocation failed");
	free(out);
	/* The allocator is intact afterwards. */
	{
		void *p = vmalloc(SZ_1M);

		KT_ASSERT(p);
		memset(p, 3, SZ_1M);
		vfree(p);
	}
	/* Holes: free every other area, then fill the holes (full_fit). */
	{
		void *a[64];

		for (int i = 0; i < 64; i++)
			KT_ASSERT((a[i] = vmalloc(PAGE_SIZE)));
		for (int i = 0; i < 64; i += 2)
			vfree(a[i]);
		vm_unmap_aliases();
		for (int i = 0; i < 64; i += 2)
			KT_ASSERT((a[i] = vmalloc(PAGE_SIZE)));
		for (int i = 0; i < 64; i++)
			vfree(a[i]);
	}
}

static void test_zones(void)
{
	void *p = vmalloc_32(64 * PAGE_SIZE);

	KT_ASSERT(p);
	for (int i = 0; i < 64; i++)
		KT_ASSERT(page_to_phys(vmalloc_to_page((char *)p + i * PAGE_SIZE)) < SZ_4G);
	vfree(p);
	p = vmalloc_32_user(PAGE_SIZE);
	KT_ASSERT(p);
	KT_EQ(*(char *)p, 0);
	vfree(p);
}

/* vfree() of kmalloc memory from an interrupt: the address is no page start, 6.1's "bad
 * address" warning (its worker's), and the object is left alone (6.1 links its deferred
 * list through the memory). */
static void test_deferred_bad_address(void)
{
	unsigned long reports = ukmem_report_count();
	char *k = kmalloc(64, GFP_KERNEL), *out;

	KT_ASSERT(k);
	memset(k, 0x5a, 64);
	kt_capture_begin();
	preempt_count_add(HARDIRQ_OFFSET);
	vfree(k);
	preempt_count_sub(HARDIRQ_OFFSET);
	out = kt_capture_end();
	KT_CONTAINS(out, "Trying to vfree() bad address (");
	KT_ASSERT(!strstr(out, "nonexistent vm area"));
	free(out);
	KT_EQ(ukmem_report_count(), reports + 1);
	KT_ASSERT(!memchr_inv(k, 0x5a, 64));
	kfree(k);
}

static void test_deferred(void)
{
	char *p = vmalloc(PAGE_SIZE), *q = vmalloc(2 * PAGE_SIZE), *out;
	unsigned long reports = ukmem_report_count();

	KT_ASSERT(p && q);
	preempt_count_add(HARDIRQ_OFFSET);		/* as if in a hard interrupt */
	vfree(p);
	preempt_count_sub(HARDIRQ_OFFSET);
	vfree_atomic(q);
	/* Deferred: not yet taken down, and no longer freeable by anyone else. */
	kt_capture_begin();
	vfree(p);
	out = kt_capture_end();
	KT_CONTAINS(out, "nonexistent vm area");
	free(out);
	KT_EQ(ukmem_report_count(), reports + 1);
	/* The next vmalloc-family call in task context finishes the job. */
	vfree(vmalloc(PAGE_SIZE));
	KT_ASSERT(find_vm_area(p) == NULL);
	KT_ASSERT(find_vm_area(q) == NULL);
	test_deferred_bad_address();
}

static noinline void test_vmallocinfo(void)
{
	void *live[5];
	char *text, *line;
	int vm_lines = 0;

	vm_unmap_aliases();
	for (int i = 0; i < 5; i++)
		live[i] = vmalloc((i + 1) * PAGE_SIZE);
	vfree(live[1]);
	live[1] = NULL;
	text = vt_show("vmallocinfo");
	{
		char *copy = strdup(text), *save = NULL;

		for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			if (strstr(line, " vmalloc"))
				vm_lines++;
		free(copy);
	}
	KT_EQ(vm_lines, 4);
	KT_CONTAINS(text, "unpurged vm_area");		/* the freed one, until purged */
	free(text);
	for (int i = 0; i < 5; i++) {
		if (!live[i])
			continue;
		line = vt_info_line(live[i]);
		KT_ASSERT(line);
		{
			char want[128];

			snprintf(want, sizeof(want), "0x%016lx-0x%016lx %7ld test_vmallocinfo+",
				 (unsigned long)live[i],
				 (unsigned long)live[i] + (i + 2) * PAGE_SIZE,
				 (long)((i + 2) * PAGE_SIZE));
			KT_CONTAINS(line, want);
			snprintf(want, sizeof(want), " pages=%d vmalloc N0=%d", i + 1, i + 1);
			KT_CONTAINS(line, want);
		}
		free(line);
		vfree(live[i]);
	}
	vm_unmap_aliases();
	text = vt_show("vmallocinfo");
	KT_NOT_CONTAINS(text, " vmalloc");
	KT_NOT_CONTAINS(text, "unpurged");
	free(text);
}

static long vmalloc_used_kb(void)
{
	char *text = vt_show("meminfo"), *line = strstr(text, "VmallocUsed:");
	long kb = -1;

	if (line)
		sscanf(line + strlen("VmallocUsed:"), "%ld", &kb);
	free(text);
	return kb;
}

static void test_meminfo(void)
{
	unsigned long free_before, pages;
	long before;
	void *p, *q;

	/* Every page comes back once the lazily freed areas are purged. */
	vm_unmap_aliases();
	drain_local_pages(NULL);
	free_before = nr_free_pages();
	for (int i = 0; i < 50; i++)
		vfree(vmalloc((i % 9 + 1) * PAGE_SIZE));
	vm_unmap_aliases();
	drain_local_pages(NULL);
	KT_EQ(nr_free_pages(), free_before);

	before = vmalloc_used_kb();
	pages = vmalloc_nr_pages();
	p = vmalloc(10 * PAGE_SIZE);
	q = vzalloc(3 * PAGE_SIZE);
	KT_ASSERT(before >= 0);
	KT_EQ(vmalloc_used_kb(), before + 13 * 4);
	KT_EQ(vmalloc_nr_pages(), pages + 13);
	vfree(p);
	vfree(q);
	KT_EQ(vmalloc_used_kb(), before);
	KT_EQ(vmalloc_nr_pages(), pages);
}

static void test_get_vm_area(void)
{
	struct vm_struct *vm = get_vm_area_caller(3 * PAGE_SIZE, VM_IOREMAP,
						  __builtin_return_address(0));
	struct vm_struct *plain = get_vm_area(PAGE_SIZE, 0);
	char *line;

	KT_ASSERT(vm && plain);
	KT_ASSERT(is_vmalloc_addr(vm->addr));
	KT_EQ((unsigned long)vm->addr % (4 * PAGE_SIZE), 0);	/* ioremap: aligned to its size */
	KT_EQ(vm->size, 4 * PAGE_SIZE);
	KT_ASSERT(find_vm_area((char *)vm->addr + 5) == vm);
	KT_ASSERT(vmalloc_to_page(vm->addr) == NULL);		/* nothing of RAM there */
	vm->phys_addr = 0xfed00000;
	line = vt_info_line(vm->addr);
	KT_ASSERT(line);
	KT_CONTAINS(line, " phys=0x00000000fed00000 ioremap");
	KT_NOT_CONTAINS(line, "vmalloc");
	free(line);
	line = vm->addr;
	free_vm_area(vm);
	vunmap(plain->addr);
	KT_ASSERT(find_vm_area(line) == NULL);
}

static void fork_child(void *arg)
{
	char *p = arg;
	char *q[40];

	/* Lazily freed areas of the parent were mapped again onto the child's RAM: reusing
	 * them works and stays private. */
	for (int i = 0; i < 40; i++) {
		q[i] = vmalloc(2 * PAGE_SIZE);
		if (!q[i])
			_exit(6);
		memset(q[i], i, 2 * PAGE_SIZE);
	}
	for (int i = 0; i < 40; i++) {
		if (q[i][PAGE_SIZE + 5] != i)
			_exit(7);
		vfree(q[i]);
	}

	if (!vt_check(p, 8 * PAGE_SIZE, 42))
		_exit(3);
	vt_fill(p, 8 * PAGE_SIZE, 7);		/* private to the child */
	if (!vt_check(p, 8 * PAGE_SIZE, 7))
		_exit(4);
	if (*(char *)page_address(vmalloc_to_page(p)) != *p)
		_exit(5);			/* still an alias of the child's direct map */
	vfree(p);
	_exit(0);
}

static void test_fork(void)
{
	char *p = vmalloc(8 * PAGE_SIZE), *out;
	int status;

	KT_ASSERT(p);
	vt_fill(p, 8 * PAGE_SIZE, 42);
	for (int i = 0; i < 30; i++)		/* lazy areas at the time of the fork */
		vfree(vmalloc(2 * PAGE_SIZE));
	status = kt_run_child(fork_child, p, &out);
	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 0);
	KT_ASSERT(vt_check(p, 8 * PAGE_SIZE, 42));	/* the parent's copy is untouched */
	free(out);
	vfree(p);
}

/* The end of the host mapping (/proc/self/maps) that holds addr, or 0. */
static unsigned long host_mapping_end(const void *addr)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi, a = (unsigned long)addr, found = 0;
	char line[512];

	while (f && !found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && a >= lo && a < hi)
			found = hi;
	if (f)
		fclose(f);
	return found;
}

/* Neighbouring areas are never one host mapping, whatever the page allocator handed out
 * between them (a page taken between two one-page vmallocs made the second continue the
 * first's guard page in the RAM file, and the host merged them: taking one away then split
 * the mapping, which the host refuses at vm.max_map_count). */
static void test_neighbours_apart(void)
{
	char *a[64], *b[64];
	struct page *between[64];
	int adjacent = 0;

	for (int i = 0; i < 64; i++) {
		a[i] = vmalloc(PAGE_SIZE);
		between[i] = alloc_page(GFP_KERNEL);
		b[i] = vmalloc(PAGE_SIZE);
		KT_ASSERT(a[i] && between[i] && b[i]);
		a[i][0] = b[i][0] = 1;
	}
	for (int i = 0; i < 64; i++) {
		unsigned long end = host_mapping_end(a[i]);

		KT_ASSERT(end);
		if (b[i] == a[i] + 2 * PAGE_SIZE) {
			adjacent++;
			KT_ASSERT(end <= (unsigned long)b[i]);
		}
		vfree(a[i]);
		vfree(b[i]);
		__free_page(between[i]);
	}
	KT_ASSERT(adjacent > 0);
	vm_unmap_aliases();
}

int main(void)
{
	KT_EQ(ukmem_init("mem=512M ukmem.annotate=0"), 0);	/* the tail of the last page is used: no ASan marks */
	test_alias();
	test_vzalloc();
	test_sizes();
	test_vmap();
	test_bad_vfree();
	test_align();
	test_zones();
	test_deferred();
	test_vmallocinfo();
	test_get_vm_area();
	test_meminfo();
	test_fork();
	test_neighbours_apart();
	printf("test_vmalloc: ok\n");
	return 0;
}

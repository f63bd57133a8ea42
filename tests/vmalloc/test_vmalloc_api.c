/* SPDX-License-Identifier: MIT */
/*
 * The rest of <linux/vmalloc.h> and page protections: PAGE_KERNEL_RO mappings fault on
 * write with the kernel's report, PAGE_KERNEL_EXEC ones execute (PAGE_KERNEL ones do not),
 * cache modes are accepted; __vmalloc_node_range with a range and an alignment; the node
 * and 32-bit variants; remove_vm_area, vunmap_range, vread, vmalloc_dump_obj,
 * remap_vmalloc_range*, vmap_pfn, the purge notifiers, set_vm_flush_reset_perms.
 */
#include <stdlib.h>
#include <sys/wait.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "vmtest.h"

#define CALLER __builtin_return_address(0)

static void *range_alloc(unsigned long size, unsigned long align, unsigned long start,
			 unsigned long end, gfp_t gfp, pgprot_t prot)
{
	return __vmalloc_node_range(size, align, start, end, gfp, prot, 0, NUMA_NO_NODE, CALLER);
}

static noinline void child_write(void *arg)
{
	*(volatile char *)arg = 1;
	_exit(0);
}

static noinline void child_call(void *arg)
{
	int (*fn)(void) = (int (*)(void))arg;

	_exit(fn() == 42 ? 0 : 1);
}

static void expect_segv(void (*fn)(void *), void *arg, const char *what)
{
	char *out;
	int status = kt_run_child(fn, arg, &out);

	KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	KT_CONTAINS(out, "BUG: unable to handle page fault for address");
	if (what)
		KT_CONTAINS(out, what);
	free(out);
}

static void test_protections(void)
{
	static const unsigned char ret42[] = { 0xb8, 0x2a, 0, 0, 0, 0xc3 };	/* mov eax,42; ret */
	struct page *page = alloc_page(GFP_KERNEL);
	char *ro, *rw, *x, *nx;
	char *out;
	int status;

	KT_ASSERT(page);
	strcpy(page_address(page), "read-only");
	ro = vmap(&page, 1, VM_MAP, PAGE_KERNEL_RO);
	KT_ASSERT(ro);
	KT_ASSERT(!strcmp(ro, "read-only"));
	expect_segv(child_write, ro, "#PF: error_code(0x0003) - permissions violation");
	expect_segv(child_write, ro + PAGE_SIZE, "in the guard page of a vmap area");
	rw = vmap(&page, 1, VM_MAP, pgprot_writecombine(PAGE_KERNEL));
	KT_ASSERT(rw);
	rw[0] = 'R';					/* the same frame, writable */
	KT_EQ(ro[0], 'R');
	vunmap(rw);
	rw = vmap(&page, 1, VM_MAP, pgprot_noncached(PAGE_KERNEL));
	KT_ASSERT(rw);
	rw[1] = 'O';
	KT_EQ(ro[1], 'O');
	vunmap(rw);
	vunmap(ro);
	__free_page(page);

	ro = range_alloc(2 * PAGE_SIZE, 1, 0, 0, GFP_KERNEL | __GFP_ZERO, PAGE_KERNEL_RO);
	KT_ASSERT(ro);
	KT_EQ(ro[PAGE_SIZE + 5], 0);
	expect_segv(child_write, ro + PAGE_SIZE, "permissions violation");
	vfree(ro);

	x = range_alloc(PAGE_SIZE, 1, 0, 0, GFP_KERNEL, PAGE_KERNEL_EXEC);
	KT_ASSERT(x);
	memcpy(x, ret42, sizeof(ret42));
	KT_EQ(((int (*)(void))x)(), 42);
	status = kt_run_child(child_call, x, &out);
	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	free(out);
	nx = vmalloc(PAGE_SIZE);
	KT_ASSERT(nx);
	memcpy(nx, ret42, sizeof(ret42));
	status = kt_run_child(child_call, nx, &out);	/* PAGE_KERNEL is NX */
	KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	KT_CONTAINS(out, "BUG: unable to handle page fault");
	free(out);
	vfree(nx);
	vfree(x);
}

static volatile size_t huge_count = ULONG_MAX / 2;	/* hidden from the compiler */

static void test_range_and_variants(void)
{
	size_t huge = huge_count;
	unsigned long lo = VMALLOC_START + SZ_1G, hi = lo + SZ_16M;
	char *p, *q, *out;
	struct vm_struct *vm;

	p = range_alloc(3 * PAGE_SIZE, SZ_2M, lo, hi, GFP_KERNEL, PAGE_KERNEL);
	KT_ASSERT(p);
	KT_ASSERT((unsigned long)p >= lo && (unsigned long)p + 4 * PAGE_SIZE <= hi);
	KT_ASSERT(IS_ALIGNED((unsigned long)p, SZ_2M));
	memset(p, 1, 3 * PAGE_SIZE);
	kt_capture_begin();
	q = range_alloc(3 * PAGE_SIZE, 1, lo, lo + 2 * PAGE_SIZE, GFP_KERNEL, PAGE_KERNEL);
	out = kt_capture_end();
	KT_ASSERT(!q);
	KT_CONTAINS(out, "vmap allocation for size 16384 failed: use vmalloc=<size> to increase size\n"
		    "test_vmalloc_ap: vmalloc error: size 12288, vm_struct allocation failed");
	free(out);
	vfree(p);
	kt_capture_begin();		/* an alignment that is no power of two (the kernel BUGs) */
	q = range_alloc(PAGE_SIZE, 3 * PAGE_SIZE, 0, 0, GFP_KERNEL, PAGE_KERNEL);
	KT_ASSERT(!q && !range_alloc(PAGE_SIZE, 0, 0, 0, GFP_KERNEL, PAGE_KERNEL));
	out = kt_capture_end();
	KT_CONTAINS(out, "WARNING: CPU: ");
	free(out);

	p = vmalloc_node(5000, 0);
	KT_ASSERT(p && find_vm_area(p)->nr_pages == 2);
	vfree(p);
	p = vzalloc_node(3 * PAGE_SIZE, NUMA_NO_NODE);
	KT_ASSERT(p && !memchr_inv(p, 0, 3 * PAGE_SIZE));
	vfree(p);
	p = vmalloc_32(4 * PAGE_SIZE);
	KT_ASSERT(p);
	for (int i = 0; i < 4; i++)
		KT_ASSERT(vmalloc_to_pfn(p + i * PAGE_SIZE) < (SZ_4G >> PAGE_SHIFT));
	vfree(p);
	p = vmalloc_32_user(2 * PAGE_SIZE);
	vm = find_vm_area(p);
	KT_ASSERT(p && vm && (vm->flags & VM_USERMAP) && !memchr_inv(p, 0, 2 * PAGE_SIZE));
	KT_ASSERT(vmalloc_to_pfn(p) < (SZ_4G >> PAGE_SHIFT));
	vfree(p);
	p = vmalloc_huge(SZ_4M, GFP_KERNEL);
	KT_ASSERT(p && !is_vm_area_hugepages(p));
	memset(p, 2, SZ_4M);
	set_vm_flush_reset_perms(p);
	KT_ASSERT(find_vm_area(p)->flags & VM_FLUSH_RESET_PERMS);
	vfree(p);
	p = vmalloc(PAGE_SIZE);
	KT_ASSERT(is_vmalloc_or_module_addr(p) && !is_vmalloc_or_module_addr(&lo));
	vfree(p);

	vm = __get_vm_area_caller(2 * PAGE_SIZE, VM_MAP, lo, hi, CALLER);
	KT_ASSERT(vm && (unsigned long)vm->addr >= lo && (unsigned long)vm->addr + vm->size <= hi);
	KT_EQ(get_vm_area_size(vm), 2 * PAGE_SIZE);
	free_vm_area(vm);
	KT_ASSERT(!__get_vm_area_caller(PAGE_SIZE, VM_MAP, lo, lo + PAGE_SIZE, CALLER));
	p = __vmalloc_array(3, PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);
	KT_ASSERT(p && find_vm_area(p)->nr_pages == 3 && !memchr_inv(p, 0, 3 * PAGE_SIZE));
	vfree(p);
	KT_ASSERT(!__vmalloc_array(huge, 4, GFP_KERNEL));	/* the product overflows */
	p = __vcalloc(5, 1000, GFP_KERNEL);
	KT_ASSERT(p && !memchr_inv(p, 0, 5000));
	vfree(p);
	KT_ASSERT(!__vcalloc(huge, 4, GFP_KERNEL));
}

static void test_remove_and_unmap(void)
{
	unsigned long before = vmalloc_nr_pages();
	struct vm_struct *vm;
	char *p = vmalloc(3 * PAGE_SIZE);

	KT_ASSERT(p);
	KT_EQ(vmalloc_nr_pages(), before + 3);
	vt_fill(p, 3 * PAGE_SIZE, 7);
	vm = remove_vm_area(p);
	KT_ASSERT(vm && vm->addr == p && vm->nr_pages == 3 && vm->pages);
	KT_EQ(vmalloc_nr_pages(), before);
	KT_ASSERT(!find_vm_area(p));
	expect_segv(child_write, p, NULL);
	for (int i = 0; i < 3; i++) {	/* the pages are the caller's now, contents intact */
		KT_ASSERT(vt_check(page_address(vm->pages[i]), 8, 7) || i);
		__free_page(vm->pages[i]);
	}
	kvfree(vm->pages);
	kfree(vm);
	KT_ASSERT(!remove_vm_area(p));

	vm = get_vm_area(2 * PAGE_SIZE, VM_IOREMAP);
	KT_ASSERT(vm && find_vm_area(vm->addr) == vm);
	p = vm->addr;
	vm = remove_vm_area(p);
	KT_ASSERT(vm && vm->addr == p && !find_vm_area(p));
	kfree(vm);

	p = vmalloc(4 * PAGE_SIZE);
	KT_ASSERT(p);
	memset(p, 3, 4 * PAGE_SIZE);
	vunmap_range((unsigned long)p + PAGE_SIZE, (unsigned long)p + 2 * PAGE_SIZE);
	expect_segv(child_write, p + PAGE_SIZE, NULL);
	KT_EQ(p[0], 3);
	KT_EQ(p[2 * PAGE_SIZE], 3);
	vfree(p);
}

static noinline void test_vread_dump(void)
{
	char *p = vmalloc(2 * PAGE_SIZE), *ro, *buf = malloc(4 * PAGE_SIZE), *out;
	struct page *page = alloc_page(GFP_KERNEL);

	KT_ASSERT(p && buf && page);
	memset(p, 'a', 2 * PAGE_SIZE);
	memset(buf, 'x', 4 * PAGE_SIZE);
	KT_EQ(vread(buf, p + 100, 3 * PAGE_SIZE), 3 * PAGE_SIZE);
	KT_ASSERT(!memchr_inv(buf, 'a', 2 * PAGE_SIZE - 100));
	KT_ASSERT(!memchr_inv(buf + 2 * PAGE_SIZE - 100, 0, PAGE_SIZE + 100));	/* guard: 0 */
	KT_EQ(buf[3 * PAGE_SIZE], 'x');
	memset(buf, 'x', PAGE_SIZE);
	KT_EQ(vread(buf, (char *)VMALLOC_END - 2 * PAGE_SIZE, PAGE_SIZE), 0);
	KT_ASSERT(!memchr_inv(buf, 'x', PAGE_SIZE));		/* nothing read: untouched */
	/* a hole before the area reads as zero too */
	memset(buf, 'x', 2 * PAGE_SIZE);
	KT_EQ(vread(buf, p - PAGE_SIZE, 2 * PAGE_SIZE), 2 * PAGE_SIZE);
	KT_ASSERT(!memchr_inv(buf, 0, PAGE_SIZE) && !memchr_inv(buf + PAGE_SIZE, 'a', PAGE_SIZE));

	memset(page_address(page), 'r', PAGE_SIZE);
	ro = vmap(&page, 1, VM_MAP, PAGE_KERNEL_RO);
	KT_ASSERT(ro);
	KT_EQ(vread(buf, ro, PAGE_SIZE), PAGE_SIZE);
	KT_ASSERT(!memchr_inv(buf, 'r', PAGE_SIZE));
	vunmap(ro);
	__free_page(page);

	kt_capture_begin();
	KT_ASSERT(vmalloc_dump_obj(p));
	KT_ASSERT(!vmalloc_dump_obj(buf));
	out = kt_capture_end();
	KT_CONTAINS(out, "2-page vmalloc region starting at 0x");
	KT_CONTAINS(out, "allocated at test_vread_dump");
	free(out);
	vfree(p);
	free(buf);
}

/* 6.1 maps VM_DMA_COHERENT areas (the DMA API's vmap of coherent buffers) as it maps
 * VM_USERMAP ones. */
static void test_remap_dma_coherent(void)
{
	struct page *pages[2] = { alloc_page(GFP_KERNEL), alloc_page(GFP_KERNEL) };
	char *u = mmap(NULL, 2 * PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct vm_area_struct vma = {
		.vm_start = (unsigned long)u, .vm_end = (unsigned long)u + 2 * PAGE_SIZE,
		.vm_page_prot = PAGE_KERNEL,
	};
	char *k;

	KT_ASSERT(pages[0] && pages[1] && u != MAP_FAILED);
	k = vmap(pages, 2, VM_DMA_COHERENT, PAGE_KERNEL);
	KT_ASSERT(k);
	k[PAGE_SIZE + 1] = 'd';
	KT_EQ(remap_vmalloc_range(&vma, k, 0), 0);
	KT_EQ(u[PAGE_SIZE + 1], 'd');
	munmap(u, 2 * PAGE_SIZE);
	vunmap(k);
	__free_page(pages[0]);
	__free_page(pages[1]);
}

static void test_remap(void)
{
	char *k = vmalloc_user(3 * PAGE_SIZE), *plain = vmalloc(PAGE_SIZE);
	struct page *again[32];
	char *u = mmap(NULL, 2 * PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct vm_area_struct vma = {
		.vm_start = (unsigned long)u, .vm_end = (unsigned long)u + 2 * PAGE_SIZE,
		.vm_page_prot = PAGE_KERNEL,
	};

	KT_ASSERT(k && plain && u != MAP_FAILED);
	k[PAGE_SIZE] = 'k';
	KT_EQ(remap_vmalloc_range(&vma, k, 1), 0);	/* pages 1 and 2 of k */
	KT_EQ(u[0], 'k');
	u[PAGE_SIZE + 9] = 'u';
	KT_EQ(k[2 * PAGE_SIZE + 9], 'u');
	KT_ASSERT(vma.vm_flags & VM_DONTEXPAND);
	KT_EQ(remap_vmalloc_range(&vma, k, 2), -EINVAL);		/* past the area */
	KT_EQ(remap_vmalloc_range(&vma, plain, 0), -EINVAL);	/* not VM_USERMAP */
	KT_EQ(remap_vmalloc_range_partial(&vma, vma.vm_start + PAGE_SIZE, k, 0, 2 * PAGE_SIZE),
	      -EINVAL);					/* past the vma */
	vma.vm_page_prot = PAGE_KERNEL_RO;
	KT_EQ(remap_vmalloc_range_partial(&vma, vma.vm_start, k, 0, PAGE_SIZE), 0);
	KT_EQ(u[0], 0);
	vfree(k);
	KT_EQ(u[PAGE_SIZE + 9], 'u');	/* the user mapping keeps its pages, as the kernel's */
	/* ... and they are never given to anyone else: a write through it reaches no one's
	 * memory (the area's pages went back to the buddy at the purge, and the next vmalloc
	 * got them) */
	vm_unmap_aliases();
	for (int i = 0; i < 32; i++) {
		again[i] = alloc_page(GFP_KERNEL);
		KT_ASSERT(again[i]);
		memset(page_address(again[i]), 0, PAGE_SIZE);
	}
	memset(u + PAGE_SIZE, 'w', PAGE_SIZE);	/* (the first page is read-only now) */
	for (int i = 0; i < 32; i++) {
		unsigned char *b = page_address(again[i]);

		for (int j = 0; j < PAGE_SIZE; j++)
			if (b[j])
				KT_FAIL("page %d byte %d: %#x, written through a stale user mapping",
					i, j, b[j]);
		__free_page(again[i]);
	}
	munmap(u, 2 * PAGE_SIZE);
	vfree(plain);
	test_remap_dma_coherent();
}

static unsigned long notified;
static void *victim;

static int purge_cb(struct notifier_block *nb, unsigned long val, void *data)
{
	notified++;
	if (victim) {
		vfree(victim);
		victim = NULL;
		(*(unsigned long *)data)++;
	}
	return NOTIFY_OK;
}

static void test_notifier_and_pfn(void)
{
	struct notifier_block nb = { .notifier_call = purge_cb };
	unsigned long lo = VMALLOC_START + SZ_2G, pfn;
	struct page *page = alloc_page(GFP_KERNEL);
	char *p, *out;

	KT_EQ(register_vmap_purge_notifier(&nb), 0);
	/* Twice: 6.1's warning and -EEXIST, the list unchanged (it became a cycle, and the
	 * purge below never returned). */
	kt_capture_begin();
	KT_EQ(register_vmap_purge_notifier(&nb), -EEXIST);
	out = kt_capture_end();
	KT_CONTAINS(out, "notifier callback purge_cb");
	KT_CONTAINS(out, "already registered");
	free(out);
	victim = range_alloc(3 * PAGE_SIZE, 1, lo, lo + 4 * PAGE_SIZE, GFP_KERNEL, PAGE_KERNEL);
	KT_ASSERT(victim);
	vm_unmap_aliases();
	p = range_alloc(3 * PAGE_SIZE, 1, lo, lo + 4 * PAGE_SIZE, GFP_KERNEL, PAGE_KERNEL);
	KT_ASSERT(p && notified >= 1 && !victim);	/* the notifier made room */
	vfree(p);
	KT_EQ(unregister_vmap_purge_notifier(&nb), 0);
	KT_EQ(unregister_vmap_purge_notifier(&nb), -ENOENT);

	pfn = page_to_pfn(page);
	kt_capture_begin();
	KT_ASSERT(!vmap_pfn(&pfn, 1, PAGE_KERNEL));	/* has a struct page: the kernel's WARN */
	pfn = max_pfn + 10;
	KT_ASSERT(!vmap_pfn(&pfn, 1, PAGE_KERNEL));
	out = kt_capture_end();
	KT_CONTAINS(out, "WARNING:");
	KT_CONTAINS(out, "vmap_pfn: frame");
	free(out);
	__free_page(page);
}

/* vm_map_ram() of no pages is 6.1's WARN_ON in vb_alloc(), and NULL. */
static void test_map_ram_empty(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long reports = ukmem_report_count();
	char *out;

	KT_ASSERT(page);
	kt_capture_begin();
	KT_ASSERT(!vm_map_ram(&page, 0, NUMA_NO_NODE));
	out = kt_capture_end();
	KT_CONTAINS(out, "WARNING:");
	KT_EQ(ukmem_report_count(), reports + 1);
	free(out);
	__free_page(page);
}

int main(void)
{
	test_protections();
	test_range_and_variants();
	test_remove_and_unmap();
	test_vread_dump();
	test_remap();
	test_notifier_and_pfn();
	test_map_ram_empty();
	printf("test_vmalloc_api: ok\n");
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * ukmem_fail_sweep: runs fn with fail-nth = 1, 2, ... until a run injects nothing (N
 * allocation points: N + 1 runs); a leak on one error path is reported once, under the
 * run's line, with the allocation stack of the leaked slab object (its full stack is
 * recorded during a sweep), and counted once by ukmem_exit; a clean function gives 0; the
 * thread's fail-nth is off after the sweep and its per-thread caches work again; a sweep
 * inside a sweep is -EBUSY; devres a run leaves on a device is reported with its holder.  A
 * function that still reaches its n-th point at run 100000 stops the sweep at its limit
 * with a warning naming it.  A kmemleak scan inside a run still finds the run's
 * unreferenced objects.  An interrupt handler (request_irq: a failslab point, as 6.1's
 * kzalloc of the irqaction) and a streaming DMA mapping that a run leaves behind are its
 * leaks, counted once (the irq check at exit does not count the handler again); so are an
 * area it maps with vmap or reserves with get_vm_area, and a cache it creates.
 */
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem.h>
#include "ktest.h"

static int runs;

static int many_allocs(void *arg)
{
	void *p[20];
	int i, err = 0;

	runs++;
	for (i = 0; i < 20; i++) {
		p[i] = kmalloc(32 + i * 8, GFP_KERNEL);
		if (!p[i]) {
			err = -ENOMEM;
			break;
		}
	}
	while (i--)
		kfree(p[i]);
	return err;
}

struct two {
	void *a, *b;
};

static noinline int leaky_setup(void *arg)
{
	struct two *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return -ENOMEM;
	t->a = kmalloc(200, GFP_KERNEL);
	if (!t->a)
		return -ENOMEM;		/* BUG: t leaks */
	t->b = vmalloc(PAGE_SIZE);
	if (!t->b) {
		kfree(t->a);
		kfree(t);
		return -ENOMEM;
	}
	vfree(t->b);
	kfree(t->a);
	kfree(t);
	return 0;
}

static int nested(void *arg)
{
	KT_EQ(ukmem_fail_sweep(many_allocs, NULL), -EBUSY);
	return 0;
}

static void sweep_child(void *arg)
{
	char *out;

	KT_EQ(ukmem_init("failslab.verbose=0 fail_page_alloc.verbose=0"), 0);
	runs = 0;
	KT_EQ(ukmem_fail_sweep(many_allocs, NULL), 0);
	KT_EQ(runs, 21);
	KT_EQ(ukmem_get_fail_nth(), 0);
	KT_EQ(ukmem_fail_sweep(nested, NULL), 0);
	KT_EQ(ukmem_fail_sweep(NULL, NULL), -EINVAL);

	kt_capture_begin();
	KT_EQ(ukmem_fail_sweep(leaky_setup, NULL), 1);
	out = kt_capture_end();
	KT_CONTAINS(out, "ukmem_fail_sweep: run 2 (fail-nth=2, fault injected, returned -12): 1 object(s) acquired in this run were not returned:\nunreferenced object 0x");
	KT_CONTAINS(out, " (size 16):\n  comm \"");
	KT_CONTAINS(out, "] leaky_setup");
	KT_CONTAINS(out, "ukmem_fail_sweep: 4 runs, 1 leaked\n");
	free(out);
	KT_EQ(ukmem_report_count(), 1);
	many_allocs(NULL);			/* per-thread caches again */
	exit(ukmem_exit());			/* the leak is not reported twice */
}

static void test_sweep(void)
{
	char *out;
	int status = kt_run_child(sweep_child, NULL, &out);

	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 1);
	free(out);
}

/* kmemleak.stacks=on: every slab object has its allocation stack in the exit report. */
static noinline void *leak_one(void)
{
	void *p = kmalloc(48, GFP_KERNEL);

	barrier();
	return p;
}

/* A vmalloc area's record has the caller only by default, the whole stack here. */
static noinline void *leak_area(void)
{
	void *p = vmalloc(PAGE_SIZE);

	barrier();
	return p;
}

static void stacks_child(void *arg)
{
	KT_EQ(ukmem_init("kmemleak.stacks=on"), 0);
	leak_one();
	leak_area();
	exit(ukmem_exit());
}

static void test_stacks(void)
{
	char *out;
	int status = kt_run_child(stacks_child, NULL, &out);

	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 2);
	KT_CONTAINS(out, " (size 64):\n  comm \"test_sweep\", pid ");
	KT_CONTAINS(out, "] leak_one");
	KT_CONTAINS(out, "] stacks_child+");
	KT_CONTAINS(out, "] __vmalloc_node_range+");	/* the area's whole stack */
	KT_CONTAINS(out, "] leak_area");
	KT_NOT_CONTAINS(out, "not recorded");
	KT_NOT_CONTAINS(out, "the caller only");
	free(out);
}

/* A run that leaves devres on a device: reported (the run did not give it back), and the
 * report says which device holds it rather than leaving "unreferenced" unexplained. */
static struct platform_device *held_pdev;

static int devm_on_device(void *arg)
{
	return devm_kzalloc(&held_pdev->dev, 48, GFP_KERNEL) ? 0 : -ENOMEM;
}

static void held_child(void *arg)
{
	KT_EQ(ukmem_init(""), 0);
	held_pdev = platform_device_register_simple("holder", 3, NULL, 0);
	KT_ASSERT(!IS_ERR(held_pdev));
	fprintf(stderr, "faulty runs %d\n", ukmem_fail_sweep(devm_on_device, NULL));
	platform_device_unregister(held_pdev);
	exit(ukmem_exit());
}

static void test_held(void)
{
	char *out;
	int status = kt_run_child(held_child, NULL, &out);

	KT_ASSERT(WIFEXITED(status));
	KT_CONTAINS(out, "faulty runs 1\n");
	KT_CONTAINS(out, "ukmem_fail_sweep: run 2 (fail-nth=2, no fault injected, returned 0): 1 object(s) acquired in this run were not returned:\n");
	KT_CONTAINS(out, "] devm_on_device+");
	KT_CONTAINS(out, "  (held by device holder.3's devres: released when the device is unbound or released)\n");
	free(out);
}

/* Every run fails its first allocation: the function arms fail-nth=1 itself, so that each
 * run injects a fault at once (cheap) and the sweep never ends by itself. */
static int always_injected(void *arg)
{
	ukmem_set_fail_nth(1);
	return kmalloc(16, GFP_KERNEL) ? 0 : -ENOMEM;
}

/* A kmemleak scan inside a run still finds the run's unreferenced objects: the sweep's own
 * list of what the run recorded is no reference. */
static unsigned long hidden;		/* the object's address, inverted: not a reference */
static int scans_found;

static noinline void alloc_hidden(void)
{
	hidden = ~(unsigned long)kmalloc(200, GFP_KERNEL);
}

static noinline int scan_in_run(void *arg)
{
	char want[64], *out;

	alloc_hidden();
	if (hidden == ~0UL)
		return -ENOMEM;
	kt_scrub_stack();
	out = kt_show("kmemleak");
	snprintf(want, sizeof(want), "unreferenced object 0x%08lx (size 256):\n", ~hidden);
	scans_found += strstr(out, want) != NULL;
	free(out);
	kfree((void *)~hidden);
	return 0;
}

static void scan_child(void *arg)
{
	KT_EQ(ukmem_init("failslab.verbose=0"), 0);
	KT_EQ(ukmem_fail_sweep(scan_in_run, NULL), 0);
	KT_EQ(scans_found, 1);			/* run 2, the one that allocated */
	exit(ukmem_exit());
}

static void test_scan_in_run(void)
{
	char *out;
	int status = kt_run_child(scan_child, NULL, &out);

	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 0);
	free(out);
}

static void limit_child(void *arg)
{
	char *out;

	KT_EQ(ukmem_init("failslab.verbose=0"), 0);
	kt_capture_begin();
	KT_EQ(ukmem_fail_sweep(always_injected, NULL), 0);
	out = kt_capture_end();
	KT_CONTAINS(out, "ukmem_fail_sweep: stopped at its limit of 100000 runs: run 100000 still injected a fault, so the points after the 100000th were never failed\n"
			 "ukmem_fail_sweep: 100000 runs, 0 leaked\n");
	KT_EQ(ukmem_get_fail_nth(), 0);
	free(out);
	exit(ukmem_exit());
}

static void test_limit(void)
{
	char *out;
	int status = kt_run_child(limit_child, NULL, &out);

	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 0);
	free(out);
}

/* request_irq fails under fail-nth, as 6.1's kzalloc of the action does; a run that
 * keeps a handler or a mapping has leaked it. */
static struct platform_device *irq_pdev;
static void *dma_buf;

static irqreturn_t quiet_handler(int irq, void *dev)
{
	return IRQ_HANDLED;
}

static noinline int keeps_irq(void *arg)
{
	int err = request_irq(40, quiet_handler, 0, "kept", &irq_pdev->dev);

	barrier();		/* not a tail call: the backtrace shows this frame */
	return err;
}

static int frees_irq(void *arg)
{
	int err = devm_request_irq(&irq_pdev->dev, 41, quiet_handler, 0, "freed", irq_pdev);

	if (!err)
		devm_free_irq(&irq_pdev->dev, 41, irq_pdev);
	return err;
}

static noinline int keeps_mapping(void *arg)
{
	dma_addr_t addr = dma_map_single(&irq_pdev->dev, dma_buf, 64, DMA_TO_DEVICE);

	return dma_mapping_error(&irq_pdev->dev, addr);
}

static int unmaps(void *arg)
{
	dma_addr_t addr = dma_map_single(&irq_pdev->dev, dma_buf, 128, DMA_FROM_DEVICE);

	if (dma_mapping_error(&irq_pdev->dev, addr))
		return -ENOMEM;
	dma_unmap_single(&irq_pdev->dev, addr, 128, DMA_FROM_DEVICE);
	return 0;
}

static void irq_dma_child(void *arg)
{
	char *out;

	KT_EQ(ukmem_init("failslab.verbose=0"), 0);
	irq_pdev = platform_device_register_simple("irqdma", 0, NULL, 0);
	KT_ASSERT(!IS_ERR(irq_pdev));
	KT_EQ(dma_set_mask_and_coherent(&irq_pdev->dev, DMA_BIT_MASK(64)), 0);
	dma_buf = kmalloc(256, GFP_KERNEL);
	ukmem_set_fail_nth(1);
	KT_EQ(request_irq(42, quiet_handler, 0, "nth", NULL), -ENOMEM);
	KT_EQ(ukmem_get_fail_nth(), 0);
	KT_EQ(ukmem_fail_sweep(frees_irq, NULL), 0);	/* devres and action: 3 runs, clean */
	KT_EQ(ukmem_fail_sweep(unmaps, NULL), 0);
	kt_capture_begin();
	KT_EQ(ukmem_fail_sweep(keeps_irq, NULL), 1);
	KT_EQ(ukmem_fail_sweep(keeps_mapping, NULL), 1);
	out = kt_capture_end();
	KT_CONTAINS(out, "ukmem_fail_sweep: run 2 (fail-nth=2, no fault injected, returned 0): 1 object(s) acquired in this run were not returned:\nunreferenced object 0x");
	KT_CONTAINS(out, " (size 128):\n");
	KT_CONTAINS(out, "] keeps_irq+");
	KT_CONTAINS(out, "  (a irqaction object)\n");
	KT_CONTAINS(out, "ukmem_fail_sweep: run 1 (fail-nth=1, no fault injected, returned 0): 1 object(s) acquired in this run were not returned:\n");
	KT_CONTAINS(out, " (size 64):\n");
	KT_CONTAINS(out, "] keeps_mapping+");
	KT_CONTAINS(out, "  (a dma-mapping object)\n");
	free(out);
	KT_EQ(ukmem_report_count(), 2);
	kfree(dma_buf);
	platform_device_unregister(irq_pdev);
	exit(ukmem_exit());	/* the handler left on line 40 is not counted again */
}

static void test_irq_dma(void)
{
	char *out;
	int status = kt_run_child(irq_dma_child, NULL, &out);

	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 2);
	KT_NOT_CONTAINS(out, "was never freed");
	free(out);
}

/* An area a run maps (vmap) or reserves (get_vm_area) and keeps is its leak, and so is a
 * cache it creates; one it gives back is not, and neither is counted again at exit. */
static struct page *vmap_page;

static noinline int keeps_vmap(void *arg)
{
	void *p = vmap(&vmap_page, 1, VM_MAP, PAGE_KERNEL);

	barrier();
	return p ? 0 : -ENOMEM;
}

static noinline int keeps_vm_area(void *arg)
{
	struct vm_struct *area = get_vm_area(3 * PAGE_SIZE, VM_IOREMAP);

	barrier();
	return area ? 0 : -ENOMEM;
}

static int gives_areas_back(void *arg)
{
	struct vm_struct *area = get_vm_area(PAGE_SIZE, VM_IOREMAP);
	void *p;

	if (!area)
		return -ENOMEM;
	p = vmap(&vmap_page, 1, VM_MAP, PAGE_KERNEL);
	if (p)
		vunmap(p);
	free_vm_area(area);
	return p ? 0 : -ENOMEM;
}

static noinline int keeps_cache(void *arg)
{
	struct kmem_cache *c = kmem_cache_create("kept_cache", 72, 0, 0, NULL);

	barrier();
	return c ? 0 : -ENOMEM;
}

static int destroys_cache(void *arg)
{
	struct kmem_cache *c = kmem_cache_create("gone_cache", 72, 0, 0, NULL);

	if (!c)
		return -ENOMEM;
	kmem_cache_destroy(c);
	return 0;
}

static void areas_child(void *arg)
{
	char *out;

	KT_EQ(ukmem_init("failslab.verbose=0"), 0);
	vmap_page = alloc_page(GFP_KERNEL);
	KT_EQ(ukmem_fail_sweep(gives_areas_back, NULL), 0);
	KT_EQ(ukmem_fail_sweep(destroys_cache, NULL), 0);
	kt_capture_begin();
	KT_EQ(ukmem_fail_sweep(keeps_vmap, NULL), 1);
	KT_EQ(ukmem_fail_sweep(keeps_vm_area, NULL), 1);
	KT_EQ(ukmem_fail_sweep(keeps_cache, NULL), 1);
	out = kt_capture_end();
	KT_CONTAINS(out, " (size 72):\n");
	KT_CONTAINS(out, "] keeps_cache+");
	KT_CONTAINS(out, "  (a kmem_cache object)\n");
	KT_CONTAINS(out, "ukmem_fail_sweep: run 2 (fail-nth=2, no fault injected, returned 0): 1 object(s) acquired in this run were not returned:\n");
	KT_CONTAINS(out, " (size 4096):\n");
	KT_CONTAINS(out, "] keeps_vmap+");
	KT_CONTAINS(out, " (size 12288):\n");
	KT_CONTAINS(out, "] keeps_vm_area+");
	KT_CONTAINS(out, "  (a vmalloc object)\n");
	free(out);
	KT_EQ(ukmem_report_count(), 3);
	exit(ukmem_exit());		/* the page; the areas and the cache not again */
}

static void test_areas(void)
{
	char *out;
	int status = kt_run_child(areas_child, NULL, &out);

	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 4);	/* two areas, a cache, and the page nobody freed */
	free(out);
}

int main(void)
{
	test_sweep();
	test_limit();
	test_scan_in_run();
	test_stacks();
	test_held();
	test_irq_dma();
	test_areas();
	return 0;
}

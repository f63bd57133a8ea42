/* SPDX-License-Identifier: MIT */
/*
 * kmemleak and the driver half: an ioremap mapping, a requested region, a per-CPU area and a
 * DMA coherent buffer never given back are each reported once at ukmem_exit, in kmemleak's
 * format with the allocating task's comm and pid and the driver's backtrace; given back, none
 * is.  The coherent buffer is reported as itself, not as the pages under it; where DMA
 * debugging already reported it when the driver went, it is not counted twice.
 */
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/percpu.h>
#include "dma/dmatest.h"

#define BASE	0xc0000000ULL

static noinline void driver_work(bool give_back)
{
	struct device *dev = dt_setup();
	u64 __percpu *counters = alloc_percpu(u64);
	struct resource *region;
	void __iomem *regs;
	dma_addr_t handle;
	void *ring;

	KT_EQ(ukmem_mmio_add("leakdev", BASE, 2 * PAGE_SIZE, NULL, NULL), 0);
	KT_ASSERT(counters);
	*per_cpu_ptr(counters, 0) = 0x1122334455667788ULL;
	region = request_mem_region(BASE, PAGE_SIZE, "leakdev-regs");
	KT_ASSERT(region);
	regs = ioremap(BASE, PAGE_SIZE);
	KT_ASSERT(regs);
	KT_EQ(dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32)), 0);
	ring = dma_alloc_coherent(dev, 3000, &handle, GFP_KERNEL);
	KT_ASSERT(ring);
	memset(ring, 'r', 3000);
	if (!give_back)
		return;
	dma_free_coherent(dev, 3000, ring, handle);
	iounmap(regs);
	release_mem_region(BASE, PAGE_SIZE);
	free_percpu(counters);
}

static void leaky_child(void *arg)
{
	KT_EQ(ukmem_init(arg), 0);
	driver_work(false);
	exit(ukmem_exit());
}

static void clean_child(void *arg)
{
	KT_EQ(ukmem_init(""), 0);
	driver_work(true);
	exit(ukmem_exit());
}

int main(void)
{
	char *out, comm[64];
	int status = kt_run_child(leaky_child, "dma_debug=off", &out);

	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 4);
	KT_CONTAINS(out, "kmemleak: 4 new suspected memory leaks");
	KT_CONTAINS(out, " (size 4096):\n");		/* the mapping and the region */
	KT_CONTAINS(out, "  (a ioremap object)\n");
	KT_CONTAINS(out, "  (a resource object)\n");
	KT_CONTAINS(out, "  (a percpu object)\n");
	KT_CONTAINS(out, " (size 8):\n");			/* the per-CPU area, CPU 0's copy */
	KT_CONTAINS(out, "    88 77 66 55 44 33 22 11");
	KT_CONTAINS(out, " (size 3000):\n");		/* the coherent buffer, not its pages */
	KT_CONTAINS(out, "  (a dma-coherent object)\n");
	KT_CONTAINS(out, "    72 72 72 72 72 72 72 72 72 72 72 72 72 72 72 72  rrrrrrrrrrrrrrrr\n");
	KT_NOT_CONTAINS(out, "(a pages object)");
	KT_CONTAINS(out, "] driver_work+");
	KT_NOT_CONTAINS(out, "<unknown>");
	KT_NOT_CONTAINS(out, ", pid 0,");
	snprintf(comm, sizeof(comm), "  comm \"");
	KT_CONTAINS(out, comm);
	free(out);

	/* DMA debugging (on by default) reports the pending coherent buffer when the device
	 * goes at exit: one problem for it, and kmemleak reports the other three. */
	status = kt_run_child(leaky_child, "", &out);
	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 4);
	KT_CONTAINS(out, "device driver has pending DMA allocations while released from device [count=1]");
	KT_CONTAINS(out, "kmemleak: 3 new suspected memory leaks");
	KT_NOT_CONTAINS(out, "(a dma-coherent object)");
	free(out);

	status = kt_run_child(clean_child, NULL, &out);
	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 0);
	KT_NOT_CONTAINS(out, "unreferenced object");
	free(out);
	return 0;
}

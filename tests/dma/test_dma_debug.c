/* SPDX-License-Identifier: MIT */
/*
 * DMA-API debugging: each misuse in a tiny program of its own (a forked child) gives the
 * kernel's report, inside a WARNING, counted as one problem, with where the mapping was made;
 * the same steps done right give nothing.  Also: the device touching memory that is not
 * mapped for it, or against the mapping's direction (refused); pending mappings when the
 * driver unbinds; ukmem_show("dma-api"); with bouncing, a bad unmap or sync never corrupts
 * the pool or the buffer.
 */
#include <linux/swap.h>
#include "dma/dmatest.h"

#define LEN	1500

static struct device *dev;
static char *buf;

/* Runs @fn in a child; checks the problems it reported and that its output has @text. */
static void expect_as(void (*fn)(void *), int problems, const char *prefix, const char *text)
{
	char *out;
	int status = kt_run_child(fn, NULL, &out);

	KT_ASSERT(WIFEXITED(status));
	if (WEXITSTATUS(status) != problems)
		KT_FAIL("expected %d problem(s), got %d, for \"%s\"", problems, WEXITSTATUS(status),
			text ? text : "(none)");
	if (text) {
		KT_CONTAINS(out, "WARNING: CPU: ");
		KT_CONTAINS(out, prefix);
		KT_CONTAINS(out, text);
	} else {
		KT_NOT_CONTAINS(out, "DMA-API");
		KT_NOT_CONTAINS(out, "WARNING");
	}
	free(out);
}

static void expect(void (*fn)(void *), int problems, const char *text)
{
	expect_as(fn, problems, "DMA-API: dmadev dmadev: ", text);
}

static void done(void)
{
	_exit((int)ukmem_report_count());
}

static dma_addr_t map(enum dma_data_direction dir)
{
	dma_addr_t addr = dma_map_single(dev, buf, LEN, dir);

	KT_EQ(dma_mapping_error(dev, addr), 0);
	return addr;
}

static void correct(void *arg)
{
	dma_addr_t addr = map(DMA_FROM_DEVICE), handle;
	struct scatterlist sg[2];
	void *c;

	(void)arg;
	KT_EQ(ukmem_dma_write(dev, addr, "x", 1), 0);
	dma_sync_single_for_cpu(dev, addr, LEN, DMA_FROM_DEVICE);
	dma_sync_single_for_device(dev, addr, LEN, DMA_FROM_DEVICE);
	dma_unmap_single(dev, addr, LEN, DMA_FROM_DEVICE);
	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], buf, 100);
	sg_set_buf(&sg[1], buf + 200, 100);
	KT_EQ(dma_map_sg(dev, sg, 2, DMA_TO_DEVICE), 2);
	dma_sync_sg_for_device(dev, sg, 2, DMA_TO_DEVICE);
	dma_unmap_sg(dev, sg, 2, DMA_TO_DEVICE);
	c = dma_alloc_coherent(dev, 5000, &handle, GFP_KERNEL);
	dma_free_coherent(dev, 5000, c, handle);
	done();
}

static void never_mapped(void *arg)
{
	(void)arg;
	dma_unmap_single(dev, virt_to_phys(buf), LEN, DMA_TO_DEVICE);
	done();
}

static void other_size(void *arg)
{
	(void)arg;
	dma_unmap_single(dev, map(DMA_TO_DEVICE), 1000, DMA_TO_DEVICE);
	done();
}

static void other_direction(void *arg)
{
	(void)arg;
	dma_unmap_single(dev, map(DMA_TO_DEVICE), LEN, DMA_FROM_DEVICE);
	done();
}

static void twice(void *arg)
{
	dma_addr_t addr = map(DMA_TO_DEVICE);

	(void)arg;
	dma_unmap_single(dev, addr, LEN, DMA_TO_DEVICE);
	dma_unmap_single(dev, addr, LEN, DMA_TO_DEVICE);
	done();
}

static void error_address(void *arg)
{
	(void)arg;
	dma_unmap_single(dev, DMA_MAPPING_ERROR, LEN, DMA_TO_DEVICE);
	done();
}

static void sync_unmapped(void *arg)
{
	(void)arg;
	dma_sync_single_for_cpu(dev, virt_to_phys(buf), LEN, DMA_FROM_DEVICE);
	done();
}

static void sync_direction(void *arg)
{
	dma_addr_t addr = map(DMA_TO_DEVICE);

	(void)arg;
	dma_sync_single_for_cpu(dev, addr, LEN, DMA_FROM_DEVICE);
	dma_unmap_single(dev, addr, LEN, DMA_TO_DEVICE);
	done();
}

static void sync_outside(void *arg)
{
	dma_addr_t addr = map(DMA_BIDIRECTIONAL);

	(void)arg;
	dma_sync_single_range_for_cpu(dev, addr, 1000, 1000, DMA_BIDIRECTIONAL);
	dma_unmap_single(dev, addr, LEN, DMA_BIDIRECTIONAL);
	done();
}

static void not_checked(void *arg)
{
	dma_addr_t addr = dma_map_single(dev, buf, LEN, DMA_TO_DEVICE);

	(void)arg;
	dma_unmap_single(dev, addr, LEN, DMA_TO_DEVICE);
	done();
}

static void from_vmalloc(void *arg)
{
	void *v = vmalloc(LEN);

	(void)arg;
	KT_EQ(dma_map_single(dev, v, LEN, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	vfree(v);
	done();
}

static void from_stack(void *arg)
{
	char local[64];

	(void)arg;
	KT_EQ(dma_map_single(dev, local, sizeof(local), DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	done();
}

static void from_malloc(void *arg)
{
	char *m = malloc(64);

	(void)arg;
	KT_EQ(dma_map_single(dev, m, 64, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	free(m);
	done();
}

static void coherent_size(void *arg)
{
	dma_addr_t handle;
	void *c = dma_alloc_coherent(dev, 5000, &handle, GFP_KERNEL);
	unsigned long before;

	(void)arg;
	drain_local_pages(NULL);
	before = nr_free_pages();
	dma_free_coherent(dev, 20000, c, handle);	/* frees what was allocated, no more */
	drain_local_pages(NULL);
	KT_EQ(nr_free_pages(), before + 2);
	done();
}

/* dma_unmap_single of a coherent handle: 6.1's wrong-function report ends the mapping; the
 * later dma_free_coherent is 6.1's "has not allocated" and still frees the pages. */
static void coherent_unmapped(void *arg)
{
	dma_addr_t handle;
	void *c = dma_alloc_coherent(dev, 5000, &handle, GFP_KERNEL);
	unsigned long before;

	(void)arg;
	drain_local_pages(NULL);
	before = nr_free_pages();
	dma_unmap_single(dev, handle, 5000, DMA_BIDIRECTIONAL);
	dma_sync_single_for_cpu(dev, handle, 16, DMA_BIDIRECTIONAL);	/* no mapping now */
	dma_free_coherent(dev, 5000, c, handle);
	drain_local_pages(NULL);
	KT_EQ(nr_free_pages(), before + 2);
	dma_free_coherent(dev, 5000, c, handle);			/* twice: nothing freed */
	drain_local_pages(NULL);
	KT_EQ(nr_free_pages(), before + 2);
	done();
}

/* dma_alloc_pages memory unmapped with dma_unmap_page (6.1: silent, both are "single"); the
 * dma_free_pages that follows is 6.1's "has not allocated" and frees the pages. */
static void pages_unmapped(void *arg)
{
	dma_addr_t handle;
	struct page *p = dma_alloc_pages(dev, 3 * PAGE_SIZE, &handle, DMA_TO_DEVICE, GFP_KERNEL);
	unsigned long before;

	(void)arg;
	KT_ASSERT(p);
	drain_local_pages(NULL);
	before = nr_free_pages();
	dma_unmap_page(dev, handle, 3 * PAGE_SIZE, DMA_TO_DEVICE);
	dma_free_pages(dev, 3 * PAGE_SIZE, p, handle, DMA_TO_DEVICE);
	drain_local_pages(NULL);
	KT_EQ(nr_free_pages(), before + 4);
	done();
}

/* dma_alloc_pages records the size asked for (6.1's debug_dma_map_page), not the pages:
 * freeing with another size is reported, and the pages still come back. */
static void pages_size(void *arg)
{
	dma_addr_t handle;
	struct page *p = dma_alloc_pages(dev, 100, &handle, DMA_FROM_DEVICE, GFP_KERNEL);
	unsigned long before;
	char *text, line[128];

	(void)arg;
	KT_ASSERT(p);
	text = kt_show("dma-api");
	snprintf(line, sizeof(line), "D=%llx L=64 DMA_FROM_DEVICE", (unsigned long long)handle);
	KT_CONTAINS(text, line);
	free(text);
	drain_local_pages(NULL);
	before = nr_free_pages();
	dma_free_pages(dev, 200, p, handle, DMA_FROM_DEVICE);
	drain_local_pages(NULL);
	KT_EQ(nr_free_pages(), before + 1);
	done();
}

static void sg_count(void *arg)
{
	struct scatterlist sg[3];

	(void)arg;
	sg_init_table(sg, 3);
	for (int i = 0; i < 3; i++)
		sg_set_buf(&sg[i], buf + 100 * i, 50);
	KT_EQ(dma_map_sg(dev, sg, 3, DMA_TO_DEVICE), 3);
	dma_unmap_sg(dev, sg, 2, DMA_TO_DEVICE);
	dma_unmap_sg(dev, sg + 2, 1, DMA_TO_DEVICE);
	done();
}

static void device_unmapped(void *arg)
{
	dma_addr_t addr = map(DMA_FROM_DEVICE);

	(void)arg;
	dma_unmap_single(dev, addr, LEN, DMA_FROM_DEVICE);
	memset(buf, 0x55, LEN);
	KT_EQ(ukmem_dma_write(dev, addr, "late", 4), -EFAULT);	/* refused */
	KT_EQ(buf[0], 0x55);
	done();
}

static void device_direction(void *arg)
{
	dma_addr_t addr = map(DMA_TO_DEVICE);

	(void)arg;
	KT_EQ(ukmem_dma_write(dev, addr, "bad", 3), -EFAULT);
	dma_unmap_single(dev, addr, LEN, DMA_TO_DEVICE);
	done();
}

static void device_past_end(void *arg)
{
	dma_addr_t addr = map(DMA_TO_DEVICE);
	char back[16];

	(void)arg;
	KT_EQ(ukmem_dma_read(dev, addr + LEN - 8, back, 16), -EFAULT);
	dma_unmap_single(dev, addr, LEN, DMA_TO_DEVICE);
	done();
}

static void pending_at_unbind(void *arg)
{
	dma_addr_t handle;

	(void)arg;
	map(DMA_TO_DEVICE);
	dma_alloc_coherent(dev, 100, &handle, GFP_KERNEL);
	device_release_driver(dev);
	done();
}

static void show_dma_api(void *arg)
{
	dma_addr_t addr = map(DMA_BIDIRECTIONAL);
	char *text = kt_show("dma-api"), line[256];

	(void)arg;
	snprintf(line, sizeof(line), "dmadev dmadev single idx %d P=%llx N=%llx D=%llx L=%x DMA_BIDIRECTIONAL dma map error checked\n",
		 (int)((addr >> 13) & 16383), (unsigned long long)virt_to_phys(buf),
		 (unsigned long long)virt_to_phys(buf) >> 12, (unsigned long long)addr, LEN);
	KT_CONTAINS(text, line);
	free(text);
	dma_unmap_single(dev, addr, LEN, DMA_BIDIRECTIONAL);
	text = kt_show("dma-api");
	KT_EQ(strlen(text), 0);
	free(text);
	done();
}

int main(void)
{
	KT_EQ(ukmem_init("mem=256M"), 0);
	dev = dt_setup();
	buf = kmalloc(LEN, GFP_KERNEL);

	expect(correct, 0, NULL);
	expect(never_mapped, 1, "device driver tries to free DMA memory it has not allocated [device address=0x");
	expect(other_size, 1, "device driver frees DMA memory with different size [device address=0x");
	expect(other_size, 1, "[map size=1500 bytes] [unmap size=1000 bytes]");
	expect(other_direction, 1, "[mapped with DMA_TO_DEVICE] [unmapped with DMA_FROM_DEVICE]");
	expect(twice, 1, "device driver tries to free DMA memory it has not allocated");
	expect(error_address, 1, "device driver tries to free an invalid DMA memory address");
	expect(sync_unmapped, 1, "device driver tries to sync DMA memory it has not allocated");
	expect(sync_direction, 2, "device driver syncs DMA memory with different direction");
	expect(sync_direction, 2, "device driver syncs device read-only DMA memory for cpu");
	expect(sync_outside, 1, "device driver syncs DMA memory outside allocated range [device address=0x");
	expect(sync_outside, 1, "[allocation size=1500 bytes] [sync offset+size=2000]");
	expect(not_checked, 1, "device driver failed to check map error[device address=0x");
	expect(not_checked, 1, "DMA-API: Mapped at:");
	expect(from_stack, 1, "device driver maps memory from stack [addr=");
	expect(from_malloc, 1, "device driver maps memory from invalid area [addr=");
	expect(coherent_size, 1, "[map size=5000 bytes] [unmap size=20000 bytes]");
	expect(coherent_unmapped, 4, "device driver frees DMA memory with wrong function [device address=0x");
	expect(coherent_unmapped, 4, "[size=5000 bytes] [mapped as coherent] [unmapped as single]");
	expect(coherent_unmapped, 4, "device driver tries to sync DMA memory it has not allocated");
	expect(coherent_unmapped, 4, "device driver tries to free DMA memory it has not allocated");
	expect(pages_unmapped, 1, "device driver tries to free DMA memory it has not allocated");
	expect(pages_size, 1, "device driver frees DMA memory with different size [device address=0x");
	expect(pages_size, 1, "[map size=100 bytes] [unmap size=200 bytes]");
	expect(sg_count, 3, "device driver frees DMA sg list with different entry count [map count=3] [unmap count=2]");
	expect(device_unmapped, 1, "device writes DMA memory that is not mapped for it [device address=0x");
	expect(device_direction, 1, "device writes DMA memory against its direction");
	expect(device_past_end, 1, "device reads DMA memory that is not mapped for it");
	/* After the unbind the device has no driver: the kernel names the bus instead. */
	expect_as(pending_at_unbind, 1, "DMA-API: platform dmadev: ", "device driver has pending DMA allocations while released from device [count=2]");
	expect(show_dma_api, 0, NULL);

	/* vmalloc memory is refused with the kernel's own warning (not a DMA-API one) */
	{
		char *out;
		int status = kt_run_child(from_vmalloc, NULL, &out);

		KT_EQ(WEXITSTATUS(status), 1);
		KT_CONTAINS(out, "dmadev dmadev: rejecting DMA map of vmalloc memory");
		free(out);
	}
	kfree(buf);
	platform_device_unregister(dt_pdev);
	platform_driver_unregister(&dt_driver);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}

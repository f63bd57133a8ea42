/* SPDX-License-Identifier: MIT */
/*
 * Misuse of mappings is reported, never a silent wild access: an access after iounmap
 * faults into a report naming the freed ioremap area; a direct dereference of a callback
 * device's registers faults into a report naming the device and offset; every access
 * through a mapping of a removed device is reported (a callback device's reads then return
 * all ones; a memory-backed device's mapping faults); an accessor running past the end of
 * its mapping faults at the first byte beyond, in the guard page.
 */
#include "iotest.h"

static struct regdev dev;

static noinline void use_after_iounmap(void *arg)
{
	void __iomem *r;

	KT_EQ(ukmem_mmio_add("uaf", DEV_BASE, 0x100, NULL, NULL), 0);
	r = ioremap(DEV_BASE, 0x100);
	writel(1, r + 0x10);
	iounmap(r);
	readl(r + 0x10);
	_exit(0);
}

static noinline void direct_deref(void *arg)
{
	volatile u32 __iomem *r;

	KT_EQ(ukmem_mmio_add("uart0", DEV_BASE, 0x100, &regdev_ops, &dev), 0);
	r = ioremap(DEV_BASE, 0x100);
	(void)r[0x14 / 4];		/* no accessor */
	_exit(0);
}

/* readl whose four bytes run past the end of the mapping (the device goes on): the CPU's
 * fault, at the first byte beyond, in the guard page.  (It faulted at the access's own
 * address, with the report for a dereference without an accessor.) */
static noinline void past_the_end(void *arg)
{
	void __iomem *r;

	KT_EQ(ukmem_mmio_add("regs", DEV_BASE, 2 * PAGE_SIZE, &regdev_ops, &dev), 0);
	r = ioremap(DEV_BASE, PAGE_SIZE);
	fprintf(stderr, "end %016lx\n", (unsigned long)(r + PAGE_SIZE));
	if (arg)
		writel(1, r + PAGE_SIZE - 1);
	else
		(void)readl(r + PAGE_SIZE - 2);
	_exit(0);
}

static noinline void removed_memory(void *arg)
{
	void __iomem *r;

	KT_EQ(ukmem_mmio_add("sram", DEV_BASE, PAGE_SIZE, NULL, NULL), 0);
	r = ioremap(DEV_BASE, PAGE_SIZE);
	writel(1, r + 0x20);
	ukmem_mmio_remove(DEV_BASE);
	readl(r + 0x20);
	_exit(0);
}

static noinline void test_removed_callback(void)
{
	void __iomem *r;
	unsigned long reports;
	char *out, *iomem;

	KT_EQ(ukmem_mmio_add("gone", DEV_BASE, 0x100, &regdev_ops, &dev), 0);
	r = ioremap(DEV_BASE + 0x40, 0x10);
	writel(7, r);
	KT_EQ(readl(r), 7);
	ukmem_mmio_remove(DEV_BASE);
	iomem = kt_show("iomem");
	KT_NOT_CONTAINS(iomem, "gone");
	free(iomem);
	reports = ukmem_report_count();
	kt_capture_begin();
	KT_EQ(readl(r), 0xffffffff);
	writew(1, r + 2);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: ioremap: read32 access to removed device gone at +0x40");
	KT_CONTAINS(out, "BUG: ioremap: write16 access to removed device gone at +0x42");
	free(out);
	KT_EQ(ukmem_report_count(), reports + 2);
	/* a new device at the same place is not reached through the old mapping */
	KT_EQ(ukmem_mmio_add("new", DEV_BASE, 0x100, &regdev_ops, &dev), 0);
	dev.reads = 0;
	kt_capture_begin();
	KT_EQ(readl(r), 0xffffffff);
	out = kt_capture_end();
	KT_CONTAINS(out, "access to removed device gone");
	free(out);
	KT_EQ(dev.reads, 0);
	iounmap(r);
	ukmem_mmio_remove(DEV_BASE);
	kt_capture_begin();
	ukmem_mmio_remove(DEV_BASE);
	out = kt_capture_end();
	KT_CONTAINS(out, "ukmem_mmio_remove: no device at");
	free(out);
}

int main(void)
{
	char *out;
	int st;

	st = kt_run_child(use_after_iounmap, NULL, &out);
	KT_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	KT_CONTAINS(out, "BUG: unable to handle page fault for address");
	KT_CONTAINS(out, "ioremap area that was freed");
	KT_CONTAINS(out, "use_after_iounmap");
	free(out);

	st = kt_run_child(direct_deref, NULL, &out);
	KT_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	KT_CONTAINS(out, "BUG: unable to handle page fault for address");
	KT_CONTAINS(out, "register +0x14 of the emulated device uart0 (physical 0x00000000c0000014)");
	KT_CONTAINS(out, "direct_deref");
	free(out);

	for (long w = 0; w < 2; w++) {
		char end[17], want[96];

		st = kt_run_child(past_the_end, (void *)w, &out);
		KT_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
		KT_ASSERT(sscanf(out, "end %16s", end) == 1);
		snprintf(want, sizeof(want), "BUG: unable to handle page fault for address: %s", end);
		KT_CONTAINS(out, want);		/* the first byte past the mapping */
		KT_CONTAINS(out, w ? "#PF: supervisor write access" : "#PF: supervisor read access");
		KT_CONTAINS(out, "0 bytes to the right of");
		KT_CONTAINS(out, "in the guard page of a ioremap area");
		KT_NOT_CONTAINS(out, "never by dereferencing");
		free(out);
	}

	st = kt_run_child(removed_memory, NULL, &out);
	KT_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	KT_CONTAINS(out, "access to removed device sram at +0x20");
	KT_CONTAINS(out, "removed_memory");
	free(out);

	test_removed_callback();
	KT_EQ(ukmem_exit(), 3);
	return 0;
}

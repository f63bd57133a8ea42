/* SPDX-License-Identifier: MIT */
/*
 * ioremap and emulated devices: each callback sees the width and offset of the access;
 * memory-backed regions alias the device side; unaligned starts keep their offset;
 * mappings live in the vmalloc window and vmallocinfo names them; a range with no device
 * reads all ones; RAM in use is refused (memremap of RAM gives the direct map), RAM the
 * kernel does not use (the first MiB, reserved pages) is mapped; bad arguments;
 * device registration errors; hooks see the register sequence.
 */
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/io-64-nonatomic-hi-lo.h>
#include "iotest.h"

static struct regdev dev;

#define EXPECT_ACCESS(expr, off, size) do { expr; \
	KT_EQ(dev.last_off, off); KT_EQ(dev.last_size, size); } while (0)

static noinline void test_widths(void)
{
	void __iomem *r;
	u8 buf[16];

	KT_EQ(ukmem_mmio_add("regdev", DEV_BASE, 0x200, &regdev_ops, &dev), 0);
	r = ioremap(DEV_BASE, 0x200);
	KT_ASSERT(r);
	KT_ASSERT(is_vmalloc_addr((void *)r));
	EXPECT_ACCESS(writeq(0x1122334455667788ULL, r + 8), 8, 8);
	EXPECT_ACCESS(KT_EQ(readq(r + 8), 0x1122334455667788ULL), 8, 8);
	EXPECT_ACCESS(KT_EQ(readl(r + 8), 0x55667788), 8, 4);
	EXPECT_ACCESS(KT_EQ(readw(r + 12), 0x3344), 12, 2);
	EXPECT_ACCESS(KT_EQ(readb(r + 15), 0x11), 15, 1);
	EXPECT_ACCESS(writel(0xdeadbeef, r + 0x10), 0x10, 4);
	EXPECT_ACCESS(KT_EQ(readl_relaxed(r + 0x10), 0xdeadbeef), 0x10, 4);
	EXPECT_ACCESS(writew_relaxed(0xabcd, r + 0x18), 0x18, 2);
	EXPECT_ACCESS(writeb(0x7f, r + 0x1a), 0x1a, 1);
	EXPECT_ACCESS(KT_EQ(__raw_readl(r + 0x18), 0x7fabcd), 0x18, 4);
	EXPECT_ACCESS(KT_EQ(ioread32(r + 0x10), 0xdeadbeef), 0x10, 4);
	EXPECT_ACCESS(KT_EQ(ioread32be(r + 0x10), 0xefbeadde), 0x10, 4);
	EXPECT_ACCESS(iowrite16be(0x1234, r + 0x20), 0x20, 2);
	KT_EQ(ioread16(r + 0x20), 0x3412);
	EXPECT_ACCESS(KT_EQ(ioread64(r + 8), 0x1122334455667788ULL), 8, 8);
	/* lo_hi: two 32-bit reads, the high word last; hi_lo writes the high word first. */
	EXPECT_ACCESS(KT_EQ(lo_hi_readq(r + 8), 0x1122334455667788ULL), 12, 4);
	EXPECT_ACCESS(hi_lo_writeq(0xa1a2a3a4b1b2b3b4ULL, r + 0x28), 0x28, 4);
	KT_EQ(readq(r + 0x28), 0xa1a2a3a4b1b2b3b4ULL);
	/* string and rep forms hit the same register each time */
	dev.reads = 0;
	EXPECT_ACCESS(ioread32_rep(r + 0x10, buf, 2), 0x10, 4);
	KT_EQ(dev.reads, 2);
	EXPECT_ACCESS(readsl(r + 0x10, buf, 2), 0x10, 4);
	EXPECT_ACCESS(iowrite8_rep(r + 0x30, "abc", 3), 0x30, 1);
	EXPECT_ACCESS(writesl(r + 0x30, buf, 1), 0x30, 4);
	/* memcpy_fromio from an odd address: a byte, a word, dwords, a tail */
	dev.reads = 0;
	EXPECT_ACCESS(memcpy_fromio(buf, r + 0x41, 13), 0x4c, 2);
	KT_EQ(dev.reads, 1 + 1 + 2 + 1);
	EXPECT_ACCESS(memcpy_toio(r + 0x40, buf, 8), 0x44, 4);
	EXPECT_ACCESS(memset_io(r + 0x50, 0, 3), 0x52, 1);
	/* unaligned start keeps its offset */
	{
		void __iomem *u = ioremap(DEV_BASE + 0x10, 4);

		KT_EQ((unsigned long)u & ~PAGE_MASK, 0x10);
		EXPECT_ACCESS(KT_EQ(readl(u), 0xdeadbeef), 0x10, 4);
		iounmap(u);
	}
	iounmap(r);
}

static noinline void test_memory_backed(void)
{
	const phys_addr_t base = DEV_BASE + 0x100000;
	u32 *side;
	void __iomem *r;
	char *info;

	KT_EQ(ukmem_mmio_add("fb", base, 2 * PAGE_SIZE, NULL, NULL), 0);
	side = ukmem_mmio_mem(base);
	KT_ASSERT(side);
	KT_ASSERT(ukmem_mmio_mem(base + 8) == (void *)(side + 2));
	r = ioremap_wc(base, 2 * PAGE_SIZE);
	KT_ASSERT(r);
	/* fast mapping: outside the slow part, plain memory */
	KT_ASSERT(!__ukmem_mmio_slow(r));
	side[3] = 0xcafe;
	KT_EQ(readl(r + 12), 0xcafe);
	writel(0xf00d, r + PAGE_SIZE);
	KT_EQ(side[PAGE_SIZE / 4], 0xf00d);
	KT_EQ(*(volatile u32 *)(r + 12), 0xcafe);	/* memory: direct use works */
	memset_io(r + 16, 0xab, 4);
	KT_EQ(side[4], 0xabababab);
	info = kt_show("vmallocinfo");
	KT_CONTAINS(info, "test_memory_backed");
	KT_CONTAINS(info, "ioremap");
	KT_CONTAINS(info, "phys=0x00000000c0100000 ioremap");
	free(info);
	/* the device frames behind the mapping, no struct page */
	KT_EQ(vmalloc_to_pfn(r + PAGE_SIZE + 8), (base + PAGE_SIZE) >> PAGE_SHIFT);
	KT_ASSERT(!vmalloc_to_page(r));
	/* memremap of device memory goes through ioremap */
	{
		void *m = memremap(base, PAGE_SIZE, MEMREMAP_WB);

		KT_ASSERT(m && is_vmalloc_addr(m));
		KT_EQ(((u32 *)m)[3], 0xcafe);
		memunmap(m);
	}
	/* a forked child has its own copy of device memory, as of RAM */
	{
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			writel(0x1234, r + 12);
			_exit(side[3] == 0x1234 && readl(r + 12) == 0x1234 ? 0 : 1);
		}
		waitpid(pid, &st, 0);
		KT_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		KT_EQ(readl(r + 12), 0xcafe);
		KT_EQ(side[3], 0xcafe);
	}
	iounmap(r);
	ukmem_mmio_remove(base);
	KT_ASSERT(!ukmem_mmio_mem(base));
}

static noinline void test_unclaimed(void)
{
	void __iomem *r = ioremap(DEV_BASE + 0x200000, 16);
	char *out;

	KT_ASSERT(r);
	kt_capture_begin();
	KT_EQ(readl(r), 0xffffffff);
	KT_EQ(readb(r + 1), 0xff);
	KT_EQ(readq(r + 8), ~0ULL);
	writel(1, r);
	KT_EQ(readl(r), 0xffffffff);
	out = kt_capture_end();
	KT_CONTAINS(out, "where no device is: reads return all ones");
	/* one warning per mapping */
	KT_ASSERT(strstr(out, "where no device") == strrchr(out, 'w') - 0 ||
		  strstr(strstr(out, "where no device") + 1, "where no device") == NULL);
	free(out);
	iounmap(r);
}

/* An access with bytes on both sides of a device's edge reaches nobody: all ones, the
 * write dropped, one warning per mapping.  (A memory-backed device's memory was read and
 * written outside it: before its first byte, a fault inside the library; a callback device
 * got an offset before 0 or past its end.) */
static noinline void test_device_edges(void)
{
	static struct regdev edge;
	void __iomem *r;
	u8 *mem;
	char *out;

	KT_EQ(ukmem_mmio_add("sram", DEV_BASE + PAGE_SIZE, PAGE_SIZE, NULL, NULL), 0);
	KT_EQ(ukmem_mmio_add("regs", DEV_BASE + 3 * PAGE_SIZE, 0x100, &regdev_ops, &edge), 0);
	mem = ukmem_mmio_mem(DEV_BASE + PAGE_SIZE);
	memset(mem, 0x11, PAGE_SIZE);
	r = ioremap(DEV_BASE, 4 * PAGE_SIZE);
	KT_ASSERT(r);
	kt_capture_begin();
	KT_EQ(readl(r + PAGE_SIZE - 2), 0xffffffff);		/* before the first byte */
	writel(0x22222222, r + PAGE_SIZE - 2);
	KT_EQ(readq(r + 2 * PAGE_SIZE - 4), ~0ULL);		/* past the last */
	writeq(0, r + 2 * PAGE_SIZE - 4);
	KT_EQ(readl(r + 3 * PAGE_SIZE + 0xfe), 0xffffffff);	/* a callback device's end */
	writew(1, r + 3 * PAGE_SIZE - 1);			/* and its start */
	out = kt_capture_end();
	KT_CONTAINS(out, "ioremap: read32 at physical 0x00000000c0000ffe runs across the edge of "
		    "device sram [mem 0x00000000c0001000-0x00000000c0001fff]: reads return all "
		    "ones, writes are dropped (mapping created by test_device_edges");
	KT_EQ(kt_count(out, "runs across the edge"), 1);	/* once per mapping */
	free(out);
	KT_EQ(mem[0], 0x11);
	KT_EQ(mem[1], 0x11);
	KT_EQ(mem[PAGE_SIZE - 1], 0x11);
	KT_EQ(edge.reads + edge.writes, 0);
	/* inside, both still answer */
	KT_EQ(readl(r + PAGE_SIZE), 0x11111111);
	KT_EQ(readl(r + 3 * PAGE_SIZE + 0xfc), 0);
	KT_EQ(edge.reads, 1);
	iounmap(r);
	ukmem_mmio_remove(DEV_BASE + PAGE_SIZE);
	ukmem_mmio_remove(DEV_BASE + 3 * PAGE_SIZE);
}

/* iounmap may sleep (6.1's remove_vm_area): in atomic context it is reported, and the
 * mapping still goes.  (It was taken down silently.) */
static noinline void test_iounmap_atomic(void)
{
	static DEFINE_SPINLOCK(lock);
	unsigned long reports = ukmem_report_count();
	void __iomem *r = ioremap(DEV_BASE + 0x200000, PAGE_SIZE);
	char *out;

	KT_ASSERT(r);
	kt_capture_begin();
	spin_lock(&lock);
	iounmap(r);
	spin_unlock(&lock);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: sleeping function called from invalid context at src/io/ioremap.c");
	KT_CONTAINS(out, "test_iounmap_atomic");
	free(out);
	KT_EQ(ukmem_report_count(), reports + 1);
	out = kt_show("vmallocinfo");
	KT_NOT_CONTAINS(out, "phys=0x00000000c0200000 ioremap");
	free(out);
	spin_lock(&lock);
	iounmap(NULL);		/* nothing to take down: no report */
	spin_unlock(&lock);
	KT_EQ(ukmem_report_count(), reports + 1);
}

static noinline void test_ram_and_bad_args(void)
{
	unsigned long reports = ukmem_report_count();
	char *out;
	void *p;

	kt_capture_begin();
	KT_ASSERT(!ioremap(0x200000, PAGE_SIZE));
	out = kt_capture_end();
	KT_CONTAINS(out, "WARNING:");
	KT_CONTAINS(out, "ioremap on RAM at 0x0000000000200000 - 0x0000000000200fff");
	KT_EQ(ukmem_report_count(), reports + 1);
	free(out);
	/* memremap of RAM is the direct map */
	p = kmalloc(64, GFP_KERNEL);
	KT_ASSERT(memremap(virt_to_phys(p), 64, MEMREMAP_WB) == p);
	memunmap(p);			/* nothing to undo */
	kfree(p);
	KT_ASSERT(!ioremap(DEV_BASE, 0));
	KT_ASSERT(!ioremap(~0ULL - 10, 100));
	/* beyond the CPU's 46 physical address bits: the kernel's phys_addr_valid() refusal */
	kt_capture_begin();
	KT_ASSERT(!ioremap(1ULL << 60, PAGE_SIZE));
	out = kt_capture_end();
	KT_CONTAINS(out, "ioremap: invalid physical address 1000000000000000\n");
	KT_CONTAINS(out, "WARNING:");
	KT_EQ(ukmem_report_count(), reports + 2);
	free(out);
	KT_ASSERT(!ioremap_np(DEV_BASE, 16));	/* x86 has no non-posted mappings */
	/* more than the vmalloc window holds: alloc_vmap_area's line (the guard page counted),
	 * a printk warning, not a counted report; no longer a silent NULL */
	kt_capture_begin();
	KT_ASSERT(!ioremap(DEV_BASE, VMALLOC_END - VMALLOC_START));
	out = kt_capture_end();
	KT_CONTAINS(out, "vmap allocation for size ");
	KT_CONTAINS(out, " failed: use vmalloc=<size> to increase size\n");
	KT_EQ(strtoul(strstr(out, "for size ") + 9, NULL, 10),
	      VMALLOC_END - VMALLOC_START + PAGE_SIZE);
	KT_EQ(ukmem_report_count(), reports + 2);
	free(out);
	iounmap(NULL);
	kt_capture_begin();
	p = vmalloc(100);
	iounmap((void __iomem *)p);
	out = kt_capture_end();
	KT_CONTAINS(out, "iounmap: bad address");
	free(out);
	vfree(p);
}

/* RAM the kernel does not use maps, as 6.1's __ioremap_check_ram lets it through: the
 * reserved first MiB (the VGA and BIOS area: it was refused as RAM) and PageReserved pages
 * of System RAM; the mapping is that memory, as the direct map sees it. */
static noinline void test_unused_ram(void)
{
	unsigned long reports = ukmem_report_count();
	u32 *direct = phys_to_virt(0xa0000);
	void __iomem *vga, *low, *across;
	struct page *page;
	u32 *pv;

	vga = ioremap(0xa0000, 0x20000);
	KT_ASSERT(vga);
	KT_ASSERT(is_vmalloc_addr((void __force *)vga));
	*direct = 0x12345678;
	KT_EQ(readl(vga), 0x12345678);
	writel(0xcafef00d, vga + 0x1fffc);
	KT_EQ(direct[0x1fffc / 4], 0xcafef00d);
	KT_EQ(vmalloc_to_pfn((void __force *)vga + 0x1000), 0xa1);
	iounmap(vga);
	low = ioremap(0, PAGE_SIZE);		/* physical 0: the real-mode vector table */
	KT_ASSERT(low);
	iounmap(low);
	/* a whole page of System RAM in use is refused (the WARN_ONCE was given above); less
	 * than a page of it is not, as 6.1 counts whole pages only */
	KT_ASSERT(!ioremap(0xff000, 0x2000));
	across = ioremap(0xfff00, 0x200);
	KT_ASSERT(across);
	writeb(0x5a, across + 0x100);
	KT_EQ(*(u8 *)phys_to_virt(0x100000), 0x5a);
	iounmap(across);
	/* less than a page at the end of RAM and the page after it, where nothing is: the
	 * RAM bytes are RAM, the rest reads all ones */
	{
		phys_addr_t end = PFN_PHYS(max_pfn);
		void __iomem *tail = ioremap(end - 0x10, 0x20);
		char *out;

		KT_ASSERT(tail);
		kt_capture_begin();
		writel(0x7a11, tail + 0xc);
		KT_EQ(*(u32 *)phys_to_virt(end - 4), 0x7a11);
		KT_EQ(readl(tail + 0x10), 0xffffffff);
		out = kt_capture_end();
		KT_CONTAINS(out, "where no device is");
		free(out);
		iounmap(tail);
	}
	/* a page a driver marked reserved */
	page = alloc_page(GFP_KERNEL);
	pv = page_address(page);
	KT_ASSERT(!ioremap(page_to_phys(page), PAGE_SIZE));
	SetPageReserved(page);
	low = ioremap(page_to_phys(page) + 8, 8);
	KT_ASSERT(low);
	writel(0x600d, low);
	KT_EQ(pv[2], 0x600d);
	iounmap(low);
	ClearPageReserved(page);
	__free_page(page);
	KT_EQ(ukmem_report_count(), reports);
}

/* memremap decides as 6.1's, by region_intersects() on System RAM: RAM and nothing (the
 * end of RAM) is RAM (it was NULL and a "mixed range" warning); RAM and another resource is
 * mixed; the reserved first MiB is not System RAM, so it is ioremapped. */
static noinline void test_memremap_regions(void)
{
	unsigned long reports = ukmem_report_count();
	phys_addr_t end = PFN_PHYS(max_pfn);
	char *out;
	void *m;

	m = memremap(end - PAGE_SIZE, 2 * PAGE_SIZE, MEMREMAP_WB);
	KT_ASSERT(m == phys_to_virt(end - PAGE_SIZE));
	memunmap(m);
	KT_EQ(ukmem_report_count(), reports);
	kt_capture_begin();
	KT_ASSERT(!memremap(end - PAGE_SIZE, 2 * PAGE_SIZE, MEMREMAP_WC));
	KT_ASSERT(!memremap(0xff000, 0x2000, MEMREMAP_WB));	/* Reserved and System RAM */
	out = kt_capture_end();
	KT_CONTAINS(out, "memremap attempted on ram ");
	KT_CONTAINS(out, "memremap attempted on mixed range 0x00000000000ff000 size: 0x2000\n");
	free(out);
	KT_EQ(ukmem_report_count(), reports + 2);
	m = memremap(0xa0000, PAGE_SIZE, MEMREMAP_WB);
	KT_ASSERT(m && is_vmalloc_addr(m));
	*(u32 *)phys_to_virt(0xa0000) = 0xb105;
	KT_EQ(*(volatile u32 *)m, 0xb105);
	memunmap(m);
}

static noinline void test_add_errors(void)
{
	static struct regdev d2;

	KT_EQ(ukmem_mmio_add("x", 0x100000, 4096, &regdev_ops, &d2), -EINVAL);	/* RAM */
	KT_EQ(ukmem_mmio_add("x", DEV_BASE + 0x300000, 0, &regdev_ops, &d2), -EINVAL);
	KT_EQ(ukmem_mmio_add("x", ~0ULL - 4, 16, &regdev_ops, &d2), -EINVAL);
	KT_EQ(ukmem_mmio_add("x", (1ULL << 46) - 8, 16, &regdev_ops, &d2), -EINVAL);
	KT_EQ(ukmem_mmio_add("a", DEV_BASE + 0x300000, 0x10, &regdev_ops, &d2), 0);
	/* not page granular: a neighbour in the same page is fine, an overlap is not */
	KT_EQ(ukmem_mmio_add("b", DEV_BASE + 0x300010, 0x10, &regdev_ops, &d2), 0);
	KT_EQ(ukmem_mmio_add("c", DEV_BASE + 0x30001f, 0x10, &regdev_ops, &d2), -EBUSY);
	{
		void __iomem *r = ioremap(DEV_BASE + 0x300000, 0x20);

		d2.last_off = 99;
		readl(r + 0x14);
		KT_EQ(d2.last_off, 4);		/* device "b" at its own offset 4 */
		iounmap(r);
	}
	/* a mapping that spills out of a device's pages: the kernel's sanity check */
	{
		void __iomem *r;
		char *out;

		kt_capture_begin();
		r = ioremap(DEV_BASE + 0x300000, 2 * PAGE_SIZE);
		out = kt_capture_end();
		KT_ASSERT(r);
		KT_CONTAINS(out, "resource sanity check: requesting [mem 0x00000000c0300000-"
			    "0x00000000c0301fff], which spans more than a [mem 0xc0300000-0xc030000f]");
		KT_CONTAINS(out, "caller test_add_errors");
		KT_CONTAINS(out, "mapping multiple BARs");
		free(out);
		iounmap(r);
	}
	ukmem_mmio_remove(DEV_BASE + 0x300000);
	ukmem_mmio_remove(DEV_BASE + 0x300010);
}

struct rec { int n; u64 off[8]; bool write[8]; u64 val[8]; };

static void hook(void *arg, u64 off, unsigned int size, bool write, u64 value)
{
	struct rec *r = arg;

	if (r->n < 8) {
		r->off[r->n] = off;
		r->write[r->n] = write;
		r->val[r->n++] = value;
	}
}

static noinline void test_hook(void)
{
	static struct regdev d3;
	struct rec rec = { 0 };
	const phys_addr_t base = DEV_BASE + 0x400000;
	void __iomem *r;

	KT_EQ(ukmem_mmio_add("hooked", base, 0x100, &regdev_ops, &d3), 0);
	KT_EQ(ukmem_mmio_set_hook(base, hook, &rec), 0);
	KT_EQ(ukmem_mmio_set_hook(DEV_BASE + 0x500000, hook, &rec), -ENOENT);
	r = ioremap(base, 0x100);
	writel(5, r + 4);
	readl(r + 4);
	writeb(1, r);
	KT_EQ(rec.n, 3);
	KT_EQ(rec.off[0], 4); KT_EQ(rec.write[0], 1); KT_EQ(rec.val[0], 5);
	KT_EQ(rec.off[1], 4); KT_EQ(rec.write[1], 0); KT_EQ(rec.val[1], 5);
	KT_EQ(rec.off[2], 0); KT_EQ(rec.write[2], 1);
	ukmem_mmio_set_hook(base, NULL, NULL);
	readl(r);
	KT_EQ(rec.n, 3);
	iounmap(r);
	ukmem_mmio_remove(base);
	/* memory-backed with a hook: the mapping goes through the hook */
	KT_EQ(ukmem_mmio_add("hmem", base, PAGE_SIZE, NULL, NULL), 0);
	KT_EQ(ukmem_mmio_set_hook(base, hook, &rec), 0);
	r = ioremap(base, PAGE_SIZE);
	KT_ASSERT(__ukmem_mmio_slow(r));
	((u32 *)ukmem_mmio_mem(base))[1] = 77;
	KT_EQ(readl(r + 4), 77);
	KT_EQ(*(volatile u32 *)(r + 4), 77);	/* its memory is still mapped */
	KT_EQ(rec.n, 4);
	KT_EQ(rec.val[3], 77);
	iounmap(r);
	ukmem_mmio_remove(base);
}

/* A device that raises its interrupt from inside a register write: the handler runs at once
 * (nested in the accessor) and reads the device again; under spin_lock_irqsave it waits. */
static void __iomem *kick_regs;
static int kick_handled;
static u64 kick_seen;

static u64 kick_read(void *priv, u64 off, unsigned int size)
{
	return 0x77;
}

static void kick_write(void *priv, u64 off, unsigned int size, u64 val)
{
	ukmem_irq_raise(50);
}

static irqreturn_t kick_irq(int irq, void *dev)
{
	kick_seen = readl(kick_regs + 8);
	kick_handled++;
	return IRQ_HANDLED;
}

static noinline void test_irq_from_callback(void)
{
	static const struct ukmem_mmio_ops ops = { kick_read, kick_write };
	const phys_addr_t base = DEV_BASE + 0x600000;
	DEFINE_SPINLOCK(lock);
	unsigned long flags;

	KT_EQ(ukmem_mmio_add("kicker", base, 0x10, &ops, NULL), 0);
	kick_regs = ioremap(base, 0x10);
	KT_EQ(request_irq(50, kick_irq, 0, "kicker", &kick_handled), 0);
	writel(1, kick_regs);
	KT_EQ(kick_handled, 1);
	KT_EQ(kick_seen, 0x77);
	spin_lock_irqsave(&lock, flags);
	writel(1, kick_regs);
	KT_EQ(kick_handled, 1);
	spin_unlock_irqrestore(&lock, flags);
	KT_EQ(kick_handled, 2);
	free_irq(50, &kick_handled);
	iounmap(kick_regs);
	ukmem_mmio_remove(base);
}

/* Inside a device access (a callback, or the interrupt handler it raised) the device table
 * is in use: ioremap, iounmap and the device side's changes are refused with a warning.
 * (Each waited for ever for the lock its own access held.) */
#define INSIDE_BASE	(DEV_BASE + 0x700000)
static void __iomem *inside_regs;
static int inside_add_err;
static void __iomem *inside_map;

static irqreturn_t inside_irq(int irq, void *dev)
{
	iounmap(inside_regs);			/* in hard-irq context, in the access */
	inside_map = ioremap(INSIDE_BASE, 0x10);
	return IRQ_HANDLED;
}

static u64 inside_read(void *priv, u64 off, unsigned int size)
{
	return 0x42;
}

static void inside_write(void *priv, u64 off, unsigned int size, u64 val)
{
	if (val == 1)
		ukmem_irq_raise(51);
	else if (val == 2)
		ukmem_mmio_remove(INSIDE_BASE);
	else
		inside_add_err = ukmem_mmio_add("more", INSIDE_BASE + 0x1000, 0x10, NULL, NULL);
}

static noinline void test_changes_inside_access(void)
{
	static const struct ukmem_mmio_ops ops = { inside_read, inside_write };
	unsigned long reports = ukmem_report_count();
	char *out;

	KT_EQ(ukmem_mmio_add("inside", INSIDE_BASE, 0x10, &ops, NULL), 0);
	inside_regs = ioremap(INSIDE_BASE, 0x10);
	KT_ASSERT(inside_regs);
	KT_EQ(request_irq(51, inside_irq, 0, "inside", &inside_regs), 0);
	kt_capture_begin();
	writel(1, inside_regs);
	writel(2, inside_regs);
	writel(3, inside_regs);
	out = kt_capture_end();
	KT_CONTAINS(out, "iounmap from inside a device access (a device callback or hook, or an "
		    "interrupt handler it raised): the device table is in use there; refused");
	KT_CONTAINS(out, "ioremap from inside a device access");
	KT_CONTAINS(out, "ukmem_mmio_remove from inside a device access");
	KT_CONTAINS(out, "ukmem_mmio_add from inside a device access");
	KT_EQ(kt_count(out, "BUG: sleeping function called from invalid context"), 2);
	free(out);
	KT_EQ(ukmem_report_count(), reports + 6);	/* 4 warnings, 2 sleeping in an irq */
	KT_ASSERT(!inside_map);
	KT_EQ(inside_add_err, -EDEADLK);
	KT_EQ(readl(inside_regs), 0x42);		/* still mapped, the device still there */
	free_irq(51, &inside_regs);
	iounmap(inside_regs);
	ukmem_mmio_remove(INSIDE_BASE);
}

int main(void)
{
	test_widths();
	test_memory_backed();
	test_unclaimed();
	test_device_edges();
	test_iounmap_atomic();
	test_ram_and_bad_args();
	test_unused_ram();
	test_memremap_regions();
	test_add_errors();
	test_hook();
	test_irq_from_callback();
	test_changes_inside_access();
	/* "ioremap on RAM", "invalid physical address", "iounmap: bad address", iounmap
	 * under a spinlock, memremap "on ram" and "on mixed range", the 6 of changes inside
	 * an access */
	KT_EQ(ukmem_exit(), 12);
	return 0;
}

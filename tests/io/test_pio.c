/* SPDX-License-Identifier: MIT */
/*
 * Port I/O: a port device (ukmem_mmio_add_port) sees the offset and width of inb..outl and of
 * ioread/iowrite through an ioport_map() cookie; ports with no device read all ones; an
 * ioread of an address below PIO_OFFSET warns "Bad IO access", naming the access as 6.1
 * does; an access whose ports are
 * partly a device's reaches nobody; drivers' claims nest in
 * ioport_resource under the device.
 */
#include <linux/io-64-nonatomic-lo-hi.h>
#include "iotest.h"

static struct regdev dev;

int main(void)
{
	void __iomem *cookie;
	char *out;

	KT_EQ(ukmem_mmio_add_port("com1", 0x3f8, 8, &regdev_ops, &dev), 0);
	KT_EQ(ukmem_mmio_add_port("x", 0x3fc, 8, &regdev_ops, &dev), -EBUSY);
	KT_EQ(ukmem_mmio_add_port("x", 0x10000, 8, &regdev_ops, &dev), -EINVAL);
	KT_EQ(ukmem_mmio_add_port("x", 0x2f8, 8, NULL, NULL), -EINVAL);
	KT_ASSERT(request_region(0x3f8, 8, "serial"));

	outb(0x41, 0x3f8);
	KT_EQ(dev.last_off, 0);
	KT_EQ(dev.last_size, 1);
	KT_EQ(inb(0x3f8), 0x41);
	outw(0x1234, 0x3fa);
	KT_EQ(dev.last_off, 2);
	KT_EQ(dev.last_size, 2);
	KT_EQ(inw(0x3fa), 0x1234);
	outl(0xdeadbeef, 0x3fc);
	KT_EQ(inl(0x3fc), 0xdeadbeef);
	KT_EQ(dev.last_size, 4);

	cookie = ioport_map(0x3f8, 8);
	KT_EQ((unsigned long)cookie, 0x3f8 + PIO_OFFSET);
	KT_EQ(ioread8(cookie + 1), 0);	/* byte 1: never written */
	KT_EQ(dev.last_off, 1);
	iowrite16(0xcafe, cookie + 4);
	KT_EQ(dev.last_off, 4);
	KT_EQ(dev.last_size, 2);
	KT_EQ(ioread32(cookie + 4), 0xdeadcafe);
	ioport_unmap(cookie);
	KT_ASSERT(!ioport_map(0x10000, 1));

	/* no device: all ones, one warning */
	kt_capture_begin();
	KT_EQ(inb(0x80), 0xff);
	KT_EQ(inl(0x84), 0xffffffff);
	out = kt_capture_end();
	KT_CONTAINS(out, "in8 at port 0x80, where no device is");
	KT_NOT_CONTAINS(out, "port 0x84");
	free(out);
	/* an ioread of something that is neither MMIO nor a port cookie */
	kt_capture_begin();
	KT_EQ(ioread16((void __iomem *)0x100), 0xffff);
	out = kt_capture_end();
	KT_CONTAINS(out, "Bad IO access at port 0x100 (return inw(port))");
	free(out);
	/* each names the access as 6.1's lib/iomap.c does; a _rep, a 64-bit or a big-endian
	 * form warns once per call (the _rep forms warned for each element) */
	{
		u32 buf[16] = { 0 };

		kt_capture_begin();
		ioread32_rep((void __iomem *)0x200, buf, 16);
		iowrite16be(1, (void __iomem *)0x300);
		KT_EQ(ioread64_lo_hi((void __iomem *)0x400), ~0ULL);
		pci_iounmap(NULL, NULL);
		out = kt_capture_end();
		KT_EQ(kt_count(out, "Bad IO access"), 4);
		KT_CONTAINS(out, "Bad IO access at port 0x200 (insl(port,dst,count))");
		KT_CONTAINS(out, "Bad IO access at port 0x300 (pio_write16be(val,port))");
		KT_CONTAINS(out, "Bad IO access at port 0x400 (return pio_read64_lo_hi(port))");
		KT_CONTAINS(out, "Bad IO access at port 0x0 ()");
		free(out);
		KT_EQ(buf[0], 0);		/* nothing read */
	}

	/* ports partly the device's reach nobody (the device saw an offset before 0) */
	dev.reads = dev.writes = 0;
	KT_EQ(inl(0x3f6), 0xffffffff);
	KT_EQ(inw(0x3ff), 0xffff);
	outl(1, 0x3f6);
	KT_EQ(dev.reads + dev.writes, 0);

	out = kt_show("iomem");
	KT_NOT_CONTAINS(out, "com1");
	free(out);
	out = kt_show("ioports");
	KT_CONTAINS(out, "03f8-03ff : com1\n  03f8-03ff : serial\n");
	free(out);
	release_region(0x3f8, 8);
	ukmem_mmio_remove_port(0x3f8);
	KT_EQ(inb(0x3f8), 0xff);
	KT_EQ(ukmem_exit(), 5);		/* the Bad IO access warnings */
	return 0;
}

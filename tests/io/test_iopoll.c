/* SPDX-License-Identifier: MIT */
/*
 * linux/iopoll.h against a device whose status register reads "ready" after N reads: the
 * helpers return 0 with the ready value, -ETIMEDOUT with the last value read when the
 * device never gets ready, and the sleeping form is checked by might_sleep().
 */
#include <linux/iopoll.h>
#include <linux/spinlock.h>
#include "iotest.h"

static struct regdev dev;

static u32 status_of(void __iomem *r)
{
	return readl(r + 0x80);
}

int main(void)
{
	void __iomem *r;
	u32 val;
	u64 v64;
	char *out;
	DEFINE_SPINLOCK(lock);

	KT_EQ(ukmem_mmio_add("poll", DEV_BASE, 0x100, &regdev_ops, &dev), 0);
	r = ioremap(DEV_BASE, 0x100);

	dev.ready_after = 5;
	KT_EQ(readl_poll_timeout(r + 0x80, val, val & 1, 10, 100000), 0);
	KT_EQ(val, 1);
	KT_EQ(dev.reads, 6);

	dev.reads = 0;
	dev.ready_after = 3;
	KT_EQ(readl_poll_timeout_atomic(r + 0x80, val, val == 1, 1, 100000), 0);
	KT_EQ(dev.reads, 4);

	dev.reads = 0;
	dev.ready_after = 2;
	KT_EQ(readx_poll_timeout(status_of, r, val, val, 0, 0), 0);	/* no timeout: until ready */
	KT_EQ(dev.reads, 3);

	dev.reads = 0;
	dev.ready_after = 4;
	KT_EQ(read_poll_timeout(readq, v64, v64 == 1, 5, 100000, true, r + 0x80), 0);
	KT_EQ(dev.reads, 5);

	/* never ready: -ETIMEDOUT after about the timeout, with the last value read */
	dev.reads = 0;
	dev.ready_after = 1 << 30;
	KT_EQ(readl_poll_timeout(r + 0x80, val, val == 1, 100, 2000), -ETIMEDOUT);
	KT_EQ(val, 0);
	KT_ASSERT(dev.reads >= 2);
	KT_EQ(readl_poll_timeout_atomic(r + 0x80, val, val == 1, 0, 500), -ETIMEDOUT);

	/* the sleeping form under a spinlock is reported; the atomic form is not */
	dev.reads = 0;
	dev.ready_after = 0;
	kt_capture_begin();
	spin_lock(&lock);
	KT_EQ(readl_poll_timeout_atomic(r + 0x80, val, val, 1, 1000), 0);
	KT_EQ(readl_poll_timeout(r + 0x80, val, val, 1, 1000), 0);
	spin_unlock(&lock);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: sleeping function called from invalid context");
	free(out);

	iounmap(r);
	ukmem_mmio_remove(DEV_BASE);
	KT_EQ(ukmem_exit(), 1);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * A child of fork() adds and removes emulated devices and reaches the parent's: the device
 * table's lock, held across fork() by the forking thread, is free in the child.  (The child
 * used to release it as a reader, the way glibc treats an unlock from another thread, and
 * then hung on its first ukmem_mmio_add: a KUnit case that registered a device in its init
 * never finished.)  The parent keeps working too.  A mapping of RAM (the reserved first
 * MiB) is the child's own RAM in the child: it went on writing the parent's.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/mm.h>
#include "iotest.h"

static struct regdev dev;
static void __iomem *low;	/* ioremap of physical 0xa0000, made before the fork */

static int child(void)
{
	void __iomem *p;

	alarm(20);		/* a hang ends as a failure */
	writel(0xc41d, low);
	KT_EQ(*(u32 *)phys_to_virt(0xa0000), 0xc41d);
	KT_EQ(ukmem_mmio_add("child-dev", DEV_BASE + 0x1000, 0x100, &regdev_ops, &dev), 0);
	ukmem_mmio_remove(DEV_BASE + 0x1000);
	p = ioremap(DEV_BASE, 0x100);
	KT_ASSERT(p);
	writel(0x1234, p + 0x10);
	KT_EQ(readl(p + 0x10), 0x1234);
	iounmap(p);
	iounmap(low);
	ukmem_mmio_remove(DEV_BASE);
	return ukmem_exit();
}

int main(void)
{
	int status, round;
	pid_t pid;

	KT_EQ(ukmem_mmio_add("regdev", DEV_BASE, 0x100, &regdev_ops, &dev), 0);
	low = ioremap(0xa0000, PAGE_SIZE);
	KT_ASSERT(low);
	writel(0x9a7e, low);
	for (round = 0; round < 2; round++) {	/* the parent's lock is fine after a fork too */
		pid = fork();
		KT_ASSERT(pid >= 0);
		if (pid == 0)
			_exit(child() ? 1 : 0);
		KT_EQ(waitpid(pid, &status, 0), pid);
		KT_ASSERT(WIFEXITED(status));
		KT_EQ(WEXITSTATUS(status), 0);
	}
	KT_EQ(ukmem_mmio_add("after", DEV_BASE + 0x2000, 0x100, &regdev_ops, &dev), 0);
	ukmem_mmio_remove(DEV_BASE + 0x2000);
	ukmem_mmio_remove(DEV_BASE);
	KT_EQ(dev.writes, 0);		/* the child's write went to its own copy */
	KT_EQ(readl(low), 0x9a7e);	/* and so did its write to RAM */
	KT_EQ(*(u32 *)phys_to_virt(0xa0000), 0x9a7e);
	iounmap(low);
	return ukmem_exit();
}

/* SPDX-License-Identifier: MIT */
/*
 * The compat headers coexist with glibc: a file that includes glibc headers which pull in
 * UAPI headers by name (<errno.h> -> <linux/errno.h>, <sys/ioctl.h> -> <linux/ioctl.h>) and
 * then the kernel headers builds with our include/ first on the path, and both halves work.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/rcupdate.h>
#include <ukmem.h>
#include "ktest.h"

struct drv {
	spinlock_t lock;
	int count;
	struct rcu_head rcu;
	char name[16];
};

int main(void)
{
	struct drv *d = kzalloc(sizeof(*d), GFP_KERNEL);
	unsigned long cmd = _IOR('u', 1, int);

	KT_ASSERT(d);
	spin_lock_init(&d->lock);
	spin_lock(&d->lock);
	d->count = EINVAL + ENOTTY;		/* glibc's errno values are the kernel's */
	spin_unlock(&d->lock);
	strcpy(d->name, "drv");
	KT_EQ(d->count, 22 + 25);
	KT_EQ(_IOC_DIR(cmd), _IOC_READ);
	KT_EQ(_IOC_SIZE(cmd), sizeof(int));
	KT_ASSERT(ioctl(-1, FIONREAD, &d->count) == -1 && errno == EBADF);
	KT_EQ(page_to_pfn(virt_to_page(d)), virt_to_phys(d) >> PAGE_SHIFT);
	kfree_rcu(d, rcu);
	rcu_barrier();
	KT_EQ(ukmem_report_count(), 0);
	printf("test_headers: ok\n");
	return 0;
}

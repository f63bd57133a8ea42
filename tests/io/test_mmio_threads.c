/* SPDX-License-Identifier: MIT */
/*
 * Two threads hammer the registers of one callback device (and a memory-backed one) while
 * a third maps and unmaps the device: every access reaches the device with the right
 * offset and width, no access is lost, and (under ThreadSanitizer) there is no data race.
 */
#include <pthread.h>
#include "iotest.h"

#define ITERS	20000

struct counter_dev {
	pthread_mutex_t lock;		/* the device's own state is the device's business */
	u64 sum[2];
	long reads[2], writes[2];
};

static u64 cnt_read(void *priv, u64 off, unsigned int size)
{
	struct counter_dev *d = priv;
	int i = off == 0x10;
	u64 v;

	KT_ASSERT((off == 0 || off == 0x10) && size == 4);
	pthread_mutex_lock(&d->lock);
	d->reads[i]++;
	v = d->sum[i];
	pthread_mutex_unlock(&d->lock);
	return v;
}

static void cnt_write(void *priv, u64 off, unsigned int size, u64 val)
{
	struct counter_dev *d = priv;
	int i = off == 0x10;

	KT_ASSERT((off == 0 || off == 0x10) && size == 4);
	pthread_mutex_lock(&d->lock);
	d->writes[i]++;
	d->sum[i] += val;
	pthread_mutex_unlock(&d->lock);
}

static const struct ukmem_mmio_ops cnt_ops = { cnt_read, cnt_write };
static struct counter_dev cdev = { .lock = PTHREAD_MUTEX_INITIALIZER };
static void __iomem *regs;
static u32 *mem_regs;
static volatile int stop;

static void *worker(void *arg)
{
	long id = (long)arg;

	for (int i = 0; i < ITERS; i++) {
		writel(1, regs + id * 0x10);
		(void)readl(regs + id * 0x10);
		writel((u32)i, (void __iomem *)&mem_regs[id]);
	}
	return NULL;
}

static void *remapper(void *arg)
{
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		void __iomem *r = ioremap(DEV_BASE, 0x20);

		KT_ASSERT(r);
		(void)readl(r);
		iounmap(r);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[3];

	KT_EQ(ukmem_mmio_add("counter", DEV_BASE, 0x20, &cnt_ops, &cdev), 0);
	KT_EQ(ukmem_mmio_add("shared-mem", DEV_BASE + 0x10000, PAGE_SIZE, NULL, NULL), 0);
	regs = ioremap(DEV_BASE, 0x20);
	mem_regs = (u32 *)ioremap(DEV_BASE + 0x10000, PAGE_SIZE);
	KT_ASSERT(regs && mem_regs);
	pthread_create(&t[2], NULL, remapper, NULL);
	pthread_create(&t[0], NULL, worker, (void *)0L);
	pthread_create(&t[1], NULL, worker, (void *)1L);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	pthread_join(t[2], NULL);
	KT_EQ(cdev.writes[0], ITERS);
	KT_EQ(cdev.writes[1], ITERS);
	KT_EQ(cdev.sum[0], ITERS);
	KT_EQ(cdev.sum[1], ITERS);
	KT_EQ(readl(regs + 0x10), ITERS);
	KT_EQ(((u32 *)ukmem_mmio_mem(DEV_BASE + 0x10000))[1], ITERS - 1);
	iounmap(regs);
	iounmap((void __iomem *)mem_regs);
	ukmem_mmio_remove(DEV_BASE);
	ukmem_mmio_remove(DEV_BASE + 0x10000);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}

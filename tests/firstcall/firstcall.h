/* SPDX-License-Identifier: MIT */
/*
 * The first-call test's shared part: every public header (generated list), the helpers the
 * generated cases use, and the case table's types.  The cases themselves are generated from
 * the headers by gen_firstcall.py into firstcall_cases.c; the driver is firstcall.c.
 */
#ifndef UKMEM_FIRSTCALL_H
#define UKMEM_FIRSTCALL_H
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "firstcall_headers.h"

#define FC_RES_START	0xfe000000UL	/* a free range of iomem_resource */
#define FC_IO_START	0x1000UL	/* a free range of ioport_resource */

#define FC_MMIO_START	0xfd000000UL	/* an emulated memory-backed device (fc_mmio_once) */

/* An object with an rcu_head, for kfree_rcu and kmem_cache_create's size. */
struct fc_obj {
	long data[4];
	struct rcu_head rcu;
};

/* A case found the call did not do its job: the child reports it and fails. */
static inline void fc_fail(const char *why)
{
	fprintf(stderr, "FC: %s\n", why);
	_exit(15);
}

static inline void fc_mmio_add(void)
{
	if (ukmem_mmio_add("fc_mmio", FC_MMIO_START, 0x1000, NULL, NULL))
		fc_fail("ukmem_mmio_add");
}

/* Adds the emulated device once per process, whichever racing thread comes first. */
static inline void fc_mmio_once(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, fc_mmio_add);
}

static inline void fc_rcu_free(struct rcu_head *head)
{
	free(head);
}

/* sort()'s comparisons: bytes in order. */
static inline int fc_cmp(const void *a, const void *b)
{
	return *(const unsigned char *)a - *(const unsigned char *)b;
}

static inline int fc_cmp_r(const void *a, const void *b, const void *priv)
{
	(void)priv;
	return fc_cmp(a, b);
}

/* Callbacks the driver-half rules hand out: each does nothing, as a valid callback may. */
static inline void fc_dr_release(struct device *dev, void *res)
{
	(void)dev;
	(void)res;
}

static inline void fc_dev_release(struct device *dev)
{
	(void)dev;
}

static inline irqreturn_t fc_irq_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	return IRQ_NONE;
}

static inline int fc_notifier(struct notifier_block *nb, unsigned long action, void *data)
{
	(void)nb;
	(void)action;
	(void)data;
	return NOTIFY_DONE;
}

/* The driver-half accessors' devices and callbacks (tests/firstcall/rules.py, the block after
 * PENDING).  FC_REGS_START: a callback device whose registers read as the number of reads
 * this thread made of them (a poll's condition becomes true after a few reads) and drop
 * writes; FC_PORT_START: the same in the I/O port space. */
#define FC_REGS_START	0xfd010000UL
#define FC_PORT_START	0x2000UL

static inline u64 fc_reg_read(void *priv, u64 offset, unsigned int size)
{
	static __thread u64 reads;

	(void)priv;
	(void)offset;
	(void)size;
	return ++reads;
}

static inline void fc_reg_write(void *priv, u64 offset, unsigned int size, u64 value)
{
	(void)priv;
	(void)offset;
	(void)size;
	(void)value;
}

static inline void fc_regs_add(void)
{
	static const struct ukmem_mmio_ops fc_reg_ops = { .read = fc_reg_read, .write = fc_reg_write };

	if (ukmem_mmio_add("fc_regs", FC_REGS_START, 0x1000, &fc_reg_ops, NULL))
		fc_fail("ukmem_mmio_add");
	if (ukmem_mmio_add_port("fc_port", FC_PORT_START, 8, &fc_reg_ops, NULL))
		fc_fail("ukmem_mmio_add_port");
}

/* Adds both callback devices once per process. */
static inline void fc_regs_once(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, fc_regs_add);
}

/* This thread's slot, 0 .. 3 in the order the racing threads first ask: racing threads
 * claim disjoint ranges with it (a region, an I/O port range). */
static inline unsigned int fc_slot(void)
{
	static unsigned int next;
	static __thread int slot = -1;

	if (slot < 0)
		slot = (int)(__atomic_fetch_add(&next, 1, __ATOMIC_RELAXED) & 3);
	return (unsigned int)slot;
}

static inline void fc_action(void *data)
{
	(void)data;
}

static inline void fc_dr_each(struct device *dev, void *res, void *data)
{
	(void)dev;
	(void)res;
	++*(int *)data;
}

static inline void fc_chunk_each(struct gen_pool *pool, struct gen_pool_chunk *chunk, void *data)
{
	(void)pool;
	(void)chunk;
	++*(int *)data;
}

static inline void fc_mmio_hook(void *arg, u64 offset, unsigned int size, bool write, u64 value)
{
	(void)arg;
	(void)offset;
	(void)size;
	(void)write;
	(void)value;
}

static inline int fc_probe(struct platform_device *pdev)
{
	(void)pdev;
	return 0;
}

/* A kthread's function (the task rules' kthreads): it returns at once when woken. */
static inline int fc_kthread_fn(void *data)
{
	(void)data;
	return 0;
}

/* A driver walk's callback: it is handed a registered driver (named), never one whose
 * driver_unregister has returned (another thread's driver may die meanwhile). */
static inline int fc_drv_visit(struct device_driver *drv, void *data)
{
	(void)data;
	if (!drv || !drv->name || !drv->name[0])
		fc_fail("a driver walk called its callback without a registered driver");
	return 0;
}

/* A device walk's callback and match: a registered device (named); no match. */
static inline int fc_dev_visit(struct device *dev, void *data)
{
	(void)data;
	if (!dev || !dev_name(dev))
		fc_fail("a device walk called its callback without a registered device");
	return 0;
}

static inline int fc_dev_match(struct device *dev, const void *data)
{
	return fc_dev_visit(dev, (void *)data);
}

/*
 * What the rules for the KUnit API and the driver-support cores hand out.  A KUnit case
 * (fc_kunit_case) for the suites the runner's entry points run; resource and action
 * callbacks that do what a valid one may (an action counts its runs in *ctx); a kref
 * release for a kref on the stack; a generator that fills what it is asked for; a watchdog
 * whose operations succeed, set up as a driver's probe does.
 */
static inline void fc_kunit_case(struct kunit *test)
{
	char *p = kunit_kzalloc(test, 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p[63], 0);
}

static inline int fc_kunit_res_init(struct kunit_resource *res, void *context)
{
	res->data = context;
	return 0;
}

static inline void fc_kunit_res_free(struct kunit_resource *res)
{
	(void)res;
}

static inline void fc_kunit_action(void *ctx)
{
	if (ctx)
		(*(int *)ctx)++;
}

static inline void fc_kref_release(struct kref *kref)
{
	(void)kref;
}

static inline int fc_hwrng_read(struct hwrng *rng, void *data, size_t max, bool wait)
{
	(void)rng;
	(void)wait;
	memset(data, 0x5a, max);
	return (int)max;
}

static inline int fc_wdt_op(struct watchdog_device *wdd)
{
	(void)wdd;
	return 0;
}

static inline void fc_wdt_init(struct watchdog_device *wdd)
{
	static const struct watchdog_info info = {
		.options = WDIOF_SETTIMEOUT | WDIOF_KEEPALIVEPING | WDIOF_MAGICCLOSE,
		.identity = "fc_wdt",
	};
	static const struct watchdog_ops ops = {
		.start = fc_wdt_op, .stop = fc_wdt_op, .ping = fc_wdt_op,
	};

	memset(wdd, 0, sizeof(*wdd));
	wdd->info = &info;
	wdd->ops = &ops;
	wdd->timeout = 30;
	wdd->min_timeout = 1;
	wdd->max_timeout = 600;
}

/* A handle on the clock "fc_clk" (any device), which the first thread to ask registers. */
static inline void fc_clk_add(void)
{
	int err = ukmem_clk_add(NULL, "fc_clk", 1000000);

	if (err && err != -EEXIST)
		fc_fail("ukmem_clk_add");
}

static inline struct clk *fc_clk_get(void)
{
	struct clk *clk;

	fc_clk_add();
	clk = clk_get_sys(NULL, "fc_clk");
	if (IS_ERR(clk))
		fc_fail("clk_get_sys");
	return clk;
}

/* One lock/unlock spelling for every lock type a rule may hand out. */
#define LOCK(l) _Generic((l), struct mutex *: mutex_lock, raw_spinlock_t *: _raw_spin_lock, \
			 spinlock_t *: spin_lock)(l)
#define UNLOCK(l) _Generic((l), struct mutex *: mutex_unlock, raw_spinlock_t *: _raw_spin_unlock, \
			   spinlock_t *: spin_unlock)(l)
#define LOCK_IRQ(l) _Generic((l), raw_spinlock_t *: _raw_spin_lock_irq, spinlock_t *: spin_lock_irq)(l)
#define UNLOCK_IRQ(l) _Generic((l), raw_spinlock_t *: _raw_spin_unlock_irq, \
			       spinlock_t *: spin_unlock_irq)(l)
#define LOCK_BH(l) _Generic((l), raw_spinlock_t *: _raw_spin_lock_bh, spinlock_t *: spin_lock_bh)(l)
#define UNLOCK_BH(l) _Generic((l), raw_spinlock_t *: _raw_spin_unlock_bh, \
			      spinlock_t *: spin_unlock_bh)(l)

struct fc_case {
	const char *name, *kind, *where;
	void (*fn)(void);	/* NULL: the generator cannot call it (error says why) */
	int reports;		/* BUG/WARN reports the valid call makes */
	int api;		/* its arguments are made by ukmem calls first */
	const char *error;
};
struct fc_skip {
	const char *name, *kind, *where, *why;
};
extern const struct fc_case fc_cases[];
extern const unsigned int fc_nr_cases;
extern const struct fc_skip fc_skips[];
extern const unsigned int fc_nr_skips;
#endif

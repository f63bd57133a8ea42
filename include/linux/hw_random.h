/* SPDX-License-Identifier: MIT */
/*
 * <linux/hw_random.h>: hardware random number generator drivers.  A driver fills a struct
 * hwrng (name, read or data_present/data_read, optional init/cleanup, priv, quality) and
 * registers it; the core (src/drivers/hwrng.c) reads it as drivers/char/hw_random/core.c
 * does.  Programs read through the core with ukmem_hwrng_read() (<ukmem.h>), the
 * counterpart of reading /dev/hwrng.
 */
#ifndef _UKMEM_LINUX_HW_RANDOM_H
#define _UKMEM_LINUX_HW_RANDOM_H
#include <linux/types.h>
#include <linux/list.h>

struct device;

/**
 * struct hwrng - a hardware random number generator
 * @name: unique name (drivers usually pass their device's name)
 * @init: called when the rng becomes the current one (may be NULL)
 * @cleanup: called when it stops being current and no reader holds it (may be NULL)
 * @data_present: old interface: whether data is ready (may be NULL: always ready)
 * @data_read: old interface: read up to 4 bytes into *data, return how many
 * @read: read up to @max bytes (the core's buffer holds at least 32), waiting for data
 *	when @wait; return the bytes read, 0 for none, or a negative errno
 * @priv: the driver's own
 * @quality: entropy per 1024 bits of output (0: the core's default)
 */
struct hwrng {
	const char *name;
	int (*init)(struct hwrng *rng);
	void (*cleanup)(struct hwrng *rng);
	int (*data_present)(struct hwrng *rng, int wait);
	int (*data_read)(struct hwrng *rng, u32 *data);
	int (*read)(struct hwrng *rng, void *data, size_t max, bool wait);
	unsigned long priv;
	unsigned short quality;

	/* the core's own */
	struct list_head list;
	unsigned int ref;		/* readers and "current" hold it; 0: cleaned up */
	bool cleanup_done;		/* no init outstanding without its cleanup */
	bool dying;			/* being unregistered: hwrng_msleep returns */
};

int hwrng_register(struct hwrng *rng);
int devm_hwrng_register(struct device *dev, struct hwrng *rng);
void hwrng_unregister(struct hwrng *rng);
void devm_hwrng_unregister(struct device *dev, struct hwrng *rng);
long hwrng_msleep(struct hwrng *rng, unsigned int msecs);
long hwrng_yield(struct hwrng *rng);
#endif

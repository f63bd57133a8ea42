/* SPDX-License-Identifier: MIT */
/*
 * The hwrng core (drivers/char/hw_random/core.c): registered generators, the current one,
 * and reads through it.
 *
 * As in the kernel: the current rng is the registered one of best quality unless a program
 * chose one by name (ukmem_hwrng_read with a name, the counterpart of writing rng_current);
 * an rng's init runs when it becomes current, its cleanup when it stops being current and
 * the last reader has let go; registering reads 32 bytes at once without waiting ("early
 * randomness") from the new current rng, or from any rng that has no init; reads hand the
 * driver a buffer of RNG_BUFFER_SIZE bytes and give out what it returned from the end of the
 * buffer backwards (data_avail), as rng_dev_read does.
 *
 * Not as in the kernel: there is no "hwrng" fill thread feeding the entropy pool in the
 * background, so an emulated device sees reads only from registration and from
 * ukmem_hwrng_read (a test can then match every byte); the cleanup runs at the last
 * reference's put instead of on a workqueue; a blocking read of an rng that keeps returning
 * nothing gives up after HWRNG_MAX_EMPTY (100) tries with -ETIMEDOUT (the kernel's waits for a
 * signal).
 *
 * Invariants: rng->ref > 0 exactly while the rng is current or a reader holds it, and then
 * its init has run and its cleanup has not; hwrng.cur is on hwrng.rngs.
 *
 * Locking: hwrng.rng_mutex guards the list, the current rng and every ref count;
 * hwrng.reading_mutex serialises driver reads and the shared buffers (taken without
 * rng_mutex, never inside it).  init and cleanup run under rng_mutex, as in the kernel.
 */
#include <string.h>
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/hw_random.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <ukmem.h>
#include "core/core.h"
#include "base/base.h"
#include "platform/platform.h"

#define RNG_BUFFER_SIZE	64	/* SMP_CACHE_BYTES, at least 32 */
#define HWRNG_MAX_EMPTY	100

static struct {
	struct mutex rng_mutex;
	struct mutex reading_mutex;
	struct list_head rngs;
	struct hwrng *cur;
	bool cur_rng_set_by_user;
	unsigned short default_quality;	/* rng_core.default_quality (0, as the kernel's) */
	int data_avail;			/* bytes of rng_buffer not handed out yet */
	u8 rng_buffer[RNG_BUFFER_SIZE];
	u8 rng_fillbuf[RNG_BUFFER_SIZE];
} hwrng = {
	.rng_mutex = __MUTEX_INITIALIZER(hwrng.rng_mutex),
	.reading_mutex = __MUTEX_INITIALIZER(hwrng.reading_mutex),
	.rngs = LIST_HEAD_INIT(hwrng.rngs),
};

/* The last reference is gone: clean up.  rng_mutex held. */
static void put_rng_locked(struct hwrng *rng)
{
	if (!rng)
		return;
	if (WARN_ON(!rng->ref))
		return;
	if (--rng->ref)
		return;
	if (rng->cleanup)
		rng->cleanup(rng);
	__atomic_store_n(&rng->cleanup_done, true, __ATOMIC_RELEASE);
}

static void put_rng(struct hwrng *rng)
{
	if (!rng)
		return;
	mutex_lock(&hwrng.rng_mutex);
	put_rng_locked(rng);
	mutex_unlock(&hwrng.rng_mutex);
}

static struct hwrng *get_current_rng_locked(void)
{
	struct hwrng *rng = hwrng.cur;

	if (rng)
		rng->ref++;
	return rng;
}

static struct hwrng *get_current_rng(void)
{
	struct hwrng *rng;

	mutex_lock(&hwrng.rng_mutex);
	rng = get_current_rng_locked();
	mutex_unlock(&hwrng.rng_mutex);
	return rng;
}

/* Run init unless it is already live; rng_mutex held. */
static int hwrng_init(struct hwrng *rng)
{
	if (rng->ref) {
		rng->ref++;
	} else {
		if (rng->init) {
			int ret = rng->init(rng);

			if (ret)
				return ret;
		}
		rng->ref = 1;
		__atomic_store_n(&rng->cleanup_done, false, __ATOMIC_RELEASE);
	}
	if (!rng->quality)
		rng->quality = hwrng.default_quality;
	if (rng->quality > 1024)
		rng->quality = 1024;
	return 0;
}

static int set_current_rng(struct hwrng *rng)
{
	struct hwrng *old = hwrng.cur;
	int err = hwrng_init(rng);

	if (err)
		return err;
	hwrng.cur = rng;
	put_rng_locked(old);
	return 0;
}

static void drop_current_rng(void)
{
	struct hwrng *rng = hwrng.cur;

	if (!rng)
		return;
	hwrng.cur = NULL;
	put_rng_locked(rng);
}

static int enable_best_rng(void)
{
	struct hwrng *rng, *best = NULL;
	int ret;

	if (list_empty(&hwrng.rngs)) {
		drop_current_rng();
		hwrng.cur_rng_set_by_user = false;
		return 0;
	}
	list_for_each_entry(rng, &hwrng.rngs, list) {
		if (!best || rng->quality > best->quality)
			best = rng;
	}
	ret = best == hwrng.cur ? 0 : set_current_rng(best);
	if (!ret)
		hwrng.cur_rng_set_by_user = false;
	return ret;
}

/* One driver read into @buffer; reading_mutex held. */
static int rng_get_data(struct hwrng *rng, u8 *buffer, size_t size, int wait)
{
	int present;

	if (rng->read)
		return rng->read(rng, buffer, size, wait);
	present = rng->data_present ? rng->data_present(rng, wait) : 1;
	if (present)
		return rng->data_read(rng, (u32 *)buffer);
	return 0;
}

static void add_early_randomness(struct hwrng *rng)
{
	int n;

	mutex_lock(&hwrng.reading_mutex);
	n = rng_get_data(rng, hwrng.rng_fillbuf, 32, 0);
	mutex_unlock(&hwrng.reading_mutex);
	if (n > 0)
		add_device_randomness(hwrng.rng_fillbuf, (size_t)n);
}

/**
 * hwrng_register - add a hardware random number generator
 * @rng: the generator (name and read or data_read set)
 *
 * It becomes current when there is none or it has better quality than the current one
 * (unless a program chose the current one): its init runs then.  Then 32 bytes are read
 * without waiting (from a new current rng, or from any rng without init).
 * Context: may sleep.  Return: 0, -EINVAL (no name or no read), -EEXIST (name taken), or
 * the error of its init.
 */
int hwrng_register(struct hwrng *rng)
{
	struct hwrng *tmp;
	bool is_new_current = false;
	int err;

	ukmem__ensure_started();
	if (!rng->name || (!rng->data_read && !rng->read))
		return -EINVAL;
	mutex_lock(&hwrng.rng_mutex);
	list_for_each_entry(tmp, &hwrng.rngs, list) {
		if (!strcmp(tmp->name, rng->name)) {
			mutex_unlock(&hwrng.rng_mutex);
			return -EEXIST;
		}
	}
	list_add_tail(&rng->list, &hwrng.rngs);
	rng->ref = 0;
	rng->cleanup_done = true;
	rng->dying = false;
	if (!hwrng.cur ||
	    (!hwrng.cur_rng_set_by_user && rng->quality > hwrng.cur->quality)) {
		err = set_current_rng(rng);
		if (err) {
			list_del_init(&rng->list);
			mutex_unlock(&hwrng.rng_mutex);
			return err;
		}
		is_new_current = true;
		rng->ref++;
	}
	mutex_unlock(&hwrng.rng_mutex);
	if (is_new_current || !rng->init)
		add_early_randomness(rng);
	if (is_new_current)
		put_rng(rng);
	return 0;
}

/* Whether @rng is on the list of registered generators; rng_mutex held. */
static bool rng_registered_locked(const struct hwrng *rng)
{
	struct hwrng *tmp;

	list_for_each_entry(tmp, &hwrng.rngs, list)
		if (tmp == rng)
			return true;
	return false;
}

/**
 * hwrng_unregister - remove a generator
 * @rng: a registered generator
 *
 * If it was current, the best remaining one takes over (its init runs, 32 bytes are read).
 * Returns once @rng's cleanup has run, that is once no reader holds it.  A generator that
 * is not registered (NULL, never registered, unregistered already) gets a warning and
 * nothing is done: 6.1 would list_del() it again, corrupting the list, and wait for a
 * cleanup that never comes.
 * Context: may sleep.
 */
void hwrng_unregister(struct hwrng *rng)
{
	struct hwrng *old, *new_rng;

	ukmem__ensure_started();
	mutex_lock(&hwrng.rng_mutex);
	if (!rng_registered_locked(rng)) {
		mutex_unlock(&hwrng.rng_mutex);
		WARN(1, "hwrng_unregister: %p is not a registered hwrng (unregistered twice?); "
		     "nothing done\n", rng);
		return;
	}
	old = hwrng.cur;
	list_del(&rng->list);
	__atomic_store_n(&rng->dying, true, __ATOMIC_RELEASE);
	if (hwrng.cur == rng && enable_best_rng()) {
		drop_current_rng();
		hwrng.cur_rng_set_by_user = false;
	}
	new_rng = get_current_rng_locked();
	mutex_unlock(&hwrng.rng_mutex);
	if (new_rng) {
		if (old != new_rng)
			add_early_randomness(new_rng);
		put_rng(new_rng);
	}
	while (!__atomic_load_n(&rng->cleanup_done, __ATOMIC_ACQUIRE))
		ukmem__os_sleep_us(100);
}

static void devm_hwrng_release(struct device *dev, void *res)
{
	(void)dev;
	hwrng_unregister(*(struct hwrng **)res);
}

static int devm_hwrng_match(struct device *dev, void *res, void *data)
{
	struct hwrng **r = res;

	(void)dev;
	if (WARN_ON(!r || !*r))
		return 0;
	return *r == data;
}

/**
 * devm_hwrng_register - hwrng_register, unregistered when @dev's driver unbinds
 * @dev: the device
 * @rng: the generator
 *
 * Return: as hwrng_register, or -ENOMEM.
 */
int devm_hwrng_register(struct device *dev, struct hwrng *rng)
{
	struct hwrng **ptr;
	int err;

	if (ukmem__devres_dev_bad(dev))
		return -EINVAL;
	ptr = devres_alloc(devm_hwrng_release, sizeof(*ptr), GFP_KERNEL);
	if (!ptr)
		return -ENOMEM;
	err = hwrng_register(rng);
	if (err) {
		devres_free(ptr);
		return err;
	}
	*ptr = rng;
	devres_add(dev, ptr);
	return 0;
}

/** devm_hwrng_unregister - unregister a devm_hwrng_register'ed generator now */
void devm_hwrng_unregister(struct device *dev, struct hwrng *rng)
{
	WARN_ON(devres_release(dev, devm_hwrng_release, devm_hwrng_match, rng));
}

/**
 * hwrng_msleep - sleep @msecs, or less if @rng is being unregistered
 * @rng: the generator
 * @msecs: the time
 *
 * Return: 0 when the time ran out, else the jiffies left (at least 1).
 */
long hwrng_msleep(struct hwrng *rng, unsigned int msecs)
{
	unsigned long left_us = (unsigned long)msecs * 1000;

	might_sleep();
	while (left_us) {
		unsigned long step = left_us < 1000 ? left_us : 1000;

		if (__atomic_load_n(&rng->dying, __ATOMIC_ACQUIRE))
			return (long)usecs_to_jiffies((unsigned int)left_us) ?: 1;
		ukmem__os_sleep_us(step);
		left_us -= step;
	}
	return __atomic_load_n(&rng->dying, __ATOMIC_ACQUIRE) ? 1 : 0;
}

/** hwrng_yield - sleep one jiffy unless @rng is being unregistered (as hwrng_msleep) */
long hwrng_yield(struct hwrng *rng)
{
	return hwrng_msleep(rng, jiffies_to_msecs(1));
}

/* Make the rng named @name current, as writing its name to rng_current does. */
static int select_rng(const char *name)
{
	struct hwrng *rng, *old, *new_rng;
	int err = -ENODEV;

	mutex_lock(&hwrng.rng_mutex);
	old = hwrng.cur;
	if (old && !strcmp(old->name, name)) {	/* chosen all the same: pinned, as 6.1 */
		hwrng.cur_rng_set_by_user = true;
		mutex_unlock(&hwrng.rng_mutex);
		return 0;
	}
	list_for_each_entry(rng, &hwrng.rngs, list) {
		if (!strcmp(rng->name, name)) {
			err = set_current_rng(rng);
			if (!err)
				hwrng.cur_rng_set_by_user = true;
			break;
		}
	}
	new_rng = get_current_rng_locked();
	mutex_unlock(&hwrng.rng_mutex);
	if (new_rng) {
		if (new_rng != old)
			add_early_randomness(new_rng);
		put_rng(new_rng);
	}
	return err;
}

/**
 * ukmem_hwrng_read - read random bytes through the hwrng core, as reading /dev/hwrng does
 * @name: NULL for the current rng, or the name of a registered one, which then becomes
 *	current as if written to rng_current (its init runs, 32 bytes are read)
 * @buf: where to put the bytes
 * @len: how many
 * @wait: false: O_NONBLOCK (stop at the first read that returns nothing)
 *
 * Each driver read gets a 64-byte buffer; the bytes it returned are handed out from the
 * end backwards, leftovers kept for the next call, exactly as rng_dev_read.
 * Context: may sleep.  Return: the bytes read (> 0 unless @len is 0); -ENODEV (no rng, or
 * no rng of that name), -EAGAIN (nothing without waiting), -ETIMEDOUT (a waiting read got
 * nothing 100 times in a row), -EFAULT (@buf NULL: the bytes the driver gave are consumed,
 * as a read into a bad user buffer), or the driver's error.
 */
ssize_t ukmem_hwrng_read(const char *name, void *buf, size_t len, bool wait)
{
	u8 *out = buf;
	ssize_t ret = 0;
	int err = 0, empty = 0;

	ukmem__ensure_started();
	might_sleep();
	if (name) {
		err = select_rng(name);
		if (err)
			return err;
	}
	while (len) {
		struct hwrng *rng = get_current_rng();
		int n;

		if (!rng) {
			err = -ENODEV;
			break;
		}
		mutex_lock(&hwrng.reading_mutex);
		if (!hwrng.data_avail) {
			n = rng_get_data(rng, hwrng.rng_buffer, sizeof(hwrng.rng_buffer), wait);
			if (n < 0) {
				err = n;
				goto unlock;
			}
			if (n > RNG_BUFFER_SIZE) {
				WARN(1, "hwrng %s: read returned %d bytes, more than %d\n",
				     rng->name, n, RNG_BUFFER_SIZE);
				n = RNG_BUFFER_SIZE;
			}
			if (n == 0 && !wait) {
				err = -EAGAIN;
				goto unlock;
			}
			hwrng.data_avail = n;
		}
		if (hwrng.data_avail) {
			size_t take = (size_t)hwrng.data_avail < len ? (size_t)hwrng.data_avail : len;

			hwrng.data_avail -= (int)take;
			if (!buf) {	/* 6.1's copy_to_user faults: the bytes are gone */
				err = -EFAULT;
				goto unlock;
			}
			memcpy(out, hwrng.rng_buffer + hwrng.data_avail, take);
			out += take;
			len -= take;
			ret += (ssize_t)take;
			empty = 0;
		} else if (++empty >= HWRNG_MAX_EMPTY) {
			err = -ETIMEDOUT;
		}
unlock:
		mutex_unlock(&hwrng.reading_mutex);
		put_rng(rng);
		if (err)
			break;
	}
	return ret ? ret : err;
}

static int hwrng_show(FILE *out, const char *arg)
{
	struct hwrng *rng;

	(void)arg;
	mutex_lock(&hwrng.rng_mutex);
	fprintf(out, "rng_current: %s%s\n", hwrng.cur ? hwrng.cur->name : "none",
		hwrng.cur_rng_set_by_user ? " (chosen)" : "");
	fprintf(out, "rng_available:");
	list_for_each_entry(rng, &hwrng.rngs, list)
		fprintf(out, " %s(quality %u)", rng->name, rng->quality);
	fprintf(out, "\n");
	mutex_unlock(&hwrng.rng_mutex);
	return 0;
}

static int hwrng_core_init(void)
{
	ukmem__show_register("hwrng", hwrng_show);
	return 0;
}
UKMEM_INITCALL(UKMEM_INIT_SUBSYS, hwrng_core_init);

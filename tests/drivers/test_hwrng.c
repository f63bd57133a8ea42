/* SPDX-License-Identifier: MIT */
/*
 * The hwrng core with drivers written here: registration checks; the current rng is the
 * best quality (init when it becomes current, cleanup when it stops); early randomness (32
 * bytes, no wait) at registration; every read gets a buffer of at least 32 bytes; the old
 * data_present/data_read interface; a driver error reaches the reader; an init that fails
 * keeps the rng off the list; unregistering the current rng hands over to the best one
 * left; the "hwrng" report.
 */
#include <linux/hw_random.h>
#include <linux/kernel.h>
#include <ukmem.h>
#include "ktest.h"

struct fake {
	struct hwrng rng;
	int inits, cleanups, reads, init_err, read_err;
	size_t min_max;		/* the smallest buffer the core passed */
	bool last_wait;
	u8 next;		/* bytes are next, next + 1, ... */
};

static int fake_init(struct hwrng *rng)
{
	struct fake *f = container_of(rng, struct fake, rng);

	f->inits++;
	return f->init_err;
}

static void fake_cleanup(struct hwrng *rng)
{
	container_of(rng, struct fake, rng)->cleanups++;
}

static int fake_read(struct hwrng *rng, void *data, size_t max, bool wait)
{
	struct fake *f = container_of(rng, struct fake, rng);
	u8 *p = data;

	f->reads++;
	f->last_wait = wait;
	if (!f->min_max || max < f->min_max)
		f->min_max = max;
	if (f->read_err)
		return f->read_err;
	for (int i = 0; i < 8; i++)	/* as some drivers do: 8 bytes whatever max says */
		p[i] = f->next++;
	return 8;
}

static int old_present_calls;

static int old_present(struct hwrng *rng, int wait)
{
	old_present_calls++;
	return wait;		/* data only for a reader who waits */
}

static int old_read(struct hwrng *rng, u32 *data)
{
	*data = 0x44332211;
	return 4;
}

int main(void)
{
	struct fake a = { .rng = { .name = "a", .init = fake_init, .cleanup = fake_cleanup,
				   .read = fake_read } };
	struct fake b = { .rng = { .name = "b", .init = fake_init, .cleanup = fake_cleanup,
				   .read = fake_read, .quality = 700 }, .next = 100 };
	struct fake c = { .rng = { .name = "c", .init = fake_init, .cleanup = fake_cleanup,
				   .read = fake_read, .quality = 900 } };
	struct fake bad = { .rng = { .name = "bad", .init = fake_init, .read = fake_read,
				     .quality = 1000 }, .init_err = -EIO };
	struct hwrng noname = { .read = fake_read }, noread = { .name = "x" };
	struct hwrng dup = { .name = "a", .read = fake_read };
	struct hwrng old = { .name = "old", .data_present = old_present, .data_read = old_read };
	u8 buf[16];
	char *out;

	KT_EQ(hwrng_register(&noname), -EINVAL);
	KT_EQ(hwrng_register(&noread), -EINVAL);
	KT_EQ(ukmem_hwrng_read(NULL, buf, 4, false), -ENODEV);

	/* a: the first one becomes current; init, then 32 bytes of early randomness. */
	KT_EQ(hwrng_register(&a.rng), 0);
	KT_EQ(a.inits, 1);
	KT_EQ(a.reads, 1);
	KT_EQ(a.min_max, 32);
	KT_ASSERT(!a.last_wait);
	KT_EQ(hwrng_register(&dup), -EEXIST);

	/* Reads: the core's buffer is 64 bytes; what the driver gives goes out backwards
	 * from the end of what it returned. */
	KT_EQ(ukmem_hwrng_read(NULL, buf, 8, true), 8);
	KT_EQ(a.min_max, 32);
	KT_ASSERT(a.last_wait);
	KT_EQ(buf[0], 8);
	KT_EQ(buf[7], 15);
	KT_EQ(ukmem_hwrng_read(NULL, buf, 3, false), 3);
	KT_EQ(buf[0], 21);		/* bytes 16..23 read, the last three handed out */
	KT_EQ(buf[2], 23);

	/* b: better quality, becomes current: a's cleanup runs, b's init. */
	KT_EQ(hwrng_register(&b.rng), 0);
	KT_EQ(a.cleanups, 1);
	KT_EQ(b.inits, 1);
	KT_EQ(b.reads, 1);
	out = kt_show("hwrng");
	KT_CONTAINS(out, "rng_current: b\n");
	KT_CONTAINS(out, "rng_available: a(quality 0) b(quality 700)\n");
	free(out);

	/* An init that fails: not registered. */
	KT_EQ(hwrng_register(&bad.rng), -EIO);
	KT_EQ(bad.inits, 1);
	out = kt_show("hwrng");
	KT_NOT_CONTAINS(out, "bad");
	free(out);

	/* Choosing the current rng by name pins it, as writing its name to rng_current does in
	 * 6.1 even when it is current already: a better one registered later does not take
	 * over (it did: the choice of the current rng was not remembered). */
	KT_EQ(ukmem_hwrng_read("b", buf, 0, false), 0);
	KT_EQ(hwrng_register(&c.rng), 0);
	KT_EQ(c.inits, 0);
	out = kt_show("hwrng");
	KT_CONTAINS(out, "rng_current: b (chosen)\n");
	free(out);
	hwrng_unregister(&c.rng);

	/* What a's last read left is still handed out first (one buffer for all rngs, as
	 * the kernel's); then a driver error reaches the reader. */
	KT_EQ(ukmem_hwrng_read(NULL, buf, 5, false), 5);
	KT_EQ(buf[0], 16);
	KT_EQ(buf[4], 20);
	KT_EQ(b.reads, 1);
	b.read_err = -EIO;
	KT_EQ(ukmem_hwrng_read(NULL, buf, 4, true), -EIO);
	b.read_err = 0;

	/* The old interface: data_present decides; non-blocking gets -EAGAIN. */
	KT_EQ(hwrng_register(&old), 0);
	KT_EQ(old_present_calls, 1);		/* early randomness: no init, so read at once */
	KT_EQ(ukmem_hwrng_read("old", buf, 4, false), -EAGAIN);
	KT_EQ(ukmem_hwrng_read("old", buf, 8, true), 8);
	KT_EQ(buf[0], 0x11);
	KT_EQ(buf[4], 0x11);
	KT_EQ(b.cleanups, 1);			/* b stopped being current */

	/* Unregistering the current (chosen) rng: the best left, b, takes over. */
	hwrng_unregister(&old);
	out = kt_show("hwrng");
	KT_CONTAINS(out, "rng_current: b\n");
	free(out);
	KT_EQ(b.inits, 2);
	hwrng_unregister(&b.rng);
	KT_EQ(b.cleanups, 2);
	KT_EQ(a.inits, 2);			/* a is current again */
	hwrng_unregister(&a.rng);
	KT_EQ(a.cleanups, 2);
	KT_EQ(ukmem_hwrng_read(NULL, buf, 4, false), -ENODEV);
	KT_EQ(hwrng_msleep(&a.rng, 1), 1);	/* unregistered: returns at once */

	KT_EQ(ukmem_exit(), 0);
	printf("hwrng core: ok\n");
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* Shared pieces of the io tests: a register-file device that records what it sees. */
#ifndef IOTEST_H
#define IOTEST_H
#include <linux/io.h>
#include <linux/kernel.h>
#include <ukmem.h>
#include "ktest.h"

#define DEV_BASE	0xc0000000ULL	/* in the hole at [3 GiB, 4 GiB) */

struct regdev {
	u64 regs[64];			/* 8-byte registers */
	u64 last_off;
	unsigned int last_size;
	int reads, writes;
	int ready_after;		/* offset 0x80 reads 1 once this many reads happened */
};

static u64 regdev_read(void *priv, u64 off, unsigned int size)
{
	struct regdev *d = priv;

	d->last_off = off;
	d->last_size = size;
	d->reads++;
	if (off == 0x80)
		return d->reads > d->ready_after ? 1 : 0;
	if (off / 8 < 64) {
		u64 v = d->regs[off / 8] >> ((off % 8) * 8);

		return v;
	}
	return 0x5a5a5a5a5a5a5a5aULL;
}

static void regdev_write(void *priv, u64 off, unsigned int size, u64 val)
{
	struct regdev *d = priv;

	d->last_off = off;
	d->last_size = size;
	d->writes++;
	if (off / 8 < 64 && size == 8)
		d->regs[off / 8] = val;
	else if (off / 8 < 64)
		memcpy((char *)d->regs + off, &val, size);
}

static const struct ukmem_mmio_ops regdev_ops = { regdev_read, regdev_write };
#endif

/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the device-model tests: memory counters (slab objects in use, free pages),
 * an order log that release actions write to, and a configurable platform driver whose
 * probe acquires resources step by step and can fail at any step.
 */
#ifndef UKMEM_BASETEST_H
#define UKMEM_BASETEST_H
#include <stdio.h>
#include <string.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/swap.h>
#include <ukmem.h>
#include "ktest.h"

/* Slab objects in use, over every cache (slabinfo's active_objs). */
static __attribute__((unused)) long bt_slab_active(void)
{
	char *buf = kt_show("slabinfo"), *line, *save = NULL;
	long total = 0;

	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[64];
		long active;

		if (line[0] != '#' && strncmp(line, "slabinfo", 8) &&
		    sscanf(line, "%63s %ld", name, &active) == 2)
			total += active;
	}
	free(buf);
	return total;
}

static __attribute__((unused)) unsigned long bt_free_pages(void)
{
	drain_local_pages(NULL);
	return nr_free_pages();
}

/* The order release actions ran in: each appends its number. */
struct bt_log {
	int v[64];
	int n;
};
static struct bt_log bt_log;

static __attribute__((unused)) void bt_log_reset(void)
{
	bt_log.n = 0;
}

static __attribute__((unused)) void bt_record(void *data)
{
	if (bt_log.n < 64)
		bt_log.v[bt_log.n++] = (int)(long)data;
}

#define BT_LOG_EQ(...) do {							\
	int _want[] = { __VA_ARGS__ };						\
	KT_EQ(bt_log.n, (int)(sizeof(_want) / sizeof(_want[0])));		\
	for (size_t _i = 0; _i < sizeof(_want) / sizeof(_want[0]); _i++)	\
		if (bt_log.v[_i] != _want[_i])					\
			KT_FAIL("release %zu was %d, expected %d", _i, bt_log.v[_i], _want[_i]); \
} while (0)
#endif

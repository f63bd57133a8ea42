/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the vmalloc tests: the text of a ukmem_show() report, the vmallocinfo
 * lines of one kind, and a content pattern that proves an area holds what was written.
 */
#ifndef UKMEM_TEST_VMTEST_H
#define UKMEM_TEST_VMTEST_H
#include <stdint.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <ukmem.h>
#include "ktest.h"

#define vt_show(name) kt_show(name)

/* The line of vmallocinfo that starts at addr, or NULL (malloc'd). */
static inline char *vt_info_line(const void *addr)
{
	char *text = vt_show("vmallocinfo"), key[32], *line, *end, *copy = NULL;

	snprintf(key, sizeof(key), "0x%016lx-", (unsigned long)addr);
	line = strstr(text, key);
	if (line && (line == text || line[-1] == '\n')) {
		end = strchr(line, '\n');
		copy = strndup(line, end ? (size_t)(end - line) : strlen(line));
	}
	free(text);
	return copy;
}

static inline void vt_fill(void *p, size_t len, uint64_t seed)
{
	uint64_t *w = p;

	for (size_t i = 0; i < len / 8; i++)
		w[i] = seed ^ (i * 0x9e3779b97f4a7c15ULL);
}

static inline bool vt_check(const void *p, size_t len, uint64_t seed)
{
	const uint64_t *w = p;

	for (size_t i = 0; i < len / 8; i++)
		if (w[i] != (seed ^ (i * 0x9e3779b97f4a7c15ULL)))
			return false;
	return true;
}
#endif

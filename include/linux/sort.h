/* SPDX-License-Identifier: MIT */
/* In-place array sort (src/core/sort.c): a heap sort, no allocation, not stable. */
#ifndef _LINUX_SORT_H
#define _LINUX_SORT_H

#include <linux/types.h>

void sort_r(void *base, size_t num, size_t size, cmp_r_func_t cmp_func,
	    swap_r_func_t swap_func, const void *priv);
void sort(void *base, size_t num, size_t size, cmp_func_t cmp_func, swap_func_t swap_func);

#endif /* _LINUX_SORT_H */

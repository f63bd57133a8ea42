/* SPDX-License-Identifier: MIT */
/* <linux/swap.h>: free-page counts (no swap). */
#ifndef _UKMEM_LINUX_SWAP_H
#define _UKMEM_LINUX_SWAP_H
#include <linux/mm.h>
unsigned long nr_free_pages(void);
#define nr_free_buffer_pages()	nr_free_pages()
#define total_swap_pages	0L
#endif

/* SPDX-License-Identifier: MIT */
/* <linux/mmzone.h>: zones and orders. */
#ifndef _UKMEM_LINUX_MMZONE_H
#define _UKMEM_LINUX_MMZONE_H
#include <asm/page.h>
#define MAX_ORDER		11
#define MAX_ORDER_NR_PAGES	(1 << (MAX_ORDER - 1))
#define PAGE_ALLOC_COSTLY_ORDER	3
#define pageblock_order		(MAX_ORDER - 1)
#define pageblock_nr_pages	(1UL << pageblock_order)
enum zone_type { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_MOVABLE, __MAX_NR_ZONES };
#define MAX_NR_ZONES	__MAX_NR_ZONES
#endif

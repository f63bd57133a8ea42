/* SPDX-License-Identifier: MIT */
/*
 * /proc/meminfo and /proc/buddyinfo, in the kernel's formats.  Values are read without the
 * zone locks (as the kernel's are): a snapshot, not a transaction.
 */
#include <linux/kernel.h>
#include <linux/swap.h>
#include "core/core.h"
#include "mm/mm.h"

static void show_kb(FILE *out, const char *name, unsigned long kb)
{
	fprintf(out, "%-16s%8lu kB\n", name, kb);
}

int ukmem__show_meminfo(FILE *out, const char *arg)
{
	unsigned long total = ukmem__mm.totalram_pages << 2, free = nr_free_pages() << 2;
	unsigned long pcp = (unsigned long)max(ukmem__stat(UKMEM_STAT_PCP_PAGES), 0L) << 2;
	unsigned long srec = ukmem__stat(UKMEM_STAT_SLAB_RECLAIMABLE_B) >> 10;
	unsigned long sunrec = ukmem__stat(UKMEM_STAT_SLAB_UNRECLAIMABLE_B) >> 10;
	unsigned long vmalloc = ukmem__stat(UKMEM_STAT_VMALLOC_PAGES) << 2;

	show_kb(out, "MemTotal:", total);
	show_kb(out, "MemFree:", free);
	show_kb(out, "MemAvailable:", free + pcp + srec);
	show_kb(out, "Buffers:", 0);
	show_kb(out, "Cached:", 0);
	show_kb(out, "SwapCached:", 0);
	show_kb(out, "SwapTotal:", 0);
	show_kb(out, "SwapFree:", 0);
	show_kb(out, "Slab:", srec + sunrec);
	show_kb(out, "SReclaimable:", srec);
	show_kb(out, "SUnreclaim:", sunrec);
	show_kb(out, "VmallocTotal:", (ukmem__mm.vmalloc_end - ukmem__mm.vmalloc_start) >> 10);
	show_kb(out, "VmallocUsed:", vmalloc);
	show_kb(out, "VmallocChunk:", 0);
	show_kb(out, "Percpu:", ukmem__stat(UKMEM_STAT_PERCPU_PAGES) << 2);
	show_kb(out, "DirectMap4k:", ukmem__cfg.mem >> 10);
	return 0;
}

int ukmem__show_buddyinfo(FILE *out, const char *arg)
{
	for (int z = 0; z < UKMEM_NR_ZONES; z++) {
		struct ukmem__zone *zone = &ukmem__mm.zones[z];

		if (!zone->managed_pages)
			continue;
		fprintf(out, "Node %d, zone %8s ", 0, zone->name);
		for (int o = 0; o < MAX_ORDER; o++)
			fprintf(out, "%6lu ", __atomic_load_n(&zone->free_area[o].nr_free, __ATOMIC_RELAXED));
		fputc('\n', out);
	}
	return 0;
}

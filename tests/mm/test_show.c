/* SPDX-License-Identifier: MIT */
/*
 * ukmem_show("meminfo"), ("buddyinfo") and ("iomem") in the kernel's /proc formats, with
 * values that agree with the allocator: MemTotal is RAM minus the reserved first MiB, MemFree
 * and the buddyinfo counts sum to nr_free_pages, and they follow allocations.
 */
#include "mm/pages.h"

/* The value of one meminfo line, checking the kernel's layout: "Name:" padded to 16
 * columns, the number right-aligned in 8, then " kB". */
static unsigned long meminfo_kb(const char *text, const char *name)
{
	const char *line = strstr(text, name);
	char label[32], unit[8];
	unsigned long kb;
	int n;

	if (!line)
		KT_FAIL("no %s line in:\n%s", name, text);
	KT_ASSERT(line == text || line[-1] == '\n');
	KT_EQ(sscanf(line, "%31s %lu %7s%n", label, &kb, unit, &n), 3);
	KT_ASSERT(!strcmp(unit, "kB") && line[n] == '\n');
	KT_EQ(n, 16 + 8 + 3);
	KT_EQ(strlen(label), strlen(name));
	return kb;
}

/* Sum of the free pages listed by buddyinfo, checking the layout of each line. */
static unsigned long buddyinfo_pages(const char *text, int *nr_zones)
{
	unsigned long total = 0;
	const char *line = text;

	*nr_zones = 0;
	while (*line) {
		char zone[16];
		int node, n;

		KT_EQ(sscanf(line, "Node %d, zone %15s%n", &node, zone, &n), 2);
		KT_EQ(node, 0);
		KT_EQ(n, 21);			/* "Node 0, zone " + the name right-aligned in 8 */
		line += n;
		for (int o = 0; o < MAX_ORDER; o++) {
			unsigned long nr;
			int m;

			KT_EQ(sscanf(line, "%lu%n", &nr, &m), 1);
			KT_EQ(m, 7);		/* " %6lu" */
			total += nr << o;
			line += m;
		}
		KT_ASSERT(line[0] == ' ' && line[1] == '\n');
		line += 2;
		++*nr_zones;
	}
	return total;
}

/* The count of order-10 blocks on buddyinfo's DMA32 line. */
static unsigned long dma32_top_blocks(const char *text)
{
	const char *l = strstr(text, "Node 0, zone    DMA32 ");
	unsigned long n[11];

	KT_ASSERT(l);
	KT_EQ(sscanf(l + strlen("Node 0, zone    DMA32 "),
		     "%lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu", &n[0], &n[1], &n[2], &n[3],
		     &n[4], &n[5], &n[6], &n[7], &n[8], &n[9], &n[10]), 11);
	return n[10];
}

int main(void)
{
	char *meminfo, *buddyinfo, *iomem;
	struct page *page;
	unsigned long nfree;
	int zones;
	unsigned long top;
	FILE *null = fopen("/dev/null", "w");

	KT_EQ(ukmem_init("mem=64M"), 0);
	nfree = pt_free_pages();
	meminfo = pt_show("meminfo");
	KT_ASSERT(!strncmp(meminfo, "MemTotal:          64512 kB\n", 28));
	KT_EQ(meminfo_kb(meminfo, "MemTotal:"), 64512);
	KT_EQ(meminfo_kb(meminfo, "MemFree:"), nfree * 4);
	KT_ASSERT(meminfo_kb(meminfo, "MemAvailable:") >= nfree * 4);
	KT_EQ(meminfo_kb(meminfo, "SwapTotal:"), 0);
	KT_EQ(meminfo_kb(meminfo, "VmallocTotal:") % 1024, 0);
	meminfo_kb(meminfo, "Slab:");
	meminfo_kb(meminfo, "SReclaimable:");
	meminfo_kb(meminfo, "SUnreclaim:");
	meminfo_kb(meminfo, "VmallocUsed:");
	free(meminfo);

	buddyinfo = pt_show("buddyinfo");
	KT_EQ(buddyinfo_pages(buddyinfo, &zones), nfree);
	KT_EQ(zones, 2);			/* DMA and DMA32; no Normal zone below 4 GiB */
	KT_CONTAINS(buddyinfo, "Node 0, zone      DMA ");
	KT_CONTAINS(buddyinfo, "Node 0, zone    DMA32 ");
	/* [1M, 16M) as the largest aligned blocks: 1M..2M order 8, 2M..4M order 9, then 3 of order 10. */
	KT_CONTAINS(buddyinfo, "Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 \n");
	/* [16M, 64M): 12 blocks of order 10, less what start-up allocated (a page or two of
	 * slab, as a kernel's boot allocates: one block split at most). */
	top = dma32_top_blocks(buddyinfo);
	KT_ASSERT(top == 11 || top == 12);
	free(buddyinfo);

	/* The reports follow an allocation of 4 MiB. */
	page = alloc_pages(GFP_KERNEL, MAX_ORDER - 1);
	meminfo = pt_show("meminfo");
	KT_EQ(meminfo_kb(meminfo, "MemFree:"), nfree * 4 - 4096);
	buddyinfo = pt_show("buddyinfo");
	KT_EQ(buddyinfo_pages(buddyinfo, &zones), nfree - 1024);
	KT_EQ(dma32_top_blocks(buddyinfo), top - 1);
	free(meminfo);
	free(buddyinfo);
	__free_pages(page, MAX_ORDER - 1);

	iomem = pt_show("iomem");
	KT_EQ(strcmp(iomem, "00000000-000fffff : Reserved\n00100000-03ffffff : System RAM\n"), 0);
	free(iomem);

	KT_EQ(ukmem_show("nosuchreport", null), -ENOENT);
	KT_EQ(ukmem_show(NULL, null), -EINVAL);
	fclose(null);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}

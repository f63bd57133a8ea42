/* SPDX-License-Identifier: MIT */
/*
 * The bounce pool's start-up line is the kernel's: "software IO TLB: mapped [mem START-END]
 * (NMB)" where END is START plus the pool's size (the kernel prints mem->end, one past the
 * last byte), and swiotlb=N is rounded up to a whole 128-slot segment.
 */
#include <linux/dma-mapping.h>
#include <linux/types.h>
#include <ukmem.h>
#include "ktest.h"

/* A static link pulls the bounce pool in only with code that maps. */
void *volatile keep_dma_linked = (void *)dma_map_page_attrs;

int main(void)
{
	unsigned long long start, end;
	unsigned long mb;
	char *out, *line;

	kt_capture_begin();
	KT_EQ(ukmem_init("swiotlb=4"), 0);
	out = kt_capture_end();
	line = strstr(out, "software IO TLB: mapped [mem ");
	KT_ASSERT(line);
	KT_EQ(sscanf(line, "software IO TLB: mapped [mem 0x%llx-0x%llx] (%luMB)", &start, &end,
		     &mb), 3);
	KT_EQ(end - start, 128 * 2048);		/* 4 slabs round up to one segment */
	KT_EQ(start % 2048, 0);
	KT_ASSERT(end <= 4ULL << 30);
	KT_EQ(mb, 0);
	KT_EQ(ukmem_exit(), 0);
	free(out);
	printf("test_swiotlb_banner: ok\n");
	return 0;
}

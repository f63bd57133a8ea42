/* SPDX-License-Identifier: MIT */
/*
 * A statically linked program that calls nothing but ukmem_init, ukmem_show and ukmem_exit
 * still has every subsystem: each report of every layer is there (a static link used to
 * pull in only the objects the program's own calls reach, and ukmem_show("slabinfo") was
 * -ENOENT).  This file must call no other ukmem function.
 */
#include <ukmem.h>
#include "ktest.h"

static const char *const reports[] = {
	"meminfo", "buddyinfo", "iomem", "ioports", "slabinfo", "vmallocinfo", "interrupts",
	"kmemleak", "kfence", "dma-api", "clk_summary", "hwrng", "watchdog", "random",
	"devices_deferred",
};

int main(void)
{
	KT_EQ(ukmem_init("mem=64M"), 0);
	for (unsigned int i = 0; i < sizeof(reports) / sizeof(reports[0]); i++) {
		char *out = kt_show(reports[i]);	/* fails the test on an error */

		free(out);
	}
	KT_CONTAINS(kt_show("slabinfo"), "kmalloc-64 ");
	KT_CONTAINS(kt_show("meminfo"), "MemTotal:");
	KT_EQ(ukmem_exit(), 0);
	return 0;
}

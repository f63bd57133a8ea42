/* SPDX-License-Identifier: MIT */
/*
 * An outside program built against an installed ukmem: glibc headers that pull in UAPI
 * <linux/...> headers come first, then the kernel API.  It uses the page allocator and
 * exits with ukmem_exit()'s count of problems (0).  It defines _GNU_SOURCE itself, as many
 * programs do, and is built with -Wall -Werror: the installed flags must not clash with that.
 * <sys/param.h> (roundup), <sys/procfs.h> (PAGE_MASK, through <sys/user.h>) and <sys/kd.h>
 * (which keeps <linux/types.h> out of its UAPI include) come first too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/ioctl.h>
#include <sys/kd.h>
#include <sys/param.h>
#include <sys/procfs.h>
#include <stdio.h>
#include <string.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/swap.h>
#include <ukmem.h>

int main(void)
{
	unsigned long before;
	struct page *page;
	char *va;

	drain_local_pages(NULL);
	before = nr_free_pages();
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	if (!page)
		return 10;
	va = page_address(page);
	for (int i = 0; i < 4 * 4096; i += 512)
		if (va[i] || virt_to_phys(va + i) != page_to_phys(page) + i)
			return 11;
	memset(va, 0x5a, 4 * PAGE_SIZE);
	__free_pages(page, 2);
	drain_local_pages(NULL);	/* the block may sit on this thread's list */
	if (nr_free_pages() != before || ENOMEM != 12 || roundup(13, 8) != 16 ||
	    (~PAGE_MASK) != 4095)
		return 12;
	ukmem_show("buddyinfo", stdout);
	printf("ukmem consumer: ok\n");
	return ukmem_exit();
}

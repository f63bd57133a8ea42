/* SPDX-License-Identifier: MIT */
/*
 * Bugs for the tools: run under valgrind (memcheck) or built with -fsanitize=address, the tool
 * itself must report the bad access at the faulting instruction, because ukmem describes its
 * objects to it (src/debug/annotate.h).  argv[1] picks the bug: "oob" (one byte past a
 * kmalloc-64 object), "uaf" (a read of a kmalloc object after kfree), "vmalloc" (a byte past
 * a 1000-byte vmalloc area, inside its last page); with "fixed" after it, the same code
 * without the bug.
 */
#include <string.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem.h>

static __attribute__((__noinline__)) void touch(char *p, int n)
{
	for (int i = 0; i < n; i++)
		((volatile char *)p)[i] = 1;
}

static __attribute__((__noinline__)) int peek(char *p)
{
	return ((volatile char *)p)[0];
}

int main(int argc, char **argv)
{
	bool fixed = argc > 2 && !strcmp(argv[2], "fixed");
	const char *bug = argc > 1 ? argv[1] : "oob";
	int v = 0;

	if (!strcmp(bug, "oob")) {
		char *p = kmalloc(64, GFP_KERNEL);

		touch(p, fixed ? 64 : 65);
		kfree(p);
	} else if (!strcmp(bug, "uaf")) {
		char *p = kmalloc(64, GFP_KERNEL);

		touch(p, 64);
		if (fixed)
			v = peek(p);
		kfree(p);
		if (!fixed)
			v = peek(p);
	} else if (!strcmp(bug, "vmalloc")) {
		char *p = vmalloc(1000);

		touch(p, fixed ? 1000 : 1001);
		vfree(p);
	} else {
		return 2;
	}
	(void)v;
	return ukmem_exit();
}

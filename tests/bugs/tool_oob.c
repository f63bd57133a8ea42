/* SPDX-License-Identifier: MIT */
/*
 * A program with a one-byte overflow of a kmalloc object and a read after kfree, for the
 * tools: run under valgrind (memcheck) or built with -fsanitize=address, the tool itself
 * must report the access at the faulting instruction, because ukmem describes its objects
 * to it (src/debug/annotate.h).  With "fixed" as argument it has no bug.
 */
#include <string.h>
#include <linux/slab.h>
#include <ukmem.h>

static __attribute__((__noinline__)) void touch(char *p, int n)
{
	for (int i = 0; i < n; i++)
		((volatile char *)p)[i] = 1;
}

int main(int argc, char **argv)
{
	bool fixed = argc > 1 && !strcmp(argv[1], "fixed");
	char *p = kmalloc(64, GFP_KERNEL);

	touch(p, fixed ? 64 : 65);
	kfree(p);
	return ukmem_exit();
}

/* SPDX-License-Identifier: MIT */
/* A driver dereferences a NULL pointer (a private struct it never allocated): the fault is
 * reported as the kernel's oops, "BUG: kernel NULL pointer dereference", naming the faulting
 * function, and the process dies of SIGSEGV as before. */
#define BUG_FIRST_LINE	"BUG: kernel NULL pointer dereference, address: 0000000000000010"
#define BUG_SIGNAL	SIGSEGV
#include "bug.h"

struct priv {
	void *regs;
	long pad;
	int count;		/* at offset 16 */
};

static volatile int sink;

static BUG_FN void use(struct priv *p)
{
	KEEP(p);
	sink = p->count;
	NO_TAIL();
}

static void buggy(void)
{
	kfree(kmalloc(8, GFP_KERNEL));		/* ukmem is up: the driver has been running */
	use(NULL);
}

static void fixed(void)
{
	struct priv *p = kzalloc(sizeof(*p), GFP_KERNEL);

	use(p);
	kfree(p);
}

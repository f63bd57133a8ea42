/* SPDX-License-Identifier: MIT */
/* list_del() twice: the second walks the poisoned pointers the first left (LIST_POISON1 is
 * not a canonical address), and the CPU raises a general protection fault, which the kernel
 * reports as "general protection fault"; the process dies of SIGSEGV. */
#define BUG_FIRST_LINE	"general protection fault: 0000 [#1]"
#define BUG_SIGNAL	SIGSEGV
#include <linux/list.h>
#include "bug.h"

struct item {
	struct list_head node;
};

static BUG_FN void remove_item(struct item *it, bool twice)
{
	list_del(&it->node);
	if (twice)
		list_del(&it->node);
	NO_TAIL();
}

static void use(bool twice)
{
	LIST_HEAD(head);
	struct item *it = kzalloc(sizeof(*it), GFP_KERNEL);

	list_add(&it->node, &head);
	remove_item(it, twice);
	kfree(it);
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }

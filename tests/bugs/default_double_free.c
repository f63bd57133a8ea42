/* SPDX-License-Identifier: MIT */
/* Default mode (no debug option): kfree(a); kfree(b); kfree(a).  The cheap checks find the
 * second free when the thread's array of free objects overflows and is checked before objects
 * leave it: the duplicate is reported and dropped, so the object never reaches its slab (or
 * another thread) twice.  Without kasan=on, a copy reallocated before that check is not seen:
 * docs/debugging.md lists what each mode catches. */
#define BUG_FIRST_LINE	"BUG: KASAN: double-free in"
#define BUG_SIGNAL	0
#include "bug.h"

#define MANY 1500	/* more than the thread's array holds */

static BUG_FN void use(bool twice)
{
	static void *others[MANY];
	void *a, *b;

	for (int i = 0; i < MANY; i++)
		others[i] = kmalloc(64, GFP_KERNEL);
	a = kmalloc(64, GFP_KERNEL);
	b = kmalloc(64, GFP_KERNEL);
	kfree(a);
	kfree(b);
	if (twice)
		kfree(a);
	for (int i = 0; i < MANY; i++)
		kfree(others[i]);
	for (int i = 0; i < MANY; i++) {
		others[i] = kmalloc(64, GFP_KERNEL);
		for (int j = 0; j < i; j += 97)
			KT_ASSERT(others[j] != others[i]);
	}
	for (int i = 0; i < MANY; i++)
		kfree(others[i]);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }

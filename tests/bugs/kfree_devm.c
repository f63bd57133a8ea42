/* SPDX-License-Identifier: MIT */
/* kfree of devm memory: an invalid free (the pointer is inside devres' object), reported and
 * ignored; the device still frees the memory when it goes. */
#define BUG_FIRST_LINE	"BUG: KASAN: invalid-free in use"
#define BUG_SIGNAL	0
#include <linux/device.h>
#include "bug.h"

static BUG_FN void use(bool wrong)
{
	struct device *dev = root_device_register("bug-kfree-devm");
	void *p = devm_kzalloc(dev, 40, GFP_KERNEL);

	KEEP(p);
	if (wrong)
		kfree(p);
	else
		devm_kfree(dev, p);
	root_device_unregister(dev);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }

/* SPDX-License-Identifier: MIT */
/* devm_kfree twice: the second finds no resource, the kernel's WARN_ON(rc) in devm_kfree,
 * and nothing is freed. */
#define BUG_FIRST_LINE	"WARNING: CPU: "
#define BUG_SIGNAL	0
#include <linux/device.h>
#include "bug.h"

static BUG_FN void use(bool twice)
{
	struct device *dev = root_device_register("bug-devm");
	void *p = devm_kzalloc(dev, 40, GFP_KERNEL);

	KEEP(p);
	devm_kfree(dev, p);
	if (twice)
		devm_kfree(dev, p);
	root_device_unregister(dev);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }

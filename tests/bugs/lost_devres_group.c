/* SPDX-License-Identifier: MIT */
/*
 * Bug class: a leak through a lost devres group.  A bound driver's runtime operation opens a
 * group for its temporaries and, on its error path, returns without releasing it: each
 * failed call leaves a group and its memory on the device until it unbinds.  The kernel
 * releases it then, silently (kmemleak never sees it: the devres list references it); ukmem
 * reports the lost group at unbind, with where it was opened (the opener's caller) and what
 * it held, and counts it as a leak.  The fixed version releases the group on the error path.
 */
#include <linux/device.h>
#include <linux/platform_device.h>
#include "bug_run.h"

static bool release_on_error;

/* A reconfiguration a driver may run many times while bound (an ioctl, a reset). */
static noinline int reconfigure(struct device *dev, bool bad_request)
{
	void *scratch;

	if (!devres_open_group(dev, NULL, GFP_KERNEL))
		return -ENOMEM;
	scratch = devm_kzalloc(dev, 4000, GFP_KERNEL);
	if (!scratch)
		goto err;
	if (bad_request) {
		if (release_on_error)
			goto err;
		return -EINVAL;		/* the bug: the group (and scratch) are left behind */
	}
	devres_release_group(dev, NULL);	/* done with the temporaries */
	return 0;
err:
	devres_release_group(dev, NULL);
	return -EINVAL;
}

static int lg_probe(struct platform_device *pdev)
{
	return devm_kzalloc(&pdev->dev, 64, GFP_KERNEL) ? 0 : -ENOMEM;
}

static struct platform_driver lg_driver = {
	.probe = lg_probe,
	.driver = { .name = "lostgrp" },
};

static void run_driver(void)
{
	struct platform_device *pdev;

	KT_EQ(platform_driver_register(&lg_driver), 0);
	pdev = platform_device_register_simple("lostgrp", 0, NULL, 0);
	KT_ASSERT(!IS_ERR(pdev) && pdev->dev.driver);
	KT_EQ(reconfigure(&pdev->dev, false), 0);
	KT_EQ(reconfigure(&pdev->dev, true), -EINVAL);
	KT_EQ(reconfigure(&pdev->dev, false), 0);
	platform_device_unregister(pdev);	/* unbind: the lost group is reported */
	platform_driver_unregister(&lg_driver);
}

BUG_CHILD(buggy, "")
{
	run_driver();
}

BUG_CHILD(fixed, "")
{
	release_on_error = true;
	run_driver();
}

int main(void)
{
	bug_expect(buggy, fixed, "lostgrp lostgrp.0: devres group 0x",
		   " was never closed or released: its 1 resource(s), 4000 bytes, were held until unbind", 1);
	{	/* and it names the function that opened the group */
		int status;
		char *out = bug_run(buggy, NULL, &status);

		KT_CONTAINS(out, "  opened at:\n    reconfigure+");
		free(out);
	}
	return 0;
}

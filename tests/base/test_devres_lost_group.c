/* SPDX-License-Identifier: MIT */
/*
 * Lost devres groups: a group still open (never closed, never released) when its driver
 * unbinds, or when a driverless device is deleted, is reported with where it was opened and
 * what it holds, and counted as a leak; the kernel releases it silently with the rest, and
 * so does ukmem after the report.  Not reported: a group closed in probe (released with the
 * device, as edac drivers do), one released in remove (hid, i2c), one left open by a probe
 * that fails (releasing everything is the normal clean-up), a dissolved one.  A device still
 * bound at ukmem_exit unbinds there and is checked too.  Where it was opened is the opener's
 * caller, or its whole stack with the debug hooks on (here: a fail-nth armed).
 */
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/err.h>
#include <ukmem.h>
#include "basetest.h"

#define CALLER_ONLY "    (the caller only: kmemleak.stacks=on records whole stacks)\n"

/* The line after the one where @prefix (which may span lines) first ends in @out, or NULL. */
static const char *line_after(const char *out, const char *prefix)
{
	const char *p = strstr(out, prefix);

	p = p ? strchr(p + strlen(prefix), '\n') : NULL;
	return p ? p + 1 : NULL;
}

enum mode { CLOSE_IN_PROBE, RELEASE_IN_REMOVE, LEAVE_OPEN, NESTED, FAIL_PROBE, DISSOLVE };

static enum mode mode;
static void *group_id;
static int released;

static void count_release(void *arg)
{
	(void)arg;
	released++;
}

static noinline int lg_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;

	KT_ASSERT(devm_kzalloc(dev, 32, GFP_KERNEL));		/* outside any group */
	group_id = devres_open_group(dev, NULL, GFP_KERNEL);
	KT_ASSERT(group_id);
	KT_ASSERT(devm_kzalloc(dev, 1000, GFP_KERNEL));
	KT_EQ(devm_add_action(dev, count_release, NULL), 0);
	if (mode == NESTED) {
		void *inner = devres_open_group(dev, NULL, GFP_KERNEL);

		KT_ASSERT(devm_kzalloc(dev, 200, GFP_KERNEL));
		devres_close_group(dev, inner);
	}
	switch (mode) {
	case CLOSE_IN_PROBE:
		devres_close_group(dev, group_id);
		break;
	case DISSOLVE:
		devres_remove_group(dev, group_id);
		break;
	case FAIL_PROBE:
		return -EIO;
	default:
		break;
	}
	return 0;
}

static int lg_remove(struct platform_device *pdev)
{
	if (mode == RELEASE_IN_REMOVE)
		KT_EQ(devres_release_group(&pdev->dev, group_id), 2);
	return 0;
}

static struct platform_driver lg_driver = {
	.probe = lg_probe,
	.remove = lg_remove,
	.driver = { .name = "lostgrp" },
};

/* Binds, unbinds; returns what was printed. */
static char *bind_unbind(enum mode m)
{
	struct platform_device *pdev;

	mode = m;
	released = 0;
	kt_capture_begin();
	pdev = platform_device_register_simple("lostgrp", 0, NULL, 0);
	KT_ASSERT(!IS_ERR(pdev));
	KT_ASSERT((pdev->dev.driver != NULL) == (m != FAIL_PROBE));
	platform_device_unregister(pdev);
	KT_EQ(released, 1);			/* the group's action ran, reported or not */
	return kt_capture_end();
}

static void not_reported(void)
{
	enum mode quiet[] = { CLOSE_IN_PROBE, RELEASE_IN_REMOVE, FAIL_PROBE, DISSOLVE };
	unsigned long before = ukmem_report_count();

	for (size_t i = 0; i < ARRAY_SIZE(quiet); i++) {
		char *out = bind_unbind(quiet[i]);

		KT_NOT_CONTAINS(out, "devres group");
		free(out);
	}
	KT_EQ(ukmem_report_count(), before);
}

static void reported(void)
{
	unsigned long before = ukmem_report_count();
	char *out = bind_unbind(LEAVE_OPEN), first[160];

	snprintf(first, sizeof(first), "lostgrp lostgrp.0: devres group 0x%lx was never closed or released: "
		 "its 2 resource(s), 1016 bytes, were held until unbind\n", (unsigned long)group_id);
	KT_ASSERT(!strncmp(out, first, strlen(first)));		/* the first line */
	KT_CONTAINS(out, "  opened at:\n    lg_probe+");		/* the driver's call */
	KT_ASSERT(line_after(out, "  opened at:\n    lg_probe+"));	/* ... and only that */
	KT_ASSERT(!strncmp(line_after(out, "  opened at:\n    lg_probe+"), CALLER_ONLY,
			   strlen(CALLER_ONLY)));
	KT_CONTAINS(out, "  its resources, oldest first:\n");
	KT_CONTAINS(out, " 1000 bytes  devm_kzalloc_release\n");
	KT_CONTAINS(out, "   16 bytes  devm_action_release\n");
	KT_NOT_CONTAINS(out, "   32 bytes");			/* not in the group */
	KT_EQ(ukmem_report_count(), before + 1);
	free(out);

	/* The outer group is lost; the closed inner one is part of what it holds. */
	out = bind_unbind(NESTED);
	KT_CONTAINS(out, "its 3 resource(s), 1216 bytes, were held until unbind\n");
	KT_EQ(ukmem_report_count(), before + 2);
	{
		int groups = 0;

		for (const char *p = strstr(out, "devres group"); p; p = strstr(p + 1, "devres group"))
			groups++;
		KT_EQ(groups, 1);
	}
	free(out);
}

/* A driverless device: reported when it is deleted. */
static noinline void driverless(void)
{
	struct device *dev = root_device_register("lg-root");
	unsigned long before = ukmem_report_count();
	char *out;

	KT_ASSERT(!IS_ERR(dev));
	KT_ASSERT(devres_open_group(dev, NULL, GFP_KERNEL));
	KT_ASSERT(devm_kmalloc(dev, 77, GFP_KERNEL));
	kt_capture_begin();
	root_device_unregister(dev);
	out = kt_capture_end();
	KT_CONTAINS(out, "devres group 0x");
	KT_CONTAINS(out, "its 1 resource(s), 77 bytes, were held until the device was deleted\n");
	KT_CONTAINS(out, "  opened at:\n    driverless+");
	KT_CONTAINS(out, CALLER_ONLY);
	KT_EQ(ukmem_report_count(), before + 1);
	free(out);
}

/* With the debug hooks on (a fail-nth armed far ahead: nothing fails), the whole stack. */
static noinline void whole_stack(void)
{
	struct device *dev = root_device_register("lg-stack");
	unsigned long before = ukmem_report_count();
	char *out;

	KT_ASSERT(!IS_ERR(dev));
	ukmem_set_fail_nth(1000);
	KT_ASSERT(devres_open_group(dev, NULL, GFP_KERNEL));
	ukmem_set_fail_nth(0);
	KT_ASSERT(devm_kmalloc(dev, 55, GFP_KERNEL));
	kt_capture_begin();
	root_device_unregister(dev);
	out = kt_capture_end();
	KT_CONTAINS(out, "its 1 resource(s), 55 bytes, were held until the device was deleted\n");
	KT_ASSERT(line_after(out, "  opened at:\n    whole_stack+"));
	KT_ASSERT(!strncmp(line_after(out, "  opened at:\n    whole_stack+"), "    main+", 9));
	KT_NOT_CONTAINS(out, CALLER_ONLY);
	KT_EQ(ukmem_report_count(), before + 1);
	free(out);
}

int main(void)
{
	KT_EQ(platform_driver_register(&lg_driver), 0);
	not_reported();
	reported();
	driverless();
	whole_stack();

	/* Still bound at exit: ukmem_exit unbinds it and reports the lost group. */
	mode = LEAVE_OPEN;
	KT_ASSERT(!IS_ERR(platform_device_register_simple("lostgrp", 1, NULL, 0)));
	KT_EQ(ukmem_exit(), 4 + 1);
	printf("test_devres_lost_group: ok\n");
	return 0;
}

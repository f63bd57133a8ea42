/* SPDX-License-Identifier: MIT */
/*
 * devres calls given a resource in the wrong state, or nothing to call at release, where 6.1
 * BUG()s or calls NULL:
 *  - devres_add of a resource that is on a device's list already (6.1's add_dr() BUG());
 *  - devres_free of a resource that is still on a device's list (6.1's BUG_ON);
 *  - devm_add_action and devm_add_action_or_reset with a NULL action (6.1 registers it and
 *    calls NULL when the device's resources are released);
 *  - devres_alloc with a NULL release (likewise);
 *  - devm_kmemdup, and the kmemdup it mirrors, of a NULL source with a length (6.1 copies
 *    from NULL);
 *  - free_percpu of devm_alloc_percpu memory, and free_pages of devm_get_free_pages pages
 *    (6.1 frees them, and the device's release frees them again at unbind or
 *    devm_free_pages, by then perhaps another allocation's).
 * Each is a warning naming the call; the resource stays where it was, so the device releases
 * it exactly once, and the process goes on to a clean unregistration.
 */
#include <linux/device.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

static int released;

static void count_release(struct device *dev, void *res)
{
	(void)dev;
	(void)res;
	released++;
}

/* Calls @fn with the output captured; it must be one warning containing @text. */
static void one_warning(void (*fn)(struct device *), struct device *dev, const char *text)
{
	unsigned long before = ukmem_report_count();
	char *out;

	kt_capture_begin();
	fn(dev);
	out = kt_capture_end();
	KT_CONTAINS(out, text);
	KT_EQ(ukmem_report_count(), before + 1);
	free(out);
}

static void *res_a, *res_b;

static void add_twice(struct device *dev)
{
	devres_add(dev, res_a);
}

static void free_listed(struct device *dev)
{
	(void)dev;
	devres_free(res_b);
}

static void action_null(struct device *dev)
{
	KT_EQ(devm_add_action(dev, NULL, dev), -EINVAL);
}

static void action_or_reset_null(struct device *dev)
{
	KT_EQ(devm_add_action_or_reset(dev, NULL, dev), -EINVAL);
}

static void alloc_no_release(struct device *dev)
{
	(void)dev;
	KT_ASSERT(devres_alloc(NULL, 16, GFP_KERNEL) == NULL);
}

static void memdup_null(struct device *dev)
{
	KT_ASSERT(devm_kmemdup(dev, NULL, 10, GFP_KERNEL) == NULL);
}

static void kmemdup_null(struct device *dev)
{
	(void)dev;
	KT_ASSERT(kmemdup(NULL, 10, GFP_KERNEL) == NULL);
}

static int __percpu *managed_pcpu;
static unsigned long managed_pages;

static void free_managed_pages(struct device *dev)
{
	(void)dev;
	free_pages(managed_pages, 0);
}

static void put_managed_page(struct device *dev)
{
	(void)dev;
	put_page(virt_to_page((void *)managed_pages));	/* the last reference */
}

static void free_managed_percpu(struct device *dev)
{
	(void)dev;
	free_percpu(managed_pcpu);
}

int main(void)
{
	struct platform_device *pdev = platform_device_register_simple("misuse", -1, NULL, 0);
	unsigned long before;
	int __percpu *plain;
	unsigned long plain_pages;
	struct device *dev;

	KT_ASSERT(!IS_ERR(pdev));
	dev = &pdev->dev;
	res_a = devres_alloc(count_release, 16, GFP_KERNEL);
	res_b = devres_alloc(count_release, 16, GFP_KERNEL);
	KT_ASSERT(res_a && res_b);
	devres_add(dev, res_a);
	devres_add(dev, res_b);

	one_warning(add_twice, dev, "devres_add: resource ");
	one_warning(free_listed, dev, "devres_free: resource ");
	one_warning(action_null, dev, "devm_add_action: no action");
	one_warning(action_or_reset_null, dev, "devm_add_action: no action");
	one_warning(alloc_no_release, dev, "devres_alloc: no release function");
	one_warning(memdup_null, dev, "devm_kmemdup: NULL source (10 bytes)");
	one_warning(kmemdup_null, dev, "kmemdup: NULL source (10 bytes)");
	KT_ASSERT(devm_kmemdup(dev, NULL, 0, GFP_KERNEL) == ZERO_SIZE_PTR);	/* nothing to copy */
	managed_pcpu = devm_alloc_percpu(dev, int);
	KT_ASSERT(managed_pcpu);
	one_warning(free_managed_percpu, dev, "is device-managed (devm_alloc_percpu): devm_free_percpu() frees it");
	managed_pages = devm_get_free_pages(dev, GFP_KERNEL, 0);
	KT_ASSERT(managed_pages);
	one_warning(free_managed_pages, dev, "is device-managed (devm_get_free_pages): devm_free_pages() frees it");
	one_warning(put_managed_page, dev, "is device-managed (devm_get_free_pages): devm_free_pages() frees it");
	plain_pages = __get_free_pages(GFP_KERNEL, 0);	/* not the managed page */
	KT_ASSERT(plain_pages && plain_pages != managed_pages);
	memset((void *)plain_pages, 0x42, PAGE_SIZE);
	devm_free_pages(dev, managed_pages);		/* frees the managed page, not this one */
	plain = alloc_percpu(int);			/* not the managed area's cookie */
	KT_ASSERT(plain && plain != managed_pcpu);
	*per_cpu_ptr(plain, 0) = 42;

	/* Both resources are the device's, once each. */
	KT_ASSERT(devres_find(dev, count_release, NULL, NULL) == res_b);
	platform_device_unregister(pdev);	/* frees the managed area, once */
	KT_EQ(released, 2);
	KT_EQ(*per_cpu_ptr(plain, 0), 42);
	before = ukmem_report_count();
	free_percpu(plain);				/* still live: no report */
	KT_EQ(*(unsigned char *)plain_pages, 0x42);
	free_pages(plain_pages, 0);			/* likewise */
	KT_EQ(ukmem_report_count(), before);
	KT_EQ(ukmem_exit(), 10);
	return 0;
}

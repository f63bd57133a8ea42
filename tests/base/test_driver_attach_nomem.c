/* SPDX-License-Identifier: MIT */
/*
 * driver_register whose walk over the bus's devices fails (the host's malloc refuses the
 * walk's list of devices): the driver is not left registered, as 6.1's bus_add_driver
 * unwinds.  It used to stay on the bus after driver_register returned -ENOMEM, so a second
 * driver_register of it was -EBUSY and its devices were never probed.
 *
 * The host's malloc is replaced here (the program's definition comes before the C
 * library's); not built under the sanitizers, which replace it themselves.
 */
#include <linux/device.h>
#include <linux/platform_device.h>
#include <ukmem.h>
#include "ktest.h"

extern void *__libc_malloc(size_t size);

static int fail_next_malloc;	/* the next malloc call returns NULL */

void *malloc(size_t size)
{
	if (__atomic_exchange_n(&fail_next_malloc, 0, __ATOMIC_SEQ_CST))
		return NULL;
	return __libc_malloc(size);
}

static int probed;

static int nm_probe(struct platform_device *pdev)
{
	probed++;
	return 0;
}

static struct platform_driver nm_driver = {
	.probe = nm_probe,
	.driver = { .name = "nomem-dev" },
};

int main(void)
{
	struct platform_device *pdev;

	KT_EQ(ukmem_init(""), 0);
	pdev = platform_device_register_simple("nomem-dev", -1, NULL, 0);
	KT_ASSERT(!IS_ERR(pdev));
	__atomic_store_n(&fail_next_malloc, 1, __ATOMIC_SEQ_CST);
	KT_EQ(platform_driver_register(&nm_driver), -ENOMEM);
	KT_EQ(__atomic_load_n(&fail_next_malloc, __ATOMIC_SEQ_CST), 0);	/* it was the walk's */
	KT_EQ(probed, 0);
	KT_ASSERT(!driver_find("nomem-dev", &platform_bus_type));
	KT_ASSERT(!nm_driver.driver.p);
	/* registered again it binds the device, and goes cleanly */
	KT_EQ(platform_driver_register(&nm_driver), 0);
	KT_EQ(probed, 1);
	KT_ASSERT(pdev->dev.driver == &nm_driver.driver);
	platform_driver_unregister(&nm_driver);
	platform_device_unregister(pdev);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * devres.log=1 traces every add and release as CONFIG_DEBUG_DEVRES does:
 * "DRIVER DEVICE: DEVRES ADD 0x... NAME (SIZE bytes)" and "... DEVRES REL ...".
 */
#include "basetest.h"

int main(void)
{
	struct device *dev = root_device_register("logged");
	char *out;

	KT_ASSERT(!IS_ERR(dev));
	kt_capture_begin();
	KT_ASSERT(devm_kzalloc(dev, 77, GFP_KERNEL));
	KT_EQ(devm_add_action(dev, bt_record, NULL), 0);
	root_device_unregister(dev);
	out = kt_capture_end();
	KT_CONTAINS(out, " logged: DEVRES ADD ");
	KT_CONTAINS(out, "devm_kzalloc_release (77 bytes)");
	KT_CONTAINS(out, "devm_action_release (16 bytes)");
	KT_CONTAINS(out, " logged: DEVRES REL ");
	/* Released newest first. */
	KT_ASSERT(strstr(out, "REL") && strstr(strstr(out, "REL"), "devm_action_release") <
		  strstr(strstr(out, "REL"), "devm_kzalloc_release"));
	free(out);
	KT_EQ(ukmem_exit(), 0);
	printf("test_devres_log: ok\n");
	return 0;
}

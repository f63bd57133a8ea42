/* SPDX-License-Identifier: MIT */
/*
 * <linux/mod_devicetable.h>: the match tables drivers declare (platform and device-tree
 * entries), laid out as Linux 6.1's.
 */
#ifndef _UKMEM_LINUX_MOD_DEVICETABLE_H
#define _UKMEM_LINUX_MOD_DEVICETABLE_H
#include <linux/types.h>

typedef unsigned long kernel_ulong_t;

#define PLATFORM_NAME_SIZE	20
#define PLATFORM_MODULE_PREFIX	"platform:"

struct platform_device_id {
	char name[PLATFORM_NAME_SIZE];
	kernel_ulong_t driver_data;
};

struct of_device_id {
	char name[32];
	char type[32];
	char compatible[128];
	const void *data;
};

struct acpi_device_id {
	__u8 id[16];
	kernel_ulong_t driver_data;
	__u32 cls;
	__u32 cls_msk;
};
#endif

/* SPDX-License-Identifier: MIT */
/*
 * <linux/of.h>: a minimal device-tree node, enough for drivers that match with
 * of_match_table and read their match data.  ukmem has no device tree: a node exists only
 * when a program gives a device a "compatible" list (platform_device_info.compatible or
 * ukmem_device_set_compatible()); it then carries that one property.
 */
#ifndef _UKMEM_LINUX_OF_H
#define _UKMEM_LINUX_OF_H
#include <linux/types.h>
#include <linux/mod_devicetable.h>
#include <linux/container_of.h>

struct property {
	char *name;
	int length;
	void *value;
	struct property *next;
};

struct fwnode_handle {
	struct fwnode_handle *secondary;
	const void *ops;
	struct device *dev;
};

typedef u32 phandle;

struct device_node {
	const char *name;
	phandle phandle;
	const char *full_name;
	struct fwnode_handle fwnode;
	struct property *properties;
	struct device_node *parent, *child, *sibling;
	unsigned long _flags;
	void *data;
};

/* Bits of _flags, as 6.1 numbers them (%pOFF prints them) */
#define OF_DYNAMIC		1
#define OF_DETACHED		2
#define OF_POPULATED		3
#define OF_POPULATED_BUS	4

#define of_compat_cmp(s1, s2, l)	strcasecmp((s1), (s2))
#define to_of_node(__fwnode) \
	((__fwnode) ? container_of((__fwnode), struct device_node, fwnode) : NULL)
#define of_fwnode_handle(node)	((node) ? &(node)->fwnode : NULL)
#define of_match_ptr(_ptr)	(_ptr)
#define IS_ENABLED_OF		1

struct device;
static inline struct device_node *of_node_get(struct device_node *node) { return node; }
static inline void of_node_put(struct device_node *node) { (void)node; }

const void *of_get_property(const struct device_node *node, const char *name, int *lenp);
int of_device_is_compatible(const struct device_node *device, const char *compat);
int of_property_match_string(const struct device_node *np, const char *propname,
			     const char *string);
const struct of_device_id *of_match_node(const struct of_device_id *matches,
					 const struct device_node *node);
#endif

/* SPDX-License-Identifier: MIT */
/*
 * A minimal device tree (drivers/of): nodes exist only as a device's "compatible" list,
 * made by ukmem_device_set_compatible() or platform_device_info.compatible, owned by that
 * device and freed after its release.  Matching follows of_match_node: the device's
 * compatible strings in order (most specific first), each against the whole table, compared
 * without case as of_compat_cmp does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ukmem.h>
#include <linux/of.h>
#include <linux/of_device.h>
#include "core/core.h"
#include "base/base.h"

/* The node and its one property, in one host allocation (firmware data, not kernel memory). */
struct ukmem_of_node {
	struct device_node np;
	struct property prop;
	char value[];
};

/**
 * ukmem_device_set_compatible - give a device a "compatible" list, as a device tree would
 * @dev: the device (before device_add, so drivers match it)
 * @compatible: the compatible strings, most specific first, separated by blanks
 *
 * The node's "compatible" property holds them as a device tree does: each ended by a NUL.
 * Return: 0, -EINVAL (no string, or the device already has a node), -ENOMEM.
 */
int ukmem_device_set_compatible(struct device *dev, const char *compatible)
{
	struct ukmem_of_node *n;
	size_t len = 0;

	if (!dev || !compatible)
		return -EINVAL;
	ukmem__device_forget_released(dev);
	if (dev->of_node)
		return -EINVAL;
	n = calloc(1, sizeof(*n) + strlen(compatible) + 1);
	if (!n)
		return -ENOMEM;
	for (const char *p = compatible; *p;) {
		size_t word = strcspn(p, " \t\n");

		if (word) {
			memcpy(n->value + len, p, word);
			len += word + 1;	/* calloc'd: the NUL is there */
		}
		p += word;
		p += strspn(p, " \t\n");
	}
	if (!len) {
		free(n);
		return -EINVAL;
	}
	n->prop.name = "compatible";
	n->prop.length = (int)len;
	n->prop.value = n->value;
	n->np.name = n->value;
	n->np.full_name = n->value;
	n->np.properties = &n->prop;
	n->np.fwnode.dev = dev;
	dev->of_node = &n->np;
	if (!dev->fwnode)
		dev->fwnode = &n->np.fwnode;
	dev->p.own_of_node = &n->np;
	return 0;
}

void ukmem__of_node_free(struct device_node *np)
{
	free(np ? container_of(np, struct ukmem_of_node, np) : NULL);
}

/**
 * of_get_property - a property's value
 * @node: the node, or NULL
 * @name: the property's name
 * @lenp: set to its length when not NULL
 *
 * Return: the value, or NULL.
 */
static const struct property *find_property(const struct device_node *node, const char *name)
{
	for (const struct property *p = node ? node->properties : NULL; p; p = p->next)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

const void *of_get_property(const struct device_node *node, const char *name, int *lenp)
{
	const struct property *p = find_property(node, name);

	if (p && lenp)
		*lenp = p->length;
	return p ? p->value : NULL;
}

/* The length of the string at @p, its NUL included, when it ends before @end; else 0. */
static size_t string_in(const char *p, const char *end)
{
	size_t l = strnlen(p, end - p);

	return p + l < end ? l + 1 : 0;
}

/**
 * of_property_match_string - the index of @string in a string-list property
 * @np: the node
 * @propname: the property
 * @string: the string
 *
 * Return: the index, -EINVAL when there is no such property, -ENODATA when it has no
 * value or @string is not in it, -EILSEQ when a string of it before @string is not
 * NUL-terminated within the property.
 */
int of_property_match_string(const struct device_node *np, const char *propname,
			     const char *string)
{
	const struct property *prop = find_property(np, propname);
	const char *p, *end;
	int i = 0;

	if (!prop)
		return -EINVAL;
	if (!prop->value)
		return -ENODATA;
	for (p = prop->value, end = p + prop->length; p < end; i++) {
		size_t l = string_in(p, end);

		if (!l)
			return -EILSEQ;
		if (!strcmp(p, string))
			return i;
		p += l;
	}
	return -ENODATA;
}

/* The rank of @compat in the node's list (0 = most specific), or -1. */
static int compat_rank(const struct device_node *np, const char *compat)
{
	int len, i = 0;
	const char *p = of_get_property(np, "compatible", &len), *end;

	if (!p || !*compat)
		return -1;
	for (end = p + len; p < end && string_in(p, end); p += string_in(p, end), i++)
		if (!strcasecmp(p, compat))
			return i;
	return -1;	/* (a string not ended within the property ends the list) */
}

/**
 * of_device_is_compatible - whether the node lists @compat
 * @device: the node
 * @compat: the compatible string
 *
 * Return: non-zero when it does.
 */
int of_device_is_compatible(const struct device_node *device, const char *compat)
{
	return compat_rank(device, compat) >= 0;
}

/**
 * of_match_node - the table entry for the node's most specific compatible string
 * @matches: the table, ended by an empty entry
 * @node: the node
 *
 * Return: the entry, or NULL.
 */
const struct of_device_id *of_match_node(const struct of_device_id *matches,
					 const struct device_node *node)
{
	const struct of_device_id *best = NULL;
	int best_rank = __INT_MAX__;

	if (!matches || !node)
		return NULL;
	for (; matches->name[0] || matches->type[0] || matches->compatible[0]; matches++) {
		int rank = compat_rank(node, matches->compatible);

		if (rank >= 0 && rank < best_rank) {
			best = matches;
			best_rank = rank;
		}
	}
	return best;
}

/**
 * of_match_device - of_match_node() on a device's node
 * @matches: the table
 * @dev: the device
 *
 * Return: the entry, or NULL.
 */
const struct of_device_id *of_match_device(const struct of_device_id *matches,
					   const struct device *dev)
{
	if (!matches || !dev->of_node || dev->of_node_reused)
		return NULL;
	return of_match_node(matches, dev->of_node);
}

/**
 * of_device_get_match_data - the .data of the bound driver's matching of_device_id
 * @dev: the device
 *
 * Return: the data, or NULL.
 */
const void *of_device_get_match_data(const struct device *dev)
{
	const struct of_device_id *match;

	if (!dev->driver)
		return NULL;
	match = of_match_device(dev->driver->of_match_table, dev);
	return match ? match->data : NULL;
}

/**
 * device_get_match_data - the firmware match data of the bound driver (device tree only)
 * @dev: the device
 *
 * Return: the data, or NULL.
 */
const void *device_get_match_data(const struct device *dev)
{
	return of_device_get_match_data(dev);
}

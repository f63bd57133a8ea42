/* SPDX-License-Identifier: MIT */
/*
 * Device-managed mappings and region claims (lib/devres.c, kernel/iomem.c, kernel/resource.c,
 * drivers/base/platform.c): the devm_ forms of ioremap, memremap, ioport_map and
 * request_region, undone by devres when the driver unbinds (or probe fails), last in first
 * out, and the platform helpers that claim and map a device's memory resource.
 *
 * Each devres entry holds what its release needs (the address, or the region); the _match
 * functions let devm_iounmap and friends find the one entry they undo.  No state of its own.
 */
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/platform_device.h>
#include "core/core.h"
#include "io/io.h"
#include "base/base.h"

enum devm_ioremap_type { DEVM_IOREMAP, DEVM_IOREMAP_UC, DEVM_IOREMAP_WC, DEVM_IOREMAP_NP };

static void devm_ioremap_release(struct device *dev, void *res)
{
	ukmem__iounmap_owned(*(void __iomem **)res, dev);
}

static int devm_ioremap_match(struct device *dev, void *res, void *match_data)
{
	return *(void **)res == match_data;
}

static void __iomem *__devm_ioremap(struct device *dev, resource_size_t offset,
				    resource_size_t size, enum devm_ioremap_type type)
{
	void __iomem **ptr, *addr = NULL;

	if (ukmem__devres_dev_bad(dev))
		return NULL;
	ptr = devres_alloc(devm_ioremap_release, sizeof(*ptr), GFP_KERNEL);
	if (!ptr)
		return NULL;
	switch (type) {
	case DEVM_IOREMAP:
		addr = ioremap(offset, size);
		break;
	case DEVM_IOREMAP_UC:
		addr = ioremap_uc(offset, size);
		break;
	case DEVM_IOREMAP_WC:
		addr = ioremap_wc(offset, size);
		break;
	case DEVM_IOREMAP_NP:
		addr = ioremap_np(offset, size);
		break;
	}
	if (addr) {
		*ptr = addr;
		ukmem__iomap_set_owner(addr, dev);	/* a plain iounmap() of it is refused */
		devres_add(dev, ptr);
	} else {
		devres_free(ptr);
	}
	return addr;
}

/** devm_ioremap - ioremap() undone when the driver unbinds */
void __iomem *devm_ioremap(struct device *dev, resource_size_t offset, resource_size_t size)
{
	return __devm_ioremap(dev, offset, size, DEVM_IOREMAP);
}

/** devm_ioremap_uc - ioremap_uc() undone when the driver unbinds */
void __iomem *devm_ioremap_uc(struct device *dev, resource_size_t offset, resource_size_t size)
{
	return __devm_ioremap(dev, offset, size, DEVM_IOREMAP_UC);
}

/** devm_ioremap_wc - ioremap_wc() undone when the driver unbinds */
void __iomem *devm_ioremap_wc(struct device *dev, resource_size_t offset, resource_size_t size)
{
	return __devm_ioremap(dev, offset, size, DEVM_IOREMAP_WC);
}

/** devm_ioremap_np - ioremap_np() (NULL on x86) undone when the driver unbinds */
void __iomem *devm_ioremap_np(struct device *dev, resource_size_t offset, resource_size_t size)
{
	return __devm_ioremap(dev, offset, size, DEVM_IOREMAP_NP);
}

/**
 * devm_iounmap - undo a devm_ioremap() now
 *
 * An @addr that is not one of @dev's devm_ioremap()s warns (WARN_ON) and is then
 * iounmap()ed as the kernel's is: a plain mapping goes, another device's stays (warned).
 */
void devm_iounmap(struct device *dev, void __iomem *addr)
{
	int rc = devres_destroy(dev, devm_ioremap_release, devm_ioremap_match,
				(__force void *)addr);

	WARN_ON(rc);
	ukmem__iounmap_owned(addr, rc ? NULL : dev);
}

/* ---- regions (kernel/resource.c) ---- */
struct region_devres {
	struct resource *parent;
	resource_size_t start;
	resource_size_t n;
};

static void devm_region_release(struct device *dev, void *res)
{
	struct region_devres *this = res;

	__release_region(this->parent, this->start, this->n);
}

static int devm_region_match(struct device *dev, void *res, void *match_data)
{
	struct region_devres *this = res, *match = match_data;

	return this->parent == match->parent && this->start == match->start &&
	       this->n == match->n;
}

/**
 * __devm_request_region - __request_region() released when the driver unbinds
 *
 * Return: the claimed resource, or NULL (busy, or no memory).
 */
struct resource *__devm_request_region(struct device *dev, struct resource *parent,
				       resource_size_t start, resource_size_t n,
				       const char *name)
{
	struct region_devres *dr;
	struct resource *res;

	if (ukmem__devres_dev_bad(dev))
		return NULL;
	dr = devres_alloc(devm_region_release, sizeof(*dr), GFP_KERNEL);
	if (!dr)
		return NULL;
	dr->parent = parent;
	dr->start = start;
	dr->n = n;
	res = __request_region(parent, start, n, name, 0);
	if (res)
		devres_add(dev, dr);
	else
		devres_free(dr);
	return res;
}

/**
 * __devm_release_region - release a devm-claimed region now
 */
void __devm_release_region(struct device *dev, struct resource *parent,
			   resource_size_t start, resource_size_t n)
{
	struct region_devres match_data = { parent, start, n };

	__release_region(parent, start, n);
	WARN_ON(devres_destroy(dev, devm_region_release, devm_region_match, &match_data));
}

/* ---- claim and map a resource ---- */
static void __iomem *__devm_ioremap_resource(struct device *dev, const struct resource *res,
					     enum devm_ioremap_type type)
{
	resource_size_t size;
	void __iomem *dest;
	char *name;

	if (ukmem__devres_dev_bad(dev))
		return IOMEM_ERR_PTR(-EINVAL);
	if (!res || resource_type(res) != IORESOURCE_MEM) {
		dev_err(dev, "invalid resource %pR\n", res);
		return IOMEM_ERR_PTR(-EINVAL);
	}
	if (type == DEVM_IOREMAP && (res->flags & IORESOURCE_MEM_NONPOSTED))
		type = DEVM_IOREMAP_NP;		/* x86 has none: "ioremap failed" */
	size = resource_size(res);
	if (res->name)
		name = devm_kasprintf(dev, GFP_KERNEL, "%s %s", dev_name(dev), res->name);
	else
		name = devm_kstrdup(dev, dev_name(dev), GFP_KERNEL);
	if (!name) {
		dev_err(dev, "can't generate pretty name for resource %pR\n", res);
		return IOMEM_ERR_PTR(-ENOMEM);
	}
	if (!devm_request_mem_region(dev, res->start, size, name)) {
		dev_err(dev, "can't request region for resource %pR\n", res);
		return IOMEM_ERR_PTR(-EBUSY);
	}
	dest = __devm_ioremap(dev, res->start, size, type);
	if (!dest) {
		dev_err(dev, "ioremap failed for resource %pR\n", res);
		devm_release_mem_region(dev, res->start, size);
		dest = IOMEM_ERR_PTR(-ENOMEM);
	}
	return dest;
}

/**
 * devm_ioremap_resource - claim a memory resource (named after the device) and map it
 *
 * Return: the mapping, or an ERR_PTR: -EINVAL (no resource, or not memory: "invalid
 * resource"), -EBUSY ("can't request region for resource"), -ENOMEM ("can't generate
 * pretty name for resource", "ioremap failed for resource").  Undone at unbind.
 */
void __iomem *devm_ioremap_resource(struct device *dev, const struct resource *res)
{
	return __devm_ioremap_resource(dev, res, DEVM_IOREMAP);
}

/** devm_ioremap_resource_wc - devm_ioremap_resource() write-combining */
void __iomem *devm_ioremap_resource_wc(struct device *dev, const struct resource *res)
{
	return __devm_ioremap_resource(dev, res, DEVM_IOREMAP_WC);
}

/**
 * devm_platform_get_and_ioremap_resource - the @index-th memory resource, claimed and mapped
 * @res: where to store the resource (may be NULL)
 */
void __iomem *devm_platform_get_and_ioremap_resource(struct platform_device *pdev,
						      unsigned int index, struct resource **res)
{
	struct resource *r = platform_get_resource(pdev, IORESOURCE_MEM, index);

	if (res)
		*res = r;
	return devm_ioremap_resource(&pdev->dev, r);
}

/** devm_platform_ioremap_resource - the @index-th memory resource, claimed and mapped */
void __iomem *devm_platform_ioremap_resource(struct platform_device *pdev, unsigned int index)
{
	return devm_platform_get_and_ioremap_resource(pdev, index, NULL);
}

/** devm_platform_ioremap_resource_byname - the memory resource named @name, claimed and mapped */
void __iomem *devm_platform_ioremap_resource_byname(struct platform_device *pdev,
						     const char *name)
{
	struct resource *res = platform_get_resource_byname(pdev, IORESOURCE_MEM, name);

	return devm_ioremap_resource(&pdev->dev, res);
}

/* ---- memremap and port maps ---- */
/* memunmap() on behalf of @dev: an ioremapped address is @dev's own mapping. */
static void devm_memremap_release(struct device *dev, void *res)
{
	void *addr = *(void **)res;

	if (is_ioremap_addr(addr))
		ukmem__iounmap_owned((void __iomem *)addr, dev);
}

static int devm_memremap_match(struct device *dev, void *res, void *match_data)
{
	return *(void **)res == match_data;
}

/**
 * devm_memremap - memremap() undone when the driver unbinds
 *
 * Return: the address, or ERR_PTR(-ENOMEM) / ERR_PTR(-ENXIO) (memremap failed).
 */
void *devm_memremap(struct device *dev, resource_size_t offset, size_t size,
		    unsigned long flags)
{
	void **ptr, *addr;

	if (ukmem__devres_dev_bad(dev))
		return ERR_PTR(-EINVAL);
	ptr = devres_alloc(devm_memremap_release, sizeof(*ptr), GFP_KERNEL);
	if (!ptr)
		return ERR_PTR(-ENOMEM);
	addr = memremap(offset, size, flags);
	if (!addr) {
		devres_free(ptr);
		return ERR_PTR(-ENXIO);
	}
	*ptr = addr;
	ukmem__iomap_set_owner((void __iomem *)addr, dev);	/* memunmap() of it is refused */
	devres_add(dev, ptr);
	return addr;
}

/** devm_memunmap - undo a devm_memremap() now (warns when @addr is not one of @dev's) */
void devm_memunmap(struct device *dev, void *addr)
{
	WARN_ON(devres_release(dev, devm_memremap_release, devm_memremap_match, addr));
}

static void devm_ioport_map_release(struct device *dev, void *res)
{
	ioport_unmap(*(void __iomem **)res);
}

/** devm_ioport_map - ioport_map() undone when the driver unbinds */
void __iomem *devm_ioport_map(struct device *dev, unsigned long port, unsigned int nr)
{
	void __iomem **ptr, *addr;

	if (ukmem__devres_dev_bad(dev))
		return NULL;
	ptr = devres_alloc(devm_ioport_map_release, sizeof(*ptr), GFP_KERNEL);
	if (!ptr)
		return NULL;
	addr = ioport_map(port, nr);
	if (addr) {
		*ptr = addr;
		devres_add(dev, ptr);
	} else {
		devres_free(ptr);
	}
	return addr;
}

/** devm_ioport_unmap - undo a devm_ioport_map() now */
void devm_ioport_unmap(struct device *dev, void __iomem *addr)
{
	ioport_unmap(addr);
	WARN_ON(devres_destroy(dev, devm_ioport_map_release, devm_ioremap_match,
			       (__force void *)addr));
}

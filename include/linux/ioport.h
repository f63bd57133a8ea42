/* SPDX-License-Identifier: MIT */
/*
 * <linux/ioport.h>: the resource tree.  iomem_resource spans the whole physical space and
 * holds "System RAM" and "Reserved" ranges; drivers' requests nest below them.
 */
#ifndef _UKMEM_LINUX_IOPORT_H
#define _UKMEM_LINUX_IOPORT_H
#include <linux/types.h>
#include <linux/compiler.h>

struct resource {
	resource_size_t start;
	resource_size_t end;
	const char *name;
	unsigned long flags;
	unsigned long desc;
	struct resource *parent, *sibling, *child;
};

#define IORESOURCE_BITS		0x000000ff
#define IORESOURCE_TYPE_BITS	0x00001f00
#define IORESOURCE_IO		0x00000100
#define IORESOURCE_MEM		0x00000200
#define IORESOURCE_REG		0x00000300
#define IORESOURCE_IRQ		0x00000400
#define IORESOURCE_DMA		0x00000800
#define IORESOURCE_BUS		0x00001000
#define IORESOURCE_PREFETCH	0x00002000
#define IORESOURCE_READONLY	0x00004000
#define IORESOURCE_CACHEABLE	0x00008000
#define IORESOURCE_RANGELENGTH	0x00010000
#define IORESOURCE_SHADOWABLE	0x00020000
#define IORESOURCE_SIZEALIGN	0x00040000
#define IORESOURCE_STARTALIGN	0x00080000
#define IORESOURCE_MEM_64	0x00100000
#define IORESOURCE_WINDOW	0x00200000
#define IORESOURCE_MUXED	0x00400000
#define IORESOURCE_EXT_TYPE_BITS 0x01000000
#define IORESOURCE_SYSRAM	0x01000000
#define IORESOURCE_EXCLUSIVE	0x08000000
#define IORESOURCE_DISABLED	0x10000000
#define IORESOURCE_UNSET	0x20000000
#define IORESOURCE_AUTO		0x40000000
#define IORESOURCE_BUSY		0x80000000
#define IORESOURCE_SYSTEM_RAM	(IORESOURCE_MEM | IORESOURCE_SYSRAM)

/* The bus-specific bits (IORESOURCE_BITS) of IRQ and memory resources. */
#define IORESOURCE_IRQ_HIGHEDGE		(1 << 0)
#define IORESOURCE_IRQ_LOWEDGE		(1 << 1)
#define IORESOURCE_IRQ_HIGHLEVEL	(1 << 2)
#define IORESOURCE_IRQ_LOWLEVEL		(1 << 3)
#define IORESOURCE_IRQ_SHAREABLE	(1 << 4)
#define IORESOURCE_IRQ_OPTIONAL		(1 << 5)
#define IORESOURCE_IRQ_WAKECAPABLE	(1 << 6)
#define IORESOURCE_MEM_WRITEABLE	(1 << 0)
#define IORESOURCE_MEM_CACHEABLE	(1 << 1)
#define IORESOURCE_MEM_RANGELENGTH	(1 << 2)
#define IORESOURCE_MEM_TYPE_MASK	(3 << 3)
#define IORESOURCE_MEM_8BIT		(0 << 3)
#define IORESOURCE_MEM_16BIT		(1 << 3)
#define IORESOURCE_MEM_8AND16BIT	(2 << 3)
#define IORESOURCE_MEM_32BIT		(3 << 3)
#define IORESOURCE_MEM_SHADOWABLE	(1 << 5)
#define IORESOURCE_MEM_EXPANSIONROM	(1 << 6)
#define IORESOURCE_MEM_NONPOSTED	(1 << 7)
#define IORESOURCE_IO_16BIT_ADDR	(1 << 0)
#define IORESOURCE_IO_FIXED		(1 << 1)
#define IORESOURCE_IO_SPARSE		(1 << 2)

enum { IORES_DESC_NONE = 0, IORES_DESC_CRASH_KERNEL, IORES_DESC_ACPI_TABLES,
       IORES_DESC_ACPI_NV_STORAGE, IORES_DESC_PERSISTENT_MEMORY, IORES_DESC_PERSISTENT_MEMORY_LEGACY,
       IORES_DESC_DEVICE_PRIVATE_MEMORY, IORES_DESC_RESERVED, IORES_DESC_SOFT_RESERVED };

#define DEFINE_RES_NAMED(_start, _size, _name, _flags) \
	((struct resource){ .start = (_start), .end = (_start) + (_size) - 1, \
			    .name = (_name), .flags = (_flags), .desc = IORES_DESC_NONE })
#define DEFINE_RES_MEM_NAMED(_start, _size, _name) DEFINE_RES_NAMED(_start, _size, _name, IORESOURCE_MEM)
#define DEFINE_RES_MEM(_start, _size)	DEFINE_RES_MEM_NAMED(_start, _size, NULL)
#define DEFINE_RES_IRQ_NAMED(_irq, _name) DEFINE_RES_NAMED(_irq, 1, _name, IORESOURCE_IRQ)
#define DEFINE_RES_IRQ(_irq)		DEFINE_RES_IRQ_NAMED(_irq, NULL)
#define DEFINE_RES_IO_NAMED(_start, _size, _name) \
	DEFINE_RES_NAMED(_start, _size, _name, IORESOURCE_IO)
#define DEFINE_RES_IO(_start, _size)	DEFINE_RES_IO_NAMED(_start, _size, NULL)
#define DEFINE_RES_DMA_NAMED(_dma, _name) DEFINE_RES_NAMED(_dma, 1, _name, IORESOURCE_DMA)
#define DEFINE_RES_DMA(_dma)		DEFINE_RES_DMA_NAMED(_dma, NULL)

extern struct resource ioport_resource;
extern struct resource iomem_resource;

int request_resource(struct resource *root, struct resource *new);
struct resource *request_resource_conflict(struct resource *root, struct resource *new);
int release_resource(struct resource *old);
int insert_resource(struct resource *parent, struct resource *new);
struct resource *__request_region(struct resource *parent, resource_size_t start,
				  resource_size_t n, const char *name, int flags);
void __release_region(struct resource *parent, resource_size_t start, resource_size_t n);
int remove_resource(struct resource *old);
int iomem_map_sanity_check(resource_size_t addr, unsigned long size);

/* region_intersects() answers (the kernel's values). */
enum { REGION_INTERSECTS, REGION_DISJOINT, REGION_MIXED };
int region_intersects(resource_size_t offset, size_t size, unsigned long flags,
		      unsigned long desc);

struct device;
struct resource *__devm_request_region(struct device *dev, struct resource *parent,
				       resource_size_t start, resource_size_t n,
				       const char *name);
#define devm_request_region(dev, start, n, name) \
	__devm_request_region(dev, &ioport_resource, (start), (n), (name))
#define devm_request_mem_region(dev, start, n, name) \
	__devm_request_region(dev, &iomem_resource, (start), (n), (name))
void __devm_release_region(struct device *dev, struct resource *parent,
			   resource_size_t start, resource_size_t n);
#define devm_release_region(dev, start, n) \
	__devm_release_region(dev, &ioport_resource, (start), (n))
#define devm_release_mem_region(dev, start, n) \
	__devm_release_region(dev, &iomem_resource, (start), (n))
#define request_region(start, n, name)	__request_region(&ioport_resource, (start), (n), (name), 0)
#define request_mem_region(start, n, name) __request_region(&iomem_resource, (start), (n), (name), 0)
#define request_mem_region_exclusive(start, n, name) \
	__request_region(&iomem_resource, (start), (n), (name), IORESOURCE_EXCLUSIVE)
#define release_region(start, n)	__release_region(&ioport_resource, (start), (n))
#define release_mem_region(start, n)	__release_region(&iomem_resource, (start), (n))

static inline resource_size_t resource_size(const struct resource *res)
{
	return res->end - res->start + 1;
}
static inline unsigned long resource_type(const struct resource *res)
{
	return res->flags & IORESOURCE_TYPE_BITS;
}
static inline bool resource_overlaps(struct resource *r1, struct resource *r2)
{
	return r1->start <= r2->end && r1->end >= r2->start;
}
static inline bool resource_contains(struct resource *r1, struct resource *r2)
{
	if (resource_type(r1) != resource_type(r2))
		return false;
	return r1->start <= r2->start && r1->end >= r2->end;
}
#endif

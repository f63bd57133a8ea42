/* SPDX-License-Identifier: MIT */
/*
 * <linux/io.h>: mapping device memory (ioremap and memremap families, their devm_ forms)
 * and the register accessors (<asm/io.h>, ioread/iowrite from lib/iomap.c).
 *
 * ioremap() of a physical range returns an __iomem address in the vmalloc window
 * (is_vmalloc_addr() is true, /proc/vmallocinfo lists it as "ioremap"), keeping the offset
 * of an unaligned start.  What stands behind it is an emulated device registered with
 * ukmem_mmio_add() (<ukmem.h>); a range with no device reads all ones and drops writes.
 * RAM is refused (a warning and NULL); memremap() of RAM returns the direct-map address.
 */
#ifndef _UKMEM_LINUX_IO_H
#define _UKMEM_LINUX_IO_H
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <asm/io.h>

struct device;
struct resource;
struct platform_device;
struct pci_dev;

/* ioremap family (x86-64): every cache type maps the same emulated registers. */
void __iomem *ioremap(resource_size_t offset, unsigned long size);
void __iomem *ioremap_uc(resource_size_t offset, unsigned long size);
void __iomem *ioremap_wc(resource_size_t offset, unsigned long size);
void __iomem *ioremap_wt(resource_size_t offset, unsigned long size);
void __iomem *ioremap_cache(resource_size_t offset, unsigned long size);
void __iomem *ioremap_encrypted(resource_size_t phys_addr, unsigned long size);
void __iomem *ioremap_prot(resource_size_t offset, unsigned long size, unsigned long prot_val);
void iounmap(volatile void __iomem *addr);
#define ioremap_uc ioremap_uc
#define ioremap_wc ioremap_wc
#define ioremap_wt ioremap_wt
#define ioremap_cache ioremap_cache
#define ioremap_prot ioremap_prot
/* Non-posted mappings exist on arm64 only: x86 returns NULL, as the kernel's generic one. */
static inline void __iomem *ioremap_np(phys_addr_t offset, size_t size)
{
	(void)offset;
	(void)size;
	return NULL;
}
#define ioremap_np ioremap_np

/* memremap: memory-like mappings. */
enum {
	MEMREMAP_WB = 1 << 0,
	MEMREMAP_WT = 1 << 1,
	MEMREMAP_WC = 1 << 2,
	MEMREMAP_ENC = 1 << 3,
	MEMREMAP_DEC = 1 << 4,
};
void *memremap(resource_size_t offset, size_t size, unsigned long flags);
void memunmap(void *addr);

/* lib/iomap.c: ioread/iowrite take MMIO addresses or port cookies from ioport_map(). */
#define PIO_OFFSET	0x10000UL
#define PIO_MASK	0x0ffffUL
#define PIO_RESERVED	0x40000UL
void __iomem *ioport_map(unsigned long port, unsigned int nr);
void ioport_unmap(void __iomem *addr);
void __iomem *pci_iomap(struct pci_dev *dev, int bar, unsigned long maxlen);
void __iomem *pci_iomap_range(struct pci_dev *dev, int bar, unsigned long offset,
			      unsigned long maxlen);
void pci_iounmap(struct pci_dev *dev, void __iomem *addr);

u64 __ukmem_pio_read(const volatile void __iomem *addr, unsigned int size);
void __ukmem_pio_write(volatile void __iomem *addr, unsigned int size, u64 value);
/* A cookie below PIO_OFFSET (neither MMIO nor a port): lib/iomap.c's "Bad IO access"
 * warning naming the access as 6.1 does, and true. */
bool __ukmem_pio_bad(const volatile void __iomem *addr, const char *access);

static __always_inline bool __ukmem_is_pio(const volatile void __iomem *addr)
{
	return unlikely((unsigned long)addr < PIO_RESERVED);
}

static inline u8 ioread8(const volatile void __iomem *addr)
{
	if (__ukmem_is_pio(addr))
		return __ukmem_pio_bad(addr, "return inb(port)") ? 0xff :
		       (u8)__ukmem_pio_read(addr, 1);
	return readb(addr);
}

static inline void iowrite8(u8 value, volatile void __iomem *addr)
{
	if (__ukmem_is_pio(addr)) {
		if (!__ukmem_pio_bad(addr, "outb(val,port)"))
			__ukmem_pio_write(addr, 1, value);
	} else
		writeb(value, addr);
}

static inline u16 ioread16(const volatile void __iomem *addr)
{
	if (__ukmem_is_pio(addr))
		return __ukmem_pio_bad(addr, "return inw(port)") ? 0xffff :
		       (u16)__ukmem_pio_read(addr, 2);
	return readw(addr);
}

static inline void iowrite16(u16 value, volatile void __iomem *addr)
{
	if (__ukmem_is_pio(addr)) {
		if (!__ukmem_pio_bad(addr, "outw(val,port)"))
			__ukmem_pio_write(addr, 2, value);
	} else
		writew(value, addr);
}

static inline u32 ioread32(const volatile void __iomem *addr)
{
	if (__ukmem_is_pio(addr))
		return __ukmem_pio_bad(addr, "return inl(port)") ? 0xffffffff :
		       (u32)__ukmem_pio_read(addr, 4);
	return readl(addr);
}

static inline void iowrite32(u32 value, volatile void __iomem *addr)
{
	if (__ukmem_is_pio(addr)) {
		if (!__ukmem_pio_bad(addr, "outl(val,port)"))
			__ukmem_pio_write(addr, 4, value);
	} else
		writel(value, addr);
}

static inline u64 ioread64(const volatile void __iomem *addr)
{
	if (__ukmem_is_pio(addr))
		return (u64)__ukmem_pio_read(addr, 8);
	return readq(addr);
}

static inline void iowrite64(u64 value, volatile void __iomem *addr)
{
	if (__ukmem_is_pio(addr))
		__ukmem_pio_write(addr, 8, value);
	else
		writeq(value, addr);
}

static inline u16 ioread16be(const volatile void __iomem *addr)
{
	if (__ukmem_is_pio(addr) && __ukmem_pio_bad(addr, "return pio_read16be(port)"))
		return 0xffff;
	return __builtin_bswap16(ioread16(addr));
}
static inline u32 ioread32be(const volatile void __iomem *addr)
{
	if (__ukmem_is_pio(addr) && __ukmem_pio_bad(addr, "return pio_read32be(port)"))
		return 0xffffffff;
	return __builtin_bswap32(ioread32(addr));
}
static inline u64 ioread64be(const volatile void __iomem *addr)
{
	return __builtin_bswap64(ioread64(addr));
}
static inline void iowrite16be(u16 value, volatile void __iomem *addr)
{
	if (__ukmem_is_pio(addr) && __ukmem_pio_bad(addr, "pio_write16be(val,port)"))
		return;
	iowrite16(__builtin_bswap16(value), addr);
}
static inline void iowrite32be(u32 value, volatile void __iomem *addr)
{
	if (__ukmem_is_pio(addr) && __ukmem_pio_bad(addr, "pio_write32be(val,port)"))
		return;
	iowrite32(__builtin_bswap32(value), addr);
}
static inline void iowrite64be(u64 value, volatile void __iomem *addr)
{
	iowrite64(__builtin_bswap64(value), addr);
}

/* _rep: count accesses of the same register. */
static inline void ioread8_rep(const volatile void __iomem *addr, void *buf, unsigned long count)
{
	u8 *p = (u8 *)buf;

	if (__ukmem_is_pio(addr) && __ukmem_pio_bad(addr, "insb(port,dst,count)"))
		return;		/* one warning per call, as 6.1 */

	while (count--) {
		u8 v = ioread8(addr);

		__builtin_memcpy(p++, &v, sizeof(v));
	}
}

static inline void iowrite8_rep(volatile void __iomem *addr, const void *buf, unsigned long count)
{
	const u8 *p = (const u8 *)buf;

	if (__ukmem_is_pio(addr) && __ukmem_pio_bad(addr, "outsb(port, src, count)"))
		return;		/* one warning per call, as 6.1 */

	while (count--) {
		u8 v;

		__builtin_memcpy(&v, p++, sizeof(v));
		iowrite8(v, addr);
	}
}

static inline void ioread16_rep(const volatile void __iomem *addr, void *buf, unsigned long count)
{
	u16 *p = (u16 *)buf;

	if (__ukmem_is_pio(addr) && __ukmem_pio_bad(addr, "insw(port,dst,count)"))
		return;		/* one warning per call, as 6.1 */

	while (count--) {
		u16 v = ioread16(addr);

		__builtin_memcpy(p++, &v, sizeof(v));
	}
}

static inline void iowrite16_rep(volatile void __iomem *addr, const void *buf, unsigned long count)
{
	const u16 *p = (const u16 *)buf;

	if (__ukmem_is_pio(addr) && __ukmem_pio_bad(addr, "outsw(port, src, count)"))
		return;		/* one warning per call, as 6.1 */

	while (count--) {
		u16 v;

		__builtin_memcpy(&v, p++, sizeof(v));
		iowrite16(v, addr);
	}
}

static inline void ioread32_rep(const volatile void __iomem *addr, void *buf, unsigned long count)
{
	u32 *p = (u32 *)buf;

	if (__ukmem_is_pio(addr) && __ukmem_pio_bad(addr, "insl(port,dst,count)"))
		return;		/* one warning per call, as 6.1 */

	while (count--) {
		u32 v = ioread32(addr);

		__builtin_memcpy(p++, &v, sizeof(v));
	}
}

static inline void iowrite32_rep(volatile void __iomem *addr, const void *buf, unsigned long count)
{
	const u32 *p = (const u32 *)buf;

	if (__ukmem_is_pio(addr) && __ukmem_pio_bad(addr, "outsl(port, src,count)"))
		return;		/* one warning per call, as 6.1 */

	while (count--) {
		u32 v;

		__builtin_memcpy(&v, p++, sizeof(v));
		iowrite32(v, addr);
	}
}

/* Device-managed forms (lib/devres.c): undone when the driver unbinds. */
#define IOMEM_ERR_PTR(err)	((__force void __iomem *)ERR_PTR(err))
void __iomem *devm_ioremap(struct device *dev, resource_size_t offset, resource_size_t size);
void __iomem *devm_ioremap_uc(struct device *dev, resource_size_t offset, resource_size_t size);
void __iomem *devm_ioremap_wc(struct device *dev, resource_size_t offset, resource_size_t size);
void __iomem *devm_ioremap_np(struct device *dev, resource_size_t offset, resource_size_t size);
void devm_iounmap(struct device *dev, void __iomem *addr);
void __iomem *devm_ioremap_resource(struct device *dev, const struct resource *res);
void __iomem *devm_ioremap_resource_wc(struct device *dev, const struct resource *res);
void *devm_memremap(struct device *dev, resource_size_t offset, size_t size,
		    unsigned long flags);
void devm_memunmap(struct device *dev, void *addr);
void __iomem *devm_ioport_map(struct device *dev, unsigned long port, unsigned int nr);
void devm_ioport_unmap(struct device *dev, void __iomem *addr);
void __iomem *devm_platform_ioremap_resource(struct platform_device *pdev, unsigned int index);
void __iomem *devm_platform_ioremap_resource_byname(struct platform_device *pdev,
						     const char *name);
void __iomem *devm_platform_get_and_ioremap_resource(struct platform_device *pdev,
						      unsigned int index, struct resource **res);

/* virt_to_phys and friends come with the page API. */
#include <asm/page.h>
#endif

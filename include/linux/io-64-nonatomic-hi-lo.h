/* SPDX-License-Identifier: MIT */
/*
 * <linux/io-64-nonatomic-hi-lo.h>: a 64-bit register as two 32-bit accesses, high word
 * first.  x86-64 has readq/writeq, so those keep their single 8-byte access.
 */
#ifndef _UKMEM_LINUX_IO_64_NONATOMIC_HI_LO_H
#define _UKMEM_LINUX_IO_64_NONATOMIC_HI_LO_H
#include <linux/io.h>

static inline u64 hi_lo_readq(const volatile void __iomem *addr)
{
	const volatile u32 __iomem *p = (const volatile u32 __iomem *)addr;
	u32 high = readl(p + 1), low = readl(p);

	return low + ((u64)high << 32);
}
static inline void hi_lo_writeq(u64 val, volatile void __iomem *addr)
{
	writel((u32)(val >> 32), (volatile u8 __iomem *)addr + 4);
	writel((u32)val, addr);
}
static inline u64 hi_lo_readq_relaxed(const volatile void __iomem *addr)
{
	return hi_lo_readq(addr);
}
static inline void hi_lo_writeq_relaxed(u64 val, volatile void __iomem *addr)
{
	hi_lo_writeq(val, addr);
}
#ifndef ioread64_hi_lo
#define ioread64_hi_lo ioread64_hi_lo
static inline u64 ioread64_hi_lo(const volatile void __iomem *addr)
{
	u32 low, high;

	if (__ukmem_is_pio(addr) && __ukmem_pio_bad(addr, "return pio_read64_hi_lo(port)"))
		return ~0ULL;
	high = ioread32((const volatile u8 __iomem *)addr + 4);
	low = ioread32(addr);

	return low + ((u64)high << 32);
}
static inline void iowrite64_hi_lo(u64 val, volatile void __iomem *addr)
{
	if (__ukmem_is_pio(addr) && __ukmem_pio_bad(addr, "pio_write64_hi_lo(val, port)"))
		return;
	iowrite32((u32)(val >> 32), (volatile u8 __iomem *)addr + 4);
	iowrite32((u32)val, addr);
}
#endif
#endif

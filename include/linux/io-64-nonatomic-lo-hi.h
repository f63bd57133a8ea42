/* SPDX-License-Identifier: MIT */
/*
 * <linux/io-64-nonatomic-lo-hi.h>: a 64-bit register as two 32-bit accesses, low word
 * first.  x86-64 has readq/writeq, so those keep their single 8-byte access.
 */
#ifndef _UKMEM_LINUX_IO_64_NONATOMIC_LO_HI_H
#define _UKMEM_LINUX_IO_64_NONATOMIC_LO_HI_H
#include <linux/io.h>

static inline u64 lo_hi_readq(const volatile void __iomem *addr)
{
	const volatile u32 __iomem *p = (const volatile u32 __iomem *)addr;
	u32 low = readl(p), high = readl(p + 1);

	return low + ((u64)high << 32);
}
static inline void lo_hi_writeq(u64 val, volatile void __iomem *addr)
{
	writel((u32)val, addr);
	writel((u32)(val >> 32), (volatile u8 __iomem *)addr + 4);
}
static inline u64 lo_hi_readq_relaxed(const volatile void __iomem *addr)
{
	return lo_hi_readq(addr);
}
static inline void lo_hi_writeq_relaxed(u64 val, volatile void __iomem *addr)
{
	lo_hi_writeq(val, addr);
}
#ifndef ioread64_lo_hi
#define ioread64_lo_hi ioread64_lo_hi
static inline u64 ioread64_lo_hi(const volatile void __iomem *addr)
{
	u32 low, high;

	if (__ukmem_is_pio(addr) && __ukmem_pio_bad(addr, "return pio_read64_lo_hi(port)"))
		return ~0ULL;
	low = ioread32(addr);
	high = ioread32((const volatile u8 __iomem *)addr + 4);

	return low + ((u64)high << 32);
}
static inline void iowrite64_lo_hi(u64 val, volatile void __iomem *addr)
{
	if (__ukmem_is_pio(addr) && __ukmem_pio_bad(addr, "pio_write64_lo_hi(val, port)"))
		return;
	iowrite32((u32)val, addr);
	iowrite32((u32)(val >> 32), (volatile u8 __iomem *)addr + 4);
}
#endif
#endif

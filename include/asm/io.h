/* SPDX-License-Identifier: MIT */
/*
 * <asm/io.h>: MMIO register accessors, x86-64 flavour (readb ... writeq, their _relaxed and
 * __raw_ forms, ioread and iowrite, string and rep forms, port I/O).
 *
 * ioremap() places a mapping in one of two parts of the vmalloc window:
 *  - a mapping of a memory-backed emulated region maps that memory: an accessor is one range
 *    compare and a plain volatile load or store, as on hardware;
 *  - a mapping of a callback region (or of a range with no device, or any mapping while
 *    ukmem.mmio_trace=1) lies in the slow part of the window, [__ukmem_mmio_window.start,
 *    + size): the accessor calls out of line, which routes the access to the device's
 *    callback with the offset and the access width.  These pages are inaccessible, so a
 *    direct dereference faults and is reported naming the device and offset.
 * Before ukmem starts, the slow part is empty (size 0) and nothing is routed.
 *
 * x86 orders MMIO accesses with each other; readX/writeX are also compiler barriers, the
 * __raw_ forms are not.
 */
#ifndef _UKMEM_ASM_IO_H
#define _UKMEM_ASM_IO_H
#include <linux/types.h>
#include <linux/compiler.h>

struct __ukmem_mmio_window {
	unsigned long start, size;	/* set once at start-up */
};
extern struct __ukmem_mmio_window __ukmem_mmio_window;

u64 __ukmem_mmio_read(const volatile void __iomem *addr, unsigned int size);
void __ukmem_mmio_write(volatile void __iomem *addr, unsigned int size, u64 value);

static __always_inline bool __ukmem_mmio_slow(const volatile void __iomem *addr)
{
	return unlikely((unsigned long)addr - __ukmem_mmio_window.start <
			__ukmem_mmio_window.size);
}

#define __UKMEM_MMIO_ACCESSORS(bwlq, type, bytes)					\
static __always_inline type __raw_read##bwlq(const volatile void __iomem *addr)	\
{											\
	if (__ukmem_mmio_slow(addr))							\
		return (type)__ukmem_mmio_read(addr, bytes);				\
	return *(const volatile type __force *)addr;					\
}											\
static __always_inline void __raw_write##bwlq(type value, volatile void __iomem *addr)	\
{											\
	if (__ukmem_mmio_slow(addr))							\
		__ukmem_mmio_write(addr, bytes, value);					\
	else										\
		*(volatile type __force *)addr = value;					\
}											\
static __always_inline type read##bwlq(const volatile void __iomem *addr)		\
{											\
	type v = __raw_read##bwlq(addr);						\
	__asm__ __volatile__("" ::: "memory");						\
	return v;									\
}											\
static __always_inline void write##bwlq(type value, volatile void __iomem *addr)	\
{											\
	__asm__ __volatile__("" ::: "memory");						\
	__raw_write##bwlq(value, addr);							\
}
__UKMEM_MMIO_ACCESSORS(b, u8, 1)
__UKMEM_MMIO_ACCESSORS(w, u16, 2)
__UKMEM_MMIO_ACCESSORS(l, u32, 4)
__UKMEM_MMIO_ACCESSORS(q, u64, 8)
#undef __UKMEM_MMIO_ACCESSORS

#define readb_relaxed(a)	readb(a)
#define readw_relaxed(a)	readw(a)
#define readl_relaxed(a)	readl(a)
#define readq_relaxed(a)	readq(a)
#define writeb_relaxed(v, a)	writeb(v, a)
#define writew_relaxed(v, a)	writew(v, a)
#define writel_relaxed(v, a)	writel(v, a)
#define writeq_relaxed(v, a)	writeq(v, a)
#define readb readb
#define readw readw
#define readl readl
#define readq readq
#define writeb writeb
#define writew writew
#define writel writel
#define writeq writeq
#define __raw_readq __raw_readq
#define __raw_writeq __raw_writeq

/* String forms: count accesses of one register into / out of a buffer. */
#define __UKMEM_MMIO_STRING(bwlq, type)							\
static inline void reads##bwlq(const volatile void __iomem *addr, void *buf,		\
			       unsigned long count)					\
{											\
	type *p = (type *)buf;								\
	while (count--)									\
		__builtin_memcpy(p++, &(type){ __raw_read##bwlq(addr) }, sizeof(type));\
}											\
static inline void writes##bwlq(volatile void __iomem *addr, const void *buf,		\
				unsigned long count)					\
{											\
	const type *p = (const type *)buf;						\
	while (count--) {								\
		type v;									\
		__builtin_memcpy(&v, p++, sizeof(type));				\
		__raw_write##bwlq(v, addr);						\
	}										\
}
__UKMEM_MMIO_STRING(b, u8)
__UKMEM_MMIO_STRING(w, u16)
__UKMEM_MMIO_STRING(l, u32)
__UKMEM_MMIO_STRING(q, u64)
#undef __UKMEM_MMIO_STRING

/* Port I/O: there is no emulated port space; ports read all ones (see docs/io.md). */
u8 inb(unsigned long port);
u16 inw(unsigned long port);
u32 inl(unsigned long port);
void outb(u8 value, unsigned long port);
void outw(u16 value, unsigned long port);
void outl(u32 value, unsigned long port);
#define inb_p(p)	inb(p)
#define inw_p(p)	inw(p)
#define inl_p(p)	inl(p)
#define outb_p(v, p)	outb(v, p)
#define outw_p(v, p)	outw(v, p)
#define outl_p(v, p)	outl(v, p)

void memcpy_fromio(void *to, const volatile void __iomem *from, size_t n);
void memcpy_toio(volatile void __iomem *to, const void *from, size_t n);
void memset_io(volatile void __iomem *addr, int value, size_t n);

#define mmiowb()	do { } while (0)
#endif

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

/* __raw_ forms: the access alone; readX/writeX are also compiler barriers. */
static __always_inline u8 __raw_readb(const volatile void __iomem *addr)
{
	if (__ukmem_mmio_slow(addr))
		return (u8)__ukmem_mmio_read(addr, 1);
	return *(const volatile u8 __force *)addr;
}

static __always_inline void __raw_writeb(u8 value, volatile void __iomem *addr)
{
	if (__ukmem_mmio_slow(addr))
		__ukmem_mmio_write(addr, 1, value);
	else
		*(volatile u8 __force *)addr = value;
}

static __always_inline u8 readb(const volatile void __iomem *addr)
{
	u8 v = __raw_readb(addr);

	__asm__ __volatile__("" ::: "memory");
	return v;
}

static __always_inline void writeb(u8 value, volatile void __iomem *addr)
{
	__asm__ __volatile__("" ::: "memory");
	__raw_writeb(value, addr);
}

static __always_inline u16 __raw_readw(const volatile void __iomem *addr)
{
	if (__ukmem_mmio_slow(addr))
		return (u16)__ukmem_mmio_read(addr, 2);
	return *(const volatile u16 __force *)addr;
}

static __always_inline void __raw_writew(u16 value, volatile void __iomem *addr)
{
	if (__ukmem_mmio_slow(addr))
		__ukmem_mmio_write(addr, 2, value);
	else
		*(volatile u16 __force *)addr = value;
}

static __always_inline u16 readw(const volatile void __iomem *addr)
{
	u16 v = __raw_readw(addr);

	__asm__ __volatile__("" ::: "memory");
	return v;
}

static __always_inline void writew(u16 value, volatile void __iomem *addr)
{
	__asm__ __volatile__("" ::: "memory");
	__raw_writew(value, addr);
}

static __always_inline u32 __raw_readl(const volatile void __iomem *addr)
{
	if (__ukmem_mmio_slow(addr))
		return (u32)__ukmem_mmio_read(addr, 4);
	return *(const volatile u32 __force *)addr;
}

static __always_inline void __raw_writel(u32 value, volatile void __iomem *addr)
{
	if (__ukmem_mmio_slow(addr))
		__ukmem_mmio_write(addr, 4, value);
	else
		*(volatile u32 __force *)addr = value;
}

static __always_inline u32 readl(const volatile void __iomem *addr)
{
	u32 v = __raw_readl(addr);

	__asm__ __volatile__("" ::: "memory");
	return v;
}

static __always_inline void writel(u32 value, volatile void __iomem *addr)
{
	__asm__ __volatile__("" ::: "memory");
	__raw_writel(value, addr);
}

static __always_inline u64 __raw_readq(const volatile void __iomem *addr)
{
	if (__ukmem_mmio_slow(addr))
		return (u64)__ukmem_mmio_read(addr, 8);
	return *(const volatile u64 __force *)addr;
}

static __always_inline void __raw_writeq(u64 value, volatile void __iomem *addr)
{
	if (__ukmem_mmio_slow(addr))
		__ukmem_mmio_write(addr, 8, value);
	else
		*(volatile u64 __force *)addr = value;
}

static __always_inline u64 readq(const volatile void __iomem *addr)
{
	u64 v = __raw_readq(addr);

	__asm__ __volatile__("" ::: "memory");
	return v;
}

static __always_inline void writeq(u64 value, volatile void __iomem *addr)
{
	__asm__ __volatile__("" ::: "memory");
	__raw_writeq(value, addr);
}

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
static inline void readsb(const volatile void __iomem *addr, void *buf, unsigned long count)
{
	u8 *p = (u8 *)buf;

	while (count--) {
		u8 v = __raw_readb(addr);

		__builtin_memcpy(p++, &v, sizeof(v));
	}
}

static inline void writesb(volatile void __iomem *addr, const void *buf, unsigned long count)
{
	const u8 *p = (const u8 *)buf;

	while (count--) {
		u8 v;

		__builtin_memcpy(&v, p++, sizeof(v));
		__raw_writeb(v, addr);
	}
}

static inline void readsw(const volatile void __iomem *addr, void *buf, unsigned long count)
{
	u16 *p = (u16 *)buf;

	while (count--) {
		u16 v = __raw_readw(addr);

		__builtin_memcpy(p++, &v, sizeof(v));
	}
}

static inline void writesw(volatile void __iomem *addr, const void *buf, unsigned long count)
{
	const u16 *p = (const u16 *)buf;

	while (count--) {
		u16 v;

		__builtin_memcpy(&v, p++, sizeof(v));
		__raw_writew(v, addr);
	}
}

static inline void readsl(const volatile void __iomem *addr, void *buf, unsigned long count)
{
	u32 *p = (u32 *)buf;

	while (count--) {
		u32 v = __raw_readl(addr);

		__builtin_memcpy(p++, &v, sizeof(v));
	}
}

static inline void writesl(volatile void __iomem *addr, const void *buf, unsigned long count)
{
	const u32 *p = (const u32 *)buf;

	while (count--) {
		u32 v;

		__builtin_memcpy(&v, p++, sizeof(v));
		__raw_writel(v, addr);
	}
}

static inline void readsq(const volatile void __iomem *addr, void *buf, unsigned long count)
{
	u64 *p = (u64 *)buf;

	while (count--) {
		u64 v = __raw_readq(addr);

		__builtin_memcpy(p++, &v, sizeof(v));
	}
}

static inline void writesq(volatile void __iomem *addr, const void *buf, unsigned long count)
{
	const u64 *p = (const u64 *)buf;

	while (count--) {
		u64 v;

		__builtin_memcpy(&v, p++, sizeof(v));
		__raw_writeq(v, addr);
	}
}

/* Port I/O: to port devices of ukmem_mmio_add_port(); other ports read all ones. */
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

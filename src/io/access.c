/* SPDX-License-Identifier: MIT */
/*
 * The accessors' slow path: an access to the slow part of the window goes to the device
 * behind it (a callback with the offset and width, or the memory of a memory-backed
 * device), to RAM (a mapping that covers RAM the kernel does not use and what is not RAM),
 * to nothing (all ones, writes dropped, a one-time warning per mapping), or is
 * reported (a removed device).  An access runs to a device only when all its bytes are the
 * device's: one across a device's edge reaches nobody, as one where no device is (a
 * device's callback never sees an offset outside it, its memory is never read outside it).  Traced with ukmem.mmio_trace=1 and shown to a device's hook.
 * Also port I/O (lib/iomap.c's cookies) and the string copies (the poll helpers' clock,
 * sleep and delay are in lib/time.c).
 *
 * Locking: io.lock for reading, held across the device's callback (see io.h).  The
 * one-time warning flag is set atomically (readers race for it).
 */
#include <string.h>
#include <linux/kernel.h>
#include <linux/io.h>
#include <linux/sched.h>
#include "core/core.h"
#include "mm/mm.h"
#include "platform/platform.h"
#include "io/io.h"

#define IO ukmem__io

static u64 width_mask(unsigned int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

static u64 plain_access(volatile void *p, unsigned int size, bool write, u64 val)
{
	switch (size) {
	case 1:
		if (write)
			*(volatile u8 *)p = (u8)val;
		return write ? 0 : *(volatile u8 *)p;
	case 2:
		if (write)
			*(volatile u16 *)p = (u16)val;
		return write ? 0 : *(volatile u16 *)p;
	case 4:
		if (write)
			*(volatile u32 *)p = (u32)val;
		return write ? 0 : *(volatile u32 *)p;
	default:
		if (write)
			*(volatile u64 *)p = val;
		return write ? 0 : *(volatile u64 *)p;
	}
}

/**
 * ukmem__mmio_removed_access - report an access through a mapping of a removed device
 */
noinline void ukmem__mmio_removed_access(struct ukmem__mmio_region *r, phys_addr_t phys,
					 unsigned int size, bool write)
{
	ukmem__report_begin();
	printk(KERN_ERR "BUG: ioremap: %s%u access to removed device %s at +0x%llx "
	       "(physical %pa)\n", write ? "write" : "read", size * 8, r->name,
	       (unsigned long long)(phys - r->base), &phys);
	printk(KERN_ERR "The device was removed (ukmem_mmio_remove) while this mapping of it "
	       "was still in use: %s\n", write ? "the write is dropped" :
	       "the read returns all ones");
	ukmem__print_task_line();
	ukmem__stack_dump(1);
	ukmem__report_end(UKMEM_REPORT_BUG);
}

static noinline void unclaimed_warn(struct ukmem__iomap *m, phys_addr_t phys,
				    unsigned int size, bool write)
{
	if (__atomic_exchange_n(&m->warned, true, __ATOMIC_RELAXED))
		return;
	pr_warn("ioremap: %s%u at physical %pa, where no device is: reads return all ones, "
		"writes are dropped (mapping created by %pS)\n", write ? "write" : "read",
		size * 8, &phys, m->caller);
}

/* An access whose bytes are not all the device's: the bus answers as for no device. */
static noinline void edge_warn(struct ukmem__iomap *m, struct ukmem__mmio_region *r,
			       phys_addr_t phys, unsigned int size, bool write)
{
	phys_addr_t last = r->base + r->size - 1;

	if (__atomic_exchange_n(&m->edge_warned, true, __ATOMIC_RELAXED))
		return;
	pr_warn("ioremap: %s%u at physical %pa runs across the edge of device %s [mem %pa-%pa]: "
		"reads return all ones, writes are dropped (mapping created by %pS)\n",
		write ? "write" : "read", size * 8, &phys, r->name, &r->base, &last, m->caller);
}

/* Do all size bytes at phys (or port) belong to r? */
static bool within(const struct ukmem__mmio_region *r, u64 phys, unsigned int size)
{
	return phys >= r->base && phys + size <= r->base + r->size;
}

/* Are all size bytes at phys RAM? */
static bool ram_within(phys_addr_t phys, unsigned int size)
{
	bool mixed;

	return ukmem__phys_is_ram(phys, phys + size - 1, &mixed) && !mixed;
}

static void trace(const char *dev, u64 off, unsigned int size, bool write, u64 v)
{
	printk(KERN_INFO "mmio: %s %s%u +0x%llx %s 0x%llx\n", dev, write ? "write" : "read",
	       size * 8, (unsigned long long)off, write ? "<-" : "->", (unsigned long long)v);
}

/* The device at phys of mapping m; io.lock held for reading. */
static u64 device_access(struct ukmem__iomap *m, phys_addr_t phys, unsigned int size,
			 bool write, u64 val)
{
	struct ukmem__mmio_region *r = m->region;
	u64 off, v = write ? val : width_mask(size);

	if (r && r->removed && phys - r->base < r->size) {
		ukmem__mmio_removed_access(r, phys, size, write);
		return v;
	}
	if (!r || r->removed || phys - r->base >= r->size)
		r = ukmem__mmio_find_locked(phys, phys + size - 1);
	if (r && !within(r, phys, size)) {
		edge_warn(m, r, phys, size, write);
		return v;
	}
	if (!r && ram_within(phys, size))	/* a mapping of RAM and what is not */
		return plain_access(ukmem__mm.direct_base + phys, size, write, val) |
		       (write ? val & width_mask(size) : 0);
	if (!r) {
		unclaimed_warn(m, phys, size, write);
		if (ukmem__cfg.mmio_trace)
			printk(KERN_INFO "mmio: unclaimed %s%u %pa %s 0x%llx\n",
			       write ? "write" : "read", size * 8, &phys, write ? "<-" : "->",
			       (unsigned long long)v);
		return v;
	}
	off = phys - r->base;
	if (r->has_ops && write && r->ops.write)
		r->ops.write(r->priv, off, size, val & width_mask(size));
	else if (r->has_ops && !write && r->ops.read)
		v = r->ops.read(r->priv, off, size) & width_mask(size);
	else if (!r->has_ops)
		v = plain_access(r->mem + (phys - (r->base & PAGE_MASK)), size, write, val);
	if (write)
		v = val & width_mask(size);
	if (unlikely(ukmem__cfg.mmio_trace))
		trace(r->name, off, size, write, v);
	if (r->hook)
		r->hook(r->hook_arg, off, size, write, v);
	return v;
}

static u64 mmio_access(volatile void *addr, unsigned int size, bool write, u64 val)
{
	unsigned long a = (unsigned long)addr;
	struct ukmem__iomap *m;
	u64 v;

	pthread_rwlock_rdlock(&IO.lock);
	ukmem__io_reading++;
	m = ukmem__iomap_find_locked(a);
	if (!m || a + size > m->addr + m->len) {
		/* No mapping (unmapped, or not an ioremap area): the access faults or is
		 * plain memory, exactly as without an accessor.  One that runs past the end of
		 * its mapping faults where the CPU's would, at the first byte beyond it (the
		 * guard page), whatever the mapping's part of it would have done. */
		if (m)
			addr = (volatile void *)(m->addr + m->len);
		ukmem__io_reading--;
		pthread_rwlock_unlock(&IO.lock);
		return plain_access(addr, m ? 1 : size, write, val);
	}
	v = device_access(m, m->phys + (a - m->addr), size, write, val);
	ukmem__io_reading--;
	pthread_rwlock_unlock(&IO.lock);
	return v;
}

/**
 * __ukmem_mmio_read - the accessors' slow path for a read of size bytes (1, 2, 4, 8)
 */
u64 __ukmem_mmio_read(const volatile void __iomem *addr, unsigned int size)
{
	return mmio_access((volatile void *)addr, size, false, 0);
}

/**
 * __ukmem_mmio_write - the accessors' slow path for a write of size bytes (1, 2, 4, 8)
 */
void __ukmem_mmio_write(volatile void __iomem *addr, unsigned int size, u64 value)
{
	mmio_access(addr, size, true, value);
}

/* ---- string copies (x86's alignment: a byte, a word, then 32-bit accesses) ---- */

/**
 * memcpy_fromio - copy from device memory: plain for memory mappings; for registers
 * the accesses are aligned, 32 bits wide where possible, as x86 does
 */
void memcpy_fromio(void *to, const volatile void __iomem *from, size_t n)
{
	const volatile u8 __iomem *f = from;
	u8 *t = to;

	if (!__ukmem_mmio_slow(from)) {
		memcpy(to, (const void *)from, n);
		return;
	}
	if (n && ((unsigned long)f & 1)) {
		*t++ = readb(f++);
		n--;
	}
	if (n >= 2 && ((unsigned long)f & 2)) {
		u16 v = readw(f);
		memcpy(t, &v, 2);
		t += 2, f += 2, n -= 2;
	}
	for (; n >= 4; t += 4, f += 4, n -= 4) {
		u32 v = readl(f);
		memcpy(t, &v, 4);
	}
	if (n >= 2) {
		u16 v = readw(f);
		memcpy(t, &v, 2);
		t += 2, f += 2, n -= 2;
	}
	if (n)
		*t = readb(f);
}

/**
 * memcpy_toio - copy to device memory (see memcpy_fromio for the access widths)
 */
void memcpy_toio(volatile void __iomem *to, const void *from, size_t n)
{
	volatile u8 __iomem *t = to;
	const u8 *f = from;

	if (!__ukmem_mmio_slow(to)) {
		memcpy((void *)to, from, n);
		return;
	}
	if (n && ((unsigned long)t & 1)) {
		writeb(*f++, t++);
		n--;
	}
	if (n >= 2 && ((unsigned long)t & 2)) {
		u16 v;
		memcpy(&v, f, 2);
		writew(v, t);
		t += 2, f += 2, n -= 2;
	}
	for (; n >= 4; t += 4, f += 4, n -= 4) {
		u32 v;
		memcpy(&v, f, 4);
		writel(v, t);
	}
	if (n >= 2) {
		u16 v;
		memcpy(&v, f, 2);
		writew(v, t);
		t += 2, f += 2, n -= 2;
	}
	if (n)
		writeb(*f, t);
}

/**
 * memset_io - fill device memory (registers: byte accesses)
 */
void memset_io(volatile void __iomem *addr, int value, size_t n)
{
	volatile u8 __iomem *p = addr;

	if (!__ukmem_mmio_slow(addr)) {
		memset((void *)addr, value, n);
		return;
	}
	while (n--)
		writeb((u8)value, p++);
}

/* ---- port I/O (lib/iomap.c) ---- */
static noinline void no_port_device(unsigned long port, unsigned int size, bool write)
{
	if (!__atomic_exchange_n(&IO.pio_warned, 1, __ATOMIC_RELAXED))
		pr_warn("ukmem: %s%u at port %#lx, where no device is: reads return all ones, "
			"writes are dropped\n", write ? "out" : "in", size * 8, port);
}

/* A port access: to the port device there, or nothing (all ones). */
static u64 port_access(unsigned long port, unsigned int size, bool write, u64 val)
{
	struct ukmem__mmio_region *r;
	u64 off, v = write ? val & width_mask(size) : width_mask(size);

	pthread_rwlock_rdlock(&IO.lock);
	ukmem__io_reading++;
	r = ukmem__port_find_locked(port, port + size - 1);
	if (r && !within(r, port, size))
		r = NULL;	/* partly another device's ports: as no device's */
	if (!r) {
		ukmem__io_reading--;
		pthread_rwlock_unlock(&IO.lock);
		no_port_device(port, size, write);
		return v;
	}
	off = port - r->base;
	if (write && r->ops.write)
		r->ops.write(r->priv, off, size, v);
	else if (!write && r->ops.read)
		v = r->ops.read(r->priv, off, size) & width_mask(size);
	if (unlikely(ukmem__cfg.mmio_trace))
		printk(KERN_INFO "pio: %s %s%u +0x%llx %s 0x%llx\n", r->name, write ? "out" : "in",
		       size * 8, (unsigned long long)off, write ? "<-" : "->",
		       (unsigned long long)v);
	if (r->hook)
		r->hook(r->hook_arg, off, size, write, v);
	ukmem__io_reading--;
	pthread_rwlock_unlock(&IO.lock);
	return v;
}

/** inb - read a byte from an I/O port (an emulated port device, or all ones) */
u8 inb(unsigned long port) { return (u8)port_access(port, 1, false, 0); }
/** inw - read 16 bits from an I/O port */
u16 inw(unsigned long port) { return (u16)port_access(port, 2, false, 0); }
/** inl - read 32 bits from an I/O port */
u32 inl(unsigned long port) { return (u32)port_access(port, 4, false, 0); }
/** outb - write a byte to an I/O port */
void outb(u8 value, unsigned long port) { port_access(port, 1, true, value); }
/** outw - write 16 bits to an I/O port */
void outw(u16 value, unsigned long port) { port_access(port, 2, true, value); }
/** outl - write 32 bits to an I/O port */
void outl(u32 value, unsigned long port) { port_access(port, 4, true, value); }

static noinline void bad_io_access(unsigned long port, const char *access)
{
	static int count = 10;

	if (__atomic_load_n(&count, __ATOMIC_RELAXED) > 0) {
		__atomic_fetch_sub(&count, 1, __ATOMIC_RELAXED);
		WARN(1, KERN_ERR "Bad IO access at port %#lx (%s)\n", port, access);
	}
}

/**
 * __ukmem_pio_bad - is @addr below PIO_RESERVED neither MMIO nor a port cookie?
 * @access: the access as 6.1's lib/iomap.c names it ("return inb(port)", "outsl(...)")
 *
 * Return: true, after the kernel's "Bad IO access at port" warning (the first 10 times), for
 * an address at or below PIO_OFFSET; false for a port cookie.
 */
bool __ukmem_pio_bad(const volatile void __iomem *addr, const char *access)
{
	unsigned long port = (unsigned long)addr;

	if (port > PIO_OFFSET)
		return false;
	bad_io_access(port, access);
	return true;
}

/**
 * __ukmem_pio_read - ioreadN() of an address below PIO_RESERVED: a port cookie
 */
u64 __ukmem_pio_read(const volatile void __iomem *addr, unsigned int size)
{
	unsigned long port = (unsigned long)addr;

	if (port > PIO_OFFSET)
		return port_access(port & PIO_MASK, size, false, 0);
	bad_io_access(port, size == 1 ? "inb" : size == 2 ? "inw" : "inl");
	return width_mask(size);
}

/**
 * __ukmem_pio_write - iowriteN() of an address below PIO_RESERVED: a port cookie
 */
void __ukmem_pio_write(volatile void __iomem *addr, unsigned int size, u64 value)
{
	unsigned long port = (unsigned long)addr;

	if (port > PIO_OFFSET)
		port_access(port & PIO_MASK, size, true, value);
	else
		bad_io_access(port, size == 1 ? "outb" : size == 2 ? "outw" : "outl");
}

/**
 * ioport_map - the ioread/iowrite cookie of port I/O ports [port, port + nr)
 */
void __iomem *ioport_map(unsigned long port, unsigned int nr)
{
	(void)nr;
	if (port > PIO_MASK)
		return NULL;
	return (void __iomem *)(port + PIO_OFFSET);
}

/** ioport_unmap - nothing to undo for a port cookie */
void ioport_unmap(void __iomem *addr)
{
	(void)addr;
}

static noinline void no_pci(void)
{
	pr_err_once("pci_iomap: ukmem emulates no PCI bus; map a platform device's "
		    "resource instead\n");
}

/**
 * pci_iomap_range - map a PCI BAR: there is no PCI bus here, so no pci_dev is ever valid
 *
 * Return: NULL always (with a one-time message): a PCI driver cannot be probed.
 */
void __iomem *pci_iomap_range(struct pci_dev *dev, int bar, unsigned long offset,
			      unsigned long maxlen)
{
	(void)dev, (void)bar, (void)offset, (void)maxlen;
	no_pci();
	return NULL;
}

/** pci_iomap - pci_iomap_range() from offset 0 (NULL: no PCI bus) */
void __iomem *pci_iomap(struct pci_dev *dev, int bar, unsigned long maxlen)
{
	return pci_iomap_range(dev, bar, 0, maxlen);
}

/**
 * pci_iounmap - undo pci_iomap(): iounmap a mapping, nothing for a port cookie
 *
 * Anything else below PIO_RESERVED (NULL included) warns "Bad IO access", as 6.1's.
 */
void pci_iounmap(struct pci_dev *dev, void __iomem *addr)
{
	(void)dev;
	if (!__ukmem_is_pio(addr))
		iounmap(addr);
	else
		__ukmem_pio_bad(addr, "");
}

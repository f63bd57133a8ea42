/* SPDX-License-Identifier: MIT */
/*
 * The page-fault report: an access to ukmem's windows that faulted (a guard page, a freed or
 * never-allocated part of the vmalloc window, a direct-map address outside RAM) is reported
 * as the kernel's page-fault oops, with what ukmem knows about the address (which area, its
 * size, who allocated and who freed it) and the faulting stack; then the process dies of the
 * signal (see platform/fault.c).
 *
 * Runs in a signal handler: it reads the area trees only under a try-lock
 * (ukmem__va_describe) and takes the console lock for the report, like every report.
 */
#include <signal.h>
#include <linux/kernel.h>
#include <linux/vmalloc.h>
#include "core/core.h"
#include "mm/mm.h"
#include "vmalloc/vmalloc.h"

#define V ukmem__vmalloc
#define X86_PF_PROT	0x1UL
#define X86_PF_WRITE	0x2UL
#define X86_PF_INSTR	0x10UL

static const char *kind_name(const struct ukmem__va_info *info)
{
	if (info->flags & VM_IOREMAP)
		return "ioremap";
	switch (info->kind) {
	case UKMEM_VA_VMALLOC:	return "vmalloc";
	case UKMEM_VA_VMAP:	return "vmap";
	case UKMEM_VA_MAP_RAM:	return "vm_map_ram";
	default:		return "vm area";
	}
}

static void describe_area(unsigned long addr, const struct ukmem__va_info *info)
{
	unsigned long usable = info->kind == UKMEM_VA_MAP_RAM || (info->flags & VM_NO_GUARD) ?
			       info->size : info->size - PAGE_SIZE;
	unsigned long end = info->start + usable;
	bool gone = info->freed || info->state >= UKMEM_VA_DEFERRED;

	if (addr >= end)
		printk(KERN_ALERT "The buggy address is located %lu bytes to the right of\n"
		       " %lu-byte region [%016lx, %016lx), in the guard page of a %s area%s\n",
		       addr - end, usable, info->start, end, kind_name(info),
		       gone ? " that was freed" : "");
	else
		printk(KERN_ALERT "The buggy address is located %lu bytes inside of\n"
		       " %lu-byte region [%016lx, %016lx) of a %s area%s\n",
		       addr - info->start, usable, info->start, end, kind_name(info),
		       gone ? " that was freed" : "");
	printk(KERN_ALERT "The buggy address belongs to the virtual mapping at\n"
	       " [%016lx, %016lx) created by:\n %pS\n", info->start, info->end, info->caller);
	if (gone && info->free_caller)
		printk(KERN_ALERT "and freed by:\n %pS\n", info->free_caller);
}

/**
 * ukmem__vmalloc_fault_describe_register - let a subsystem describe faults in its areas
 */
void ukmem__vmalloc_fault_describe_register(ukmem__va_fault_describe_fn fn)
{
	if (ALWAYS(V.nr_fault_describe < UKMEM_VA_FAULT_HOOKS))
		V.fault_describe[V.nr_fault_describe++] = fn;
}

static bool describe_by_hook(const struct ukmem__fault *f)
{
	for (int i = 0; i < V.nr_fault_describe; i++)
		if (V.fault_describe[i](f))
			return true;
	return false;
}

static void describe(const struct ukmem__fault *f)
{
	struct ukmem__va_info info;
	unsigned long addr = (unsigned long)f->addr;
	unsigned long direct = (unsigned long)ukmem__mm.direct_base;

	if (describe_by_hook(f))
		return;
	if (is_vmalloc_addr((void *)addr)) {
		if (ukmem__va_describe(addr, &info, false))
			describe_area(addr, &info);
		else
			printk(KERN_ALERT "The buggy address lies in the vmalloc space, in no "
			       "vmalloc, vmap or ioremap area\n");
	} else if (addr - direct < ukmem__mm.phys_end) {
		printk(KERN_ALERT "The buggy address lies in the direct map, at physical address "
		       "0x%lx, which is not RAM\n", addr - direct);
	} else {
		printk(KERN_ALERT "The buggy address lies in ukmem's reserved address space, "
		       "outside RAM and outside the vmalloc space\n");
	}
}

/*
 * The host maps pages lazily, so a write to a read-only page that was never touched, or an
 * instruction fetch from a non-executable one, comes as "not present"; the kernel's page
 * table would have the page present: its error code has the protection bit.
 */
static unsigned long kernel_error_code(const struct ukmem__fault *f)
{
	unsigned long addr = (unsigned long)f->addr, err = f->error_code;
	struct ukmem__va_info info;
	bool denied;

	if (!f->have_error_code || (err & X86_PF_PROT) || !is_vmalloc_addr(f->addr) ||
	    !ukmem__va_describe(addr, &info, false) || info.freed ||
	    info.state != UKMEM_VA_LIVE || info.kind == UKMEM_VA_OTHER ||
	    addr >= info.start + ((unsigned long)info.nr_pages << PAGE_SHIFT))
		return err;
	denied = !(info.prot & UKMEM_OS_READ) ||
		 ((err & X86_PF_WRITE) && !(info.prot & UKMEM_OS_WRITE)) ||
		 ((err & X86_PF_INSTR) && !(info.prot & UKMEM_OS_EXEC));
	return denied ? err | X86_PF_PROT : err;
}

static noinline void report_fault(const struct ukmem__fault *f)
{
	ukmem__oops_report(f, kernel_error_code(f), describe);
}

/**
 * ukmem__vmalloc_fault - the fault handler's question: is this fault ukmem's?
 *
 * Faults anywhere in ukmem's reservation (direct map, gap, vmalloc window) are: they are
 * reported here; a subsystem that owns areas of the window describes faults in them
 * (ukmem__vmalloc_fault_describe_register).
 */
enum ukmem__fault_result ukmem__vmalloc_fault(const struct ukmem__fault *f)
{
	unsigned long addr = (unsigned long)f->addr;
	unsigned long base = (unsigned long)ukmem__mm.direct_base;

	if (!base || addr - base >= ukmem__mm.reserve_size)
		return UKMEM_FAULT_NOT_MINE;
	report_fault(f);
	return UKMEM_FAULT_REPORTED;
}

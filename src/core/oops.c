/* SPDX-License-Identifier: MIT */
/*
 * The oops: how a fault in kernel code is reported.  Two users:
 *  - the vmalloc subsystem's report of faults in ukmem's windows (guard pages, freed areas),
 *    which adds what it knows about the address (ukmem__oops_report with a describe hook);
 *  - every other fault of the process that nothing else would report (the platform's
 *    fallback, registered at start-up): a NULL pointer handed to a kernel function, a
 *    driver's stray pointer, a poisoned list pointer.  The process used to die of a silent
 *    SIGSEGV; now it dies of the same signal after the kernel's oops: the "BUG:" line (the
 *    kernel's NULL-dereference wording below one page), the #PF lines, "Oops:", the task
 *    line, RIP and the call trace, CR2.
 *
 * A fault another handler takes (a sanitizer's, the program's own SIGSEGV handler) never
 * reaches here, nor does one under a debugger that stops at it first.
 *
 * Runs in a signal handler, as every fault report: it takes the console lock (recursive, so
 * a fault inside a report still prints) and symbolises the stack; the platform layer guards
 * against a fault inside the report and against a report that cannot finish (an alarm).
 */
#include <signal.h>
#include <linux/kernel.h>
#include "core/core.h"
#include "platform/platform.h"

#define X86_PF_PROT	0x1UL
#define X86_PF_WRITE	0x2UL
#define X86_PF_INSTR	0x10UL
#define NULL_PAGE	4096UL		/* below it, the kernel's "NULL pointer dereference" */

/* RIP and the call trace, from the faulting instruction (the frames of the handler itself
 * are dropped: the trace starts after the frame that holds @ip). */
static noinline void oops_stack(unsigned long ip)
{
	unsigned long pcs[UKMEM_STACK_DEPTH + 16];
	int n = ukmem__stack_save(pcs, ARRAY_SIZE(pcs), 0), first = 0;
	char sym[512];

	for (int i = 0; i < n; i++)
		if (pcs[i] == ip) {
			first = i + 1;
			break;
		}
	ukmem__symbolize(ip, sym, sizeof(sym));
	printk(KERN_WARNING "RIP: 0010:%s\n", sym);
	printk(KERN_WARNING "Call Trace:\n");
	printk(KERN_WARNING " <TASK>\n");
	if (ip)
		printk(KERN_WARNING " %s\n", sym);
	ukmem__stack_print(pcs + first, min(n - first, UKMEM_STACK_DEPTH), " ");
	printk(KERN_WARNING " </TASK>\n");
}

/**
 * ukmem__oops_report - report a fault as the kernel's oops
 * @f: the fault
 * @err: the page-fault error code to print (the host's, or the kernel's view of it)
 * @describe: prints what is known about the address between the #PF lines and "Oops:", or NULL
 */
noinline void ukmem__oops_report(const struct ukmem__fault *f, unsigned long err,
				 void (*describe)(const struct ukmem__fault *f))
{
	unsigned long addr = (unsigned long)f->addr;

	ukmem__report_begin();
	if (f->general_protection) {
		printk(KERN_WARNING "general protection fault: 0000 [#1] PREEMPT SMP NOPTI\n");
		ukmem__print_task_line();
		oops_stack(f->ip);
		printk(KERN_WARNING "Modules linked in:\n");
		goto out;
	}
	if (addr < NULL_PAGE)
		printk(KERN_ALERT "BUG: kernel NULL pointer dereference, address: %016lx\n", addr);
	else
		printk(KERN_ALERT "BUG: unable to handle page fault for address: %px\n", f->addr);
	if (f->have_error_code) {
		printk(KERN_ALERT "#PF: supervisor %s in kernel mode\n",
		       err & X86_PF_INSTR ? "instruction fetch" :
		       err & X86_PF_WRITE ? "write access" : "read access");
		printk(KERN_ALERT "#PF: error_code(0x%04lx) - %s\n", err,
		       err & X86_PF_PROT ? "permissions violation" : "not-present page");
	} else {
		printk(KERN_ALERT "#PF: supervisor access in kernel mode (%s)\n",
		       f->sig == SIGBUS ? "SIGBUS" : "SIGSEGV");
	}
	if (describe)
		describe(f);
	printk(KERN_WARNING "Oops: %04lx [#1] PREEMPT SMP NOPTI\n", err);
	ukmem__print_task_line();
	oops_stack(f->ip);
	printk(KERN_WARNING "Modules linked in:\n");
	printk(KERN_WARNING "CR2: %016lx\n", addr);
out:
	printk(KERN_WARNING "---[ end trace 0000000000000000 ]---\n");
	ukmem__report_end(UKMEM_REPORT_BUG);
}

/* Any other fault the default action would take: the oops, then death by the signal. */
static enum ukmem__fault_result oops_fallback(const struct ukmem__fault *f)
{
	ukmem__oops_report(f, f->error_code, NULL);
	return UKMEM_FAULT_REPORTED;
}

static int oops_init(void)
{
	ukmem__os_fault_fallback(oops_fallback);
	return 0;
}
UKMEM_INITCALL(UKMEM_INIT_MM - 1, oops_init);

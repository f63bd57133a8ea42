/* SPDX-License-Identifier: MIT */
/*
 * <ukmem.h>: ukmem's own API (everything else in this tree is the kernel's API).
 * See the README and docs/ for the command line and the reports.  Later capabilities
 * (emulated devices, interrupts, fault injection, modules) add their calls here.
 */
#ifndef _UKMEM_H
#define _UKMEM_H
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Start-up and shut-down.  ukmem also starts itself on first use from $UKMEM_CMDLINE. */
int ukmem_init(const char *cmdline);		/* 0, -EBUSY if already started, -EINVAL */
int ukmem_exit(void);				/* number of problems found; 0 when clean */
unsigned long ukmem_report_count(void);		/* BUG/WARN/leak reports so far */

/* /proc-style reports: "slabinfo" "vmallocinfo" "iomem" "meminfo" "buddyinfo" "kmemleak"
 * "devres:<device name>".  0, or -ENOENT for a report this build does not know. */
int   ukmem_show(const char *name, FILE *out);

/* Fault injection, as /proc/self/fail-nth: the n-th fault-injection point reached by this
 * thread from now on fails; reads back 0 once it has fired.  Every allocation that may fail
 * counts, sleeping or not, whatever ignore-gfp-wait says; __GFP_NOFAIL ones never fail. */
void  ukmem_set_fail_nth(unsigned int n);
unsigned int ukmem_get_fail_nth(void);

/* Run fn with fail-nth = 1, 2, 3, ... until a run reaches no injection point; after each
 * run check that everything acquired in it was returned.  Returns the number of runs that
 * leaked. */
int   ukmem_fail_sweep(int (*fn)(void *arg), void *arg);

#ifdef __cplusplus
}
#endif
#endif

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

#ifdef __cplusplus
}
#endif
#endif

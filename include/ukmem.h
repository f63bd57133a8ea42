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
 * "devres:<device name>" "devices_deferred" "dma-api" "dma_pools:<device name>".  0, or
 * -ENOENT for a report this build does not know (-ENODEV for "devres:" of a device that is
 * not registered). */
int   ukmem_show(const char *name, FILE *out);

/* ---- the device model ---- */
struct device;

/* Run every module_init (and *_initcall) linked or dlopen'ed in and not yet run: by level,
 * then link order.  0, or the first error (a failing init is reported; its exit never runs).
 * A MODNAME.param=value naming no module in the program is -EINVAL (nothing runs). */
int   ukmem_modules_init(void);
/* Run the module_exits of the modules whose init succeeded, in reverse.  ukmem_exit runs the
 * ones not run yet. */
void  ukmem_modules_exit(void);

/* Give a device a device-tree "compatible" list (there is no device tree), before it is
 * added: the strings, most specific first, separated by blanks ("vnd,chip-v2 vnd,chip").
 * Drivers' of_match_table match it.  0, -EINVAL, -ENOMEM. */
int   ukmem_device_set_compatible(struct device *dev, const char *compatible);

/* The device side of DMA: an emulated device reads or writes memory by bus address, as
 * hardware does (no CPU cache, no bounce buffer in between).  0; -EFAULT when the range is
 * not RAM or, with DMA-API debugging, not mapped for @dev in that direction (reported, and
 * nothing moves); -EIO when it lies beyond the device's DMA mask.  See docs/dma.md. */
int   ukmem_dma_read(struct device *dev, dma_addr_t addr, void *buf, size_t len);
int   ukmem_dma_write(struct device *dev, dma_addr_t addr, const void *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif

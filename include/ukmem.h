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
 * "devres:<device name>" "devices_deferred" "interrupts" "ioports" "physmap.svg" "dma-api"
 * "dma_pools:<device name>".  0, or
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

/* ---- Emulated devices and interrupts (docs/io.md, docs/irq.md) ---- */
/* An emulated device: a physical range whose accesses go to callbacks.  offset is from
 * base; size is the access width in bytes (1, 2, 4 or 8).  ops == NULL makes a
 * memory-backed region, which the device side reaches through ukmem_mmio_mem(). */
struct ukmem_mmio_ops {
	u64  (*read)(void *priv, u64 offset, unsigned int size);
	void (*write)(void *priv, u64 offset, unsigned int size, u64 value);
};
/* 0, -EINVAL (size 0, wraps, beyond 46-bit physical addresses, overlaps RAM), -EBUSY (overlaps
 * another device), -ENOMEM. */
int   ukmem_mmio_add(const char *name, phys_addr_t base, resource_size_t size,
		     const struct ukmem_mmio_ops *ops, void *priv);
/* Remove the device at base; mappings of it stay reserved and every access through them is
 * reported.  A device callback must not add or remove devices. */
void  ukmem_mmio_remove(phys_addr_t base);
void *ukmem_mmio_mem(phys_addr_t base);	/* device-side view of a memory-backed region */
/* The same for the I/O port space (inb..outl, ioport_map cookies): ops are required. */
int   ukmem_mmio_add_port(const char *name, unsigned long port, unsigned long n,
			  const struct ukmem_mmio_ops *ops, void *priv);
void  ukmem_mmio_remove_port(unsigned long port);
/* Observe every access to the device at base that goes through an accessor: fn gets the
 * offset, width, direction and value (after a read: the value read).  NULL removes it.
 * Mappings of a memory-backed region made while a hook is set route through the hook
 * (and so does every mapping while ukmem.mmio_trace=1).  0 or -ENOENT. */
typedef void (*ukmem_mmio_hook_fn)(void *arg, u64 offset, unsigned int size, bool write,
				   u64 value);
int   ukmem_mmio_set_hook(phys_addr_t base, ukmem_mmio_hook_fn fn, void *arg);

/* Raise interrupt line irq: its primary handlers run now, on this thread, in hard-irq
 * context (later if the thread has interrupts disabled or the line is disabled or busy);
 * threaded handlers are woken.  0, -EINVAL (irq >= NR_IRQS), -ENOENT (no handler). */
int   ukmem_irq_raise(unsigned int irq);

/* The device side of DMA: an emulated device reads or writes memory by bus address, as
 * hardware does (no CPU cache, no bounce buffer in between).  0; -EFAULT when the range is
 * not RAM or, with DMA-API debugging, not mapped for @dev in that direction (reported, and
 * nothing moves); -EIO when it lies beyond the device's DMA mask.  See docs/dma.md. */
int   ukmem_dma_read(struct device *dev, dma_addr_t addr, void *buf, size_t len);
int   ukmem_dma_write(struct device *dev, dma_addr_t addr, const void *buf, size_t len);

/* Fault injection, as /proc/self/fail-nth: the n-th fault-injection point reached by this
 * thread from now on fails; reads back 0 once it has fired.  Every allocation that may fail
 * counts, sleeping or not, whatever ignore-gfp-wait says; __GFP_NOFAIL ones never fail. */
void  ukmem_set_fail_nth(unsigned int n);
unsigned int ukmem_get_fail_nth(void);

/* Run fn with fail-nth = 1, 2, 3, ... until a run reaches no injection point; after each
 * run check that everything acquired in it was returned.  Returns the number of runs that
 * leaked (-EINVAL without fn, -EBUSY inside another sweep).
 * At most 100000 runs: when run 100000 still injected a fault, the sweep stops with a
 * warning naming the limit and the runs made (the later points were never failed).
 * Quadratic: a function with N points gets N + 1 runs and run n reaches n of them, about
 * N*N/2 allocations in all; the leak check after a run costs what that run allocated.
 * See docs/fault-injection.md. */
int   ukmem_fail_sweep(int (*fn)(void *arg), void *arg);

/* ---- Driver-support cores (docs/testing-drivers.md) ---- */
/* Register a clock that the device named @dev_id finds under @con_id (NULL: its default
 * clock), as a clkdev lookup; NULL dev_id: any device.  0, -EINVAL, -EEXIST, -ENOMEM. */
int   ukmem_clk_add(const char *dev_id, const char *con_id, unsigned long rate);
/* The clock's outstanding enables (0: the drivers left it disabled), or -ENOENT. */
int   ukmem_clk_enable_count(const char *dev_id, const char *con_id);
/* Read random bytes through the hwrng core, as reading /dev/hwrng: @name NULL reads the
 * current rng; a registered rng's name makes it current first (as writing rng_current).
 * Bytes read, or -ENODEV, -EAGAIN (!wait and none ready), -ETIMEDOUT, -EFAULT (buf NULL),
 * the driver's error. */
ssize_t ukmem_hwrng_read(const char *name, void *buf, size_t len, bool wait);
/* A registered watchdog by its parent device's name or "watchdogN", or NULL; and the
 * /dev/watchdog operations on it, through the core (WDOG_ACTIVE and nowayout kept right).
 * 0 or -errno (-ENODEV once unregistered). */
struct watchdog_device;
struct watchdog_device *ukmem_watchdog_find(const char *name);
int   ukmem_watchdog_start(struct watchdog_device *wdd);
int   ukmem_watchdog_ping(struct watchdog_device *wdd);
int   ukmem_watchdog_stop(struct watchdog_device *wdd);
int   ukmem_watchdog_set_timeout(struct watchdog_device *wdd, unsigned int timeout);

/* ---- KUnit (docs/kunit.md) ---- */
struct kunit_suite;
/* The KUnit executor over suites [start, end): starts ukmem with "kasan=on kmemleak=on
 * dma_debug=on", then $UKMEM_CMDLINE, then argv's parameters (ukmem words such as
 * kunit.filter_glob=GLOB, or --list, --filter=GLOB, --fail-sweep, --no-fork) and prints
 * KTAP on stdout.  0 when no suite failed, 1 when one did, 2 on a usage or start-up error. */
int   ukmem_kunit_run_suites(struct kunit_suite *const *start, struct kunit_suite *const *end,
			     int argc, char **argv);
/* Run every suite kunit_test_suites() registered in the calling program (all its files). */
static inline int ukmem_kunit_run(int argc, char **argv)
{
	extern struct kunit_suite *const __start_ukmem_kunit_suites[] __attribute__((weak));
	extern struct kunit_suite *const __stop_ukmem_kunit_suites[] __attribute__((weak));

	return ukmem_kunit_run_suites(__start_ukmem_kunit_suites, __stop_ukmem_kunit_suites,
				      argc, argv);
}

#ifdef __cplusplus
}
#endif
#endif

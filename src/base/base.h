/* SPDX-License-Identifier: MIT */
/*
 * The device model's internals (drivers/base): buses, drivers, binding, deferred probe,
 * devres, the platform bus and modules.  All cross-file state is in one struct, ukmem__base.
 *
 * Locking, outermost first:
 *   1. a device's mutex (device_lock): held over probe, remove and bind/unbind of that device;
 *      a child's is taken after its parent's (need_parent_lock buses only);
 *   2. a bus's notifier rw-semaphore (its chain runs with 1 held, never with 3);
 *   3. ukmem__base.lock: every list of the model (all devices, buses, each bus's devices and
 *      drivers, each driver's bound devices, each device's children, the deferred lists).
 *      It is a leaf: nothing is called with it held except list work and reference counts;
 *   4. a device's devres_lock (a spinlock_t: atomic context, as in the kernel): its devres
 *      list.  Release callbacks run with no lock of the model held.
 * Walks over a list that call out (probe, match, fn callbacks) first copy the list into a
 * snapshot holding a reference on each element, then work on the copy without the lock.
 * Modules and parameters have their own lock (ukmem__base.mod_lock), taken alone.
 */
#ifndef UKMEM_BASE_H
#define UKMEM_BASE_H
#include <pthread.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/init.h>
#include <linux/moduleparam.h>

#pragma GCC visibility push(hidden)

/* Fields read without the lock that guards their writes are accessed atomically. */
#define UKMEM_LOAD(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define UKMEM_STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/* A bus's private state (the kernel's struct subsys_private). */
struct subsys_private {
	struct bus_type *bus;
	struct list_head node;			/* ukmem__base.buses */
	struct list_head devices;		/* its devices, in add order */
	struct list_head drivers;		/* its drivers, in registration order */
	struct blocking_notifier_head bus_notifier;
	bool drivers_autoprobe;
};

/* A driver's private state.  refs counts the driver's own reference and every walk holding
 * it; the last one frees it.  dead: unregistered, never to bind again.  busy counts the
 * walks calling into the driver right now (bus_for_each_drv's callback): driver_unregister
 * waits for it to reach zero, so no walk uses the driver after its unregister returns. */
struct driver_private {
	struct device_driver *driver;
	struct list_head knode_bus;		/* the bus's drivers */
	struct list_head devices;		/* bound devices (device_private.knode_driver) */
	int refs;				/* under ukmem__base.lock */
	int busy;				/* under ukmem__base.lock */
	bool dead;				/* unregistering: never bind again */
};

struct ukmem__base {
	pthread_mutex_t lock;
	struct list_head devices;		/* every registered device, in add order */
	struct list_head buses;
	struct list_head deferred_pending, deferred_active;
	bool deferred_running;			/* a thread is retrying deferred devices */
	int deferred_trigger_count;
	unsigned long nr_devices;		/* registered devices */
	bool exiting;				/* ukmem_exit is tearing the model down */
	int devres_bias;			/* devres.c: owner bias usable (1), not (-1), unknown (0) */

	/* modules and parameters */
	pthread_mutex_t mod_lock;
	struct __ukmem_initcall *calls;		/* registration order */
	struct __ukmem_param *params;		/* registration order */
	unsigned long next_order;
	unsigned long next_done;		/* init completion order, for exits */
	bool params_checked;			/* start-up applied the linked parameters */

	/* The interrupt layer's setter of a line's trigger type (platform IRQ resources):
	 * 0, or -EINVAL for a line that does not exist.  Set once at start-up. */
	int (*irq_set_trigger)(unsigned int irq, unsigned long type);
};
extern struct ukmem__base ukmem__base;
void ukmem__devres_leak_init(void);	/* devres.c: kmemleak's holder for sweep reports */

/* Snapshots: an array of referenced elements, copied under ukmem__base.lock. */
struct ukmem__dev_snap {
	struct device **v;
	size_t n;
};
int ukmem__snap_devices(struct list_head *head, size_t offset, struct device *start,
			struct ukmem__dev_snap *snap);	/* 0 or -ENOMEM */
void ukmem__snap_put(struct ukmem__dev_snap *snap);
#define UKMEM_SNAP(head, member, start, snap) \
	ukmem__snap_devices(head, offsetof(struct device, member), start, snap)

/* core.c */
void ukmem__device_private_init(struct device *dev);
/* A device whose release has run (a static one, registered again): forget the name and the
 * node freed after that release, without freeing them, and count it as never initialized,
 * as a zeroed device.  Nothing when it was not released. */
void ukmem__device_forget_released(struct device *dev);
int ukmem__show_devices_deferred(FILE *out, const char *arg);
struct device *ukmem__find_device_by_name(const char *name);	/* referenced, or NULL */
/* A layer above whose state names devices (DMA-API debugging's entries) forgets a device in
 * @fn, which runs in every device's release (after its devres, before dev->release frees
 * it), whatever bus the device is on, or none.  Registered at start-up; a few at most. */
void ukmem__device_release_hook(void (*fn)(struct device *dev));

/* bus.c */
int ukmem__bus_add_device(struct device *dev);
void ukmem__bus_probe_device(struct device *dev);
void ukmem__bus_remove_device(struct device *dev);
void ukmem__bus_notify(struct device *dev, unsigned long event);
void ukmem__driver_put(struct driver_private *priv);

/* dd.c */
int ukmem__driver_probe_device(struct device_driver *drv, struct device *dev);
int ukmem__driver_match_device(struct device_driver *drv, struct device *dev);
void ukmem__driver_detach(struct device_driver *drv);
void ukmem__deferred_probe_del(struct device *dev);
void ukmem__deferred_probe_run(void);		/* retry deferred devices unless nested */
void ukmem__bind_enter(void);
void ukmem__bind_exit(void);
void ukmem__set_deferred_reason(const struct device *dev, const char *fmt, va_list ap);

/* devres.c: visits counts list nodes visited by releases (tests check it is linear). */
struct ukmem__devres_stats {
	unsigned long visits;			/* atomic */
};
extern struct ukmem__devres_stats ukmem__devres_stats;
int ukmem__devres_release_all(struct device *dev);
/* fork(): every registered device's devres lock, taken and dropped (ukmem__base.lock held,
 * which orders them before every devres lock). */
void ukmem__devres_fork_lock(void);
void ukmem__devres_fork_unlock(void);
void ukmem__devres_fork_child(void);	/* the child, before the unlock */
/* A device devres cannot use (NULL, an error pointer, never initialized): WARNs and returns
 * true.  The other subsystems' devm_ calls ask before making the resource they would lose. */
bool ukmem__devres_dev_bad(struct device *dev);
/* Report the groups @dev still has open (never closed or released), as leaks.  Called at
 * unbind after the driver's remove, and when a device is deleted or released; not after a
 * failed probe (whose release of everything is the normal clean-up). */
void ukmem__devres_report_lost_groups(struct device *dev, const char *when);
int ukmem__show_devres(FILE *out, const char *arg);

/* platform.c */
int ukmem__platform_bus_init(void);
bool ukmem__is_platform_device(struct device *dev);
void ukmem__platform_irq_trigger_register(int (*fn)(unsigned int irq, unsigned long type));

/* module.c */
void ukmem__modules_exit_all(void);	/* ukmem_exit: the exits not yet run */

/* of.c */
void ukmem__of_node_free(struct device_node *np);

#pragma GCC visibility pop
#endif

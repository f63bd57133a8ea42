/* SPDX-License-Identifier: MIT */
/*
 * <linux/device.h>: the driver model (struct device, reference counts, names, driver data,
 * binding) and device-managed resources (devres and the devm_* memory family), as Linux 6.1
 * declares them.  See docs/device-model.md and docs/devres.md.
 *
 * There are no kobjects and no sysfs: a device's name and reference count live in the device
 * itself (struct device_private, the core's own state, never touched by drivers).
 * dev->devres_lock is a spinlock_t as in the kernel: devres list operations run in atomic
 * context, and so do the match callbacks of devres_find() and friends.
 */
#ifndef _UKMEM_LINUX_DEVICE_H
#define _UKMEM_LINUX_DEVICE_H
#include <stdarg.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/gfp.h>
#include <linux/numa.h>
#include <linux/overflow.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/ioport.h>
#include <linux/dev_printk.h>
#include <linux/pm.h>
#include <linux/device/bus.h>
#include <linux/device/driver.h>

struct device;
struct device_node;
struct fwnode_handle;
struct attribute_group;
struct class;
struct kobj_uevent_env;

struct device_type {
	const char *name;
	const struct attribute_group **groups;
	int (*uevent)(struct device *dev, struct kobj_uevent_env *env);
	void (*release)(struct device *dev);
	const struct dev_pm_ops *pm;
};

struct device_dma_parameters {
	unsigned int max_segment_size;
	unsigned int min_align_mask;
	unsigned long segment_boundary_mask;
};

/* The device core's own state inside each device (the kernel keeps it in dev->p). */
struct device_private {
	char *name;				/* dev_set_name(): kmalloc'd */
	int refcount;				/* get_device/put_device (atomic) */
	struct list_head knode_all;		/* every registered device, in add order */
	struct list_head knode_bus;		/* the bus's devices */
	struct list_head knode_parent;		/* the parent's children */
	struct list_head children;
	struct list_head knode_driver;		/* the bound driver's devices */
	struct list_head deferred_probe;	/* the deferred-probe lists */
	char *deferred_probe_reason;		/* from dev_err_probe(-EPROBE_DEFER) */
	struct device_node *own_of_node;	/* made by ukmem_device_set_compatible() */
	unsigned int devres_groups;		/* groups on the devres list (devres_lock) */
	struct list_head devres_group_list;	/* those groups, in opening order (devres_lock) */
	/* devres_lock's owner bias (src/base/devres.c) */
	const void *devres_owner;		/* the thread that may take it without an atomic */
	int devres_active;			/* the owner holds it by its bias */
	int devres_revoked;			/* another thread took it (or a fork is under way) */
	bool initialized, registered, dead, bound;
	bool released;				/* release ran: name and own_of_node are freed */
};

struct device {
	struct device		*parent;
	struct device_private	p;

	const char		*init_name;	/* initial name, moved to the core at device_add */
	const struct device_type *type;

	struct bus_type		*bus;
	struct device_driver	*driver;
	void			*platform_data;
	void			*driver_data;
	struct mutex		mutex;		/* device_lock(): held over probe and remove */

	u64			*dma_mask;
	u64			coherent_dma_mask;
	u64			bus_dma_limit;
	const struct bus_dma_region *dma_range_map;
	struct device_dma_parameters *dma_parms;
	struct list_head	dma_pools;

	struct device_node	*of_node;
	struct fwnode_handle	*fwnode;

	int			numa_node;
	dev_t			devt;
	u32			id;

	spinlock_t		devres_lock;
	struct list_head	devres_head;

	struct class		*class;
	const struct attribute_group **groups;

	void	(*release)(struct device *dev);

	bool			offline_disabled:1;
	bool			offline:1;
	bool			of_node_reused:1;
	bool			state_synced:1;
	bool			can_match:1;
	bool			dma_coherent:1;
};

static inline const char *dev_name(const struct device *dev)
{
	/* Use the init name until the device core has taken it over. */
	if (dev->init_name)
		return dev->init_name;
	return dev->p.name;
}
__printf(2, 3) int dev_set_name(struct device *dev, const char *name, ...);
const char *dev_driver_string(const struct device *dev);

static inline int dev_to_node(struct device *dev) { return dev->numa_node; }
static inline void set_dev_node(struct device *dev, int node) { dev->numa_node = node; }
static inline void *dev_get_drvdata(const struct device *dev) { return dev->driver_data; }
static inline void dev_set_drvdata(struct device *dev, void *data) { dev->driver_data = data; }
static inline void *dev_get_platdata(const struct device *dev) { return dev->platform_data; }
static inline struct device_node *dev_of_node(struct device *dev) { return dev->of_node; }
static inline bool device_is_registered(struct device *dev)
{
	return __atomic_load_n(&dev->p.registered, __ATOMIC_RELAXED);
}

static inline void device_lock(struct device *dev) { mutex_lock(&dev->mutex); }
static inline int device_lock_interruptible(struct device *dev)
{
	return mutex_lock_interruptible(&dev->mutex);
}
static inline int device_trylock(struct device *dev) { return mutex_trylock(&dev->mutex); }
static inline void device_unlock(struct device *dev) { mutex_unlock(&dev->mutex); }
static inline void device_lock_assert(struct device *dev) { (void)dev; }

/* ---- the device's life ---- */
void device_initialize(struct device *dev);
int __must_check device_add(struct device *dev);
void device_del(struct device *dev);
int __must_check device_register(struct device *dev);
void device_unregister(struct device *dev);
struct device *get_device(struct device *dev);
void put_device(struct device *dev);
bool kill_device(struct device *dev);

int device_for_each_child(struct device *dev, void *data,
			  int (*fn)(struct device *dev, void *data));
int device_for_each_child_reverse(struct device *dev, void *data,
				  int (*fn)(struct device *dev, void *data));
struct device *device_find_child(struct device *dev, void *data,
				 int (*match)(struct device *dev, void *data));
struct device *device_find_child_by_name(struct device *parent, const char *name);

struct device *__root_device_register(const char *name, struct module *owner);
#define root_device_register(name)	__root_device_register(name, THIS_MODULE)
void root_device_unregister(struct device *root);

/* ---- binding (drivers/base/dd.c) ---- */
bool device_is_bound(struct device *dev);
int __must_check device_bind_driver(struct device *dev);
void device_release_driver(struct device *dev);
int  __must_check device_attach(struct device *dev);
void device_initial_probe(struct device *dev);
int __must_check device_reprobe(struct device *dev);
int __must_check device_driver_attach(struct device_driver *drv, struct device *dev);
void device_driver_detach(struct device *dev);

__printf(3, 4) int dev_err_probe(const struct device *dev, int err, const char *fmt, ...);
__printf(3, 4) int dev_warn_probe(const struct device *dev, int err, const char *fmt, ...);

/* ---- devres: device-managed resources (drivers/base/devres.c) ---- */
typedef void (*dr_release_t)(struct device *dev, void *res);
typedef int (*dr_match_t)(struct device *dev, void *res, void *match_data);

void *__devres_alloc_node(dr_release_t release, size_t size, gfp_t gfp, int nid,
			  const char *name) __malloc;
#define devres_alloc(release, size, gfp) \
	__devres_alloc_node(release, size, gfp, NUMA_NO_NODE, #release)
#define devres_alloc_node(release, size, gfp, nid) \
	__devres_alloc_node(release, size, gfp, nid, #release)

void devres_for_each_res(struct device *dev, dr_release_t release, dr_match_t match,
			 void *match_data, void (*fn)(struct device *, void *, void *),
			 void *data);
void devres_free(void *res);
void devres_add(struct device *dev, void *res);
void *devres_find(struct device *dev, dr_release_t release, dr_match_t match, void *match_data);
void *devres_get(struct device *dev, void *new_res, dr_match_t match, void *match_data);
void *devres_remove(struct device *dev, dr_release_t release, dr_match_t match,
		    void *match_data);
int devres_destroy(struct device *dev, dr_release_t release, dr_match_t match,
		   void *match_data);
int devres_release(struct device *dev, dr_release_t release, dr_match_t match,
		   void *match_data);

void * __must_check devres_open_group(struct device *dev, void *id, gfp_t gfp);
void devres_close_group(struct device *dev, void *id);
void devres_remove_group(struct device *dev, void *id);
int devres_release_group(struct device *dev, void *id);

/* Managed memory: aligned as kmalloc's, physically contiguous, freed at unbind. */
void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp) __malloc __alloc_size(2);
void *devm_krealloc(struct device *dev, void *ptr, size_t size, gfp_t gfp) __must_check;
__printf(3, 0) char *devm_kvasprintf(struct device *dev, gfp_t gfp, const char *fmt,
				     va_list ap) __malloc;
__printf(3, 4) char *devm_kasprintf(struct device *dev, gfp_t gfp, const char *fmt, ...) __malloc;
static inline void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp)
{
	return devm_kmalloc(dev, size, gfp | __GFP_ZERO);
}
static inline void *devm_kmalloc_array(struct device *dev, size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return devm_kmalloc(dev, bytes, flags);
}
static inline void *devm_kcalloc(struct device *dev, size_t n, size_t size, gfp_t flags)
{
	return devm_kmalloc_array(dev, n, size, flags | __GFP_ZERO);
}
void devm_kfree(struct device *dev, const void *p);
char *devm_kstrdup(struct device *dev, const char *s, gfp_t gfp) __malloc;
const char *devm_kstrdup_const(struct device *dev, const char *s, gfp_t gfp);
void *devm_kmemdup(struct device *dev, const void *src, size_t len, gfp_t gfp) __alloc_size(3);
unsigned long devm_get_free_pages(struct device *dev, gfp_t gfp_mask, unsigned int order);
void devm_free_pages(struct device *dev, unsigned long addr);
/* Managed per-CPU memory (<linux/percpu.h>'s __alloc_percpu). */
void __percpu *__devm_alloc_percpu(struct device *dev, size_t size, size_t align);
#define devm_alloc_percpu(dev, type) \
	((typeof(type) __percpu *)__devm_alloc_percpu((dev), sizeof(type), __alignof__(type)))
void devm_free_percpu(struct device *dev, void __percpu *pdata);

/* Managed actions: action(data) runs at release, in LIFO order with the other resources. */
int devm_add_action(struct device *dev, void (*action)(void *), void *data);
void devm_remove_action(struct device *dev, void (*action)(void *), void *data);
void devm_release_action(struct device *dev, void (*action)(void *), void *data);
bool devm_is_action_added(struct device *dev, void (*action)(void *), void *data);
/* Runs action(data) when it cannot be added (no action to run: devm_add_action warned). */
static inline int devm_add_action_or_reset(struct device *dev, void (*action)(void *), void *data)
{
	int ret = devm_add_action(dev, action, data);

	if (ret && action)
		action(data);
	return ret;
}
#endif

/* SPDX-License-Identifier: MIT */
/*
 * Device-managed resources (drivers/base/devres.c): a per-device list of resources, each
 * with a release function, released last-in first-out when the driver unbinds, when probe
 * fails, and when the device is released; groups that release only their own span; and the
 * devm_* memory family built on it.
 *
 * Layout: every resource is one kmalloc object, a node header followed by the data the
 * caller sees, aligned like kmalloc memory (ARCH_KMALLOC_MINALIGN).  So devm memory is
 * physically contiguous, and kfree() of it is a pointer inside an object: the slab's free
 * check reports it as an invalid free and frees nothing.  A group is two marker nodes in one
 * object ("grp<" opens it, "grp>" closes it), which also keeps where the group was opened
 * (the opener's caller; its whole stack when the debug hooks are on, kmemleak.stacks=on or
 * fault injection, as kmemleak records a caller): a group still open when the driver unbinds
 * (or the device goes) was lost, and is reported (ukmem__devres_report_lost_groups) before
 * everything is released.  Every group on the list is also on dev->p.devres_group_list, in
 * the order of its opening marker on the devres list (markers are only added at the tail and
 * taken off, never moved), so looking a group up walks the groups, not the resources.
 *
 * Locking: dev->devres_lock guards the list.  It is taken with an owner bias (below) or as a
 * raw lock (its word only: no preemption or interrupt-state bookkeeping, which would double
 * the cost of a devm_kzalloc), except that the callers' match and for-each callbacks run with
 * preemption disabled, in atomic context as under the kernel's spin_lock_irqsave.  Taking it
 * again on the same thread (a match callback using devres on its own device) is the kernel's
 * "spinlock recursion" BUG and aborts, as the kernel would hang there.  Releases run after
 * the nodes are moved to a private list and the lock is dropped, so a release may use devres
 * on any device, this one included.  Before fork, ukmem__base.lock then every registered
 * device's devres lock word are taken and every other thread's bias revoked (the base's fork
 * hook): no devres lock is held while base.lock is wanted, and none is held while another
 * devres lock is wanted.
 * devm_kmalloc and devm_kfree have a fast path for the thread that holds the device's bias
 * (devres_owned: one comparison, which also stands for the device's validity check); all
 * else goes to their slow paths, which do what the kernel does.
 * Cost: adding is O(1); devm_kfree, devres_find/remove search from the newest resource;
 * finding a group searches the groups from the newest; releasing everything is linear (two
 * passes over the nodes, then the releases), and releasing the device's only group moves its
 * span at once.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/bitmap.h>
#include <linux/percpu.h>
#include <linux/string_helpers.h>
#include "core/core.h"
#include "mm/mm.h"
#include "slab/slab.h"
#include "base/base.h"
#include "debug/kmemleak.h"
#include "debug/fault.h"
#include "platform/platform.h"

struct devres_node {
	struct list_head entry;
	dr_release_t release;
	const char *name;
	size_t size;
};

struct devres {
	struct devres_node node;
	u8 __aligned(ARCH_KMALLOC_MINALIGN) data[];
};

#define GROUP_STACK_DEPTH	8

struct devres_group {
	struct devres_node node[2];
	struct list_head groups;	/* on dev->p.devres_group_list while node[0] is listed */
	void *id;
	int color;
	int nr_pcs;			/* frames in pcs: 1 (the caller only) unless whole_stack */
	bool whole_stack;
	unsigned long pcs[GROUP_STACK_DEPTH];	/* where it was opened (for the lost-group report) */
};

struct ukmem__devres_stats ukmem__devres_stats;

/*
 * The owner bias.  A device's devres list is nearly always used by one thread (the one that
 * registers, probes and unbinds it), and an atomic exchange plus its release cost more than
 * the whole kzalloc+kfree a devm_kzalloc wraps.  So the first thread to take a device's
 * devres lock becomes its owner, and from then on enters with plain accesses: it marks
 * itself active, then checks that no other thread has revoked the bias.  Any other thread
 * takes the lock's word, revokes the bias (a plain store, then the host's membarrier, which
 * makes every thread of the process execute a full barrier), and waits until the owner is
 * not active.  Both sides store, pass a full barrier, and load what the other stores, so at
 * least one sees the other: the owner backs off to the lock's word, or the revoker waits.
 * After a revocation every thread, the owner included, takes the lock's word; a fork
 * revokes for its duration only.  Where the host has no membarrier (before Linux 4.14) no
 * device is biased.
 */
enum { BIAS_UNKNOWN, BIAS_ON, BIAS_OFF };

/* This thread, as a device's owner: its thread pointer, one load where the address of a
 * thread-local variable costs two instructions. */
static __always_inline const void *devres_self(void)
{
	return __builtin_thread_pointer();
}
enum { REVOKED_NO, REVOKED_FOR_GOOD, REVOKED_FOR_FORK };

static bool bias_available(void)
{
	int v = __atomic_load_n(&ukmem__base.devres_bias, __ATOMIC_RELAXED);

	if (unlikely(v == BIAS_UNKNOWN)) {
		/* devres.log is read only where the bias is not held: with it on, nobody is */
		v = !ukmem__cfg.devres_log && !ukmem__os_membarrier_register() ? BIAS_ON : BIAS_OFF;
		__atomic_store_n(&ukmem__base.devres_bias, v, __ATOMIC_RELAXED);
	}
	return v == BIAS_ON;
}

static void bias_wait_inactive(struct device *dev)
{
	for (int spins = 0; __atomic_load_n(&dev->p.devres_active, __ATOMIC_ACQUIRE); spins++) {
		if (spins < 128)
			cpu_relax();
		else
			sched_yield();
	}
}

/* The lock's word is held.  Claim the bias if nobody has it, revoke another thread's. */
static void bias_settle(struct device *dev)
{
	const void *owner = __atomic_load_n(&dev->p.devres_owner, __ATOMIC_RELAXED);

	if (owner == devres_self() || dev->p.devres_revoked)
		return;
	if (!owner) {
		if (bias_available())
			__atomic_store_n(&dev->p.devres_owner, devres_self(), __ATOMIC_RELAXED);
		return;
	}
	__atomic_store_n(&dev->p.devres_revoked, REVOKED_FOR_GOOD, __ATOMIC_RELAXED);
	ukmem__os_membarrier();
	bias_wait_inactive(dev);
}

static void devres_word_lock(struct device *dev)
{
	raw_spinlock_t *l = &dev->devres_lock.rlock;

	if (unlikely(__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)))
		ukmem__raw_spin_wait(l, "devres_lock of", dev_name(dev));
	__atomic_store_n(&l->owner_cpu, ukmem__cpu()->cpu, __ATOMIC_RELAXED);
	__atomic_store_n(&l->owner, ukmem__cpu()->task.pid, __ATOMIC_RELAXED);
}

static void devres_word_unlock(struct device *dev)
{
	raw_spinlock_t *l = &dev->devres_lock.rlock;

	__atomic_store_n(&l->owner, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&l->owner_cpu, -1, __ATOMIC_RELAXED);
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

/*
 * While a callback of the caller's (a match, a for-each function) runs under the lock taken
 * by the bias, the owner field holds this tag of the owner instead: the owner's fast path
 * then fails on its one comparison, and the slow path recognises the recursion.  So the
 * fast path needs no test of its own for it.
 */
#define DEVRES_OWNER_IN_CALLBACK	1UL

static const void *devres_owner_tagged(void)
{
	return (const void *)((unsigned long)devres_self() | DEVRES_OWNER_IN_CALLBACK);
}

/* The owner takes the lock it holds by its bias: the spinlock recursion BUG, which names the
 * lock's owner, so the owner is written where the report looks. */
static noinline __noreturn void devres_bias_recursion(struct device *dev)
{
	raw_spinlock_t *l = &dev->devres_lock.rlock;

	__atomic_store_n(&l->owner, ukmem__cpu()->task.pid, __ATOMIC_RELAXED);
	ukmem__raw_spin_wait(l, "devres_lock of", dev_name(dev));
	__builtin_unreachable();
}

static noinline void devres_lock_slow(struct device *dev)
{
	if (unlikely(__atomic_load_n(&dev->p.devres_owner, __ATOMIC_RELAXED) ==
		     devres_owner_tagged()))
		devres_bias_recursion(dev);
	devres_word_lock(dev);
	bias_settle(dev);
}

/* Does this thread own @dev's bias (and is it not inside one of its own callbacks)?  Never
 * true for NULL, an error pointer or a device that was never initialized: the owner is set
 * under the lock, only on a device devres accepted, and cleared when it is initialized. */
static __always_inline bool devres_owned(const struct device *dev)
{
	return likely((unsigned long)dev - 1 < (unsigned long)-MAX_ERRNO - 1) &&
	       likely(ukmem__racy_read(dev->p.devres_owner) == devres_self());
}

/* The owner enters by its bias: marks itself active, then checks that no other thread has
 * revoked the bias (the revoker's membarrier is the full fence between the two).  On false
 * the bias is revoked and the lock must be taken by its word. */
static __always_inline bool devres_bias_enter(struct device *dev)
{
	struct device_private *p = &dev->p;

	__atomic_store_n(&p->devres_active, 1, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);	/* a full fence when revoked */
	if (likely(!ukmem__racy_read(p->devres_revoked)))
		return true;
	__atomic_store_n(&p->devres_active, 0, __ATOMIC_RELAXED);
	return false;
}

static __always_inline void devres_bias_exit(struct device *dev)
{
	__atomic_store_n(&dev->p.devres_active, 0, __ATOMIC_RELEASE);
}

/* Returns how the lock was taken, for devres_unlock: true by the bias. */
static __always_inline bool devres_lock(struct device *dev)
{
	if (likely(ukmem__racy_read(dev->p.devres_owner) == devres_self()) &&
	    likely(devres_bias_enter(dev)))
		return true;
	devres_lock_slow(dev);
	return false;
}

static __always_inline void devres_unlock(struct device *dev, bool biased)
{
	if (likely(biased))
		devres_bias_exit(dev);
	else
		devres_word_unlock(dev);
}

/* Around a caller's callback under the lock: the owner's field tagged (see above), and
 * preemption disabled, in atomic context as under the kernel's devres spinlock. */
static const void *devres_callback_enter(struct device *dev)
{
	const void *owner = __atomic_load_n(&dev->p.devres_owner, __ATOMIC_RELAXED);

	if (owner == devres_self())
		__atomic_store_n(&dev->p.devres_owner, devres_owner_tagged(), __ATOMIC_RELAXED);
	preempt_disable();
	return owner;
}

static void devres_callback_exit(struct device *dev, const void *owner)
{
	preempt_enable();
	if (owner == devres_self())
		__atomic_store_n(&dev->p.devres_owner, owner, __ATOMIC_RELAXED);
}

#define ATOMIC_CALLBACK(dev, call) ({ typeof(call) __r; \
	const void *__owner = devres_callback_enter(dev); \
	__r = (call); devres_callback_exit(dev, __owner); __r; })

static noinline void devres_log_print(struct device *dev, struct devres_node *node,
				      const char *op)
{
	dev_err(dev, "DEVRES %3s %p %s (%zu bytes)\n", op, node, node->name, node->size);
}

static inline void devres_log(struct device *dev, struct devres_node *node, const char *op)
{
	if (unlikely(ukmem__cfg.devres_log))
		devres_log_print(dev, node, op);
}

static void group_open_release(struct device *dev, void *res)
{
}

static void group_close_release(struct device *dev, void *res)
{
}

static struct devres_group *node_to_group(struct devres_node *node)
{
	if (node->release == &group_open_release)
		return container_of(node, struct devres_group, node[0]);
	if (node->release == &group_close_release)
		return container_of(node, struct devres_group, node[1]);
	return NULL;
}

/* @grp's opening marker leaves the devres list (released, dissolved): so does the group.
 * Under the devres lock. */
static void group_unlist(struct device *dev, struct devres_group *grp)
{
	list_del_init(&grp->groups);
	dev->p.devres_groups--;
}

static __always_inline struct devres *alloc_dr(dr_release_t release, size_t size, gfp_t gfp,
					       int nid, unsigned long caller)
{
	size_t tot_size;
	struct devres *dr;

	if (unlikely(check_add_overflow(sizeof(struct devres), size, &tot_size)))
		return NULL;
	/* Zeroed here rather than by the slab (whose __GFP_ZERO path is its slow one): the
	 * caller's bytes and the header, exactly what a devm_kzalloc promises. */
	dr = __kmalloc_node_track_caller(tot_size, gfp & ~__GFP_ZERO, nid, caller);
	if (unlikely(!dr))
		return NULL;
	if (gfp & __GFP_ZERO)
		memset(dr->data, 0, size);
	dr->node = (struct devres_node){ .release = release };
	INIT_LIST_HEAD(&dr->node.entry);
	return dr;
}

/* A device devres cannot use: NULL or an error pointer (the kernel oopses on its first
 * dereference) or one that never went through device_initialize (it has no list).  WARN
 * instead of touching it; the entry point then fails as it does when nothing matches, and
 * devres_add's caller keeps (and loses) its resource instead of corrupting memory. */
static noinline bool devres_dev_broken(struct device *dev)
{
	if (WARN(!dev, "devres: NULL device\n"))
		return true;
	if (WARN(IS_ERR(dev), "devres: device is an error pointer (%ld)\n", PTR_ERR(dev)))
		return true;
	return WARN(!dev->p.initialized,
		    "devres: device %p was never initialized (device_initialize)\n", dev);
}

static __always_inline bool devres_dev_bad(struct device *dev)
{
	return unlikely(IS_ERR_OR_NULL(dev) || !dev->p.initialized) && devres_dev_broken(dev);
}

bool ukmem__devres_dev_bad(struct device *dev)
{
	return devres_dev_bad(dev);
}

static void add_dr(struct device *dev, struct devres_node *node)
{
	devres_log(dev, node, "ADD");
	BUG_ON(!list_empty(&node->entry));
	list_add_tail(&node->entry, &dev->devres_head);
}

/**
 * __devres_alloc_node - allocate a resource's data, zeroed (devres_alloc is the macro)
 * @release: called with the data when the resource is released
 * @size: bytes of data
 * @gfp: allocation flags
 * @nid: NUMA node (ignored)
 * @name: the name devres.log and ukmem_show("devres:...") print (the release's name)
 *
 * Return: the data, or NULL (no memory, @size so large the header overflows, or no @release:
 * a warning, where 6.1 calls NULL when the resource is released).
 */
void *__devres_alloc_node(dr_release_t release, size_t size, gfp_t gfp, int nid,
			  const char *name)
{
	struct devres *dr;

	ukmem__ensure_started();
	if (WARN(!release, "devres_alloc: no release function\n"))
		return NULL;
	dr = alloc_dr(release, size, gfp | __GFP_ZERO, nid, _RET_IP_);
	if (unlikely(!dr))
		return NULL;
	dr->node.name = name;
	dr->node.size = size;
	return dr->data;
}

/**
 * devres_for_each_res - call @fn on each resource of @dev with @release that @match accepts
 * @dev: the device
 * @release: the release function identifying the kind of resource
 * @match: the test, or NULL for all
 * @match_data: passed to @match
 * @fn: the callback, run under the devres lock (atomic context)
 * @data: passed to @fn
 */
void devres_for_each_res(struct device *dev, dr_release_t release, dr_match_t match,
			 void *match_data, void (*fn)(struct device *, void *, void *),
			 void *data)
{
	struct devres_node *node, *tmp;
	bool biased;

	if (!fn || devres_dev_bad(dev))
		return;
	biased = devres_lock(dev);
	list_for_each_entry_safe_reverse(node, tmp, &dev->devres_head, entry) {
		struct devres *dr = container_of(node, struct devres, node);

		if (node->release != release)
			continue;
		if (match && !ATOMIC_CALLBACK(dev, match(dev, dr->data, match_data)))
			continue;
		ATOMIC_CALLBACK(dev, (fn(dev, dr->data, data), 0));
	}
	devres_unlock(dev, biased);
}

/**
 * devres_free - free a resource that is not (or no longer) on a device's list
 * @res: the data, or NULL
 *
 * A resource still on a device's list is a warning and is left there, for the device to
 * release (6.1 BUG()s).
 */
void devres_free(void *res)
{
	if (res) {
		struct devres *dr = container_of(res, struct devres, data);

		if (WARN(!list_empty(&dr->node.entry),
			 "devres_free: resource %px is on a device's list: left to the device\n",
			 res))
			return;
		kfree(dr);
	}
}

/**
 * devres_add - hand a resource to a device: released with the device's other resources
 * @dev: the device
 * @res: the data from devres_alloc()
 *
 * A resource on a device's list already is a warning and stays where it is (6.1's add_dr()
 * BUG()s).
 */
void devres_add(struct device *dev, void *res)
{
	struct devres *dr = container_of(res, struct devres, data);
	bool biased, listed;

	if (devres_dev_bad(dev))
		return;
	biased = devres_lock(dev);
	listed = !list_empty(&dr->node.entry);
	if (likely(!listed))
		add_dr(dev, &dr->node);
	devres_unlock(dev, biased);
	WARN(listed, "devres_add: resource %px is on a device's list already\n", res);
}

static void devm_kmalloc_release(struct device *dev, void *res);
static int devm_kmalloc_match(struct device *dev, void *res, void *data);

static struct devres *find_dr(struct device *dev, dr_release_t release, dr_match_t match,
			      void *match_data)
{
	struct devres_node *node;

	list_for_each_entry_reverse(node, &dev->devres_head, entry) {
		struct devres *dr = container_of(node, struct devres, node);

		if (node->release != release)
			continue;
		if (match == devm_kmalloc_match) {	/* ours, inline: the hot devm_kfree */
			if ((void *)dr->data != match_data)
				continue;
		} else if (match && !ATOMIC_CALLBACK(dev, match(dev, dr->data, match_data))) {
			continue;
		}
		return dr;
	}
	return NULL;
}

/**
 * devres_find - the newest resource of @dev with @release that @match accepts
 * @dev: the device
 * @release: the kind of resource
 * @match: the test (under the devres lock), or NULL
 * @match_data: passed to @match
 *
 * Return: its data, or NULL.
 */
void *devres_find(struct device *dev, dr_release_t release, dr_match_t match, void *match_data)
{
	struct devres *dr;
	bool biased;

	if (devres_dev_bad(dev))
		return NULL;
	biased = devres_lock(dev);
	dr = find_dr(dev, release, match, match_data);
	devres_unlock(dev, biased);
	return dr ? dr->data : NULL;
}

/**
 * devres_get - the matching resource, or @new_res added when there is none
 * @dev: the device
 * @new_res: a resource from devres_alloc(); freed when a match exists
 * @match: the test, or NULL
 * @match_data: passed to @match
 *
 * Return: the data of the resource now on the device.
 */
void *devres_get(struct device *dev, void *new_res, dr_match_t match, void *match_data)
{
	struct devres *new_dr = container_of(new_res, struct devres, data);
	struct devres *dr;
	bool biased;

	if (devres_dev_bad(dev)) {
		devres_free(new_res);
		return NULL;
	}
	biased = devres_lock(dev);
	dr = find_dr(dev, new_dr->node.release, match, match_data);
	if (!dr) {
		add_dr(dev, &new_dr->node);
		dr = new_dr;
		new_res = NULL;
	}
	devres_unlock(dev, biased);
	devres_free(new_res);
	return dr->data;
}

/**
 * devres_remove - take the matching resource off the device without releasing it
 * @dev: the device
 * @release: the kind of resource
 * @match: the test, or NULL
 * @match_data: passed to @match
 *
 * Return: its data (the caller devres_free()s it), or NULL.
 */
void *devres_remove(struct device *dev, dr_release_t release, dr_match_t match,
		    void *match_data)
{
	struct devres *dr;
	bool biased;

	if (devres_dev_bad(dev))
		return NULL;
	biased = devres_lock(dev);
	dr = find_dr(dev, release, match, match_data);
	if (dr) {
		list_del_init(&dr->node.entry);
		devres_log(dev, &dr->node, "REM");
	}
	devres_unlock(dev, biased);
	return dr ? dr->data : NULL;
}

/**
 * devres_destroy - remove the matching resource and free it, without calling its release
 * @dev: the device
 * @release: the kind of resource
 * @match: the test, or NULL
 * @match_data: passed to @match
 *
 * Return: 0, or -ENOENT when nothing matched.
 */
int devres_destroy(struct device *dev, dr_release_t release, dr_match_t match,
		   void *match_data)
{
	void *res = devres_remove(dev, release, match, match_data);

	if (unlikely(!res))
		return -ENOENT;
	devres_free(res);
	return 0;
}

/**
 * devres_release - remove the matching resource, call its release, free it
 * @dev: the device
 * @release: the kind of resource
 * @match: the test, or NULL
 * @match_data: passed to @match
 *
 * Return: 0, or -ENOENT when nothing matched.
 */
int devres_release(struct device *dev, dr_release_t release, dr_match_t match,
		   void *match_data)
{
	void *res = devres_remove(dev, release, match, match_data);

	if (unlikely(!res))
		return -ENOENT;
	(*release)(dev, res);
	devres_free(res);
	return 0;
}

/*
 * Move the plain resources of [first, end) to @todo, and the groups wholly inside the span
 * too (a closed group needs both markers in it, an open one only its opening marker); the
 * markers of groups that straddle the span stay.  Called under the devres lock.
 */
static int remove_nodes(struct device *dev, struct list_head *first, struct list_head *end,
			struct list_head *todo)
{
	struct devres_node *node, *n;
	struct list_head *pos, *run;
	int cnt = 0, nr_groups = 0;
	unsigned long visits;

	/* Plain resources go in runs: each run of them between markers moves at once. */
	for (pos = first; pos != end;) {
		struct devres_group *grp = node_to_group(list_entry(pos, struct devres_node, entry));

		if (grp) {
			grp->color = 0;
			nr_groups++;
			pos = pos->next;
			continue;
		}
		run = pos;
		do {
			pos = pos->next;
			cnt++;
		} while (pos != end && !node_to_group(list_entry(pos, struct devres_node, entry)));
		if (run == first)
			first = pos;
		list_bulk_move_tail(todo, run, pos->prev);
	}
	visits = cnt + nr_groups;
	if (!nr_groups)
		goto out;

	for (node = list_entry(first, struct devres_node, entry); &node->entry != end; node = n) {
		struct devres_group *grp = node_to_group(node);

		n = list_next_entry(node, entry);
		visits++;
		BUG_ON(!grp || list_empty(&grp->node[0].entry));
		grp->color++;
		if (list_empty(&grp->node[1].entry))
			grp->color++;
		BUG_ON(grp->color <= 0 || grp->color > 2);
		if (grp->color == 2) {
			list_move_tail(&grp->node[0].entry, todo);
			list_del_init(&grp->node[1].entry);
			group_unlist(dev, grp);
		}
	}
out:
	__atomic_fetch_add(&ukmem__devres_stats.visits, visits, __ATOMIC_RELAXED);
	return cnt;
}

/* Release @todo newest first; group objects are freed as their opening marker goes.
 * Returns how many nodes were released. */
static int release_nodes(struct device *dev, struct list_head *todo)
{
	struct devres *dr, *tmp;
	unsigned long visits = 0;

	list_for_each_entry_safe_reverse(dr, tmp, todo, node.entry) {
		visits++;
		devres_log(dev, &dr->node, "REL");
		if (dr->node.release != devm_kmalloc_release)	/* which does nothing */
			dr->node.release(dev, dr->data);
		kfree(dr);
	}
	__atomic_fetch_add(&ukmem__devres_stats.visits, visits, __ATOMIC_RELAXED);
	return (int)visits;
}

/* fork(): a child must not inherit a device's resource list while another thread of the
 * parent is changing it (that thread does not exist in the child: the lock would never be
 * released).  Registered devices only: a device_initialize()d one that was never added (or
 * was deleted) is on no list, and devres calls on it must not race a fork. */
/* Every device's lock word, and every other thread's bias revoked for the fork's duration
 * (one membarrier for them all). */
void ukmem__devres_fork_lock(void)
{
	struct device *dev;
	bool revoked = false;

	list_for_each_entry(dev, &ukmem__base.devices, p.knode_all) {
		const void *owner = __atomic_load_n(&dev->p.devres_owner, __ATOMIC_RELAXED);

		devres_word_lock(dev);
		if (owner && owner != devres_self() && !dev->p.devres_revoked) {
			__atomic_store_n(&dev->p.devres_revoked, REVOKED_FOR_FORK, __ATOMIC_RELAXED);
			revoked = true;
		}
	}
	if (!revoked)
		return;
	ukmem__os_membarrier();
	list_for_each_entry(dev, &ukmem__base.devices, p.knode_all)
		if (dev->p.devres_revoked == REVOKED_FOR_FORK)
			bias_wait_inactive(dev);
}

/* After fork, in the child (its own copy of RAM made, every lock word still held): only
 * this thread lives, so no device has an owner; the first thread to lock one will own it. */
void ukmem__devres_fork_child(void)
{
	struct device *dev;

	list_for_each_entry(dev, &ukmem__base.devices, p.knode_all) {
		dev->p.devres_owner = NULL;
		dev->p.devres_active = 0;
		dev->p.devres_revoked = REVOKED_NO;
	}
}

/* After fork, in both: a bias revoked for the fork is given back. */
void ukmem__devres_fork_unlock(void)
{
	struct device *dev;

	list_for_each_entry_reverse(dev, &ukmem__base.devices, p.knode_all) {
		if (dev->p.devres_revoked == REVOKED_FOR_FORK)
			__atomic_store_n(&dev->p.devres_revoked, REVOKED_NO, __ATOMIC_RELAXED);
		devres_word_unlock(dev);
	}
}

/*
 * kmemleak's holder for fail-sweep reports: the device whose devres list holds the object at
 * @ptr (a devres node or group), so that a run that leaves a device bound or resources on a
 * device says who holds them rather than only "unreferenced".  Takes ukmem__base.lock, then
 * each device's devres lock in turn.
 */
static bool devres_holder(const void *ptr, char *buf, size_t len)
{
	struct device *dev;
	bool found = false;
	bool biased;

	pthread_mutex_lock(&ukmem__base.lock);
	list_for_each_entry(dev, &ukmem__base.devices, p.knode_all) {
		struct devres_node *node;

		biased = devres_lock(dev);
		list_for_each_entry(node, &dev->devres_head, entry)
			if ((const void *)node == ptr) {
				found = true;
				break;
			}
		devres_unlock(dev, biased);
		if (found) {
			snprintf(buf, len, "device %s's devres: released when the device is unbound or released",
				 dev_name(dev));
			break;
		}
	}
	pthread_mutex_unlock(&ukmem__base.lock);
	return found;
}

void ukmem__devres_leak_init(void)
{
	ukmem__leak_holder_register(devres_holder);
}

int ukmem__devres_release_all(struct device *dev)
{
	LIST_HEAD(todo);
	int cnt;
	bool biased;

	/* 6.1 tests devres_head.next for NULL, then peeks at the list, unlocked: a devm_kfree
	 * racing the release writes both, so here the device's flag says whether it has a
	 * list, and the list is looked at under the lock only. */
	if (WARN_ON(!dev->p.initialized))
		return -ENODEV;
	biased = devres_lock(dev);
	if (list_empty(&dev->devres_head)) {
		devres_unlock(dev, biased);
		return 0;
	}
	if (!dev->p.devres_groups) {	/* no group to keep: take the whole list at once */
		list_splice_init(&dev->devres_head, &todo);
		devres_unlock(dev, biased);
		return release_nodes(dev, &todo);
	}
	cnt = remove_nodes(dev, dev->devres_head.next, &dev->devres_head, &todo);
	devres_unlock(dev, biased);
	release_nodes(dev, &todo);
	return cnt;
}

/* ---- groups ---- */

/* The debug hooks are on (kmemleak.stacks=on, fault injection): the whole stack from the
 * opener's call, where the caller alone is recorded otherwise (an unwind costs more than a
 * thousand devm_kzalloc calls). */
static noinline void group_save_stack(struct devres_group *grp, unsigned long caller)
{
	int n = ukmem__stack_save_from(grp->pcs, GROUP_STACK_DEPTH, caller);

	if (n > 0) {
		grp->nr_pcs = n;
		grp->whole_stack = true;
	}
}

/**
 * devres_open_group - open a group: resources added from now on belong to it
 * @dev: the device
 * @id: the group's id, or NULL to use the group's own address
 * @gfp: allocation flags
 *
 * Records where it was opened for the lost-group report: the caller, or with the debug hooks
 * on (kmemleak.stacks=on, fault injection) the caller's whole stack.  noinline: _RET_IP_ must
 * be the caller's.
 * Return: the id, or NULL when out of memory.
 */
noinline void *devres_open_group(struct device *dev, void *id, gfp_t gfp)
{
	struct devres_group *grp;
	bool biased;

	ukmem__ensure_started();
	if (devres_dev_bad(dev))
		return NULL;
	grp = kmalloc(sizeof(*grp), gfp);
	if (unlikely(!grp))
		return NULL;
	grp->pcs[0] = _RET_IP_;
	grp->nr_pcs = 1;
	grp->whole_stack = false;
	if (ukmem__debug_hooked())
		group_save_stack(grp, _RET_IP_);
	grp->node[0].release = &group_open_release;
	grp->node[1].release = &group_close_release;
	INIT_LIST_HEAD(&grp->node[0].entry);
	INIT_LIST_HEAD(&grp->node[1].entry);
	grp->node[0].name = "grp<";
	grp->node[0].size = 0;
	grp->node[1].name = "grp>";
	grp->node[1].size = 0;
	grp->id = id ? id : grp;
	grp->color = 0;
	biased = devres_lock(dev);
	add_dr(dev, &grp->node[0]);
	list_add_tail(&grp->groups, &dev->p.devres_group_list);
	dev->p.devres_groups++;
	devres_unlock(dev, biased);
	return grp->id;
}

/*
 * The group with @id, or the newest open group when @id is NULL.  Under the devres lock.
 * The groups' list is in the order of their opening markers on the devres list, so this is
 * the kernel's search from the newest node for an opening marker, without the resources.
 */
static struct devres_group *find_group(struct device *dev, void *id)
{
	struct devres_group *grp;

	list_for_each_entry_reverse(grp, &dev->p.devres_group_list, groups) {
		if (id) {
			if (grp->id == id)
				return grp;
		} else if (list_empty(&grp->node[1].entry)) {
			return grp;
		}
	}
	return NULL;
}

/**
 * devres_close_group - close a group: later resources no longer belong to it
 * @dev: the device
 * @id: the group, or NULL for the newest open one (WARN when there is none)
 *
 * Closing a group that is closed already WARNs and changes nothing (the kernel's add_dr()
 * BUG()s on the marker that is on the list already).
 */
void devres_close_group(struct device *dev, void *id)
{
	struct devres_group *grp;
	bool biased;

	if (devres_dev_bad(dev))
		return;
	biased = devres_lock(dev);
	grp = find_group(dev, id);
	if (grp && list_empty(&grp->node[1].entry))
		add_dr(dev, &grp->node[1]);
	else
		WARN_ON(1);
	devres_unlock(dev, biased);
}

/**
 * devres_remove_group - dissolve a group: its resources stay on the device, ungrouped
 * @dev: the device
 * @id: the group, or NULL for the newest open one (WARN when there is none)
 */
void devres_remove_group(struct device *dev, void *id)
{
	struct devres_group *grp;
	bool biased;

	if (devres_dev_bad(dev))
		return;
	biased = devres_lock(dev);
	grp = find_group(dev, id);
	if (grp) {
		list_del_init(&grp->node[0].entry);
		list_del_init(&grp->node[1].entry);
		group_unlist(dev, grp);
		devres_log(dev, &grp->node[0], "REM");
	} else {
		WARN_ON(1);
	}
	devres_unlock(dev, biased);
	kfree(grp);
}

/*
 * remove_nodes for the device's only group: its span holds no other marker, so its
 * resources move to @todo at once and the group after them, the order remove_nodes leaves.
 * Under the devres lock.
 */
static void remove_only_group(struct device *dev, struct devres_group *grp,
			      struct list_head *todo)
{
	struct list_head *first = grp->node[0].entry.next, *last = dev->devres_head.prev;

	if (!list_empty(&grp->node[1].entry)) {		/* closed: up to its closing marker */
		last = grp->node[1].entry.prev;
		list_del_init(&grp->node[1].entry);
	}
	if (last != &grp->node[0].entry)		/* not empty */
		list_bulk_move_tail(todo, first, last);
	list_move_tail(&grp->node[0].entry, todo);
	group_unlist(dev, grp);
}

/**
 * devres_release_group - release a group's resources (and the groups nested in it)
 * @dev: the device
 * @id: the group, or NULL for the newest open one
 *
 * Resources added after a closed group stay.  WARN when the group does not exist (unless the
 * device's list is empty: it is being released already).
 * Return: the number of resources released.
 */
int devres_release_group(struct device *dev, void *id)
{
	struct devres_group *grp;
	LIST_HEAD(todo);
	int cnt = 0;
	bool biased;

	if (devres_dev_bad(dev))
		return 0;
	biased = devres_lock(dev);
	grp = find_group(dev, id);
	if (grp && dev->p.devres_groups == 1) {
		remove_only_group(dev, grp, &todo);
		devres_unlock(dev, biased);
		cnt = release_nodes(dev, &todo) - 1;	/* the group itself is not counted */
	} else if (grp) {
		struct list_head *first = &grp->node[0].entry;
		struct list_head *end = &dev->devres_head;

		if (!list_empty(&grp->node[1].entry))
			end = grp->node[1].entry.next;
		cnt = remove_nodes(dev, first, end, &todo);
		devres_unlock(dev, biased);
		release_nodes(dev, &todo);
	} else if (list_empty(&dev->devres_head)) {
		devres_unlock(dev, biased);
	} else {
		devres_unlock(dev, biased);
		WARN_ON(1);
	}
	return cnt;
}

/* ---- lost groups ---- */
#define LOST_SHOWN	4		/* groups reported in full per device */
#define LOST_RES_SHOWN	8		/* resources listed per group */

struct lost_group {
	void *id;
	int nr_pcs, cnt, shown;
	bool whole_stack;
	size_t bytes;
	unsigned long pcs[GROUP_STACK_DEPTH];
	struct { const void *node; const char *name; size_t size; } res[LOST_RES_SHOWN];
};

/* What the open group @grp spans: every resource after its opening marker.  Under the lock. */
static void lost_group_fill(struct device *dev, struct devres_group *grp, struct lost_group *lg)
{
	struct devres_node *node = &grp->node[0];

	*lg = (struct lost_group){ .id = grp->id, .nr_pcs = grp->nr_pcs,
				   .whole_stack = grp->whole_stack };
	memcpy(lg->pcs, grp->pcs, grp->nr_pcs * sizeof(lg->pcs[0]));
	list_for_each_entry_continue(node, &dev->devres_head, entry) {
		if (node_to_group(node))
			continue;
		if (lg->shown < LOST_RES_SHOWN)
			lg->res[lg->shown++] = (typeof(lg->res[0])){ node, node->name, node->size };
		lg->cnt++;
		lg->bytes += node->size;
	}
}

static noinline void lost_group_print(struct device *dev, const struct lost_group *lg,
				      const char *when)
{
	ukmem__report_begin();
	dev_warn(dev, "devres group 0x%lx was never closed or released: its %d resource(s), %zu bytes, were held until %s\n",
		 (unsigned long)lg->id, lg->cnt, lg->bytes, when);
	printk(KERN_WARNING "  opened at:\n");
	ukmem__stack_print(lg->pcs, lg->nr_pcs, "    ");
	if (!lg->whole_stack)
		printk(KERN_WARNING "    (the caller only: kmemleak.stacks=on records whole stacks)\n");
	if (lg->cnt)
		printk(KERN_WARNING "  its resources, oldest first:\n");
	for (int i = 0; i < lg->shown; i++)
		printk(KERN_WARNING "    %p %8zu bytes  %s\n", lg->res[i].node, lg->res[i].size,
		       lg->res[i].name);
	if (lg->cnt > lg->shown)
		printk(KERN_WARNING "    ... and %d more\n", lg->cnt - lg->shown);
	ukmem__report_end(UKMEM_REPORT_LEAK);
}

/**
 * ukmem__devres_report_lost_groups - report the groups left open on @dev
 * @dev: a device whose driver has unbound (its remove has run) or that is being released
 * @when: "unbind" or "the device was released", for the report
 *
 * A group opened and neither closed nor released by then was lost: the kernel releases it
 * with everything else, silently, but its resources were held since it opened (in a path
 * that runs more than once while the device stays bound, a growing leak).  Each is reported
 * (a leak: counted as a problem) with where it was opened and what it holds.  Closed
 * groups are normal (released with the device, as edac drivers do) and are not reported.
 */
void ukmem__devres_report_lost_groups(struct device *dev, const char *when)
{
	struct lost_group lost[LOST_SHOWN];
	struct devres_node *node;
	int n = 0, more = 0;
	bool biased;

	if (!dev->p.initialized)	/* no list yet (the list itself is read locked only) */
		return;
	biased = devres_lock(dev);	/* the list is only looked at locked: another thread
					 * may be unlinking a node (a late devm_kfree) */
	if (likely(!dev->p.devres_groups) || list_empty(&dev->devres_head)) {
		devres_unlock(dev, biased);
		return;
	}
	list_for_each_entry(node, &dev->devres_head, entry) {
		struct devres_group *grp;

		if (node->release != &group_open_release)
			continue;
		grp = container_of(node, struct devres_group, node[0]);
		if (!list_empty(&grp->node[1].entry))
			continue;		/* closed */
		if (n < LOST_SHOWN)
			lost_group_fill(dev, grp, &lost[n++]);
		else
			more++;
	}
	devres_unlock(dev, biased);
	for (int i = 0; i < n; i++)
		lost_group_print(dev, &lost[i], when);
	if (more)
		dev_warn(dev, "... and %d more devres group(s) never closed or released\n", more);
}

/* ---- actions ---- */
struct action_devres {
	void *data;
	void (*action)(void *);
};

static int devm_action_match(struct device *dev, void *res, void *p)
{
	struct action_devres *devres = res, *target = p;

	return devres->action == target->action && devres->data == target->data;
}

static void devm_action_release(struct device *dev, void *res)
{
	struct action_devres *devres = res;

	devres->action(devres->data);
}

/**
 * devm_add_action - run action(data) when the device's resources are released
 * @dev: the device
 * @action: the function
 * @data: its argument
 *
 * Return: 0, -ENOMEM, or -EINVAL (a device devres cannot use, or no @action: a warning,
 * where 6.1 calls NULL at release); then nothing is registered: see
 * devm_add_action_or_reset().
 */
int devm_add_action(struct device *dev, void (*action)(void *), void *data)
{
	struct action_devres *devres;

	if (devres_dev_bad(dev) || WARN(!action, "devm_add_action: no action\n"))
		return -EINVAL;
	devres = devres_alloc(devm_action_release, sizeof(struct action_devres), GFP_KERNEL);
	if (!devres)
		return -ENOMEM;
	devres->data = data;
	devres->action = action;
	devres_add(dev, devres);
	return 0;
}

/**
 * devm_remove_action - forget an action without running it (WARN when not registered)
 * @dev: the device
 * @action: the function
 * @data: its argument
 */
void devm_remove_action(struct device *dev, void (*action)(void *), void *data)
{
	struct action_devres devres = { .data = data, .action = action };

	WARN_ON(devres_destroy(dev, devm_action_release, devm_action_match, &devres));
}

/**
 * devm_release_action - run an action now and forget it (WARN when not registered)
 * @dev: the device
 * @action: the function
 * @data: its argument
 */
void devm_release_action(struct device *dev, void (*action)(void *), void *data)
{
	struct action_devres devres = { .data = data, .action = action };

	WARN_ON(devres_release(dev, devm_action_release, devm_action_match, &devres));
}

/**
 * devm_is_action_added - whether action(data) is registered on the device
 * @dev: the device
 * @action: the function
 * @data: its argument
 *
 * Return: true when it is.
 */
bool devm_is_action_added(struct device *dev, void (*action)(void *), void *data)
{
	struct action_devres devres = { .data = data, .action = action };

	return devres_find(dev, devm_action_release, devm_action_match, &devres);
}

/* ---- managed memory ---- */

static void devm_kmalloc_release(struct device *dev, void *res)
{
}

static int devm_kmalloc_match(struct device *dev, void *res, void *data)
{
	return res == data;
}

/* The node of devm memory: its release and name, set by one 16-byte store. */
struct devres_kind {
	dr_release_t release;
	const char *name;
};
static const struct devres_kind devm_kmalloc_kind = {
	devm_kmalloc_release, "devm_kzalloc_release"
};

static __always_inline void devres_node_set(struct devres_node *node,
					    const struct devres_kind *kind, size_t size)
{
	BUILD_BUG_ON(offsetof(struct devres_node, name) !=
		     offsetof(struct devres_node, release) + sizeof(dr_release_t));
	memcpy(&node->release, kind, sizeof(*kind));
	node->size = size;
}

/*
 * devm_kzalloc's zeroing of the caller's @n bytes: from 16 to 64 bytes inline, by 16-byte
 * stores that may overlap (exactly [p, p + n): the slab object's slack stays as it is),
 * else by memset.  Small objects are the common case, and the call costs as much as the
 * stores.
 */
static __always_inline void *devres_zero(void *p, size_t n)
{
	typedef char chunk __attribute__((vector_size(16), aligned(1), may_alias));
	char *c = p;

	if (unlikely(n - 16 > 64 - 16))
		return memset(p, 0, n);
	*(chunk *)c = (chunk){ 0 };
	*(chunk *)(c + n - 16) = (chunk){ 0 };
	if (n > 32) {
		*(chunk *)(c + 16) = (chunk){ 0 };
		*(chunk *)(c + n - 32) = (chunk){ 0 };
	}
	return p;
}

/* devm memory added where the fast path could not (no bias, or the log on): its data. */
static noinline void *devm_kmalloc_add(struct device *dev, struct devres *dr)
{
	bool biased = devres_lock(dev);

	devres_log(dev, &dr->node, "ADD");
	list_add_tail(&dr->node.entry, &dev->devres_head);
	devres_unlock(dev, biased);
	return dr->data;
}

/* Everything but the common case: size 0 or too large, a device devres cannot use or whose
 * bias this thread does not hold. */
static noinline void *devm_kmalloc_slow(struct device *dev, size_t size, gfp_t gfp,
					unsigned long caller)
{
	struct devres *dr;

	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	if (devres_dev_bad(dev))
		return NULL;
	dr = alloc_dr(devm_kmalloc_release, size, gfp, dev_to_node(dev), caller);
	if (unlikely(!dr))
		return NULL;
	devres_node_set(&dr->node, &devm_kmalloc_kind, size);
	return devm_kmalloc_add(dev, dr);
}

/**
 * devm_kmalloc - kmalloc memory freed when the device's resources are released
 * @dev: the device
 * @size: bytes (0 gives ZERO_SIZE_PTR)
 * @gfp: allocation flags (__GFP_ZERO for devm_kzalloc)
 *
 * The memory is aligned as kmalloc's and physically contiguous.
 * Return: the memory, or NULL (no memory, or @size plus the header overflows).
 */
void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp)
{
	struct devres *dr;
	size_t tot_size;
	void *data;

	/* one test for size 0 and a size whose header overflows (the sum wraps), one for the
	 * device */
	tot_size = sizeof(struct devres) + size;
	if (unlikely(tot_size <= sizeof(struct devres)) || !devres_owned(dev))
		return devm_kmalloc_slow(dev, size, gfp, _RET_IP_);
	dr = __kmalloc_node_track_caller(tot_size, gfp & ~__GFP_ZERO, NUMA_NO_NODE, _RET_IP_);
	if (unlikely(!dr))
		return NULL;
	devres_node_set(&dr->node, &devm_kmalloc_kind, size);
	/* Zeroed here rather than by the slab (whose __GFP_ZERO path is its slow one), and
	 * before the node is on the list, where a racing release could free it.  The node is
	 * found again from what memset returns: one register less to keep across the call. */
	data = dr->data;
	if (gfp & __GFP_ZERO) {
		data = devres_zero(data, size);
		OPTIMIZER_HIDE_VAR(data);
	}
	dr = container_of(data, struct devres, data);
	if (unlikely(!devres_bias_enter(dev)))
		return devm_kmalloc_add(dev, dr);
	list_add_tail(&dr->node.entry, &dev->devres_head);
	devres_bias_exit(dev);
	return data;
}

/* Read-only data (devm_kstrdup_const's strings): never in the direct map. */
static inline bool is_kernel_rodata(const void *p)
{
	return !ukmem__in_direct_map(p) && ukmem__is_rodata(p);
}

/*
 * Growth within the chunk's slab object.  The kernel's devm_kzalloc zeroes the whole object
 * (the slab's __GFP_ZERO), so its in-place growth with __GFP_ZERO finds zeroes; alloc_dr
 * zeroes only the bytes asked for, so the new ones are zeroed here.
 */
static void *devm_krealloc_in_place(struct device *dev, struct devres *dr, size_t new_size,
				    gfp_t gfp)
{
	size_t old_size;
	bool biased;

	biased = devres_lock(dev);
	old_size = dr->node.size;
	if (new_size > old_size)
		dr->node.size = new_size;
	devres_unlock(dev, biased);
	if ((gfp & __GFP_ZERO) && new_size > old_size)
		memset(dr->data + old_size, 0, new_size - old_size);
	return dr->data;
}

/**
 * devm_krealloc - resize managed memory, keeping its place in the release order
 * @dev: the device
 * @ptr: memory from devm_kmalloc() on @dev, or NULL/ZERO_SIZE_PTR (then: devm_kmalloc)
 * @new_size: bytes (0 frees and gives ZERO_SIZE_PTR)
 * @gfp: allocation flags
 *
 * Memory @dev does not manage (another device's, plain kmalloc, read-only strings) gets the
 * kernel's WARN and NULL, and is left alone.
 * Return: the memory (maybe still @ptr), or NULL with @ptr unchanged.
 */
void *devm_krealloc(struct device *dev, void *ptr, size_t new_size, gfp_t gfp)
{
	size_t total_new_size, total_old_size, old_size;
	struct devres *old_dr, *new_dr;
	bool biased;

	if (unlikely(!new_size)) {
		devm_kfree(dev, ptr);
		return ZERO_SIZE_PTR;
	}
	if (unlikely(ZERO_OR_NULL_PTR(ptr)))
		return devm_kmalloc(dev, new_size, gfp);
	if (devres_dev_bad(dev))
		return NULL;
	if (WARN_ON(is_kernel_rodata(ptr)))
		return NULL;
	if (check_add_overflow(sizeof(struct devres), new_size, &total_new_size))
		return NULL;

	/* Look the chunk up before touching it: a foreign pointer is never dereferenced. */
	biased = devres_lock(dev);
	old_dr = find_dr(dev, devm_kmalloc_release, devm_kmalloc_match, ptr);
	devres_unlock(dev, biased);
	if (!old_dr) {
		WARN(1, "Memory chunk not managed or managed by a different device.");
		return NULL;
	}
	total_old_size = ksize(old_dr);
	if (total_old_size == 0) {
		WARN(1, "Pointer doesn't point to dynamically allocated memory.");
		return NULL;
	}
	if (total_new_size <= total_old_size)
		return devm_krealloc_in_place(dev, old_dr, new_size, gfp);

	new_dr = alloc_dr(devm_kmalloc_release, new_size, gfp, dev_to_node(dev), _RET_IP_);
	if (!new_dr)
		return NULL;
	new_dr->node.name = "devm_krealloc_release";
	new_dr->node.size = new_size;

	biased = devres_lock(dev);
	old_dr = find_dr(dev, devm_kmalloc_release, devm_kmalloc_match, ptr);
	if (!old_dr) {
		devres_unlock(dev, biased);
		kfree(new_dr);
		WARN(1, "Memory chunk not managed or managed by a different device.");
		return NULL;
	}
	old_size = old_dr->node.size;
	devres_log(dev, &old_dr->node, "REPLACE");
	list_replace(&old_dr->node.entry, &new_dr->node.entry);
	devres_unlock(dev, biased);

	/* The bytes the caller had, not the object's slack: alloc_dr does not clear the slack,
	 * and with __GFP_ZERO everything past old_size must read as zero, as it does in 6.1
	 * (whose devm_kzalloc zeroes the whole object and copies all of it). */
	memcpy(new_dr->data, old_dr->data, old_size);
	kfree(old_dr);
	return new_dr->data;
}

/* devm_kfree where the fast path cannot: NULL, ZERO_SIZE_PTR, read-only strings, a bad
 * device, no bias (or the log on), and a pointer the device does not manage.  Returns true
 * for the last, which devm_kfree warns about (the warning names it, as the kernel's). */
static noinline bool devm_kfree_slow(struct device *dev, const void *p)
{
	struct devres *dr;
	bool biased;

	if (unlikely(ZERO_OR_NULL_PTR(p) || is_kernel_rodata(p)) || devres_dev_bad(dev))
		return false;
	biased = devres_lock(dev);
	dr = find_dr(dev, devm_kmalloc_release, devm_kmalloc_match, (void *)p);
	if (likely(dr)) {
		list_del_init(&dr->node.entry);
		devres_log(dev, &dr->node, "REM");
	}
	devres_unlock(dev, biased);
	if (!dr)
		return true;
	kfree(dr);
	return false;
}

/**
 * devm_kfree - free managed memory now
 * @dev: the device that manages it
 * @p: the memory; NULL, ZERO_SIZE_PTR and read-only strings are ignored
 *
 * Memory @dev does not manage gets the kernel's WARN and is left alone.
 */
void devm_kfree(struct device *dev, const void *p)
{
	/* where p's node would be: compared as a number, never formed as a pointer */
	unsigned long want = (unsigned long)p - offsetof(struct devres, data);
	struct list_head *head, *pos;
	struct devres_node *node;

	/* The search compares addresses only, so anything but NULL and ZERO_SIZE_PTR may
	 * enter: read-only strings (and pointers that are not devres) are not found, and the
	 * slow path sorts them out. */
	if (unlikely(ZERO_OR_NULL_PTR(p)) || !devres_owned(dev))
		goto slow;
	if (unlikely(!devres_bias_enter(dev)))
		goto slow;
	pos = dev->devres_head.prev;
	if (unlikely((unsigned long)pos != want)) {
		head = &dev->devres_head;
		do {
			if (unlikely(pos == head))
				goto not_found;
			pos = pos->prev;
		} while ((unsigned long)pos != want);
	}
	node = list_entry(pos, struct devres_node, entry);	/* on the list: a node */
	if (unlikely(node->release != devm_kmalloc_release))
		goto not_found;
	__list_del_entry(pos);
	devres_bias_exit(dev);
	kfree(node);
	return;
not_found:
	devres_bias_exit(dev);
slow:
	WARN_ON(devm_kfree_slow(dev, p));	/* not found: the search again, then the WARN */
}

/**
 * devm_kstrdup - managed copy of a string
 * @dev: the device
 * @s: the string, or NULL
 * @gfp: allocation flags
 *
 * Return: the copy, or NULL.
 */
char *devm_kstrdup(struct device *dev, const char *s, gfp_t gfp)
{
	size_t size;
	char *buf;

	if (!s)
		return NULL;
	size = strlen(s) + 1;
	buf = devm_kmalloc(dev, size, gfp);
	if (buf)
		memcpy(buf, s, size);
	return buf;
}

/**
 * devm_kstrdup_const - devm_kstrdup(), except that read-only strings are returned as they are
 * @dev: the device
 * @s: the string
 * @gfp: allocation flags
 *
 * Return: @s itself or a managed copy; NULL when out of memory.
 */
const char *devm_kstrdup_const(struct device *dev, const char *s, gfp_t gfp)
{
	if (s && is_kernel_rodata(s))
		return s;
	return devm_kstrdup(dev, s, gfp);
}

/**
 * devm_kvasprintf - managed kvasprintf
 * @dev: the device
 * @gfp: allocation flags
 * @fmt: the format (the kernel's, with its %p extensions)
 * @ap: the arguments
 *
 * Return: the string, or NULL.
 */
char *devm_kvasprintf(struct device *dev, gfp_t gfp, const char *fmt, va_list ap)
{
	unsigned int len;
	char *p;
	va_list aq;

	va_copy(aq, ap);
	len = (unsigned int)ukmem__vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	p = devm_kmalloc(dev, len + 1, gfp);
	if (!p)
		return NULL;
	ukmem__vsnprintf(p, len + 1, fmt, ap);
	return p;
}

/**
 * devm_kasprintf - managed kasprintf
 * @dev: the device
 * @gfp: allocation flags
 * @fmt: the format
 *
 * Return: the string, or NULL.
 */
char *devm_kasprintf(struct device *dev, gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = devm_kvasprintf(dev, gfp, fmt, ap);
	va_end(ap);
	return p;
}

struct strarray_res {
	char **array;
	size_t n;
};

static void strarray_release(struct device *dev, void *res)
{
	struct strarray_res *sa = res;

	kfree_strarray(sa->array, sa->n);
}

/**
 * devm_kasprintf_strarray - managed kasprintf_strarray
 * @dev: the device
 * @prefix: the common part of the names
 * @n: how many names
 *
 * The array and its strings are freed when @dev's resources are released.
 *
 * Return: the array, or ERR_PTR(-ENOMEM).
 */
char **devm_kasprintf_strarray(struct device *dev, const char *prefix, size_t n)
{
	struct strarray_res *sa = devres_alloc(strarray_release, sizeof(*sa), GFP_KERNEL);

	if (!sa)
		return ERR_PTR(-ENOMEM);
	sa->array = kasprintf_strarray(GFP_KERNEL, prefix, n);
	if (!sa->array) {
		devres_free(sa);
		return ERR_PTR(-ENOMEM);
	}
	sa->n = n;
	devres_add(dev, sa);
	return sa->array;
}

/**
 * devm_kmemdup - managed copy of a buffer
 * @dev: the device
 * @src: the buffer
 * @len: its size
 * @gfp: allocation flags
 *
 * Return: the copy, or NULL.
 */
void *devm_kmemdup(struct device *dev, const void *src, size_t len, gfp_t gfp)
{
	void *p;

	if (WARN(!src && len, "devm_kmemdup: NULL source (%zu bytes)\n", len))
		return NULL;			/* 6.1 copies from NULL */
	p = devm_kmalloc(dev, len, gfp);

	if (p && len)
		memcpy(p, src, len);
	return p;
}

struct pages_devres {
	unsigned long addr;
	unsigned int order;
};

static int devm_pages_match(struct device *dev, void *res, void *p)
{
	struct pages_devres *devres = res, *target = p;

	return devres->addr == target->addr;
}

static void devm_pages_release(struct device *dev, void *res)
{
	struct pages_devres *devres = res;

	ukmem__free_pages_managed(devres->addr, devres->order);
}

/**
 * devm_get_free_pages - managed __get_free_pages
 * @dev: the device
 * @gfp_mask: allocation flags
 * @order: 2^order pages
 *
 * Return: the address, or 0.
 */
unsigned long devm_get_free_pages(struct device *dev, gfp_t gfp_mask, unsigned int order)
{
	struct pages_devres *devres;
	unsigned long addr;

	if (devres_dev_bad(dev))
		return 0;
	addr = ukmem__get_free_pages_caller(gfp_mask, order, _RET_IP_);
	if (unlikely(!addr))
		return 0;
	devres = devres_alloc(devm_pages_release, sizeof(struct pages_devres), GFP_KERNEL);
	if (unlikely(!devres)) {
		free_pages(addr, order);
		return 0;
	}
	devres->addr = addr;
	devres->order = order;
	ukmem__pages_set_managed(addr);		/* free_pages() of it is refused */
	devres_add(dev, devres);
	return addr;
}

/**
 * devm_free_pages - free pages from devm_get_free_pages() now (WARN when not managed)
 * @dev: the device
 * @addr: their address
 */
void devm_free_pages(struct device *dev, unsigned long addr)
{
	struct pages_devres devres = { .addr = addr };

	WARN_ON(devres_release(dev, devm_pages_release, devm_pages_match, &devres));
}

/* ---- per-CPU memory ---- */
static void devm_percpu_release(struct device *dev, void *res)
{
	ukmem__free_percpu_managed(*(void __percpu **)res);
}

static int devm_percpu_match(struct device *dev, void *res, void *p)
{
	return *(void **)res == p;
}

/**
 * __devm_alloc_percpu - managed __alloc_percpu (devm_alloc_percpu is the macro)
 * @dev: the device
 * @size: bytes per CPU
 * @align: their alignment
 *
 * Return: the per-CPU pointer, or NULL.
 */
void __percpu *__devm_alloc_percpu(struct device *dev, size_t size, size_t align)
{
	void __percpu *pcpu;
	void **res;

	if (devres_dev_bad(dev))
		return NULL;
	pcpu = __alloc_percpu(size, align);
	if (!pcpu)
		return NULL;
	res = devres_alloc(devm_percpu_release, sizeof(void *), GFP_KERNEL);
	if (!res) {
		free_percpu(pcpu);
		return NULL;
	}
	*res = (void *)pcpu;
	ukmem__percpu_set_managed(pcpu);	/* free_percpu() of it is refused */
	devres_add(dev, res);
	return pcpu;
}

/**
 * devm_free_percpu - free memory from devm_alloc_percpu() now (WARN when not managed)
 * @dev: the device
 * @pdata: the per-CPU pointer
 *
 * 6.1 only forgets the resource here (devres_destroy) and so leaks the memory, which later
 * kernels fixed: it is freed.
 */
void devm_free_percpu(struct device *dev, void __percpu *pdata)
{
	WARN_ON(devres_release(dev, devm_percpu_release, devm_percpu_match, (void *)pdata));
}

static void devm_bitmap_free(void *data)
{
	bitmap_free(data);
}

/**
 * devm_bitmap_alloc - managed bitmap_alloc
 * @dev: the device
 * @nbits: bits
 * @flags: allocation flags
 *
 * Return: the bitmap, or NULL.
 */
unsigned long *devm_bitmap_alloc(struct device *dev, unsigned int nbits, gfp_t flags)
{
	unsigned long *bitmap = bitmap_alloc(nbits, flags);

	if (!bitmap)
		return NULL;
	if (devm_add_action_or_reset(dev, devm_bitmap_free, bitmap))
		return NULL;
	return bitmap;
}

/**
 * devm_bitmap_zalloc - managed bitmap_zalloc
 * @dev: the device
 * @nbits: bits
 * @flags: allocation flags
 *
 * Return: the zeroed bitmap, or NULL.
 */
unsigned long *devm_bitmap_zalloc(struct device *dev, unsigned int nbits, gfp_t flags)
{
	return devm_bitmap_alloc(dev, nbits, flags | __GFP_ZERO);
}

/* ---- ukmem_show("devres:NAME") ---- */
struct shown_res {
	const void *node;
	const char *name;
	size_t size;
	dr_release_t release;
	void (*action)(void *);
	void *action_data;
};

int ukmem__show_devres(FILE *out, const char *arg)
{
	struct device *dev = ukmem__find_device_by_name(arg ? arg : "");
	struct devres_node *node;
	struct shown_res *v = NULL;
	size_t n = 0, cap = 0;
	bool biased;

	if (!dev)
		return -ENODEV;
	for (;;) {		/* count, allocate outside the lock, copy; again if it grew */
		size_t want = 0;

		biased = devres_lock(dev);
		list_for_each_entry(node, &dev->devres_head, entry)
			want++;
		if (want <= cap) {
			n = 0;
			list_for_each_entry(node, &dev->devres_head, entry) {
				struct devres *dr = container_of(node, struct devres, node);
				struct shown_res *r = &v[n++];

				*r = (struct shown_res){ node, node->name, node->size, node->release };
				if (node->release == devm_action_release) {
					struct action_devres *a = (void *)dr->data;

					r->action = a->action;
					r->action_data = a->data;
				}
			}
			devres_unlock(dev, biased);
			break;
		}
		devres_unlock(dev, biased);
		free(v);
		cap = want + 16;
		v = malloc(cap * sizeof(*v));
		if (!v) {
			put_device(dev);
			return -ENOMEM;
		}
	}
	fprintf(out, "devres of %s %s: %zu resource%s, oldest first\n", dev_driver_string(dev),
		dev_name(dev), n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		char sym[128];

		ukmem__sym_name((unsigned long)v[i].release, sym, sizeof(sym));
		fprintf(out, "  %4zu  %p  %8zu bytes  %-28s release=%s", i + 1, v[i].node, v[i].size,
			v[i].name ? v[i].name : "?", sym);
		if (v[i].action) {
			ukmem__sym_name((unsigned long)v[i].action, sym, sizeof(sym));
			fprintf(out, " action=%s(%p)", sym, v[i].action_data);
		}
		fputc('\n', out);
	}
	free(v);
	put_device(dev);
	return 0;
}

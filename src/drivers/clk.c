/* SPDX-License-Identifier: MIT */
/*
 * Clocks: a clkdev-style lookup table (drivers/clk/clkdev.c) and the consumer API
 * (drivers/clk/clk.c, clk-devres.c) over clocks that exist only as counters and a rate.
 *
 * A program registers a clock with ukmem_clk_add(dev_id, con_id, rate); a NULL field is a
 * wildcard.  clk_get(dev, con_id) picks the entry that matches dev_name(dev) and con_id best
 * (a dev_id match counts 2, a con_id match 1, as clkdev's clk_find) and returns a handle of
 * its own; -ENOENT when nothing matches.  The counts follow the kernel's rules: enable
 * needs prepare (else WARN "Enabling unprepared" and -ESHUTDOWN), unbalanced disable and
 * unprepare WARN and change nothing.
 *
 * Invariants: enable_count <= prepare_count is not required (the kernel does not enforce
 * it either); every handle not yet put is on clks.handles, and a core's handles counts
 * those that name it (clk_put refuses a handle that is not there); a core stays on
 * clks.cores until ukmem_exit, and after that until its last handle is put (the device
 * model's teardown may run after this file's exit hook).
 *
 * Locking: clks.prepare_lock (a mutex: clk_get, clk_put, prepare, rates, the table) and
 * clks.enable_lock (a spinlock: enable counts, so clk_enable works in atomic context).
 * prepare_count is written under prepare_lock and read by clk_enable under enable_lock
 * only, as the kernel's clk_core_enable does, and enable_count is read under prepare_lock
 * (ukmem_clk_enable_count, clk_summary): those accesses are atomic (relaxed).
 */
#include <string.h>
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/clk.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <ukmem.h>
#include "core/core.h"
#include "base/base.h"

struct clk_core {
	struct list_head node;
	char *dev_id;		/* NULL: any device */
	char *con_id;		/* NULL: any connection (the device's default clock) */
	char *name;		/* "dev_id:con_id" for messages */
	unsigned long rate;
	unsigned int prepare_count;
	unsigned int enable_count;
	unsigned int handles;	/* clk_get handles not yet put */
	bool dead;		/* ukmem_exit ran: free it with the last handle */
};

/* A consumer's handle, one per clk_get (as the kernel's struct clk). */
struct clk {
	struct clk_core *core;
	struct list_head node;	/* on clks.handles until clk_put */
};

static struct {
	struct mutex prepare_lock;
	spinlock_t enable_lock;
	struct list_head cores;
	struct list_head handles;	/* every handle not yet put */
} clks = {
	.prepare_lock = __MUTEX_INITIALIZER(clks.prepare_lock),
	.cores = LIST_HEAD_INIT(clks.cores),
	.handles = LIST_HEAD_INIT(clks.handles),
};

/* An error pointer where a handle belongs (a clk_get whose error went unchecked): 6.1
 * dereferences it; here it is reported and the call does nothing. */
static bool clk_err_handle(const struct clk *clk, const char *fn)
{
	return WARN(IS_ERR(clk), "%s: error pointer %pe passed as a clock\n", fn, clk);
}

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The live clock registered with exactly these names (at most one: ukmem_clk_add refuses a
 * second); prepare_lock held. */
static struct clk_core *clk_find_exact(const char *dev_id, const char *con_id)
{
	struct clk_core *c;

	list_for_each_entry(c, &clks.cores, node)
		if (!c->dead && same(c->dev_id, dev_id) && same(c->con_id, con_id))
			return c;
	return NULL;
}

static void core_free(struct clk_core *core)
{
	list_del(&core->node);
	kfree(core->dev_id);
	kfree(core->con_id);
	kfree(core->name);
	kfree(core);
}

/**
 * ukmem_clk_add - register a clock for the lookup table
 * @dev_id: the device name that finds it (NULL: any device)
 * @con_id: the connection name it answers (NULL: the device's default clock)
 * @rate: its rate in Hz
 *
 * Return: 0; -EINVAL when both names are NULL; -EEXIST when that pair is registered;
 * -ENOMEM.
 */
int ukmem_clk_add(const char *dev_id, const char *con_id, unsigned long rate)
{
	struct clk_core *core;
	int err = 0;

	ukmem__ensure_started();
	if (!dev_id && !con_id)
		return -EINVAL;
	core = kzalloc(sizeof(*core), GFP_KERNEL);
	if (!core)
		return -ENOMEM;
	core->dev_id = kstrdup(dev_id, GFP_KERNEL);	/* NULL stays NULL */
	core->con_id = kstrdup(con_id, GFP_KERNEL);
	core->name = kasprintf(GFP_KERNEL, "%s:%s", dev_id ? dev_id : "*", con_id ? con_id : "-");
	core->rate = rate;
	INIT_LIST_HEAD(&core->node);
	if ((dev_id && !core->dev_id) || (con_id && !core->con_id) || !core->name) {
		core_free(core);
		return -ENOMEM;
	}
	mutex_lock(&clks.prepare_lock);
	if (clk_find_exact(dev_id, con_id))
		err = -EEXIST;
	else
		list_add_tail(&core->node, &clks.cores);
	mutex_unlock(&clks.prepare_lock);
	if (err)
		core_free(core);
	return err;
}

/**
 * ukmem_clk_enable_count - how many enables of a registered clock are outstanding
 * @dev_id: the dev_id it was registered with
 * @con_id: the con_id it was registered with
 *
 * Return: the enable count (0 when the drivers left it disabled), or -ENOENT.
 */
int ukmem_clk_enable_count(const char *dev_id, const char *con_id)
{
	struct clk_core *c;
	int ret = -ENOENT;

	ukmem__ensure_started();
	mutex_lock(&clks.prepare_lock);
	c = clk_find_exact(dev_id, con_id);
	if (c)
		ret = (int)__atomic_load_n(&c->enable_count, __ATOMIC_RELAXED);
	mutex_unlock(&clks.prepare_lock);
	return ret;
}

/* clkdev's best match; prepare_lock held. */
static struct clk_core *clk_find(const char *dev_id, const char *con_id)
{
	int best_possible = (dev_id ? 2 : 0) + (con_id ? 1 : 0), best_found = 0;
	struct clk_core *c, *found = NULL;

	list_for_each_entry(c, &clks.cores, node) {
		int match = 0;

		if (c->dead)
			continue;
		if (c->dev_id) {
			if (!dev_id || strcmp(c->dev_id, dev_id))
				continue;
			match += 2;
		}
		if (c->con_id) {
			if (!con_id || strcmp(c->con_id, con_id))
				continue;
			match += 1;
		}
		if (match > best_found) {
			found = c;
			if (match == best_possible)
				break;
			best_found = match;
		}
	}
	return found;
}

/**
 * clk_get_sys - look a clock up by device name and connection name
 * @dev_id: the device name (NULL: none)
 * @con_id: the connection name (NULL: the default clock)
 *
 * Context: may sleep.  Return: a new handle, ERR_PTR(-ENOENT) or ERR_PTR(-ENOMEM).
 */
struct clk *clk_get_sys(const char *dev_id, const char *con_id)
{
	struct clk_core *core;
	struct clk *h;

	ukmem__ensure_started();
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&clks.prepare_lock);
	core = clk_find(dev_id, con_id);
	if (core) {
		core->handles++;
		h->core = core;
		list_add(&h->node, &clks.handles);
	}
	mutex_unlock(&clks.prepare_lock);
	if (!core) {
		kfree(h);
		return ERR_PTR(-ENOENT);
	}
	return h;
}

/**
 * clk_get - look up a device's clock
 * @dev: the consumer (its name is the lookup's dev_id; NULL: none)
 * @id: the connection name (NULL: the device's default clock)
 *
 * Context: may sleep.  Return: a handle for clk_put, ERR_PTR(-ENOENT) when no registered
 * clock matches, ERR_PTR(-ENOMEM).
 */
struct clk *clk_get(struct device *dev, const char *id)
{
	return clk_get_sys(dev ? dev_name(dev) : NULL, id);
}

/* Whether @clk is a handle not yet put; prepare_lock held. */
static bool clk_handle_live_locked(const struct clk *clk)
{
	struct clk *h;

	list_for_each_entry(h, &clks.handles, node)
		if (h == clk)
			return true;
	return false;
}

/**
 * clk_put - release a handle from clk_get
 * @clk: the handle (NULL does nothing; an error pointer WARNs once)
 *
 * The clock's counts are not touched: a driver that leaves it enabled leaves it enabled.
 * A handle put already (or never returned by clk_get) is reported and left alone, where
 * 6.1 would drop the clock's reference a second time through freed memory.
 */
void clk_put(struct clk *clk)
{
	struct clk_core *core;

	if (!clk || WARN_ON_ONCE(IS_ERR(clk)))
		return;
	mutex_lock(&clks.prepare_lock);
	if (!clk_handle_live_locked(clk)) {
		mutex_unlock(&clks.prepare_lock);
		WARN(1, "clk_put: %p is not a clock handle from clk_get (put twice?)\n", clk);
		return;
	}
	list_del(&clk->node);
	core = clk->core;
	if (!--core->handles && core->dead)
		core_free(core);
	mutex_unlock(&clks.prepare_lock);
	kfree(clk);
}

/**
 * clk_prepare - prepare a clock (the part of enabling that may sleep)
 * @clk: the clock (NULL: nothing, 0)
 *
 * Context: may sleep.  Return: 0, or the error of an error pointer passed as @clk (warned).
 */
int clk_prepare(struct clk *clk)
{
	if (!clk)
		return 0;
	if (clk_err_handle(clk, "clk_prepare"))
		return PTR_ERR(clk);
	mutex_lock(&clks.prepare_lock);
	__atomic_store_n(&clk->core->prepare_count, clk->core->prepare_count + 1,
			 __ATOMIC_RELAXED);
	mutex_unlock(&clks.prepare_lock);
	return 0;
}

/**
 * clk_unprepare - undo one clk_prepare
 * @clk: the clock (NULL: nothing)
 *
 * Unpreparing a clock that is not prepared WARNs "<name> already unprepared".
 * Context: may sleep.
 */
void clk_unprepare(struct clk *clk)
{
	struct clk_core *core;

	if (IS_ERR_OR_NULL(clk))
		return;
	core = clk->core;
	mutex_lock(&clks.prepare_lock);
	if (!WARN(core->prepare_count == 0, "%s already unprepared\n", core->name)) {
		__atomic_store_n(&core->prepare_count, core->prepare_count - 1, __ATOMIC_RELAXED);
		/* 6.1's clk_core_unprepare: the last unprepare of a clock still enabled */
		WARN(!core->prepare_count && __atomic_load_n(&core->enable_count, __ATOMIC_RELAXED),
		     "Unpreparing enabled %s\n", core->name);
	}
	mutex_unlock(&clks.prepare_lock);
}

/**
 * clk_enable - ungate a prepared clock
 * @clk: the clock (NULL: nothing, 0)
 *
 * Context: any (a spinlock).  Return: 0, or -ESHUTDOWN with a WARN "Enabling unprepared
 * <name>" when the clock is not prepared, or the error of an error pointer passed as @clk
 * (warned).
 */
int clk_enable(struct clk *clk)
{
	struct clk_core *core;
	unsigned long flags;
	int ret = 0;

	if (!clk)
		return 0;
	if (clk_err_handle(clk, "clk_enable"))
		return PTR_ERR(clk);
	core = clk->core;
	spin_lock_irqsave(&clks.enable_lock, flags);
	if (WARN(__atomic_load_n(&core->prepare_count, __ATOMIC_RELAXED) == 0,
		 "Enabling unprepared %s\n", core->name))
		ret = -ESHUTDOWN;
	else
		__atomic_store_n(&core->enable_count, core->enable_count + 1, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&clks.enable_lock, flags);
	return ret;
}

/**
 * clk_disable - undo one clk_enable
 * @clk: the clock (NULL: nothing)
 *
 * Disabling a clock that is not enabled WARNs "<name> already disabled".  Context: any.
 */
void clk_disable(struct clk *clk)
{
	struct clk_core *core;
	unsigned long flags;

	if (IS_ERR_OR_NULL(clk))
		return;
	core = clk->core;
	spin_lock_irqsave(&clks.enable_lock, flags);
	if (!WARN(core->enable_count == 0, "%s already disabled\n", core->name))
		__atomic_store_n(&core->enable_count, core->enable_count - 1, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&clks.enable_lock, flags);
}

/** clk_is_enabled_when_prepared - false: these clocks gate in clk_enable */
bool clk_is_enabled_when_prepared(struct clk *clk)
{
	(void)clk;
	return false;
}

/** clk_get_rate - the clock's rate in Hz (0 for NULL, or an error pointer: warned) */
unsigned long clk_get_rate(struct clk *clk)
{
	unsigned long rate;

	if (!clk || clk_err_handle(clk, "clk_get_rate"))
		return 0;
	mutex_lock(&clks.prepare_lock);
	rate = clk->core->rate;
	mutex_unlock(&clks.prepare_lock);
	return rate;
}

/**
 * clk_set_rate - set the clock's rate
 * @clk: the clock (NULL: nothing, 0)
 * @rate: the new rate in Hz: taken exactly (an emulated clock has no dividers)
 *
 * Context: may sleep.  Return: 0, or the error of an error pointer passed as @clk (warned).
 */
int clk_set_rate(struct clk *clk, unsigned long rate)
{
	if (!clk)
		return 0;
	if (clk_err_handle(clk, "clk_set_rate"))
		return PTR_ERR(clk);
	mutex_lock(&clks.prepare_lock);
	clk->core->rate = rate;
	mutex_unlock(&clks.prepare_lock);
	return 0;
}

/** clk_round_rate - the rate clk_set_rate(@rate) would give: @rate itself (0 for NULL) */
long clk_round_rate(struct clk *clk, unsigned long rate)
{
	return clk ? (long)rate : 0;
}

/** clk_is_match - whether two handles name the same clock (NULLs match each other) */
bool clk_is_match(const struct clk *p, const struct clk *q)
{
	if (p == q)
		return true;
	return !IS_ERR_OR_NULL(p) && !IS_ERR_OR_NULL(q) && p->core == q->core;
}

/* ---- devres (drivers/clk/clk-devres.c) ---- */

struct devm_clk_state {
	struct clk *clk;
	void (*exit)(struct clk *clk);
};

static void devm_clk_release(struct device *dev, void *res)
{
	struct devm_clk_state *state = res;

	(void)dev;
	if (state->exit)
		state->exit(state->clk);
	clk_put(state->clk);
}

static struct clk *__devm_clk_get(struct device *dev, const char *id,
				  struct clk *(*get)(struct device *dev, const char *id),
				  int (*init)(struct clk *clk), void (*exit)(struct clk *clk))
{
	struct devm_clk_state *state;
	struct clk *c;
	int ret;

	if (ukmem__devres_dev_bad(dev))
		return ERR_PTR(-EINVAL);
	state = devres_alloc(devm_clk_release, sizeof(*state), GFP_KERNEL);
	if (!state)
		return ERR_PTR(-ENOMEM);
	c = get(dev, id);
	if (IS_ERR(c)) {
		ret = PTR_ERR(c);
		goto err_free;
	}
	state->clk = c;
	if (init) {
		ret = init(c);
		if (ret)
			goto err_put;
	}
	state->exit = exit;
	devres_add(dev, state);
	return c;

err_put:
	clk_put(c);
err_free:
	devres_free(state);
	return ERR_PTR(ret);
}

/** devm_clk_get - clk_get, put when @dev's driver unbinds */
struct clk *devm_clk_get(struct device *dev, const char *id)
{
	return __devm_clk_get(dev, id, clk_get, NULL, NULL);
}

/** devm_clk_get_prepared - devm_clk_get, prepared now and unprepared at unbind */
struct clk *devm_clk_get_prepared(struct device *dev, const char *id)
{
	return __devm_clk_get(dev, id, clk_get, clk_prepare, clk_unprepare);
}

static void clk_disable_unprepare_fn(struct clk *c)
{
	clk_disable_unprepare(c);
}

static int clk_prepare_enable_fn(struct clk *c)
{
	return clk_prepare_enable(c);
}

/** devm_clk_get_enabled - devm_clk_get, prepared and enabled now, disabled at unbind */
struct clk *devm_clk_get_enabled(struct device *dev, const char *id)
{
	return __devm_clk_get(dev, id, clk_get, clk_prepare_enable_fn, clk_disable_unprepare_fn);
}

/** devm_clk_get_optional - devm_clk_get that gives NULL when the clock is absent */
struct clk *devm_clk_get_optional(struct device *dev, const char *id)
{
	return __devm_clk_get(dev, id, clk_get_optional, NULL, NULL);
}

/** devm_clk_get_optional_prepared - devm_clk_get_prepared, NULL when absent */
struct clk *devm_clk_get_optional_prepared(struct device *dev, const char *id)
{
	return __devm_clk_get(dev, id, clk_get_optional, clk_prepare, clk_unprepare);
}

/** devm_clk_get_optional_enabled - devm_clk_get_enabled, NULL when absent */
struct clk *devm_clk_get_optional_enabled(struct device *dev, const char *id)
{
	return __devm_clk_get(dev, id, clk_get_optional, clk_prepare_enable_fn,
			      clk_disable_unprepare_fn);
}

static int devm_clk_match(struct device *dev, void *res, void *data)
{
	struct devm_clk_state *state = res;

	(void)dev;
	if (WARN_ON(!state || !state->clk))
		return 0;
	return state->clk == data;
}

/** devm_clk_put - release a devm_clk_get* clock now (WARNs if @clk is not @dev's) */
void devm_clk_put(struct device *dev, struct clk *c)
{
	int ret = devres_release(dev, devm_clk_release, devm_clk_match, c);

	WARN_ON(ret);
}

/* ---- report and shut-down ---- */

static int clk_summary_show(FILE *out, const char *arg)
{
	struct clk_core *c;

	(void)arg;
	fprintf(out, "%-32s %12s %12s %12s\n", "clock", "enable_cnt", "prepare_cnt", "rate");
	mutex_lock(&clks.prepare_lock);
	list_for_each_entry(c, &clks.cores, node) {
		if (!c->dead)
			fprintf(out, "%-32s %12u %12u %12lu\n", c->name,
				__atomic_load_n(&c->enable_count, __ATOMIC_RELAXED),
				c->prepare_count, c->rate);
	}
	mutex_unlock(&clks.prepare_lock);
	return 0;
}

static void clk_exit(void)
{
	struct clk_core *c, *tmp;

	mutex_lock(&clks.prepare_lock);
	list_for_each_entry_safe(c, tmp, &clks.cores, node) {
		c->dead = true;
		if (!c->handles)
			core_free(c);
	}
	mutex_unlock(&clks.prepare_lock);
}

/* What printk's %pC prints: the name clk_summary lists the clock under. */
static const char *clk_name(const struct clk *clk)
{
	return clk->core->name;
}

static int clk_init(void)
{
	spin_lock_init(&clks.enable_lock);
	ukmem__printk_clk_name_register(clk_name);
	ukmem__show_register("clk_summary", clk_summary_show);
	ukmem__on_exit(clk_exit);
	return 0;
}
UKMEM_INITCALL(UKMEM_INIT_SUBSYS, clk_init);

/* SPDX-License-Identifier: MIT */
/*
 * <linux/clk.h>: the clock consumer API.  Clocks come from a clkdev-style lookup table that
 * the program fills with ukmem_clk_add(dev_id, con_id, rate) (there is no clock tree or
 * device tree): clk_get(dev, con_id) finds the entry matching dev_name(dev) and con_id best,
 * as clkdev does.  Each clk_get returns a handle of its own (release it with clk_put); the
 * prepare and enable counts belong to the clock, and ukmem_clk_enable_count() shows them.
 * A NULL clk (an optional clock that is absent) is valid everywhere and does nothing.
 * Rates are whatever the program registered or a driver set: no parents, no rounding.
 *
 * Not provided (a call fails to compile): the clk_bulk_* family, parents, phase, duty cycle,
 * rate-change notifiers and exclusive rate control.
 */
#ifndef _UKMEM_LINUX_CLK_H
#define _UKMEM_LINUX_CLK_H
#include <linux/types.h>
#include <linux/err.h>
#include <linux/ukmem_unsupported.h>

struct device;
struct clk;

struct clk *clk_get(struct device *dev, const char *id);
struct clk *clk_get_sys(const char *dev_id, const char *con_id);
void clk_put(struct clk *clk);
struct clk *devm_clk_get(struct device *dev, const char *id);
struct clk *devm_clk_get_prepared(struct device *dev, const char *id);
struct clk *devm_clk_get_enabled(struct device *dev, const char *id);
struct clk *devm_clk_get_optional(struct device *dev, const char *id);
struct clk *devm_clk_get_optional_prepared(struct device *dev, const char *id);
struct clk *devm_clk_get_optional_enabled(struct device *dev, const char *id);
void devm_clk_put(struct device *dev, struct clk *clk);

/* clk_get that returns NULL (not an error) when the clock is not there. */
static inline struct clk *clk_get_optional(struct device *dev, const char *id)
{
	struct clk *clk = clk_get(dev, id);

	if (clk == ERR_PTR(-ENOENT))
		return NULL;
	return clk;
}

int clk_prepare(struct clk *clk);		/* may sleep */
void clk_unprepare(struct clk *clk);		/* may sleep */
int clk_enable(struct clk *clk);		/* atomic: prepared clocks only */
void clk_disable(struct clk *clk);
bool clk_is_enabled_when_prepared(struct clk *clk);
unsigned long clk_get_rate(struct clk *clk);
int clk_set_rate(struct clk *clk, unsigned long rate);
long clk_round_rate(struct clk *clk, unsigned long rate);
bool clk_is_match(const struct clk *p, const struct clk *q);

static inline int clk_prepare_enable(struct clk *clk)
{
	int ret = clk_prepare(clk);

	if (ret)
		return ret;
	ret = clk_enable(clk);
	if (ret)
		clk_unprepare(clk);
	return ret;
}

static inline void clk_disable_unprepare(struct clk *clk)
{
	clk_disable(clk);
	clk_unprepare(clk);
}

struct clk_bulk_data {
	const char *id;
	struct clk *clk;
};
#define clk_bulk_get(...)		UKMEM_UNSUPPORTED("clk_bulk_get")
#define clk_bulk_put(...)		UKMEM_UNSUPPORTED("clk_bulk_put")
#define devm_clk_bulk_get(...)		UKMEM_UNSUPPORTED("devm_clk_bulk_get")
#define devm_clk_bulk_get_all(...)	UKMEM_UNSUPPORTED("devm_clk_bulk_get_all")
#define devm_clk_bulk_get_optional(...)	UKMEM_UNSUPPORTED("devm_clk_bulk_get_optional")
#define clk_bulk_prepare_enable(...)	UKMEM_UNSUPPORTED("clk_bulk_prepare_enable")
#define clk_bulk_disable_unprepare(...)	UKMEM_UNSUPPORTED("clk_bulk_disable_unprepare")
#define clk_get_parent(...)		UKMEM_UNSUPPORTED("clk_get_parent")
#define clk_set_parent(...)		UKMEM_UNSUPPORTED("clk_set_parent")
#define clk_notifier_register(...)	UKMEM_UNSUPPORTED("clk_notifier_register")
#define clk_set_rate_exclusive(...)	UKMEM_UNSUPPORTED("clk_set_rate_exclusive")
#define clk_set_phase(...)		UKMEM_UNSUPPORTED("clk_set_phase")
#define of_clk_get(...)			UKMEM_UNSUPPORTED("of_clk_get")
#endif

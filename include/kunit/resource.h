/* SPDX-License-Identifier: MIT */
/*
 * <kunit/resource.h>: test-managed resources, as Linux 6.1's, plus kunit_add_action (which
 * 6.1 lacks; it arrived in 6.5 and is provided here with 6.5's signatures).
 *
 * A resource lives on its test's list from when it is added until the test ends (released
 * last-added first) or until it is removed.  It is reference counted: kunit_find_resource
 * takes a reference that kunit_put_resource drops; the free function runs at the last put.
 * Resources belong to the test's thread; the list is locked so that helpers on other threads
 * may add to it.
 */
#ifndef _UKMEM_KUNIT_RESOURCE_H
#define _UKMEM_KUNIT_RESOURCE_H
#include <linux/types.h>
#include <linux/list.h>
#include <linux/kref.h>
#include <linux/gfp.h>
#include <linux/string.h>

struct kunit;
struct kunit_resource;

typedef int (*kunit_resource_init_t)(struct kunit_resource *, void *);
typedef void (*kunit_resource_free_t)(struct kunit_resource *);

struct kunit_resource {
	void *data;
	const char *name;
	kunit_resource_free_t free;
	/* private: */
	struct kref refcount;
	struct list_head node;
	bool should_kfree;
};

typedef bool (*kunit_resource_match_t)(struct kunit *test, struct kunit_resource *res,
				       void *match_data);

void kunit_get_resource(struct kunit_resource *res);
void kunit_put_resource(struct kunit_resource *res);

int __kunit_add_resource(struct kunit *test, kunit_resource_init_t init,
			 kunit_resource_free_t free, struct kunit_resource *res, void *data);

/* Add @res (caller's memory) with @init(res, data) run first; 0 or init's error. */
static inline int kunit_add_resource(struct kunit *test, kunit_resource_init_t init,
				     kunit_resource_free_t free, struct kunit_resource *res,
				     void *data)
{
	res->should_kfree = false;
	return __kunit_add_resource(test, init, free, res, data);
}

struct kunit_resource *kunit_find_named_resource(struct kunit *test, const char *name);

/* As kunit_add_resource, under a name no other resource of the test has (-EEXIST). */
int kunit_add_named_resource(struct kunit *test, kunit_resource_init_t init,
			     kunit_resource_free_t free, struct kunit_resource *res,
			     const char *name, void *data);

/* Allocate a resource, run @init, add it and return it with a reference held. */
struct kunit_resource *kunit_alloc_and_get_resource(struct kunit *test,
						    kunit_resource_init_t init,
						    kunit_resource_free_t free,
						    gfp_t internal_gfp, void *context);

/* As kunit_alloc_and_get_resource, returning the resource's data (no reference kept). */
void *kunit_alloc_resource(struct kunit *test, kunit_resource_init_t init,
			   kunit_resource_free_t free, gfp_t internal_gfp, void *context);

static inline bool kunit_resource_name_match(struct kunit *test __maybe_unused,
					     struct kunit_resource *res,
					     void *match_name)
{
	return res->name && strcmp(res->name, match_name) == 0;
}

static inline bool kunit_resource_instance_match(struct kunit *test __maybe_unused,
						 struct kunit_resource *res, void *match_data)
{
	return res->data == match_data;
}

/* The most recently added resource that @match accepts, with a reference held; or NULL. */
struct kunit_resource *kunit_find_resource(struct kunit *test, kunit_resource_match_t match,
					   void *match_data);

/* Take @res off its test's list and drop the list's reference. */
void kunit_remove_resource(struct kunit *test, struct kunit_resource *res);

/* Find, remove and release the resource @match accepts: 0 or -ENOENT. */
int kunit_destroy_resource(struct kunit *test, kunit_resource_match_t match, void *match_data);

static inline int kunit_destroy_named_resource(struct kunit *test, const char *name)
{
	return kunit_destroy_resource(test, kunit_resource_name_match, (void *)name);
}

/* ---- deferred actions (Linux 6.5's API) ---- */
typedef void (kunit_action_t)(void *);

/* Run action(ctx) when the test ends (last added first).  0, or -ENOMEM. */
int kunit_add_action(struct kunit *test, kunit_action_t *action, void *ctx);
/* As kunit_add_action, but runs action(ctx) at once when it cannot be added. */
int kunit_add_action_or_reset(struct kunit *test, kunit_action_t *action, void *ctx);
/* Forget the most recent matching action without running it. */
void kunit_remove_action(struct kunit *test, kunit_action_t *action, void *ctx);
/* Run the most recent matching action now and forget it. */
void kunit_release_action(struct kunit *test, kunit_action_t *action, void *ctx);
#endif

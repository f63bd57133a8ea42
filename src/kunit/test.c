/* SPDX-License-Identifier: MIT */
/*
 * KUnit's test API: failure reports, logging, test-managed resources and memory, actions.
 *
 * Invariants: a resource is on exactly one test's list from __kunit_add_resource until it
 * is removed; the list holds one reference, kunit_find_resource's callers one each; the
 * free function runs once, at the last put.  kunit_cleanup releases the list last-added
 * first.  Output lines go to stdout whole (one flush per line), in the kernel's format.
 *
 * Locking: test->lock guards the resource list (helpers on other threads may add); free
 * functions run with no lock held.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kunit/test.h>
#include <linux/slab.h>
#include "kunit/kunit.h"

__thread struct kunit *ukmem__kunit_current;
struct ukmem__kunit ukmem__kunit;

/* ---- output ---- */
void ukmem__kunit_vline(const char *fmt, va_list ap)
{
	char buf[2048];
	size_t n;

	vscnprintf(buf, sizeof(buf), fmt, ap);
	n = strlen(buf);
	/* One line per call, as printk adds the newline a message lacks. */
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (ukmem__kunit.capture) {
		fprintf(ukmem__kunit.capture, "%s\n", buf);
		return;
	}
	fprintf(stdout, "%s\n", buf);
	fflush(stdout);
}

void ukmem__kunit_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ukmem__kunit_vline(fmt, ap);
	va_end(ap);
}

static const char *skip_level(const char *s)
{
	/* A KERN_<LEVEL> prefix is "\001" and a digit or letter. */
	while (s && s[0] == '\001' && s[1])
		s += 2;
	return s;
}

/**
 * __kunit_log() - print one line of a test's or suite's log (kunit_log).
 * @level: KERN_* prefix (not printed)
 * @fmt: printf format
 */
void __kunit_log(const char *level, const char *fmt, ...)
{
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	ukmem__kunit_vline(skip_level(fmt), ap);
	va_end(ap);
}

/**
 * __kunit_printk() - print "    # <test name>: <message>" (kunit_info/kunit_warn/kunit_err).
 * @level: KERN_* prefix (not printed)
 * @name: the test's name
 * @fmt: printf format
 */
void __kunit_printk(const char *level, const char *name, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	vscnprintf(msg, sizeof(msg), skip_level(fmt), ap);
	va_end(ap);
	ukmem__kunit_line(KUNIT_SUBTEST_INDENT "# %s: %s", name, msg);
}

/**
 * kunit_log_append() - append to a debugfs log buffer; there is no debugfs, so the line is
 * printed instead (the output a reader of the log would see).
 * @log: the buffer (unused)
 * @fmt: printf format
 */
void kunit_log_append(char *log, const char *fmt, ...)
{
	va_list ap;

	(void)log;
	va_start(ap, fmt);
	ukmem__kunit_vline(fmt, ap);
	va_end(ap);
}

/* ---- failure reports ---- */
struct report {
	char buf[4096];
	size_t len;
};

static void __printf(2, 3) add(struct report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->len >= sizeof(r->buf) - 1)
		return;
	va_start(ap, fmt);
	r->len += vscnprintf(r->buf + r->len, sizeof(r->buf) - r->len, fmt, ap);
	va_end(ap);
}

static void prologue(struct report *r, const struct kunit_loc *loc, enum kunit_assert_type type)
{
	r->len = 0;
	add(r, "%s FAILED at %s:%d\n", type == KUNIT_ASSERTION ? "ASSERTION" : "EXPECTATION",
	    loc->file, loc->line);
}

static void add_msg(struct report *r, const char *fmt, va_list ap)
{
	if (!fmt || r->len >= sizeof(r->buf) - 1)
		return;
	add(r, "\n");
	r->len += vscnprintf(r->buf + r->len, sizeof(r->buf) - r->len, fmt, ap);
}

/* Mark the test failed and print the report as kunit_err does (the first line prefixed). */
static void finish(struct kunit *test, struct report *r)
{
	kunit_set_failure(test);
	while (r->len && r->buf[r->len - 1] == '\n')
		r->buf[--r->len] = '\0';
	__kunit_printk(KERN_ERR, test->name, "%s", r->buf);
}

/* The head of a failed comparison: where, and "Expected LEFT OP RIGHT, but". */
static void comparison(struct report *r, const struct kunit_loc *loc,
		       enum kunit_assert_type type, const char *op, const char *left_text,
		       const char *right_text)
{
	prologue(r, loc, type);
	add(r, KUNIT_SUBTEST_INDENT "Expected %s %s %s, but\n", left_text, op, right_text);
}

/* In a variadic __kunit_fail_*: append the optional message, then finish. */
#define finish_with_msg(test, r, fmt)		\
	do {					\
		va_list __ap;			\
						\
		va_start(__ap, fmt);		\
		add_msg(r, fmt, __ap);		\
		va_end(__ap);			\
		finish(test, r);		\
	} while (0)

/* 6.1 leaves out "<text> == <value>" when the text is that literal value. */
static bool is_int_literal(const char *text, long long value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", value);
	return !strcmp(text, buf);
}

static bool is_str_literal(const char *text, const char *value)
{
	size_t len = strlen(text);

	return len >= 2 && text[0] == '"' && text[len - 1] == '"' &&
	       len - 2 == strlen(value) && !strncmp(text + 1, value, len - 2);
}

/**
 * __kunit_fail_msg() - a KUNIT_FAIL/KUNIT_ASSERT_FAILURE: the location and the message.
 * @test: the test
 * @loc: where
 * @type: expectation or assertion
 * @fmt: message format
 */
void __kunit_fail_msg(struct kunit *test, const struct kunit_loc *loc,
		      enum kunit_assert_type type, const char *fmt, ...)
{
	struct report r;
	va_list ap;

	prologue(&r, loc, type);
	va_start(ap, fmt);
	if (fmt)
		r.len += vscnprintf(r.buf + r.len, sizeof(r.buf) - r.len, fmt, ap);
	va_end(ap);
	finish(test, &r);
}

/**
 * __kunit_fail_bool() - a failed KUNIT_*_TRUE or KUNIT_*_FALSE.
 * @test: the test
 * @loc: where
 * @type: expectation or assertion
 * @text: the condition's source text
 * @expected_true: which it should have been
 * @fmt: optional message format (NULL: none)
 */
void __kunit_fail_bool(struct kunit *test, const struct kunit_loc *loc,
		       enum kunit_assert_type type, const char *text, bool expected_true,
		       const char *fmt, ...)
{
	struct report r;

	prologue(&r, loc, type);
	if (expected_true)
		add(&r, KUNIT_SUBTEST_INDENT "Expected %s to be true, but is false\n", text);
	else
		add(&r, KUNIT_SUBTEST_INDENT "Expected %s to be false, but is true\n", text);
	finish_with_msg(test, &r, fmt);
}

/**
 * __kunit_fail_int() - a failed integer comparison (KUNIT_*_EQ/NE/LT/LE/GT/GE).
 * @test: the test
 * @loc: where
 * @type: expectation or assertion
 * @op: the operator's text
 * @left_text: left side's source text
 * @left: its value
 * @right_text: right side's source text
 * @right: its value
 * @fmt: optional message format (NULL: none)
 */
void __kunit_fail_int(struct kunit *test, const struct kunit_loc *loc,
		      enum kunit_assert_type type, const char *op, const char *left_text,
		      long long left, const char *right_text, long long right,
		      const char *fmt, ...)
{
	struct report r;

	comparison(&r, loc, type, op, left_text, right_text);
	if (!is_int_literal(left_text, left))
		add(&r, KUNIT_SUBSUBTEST_INDENT "%s == %lld\n", left_text, left);
	if (!is_int_literal(right_text, right))
		add(&r, KUNIT_SUBSUBTEST_INDENT "%s == %lld", right_text, right);
	finish_with_msg(test, &r, fmt);
}

/**
 * __kunit_fail_ptr() - a failed pointer comparison (KUNIT_*_PTR_EQ/NE, _NULL, _NOT_NULL).
 * @test: the test
 * @loc: where
 * @type: expectation or assertion
 * @op: the operator's text
 * @left_text: left side's source text
 * @left: its value
 * @right_text: right side's source text
 * @right: its value
 * @fmt: optional message format (NULL: none)
 */
void __kunit_fail_ptr(struct kunit *test, const struct kunit_loc *loc,
		      enum kunit_assert_type type, const char *op, const char *left_text,
		      const void *left, const char *right_text, const void *right,
		      const char *fmt, ...)
{
	struct report r;

	comparison(&r, loc, type, op, left_text, right_text);
	add(&r, KUNIT_SUBSUBTEST_INDENT "%s == %016lx\n", left_text, (unsigned long)left);
	add(&r, KUNIT_SUBSUBTEST_INDENT "%s == %016lx", right_text, (unsigned long)right);
	finish_with_msg(test, &r, fmt);
}

/**
 * __kunit_fail_str() - a failed string comparison (KUNIT_*_STREQ/STRNEQ).
 * @test: the test
 * @loc: where
 * @type: expectation or assertion
 * @op: the operator's text
 * @left_text: left side's source text
 * @left: its value
 * @right_text: right side's source text
 * @right: its value
 * @fmt: optional message format (NULL: none)
 */
void __kunit_fail_str(struct kunit *test, const struct kunit_loc *loc,
		      enum kunit_assert_type type, const char *op, const char *left_text,
		      const char *left, const char *right_text, const char *right,
		      const char *fmt, ...)
{
	struct report r;

	comparison(&r, loc, type, op, left_text, right_text);
	if (!is_str_literal(left_text, left))
		add(&r, KUNIT_SUBSUBTEST_INDENT "%s == \"%s\"\n", left_text, left);
	if (!is_str_literal(right_text, right))
		add(&r, KUNIT_SUBSUBTEST_INDENT "%s == \"%s\"", right_text, right);
	finish_with_msg(test, &r, fmt);
}

static void add_hex(struct report *r, const char *text, const void *p, const void *other,
		    size_t size)
{
	const unsigned char *a = p, *b = other;

	add(r, KUNIT_SUBSUBTEST_INDENT "%s ==\n" KUNIT_SUBSUBTEST_INDENT, text);
	for (size_t i = 0; i < size && i < 256; i++)
		add(r, (b && a[i] != b[i]) ? "<%02x>" : " %02x ", a[i]);
	add(r, "\n");
}

/**
 * __kunit_fail_mem() - a failed memory comparison (KUNIT_*_MEMEQ/MEMNEQ): both dumps,
 * differing bytes in <angle brackets>.
 * @test: the test
 * @loc: where
 * @type: expectation or assertion
 * @op: the operator's text
 * @left_text: left side's source text
 * @left: its address
 * @right_text: right side's source text
 * @right: its address
 * @size: bytes compared
 * @fmt: optional message format (NULL: none)
 */
void __kunit_fail_mem(struct kunit *test, const struct kunit_loc *loc,
		      enum kunit_assert_type type, const char *op, const char *left_text,
		      const void *left, const char *right_text, const void *right, size_t size,
		      const char *fmt, ...)
{
	struct report r;

	comparison(&r, loc, type, op, left_text, right_text);
	if (!left || !right) {
		add(&r, KUNIT_SUBSUBTEST_INDENT "%s is %s\n", left ? right_text : left_text, "NULL");
	} else {
		add_hex(&r, left_text, left, right, size);
		add_hex(&r, right_text, right, left, size);
	}
	finish_with_msg(test, &r, fmt);
}

/**
 * __kunit_fail_err_or_null() - a failed KUNIT_*_NOT_ERR_OR_NULL.
 * @test: the test
 * @loc: where
 * @type: expectation or assertion
 * @text: the pointer's source text
 * @ptr: its value
 * @fmt: optional message format (NULL: none)
 */
void __kunit_fail_err_or_null(struct kunit *test, const struct kunit_loc *loc,
			      enum kunit_assert_type type, const char *text, const void *ptr,
			      const char *fmt, ...)
{
	struct report r;

	prologue(&r, loc, type);
	if (!ptr)
		add(&r, KUNIT_SUBTEST_INDENT "Expected %s is not null, but is\n", text);
	else
		add(&r, KUNIT_SUBTEST_INDENT "Expected %s is not error, but is: %ld\n", text,
		    PTR_ERR(ptr));
	finish_with_msg(test, &r, fmt);
}

/**
 * kunit_try_catch_throw() - leave the running test case (a failed assertion, kunit_skip).
 * @try_catch: the test's
 */
void kunit_try_catch_throw(struct kunit_try_catch *try_catch)
{
	if (!try_catch->env) {
		/* Outside the runner's case frame there is nowhere to land: say so and stop. */
		fprintf(stderr, "kunit: an assertion failed outside a running test case\n");
		abort();
	}
	try_catch->try_result = -EINTR;
	siglongjmp(*try_catch->env, 1);
}

/**
 * kunit_get_current_test() - the test case running on this thread.
 *
 * Return: the test, or NULL outside a test case.
 */
struct kunit *kunit_get_current_test(void)
{
	return ukmem__kunit_current;
}

/**
 * __kunit_fail_current_test() - fail the running test (kunit_fail_current_test).
 * @file: source file
 * @line: source line
 * @fmt: message format
 */
void __kunit_fail_current_test(const char *file, int line, const char *fmt, ...)
{
	struct kunit *test = ukmem__kunit_current;
	char msg[1024];
	va_list ap;

	if (!test)
		return;
	va_start(ap, fmt);
	vscnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kunit_set_failure(test);
	__kunit_printk(KERN_ERR, test->name, "%s:%d: %s", file, line, msg);
}

/* ---- resources ---- */
static void release_resource(struct kref *kref)
{
	struct kunit_resource *res = container_of(kref, struct kunit_resource, refcount);

	if (res->free)
		res->free(res);
	if (res->should_kfree)
		kfree(res);
}

/**
 * kunit_get_resource() - take a reference on a resource.
 * @res: the resource
 */
void kunit_get_resource(struct kunit_resource *res)
{
	kref_get(&res->refcount);
}

/**
 * kunit_put_resource() - drop a reference; the last one frees the resource.
 * @res: the resource
 */
void kunit_put_resource(struct kunit_resource *res)
{
	kref_put(&res->refcount, release_resource);
}

/**
 * __kunit_add_resource() - run @init and put @res on @test's list.
 * @test: the test
 * @init: run first with @data; an error keeps the resource off the list
 * @free: run at the last reference
 * @res: the resource (the caller's memory, or kunit's when should_kfree)
 * @data: for @init; becomes res->data when there is no @init
 *
 * Return: 0 or @init's error.
 */
int __kunit_add_resource(struct kunit *test, kunit_resource_init_t init,
			 kunit_resource_free_t free, struct kunit_resource *res, void *data)
{
	int ret = 0;

	res->free = free;
	kref_init(&res->refcount);
	if (init) {
		ret = init(res, data);
		if (ret)
			return ret;
	} else {
		res->data = data;
	}
	spin_lock(&test->lock);
	list_add_tail(&res->node, &test->resources);
	spin_unlock(&test->lock);
	return 0;
}

/**
 * kunit_add_named_resource() - add a resource under a name unique in the test.
 * @test: the test
 * @init: as for kunit_add_resource
 * @free: as for kunit_add_resource
 * @res: the resource
 * @name: its name
 * @data: as for kunit_add_resource
 *
 * Return: 0, -EINVAL (no name), -EEXIST, or @init's error.
 */
int kunit_add_named_resource(struct kunit *test, kunit_resource_init_t init,
			     kunit_resource_free_t free, struct kunit_resource *res,
			     const char *name, void *data)
{
	struct kunit_resource *existing;

	if (!name)
		return -EINVAL;
	existing = kunit_find_named_resource(test, name);
	if (existing) {
		kunit_put_resource(existing);
		return -EEXIST;
	}
	res->name = name;
	res->should_kfree = false;
	return __kunit_add_resource(test, init, free, res, data);
}

/**
 * kunit_alloc_and_get_resource() - allocate, initialize and add a resource.
 * @test: the test
 * @init: run with @context
 * @free: run at the last reference
 * @internal_gfp: for the resource's own memory
 * @context: for @init
 *
 * Return: the resource with a reference for the caller, or NULL.
 */
struct kunit_resource *kunit_alloc_and_get_resource(struct kunit *test,
						    kunit_resource_init_t init,
						    kunit_resource_free_t free,
						    gfp_t internal_gfp, void *context)
{
	struct kunit_resource *res = kzalloc(sizeof(*res), internal_gfp);

	if (!res)
		return NULL;
	res->should_kfree = true;
	if (__kunit_add_resource(test, init, free, res, context)) {
		kfree(res);
		return NULL;
	}
	kunit_get_resource(res);
	return res;
}

/**
 * kunit_alloc_resource() - allocate, initialize and add a resource.
 * @test: the test
 * @init: run with @context
 * @free: run when the test ends
 * @internal_gfp: for the resource's own memory
 * @context: for @init
 *
 * Return: the resource's data, or NULL.
 */
void *kunit_alloc_resource(struct kunit *test, kunit_resource_init_t init,
			   kunit_resource_free_t free, gfp_t internal_gfp, void *context)
{
	struct kunit_resource *res = kzalloc(sizeof(*res), internal_gfp);

	if (!res)
		return NULL;
	res->should_kfree = true;
	if (__kunit_add_resource(test, init, free, res, context)) {
		kfree(res);
		return NULL;
	}
	return res->data;
}

/**
 * kunit_find_resource() - the most recently added resource @match accepts.
 * @test: the test
 * @match: the predicate
 * @match_data: for @match
 *
 * Return: the resource with a reference held (kunit_put_resource), or NULL.
 */
struct kunit_resource *kunit_find_resource(struct kunit *test, kunit_resource_match_t match,
					   void *match_data)
{
	struct kunit_resource *res, *found = NULL;

	spin_lock(&test->lock);
	list_for_each_entry_reverse(res, &test->resources, node) {
		if (match(test, res, match_data)) {
			found = res;
			kunit_get_resource(found);
			break;
		}
	}
	spin_unlock(&test->lock);
	return found;
}

/**
 * kunit_find_named_resource() - the resource named @name.
 * @test: the test
 * @name: its name
 *
 * Return: the resource with a reference held, or NULL.
 */
struct kunit_resource *kunit_find_named_resource(struct kunit *test, const char *name)
{
	return kunit_find_resource(test, kunit_resource_name_match, (void *)name);
}

/**
 * kunit_remove_resource() - take @res off the test's list, dropping the list's reference.
 * @test: the test
 * @res: the resource
 */
void kunit_remove_resource(struct kunit *test, struct kunit_resource *res)
{
	bool was_listed;

	spin_lock(&test->lock);
	was_listed = !list_empty(&res->node);
	list_del_init(&res->node);
	spin_unlock(&test->lock);
	if (was_listed)
		kunit_put_resource(res);
}

/**
 * kunit_destroy_resource() - find, remove and release a resource.
 * @test: the test
 * @match: the predicate
 * @match_data: for @match
 *
 * Return: 0, or -ENOENT when none matches.
 */
int kunit_destroy_resource(struct kunit *test, kunit_resource_match_t match, void *match_data)
{
	struct kunit_resource *res = kunit_find_resource(test, match, match_data);

	if (!res)
		return -ENOENT;
	kunit_remove_resource(test, res);
	kunit_put_resource(res);
	return 0;
}

/**
 * kunit_cleanup() - release every resource of the test, last added first.
 * @test: the test
 */
void kunit_cleanup(struct kunit *test)
{
	struct kunit_resource *res;

	for (;;) {
		spin_lock(&test->lock);
		if (list_empty(&test->resources)) {
			spin_unlock(&test->lock);
			break;
		}
		res = list_last_entry(&test->resources, struct kunit_resource, node);
		list_del_init(&res->node);
		spin_unlock(&test->lock);
		kunit_put_resource(res);
	}
}

/* ---- managed memory ---- */
struct kmalloc_ctx {
	size_t n, size;
	gfp_t gfp;
};

static int kmalloc_init(struct kunit_resource *res, void *context)
{
	struct kmalloc_ctx *ctx = context;

	res->data = kmalloc_array(ctx->n, ctx->size, ctx->gfp);
	return res->data ? 0 : -ENOMEM;
}

static void kmalloc_free(struct kunit_resource *res)
{
	kfree(res->data);
}

/**
 * kunit_kmalloc_array() - kmalloc_array freed when the test ends.
 * @test: the test
 * @n: elements
 * @size: bytes each
 * @gfp: allocation flags
 *
 * Return: the memory, or NULL (overflow or no memory).
 */
void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size, gfp_t gfp)
{
	struct kmalloc_ctx ctx = { n, size, gfp };

	return kunit_alloc_resource(test, kmalloc_init, kmalloc_free, gfp, &ctx);
}

/* Only memory from kunit_kmalloc* matches, not another resource with the same data. */
static bool kfree_match(struct kunit *test, struct kunit_resource *res, void *ptr)
{
	(void)test;
	return res->free == kmalloc_free && res->data == ptr;
}

/**
 * kunit_kfree() - free kunit_kmalloc'ed memory before the test ends.
 * @test: the test
 * @ptr: the memory; NULL does nothing; memory the test did not get so (or freed already)
 *	fails the test with 6.1's expectation failure
 */
void kunit_kfree(struct kunit *test, const void *ptr)
{
	static const struct kunit_loc loc = { .file = "src/kunit/test.c", .line = __LINE__ };

	if (!ptr)
		return;
	if (kunit_destroy_resource(test, kfree_match, (void *)ptr))
		__kunit_fail_msg(test, &loc, KUNIT_EXPECTATION,
				 "kunit_kfree: %px already freed or not allocated by kunit", ptr);
}

/* ---- actions ---- */
struct action_ctx {
	struct kunit_resource res;
	kunit_action_t *fn;
	void *ctx;
};

static void action_free(struct kunit_resource *res)
{
	struct action_ctx *a = container_of(res, struct action_ctx, res);

	a->fn(a->ctx);
}

/**
 * kunit_add_action() - run @action(@ctx) when the test ends (last added first).
 * @test: the test
 * @action: the function
 * @ctx: its argument
 *
 * Return: 0, or -ENOMEM.
 */
int kunit_add_action(struct kunit *test, kunit_action_t *action, void *ctx)
{
	struct action_ctx *a = kzalloc(sizeof(*a), GFP_KERNEL);

	if (!a)
		return -ENOMEM;
	a->fn = action;
	a->ctx = ctx;
	a->res.should_kfree = true;
	return __kunit_add_resource(test, NULL, action_free, &a->res, a);
}

/**
 * kunit_add_action_or_reset() - kunit_add_action, running @action at once on failure.
 * @test: the test
 * @action: the function
 * @ctx: its argument
 *
 * Return: 0, or -ENOMEM (after @action ran).
 */
int kunit_add_action_or_reset(struct kunit *test, kunit_action_t *action, void *ctx)
{
	int ret = kunit_add_action(test, action, ctx);

	if (ret)
		action(ctx);
	return ret;
}

static bool action_match(struct kunit *test, struct kunit_resource *res, void *match)
{
	const struct action_ctx *want = match;
	struct action_ctx *a;

	if (res->free != action_free)
		return false;
	a = container_of(res, struct action_ctx, res);
	return a->fn == want->fn && a->ctx == want->ctx;
}

/**
 * kunit_remove_action() - forget the most recent matching action without running it.
 * @test: the test
 * @action: the function
 * @ctx: its argument
 */
void kunit_remove_action(struct kunit *test, kunit_action_t *action, void *ctx)
{
	struct action_ctx want = { .fn = action, .ctx = ctx };
	struct kunit_resource *res = kunit_find_resource(test, action_match, &want);

	if (!res)
		return;
	res->free = NULL;
	kunit_remove_resource(test, res);
	kunit_put_resource(res);
}

/**
 * kunit_release_action() - run the most recent matching action now and forget it.
 * @test: the test
 * @action: the function
 * @ctx: its argument
 */
void kunit_release_action(struct kunit *test, kunit_action_t *action, void *ctx)
{
	struct action_ctx want = { .fn = action, .ctx = ctx };
	struct kunit_resource *res = kunit_find_resource(test, action_match, &want);

	if (!res)
		return;
	kunit_remove_resource(test, res);
	kunit_put_resource(res);
}

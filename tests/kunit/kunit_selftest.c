/* SPDX-License-Identifier: MIT */
/*
 * KUnit's own suites, run by the ukmem-kunit main and checked by check_selftest.sh:
 * "kunit_api" must pass entirely (expectations of every family, managed memory, resources,
 * actions, parameters, skipping); "kunit_failures" holds cases that must each be reported
 * "not ok" (a failed expectation, an assertion, a crash, a leak, a ukmem report, a write
 * after a free, a bad kunit_kfree) - and nothing that follows a failed assertion may run.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/err.h>

/* ---- passing ---- */
static void api_expectations(struct kunit *test)
{
	int a = 3, b = 4;
	char buf1[4] = "abc", buf2[4] = "abc";
	void *p = &a;

	KUNIT_EXPECT_EQ(test, a + 1, b);
	KUNIT_EXPECT_NE(test, a, b);
	KUNIT_EXPECT_LT(test, a, b);
	KUNIT_EXPECT_LE(test, a, 3);
	KUNIT_EXPECT_GT(test, b, a);
	KUNIT_EXPECT_GE(test, b, 4);
	KUNIT_EXPECT_TRUE(test, a < b);
	KUNIT_EXPECT_FALSE(test, a > b);
	KUNIT_EXPECT_PTR_EQ(test, p, (void *)&a);
	KUNIT_EXPECT_PTR_NE(test, p, (void *)&b);
	KUNIT_EXPECT_NULL(test, NULL);
	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, p);
	KUNIT_EXPECT_STREQ(test, buf1, "abc");
	KUNIT_EXPECT_STRNEQ(test, buf1, "abd");
	KUNIT_EXPECT_MEMEQ(test, buf1, buf2, sizeof(buf1));
	KUNIT_ASSERT_EQ_MSG(test, a, 3, "a is %d", a);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	KUNIT_SUCCEED(test);
}

static void api_managed_memory(struct kunit *test)
{
	char *z = kunit_kzalloc(test, 64, GFP_KERNEL);
	int *arr = kunit_kcalloc(test, 8, sizeof(int), GFP_KERNEL);
	void *m = kunit_kmalloc_array(test, 4, 16, GFP_KERNEL);
	void *big = kunit_kmalloc_array(test, SIZE_MAX / 2, 4, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, z);
	KUNIT_ASSERT_NOT_NULL(test, arr);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_NULL(test, big);		/* n * size overflows */
	for (int i = 0; i < 64; i++)
		KUNIT_EXPECT_EQ(test, z[i], 0);
	KUNIT_EXPECT_EQ(test, arr[7], 0);
	kunit_kfree(test, m);			/* early; the rest go when the test ends */
	kunit_kfree(test, NULL);
}

static int res_init(struct kunit_resource *res, void *context)
{
	res->data = context;
	return 0;
}

static int freed_order[4], nr_freed;
static void res_free(struct kunit_resource *res)
{
	freed_order[nr_freed++] = *(int *)res->data;
}

static void api_resources(struct kunit *test)
{
	static int one = 1, two = 2;
	static struct kunit_resource named;
	struct kunit_resource *r;

	KUNIT_ASSERT_PTR_EQ(test, kunit_alloc_resource(test, res_init, res_free, GFP_KERNEL, &one),
			    (void *)&one);
	r = kunit_alloc_and_get_resource(test, res_init, res_free, GFP_KERNEL, &two);
	KUNIT_ASSERT_NOT_NULL(test, r);
	kunit_put_resource(r);
	KUNIT_EXPECT_EQ(test, kunit_add_named_resource(test, NULL, NULL, &named, "res", &one), 0);
	KUNIT_EXPECT_EQ(test, kunit_add_named_resource(test, NULL, NULL, &named, "res", &one),
			-EEXIST);
	r = kunit_find_named_resource(test, "res");
	KUNIT_EXPECT_PTR_EQ(test, r, &named);
	kunit_put_resource(r);
	r = kunit_find_resource(test, kunit_resource_instance_match, &two);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_PTR_EQ(test, r->data, (void *)&two);
	kunit_put_resource(r);
	KUNIT_EXPECT_EQ(test, kunit_destroy_named_resource(test, "res"), 0);
	KUNIT_EXPECT_EQ(test, kunit_destroy_named_resource(test, "res"), -ENOENT);
	/* Destroying "two" now runs its free function at once. */
	nr_freed = 0;
	KUNIT_EXPECT_EQ(test, kunit_destroy_resource(test, kunit_resource_instance_match, &two), 0);
	KUNIT_EXPECT_EQ(test, nr_freed, 1);
	KUNIT_EXPECT_EQ(test, freed_order[0], 2);
	kunit_cleanup(test);			/* "one" goes now */
	KUNIT_EXPECT_EQ(test, nr_freed, 2);
	KUNIT_EXPECT_EQ(test, freed_order[1], 1);
}

static int actions_seen[8], nr_actions;
static void record(void *ctx)
{
	actions_seen[nr_actions++] = (int)(long)ctx;
}

static void api_actions(struct kunit *test)
{
	nr_actions = 0;
	KUNIT_ASSERT_EQ(test, kunit_add_action(test, record, (void *)1L), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action(test, record, (void *)2L), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, record, (void *)3L), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action(test, record, (void *)4L), 0);
	kunit_remove_action(test, record, (void *)4L);	/* never runs */
	kunit_release_action(test, record, (void *)2L);	/* runs now */
	KUNIT_EXPECT_EQ(test, nr_actions, 1);
	KUNIT_EXPECT_EQ(test, actions_seen[0], 2);
	kunit_cleanup(test);				/* the rest, last added first */
	KUNIT_EXPECT_EQ(test, nr_actions, 3);
	KUNIT_EXPECT_EQ(test, actions_seen[1], 3);
	KUNIT_EXPECT_EQ(test, actions_seen[2], 1);
}

struct sq { int in, out; };
static const struct sq squares[] = { { 1, 1 }, { 2, 4 }, { 3, 9 } };
static void sq_desc(const struct sq *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%d squared", p->in);
}
KUNIT_ARRAY_PARAM(squares, squares, sq_desc);

static void api_params(struct kunit *test)
{
	const struct sq *p = test->param_value;

	KUNIT_EXPECT_EQ(test, p->in * p->in, p->out);
	KUNIT_EXPECT_PTR_EQ(test, (const void *)p, (const void *)&squares[test->param_index]);
}

static void api_skip(struct kunit *test)
{
	kunit_skip(test, "nothing to see");
	KUNIT_FAIL(test, "ran after kunit_skip");
}

static void api_current(struct kunit *test)
{
	KUNIT_EXPECT_PTR_EQ(test, kunit_get_current_test(), test);
	kunit_info(test, "an info line");
}

static int api_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, 32, GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

static struct kunit_case api_cases[] = {
	KUNIT_CASE(api_expectations),
	KUNIT_CASE(api_managed_memory),
	KUNIT_CASE(api_resources),
	KUNIT_CASE(api_actions),
	KUNIT_CASE_PARAM(api_params, squares_gen_params),
	KUNIT_CASE(api_skip),
	KUNIT_CASE(api_current),
	{}
};

static struct kunit_suite api_suite = {
	.name = "kunit_api",
	.init = api_init,
	.test_cases = api_cases,
};

/* ---- failing: each case must be "not ok" ---- */
static void fail_expect(struct kunit *test)
{
	int x = 5;
	int *p = &x;

	KUNIT_EXPECT_EQ(test, x, 6);
	KUNIT_EXPECT_STREQ(test, "a", "b");
	KUNIT_EXPECT_NULL(test, p);			/* 6.1 prints NULL expanded */
	KUNIT_EXPECT_EQ_MSG(test, x, 7, "got %pe", ERR_PTR(-ENOMEM));	/* kernel formats */
	KUNIT_FAIL(test, "failed with %pe", ERR_PTR(-EINVAL));
}

static void fail_assert(struct kunit *test)
{
	KUNIT_ASSERT_TRUE(test, false);
	kunit_info(test, "MUST NOT PRINT: ran after a failed assertion");
}

static void fail_crash(struct kunit *test)
{
	volatile int *p = NULL;

	*p = 1;
}

static void fail_leak(struct kunit *test)
{
	void *p = kmalloc(100, GFP_KERNEL);

	KUNIT_EXPECT_NOT_NULL(test, p);
}

static void fail_vmalloc_leak(struct kunit *test)
{
	KUNIT_EXPECT_NOT_NULL(test, vmalloc(8192));
}

static void fail_report(struct kunit *test)
{
	char *p = kmalloc(32, GFP_KERNEL);

	kfree(p);
	kfree(p);			/* double free: ukmem reports it */
}

static void fail_uaf_write(struct kunit *test)
{
	char *p = kmalloc(32, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	kfree(p);
	((volatile char *)p)[3] = 1;	/* found in the quarantine when the case ends */
}

static bool other_freed;
static void other_free(struct kunit_resource *res)
{
	other_freed = true;
}

static void fail_bad_kfree(struct kunit *test)
{
	static int x, y;

	KUNIT_ASSERT_PTR_EQ(test, kunit_alloc_resource(test, NULL, other_free, GFP_KERNEL, &y),
			    (void *)&y);
	other_freed = false;
	kunit_kfree(test, &x);
	kunit_kfree(test, &y);		/* a resource, but not kunit_kmalloc's: left alone */
	KUNIT_EXPECT_FALSE(test, other_freed);
}

static void fail_current(struct kunit *test)
{
	kunit_fail_current_test("failed from deep inside");
}

static struct kunit_case fail_cases[] = {
	KUNIT_CASE(fail_expect),
	KUNIT_CASE(fail_assert),
	KUNIT_CASE(fail_crash),
	KUNIT_CASE(fail_leak),
	KUNIT_CASE(fail_vmalloc_leak),
	KUNIT_CASE(fail_report),
	KUNIT_CASE(fail_uaf_write),
	KUNIT_CASE(fail_bad_kfree),
	KUNIT_CASE(fail_current),
	{}
};

static struct kunit_suite fail_suite = {
	.name = "kunit_failures",
	.test_cases = fail_cases,
};

kunit_test_suites(&api_suite, &fail_suite);

/* SPDX-License-Identifier: MIT */
/*
 * The executor's filter is 6.1's glob_match (lib/glob.c), not fnmatch(): "[^d]*" is a class
 * of '^' and 'd' (fnmatch inverted it), "[[:alpha:]]" is the class "[:alph" then a ']' (for
 * fnmatch a named class), a '\' at the end of the pattern matches the end of the name (for
 * fnmatch nothing), a '[' without its ']' is a plain character; '*', '?', ranges, "[!...]",
 * a leading ']' and a trailing '-' in a class as before.  Each filter's --list output is
 * compared whole.
 */
#include <kunit/test.h>
#include <ukmem.h>
#include "ktest.h"

static void nop(struct kunit *test)
{
}

static struct kunit_case a_cases[] = { { .run_case = nop, .name = "c1" },
				       { .run_case = nop, .name = "c2" }, {} };
static struct kunit_case b_cases[] = { { .run_case = nop, .name = "x_9" },
				       { .run_case = nop, .name = "x-]" }, {} };
static struct kunit_case odd_cases[] = { { .run_case = nop, .name = "[c" },
					 { .run_case = nop, .name = "c^" }, {} };
static struct kunit_suite sa = { .name = "dev_a", .test_cases = a_cases };
static struct kunit_suite sb = { .name = "dev_b", .test_cases = b_cases };
static struct kunit_suite so = { .name = "^odd", .test_cases = odd_cases };
static struct kunit_suite *const suites[] = { &sa, &sb, &so };

/* The --list output for @filter, without its "KTAP version 1" line. */
static char *list_of(const char *filter)
{
	char arg[300], *argv[] = { "test_kunit_filter", "--list", arg, NULL }, *out;

	snprintf(arg, sizeof(arg), "--filter=%s", filter);
	kt_capture_fd_begin(1);
	KT_EQ(ukmem_kunit_run_suites(suites, suites + ARRAY_SIZE(suites), 3, argv), 0);
	out = kt_capture_fd_end();
	if (strncmp(out, "KTAP version 1\n", 15))
		KT_FAIL("filter %s: no KTAP header in \"%s\"", filter, out);
	return out;
}

static void expect(const char *filter, const char *listed)
{
	char *out = list_of(filter);

	if (strcmp(out + 15, listed))
		KT_FAIL("filter \"%s\": listed \"%s\", expected \"%s\"", filter, out + 15, listed);
	free(out);
}

int main(void)
{
	const char *all = "dev_a.c1\ndev_a.c2\ndev_b.x_9\ndev_b.x-]\n^odd.[c\n^odd.c^\n";

	KT_EQ(ukmem_init("kunit.fork=0"), 0);
	expect("*", all);
	expect("[^d]*", all);				/* fnmatch: ^odd only */
	expect("[^]*", "^odd.[c\n^odd.c^\n");
	expect("dev_[[:alpha:]]", "");			/* fnmatch: dev_a, dev_b */
	expect("dev_[[:alpha:]]*", "");
	expect("dev_[[:alp]]", "");
	expect("dev_a\\", "dev_a.c1\ndev_a.c2\n");	/* fnmatch: nothing */
	expect("dev_?.c\\", "");
	expect("*.c\\2", "dev_a.c2\n");
	expect("*.[c", "^odd.[c\n");			/* '[' without ']': plain */
	expect("*.[c*", "^odd.[c\n");
	expect("*.c[^]", "^odd.c^\n");
	expect("dev_[!a]", "dev_b.x_9\ndev_b.x-]\n");
	expect("*.x[_-]*", "dev_b.x_9\ndev_b.x-]\n");	/* '-' last: a member */
	expect("*.x[]-]]", "dev_b.x-]\n");		/* ']' first: a member */
	expect("dev_[a-a].c[0-9]", "dev_a.c1\ndev_a.c2\n");
	expect("dev_[b-a]", "");			/* a reversed range matches nothing */
	expect("*_?.*9", "dev_b.x_9\n");
	expect("*a*.*", "dev_a.c1\ndev_a.c2\n");
	printf("kunit filter: ok\n");
	return 0;
}

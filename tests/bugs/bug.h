/* SPDX-License-Identifier: MIT */
/*
 * The bug corpus harness.  Each program in tests/bugs/ is one bug class: it defines buggy()
 * (the bug, then a little more work to show the process goes on) and fixed() (the same code
 * without the bug), and says what the first report line must start with (BUG_FIRST_LINE) and
 * the signal the buggy run must die of (BUG_SIGNAL, 0: it must go on).  main() runs each in a
 * forked child, with the command line from the test's environment, and checks:
 *  - buggy: the first report line (the first line starting with "BUG", "WARNING:",
 *    "general protection fault" or, after a "cut here" line, the warning text) starts with BUG_FIRST_LINE; the process went on to
 *    ukmem_exit() (which must count the problem) or died of BUG_SIGNAL;
 *    With BUG_PROBLEMS (a string) defined, ukmem_exit() must return exactly that: the bug
 *    is reported and nothing after it (no leak, no busy cache);
 *  - fixed: no report at all, and ukmem_exit() returns 0.
 */
#ifndef UKMEM_BUG_H
#define UKMEM_BUG_H
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/gfp.h>
#include <ukmem.h>
#include "ktest.h"

/* Keeps calls out of tail position, so reports name the calling function. */
#define NO_TAIL()	__asm__ __volatile__("" ::: "memory")
/* Hides what the compiler knows of p (its object size), so deliberate bugs compile. */
#define KEEP(p)		__asm__ __volatile__("" : "+r"(p) : : "memory")

/* The function holding the bug keeps its name in reports: not inlined, not cloned. */
#ifdef __clang__
#define BUG_FN	__attribute__((__noinline__))
#else
#define BUG_FN	__attribute__((__noinline__, __noipa__))
#endif

static void buggy(void);
static void fixed(void);

#define WENT_ON "bug-harness: went on, ukmem_exit() = "

static void run(void *arg)
{
	int problems;

	((void (*)(void))arg)();
	problems = ukmem_exit();
	fprintf(stderr, WENT_ON "%d\n", problems);
}

static const char *first_report_line(const char *out, char *buf, size_t len)
{
	bool cut = false;

	for (const char *l = out; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		size_t n = strcspn(l, "\n");

		if (cut || !strncmp(l, "BUG", 3) || !strncmp(l, "WARNING:", 8) ||
		    !strncmp(l, "unreferenced object", 19) ||
		    !strncmp(l, "general protection fault", 24)) {
			snprintf(buf, len, "%.*s", (int)n, l);
			return buf;
		}
		cut = !strncmp(l, "------------[ cut here ]", 24);
	}
	return NULL;
}

int main(void)
{
	char *out, line[512];
	const char *first;
	int status = kt_run_child(run, (void *)buggy, &out);

	first = first_report_line(out, line, sizeof(line));
	if (!first)
		KT_FAIL("buggy run: no report; expected a first line starting with \"%s\"", BUG_FIRST_LINE);
	if (strncmp(first, BUG_FIRST_LINE, strlen(BUG_FIRST_LINE)))
		KT_FAIL("buggy run: first report line is\n  %s\nexpected it to start with\n  %s", first,
			BUG_FIRST_LINE);
	if (BUG_SIGNAL) {
		KT_ASSERT(WIFSIGNALED(status));
		KT_EQ(WTERMSIG(status), BUG_SIGNAL);
	} else {
		KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		KT_CONTAINS(out, WENT_ON);
		KT_NOT_CONTAINS(out, WENT_ON "0\n");
#ifdef BUG_PROBLEMS
		KT_CONTAINS(out, WENT_ON BUG_PROBLEMS "\n");
#endif
	}
	free(out);
	status = kt_run_child(run, (void *)fixed, &out);
	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	KT_ASSERT(!first_report_line(out, line, sizeof(line)));
	KT_CONTAINS(out, WENT_ON "0\n");
	free(out);
	printf("ok\n");
	return 0;
}
#endif

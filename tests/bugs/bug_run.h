/* SPDX-License-Identifier: MIT */
/*
 * The bug corpus's harness: run a buggy and a fixed version of a small program, each in a
 * child process with its own start of ukmem, and check the first report line of the buggy
 * one and that the fixed one reports nothing.
 */
#ifndef UKMEM_BUG_RUN_H
#define UKMEM_BUG_RUN_H
#include <ukmem.h>
#include "ktest.h"

/* The first line of @out that is not empty, in a static buffer. */
static inline const char *bug_first_line(const char *out)
{
	static char line[512];
	size_t n;

	while (*out == '\n')
		out++;
	n = strcspn(out, "\n");
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, out, n);
	line[n] = '\0';
	return line;
}

/* Run fn in a child (which starts ukmem with @cmdline and ends with exit(ukmem_exit())). */
static inline char *bug_run(void (*fn)(void), const char *cmdline, int *status)
{
	char *out;

	*status = kt_run_child((void (*)(void *))fn, (void *)cmdline, &out);
	return out;
}

#define BUG_CHILD(name, cmdline)						\
	static void name##_body(void);						\
	static void name(void)							\
	{									\
		KT_EQ(ukmem_init(cmdline), 0);					\
		name##_body();							\
		exit(ukmem_exit());						\
	}									\
	static void name##_body(void)

/* The buggy version's first line starts with @prefix and ends with @suffix (addresses vary);
 * it exits with @problems (ukmem_exit's count).  The fixed version prints nothing and
 * exits with 0. */
static inline void bug_expect(void (*buggy)(void), void (*fixed)(void), const char *prefix,
			      const char *suffix, int problems)
{
	int status;
	char *out = bug_run(buggy, NULL, &status);
	const char *first = bug_first_line(out);
	size_t lf = strlen(first), ls = strlen(suffix);

	if (strncmp(first, prefix, strlen(prefix)) || lf < ls || strcmp(first + lf - ls, suffix))
		KT_FAIL("first report line \"%s\": expected \"%s...%s\"", first, prefix, suffix);
	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), problems);
	free(out);
	out = bug_run(fixed, NULL, &status);
	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 0);
	KT_EQ(strlen(out), 0);
	free(out);
}
#endif

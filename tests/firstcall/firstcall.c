/* SPDX-License-Identifier: MIT */
/*
 * The first-call test's driver.  For every entry point of the public headers (the cases that
 * gen_firstcall.py generates from include/ at build time) it forks a fresh child that has
 * never touched ukmem and calls the entry point there, first, with valid arguments (an
 * allocation must succeed): once from one thread, then from FC_THREADS threads released
 * together by a barrier.  The child then
 * checks that ukmem started with the configuration of $UKMEM_CMDLINE (the test sets mem=40M:
 * totalram_pages() is below 40 MiB, not the 1 GiB default), that the call made exactly the
 * reports it should (none for most), and that ukmem_exit() finds no other problem (no leak,
 * no corruption).  A crash, a hang (alarm), a wrong report count or an entry point the
 * generator could not call fails the test.  A third run makes the same call from FC_THREADS
 * threads after ukmem_init and ukmem_exit (docs/usage.md: calls after ukmem_exit keep
 * working, and nothing is checked twice).
 *
 * Usage: test_first_call_all [-v] [NAME...]   (NAMEs: only those cases)
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "firstcall.h"
#include "ktest.h"

#define FC_THREADS	4
#define FC_MAX_RAM	(40UL << 20)

static pthread_barrier_t fc_barrier;

static void *fc_thread(void *arg)
{
	const struct fc_case *c = arg;

	pthread_barrier_wait(&fc_barrier);
	c->fn();
	return NULL;
}

/* In the child: the call, then the checks; exits 0 when all hold.  after_exit: ukmem has
 * started and shut down (ukmem_exit) before the call, as for a call from another library's
 * destructor; the call must work the same and the second ukmem_exit must run no check again. */
static void fc_child(const struct fc_case *c, int threads, int after_exit)
{
	unsigned long reports, problems, ram;

	alarm(60);
	if (after_exit && (ukmem_init(getenv("UKMEM_CMDLINE")) || ukmem_exit())) {
		fprintf(stderr, "FC: cannot start and shut down before the call\n");
		_exit(14);
	}
	if (threads == 1) {
		c->fn();
	} else {
		pthread_t t[FC_THREADS];

		pthread_barrier_init(&fc_barrier, NULL, threads);
		for (int i = 0; i < threads; i++)
			if (pthread_create(&t[i], NULL, fc_thread, (void *)c))
				_exit(10);
		for (int i = 0; i < threads; i++)
			pthread_join(t[i], NULL);
	}
	ram = totalram_pages() * PAGE_SIZE;
	if (ram > FC_MAX_RAM) {
		fprintf(stderr, "FC: started with %lu bytes of RAM, not $UKMEM_CMDLINE's\n", ram);
		_exit(11);
	}
	reports = ukmem_report_count();
	if (c->reports ? (reports < 1 || reports > (unsigned long)(c->reports * threads)) : reports) {
		fprintf(stderr, "FC: %lu reports, expected %s%d\n", reports,
			c->reports ? "1 .. " : "", c->reports * threads);
		_exit(12);
	}
	problems = ukmem_exit();
	if (problems != reports) {
		fprintf(stderr, "FC: ukmem_exit found %lu problems beyond the call's %lu reports\n",
			problems - reports, reports);
		_exit(13);
	}
	_exit(0);
}

/* Runs one case in a fresh child; 0 when it passed. */
static int fc_run(const struct fc_case *c, int threads, int after_exit, int verbose)
{
	int fd = memfd_create("fc", 0), status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		KT_FAIL("fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		fc_child(c, threads, after_exit);
	}
	if (waitpid(pid, &status, 0) < 0)
		KT_FAIL("waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) || verbose) {
		off_t len = lseek(fd, 0, SEEK_END);
		char *out = calloc(1, (size_t)len + 1);

		if (len > 0 && pread(fd, out, (size_t)len, 0) != len)
			KT_FAIL("cannot read the child's output");
		if (WIFSIGNALED(status))
			printf("FAIL %s (%s, %s) from %d thread(s)%s: killed by signal %d (%s)\n",
			       c->name, c->kind, c->where, threads, after_exit ? " after ukmem_exit" : "",
			       WTERMSIG(status),
			       strsignal(WTERMSIG(status)));
		else if (WEXITSTATUS(status))
			printf("FAIL %s (%s, %s) from %d thread(s)%s: exit status %d\n",
			       c->name, c->kind, c->where, threads, after_exit ? " after ukmem_exit" : "",
			       WEXITSTATUS(status));
		if (len)
			printf("---- output ----\n%s---- end ----\n", out);
		free(out);
	}
	close(fd);
	return !WIFEXITED(status) || WEXITSTATUS(status);
}

static int fc_selected(const char *name, int argc, char **argv)
{
	int any = 0;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		any = 1;
		if (!strcmp(argv[i], name))
			return 1;
	}
	return !any;
}

int main(int argc, char **argv)
{
	int verbose = argc > 1 && !strcmp(argv[1], "-v");
	unsigned int failed = 0, uncallable = 0, ran = 0, after_setup = 0;

	for (unsigned int i = 0; i < fc_nr_cases; i++) {
		const struct fc_case *c = &fc_cases[i];

		if (!fc_selected(c->name, argc, argv))
			continue;
		if (!c->fn) {
			printf("FAIL %s (%s, %s): cannot be called: %s\n", c->name, c->kind,
			       c->where, c->error);
			uncallable++;
			continue;
		}
		if (verbose)
			printf("%s (%s, %s)%s\n", c->name, c->kind, c->where,
			       c->api ? " after setup" : "");
		ran++;
		after_setup += c->api;
		failed += fc_run(c, 1, 0, verbose);
		failed += fc_run(c, FC_THREADS, 0, verbose);
		failed += fc_run(c, FC_THREADS, 1, verbose);
	}
	if (verbose)
		for (unsigned int i = 0; i < fc_nr_skips; i++)
			printf("skipped %s (%s, %s): %s\n", fc_skips[i].name, fc_skips[i].kind,
			       fc_skips[i].where, fc_skips[i].why);
	printf("test_first_call_all: %u entry points called (%u as the very first call, %u after "
	       "making their arguments), %u skipped as listed with -v; %u runs failed, %u cannot "
	       "be called\n", ran, ran - after_setup, after_setup, fc_nr_skips, failed, uncallable);
	return failed || uncallable;
}

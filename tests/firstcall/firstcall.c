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
 * working, and nothing is checked twice).  The children run one per online CPU at a time
 * (one at a time with -v, whose listing then reads in order).
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

/* A run: one case, from how many threads, after ukmem_exit or not; its child and output. */
struct fc_job {
	const struct fc_case *c;
	int threads, after_exit;
	pid_t pid;
	int fd;			/* the child's stdout and stderr */
};

/* Starts @j's child; its output goes to a file of its own. */
static void fc_start(struct fc_job *j)
{
	j->fd = memfd_create("fc", 0);
	if (j->fd < 0)
		KT_FAIL("memfd_create: %s", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	j->pid = fork();
	if (j->pid < 0)
		KT_FAIL("fork: %s", strerror(errno));
	if (j->pid == 0) {
		dup2(j->fd, 1);
		dup2(j->fd, 2);
		fc_child(j->c, j->threads, j->after_exit);
	}
}

/* Reports how @j's child ended (its output when it failed, or always with -v); 0: passed. */
static int fc_finish(struct fc_job *j, int status, int verbose)
{
	const struct fc_case *c = j->c;
	int failed = !WIFEXITED(status) || WEXITSTATUS(status);

	if (failed || verbose) {
		off_t len = lseek(j->fd, 0, SEEK_END);
		char *out = calloc(1, (size_t)len + 1);

		if (len > 0 && pread(j->fd, out, (size_t)len, 0) != len)
			KT_FAIL("cannot read the child's output");
		if (WIFSIGNALED(status))
			printf("FAIL %s (%s, %s) from %d thread(s)%s: killed by signal %d (%s)\n",
			       c->name, c->kind, c->where, j->threads,
			       j->after_exit ? " after ukmem_exit" : "", WTERMSIG(status),
			       strsignal(WTERMSIG(status)));
		else if (WEXITSTATUS(status))
			printf("FAIL %s (%s, %s) from %d thread(s)%s: exit status %d\n",
			       c->name, c->kind, c->where, j->threads,
			       j->after_exit ? " after ukmem_exit" : "", WEXITSTATUS(status));
		if (len)
			printf("---- output ----\n%s---- end ----\n", out);
		free(out);
	}
	close(j->fd);
	j->pid = 0;
	return failed;
}

/*
 * Runs @n jobs, up to one child per online CPU at a time (each child is a separate process
 * that starts ukmem on its own, so they do not meet; what is shared is the machine's time).
 * Return: the runs that failed.
 */
static unsigned int fc_run_all(struct fc_job *jobs, unsigned int n, int verbose)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int width = verbose ? 1 : (unsigned int)(cpus > 1 ? cpus : 1);
	unsigned int next = 0, running = 0, failed = 0;

	while (next < n || running) {
		int status;
		pid_t pid;

		if (next < n && running < width) {
			fc_start(&jobs[next++]);
			running++;
			continue;
		}
		pid = waitpid(-1, &status, 0);
		if (pid < 0)
			KT_FAIL("waitpid: %s", strerror(errno));
		for (unsigned int i = 0; i < next; i++)
			if (jobs[i].pid == pid) {
				failed += fc_finish(&jobs[i], status, verbose);
				running--;
				break;
			}
	}
	return failed;
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
	unsigned int failed = 0, uncallable = 0, ran = 0, after_setup = 0, njobs = 0;
	struct fc_job *jobs = calloc(3 * (size_t)fc_nr_cases, sizeof(*jobs));

	if (!jobs)
		KT_FAIL("no memory for %u runs", 3 * fc_nr_cases);

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
		jobs[njobs++] = (struct fc_job){ .c = c, .threads = 1 };
		jobs[njobs++] = (struct fc_job){ .c = c, .threads = FC_THREADS };
		jobs[njobs++] = (struct fc_job){ .c = c, .threads = FC_THREADS, .after_exit = 1 };
	}
	failed = fc_run_all(jobs, njobs, verbose);
	free(jobs);
	if (verbose)
		for (unsigned int i = 0; i < fc_nr_skips; i++)
			printf("skipped %s (%s, %s): %s\n", fc_skips[i].name, fc_skips[i].kind,
			       fc_skips[i].where, fc_skips[i].why);
	printf("test_first_call_all: %u entry points called (%u as the very first call, %u after "
	       "making their arguments), %u skipped as listed with -v; %u runs failed, %u cannot "
	       "be called\n", ran, ran - after_setup, after_setup, fc_nr_skips, failed, uncallable);
	return failed || uncallable;
}

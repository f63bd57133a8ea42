/* SPDX-License-Identifier: MIT */
/*
 * The KUnit executor: filters the suites linked into a program, lists or runs them and
 * prints KTAP exactly as Linux 6.1's executor and kunit_run_tests do:
 *     KTAP version 1
 *     1..<suites>
 *         KTAP version 1
 *         # Subtest: <suite>
 *         1..<cases>
 *         ok 1 <case>                (or "not ok", or "ok 1 <case> # SKIP <why>")
 *         # <suite>: pass:P fail:F skip:S total:T      (more than one case)
 *         # Totals: pass:P fail:F skip:S total:T        (more than one, params counted)
 *     ok 1 <suite>
 * A parameterised case prints its own nested KTAP block, one line per parameter.
 *
 * Each case (each parameter) runs in a forked child unless kunit.fork=0: the child runs
 * init, the case, exit and the resource clean-up, then checks that nothing it allocated is
 * left (slab objects and vmalloc areas, after an RCU barrier) and that ukmem printed no
 * report (the KASAN quarantine is emptied first, so a write after a free is reported); any of those, a failed expectation, or the child dying of a signal fails the case.
 * Suite init/exit run in the runner itself.
 *
 * State: one struct (runner) for the run in progress.  Locking: runner.lock is held by the
 * executor for a whole run, so executors called from several threads run one after the
 * other (the kernel runs its executor once, at boot); the options it sets are read with
 * atomic loads, as kunit_run_tests may also be called directly from another thread.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <kunit/test.h>
#include <linux/rcupdate.h>
#include <ukmem.h>
#include "core/core.h"
#include "debug/slab_debug.h"
#include "slab/slab.h"
#include "vmalloc/vmalloc.h"
#include "kunit/kunit.h"

static struct {
	size_t suite_counter;		/* the next suite's number in the top-level KTAP (atomic:
					 * suites may run from several threads, as modules load) */
	pthread_mutex_t lock;		/* held by ukmem_kunit_run_suites for a whole run */
	bool no_fork;			/* kunit.fork=0 (atomic) */
	bool fail_sweep;		/* kunit.fail_sweep=1: every case under ukmem_fail_sweep (atomic) */
	unsigned int timeout;		/* kunit.timeout: seconds a forked case may take (atomic) */
} runner = {
	.suite_counter = 1,		/* the kernel's kunit_suite_counter starts at 1 */
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

/* What a case left allocated: live slab objects and vmalloc areas. */
struct mem_snapshot {
	unsigned long objects, vmap_areas;
};

/* Called between cases only, with no other thread creating or destroying caches. */
static void mem_snapshot(struct mem_snapshot *m)
{
	struct kmem_cache *s, *caches[1024];
	size_t n = 0;

	rcu_barrier();			/* kfree_rcu and call_rcu frees land first */
	ukmem__vmalloc_purge();		/* lazily freed areas (and their descriptors) are not
					 * the test's */
	ukmem__slab_flush_thread();
	/* Quarantined objects have their poison checked as they leave: a write after a free
	 * made during the case is reported now, while it is still the case's (KASAN reports
	 * it at the write, in the kernel). */
	ukmem__kasan_quarantine_drain(NULL);
	pthread_mutex_lock(&ukmem__slab.mutex);
	list_for_each_entry(s, &ukmem__slab.caches, list)
		if (n < ARRAY_SIZE(caches))
			caches[n++] = s;
	pthread_mutex_unlock(&ukmem__slab.mutex);
	m->objects = 0;
	for (size_t i = 0; i < n; i++)
		m->objects += ukmem__slab_live_objects(caches[i]);
	ukmem__va_lock();
	m->vmap_areas = ukmem__va_nr_busy_locked();
	ukmem__va_unlock();
}

/**
 * kunit_enabled() - whether KUnit runs: always in a program linked with the runner.
 *
 * Return: true.
 */
bool kunit_enabled(void)
{
	return true;
}

/**
 * kunit_init_test() - make @test ready to run a case.
 * @test: the test (its param_value and param_index are kept)
 * @name: the case's name
 * @log: unused (no debugfs)
 */
void kunit_init_test(struct kunit *test, const char *name, char *log)
{
	spin_lock_init(&test->lock);
	INIT_LIST_HEAD(&test->resources);
	test->name = name;
	test->log = log;
	test->status = KUNIT_SUCCESS;
	test->status_comment[0] = '\0';
	test->try_catch.test = test;
	test->try_catch.try_result = 0;
	test->try_catch.env = NULL;
}

/**
 * kunit_suite_num_test_cases() - how many cases a suite has.
 * @suite: the suite
 *
 * Return: the count.
 */
size_t kunit_suite_num_test_cases(struct kunit_suite *suite)
{
	struct kunit_case *test_case;
	size_t n = 0;

	kunit_suite_for_each_test_case(suite, test_case)
		n++;
	return n;
}

/**
 * kunit_test_case_num() - a case's 1-based number in its suite.
 * @suite: the suite
 * @test_case: the case
 *
 * Return: the number, or 0 when it is not in the suite.
 */
unsigned int kunit_test_case_num(struct kunit_suite *suite, struct kunit_case *test_case)
{
	struct kunit_case *tc;
	unsigned int i = 1;

	kunit_suite_for_each_test_case(suite, tc) {
		if (tc == test_case)
			return i;
		i++;
	}
	return 0;
}

/**
 * kunit_suite_has_succeeded() - a suite's result: failed if its init or any case failed,
 * skipped if every case was skipped.
 * @suite: the suite, after it ran
 *
 * Return: the status.
 */
enum kunit_status kunit_suite_has_succeeded(struct kunit_suite *suite)
{
	const struct kunit_case *test_case;
	enum kunit_status status = KUNIT_SKIPPED;

	if (suite->suite_init_err)
		return KUNIT_FAILURE;
	kunit_suite_for_each_test_case(suite, test_case) {
		if (test_case->status == KUNIT_FAILURE)
			return KUNIT_FAILURE;
		if (test_case->status == KUNIT_SUCCESS)
			status = KUNIT_SUCCESS;
	}
	return status;
}

/* ---- one case, in this process ---- */
static void check_after_case(struct kunit *test, const struct mem_snapshot *before,
			     unsigned long reports_before)
{
	struct mem_snapshot after;
	unsigned long reports;

	mem_snapshot(&after);		/* may report: its reports are the case's */
	reports = ukmem_report_count() - reports_before;
	if (after.objects > before->objects || after.vmap_areas > before->vmap_areas) {
		kunit_set_failure(test);
		kunit_err(test, "leak: %lu slab object(s) and %lu vmalloc area(s) still allocated after the test",
			  after.objects > before->objects ? after.objects - before->objects : 0,
			  after.vmap_areas > before->vmap_areas ?
			  after.vmap_areas - before->vmap_areas : 0);
	}
	if (reports) {
		kunit_set_failure(test);
		kunit_err(test, "ukmem printed %lu report(s) during the test", reports);
	}
}

/* init, the case, exit, clean-up: what the kernel's try-catch pair does. */
static void run_case_core(struct kunit_suite *suite, struct kunit_case *test_case,
			  struct kunit *test)
{
	sigjmp_buf env;

	kunit_init_test(test, test_case->name, test_case->log);
	ukmem__kunit_current = test;
	test->try_catch.env = &env;
	if (!sigsetjmp(env, 0)) {
		if (suite->init) {
			int ret = suite->init(test);

			if (ret) {
				kunit_err(test, "failed to initialize: %d", ret);
				kunit_set_failure(test);
			}
		}
		if (test->status != KUNIT_FAILURE)
			test_case->run_case(test);
	}
	/* Exit runs after a failed init or a thrown assertion too, as in the kernel. */
	if (!sigsetjmp(env, 0) && suite->exit)
		suite->exit(test);
	test->try_catch.env = NULL;
	kunit_cleanup(test);
	ukmem__kunit_current = NULL;
}

/* ---- fail sweep: the case again and again, its n-th allocation failing ---- */
struct sweep {
	struct kunit_suite *suite;
	struct kunit_case *test_case;
	struct kunit *test;		/* the result: the run in which nothing was injected */
	bool final_seen;
	int runs, leaky_runs;		/* counted by the runner's own snapshot */
};

/* One run: its KTAP lines are held back and shown only for the run that injected nothing
 * (the others fail expectations by design); a crash or leak still counts (see below). */
static int sweep_run(void *arg)
{
	struct sweep *sw = arg;
	struct kunit t = { .param_value = sw->test->param_value,
			   .param_index = sw->test->param_index };
	char *held = NULL;
	size_t held_len = 0;
	FILE *capture = open_memstream(&held, &held_len);
	struct mem_snapshot before, after;
	bool injected;

	mem_snapshot(&before);
	ukmem__kunit.capture = capture;
	run_case_core(sw->suite, sw->test_case, &t);
	ukmem__kunit.capture = NULL;
	injected = ukmem_get_fail_nth() == 0;
	sw->runs++;
	/* kmemleak's scan can find a stale copy of a lost pointer; the counts cannot. */
	mem_snapshot(&after);
	if (after.objects > before.objects || after.vmap_areas > before.vmap_areas) {
		sw->leaky_runs++;
		__kunit_printk(KERN_ERR, sw->test_case->name,
			       "fail sweep: run %d (%s) left %lu slab object(s) and %lu vmalloc area(s)",
			       sw->runs, injected ? "fault injected" : "no fault injected",
			       after.objects - min(after.objects, before.objects),
			       after.vmap_areas - min(after.vmap_areas, before.vmap_areas));
	}
	if (capture)
		fclose(capture);
	if (!injected) {
		if (held && held_len)
			fputs(held, stdout);
		fflush(stdout);
		sw->test->status = t.status;
		memcpy(sw->test->status_comment, t.status_comment, sizeof(t.status_comment));
		sw->final_seen = true;
	}
	free(held);
	return t.status == KUNIT_FAILURE ? -EIO : 0;
}

static void run_case_swept(struct kunit_suite *suite, struct kunit_case *test_case,
			   struct kunit *test)
{
	struct sweep sw = { suite, test_case, test, false, 0, 0 };
	unsigned long reports_before = ukmem_report_count(), reports;
	int leaked;

	test->status = KUNIT_FAILURE;	/* unless a run without injection passed */
	test->status_comment[0] = '\0';
	leaked = ukmem_fail_sweep(sweep_run, &sw);
	test->name = test_case->name;
	if (leaked < 0) {
		kunit_set_failure(test);
		kunit_err(test, "fail sweep: cannot run (%d)", leaked);
		return;
	}
	if (!sw.final_seen)
		kunit_set_failure(test);
	reports = ukmem_report_count() - reports_before;
	if (leaked || sw.leaky_runs) {
		kunit_set_failure(test);
		kunit_err(test, "fail sweep: %d run(s) leaked", max(leaked, sw.leaky_runs));
	} else if (reports) {
		kunit_set_failure(test);
		kunit_err(test, "fail sweep: ukmem printed %lu report(s)", reports);
	}
}

static void run_case_here(struct kunit_suite *suite, struct kunit_case *test_case,
			  struct kunit *test)
{
	struct mem_snapshot before;
	unsigned long reports_before;

	if (__atomic_load_n(&runner.fail_sweep, __ATOMIC_RELAXED)) {
		run_case_swept(suite, test_case, test);
		return;
	}
	mem_snapshot(&before);
	reports_before = ukmem_report_count();
	run_case_core(suite, test_case, test);
	check_after_case(test, &before, reports_before);
}

/* ---- one case, in a child ---- */
struct child_result {
	enum kunit_status status;
	char comment[KUNIT_STATUS_COMMENT_SIZE];
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Read the child's result from @fd: the bytes read (fewer when it died first), or
 * -ETIMEDOUT when kunit.timeout seconds passed first. */
static ssize_t read_result(int fd, void *buf, size_t size)
{
	unsigned int timeout = __atomic_load_n(&runner.timeout, __ATOMIC_RELAXED);
	long long deadline = now_ms() + timeout * 1000LL;
	ssize_t got = 0;

	while (got < (ssize_t)size) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long long left = timeout ? deadline - now_ms() : -1;
		ssize_t n;

		if (timeout && left <= 0)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, left < 0 ? -1 : left > INT_MAX ? INT_MAX : (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (n == 0)
			continue;	/* the deadline is checked above */
		n = read(fd, (char *)buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	return got;
}

static void run_case_forked(struct kunit_suite *suite, struct kunit_case *test_case,
			    struct kunit *test)
{
	struct child_result res = { KUNIT_FAILURE, "" };
	int fds[2], wstatus;
	ssize_t got = 0;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	if (pipe(fds) || (pid = fork()) < 0) {
		kunit_init_test(test, test_case->name, test_case->log);
		kunit_err(test, "cannot fork the test's process: %s", strerror(errno));
		kunit_set_failure(test);
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		run_case_here(suite, test_case, test);
		res.status = test->status;
		snprintf(res.comment, sizeof(res.comment), "%s", test->status_comment);
		fflush(stdout);
		fflush(stderr);
		if (write(fds[1], &res, sizeof(res)) != sizeof(res))
			_exit(3);
		_exit(0);
	}
	close(fds[1]);
	got = read_result(fds[0], &res, sizeof(res));
	close(fds[0]);
	if (got == -ETIMEDOUT)
		kill(pid, SIGKILL);
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	kunit_init_test(test, test_case->name, test_case->log);
	if (got == -ETIMEDOUT) {
		/* 6.1's two lines: kunit_try_catch_run's, then kunit_catch_run_case's */
		kunit_err(test, "try timed out");
		kunit_err(test, "test case timed out");
		kunit_set_failure(test);
		return;
	}
	if (got == sizeof(res) && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) {
		test->status = res.status;
		snprintf(test->status_comment, sizeof(test->status_comment), "%s", res.comment);
		return;
	}
	kunit_set_failure(test);
	if (WIFSIGNALED(wstatus))
		kunit_err(test, "crashed: killed by signal %d (%s)", WTERMSIG(wstatus),
			  strsignal(WTERMSIG(wstatus)));
	else
		kunit_err(test, "the test's process exited with status %d before finishing",
			  WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
}

static void run_case_catch_errors(struct kunit_suite *suite, struct kunit_case *test_case,
				  struct kunit *test)
{
	if (__atomic_load_n(&runner.no_fork, __ATOMIC_RELAXED))
		run_case_here(suite, test_case, test);
	else
		run_case_forked(suite, test_case, test);
	if (test->status == KUNIT_FAILURE)
		test_case->status = KUNIT_FAILURE;
	else if (test_case->status != KUNIT_FAILURE && test->status == KUNIT_SUCCESS)
		test_case->status = KUNIT_SUCCESS;
}

/* ---- KTAP ---- */
struct stats {
	unsigned long passed, skipped, failed, total;
};

static void stats_add(struct stats *s, enum kunit_status status)
{
	if (status == KUNIT_SUCCESS)
		s->passed++;
	else if (status == KUNIT_SKIPPED)
		s->skipped++;
	else
		s->failed++;
	s->total++;
}

static void print_ok(const char *indent, enum kunit_status status, size_t nr, const char *name,
		     const char *comment)
{
	bool skip = status == KUNIT_SKIPPED;

	ukmem__kunit_line("%s%s %zu %s%s%s", indent, kunit_status_to_ok_not_ok(status), nr, name,
			  skip ? " # SKIP " : "", skip ? comment : "");
}

static void run_params(struct kunit_suite *suite, struct kunit_case *test_case,
		       struct kunit *test, struct stats *param_stats)
{
	char desc[KUNIT_PARAM_DESC_SIZE];

	desc[0] = '\0';
	test->param_value = test_case->generate_params(NULL, desc);
	ukmem__kunit_line(KUNIT_SUBTEST_INDENT KUNIT_SUBTEST_INDENT "KTAP version 1");
	ukmem__kunit_line(KUNIT_SUBTEST_INDENT KUNIT_SUBTEST_INDENT "# Subtest: %s",
			  test_case->name);
	while (test->param_value) {
		run_case_catch_errors(suite, test_case, test);
		if (!desc[0])
			snprintf(desc, sizeof(desc), "param-%d", test->param_index);
		ukmem__kunit_line(KUNIT_SUBTEST_INDENT KUNIT_SUBTEST_INDENT "%s %d %s",
				  kunit_status_to_ok_not_ok(test->status),
				  test->param_index + 1, desc);
		desc[0] = '\0';
		test->param_value = test_case->generate_params(test->param_value, desc);
		test->param_index++;
		stats_add(param_stats, test->status);
	}
}

/**
 * kunit_run_tests() - run one suite and print its KTAP block.
 * @suite: the suite
 *
 * Return: 0.
 */
int kunit_run_tests(struct kunit_suite *suite)
{
	struct stats suite_stats = { 0 }, total_stats = { 0 };
	struct kunit_case *test_case;

	/* The clean-up checks read the allocators' lists: they must exist (a first call). */
	ukmem__ensure_started();
	if (suite->suite_init) {
		suite->suite_init_err = suite->suite_init(suite);
		if (suite->suite_init_err) {
			/* 6.1 passes an indented "# ..." text to kunit_err(), which prefixes
			 * another: the line reads "    # name:     # failed to initialize (N)". */
			ukmem__kunit_line(KUNIT_SUBTEST_INDENT "# %s: " KUNIT_SUBTEST_INDENT
					  "# failed to initialize (%d)", suite->name,
					  suite->suite_init_err);
			goto end;
		}
	}
	ukmem__kunit_line(KUNIT_SUBTEST_INDENT "KTAP version 1");
	ukmem__kunit_line(KUNIT_SUBTEST_INDENT "# Subtest: %s", suite->name);
	ukmem__kunit_line(KUNIT_SUBTEST_INDENT "1..%zu", kunit_suite_num_test_cases(suite));
	kunit_suite_for_each_test_case(suite, test_case) {
		struct kunit test = { .param_value = NULL, .param_index = 0 };
		struct stats param_stats = { 0 };

		test_case->status = KUNIT_SKIPPED;
		if (!test_case->generate_params) {
			run_case_catch_errors(suite, test_case, &test);
			stats_add(&param_stats, test.status);
		} else {
			run_params(suite, test_case, &test, &param_stats);
		}
		if (param_stats.total > 1)
			ukmem__kunit_line(KUNIT_SUBTEST_INDENT "# %s: pass:%lu fail:%lu skip:%lu total:%lu",
					  test.name, param_stats.passed, param_stats.failed,
					  param_stats.skipped, param_stats.total);
		print_ok(KUNIT_SUBTEST_INDENT, test_case->status,
			 kunit_test_case_num(suite, test_case), test_case->name, test.status_comment);
		stats_add(&suite_stats, test_case->status);
		total_stats.passed += param_stats.passed;
		total_stats.failed += param_stats.failed;
		total_stats.skipped += param_stats.skipped;
		total_stats.total += param_stats.total;
	}
	if (suite->suite_exit)
		suite->suite_exit(suite);
	if (suite_stats.total > 1)
		ukmem__kunit_line("# %s: pass:%lu fail:%lu skip:%lu total:%lu", suite->name,
				  suite_stats.passed, suite_stats.failed, suite_stats.skipped,
				  suite_stats.total);
	if (total_stats.total > 1)
		ukmem__kunit_line("# Totals: pass:%lu fail:%lu skip:%lu total:%lu",
				  total_stats.passed, total_stats.failed, total_stats.skipped,
				  total_stats.total);
end:
	print_ok("", kunit_suite_has_succeeded(suite),
		 __atomic_fetch_add(&runner.suite_counter, 1, __ATOMIC_RELAXED), suite->name,
		 suite->status_comment);
	return 0;
}

static void init_suite(struct kunit_suite *suite)
{
	suite->status_comment[0] = '\0';
	suite->suite_init_err = 0;
}

/**
 * __kunit_test_suites_init() - run suites one after the other (no header printed).
 * @suites: the suites
 * @num_suites: how many
 *
 * Return: 0.
 */
int __kunit_test_suites_init(struct kunit_suite * const * const suites, int num_suites)
{
	for (int i = 0; i < num_suites; i++) {
		init_suite(suites[i]);
		kunit_run_tests(suites[i]);
	}
	return 0;
}

/**
 * __kunit_test_suites_exit() - the next suites are numbered from 1 again, as after a
 * module's suites in the kernel (there are no debugfs entries to remove).
 * @suites: the suites
 * @num_suites: how many
 */
void __kunit_test_suites_exit(struct kunit_suite **suites, int num_suites)
{
	(void)suites;
	(void)num_suites;
	__atomic_store_n(&runner.suite_counter, 1, __ATOMIC_RELAXED);
}

/* ---- the executor ---- */
struct filtered {
	struct kunit_suite **suites;	/* copies of the matching suites, each with its own
					 * array of the matching cases (to free) */
	size_t n;
};

/* A bracket expression at @cls (just past its '['), tested against @c: sets *hit and
 * returns what follows its ']', or NULL when it has no ']' (then the '[' is a plain
 * character).  '!' first inverts it; ']' first is a member; "a-z" is a range unless the
 * '-' is last. */
static const char *glob_class(const char *cls, unsigned char c, bool *hit)
{
	bool invert = *cls == '!', in = false;
	const unsigned char *p = (const unsigned char *)cls + invert;

	do {
		unsigned char lo = *p++, hi = lo;

		if (!lo)
			return NULL;
		if (p[0] == '-' && p[1] != ']') {
			hi = p[1];
			if (!hi)
				return NULL;
			p += 2;
		}
		in |= lo <= c && c <= hi;
	} while (*p != ']');
	*hit = c && in != invert;	/* a class never matches the string's end */
	return (const char *)p + 1;
}

/* 6.1's glob_match (lib/glob.c), which its executor filters with: '*' matches anything
 * ('.' and '/' too), '?' one character, '[...]' a class as glob_class() reads it, '\' makes
 * the next character plain (a '\' at the very end matches the end).  Not fnmatch(): for it
 * "[^a]" is inverted and "[[:digit:]]" a named class; for 6.1 '^' and ':' are members. */
static bool kunit_glob_match(const char *pat, const char *str)
{
	const char *star_pat = NULL, *star_str = NULL;

	for (;;) {
		unsigned char c = *str, d = *pat++;
		const char *past;
		bool hit;

		if (d == '*') {
			if (!*pat)
				return true;
			star_pat = pat;		/* the star takes nothing, then one more... */
			star_str = str;
			continue;
		}
		if (d == '?') {
			hit = c;
		} else if (d == '[' && (past = glob_class(pat, c, &hit))) {
			pat = past;
		} else {
			if (d == '\\')
				d = *pat++;
			if (c == d && !d)
				return true;
			hit = c == d;
		}
		if (hit) {
			str++;
			continue;
		}
		if (!c || !star_pat)
			return false;
		pat = star_pat;
		str = ++star_str;
	}
}

/* "suite_glob[.test_glob]": a copy of every matching suite with at least one matching case,
 * holding only those cases (all of them without a test glob). */
static int filter_suites(struct kunit_suite * const *start, struct kunit_suite * const *end,
			 const char *glob, struct filtered *out)
{
	size_t max = end - start;
	char suite_glob[256];
	const char *test_glob = strchr(glob, '.');

	snprintf(suite_glob, sizeof(suite_glob), "%.*s",
		 (int)(test_glob ? test_glob - glob : (long)strlen(glob)), glob);
	if (test_glob)
		test_glob++;
	out->suites = calloc(max + 1, sizeof(*out->suites));
	out->n = 0;
	if (!out->suites)
		return -ENOMEM;
	for (size_t i = 0; i < max; i++) {
		struct kunit_suite *suite = start[i], *copy;
		struct kunit_case *tc, *cases;
		size_t n = 0;

		if (!kunit_glob_match(suite_glob, suite->name))
			continue;
		kunit_suite_for_each_test_case(suite, tc)
			n += !test_glob || kunit_glob_match(test_glob, tc->name);
		if (!n)
			continue;
		copy = malloc(sizeof(*copy));
		cases = calloc(n + 1, sizeof(*cases));
		if (!copy || !cases) {
			free(copy);
			free(cases);
			return -ENOMEM;
		}
		memcpy(copy, suite, sizeof(*copy));
		n = 0;
		kunit_suite_for_each_test_case(suite, tc)
			if (!test_glob || kunit_glob_match(test_glob, tc->name))
				cases[n++] = *tc;
		copy->test_cases = cases;
		out->suites[out->n++] = copy;
	}
	return 0;
}

static void free_filtered(struct filtered *f)
{
	for (size_t i = 0; f->suites && i < f->n; i++) {
		free(f->suites[i]->test_cases);
		free(f->suites[i]);
	}
	free(f->suites);
}

static void list_tests(struct kunit_suite * const *suites, size_t n)
{
	ukmem__kunit_line("KTAP version 1");
	for (size_t i = 0; i < n; i++) {
		struct kunit_case *tc;

		kunit_suite_for_each_test_case(suites[i], tc)
			ukmem__kunit_line("%s.%s", suites[i]->name, tc->name);
	}
}

static const char usage[] =
	"usage: %s [--list] [--filter=SUITE_GLOB[.TEST_GLOB]] [--fail-sweep] [--no-fork]\n"
	"          [ukmem command-line parameters ...]\n"
	"Runs the KUnit suites linked into this program and prints KTAP.  Defaults:\n"
	"kasan=on kmemleak=on dma_debug=on, then $UKMEM_CMDLINE, then the parameters given\n"
	"here (kunit.filter_glob=, kunit.action=list, kunit.fail_sweep=1, kunit.fork=0 work\n"
	"as on a kernel command line; kunit.timeout=SECONDS limits each forked case, 300 by\n"
	"default, 0 for none).\n";

/* The command line the run starts ukmem with: the test defaults, the environment, argv. */
static int build_cmdline(int argc, char **argv, char *buf, size_t size)
{
	const char *env = getenv("UKMEM_CMDLINE");
	size_t len = snprintf(buf, size, "kasan=on kmemleak=on dma_debug=on %s", env ? env : "");

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		char word[512];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fprintf(stdout, usage, argv[0]);
			return 1;
		} else if (!strcmp(a, "--list")) {
			snprintf(word, sizeof(word), "kunit.action=list");
		} else if (!strncmp(a, "--filter=", 9)) {
			snprintf(word, sizeof(word), "\"kunit.filter_glob=%s\"", a + 9);
		} else if (!strcmp(a, "--fail-sweep")) {
			snprintf(word, sizeof(word), "kunit.fail_sweep=1");
		} else if (!strcmp(a, "--no-fork")) {
			snprintf(word, sizeof(word), "kunit.fork=0");
		} else if (a[0] == '-') {
			fprintf(stderr, "%s: unknown option '%s'\n", argv[0], a);
			fprintf(stderr, usage, argv[0]);
			return -EINVAL;
		} else {
			snprintf(word, sizeof(word), "\"%s\"", a);
		}
		len += snprintf(buf + len, len < size ? size - len : 0, " %s", word);
		if (len >= size) {
			fprintf(stderr, "%s: command line too long\n", argv[0]);
			return -EINVAL;
		}
	}
	return 0;
}

/* The executor's run proper, under runner.lock: 0, 1 or 2 as ukmem_kunit_run_suites. */
static int run_suites(struct kunit_suite * const *start, struct kunit_suite * const *end,
		      const struct ukmem__config *c)
{
	struct filtered f = { 0 };
	struct kunit_suite * const *suites = start;
	size_t n = start && end > start ? (size_t)(end - start) : 0;
	int err, failed = 0;

	__atomic_store_n(&runner.no_fork, c->kunit_no_fork, __ATOMIC_RELAXED);
	__atomic_store_n(&runner.fail_sweep, c->kunit_fail_sweep, __ATOMIC_RELAXED);
	__atomic_store_n(&runner.timeout, c->kunit_timeout, __ATOMIC_RELAXED);
	if (c->kunit_filter_glob[0]) {
		err = filter_suites(start, n ? end : start, c->kunit_filter_glob, &f);
		if (err) {
			fprintf(stderr, "kunit executor: error filtering suites: %d\n", err);
			free_filtered(&f);
			return 2;
		}
		suites = f.suites;
		n = f.n;
	}
	if (!strcmp(c->kunit_action, "list")) {
		list_tests(suites, n);
	} else {
		ukmem__kunit_line("KTAP version 1");
		ukmem__kunit_line("1..%zu", n);
		__atomic_store_n(&runner.suite_counter, 1, __ATOMIC_RELAXED);
		__kunit_test_suites_init(suites, (int)n);
		for (size_t i = 0; i < n; i++)
			failed |= kunit_suite_has_succeeded(suites[i]) == KUNIT_FAILURE;
	}
	free_filtered(&f);
	return failed ? 1 : 0;
}

/**
 * ukmem_kunit_run_suites() - the KUnit executor over an array of suites.
 * @start: first suite pointer
 * @end: one past the last
 * @argc: the program's arguments (see ukmem_kunit_run in <ukmem.h>)
 * @argv: the program's arguments
 *
 * Return: 0 when every suite passed (or was skipped), 1 when one failed, 2 on a usage or
 * start-up error.
 */
int ukmem_kunit_run_suites(struct kunit_suite * const *start, struct kunit_suite * const *end,
			   int argc, char **argv)
{
	char cmdline[4096];
	struct ukmem__config cfg = { 0 };
	int err, failed;

	err = build_cmdline(argc, argv, cmdline, sizeof(cmdline));
	if (err)
		return err > 0 ? 0 : 2;
	err = ukmem_init(cmdline);
	if (err == -EBUSY) {
		/* Started already (by an earlier call): only the kunit.* words apply now, over
		 * start-up's timeout (read only now: ukmem_init has seen start-up finish). */
		cfg.kunit_timeout = ukmem__cfg.kunit_timeout;
		if (ukmem__cmdline_parse(cmdline, &cfg))
			return 2;
	} else if (err) {
		return 2;
	} else {
		cfg = ukmem__cfg;
	}
	pthread_mutex_lock(&runner.lock);
	failed = run_suites(start, end, &cfg);
	pthread_mutex_unlock(&runner.lock);
	return failed;
}


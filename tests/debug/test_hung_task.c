/* SPDX-License-Identifier: MIT */
/*
 * The hung-task detector (hung_task_timeout_secs=): a task asleep in TASK_UNINTERRUPTIBLE
 * longer than the timeout (in wait_for_completion, mutex_lock, down_read, wait_event) is
 * reported once per sleep, with its comm and pid; sleeps in other states and short ones are
 * not; the watchdog thread starts at the first sleep, and a fork's child starts its own;
 * hung_task_panic=1 aborts after the report; hung_task_timeout_secs=0 reports nothing.
 */
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <ukmem.h>
#include "ktest.h"

#define CMDLINE "hung_task_timeout_secs=1 hung_task_check_interval_secs=1"


/* Whether a thread of this process is called khungtaskd (the watchdog). */
static bool watchdog_runs(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	bool found = false;

	KT_ASSERT(d);
	while (!found && (e = readdir(d))) {
		char path[300], comm[32] = "";
		FILE *f;

		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		found = fgets(comm, sizeof(comm), f) && !strcmp(comm, "khungtaskd\n");
		fclose(f);
	}
	closedir(d);
	return found;
}

/* The watchdog, started by a sleep, names itself soon after: wait up to a second for it. */
static bool watchdog_started(void)
{
	for (int i = 0; i < 100; i++) {
		if (watchdog_runs())
			return true;
		usleep(10 * 1000);
	}
	return false;
}

static struct {
	struct completion never, release, started;
	struct mutex lock;
	struct rw_semaphore sem;
	wait_queue_head_t wq;
	int flag;
	struct task_struct *interruptible;
	int pid[16];			/* by T_* */
} s;

enum { T_COMPL, T_HOLDER, T_MUTEX, T_RWSEM, T_EVENT, T_SHORT, T_INTR, T_IDLE, T_EVINTR,
       T_EVIDLE, NR_T };
static const char *const names[NR_T] = {
	"hung-compl", "hung-holder", "hung-mutex", "hung-rwsem", "hung-event", "hung-short",
	"hung-intr", "hung-idle", "hung-evintr", "hung-evidle",
};

static void *sleeper(void *arg)
{
	long i = (long)arg;

	pthread_setname_np(pthread_self(), names[i]);
	s.pid[i] = current->pid;
	switch (i) {
	case T_COMPL:
		complete(&s.started);
		wait_for_completion(&s.never);		/* reported */
		break;
	case T_HOLDER:				/* holds the mutex, sleeps interruptibly */
		mutex_lock(&s.lock);
		complete(&s.started);
		wait_for_completion_interruptible(&s.release);
		mutex_unlock(&s.lock);
		break;
	case T_MUTEX:
		complete(&s.started);
		mutex_lock(&s.lock);			/* reported */
		mutex_unlock(&s.lock);
		break;
	case T_RWSEM:
		complete(&s.started);
		down_read(&s.sem);			/* reported */
		up_read(&s.sem);
		break;
	case T_EVENT:
		complete(&s.started);
		wait_event(s.wq, __atomic_load_n(&s.flag, __ATOMIC_ACQUIRE));	/* reported */
		break;
	case T_SHORT:				/* short uninterruptible sleeps: never */
		complete(&s.started);
		for (int n = 0; n < 25; n++) {
			msleep(50);
			schedule_timeout_uninterruptible(msecs_to_jiffies(50));
		}
		break;
	case T_INTR:				/* TASK_INTERRUPTIBLE: never */
		s.interruptible = current;
		set_current_state(TASK_INTERRUPTIBLE);
		complete(&s.started);
		while (!__atomic_load_n(&s.flag, __ATOMIC_ACQUIRE)) {
			schedule();
			set_current_state(TASK_INTERRUPTIBLE);
		}
		__set_current_state(TASK_RUNNING);
		break;
	case T_IDLE:				/* TASK_IDLE: never */
		complete(&s.started);
		schedule_timeout_idle(msecs_to_jiffies(2500));
		break;
	case T_EVINTR:				/* wait_event_interruptible: never */
		complete(&s.started);
		wait_event_interruptible(s.wq, __atomic_load_n(&s.flag, __ATOMIC_ACQUIRE));
		break;
	case T_EVIDLE:				/* wait_event_idle: never (TASK_IDLE) */
		complete(&s.started);
		wait_event_idle(s.wq, __atomic_load_n(&s.flag, __ATOMIC_ACQUIRE));
		break;
	}
	return NULL;
}

/* A fork's child has no watchdog until its first sleep, then its own reports the sleep. */
static void check_fork_child(int *status)
{
	DECLARE_COMPLETION_ONSTACK(c);
	pid_t pid;

	*status = -1;
	if (KT_UNDER_TSAN)	/* TSan cannot start threads in a multi-threaded fork's child */
		return;
	fflush(stderr);
	pid = fork();
	KT_ASSERT(pid >= 0);
	if (pid == 0) {
		unsigned long before = ukmem_report_count();

		freopen("/dev/null", "w", stderr);
		if (watchdog_runs())
			_exit(2);
		wait_for_completion_timeout(&c, msecs_to_jiffies(2500));
		_exit(!watchdog_runs() ? 3 : ukmem_report_count() != before + 1 ? 4 : 0);
	}
	*status = pid;
}

static void child_detect(void *arg)
{
	DECLARE_COMPLETION_ONSTACK(quick);
	pthread_t t[NR_T];
	unsigned long before;
	int grandchild, status;
	char *out, line[128];

	KT_EQ(ukmem_init(arg), 0);
	init_completion(&s.never);
	init_completion(&s.release);
	init_completion(&s.started);
	mutex_init(&s.lock);
	init_rwsem(&s.sem);
	init_waitqueue_head(&s.wq);

	KT_ASSERT(!watchdog_runs());			/* nothing has slept yet */
	mutex_lock(&s.lock);				/* uncontended: no sleep */
	mutex_unlock(&s.lock);
	KT_ASSERT(!watchdog_runs());
	wait_for_completion_timeout(&quick, 1);		/* a real sleep starts it */
	KT_ASSERT(watchdog_started());
	check_fork_child(&grandchild);

	before = ukmem_report_count();
	kt_capture_begin();
	down_write(&s.sem);
	pthread_create(&t[T_HOLDER], NULL, sleeper, (void *)(long)T_HOLDER);
	wait_for_completion(&s.started);
	for (long i = 0; i < NR_T; i++) {
		if (i == T_HOLDER)
			continue;
		pthread_create(&t[i], NULL, sleeper, (void *)i);
		wait_for_completion(&s.started);
	}
	/* two scans (1 s timeout, 1 s interval) report all four; a loaded machine may delay
	 * the watchdog's scans, so wait for the reports rather than a fixed time */
	for (int ms = 0; ms < 60000 && ukmem_report_count() - before < 4; ms += 50)
		usleep(50 * 1000);
	complete(&s.never);
	complete(&s.release);
	up_write(&s.sem);
	__atomic_store_n(&s.flag, 1, __ATOMIC_RELEASE);
	wake_up(&s.wq);
	wake_up_process(s.interruptible);
	for (int i = 0; i < NR_T; i++)
		pthread_join(t[i], NULL);
	usleep(1500 * 1000);				/* one more scan: nothing new */
	out = kt_capture_end();

	for (int i = 0; i < NR_T; i++) {
		bool hung = i == T_COMPL || i == T_MUTEX || i == T_RWSEM || i == T_EVENT;

		snprintf(line, sizeof(line), "INFO: task %s:%d blocked for more than 1 seconds.\n",
			 names[i], s.pid[i]);
		KT_EQ(kt_count(out, line), hung);
		snprintf(line, sizeof(line), "INFO: task %s:", names[i]);
		KT_EQ(kt_count(out, line), hung);
	}
	KT_EQ(kt_count(out, "INFO: task "), 4);
	KT_EQ(ukmem_report_count() - before, 4);
	KT_CONTAINS(out, "      Not tainted 6.1.0-ukmem #1\n");
	KT_CONTAINS(out, "\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.\n");
	KT_CONTAINS(out, "state:D stack:0     pid:");
	KT_CONTAINS(out, "Call Trace:\n <TASK>\n");
	KT_CONTAINS(out, "sleeper");			/* the sleeping thread's own stack */
	KT_CONTAINS(out, "Showing all locks held in the system:\n");
	/* the holder sleeps while the mutex waiter is reported: its lock is listed */
	snprintf(line, sizeof(line), "1 lock held by hung-holder/%d:\n", s.pid[T_HOLDER]);
	KT_CONTAINS(out, line);
	free(out);

	if (grandchild > 0) {
		KT_ASSERT(waitpid(grandchild, &status, 0) == grandchild);
		KT_ASSERT(WIFEXITED(status));
		KT_EQ(WEXITSTATUS(status), 0);
	}
	KT_EQ(ukmem_exit(), 4);
}

static void *hang(void *arg)
{
	pthread_setname_np(pthread_self(), "hung-panic");
	wait_for_completion(arg);
	return NULL;
}

static void child_panic(void *arg)
{
	DECLARE_COMPLETION(never);
	pthread_t t;

	KT_EQ(ukmem_init(arg), 0);
	pthread_create(&t, NULL, hang, &never);
	sleep(5);					/* the report aborts first */
}

static void child_off(void *arg)
{
	DECLARE_COMPLETION(never);
	unsigned long before;

	KT_EQ(ukmem_init(arg), 0);
	before = ukmem_report_count();
	KT_EQ(wait_for_completion_timeout(&never, msecs_to_jiffies(2200)), 0);
	KT_ASSERT(!watchdog_runs());
	KT_EQ(ukmem_report_count(), before);
	KT_EQ(ukmem_exit(), 0);
}

int main(void)
{
	char *out;
	int status;

	out = kt_child_output(child_detect, CMDLINE);
	free(out);

	status = kt_run_child(child_panic, CMDLINE " hung_task_panic=1", &out);
	KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	KT_CONTAINS(out, "INFO: task hung-panic:");
	KT_CONTAINS(out, "Kernel panic - not syncing: hung_task: blocked tasks\n");
	free(out);

	out = kt_child_output(child_off, "hung_task_timeout_secs=0");
	KT_NOT_CONTAINS(out, "INFO: task");
	free(out);
	printf("ok\n");
	return 0;
}

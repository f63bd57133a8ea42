/* SPDX-License-Identifier: MIT */
/*
 * Kernel threads (kernel/kthread.c).  A kthread is a detached host thread with a record of
 * its own, struct kthread, whose first member is the task_struct the creator gets back and
 * the thread sees as `current` (the thread's ukmem__cpu.curr).  The record is kzalloc'd, so
 * kthread_create() fails with -ENOMEM under fault injection as 6.1's does; kmemleak never
 * reports it (it is scanned: it keeps threadfn's data referenced), the exit report names
 * the kthreads still running instead.
 *
 * A kthread's life: kthread_create() makes the record in TASK_UNINTERRUPTIBLE, starts the
 * thread and waits until it knows its pid; the thread names itself after the record's comm,
 * takes the record's task as `current` and sleeps in schedule() until a wake-up
 * (wake_up_process, or kthread_stop/kthread_park's).  Unless kthread_stop() came first, it
 * then parks if asked and runs threadfn.  At its end (threadfn's return, kthread_exit()) it
 * keeps the result, makes do_exit()'s context checks, gives `current` back to the thread's
 * own task and completes `exited`; from then on the thread does not touch the record.
 *
 * Invariants: every record not yet freed is on kthreads.list.  task.usage counts the
 * creator's reference (dropped by the first kthread_stop(), after the thread has exited),
 * the references of get_task_struct() and those a kthread_stop() in progress holds; the
 * record is freed when the count reaches 0, so a thread that exits on its own keeps its
 * result for the kthread_stop() to come.  `exited` is completed (complete_all) once, by
 * the thread, or in a forked child for a thread the child does not have.
 *
 * Locking: kthreads.lock (a host mutex, a leaf: nothing is called with it held) guards the
 * list, `stopped` and usage's last drop; `flags` holds atomic bits; the rest is written
 * before the thread is woken or by the thread itself.
 */
#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kmemleak.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/slab.h>
#include "core/core.h"
#include "platform/platform.h"

/* flags: kernel/kthread.c's bits */
enum { KTHREAD_IS_PER_CPU, KTHREAD_SHOULD_STOP, KTHREAD_SHOULD_PARK };

struct kthread {
	struct task_struct task;	/* first: the task is the record */
	unsigned long flags;
	int (*threadfn)(void *data);
	void *data;
	int result;			/* threadfn's, or -EINTR: for kthread_stop() */
	int bind_cpu;			/* kthread_bind()'s CPU, -1 for the thread's own */
	unsigned int started;		/* the thread has its pid: kthread_create() may return */
	bool stopped;			/* kthread_stop() was called */
	bool lost;			/* a forked child's record of a parent's thread */
	struct completion parked, exited;
	struct list_head node;		/* on kthreads.list */
};

static struct {
	pthread_mutex_t lock;
	struct list_head list;		/* every record not yet freed */
} kthreads = { PTHREAD_MUTEX_INITIALIZER, LIST_HEAD_INIT(kthreads.list) };

/* A flag bit; an atomic load, as set_bit() and clear_bit() (test_bit() is a plain read). */
static bool flag_test(const struct kthread *kt, int bit)
{
	return __atomic_load_n(&kt->flags, __ATOMIC_ACQUIRE) & (1UL << bit);
}

/* 6.1's to_kthread(): the record of a task that must be a kthread, or NULL after the
 * WARNING (6.1 then uses the NULL). */
static struct kthread *to_kthread(struct task_struct *k)
{
	if (WARN_ON_ONCE(!(__atomic_load_n(&k->flags, __ATOMIC_RELAXED) & PF_KTHREAD)))
		return NULL;
	return k->worker_private;
}

/* 6.1's __to_kthread(): the record, or NULL for a task that is not a kthread. */
static struct kthread *__to_kthread(struct task_struct *k)
{
	return __atomic_load_n(&k->flags, __ATOMIC_RELAXED) & PF_KTHREAD ? k->worker_private : NULL;
}

/* ---- references ---- */
static void kthread_free(struct kthread *kt)
{
	kfree(kt);
}

/* Drop one reference under kthreads.lock; true when it was the last (the record is off the
 * list then, for the caller to free). */
static bool usage_put_locked(struct kthread *kt)
{
	int left = --kt->task.usage;

	if (WARN_ONCE(left < 0, "refcount_t: underflow; use-after-free.\n")) {
		kt->task.usage = 0;
		return false;
	}
	if (left)
		return false;
	list_del(&kt->node);
	return true;
}

static void usage_put(struct kthread *kt)
{
	bool last;

	pthread_mutex_lock(&kthreads.lock);
	last = usage_put_locked(kt);
	pthread_mutex_unlock(&kthreads.lock);
	if (last)
		kthread_free(kt);
}

/**
 * get_task_struct - take a reference on a task
 * @t: the task
 *
 * A kthread's task_struct (and its result) then stays after the thread exits, until the
 * matching put_task_struct().  An ordinary thread's task lives as long as its thread.
 *
 * Return: @t.
 */
struct task_struct *get_task_struct(struct task_struct *t)
{
	if (__to_kthread(t)) {
		pthread_mutex_lock(&kthreads.lock);
		t->usage++;
		pthread_mutex_unlock(&kthreads.lock);
	} else {
		__atomic_add_fetch(&t->usage, 1, __ATOMIC_RELAXED);
	}
	return t;
}

/**
 * put_task_struct - drop a reference taken by get_task_struct()
 * @t: the task
 *
 * The last reference on a kthread that kthread_stop() was called for frees its task_struct.
 * More puts than gets are 6.1's refcount_t underflow warning, and change nothing.
 */
void put_task_struct(struct task_struct *t)
{
	struct kthread *kt = __to_kthread(t);

	if (kt) {
		usage_put(kt);
		return;
	}
	if (WARN_ONCE(__atomic_sub_fetch(&t->usage, 1, __ATOMIC_RELAXED) < 0,
		      "refcount_t: underflow; use-after-free.\n"))
		__atomic_store_n(&t->usage, 0, __ATOMIC_RELAXED);
}

/* ---- the thread ---- */
static void kthread_parkme_self(struct kthread *self)
{
	for (;;) {
		set_current_state(TASK_PARKED);
		if (!flag_test(self, KTHREAD_SHOULD_PARK))
			break;
		complete(&self->parked);
		schedule();		/* until kthread_unpark()'s wake_up_state(TASK_PARKED) */
	}
	__set_current_state(TASK_RUNNING);
}

/* The thread's end (do_exit() for a kthread): the result, the context checks, then
 * kthread_stop() may go on and free the record. */
static void kthread_end(struct kthread *self, int result)
{
	struct ukmem__cpu *c = ukmem__cpu();

	self->result = result;
	ukmem__context_exit_checks();
	__atomic_or_fetch(&self->task.flags, PF_EXITING, __ATOMIC_RELEASE);
	__atomic_store_n(&self->task.__state, TASK_DEAD, __ATOMIC_RELAXED);
	c->curr = &c->task;
	complete_all(&self->exited);
}

static void *kthread_main(void *arg)
{
	struct kthread *self = arg;
	struct ukmem__cpu *c;
	int ret = -EINTR;

	ukmem__os_thread_setname(self->task.comm);	/* before the context reads the name */
	c = ukmem__cpu();
	self->task.pid = c->task.pid;
	self->task.tgid = c->task.tgid;
	c->curr = &self->task;
	__atomic_store_n(&self->started, 1, __ATOMIC_RELEASE);
	ukmem__os_wake_on(&self->started, 1);
	schedule();			/* TASK_UNINTERRUPTIBLE: until the first wake-up */
	if (self->bind_cpu >= 0)
		c->cpu = self->bind_cpu;
	if (!flag_test(self, KTHREAD_SHOULD_STOP)) {
		kthread_parkme_self(self);
		ret = self->threadfn(self->data);
	}
	kthread_end(self, ret);
	return NULL;
}

/* ---- creation ---- */
static struct task_struct *kthread_create_va(int (*threadfn)(void *data), void *data,
					     const char *namefmt, va_list args)
{
	struct kthread *kt = kzalloc(sizeof(*kt), GFP_KERNEL);
	int err;

	if (!kt)
		return ERR_PTR(-ENOMEM);
	kmemleak_not_leak(kt);		/* on kthreads.list; the exit report names running ones */
	kt->task.__state = TASK_UNINTERRUPTIBLE;
	kt->task.flags = PF_KTHREAD;
	kt->task.usage = 1;		/* the creator's, until kthread_stop() */
	kt->task.worker_private = kt;
	vscnprintf(kt->task.comm, sizeof(kt->task.comm), namefmt, args);
	kt->threadfn = threadfn;
	kt->data = data;
	kt->bind_cpu = -1;
	init_completion(&kt->parked);
	init_completion(&kt->exited);
	pthread_mutex_lock(&kthreads.lock);
	list_add_tail(&kt->node, &kthreads.list);
	pthread_mutex_unlock(&kthreads.lock);
	err = ukmem__os_thread_start(kthread_main, kt);
	if (err) {
		pthread_mutex_lock(&kthreads.lock);
		list_del(&kt->node);
		pthread_mutex_unlock(&kthreads.lock);
		kthread_free(kt);
		return ERR_PTR(-ENOMEM);
	}
	while (!__atomic_load_n(&kt->started, __ATOMIC_ACQUIRE))
		ukmem__os_wait_on(&kt->started, 0, ~0ULL);
	return &kt->task;
}

/**
 * kthread_create_on_node - create a kthread, not yet running
 * @threadfn: the function it runs, with @data, once woken
 * @data: @threadfn's argument
 * @node: the memory node (no meaning here: one node)
 * @namefmt: printf-style name; comm is its first 15 characters
 *
 * The thread waits in TASK_UNINTERRUPTIBLE until wake_up_process() (or kthread_stop(),
 * which ends it before @threadfn runs).  @threadfn returns when kthread_should_stop() is
 * true, or earlier for a thread nobody stops; what it returns goes to kthread_stop().  May
 * sleep (its allocation is GFP_KERNEL).
 *
 * Return: the new task, or ERR_PTR(-ENOMEM).
 */
struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data, int node,
					   const char namefmt[], ...)
{
	struct task_struct *t;
	va_list args;

	(void)node;
	va_start(args, namefmt);
	t = kthread_create_va(threadfn, data, namefmt, args);
	va_end(args);
	return t;
}

/**
 * kthread_bind - bind a kthread that has not been woken yet to a CPU
 * @p: the kthread, just created
 * @cpu: the CPU: smp_processor_id() in the thread
 *
 * There is no scheduler to place the thread: binding sets the CPU id the thread runs as
 * (its per-CPU data).  A thread already woken is 6.1's WARNING, and stays where it is.
 */
void kthread_bind(struct task_struct *p, unsigned int cpu)
{
	struct kthread *kt = to_kthread(p);

	if (!kt)
		return;
	if (__atomic_load_n(&p->__state, __ATOMIC_ACQUIRE) != TASK_UNINTERRUPTIBLE ||
	    __atomic_load_n(&kt->task.ukmem_ever_woken, __ATOMIC_RELAXED)) {
		WARN_ON(1);
		return;
	}
	if (WARN_ON_ONCE(cpu >= nr_cpu_ids))
		return;
	kt->bind_cpu = (int)cpu;
	__atomic_or_fetch(&p->flags, PF_NO_SETAFFINITY, __ATOMIC_RELAXED);
}

/**
 * kthread_create_on_cpu - create a kthread bound to a CPU
 * @threadfn: as kthread_create_on_node()
 * @data: as kthread_create_on_node()
 * @cpu: the CPU, also the name's one argument
 * @namefmt: the name, a format with one unsigned int (the CPU)
 *
 * Return: the new task (not running), or ERR_PTR(-ENOMEM).
 */
struct task_struct *kthread_create_on_cpu(int (*threadfn)(void *data), void *data,
					  unsigned int cpu, const char *namefmt)
{
	struct task_struct *p = kthread_create_on_node(threadfn, data, NUMA_NO_NODE, namefmt, cpu);

	if (!IS_ERR(p))
		kthread_bind(p, cpu);
	return p;
}

/* ---- asked from inside the thread ---- */
/**
 * kthread_should_stop - whether kthread_stop() was called for the calling kthread
 *
 * Outside a kthread: 6.1's to_kthread() WARNING (once), and false.
 */
bool kthread_should_stop(void)
{
	struct kthread *self = to_kthread(current);

	return self && flag_test(self, KTHREAD_SHOULD_STOP);
}

/**
 * __kthread_should_park - whether kthread_park() was called for @k
 * @k: a kthread
 */
bool __kthread_should_park(struct task_struct *k)
{
	struct kthread *kt = to_kthread(k);

	return kt && flag_test(kt, KTHREAD_SHOULD_PARK);
}

/** kthread_should_park - whether kthread_park() was called for the calling kthread */
bool kthread_should_park(void)
{
	return __kthread_should_park(current);
}

/**
 * kthread_freezable_should_stop - kthread_should_stop() for a freezable kthread
 * @was_frozen: set to false when given: there is no freezer, nothing is ever frozen
 */
bool kthread_freezable_should_stop(bool *was_frozen)
{
	might_sleep();
	if (was_frozen)
		*was_frozen = false;
	return kthread_should_stop();
}

/**
 * kthread_parkme - park the calling kthread while kthread_park() wants it parked
 *
 * Returns once kthread_unpark() (or kthread_stop()) has been called.
 */
void kthread_parkme(void)
{
	struct kthread *self = to_kthread(current);

	if (self)
		kthread_parkme_self(self);
}

/**
 * kthread_exit - end the calling kthread now, with @result for kthread_stop()
 * @result: what kthread_stop() returns
 *
 * Outside a kthread: 6.1's to_kthread() WARNING, and the thread ends all the same.
 */
__noreturn void kthread_exit(long result)
{
	struct kthread *self = to_kthread(current);

	if (self)
		kthread_end(self, (int)result);
	ukmem__os_thread_exit();
}

/**
 * kthread_complete_and_exit - complete @comp (if given), then kthread_exit(@code)
 * @comp: a completion, or NULL
 * @code: what kthread_stop() returns
 */
__noreturn void kthread_complete_and_exit(struct completion *comp, long code)
{
	if (comp)
		complete(comp);
	kthread_exit(code);
}

/* ---- asked about a kthread ---- */
/** kthread_func - the function @k was created with; NULL when @k is not a kthread */
void *kthread_func(struct task_struct *k)
{
	struct kthread *kt = __to_kthread(k);

	return kt ? (void *)kt->threadfn : NULL;
}

/** kthread_data - the data @k was created with (6.1's WARNING and NULL for a non-kthread) */
void *kthread_data(struct task_struct *k)
{
	struct kthread *kt = to_kthread(k);

	return kt ? kt->data : NULL;
}

/** kthread_probe_data - kthread_data() without the warning: NULL for a non-kthread */
void *kthread_probe_data(struct task_struct *k)
{
	struct kthread *kt = __to_kthread(k);

	return kt ? kt->data : NULL;
}

/** kthread_is_per_cpu - whether @k is a per-CPU kthread (kthread_set_per_cpu: never here) */
bool kthread_is_per_cpu(struct task_struct *k)
{
	struct kthread *kt = __to_kthread(k);

	return kt && flag_test(kt, KTHREAD_IS_PER_CPU);
}

/**
 * get_kthread_comm - the name of a kthread (its comm: at most 15 characters here)
 * @buf: where to put it
 * @buf_size: its size
 * @tsk: the task
 */
void get_kthread_comm(char *buf, size_t buf_size, struct task_struct *tsk)
{
	if (!buf_size)
		return;
	strncpy(buf, tsk->comm, buf_size);
	buf[buf_size - 1] = '\0';
}

/* ---- park, unpark, stop ---- */
/**
 * kthread_unpark - let a parked kthread go on
 * @k: the kthread
 */
void kthread_unpark(struct task_struct *k)
{
	struct kthread *kt = to_kthread(k);

	if (!kt || !flag_test(kt, KTHREAD_SHOULD_PARK))
		return;
	clear_bit(KTHREAD_SHOULD_PARK, &kt->flags);
	wake_up_state(k, TASK_PARKED);
}

/**
 * kthread_park - make a kthread park and wait until it has
 * @k: the kthread; it parks in kthread_parkme() (or before threadfn, when it was not
 *     woken yet).  The kthread itself may call it: then only the request is made.
 *
 * Return: 0; -ENOSYS (and 6.1's WARNING) when it has exited, -EBUSY (and a WARNING) when
 * it is parked already.  May sleep.
 */
int kthread_park(struct task_struct *k)
{
	struct kthread *kt = to_kthread(k);

	if (!kt)
		return -EINVAL;
	if (WARN_ON(__atomic_load_n(&k->flags, __ATOMIC_RELAXED) & PF_EXITING))
		return -ENOSYS;
	if (WARN_ON_ONCE(flag_test(kt, KTHREAD_SHOULD_PARK)))
		return -EBUSY;
	reinit_completion(&kt->parked);
	set_bit(KTHREAD_SHOULD_PARK, &kt->flags);
	if (k != current) {
		wake_up_process(k);
		wait_for_completion(&kt->parked);
	}
	return 0;
}

/* The record of @k, with a reference, when @k is a live record; whether a kthread_stop()
 * came before (it is marked stopped from here). */
static struct kthread *stop_get(struct task_struct *k, bool *again)
{
	struct kthread *kt;

	pthread_mutex_lock(&kthreads.lock);
	list_for_each_entry(kt, &kthreads.list, node)
		if (&kt->task == k) {
			kt->task.usage++;
			*again = kt->stopped;
			kt->stopped = true;
			pthread_mutex_unlock(&kthreads.lock);
			return kt;
		}
	pthread_mutex_unlock(&kthreads.lock);
	return NULL;
}

/**
 * kthread_stop - make a kthread's kthread_should_stop() true, wake it and wait for its end
 * @k: the kthread
 *
 * A parked thread is unparked; one never woken ends without running threadfn; a
 * TASK_INTERRUPTIBLE sleep (schedule, schedule_timeout) and a wait_event*() of the thread
 * end so that it sees the request.  After the first kthread_stop() the task_struct is freed
 * unless get_task_struct() holds it.  May sleep.
 *
 * Return: what threadfn returned (also when it had returned before), -EINTR when the thread
 * never ran it.  A task that is not a kthread, or was freed by an earlier kthread_stop(), is
 * a WARNING and -EINVAL (6.1 dereferences it); a second kthread_stop() of a kthread still
 * referenced is a WARNING and returns the result again (6.1's would wait for ever); so would
 * a kthread's kthread_stop() of itself, here a WARNING and -EDEADLK with nothing changed.
 */
int kthread_stop(struct task_struct *k)
{
	struct kthread *kt;
	bool again, last;
	int ret;

	if (WARN(k == current && __to_kthread(k),
		 "kthread_stop(%s/%d): called by the kthread itself, it would wait for its own end\n",
		 k->comm, k->pid))
		return -EDEADLK;
	kt = stop_get(k, &again);
	if (!kt) {
		WARN(1, "kthread_stop(%px): not a kthread, or one already stopped and freed\n", k);
		return -EINVAL;
	}
	WARN(again, "kthread_stop(%s/%d): stopped already\n", k->comm, k->pid);
	set_bit(KTHREAD_SHOULD_STOP, &kt->flags);
	kthread_unpark(k);
	__atomic_store_n(&k->ukmem_notify_signal, true, __ATOMIC_RELEASE);
	wake_up_process(k);
	wait_for_completion(&kt->exited);
	ret = kt->result;
	pthread_mutex_lock(&kthreads.lock);
	last = usage_put_locked(kt);
	if (!again && !last)
		last = usage_put_locked(kt);	/* the creator's */
	pthread_mutex_unlock(&kthreads.lock);
	if (last)
		kthread_free(kt);
	return ret;
}

/* ---- exit and fork ---- */
/* At ukmem_exit: a kthread still running (or never woken) is one nobody stopped; reported
 * as a leak, named, and left running (waiting for it could wait for ever). */
static void kthread_exit_report(void)
{
	struct kthread *kt;

	pthread_mutex_lock(&kthreads.lock);
	list_for_each_entry(kt, &kthreads.list, node) {
		if (kt->lost || (__atomic_load_n(&kt->task.flags, __ATOMIC_RELAXED) & PF_EXITING))
			continue;	/* its function has returned */
		ukmem__report_begin();
		printk(KERN_ERR "kthread %s/%d (%ps) is still running at exit: kthread_stop() was "
		       "never called%s\n", kt->task.comm, kt->task.pid, (void *)kt->threadfn,
		       __atomic_load_n(&kt->task.ukmem_ever_woken, __ATOMIC_RELAXED) ? "" : " (never woken)");
		ukmem__report_end(UKMEM_REPORT_LEAK);
	}
	pthread_mutex_unlock(&kthreads.lock);
}

static void kthread_fork_prepare(void)
{
	pthread_mutex_lock(&kthreads.lock);
}

static void kthread_fork_parent(void)
{
	pthread_mutex_unlock(&kthreads.lock);
}

/* The child has none of the parent's kthreads: each record still running becomes one that
 * has ended (-EINTR), so that kthread_stop() there returns instead of waiting for ever. */
static void kthread_fork_child(void)
{
	struct kthread *kt;

	list_for_each_entry(kt, &kthreads.list, node) {
		if (completion_done(&kt->exited) || &kt->task == ukmem__this_cpu.curr)
			continue;	/* ended, or the forking thread itself */
		kt->lost = true;
		kt->result = -EINTR;
		init_completion(&kt->exited);
		complete_all(&kt->exited);
	}
	pthread_mutex_unlock(&kthreads.lock);
}

static int kthread_init(void)
{
	ukmem__on_exit(kthread_exit_report);
	ukmem__os_atfork(kthread_fork_prepare, kthread_fork_parent, kthread_fork_child);
	return 0;
}
UKMEM_INITCALL(UKMEM_INIT_SUBSYS, kthread_init);

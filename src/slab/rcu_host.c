/* SPDX-License-Identifier: MIT */
/*
 * The bridge to liburcu (memb flavour), and the call_rcu callback thread.  The only file
 * that includes liburcu's headers, whose struct rcu_head would clash with the kernel's name.
 * Threads register as readers on first use and unregister at exit.
 *
 * Readers and grace periods are liburcu's.  Callbacks are not handed to liburcu's call_rcu:
 * its callback thread naps 10 ms after every wake-up and every batch (hard-coded), so each
 * rcu_barrier() took 10-20 ms, and a program that destroys SLAB_TYPESAFE_BY_RCU caches in a
 * loop (lib/test_meminit.c: 40 of them) spent most of its time asleep.  ukmem's callback
 * thread keeps the batching (it gathers callbacks for up to CB_GATHER_MS, as liburcu's does,
 * so a burst of call_rcu pays one grace period per batch) but cuts the gathering short when
 * someone waits in rcu_barrier, when CB_BATCH_MAX callbacks are queued, or at fork.
 *
 * The queue (cbq): callbacks in call order (an array of heads), a count of all ever
 * queued (queued_total) and of all that have run (done_total).  rcu_barrier waits until
 * done_total reaches the queued_total it saw: every callback queued before it has run
 * (batches run in order).
 * The thread: started by the first call_rcu (and again in a forked child that has work);
 * takes the whole queue, waits for a grace period with liburcu's synchronize_rcu, runs the
 * batch with no lock held (a callback may call_rcu again; each runs through ukmem__rcu_run,
 * which gives it the kernel's context), then adds the batch to done_total.  It never ends;
 * all signals are blocked on it.
 *
 * ThreadSanitizer: the queue hand-offs go through cbq.lock, which TSan sees.  liburcu's
 * grace period is not instrumented, so in a TSan build every read_unlock releases
 * glue_tsan.gp and the callback thread acquires it after each grace period: a callback's
 * accesses come after every reader's.
 *
 * A head is pending from its call_rcu until its callback starts; a call_rcu of a pending
 * head is refused (its caller reports it, as 6.1's debug objects do) and changes nothing:
 * queued twice, the queue would loop or be cut short.  To tell cheaply: a pending head's func
 * is the one it was queued with, and the runner clears it just before the callback starts,
 * so only a head whose func equals the new one may be pending, and only such a head is looked
 * for (in the queue, and among the running batch's heads that have not started).  The queue
 * is an array of heads (their links are used only when it cannot grow), so neither the queue
 * nor a running batch depends on a link that a second call_rcu of a started head rewrites.
 *
 * kfree_rcu's entries (ukmem__urcu_call_obj) are the object's address with bit 0 set, not its
 * head, as 6.1 keeps kfree_rcu pointers in arrays of its own: nothing of the object is read
 * when it runs, so a kfree of the object while its kfree_rcu is pending (a bug: the free
 * after the grace period is then the double free it reports) cannot derail the queue, whatever
 * a debug mode or a new owner wrote over the head.  The head's func still marks it (the
 * cheap test for a second kfree_rcu); only when the array cannot grow does the head itself
 * go on the list, as 6.1 falls back to linking the head.
 *
 * Locking: cbq.lock (leaf; never held while a callback runs or a grace period is awaited).
 * Fork (handlers registered after every other subsystem's, so this prepare runs first,
 * before any lock a batch may need is held): prepare takes cbq.lock once the thread is
 * between batches (cbq.pause stops it taking the next one); the parent releases it; the
 * child starts with a fresh lock, no thread, and the parent's queue, which its next
 * call_rcu or rcu_barrier starts a thread for.  The registration flag is per-thread (in
 * struct ukmem__slab_tls).
 */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <time.h>

#include "core/sanitizer.h"

/* The read side inline: liburcu's static read_lock/read_unlock (written to be callable from
 * code under any licence), with its reader state reached as initial-exec TLS (the library is
 * a load-time dependency) instead of a __tls_get_addr call per lock and unlock.  Not under
 * ThreadSanitizer: the inline code's deliberate races on the grace-period word (volatile
 * accesses, not atomics) would be reported; the library's calls are not instrumented. */
#ifndef UKMEM_TSAN
#define _LGPL_SOURCE
#endif
#include <urcu/urcu-memb.h>
#ifdef _LGPL_SOURCE
extern __thread struct urcu_reader urcu_memb_reader __attribute__((tls_model("initial-exec")));
#endif
#include "platform/platform.h"
#include "slab/urcu_glue.h"

#ifdef UKMEM_TSAN
#include <sanitizer/tsan_interface.h>
static struct {
	char gp;		/* released by every reader's unlock, acquired after a grace period */
} glue_tsan;
#define tsan_gp_release()	__tsan_release(&glue_tsan.gp)
#define tsan_gp_acquire()	__tsan_acquire(&glue_tsan.gp)
/* The fork child starts the queue's lock afresh, but TSan still sees the forking thread
 * holding it (the prepare handler's lock): the hold is ended in its view first, or the
 * child's callback thread's first lock is a "double lock of a mutex". */
#define tsan_hold_ended(l)	(__tsan_mutex_pre_unlock((l), 0), __tsan_mutex_post_unlock((l), 0))
#else
#define tsan_gp_release()	do { } while (0)
#define tsan_gp_acquire()	do { } while (0)
#define tsan_hold_ended(l)	((void)(l))
#endif

#define CB_GATHER_MS	10		/* how long a batch gathers when nobody waits */
#define CB_BATCH_MAX	10000		/* queued callbacks that end the gathering at once */

/* A kernel rcu_head as the queue sees it (the same two words). */
struct cb {
	struct cb *next;
	void (*func)(void *head);
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t work;		/* the thread waits here: queue, barrier, un-pause */
	pthread_cond_t done;		/* rcu_barrier and fork wait here: a batch finished */
	/* The queue: an array of heads in call order (q[0, nq)), then, if the array could not
	 * grow, a list through the heads' links (ovf), which then takes every later one. */
	struct cb **q;
	unsigned long nq, qcap;
	struct cb *ovf, **ovf_tail;
	struct cb **spare;		/* a run batch's array, kept for the next queue */
	unsigned long spare_cap;
	unsigned long queued;		/* callbacks in the queue now (array and list) */
	unsigned long queued_total, done_total;
	unsigned int barriers;		/* threads waiting in rcu_barrier */
	/* The running batch's array (cbq.lock) and how many of its heads have started (in a
	 * cache line of its own: the runner stores it before every callback). */
	struct cb **batch;
	unsigned long batch_n;
	unsigned long batch_pos __attribute__((aligned(64)));
	char pad_pos[64 - sizeof(unsigned long)];
	bool started, idle, busy, pause;
	bool used;			/* call_rcu was ever called: set once, read without the lock */
} cbq = {
	.lock = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER,
	.done = PTHREAD_COND_INITIALIZER, .ovf_tail = &cbq.ovf,
};

/* This thread is a registered reader: a flag in the slab subsystem's per-thread state. */
#define registered	(*ukmem__rcu_registered())

static inline void ensure_registered(void)
{
	if (__builtin_expect(!registered, 0)) {
		ukmem__rcu_thread_arm();
		urcu_memb_register_thread();
		registered = true;
	}
}

/* This thread becomes a liburcu reader (rcu_read_lock checks the flag inline). */
void ukmem__urcu_register(void)
{
	ensure_registered();
}

void ukmem__urcu_read_lock(void)
{
	urcu_memb_read_lock();
}

/* Nothing when no read-side section is open (an unbalanced rcu_read_unlock).  A thread that
 * never registered (or has unregistered) has a zero reader count in its liburcu state, so
 * the count alone tells. */
void ukmem__urcu_read_unlock(void)
{
	if (__builtin_expect(!urcu_memb_read_ongoing(), 0))
		return;
	tsan_gp_release();
	urcu_memb_read_unlock();
}

bool ukmem__urcu_read_ongoing(void)
{
	return urcu_memb_read_ongoing();
}

/*
 * A wait for a grace period or for callbacks by a thread inside its own read-side section
 * (a bug: might_sleep has reported it) would wait for itself.  In 6.1's non-preemptible RCU
 * the sleep is a quiescent state, so the reader stops protecting anything and the wait ends:
 * here too, the thread's sections are closed for the wait and opened again after it.
 * Returns how many were open.
 */
static int read_suspend(void)
{
	int n = 0;

	if (!registered)
		return 0;
	while (urcu_memb_read_ongoing()) {
		tsan_gp_release();
		urcu_memb_read_unlock();
		n++;
	}
	return n;
}

static void read_resume(int n)
{
	while (n-- > 0)
		urcu_memb_read_lock();
}

void ukmem__urcu_synchronize(void)
{
	int nest = read_suspend();

	urcu_memb_synchronize_rcu();
	tsan_gp_acquire();
	read_resume(nest);
}

/* ---- the callback thread ---- */

/* Gathers a batch (cbq.lock held): until CB_GATHER_MS have passed since the wake-up, or
 * until someone waits in rcu_barrier, the queue is long, or a fork is coming. */
static void gather_locked(void)
{
	struct timespec end;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_nsec += CB_GATHER_MS * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	while (!cbq.barriers && !cbq.pause && cbq.queued < CB_BATCH_MAX)
		if (pthread_cond_clockwait(&cbq.work, &cbq.lock, CLOCK_MONOTONIC, &end))
			break;
}

static __thread bool in_callbacks;	/* this thread is running a batch */

/* A taken batch: the queue's array and list. */
struct batch {
	struct cb **v;
	unsigned long nv, cap, n;	/* in the array, its capacity, in all */
	struct cb *list;
};

#define OBJ_TAG		1UL	/* a queue entry that is a kfree_rcu object's address */

static inline bool is_obj(const struct cb *c)
{
	return (unsigned long)c & OBJ_TAG;
}

/* Starts one callback: its func is cleared first (the head is no longer pending, and may be
 * queued again from here on, by its own callback too).  A kfree_rcu object is only freed. */
static void run_one(struct cb *c)
{
	void (*fn)(void *head);

	if (is_obj(c)) {
		ukmem__rcu_free_obj((void *)((unsigned long)c & ~OBJ_TAG));
		return;
	}
	fn = c->func;

	c->func = NULL;
	ukmem__rcu_run(c, fn);
}

/* Runs one batch with no lock held: a grace period, then every callback in order. */
static void run_batch(struct batch *b)
{
	ukmem__urcu_synchronize();
	in_callbacks = true;
	for (unsigned long i = 0; i < b->nv; i++) {
		__atomic_store_n(&cbq.batch_pos, i + 1, __ATOMIC_RELEASE);
		run_one(b->v[i]);
	}
	for (struct cb *c = b->list, *next; c; c = next) {
		next = c->next;
		run_one(c);
	}
	in_callbacks = false;
	ukmem__rcu_batch_done();
}

/* rcu_barrier from a callback would wait for the batch it is part of. */
bool ukmem__urcu_in_callback(void)
{
	return in_callbacks;
}

static void *cb_thread(void *arg);

/* Starts the thread when there is none (cbq.lock held).  False if the host refused. */
static bool start_locked(void)
{
	sigset_t all, old;
	pthread_t t;
	int err;

	if (cbq.started)
		return true;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&t, NULL, cb_thread, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		return false;
	pthread_detach(t);
	cbq.started = true;
	return true;
}

/* Takes the whole queue (cbq.lock held) as the running batch; the caller runs it, then
 * calls batch_done_locked.  The queue starts again on the spare array. */
static void take_locked(struct batch *b)
{
	*b = (struct batch){ cbq.q, cbq.nq, cbq.qcap, cbq.queued, cbq.ovf };
	cbq.batch = b->v;
	cbq.batch_n = b->nv;
	__atomic_store_n(&cbq.batch_pos, 0, __ATOMIC_RELAXED);
	cbq.q = cbq.spare;
	cbq.qcap = cbq.spare_cap;
	cbq.spare = NULL;
	cbq.spare_cap = 0;
	cbq.nq = 0;
	cbq.ovf = NULL;
	cbq.ovf_tail = &cbq.ovf;
	cbq.queued = 0;
	cbq.busy = true;
}

static void batch_done_locked(struct batch *b)
{
	cbq.busy = false;
	cbq.done_total += b->n;
	cbq.batch = NULL;
	cbq.batch_n = 0;
	if (!cbq.spare) {
		cbq.spare = b->v;
		cbq.spare_cap = b->cap;
	} else {
		free(b->v);
	}
	pthread_cond_broadcast(&cbq.done);
}

/* Appends c to the queue (cbq.lock held): to the array, grown as needed, unless it cannot
 * grow or the list has begun (order is kept).  An object entry then goes on the list as its
 * head (given), which runs the head's func. */
static void enqueue_locked(struct cb *c, struct cb *head)
{
	if (cbq.nq == cbq.qcap && !cbq.ovf) {
		unsigned long cap = cbq.qcap ? 2 * cbq.qcap : 256;
		struct cb **q = realloc(cbq.q, cap * sizeof(*q));

		if (q) {
			cbq.q = q;
			cbq.qcap = cap;
		}
	}
	if (cbq.nq < cbq.qcap && !cbq.ovf) {
		cbq.q[cbq.nq++] = c;
		return;
	}
	c = head;
	c->next = NULL;
	*cbq.ovf_tail = c;
	cbq.ovf_tail = &c->next;
}

/* Is head c queued, its callback not started (cbq.lock held)?  Only asked about a head whose
 * func is the one it is being queued with: a walk of the queue and of the running batch. */
static bool pending_locked(const struct cb *c)
{
	unsigned long pos = __atomic_load_n(&cbq.batch_pos, __ATOMIC_ACQUIRE);

	for (unsigned long i = 0; i < cbq.nq; i++)
		if (cbq.q[i] == c)
			return true;
	for (const struct cb *p = cbq.ovf; p; p = p->next)
		if (p == c)
			return true;
	for (unsigned long i = pos; i < cbq.batch_n; i++)
		if (cbq.batch[i] == c)
			return true;
	return false;
}

static void *cb_thread(void *arg)
{
	static const int faults[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS };
	sigset_t sync;

	(void)arg;
	/* Born with every signal blocked (the program's signals go to its own threads), but a
	 * fault in a callback must reach the fault handler and its oops: a blocked fault
	 * signal kills the process without a word. */
	sigemptyset(&sync);
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		sigaddset(&sync, faults[i]);
	pthread_sigmask(SIG_UNBLOCK, &sync, NULL);
	pthread_mutex_lock(&cbq.lock);
	for (;;) {
		struct batch b;

		while (!cbq.queued || cbq.pause) {
			cbq.idle = !cbq.queued;
			pthread_cond_wait(&cbq.work, &cbq.lock);
			cbq.idle = false;
		}
		gather_locked();
		if (cbq.pause)
			continue;
		take_locked(&b);
		pthread_mutex_unlock(&cbq.lock);
		run_batch(&b);
		pthread_mutex_lock(&cbq.lock);
		batch_done_locked(&b);
	}
	return NULL;
}

void ukmem__urcu_barrier(void)
{
	int nest = read_suspend();
	unsigned long target;
	struct batch b;

	pthread_mutex_lock(&cbq.lock);
	target = cbq.queued_total;
	while ((long)(cbq.done_total - target) < 0) {
		if (!start_locked() && !cbq.busy) {
			/* no thread could be started: run the queue here (a barrier may sleep) */
			take_locked(&b);
			pthread_mutex_unlock(&cbq.lock);
			run_batch(&b);
			pthread_mutex_lock(&cbq.lock);
			batch_done_locked(&b);
			continue;
		}
		cbq.barriers++;
		pthread_cond_signal(&cbq.work);
		pthread_cond_wait(&cbq.done, &cbq.lock);
		cbq.barriers--;
	}
	pthread_mutex_unlock(&cbq.lock);
	read_resume(nest);
}

static void enqueue_unlock(struct cb *c, struct cb *head);

/* Queues fn(head) for after a grace period.  Never waits for one (call_rcu may be called
 * inside a reader): if the host refuses the thread, the callback stays queued and the next
 * call_rcu or rcu_barrier tries again (rcu_barrier runs the queue itself).  False, with
 * nothing touched, when head is pending (queued, its callback not started). */
bool ukmem__urcu_call(void *head, void (*fn)(void *head))
{
	struct cb *c = head;

	if (!__atomic_load_n(&cbq.used, __ATOMIC_RELAXED))
		__atomic_store_n(&cbq.used, true, __ATOMIC_RELAXED);
	if (__builtin_expect(c->func != fn, 1)) {
		c->func = fn;		/* not pending: written before the lock, kept short */
		pthread_mutex_lock(&cbq.lock);
	} else {
		pthread_mutex_lock(&cbq.lock);
		if (pending_locked(c)) {
			pthread_mutex_unlock(&cbq.lock);
			return false;
		}
	}
	enqueue_unlock(c, c);
	return true;
}

/* Queues c (head: the head it stands for) and wakes the thread as needed; drops cbq.lock. */
static void enqueue_unlock(struct cb *c, struct cb *head)
{
	enqueue_locked(c, head);
	cbq.queued_total++;
	cbq.queued++;
	if (start_locked() && (cbq.queued == 1 ? cbq.idle : cbq.queued == CB_BATCH_MAX))
		pthread_cond_signal(&cbq.work);
	pthread_mutex_unlock(&cbq.lock);
}

/* Queues ukmem__rcu_free_obj(obj) for after a grace period: kfree_rcu of the object whose
 * rcu_head is head.  fn marks the head (and is its callback if it must go on the list).
 * False, with nothing queued, when this object or head is pending already. */
bool ukmem__urcu_call_obj(void *obj, void *head, void (*fn)(void *head))
{
	struct cb *c = head, *e = (struct cb *)((unsigned long)obj | OBJ_TAG);

	if (!__atomic_load_n(&cbq.used, __ATOMIC_RELAXED))
		__atomic_store_n(&cbq.used, true, __ATOMIC_RELAXED);
	if (__builtin_expect(c->func != fn, 1)) {
		c->func = fn;
		pthread_mutex_lock(&cbq.lock);
	} else {
		pthread_mutex_lock(&cbq.lock);
		if (pending_locked(e) || pending_locked(c)) {
			pthread_mutex_unlock(&cbq.lock);
			return false;
		}
	}
	enqueue_unlock(e, c);
	return true;
}

bool ukmem__urcu_used(void)
{
	return __atomic_load_n(&cbq.used, __ATOMIC_RELAXED);
}

void ukmem__urcu_thread_exit(void)
{
	if (registered) {
		urcu_memb_unregister_thread();
		registered = false;
	}
}

/* ---- fork ---- */
void ukmem__urcu_fork_prepare(void)
{
	pthread_mutex_lock(&cbq.lock);
	cbq.pause = true;
	pthread_cond_signal(&cbq.work);
	while (cbq.busy)
		pthread_cond_wait(&cbq.done, &cbq.lock);
}

void ukmem__urcu_fork_parent(void)
{
	cbq.pause = false;
	pthread_cond_signal(&cbq.work);
	pthread_mutex_unlock(&cbq.lock);
}

void ukmem__urcu_fork_child(void)
{
	tsan_hold_ended(&cbq.lock);
	pthread_mutex_init(&cbq.lock, NULL);
	pthread_cond_init(&cbq.work, NULL);
	pthread_cond_init(&cbq.done, NULL);
	cbq.pause = cbq.busy = cbq.idle = cbq.started = false;
	cbq.barriers = 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * The bridge to liburcu (memb flavour): the only file that includes liburcu's headers, whose
 * struct rcu_head would clash with the kernel's name.  Threads register as readers on first
 * use and unregister at exit.  The kernel's struct rcu_head (callback_head) has liburcu's
 * layout, {next, func}, so a kernel callback is handed to liburcu unchanged.
 *
 * ThreadSanitizer: liburcu is not instrumented, so the hand-offs it makes (call_rcu's queue
 * to its callback thread, rcu_barrier's wait for that thread) are invisible to it, and it
 * would report races between a call_rcu caller and its callback, between a callback and the
 * code after rcu_barrier, and inside rcu_barrier itself (its completion record is allocated
 * by the caller and freed by the callback thread).  In a TSan build, and only there, this
 * file says what liburcu guarantees: each callback goes through a trampoline record (host
 * malloc) released by the caller and acquired by the callback; every callback releases
 * glue_tsan.done when it returns, which rcu_barrier acquires; and the caller's side of
 * rcu_barrier runs with its memory accesses ignored (it runs liburcu code only).
 *
 * Locking: liburcu's own; the registration flag is per-thread (in struct ukmem__slab_tls).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <urcu/urcu-memb.h>
#include <urcu/call-rcu.h>
#include "platform/platform.h"
#include "slab/urcu_glue.h"

#if defined(__SANITIZE_THREAD__)
#define GLUE_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GLUE_TSAN 1
#endif
#endif

#ifdef GLUE_TSAN
#include <sanitizer/tsan_interface.h>
void AnnotateIgnoreWritesBegin(const char *file, int line);	/* the TSan runtime's */
void AnnotateIgnoreWritesEnd(const char *file, int line);

static struct {
	char done;		/* released by every callback that returned */
} glue_tsan;

/* A callback on its way through liburcu: the caller's head and function. */
struct tsan_call {
	struct rcu_head head;
	void *orig;
	void (*fn)(void *head);
};

static void tsan_trampoline(struct rcu_head *head)
{
	struct tsan_call *c = caa_container_of(head, struct tsan_call, head);
	void (*fn)(void *head);
	void *orig;

	__tsan_acquire(c);		/* everything the caller did before call_rcu */
	fn = c->fn;
	orig = c->orig;
	free(c);
	fn(orig);
	__tsan_release(&glue_tsan.done);
}

/* Returns false when no record could be made: the callback then goes to liburcu as it is. */
static bool tsan_call(void *head, void (*fn)(void *head))
{
	struct tsan_call *c = malloc(sizeof(*c));

	if (!c)
		return false;
	c->orig = head;
	c->fn = fn;
	__tsan_release(c);
	urcu_memb_call_rcu(&c->head, tsan_trampoline);
	return true;
}
#endif

_Static_assert(sizeof(struct rcu_head) == 2 * sizeof(void *), "kernel and liburcu rcu_head agree");
_Static_assert(offsetof(struct rcu_head, func) == sizeof(void *), "func follows next");

/* This thread is a registered reader: a flag in the slab subsystem's per-thread state. */
#define registered	(*ukmem__rcu_registered())
static bool call_rcu_used;		/* set once, read without a lock */

static inline void ensure_registered(void)
{
	if (__builtin_expect(!registered, 0)) {
		ukmem__rcu_thread_arm();
		urcu_memb_register_thread();
		registered = true;
	}
}

void ukmem__urcu_read_lock(void)
{
	ensure_registered();
	urcu_memb_read_lock();
}

void ukmem__urcu_read_unlock(void)
{
	urcu_memb_read_unlock();
}

bool ukmem__urcu_read_ongoing(void)
{
	return registered && urcu_memb_read_ongoing();
}

void ukmem__urcu_synchronize(void)
{
	urcu_memb_synchronize_rcu();
}

void ukmem__urcu_barrier(void)
{
	ensure_registered();
#ifdef GLUE_TSAN
	AnnotateIgnoreWritesBegin(__FILE__, __LINE__);
	urcu_memb_barrier();
	AnnotateIgnoreWritesEnd(__FILE__, __LINE__);
	__tsan_acquire(&glue_tsan.done);	/* every callback queued before has returned */
#else
	urcu_memb_barrier();
#endif
}

void ukmem__urcu_call(void *head, void (*fn)(void *head))
{
	ensure_registered();
	if (!__atomic_load_n(&call_rcu_used, __ATOMIC_RELAXED))
		__atomic_store_n(&call_rcu_used, true, __ATOMIC_RELAXED);
#ifdef GLUE_TSAN
	if (tsan_call(head, fn))
		return;
#endif
	urcu_memb_call_rcu((struct rcu_head *)head, (void (*)(struct rcu_head *))fn);
}

bool ukmem__urcu_used(void)
{
	return __atomic_load_n(&call_rcu_used, __ATOMIC_RELAXED);
}

void ukmem__urcu_thread_exit(void)
{
	if (registered) {
		urcu_memb_unregister_thread();
		registered = false;
	}
}

void ukmem__urcu_fork_prepare(void)
{
	urcu_memb_call_rcu_before_fork();
}

void ukmem__urcu_fork_parent(void)
{
	urcu_memb_call_rcu_after_fork_parent();
}

void ukmem__urcu_fork_child(void)
{
	urcu_memb_call_rcu_after_fork_child();
}

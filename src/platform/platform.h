/* SPDX-License-Identifier: MIT */
/*
 * The platform layer: the only code in ukmem that talks to the host kernel.  Everything else
 * gets memory, mappings, threads and signals through these calls.
 *
 * Contract:
 *  - Addresses and lengths are page-aligned; violations return -EINVAL, never UB.
 *  - Calls return 0 or a negative errno (the host's), and never print: callers decide how a
 *    failure is reported, because only they know what the user asked for.
 *  - A reserved range is inaccessible (PROT_NONE, no backing); mapping a file range over part
 *    of it makes that part accessible; unmapping puts the reservation back.  Every distinct
 *    mapping counts against the host's vm.max_map_count: ukmem__os_map_shared reports
 *    -ENOMEM when the host refuses, and callers turn that into a clear message.
 *  - Hook tables are written during start-up only, before a second thread can observe them.
 */
#ifndef UKMEM_PLATFORM_H
#define UKMEM_PLATFORM_H
#include <stddef.h>
#include <stdbool.h>
#include <sys/types.h>

#pragma GCC visibility push(hidden)

/* Memory files: RAM is one sparse memfd; holes cost nothing until written. */
int ukmem__os_memfd(const char *name, size_t size);		/* fd or -errno */
int ukmem__os_punch(int fd, off_t off, size_t len);		/* give frames back to the host */
void ukmem__os_close(int fd);					/* a memfd no longer needed */

/* Address space. */
void *ukmem__os_reserve(size_t size, size_t align);		/* NULL on failure */
int ukmem__os_map_shared(void *addr, size_t len, int fd, off_t off);
int ukmem__os_unmap(void *addr, size_t len);			/* back to reserved */
int ukmem__os_protect(void *addr, size_t len, bool writable);
/* Protections for the _prot calls (PROT_NONE is 0). */
#define UKMEM_OS_READ	1u
#define UKMEM_OS_WRITE	2u
#define UKMEM_OS_EXEC	4u
int ukmem__os_map_shared_prot(void *addr, size_t len, int fd, off_t off, unsigned int prot);
int ukmem__os_protect_prot(void *addr, size_t len, unsigned int prot);
/* Guard regions (host Linux 6.13+; shared file mappings since 6.15): make pages of an
 * existing mapping fault on every access without splitting it or costing a host mapping;
 * they survive mprotect.  -EINVAL where the host has none for this kind of mapping. */
int ukmem__os_guard_install(void *addr, size_t len);
void *ukmem__os_alloc(size_t size);				/* private anonymous, zeroed */
void ukmem__os_free(void *addr, size_t size);

/* Host facts. */
size_t ukmem__os_host_ram(void);				/* bytes of host RAM */
unsigned int ukmem__os_host_cpus(void);			/* online host CPUs, at least 1 */
long ukmem__os_max_map_count(void);				/* vm.max_map_count, or -1 */
pid_t ukmem__os_gettid(void);
unsigned long long ukmem__os_now_ns(void);			/* the monotonic clock */
unsigned long long ukmem__os_coarse_ns(void);	/* the same at the host's tick: 1-4 ms steps */
void ukmem__os_sleep_us(unsigned long us);			/* the thread sleeps */
/* Sleep while *word == val (checked atomically by the host), at most timeout_ns (~0ULL: no
 * limit); 0 when woken (or spuriously), -EAGAIN when *word != val, -ETIMEDOUT.  Wake wakes
 * up to n sleepers on word.  Process-private: the word may be anywhere in this process. */
int ukmem__os_wait_on(unsigned int *word, unsigned int val, unsigned long long timeout_ns);
void ukmem__os_wake_on(unsigned int *word, int n);
/* Asymmetric fences (the host's membarrier, private expedited): after register succeeds,
 * ukmem__os_membarrier() returns only when every thread of the process has executed a full
 * memory barrier (or was not running), so a thread's plain store-then-load pairs with the
 * caller's as if both had a fence.  register: 0, or -errno where the host has none. */
int ukmem__os_membarrier_register(void);
void ukmem__os_membarrier(void);
int ukmem__os_getrandom(void *buf, size_t len);		/* the host's CSPRNG; 0 or -errno */
void ukmem__os_thread_name(char *buf, size_t len);
void ukmem__os_thread_setname(const char *name);	/* this thread's name (15 characters) */
/* A detached host thread running fn(arg) (kthreads); 0 or -errno.  It ends when fn returns
 * or calls ukmem__os_thread_exit, its exit hooks run either way. */
int ukmem__os_thread_start(void *(*fn)(void *), void *arg);
__attribute__((__noreturn__)) void ukmem__os_thread_exit(void);
/* The same, joinable: *id names it for ukmem__os_thread_join, which waits until it has ended
 * (a fork that must find the process single-threaded). */
int ukmem__os_thread_start_joinable(void *(*fn)(void *), void *arg, unsigned long *id);
void ukmem__os_thread_join(unsigned long id);
void ukmem__os_thread_detach(unsigned long id);	/* no join will come: it ends on its own */
bool ukmem__os_on_thread_stack(const void *addr);	/* inside the calling thread's stack */

/* Per-thread exit hooks, run when a thread that used ukmem exits (not at process exit),
 * last registered first, so the core's own hook (registered first) runs last. */
typedef void (*ukmem__thread_exit_fn)(void);
void ukmem__os_on_thread_exit(ukmem__thread_exit_fn fn);
void ukmem__os_thread_attach(void);	/* this thread uses ukmem: arm its exit hooks */

/* fork(): prepare runs in the parent before fork (take locks), parent/child after. */
void ukmem__os_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void));

/* The fork gate: armed in a prepare handler, it holds the parent's after-fork handler in
 * ukmem__os_fork_gate_wait until the child calls ukmem__os_fork_gate_open or exits (at
 * once when fork failed).  One fork at a time: the caller's fork locks serialise them. */
int ukmem__os_fork_gate_arm(void);		/* 0 or -errno (no gate: wait returns at once) */
void ukmem__os_fork_gate_wait(void);		/* parent */
void ukmem__os_fork_gate_open(void);		/* child */

/* Copy every populated range of memfd src into a fresh memfd of the same size. */
int ukmem__os_memfd_clone(int src, size_t size, const char *name);	/* new fd or -errno */

/* Access faults (fault.c): revoke access to a mapping while keeping it, and catch SIGSEGV and
 * SIGBUS.  The handler runs on an alternate signal stack.  The claim function decides:
 * NOT_MINE passes the fault to the handler installed before (or the default action);
 * REPORTED means it printed a report, and the process dies of the same signal; FIXED means
 * it repaired the cause (or the context, via uctx) and the access is retried. */
enum ukmem__fault_result { UKMEM_FAULT_NOT_MINE, UKMEM_FAULT_REPORTED, UKMEM_FAULT_FIXED };
struct ukmem__fault {
	void *addr;			/* the faulting address (si_addr) */
	unsigned long ip;		/* the faulting instruction, 0 if unknown */
	int sig;			/* SIGSEGV or SIGBUS */
	bool have_error_code;
	unsigned long error_code;	/* the x86 page-fault error code, user bit cleared */
	bool general_protection;	/* x86 #GP (a non-canonical address): addr is unknown */
	void *uctx;			/* the interrupted context (ucontext_t) */
};
typedef enum ukmem__fault_result (*ukmem__fault_fn)(const struct ukmem__fault *fault);
int ukmem__os_fault_install(ukmem__fault_fn claim);	/* adds a claim (4 at most); 0 or -errno */
/* The last resort: asked about a fault no claim took when nothing else would report it (the
 * handler before ukmem's is the default action).  Once only per thread (a fault inside it
 * goes to the default action), under an alarm: a report that cannot finish (the fault hit
 * inside a lock it needs) is cut short after UKMEM_OS_FALLBACK_SECONDS with a line written
 * straight to fd 2, and the process dies of the fault's own signal, not a hang. */
#define UKMEM_OS_FALLBACK_SECONDS	10
void ukmem__os_fault_fallback(ukmem__fault_fn fn);
void ukmem__os_fault_thread(void);	/* give this thread an alternate signal stack */
int ukmem__os_revoke(void *addr, size_t len);	/* PROT_NONE, the mapping stays */
int ukmem__os_unmap_hard(void *addr, size_t len);	/* ukmem__os_unmap at the map limit */

#pragma GCC visibility pop
#endif

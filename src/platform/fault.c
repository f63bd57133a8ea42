/* SPDX-License-Identifier: MIT */
/*
 * Access faults: the SIGSEGV/SIGBUS handler that lets ukmem report a stray access to its
 * windows (a guard page, a freed vmalloc area) the way the kernel reports a page fault, and
 * the one call that takes access away from a mapping without removing it.
 *
 * Invariants:
 *  - The handler claims only faults that the kernel raised (si_code > 0) and that the claim
 *    function accepts; everything else goes to the handler that was installed before ours
 *    (a sanitizer's, the program's) or gets the default action, exactly as if ours were absent,
 *    except that when the default action would take it, the fallback (core's oops) may
 *    report it first: the process dies of the same signal either way.
 *  - After a reported fault the default action is restored and the signal re-raised: the
 *    process dies of the same signal, so a parent sees WTERMSIG == SIGSEGV (or SIGBUS).
 *    A fault the claim function fixed is simply retried.
 *  - The handler runs on an alternate signal stack when the thread has one (ours or a
 *    sanitizer's), so a stack overflow still reaches the previous handler.  Claims and the
 *    fallback (reports that symbolise stacks: several hundred KiB) run on a stack of ours:
 *    on our alternate stack as delivered, or, when delivery was onto a smaller one that the
 *    program or a sanitizer installed, on this thread's report stack, reached through a
 *    frame whose unwind information leads back to the delivery stack, so stack traces
 *    taken there still reach the faulting code (x86-64; elsewhere they run where delivered).
 *
 * Locking: fault.claim and fault.old are written by ukmem__os_fault_install during start-up
 * only (a claim is stored before the count that publishes it).  Each thread's alternate stack
 * belongs to that thread (TLS) and is released by a thread-exit hook.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>
#include "platform/platform.h"

#define FAULT_ALTSTACK_SIZE	(1UL << 20)	/* room for symbolising a stack trace */
#define X86_PF_USER		0x4UL

#define FAULT_MAX_CLAIMS	4
#define FAULT_STR_(x)		#x
#define FAULT_STR(x)		FAULT_STR_(x)

static struct {
	ukmem__fault_fn claim[FAULT_MAX_CLAIMS];	/* asked in the order they were added */
	int nr_claims;
	ukmem__fault_fn fallback;			/* unclaimed faults, default action only */
	struct sigaction old_segv, old_bus;
	bool installed;
	int timeout_sig;		/* the fault whose fallback report runs under the alarm */
} fault;

static __thread struct {
	void *stack;		/* our alternate stack, NULL if none (or not ours) */
	void *report_stack;	/* for reports delivered onto someone else's small stack */
	bool checked;
	bool in_fallback;	/* the fallback is running on this thread */
} fault_tls __attribute__((tls_model("initial-exec")));

int ukmem__os_revoke(void *addr, size_t len)
{
	if ((uintptr_t)addr % 4096 || len % 4096 || !len)
		return -EINVAL;
	return mprotect(addr, len, PROT_NONE) ? -errno : 0;
}

/**
 * ukmem__os_unmap_hard - put a reserved range back when replacing its mappings is refused
 *
 * At vm.max_map_count the host refuses even the mmap that would turn mappings back into
 * reservation.  munmap never needs a new mapping, so it is done first, then the range is
 * reserved again without replacing anything.  Returns 0, or -EEXIST when something else was
 * mapped into the range in between: the caller must then never use the range again.
 */
int ukmem__os_unmap_hard(void *addr, size_t len)
{
	void *p;

	if ((uintptr_t)addr % 4096 || len % 4096 || !len)
		return -EINVAL;
	if (munmap(addr, len))
		return -errno;
	p = mmap(addr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		 MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		return -EEXIST;
	if (p != addr) {		/* an old kernel took the address as a hint */
		munmap(p, len);
		return -EEXIST;
	}
	return 0;
}

static struct sigaction *fault_old(int sig)
{
	return sig == SIGBUS ? &fault.old_bus : &fault.old_segv;
}

/* Hand the signal to whoever had it before us. */
static void fault_chain(int sig, siginfo_t *si, void *uctx)
{
	struct sigaction *old = fault_old(sig);

	if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
		old->sa_sigaction(sig, si, uctx);
		return;
	}
	if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
		old->sa_handler(sig);
		return;
	}
	/* Default action: a hardware fault re-executes and dies; a sent signal is re-sent. */
	signal(sig, SIG_DFL);
	if (si->si_code <= 0)
		raise(sig);
}

static void fault_describe(struct ukmem__fault *f, int sig, siginfo_t *si, void *uctx)
{
	memset(f, 0, sizeof(*f));
	f->addr = si->si_addr;
	f->sig = sig;
	f->uctx = uctx;
#if defined(__x86_64__)
	{
		ucontext_t *uc = uctx;

		f->ip = (unsigned long)uc->uc_mcontext.gregs[REG_RIP];
		f->error_code = (unsigned long)uc->uc_mcontext.gregs[REG_ERR] & ~X86_PF_USER;
		f->have_error_code = uc->uc_mcontext.gregs[REG_TRAPNO] == 14;	/* #PF */
		f->general_protection = uc->uc_mcontext.gregs[REG_TRAPNO] == 13;	/* #GP */
	}
#elif defined(__aarch64__)
	f->ip = (unsigned long)((ucontext_t *)uctx)->uc_mcontext.pc;
#endif
}

/* Nobody but the default action would see this fault: the fallback may report it. */
static bool fault_unhandled(int sig)
{
	struct sigaction *old = fault_old(sig);

	if (old->sa_flags & SA_SIGINFO)
		return !old->sa_sigaction;
	return old->sa_handler == SIG_DFL;
}

/*
 * SIGALRM while a fallback report runs: it could not finish (the fault hit inside a lock the
 * report needs: stdio's, the C allocator's).  Say so without stdio, then die of the fault's
 * own signal, as a finished report would.  The alarm may reach any thread; the signal kills
 * the process wherever it is raised.
 */
static void fallback_timeout(int unused)
{
	static const char msg[] = "ukmem: the fault report could not finish in "
				  FAULT_STR(UKMEM_OS_FALLBACK_SECONDS) " s (a lock it needs is held)\n";
	int sig = fault.timeout_sig;
	sigset_t set;

	(void)unused;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		errno = 0;
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);		/* not reached */
}

static enum ukmem__fault_result fault_fallback(const struct ukmem__fault *f)
{
	ukmem__fault_fn fn = __atomic_load_n(&fault.fallback, __ATOMIC_ACQUIRE);
	struct sigaction timeout = { .sa_handler = fallback_timeout }, old_alrm;
	enum ukmem__fault_result r;

	if (!fn || fault_tls.in_fallback || !fault_unhandled(f->sig))
		return UKMEM_FAULT_NOT_MINE;
	fault_tls.in_fallback = true;
	fault.timeout_sig = f->sig;
	sigaction(SIGALRM, &timeout, &old_alrm);
	alarm(UKMEM_OS_FALLBACK_SECONDS);
	r = fn(f);
	alarm(0);
	sigaction(SIGALRM, &old_alrm, NULL);
	fault_tls.in_fallback = false;
	return r;
}

#if defined(__x86_64__)
/*
 * fault_call_on_stack(fn, arg, top): fn(arg) with the stack pointer at top (16-byte aligned).
 * A frame-pointer frame: its unwind information finds the caller through %rbp, which still
 * points into the stack it was called on, so an unwinder walks from the new stack back to
 * the signal frame and the faulting code.
 */
void fault_call_on_stack(void (*fn)(void *), void *arg, void *top);
__asm__(".text\n"
	".p2align 4\n"
	".type fault_call_on_stack, @function\n"
	"fault_call_on_stack:\n"
	".cfi_startproc\n"
	"	push %rbp\n"
	".cfi_def_cfa_offset 16\n"
	".cfi_offset %rbp, -16\n"
	"	mov %rsp, %rbp\n"
	".cfi_def_cfa_register %rbp\n"
	"	mov %rdx, %rsp\n"
	"	mov %rdi, %rax\n"
	"	mov %rsi, %rdi\n"
	"	call *%rax\n"
	"	mov %rbp, %rsp\n"
	"	pop %rbp\n"
	".cfi_def_cfa %rsp, 8\n"
	"	ret\n"
	".cfi_endproc\n"
	".size fault_call_on_stack, .-fault_call_on_stack\n");
#endif

/* The top of a stack to report on when the signal was delivered onto a foreign alternate
 * stack smaller than ours (the program's SIGSTKSZ, a sanitizer's); NULL to stay where we
 * are (our own, the thread's own stack, a big one, or no memory for another). */
static void *fault_report_stack(void)
{
#if defined(__x86_64__)
	stack_t cur;

	if (sigaltstack(NULL, &cur) || !(cur.ss_flags & SS_ONSTACK) ||
	    cur.ss_sp == fault_tls.stack || cur.ss_size >= FAULT_ALTSTACK_SIZE)
		return NULL;
	if (!fault_tls.report_stack) {
		void *p = mmap(NULL, FAULT_ALTSTACK_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (p == MAP_FAILED)
			return NULL;
		fault_tls.report_stack = p;
	}
	return (char *)fault_tls.report_stack + FAULT_ALTSTACK_SIZE;
#else
	return NULL;
#endif
}

struct fault_work {
	struct ukmem__fault f;
	enum ukmem__fault_result r;
};

/* The claims, then the fallback. */
static void fault_dispatch(void *arg)
{
	struct fault_work *w = arg;
	int n = __atomic_load_n(&fault.nr_claims, __ATOMIC_ACQUIRE);

	w->r = UKMEM_FAULT_NOT_MINE;
	for (int i = 0; i < n && w->r == UKMEM_FAULT_NOT_MINE; i++)
		w->r = fault.claim[i](&w->f);
	if (w->r == UKMEM_FAULT_NOT_MINE)
		w->r = fault_fallback(&w->f);
}

static void fault_handler(int sig, siginfo_t *si, void *uctx)
{
	int saved_errno = errno;

	if (si->si_code > 0) {
		struct fault_work w;
		enum ukmem__fault_result r;
		void *top = fault_report_stack();

		fault_describe(&w.f, sig, si, uctx);
#if defined(__x86_64__)
		if (top)
			fault_call_on_stack(fault_dispatch, &w, top);
		else
#endif
			fault_dispatch(&w);
		r = w.r;
		if (r == UKMEM_FAULT_REPORTED) {
			/* Die of this very signal once the handler returns. */
			signal(sig, SIG_DFL);
			raise(sig);
		}
		if (r != UKMEM_FAULT_NOT_MINE) {
			errno = saved_errno;
			return;
		}
	}
	fault_chain(sig, si, uctx);
	errno = saved_errno;
}

static void fault_thread_exit(void)
{
	stack_t ss = { .ss_flags = SS_DISABLE };

	if (fault_tls.report_stack) {
		munmap(fault_tls.report_stack, FAULT_ALTSTACK_SIZE);
		fault_tls.report_stack = NULL;
	}
	if (!fault_tls.stack)
		return;
	sigaltstack(&ss, NULL);
	munmap(fault_tls.stack, FAULT_ALTSTACK_SIZE);
	fault_tls.stack = NULL;
}

/**
 * ukmem__os_fault_thread - give the calling thread an alternate signal stack
 *
 * Does nothing when the thread already has one (a sanitizer's, the program's) or was
 * already checked.  Cheap enough for slow paths: one TLS test after the first call.
 */
void ukmem__os_fault_thread(void)
{
	stack_t cur, ss;
	void *stack;

	if (fault_tls.checked)
		return;
	fault_tls.checked = true;
	if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE))
		return;
	stack = mmap(NULL, FAULT_ALTSTACK_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (stack == MAP_FAILED)
		return;
	ss = (stack_t){ .ss_sp = stack, .ss_size = FAULT_ALTSTACK_SIZE };
	if (sigaltstack(&ss, NULL) != 0) {
		munmap(stack, FAULT_ALTSTACK_SIZE);
		return;
	}
	fault_tls.stack = stack;
}

/**
 * ukmem__os_fault_fallback - set the function that reports faults nobody else will
 * @fn: called (on the faulting thread, in the handler) for a fault the kernel raised that no
 *	claim took, when the handler before ukmem's is the default action; REPORTED makes the
 *	process die of the signal as before, NOT_MINE leaves it to the default action.
 *
 * Takes effect once a claim has installed the handler.  Set during start-up.
 */
void ukmem__os_fault_fallback(ukmem__fault_fn fn)
{
	__atomic_store_n(&fault.fallback, fn, __ATOMIC_RELEASE);
}

/**
 * ukmem__os_fault_install - add a claim function, installing the SIGSEGV/SIGBUS handler once
 * @claim: called for each fault the kernel raised; says whether it was ukmem's (see platform.h).
 *	   Claims are asked in the order they were added until one says it is its fault.
 *
 * Remembers the handlers in place so unclaimed faults reach them.  Called at start-up.
 */
int ukmem__os_fault_install(ukmem__fault_fn claim)
{
	struct sigaction sa;

	if (fault.nr_claims >= FAULT_MAX_CLAIMS)
		return -EBUSY;
	fault.claim[fault.nr_claims] = claim;
	__atomic_store_n(&fault.nr_claims, fault.nr_claims + 1, __ATOMIC_RELEASE);
	if (fault.installed)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fault_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, &fault.old_segv) != 0)
		return -errno;
	if (sigaction(SIGBUS, &sa, &fault.old_bus) != 0) {
		int err = -errno;

		sigaction(SIGSEGV, &fault.old_segv, NULL);
		return err;
	}
	fault.installed = true;
	ukmem__os_on_thread_exit(fault_thread_exit);
	ukmem__os_fault_thread();
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * The oops for faults outside ukmem's windows (src/core/oops.c): once ukmem is up, a fault
 * that nothing else would report is printed as the kernel's oops, then the process dies of
 * the same signal.
 *  - NULL + offset: "BUG: kernel NULL pointer dereference, address: ...", read or write;
 *  - a write to a read-only page: "BUG: unable to handle page fault", "write access",
 *    "permissions violation";
 *  - a non-canonical pointer: "general protection fault";
 *  - a SIGSEGV handler the program installed before ukmem started still gets its faults
 *    (no oops), as does one installed after;
 *  - a fault before ukmem started is the host's plain SIGSEGV (nothing installed yet);
 *  - a fault in an RCU callback is reported the same way;
 *  - with the program's own small alternate signal stack the report (oops or vmalloc
 *    fault) is whole, its call trace reaching the faulting code;
 *  - a report that cannot print (stderr's lock held by another thread) ends after 10 s with
 *    a line written straight to fd 2, and the process dies of SIGSEGV all the same.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem.h>
#include "ktest.h"

static volatile long sink;

static noinline void read_at(volatile long *p)
{
	sink = *p;
	__asm__ __volatile__("" ::: "memory");
}

static noinline void write_at(volatile long *p)
{
	*p = 1;
	__asm__ __volatile__("" ::: "memory");
}

#define NO_TAIL()	__asm__ __volatile__("" ::: "memory")

static void start(void)
{
	kfree(kmalloc(8, GFP_KERNEL));
}

static void null_read(void *arg)
{
	(void)arg;
	start();
	read_at((volatile long *)0x28);
	NO_TAIL();
}

static void null_write(void *arg)
{
	(void)arg;
	start();
	write_at((volatile long *)0x8);
	NO_TAIL();
}

static void ro_write(void *arg)
{
	long *page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)arg;
	start();
	sink = *page;			/* present: the write is a protection fault */
	write_at(page);
	NO_TAIL();
}

static void non_canonical(void *arg)
{
	(void)arg;
	start();
	read_at((volatile long *)0xdead000000000100UL);
	NO_TAIL();
}

static void own_segv(int sig)
{
	(void)sig;
	fprintf(stderr, "own handler\n");
	fflush(stderr);
	_exit(42);
}

static void handler_before(void *arg)
{
	(void)arg;
	signal(SIGSEGV, own_segv);
	start();
	read_at((volatile long *)0x10);
	NO_TAIL();
}

static void handler_after(void *arg)
{
	(void)arg;
	start();
	signal(SIGSEGV, own_segv);
	read_at((volatile long *)0x10);
	NO_TAIL();
}

static void before_start(void *arg)
{
	(void)arg;
	read_at((volatile long *)0x10);
	NO_TAIL();
}

static volatile int stderr_held;

static void *hold_stderr(void *arg)
{
	(void)arg;
	flockfile(stderr);		/* never released: the report cannot print */
	__atomic_store_n(&stderr_held, 1, __ATOMIC_RELEASE);
	for (;;)
		pause();
	return NULL;
}

static void report_stuck(void *arg)
{
	pthread_t t;

	(void)arg;
	start();
	pthread_create(&t, NULL, hold_stderr, NULL);
	while (!__atomic_load_n(&stderr_held, __ATOMIC_ACQUIRE))
		usleep(1000);
	read_at((volatile long *)0x18);
	NO_TAIL();
}

/* The program's own alternate signal stack, of SIGSTKSZ-like size: the report (whose stack
 * symbolisation needs far more) runs on a stack of ukmem's and is whole, call trace
 * included.  It was cut after a few lines, dying of a second fault in the middle. */
static noinline void small_altstack(void *arg)
{
	static char altstack[16384];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };

	KT_EQ(sigaltstack(&ss, NULL), 0);
	if (arg) {
		char *v = vmalloc(PAGE_SIZE);

		write_at((volatile long *)(v + PAGE_SIZE));	/* its guard page */
	} else {
		start();
		read_at((volatile long *)0x28);
	}
	NO_TAIL();
}

/* A fault in an RCU callback (ukmem's callback thread): the oops, not a silent death (the
 * thread was born with every signal blocked, fault signals included). */
static noinline void faulting_cb(struct rcu_head *head)
{
	write_at((volatile long *)0x10);
	NO_TAIL();
}

static void fault_in_callback(void *arg)
{
	static struct rcu_head head;

	start();
	call_rcu(&head, faulting_cb);
	rcu_barrier();
}

static char *expect_segv(void (*fn)(void *))
{
	char *out;
	int status = kt_run_child(fn, NULL, &out);

	KT_ASSERT(WIFSIGNALED(status));
	KT_EQ(WTERMSIG(status), SIGSEGV);
	return out;
}

int main(void)
{
	char *out;
	int status;

	out = expect_segv(null_read);
	KT_ASSERT(!strncmp(out, "BUG: kernel NULL pointer dereference, address: 0000000000000028\n", 64));
	KT_CONTAINS(out, "#PF: supervisor read access in kernel mode\n");
	KT_CONTAINS(out, "#PF: error_code(0x0000) - not-present page\n");
	KT_CONTAINS(out, "Oops: 0000 [#1] PREEMPT SMP NOPTI\n");
	KT_CONTAINS(out, "RIP: 0010:read_at+");
	KT_CONTAINS(out, " null_read+");
	KT_CONTAINS(out, "CR2: 0000000000000028\n");
	KT_CONTAINS(out, "---[ end trace 0000000000000000 ]---\n");
	free(out);

	out = expect_segv(null_write);
	KT_CONTAINS(out, "BUG: kernel NULL pointer dereference, address: 0000000000000008\n");
	KT_CONTAINS(out, "#PF: supervisor write access in kernel mode\n");
	KT_CONTAINS(out, "#PF: error_code(0x0002) - not-present page\n");
	free(out);

	out = expect_segv(ro_write);
	KT_CONTAINS(out, "BUG: unable to handle page fault for address: ");
	KT_CONTAINS(out, "#PF: supervisor write access in kernel mode\n");
	KT_CONTAINS(out, "#PF: error_code(0x0003) - permissions violation\n");
	KT_CONTAINS(out, "RIP: 0010:write_at+");
	free(out);

	out = expect_segv(non_canonical);
	KT_ASSERT(!strncmp(out, "general protection fault: 0000 [#1] PREEMPT SMP NOPTI\n", 54));
	KT_CONTAINS(out, "RIP: 0010:read_at+");
	KT_NOT_CONTAINS(out, "CR2:");
	free(out);

	status = kt_run_child(handler_before, NULL, &out);
	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 42);
	KT_NOT_CONTAINS(out, "BUG:");
	free(out);
	status = kt_run_child(handler_after, NULL, &out);
	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 42);
	KT_NOT_CONTAINS(out, "BUG:");
	free(out);

	for (long vm = 0; vm < 2; vm++) {
		status = kt_run_child(small_altstack, (void *)vm, &out);
		KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
		KT_CONTAINS(out, vm ? "in the guard page of a vmalloc area" :
				      "BUG: kernel NULL pointer dereference");
		KT_CONTAINS(out, vm ? "RIP: 0010:write_at+" : "RIP: 0010:read_at+");
		KT_CONTAINS(out, " small_altstack+");	/* the trace reaches the faulting code */
		KT_CONTAINS(out, "---[ end trace 0000000000000000 ]---\n");
		free(out);
	}

	out = expect_segv(fault_in_callback);
	KT_CONTAINS(out, "BUG: kernel NULL pointer dereference, address: 0000000000000010\n");
	KT_CONTAINS(out, "RIP: 0010:write_at+");
	KT_CONTAINS(out, " faulting_cb+");
	KT_CONTAINS(out, "---[ end trace 0000000000000000 ]---\n");
	free(out);

	out = expect_segv(before_start);
	KT_NOT_CONTAINS(out, "BUG:");
	free(out);

	/* A report that cannot print (another thread holds stderr's lock) is cut short by the
	 * alarm: a line straight to fd 2, and the process still dies of SIGSEGV, not a hang. */
	out = expect_segv(report_stuck);
	KT_CONTAINS(out, "ukmem: the fault report could not finish in 10 s (a lock it needs is held)\n");
	KT_NOT_CONTAINS(out, "BUG:");
	free(out);

	KT_EQ(ukmem_exit(), 0);
	printf("test_oops: ok\n");
	return 0;
}

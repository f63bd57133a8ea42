/* SPDX-License-Identifier: MIT */
/*
 * Faults: a write one byte past a vmalloc area (its guard page) and a write after vfree()
 * kill the process with SIGSEGV after a kernel-style report naming the area, its size and
 * who allocated (and freed) it, with the faulting stack; also after a vfree() from an RCU
 * callback or an interrupt handler, whose teardown is deferred to task context, and in a
 * fork child that inherited such an area.  Faults outside ukmem's windows
 * reach the handler the program had installed before ukmem.
 */
#include <linux/interrupt.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "vmtest.h"

static volatile sig_atomic_t program_handler_ran;

static void program_handler(int sig, siginfo_t *si, void *uctx)
{
	program_handler_ran = 1;
	_exit(42);
}

static noinline void write_past_end(void *arg)
{
	char *volatile p = vmalloc(3 * PAGE_SIZE + 100);
	volatile unsigned long past = 4 * PAGE_SIZE;

	memset(p, 0, 3 * PAGE_SIZE + 100);
	p[past] = 1;		/* the guard page after the 4 pages */
	_exit(0);			/* not reached */
}

static noinline void use_after_vfree(void *arg)
{
	volatile char *p = vmalloc(2 * PAGE_SIZE);

	p[10] = 1;
	vfree((void *)p);
	p[PAGE_SIZE + 10] = 2;		/* freed: unmapped at once */
	_exit(0);
}

/* vfree() from interrupt context (an RCU callback, a hard-irq handler) defers the area's
 * teardown to task context, as 6.1 does, but takes its access away at once: a use after it
 * faults as a use after vfree, and the teardown is done when the interrupt context ends (no
 * later vmalloc call needed). */
struct deferred {
	struct rcu_head rcu;
	char *area;
};

static void vfree_cb(struct rcu_head *head)
{
	struct deferred *d = container_of(head, struct deferred, rcu);

	vfree(d->area);
	kfree(d);
}

static noinline void use_after_callback_vfree(void *arg)
{
	struct deferred *d = kmalloc(sizeof(*d), GFP_KERNEL);
	volatile char *p = vmalloc(2 * PAGE_SIZE);

	p[10] = 1;
	d->area = (char *)p;
	call_rcu(&d->rcu, vfree_cb);
	rcu_barrier();
	if (find_vm_area((void *)p))	/* taken down at the batch's end */
		_exit(3);
	p[20] = 2;
	_exit(0);
}

static char *irq_area;

static irqreturn_t vfree_irq(int irq, void *dev)
{
	vfree(irq_area);
	return IRQ_HANDLED;
}

static noinline void use_after_irq_vfree(void *arg)
{
	volatile char *p = vmalloc(PAGE_SIZE);

	p[10] = 1;
	irq_area = (char *)p;
	request_irq(11, vfree_irq, 0, "vfree_irq", NULL);
	ukmem_irq_raise(11);
	if (find_vm_area((void *)p))	/* taken down when the handler returned */
		_exit(3);
	p[30] = 2;
	_exit(0);
}

/* A fork child inherits a vfree_atomic()ed area still waiting for task context: its copy
 * is as inaccessible as the parent's. */
static noinline void fork_child_touch(void *arg)
{
	((volatile char *)arg)[40] = 3;
	_exit(0);
}

static noinline void use_in_child_after_atomic_vfree(void *arg)
{
	volatile char *p = vmalloc(PAGE_SIZE);
	char *out;
	int status;

	p[10] = 1;
	vfree_atomic((void *)p);	/* deferred: nothing else runs vmalloc here */
	status = kt_run_child(fork_child_touch, (void *)p, &out);
	fputs(out, stderr);
	_exit(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV ? 7 : 8);
}

/* Freed areas of one size are reused, the most recently freed first, but only after 16
 * other frees: through 15 pairs of the same size the stale pointer is never handed out
 * again and still faults (with other lazy areas of that size around, old and young). */
static noinline void stale_through_reuse(void *arg)
{
	void *old[40];
	volatile char *p;

	for (int i = 0; i < 40; i++)		/* lazy areas of this size, eligible for reuse */
		old[i] = vmalloc(PAGE_SIZE);
	for (int i = 0; i < 40; i++)
		vfree(old[i]);
	p = vmalloc(PAGE_SIZE);
	p[0] = 1;
	vfree((void *)p);
	for (int i = 0; i < 15; i++) {
		char *q = vmalloc(PAGE_SIZE);

		if (q == p)
			_exit(3);	/* handed out again too early */
		q[0] = 1;
		vfree(q);
	}
	p[5] = 2;
	_exit(0);
}

static noinline void read_window_hole(void *arg)
{
	volatile char *hole = (char *)VMALLOC_END - PAGE_SIZE;

	(void)*hole;
	_exit(0);
}

static noinline void fault_elsewhere(void *arg)
{
	char *p = mmap(NULL, PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	*(volatile char *)p = 1;	/* not ukmem's: the program's own handler */
	_exit(0);
}

static volatile int depth_limit = 1 << 30;	/* never reached: the stack ends first */

static noinline int recurse(volatile char *prev, int depth)
{
	volatile char frame[1024];

	frame[0] = prev ? prev[0] + 1 : 0;
	if (depth >= depth_limit)
		return frame[0];
	return recurse(frame, depth + 1) + frame[1];
}

static noinline void overflow_stack(void *arg)
{
	recurse(NULL, 0);		/* the handler must still run: on the alternate stack */
	_exit(0);
}

static char *expect_oops(void (*fn)(void *), const char *access)
{
	char *out;
	int status = kt_run_child(fn, NULL, &out);

	if (!WIFSIGNALED(status))
		KT_FAIL("the child was expected to die of SIGSEGV; status 0x%x", status);
	KT_EQ(WTERMSIG(status), SIGSEGV);
	KT_CONTAINS(out, "BUG: unable to handle page fault for address: ");
	KT_CONTAINS(out, access);
	KT_CONTAINS(out, "#PF: error_code(0x0002) - not-present page");
	KT_CONTAINS(out, "Oops: 0002 [#1]");
	KT_CONTAINS(out, "Call Trace:");
	KT_CONTAINS(out, "CR2: ");
	return out;
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = program_handler, .sa_flags = SA_SIGINFO };
	char *out;
	int status;

	/* The program's handler comes first; ukmem's must pass foreign faults to it. */
	sigaction(SIGSEGV, &sa, NULL);
	KT_EQ(ukmem_init(""), 0);

	out = expect_oops(write_past_end, "#PF: supervisor write access in kernel mode");
	KT_CONTAINS(out, "The buggy address is located 0 bytes to the right of");
	KT_CONTAINS(out, "16384-byte region");
	KT_CONTAINS(out, "in the guard page of a vmalloc area");
	KT_CONTAINS(out, "created by:\n write_past_end+");
	KT_CONTAINS(out, "RIP: 0010:write_past_end+");
	free(out);

	out = expect_oops(use_after_vfree, "#PF: supervisor write access in kernel mode");
	KT_CONTAINS(out, "The buggy address is located 4106 bytes inside of");
	KT_CONTAINS(out, "8192-byte region");
	KT_CONTAINS(out, "of a vmalloc area that was freed");
	KT_CONTAINS(out, "created by:\n use_after_vfree+");
	KT_CONTAINS(out, "and freed by:\n use_after_vfree+");
	KT_CONTAINS(out, "RIP: 0010:use_after_vfree+");
	free(out);

	out = expect_oops(stale_through_reuse, "#PF: supervisor write access in kernel mode");
	KT_CONTAINS(out, "The buggy address is located 5 bytes inside of");
	KT_CONTAINS(out, "of a vmalloc area that was freed");
	KT_CONTAINS(out, "and freed by:\n stale_through_reuse+");
	free(out);

	out = expect_oops(use_after_callback_vfree, "#PF: supervisor write access in kernel mode");
	KT_CONTAINS(out, "The buggy address is located 20 bytes inside of");
	KT_CONTAINS(out, "of a vmalloc area that was freed");
	KT_CONTAINS(out, "and freed by:\n vfree_cb+");
	free(out);

	out = expect_oops(use_after_irq_vfree, "#PF: supervisor write access in kernel mode");
	KT_CONTAINS(out, "The buggy address is located 30 bytes inside of");
	KT_CONTAINS(out, "and freed by:\n vfree_irq+");
	free(out);

	status = kt_run_child(use_in_child_after_atomic_vfree, NULL, &out);
	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 7);
	KT_CONTAINS(out, "The buggy address is located 40 bytes inside of");
	KT_CONTAINS(out, "of a vmalloc area that was freed");
	KT_CONTAINS(out, "and freed by:\n use_in_child_after_atomic_vfree+");
	free(out);

	status = kt_run_child(read_window_hole, NULL, &out);
	KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	KT_CONTAINS(out, "#PF: supervisor read access in kernel mode");
	KT_CONTAINS(out, "in no vmalloc, vmap or ioremap area");
	free(out);

	status = kt_run_child(fault_elsewhere, NULL, &out);
	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 42);
	KT_NOT_CONTAINS(out, "BUG: unable to handle");
	free(out);

	/* A stack overflow is not ukmem's either, and the program's handler still gets it. */
	status = kt_run_child(overflow_stack, NULL, &out);
	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 42);
	KT_NOT_CONTAINS(out, "BUG: unable to handle");
	free(out);

	printf("test_vmalloc_fault: ok\n");
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * MMIO accessor benchmark: nanoseconds per register access, side by side in the same run.
 *
 *   plain      a volatile 32-bit load (store) of ordinary memory: the floor
 *   fast       readl (writel) through ioremap of a memory-backed device: one range compare
 *              plus the load (store), the goal is a ratio near 1 to plain
 *   callback   readl (writel) of a callback device: the slow path (lookup, lock, callback)
 *
 * Each cell is the best of ROUNDS runs, the variants taking turns, so that load from other
 * processes hurts all alike.  Usage: bench_mmio [accesses per run] (default 20,000,000).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <linux/io.h>
#include <ukmem.h>

#define ROUNDS		5
#define BASE		0xc0000000ULL
#define REGS		1024		/* registers walked, to look like real traffic */

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static u64 cb_read(void *priv, u64 off, unsigned int size)
{
	return off;
}

static void cb_write(void *priv, u64 off, unsigned int size, u64 val)
{
}

static const struct ukmem_mmio_ops ops = { cb_read, cb_write };

static noinline u32 plain_read(volatile u32 *p, long n)
{
	u32 sum = 0;

	for (long i = 0; i < n; i++)
		sum += p[i & (REGS - 1)];
	return sum;
}

static noinline void plain_write(volatile u32 *p, long n)
{
	for (long i = 0; i < n; i++)
		p[i & (REGS - 1)] = (u32)i;
}

static noinline u32 io_read(void __iomem *p, long n)
{
	u32 sum = 0;

	for (long i = 0; i < n; i++)
		sum += readl(p + 4 * (i & (REGS - 1)));
	return sum;
}

static noinline void io_write(void __iomem *p, long n)
{
	for (long i = 0; i < n; i++)
		writel((u32)i, p + 4 * (i & (REGS - 1)));
}

static double best[6];
static volatile u32 sink;

static void cell(int idx, double t0, long n)
{
	double ns = (now_ns() - t0) / n;

	if (!best[idx] || ns < best[idx])
		best[idx] = ns;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000000;
	long slow_n = n / 20;
	volatile u32 *plain = calloc(REGS, sizeof(u32));
	void __iomem *fast, *cb;
	double t;

	if (ukmem_mmio_add("bench-mem", BASE, REGS * 4, NULL, NULL) ||
	    ukmem_mmio_add("bench-cb", BASE + 0x100000, REGS * 4, &ops, NULL))
		return 1;
	fast = ioremap(BASE, REGS * 4);
	cb = ioremap(BASE + 0x100000, REGS * 4);
	if (!fast || !cb || __ukmem_mmio_slow(fast)) {
		fprintf(stderr, "bench_mmio: the memory-backed mapping is not a fast one\n");
		return 1;
	}
	for (int r = 0; r < ROUNDS; r++) {
		t = now_ns(); sink = plain_read(plain, n); cell(0, t, n);
		t = now_ns(); sink = io_read(fast, n); cell(1, t, n);
		t = now_ns(); sink = io_read(cb, slow_n); cell(2, t, slow_n);
		t = now_ns(); plain_write(plain, n); cell(3, t, n);
		t = now_ns(); io_write(fast, n); cell(4, t, n);
		t = now_ns(); io_write(cb, slow_n); cell(5, t, slow_n);
	}
	printf("ns per 32-bit access (best of %d)   plain    fast (ratio)   callback (ratio)\n",
	       ROUNDS);
	printf("read  (readl)                    %7.3f  %7.3f (%5.2f)  %8.2f (%6.1f)\n",
	       best[0], best[1], best[1] / best[0], best[2], best[2] / best[0]);
	printf("write (writel)                   %7.3f  %7.3f (%5.2f)  %8.2f (%6.1f)\n",
	       best[3], best[4], best[4] / best[3], best[5], best[5] / best[3]);
	iounmap(fast);
	iounmap(cb);
	ukmem_mmio_remove(BASE);
	ukmem_mmio_remove(BASE + 0x100000);
	free((void *)plain);
	return ukmem_exit();
}

/* SPDX-License-Identifier: MIT */
/*
 * DMA mapping benchmark: a dma_map_single + dma_unmap_single pair of a 1,500-byte kmalloc
 * buffer (a network frame) for a platform device, in four configurations, each in a child
 * process started with its own command line: direct mapping without and with DMA-API
 * debugging (dma_debug=off / on), and bounced through swiotlb (swiotlb=force) without and
 * with debugging.  For scale, the same loop with a 1,500-byte memcpy in place of the pair
 * (what a bounce costs at the least: one copy in; TO_DEVICE copies nothing back).
 *
 * Usage: bench_dma [seconds per measurement, default 0.2] [rounds, default 5]
 * Best round kept (a shared machine disturbs some).  Prints ns per pair and the ratio to the
 * direct mapping without debugging (docs/performance.md, "DMA mapping").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/dma-mapping.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <ukmem.h>

#define LEN	1500

static const struct config {
	const char *name, *cmdline;
} configs[] = {
	{ "direct, dma_debug=off", "dma_debug=off loglevel=4" },
	{ "direct, dma_debug=on", "dma_debug=on loglevel=4" },
	{ "bounced, dma_debug=off", "dma_debug=off swiotlb=force loglevel=4" },
	{ "bounced, dma_debug=on", "dma_debug=on swiotlb=force loglevel=4" },
	{ "memcpy of 1500 bytes", "dma_debug=off loglevel=4" },
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static volatile dma_addr_t sink;

/* ns per pair, best of @rounds. */
static double measure(struct device *dev, bool copy_only, double seconds, int rounds)
{
	char *buf = kmalloc(LEN, GFP_KERNEL), *dst = kmalloc(LEN, GFP_KERNEL);
	double best = 1e30;

	for (int r = 0; r < rounds; r++) {
		unsigned long n = 0;
		double t0 = now(), t;

		do {
			for (int i = 0; i < 1000; i++) {
				if (copy_only) {
					memcpy(dst, buf, LEN);
					__asm__ volatile("" : : "r"(dst) : "memory");
					continue;
				}
				dma_addr_t a = dma_map_single(dev, buf, LEN, DMA_TO_DEVICE);

				if (dma_mapping_error(dev, a))
					exit(3);
				sink = a;
				dma_unmap_single(dev, a, LEN, DMA_TO_DEVICE);
			}
			n += 1000;
			t = now() - t0;
		} while (t < seconds);
		if (t * 1e9 / n < best)
			best = t * 1e9 / n;
	}
	kfree(buf);
	kfree(dst);
	return best;
}

static double run_config(int c, double seconds, int rounds)
{
	int fd[2];
	double ns = -1;
	pid_t pid;

	if (pipe(fd))
		exit(1);
	pid = fork();
	if (pid == 0) {
		struct platform_device *pdev;

		if (ukmem_init(configs[c].cmdline))
			_exit(2);
		pdev = platform_device_register_simple("bench-dma", -1, NULL, 0);
		if (IS_ERR(pdev) || dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64)))
			_exit(2);
		ns = measure(&pdev->dev, c == 4, seconds, rounds);
		if (write(fd[1], &ns, sizeof(ns)) != sizeof(ns))
			_exit(1);
		platform_device_unregister(pdev);
		_exit(ukmem_exit() ? 4 : 0);
	}
	close(fd[1]);
	if (read(fd[0], &ns, sizeof(ns)) != sizeof(ns))
		ns = -1;
	close(fd[0]);
	waitpid(pid, NULL, 0);
	return ns;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 0.2, base = 0;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;

	printf("dma_map_single + dma_unmap_single of %d bytes (DMA_TO_DEVICE), best of %d x %.2f s\n",
	       LEN, rounds, seconds);
	printf("%-26s %10s %10s\n", "configuration", "ns/pair", "x direct");
	for (size_t c = 0; c < sizeof(configs) / sizeof(configs[0]); c++) {
		double ns = run_config(c, seconds, rounds);

		if (ns < 0) {
			fprintf(stderr, "bench_dma: %s failed\n", configs[c].name);
			return 1;
		}
		if (c == 0)
			base = ns;
		printf("%-26s %10.1f %10.2f\n", configs[c].name, ns, ns / base);
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * Slab allocator benchmark: kmalloc/kmem_cache against glibc malloc, jemalloc, tcmalloc and
 * mimalloc, every case side by side in one run, with ratios against the slab allocator's
 * goals (docs/performance.md).  The peers run in child processes of this program (re-executed with LD_PRELOAD of
 * the peer's library; glibc with none); a peer whose library is not installed is reported
 * as missing, with the Debian package that provides it.  The instruction count of the hot
 * pair comes from valgrind --tool=callgrind on a child that runs only that loop.
 *
 * Every allocator (ukmem too) runs in a child process of its own, in turn, for several rounds;
 * each figure is the best seen, so a burst of load on the machine hits every allocator alike.
 *
 * bench_slab links the static library, bench_slab_shared the shared one (PIC code, calls
 * through the PLT, TLS through the GOT: what a program built with pkg-config gets).
 *
 * Usage: bench_slab [-q]          (-q: one round, fewer repetitions, for a quick look)
 *        bench_slab --fast SECONDS (cases 1 and 2 with N=100 only, round after round for
 *                                  SECONDS: minimum and median, for a loaded machine)
 * Internal modes: --peer REPS ukmem|malloc, --mem ukmem|malloc, --hot-only N.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "peers.h"

#ifdef UKMEM_BENCH_SHARED
#define UKMEM_BENCH_LINKAGE "as a shared library (libukmem.so, what pkg-config --libs ukmem gives)"
#else
#define UKMEM_BENCH_LINKAGE "statically (libukmem.a)"
#endif

#define NMIXED		10000
#define MEM_OBJECTS	1000000


enum { HOT, B100_64, B10K_64, B100_MIX, B10K_MIX, PRODCONS, ONE_T, TWO_T, SINGLE16, BULK16,
       MEM, NCASES };
static const char *const case_key[NCASES] = {
	"hot", "b100_64", "b10k_64", "b100_mix", "b10k_mix", "prodcons", "one_t", "two_t",
	"single16", "bulk16", "mem",
};
/* Throughputs: higher is better; everything else is a time or a ratio: lower is better. */
static bool higher_better(int c)
{
	return c == ONE_T || c == TWO_T;
}

static int reps = 3;
static unsigned int mixed[NMIXED];
static bool use_ukmem;

static inline void opaque(void *p)
{
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The two allocators under test, chosen at run time (the branch is the same for both). */
static inline void *xalloc(size_t size)
{
	return use_ukmem ? kmalloc(size, GFP_KERNEL) : malloc(size);
}

static inline void xfree(void *p)
{
	if (use_ukmem)
		kfree(p);
	else
		free(p);
}

/* ---- the cases: each returns nanoseconds per operation (best of reps) ---- */
static noinline void hot_loop_kmalloc(long n)
{
	for (long i = 0; i < n; i++) {
		void *p = kmalloc(64, GFP_KERNEL);

		opaque(p);
		kfree(p);
	}
}

static noinline void hot_loop_malloc(long n)
{
	for (long i = 0; i < n; i++) {
		void *p = malloc(64);

		opaque(p);
		free(p);
	}
}

static double case_hot(void)
{
	const long n = 5000000;
	double best = 1e9;

	for (int r = 0; r < reps; r++) {
		double t = now();

		if (use_ukmem)
			hot_loop_kmalloc(n);
		else
			hot_loop_malloc(n);
		t = (now() - t) * 1e9 / n;
		if (t < best)
			best = t;
	}
	return best;
}

static double case_batch(int n, bool mix)
{
	void **p = malloc(sizeof(void *) * n);
	long rounds = 4000000 / n;
	double best = 1e9;

	for (int r = 0; r < reps; r++) {
		double t = now();

		for (long k = 0; k < rounds; k++) {
			for (int i = 0; i < n; i++) {
				p[i] = xalloc(mix ? mixed[(k + i) % NMIXED] : 64);
				opaque(p[i]);
			}
			for (int i = 0; i < n; i++)
				xfree(p[i]);
		}
		t = (now() - t) * 1e9 / (rounds * n);
		if (t < best)
			best = t;
	}
	free(p);
	return best;
}

/* Producer/consumer over a single-producer single-consumer ring. */
#define RING	1024
static struct {
	_Atomic unsigned long head, tail;
	void *slot[RING];
	long n;
} ring;

static void *consumer(void *arg)
{
	for (long i = 0; i < ring.n; i++) {
		unsigned long h = atomic_load_explicit(&ring.head, memory_order_relaxed);
		void *p;

		while (atomic_load_explicit(&ring.tail, memory_order_acquire) == h)
			__builtin_ia32_pause();
		p = ring.slot[h % RING];
		atomic_store_explicit(&ring.head, h + 1, memory_order_release);
		xfree(p);
	}
	return NULL;
}

static double case_prodcons(void)
{
	double best = 1e9;

	ring.n = 2000000;
	for (int r = 0; r < reps; r++) {
		pthread_t t;
		double t0 = now();

		atomic_store(&ring.head, 0);
		atomic_store(&ring.tail, 0);
		pthread_create(&t, NULL, consumer, NULL);
		for (long i = 0; i < ring.n; i++) {
			unsigned long tl = atomic_load_explicit(&ring.tail, memory_order_relaxed);
			void *p = xalloc(64);

			*(char *)p = 1;
			while (tl - atomic_load_explicit(&ring.head, memory_order_acquire) >= RING)
				__builtin_ia32_pause();
			ring.slot[tl % RING] = p;
			atomic_store_explicit(&ring.tail, tl + 1, memory_order_release);
		}
		pthread_join(t, NULL);
		t0 = (now() - t0) * 1e9 / ring.n;
		if (t0 < best)
			best = t0;
	}
	return best;
}

/* Each thread churns its own objects: batches of 100 allocations then frees. */
#define CHURN_OPS	4000000
static void *churn(void *arg)
{
	void *p[100];

	for (long k = 0; k < CHURN_OPS / 100; k++) {
		for (int i = 0; i < 100; i++) {
			p[i] = xalloc(mixed[(k + i) % NMIXED] & 255);
			opaque(p[i]);
		}
		for (int i = 0; i < 100; i++)
			xfree(p[i]);
	}
	return NULL;
}

/* Throughput in operations per microsecond with nthreads threads. */
static double case_threads(int nthreads)
{
	double best = 0;

	for (int r = 0; r < reps; r++) {
		pthread_t t[2];
		double t0 = now(), thr;

		for (int i = 0; i < nthreads; i++)
			pthread_create(&t[i], NULL, churn, NULL);
		for (int i = 0; i < nthreads; i++)
			pthread_join(t[i], NULL);
		thr = (double)CHURN_OPS * nthreads / ((now() - t0) * 1e6);
		if (thr > best)
			best = thr;
	}
	return best;
}

static long rss_bytes(void)
{
	long size, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &size, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * sysconf(_SC_PAGESIZE);
}

/* RSS growth for 1,000,000 live 32-byte objects, as a multiple of the 32 MB requested. */
static double case_mem(void)
{
	char **p = malloc(sizeof(char *) * MEM_OBJECTS);
	double growth;
	long before;

	for (long i = 0; i < MEM_OBJECTS; i++)	/* touched (a memset of 0 may become calloc) */
		p[i] = (char *)p + i;
	opaque(p);
	if (use_ukmem)
		kfree(kmalloc(32, GFP_KERNEL));		/* start-up is not part of it */
	else
		free(malloc(32));
	before = rss_bytes();
	for (long i = 0; i < MEM_OBJECTS; i++) {
		p[i] = xalloc(32);
		p[i][0] = 1;
	}
	growth = (double)(rss_bytes() - before) / (32.0 * MEM_OBJECTS);
	for (long i = 0; i < MEM_OBJECTS; i++)	/* nothing left for kmemleak's exit report */
		xfree(p[i]);
	free(p);
	return growth;
}

static void run_all(double *res)
{
	res[HOT] = case_hot();
	res[B100_64] = case_batch(100, false);
	res[B10K_64] = case_batch(10000, false);
	res[B100_MIX] = case_batch(100, true);
	res[B10K_MIX] = case_batch(10000, true);
	res[PRODCONS] = case_prodcons();
	res[ONE_T] = case_threads(1);
	res[TWO_T] = case_threads(2);
}

/* ---- bulk (ukmem only) ---- */
static void case_bulk(double *single, double *bulk)
{
	struct kmem_cache *c = kmem_cache_create("bench-bulk", 64, 0, 0, NULL);
	const long rounds = 300000;
	void *p[16];

	*single = *bulk = 1e9;
	for (int r = 0; r < reps; r++) {
		double t = now();

		for (long k = 0; k < rounds; k++) {
			for (int i = 0; i < 16; i++)
				p[i] = kmem_cache_alloc(c, GFP_KERNEL);
			opaque(p);
			for (int i = 0; i < 16; i++)
				kmem_cache_free(c, p[i]);
		}
		t = (now() - t) * 1e9 / (rounds * 16);
		if (t < *single)
			*single = t;
		t = now();
		for (long k = 0; k < rounds; k++) {
			if (kmem_cache_alloc_bulk(c, GFP_KERNEL, 16, p) != 16)
				abort();
			opaque(p);
			kmem_cache_free_bulk(c, 16, p);
		}
		t = (now() - t) * 1e9 / (rounds * 16);
		if (t < *bulk)
			*bulk = t;
	}
	kmem_cache_destroy(c);
}

/* ---- child processes ---- */
static double mem_in_child(const char *lib, const char *which)
{
	char *argv[] = { "/proc/self/exe", "--mem", (char *)which, NULL };
	char *out = peer_run_child(lib, argv);
	double v = peer_parse_key(out, "mem");

	free(out);
	return v;
}

/* Instructions per kmalloc(64)/kfree pair (loop included), or -1 without valgrind. */
static double callgrind_count(void)
{
	const char *tmpdir = getenv("TMPDIR") ? getenv("TMPDIR") : P_tmpdir;
	const long n[2] = { 100000, 200000 };
	long ir[2] = { 0, 0 };

	if (system("command -v valgrind >/dev/null 2>&1"))
		return -1;
	for (int k = 0; k < 2; k++) {
		char file[256], cmd[768], line[256];
		int fd;
		FILE *f;

		snprintf(file, sizeof(file), "%s/bench_slab_cg.XXXXXX", tmpdir);
		fd = mkstemp(file);
		if (fd < 0)
			return -1;
		close(fd);
		snprintf(cmd, sizeof(cmd), "valgrind --tool=callgrind --callgrind-out-file=%s "
			 "--toggle-collect=hot_loop_kmalloc /proc/%d/exe --hot-only %ld >/dev/null 2>&1",
			 file, getpid(), n[k]);
		if (system(cmd)) {
			unlink(file);
			return -1;
		}
		f = fopen(file, "r");
		while (f && fgets(line, sizeof(line), f))
			if (!strncmp(line, "summary:", 8) || !strncmp(line, "totals:", 7))
				ir[k] = atol(strchr(line, ':') + 1);
		if (f)
			fclose(f);
		unlink(file);
	}
	return (double)(ir[1] - ir[0]) / (n[1] - n[0]);
}

static void print_line(const char *what, double ukmem, const double *peer, bool have[],
		       bool lower_better, const char *unit)
{
	printf("%-38s %8.2f", what, ukmem);
	for (unsigned i = 0; i < NPEERS; i++)
		if (have[i])
			printf(" %9.2f", peer[i]);
		else
			printf(" %9s", "missing");
	printf("  %s\n", unit);
	(void)lower_better;
}

static double best_peer(const double (*res)[NCASES], bool have[], int c, bool lower_better)
{
	double best = lower_better ? 1e18 : 0;

	for (unsigned i = 0; i < NPEERS; i++)
		if (have[i] && res[i][c] > 0 && (lower_better ? res[i][c] < best : res[i][c] > best))
			best = res[i][c];
	return best;
}

static void verdict(const char *goal, bool met, double ratio, const char *what)
{
	printf("  %-62s %-6s (%s %.2f)\n", goal, met ? "MET" : "MISSED", what, ratio);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * --fast SECONDS: the fast-path cases alone (1, and 2 with N=100), every allocator in its own
 * child in turn, round after round for SECONDS; prints the minimum and the median of the
 * rounds' bests.  For a machine too loaded for the full run: many short rounds, so some land
 * in quiet moments, and the minimum is the figure least disturbed by the other load.
 */
#define FAST_CASES	3
#define FAST_ROUNDS	512
static int fast_run(double seconds)
{
	static const int fcase[FAST_CASES] = { HOT, B100_64, B100_MIX };
	static double v[NPEERS + 1][FAST_CASES][FAST_ROUNDS];
	double end = now() + seconds, best_peer_min[FAST_CASES];
	bool have[NPEERS];
	int rounds = 0;

	for (unsigned i = 0; i < NPEERS; i++)
		have[i] = !peers[i].lib || access(peers[i].lib, R_OK) == 0;
	while (rounds < FAST_ROUNDS && (rounds < 3 || now() < end)) {
		for (int i = -1; i < (int)NPEERS; i++) {
			char *pargv[] = { "/proc/self/exe", "--fast-child", i < 0 ? "ukmem" : "malloc", NULL };
			char *out;

			if (i >= 0 && !have[i])
				continue;
			out = peer_run_child(i < 0 ? NULL : peers[i].lib, pargv);
			for (int c = 0; c < FAST_CASES; c++)
				v[i + 1][c][rounds] = peer_parse_key(out, case_key[fcase[c]]);
			free(out);
		}
		rounds++;
	}
	printf("fast-path cases, %d rounds (best of 3 runs each), ns per pair: min / median\n\n%-26s %13s",
	       rounds, "case", "ukmem");
	for (unsigned i = 0; i < NPEERS; i++)
		printf(" %13s", peers[i].name);
	printf("\n");
	for (int c = 0; c < FAST_CASES; c++) {
		best_peer_min[c] = 1e18;
		printf("%-26s", case_key[fcase[c]]);
		for (int i = 0; i <= (int)NPEERS; i++) {
			if (i > 0 && !have[i - 1]) {
				printf(" %13s", "missing");
				continue;
			}
			qsort(v[i][c], rounds, sizeof(double), cmp_double);
			printf(" %6.2f/%6.2f", v[i][c][0], v[i][c][(rounds - 1) / 2]);
			if (i > 0 && v[i][c][0] < best_peer_min[c])
				best_peer_min[c] = v[i][c][0];
		}
		printf("\n");
	}
	printf("\nfastest peer / ukmem (minimums):");
	for (int c = 0; c < FAST_CASES; c++)
		printf(" %s %.2f", case_key[fcase[c]], best_peer_min[c] / v[0][c][0]);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	double res[NPEERS][NCASES], uk[NCASES], single, bulk, instr;
	bool have[NPEERS];
	uint32_t s = 12345;
	int rounds = 3;

	for (int i = 0; i < NMIXED; i++) {
		s ^= s << 13;
		s ^= s >> 17;
		s ^= s << 5;
		mixed[i] = 8 + s % (4096 - 8 + 1);
	}
	if (argc > 1 && !strcmp(argv[1], "-q")) {
		reps = 2;
		rounds = 1;
	}
	if (argc > 2 && !strcmp(argv[1], "--hot-only")) {
		ukmem_init("");
		hot_loop_kmalloc(atol(argv[2]));
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "--fast-child")) {
		use_ukmem = !strcmp(argv[2], "ukmem");
		if (use_ukmem)
			ukmem_init("");
		printf("\n%s %.4f\n%s %.4f\n%s %.4f\n", case_key[HOT], case_hot(),
		       case_key[B100_64], case_batch(100, false), case_key[B100_MIX], case_batch(100, true));
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "--fast")) {
		peer_print_cpu(UKMEM_BENCH_LINKAGE);
		return fast_run(atof(argv[2]));
	}
	if (argc > 2 && !strcmp(argv[1], "--mem")) {
		use_ukmem = !strcmp(argv[2], "ukmem");
		if (use_ukmem)
			ukmem_init("");
		printf("\nmem %.4f\n", case_mem());
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "--peer")) {
		double r[NCASES];

		reps = argc > 2 ? atoi(argv[2]) : reps;
		use_ukmem = argc > 3 && !strcmp(argv[3], "ukmem");
		if (use_ukmem)
			ukmem_init("");
		run_all(r);
		if (use_ukmem)
			case_bulk(&r[SINGLE16], &r[BULK16]);
		printf("\n");
		for (int c = 0; c < MEM; c++)
			if (use_ukmem || c < SINGLE16)
				printf("%s %.4f\n", case_key[c], r[c]);
		return 0;
	}

	printf("ukmem slab benchmark: %ld CPUs online; %d rounds, each allocator in turn in its own\n"
	       "process, best of %d runs per round; ns per alloc+free pair unless noted\n",
	       sysconf(_SC_NPROCESSORS_ONLN), rounds, reps);
	peer_print_cpu(UKMEM_BENCH_LINKAGE);
	for (unsigned i = 0; i < NPEERS; i++) {
		have[i] = peer_available(i);
		for (int c = 0; c < NCASES; c++)
			res[i][c] = -1;
	}
	for (int c = 0; c < NCASES; c++)
		uk[c] = -1;
	/* Rounds interleave the allocators, so a burst of load on the machine hits them alike. */
	for (int round = 0; round < rounds; round++) {
		for (int i = -1; i < (int)NPEERS; i++) {
			char reps_s[8];
			char *pargv[] = { "/proc/self/exe", "--peer", reps_s, i < 0 ? "ukmem" : "malloc", NULL };
			double *dst = i < 0 ? uk : res[i];
			char *out;

			if (i >= 0 && !have[i])
				continue;
			snprintf(reps_s, sizeof(reps_s), "%d", reps);
			out = peer_run_child(i < 0 ? NULL : peers[i].lib, pargv);
			for (int c = 0; c < MEM; c++) {
				double v = peer_parse_key(out, case_key[c]);

				if (v > 0 && (dst[c] < 0 || (higher_better(c) ? v > dst[c] : v < dst[c])))
					dst[c] = v;
			}
			free(out);
		}
	}
	for (unsigned i = 0; i < NPEERS; i++)
		if (have[i])
			res[i][MEM] = mem_in_child(peers[i].lib, "malloc");
	uk[MEM] = mem_in_child(NULL, "ukmem");
	single = uk[SINGLE16];
	bulk = uk[BULK16];
	instr = callgrind_count();

	printf("\n%-38s %8s", "case", "ukmem");
	for (unsigned i = 0; i < NPEERS; i++)
		printf(" %9s", peers[i].name);
	printf("\n");
	print_line("1. hot pair kmalloc(64)/kfree", uk[HOT], (double[]){ res[0][HOT], res[1][HOT], res[2][HOT], res[3][HOT] }, have, true, "ns");
	{
		static const char *const names[] = { "2. batch N=100, 64 B", "2. batch N=10000, 64 B",
			"2. batch N=100, mixed 8..4096 B", "2. batch N=10000, mixed 8..4096 B" };

		for (int c = B100_64; c <= B10K_MIX; c++) {
			double v[NPEERS];

			for (unsigned i = 0; i < NPEERS; i++)
				v[i] = res[i][c];
			print_line(names[c - B100_64], uk[c], v, have, true, "ns");
		}
	}
	{
		double v[NPEERS], w[NPEERS], m[NPEERS], sc[NPEERS];

		for (unsigned i = 0; i < NPEERS; i++) {
			v[i] = res[i][PRODCONS];
			w[i] = res[i][ONE_T];
			m[i] = res[i][MEM];
			sc[i] = res[i][TWO_T] / res[i][ONE_T];
		}
		print_line("4. producer/consumer (2 threads)", uk[PRODCONS], v, have, true, "ns/object");
		print_line("5. one thread churning", uk[ONE_T], w, have, false, "ops/us");
		for (unsigned i = 0; i < NPEERS; i++)
			w[i] = res[i][TWO_T];
		print_line("5. two threads churning", uk[TWO_T], w, have, false, "ops/us");
		print_line("5. scaling two threads / one", uk[TWO_T] / uk[ONE_T], sc, have, false, "x");
		print_line("6. RSS growth / 32 MB requested", uk[MEM], m, have, true, "x");
	}
	printf("%-38s %8.2f  ns/object (16 single kmem_cache_alloc+free)\n", "3. single calls", single);
	printf("%-38s %8.2f  ns/object (kmem_cache_alloc_bulk+free_bulk of 16)\n", "3. bulk calls", bulk);
	if (instr > 0)
		printf("%-38s %8.1f  instructions per pair, loop included (callgrind)\n", "1. hot pair", instr);
	else
		printf("%-38s %8s  (valgrind not found)\n", "1. hot pair instructions", "n/a");

	printf("\nGoals (ratio > 1 means ukmem is better):\n");
	{
		double bp;

		bp = best_peer((const double (*)[NCASES])res, have, HOT, true);
		verdict("1. hot pair faster than the fastest peer", uk[HOT] < bp, bp / uk[HOT], "fastest peer / ukmem");
		if (instr > 0)
			verdict("1. at most 30 instructions per pair", instr <= 30, instr, "instructions");
		for (int c = B100_64; c <= B10K_MIX; c++) {
			char goal[80];

			bp = best_peer((const double (*)[NCASES])res, have, c, true);
			snprintf(goal, sizeof(goal), "2. %s: no slower than the fastest peer", case_key[c]);
			verdict(goal, uk[c] <= bp, bp / uk[c], "fastest peer / ukmem");
		}
		verdict("3. bulk at least 1.5x faster per object", single / bulk >= 1.5, single / bulk, "single / bulk");
		bp = best_peer((const double (*)[NCASES])res, have, PRODCONS, true);
		verdict("4. producer/consumer within 1.5x of the fastest peer", uk[PRODCONS] <= 1.5 * bp,
			uk[PRODCONS] / bp, "ukmem / fastest peer");
		verdict("5. two threads at least 1.8x one thread", uk[TWO_T] / uk[ONE_T] >= 1.8,
			uk[TWO_T] / uk[ONE_T], "scaling");
		verdict("6. RSS growth at most 1.1x of 32 MB", uk[MEM] <= 1.1, uk[MEM], "RSS / requested");
	}
	return 0;
}

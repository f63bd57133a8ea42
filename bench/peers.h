/* SPDX-License-Identifier: MIT */
/*
 * What the allocator benchmarks share: the peer allocators (each run in a child process of
 * its own with LD_PRELOAD, so every allocator sees a fresh process), running such a child
 * and reading its "key value" lines, and the line naming the CPU that every recorded figure
 * carries (docs/performance.md).
 *
 * Header-only: each benchmark is one program; include it once.
 */
#ifndef UKMEM_BENCH_PEERS_H
#define UKMEM_BENCH_PEERS_H
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#define PEER_LIBDIR	"/usr/lib/x86_64-linux-gnu/"

/* A peer: its name, the library to preload (NULL: the C library itself), its package. */
static const struct peer {
	const char *name, *lib, *package;
} peers[] = {
	{ "glibc", NULL, "libc6" },
	{ "jemalloc", PEER_LIBDIR "libjemalloc.so.2", "libjemalloc2" },
	{ "tcmalloc", PEER_LIBDIR "libtcmalloc_minimal.so.4", "libtcmalloc-minimal4" },
	{ "mimalloc", PEER_LIBDIR "libmimalloc.so.2", "libmimalloc2.0" },
};
#define NPEERS	(sizeof(peers) / sizeof(peers[0]))

/* True when peer i can run here; otherwise says which package to install. */
static inline bool peer_available(unsigned int i)
{
	if (!peers[i].lib || access(peers[i].lib, R_OK) == 0)
		return true;
	printf("peer %s: MISSING (%s not found; install Debian package %s)\n", peers[i].name,
	       peers[i].lib, peers[i].package);
	return false;
}

/*
 * Runs argv with LD_PRELOAD=lib (none when NULL) and returns its standard output
 * (malloc'd), or NULL when it could not run or did not exit with 0.
 */
static inline char *peer_run_child(const char *lib, char *const argv[])
{
	int fd[2], status;
	char *out = NULL;
	size_t len = 0;
	FILE *f;
	pid_t pid;

	if (pipe(fd))
		return NULL;
	pid = fork();
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		if (lib)
			setenv("LD_PRELOAD", lib, 1);
		else
			unsetenv("LD_PRELOAD");
		execv(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	f = open_memstream(&out, &len);
	for (char buf[4096];;) {
		ssize_t n = read(fd[0], buf, sizeof(buf));

		if (n <= 0)
			break;
		fwrite(buf, 1, n, f);
	}
	fclose(f);
	close(fd[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		free(out);
		return NULL;
	}
	return out;
}

/* The number after "KEY " at the start of a line of out, or -1. */
static inline double peer_parse_key(const char *out, const char *key)
{
	char pat[64];
	const char *p;

	if (!out)
		return -1;
	snprintf(pat, sizeof(pat), "%s ", key);
	for (p = out; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, pat, strlen(pat)))
			return atof(p + strlen(pat));
	return -1;
}

/* "CPU: MODEL NAME (family F, model M); ukmem linked HOW" from /proc/cpuinfo. */
static inline void peer_print_cpu(const char *how)
{
	char line[256], name[128] = "unknown";
	int family = -1, model = -1;
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		char *v = strchr(line, ':');

		if (!v)
			continue;
		v += 2;
		if (!strncmp(line, "model name", 10) && !strcmp(name, "unknown"))
			snprintf(name, sizeof(name), "%.*s", (int)strcspn(v, "\n"), v);
		else if (!strncmp(line, "cpu family", 10) && family < 0)
			family = atoi(v);
		else if (!strncmp(line, "model\t", 6) && model < 0)
			model = atoi(v);
	}
	if (f)
		fclose(f);
	printf("CPU: %s (family %d, model %d); ukmem linked %s\n", name, family, model, how);
}
#endif

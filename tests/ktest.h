/* SPDX-License-Identifier: MIT */
/*
 * A small test harness for ukmem's CTest programs: assertions that print what was expected
 * and what was found, stderr capture (to check report text), and running a function in a
 * forked child (to observe a crash or an exit status).
 */
#ifndef UKMEM_KTEST_H
#define UKMEM_KTEST_H
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* Which sanitizer instruments this test (tests that expect what the tool changes ask):
 * KT_UNDER_ASAN, KT_UNDER_TSAN, each 0 or 1. */
#if defined(__SANITIZE_ADDRESS__)
#define KT_UNDER_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KT_UNDER_ASAN	1
#endif
#endif
#ifndef KT_UNDER_ASAN
#define KT_UNDER_ASAN	0
#endif
#if defined(__SANITIZE_THREAD__)
#define KT_UNDER_TSAN	1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define KT_UNDER_TSAN	1
#endif
#endif
#ifndef KT_UNDER_TSAN
#define KT_UNDER_TSAN	0
#endif

#define KT_FAIL(fmt, ...) do { \
	fprintf(stderr, "%s:%d: FAIL: " fmt "\n", __FILE__, __LINE__, ##__VA_ARGS__); \
	exit(1); } while (0)
#define KT_ASSERT(cond) do { if (!(cond)) KT_FAIL("expected %s", #cond); } while (0)
#define KT_EQ(a, b) do { long long _a = (long long)(a), _b = (long long)(b); \
	if (_a != _b) KT_FAIL("%s == %s: found %lld, expected %lld", #a, #b, _a, _b); } while (0)
#define KT_NE(a, b) do { long long _a = (long long)(a), _b = (long long)(b); \
	if (_a == _b) KT_FAIL("%s != %s: both are %lld", #a, #b, _a); } while (0)
#define KT_CONTAINS(hay, needle) do { const char *_h = (hay), *_n = (needle); \
	if (!strstr(_h, _n)) KT_FAIL("expected \"%s\" in:\n%s", _n, _h); } while (0)
#define KT_NOT_CONTAINS(hay, needle) do { const char *_h = (hay), *_n = (needle); \
	if (strstr(_h, _n)) KT_FAIL("did not expect \"%s\" in:\n%s", _n, _h); } while (0)

/* Capture what is written to a descriptor (stderr: reports, printk; stdout: KTAP) between
 * begin and end.  One capture at a time. */
static int kt_saved_fd = -1, kt_capture_fd = -1, kt_captured_fd = -1;

static inline void kt_capture_fd_begin(int fd)
{
	fflush(stdout);
	fflush(stderr);
	kt_captured_fd = fd;
	kt_capture_fd = memfd_create("kt-capture", 0);
	kt_saved_fd = dup(fd);
	dup2(kt_capture_fd, fd);
}

/* Returns a malloc'd NUL-terminated copy of what was captured; also echoes it. */
static inline char *kt_capture_fd_end(void)
{
	off_t len;
	char *buf;

	fflush(stdout);
	fflush(stderr);
	dup2(kt_saved_fd, kt_captured_fd);
	close(kt_saved_fd);
	len = lseek(kt_capture_fd, 0, SEEK_END);
	buf = calloc(1, (size_t)len + 1);
	if (len > 0 && pread(kt_capture_fd, buf, (size_t)len, 0) != len)
		KT_FAIL("cannot read captured output");
	close(kt_capture_fd);
	fputs(buf, kt_captured_fd == 1 ? stdout : stderr);
	return buf;
}

static inline void kt_capture_begin(void)
{
	kt_capture_fd_begin(2);
}

static inline char *kt_capture_end(void)
{
	return kt_capture_fd_end();
}

/*
 * Zero 16 KiB of stack below the caller, where the callees it returned from left copies of
 * pointers: a kmemleak scan reads the live part of the stack, and the frames of the calls
 * that lead to it do not write every slot they occupy.  Volatile word stores (a memset of a
 * dying local is dropped as dead), not instrumented (AddressSanitizer would move the array
 * to a heap "fake stack" and check stale poison).
 */
static __attribute__((__noinline__, __unused__, no_sanitize("address"))) void kt_scrub_stack(void)
{
	volatile unsigned long junk[2048];

	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
		junk[i] = 0;
}

#ifdef _UKMEM_H
/* The text of ukmem_show(name), malloc'd. */
static __attribute__((__noinline__, __unused__)) char *kt_show(const char *name)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int err = ukmem_show(name, f);

	fclose(f);
	if (err)
		KT_FAIL("ukmem_show(\"%s\") returned %d", name, err);
	return buf;
}

/* Column col (0: active objects, 1: total objects, 2: object size) of cache's slabinfo line,
 * or -1 when slabinfo has no such cache. */
static __attribute__((__unused__)) long kt_slabinfo(const char *cache, int col)
{
	char *info = kt_show("slabinfo"), name[64], *l;
	long v[3], found = -1;

	for (l = info; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (sscanf(l, "%63s %ld %ld %ld", name, &v[0], &v[1], &v[2]) > col + 1 &&
		    !strcmp(name, cache)) {
			found = v[col];
			break;
		}
	free(info);
	return found;
}
#endif

/* Run fn in a child with stderr captured; returns its wait status, output in *out. */
static inline int kt_run_child(void (*fn)(void *), void *arg, char **out)
{
	int fd = memfd_create("kt-child", 0), status = 0;
	pid_t pid;
	off_t len;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		KT_FAIL("fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(fd, 2);
		fn(arg);
		fflush(stderr);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0)
		KT_FAIL("waitpid: %s", strerror(errno));
	len = lseek(fd, 0, SEEK_END);
	*out = calloc(1, (size_t)len + 1);
	if (len > 0 && pread(fd, *out, (size_t)len, 0) != len)
		KT_FAIL("cannot read child output");
	close(fd);
	fprintf(stderr, "---- child output ----\n%s---- end of child output ----\n", *out);
	return status;
}

/* How many times @s occurs in @out. */
static inline int kt_count(const char *out, const char *s)
{
	int n = 0;

	for (const char *p = strstr(out, s); p; p = strstr(p + 1, s))
		n++;
	return n;
}

/* Run @fn(@cmdline) in a child that must exit 0 (it starts ukmem with @cmdline itself);
 * returns its output. */
static inline char *kt_child_output(void (*fn)(void *), const char *cmdline)
{
	char *out;
	int status = kt_run_child(fn, (void *)cmdline, &out);

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		KT_FAIL("child for \"%s\" failed (status %#x)", cmdline, status);
	return out;
}
#endif

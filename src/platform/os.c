/* SPDX-License-Identifier: MIT */
/*
 * Host primitives: memfd, mmap, hole punching, thread identity, thread-exit and fork hooks,
 * the fork gate.  See platform.h for the contract.  No locks here: hook tables are written
 * only at start-up, and the fork gate only inside the fork handlers of one fork, which the
 * callers' fork locks serialise.
 */
#include <errno.h>
#include <sys/random.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sysinfo.h>
#include <sys/syscall.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <time.h>
#include <unistd.h>
#include "platform/platform.h"

#define OS_PAGE		4096UL
#define OS_MAX_HOOKS	32

static struct {
	pthread_key_t exit_key;
	pthread_once_t key_once;
	ukmem__thread_exit_fn exit_fns[OS_MAX_HOOKS];
	int nr_exit_fns;
	int gate[2];		/* the fork gate's pipe, -1 when not armed (one fork at a time) */
} os = { .key_once = PTHREAD_ONCE_INIT, .gate = { -1, -1 } };

static bool os_aligned(const void *addr, size_t len)
{
	return ((uintptr_t)addr % OS_PAGE) == 0 && (len % OS_PAGE) == 0 && len != 0;
}

int ukmem__os_memfd(const char *name, size_t size)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int ukmem__os_punch(int fd, off_t off, size_t len)
{
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off, (off_t)len) < 0)
		return -errno;
	return 0;
}

void ukmem__os_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

unsigned long long ukmem__os_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

/* The monotonic clock at the host's tick (1-4 ms): a vDSO read with no TSC access, cheap
 * enough to stamp every tracked allocation (kmemleak's jiffies, SLUB's track times). */
unsigned long long ukmem__os_coarse_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

void ukmem__os_sleep_us(unsigned long us)
{
	struct timespec ts = { .tv_sec = (time_t)(us / 1000000), .tv_nsec = (long)(us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int ukmem__os_wait_on(unsigned int *word, unsigned int val, unsigned long long timeout_ns)
{
	struct timespec ts = { .tv_sec = (time_t)(timeout_ns / 1000000000ULL),
			       .tv_nsec = (long)(timeout_ns % 1000000000ULL) };

	if (syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val,
		    timeout_ns == ~0ULL ? NULL : &ts, NULL, 0) == 0)
		return 0;
	return errno == EAGAIN || errno == ETIMEDOUT ? -errno : 0;	/* EINTR: a wake-up */
}

void ukmem__os_wake_on(unsigned int *word, int n)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}

int ukmem__os_membarrier_register(void)
{
	if (syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0))
		return -errno;
	return 0;
}

/* Cannot fail once registered (the host refuses only unregistered callers and unknown
 * commands); a failure would break mutual exclusion, so it ends the process. */
void ukmem__os_membarrier(void)
{
	if (syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0))
		abort();
}

int ukmem__os_getrandom(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void *ukmem__os_reserve(size_t size, size_t align)
{
	size_t span = size + align;
	char *base, *start;

	if (size == 0 || size % OS_PAGE || align % OS_PAGE || (align & (align - 1)))
		return NULL;
	base = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	start = align ? (char *)(((uintptr_t)base + align - 1) & ~(uintptr_t)(align - 1)) : base;
	if (start > base)
		munmap(base, start - base);
	if (start + size < base + span)
		munmap(start + size, base + span - (start + size));
	return start;
}

static int os_prot(unsigned int prot)
{
	return (prot & UKMEM_OS_READ ? PROT_READ : 0) | (prot & UKMEM_OS_WRITE ? PROT_WRITE : 0) |
	       (prot & UKMEM_OS_EXEC ? PROT_EXEC : 0);
}

int ukmem__os_map_shared_prot(void *addr, size_t len, int fd, off_t off, unsigned int prot)
{
	void *p;

	if (!os_aligned(addr, len) || off % (off_t)OS_PAGE)
		return -EINVAL;
	p = mmap(addr, len, os_prot(prot), MAP_SHARED | MAP_FIXED, fd, off);
	return p == MAP_FAILED ? -errno : 0;
}

int ukmem__os_map_shared(void *addr, size_t len, int fd, off_t off)
{
	return ukmem__os_map_shared_prot(addr, len, fd, off, UKMEM_OS_READ | UKMEM_OS_WRITE);
}

int ukmem__os_protect_prot(void *addr, size_t len, unsigned int prot)
{
	if (!os_aligned(addr, len))
		return -EINVAL;
	return mprotect(addr, len, os_prot(prot)) ? -errno : 0;
}

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL	102	/* Linux 6.13 uapi */
#endif
int ukmem__os_guard_install(void *addr, size_t len)
{
	if (!os_aligned(addr, len))
		return -EINVAL;
	return madvise(addr, len, MADV_GUARD_INSTALL) ? -errno : 0;
}

int ukmem__os_unmap(void *addr, size_t len)
{
	void *p;

	if (!os_aligned(addr, len))
		return -EINVAL;
	p = mmap(addr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
	return p == MAP_FAILED ? -errno : 0;
}

int ukmem__os_protect(void *addr, size_t len, bool writable)
{
	return ukmem__os_protect_prot(addr, len, UKMEM_OS_READ | (writable ? UKMEM_OS_WRITE : 0));
}

void *ukmem__os_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void ukmem__os_free(void *addr, size_t size)
{
	if (addr)
		munmap(addr, size);
}

size_t ukmem__os_host_ram(void)
{
	struct sysinfo si;

	if (sysinfo(&si) < 0)
		return 0;
	return (size_t)si.totalram * si.mem_unit;
}

bool ukmem__os_on_thread_stack(const void *addr)
{
	pthread_attr_t attr;
	void *base;
	size_t size;
	bool on = false;

	if (pthread_getattr_np(pthread_self(), &attr))
		return false;
	if (!pthread_attr_getstack(&attr, &base, &size))
		on = (const char *)addr >= (const char *)base && (const char *)addr < (const char *)base + size;
	pthread_attr_destroy(&attr);
	return on;
}

unsigned int ukmem__os_host_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned int)n : 1;
}

long ukmem__os_max_map_count(void)
{
	FILE *f = fopen("/proc/sys/vm/max_map_count", "re");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

pid_t ukmem__os_gettid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* The main thread is named after the program (as the kernel's comm), others by their name. */
void ukmem__os_thread_name(char *buf, size_t len)
{
	char name[16] = "";

	if (getpid() == (pid_t)syscall(SYS_gettid))
		snprintf(name, sizeof(name), "%s", program_invocation_short_name);
	else if (prctl(PR_GET_NAME, name) < 0)
		strcpy(name, "?");
	snprintf(buf, len, "%s", name);
}

void ukmem__os_thread_setname(const char *name)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%s", name);
	prctl(PR_SET_NAME, buf);
}

int ukmem__os_thread_start_joinable(void *(*fn)(void *), void *arg, unsigned long *id)
{
	pthread_t t;
	int err = pthread_create(&t, NULL, fn, arg);

	if (!err)
		*id = (unsigned long)t;
	return -err;
}

void ukmem__os_thread_join(unsigned long id)
{
	pthread_join((pthread_t)id, NULL);
}

void ukmem__os_thread_detach(unsigned long id)
{
	pthread_detach((pthread_t)id);
}

int ukmem__os_thread_start(void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	pthread_t t;
	int err;

	if (pthread_attr_init(&attr))
		return -ENOMEM;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	err = pthread_create(&t, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	return -err;
}

void ukmem__os_thread_exit(void)
{
	pthread_exit(NULL);
}

static void os_thread_exit(void *arg)
{
	(void)arg;
	for (int i = os.nr_exit_fns - 1; i >= 0; i--)
		os.exit_fns[i]();
}

static void os_make_key(void)
{
	pthread_key_create(&os.exit_key, os_thread_exit);
}

void ukmem__os_on_thread_exit(ukmem__thread_exit_fn fn)
{
	/* Registrations are fixed at build time; more than the table holds is a bug in ukmem,
	 * and dropping one would leave a thread's state behind: stop instead. */
	if (os.nr_exit_fns >= OS_MAX_HOOKS)
		abort();
	os.exit_fns[os.nr_exit_fns++] = fn;
}

void ukmem__os_thread_attach(void)
{
	pthread_once(&os.key_once, os_make_key);
	pthread_setspecific(os.exit_key, (void *)1);
}

void ukmem__os_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void))
{
	pthread_atfork(prepare, parent, child);
}

/* The gate is a pipe: the parent reads it, and the read returns when the child has closed
 * its copy of the write end (or exited) and the parent its own. */
int ukmem__os_fork_gate_arm(void)
{
	if (pipe2(os.gate, O_CLOEXEC) == 0)
		return 0;
	os.gate[0] = os.gate[1] = -1;
	return -errno;
}

static void os_gate_close(void)
{
	close(os.gate[0]);
	close(os.gate[1]);
	os.gate[0] = os.gate[1] = -1;
}

void ukmem__os_fork_gate_wait(void)
{
	char c;

	if (os.gate[0] < 0)
		return;
	close(os.gate[1]);
	os.gate[1] = -1;
	while (read(os.gate[0], &c, 1) < 0 && errno == EINTR)
		;
	os_gate_close();
}

void ukmem__os_fork_gate_open(void)
{
	if (os.gate[0] >= 0)
		os_gate_close();
}

static int os_copy_range(int src, int dst, off_t off, off_t end)
{
	while (off < end) {
		loff_t in = off, out = off;
		ssize_t n = copy_file_range(src, &in, dst, &out, (size_t)(end - off), 0);

		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		off += n;
	}
	return 0;
}

int ukmem__os_memfd_clone(int src, size_t size, const char *name)
{
	int dst = ukmem__os_memfd(name, size);
	off_t off = 0;

	if (dst < 0)
		return dst;
	for (;;) {
		off_t data = lseek(src, off, SEEK_DATA), hole;
		int err;

		if (data < 0)
			break;		/* ENXIO: no more data */
		hole = lseek(src, data, SEEK_HOLE);
		if (hole < 0)
			hole = (off_t)size;
		err = os_copy_range(src, dst, data, hole);
		if (err) {
			close(dst);
			return err;
		}
		off = hole;
	}
	return dst;
}

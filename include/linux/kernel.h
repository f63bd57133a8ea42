/* SPDX-License-Identifier: MIT */
/*
 * <linux/kernel.h>: the kernel's grab-bag header.  Starts with the UAPI header of the same
 * name (glibc's <sys/sysinfo.h> includes it for struct sysinfo).
 */
#ifndef _UKMEM_LINUX_KERNEL_H
#define _UKMEM_LINUX_KERNEL_H
#include_next <linux/kernel.h>
#include <stdarg.h>
#include <linux/align.h>
#include <linux/compiler.h>
#include <linux/container_of.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/types.h>
#include <linux/bug.h>
#include <linux/bits.h>
#include <linux/printk.h>
#include <linux/err.h>
#include <linux/build_bug.h>
#include <linux/kconfig.h>
#include <linux/math.h>
#include <linux/stddef.h>
#include <linux/sched.h>

#define ARRAY_SIZE(arr)		(sizeof(arr) / sizeof((arr)[0]))
#define STACK_MAGIC		0xdeadbeef
#define REPEAT_BYTE(x)		((~0ul / 0xff) * (x))
#define upper_32_bits(n)	((u32)(((n) >> 16) >> 16))
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))
#define upper_16_bits(n)	((u16)((n) >> 16))
#define lower_16_bits(n)	((u16)((n) & 0xffff))
#define _RET_IP_		(unsigned long)__builtin_return_address(0)
#define _THIS_IP_		({ __label__ __here; __here: (unsigned long)&&__here; })

int kstrtoul(const char *s, unsigned int base, unsigned long *res);
int kstrtol(const char *s, unsigned int base, long *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtoint(const char *s, unsigned int base, int *res);
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtou16(const char *s, unsigned int base, u16 *res);
int kstrtos16(const char *s, unsigned int base, s16 *res);
int kstrtou8(const char *s, unsigned int base, u8 *res);
int kstrtos8(const char *s, unsigned int base, s8 *res);
int kstrtoll(const char *s, unsigned int base, long long *res);
int kstrtobool(const char *s, bool *res);
static inline int kstrtou64(const char *s, unsigned int base, u64 *res)
{
	return kstrtoull(s, base, (unsigned long long *)res);
}
static inline int kstrtos64(const char *s, unsigned int base, s64 *res)
{
	return kstrtoll(s, base, (long long *)res);
}
static inline int kstrtou32(const char *s, unsigned int base, u32 *res)
{
	return kstrtouint(s, base, res);
}
static inline int kstrtos32(const char *s, unsigned int base, s32 *res)
{
	return kstrtoint(s, base, res);
}
unsigned long simple_strtoul(const char *cp, char **endp, unsigned int base);
long simple_strtol(const char *cp, char **endp, unsigned int base);
unsigned long long simple_strtoull(const char *cp, char **endp, unsigned int base);
long long simple_strtoll(const char *cp, char **endp, unsigned int base);
unsigned long long memparse(const char *ptr, char **retptr);
/* The C library's formatters, which 6.1's kernel.h declares (glibc's, same prototypes). */
int sprintf(char *buf, const char *fmt, ...);
int snprintf(char *buf, size_t size, const char *fmt, ...);
int vsprintf(char *buf, const char *fmt, va_list args);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
int sscanf(const char *buf, const char *fmt, ...);
#endif

/* SPDX-License-Identifier: MIT */
/*
 * <linux/bug.h>: BUG and WARN.  A WARN prints the kernel's "------------[ cut here ]------------"
 * report with a stack and counts as a problem (ukmem_report_count); with panic_on_warn=1 it
 * aborts.  BUG() prints "kernel BUG at FILE:LINE!" with a stack and aborts the process, as the
 * kernel kills the task: code after BUG() is never run.
 */
#ifndef _UKMEM_LINUX_BUG_H
#define _UKMEM_LINUX_BUG_H
#include <linux/compiler.h>
#include <linux/build_bug.h>
#include <linux/types.h>

__printf(4, 5) __cold void __ukmem_warn(const char *file, int line, const char *func,
					  const char *fmt, ...);
__noreturn __cold void __ukmem_bug(const char *file, int line, const char *func);

#define BUG()	__ukmem_bug(__FILE__, __LINE__, __func__)
#define BUG_ON(cond)	do { if (unlikely(cond)) BUG(); } while (0)

#define __WARN()		__ukmem_warn(__FILE__, __LINE__, __func__, NULL)
#define __WARN_printf(taint, fmt, ...) __ukmem_warn(__FILE__, __LINE__, __func__, fmt, ##__VA_ARGS__)

#define WARN_ON(condition) ({ \
	int __ret_warn_on = !!(condition); \
	if (unlikely(__ret_warn_on)) __WARN(); \
	unlikely(__ret_warn_on); })
#define WARN(condition, fmt, ...) ({ \
	int __ret_warn_on = !!(condition); \
	if (unlikely(__ret_warn_on)) __WARN_printf(0, fmt, ##__VA_ARGS__); \
	unlikely(__ret_warn_on); })
#define WARN_TAINT(condition, taint, fmt, ...) WARN(condition, fmt, ##__VA_ARGS__)
#define WARN_ON_ONCE(condition) ({ \
	static bool __warned; \
	int __ret_warn_once = !!(condition); \
	if (unlikely(__ret_warn_once && !__atomic_exchange_n(&__warned, true, __ATOMIC_RELAXED))) \
		__WARN(); \
	unlikely(__ret_warn_once); })
#define WARN_ONCE(condition, fmt, ...) ({ \
	static bool __warned; \
	int __ret_warn_once = !!(condition); \
	if (unlikely(__ret_warn_once && !__atomic_exchange_n(&__warned, true, __ATOMIC_RELAXED))) \
		__WARN_printf(0, fmt, ##__VA_ARGS__); \
	unlikely(__ret_warn_once); })
#define WARN_TAINT_ONCE(condition, taint, fmt, ...) WARN_ONCE(condition, fmt, ##__VA_ARGS__)

#define VM_BUG_ON(cond)		BUG_ON(cond)
#define VM_WARN_ON(cond)	((void)WARN_ON(cond))
#define VM_WARN_ON_ONCE(cond)	((void)WARN_ON_ONCE(cond))
#define VM_BUG_ON_PAGE(cond, page) BUG_ON(cond)
#endif

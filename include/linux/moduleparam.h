/* SPDX-License-Identifier: MIT */
/*
 * <linux/moduleparam.h>: module parameters.  module_param(name, type, perm) makes a variable
 * settable from the command line as MODNAME.name=value, where MODNAME is KBUILD_MODNAME (or
 * the file's base name, as kbuild derives it).  Values are parsed by the kernel's rules for
 * each type (bool, invbool, int, uint, long, ulong, short, ushort, byte, ullong, hexint,
 * charp, string) when ukmem starts, and for code loaded later with dlopen at the next
 * ukmem_modules_init(); a malformed value is an error naming the parameter.
 */
#ifndef _UKMEM_LINUX_MODULEPARAM_H
#define _UKMEM_LINUX_MODULEPARAM_H
#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/init.h>

struct kernel_param;
struct module;

struct kernel_param_ops {
	unsigned int flags;
	int (*set)(const char *val, const struct kernel_param *kp);
	int (*get)(char *buffer, const struct kernel_param *kp);
	void (*free)(void *arg);
};

#define KERNEL_PARAM_OPS_FL_NOARG	(1 << 0)

struct kparam_string {
	unsigned int maxlen;
	char *string;
};

struct kparam_array {
	unsigned int max;
	unsigned int elemsize;
	unsigned int *num;
	const struct kernel_param_ops *ops;
	void *elem;
};

struct kernel_param {
	const char *name;
	struct module *mod;
	const struct kernel_param_ops *ops;
	const u16 perm;
	s8 level;
	u8 flags;
	union {
		void *arg;
		const struct kparam_string *str;
		const struct kparam_array *arr;
	};
};

/* One parameter's registration; the fields after "file" belong to the device core. */
struct __ukmem_param {
	const struct kernel_param *kp;
	const char *modname;
	const char *file;
	struct __ukmem_param *next;
	bool applied;
	char modname_buf[56];
};
void __ukmem_param_register(struct __ukmem_param *p);
void __ukmem_param_unregister(struct __ukmem_param *p);

#define __module_param_call(prefix, name, ops, arg, perm, level, flags)		\
	static const char __param_str_##name[] = #name;				\
	static const struct kernel_param __param_##name = {			\
		__param_str_##name, (struct module *)0, ops, perm, level, flags, { arg } }; \
	static struct __ukmem_param __ukmem_param_##name = {			\
		&__param_##name, __UKMEM_MODNAME, __FILE__, NULL, false, "" };	\
	static void __attribute__((__constructor__)) __ukmem_param_reg_##name(void) \
	{									\
		__ukmem_param_register(&__ukmem_param_##name);			\
	}									\
	static void __attribute__((__destructor__)) __ukmem_param_unreg_##name(void) \
	{									\
		__ukmem_param_unregister(&__ukmem_param_##name);		\
	}

#define MODULE_PARAM_PREFIX	""
#define __MODULE_PARM_TYPE(name, _type)
#define MODULE_PARM_DESC(_parm, desc)

#define module_param_cb(name, ops, arg, perm) \
	__module_param_call(MODULE_PARAM_PREFIX, name, ops, arg, perm, -1, 0)
#define module_param_named(name, value, type, perm)				\
	param_check_##type(name, &(value));					\
	module_param_cb(name, &param_ops_##type, &value, perm)
#define module_param(name, type, perm)	module_param_named(name, name, type, perm)
#define module_param_unsafe(name, type, perm) module_param(name, type, perm)
#define module_param_string(name, string, len, perm)				\
	static const struct kparam_string __param_string_##name = { len, string }; \
	__module_param_call(MODULE_PARAM_PREFIX, name, &param_ops_string,	\
			    .str = &__param_string_##name, perm, -1, 0)
#define core_param(name, var, type, perm)	module_param_named(name, var, type, perm)

#define __param_check(name, p, type) \
	static inline type __always_unused *__check_##name(void) { return (p); }
#define param_check_byte(name, p)	__param_check(name, p, unsigned char)
#define param_check_short(name, p)	__param_check(name, p, short)
#define param_check_ushort(name, p)	__param_check(name, p, unsigned short)
#define param_check_int(name, p)	__param_check(name, p, int)
#define param_check_uint(name, p)	__param_check(name, p, unsigned int)
#define param_check_long(name, p)	__param_check(name, p, long)
#define param_check_ulong(name, p)	__param_check(name, p, unsigned long)
#define param_check_ullong(name, p)	__param_check(name, p, unsigned long long)
#define param_check_hexint(name, p)	__param_check(name, p, unsigned int)
#define param_check_charp(name, p)	__param_check(name, p, char *)
#define param_check_bool(name, p)	__param_check(name, p, bool)
#define param_check_invbool(name, p)	__param_check(name, p, bool)
/* C's bool is a macro for _Bool, so module_param(x, bool, ...) arrives here as _Bool. */
#define param_check__Bool(name, p)	param_check_bool(name, p)
#define param_ops__Bool			param_ops_bool

extern const struct kernel_param_ops param_ops_byte, param_ops_short, param_ops_ushort,
	param_ops_int, param_ops_uint, param_ops_long, param_ops_ulong, param_ops_ullong,
	param_ops_hexint, param_ops_charp, param_ops_bool, param_ops_bool_enable_only,
	param_ops_invbool, param_ops_string;

int param_set_byte(const char *val, const struct kernel_param *kp);
int param_set_short(const char *val, const struct kernel_param *kp);
int param_set_ushort(const char *val, const struct kernel_param *kp);
int param_set_int(const char *val, const struct kernel_param *kp);
int param_set_uint(const char *val, const struct kernel_param *kp);
int param_set_long(const char *val, const struct kernel_param *kp);
int param_set_ulong(const char *val, const struct kernel_param *kp);
int param_set_ullong(const char *val, const struct kernel_param *kp);
int param_set_hexint(const char *val, const struct kernel_param *kp);
int param_set_charp(const char *val, const struct kernel_param *kp);
int param_set_bool(const char *val, const struct kernel_param *kp);
int param_set_invbool(const char *val, const struct kernel_param *kp);
int param_set_copystring(const char *val, const struct kernel_param *kp);
int param_get_int(char *buffer, const struct kernel_param *kp);
int param_get_uint(char *buffer, const struct kernel_param *kp);
int param_get_long(char *buffer, const struct kernel_param *kp);
int param_get_ulong(char *buffer, const struct kernel_param *kp);
int param_get_bool(char *buffer, const struct kernel_param *kp);
int param_get_charp(char *buffer, const struct kernel_param *kp);
int param_get_string(char *buffer, const struct kernel_param *kp);
#endif

/* SPDX-License-Identifier: MIT */
/*
 * <linux/init.h>: initcalls.  module_init/module_exit and the *_initcall levels register
 * their functions with ukmem when the program (or a shared object loaded with dlopen)
 * starts: each use expands to a constructor that records the function, its level, its file
 * and its module name (KBUILD_MODNAME, or the file's base name as kbuild would make it).
 * ukmem_modules_init() then runs every initcall not yet run, by level (core before device,
 * module_init being device level) and within a level in link order; ukmem_modules_exit()
 * runs the exits of the modules whose init succeeded, in reverse.  A shared object that is
 * closed with dlclose runs its module's exit first if its init had run (as rmmod).
 * One module_init and one module_exit per translation unit, as per kernel module.
 * See docs/device-model.md ("Modules").
 */
#ifndef _UKMEM_LINUX_INIT_H
#define _UKMEM_LINUX_INIT_H
#include <linux/compiler.h>
#include <linux/types.h>

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

#ifdef KBUILD_MODNAME
#define __UKMEM_MODNAME	KBUILD_MODNAME
#else
#define __UKMEM_MODNAME	((const char *)0)
#endif

/* One registration: an initcall, or a module's init/exit pair.  Owned by the device core
 * once registered; the fields after "file" are its bookkeeping. */
struct __ukmem_initcall {
	initcall_t init;
	exitcall_t exit;
	const char *init_name, *exit_name;
	int level;
	const char *modname;
	const char *file;
	struct __ukmem_initcall *next;
	unsigned long order;
	int state;
	char modname_buf[56];
};
void __ukmem_initcall_register(struct __ukmem_initcall *call);
void __ukmem_initcall_unregister(struct __ukmem_initcall *call);

/* This translation unit's module_init/module_exit pair. */
static struct __ukmem_initcall __ukmem_this_module __attribute__((__unused__)) = {
	.level = 6, .modname = __UKMEM_MODNAME, .file = __FILE__,
};

#define __ukmem_initcall_level(fn, lvl)						\
	static struct __ukmem_initcall __PASTE(__ukmem_initcall_, fn) = {	\
		.level = (lvl), .modname = __UKMEM_MODNAME, .file = __FILE__,	\
		.init_name = #fn };						\
	static void __attribute__((__constructor__)) __PASTE(__ukmem_initcall_reg_, fn)(void) \
	{									\
		__PASTE(__ukmem_initcall_, fn).init = (fn);			\
		__ukmem_initcall_register(&__PASTE(__ukmem_initcall_, fn));	\
	}									\
	static void __attribute__((__destructor__)) __PASTE(__ukmem_initcall_unreg_, fn)(void) \
	{									\
		__ukmem_initcall_unregister(&__PASTE(__ukmem_initcall_, fn));	\
	}

#define pure_initcall(fn)		__ukmem_initcall_level(fn, 0)
#define core_initcall(fn)		__ukmem_initcall_level(fn, 1)
#define postcore_initcall(fn)		__ukmem_initcall_level(fn, 2)
#define arch_initcall(fn)		__ukmem_initcall_level(fn, 3)
#define subsys_initcall(fn)		__ukmem_initcall_level(fn, 4)
#define fs_initcall(fn)			__ukmem_initcall_level(fn, 5)
#define device_initcall(fn)		__ukmem_initcall_level(fn, 6)
#define late_initcall(fn)		__ukmem_initcall_level(fn, 7)
#define core_initcall_sync		core_initcall
#define subsys_initcall_sync		subsys_initcall
#define device_initcall_sync		device_initcall
#define late_initcall_sync		late_initcall
#define __initcall(fn)			device_initcall(fn)

#define module_init(initfn)							\
	static void __attribute__((__constructor__)) __PASTE(__ukmem_modinit_, initfn)(void) \
	{									\
		initcall_t __fn = (initfn);					\
		__ukmem_this_module.init = __fn;				\
		__ukmem_this_module.init_name = #initfn;			\
		__ukmem_initcall_register(&__ukmem_this_module);		\
	}									\
	static void __attribute__((__destructor__)) __PASTE(__ukmem_moddone_, initfn)(void) \
	{									\
		__ukmem_initcall_unregister(&__ukmem_this_module);		\
	}

#define module_exit(exitfn)							\
	static void __attribute__((__constructor__)) __PASTE(__ukmem_modexit_, exitfn)(void) \
	{									\
		exitcall_t __fn = (exitfn);					\
		__ukmem_this_module.exit = __fn;				\
		__ukmem_this_module.exit_name = #exitfn;			\
		__ukmem_initcall_register(&__ukmem_this_module);		\
	}

#define __exit_call
#define __setup(str, fn)
#define early_param(str, fn)
#endif

/* SPDX-License-Identifier: MIT */
/*
 * Modules and their parameters (kernel/module, kernel/params.c, init/main.c's initcalls).
 *
 * module_init/module_exit, the *_initcall macros and module_param register records from
 * constructors (see <linux/init.h>), so they work the same in the program and in shared
 * objects loaded with dlopen; a shared object's destructors unregister its records (running
 * a live module's exit first, as rmmod would).  Records are kept in registration order, which
 * for a static link is link order.
 *
 * States of an initcall record: REGISTERED -> RUNNING -> LIVE (init returned 0) or FAILED
 * (its exit never runs) -> EXITED.  ukmem_modules_init runs every REGISTERED record by level,
 * then registration order; exits run in reverse order of the inits' completion.
 * Parameters get their command-line values (MODNAME.param=value, or a bare MODNAME.param for
 * a bool) first at start-up for everything linked in (UKMEM_INIT_PARAMS, before the other
 * subsystems: a bad value rejects the line with nothing started), and at ukmem_modules_init
 * for records registered later.
 * Locking: ukmem__base.mod_lock guards the lists and states; inits, exits and parameter
 * setters run without it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <ukmem.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/err.h>
#include "core/core.h"
#include "base/base.h"

enum { UNREGISTERED, REGISTERED, RUNNING, LIVE, FAILED, EXITED };

/* kbuild's module name for a file: its base name without extension, '-' as '_'. */
static const char *derive_modname(const char *file, char *buf, size_t len)
{
	const char *base = strrchr(file, '/');
	size_t i;

	base = base ? base + 1 : file;
	for (i = 0; i + 1 < len && base[i] && base[i] != '.'; i++)
		buf[i] = base[i] == '-' ? '_' : base[i];
	buf[i] = '\0';
	return buf;
}

/**
 * __ukmem_initcall_register - record an initcall or a module's init/exit pair
 * @call: the record (a static in the caller's translation unit); registering it twice (its
 *	module_init and module_exit both do) is harmless
 *
 * Called by the constructors <linux/init.h> generates, before main or at dlopen.
 */
void __ukmem_initcall_register(struct __ukmem_initcall *call)
{
	struct __ukmem_initcall **pos;

	pthread_mutex_lock(&ukmem__base.mod_lock);
	if (call->state == UNREGISTERED) {
		if (!call->modname)
			call->modname = derive_modname(call->file, call->modname_buf,
						       sizeof(call->modname_buf));
		call->state = REGISTERED;
		call->order = ++ukmem__base.next_order;
		call->next = NULL;
		for (pos = &ukmem__base.calls; *pos; pos = &(*pos)->next)
			;
		*pos = call;
	}
	pthread_mutex_unlock(&ukmem__base.mod_lock);
}

/**
 * __ukmem_initcall_unregister - forget a record, running its module's exit if it is live
 * @call: the record
 *
 * Called by the destructors <linux/init.h> generates (dlclose, process exit).  At process
 * exit ukmem_exit has run the exits already.
 */
void __ukmem_initcall_unregister(struct __ukmem_initcall *call)
{
	struct __ukmem_initcall **pos;
	bool run_exit;

	pthread_mutex_lock(&ukmem__base.mod_lock);
	run_exit = call->state == LIVE && call->exit && !ukmem__base.exiting;
	if (run_exit)
		call->state = EXITED;
	pthread_mutex_unlock(&ukmem__base.mod_lock);
	if (run_exit)
		call->exit();
	pthread_mutex_lock(&ukmem__base.mod_lock);
	for (pos = &ukmem__base.calls; *pos; pos = &(*pos)->next)
		if (*pos == call) {
			*pos = call->next;
			break;
		}
	call->state = UNREGISTERED;
	pthread_mutex_unlock(&ukmem__base.mod_lock);
}

/**
 * __ukmem_param_register - record a module parameter (from module_param's constructor)
 * @p: the record
 */
void __ukmem_param_register(struct __ukmem_param *p)
{
	struct __ukmem_param **pos;

	pthread_mutex_lock(&ukmem__base.mod_lock);
	if (!p->modname)
		p->modname = derive_modname(p->file, p->modname_buf, sizeof(p->modname_buf));
	p->next = NULL;
	for (pos = &ukmem__base.params; *pos; pos = &(*pos)->next)
		if (*pos == p)
			break;
	if (!*pos)
		*pos = p;
	pthread_mutex_unlock(&ukmem__base.mod_lock);
}

/**
 * __ukmem_param_unregister - forget a module parameter (its object is being unloaded)
 * @p: the record
 */
void __ukmem_param_unregister(struct __ukmem_param *p)
{
	struct __ukmem_param **pos;

	pthread_mutex_lock(&ukmem__base.mod_lock);
	for (pos = &ukmem__base.params; *pos; pos = &(*pos)->next)
		if (*pos == p) {
			*pos = p->next;
			break;
		}
	pthread_mutex_unlock(&ukmem__base.mod_lock);
}

/* ---- parameter types (kernel/params.c) ---- */

#define STANDARD_PARAM_DEF(name, type, format, strtolfn)			\
	int param_set_##name(const char *val, const struct kernel_param *kp)	\
	{									\
		return strtolfn(val, 0, (type *)kp->arg);			\
	}									\
	int param_get_##name(char *buffer, const struct kernel_param *kp)	\
	{									\
		return scnprintf(buffer, 4096, format "\n", *((type *)kp->arg)); \
	}									\
	const struct kernel_param_ops param_ops_##name = {			\
		.set = param_set_##name, .get = param_get_##name,		\
	};

STANDARD_PARAM_DEF(byte, unsigned char, "%hhu", kstrtou8)
STANDARD_PARAM_DEF(short, short, "%hi", kstrtos16)
STANDARD_PARAM_DEF(ushort, unsigned short, "%hu", kstrtou16)
STANDARD_PARAM_DEF(int, int, "%i", kstrtoint)
STANDARD_PARAM_DEF(uint, unsigned int, "%u", kstrtouint)
STANDARD_PARAM_DEF(long, long, "%li", kstrtol)
STANDARD_PARAM_DEF(ulong, unsigned long, "%lu", kstrtoul)
STANDARD_PARAM_DEF(ullong, unsigned long long, "%llu", kstrtoull)
STANDARD_PARAM_DEF(hexint, unsigned int, "%#08x", kstrtouint)

int param_set_charp(const char *val, const struct kernel_param *kp)
{
	if (strlen(val) > 1024) {
		pr_err("%s: string parameter too long\n", kp->name);
		return -ENOSPC;
	}
	/* A copy of its own, kept for the process's life as the kernel's boot-time values are:
	 * the command line's storage is reused by the next ukmem_init() after a rejected one,
	 * so pointing into it would later read another parameter's value. */
	val = strdup(val);
	if (!val)
		return -ENOMEM;
	*(const char **)kp->arg = val;
	return 0;
}

int param_get_charp(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, 4096, "%s\n", *((char **)kp->arg) ?: "(null)");
}

const struct kernel_param_ops param_ops_charp = {
	.set = param_set_charp, .get = param_get_charp,
};

int param_set_bool(const char *val, const struct kernel_param *kp)
{
	if (!val)
		val = "1";
	return kstrtobool(val, kp->arg);
}

int param_get_bool(char *buffer, const struct kernel_param *kp)
{
	return sprintf(buffer, "%c\n", *(bool *)kp->arg ? 'Y' : 'N');
}

const struct kernel_param_ops param_ops_bool = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG, .set = param_set_bool, .get = param_get_bool,
};

static int param_set_bool_enable_only(const char *val, const struct kernel_param *kp)
{
	bool v;
	int err = kstrtobool(val ? val : "1", &v);

	if (err)
		return err;
	if (!v && *(bool *)kp->arg)
		return -EROFS;
	*(bool *)kp->arg = v;
	return 0;
}

const struct kernel_param_ops param_ops_bool_enable_only = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG, .set = param_set_bool_enable_only,
	.get = param_get_bool,
};

int param_set_invbool(const char *val, const struct kernel_param *kp)
{
	bool v;
	int err = kstrtobool(val ? val : "1", &v);

	if (!err)
		*(bool *)kp->arg = !v;
	return err;
}

static int param_get_invbool(char *buffer, const struct kernel_param *kp)
{
	return sprintf(buffer, "%c\n", *(bool *)kp->arg ? 'N' : 'Y');
}

const struct kernel_param_ops param_ops_invbool = {
	.set = param_set_invbool, .get = param_get_invbool,
};

int param_set_copystring(const char *val, const struct kernel_param *kp)
{
	const struct kparam_string *kps = kp->str;

	if (strlen(val) + 1 > kps->maxlen) {
		pr_err("%s: string doesn't fit in %u chars.\n", kp->name, kps->maxlen - 1);
		return -ENOSPC;
	}
	strcpy(kps->string, val);
	return 0;
}

int param_get_string(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, 4096, "%s\n", kp->str->string);
}

const struct kernel_param_ops param_ops_string = {
	.set = param_set_copystring, .get = param_get_string,
};

/* ---- applying command-line values ---- */

/* Give @p its command-line value, if it has one.  0 or -errno (reported). */
static int param_apply(struct __ukmem_param *p)
{
	const char *val;
	int err;

	p->applied = true;
	if (!ukmem__cmdline_modparam(p->modname, p->kp->name, &val))
		return 0;
	/* A bare MODNAME.param: only types that take no argument (bool) accept it (parse_one) */
	if (!val && !(p->kp->ops->flags & KERNEL_PARAM_OPS_FL_NOARG))
		err = -EINVAL;
	else
		err = p->kp->ops->set(val, p->kp);
	if (err == -ENOSPC)	/* 6.1's parse_args wording for each */
		pr_err("%s: `%s' too large for parameter `%s'\n", p->modname, val ?: "",
		       p->kp->name);
	else if (err)
		pr_err("%s: `%s' invalid for parameter `%s'\n", p->modname, val ?: "",
		       p->kp->name);
	return err ? -EINVAL : 0;
}

/* Apply the not-yet-applied parameters of @modname (NULL: of every module). */
static int params_apply(const char *modname)
{
	int ret = 0;

	for (;;) {
		struct __ukmem_param *p;

		pthread_mutex_lock(&ukmem__base.mod_lock);
		for (p = ukmem__base.params; p; p = p->next)
			if (!p->applied && (!modname || ukmem__param_eq(p->modname, modname)))
				break;
		if (p)
			p->applied = true;
		pthread_mutex_unlock(&ukmem__base.mod_lock);
		if (!p)
			return ret;
		if (param_apply(p) && !ret)
			ret = -EINVAL;
	}
}

/* Start-up: the parameters of everything linked in get their command-line values before
 * anything else starts, so that a bad value rejects the command line with nothing started
 * (a corrected ukmem_init may follow: every parameter is applied again then). */
static int params_apply_linked(void)
{
	int err = params_apply(NULL);

	if (err) {
		pthread_mutex_lock(&ukmem__base.mod_lock);
		for (struct __ukmem_param *p = ukmem__base.params; p; p = p->next)
			p->applied = false;
		pthread_mutex_unlock(&ukmem__base.mod_lock);
	}
	return err;
}
UKMEM_INITCALL(UKMEM_INIT_PARAMS, params_apply_linked);

/* Whether a module of that name registered anything. */
static bool module_known(const char *mod)
{
	for (struct __ukmem_initcall *c = ukmem__base.calls; c; c = c->next)
		if (ukmem__param_eq(c->modname, mod))
			return true;
	for (struct __ukmem_param *p = ukmem__base.params; p; p = p->next)
		if (ukmem__param_eq(p->modname, mod))
			return true;
	return false;
}

static bool param_known(const char *mod, const char *name)
{
	for (struct __ukmem_param *p = ukmem__base.params; p; p = p->next)
		if (ukmem__param_eq(p->modname, mod) && ukmem__param_eq(p->kp->name, name))
			return true;
	return false;
}

/* Every MODNAME.param=value must name a module in the program: -EINVAL otherwise. */
static int check_cmdline_modparams(void)
{
	int ret = 0;

	pthread_mutex_lock(&ukmem__base.mod_lock);
	for (int i = 0; i < ukmem__cfg.nr_modparams; i++) {
		const char *mod = ukmem__cfg.modparams[i].mod, *name = ukmem__cfg.modparams[i].name;

		if (param_known(mod, name))
			continue;
		if (module_known(mod)) {
			pr_warn("%s: unknown parameter '%s' ignored\n", mod, name);
		} else {
			pr_err("ukmem: module parameter '%s.%s%s%s': no module '%s' in this program\n",
			       mod, name, ukmem__cfg.modparams[i].has_value ? "=" : "",
			       ukmem__cfg.modparam_text + ukmem__cfg.modparams[i].value, mod);
			ret = -EINVAL;
		}
	}
	pthread_mutex_unlock(&ukmem__base.mod_lock);
	return ret;
}

/* ---- running inits and exits ---- */

static struct __ukmem_initcall *next_init(void)
{
	struct __ukmem_initcall *best = NULL;

	for (struct __ukmem_initcall *c = ukmem__base.calls; c; c = c->next)
		if (c->state == REGISTERED && (!best || c->level < best->level ||
					       (c->level == best->level && c->order < best->order)))
			best = c;
	return best;
}

static int run_init(struct __ukmem_initcall *c)
{
	int ret = params_apply(c->modname);

	if (ret)	/* as 6.1's load_module: the parameter's message, and no init ran */
		return ret;
	if (c->init)
		ret = c->init();
	if (ret > 0) {		/* 6.1's do_init_module: warned, and loaded all the same */
		ukmem__console_lock();
		pr_warn("%s: '%s'->init suspiciously returned %d, it should follow 0/-E convention\n"
			"%s: loading module anyway...\n", "do_init_module", c->modname, ret,
			"do_init_module");
		dump_stack();
		ukmem__console_unlock();
		return 0;
	}
	if (ret) {
		pr_err("%s: %s returned %d (%pe): module not loaded\n", c->modname,
		       c->init_name ? c->init_name : "init", ret, ERR_PTR(ret));
	}
	return ret;
}

/**
 * ukmem_modules_init - run every module_init (and initcall) not yet run
 *
 * By level (core before device; module_init is device level), then link order.  A failing
 * init is reported with its code and its module's exit will not run; one that returns a
 * positive value gets 6.1's "suspiciously returned" warning and its module is loaded.  A
 * MODNAME.param=value on the command line that names no module in the program is an error:
 * nothing runs.
 * Return: 0, or the first error.
 */
int ukmem_modules_init(void)
{
	int first_err;

	ukmem__ensure_started();
	first_err = check_cmdline_modparams();
	if (first_err)
		return first_err;
	for (;;) {
		struct __ukmem_initcall *c;
		int ret;

		pthread_mutex_lock(&ukmem__base.mod_lock);
		c = next_init();
		if (c)
			c->state = RUNNING;
		pthread_mutex_unlock(&ukmem__base.mod_lock);
		if (!c)
			break;
		ret = run_init(c);
		pthread_mutex_lock(&ukmem__base.mod_lock);
		c->state = ret ? FAILED : LIVE;
		c->order = ret ? c->order : ++ukmem__base.next_done;
		pthread_mutex_unlock(&ukmem__base.mod_lock);
		if (ret && !first_err)
			first_err = ret;
	}
	if (params_apply(NULL) && !first_err)	/* parameters of modules without an init */
		first_err = -EINVAL;
	ukmem__deferred_probe_run();
	return first_err;
}

/**
 * ukmem_modules_exit - run the exits of the modules whose init succeeded, last first
 */
void ukmem_modules_exit(void)
{
	for (;;) {
		struct __ukmem_initcall *c, *last = NULL;

		pthread_mutex_lock(&ukmem__base.mod_lock);
		for (c = ukmem__base.calls; c; c = c->next)
			if (c->state == LIVE && (!last || c->order > last->order))
				last = c;
		if (last)
			last->state = EXITED;
		pthread_mutex_unlock(&ukmem__base.mod_lock);
		if (!last)
			return;
		if (last->exit)
			last->exit();
	}
}

void ukmem__modules_exit_all(void)
{
	ukmem_modules_exit();
}

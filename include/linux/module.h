/* SPDX-License-Identifier: MIT */
/*
 * <linux/module.h>: modules as built-in code sees them.  module_init/module_exit come from
 * <linux/init.h> (see there for how they run); THIS_MODULE is NULL, as for built-in code, so
 * module reference counting always succeeds; MODULE_* information macros compile and record
 * nothing that runs.
 */
#ifndef _UKMEM_LINUX_MODULE_H
#define _UKMEM_LINUX_MODULE_H
#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/init.h>
#include <linux/export.h>
#include <linux/moduleparam.h>
#include <linux/stat.h>

#define MODULE_NAME_LEN		56
struct module;

#define __MODULE_INFO(tag, name, info)	\
	static const char __UNIQUE_ID(name)[] __attribute__((__unused__)) = #tag "=" info
#define MODULE_INFO(tag, info)		__MODULE_INFO(tag, tag, info)
#define MODULE_LICENSE(_license)	MODULE_INFO(license, _license)
#define MODULE_AUTHOR(_author)		MODULE_INFO(author, _author)
#define MODULE_DESCRIPTION(_description) MODULE_INFO(description, _description)
#define MODULE_VERSION(_version)	MODULE_INFO(version, _version)
#define MODULE_ALIAS(_alias)		MODULE_INFO(alias, _alias)
#define MODULE_SOFTDEP(_softdep)	MODULE_INFO(softdep, _softdep)
#define MODULE_FIRMWARE(_firmware)	MODULE_INFO(firmware, _firmware)
#define MODULE_IMPORT_NS(ns)		MODULE_INFO(import_ns, #ns)
#define MODULE_DEVICE_TABLE(type, name)

static inline bool try_module_get(struct module *module) { (void)module; return true; }
static inline void module_put(struct module *module) { (void)module; }
static inline void __module_get(struct module *module) { (void)module; }
#define module_name(mod)	"kernel"
#define symbol_get(x)		(&(x))
#define symbol_put(x)		do { } while (0)
#endif

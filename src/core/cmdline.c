/* SPDX-License-Identifier: MIT */
/*
 * The kernel-style command line ($UKMEM_CMDLINE or ukmem_init's argument).
 *
 * Words are separated by blanks; a value may be quoted ("..." keeps blanks).  Every word must
 * be a known parameter, a MODNAME.param=value module parameter, or it is an error: one line
 * naming the word and what was expected, and -EINVAL.  Nothing is silently ignored.  Parsing
 * writes into the caller's config only; ukmem_init installs it once it is all valid.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/mmzone.h>
#include "core/core.h"
#include "debug/fault.h"
#include "platform/platform.h"

#define MEM_MIN		(8ULL << 20)

typedef const char *(*param_fn)(const char *val, struct ukmem__config *cfg);

static const char *parse_bool(const char *val, bool *out)
{
	if (!val || kstrtobool(val, out) || (strlen(val) > 1 && strcasecmp(val, "on") &&
					      strcasecmp(val, "off")))
		return "expected 0 or 1 (or on/off)";
	return NULL;
}

static const char *parse_size(const char *val, unsigned long long *out)
{
	char *end;

	if (!val || !isdigit((unsigned char)val[0]))
		return "expected a size such as 512M or 2G";
	*out = memparse(val, &end);
	if (*end)
		return "expected a size such as 512M or 2G";
	return NULL;
}

static const char *p_mem(const char *val, struct ukmem__config *cfg)
{
	static char msg[96];
	unsigned long long mem;
	const char *err = parse_size(val, &mem);
	size_t host = ukmem__os_host_ram();

	if (err)
		return err;
	mem &= ~4095ULL;
	if (mem < MEM_MIN)
		return "too small: at least 8M";
	if (host && mem > host) {
		snprintf(msg, sizeof(msg), "larger than this host's memory (%zuM)", host >> 20);
		return msg;
	}
	cfg->mem = mem;
	return NULL;
}

static const char *p_slub_debug(const char *val, struct ukmem__config *cfg)
{
	size_t len = val ? strlen(val) : 0;

	if (len >= sizeof(cfg->slub_debug_spec))
		return "too long";
	/* Blocks "FLAGS[,cache,...]" separated by ';'; flags are the kernel's letters.  Empty
	 * blocks (";;", a leading or trailing ';') are skipped, as 6.1's parser skips them. */
	for (const char *p = val ? val : ""; *p;) {
		const char *end = p + strcspn(p, ";");
		const char *comma = memchr(p, ',', end - p);

		for (const char *f = p; f < (comma ? comma : end); f++)
			if (!strchr("FZPUTAOfzputao-", *f))
				return "unknown flag: expected letters from FZPUTAO or -";
		for (const char *q = comma; q && q < end; q = memchr(q + 1, ',', end - q - 1))
			if (q + 1 == end || q[1] == ',')
				return "empty cache name (trailing or doubled comma)";
		p = *end ? end + 1 : end;
	}
	cfg->slub_debug_set = true;
	snprintf(cfg->slub_debug_spec, sizeof(cfg->slub_debug_spec), "%s", val ? val : "");
	return NULL;
}

/* failslab= and fail_page_alloc=: the numbers as 6.1's setup_fault_attr reads them, but
 * the whole value (nothing after the fourth number) and a probability of at most 100. */
static const char *p_fault(const char *val, struct ukmem__fault_cfg *f)
{
	struct ukmem__fault_spec spec;
	const char *end;

	if (!val || ukmem__fault_attr_scan(val, &spec, &end) != 4 || *end)
		return "expected interval,probability,space,times (four numbers)";
	if (spec.probability > 100)
		return "probability is a percentage (0..100)";
	f->set = true;
	f->interval = spec.interval;
	f->probability = spec.probability;
	f->space = spec.space;
	f->times = spec.times;
	return NULL;
}

/* ---- fault-injection knobs: failslab.X= and fail_page_alloc.X= ---- */
static const char *p_fault_verbose(const char *val, struct ukmem__fault_cfg *f)
{
	if (!val || kstrtoint(val, 10, &f->verbose) || f->verbose < 0 || f->verbose > 2)
		return "expected 0 (silent), 1 (message) or 2 (message and stack)";
	return NULL;
}

static const char *p_fault_caller(const char *val, struct ukmem__fault_cfg *f)
{
	if (!val || !*val || strlen(val) >= sizeof(f->caller))
		return "expected FUNCTION[,FUNCTION...] (at most 255 characters)";
	for (const char *p = val; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != ',' && *p != '.')
			return "expected function names separated by commas";
	snprintf(f->caller, sizeof(f->caller), "%s", val);
	return NULL;
}

static const char *p_fs_verbose(const char *v, struct ukmem__config *c) { return p_fault_verbose(v, &c->failslab); }
static const char *p_fp_verbose(const char *v, struct ukmem__config *c) { return p_fault_verbose(v, &c->fail_page_alloc); }
static const char *p_fs_wait(const char *v, struct ukmem__config *c) { return parse_bool(v, &c->failslab.ignore_gfp_wait); }
static const char *p_fp_wait(const char *v, struct ukmem__config *c) { return parse_bool(v, &c->fail_page_alloc.ignore_gfp_wait); }
static const char *p_fs_cache_filter(const char *v, struct ukmem__config *c) { return parse_bool(v, &c->failslab.cache_filter); }
static const char *p_fp_highmem(const char *v, struct ukmem__config *c) { return parse_bool(v, &c->fail_page_alloc.ignore_gfp_highmem); }
static const char *p_fs_caller(const char *v, struct ukmem__config *c) { return p_fault_caller(v, &c->failslab); }
static const char *p_fp_caller(const char *v, struct ukmem__config *c) { return p_fault_caller(v, &c->fail_page_alloc); }
static const char *p_kmemleak_stacks(const char *v, struct ukmem__config *c) { return parse_bool(v, &c->kmemleak_stacks); }

static const char *p_fp_min_order(const char *val, struct ukmem__config *cfg)
{
	if (!val || kstrtouint(val, 10, &cfg->fail_page_alloc.min_order) ||
	    cfg->fail_page_alloc.min_order > MAX_ORDER)
		return "expected an order from 0 to 11";
	return NULL;
}

static const char *p_failslab(const char *v, struct ukmem__config *c) { return p_fault(v, &c->failslab); }
static const char *p_failpage(const char *v, struct ukmem__config *c) { return p_fault(v, &c->fail_page_alloc); }
static const char *p_init_on_alloc(const char *v, struct ukmem__config *c) { return parse_bool(v, &c->init_on_alloc); }
static const char *p_init_on_free(const char *v, struct ukmem__config *c) { return parse_bool(v, &c->init_on_free); }
static const char *p_kasan(const char *v, struct ukmem__config *c) { return parse_bool(v, &c->kasan); }
static const char *p_kmemleak(const char *v, struct ukmem__config *c) { return parse_bool(v, &c->kmemleak); }
static const char *p_panic_on_warn(const char *v, struct ukmem__config *c) { return parse_bool(v, &c->panic_on_warn); }
static const char *p_scatter(const char *v, struct ukmem__config *c) { return parse_bool(v, &c->vmalloc_scatter); }
static const char *p_guard_regions(const char *v, struct ukmem__config *c)
{
	bool on = true;
	const char *err = parse_bool(v, &on);

	c->vmalloc_no_guard_regions = !on;
	return err;
}
static const char *p_devres_log(const char *v, struct ukmem__config *c) { return parse_bool(v, &c->devres_log); }
static const char *p_mmio_trace(const char *v, struct ukmem__config *c) { return parse_bool(v, &c->mmio_trace); }
static const char *p_annotate(const char *v, struct ukmem__config *c)
{
	bool on;
	const char *err = parse_bool(v, &on);

	c->no_annotate = !on;
	return err;
}

static const char *p_quarantine(const char *val, struct ukmem__config *cfg)
{
	const char *err = parse_size(val, &cfg->kasan_quarantine);

	cfg->kasan_quarantine_set = !err;	/* 0 is no quarantine, not the default */
	return err;
}

static const char *p_kfence(const char *val, struct ukmem__config *cfg)
{
	if (!val || kstrtoul(val, 10, &cfg->kfence_sample_interval))
		return "expected a count (every N-th small allocation), 0 for off";
	return NULL;
}

static const char *p_loglevel(const char *val, struct ukmem__config *cfg)
{
	int level;

	if (!val || kstrtoint(val, 10, &level) || level < 0 || level > 15)
		return "expected a level from 0 to 15";
	cfg->loglevel = level;
	return NULL;
}

/* ---- per-CPU and DMA ---- */
static const char *p_possible_cpus(const char *val, struct ukmem__config *cfg)
{
	unsigned int n;

	if (!val || kstrtouint(val, 10, &n) || n < 1 || n > UKMEM_MAX_POSSIBLE_CPUS)
		return "expected a CPU count from 1 to 1024";
	cfg->possible_cpus = n;
	return NULL;
}

static const char *p_dma_debug(const char *val, struct ukmem__config *cfg)
{
	if (!val || (strcmp(val, "on") && strcmp(val, "off")))
		return "expected on or off";
	cfg->dma_debug_off = !strcmp(val, "off");
	return NULL;
}

static const char *p_dma_debug_driver(const char *val, struct ukmem__config *cfg)
{
	if (!val || !*val || strlen(val) >= sizeof(cfg->dma_debug_driver))
		return "expected a driver name (at most 31 characters)";
	snprintf(cfg->dma_debug_driver, sizeof(cfg->dma_debug_driver), "%s", val);
	return NULL;
}

/* swiotlb=<slabs>[,force|noforce] or swiotlb=force|noforce, as the kernel's. */
static const char *p_swiotlb(const char *val, struct ukmem__config *cfg)
{
	const char *opt = val;
	unsigned long slabs;
	char *end;

	if (val && isdigit((unsigned char)*val)) {
		slabs = strtoul(val, &end, 10);
		if (slabs < 1 || slabs > (1UL << 24) || (*end && *end != ','))
			return "expected a slab count from 1 to 16777216 (2 KiB each)";
		cfg->swiotlb_slabs = slabs;
		if (!*end)
			return NULL;
		opt = end + 1;
	}
	if (opt && !strcmp(opt, "force"))
		cfg->swiotlb_force = true;
	else if (opt && !strcmp(opt, "noforce"))
		cfg->swiotlb_force = false;
	else
		return "expected <slabs>[,force|noforce] or force";
	return NULL;
}

/* ---- the hung-task detector (6.1's sysctls kernel.hung_task_*) ---- */
static const char *p_hung_timeout(const char *val, struct ukmem__config *cfg)
{
	if (!val || kstrtoul(val, 10, &cfg->hung_task_timeout_secs) ||
	    cfg->hung_task_timeout_secs > UINT_MAX)
		return "expected seconds, 0 for off";
	return NULL;
}

static const char *p_hung_interval(const char *val, struct ukmem__config *cfg)
{
	if (!val || kstrtoul(val, 10, &cfg->hung_task_check_interval_secs) ||
	    cfg->hung_task_check_interval_secs > UINT_MAX)
		return "expected seconds, 0 for the timeout";
	return NULL;
}

static const char *p_hung_warnings(const char *val, struct ukmem__config *cfg)
{
	if (!val || kstrtoint(val, 10, &cfg->hung_task_warnings) || cfg->hung_task_warnings < -1)
		return "expected a count, -1 for no limit";
	return NULL;
}

static const char *p_hung_panic(const char *v, struct ukmem__config *c) { return parse_bool(v, &c->hung_task_panic); }

/* ---- KUnit runner ---- */
static const char *p_kunit_filter(const char *val, struct ukmem__config *cfg)
{
	if (!val || !*val || strlen(val) >= sizeof(cfg->kunit_filter_glob))
		return "expected SUITE_GLOB[.TEST_GLOB] (at most 255 characters)";
	snprintf(cfg->kunit_filter_glob, sizeof(cfg->kunit_filter_glob), "%s", val);
	return NULL;
}

static const char *p_kunit_action(const char *val, struct ukmem__config *cfg)
{
	if (!val || (strcmp(val, "list") && strcmp(val, "run")))
		return "expected list or run";
	snprintf(cfg->kunit_action, sizeof(cfg->kunit_action), "%s", val);
	return NULL;
}

static const char *p_kunit_sweep(const char *v, struct ukmem__config *c) { return parse_bool(v, &c->kunit_fail_sweep); }
static const char *p_kunit_fork(const char *v, struct ukmem__config *c)
{
	bool on;
	const char *err = parse_bool(v, &on);

	c->kunit_no_fork = !on;
	return err;
}

static const char *p_kunit_timeout(const char *val, struct ukmem__config *cfg)
{
	if (!val || kstrtouint(val, 10, &cfg->kunit_timeout))
		return "expected a number of seconds (0: no limit)";
	return NULL;
}

static const struct param {
	const char *name;
	param_fn fn;
} params[] = {
	{ "mem", p_mem },
	{ "slub_debug", p_slub_debug },
	{ "slab_debug", p_slub_debug },
	{ "init_on_alloc", p_init_on_alloc },
	{ "init_on_free", p_init_on_free },
	{ "failslab", p_failslab },
	{ "fail_page_alloc", p_failpage },
	{ "kasan", p_kasan },
	{ "kasan.quarantine", p_quarantine },
	{ "kfence.sample_interval", p_kfence },
	{ "kmemleak", p_kmemleak },
	{ "panic_on_warn", p_panic_on_warn },
	{ "loglevel", p_loglevel },
	{ "ukmem.vmalloc_scatter", p_scatter },
	{ "ukmem.vmalloc_guard_regions", p_guard_regions },
	{ "possible_cpus", p_possible_cpus },
	{ "dma_debug", p_dma_debug },
	{ "dma_debug_driver", p_dma_debug_driver },
	{ "swiotlb", p_swiotlb },
	{ "devres.log", p_devres_log },
	{ "ukmem.mmio_trace", p_mmio_trace },
	{ "ukmem.annotate", p_annotate },
	{ "failslab.verbose", p_fs_verbose },
	{ "failslab.ignore-gfp-wait", p_fs_wait },
	{ "failslab.caller", p_fs_caller },
	{ "failslab.cache-filter", p_fs_cache_filter },
	{ "fail_page_alloc.verbose", p_fp_verbose },
	{ "fail_page_alloc.ignore-gfp-wait", p_fp_wait },
	{ "fail_page_alloc.ignore-gfp-highmem", p_fp_highmem },
	{ "fail_page_alloc.min-order", p_fp_min_order },
	{ "fail_page_alloc.caller", p_fp_caller },
	{ "kmemleak.stacks", p_kmemleak_stacks },
	{ "hung_task_timeout_secs", p_hung_timeout },
	{ "hung_task_check_interval_secs", p_hung_interval },
	{ "hung_task_warnings", p_hung_warnings },
	{ "hung_task_panic", p_hung_panic },
	{ "kunit.filter_glob", p_kunit_filter },
	{ "kunit.action", p_kunit_action },
	{ "kunit.fail_sweep", p_kunit_sweep },
	{ "kunit.fork", p_kunit_fork },
	{ "kunit.timeout", p_kunit_timeout },
};

static const char *p_modparam(const char *name, const char *val, struct ukmem__config *cfg)
{
	const char *dot = strchr(name, '.');
	int i = cfg->nr_modparams;

	size_t len = val ? strlen(val) + 1 : 1;

	if (i >= UKMEM_MAX_MODPARAMS)
		return "too many module parameters";
	if (dot - name >= (long)sizeof(cfg->modparams[i].mod) ||
	    strlen(dot + 1) >= sizeof(cfg->modparams[i].name))
		return "name too long";
	if (len > sizeof(cfg->modparam_text) - cfg->modparam_text_len)
		return "too many module parameter values";	/* (the line's length bounds them) */
	if (dot == name || !dot[1])
		return "expected MODNAME.param[=value]";
	/* Without a value it is checked when applied: a bool's "set it", else invalid.  A
	 * value's length is the parameter's own business (a string's set checks it). */
	snprintf(cfg->modparams[i].mod, sizeof(cfg->modparams[i].mod), "%.*s", (int)(dot - name), name);
	snprintf(cfg->modparams[i].name, sizeof(cfg->modparams[i].name), "%s", dot + 1);
	cfg->modparams[i].value = (unsigned short)cfg->modparam_text_len;
	memcpy(cfg->modparam_text + cfg->modparam_text_len, val ? val : "", len);
	cfg->modparam_text_len += len;
	cfg->modparams[i].has_value = val != NULL;
	cfg->nr_modparams++;
	return NULL;
}

static const char *parse_word(char *word, struct ukmem__config *cfg)
{
	char *eq = strchr(word, '=');
	const char *val = NULL;
	bool reserved_prefix;

	if (eq) {
		*eq = '\0';
		val = eq + 1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(params); i++)
		if (!strcmp(word, params[i].name))
			return params[i].fn(val, cfg);
	reserved_prefix = !strncmp(word, "kasan.", 6) || !strncmp(word, "kfence.", 7) ||
			  !strncmp(word, "ukmem.", 6) || !strncmp(word, "failslab.", 9) ||
			  !strncmp(word, "fail_page_alloc.", 16) || !strncmp(word, "kmemleak.", 9) ||
			  !strncmp(word, "kunit.", 6);
	if (strchr(word, '.') && !reserved_prefix)
		return p_modparam(word, val, cfg);
	return "unknown parameter";
}

/* Split off the next word, honouring double quotes; NULL at the end. */
static char *next_word(char **pos)
{
	char *p = *pos, *out, *word;
	bool quoted = false;

	while (isspace((unsigned char)*p))
		p++;
	if (!*p)
		return NULL;
	word = out = p;
	for (; *p && (quoted || !isspace((unsigned char)*p)); p++) {
		if (*p == '"')
			quoted = !quoted;
		else
			*out++ = *p;
	}
	if (*p)
		p++;
	*out = '\0';
	*pos = p;
	return word;
}

int ukmem__cmdline_parse(const char *cmdline, struct ukmem__config *cfg)
{
	char buf[4096], shown[4096], *pos = buf, *word;

	if (!cmdline)
		return 0;
	if (strlen(cmdline) >= sizeof(buf)) {
		fprintf(stderr, "ukmem: command line too long (%zu bytes, at most %zu)\n",
			strlen(cmdline), sizeof(buf) - 1);
		return -EINVAL;
	}
	strcpy(buf, cmdline);
	while ((word = next_word(&pos)) != NULL) {
		const char *err;

		snprintf(shown, sizeof(shown), "%s", word);
		err = parse_word(word, cfg);
		if (err) {
			fprintf(stderr, "ukmem: bad command line parameter '%s': %s\n", shown, err);
			return -EINVAL;
		}
	}
	return 0;
}

bool ukmem__param_eq(const char *a, const char *b)
{
	for (;; a++, b++) {
		char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;

		if (x != y)
			return false;
		if (!x)
			return true;
	}
}

bool ukmem__cmdline_modparam(const char *mod, const char *name, const char **val)
{
	bool given = false;

	*val = NULL;
	for (int i = 0; i < ukmem__cfg.nr_modparams; i++)
		if (ukmem__param_eq(ukmem__cfg.modparams[i].mod, mod) &&
		    ukmem__param_eq(ukmem__cfg.modparams[i].name, name)) {
			/* the last one wins */
			given = true;
			*val = ukmem__cfg.modparams[i].has_value ?
			       ukmem__cfg.modparam_text + ukmem__cfg.modparams[i].value : NULL;
		}
	return given;
}

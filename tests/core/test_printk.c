/* SPDX-License-Identifier: MIT */
/*
 * Logging: printk levels against loglevel= (messages below the console level reach stderr,
 * others do not), KERN_CONT, the pr_* family; the kernel's %p extensions (%pGg, %pGp, %pe,
 * %pa, %pad, %pS, %ps, %px, %*ph, %pR); WARN_ON, WARN, WARN_ONCE and their report text and
 * return values; BUG_ON and panic_on_warn=1 abort (observed in children).
 */
#include <linux/bug.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

static char buf[256];

#define EXPECT_FMT(expected, fmt, ...) do { \
	int _n = scnprintf(buf, sizeof(buf), fmt, ##__VA_ARGS__); \
	if (strcmp(buf, expected)) \
		KT_FAIL("format \"%s\": expected \"%s\", got \"%s\"", fmt, expected, buf); \
	KT_EQ(_n, strlen(expected)); } while (0)

static volatile int sink;

noinline void known_function(void)
{
	sink = sink * 3 + 1;
	sink = sink ^ 0x55;
}

/* One conversion longer than the formatter's stack buffer (512 bytes) keeps every byte:
 * kasprintf, snprintf's length and scnprintf's count (all were cut to 511). */
static int vaf_fmt(char *b, size_t size, const char *fmt, ...)
{
	struct va_format v;
	va_list ap;
	int n;

	va_start(ap, fmt);
	v.fmt = fmt;
	v.va = &ap;
	n = scnprintf(b, size, "[%pV]", &v);
	va_end(ap);
	return n;
}

static void long_conversions(void)
{
	static char big[1000], out[2000];
	char *s;

	memset(big, 'z', sizeof(big) - 1);
	s = kasprintf(GFP_KERNEL, "<%s>", big);
	KT_ASSERT(s && strlen(s) == 1001 && s[1000] == '>' && s[999] == 'z');
	kfree(s);
	s = kasprintf(GFP_KERNEL, "%600d|", 7);
	KT_ASSERT(s && strlen(s) == 601 && s[599] == '7');
	kfree(s);
	KT_EQ(snprintf(out, 10, "%s", big), 999);
	KT_EQ(scnprintf(out, sizeof(out), "%s", big), 999);
	KT_EQ(scnprintf(out, 100, "%s", big), 99);		/* what was written, NUL aside */
	KT_EQ(strlen(out), 99);
}

static void formats(void)
{
	gfp_t gfp = GFP_KERNEL;
	phys_addr_t pa = 0x12345000;
	dma_addr_t dma = 0xfeed;
	unsigned long flags = (1UL << PG_head) | (1UL << PG_dirty);
	struct resource res = DEFINE_RES_MEM(0xfe000000, 0x1000);
	u8 bytes[] = { 0xde, 0xad, 0xbe, 0xef };

	EXPECT_FMT("GFP_KERNEL", "%pGg", &gfp);
	gfp = GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN;
	EXPECT_FMT("GFP_KERNEL|__GFP_NOWARN|__GFP_ZERO", "%pGg", &gfp);
	gfp = GFP_ATOMIC;
	EXPECT_FMT("GFP_ATOMIC", "%pGg", &gfp);
	gfp = GFP_NOWAIT | __GFP_COMP;
	EXPECT_FMT("GFP_NOWAIT|__GFP_COMP", "%pGg", &gfp);
	gfp = GFP_DMA32 | __GFP_HIGH;
	EXPECT_FMT("GFP_DMA32|__GFP_HIGH", "%pGg", &gfp);
	gfp = 0;
	EXPECT_FMT("mode:0x0()", "mode:%#x(%pGg)", gfp, &gfp);	/* no flags: no names */
	EXPECT_FMT("0x0 0X0 0x1f 0x0", "%#x %#X %#lx %#llx", 0, 0, 31UL, 0ULL);
	gfp = GFP_KERNEL;
	EXPECT_FMT("mode:0xcc0(GFP_KERNEL)", "mode:%#x(%pGg)", gfp, &gfp);
	EXPECT_FMT("0x10008(dirty|head)", "%pGp", &flags);

	EXPECT_FMT("-ENOMEM", "%pe", ERR_PTR(-ENOMEM));
	EXPECT_FMT("-EINVAL", "%pe", ERR_PTR(-EINVAL));
	EXPECT_FMT("-EPROBE_DEFER", "%pe", ERR_PTR(-EPROBE_DEFER));
	EXPECT_FMT("-4000", "%pe", ERR_PTR(-4000));	/* no name: the number */

	EXPECT_FMT("0x0000000012345000", "%pa", &pa);
	EXPECT_FMT("[0x0000000012345000]", "[%pap]", &pa);
	EXPECT_FMT("0x000000000000feed", "%pad", &dma);
	EXPECT_FMT("00000000deadbeef", "%px", (void *)0xdeadbeefUL);
	EXPECT_FMT("de ad be ef", "%*ph", 4, bytes);
	EXPECT_FMT("de:ad:be:ef", "%4phC", bytes);
	EXPECT_FMT("[mem 0xfe000000-0xfe000fff]", "%pR", &res);
	/* unreadable pointers, as check_pointer() prints them (devm_ioremap_resource's
	 * "invalid resource %pR" of NULL crashed; the first-call test found it) */
	EXPECT_FMT("(null) (null) (efault)", "%pR %ph %pa", (void *)NULL, (void *)NULL, (void *)16);
	EXPECT_FMT("(efault)", "%pR", ERR_PTR(-EINVAL));
	EXPECT_FMT("0000000000000000 0000000000000000", "%p %pK", NULL, NULL);	/* pointer_string() */
	{	/* strings it cannot read, as check_pointer() prints them (an ERR_PTR crashed) */
		const char *volatile bad = ERR_PTR(-ENOMEM), *volatile none = NULL;

		EXPECT_FMT("name (efault) (null)", "name %s %s", bad, none);
	}
	EXPECT_FMT("0x00000000|     0x0|0x0   |0x0000", "%#010x|%#8x|%#-6x|%#.4x", 0, 0, 0, 0);
	{	/* a format that ends in '%' stops there: no reading past its end (called through
		 * a pointer: the compilers' format checks would refuse the broken format) */
		int (*fmt_fn)(char *, size_t, const char *, ...) = scnprintf;
		char fmt[16] = "load 100%";

		memcpy(fmt + 10, "%s%s", 5);
		KT_EQ(fmt_fn(buf, sizeof(buf), fmt), 8);
		KT_ASSERT(!strcmp(buf, "load 100"));
	}
	{	/* %pV keeps every byte that fits */
		char small[8];

		KT_EQ(vaf_fmt(small, sizeof(small), "%s", "abcdefghij"), 7);
		KT_ASSERT(!strcmp(small, "[abcdef"));
	}
	EXPECT_FMT("x=  42 s=ab", "x=%4d s=%.2s", 42, "abc");

	/* %pS: symbol+offset/size (and the source line where debug info exists); %ps: name. */
	scnprintf(buf, sizeof(buf), "%pS", known_function);
	KT_ASSERT(!strncmp(buf, "known_function+0x0/0x", 21));
	EXPECT_FMT("known_function", "%ps", known_function);
	scnprintf(buf, sizeof(buf), "%pS", (char *)known_function + 1);
	if (strncmp(buf, "known_function+0x1/0x", 21))
		KT_FAIL("%%pS of known_function + 1: %s", buf);
}

/* loglevel=4: levels 0-3 print, 4 and above do not (reports at KERN_WARNING included,
 * as on a kernel console).  Runs in a child started with that level. */
static void quiet_child(void *arg)
{
	KT_EQ(ukmem_init("mem=16M loglevel=4"), 0);
	pr_emerg("emerg %d\n", 0);
	pr_err("err %s\n", "three");
	pr_warn("warn\n");
	pr_notice("notice\n");
	pr_info("info\n");
	printk("default level is 4\n");
	printk(KERN_CRIT "crit ");
	pr_cont("continued %d\n", 2);
	printk(KERN_INFO "info ");
	pr_cont("dropped with its line\n");
	exit(ukmem_exit());
}

static void levels(void)
{
	char *out;
	int status = kt_run_child(quiet_child, NULL, &out);

	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	KT_EQ(strcmp(out, "emerg 0\nerr three\ncrit continued 2\n"), 0);
	free(out);
}

/* The default loglevel=7: everything but KERN_DEBUG; pr_debug compiles away without DEBUG. */
static void default_level(void)
{
	char *out;

	kt_capture_begin();
	pr_err("err\n");
	pr_warn("warn\n");
	pr_info("info %s\n", "six");
	printk(KERN_DEBUG "debug\n");
	pr_debug("pr_debug\n");
	printk("plain\n");
	out = kt_capture_end();
	KT_EQ(strcmp(out, "err\nwarn\ninfo six\nplain\n"), 0);
	free(out);
	/* a level given as an argument counts (dev_printk's way), and a continuation of a
	 * hidden record stays hidden, as 6.1's vprintk_store does */
	kt_capture_begin();
	printk("%slevel via %%s\n", KERN_ERR);
	dev_err(NULL, "no device %d\n", 1);
	printk("%sdebug via %%s\n", KERN_DEBUG);
	printk(KERN_DEBUG "regs:");
	pr_cont(" 0x1234\n");
	pr_err("done\n");
	out = kt_capture_end();
	KT_EQ(strcmp(out, "level via %s\n(NULL device *): no device 1\ndone\n"), 0);
	free(out);
	KT_EQ(ukmem_report_count(), 0);		/* messages are not problems */
}

static noinline int warn_here(int cond)
{
	return WARN_ON(cond);
}

static noinline int warn_once_here(int cond)
{
	return WARN_ONCE(cond, "once: %d\n", cond);
}

static noinline void warnings(void)
{
	char *out, line[128];
	int ret;

	kt_capture_begin();
	ret = warn_here(0);
	out = kt_capture_end();
	KT_EQ(ret, 0);
	KT_EQ(strlen(out), 0);
	free(out);

	kt_capture_begin();
	ret = warn_here(5);
	out = kt_capture_end();
	KT_EQ(ret, 1);
	KT_ASSERT(!strncmp(out, "------------[ cut here ]------------\n", 37));
	snprintf(line, sizeof(line), "WARNING: CPU: 0 PID: %d at tests/core/test_printk.c:", (int)gettid());
	KT_CONTAINS(out, line);
	KT_CONTAINS(out, " warn_here\n");
	KT_CONTAINS(out, "Not tainted");		/* the taint comes with this warning */
	KT_CONTAINS(out, "Call Trace:\n");
	KT_CONTAINS(out, "warnings+");
	KT_CONTAINS(out, "---[ end trace 0000000000000000 ]---\n");
	free(out);
	KT_EQ(ukmem_report_count(), 1);

	kt_capture_begin();
	KT_EQ(warn_once_here(7), 1);
	KT_EQ(warn_once_here(8), 1);			/* true again, but silent */
	KT_EQ(warn_once_here(0), 0);
	out = kt_capture_end();
	KT_ASSERT(strstr(out, "------------[ cut here ]------------\nonce: 7\nWARNING: "));
	KT_NOT_CONTAINS(out, "once: 8");
	KT_CONTAINS(out, "Tainted: G        W");		/* after the first warning */
	KT_CONTAINS(out, " warn_once_here\n");
	free(out);
	KT_EQ(ukmem_report_count(), 2);

	kt_capture_begin();
	KT_EQ(WARN(1, "value %d is %s\n", 3, "odd"), 1);
	out = kt_capture_end();
	KT_CONTAINS(out, "value 3 is odd\n");
	free(out);
	KT_EQ(ukmem_report_count(), 3);
}

/* BUG_ON and panic_on_warn: the process aborts after the report. */
static void bug_child(void *arg)
{
	KT_EQ(ukmem_init("mem=16M"), 0);
	BUG_ON(arg != NULL);
	fprintf(stderr, "not reached\n");
}

static void panic_child(void *arg)
{
	KT_EQ(ukmem_init("mem=16M panic_on_warn=1"), 0);
	WARN_ON(1);
	fprintf(stderr, "not reached\n");
}

static void panic_bad_free_child(void *arg)
{
	KT_EQ(ukmem_init("mem=16M panic_on_warn=1"), 0);
	__free_page(alloc_page(GFP_KERNEL));
	fprintf(stderr, "one good free\n");
	free_page((unsigned long)phys_to_virt(0x2000));	/* a reserved frame: BUG */
	fprintf(stderr, "not reached\n");
}

static void aborts(void)
{
	char *out;
	int status;

	status = kt_run_child(bug_child, (void *)1, &out);
	KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	KT_CONTAINS(out, "kernel BUG at tests/core/test_printk.c:");
	KT_NOT_CONTAINS(out, "not reached");
	free(out);

	status = kt_run_child(panic_child, NULL, &out);
	KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	KT_CONTAINS(out, "WARNING: CPU: ");
	KT_CONTAINS(out, "Kernel panic - not syncing: panic_on_warn set ...\n");
	KT_NOT_CONTAINS(out, "not reached");
	free(out);

	status = kt_run_child(panic_bad_free_child, NULL, &out);
	KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	KT_CONTAINS(out, "one good free\n");
	KT_CONTAINS(out, "BUG: Bad page state");
	KT_CONTAINS(out, "Kernel panic - not syncing");
	KT_NOT_CONTAINS(out, "not reached");
	free(out);
}

int main(void)
{
	aborts();			/* children start ukmem themselves: before this process does */
	levels();
	KT_EQ(ukmem_init("mem=16M"), 0);
	formats();
	long_conversions();
	default_level();
	warnings();
	KT_EQ(ukmem_exit(), 3);
	return 0;
}

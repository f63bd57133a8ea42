// SPDX-License-Identifier: MIT
/*
 * acme-trng: a hardware random number generator driver for the (fictional) ACME TRNG, written
 * as any kernel driver is; nothing in it knows about ukmem.  Build it into a test program
 * with
 *     cc $(pkg-config --cflags ukmem) -DKBUILD_MODNAME='"acme_trng"' -c acme-trng.c
 *
 * The block, as its "datasheet" says:
 *   ACME_CTRL   0x00  bit 0 EN: the noise source runs while set
 *   ACME_STATUS 0x04  bit 0 READY: ACME_DATA holds a fresh word
 *   ACME_DATA   0x08  a 32-bit random word; reading it clears READY until the next one
 * It needs its functional clock, and the device tree names it "acme,trng".
 */
#include <linux/bits.h>
#include <linux/clk.h>
#include <linux/err.h>
#include <linux/hw_random.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>

#define ACME_CTRL	0x00
#define  ACME_CTRL_EN	BIT(0)
#define ACME_STATUS	0x04
#define  ACME_READY	BIT(0)
#define ACME_DATA	0x08

static unsigned int poll_us = 10;
module_param(poll_us, uint, 0444);
MODULE_PARM_DESC(poll_us, "longest wait for a word, in microseconds");

struct acme_trng {
	void __iomem *base;
	struct hwrng rng;
};

static int acme_init(struct hwrng *rng)
{
	struct acme_trng *t = container_of(rng, struct acme_trng, rng);

	writel(ACME_CTRL_EN, t->base + ACME_CTRL);
	return 0;
}

static void acme_cleanup(struct hwrng *rng)
{
	struct acme_trng *t = container_of(rng, struct acme_trng, rng);

	writel(0, t->base + ACME_CTRL);
}

static int acme_read(struct hwrng *rng, void *buf, size_t max, bool wait)
{
	struct acme_trng *t = container_of(rng, struct acme_trng, rng);
	u32 *out = buf;
	size_t n = 0;
	u32 status;

	while (n + sizeof(u32) <= max) {
		if (wait) {
			if (readl_poll_timeout_atomic(t->base + ACME_STATUS, status,
						      status & ACME_READY, 1, poll_us))
				break;
		} else if (!(readl(t->base + ACME_STATUS) & ACME_READY)) {
			break;
		}
		*out++ = readl(t->base + ACME_DATA);
		n += sizeof(u32);
	}
	return n;
}

static int acme_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct acme_trng *t;
	struct clk *clk;

	t = devm_kzalloc(dev, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(t->base))
		return PTR_ERR(t->base);
	clk = devm_clk_get_enabled(dev, NULL);
	if (IS_ERR(clk))
		return dev_err_probe(dev, PTR_ERR(clk), "no clock\n");
	t->rng.name = dev_name(dev);
	t->rng.init = acme_init;
	t->rng.cleanup = acme_cleanup;
	t->rng.read = acme_read;
	t->rng.quality = 900;
	return devm_hwrng_register(dev, &t->rng);
}

static const struct of_device_id acme_of_match[] = {
	{ .compatible = "acme,trng" },
	{ }
};
MODULE_DEVICE_TABLE(of, acme_of_match);

static struct platform_driver acme_driver = {
	.probe = acme_probe,
	.driver = {
		.name = "acme-trng",
		.of_match_table = acme_of_match,
	},
};
module_platform_driver(acme_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ACME TRNG driver (ukmem example)");

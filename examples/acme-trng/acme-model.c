// SPDX-License-Identifier: MIT
/*
 * acme-model: the emulated ACME TRNG and its board (see acme-model.h).  The register window
 * is ukmem_mmio_add()'s: every readl/writel the driver makes on it calls acme_mmio_read or
 * acme_mmio_write with the offset, the width and the value.
 */
#include <string.h>
#include <linux/kernel.h>
#include <ukmem.h>
#include "acme-model.h"

struct acme_model hw;

static u32 next_word(struct acme_model *m)
{
	m->state ^= m->state << 13;
	m->state ^= m->state >> 17;
	m->state ^= m->state << 5;
	return m->state;
}

static u64 acme_mmio_read(void *priv, u64 off, unsigned int size)
{
	struct acme_model *m = priv;
	bool was_ready = m->ready;

	switch (off) {
	case 0x00:
		return m->ctrl;
	case 0x04:		/* a new word is ready one status read after the last was taken */
		if (m->ctrl & 1)
			m->ready = true;
		return was_ready;
	case 0x08:
		if (!(m->ctrl & 1) || m->nwords == (int)ARRAY_SIZE(m->words)) {
			m->errors++;
			return 0;
		}
		m->ready = false;
		return m->words[m->nwords++] = next_word(m);
	}
	m->errors++;
	return 0;
}

static void acme_mmio_write(void *priv, u64 off, unsigned int size, u64 val)
{
	struct acme_model *m = priv;

	if (off == 0x00 && size == 4)
		m->ctrl = (u32)val & 1;
	else
		m->errors++;
}

static const struct ukmem_mmio_ops acme_ops = { acme_mmio_read, acme_mmio_write };

static const struct resource trng_res[] = { DEFINE_RES_MEM(TRNG_BASE, TRNG_SIZE) };
const struct platform_device_info trng_info = {
	.name = TRNG_DEV, .id = PLATFORM_DEVID_NONE,
	.res = trng_res, .num_res = 1, .compatible = "acme,trng",
};

int acme_board_init(void)
{
	return ukmem_clk_add(TRNG_DEV, NULL, 48000000);
}

int acme_model_add(void)
{
	memset(&hw, 0, sizeof(hw));
	hw.state = 2463534242u;
	int err = ukmem_mmio_add("acme-trng", TRNG_BASE, TRNG_SIZE, &acme_ops, &hw);

	hw.present = !err;
	return err;
}

void acme_model_remove(void)
{
	if (hw.present)
		ukmem_mmio_remove(TRNG_BASE);
	hw.present = false;
}

// SPDX-License-Identifier: MIT
/*
 * acme-model: the emulated ACME TRNG (the registers acme-trng.c's datasheet describes) and the
 * "board" it sits on, shared by the example's two tests: test_acme_trng.c (a plain program)
 * and acme_trng_kunit.c (a KUnit suite).
 *
 * The model hands out words of a xorshift32 generator and logs every one, so a test can check
 * that the bytes the driver delivered are the device's own, in order; it counts the accesses
 * the datasheet does not allow (errors), which a test expects to stay 0.
 */
#ifndef ACME_MODEL_H
#define ACME_MODEL_H
#include <linux/ioport.h>
#include <linux/platform_device.h>
#include <linux/types.h>

#define TRNG_BASE	0xfe100000ULL
#define TRNG_SIZE	0x100
#define TRNG_DEV	"fe100000.trng"		/* the platform device's name */

struct acme_model {
	u32 ctrl;		/* ACME_CTRL: bit 0 EN */
	bool ready;		/* ACME_STATUS bit 0 */
	u32 state;		/* xorshift32 */
	u32 words[256];		/* every word the device gave, in order */
	int nwords;
	int errors;		/* accesses the datasheet does not allow */
	bool present;		/* the register window is in place */
};

extern struct acme_model hw;
extern const struct platform_device_info trng_info;

/* Registers the board's 48 MHz clock for the device; once per program (0 or -errno). */
int acme_board_init(void);
/* Resets the model and puts its register window at TRNG_BASE (0 or -errno). */
int acme_model_add(void);
/* Takes the device's register window away again, if it is in place. */
void acme_model_remove(void);
#endif

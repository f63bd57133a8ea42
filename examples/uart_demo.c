/* SPDX-License-Identifier: MIT */
/*
 * uart_demo: a kernel-style platform driver for a small emulated UART, run against ukmem.
 *
 * The device side (ukuart_hw_*) is what a test or a board file provides: a register file
 * behind ukmem_mmio_add() that transmits what the driver writes and raises its interrupt
 * when bytes arrive.  The driver side (ukuart_*) is written exactly as a Linux driver:
 * devm_kzalloc, devm_platform_ioremap_resource, platform_get_irq, devm_request_threaded_irq,
 * readl/writel, readl_poll_timeout, a kmem_cache and a vmalloc'd receive buffer,
 * module_platform_driver and a module parameter.
 *
 * The run: register the device, load the driver (probe), transmit, receive two messages
 * through interrupts, show /proc-style excerpts (iomem, interrupts, vmallocinfo, slabinfo),
 * write physmap.svg, unbind, unload, and end with ukmem_exit's leak check.
 * Usage: uart_demo [where to write physmap.svg]  (default ./uart_demo_physmap.svg)
 * With UKMEM_CMDLINE=ukuart.bug=1 the interrupt handler allocates with GFP_KERNEL in
 * hard-irq context, a classic bug, which ukmem reports as the kernel does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <ukmem.h>

/* ---- registers ---- */
#define UART_DATA	0x00	/* write: transmit a byte; read: next received byte */
#define UART_STATUS	0x04
#define  UART_RX_READY	 0x1
#define  UART_TX_EMPTY	 0x2
#define UART_IRQ_EN	0x08	/* bit 0: interrupt when a byte arrives */
#define UART_IRQ_STAT	0x0c	/* bit 0: receive interrupt pending; write 1 to clear */
#define UART_ID		0x10
#define  UART_ID_VALUE	 0x55415254	/* "UART" */

#define UART_BASE	0xfe001000ULL	/* in the device hole */
#define UART_SIZE	0x100
#define UART_IRQ	33

/* ======================= the device side (emulation) ======================= */
struct ukuart_hw {
	char rx[64];
	unsigned int rx_head, rx_tail;
	char tx[128];
	unsigned int tx_len;
	u32 irq_en, irq_stat;
};

static u64 ukuart_hw_read(void *priv, u64 off, unsigned int size)
{
	struct ukuart_hw *hw = priv;

	switch (off) {
	case UART_DATA:
		if (hw->rx_head == hw->rx_tail)
			return 0;
		return (u8)hw->rx[hw->rx_tail++ % sizeof(hw->rx)];
	case UART_STATUS:
		return (hw->rx_head != hw->rx_tail ? UART_RX_READY : 0) | UART_TX_EMPTY;
	case UART_IRQ_EN:
		return hw->irq_en;
	case UART_IRQ_STAT:
		return hw->irq_stat;
	case UART_ID:
		return UART_ID_VALUE;
	default:
		return 0;
	}
}

static void ukuart_hw_write(void *priv, u64 off, unsigned int size, u64 val)
{
	struct ukuart_hw *hw = priv;

	switch (off) {
	case UART_DATA:
		if (hw->tx_len < sizeof(hw->tx) - 1)
			hw->tx[hw->tx_len++] = (char)val;
		break;
	case UART_IRQ_EN:
		hw->irq_en = (u32)val;
		break;
	case UART_IRQ_STAT:
		hw->irq_stat &= ~(u32)val;
		break;
	}
}

static const struct ukmem_mmio_ops ukuart_hw_ops = { ukuart_hw_read, ukuart_hw_write };

/* Bytes arrive on the wire: into the FIFO, then the interrupt if enabled. */
static void ukuart_hw_receive(struct ukuart_hw *hw, const char *s)
{
	while (*s)
		hw->rx[hw->rx_head++ % sizeof(hw->rx)] = *s++;
	if (hw->irq_en & 1) {
		hw->irq_stat |= 1;
		ukmem_irq_raise(UART_IRQ);
	}
}

/* ============================ the driver side ============================ */
static int bug;
module_param(bug, int, 0444);
MODULE_PARM_DESC(bug, "allocate with GFP_KERNEL in the interrupt handler (a bug)");

#define RXBUF_SIZE	(64 * 1024)

struct ukuart_msg {
	struct list_head node;
	unsigned int len;
	char text[32];
};

struct ukuart {
	struct device *dev;
	void __iomem *regs;
	int irq;
	spinlock_t lock;		/* rxbuf, rx_len */
	char *rxbuf;			/* vmalloc'd */
	unsigned int rx_len;
	struct kmem_cache *msg_cache;
	struct list_head msgs;		/* complete lines, under lock */
};

static int ukuart_tx(struct ukuart *u, const char *s)
{
	u32 st;
	int err;

	for (; *s; s++) {
		err = readl_poll_timeout(u->regs + UART_STATUS, st, st & UART_TX_EMPTY, 10, 10000);
		if (err)
			return err;
		writel((u8)*s, u->regs + UART_DATA);
	}
	return 0;
}

/* Hard-irq half: drain the FIFO into the buffer, ack, and let the thread make messages. */
static irqreturn_t ukuart_irq(int irq, void *data)
{
	struct ukuart *u = data;

	if (!(readl(u->regs + UART_IRQ_STAT) & 1))
		return IRQ_NONE;
	if (bug)
		kfree(kmalloc(32, GFP_KERNEL));	/* the bug: may sleep, in hard-irq context */
	spin_lock(&u->lock);
	while ((readl(u->regs + UART_STATUS) & UART_RX_READY) && u->rx_len < RXBUF_SIZE)
		u->rxbuf[u->rx_len++] = (char)readl(u->regs + UART_DATA);
	spin_unlock(&u->lock);
	writel(1, u->regs + UART_IRQ_STAT);
	return IRQ_WAKE_THREAD;
}

/* Thread half: task context, may sleep: cut the buffer into messages. */
static irqreturn_t ukuart_irq_thread(int irq, void *data)
{
	struct ukuart *u = data;
	struct ukuart_msg *m = kmem_cache_zalloc(u->msg_cache, GFP_KERNEL);
	unsigned long flags;

	if (!m)
		return IRQ_HANDLED;
	spin_lock_irqsave(&u->lock, flags);
	m->len = min_t(unsigned int, u->rx_len, sizeof(m->text) - 1);
	memcpy(m->text, u->rxbuf, m->len);
	u->rx_len = 0;
	list_add_tail(&m->node, &u->msgs);
	spin_unlock_irqrestore(&u->lock, flags);
	dev_info(u->dev, "received \"%s\" (irq thread %s)\n", m->text, current->comm);
	return IRQ_HANDLED;
}

static int ukuart_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct ukuart *u;
	int err;

	u = devm_kzalloc(dev, sizeof(*u), GFP_KERNEL);
	if (!u)
		return -ENOMEM;
	u->dev = dev;
	spin_lock_init(&u->lock);
	INIT_LIST_HEAD(&u->msgs);
	u->regs = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(u->regs))
		return PTR_ERR(u->regs);
	if (readl(u->regs + UART_ID) != UART_ID_VALUE)
		return dev_err_probe(dev, -ENODEV, "no ukuart at this address\n");
	u->irq = platform_get_irq(pdev, 0);
	if (u->irq < 0)
		return u->irq;
	u->rxbuf = vmalloc(RXBUF_SIZE);
	if (!u->rxbuf)
		return -ENOMEM;
	u->msg_cache = KMEM_CACHE(ukuart_msg, 0);
	if (!u->msg_cache) {
		vfree(u->rxbuf);
		return -ENOMEM;
	}
	err = devm_request_threaded_irq(dev, u->irq, ukuart_irq, ukuart_irq_thread,
					IRQF_ONESHOT, NULL, u);
	if (err) {
		kmem_cache_destroy(u->msg_cache);
		vfree(u->rxbuf);
		return err;
	}
	platform_set_drvdata(pdev, u);
	writel(1, u->regs + UART_IRQ_EN);
	dev_info(dev, "ukuart at %pR, irq %d, %u KiB receive buffer\n",
		 platform_get_resource(pdev, IORESOURCE_MEM, 0), u->irq, RXBUF_SIZE / 1024);
	return 0;
}

static int ukuart_remove(struct platform_device *pdev)
{
	struct ukuart *u = platform_get_drvdata(pdev);
	struct ukuart_msg *m, *n;

	writel(0, u->regs + UART_IRQ_EN);
	synchronize_irq(u->irq);
	list_for_each_entry_safe(m, n, &u->msgs, node)
		kmem_cache_free(u->msg_cache, m);
	kmem_cache_destroy(u->msg_cache);
	vfree(u->rxbuf);
	dev_info(&pdev->dev, "removed\n");
	return 0;	/* devres unmaps, releases the region and frees the interrupt */
}

static struct platform_driver ukuart_driver = {
	.probe = ukuart_probe,
	.remove = ukuart_remove,
	.driver = { .name = "ukuart" },
};
module_platform_driver(ukuart_driver);
MODULE_LICENSE("GPL");

/* ============================ the demo program ============================ */
static void excerpt(const char *report, const char *const *keep)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ukmem_show(report, f);
	fclose(f);
	printf("---- %s (excerpt) ----\n", report);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		for (const char *const *k = keep; *k; k++)
			if (strstr(line, *k)) {
				printf("%s\n", line);
				break;
			}
	free(buf);
}

int main(int argc, char **argv)
{
	static const char *const iomem_keep[] = { "RAM", "Reserved", "ukuart", NULL };
	static const char *const irq_keep[] = { "CPUs", "ukuart", NULL };
	static const char *const vm_keep[] = { "ukuart", "ioremap", NULL };
	static const char *const slab_keep[] = { "slabinfo", "# name", "ukuart_msg", NULL };
	struct resource res[] = { DEFINE_RES_MEM(UART_BASE, UART_SIZE), DEFINE_RES_IRQ(UART_IRQ) };
	static struct ukuart_hw hw;
	struct platform_device *pdev;
	struct ukuart *u;
	const char *svg_path = argc > 1 ? argv[1] : "uart_demo_physmap.svg";
	FILE *svg;
	int problems;

	setvbuf(stdout, NULL, _IONBF, 0);	/* keep order with the console (stderr) */
	/* the board: an emulated UART and its platform device */
	if (ukmem_mmio_add("ukuart-hw", UART_BASE, UART_SIZE, &ukuart_hw_ops, &hw))
		return 1;
	pdev = platform_device_register_simple("ukuart", 0, res, ARRAY_SIZE(res));
	if (IS_ERR(pdev))
		return 1;

	/* load: module_init registers the driver, which probes the device */
	if (ukmem_modules_init())
		return 1;
	u = platform_get_drvdata(pdev);
	if (!u)
		return 1;

	/* use */
	ukuart_tx(u, "hello from ukuart\n");
	printf("uart_demo: the device transmitted: %s", hw.tx);
	ukuart_hw_receive(&hw, "ping");
	synchronize_irq(u->irq);
	ukuart_hw_receive(&hw, "pong");
	synchronize_irq(u->irq);

	if (!bug) {
		excerpt("iomem", iomem_keep);
		excerpt("interrupts", irq_keep);
		excerpt("vmallocinfo", vm_keep);
		excerpt("slabinfo", slab_keep);
		svg = fopen(svg_path, "w");
		if (svg) {
			ukmem_show("physmap.svg", svg);
			fclose(svg);
			printf("uart_demo: wrote %s\n", svg_path);
		}
	}

	/* unbind, unload, unplug */
	device_release_driver(&pdev->dev);
	if (!bug) {
		excerpt("iomem", iomem_keep);
		excerpt("vmallocinfo", vm_keep);
	}
	ukmem_modules_exit();
	platform_device_unregister(pdev);
	ukmem_mmio_remove(UART_BASE);

	problems = ukmem_exit();
	printf("uart_demo: ukmem_exit found %d problem%s\n", problems, problems == 1 ? "" : "s");
	return problems ? 2 : 0;
}

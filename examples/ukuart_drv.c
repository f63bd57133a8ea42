/* SPDX-License-Identifier: MIT */
/*
 * The ukuart driver, written exactly as a Linux driver: devm_kzalloc,
 * devm_platform_ioremap_resource, platform_get_irq, devm_request_threaded_irq, readl/writel,
 * readl_poll_timeout, a kmem_cache and a vmalloc'd receive buffer, module_platform_driver
 * and a module parameter.  With ukuart.bug=1 the interrupt handler allocates with GFP_KERNEL
 * in hard-irq context, a classic bug, which ukmem reports as the kernel does.
 */
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/vmalloc.h>
#include "ukuart.h"

int ukuart_bug;
module_param_named(bug, ukuart_bug, int, 0444);
MODULE_PARM_DESC(bug, "allocate with GFP_KERNEL in the interrupt handler (a bug)");

struct ukuart_msg {
	struct list_head node;
	unsigned int len;
	char text[32];
};


int ukuart_tx(struct ukuart *u, const char *s)
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
	if (ukuart_bug)
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

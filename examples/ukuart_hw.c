/* SPDX-License-Identifier: MIT */
/*
 * The ukuart device side: a register file behind ukmem_mmio_add() that transmits what the
 * driver writes and raises its interrupt when bytes arrive.
 */
#include <string.h>
#include "ukuart.h"

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

const struct ukmem_mmio_ops ukuart_hw_ops = { ukuart_hw_read, ukuart_hw_write };

/* Bytes arrive on the wire: into the FIFO, then the interrupt if enabled. */
void ukuart_hw_receive(struct ukuart_hw *hw, const char *s)
{
	while (*s)
		hw->rx[hw->rx_head++ % sizeof(hw->rx)] = *s++;
	if (hw->irq_en & 1) {
		hw->irq_stat |= 1;
		ukmem_irq_raise(UART_IRQ);
	}
}

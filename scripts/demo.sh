#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds ukmem and runs the demo programs: the memory demo
# (kmalloc, pages, vmalloc and two classic bugs), the platform driver demo (devres) and the
# UART driver demo (an emulated device, ioremap, interrupts, and a bug in an interrupt handler)
# and the DMA engine demo (a descriptor ring, streaming mappings, bouncing, a missing unmap).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
"${BUILD_DIR:-build}"/examples/demo
echo
"${BUILD_DIR:-build}"/examples/platform_demo
echo
echo "=== uart_demo: a platform driver for an emulated UART (load, use, interrupts, unbind) ==="
"${BUILD_DIR:-build}"/examples/uart_demo "${BUILD_DIR:-build}"/uart_demo_physmap.svg
echo
echo "=== uart_demo with ukuart.bug=1: GFP_KERNEL in its interrupt handler ==="
UKMEM_CMDLINE=ukuart.bug=1 "${BUILD_DIR:-build}"/examples/uart_demo || true
echo
echo "=== dma_demo: a DMA engine driver (descriptor ring, mapped buffers, completion interrupt) ==="
"${BUILD_DIR:-build}"/examples/dma_demo
echo
echo "=== dma_demo with mem=6G and a 32-bit engine: buffers above 4 GiB bounce through swiotlb ==="
UKMEM_CMDLINE=mem=6G "${BUILD_DIR:-build}"/examples/dma_demo 32
echo
echo "=== dma_demo with ukdma.bug=1: the driver never unmaps its source buffers ==="
UKMEM_CMDLINE=ukdma.bug=1 "${BUILD_DIR:-build}"/examples/dma_demo || true

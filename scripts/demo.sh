#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds ukmem and runs the demo programs: the memory demo
# (kmalloc, pages, vmalloc and two classic bugs), the platform driver demo (devres) and the
# UART driver demo (an emulated device, ioremap, interrupts, and a bug in an interrupt handler).
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

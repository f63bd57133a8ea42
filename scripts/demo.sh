#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds ukmem and runs the demo programs: the memory demo
# (kmalloc, pages, vmalloc and two classic bugs) and the platform driver demo (devres).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
"${BUILD_DIR:-build}"/examples/demo
echo
"${BUILD_DIR:-build}"/examples/platform_demo

#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds ukmem and runs the demo driver.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
"${BUILD_DIR:-build}"/examples/demo

#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds ukmem and runs the whole test suite.  Arguments go
# to ctest: `scripts/test.sh -L upstream` runs only the unmodified Linux 6.1 files.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure -j"$(nproc)" "$@"

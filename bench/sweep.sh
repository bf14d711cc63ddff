#!/usr/bin/env bash
# One-thread sweep benchmark of the Gaussian mixture.
# Usage: bench/sweep.sh [N] [K] [SWEEPS]   (defaults: 1000000 5 30)
# Prints ns per point·component·sweep and the bytes per point the fit holds.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
"$here/cavi" --version >/dev/null   # builds the jar if sources changed
exec taskset -c 0 java -XX:+UseSerialGC -Xms2g -Xmx2g -cp "$here/target/cavi.jar" org.cavi.bench.SweepBench "$@"

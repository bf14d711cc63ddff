#!/usr/bin/env bash
# One-thread sweep benchmark of the Gaussian mixture.
# Usage: bench/sweep.sh [N] [K] [SWEEPS] [D]   (defaults: 1000000 5 30 1)
# D = 1: the seed's Gaussian mixture; D > 1: Bishop's mixture (Normal-Wishart, joint q) in D dimensions.
# Prints ns per point·component·sweep, ms per sweep, and the bytes per point the fit holds.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
"$here/cavi" --version >/dev/null   # builds the jar if sources changed
exec taskset -c 0 java -XX:+UseSerialGC -Xms2g -Xmx2g -cp "$here/target/cavi.jar" org.cavi.bench.SweepBench "$@"

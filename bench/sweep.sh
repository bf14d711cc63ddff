#!/usr/bin/env bash
# One-thread sweep benchmark of the Gaussian mixture.
# Usage: bench/sweep.sh [N] [K] [SWEEPS] [D] [THREADS] [FILE]   (defaults: 1000000 5 30 1 1)
# With FILE (CSV or .npy, D columns) the sweeps fit those data, and N is ignored.
# D = 1: the seed's Gaussian mixture; D > 1: Bishop's mixture (Normal-Wishart, joint q) in D dimensions.
# Prints ns per point·component·sweep, ms per sweep, and the bytes per point the fit holds.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
"$here/cavi" --version >/dev/null   # builds the jar if sources changed
threads="${5:-1}"
cores="0"
[ "$threads" -gt 1 ] && cores="0-$(( $(nproc) - 1 ))"
exec taskset -c "$cores" java -XX:+UseSerialGC -Xms3g -Xmx3g -cp "$here/target/cavi.jar" org.cavi.bench.SweepBench "$@"

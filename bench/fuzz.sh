#!/usr/bin/env bash
# The fuzzing harness (src/test/java/org/cavi/fuzz): runs generated models, data and options
# through check, plan, derive, run and simulate in one JVM and prints the failures by signature.
# Usage: bench/fuzz.sh [CASES] [SEED] [more options: --from I --threads T --save DIR --case I]
#   bench/fuzz.sh 100000 1                      # the 100,000-case run
#   bench/fuzz.sh 1 1 --case 4242               # replay case 4242 of seed 1, printing its output
# Exit status 0 when no case failed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$here"
cases="${1:-100000}"; seed="${2:-1}"; shift $(( $# > 2 ? 2 : $# ))
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/fuzz.classpath -Dmdep.includeScope=test >/dev/null
exec java ${FUZZ_JAVA_OPTS:-} -Xss8m -Xmx2g -Dcavi.repo="$here" -cp "target/test-classes:target/classes:$(cat target/fuzz.classpath)" \
    org.cavi.fuzz.Fuzz --cases "$cases" --seed "$seed" "$@"

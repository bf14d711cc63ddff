#!/usr/bin/env bash
# One sweep on Spark against the local engine, on the same simulated data (bench/sweep.sh's models).
# Usage: bench/spark.sh [N] [K] [SWEEPS] [D] [THREADS] [MASTER] [PARTITIONS]   (defaults: 1000000 5 20 1 2 local[2] 2)
# Needs the Spark module built: mvn -B install -DskipTests && mvn -B -f spark/pom.xml package -DskipTests
# The fixed cost of a sweep is the time of a sweep at small N; the cost per point·component, the
# slope between two large N (README, "Running on a cluster").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cp_file="$here/spark/target/classpath.txt"
[ -f "$cp_file" ] || { echo "bench/spark.sh: build the Spark module first (see the usage line)" >&2; exit 2; }
exec java -Xms8g -Xmx8g -XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
  -Dio.netty.tryReflectionSetAccessible=true -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1 \
  -cp "$here/spark/target/classes:$(cat "$cp_file")" org.cavi.spark.SparkSweepBench "$@"

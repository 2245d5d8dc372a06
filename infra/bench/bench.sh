#!/usr/bin/env bash
# The benchmark harness (docs/performance/README.md): builds what is missing, then starts its own broker,
# baseline, model stand-in and services as processes and measures them. Results: target/bench/results.{md,json}
#   infra/bench/bench.sh            the full run (under 25 minutes): setups in pairs, two stacks alive at a time
#   infra/bench/bench.sh --quick    the pairs inspector+phoenix / off and off / raw briefly (under 4 minutes, rough)
#   infra/bench/bench.sh --smoke    a few seconds per setup: does the harness work
#   infra/bench/bench.sh --help     every option
#   infra/bench/bench.sh --compare run1/results.json run2/results.json   two runs' ratios side by side, within 10 %? (no run)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
. infra/scripts/lib/java.sh
select_java
export LANG=C.UTF-8

stamp="$here/target/built.stamp"
if [ ! -f "$stamp" ] || [ ! -s "$here/target/classpath.txt" ] || [ ! -s infra/local-broker/target/classpath.txt ] \
    || [ -n "$(find pom.xml */pom.xml infra/*/pom.xml telemetry/src gateway-service/src application-service/src "$here/src/main" \
        -newer "$stamp" -type f -print -quit)" ]; then
  echo "Building the services and the harness (./mvnw package, tests skipped)..."
  ./mvnw --batch-mode --no-transfer-progress -q -pl infra/bench -am package -DskipTests
  touch "$stamp"
fi

exec java -Xmx2g -XX:+UseG1GC -Dbench.root="$root" -Dbench.services="$here/target/services" \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" io.ctxprop.bench.Bench "$@"

#!/usr/bin/env bash
# The test command: every test of every module, system tests included (./mvnw verify on JDK 21+).
# Extra arguments go to Maven, e.g. ./test.sh -pl gateway-service
set -euo pipefail
cd "$(dirname "$0")"
. infra/scripts/lib/java.sh
select_java
export LANG=C.UTF-8
exec ./mvnw --batch-mode --no-transfer-progress verify "$@"

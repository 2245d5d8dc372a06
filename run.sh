#!/usr/bin/env bash
# The main command: builds what is missing, starts the gateway and the application as separate
# processes with the settings of .env (real environment variables win), waits until both are ready,
# prints where to look, and stops both on Ctrl-C or SIGTERM. Logs: .run/logs/<service>.log
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
cd "$root"
. infra/scripts/lib/java.sh
. infra/scripts/lib/env.sh
select_java
load_project_env "$root"
export LANG=C.UTF-8

logs="$root/.run/logs"
mkdir -p "$logs"
gateway_jar=gateway-service/target/gateway-service-0.1.0-SNAPSHOT-exec.jar
application_jar=application-service/target/application-service-0.1.0-SNAPSHOT-exec.jar

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ -z "$PHOENIX_COLLECTOR_ENDPOINT" ] && ! port_free 6006; then
  export PHOENIX_COLLECTOR_ENDPOINT=http://localhost:6006/v1/traces
  echo "Phoenix answers at localhost:6006: traces go there too."
fi

for port in "$APP_PORT" "$GATEWAY_PORT"; do
  if ! port_free "$port"; then
    echo "Port $port is taken. Stop what uses it, or set APP_PORT / GATEWAY_PORT." >&2
    exit 1
  fi
done

if [ ! -f "$gateway_jar" ] || [ ! -f "$application_jar" ] || [ -n "$(find . -path ./.run -prune -o -name '*.java' -newer "$application_jar" -print -quit)" ]; then
  echo "Building the services (./mvnw package, tests skipped)..."
  ./mvnw --batch-mode --no-transfer-progress -q package -DskipTests
fi

pids=()
stop_all() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    echo; echo "Stopping..."
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  echo "Stopped."
  exit 0
}
trap stop_all INT TERM EXIT

start() {
  local name=$1 jar=$2
  java -Xmx256m -jar "$jar" >"$logs/$name.log" 2>&1 &
  pids+=($!)
  echo "Started $name (pid $!), log: .run/logs/$name.log"
}

await_ready() {
  local name=$1 port=$2 pid=$3
  for _ in $(seq 1 120); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited during start-up; the end of its log:" >&2
      tail -n 30 "$logs/$name.log" >&2
      exit 1
    fi
    if curl -fsS "http://localhost:$port/actuator/health/readiness" >/dev/null 2>&1; then
      echo "$name is ready on port $port."
      return 0
    fi
    sleep 0.5
  done
  echo "$name did not become ready within 60 s; see .run/logs/$name.log" >&2
  exit 1
}

start gateway-service "$gateway_jar"
await_ready gateway-service "$GATEWAY_PORT" "${pids[0]}"
start application-service "$application_jar"
await_ready application-service "$APP_PORT" "${pids[1]}"

cat <<INFO

  The form:           http://localhost:$APP_PORT/
  The JSON API:       curl -s localhost:$APP_PORT/api/ask -H 'Content-Type: application/json' -d '{"text":"hello","transport":"http"}'
  The gateway page:   http://localhost:$GATEWAY_PORT/
INFO
[ -n "$PHOENIX_COLLECTOR_ENDPOINT" ] && echo "  Phoenix:            ${PHOENIX_COLLECTOR_ENDPOINT%/v1/traces}"
echo
echo "Ctrl-C stops both services."
wait -n "${pids[@]}" || true
echo "A service stopped on its own; see .run/logs." >&2

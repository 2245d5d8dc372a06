#!/usr/bin/env bash
# The main command: builds what is missing, starts a Kafka broker (unless one already listens at
# KAFKA_BOOTSTRAP_SERVERS), the gateway and the application as separate processes with the settings
# of .env (real environment variables win), waits until each is ready, prints where to look, and
# stops them all on Ctrl-C or SIGTERM. Logs: .run/logs/<process>.log
#   ./run.sh               one broker (localhost:9092)
#   ./run.sh --brokers 3   a local cluster of three (localhost:9092, 9094, 9096; infra/local-broker/broker.sh --nodes 3),
#                          all three given to the services as KAFKA_BOOTSTRAP_SERVERS
#   ./run.sh --aot         the services from JDK 25's ahead-of-time cache (trained once per build, ~20 s a service; ~360 MB in .run/aot)
#   ./run.sh --secure      Kafka secured as real clusters run it: SASL_SSL (SCRAM-SHA-512 over TLS) and ACLs
#                          (infra/local-broker/broker.sh --secure); each service its own principal, through
#                          Spring Boot's own settings (SPRING_KAFKA_SECURITY_PROTOCOL, ...; docs/kafka.md)
set -euo pipefail
brokers=1
aot=false
secure=false
while [ $# -gt 0 ]; do
  case "$1" in
    --brokers) brokers=${2:?--brokers needs 1 or 3}; shift 2 ;;
    --aot) aot=true; shift ;;
    --secure) secure=true; shift ;;
    *) echo "Unknown option: $1 (./run.sh [--brokers 1|3] [--aot] [--secure])" >&2; exit 2 ;;
  esac
done
case "$brokers" in
  1|3) ;;
  *) echo "--brokers is 1 or 3, not $brokers" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")" && pwd)
cd "$root"
. infra/scripts/lib/java.sh
. infra/scripts/lib/env.sh
. infra/scripts/lib/aot.sh
select_java
load_project_env "$root"
if [ "$aot" = true ] && ! aot_supported; then
  echo "--aot needs a JDK 25 or newer (this is $(java_major "$JAVA_HOME")): starting without the cache." >&2
  aot=false
fi
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

services=telemetry,gateway-service,application-service,infra/local-broker
if [ ! -f "$gateway_jar" ] || [ ! -f "$application_jar" ] || [ ! -s infra/local-broker/target/classpath.txt ] \
    || [ -n "$(find telemetry/src gateway-service/src application-service/src -newer "$application_jar" -type f -print -quit)" ]; then
  echo "Building the services (./mvnw package, tests skipped)..."
  ./mvnw --batch-mode --no-transfer-progress -q -pl "$services" -am package -DskipTests
fi

kafka_host=${KAFKA_BOOTSTRAP_SERVERS%%,*}
kafka_port=${kafka_host##*:}
kafka_ports=("$kafka_port")
if [ "$brokers" = 3 ]; then
  case "${kafka_host%:*}" in
    localhost|127.0.0.1) ;;
    *) echo "--brokers 3 starts a local cluster, but KAFKA_BOOTSTRAP_SERVERS names $kafka_host." >&2; exit 2 ;;
  esac
  # the cluster's nodes listen two ports apart, from the first bootstrap port on (9092, 9094, 9096)
  kafka_ports=("$kafka_port" $((kafka_port + 2)) $((kafka_port + 4)))
  export KAFKA_BOOTSTRAP_SERVERS="localhost:${kafka_ports[0]},localhost:${kafka_ports[1]},localhost:${kafka_ports[2]}"
fi
start_broker=false
case "${kafka_host%:*}" in
  localhost|127.0.0.1)
    if port_free "$kafka_port"; then
      start_broker=true
    else
      echo "A broker already listens on $kafka_host: using $KAFKA_BOOTSTRAP_SERVERS."
    fi ;;
  *) echo "Using the Kafka broker at $KAFKA_BOOTSTRAP_SERVERS." ;;
esac

pids=()
keys_file="$root/.run/keys.env"
keys_tmp=
stop_all() {
  trap - INT TERM EXIT
  [ -z "$keys_tmp" ] || rm -f "$keys_tmp"
  echo; echo "Stopping..."
  # Newest first: the application, the gateway, then the broker they were using.
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  echo "Stopped."
  exit 0
}
trap stop_all INT TERM EXIT

started() {
  pids=("$1" "${pids[@]}")
  echo "Started $2 (pid $1), log: .run/logs/$2.log"
}

start() {
  local name=$1 jar=$2
  shift 2
  local launch=(-jar "$jar")
  if [ "$aot" = true ]; then
    aot_prepare "$name" "$jar" "$logs/$name-aot.log"
    launch=("${aot_args[@]}")
  fi
  # 512 MB: 1,000 waiting requests keep 130-190 MB of a service live, and a 256 MB heap left G1 so little room
  # that collecting took a third of the CPU (docs/performance, "1,000 clients"). All of it from the start
  # (-Xms): grown on demand, each JVM settled at its own size, and a small one spent its CPU in back-to-back
  # concurrent cycles (docs/performance, "A fixed heap").
  # any further arguments are VAR=value settings for this process alone, exported in its subshell (never on a
  # command line, where ps would show them; `export` without arguments would list the whole environment)
  if [ "$secure" = true ]; then
    # the principal's password reaches the service in its environment (readable only by this user), never on a command line
    (secure_kafka_env "${name%-service}"; [ $# -eq 0 ] || export "$@"; exec java -Xms512m -Xmx512m "${launch[@]}") >"$logs/$name.log" 2>&1 &
  else
    ([ $# -eq 0 ] || export "$@"; exec java -Xms512m -Xmx512m "${launch[@]}") >"$logs/$name.log" 2>&1 &
  fi
  started $! "$name"
}

secure_dir=${KAFKA_DATA_DIR:-$root/infra/local-broker/data}/secure

# Spring Boot's own Kafka settings for one principal, from the broker's client properties file of it.
secure_kafka_env() {
  local file="$secure_dir/$1.properties"
  export SPRING_KAFKA_SECURITY_PROTOCOL=SASL_SSL
  export SPRING_KAFKA_SSL_BUNDLE=kafka
  export SPRING_SSL_BUNDLE_PEM_KAFKA_TRUSTSTORE_CERTIFICATE="file:$secure_dir/ca.pem"
  export SPRING_KAFKA_PROPERTIES_SASL_MECHANISM=SCRAM-SHA-512
  SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG=$(sed -n 's/^sasl.jaas.config=//p' "$file")
  export SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG
}

await_secured() {
  local pid=$1
  for _ in $(seq 1 240); do
    [ -f "$secure_dir/ready" ] && return 0
    kill -0 "$pid" 2>/dev/null || { echo "kafka exited during start-up:" >&2; tail -n 20 "$logs/kafka.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "The secured broker did not make its topics and ACLs within 120 s; see .run/logs/kafka.log" >&2
  exit 1
}

await_port() {
  local name=$1 port=$2 pid=$3 seconds=${4:-60}
  for _ in $(seq 1 $((seconds * 2))); do
    kill -0 "$pid" 2>/dev/null || { echo "$name exited during start-up:" >&2; tail -n 20 "$logs/$name.log" >&2; exit 1; }
    port_free "$port" || { echo "$name is ready on port $port."; return 0; }
    sleep 0.5
  done
  echo "$name did not open port $port within $seconds s; see .run/logs/$name.log" >&2
  exit 1
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

broker_flags=()
[ "$secure" = true ] && broker_flags=(--secure)
if [ "$start_broker" = true ] && [ "$brokers" = 3 ]; then
  KAFKA_PORT=$kafka_port infra/local-broker/broker.sh ${broker_flags[@]+"${broker_flags[@]}"} --nodes 3 >"$logs/kafka.log" 2>&1 &
  started $! kafka
  # a node opens its client port once the three controllers have formed their quorum
  for port in "${kafka_ports[@]}"; do
    await_port kafka "$port" "${pids[0]}" 180
  done
elif [ "$start_broker" = true ]; then
  KAFKA_PORT=$kafka_port infra/local-broker/broker.sh ${broker_flags[@]+"${broker_flags[@]}"} >"$logs/kafka.log" 2>&1 &
  started $! kafka
  await_port kafka "$kafka_port" "${pids[0]}"
fi
if [ "$secure" = true ] && [ "$start_broker" = true ]; then
  await_secured "${pids[0]}"
elif [ "$secure" = true ] && [ ! -r "$secure_dir/gateway.properties" ]; then
  echo "--secure with a broker already running needs $secure_dir (made by infra/local-broker/broker.sh --secure)." >&2
  exit 1
fi
# --- HTTP keys (issue 22): both services listen on 127.0.0.1 (SERVER_ADDRESS); the gateway's /process needs
# GATEWAY_API_KEY and the inspector's /v1/traces INSPECTOR_INGEST_KEY. Unset ones get a random key per run,
# kept in .run/keys.env (mode 600) (use it to call the gateway yourself).
# Made here, after the port checks (a second ./run.sh that finds the ports taken leaves the running stack's keys
# alone), into a temporary file that replaces .run/keys.env only once both services are ready.
random_key() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }
keys_tmp=$(umask 077 && mktemp "$keys_file.XXXXXX")
for key in GATEWAY_API_KEY INSPECTOR_INGEST_KEY; do
  [ -n "${!key:-}" ] || export "$key=$(random_key)"
  printf '%s=%s\n' "$key" "${!key}" >>"$keys_tmp"
done
# The gateway's spans reach the inspector with the ingest key; only then, so the key never goes to another endpoint:
# only when the trace endpoint (the traces-specific one first, as the SDK takes it) is the local application, and
# only in the traces' own headers (the generic OTEL_EXPORTER_OTLP_HEADERS also go to metrics and logs endpoints).
gateway_otlp_headers=()
otlp_traces_endpoint=${OTEL_EXPORTER_OTLP_TRACES_ENDPOINT:-${OTEL_EXPORTER_OTLP_ENDPOINT:-}}
otlp_traces_endpoint=${otlp_traces_endpoint%/}
case "${otlp_traces_endpoint%/v1/traces}" in
  "http://localhost:$APP_PORT"|"http://127.0.0.1:$APP_PORT")
    [ -n "${OTEL_EXPORTER_OTLP_TRACES_HEADERS:-}" ] || [ -n "${OTEL_EXPORTER_OTLP_HEADERS:-}" ] \
      || gateway_otlp_headers=("OTEL_EXPORTER_OTLP_TRACES_HEADERS=Authorization=Bearer%20$INSPECTOR_INGEST_KEY") ;;
esac
# --- end of HTTP keys
start gateway-service "$gateway_jar" ${gateway_otlp_headers[@]+"${gateway_otlp_headers[@]}"}
await_ready gateway-service "$GATEWAY_PORT" "${pids[0]}"
start application-service "$application_jar"
await_ready application-service "$APP_PORT" "${pids[0]}"
mv "$keys_tmp" "$keys_file"
keys_tmp=

# The first request after start-up loads and compiles what every later one reuses (the HTTP and model
# clients, the Kafka reply path): a few seconds on a small machine. Asked here, so the form is quick at
# once; only of the offline model, so that no real model is asked anything the user did not ask.
if [ -z "${OPENAI_API_KEY:-}" ] && [ -z "${OPENAI_BASE_URL:-}" ]; then
  printf 'Warming up (a plain and a streamed request over both hops, offline model)...'
  warm_started=$SECONDS
  for path in ask ask/stream; do
    curl -s -o /dev/null --max-time 60 "http://localhost:$APP_PORT/api/$path" -H 'Content-Type: application/json' \
      -d '{"text":"run.sh warm-up","transport":"both"}' || echo " (the $path request failed; see .run/logs)"
  done
  echo " done in $((SECONDS - warm_started)) s."
else
  echo "The first request also warms the services up: it may take a few seconds longer than the next."
fi

cat <<INFO

  The form:           http://localhost:$APP_PORT/
  The JSON API:       curl -s localhost:$APP_PORT/api/ask -H 'Content-Type: application/json' -d '{"text":"hello","transport":"http"}'
  The gateway page:   http://localhost:$GATEWAY_PORT/
  Listening on:       ${SERVER_ADDRESS:-127.0.0.1} (application :$APP_PORT, gateway :$GATEWAY_PORT; SERVER_ADDRESS changes it)
  Keys of this run:   .run/keys.env (readable only by you; curl -H "Authorization: Bearer \$GATEWAY_API_KEY" for /process)
INFO
if [ "$secure" = true ]; then
  cat <<INFO
  Kafka:              $KAFKA_BOOTSTRAP_SERVERS   SASL_SSL (SCRAM-SHA-512 over TLS) with ACLs; client settings in $secure_dir/<principal>.properties
                      (infra/scripts/kafka-send.sh --secure "hello"; infra/scripts/kafka-replies.sh --secure)
INFO
else
  echo "  Kafka:              $KAFKA_BOOTSTRAP_SERVERS   (infra/scripts/kafka-send.sh \"hello\"; infra/scripts/kafka-replies.sh)"
fi
[ -n "$PHOENIX_COLLECTOR_ENDPOINT" ] && echo "  Phoenix:            ${PHOENIX_COLLECTOR_ENDPOINT%/v1/traces}"
echo
echo "Ctrl-C stops everything."
wait -n "${pids[@]}" || true
echo "A process stopped on its own; see .run/logs." >&2

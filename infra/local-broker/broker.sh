#!/usr/bin/env bash
# A real Apache Kafka (KRaft) from the Maven Central jars, in the foreground.
#   infra/local-broker/broker.sh                      one node on KAFKA_PORT (default 9092), data under infra/local-broker/data
#   infra/local-broker/broker.sh --nodes 3            a cluster of three nodes (ids 1-3, each broker and controller):
#                                                     clients on 9092, 9094, 9096, controllers on 9093, 9095, 9097,
#                                                     data and pid (broker.pid) in infra/local-broker/data/node-N
#   infra/local-broker/broker.sh --nodes 3 --node N   only node N of that cluster, in the foreground (to stop and
#                                                     start one node on its own)
#   infra/local-broker/broker.sh --secure [--nodes 3] the same, secured: clients on SASL_SSL (SCRAM-SHA-512 over TLS),
#                                                     ACLs (StandardAuthorizer, nothing allowed without an ACL), the
#                                                     topics made here; data, CA and one client properties file per
#                                                     principal (admin, application, gateway, client) in
#                                                     infra/local-broker/data/secure (docs/kafka.md)
# Env: KAFKA_PORT (the first node's client port; node N listens on KAFKA_PORT + 2(N-1) and its controller one
# above), CONTROLLER_PORT (one node only; default KAFKA_PORT+1), KAFKA_DATA_DIR, KAFKA_HEAP (default 512m).
# A data folder is formatted on first start and reused after. SIGTERM stops the broker(s) cleanly.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

nodes=1
node=""
secure=false
while [ $# -gt 0 ]; do
  case "$1" in
    --secure) secure=true; shift ;;
    --nodes) nodes=${2:?--nodes needs a number}; shift 2 ;;
    --node) node=${2:?--node needs a node id}; shift 2 ;;
    *) echo "Unknown option: $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done
case "$nodes" in
  1|3) ;;
  *) echo "--nodes is 1 or 3, not $nodes" >&2; exit 2 ;;
esac
if [ -n "$node" ] && { [ "$nodes" != 3 ] || [ "$node" -lt 1 ] 2>/dev/null || [ "$node" -gt 3 ]; }; then
  echo "--node is 1, 2 or 3, with --nodes 3" >&2
  exit 2
fi

. "$root/infra/scripts/lib/java.sh"
select_java

base_port=${KAFKA_PORT:-9092}
data_root=${KAFKA_DATA_DIR:-$here/data}
if [ "$secure" = true ]; then
  # a secured cluster keeps everything apart from the plaintext one: its data, CA, keys and credentials
  . "$here/secure/secure.sh"
  secure_dir=$data_root/secure
  data_root=$secure_dir
  secure_material "$secure_dir"
  [ -n "$node" ] || rm -f "$secure_dir/ready"
fi
classpath_file="$here/target/classpath.txt"
java_opts=(-Xmx"${KAFKA_HEAP:-512m}" -Xms128m -Dlog4j2.level=warn -Dorg.slf4j.simpleLogger.defaultLogLevel=warn
  -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS
  -Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info -Dorg.slf4j.simpleLogger.log.kafka.Kafka=info)

require_free() {
  local port
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "Port $port is taken: another broker may be running. Stop it, or set KAFKA_PORT." >&2
      exit 1
    fi
  done
}

load_classpath() {
  if [ ! -s "$classpath_file" ]; then
    echo "Resolving the broker's jars (./mvnw -pl infra/local-broker package)..."
    (cd "$root" && ./mvnw --batch-mode --no-transfer-progress -q -pl infra/local-broker package)
  fi
  classpath=$(cat "$classpath_file")
}

# render <template> <config> <port> <controller port> <data dir> [node id] [voters]
render() {
  sed -e "s#\${KAFKA_PORT}#$3#g" -e "s#\${CONTROLLER_PORT}#$4#g" -e "s#\${DATA_DIR}#$5/logs#g" \
    -e "s#\${NODE_ID}#${6:-1}#g" -e "s#\${VOTERS}#${7:-}#g" "$1" > "$2"
  if [ "$secure" = true ]; then
    secure_render "$2" "$3" "$4" "$secure_dir"
  fi
}

# await_port <port> <pid>: until the broker's client port opens (or the broker is gone)
await_port() {
  for _ in $(seq 1 360); do
    kill -0 "$2" 2>/dev/null || { echo "The broker (pid $2) stopped during start-up." >&2; return 1; }
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.5
  done
  echo "Port $1 did not open within 180 s." >&2
  return 1
}

# format <config> <data dir> <storage tool arguments...>: once, on first start
format_once() {
  local config=$1 dir=$2; shift 2
  if [ ! -f "$dir/logs/meta.properties" ]; then
    if [ "$secure" = true ]; then
      # the admin's SCRAM credentials are added inside the JVM: no password on a command line
      java -cp "$classpath" "${java_opts[@]}" "$here/secure/FormatStorage.java" "$secure_dir/admin.properties" \
        format "$@" -c "$config" >/dev/null
    else
      java -cp "$classpath" "${java_opts[@]}" kafka.tools.StorageTool format "$@" -c "$config" >/dev/null
    fi
    echo "Formatted a new KRaft data folder: $dir/logs"
  fi
}

if [ "$nodes" = 1 ]; then
  controller_port=${CONTROLLER_PORT:-$((base_port + 1))}
  require_free "$base_port" "$controller_port"
  load_classpath
  mkdir -p "$data_root"
  config="$data_root/server.properties"
  render "$here/config/server.properties" "$config" "$base_port" "$controller_port" "$data_root"
  if [ ! -f "$data_root/logs/meta.properties" ]; then
    format_once "$config" "$data_root" --standalone -t "$(java -cp "$classpath" "${java_opts[@]}" kafka.tools.StorageTool random-uuid)"
  fi
  echo "Starting Kafka on localhost:$base_port (data: $data_root)"
  if [ "$secure" = false ]; then
    exec java -cp "$classpath" "${java_opts[@]}" kafka.Kafka "$config"
  fi
  # secured: the broker as a child, so this script can make the topics and ACLs once it listens
  broker=""
  trap '[ -z "$broker" ] || kill -TERM "$broker" 2>/dev/null || true' INT TERM
  java -cp "$classpath" "${java_opts[@]}" kafka.Kafka "$config" &
  broker=$!
  await_port "$base_port" "$broker" && secure_topics_and_acls "localhost:$base_port" 1 1 || true
  while kill -0 "$broker" 2>/dev/null; do
    wait "$broker" || true
  done
  rm -f "$secure_dir/ready"
  exit 0
fi

client_port() { echo $((base_port + 2 * ($1 - 1))); }
voters="1@127.0.0.1:$(($(client_port 1) + 1)),2@127.0.0.1:$(($(client_port 2) + 1)),3@127.0.0.1:$(($(client_port 3) + 1))"

if [ -n "$node" ]; then
  port=$(client_port "$node")
  require_free "$port" $((port + 1))
  load_classpath
  dir="$data_root/node-$node"
  mkdir -p "$dir"
  # The three nodes share one cluster id: the first node to start chooses it.
  if [ ! -s "$data_root/cluster.id" ]; then
    java -cp "$classpath" "${java_opts[@]}" kafka.tools.StorageTool random-uuid > "$data_root/cluster.id.$node"
    mv -n "$data_root/cluster.id.$node" "$data_root/cluster.id" 2>/dev/null || true
    rm -f "$data_root/cluster.id.$node"
  fi
  config="$dir/server.properties"
  render "$here/config/cluster.properties" "$config" "$port" $((port + 1)) "$dir" "$node" "$voters"
  format_once "$config" "$dir" -t "$(cat "$data_root/cluster.id")"
  echo "Starting Kafka node $node of 3 on localhost:$port (controller $((port + 1)), data: $dir)"
  echo $$ > "$dir/broker.pid"   # exec keeps the pid: this is the broker's
  exec java -cp "$classpath" "${java_opts[@]}" kafka.Kafka "$config"
fi

# --nodes 3: the three nodes as child processes; SIGTERM (or Ctrl-C) stops them all.
for n in 1 2 3; do
  require_free "$(client_port "$n")" $(($(client_port "$n") + 1))
done
load_classpath
mkdir -p "$data_root"
pids=()
stop_nodes() {
  trap - INT TERM
  echo "Stopping the three Kafka nodes..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # A node left alone (the others down) waits for a controller quorum to shut down in order: 30 s, then it is killed.
  for _ in $(seq 1 60); do
    running=false
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && running=true; done
    [ "$running" = true ] || break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      echo "Node with pid $pid did not stop within 30 s (no controller quorum left?): killed."
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for n in 1 2 3; do rm -f "$data_root/node-$n/broker.pid"; done
  if [ "$secure" = true ]; then rm -f "$secure_dir/ready"; fi
  echo "Kafka stopped."
  exit 0
}
trap stop_nodes INT TERM
for n in 1 2 3; do
  mkdir -p "$data_root/node-$n"
  if [ "$secure" = true ]; then
    KAFKA_DATA_DIR=${KAFKA_DATA_DIR:-$here/data} "$0" --secure --nodes 3 --node "$n" > "$data_root/node-$n/broker.log" 2>&1 &
  else
    "$0" --nodes 3 --node "$n" > "$data_root/node-$n/broker.log" 2>&1 &
  fi
  pids+=($!)
  echo "Node $n: localhost:$(client_port "$n") (pid $!, log $data_root/node-$n/broker.log)"
done
echo "Kafka cluster: localhost:$(client_port 1),localhost:$(client_port 2),localhost:$(client_port 3)"
if [ "$secure" = true ]; then
  for n in 1 2 3; do await_port "$(client_port "$n")" "${pids[$((n - 1))]}" || break; done
  secure_topics_and_acls "localhost:$(client_port 1),localhost:$(client_port 2),localhost:$(client_port 3)" 3 2 || true
fi
# Waits as long as any node runs; a node stopped on its own is not restarted.
while [ -n "$(jobs -pr)" ]; do
  wait -n || true
done
stop_nodes

#!/usr/bin/env bash
# A real Apache Kafka broker (KRaft, one node) from the Maven Central jars, in the foreground.
#   infra/local-broker/broker.sh            start on KAFKA_PORT (default 9092), data under infra/local-broker/data
# Env: KAFKA_PORT, CONTROLLER_PORT (default KAFKA_PORT+1), KAFKA_DATA_DIR, KAFKA_HEAP (default 512m).
# The data folder is formatted on first start and reused after. SIGTERM stops the broker cleanly.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/infra/scripts/lib/java.sh"
select_java

export KAFKA_PORT=${KAFKA_PORT:-9092}
export CONTROLLER_PORT=${CONTROLLER_PORT:-$((KAFKA_PORT + 1))}
export DATA_DIR=${KAFKA_DATA_DIR:-$here/data}
classpath_file="$here/target/classpath.txt"

for port in "$KAFKA_PORT" "$CONTROLLER_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is taken: another broker may be running. Stop it, or set KAFKA_PORT." >&2
    exit 1
  fi
done

if [ ! -s "$classpath_file" ]; then
  echo "Resolving the broker's jars (./mvnw -pl infra/local-broker package)..."
  (cd "$root" && ./mvnw --batch-mode --no-transfer-progress -q -pl infra/local-broker package)
fi
classpath=$(cat "$classpath_file")

mkdir -p "$DATA_DIR"
config="$DATA_DIR/server.properties"
sed -e "s#\${KAFKA_PORT}#$KAFKA_PORT#g" -e "s#\${CONTROLLER_PORT}#$CONTROLLER_PORT#g" -e "s#\${DATA_DIR}#$DATA_DIR/logs#g" \
  "$here/config/server.properties" > "$config"

java_opts=(-Xmx"${KAFKA_HEAP:-512m}" -Xms128m -Dlog4j2.level=warn -Dorg.slf4j.simpleLogger.defaultLogLevel=warn
  -Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info -Dorg.slf4j.simpleLogger.log.kafka.Kafka=info)

if [ ! -f "$DATA_DIR/logs/meta.properties" ]; then
  cluster_id=$(java -cp "$classpath" "${java_opts[@]}" kafka.tools.StorageTool random-uuid)
  java -cp "$classpath" "${java_opts[@]}" kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$config" >/dev/null
  echo "Formatted a new KRaft data folder: $DATA_DIR/logs"
fi

echo "Starting Kafka on localhost:$KAFKA_PORT (data: $DATA_DIR)"
exec java -cp "$classpath" "${java_opts[@]}" kafka.Kafka "$config"

# Sourced by the Kafka scripts: how to reach a broker with the client that is at hand.
#   kcat, when installed; otherwise the Kafka console tools from the local broker's classpath;
#   with --compose, the console tools inside the compose stack's kafka container.
#   KAFKA_SCRIPTS_CLIENT=kcat|console chooses one instead.

KAFKA_CLIENT=""

choose_kafka_client() {
  local root=$1 compose=$2
  local wanted=${KAFKA_SCRIPTS_CLIENT:-}
  if [ "$compose" = true ]; then
    KAFKA_CLIENT=compose
  elif [ "$wanted" = kcat ] || { [ -z "$wanted" ] && command -v kcat >/dev/null 2>&1; }; then
    KAFKA_CLIENT=kcat
  else
    KAFKA_CLIENT=console
    . "$root/infra/scripts/lib/java.sh"
    select_java
    if [ ! -s "$root/infra/local-broker/target/classpath.txt" ]; then
      (cd "$root" && ./mvnw --batch-mode --no-transfer-progress -q -pl infra/local-broker package)
    fi
    KAFKA_CLASSPATH=$(cat "$root/infra/local-broker/target/classpath.txt")
  fi
}

# Runs a console tool in place of the calling (sub)shell, so that stopping that shell stops the tool.
kafka_console() {
  local tool=$1; shift
  case "$KAFKA_CLIENT" in
    compose)
      local script=kafka-console-producer.sh
      [ "$tool" = consumer ] && script=kafka-console-consumer.sh
      exec docker compose -f "$ROOT/infra/compose.yaml" exec -T kafka "/opt/kafka/bin/$script" "$@" ;;
    console)
      local main=org.apache.kafka.tools.ConsoleProducer
      [ "$tool" = consumer ] && main=org.apache.kafka.tools.consumer.ConsoleConsumer
      exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$KAFKA_CLASSPATH" "$main" "$@" ;;
  esac
}

# awk reading its input a line at a time. mawk (Debian's default awk) buffers its input until end of
# file, so a follower piping a consumer into it would print nothing until the consumer stopped.
line_awk() {
  if awk -W version 2>/dev/null | grep -q mawk; then
    awk -W interactive "$@"
  else
    awk "$@"
  fi
}

# JSON string escaping for the request value: backslash, quote, and control characters.
json_escape() {
  local s=$1
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\r'/\\r}; s=${s//$'\t'/\\t}
  printf '%s' "$s"
}

new_uuid() {
  cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen
}

# N random bytes as 2N lowercase hex digits (never all zeros, which W3C trace context forbids).
random_hex() {
  local hex
  while :; do
    hex=$(od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n')
    [ -n "${hex//0/}" ] && { printf '%s' "$hex"; return; }
  done
}

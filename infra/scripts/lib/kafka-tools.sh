# Sourced by the Kafka scripts: how to reach a broker with the client that is at hand.
#   kcat, when installed; otherwise the Kafka console tools from the local broker's classpath;
#   with --compose, the console tools inside the compose stack's kafka container.
#   KAFKA_SCRIPTS_CLIENT=kcat|console chooses one instead.

KAFKA_CLIENT=""

choose_kafka_client() {
  local root=$1 compose=$2
  local wanted=${KAFKA_SCRIPTS_CLIENT:-}
  # A secured cluster: the console tools, unless kcat is asked for. Debian's kcat is built on librdkafka
  # 2.0, and librdkafka before 2.6.1 cannot log in with SCRAM to a Kafka 4 broker (edenhill/kcat#462).
  if [ -n "$KAFKA_CONFIG" ] && [ -z "$wanted" ]; then
    wanted=console
  fi
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

# --- Secured clusters: a standard Kafka client properties file (security.protocol, sasl.*, ssl.*) ---
KAFKA_CONFIG=""
KCAT_CONFIG_ARGS=()

# secured_config <root> <file or empty> <secure?>: the properties file the client uses, if any
secured_config() {
  local root=$1 file=$2 secure=$3
  if [ "$secure" = true ] && [ -z "$file" ]; then
    file="${KAFKA_DATA_DIR:-$root/infra/local-broker/data}/secure/client.properties"
    if [ ! -r "$file" ]; then
      echo "No $file: start the secured broker first (./run.sh --secure, or infra/local-broker/broker.sh --secure)." >&2
      exit 2
    fi
  fi
  if [ -n "$file" ] && [ ! -r "$file" ]; then
    echo "Cannot read the client properties file $file." >&2
    exit 2
  fi
  KAFKA_CONFIG=$file
}

# The property's value in the client properties file.
config_value() {
  sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$KAFKA_CONFIG" | tail -n 1
}

# kcat (librdkafka) does not read Java's properties: the same settings in its own names, in a file only
# the user can read (never on the command line, where other users could see the password), removed on exit.
kcat_secured_args() {
  KCAT_CONFIG_ARGS=()
  [ -n "$KAFKA_CONFIG" ] || return 0
  local jaas rdkafka truststore
  rdkafka=$(umask 077 && mktemp)
  KCAT_CONFIG_FILE=$rdkafka
  jaas=$(config_value sasl.jaas.config)
  truststore=$(config_value ssl.truststore.location)
  {
    echo "security.protocol=$(config_value security.protocol | tr '[:upper:]' '[:lower:]')"
    [ -n "$(config_value sasl.mechanism)" ] && echo "sasl.mechanisms=$(config_value sasl.mechanism)"
    [ -n "$jaas" ] && echo "sasl.username=$(sed -n 's/.*username="\([^"]*\)".*/\1/p' <<<"$jaas")"
    [ -n "$jaas" ] && echo "sasl.password=$(sed -n 's/.*password="\([^"]*\)".*/\1/p' <<<"$jaas")"
    if [ -n "$truststore" ]; then
      if [ "$(config_value ssl.truststore.type)" != PEM ]; then
        echo "kcat reads PEM trust stores only: set ssl.truststore.type=PEM, or KAFKA_SCRIPTS_CLIENT=console." >&2
        exit 2
      fi
      echo "ssl.ca.location=$truststore"
    fi
  } > "$rdkafka"
  KCAT_CONFIG_ARGS=(-F "$rdkafka")
}

# The console tools take the file as it is.
console_secured_args() {
  CONSOLE_CONFIG_ARGS=()
  if [ -n "$KAFKA_CONFIG" ]; then CONSOLE_CONFIG_ARGS=("--$1.config" "$KAFKA_CONFIG"); fi
}

# explain_kafka_failure <client's error output> <bootstrap>: one clear sentence for what went wrong
explain_kafka_failure() {
  local errors=$1 bootstrap=$2
  if grep -qiE 'SaslAuthenticationException|SASL authentication error|invalid credentials|Authentication failed' "$errors"; then
    echo "Authentication failed at $bootstrap: wrong user name or password in ${KAFKA_CONFIG:-(no client properties file)}." >&2
    if [ "$KAFKA_CLIENT" = kcat ]; then
      echo "(Or kcat's librdkafka is older than 2.6.1, which cannot log in with SCRAM to Kafka 4: KAFKA_SCRIPTS_CLIENT=console.)" >&2
    fi
  elif grep -qiE 'TopicAuthorizationException|GroupAuthorizationException|authorization failed|Not authorized' "$errors"; then
    echo "Not allowed at $bootstrap: the principal of ${KAFKA_CONFIG:-(no client properties file)} has no ACL for this topic or group." >&2
  elif grep -qiE 'SSL handshake|SSLHandshakeException|certificate' "$errors"; then
    echo "TLS failed at $bootstrap: the broker's certificate is not trusted by ssl.truststore.location, or its name does not match." >&2
  elif grep -qiE 'not present in metadata|Disconnected while requesting ApiVersion|security.protocol|Timed out|TimeoutException|Message timed out' "$errors"; then
    if [ -z "$KAFKA_CONFIG" ]; then
      echo "No answer from a plaintext Kafka at $bootstrap: is it the secured cluster (TLS + SASL)? Use --secure, or --command-config FILE." >&2
    else
      echo "No answer from Kafka at $bootstrap with the settings of $KAFKA_CONFIG: is the broker up, and does it want these settings?" >&2
    fi
  else
    return 1
  fi
}

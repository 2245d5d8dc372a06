#!/usr/bin/env bash
# Sends one request to the gateway over Kafka, as any client could: a record on llm.requests with
# value {"text": "..."}, key and kafka_correlationId = the correlation id, and a W3C traceparent: a new
# trace's (its id printed, so the trace can be looked up at once), or --traceparent's to continue a trace
# from elsewhere, or none with --no-traceparent (the gateway then starts the trace; the reply names it).
# The gateway answers on llm.replies (read them with kafka-replies.sh).
# With --stream (header ctxprop-stream: true) it answers in chunk records as the model writes, then one
# last record with the whole answer: kafka-replies.sh --wait-for ID prints the chunks as they arrive.
#
#   infra/scripts/kafka-send.sh "What is context propagation?"
#   infra/scripts/kafka-send.sh --stream "Stream the answer to me"
#   echo "from stdin" | infra/scripts/kafka-send.sh --traceparent 00-<32 hex>-<16 hex>-01
#   infra/scripts/kafka-send.sh --correlation-id my-id-1 --compose "inside the compose stack"
#   infra/scripts/kafka-send.sh --secure "over TLS + SCRAM, as the principal client"
#
# Options: --stream, --traceparent TP, --no-traceparent, --correlation-id ID, --bootstrap HOST:PORT (default
# KAFKA_BOOTSTRAP_SERVERS or localhost:9092), --topic NAME (default llm.requests), --compose (use the
# compose stack's broker), --reply-topic NAME (kafka_replyTopic: where the gateway answers),
# --command-config FILE (a standard Kafka client properties file: security.protocol, sasl.*, ssl.*),
# --secure (the local secured cluster as "client": its properties file, reply topic llm.replies.client).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/infra/scripts/lib/kafka-tools.sh"

traceparent="" correlation_id="" topic=llm.requests compose=false stream=false secure=false config="" reply_topic=""
bootstrap=${KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}
while [ $# -gt 0 ]; do
  case "$1" in
    --stream) stream=true; shift ;;
    --traceparent) traceparent=$2; shift 2 ;;
    --no-traceparent) traceparent=none; shift ;;
    --correlation-id) correlation_id=$2; shift 2 ;;
    --bootstrap) bootstrap=$2; shift 2 ;;
    --topic) topic=$2; shift 2 ;;
    --compose) compose=true; bootstrap=kafka:9092; shift ;;
    --secure) secure=true; shift ;;
    --command-config) config=$2; shift 2 ;;
    --reply-topic) reply_topic=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; break ;;
    -*) echo "Unknown option $1 (see --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ $# -gt 0 ]; then text="$*"; else text=$(cat); fi
if [ -z "${text//[[:space:]]/}" ]; then
  echo "No text: give it as arguments or on stdin." >&2
  exit 2
fi
if [ -z "$traceparent" ]; then
  # a new trace, as any W3C-aware client starts one: random ids, sampled
  traceparent="00-$(random_hex 16)-$(random_hex 8)-01"
elif [ "$traceparent" = none ]; then
  traceparent=""
elif ! [[ $traceparent =~ ^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$ ]]; then
  echo "--traceparent must look like 00-<32 hex>-<16 hex>-<2 hex>" >&2
  exit 2
fi
correlation_id=${correlation_id:-$(new_uuid)}
# the client principal may read only llm.replies.client*: that is where its answers go
[ "$secure" = true ] && reply_topic=${reply_topic:-llm.replies.client}
# it goes into the console producer's header and key fields: a tab, comma, colon or line break would add headers or records
if ! [[ $correlation_id =~ ^[A-Za-z0-9._-]{1,249}$ ]]; then
  echo "--correlation-id is letters, digits, . _ - (up to 249)" >&2
  exit 2
fi
if [ -n "$reply_topic" ] && ! [[ $reply_topic =~ ^[A-Za-z0-9._-]+$ ]]; then
  echo "--reply-topic is a topic name (letters, digits, . _ -)" >&2
  exit 2
fi
value="{\"text\":\"$(json_escape "$text")\"}"

secured_config "$ROOT" "$config" "$secure"
choose_kafka_client "$ROOT" "$compose"
KCAT_CONFIG_FILE=""
trap 'rm -f "${errors:-}" ${KCAT_CONFIG_FILE:+"$KCAT_CONFIG_FILE"}' EXIT
errors=$(mktemp)
headers="kafka_correlationId:$correlation_id"
[ -n "$reply_topic" ] && headers="$headers,kafka_replyTopic:$reply_topic"
[ -n "$traceparent" ] && headers="$headers,traceparent:$traceparent"
[ "$stream" = true ] && headers="$headers,ctxprop-stream:true"
status=0
if [ "$KAFKA_CLIENT" = kcat ]; then
  kcat_secured_args
  args=(-P -b "$bootstrap" -t "$topic" -k "$correlation_id" -H "kafka_correlationId=$correlation_id" -X message.timeout.ms=15000)
  [ -n "$reply_topic" ] && args+=(-H "kafka_replyTopic=$reply_topic")
  [ -n "$traceparent" ] && args+=(-H "traceparent=$traceparent")
  [ "$stream" = true ] && args+=(-H "ctxprop-stream=true")
  printf '%s' "$value" | kcat ${KCAT_CONFIG_ARGS[@]+"${KCAT_CONFIG_ARGS[@]}"} "${args[@]}" 2>"$errors" || status=$?
else
  console_secured_args producer
  (printf '%s\t%s\t%s\n' "$headers" "$correlation_id" "$value" | kafka_console producer \
    --bootstrap-server "$bootstrap" --topic "$topic" ${CONSOLE_CONFIG_ARGS[@]+"${CONSOLE_CONFIG_ARGS[@]}"} \
    --producer-property max.block.ms=15000 --producer-property delivery.timeout.ms=15000 \
    --producer-property request.timeout.ms=10000 \
    --property parse.key=true --property parse.headers=true) 2>"$errors" || status=$?
fi
# a console tool says little about a refused send, and may still exit 0: its error output tells
if [ "$status" -ne 0 ] || grep -qE 'ERROR|Exception|FAIL|Failed' "$errors"; then
  explain_kafka_failure "$errors" "$bootstrap" || cat "$errors" >&2
  echo "Not sent." >&2
  exit 1
fi
echo "Sent to $topic with correlation id $correlation_id${reply_topic:+ (answer on $reply_topic)}${traceparent:+ in trace $(cut -d- -f2 <<<"$traceparent")}$([ "$stream" = true ] && echo ", streamed (ctxprop-stream: true)") (via $KAFKA_CLIENT)."
if [ -n "$traceparent" ]; then
  echo "The trace: http://localhost:${APP_PORT:-5000}/traces/$(cut -d- -f2 <<<"$traceparent")"
else
  echo "No trace context sent: the gateway starts the trace, and the reply names it."
fi
follow="infra/scripts/kafka-replies.sh --wait-for $correlation_id"
if [ "$compose" = true ]; then follow="$follow --compose"; fi
if [ "$secure" = true ] && [ -z "$config" ]; then follow="$follow --secure"
elif [ -n "$config" ]; then
  # a principal's consumer groups are named for it (client*): the console consumer's own name would be refused
  follow="$follow --command-config $config${reply_topic:+ --topic $reply_topic} --group client-replies-$(new_uuid)"
elif [ -n "$reply_topic" ]; then follow="$follow --topic $reply_topic"; fi
if [ "$stream" = true ]; then
  echo "Follow the stream: $follow"
  echo "  (one line per chunk as it arrives, then the whole answer from the last record)"
else
  echo "Read the reply: $follow"
fi

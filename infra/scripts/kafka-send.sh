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
#
# Options: --stream, --traceparent TP, --no-traceparent, --correlation-id ID, --bootstrap HOST:PORT (default
# KAFKA_BOOTSTRAP_SERVERS or localhost:9092), --topic NAME (default llm.requests), --compose (use the
# compose stack's broker).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/infra/scripts/lib/kafka-tools.sh"

traceparent="" correlation_id="" topic=llm.requests compose=false stream=false
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
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
value="{\"text\":\"$(json_escape "$text")\"}"

choose_kafka_client "$ROOT" "$compose"
headers="kafka_correlationId:$correlation_id"
[ -n "$traceparent" ] && headers="$headers,traceparent:$traceparent"
[ "$stream" = true ] && headers="$headers,ctxprop-stream:true"
if [ "$KAFKA_CLIENT" = kcat ]; then
  args=(-P -b "$bootstrap" -t "$topic" -k "$correlation_id" -H "kafka_correlationId=$correlation_id")
  [ -n "$traceparent" ] && args+=(-H "traceparent=$traceparent")
  [ "$stream" = true ] && args+=(-H "ctxprop-stream=true")
  printf '%s' "$value" | kcat "${args[@]}"
else
  printf '%s\t%s\t%s\n' "$headers" "$correlation_id" "$value" | kafka_console producer \
    --bootstrap-server "$bootstrap" --topic "$topic" \
    --property parse.key=true --property parse.headers=true
fi
echo "Sent to $topic with correlation id $correlation_id${traceparent:+ in trace $(cut -d- -f2 <<<"$traceparent")}$([ "$stream" = true ] && echo ", streamed (ctxprop-stream: true)") (via $KAFKA_CLIENT)."
if [ -n "$traceparent" ]; then
  echo "The trace: http://localhost:${APP_PORT:-5000}/traces/$(cut -d- -f2 <<<"$traceparent")"
else
  echo "No trace context sent: the gateway starts the trace, and the reply names it."
fi
follow="infra/scripts/kafka-replies.sh --wait-for $correlation_id"
if [ "$compose" = true ]; then follow="$follow --compose"; fi
if [ "$stream" = true ]; then
  echo "Follow the stream: $follow"
  echo "  (one line per chunk as it arrives, then the whole answer from the last record)"
else
  echo "Read the reply: $follow"
fi

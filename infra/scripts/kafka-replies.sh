#!/usr/bin/env bash
# Reads the gateway's replies on llm.replies and prints, for each: the correlation id, the trace id
# from the reply's traceparent, and the text (or the error).
#
#   infra/scripts/kafka-replies.sh                      replies from now on, until Ctrl-C
#   infra/scripts/kafka-replies.sh --from-beginning     every reply still on the topic
#   infra/scripts/kafka-replies.sh --wait-for ID        from the beginning until the reply to ID, then exit
#
# Options: --timeout SECONDS (with --wait-for, default 60), --bootstrap HOST:PORT, --topic NAME, --compose.
# Uses kcat when installed, else the Kafka console tools (KAFKA_SCRIPTS_CLIENT=kcat|console to choose).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/infra/scripts/lib/kafka-tools.sh"

wait_for="" from_beginning=false timeout=60 topic=llm.replies compose=false
bootstrap=${KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}
while [ $# -gt 0 ]; do
  case "$1" in
    --wait-for) wait_for=$2; from_beginning=true; shift 2 ;;
    --from-beginning) from_beginning=true; shift ;;
    --timeout) timeout=$2; shift 2 ;;
    --bootstrap) bootstrap=$2; shift 2 ;;
    --topic) topic=$2; shift 2 ;;
    --compose) compose=true; bootstrap=kafka:9092; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "Unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

choose_kafka_client "$ROOT" "$compose"

# One line per record in: headers <TAB> key <TAB> value, headers as name:value or name=value pairs.
read_records() {
  if [ "$KAFKA_CLIENT" = kcat ]; then
    local offset=end
    [ "$from_beginning" = true ] && offset=beginning
    exec kcat -C -q -u -b "$bootstrap" -t "$topic" -o "$offset" -f '%h\t%k\t%s\n'
  else
    local args=(--bootstrap-server "$bootstrap" --topic "$topic" --property print.headers=true
      --property print.key=true --property print.value=true --property headers.separator=,
      --property headers.key.separator=:)
    [ "$from_beginning" = true ] && args+=(--from-beginning)
    kafka_console consumer "${args[@]}"
  fi
}

# Prints the replies it reads; exits 3 when one of them is the reply waited for.
print_replies() {
  line_awk -F'\t' -v wanted="$wait_for" '
    {
      headers = $1; key = $2; value = $3; correlation = key; trace = "-"
      n = split(headers, pairs, ",")
      for (i = 1; i <= n; i++) {
        split(pairs[i], kv, /[:=]/)
        if (kv[1] == "kafka_correlationId") correlation = substr(pairs[i], length(kv[1]) + 2)
        if (kv[1] == "traceparent") { split(substr(pairs[i], length(kv[1]) + 2), tp, "-"); trace = tp[2] }
      }
      text = value
      if (match(value, /"response":"([^"\\]|\\.)*"/)) text = substr(value, RSTART + 12, RLENGTH - 13)
      else if (match(value, /"error":"([^"\\]|\\.)*"/)) text = "ERROR " substr(value, RSTART + 9, RLENGTH - 10)
      gsub(/\\n/, "\n", text); gsub(/\\"/, "\"", text)
      printf "correlation id: %s\ntrace id:       %s\ntext:           %s\n\n", correlation, trace, text
      fflush()
      if (wanted != "" && correlation == wanted) found = 1
    }
    END { exit found ? 3 : 0 }'
}

if [ -z "$wait_for" ]; then
  read_records | print_replies
  exit 0
fi

# Waiting for one reply: read line by line until it comes or the time is up, then stop the reader.
exec {records}< <(read_records 2>/dev/null)
reader=$!
stop_reader() { pkill -P "$reader" 2>/dev/null || true; kill "$reader" 2>/dev/null || true; }
trap stop_reader EXIT
deadline=$((SECONDS + timeout))
while [ $SECONDS -lt $deadline ]; do
  IFS= read -r -t $((deadline - SECONDS)) line <&"$records" || break
  status=0
  printf '%s\n' "$line" | print_replies || status=$?
  [ $status -eq 3 ] && exit 0
done
echo "No reply to $wait_for within ${timeout}s." >&2
exit 1

#!/usr/bin/env bash
# Reads the gateway's replies on llm.replies and prints, for each: the correlation id, the trace id
# from the reply's traceparent, and the text (or the error). A streamed answer (kafka-send.sh --stream)
# shows as it arrives: one line per chunk record (correlation id, chunk number, the text as a JSON
# string), then its last record (ctxprop-last) as a reply marked "last record, after N chunks".
#
#   infra/scripts/kafka-replies.sh                      replies from now on, until Ctrl-C
#   infra/scripts/kafka-replies.sh --from-beginning     every reply still on the topic
#   infra/scripts/kafka-replies.sh --wait-for ID        the reply to ID only (for a streamed answer: its
#                                                       chunks, then its last record), read from the
#                                                       beginning, then exit
#
#   infra/scripts/kafka-replies.sh --secure --wait-for ID   the same on the local secured cluster, as the
#                                                       principal client, from llm.replies.client
#
# Options: --timeout SECONDS (with --wait-for, default 60), --bootstrap HOST:PORT, --topic NAME, --compose,
# --command-config FILE (a standard Kafka client properties file), --group NAME (the console consumer's
# group), --secure (the local secured cluster: client.properties, topic llm.replies.client, group client-*).
# Uses kcat when installed, else the Kafka console tools (KAFKA_SCRIPTS_CLIENT=kcat|console to choose).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/infra/scripts/lib/kafka-tools.sh"

wait_for="" from_beginning=false timeout=60 topic="" compose=false secure=false config="" group=""
bootstrap=${KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}
while [ $# -gt 0 ]; do
  case "$1" in
    --wait-for) wait_for=$2; from_beginning=true; shift 2 ;;
    --from-beginning) from_beginning=true; shift ;;
    --timeout) timeout=$2; shift 2 ;;
    --bootstrap) bootstrap=$2; shift 2 ;;
    --topic) topic=$2; shift 2 ;;
    --compose) compose=true; bootstrap=kafka:9092; shift ;;
    --secure) secure=true; shift ;;
    --command-config) config=$2; shift 2 ;;
    --group) group=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "Unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
# a number, nothing else: it goes into $(( )), where a[$(command)] would run the command
if ! [[ $timeout =~ ^[0-9]{1,9}$ ]]; then
  echo "--timeout is a whole number of seconds" >&2
  exit 2
fi

secured_config "$ROOT" "$config" "$secure"
choose_kafka_client "$ROOT" "$compose"
if [ "$secure" = true ]; then
  # the client principal reads only llm.replies.client*, in groups named client*
  topic=${topic:-llm.replies.client}
  group=${group:-client-replies-$(new_uuid)}
fi
topic=${topic:-llm.replies}
KCAT_CONFIG_FILE=""
# set before the files exist: the kcat settings file holds the password
trap 'rm -f "${errors:-}" ${KCAT_CONFIG_FILE:+"$KCAT_CONFIG_FILE"}' EXIT
errors=$(mktemp)
[ "$KAFKA_CLIENT" = kcat ] && kcat_secured_args

# The client writes each record as headers US key US value RS (US = \x1f, RS = \x1e; headers as
# name:value or name=value pairs), so that a line break or tab inside a header, key or value cannot
# split a record or shift its parts.
read_client() {
  if [ "$KAFKA_CLIENT" = kcat ]; then
    local offset=end
    [ "$from_beginning" = true ] && offset=beginning
    exec kcat ${KCAT_CONFIG_ARGS[@]+"${KCAT_CONFIG_ARGS[@]}"} -C -q -u -b "$bootstrap" -t "$topic" -o "$offset" -f '%h\x1f%k\x1f%s\x1e'
  else
    console_secured_args consumer
    local args=(--bootstrap-server "$bootstrap" --topic "$topic" --property print.headers=true
      --property print.key=true --property print.value=true --property headers.separator=,
      --property headers.key.separator=: --property "key.separator=$(printf '\037')"
      --property "line.separator=$(printf '\036')")
    [ "$from_beginning" = true ] && args+=(--from-beginning)
    [ -n "$group" ] && args+=(--group "$group")
    kafka_console consumer ${CONSOLE_CONFIG_ARGS[@]+"${CONSOLE_CONFIG_ARGS[@]}"} "${args[@]}"
  fi
}

# One line per record: headers TAB key TAB value, with every control character (a hostile or binary
# record's) made a blank, so that nothing it holds can reach the terminal or break the line.
one_line_records() {
  local LC_ALL=C record headers key value
  while IFS= read -r -d $'\036' record; do
    headers=${record%%$'\037'*}; record=${record#*$'\037'}
    key=${record%%$'\037'*}; value=${record#*$'\037'}
    printf '%s\t%s\t%s\n' "${headers//[[:cntrl:]]/ }" "${key//[[:cntrl:]]/ }" "${value//[[:cntrl:]]/ }"
  done
}

read_records() {
  read_client | one_line_records
}

# Prints the records it reads (with --wait-for, only those of the answer waited for); exits 3 when one
# of them ends the answer waited for: its reply, or for
# a streamed answer its last record (a chunk record, by its ctxprop-chunk-seq header or its "chunk"
# value, does not). Header values are believed only in the shapes the gateway writes them (a decimal
# seq, "true", a W3C trace id): any other shows as "?" or "-".
print_replies() {
  LC_ALL=C line_awk -F'\t' -v wanted="$wait_for" '
    function value_of(pair, name) { return substr(pair, length(name) + 2) }
    function is_true(text) {
      gsub(/^ +| +$/, "", text)
      return length(text) <= 16 && tolower(text) == "true"
    }
    {
      headers = $1; key = $2; value = $3; correlation = key; trace = "-"
      has_seq = 0; seq = "?"; last = 0
      n = split(headers, pairs, ",")
      for (i = 1; i <= n; i++) {
        split(pairs[i], kv, /[:=]/)
        if (kv[1] == "kafka_correlationId") correlation = value_of(pairs[i], kv[1])
        else if (kv[1] == "traceparent") {
          split(value_of(pairs[i], kv[1]), tp, "-")
          trace = (length(tp[2]) == 32 && tp[2] ~ /^[0-9a-f]+$/) ? tp[2] : "-"
        }
        else if (kv[1] == "ctxprop-chunk-seq") {
          has_seq = 1; s = value_of(pairs[i], kv[1])
          seq = (s ~ /^[0-9]+$/ && length(s) <= 10) ? s : "?"
        }
        else if (kv[1] == "ctxprop-last") last = is_true(value_of(pairs[i], kv[1]))
      }
      if (wanted != "" && correlation != wanted) next
      chunk = value
      has_chunk = match(value, /"chunk":"([^"\\]|\\.)*"/)
      if (has_chunk) chunk = substr(value, RSTART + 8, RLENGTH - 8)
      if ((has_seq || has_chunk) && !last) {
        printf "%s  chunk %s: %s\n", correlation, seq, chunk
        fflush()
        next
      }
      text = value
      if (match(value, /"response":"([^"\\]|\\.)*"/)) text = substr(value, RSTART + 12, RLENGTH - 13)
      else if (match(value, /"error":"([^"\\]|\\.)*"/)) text = "ERROR " substr(value, RSTART + 9, RLENGTH - 10)
      gsub(/\\n/, "\n", text); gsub(/\\"/, "\"", text)
      printf "correlation id: %s\ntrace id:       %s\ntext:           %s\n", correlation, trace, text
      if (last) printf "stream:         last record, after %s chunks\n", seq
      printf "\n"
      fflush()
      if (wanted != "" && correlation == wanted) found = 1
    }
    END { exit found ? 3 : 0 }'
}

# Stops a process and everything it started, deepest first: the Kafka client and the subshells of the
# pipeline, which a signal to this script alone would leave running. A process still there after 5 s
# is killed: a JVM's shutdown hooks (the console consumer closes its client) must not outlive the script.
# IFS is set here because a trap that interrupts `IFS= read` runs with that read's empty IFS, and
# pgrep's list of children would then be one word.
stop_tree() {
  local IFS=$' \t\n' child tries=0
  for child in $(pgrep -P "$1" 2>/dev/null); do stop_tree "$child"; done
  kill "$1" 2>/dev/null || return 0
  while kill -0 "$1" 2>/dev/null && [ $tries -lt 50 ]; do sleep 0.1; tries=$((tries + 1)); done
  if kill -0 "$1" 2>/dev/null; then kill -KILL "$1" 2>/dev/null || true; fi
}
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

if [ -z "$wait_for" ]; then
  # in the background, so that a signal's trap runs at once (bash defers it until a foreground pipeline ends)
  ( read_records 2> >(tee "$errors" >&2) | print_replies ) &
  follower=$!
  trap 'stop_tree "$follower"; rm -f "$errors" ${KCAT_CONFIG_FILE:+"$KCAT_CONFIG_FILE"}' EXIT
  wait "$follower" || true
  explain_kafka_failure "$errors" "$bootstrap" || true
  exit 0
fi

# Waiting for one answer: read line by line until it ends or the time is up, then stop the reader.
exec {records}< <(read_records 2>"$errors")
reader=$!
trap 'stop_tree "$reader"; rm -f "$errors" ${KCAT_CONFIG_FILE:+"$KCAT_CONFIG_FILE"}' EXIT
deadline=$((SECONDS + timeout))
while [ $SECONDS -lt $deadline ]; do
  IFS= read -r -t $((deadline - SECONDS)) line <&"$records" || break
  status=0
  printf '%s\n' "$line" | print_replies || status=$?
  [ $status -eq 3 ] && exit 0
done
echo "No reply to $wait_for within ${timeout}s." >&2
explain_kafka_failure "$errors" "$bootstrap" || true
exit 1

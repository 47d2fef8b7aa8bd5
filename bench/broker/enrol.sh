#!/usr/bin/env bash
# Enrolment and broker login cost of the SHIPPED platform (issue 9): `./edgeshare platform` on free loopback
# ports with the launcher's own JVM flags; N devices enrolled through POST /api/devices by CLIENTS concurrent
# curl loops, then every device connects once to the embedded broker with its own credentials (mosquitto_sub
# -E: CONNECT, SUBSCRIBE to its nearby topic, exit) from CLIENTS concurrent loops. Prints devices/s, connects/s,
# failures, the platform's RSS/GC/CPU and the load average. Run it under the benchmark lock:
#   flock /work/bench.lock bench/broker/enrol.sh [N=400] [CLIENTS=4]
set -euo pipefail
source "$(dirname "$0")/../lib/product.sh"
N="${1:-400}"; CLIENTS="${2:-4}"
es_init
echo "before: $(es_load)"
es_start_platform "$ES_WORK/platform"
echo "platform up in ${ES_BOOT_MS} ms: $(es_sample "$ES_PID")"
api="http://127.0.0.1:$ES_HTTP/api/devices"
export api ES_TOKEN ES_MQTT ES_WORK

enrol_slice() { # CLIENT: enrols every CLIENTS-th device, writes "id password" lines
  local c="$1" i out
  for ((i = c; i < N; i += CLIENTS)); do
    out=$(curl -s -f -X POST -H "Authorization: Bearer $ES_TOKEN" -H 'Content-Type: application/json' \
      --data "{\"deviceId\":\"bench-$i\"}" "$api") || { echo "FAIL bench-$i"; continue; }
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["deviceId"], d["password"])' <<<"$out"
  done >"$ES_WORK/cred.$c"
}
connect_slice() { # CLIENT: connects with every CLIENTS-th credential line
  local c="$1" id pw fails=0
  while read -r id pw; do
    [ "$id" = FAIL ] && continue
    mosquitto_sub -V mqttv5 -h 127.0.0.1 -p "$ES_MQTT" -i "gw-$id" -u "$id" -P "$pw" \
      -t "edgeshare/v1/gw/$id/nearby" -E -W 10 >/dev/null 2>&1 || fails=$((fails + 1))
  done <"$ES_WORK/cred.$c"
  echo "$fails" >"$ES_WORK/connfail.$c"
}

t0=$(es_now_ms)
pids=()
for ((c = 0; c < CLIENTS; c++)); do enrol_slice "$c" & pids+=($!); done
wait "${pids[@]}"
t1=$(es_now_ms)
ok=$(cat "$ES_WORK"/cred.* | grep -vc '^FAIL' || true)
echo "enrolment: $ok of $N devices in $(( t1 - t0 )) ms, $(awk -v n="$ok" -v ms=$((t1 - t0)) \
  'BEGIN{printf "%.1f", n * 1000 / ms}') devices/s, $CLIENTS HTTP clients; $(es_load)"
echo "after enrolment: $(es_sample "$ES_PID")"

t0=$(es_now_ms)
pids=()
for ((c = 0; c < CLIENTS; c++)); do connect_slice "$c" & pids+=($!); done
wait "${pids[@]}"
t1=$(es_now_ms)
fails=$(cat "$ES_WORK"/connfail.* | awk '{s += $1} END {print s}')
echo "broker logins: $((ok - fails)) of $ok in $(( t1 - t0 )) ms, $(awk -v n=$((ok - fails)) -v ms=$((t1 - t0)) \
  'BEGIN{printf "%.1f", n * 1000 / ms}') connects/s (mosquitto_sub process per login), $fails failed; $(es_load)"
echo "after logins: $(es_sample "$ES_PID")"
es_stop "$ES_PID"

#!/usr/bin/env bash
# Enrolment and broker login cost of the SHIPPED platform (issue 9): `./edgeshare platform` on free loopback
# ports with the launcher's own JVM flags; N devices enrolled through POST /api/devices by CLIENTS concurrent
# HTTP clients (threads of one Python process, keep-alive), then every device connects once to the embedded
# broker with its own credentials (mosquitto_sub -E: CONNECT, SUBSCRIBE to its nearby topic, exit) from CLIENTS
# concurrent loops. Prints devices/s, connects/s,
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
export api ES_TOKEN ES_MQTT ES_WORK ES_HTTP

enrol() { # one process, CLIENTS threads, each with its own keep-alive connection: the server is measured, not
  # process start-up (a curl + parser per request took ~1 s each under load). Writes cred.C files "id password".
  python3 - "$N" "$CLIENTS" <<'PY'
import http.client, json, os, sys, threading
n, clients = int(sys.argv[1]), int(sys.argv[2])
port, token, work = int(os.environ["ES_HTTP"]), os.environ["ES_TOKEN"], os.environ["ES_WORK"]
def run(c):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    with open(f"{work}/cred.{c}", "w") as out:
        for i in range(c, n, clients):
            try:
                conn.request("POST", "/api/devices", json.dumps({"deviceId": f"bench-{i}"}),
                             {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
                r = conn.getresponse(); body = r.read()
                if r.status not in (200, 201):
                    raise RuntimeError(r.status)
                d = json.loads(body); out.write(f"{d['deviceId']} {d['password']}\n")
            except Exception as e:
                out.write(f"FAIL bench-{i} {e}\n"); conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
threads = [threading.Thread(target=run, args=(c,)) for c in range(clients)]
[t.start() for t in threads]; [t.join() for t in threads]
PY
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
enrol
t1=$(es_now_ms)
ok=$(cat "$ES_WORK"/cred.* | grep -vc '^FAIL' || true)
echo "enrolment: $ok of $N devices in $(( t1 - t0 )) ms, $(awk -v n="$ok" -v ms=$((t1 - t0)) \
  'BEGIN{printf "%.1f", n * 1000 / ms}') devices/s, $CLIENTS HTTP clients; $(es_load)"
grep -h '^FAIL' "$ES_WORK"/cred.* | head -3 || true
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

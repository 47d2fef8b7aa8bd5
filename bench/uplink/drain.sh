#!/usr/bin/env bash
# How fast a gateway drains its outbox once the broker is back (issue 5).
#  1. A real 60-second outage: the gateway (report every second) runs with its broker (Mosquitto) stopped for
#     OUTAGE seconds; the broker comes back; we time until the watcher (mosquitto_sub) has every report.
#  2. A large backlog: BACKLOG reports written into the outbox with the gateway's own outbox code (what a
#     long outage with frequent reports leaves), then the gateway starts with the broker up.
# The gateway is the shipped one (./edgeshare gateway, home-gateway profile, its jvm.options); the only change is
# an operator's edit of etc/edgeshare.uplink.cfg (report every second). RSS, GC and CPU of the gateway over each
# drain, and the load average, are printed (bench/lib/product.sh). Loopback only; every process is stopped.
#   bench/uplink/drain.sh [OUTAGE_S=60] [BACKLOG=20000]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=../lib/product.sh
source "$ROOT/bench/lib/product.sh"
[ -z "${EDGESHARE_JAVA_OPTS:-}" ] || es_die "EDGESHARE_JAVA_OPTS is set: benchmarks run the launcher's own flags"
ls "$ROOT"/provisioning/platform/target/platform/bundles/*.jar "$ROOT"/provisioning/gateway/target/gateway/bundles/*.jar \
  >/dev/null 2>&1 || es_die "build the distributions first (mvn -B -pl provisioning/gateway,provisioning/platform -am package -DskipTests)"
OUTAGE="${1:-60}"
BACKLOG="${2:-20000}"
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }
MQTT=$(port); HTTP=$(port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\n' "$MQTT" > "$WORK/m.conf"
start_broker() { /usr/sbin/mosquitto -c "$WORK/m.conf" >/dev/null 2>&1 & BROKER=$!; PIDS+=("$BROKER"); sleep 0.3; }
start_sub() { # $1 file
  mosquitto_sub -V 5 -h 127.0.0.1 -p "$MQTT" -q 1 -t "edgeshare/v1/gw/+/status" >> "$1" 2>/dev/null & SUB=$!; PIDS+=("$SUB"); sleep 0.3; }
start_gw() { # $1 instance $2 id
  mkdir -p "$1/etc"
  printf 'broker.uri = ${edgeshare.platform.uri}\nreport.interval.s = 1\nreconnect.min.ms = 500\nreconnect.max.ms = 2000\n' > "$1/etc/edgeshare.uplink.cfg"
  "$ROOT/edgeshare" gateway --profile home-gateway --instance "$1" --id "$2" --http-port "$HTTP" --platform "tcp://127.0.0.1:$MQTT" > "$1.log" 2>&1 &
  GW=$!; PIDS+=("$GW")
}
count() { local n; n=$(grep -c msgId "$1" 2>/dev/null) || true; echo "${n:-0}"; }

echo "== 1. ${OUTAGE}-second outage, one report per second =="
start_broker; start_sub "$WORK/seen1"
start_gw "$WORK/gw1" gw-drain1
for _ in $(seq 1 300); do [ "$(count "$WORK/seen1")" -ge 2 ] && break; sleep 0.1; done
kill -9 "$BROKER" "$SUB"; before=$(count "$WORK/seen1")
sleep "$OUTAGE"
S0=$(es_sample "$GW"); L0="$(cut -d' ' -f1-3 /proc/loadavg)"
start_broker; t0=$(now_ms); start_sub "$WORK/seen1"
expected=$((before + OUTAGE - 1))
for _ in $(seq 1 600); do [ "$(count "$WORK/seen1")" -ge "$expected" ] && break; sleep 0.05; done
t1=$(now_ms); got=$(( $(count "$WORK/seen1") - before ))
echo "backlog delivered: $got reports in $((t1 - t0)) ms after the broker came back (includes the gateway's reconnect backoff of 0.5-2 s)"
S1=$(es_sample "$GW")
echo "gateway: $(es_jvm_flags "$GW")"
echo "gateway after the outage and drain: RSS $(es_mib "$(es_field "$S1" rss)") MiB (peak $(es_mib "$(es_field "$S1" hwm)")), GCs during the drain $(( $(es_field "$S1" gc) - $(es_field "$S0" gc) )) young / $(( $(es_field "$S1" fgc) - $(es_field "$S0" fgc) )) full; load average $L0 -> $(cut -d' ' -f1-3 /proc/loadavg)"
kill "$GW"; wait "$GW" 2>/dev/null || true; kill -9 "$BROKER" "$SUB" 2>/dev/null || true

echo "== 2. backlog of $BACKLOG reports =="
mkdir -p "$WORK/bench-classes"
javac -d "$WORK/bench-classes" -cp "$ROOT/bundles/uplink/target/classes" "$ROOT/bench/uplink/src/io/edgeshare/uplink/internal/FillOutbox.java"
java -cp "$WORK/bench-classes:$ROOT/bundles/uplink/target/classes" io.edgeshare.uplink.internal.FillOutbox "$WORK/gw2" gw-drain2 "$BACKLOG"
start_broker; start_sub "$WORK/seen2"
t0=$(now_ms)
start_gw "$WORK/gw2" gw-drain2
first=""
for _ in $(seq 1 6000); do
  n=$(count "$WORK/seen2")
  [ -z "$first" ] && [ "$n" -gt 0 ] && first=$(now_ms)
  [ "$n" -ge "$BACKLOG" ] && break
  sleep 0.05
done
t1=$(now_ms); n=$(count "$WORK/seen2")
echo "delivered $n of $BACKLOG in $((t1 - first)) ms from the first delivery ($((t1 - t0)) ms including the gateway's start)"
echo "drain rate: $(( n * 1000 / (t1 - first) )) reports/s"
S2=$(es_sample "$GW")
echo "gateway after the backlog: RSS $(es_mib "$(es_field "$S2" rss)") MiB (peak $(es_mib "$(es_field "$S2" hwm)")), GCs since start $(es_field "$S2" gc) young / $(es_field "$S2" fgc) full, $(es_field "$S2" gc_s) s; CPU $(es_field "$S2" cpu_s) s"
echo "$(es_load)"

#!/usr/bin/env bash
# Footprint of the EdgeShare gateway and platform runtimes against a bare Felix carrying only the same
# infrastructure bundles (SCR, ConfigAdmin, Metatype, FileInstall, HTTP Jetty 12, Paho v5, Gson, pax-logging),
# started the same way with the same JVM flags. Measures JVM launch -> first HTTP response, and resident
# memory (VmRSS) 5 s after that. Median of N runs (default 5). Loopback only; every process is stopped.
#
#   bench/footprint/run.sh [RUNS]        (build first: ./edgeshare build)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RUNS="${1:-5}"
GW="$ROOT/provisioning/gateway/target/gateway"
PF="$ROOT/provisioning/platform/target/platform"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
[ -d "$GW/bundles" ] && [ -d "$PF/bundles" ] || { echo "build first: ./edgeshare build" >&2; exit 2; }

# The bare runtime: the gateway's own infrastructure bundles, none of EdgeShare's but the Paho re-manifest.
mkdir -p "$WORK/bare-bundles"
for j in "$GW"/bundles/*.jar; do
  case "$(basename "$j")" in io.edgeshare.api*|io.edgeshare.uplink*|io.edgeshare.portal*|io.edgeshare.cache*|io.edgeshare.audio*|io.edgeshare.policy*|io.edgeshare.ap*) ;; *) cp "$j" "$WORK/bare-bundles/";; esac
done
mkdir -p "$WORK/profile"; cp "$ROOT/gateway-config/home-gateway/log4j2.properties" "$WORK/profile/"

GATEWAY_OPTS="$(sed -n 's/^GATEWAY_JAVA_OPTS_DEFAULT="\(.*\)"$/\1/p' "$ROOT/edgeshare")"
PLATFORM_OPTS="$(sed -n 's/^PLATFORM_JAVA_OPTS_DEFAULT="\(.*\)"$/\1/p' "$ROOT/edgeshare")"

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }

# measure WANT URL CMD... -> prints "ms rss_kib code"; WANT is the HTTP status that means "up" (any: first answer)
measure() {
  local want="$1" url="$2"; shift 2
  local t0 pid code t1
  t0=$(now_ms)
  "$@" >"$WORK/out.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)
    if [ "$want" = any ]; then [ "$code" != "000" ] && break; else [ "$code" = "$want" ] && break; fi
    sleep 0.01
  done
  t1=$(now_ms)
  sleep 5
  local rss; rss=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  echo "$((t1 - t0)) $rss $code"
}

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }

run_set() { # label want url-path bundles lib opts launcher-args...
  local label="$1" want="$2" path="$3" bundles="$4" lib="$5" opts="$6"; shift 6
  local first_ms=() ms=() rss=() code=""
  for i in $(seq 1 "$RUNS"); do
    local inst="$WORK/$label-$i" p; p=$(port)
    local m=$(port)
    # shellcheck disable=SC2086
    read -r t r code < <(measure "$want" "http://127.0.0.1:$p$path" java $opts -Dorg.osgi.service.http.port="$p" \
      -Dorg.apache.felix.http.host=127.0.0.1 -Dedgeshare.platform.uri=tcp://127.0.0.1:9 -Dedgeshare.mqtt.port="$m" \
      -Dedgeshare.broker.lib="$PF/lib/hivemq" -cp "$lib/*" io.edgeshare.launcher.Launcher --bundles "$bundles" \
      --instance "$inst" "$@")
    first_ms+=("$t")
    # second start of the same instance: framework cache already populated (a normal reboot)
    # shellcheck disable=SC2086
    read -r t r code < <(measure "$want" "http://127.0.0.1:$p$path" java $opts -Dorg.osgi.service.http.port="$p" \
      -Dorg.apache.felix.http.host=127.0.0.1 -Dedgeshare.platform.uri=tcp://127.0.0.1:9 -Dedgeshare.mqtt.port="$m" \
      -Dedgeshare.broker.lib="$PF/lib/hivemq" -cp "$lib/*" io.edgeshare.launcher.Launcher --bundles "$bundles" \
      --instance "$inst" "$@")
    ms+=("$t"); rss+=("$r")
  done
  printf '| %s | %s | %s | %s | %s |\n' "$label" \
    "$(printf '%s\n' "${first_ms[@]}" | median)" "$(printf '%s\n' "${ms[@]}" | median)" \
    "$(( $(printf '%s\n' "${rss[@]}" | median | cut -d. -f1) / 1024 ))" "$code"
}

echo "| runtime | first boot ms (empty cache) | boot ms (warm cache) | RSS MiB | first answer |"
echo "|---|---|---|---|---|"
run_set bare-felix any / "$WORK/bare-bundles" "$GW/lib" "$GATEWAY_OPTS" --profile "$WORK/profile"
run_set gateway 200 /api/status "$GW/bundles" "$GW/lib" "$GATEWAY_OPTS" --profile "$ROOT/gateway-config/home-gateway" \
  --enrol "device.id=gw-bench;profile=home-gateway"
run_set platform 401 /api/gateways "$PF/bundles" "$PF/lib" "$PLATFORM_OPTS" --profile "$ROOT/provisioning/platform/config"
echo
echo "JVM flags: gateway and bare: $GATEWAY_OPTS"
echo "           platform: $PLATFORM_OPTS"
echo "$(nproc) cores, $(java -version 2>&1 | head -1), $RUNS runs each, medians"

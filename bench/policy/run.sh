#!/usr/bin/env bash
# Policy apply latency on the shipped product: `./edgeshare platform` and two `./edgeshare gateway --profile
# home-gateway` (enrolled with the platform as an operator does, launcher flags) on loopback; measures how long
# a policy takes from the platform publishing it to each gateway reporting it applied (bench/policy/latency.py),
# and the RSS, GC and CPU of every process over the run, with the load average.
# BROKER=hivemq (default: the platform's embedded broker) or BROKER=mosquitto (Debian's Mosquitto 2 on the same
# port, the platform's embedded broker disabled, anonymous): the same run through the broker operators often pick.
#   [BROKER=mosquitto] bench/policy/run.sh [ROUNDS=200]
# (build first: mvn -B -pl provisioning/gateway,provisioning/platform -am package -DskipTests)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../lib/product.sh
source "$HERE/../lib/product.sh"
ROUNDS="${1:-200}"
es_init
PLATFORM_OPTS=()
if [ "${BROKER:-hivemq}" = mosquitto ]; then
  M=$(es_port)
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nset_tcp_nodelay true\n' "$M" >"$ES_WORK/m.conf"
  /usr/sbin/mosquitto -c "$ES_WORK/m.conf" >/dev/null 2>&1 & es_track $!
  mkdir -p "$ES_WORK/p/etc"
  printf 'enabled = false\nport = ${edgeshare.mqtt.port}\nlib.dir = ${edgeshare.broker.lib}\n' >"$ES_WORK/p/etc/edgeshare.platform.broker.cfg"
  printf 'broker.uri = tcp://127.0.0.1:%s\n' "$M" >"$ES_WORK/p/etc/edgeshare.platform.session.cfg"
fi
es_start_platform "$ES_WORK/p"
P_PID=$ES_PID; P=$ES_HTTP; [ "${BROKER:-hivemq}" = mosquitto ] || M=$ES_MQTT
echo "platform up in $ES_BOOT_MS ms; flags: $(es_jvm_flags "$P_PID")"
ENROL=()
if [ "${BROKER:-hivemq}" != mosquitto ]; then
  ENROL=(--enrol-at "http://127.0.0.1:$P" --operator-token-file "$ES_WORK/p/data/operator.token")
else
  KEY=$(curl -s "http://127.0.0.1:$P/api/policy-key" | python3 -c 'import json,sys; print(json.load(sys.stdin)["publicKey"])')
  ENROL=(--platform-key "$KEY")
fi
es_start_gateway home-gateway "$ES_WORK/g1" --id gw-bench-1 --platform "tcp://127.0.0.1:$M" "${ENROL[@]}"; G1_PID=$ES_PID
es_start_gateway home-gateway "$ES_WORK/g2" --id gw-bench-2 --platform "tcp://127.0.0.1:$M" "${ENROL[@]}"; G2_PID=$ES_PID
echo "gateway flags: $(es_jvm_flags "$G1_PID")"
export EDGESHARE_TOKEN="$ES_TOKEN"
for _ in $(seq 1 300); do
  [ "$(curl -s -H "Authorization: Bearer $EDGESHARE_TOKEN" "http://127.0.0.1:$P/api/gateways" | grep -o '"online":true' | wc -l)" -ge 2 ] && break
  sleep 0.2
done
ONLINE=$(curl -s -H "Authorization: Bearer $EDGESHARE_TOKEN" "http://127.0.0.1:$P/api/gateways" | grep -o '"online":true' | wc -l)
[ "$ONLINE" -ge 2 ] || { tail -5 "$ES_WORK/g1.log" >&2; es_die "only $ONLINE of 2 gateways online at the platform"; }
sleep 2
before() { for p in "$P_PID" "$G1_PID" "$G2_PID"; do es_sample "$p"; done; }
mapfile -t B < <(before)
LOAD0="$(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$HERE/latency.py" "http://127.0.0.1:$P" "$ROUNDS"
mapfile -t A < <(before)
names=(platform gw-bench-1 gw-bench-2)
echo "| process | RSS MiB at end | peak RSS MiB | GCs young/full during the run | GC s | CPU s during the run |"
echo "|---|---|---|---|---|---|"
for i in 0 1 2; do
  printf '| %s | %s | %s | %s/%s | %.2f | %.1f |\n' "${names[$i]}" "$(es_mib "$(es_field "${A[$i]}" rss)")" \
    "$(es_mib "$(es_field "${A[$i]}" hwm)")" \
    "$(( $(es_field "${A[$i]}" gc) - $(es_field "${B[$i]}" gc) ))" "$(( $(es_field "${A[$i]}" fgc) - $(es_field "${B[$i]}" fgc) ))" \
    "$(awk -v a="$(es_field "${A[$i]}" gc_s)" -v b="$(es_field "${B[$i]}" gc_s)" 'BEGIN{print a - b}')" \
    "$(awk -v a="$(es_field "${A[$i]}" cpu_s)" -v b="$(es_field "${B[$i]}" cpu_s)" 'BEGIN{print a - b}')"
done
echo "broker: ${BROKER:-hivemq}; load average at start: $LOAD0; at end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"

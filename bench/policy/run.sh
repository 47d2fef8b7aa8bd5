#!/usr/bin/env bash
# Starts a platform and two gateways from the built distributions on loopback, then measures how long a
# policy takes from the platform publishing it to each gateway reporting it applied (bench/policy/latency.py).
# BROKER=hivemq (default: the platform's embedded broker) or BROKER=mosquitto (Debian's Mosquitto 2 on the same
# port, the platform's embedded broker disabled): the same run through the broker operators often pick instead.
#   [BROKER=mosquitto] bench/policy/run.sh [ROUNDS=200]        (build first: ./edgeshare build)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ROUNDS="${1:-200}"
WORK="$(mktemp -d)"; PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
P=$(port); M=$(port); G1=$(port); G2=$(port)
if [ "${BROKER:-hivemq}" = mosquitto ]; then
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nset_tcp_nodelay true\n' "$M" > "$WORK/m.conf"
  /usr/sbin/mosquitto -c "$WORK/m.conf" >/dev/null 2>&1 & PIDS+=($!)
  mkdir -p "$WORK/p/etc"
  printf 'enabled = false\nport = ${edgeshare.mqtt.port}\nlib.dir = ${edgeshare.broker.lib}\n' > "$WORK/p/etc/edgeshare.platform.broker.cfg"
  printf 'broker.uri = tcp://127.0.0.1:%s\n' "$M" > "$WORK/p/etc/edgeshare.platform.session.cfg"
  PLATFORM_MQTT=$(port)   # the disabled embedded broker's port, unused
  sleep 0.3
fi
"$ROOT/edgeshare" platform --instance "$WORK/p" --http-port "$P" --mqtt-port "${PLATFORM_MQTT:-$M}" > "$WORK/p.log" 2>&1 & PIDS+=($!)
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$P/api/policy-key" >/dev/null 2>&1 && break; sleep 0.2; done
KEY=$(curl -s "http://127.0.0.1:$P/api/policy-key" | sed -n 's/.*"publicKey":"\([^"]*\)".*/\1/p')
"$ROOT/edgeshare" gateway --instance "$WORK/g1" --id gw-bench-1 --http-port "$G1" --platform "tcp://127.0.0.1:$M" --platform-key "$KEY" > "$WORK/g1.log" 2>&1 & PIDS+=($!)
"$ROOT/edgeshare" gateway --instance "$WORK/g2" --id gw-bench-2 --http-port "$G2" --platform "tcp://127.0.0.1:$M" --platform-key "$KEY" > "$WORK/g2.log" 2>&1 & PIDS+=($!)
export EDGESHARE_TOKEN=$(cat "$WORK/p/data/operator.token")   # the operator token the platform generated
for _ in $(seq 1 300); do [ "$(curl -s -H "Authorization: Bearer $EDGESHARE_TOKEN" "http://127.0.0.1:$P/api/gateways" | grep -o '"online":true' | wc -l)" -ge 2 ] && break; sleep 0.2; done
sleep 2
python3 "$ROOT/bench/policy/latency.py" "http://127.0.0.1:$P" "$ROUNDS"
echo "broker: ${BROKER:-hivemq}; load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

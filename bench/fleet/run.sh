#!/usr/bin/env bash
# Fleet simulator (issue 9): N simulated gateways (real MQTT 5 clients, HiveMQ's asynchronous client) against the
# SHIPPED platform started here with `./edgeshare platform` (its embedded broker and access extension, the
# launcher's own JVM flags) on free loopback ports. Each gateway is enrolled once with POST /api/devices; the
# platform instance and the credentials stay in the state directory so reruns only connect. Births at once, then
# CHURN seconds of 1%/s moves, catalog changes, outages and clean leaves with a report per gateway every 10 s (FLEET_REPORT_S).
# Records the platform's RSS, GC time and CPU time and the load average beside the simulator's figures.
# Build both distributions first (the launcher wants both): mvn -B -q -pl provisioning/platform -am package
# -DskipTests, and the same with provisioning/gateway.
#   bench/fleet/run.sh [gateways ≤ 20000] [churn-seconds ≤ 600]      (state: $FLEET_STATE or run/bench-fleet)
#   bench/fleet/run.sh N -1      only enrols (and caches) N gateways through POST /api/devices
#   FLEET_SEED=1 bench/fleet/run.sh N S    writes the missing enrolments into the registry first (RegistrySeed)
#   FLEET_REPORT_S=30 bench/fleet/run.sh N S    a report per gateway every 30 s (the home-gateway profile's
#   report.interval.s; the default 10 s is the mall-ap profile's)
#   FLEET_BROKER=mosquitto bench/fleet/run.sh N S    the fleet on Debian's Mosquitto instead of the embedded broker
#   (anonymous, loopback, no access control: a peer to compare with, not a deployment)
#   FLEET_JFR=SECONDS records the platform with JFR (jcmd); FLEET_CONNECT_S caps the connect phase (900 s)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-1000}
churn=${2:-60}
state=${FLEET_STATE:-run/bench-fleet}
# the launcher would otherwise build (and install) everything itself
for d in platform gateway; do
  ls provisioning/$d/target/$d/bundles/*.jar >/dev/null 2>&1 || { echo "build the $d distribution first:" \
    "mvn -B -q -pl provisioning/$d -am package -DskipTests" >&2; exit 1; }
done
mkdir -p "$state"
state=$(cd "$state" && pwd)

# the simulator: its own small Maven project, never part of the product's reactor or dist
mvn -B -q -f bench/fleet/pom.xml compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
cp="bench/fleet/target/classes:$(cat bench/fleet/target/classpath.txt)"

if [ "${FLEET_SEED:-0}" = 1 ]; then
  # the fast path (see RegistrySeed): enrolments written into the stopped platform's registry; the run still
  # measures POST /api/devices on a sample
  java -cp "$cp" io.edgeshare.bench.fleet.RegistrySeed "$state/platform/data/devices/devices.txt" \
    "$state/credentials.txt" "$n"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http=$(free_port)
mqtt=$(free_port)
instance="$state/platform"
# a fresh fleet database and broker store each run (the device registry, token and passwords stay)
rm -rf "$instance"/data/fleet.*.db "$instance/data/broker" 2>/dev/null || true
session_cfg="$instance/etc/edgeshare.platform.session.cfg"
sim_mqtt=$mqtt
mosq=""
if [ "${FLEET_BROKER:-embedded}" = mosquitto ]; then
  # Debian's Mosquitto 2 as the fleet's broker instead of the embedded one (which still starts, unused): the
  # platform's session and the simulated gateways connect to it. Loopback only, anonymous, NO access control,
  # in-memory queues without a cap for the platform's session: a benchmark peer, not a deployment (README and
  # docs/security.md show Mosquitto with dynamic security).
  sim_mqtt=$(free_port)
  cat >"$state/mosquitto.conf" <<CONF
listener $sim_mqtt 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 0
max_inflight_messages 1000
set_tcp_nodelay true
CONF
  /usr/sbin/mosquitto -c "$state/mosquitto.conf" >"$state/mosquitto.log" 2>&1 &
  mosq=$!
  mkdir -p "$instance/etc"
  # an operator's edit: the launcher keeps it (and seeds the rest of etc/ as usual)
  sed "s|^broker.uri = .*|broker.uri = tcp://127.0.0.1:$sim_mqtt|" provisioning/platform/config/edgeshare.platform.session.cfg \
    >"$session_cfg"
elif grep -q "^broker.uri = tcp://127.0.0.1:[0-9]" "$session_cfg" 2>/dev/null; then
  rm -f "$session_cfg" # a Mosquitto run's edit: the profile's own file is seeded again
fi
./edgeshare platform --instance "$instance" --http-port "$http" --mqtt-port "$mqtt" >"$state/platform.log" 2>&1 &
pid=$!
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
  if kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  [ -n "$mosq" ] && kill "$mosq" 2>/dev/null
  return 0
}
trap cleanup EXIT
token="$instance/data/operator.token"
for _ in $(seq 1 600); do # at most 300 s
  kill -0 "$pid" 2>/dev/null || { tail -20 "$state/platform.log"; echo "the platform died" >&2; exit 1; }
  # ready when the fleet service is connected to the embedded broker (it starts after the HTTP API)
  if [ -s "$token" ] && curl -s -H "Authorization: Bearer $(head -n1 "$token")" \
      "http://127.0.0.1:$http/api/gateways?limit=1" 2>/dev/null | grep -q '"connected":true'; then break; fi
  sleep 0.5
done
echo "platform ready after $SECONDS s"

gc_seconds() { jstat -gc "$pid" | awk 'NR==2 {print $NF}'; }
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{print ($14+$15)/hz}' "/proc/$pid/stat"; }
rss_mib() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status"; }
# the platform's peak RSS while the simulator runs, sampled every second
( peak=0; while kill -0 "$pid" 2>/dev/null; do r=$(rss_mib); [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" >"$state/rss.peak"; sleep 1; done ) &
sampler=$!

eval "$(grep '^PLATFORM_JAVA_OPTS_DEFAULT=' edgeshare)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "platform pid $pid (java ${EDGESHARE_JAVA_OPTS:-$PLATFORM_JAVA_OPTS_DEFAULT}), http $http, mqtt $mqtt," \
  "RSS $(rss_mib) MiB after start, GC $(gc_seconds) s, CPU $(cpu_seconds) s"
gc0=$(gc_seconds); cpu0=$(cpu_seconds); t0=$(date +%s)
if [ -n "${FLEET_JFR:-}" ]; then
  # a flight recording of the platform (jcmd on its pid: no extra JVM flags), FLEET_JFR seconds from now
  jcmd "$pid" JFR.start name=fleet duration="${FLEET_JFR}s" filename="$state/platform.jfr" settings=profile >/dev/null
  echo "JFR: recording the platform for ${FLEET_JFR} s into $state/platform.jfr"
fi
java -Xmx2g -Dfleet.connect.phase.s="${FLEET_CONNECT_S:-900}" -cp "$cp" io.edgeshare.bench.fleet.FleetSim "http://127.0.0.1:$http" "$sim_mqtt" "$token" "$state" "$n" "$churn" "${FLEET_REPORT_S:-10}" &
sim=$!
load_peak=0
sim_cpu=0
mosq_cpu=0
while kill -0 "$sim" 2>/dev/null; do
  l=$(cut -d' ' -f1 /proc/loadavg); load_peak=$(awk -v a="$l" -v b="$load_peak" 'BEGIN {print (a > b) ? a : b}')
  # the simulator's own CPU time (it shares the machine with the platform), last seen while it ran
  sim_cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14+$15)/hz}' "/proc/$sim/stat" 2>/dev/null || echo "$sim_cpu")
  [ -z "$mosq" ] || mosq_cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14+$15)/hz}' "/proc/$mosq/stat" 2>/dev/null || echo "$mosq_cpu")
  sleep 1
done
wait "$sim"
t1=$(date +%s)
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg) (1-min peak while running: $load_peak)"
echo "platform: peak RSS $(cat "$state/rss.peak" 2>/dev/null || echo ?) MiB, now $(rss_mib) MiB;" \
  "GC $(awk -v a="$(gc_seconds)" -v b="$gc0" 'BEGIN {printf "%.2f", a - b}') s and CPU" \
  "$(awk -v a="$(cpu_seconds)" -v b="$cpu0" 'BEGIN {printf "%.1f", a - b}') s in $((t1 - t0)) s of simulation"
echo "simulator: CPU $sim_cpu s (to its last second), on the same $(nproc) cores"
[ -z "$mosq" ] || echo "mosquitto: CPU $mosq_cpu s (since its start), peak RSS of the platform above excludes it"
echo "platform log ERROR lines: $(grep -c ERROR "$state/platform.log" || true)"

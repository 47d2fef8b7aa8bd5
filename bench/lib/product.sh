# Shared by the benchmarks (source it): run the SHIPPED product the way an operator does, and measure it.
#
#   source "$(dirname "$0")/../lib/product.sh"
#   es_start_gateway home-gateway "$WORK/gw"       # ./edgeshare gateway --profile ... on a free loopback port
#   echo "$ES_PID $ES_HTTP $ES_BOOT_MS"              # the java process (the launcher exec's it), its port
#   es_sample "$ES_PID"                              # rss=.. hwm=.. gc=.. gc_s=.. fgc=.. fgc_s=.. cpu_s=..
#   es_stop "$ES_PID"
#
# The JVM runs with the profile's jvm.options exactly as ./edgeshare starts it: this file adds no JVM flag
# (EDGESHARE_JAVA_OPTS is refused). GC figures come from `jstat -gc`, which attaches from outside.
# Every process started here is stopped by es_cleanup (installed as the EXIT trap by es_init).

ES_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ES_PIDS=()

es_die() { echo "bench: $*" >&2; exit 2; }

# es_init: checks the distributions are built, makes ES_WORK (deleted at exit) and installs the cleanup.
es_init() {
  [ -z "${EDGESHARE_JAVA_OPTS:-}" ] || es_die "EDGESHARE_JAVA_OPTS is set: benchmarks run the launcher's own flags"
  # both, or ./edgeshare would start a build of its own (mvn install) instead of the runtime
  ls "$ES_ROOT"/provisioning/gateway/target/gateway/bundles/*.jar >/dev/null 2>&1 \
    && ls "$ES_ROOT"/provisioning/platform/target/platform/bundles/*.jar >/dev/null 2>&1 \
    || es_die "build the distributions first: mvn -B -pl provisioning/gateway,provisioning/platform -am package -DskipTests"
  command -v jstat >/dev/null || es_die "jstat (JDK) is needed for the GC figures"
  ES_WORK="$(mktemp -d)"
  trap es_cleanup EXIT
  trap 'exit 130' INT TERM
}

es_cleanup() {
  local p
  for p in "${ES_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${ES_PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  [ -z "${ES_WORK:-}" ] || rm -rf "$ES_WORK"
}

# es_track PID: stop PID at exit too (peers: nginx, mosquitto, curl load ...).
es_track() { ES_PIDS+=("$1"); }

es_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
es_now_ms() { date +%s%3N; }
# es_load: the 1-, 5- and 15-minute load averages and the core count, as one phrase.
es_load() { echo "load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"; }

# es_wait_health URL PID SECONDS [ALLOWED]: until /health answers 200, or 503 where every failing part is named
# in ALLOWED (space separated, e.g. "uplink:broker" for a gateway run without a platform). 1 on timeout/death.
es_wait_health() {
  local url="$1" pid="$2" deadline=$((SECONDS + $3)) allowed="${4:-}" body
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$pid" 2>/dev/null || return 1
    body=$(curl -s --max-time 2 "$url" 2>/dev/null || true)
    if [ -n "$body" ] && ALLOWED="$allowed" python3 -c '
import json, os, sys
h = json.loads(sys.stdin.read())
ok = set(os.environ["ALLOWED"].split())
sys.exit(0 if h.get("status") == "ready" or all(p["name"] in ok for p in h.get("failing", [])) else 1)' <<<"$body" 2>/dev/null
    then return 0; fi
    sleep 0.05
  done
  return 1
}

# es_start_gateway PROFILE INSTANCE [launcher options...]: starts `./edgeshare gateway --profile PROFILE` on a
# free port with no platform unless --platform is given; waits for /health with every part up but the uplink
# (down when no platform runs). Sets ES_PID, ES_HTTP, ES_LOG, ES_BOOT_MS (launch to health) and ES_BOOT_CPU (CPU
# seconds, user + system, the java process had used when health answered: robust under load).
es_start_gateway() {
  local profile="$1" instance="$2"; shift 2
  local platform=() t0
  case " $* " in *" --platform "*) ;; *) platform=(--platform "tcp://127.0.0.1:$(es_port)");; esac
  ES_HTTP=$(es_port); ES_LOG="$instance.log"
  mkdir -p "$instance"
  t0=$(es_now_ms)
  "$ES_ROOT/edgeshare" gateway --profile "$profile" --instance "$instance" --http-port "$ES_HTTP" \
    "${platform[@]}" "$@" >"$ES_LOG" 2>&1 &
  ES_PID=$!; es_track "$ES_PID"
  es_wait_health "http://127.0.0.1:$ES_HTTP/health" "$ES_PID" 120 "uplink:broker" \
    || { tail -20 "$ES_LOG" >&2; es_die "gateway ($profile) did not become healthy"; }
  ES_BOOT_MS=$(( $(es_now_ms) - t0 ))
  ES_BOOT_CPU=$(es_cpu "$ES_PID")
}

# es_start_platform INSTANCE [launcher options...]: `./edgeshare platform` on free HTTP and MQTT ports; waits
# for /health. Sets ES_PID, ES_HTTP, ES_MQTT, ES_LOG, ES_BOOT_MS, ES_BOOT_CPU and ES_TOKEN (the operator token).
es_start_platform() {
  local instance="$1"; shift
  local t0
  ES_HTTP=$(es_port); ES_MQTT=$(es_port); ES_LOG="$instance.log"
  mkdir -p "$instance"
  t0=$(es_now_ms)
  "$ES_ROOT/edgeshare" platform --instance "$instance" --http-port "$ES_HTTP" --mqtt-port "$ES_MQTT" "$@" \
    >"$ES_LOG" 2>&1 &
  ES_PID=$!; es_track "$ES_PID"
  es_wait_health "http://127.0.0.1:$ES_HTTP/health" "$ES_PID" 180 "${ES_PLATFORM_UNREADY_OK:-}" \
    || { tail -20 "$ES_LOG" >&2; es_die "platform did not become healthy"; }
  ES_BOOT_MS=$(( $(es_now_ms) - t0 ))
  ES_BOOT_CPU=$(es_cpu "$ES_PID")
  ES_TOKEN=$(cat "$instance/data/operator.token")
}

# es_jvm_flags PID: the JVM flags the process really runs with (from its command line, up to -cp).
es_jvm_flags() {
  tr '\0' '\n' <"/proc/$1/cmdline" | awk 'NR > 1 && /^-cp$/ {exit} NR > 1 && !/^-D/ {printf "%s ", $0}'
}

# es_sample PID: one line of key=value: rss and hwm (peak RSS) in KiB from /proc, young and full GC counts and
# seconds, heap used/committed and old generation used (KiB) from jstat, CPU seconds (user+system) so far.
es_sample() {
  local pid="$1" rss hwm gc cpu
  rss=$(awk '/^VmRSS/{print $2}' "/proc/$pid/status")
  hwm=$(awk '/^VmHWM/{print $2}' "/proc/$pid/status")
  gc=$(jstat -gc "$pid" 2>/dev/null | awk 'NR==1{for(i=1;i<=NF;i++)c[$i]=i} NR==2{printf "gc=%s gc_s=%s fgc=%s fgc_s=%s heap_used=%.0f heap_committed=%.0f old_used=%.0f", $c["YGC"], $c["YGCT"]+$c["FGCT"], $c["FGC"], $c["FGCT"], $c["S0U"]+$c["S1U"]+$c["EU"]+$c["OU"], $c["S0C"]+$c["S1C"]+$c["EC"]+$c["OC"], $c["OU"]}')
  cpu=$(es_cpu "$pid")
  echo "rss=$rss hwm=$hwm ${gc:-gc=? gc_s=? fgc=? fgc_s=?} cpu_s=$cpu"
}

# es_cpu PID: CPU seconds (user + system) the process has used so far.
es_cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }

# es_field LINE KEY: one value out of an es_sample line.
es_field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

# es_mib KIB: KiB to MiB with one decimal.
es_mib() { awk -v k="$1" 'BEGIN{printf "%.1f", k / 1024}'; }

# es_stop PID: TERM, wait up to 20 s, then KILL.
es_stop() {
  local pid="$1"
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

#!/usr/bin/env bash
# Content serving, the SHIPPED gateway vs nginx, side by side on loopback (issues 3 and 12). One command:
#   mvn -B -q -pl provisioning/gateway -am package -DskipTests     # the distribution ./edgeshare runs
#   mvn -B -q -pl provisioning/platform -am package -DskipTests    # (./edgeshare wants both present)
#   bench/cache/bench.sh
# The gateway is `./edgeshare gateway --profile $PROFILE` (default home-gateway) with the launcher's own JVM flags
# (the profile's jvm.options) and the profile's configuration, nothing added. Needs nginx, wrk, curl, python3,
# jstat. Bounded: every wrk run has -d, every curl --max-time; ~4 minutes in all.
# Env: DURATION (wrk -d, default 10s), ROUNDS (default 3; the median ratio is reported), PROFILE, WORK (scratch),
# MEASURES: which runs, of "64k 100m range100" (the default, all three).
# JFR=FILE: a 20 s JDK Flight Recorder profile of the gateway (jcmd, from outside: no JVM flag added) taken during
# the first 64 KiB run, written to FILE (read it with `jfr print --events jdk.ExecutionSample FILE`).
# ROUTE=whiteboard: the same distribution and launcher copied to WORK without io.edgeshare.http.fastpath, i.e. the
# servlet whiteboard serves /content/* (to measure what the fast route wins).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
DURATION="${DURATION:-10s}"
ROUNDS="${ROUNDS:-3}"
PROFILE="${PROFILE:-home-gateway}"
ROUTE="${ROUTE:-fast}"
MEASURES="${MEASURES:-64k 100m range100}"
WORK="${WORK:-$(mktemp -d /tmp/edgeshare-cache-bench.XXXXXX)}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
GW_PORT="${GW_PORT:-$(free_port)}"; NGX_PORT="${NGX_PORT:-$(free_port)}"; NO_BROKER_PORT="${NO_BROKER_PORT:-$(free_port)}"
for tool in nginx wrk curl python3 java jstat; do command -v "$tool" >/dev/null || { echo "need $tool" >&2; exit 1; }; done
# ./edgeshare builds (mvn install) when either distribution is missing: never let it do that here
for dist in gateway platform; do
  ls "$root/provisioning/$dist/target/$dist/bundles/"*.jar >/dev/null 2>&1 \
    || { echo "build the distributions first: mvn -B -q -pl provisioning/$dist -am package -DskipTests" >&2; exit 1; }
done

mkdir -p "$WORK/www" "$WORK/ngx/logs"
chmod 755 "$WORK" "$WORK/www"  # nginx workers run unprivileged
echo "scratch: $WORK"
head -c 65536 /dev/urandom > "$WORK/www/f64k.bin"
case " $MEASURES " in *" 100m "*) head -c 104857600 /dev/urandom > "$WORK/www/f100m.bin";; esac

cat > "$WORK/ngx/nginx.conf" <<NGX
worker_processes auto;
pid $WORK/ngx/nginx.pid;
error_log $WORK/ngx/logs/error.log warn;
events { worker_connections 4096; }
http {
  sendfile on; tcp_nopush on; keepalive_requests 1000000; access_log off;
  default_type application/octet-stream;
  server { listen 127.0.0.1:$NGX_PORT; root $WORK/www; }
}
NGX

launcher="$root/edgeshare"
if [ "$ROUTE" = whiteboard ]; then
  copy="$WORK/dist"
  mkdir -p "$copy/provisioning/gateway/target"
  cp "$root/edgeshare" "$copy/"; cp -r "$root/gateway-config" "$copy/"
  cp -r "$root/provisioning/gateway/target/gateway" "$copy/provisioning/gateway/target/"
  mkdir -p "$copy/provisioning/platform/target/platform/bundles"   # only so the copied launcher does not build
  cp "$root"/provisioning/platform/target/platform/bundles/*.jar "$copy/provisioning/platform/target/platform/bundles/"
  rm -f "$copy"/provisioning/gateway/target/gateway/bundles/io.edgeshare.http.fastpath*.jar
  launcher="$copy/edgeshare"
fi

gw_pid=""
cleanup() {
  [ -n "$gw_pid" ] && kill "$gw_pid" 2>/dev/null && wait "$gw_pid" 2>/dev/null || true
  [ -f "$WORK/ngx/nginx.pid" ] && kill "$(cat "$WORK/ngx/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT
nginx -p "$WORK/ngx" -c "$WORK/ngx/nginx.conf"

# no broker at NO_BROKER_PORT: the uplink retries in the background, as a gateway whose platform is away
"$launcher" gateway --profile "$PROFILE" --instance "$WORK/gw" --http-port "$GW_PORT" \
  --platform "tcp://127.0.0.1:$NO_BROKER_PORT" > "$WORK/gateway.log" 2>&1 &
gw_pid=$!   # the launcher execs java: this is the JVM
gw="http://127.0.0.1:$GW_PORT"
for _ in $(seq 1 120); do curl -sf --max-time 2 "$gw/api/catalog" >/dev/null && break; sleep 0.5; done
curl -sf --max-time 2 "$gw/api/catalog" >/dev/null || { echo "gateway did not start; see $WORK/gateway.log" >&2; exit 1; }
echo "gateway pid $gw_pid: $(tr '\0' ' ' < "/proc/$gw_pid/cmdline" | cut -c1-300)"

import() { curl -sf --max-time 120 -X POST --data-binary "@$WORK/www/$1" "$gw/api/cache/import?title=$1" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
id64=$(import f64k.bin); id100=""
case " $MEASURES " in *" 100m "*) id100=$(import f100m.bin);; esac
rss() { echo $(( $(ps -o rss= -p "$gw_pid") / 1024 )); }          # MiB
gct() { jstat -gcutil "$gw_pid" | awk 'NR==2 {print $NF}'; }       # total GC seconds so far
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.3f", ($14 + $15) / hz}' "/proc/$1/stat"; }  # CPU s so far
sys() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.3f", $15 / hz}' "/proc/$1/stat"; }           # of which kernel
ngx_cpu() { # nginx master + workers, CPU seconds so far
  local m; m=$(cat "$WORK/ngx/nginx.pid")
  for p in $m $(pgrep -P "$m"); do cpu "$p"; echo; done | awk '{t += $1} END {printf "%.3f", t}'
}
fast() { curl -s --max-time 5 "$gw/api/cache/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["metrics"].get("requests.fast", 0))'; }

# wrk output -> "req_per_s MB_per_s non2xx" (MB = 10^6 bytes)
run_wrk() { # url [extra wrk args]
  wrk -t2 -c32 -d"$DURATION" --timeout 30s "$@" | python3 -c '
import re, sys
t = sys.stdin.read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
v, u = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", t).groups()
mult = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[u]
errs = re.search(r"Non-2xx or 3xx responses: (\d+)", t)  # 206 counts as 2xx
print(f"{rps:.1f} {float(v) * mult / 1e6:.1f} {errs.group(1) if errs else 0}")'
}
results="$WORK/results.md"
: > "$results"
rss_idle=$(rss); gc0=$(gct); fast0=$(fast)
echo "| file | server | requests/s | MB/s | non-2xx | CPU µs per request | gateway RSS before → after (MiB) | gateway GC s | load avg (1 min) |" >> "$results"
echo "|---|---|---|---|---|---|---|---|---|" >> "$results"
: > "$WORK/ratios.txt"
measure() { # key label gateway-url nginx-url [wrk args]
  local key="$1" label="$2" gurl="$3" nurl="$4"; shift 4
  wrk -t2 -c32 -d2s --timeout 30s "$@" "$gurl" >/dev/null   # short warm-up of both (JIT, page cache)
  wrk -t2 -c32 -d2s --timeout 30s "$@" "$nurl" >/dev/null
  local r0 g0 r1 g1 c0 c1 k0 k1 n0 n1 grps gmbs gerr nrps nmbs nerr load
  if [ -n "${JFR:-}" ] && [ "$key" = 64k ] && [ ! -e "$JFR" ]; then
    jcmd "$gw_pid" JFR.start name=bench settings=profile duration=20s filename="$JFR" >/dev/null
  fi
  r0=$(rss); g0=$(gct); c0=$(cpu "$gw_pid"); k0=$(sys "$gw_pid")
  read -r grps gmbs gerr < <(run_wrk "$gurl" "$@")
  r1=$(rss); g1=$(gct); c1=$(cpu "$gw_pid"); k1=$(sys "$gw_pid")
  load=$(cut -d' ' -f1 /proc/loadavg)
  n0=$(ngx_cpu)
  read -r nrps nmbs nerr < <(run_wrk "$nurl" "$@")
  n1=$(ngx_cpu)
  local dur=${DURATION%s}
  echo "| $label | gateway | $grps | $gmbs | $gerr | $(python3 -c "print('%.0f (kernel %.0f)' % (($c1 - $c0) * 1e6 / ($grps * $dur), ($k1 - $k0) * 1e6 / ($grps * $dur)))") | $r0 → $r1 | $(python3 -c "print('%.2f' % ($g1 - $g0))") | $load |" >> "$results"
  echo "| $label | nginx | $nrps | $nmbs | $nerr | $(python3 -c "print('%.0f' % (($n1 - $n0) * 1e6 / ($nrps * $dur)))") | | | $(cut -d' ' -f1 /proc/loadavg) |" >> "$results"
  python3 -c "print('| $label | **gateway/nginx** | **%.2f** | **%.2f** | | | | | |' % ($grps/$nrps, $gmbs/$nmbs))" >> "$results"
  python3 -c "print('$key %.4f %.4f' % ($grps/$nrps, $gmbs/$nmbs))" >> "$WORK/ratios.txt"
}
for round in $(seq 1 "$ROUNDS"); do
  for m in $MEASURES; do
    case "$m" in
      64k) measure 64k 64k "$gw/content/$id64" "http://127.0.0.1:$NGX_PORT/f64k.bin";;
      100m) measure 100m 100m "$gw/content/$id100" "http://127.0.0.1:$NGX_PORT/f100m.bin";;
      # per-request overhead without the payload: the first 100 bytes of the 64 KiB item
      range100) measure range100 "64k, Range: bytes=0-99" "$gw/content/$id64" "http://127.0.0.1:$NGX_PORT/f64k.bin" \
        -H "Range: bytes=0-99";;
      *) echo "unknown measure $m" >&2; exit 1;;
    esac
  done
done
rss_end=$(rss); gc1=$(gct); fast1=$(fast)

python3 - "$WORK/ratios.txt" >> "$results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
print()
print("Median gateway/nginx ratio over %d round(s) (min-max):" % max(1, sum(1 for r in rows if r[0] == "64k")))
print()
print("| measure | requests/s | MB/s |")
print("|---|---|---|")
for key, label in (("64k", "64 KiB file"), ("100m", "100 MiB file"), ("range100", "64 KiB file, first 100 bytes only")):
    rq = [float(r[1]) for r in rows if r[0] == key]; mb = [float(r[2]) for r in rows if r[0] == key]
    if rq:
        print("| %s | %.2f (%.2f-%.2f) | %.2f (%.2f-%.2f) |" % (label, statistics.median(rq), min(rq), max(rq),
              statistics.median(mb), min(mb), max(mb)))
PY
{
  echo
  echo "Gateway: \`./edgeshare gateway --profile $PROFILE\` (route: $ROUTE), JVM flags: $(tr '\0' ' ' < "/proc/$gw_pid/cmdline" | grep -o -- '-X[^ ]*\|-Xs[^ ]*' | tr '\n' ' ')"
  echo "RSS idle after import $rss_idle MiB, after all runs $rss_end MiB; GC time during the runs $(python3 -c "print('%.2f' % ($gc1 - $gc0))") s (jstat GCT);"
  echo "requests answered by the fast route: $((fast1 - fast0)) (cache metric requests.fast)."
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, wrk -t2 -c32 -d$DURATION --timeout 30s, loopback, nginx $(nginx -v 2>&1 | sed 's/.*\///')."
} >> "$results"
cat "$results"

#!/usr/bin/env bash
# Content serving, gateway vs nginx, on loopback (issue 3). One command:
#   bench/cache/bench.sh            (after: mvn -B -f bundles/cache/pom.xml install, api built)
# Needs nginx, wrk, curl, python3. Bounded: every wrk run has -d, every curl --max-time; ~5 minutes in all.
# Env: DURATION (wrk -d, default 10s), ROUNDS (default 3; the median ratio is reported), ORIGIN_RATE (nginx limit_rate of the
# simulated internet origin, default 25m), WORK (scratch dir).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
DURATION="${DURATION:-10s}"
ROUNDS="${ROUNDS:-3}"
ORIGIN_RATE="${ORIGIN_RATE:-25m}"
WORK="${WORK:-$(mktemp -d /tmp/edgeshare-cache-bench.XXXXXX)}"
GW_PORT="${GW_PORT:-18480}"; NGX_PORT="${NGX_PORT:-18481}"; ORIGIN_PORT="${ORIGIN_PORT:-18482}"
for tool in nginx wrk curl python3 java; do command -v "$tool" >/dev/null || { echo "need $tool" >&2; exit 1; }; done

mkdir -p "$WORK/www" "$WORK/origin" "$WORK/ngx/logs"
chmod 755 "$WORK" "$WORK/www" "$WORK/origin"  # nginx workers run unprivileged
echo "scratch: $WORK"
head -c 65536 /dev/urandom > "$WORK/www/f64k.bin"
head -c 104857600 /dev/urandom > "$WORK/www/f100m.bin"

cat > "$WORK/ngx/nginx.conf" <<NGX
worker_processes auto;
pid $WORK/ngx/nginx.pid;
error_log $WORK/ngx/logs/error.log warn;
events { worker_connections 4096; }
http {
  sendfile on; tcp_nopush on; keepalive_requests 1000000; access_log off;
  default_type application/octet-stream;
  server { listen 127.0.0.1:$NGX_PORT; root $WORK/www; }
  # the simulated internet origin for the cold-fetch test: rate-limited, logs every request
  server { listen 127.0.0.1:$ORIGIN_PORT; root $WORK/origin; limit_rate $ORIGIN_RATE;
           access_log $WORK/ngx/logs/origin.log; }
}
NGX

gw_pid=""
cleanup() {
  [ -n "$gw_pid" ] && kill "$gw_pid" 2>/dev/null && wait "$gw_pid" 2>/dev/null || true
  [ -f "$WORK/ngx/nginx.pid" ] && kill "$(cat "$WORK/ngx/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT
nginx -p "$WORK/ngx" -c "$WORK/ngx/nginx.conf"

GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:-}" "$here/gateway.sh" "$WORK/gw" "$GW_PORT" \
  "origin.allowed.prefixes=http://127.0.0.1:$ORIGIN_PORT/" "quota.bytes=4294967296" > "$WORK/gateway.log" 2>&1 &
gw_pid=$!
gw="http://127.0.0.1:$GW_PORT"
for _ in $(seq 1 120); do curl -sf --max-time 2 "$gw/api/catalog" >/dev/null && break; sleep 0.5; done
curl -sf --max-time 2 "$gw/api/catalog" >/dev/null || { echo "gateway did not start; see $WORK/gateway.log" >&2; exit 1; }

import() { curl -sf --max-time 120 -X POST --data-binary "@$WORK/www/$1" "$gw/api/cache/import?title=$1" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
id64=$(import f64k.bin); id100=$(import f100m.bin)

# wrk output -> "req_per_s MB_per_s" (MB = 10^6 bytes)
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
echo "| file | server | requests/s | MB/s | non-2xx | load avg (1 min) |" >> "$results"
echo "|---|---|---|---|---|---|" >> "$results"
: > "$WORK/ratios.txt"
declare -A sum
for round in $(seq 1 "$ROUNDS"); do
  for f in 64k 100m; do
    id=$([ "$f" = 64k ] && echo "$id64" || echo "$id100")
    # short warm-up of both (JIT, page cache), then the measured runs back to back
    wrk -t2 -c32 -d2s --timeout 30s "$gw/content/$id" >/dev/null
    wrk -t2 -c32 -d2s --timeout 30s "http://127.0.0.1:$NGX_PORT/f$f.bin" >/dev/null
    read -r grps gmbs gerr < <(run_wrk "$gw/content/$id")
    read -r nrps nmbs nerr < <(run_wrk "http://127.0.0.1:$NGX_PORT/f$f.bin")
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo "| $f | gateway | $grps | $gmbs | $gerr | $load |" >> "$results"
    echo "| $f | nginx | $nrps | $nmbs | $nerr | |" >> "$results"
    python3 -c "print('| $f | **gateway/nginx** | **%.2f** | **%.2f** | | |' % ($grps/$nrps, $gmbs/$nmbs))" >> "$results"
    python3 -c "print('$f %.4f %.4f' % ($grps/$nrps, $gmbs/$nmbs))" >> "$WORK/ratios.txt"
  done
  # per-request overhead without the payload: the first 100 bytes of the 64 KiB item
  read -r grps gmbs gerr < <(run_wrk "$gw/content/$id64" -H "Range: bytes=0-99")
  read -r nrps nmbs nerr < <(run_wrk "http://127.0.0.1:$NGX_PORT/f64k.bin" -H "Range: bytes=0-99")
  load=$(cut -d' ' -f1 /proc/loadavg)
  echo "| 64k, Range: bytes=0-99 | gateway | $grps | $gmbs | $gerr | $load |" >> "$results"
  echo "| 64k, Range: bytes=0-99 | nginx | $nrps | $nmbs | $nerr | |" >> "$results"
  python3 -c "print('| 64k, Range: bytes=0-99 | **gateway/nginx** | **%.2f** | | | |' % ($grps/$nrps))" >> "$results"
  python3 -c "print('range100 %.4f 0' % ($grps/$nrps))" >> "$WORK/ratios.txt"
done

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
        mbs = "" if key == "range100" else "%.2f (%.2f-%.2f)" % (statistics.median(mb), min(mb), max(mb))
        print("| %s | %.2f (%.2f-%.2f) | %s |" % (label, statistics.median(rq), min(rq), max(rq), mbs))
PY

# 32 concurrent cold requests for one item fetched through the gateway from the rate-limited origin.
# Clients 1-4 keep their copy and compare it byte for byte; all 32 report size and timings (writing 32 copies
# to disk would measure the disk, not the gateway).
cold_test() { # name label
  local name="$1" label="$2"
  head -c 67108864 /dev/urandom > "$WORK/origin/$name"
  local origin_url="http://127.0.0.1:$ORIGIN_PORT/$name"
  local direct before after ok enc
  direct=$(curl -s --max-time 120 -o /dev/null -w '%{time_starttransfer} %{time_total}' "$origin_url")
  before=$(grep -c "GET /$name" "$WORK/ngx/logs/origin.log" || true)
  enc=$(python3 -c "import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1], safe=''))" "$origin_url")
  rm -rf "$WORK/cold"; mkdir -p "$WORK/cold"
  # one curl process running 32 transfers at once (32 processes would measure process start-up on 2 cores)
  local args=()
  for i in $(seq 1 32); do
    local dest=/dev/null; [ "$i" -le 4 ] && dest="$WORK/cold/$i.bin"
    args+=(-o "$dest" "$gw/content/fetch?url=$enc")
  done
  curl -s -Z --parallel-immediate --parallel-max 32 --max-time 300 \
    -w '%{http_code} %{time_starttransfer} %{time_total} %{size_download}\n' "${args[@]}" > "$WORK/cold/all.txt"
  after=$(grep -c "GET /$name" "$WORK/ngx/logs/origin.log" || true)
  ok=0; for i in 1 2 3 4; do cmp -s "$WORK/cold/$i.bin" "$WORK/origin/$name" && ok=$((ok+1)); done
  curl -s --max-time 5 "$gw/api/cache/status" > "$WORK/cold/status.json"
  cat "$WORK/cold/all.txt" | LABEL="$label" RATE="$ORIGIN_RATE" DIRECT="$direct" ORIGIN_REQS=$((after - before)) \
    OK="$ok" STATUS="$WORK/cold/status.json" python3 -c '
import json, os, statistics, sys
rows = [l.split() for l in sys.stdin if l.strip()]
ttfb = sorted(float(r[1]) for r in rows); total = sorted(float(r[2]) for r in rows)
codes = sorted(set(r[0] for r in rows)); full = sum(1 for r in rows if int(r[3]) == 67108864)
d_ttfb, d_total = map(float, os.environ["DIRECT"].split())
m = json.load(open(os.environ["STATUS"]))["metrics"]
print()
print("Cold fetch (%s): 32 concurrent clients, one 64 MiB item, origin = nginx limit_rate %s" % (os.environ["LABEL"], os.environ["RATE"]))
print()
print("| measure | value |")
print("|---|---|")
print("| origin requests for the item during the test (nginx access log) | %s |" % os.environ["ORIGIN_REQS"])
print("| gateway origin.fetches so far (telemetry) | %s |" % m["origin.fetches"])
print("| clients with all 67108864 bytes; byte-identical of the 4 compared | %d of 32; %s of 4 (HTTP %s) |" % (full, os.environ["OK"], ",".join(codes)))
print("| origin direct: time to first byte / total | %.1f ms / %.2f s |" % (d_ttfb * 1000, d_total))
print("| via gateway, TTFB min / median / max | %.1f / %.1f / %.1f ms |" % (ttfb[0] * 1000, statistics.median(ttfb) * 1000, ttfb[-1] * 1000))
print("| via gateway, total min / median / max | %.2f / %.2f / %.2f s |" % (total[0], statistics.median(total), total[-1]))
' >> "$results"
}
cold_test cold1.bin "first origin fetch of this JVM"
cold_test cold2.bin "second item, warm JVM"
echo >> "$results"
echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, wrk -t2 -c32 -d$DURATION --timeout 30s, loopback." >> "$results"
cat "$results"

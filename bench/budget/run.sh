#!/usr/bin/env bash
# Does a profile hold its memory budget at its caps? Starts the SHIPPED gateway with the profile's own JVM flags
# (./edgeshare gateway --profile PROFILE), reads the caps from the etc/ it seeded, then at once:
#   - max.concurrent.downloads slow downloads of a large item (curl --limit-rate, so they stay open),
#   - max.listeners listeners on the channel `main` (curl, reading the 128 kbit/s stream),
#   - join requests until the channel's remembered-request cap (1,000) is passed,
# and EXTRA more downloads and listeners past the caps: those must get 503 with Retry-After. It holds the load
# for HOLD seconds, sampling RSS, peak RSS (VmHWM), GC counts/time (jstat) and CPU, and checks the process stays
# alive, under BUDGET MiB of RSS, with no full-GC storm. Prints the load average while it ran.
#
#   bench/budget/run.sh [PROFILE=home-gateway] [BUDGET_MIB=128] [HOLD_S=60] [EXTRA=8]
# (build first: mvn -B -pl provisioning/gateway -am package -DskipTests; needs curl, ffmpeg, python3, jstat)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../lib/product.sh
source "$HERE/../lib/product.sh"
PROFILE="${1:-home-gateway}"; BUDGET="${2:-128}"; HOLD="${3:-60}"; EXTRA="${4:-8}"
es_init
GW="$ES_WORK/gw"
mkdir -p "$GW/data/music"
# something to play: one minute of tone, 128 kbit/s MP3, as a user's music would be
ffmpeg -nostdin -v error -y -f lavfi -i "sine=frequency=440" -t 60 -ac 2 -ar 44100 -c:a libmp3lame -b:a 128k \
  "$GW/data/music/tone.mp3"

echo "== $PROFILE: start ($(es_load))"
es_start_gateway "$PROFILE" "$GW" --id gw-budget
PID=$ES_PID; URL="http://127.0.0.1:$ES_HTTP"
echo "boot to /health: $ES_BOOT_MS ms; JVM flags: $(es_jvm_flags "$PID")"
sleep 5
IDLE=$(es_sample "$PID")
echo "idle: $IDLE"

cfg() { sed -n "s/^$2 *= *//p" "$GW/etc/$1" | head -1; }
DOWNLOADS=$(cfg edgeshare.cache.cfg max.concurrent.downloads)
LISTENERS=$(cfg edgeshare.audio.channel-main.cfg max.listeners)
MODE=$(cfg edgeshare.audio.channel-main.cfg admission.mode)
[ -n "$DOWNLOADS" ] && [ -n "$LISTENERS" ] || es_die "$PROFILE sets no max.concurrent.downloads or max.listeners"
[ "$MODE" = capped ] || es_die "$PROFILE's channel is '$MODE': only a capped channel bounds its listeners"
echo "caps: $DOWNLOADS downloads, $LISTENERS listeners, join requests 1000 remembered per channel (audio bundle)"

# a 64 MiB item, imported as an operator would
head -c $((64 * 1024 * 1024)) /dev/urandom >"$ES_WORK/big.bin"
ID=$(curl -sf -X POST --data-binary "@$ES_WORK/big.bin" "$URL/api/cache/import?title=big.bin&category=video" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
rm -f "$ES_WORK/big.bin"

status() { curl -s "$URL/api/status" | python3 -c '
import json, sys
def walk(o, p=""):
    if isinstance(o, dict):
        for k, v in o.items(): yield from walk(v, p + k + ".")
    else: yield p[:-1], o
d = dict(walk(json.load(sys.stdin)))
print(" ".join(str(d.get(k, "?")) for k in sys.argv[1:]))' "$@"; }

T0=$(es_now_ms); LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
START=$(es_sample "$PID")
for _ in $(seq 1 "$DOWNLOADS"); do
  curl -s -o /dev/null --limit-rate 128k -w '%{http_code} %{size_download} %{time_total} exit=%{exitcode}\n' \
    "$URL/content/$ID" >>"$ES_WORK/downloads.txt" & es_track $!
done
for _ in $(seq 1 "$LISTENERS"); do
  curl -s -N -o /dev/null "$URL/audio/main" & es_track $!
done
for _ in $(seq 1 200); do
  read -r act lis < <(status sources.cache.metrics.downloads.active sources.audio.metrics.listeners 2>/dev/null || echo "? ?")
  [ "$act" = "$DOWNLOADS" ] && [ "$lis" = "$LISTENERS" ] && break
  sleep 0.1
done
echo "held: $act downloads active, $lis listeners (after $(( $(es_now_ms) - T0 )) ms)"
HELD_DL=$act; HELD_LI=$lis
PAST_DL=$(python3 "$HERE/probe.py" GET "$URL/content/$ID" "$EXTRA")
PAST_LI=$(python3 "$HERE/probe.py" GET "$URL/audio/main" "$EXTRA")
PAST_JOIN=$(python3 "$HERE/probe.py" POST "$URL/api/audio/main/join" 1010 '{"name":"bench"}')
echo "past the download cap: $PAST_DL"
echo "past the listener cap: $PAST_LI"
echo "1,010 join requests:   $PAST_JOIN"

PEAK=0; SAMPLES=()
END=$((SECONDS + HOLD))
while [ $SECONDS -lt $END ]; do
  kill -0 "$PID" 2>/dev/null || es_die "the gateway died under load: $(tail -5 "$ES_LOG")"
  s=$(es_sample "$PID"); SAMPLES+=("$s")
  echo "  +$(( ($(es_now_ms) - T0) / 1000 )) s: $(status sources.cache.metrics.downloads.active sources.audio.metrics.listeners | awk '{print $1 " downloads, " $2 " listeners"}'); $s"
  r=$(es_field "$s" rss); [ "$r" -gt "$PEAK" ] && PEAK=$r
  sleep 2
done
read -r act lis < <(status sources.cache.metrics.downloads.active sources.audio.metrics.listeners)
LAST=$(es_sample "$PID")
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
echo "still held after ${HOLD} s: $act downloads, $lis listeners; $(es_load)"
echo "at load: $LAST"

HWM=$(es_field "$LAST" hwm)
FGC=$(( $(es_field "$LAST" fgc) - $(es_field "$START" fgc) ))
GC=$(( $(es_field "$LAST" gc) - $(es_field "$START" gc) ))
GCS=$(awk -v a="$(es_field "$LAST" gc_s)" -v b="$(es_field "$START" gc_s)" 'BEGIN{printf "%.2f", a - b}')
CPU=$(awk -v a="$(es_field "$LAST" cpu_s)" -v b="$(es_field "$START" cpu_s)" -v t="$(( $(es_now_ms) - T0 ))" \
  'BEGIN{printf "%.1f", 100 * (a - b) / (t / 1000)}')
verdict() { if [ "$1" = 1 ]; then echo "PASS $2"; else echo "FAIL $2"; FAILED=1; fi; }
FAILED=0
refused() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); n=d["n"]; print(1 if d["status"].get("503",0)==n and d["retryAfter"]==n else 0)' "$1"; }
echo
echo "| profile | idle RSS | boot | at caps: RSS / peak | young GCs / full GCs / GC time | CPU | load (1 min) start, end |"
echo "|---|---|---|---|---|---|---|"
echo "| $PROFILE | $(es_mib "$(es_field "$IDLE" rss)") MiB | $ES_BOOT_MS ms | $(es_mib "$PEAK") / $(es_mib "$HWM") MiB | $GC / $FGC / $GCS s | $CPU% of a core | $LOAD_START, $LOAD_END |"
echo
verdict "$([ "$HELD_DL" = "$DOWNLOADS" ] && [ "$HELD_LI" = "$LISTENERS" ] && echo 1)" "caps reached at once: $HELD_DL/$DOWNLOADS downloads, $HELD_LI/$LISTENERS listeners"
verdict "$(kill -0 "$PID" 2>/dev/null && echo 1)" "the gateway is alive after ${HOLD} s at its caps ($act downloads and $lis listeners still running; a download is cut by Jetty's 60 s idle timeout when its reader is starved: $(grep -c 'Idle timeout expired' "$ES_LOG" || true) in the log)"
verdict "$(refused "$PAST_DL")" "every download past the cap got 503 + Retry-After"
verdict "$(refused "$PAST_LI")" "every listener past the cap got 503 + Retry-After"
verdict "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(1 if d["status"].get("503",0)+d["status"].get("200",0)==d["n"] and d["retryAfter"]==d["status"].get("503",0) and d["error"].get("too-many-requests",0)>0 else 0)' "$PAST_JOIN")" \
  "join requests past the channel's cap got 503 + Retry-After (too-many-requests)"
verdict "$([ "$HWM" -lt $((BUDGET * 1024)) ] && echo 1)" "peak RSS $(es_mib "$HWM") MiB < budget $BUDGET MiB"
verdict "$([ "$FGC" -le 3 ] && echo 1)" "no full-GC storm: $FGC full GCs under load"
if [ -s "$ES_WORK/downloads.txt" ]; then
  echo "downloads that ended (status bytes seconds curl-exit):"; sort "$ES_WORK/downloads.txt" | uniq -c | head
fi
if [ "$FAILED" = 1 ]; then cp "$ES_LOG" "${TMPDIR:-/tmp}/budget-$PROFILE.log"; echo "gateway log: ${TMPDIR:-/tmp}/budget-$PROFILE.log"; fi
exit "$FAILED"

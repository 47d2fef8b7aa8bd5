#!/usr/bin/env bash
# Live audio: the SHIPPED gateway (./edgeshare gateway --profile mall-ap, the launcher's own JVM flags from
# gateway-config/mall-ap/jvm.options) vs Icecast 2, side by side in one run, same 128 kbit/s CBR MP3, same
# loopback load client.
# usage: bench/audio/bench.sh [LISTENER_COUNTS...]   (default 1000 5000; HOLD=60 seconds each; then one
#        over-cap phase of CAP+OVER listeners against the gateway, which must refuse OVER with 503 + Retry-After)
# Bounded: every listener phase lasts ramp + HOLD seconds; the stall-drop probe waits at most 90 s.
# Needs: both distributions (./edgeshare build, or mvn -pl provisioning/gateway,provisioning/platform -am package), ffmpeg,
# icecast2, curl, a JDK (java, javac, jstat).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BENCH=$ROOT/bench/audio
WORK=${WORK:-/tmp/edgeshare-audio-bench}
PROFILE=${PROFILE:-mall-ap}
HOLD=${HOLD:-60}
RATE=${RATE:-500}
OVER=${OVER:-500}
COUNTS=${*:-1000 5000}
GW_PORT=${GW_PORT:-18080}
IC_PORT=${IC_PORT:-18000}
DEAD_MQTT_PORT=${DEAD_MQTT_PORT:-18883} # no broker there: the gateway runs unenrolled, as an appliance offline
BYTES_PER_S=16000

[ -z "${EDGESHARE_JAVA_OPTS:-}" ] || { echo "unset EDGESHARE_JAVA_OPTS: the bench runs the profile's own JVM flags"; exit 2; }
ulimit -n "$(ulimit -Hn)"
for tool in ffmpeg icecast2 java javac jstat curl; do
  command -v $tool >/dev/null || { echo "missing $tool (apt-get install -y ffmpeg icecast2 curl; a JDK)"; exit 2; }
done
# ./edgeshare builds (mvn install) when either distribution is missing: require both, built beforehand
for d in gateway platform; do
  ls "$ROOT"/provisioning/$d/target/$d/bundles/*.jar >/dev/null 2>&1 \
    || { echo "no $d distribution: ./edgeshare build (or mvn -pl provisioning/$d -am package -DskipTests)"; exit 2; }
done
rm -rf "$WORK"; mkdir -p "$WORK/gw/data/music" "$WORK/gw/data/breaks" "$WORK/icecast-log"
chmod 777 "$WORK/icecast-log"

echo "== generating a 120 s 128 kbit/s CBR MP3 (pink noise + tones: content that never repeats exactly)"
ffmpeg -nostdin -v error -y -f lavfi -i "anoisesrc=color=pink:amplitude=0.2:duration=120" \
  -f lavfi -i "sine=frequency=330:duration=120" -filter_complex "amix=inputs=2" -ac 2 -ar 44100 \
  -c:a libmp3lame -b:a 128k "$WORK/gw/data/music/bench.mp3"

cleanup() {
  for p in ${FEED_PID:-} ${IC_PID:-} ${GW_PID:-}; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

rss() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"; }
gc_s() { jstat -gcutil "$1" | awk 'NR==2 {print $NF}'; } # GCT: total GC seconds since start
gc_counts() { jstat -gcutil "$1" | awk 'NR==2 {print "young_gcs=" $7 " full_gcs=" $9}'; } # S0 S1 E O M CCS YGC YGCT FGC ...

echo "== starting the shipped gateway: ./edgeshare gateway --profile $PROFILE (flags: $(sed -e 's/#.*//' "gateway-config/$PROFILE/jvm.options" | tr '\n' ' ' | tr -s ' '))"
./edgeshare gateway --profile "$PROFILE" --instance "$WORK/gw" --http-port "$GW_PORT" \
  --platform "tcp://127.0.0.1:$DEAD_MQTT_PORT" --id bench-gw > "$WORK/gateway.log" 2>&1 &
GW_PID=$! # the launcher execs java: this is the JVM's pid
t0=$(date +%s.%N)
for i in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$GW_PORT/api/audio/main" 2>/dev/null | grep -q '"ready":true' && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$GW_PORT/api/audio/main" | grep -q '"ready":true' \
  || { echo "gateway did not start"; tail -50 "$WORK/gateway.log"; exit 1; }
CAP=$(curl -sf "http://127.0.0.1:$GW_PORT/api/audio/main" | sed -n 's/.*"maxListeners":\([0-9]*\).*/\1/p')
echo "   ready after $(echo "$(date +%s.%N) - $t0" | bc) s; idle RSS $(rss $GW_PID) KiB; channel 'main' cap $CAP listeners"
echo "   JVM: $(tr '\0' ' ' < /proc/$GW_PID/cmdline | cut -c1-400)"

echo "== starting Icecast 2 ($(icecast2 -v 2>&1 | head -1)) on 127.0.0.1:$IC_PORT, burst-size 65536"
sed -e "s|@PORT@|$IC_PORT|" -e "s|@WORK@|$WORK|" "$BENCH/icecast.xml.in" > "$WORK/icecast.xml"
icecast2 -c "$WORK/icecast.xml" > "$WORK/icecast.out" 2>&1 &
IC_PID=$!
sleep 1
ffmpeg -nostdin -v error -re -stream_loop -1 -i "$WORK/gw/data/music/bench.mp3" -c copy -content_type audio/mpeg \
  -f mp3 "icecast://source:benchsource@127.0.0.1:$IC_PORT/bench.mp3" > "$WORK/feed.log" 2>&1 &
FEED_PID=$!
for i in $(seq 1 40); do
  curl -s -m 1 "http://127.0.0.1:$IC_PORT/status-json.xsl" 2>/dev/null | grep -q '"listenurl"' && break
  sleep 0.5
done
sleep 5 # let Icecast's burst queue fill as the gateway's FIFO already is

RESULTS="$WORK/results.txt"
: > "$RESULTS"
javac -d "$WORK/client" "$BENCH/LoadClient.java"
echo "== warm-up (not recorded): 200 listeners for 10 s on each server"
java -Xmx512m -cp "$WORK/client" LoadClient 127.0.0.1 $GW_PORT /audio/main 200 10 $RATE $BYTES_PER_S $GW_PID warmup-gateway >/dev/null
java -Xmx512m -cp "$WORK/client" LoadClient 127.0.0.1 $IC_PORT /bench.mp3 200 10 $RATE $BYTES_PER_S $IC_PID warmup-icecast >/dev/null
sleep 3
echo "IDLE gateway rss_kib=$(rss $GW_PID) icecast rss_kib=$(rss $IC_PID) (after warm-up)" | tee -a "$RESULTS"

# phase TARGET N [stall]: one load-client run, with GC time and load average around it
phase() {
  local target=$1 n=$2 stall=${3:-} port path pid gc0 gc1
  if [ "$target" = gateway ]; then port=$GW_PORT; path=/audio/main; pid=$GW_PID; else port=$IC_PORT; path=/bench.mp3; pid=$IC_PID; fi
  echo "== $target: $n listeners, ramp $RATE/s, hold ${HOLD}s $stall"
  gc0=0; [ "$target" = gateway ] && gc0=$(gc_s $pid)
  java -Xmx1500m -cp "$WORK/client" LoadClient 127.0.0.1 $port $path $n $HOLD $RATE $BYTES_PER_S $pid $target $stall \
    > "$WORK/phase.out"
  gc1=0; [ "$target" = gateway ] && gc1=$(gc_s $pid)
  echo "$(cat "$WORK/phase.out") gc_s=$(echo "$gc1 - $gc0" | bc) $( [ "$target" = gateway ] && gc_counts $pid) loadavg=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')" \
    | tee -a "$RESULTS"
  sleep 3
}

first=1
for n in $COUNTS; do
  stall=""; [ $first = 1 ] && stall=stall
  phase gateway "$n" $stall
  phase icecast "$n" $stall
  first=0
done

echo "== over the cap: $CAP + $OVER listeners on the gateway; the $OVER past the cap must get 503 + Retry-After"
( sleep $(( (CAP + OVER) / RATE + 10 )); curl -s -m 3 -o /dev/null -D - "http://127.0.0.1:$GW_PORT/audio/main" \
    | tr -d '\r' | grep -E '^HTTP|^Retry-After' | tr '\n' ' ' > "$WORK/overcap.headers" ) &
phase gateway $((CAP + OVER))
echo "OVERCAP extra request during the hold: $(cat "$WORK/overcap.headers")" | tee -a "$RESULTS"
echo "CHANNEL $(curl -s "http://127.0.0.1:$GW_PORT/api/audio/main" | grep -o '"underruns":[0-9]*\|"listenersDropped":[0-9]*\|"listenersRejected":[0-9]*' | tr '\n' ' ')" | tee -a "$RESULTS"
echo "GATEWAY total GC $(gc_s $GW_PID) s, $(gc_counts $GW_PID); final RSS $(rss $GW_PID) KiB" | tee -a "$RESULTS"
grep -c "OutOfMemoryError" "$WORK/gateway.log" | sed 's/^/OOM lines in gateway log: /' | tee -a "$RESULTS" || true

echo "== results ($RESULTS)"
cat "$RESULTS"
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

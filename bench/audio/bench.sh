#!/usr/bin/env bash
# Live audio: EdgeShare audio bundle vs Icecast 2, same 128 kbit/s CBR MP3, same loopback load client.
# usage: bench/audio/bench.sh [LISTENER_COUNTS...]      (default 100 1000 2000 5000; HOLD=60 seconds each)
# Bounded: every listener phase lasts ramp + HOLD seconds; the stall-drop probe waits at most 90 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BENCH=$ROOT/bench/audio
WORK=${WORK:-/tmp/edgeshare-audio-bench}
HOLD=${HOLD:-60}
RATE=${RATE:-500}
COUNTS=${*:-100 1000 2000 5000}
M2=${M2:-$HOME/.m2/repository}
GW_PORT=${GW_PORT:-18080}
IC_PORT=${IC_PORT:-18000}
BYTES_PER_S=16000

ulimit -n "$(ulimit -Hn)"
for tool in ffmpeg icecast2 java curl; do
  command -v $tool >/dev/null || { echo "missing $tool (apt-get install -y ffmpeg icecast2 curl)"; exit 2; }
done
rm -rf "$WORK"; mkdir -p "$WORK/music" "$WORK/gw/etc" "$WORK/icecast-log"
chmod 777 "$WORK/icecast-log"

audio_jar=$(ls "$ROOT"/bundles/audio/target/io.edgeshare.audio-*.jar 2>/dev/null | grep -v sources | head -1 || true)
api_jar=$(ls "$ROOT"/bundles/api/target/io.edgeshare.api-*.jar 2>/dev/null | grep -v sources | head -1 || true)
if [ -z "$audio_jar" ] || [ -z "$api_jar" ]; then
  mvn -B -q -o -f bundles/api/pom.xml install -DskipTests
  mvn -B -q -o -f bundles/audio/pom.xml package -DskipTests
  audio_jar=$(ls "$ROOT"/bundles/audio/target/io.edgeshare.audio-*.jar | head -1)
  api_jar=$(ls "$ROOT"/bundles/api/target/io.edgeshare.api-*.jar | head -1)
fi

echo "== generating a 120 s 128 kbit/s CBR MP3 (pink noise + tones: content that never repeats exactly)"
ffmpeg -nostdin -v error -y -f lavfi -i "anoisesrc=color=pink:amplitude=0.2:duration=120" \
  -f lavfi -i "sine=frequency=330:duration=120" -filter_complex "amix=inputs=2" -ac 2 -ar 44100 \
  -c:a libmp3lame -b:a 128k "$WORK/music/bench.mp3"

cleanup() {
  for p in ${FEED_PID:-} ${IC_PID:-} ${GW_PID:-}; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

echo "== starting the gateway (Felix + Jetty 12 + audio bundle) on 127.0.0.1:$GW_PORT"
cat > "$WORK/gw/etc/edgeshare.audio.channel-bench.cfg" <<CFG
id=bench
playlist=$WORK/music
admission.mode=open
CFG
b() { ls "$M2/$1" | grep -E '\.jar$' | grep -v sources | head -1 | sed "s|^|$M2/$1/|"; }
BUNDLES=(
  "$(b org/ops4j/pax/logging/pax-logging-api/2.3.2)"
  "$(b org/osgi/org.osgi.util.function/1.2.0)"
  "$(b org/osgi/org.osgi.util.promise/1.3.0)"
  "$(b org/osgi/org.osgi.service.component/1.5.1)"
  "$(b org/apache/felix/org.apache.felix.configadmin/1.9.26)"
  "$(b org/apache/felix/org.apache.felix.scr/2.2.18)"
  "$(b org/apache/felix/org.apache.felix.fileinstall/3.7.4)"
  "$(b org/apache/felix/org.apache.felix.http.servlet-api/6.1.0)"
  "$(b commons-io/commons-io/2.18.0)"
  "$(b commons-fileupload/commons-fileupload/1.6.0)"
  "$(b org/apache/felix/org.apache.felix.http.jetty12/1.1.8)"
  "$(b com/google/code/gson/gson/2.15.0)"
  "$api_jar" "$audio_jar")
FELIX="$(b org/apache/felix/org.apache.felix.framework/7.0.5)"
java ${GW_JAVA_OPTS:--Xmx512m} -cp "$FELIX" "$BENCH/GatewayRunner.java" "$GW_PORT" "$WORK/gw" "${BUNDLES[@]}" \
  > "$WORK/gateway.log" 2>&1 &
GW_PID=$!
for i in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$GW_PORT/api/audio/bench" 2>/dev/null | grep -q '"ready":true' && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$GW_PORT/api/audio/bench" >/dev/null || { echo "gateway did not start"; tail -50 "$WORK/gateway.log"; exit 1; }

echo "== starting Icecast 2 ($(icecast2 -v 2>&1 | head -1)) on 127.0.0.1:$IC_PORT, burst-size 65536"
sed -e "s|@PORT@|$IC_PORT|" -e "s|@WORK@|$WORK|" "$BENCH/icecast.xml.in" > "$WORK/icecast.xml"
icecast2 -c "$WORK/icecast.xml" > "$WORK/icecast.out" 2>&1 &
IC_PID=$!
sleep 1
ffmpeg -nostdin -v error -re -stream_loop -1 -i "$WORK/music/bench.mp3" -c copy -content_type audio/mpeg \
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
java -Xmx512m -cp "$WORK/client" LoadClient 127.0.0.1 $GW_PORT /audio/bench 200 10 $RATE $BYTES_PER_S $GW_PID warmup-gateway >/dev/null
java -Xmx512m -cp "$WORK/client" LoadClient 127.0.0.1 $IC_PORT /bench.mp3 200 10 $RATE $BYTES_PER_S $IC_PID warmup-icecast >/dev/null
sleep 3
first=1
for n in $COUNTS; do
  stall=""; [ $first = 1 ] && stall=stall
  for target in gateway icecast; do
    if [ $target = gateway ]; then port=$GW_PORT; path=/audio/bench; pid=$GW_PID; else port=$IC_PORT; path=/bench.mp3; pid=$IC_PID; fi
    echo "== $target: $n listeners, ramp $RATE/s, hold ${HOLD}s $stall"
    java -Xmx1500m -cp "$WORK/client" LoadClient 127.0.0.1 $port $path $n $HOLD $RATE $BYTES_PER_S $pid $target $stall \
      | tee -a "$RESULTS"
    sleep 3
  done
  first=0
done
echo "== results ($RESULTS)"
cat "$RESULTS"
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

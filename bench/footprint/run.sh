#!/usr/bin/env bash
# Footprint of the shipped runtimes: `./edgeshare gateway --profile P` for every profile in gateway-config/ and
# `./edgeshare platform`, each with the launcher's own JVM flags, from launch to /health answering (the uplink
# may be down: no platform runs for the gateways) and the CPU seconds it had used by then (robust under load),
# then RSS, GC counts and time (jstat) and CPU 5 s later.
# "first boot": empty instance; "boot": the same instance again (a normal reboot). Reference: a bare Felix
# carrying only the gateway's infrastructure bundles (SCR, ConfigAdmin, Metatype, FileInstall, HTTP Jetty 12,
# Paho v5, Gson, pax-logging with logback) with the home-gateway profile's flags, timed to its first HTTP answer.
# Medians of RUNS (default 5). Loopback only; every process is stopped. Since the launcher keeps a class archive
# per instance (written when the first boot stops), "boot" maps it and "first boot" does not.
# Given PROFILEs, only those gateways are measured (no platform, no reference).
#
#   bench/footprint/run.sh [RUNS [PROFILE...]]     (build first: mvn -B -pl provisioning/gateway,provisioning/platform -am package -DskipTests)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../lib/product.sh
source "$HERE/../lib/product.sh"
RUNS="${1:-5}"
shift || true
ONLY="$*"
es_init
GW="$ES_ROOT/provisioning/gateway/target/gateway"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"

median() { grep -v '^$' | sort -n | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }

echo "| runtime | first boot ms | boot ms | CPU s to ready (boot) | RSS MiB (5 s after) | peak RSS MiB | GCs (young/full), GC ms | CPU s to then |"
echo "|---|---|---|---|---|---|---|---|"

# row LABEL first[] boot[] rss[] hwm[] gc-line cpu-at-ready[]
row() {
  local label="$1" first="$2" boot="$3" rss="$4" hwm="$5" s="$6" bootcpu="$7"
  printf '| %s | %s | %s | %s | %s | %s | %s/%s, %.0f | %s |\n' "$label" \
    "$(tr ' ' '\n' <<<"$first" | median)" "$(tr ' ' '\n' <<<"$boot" | median)" "$(tr ' ' '\n' <<<"$bootcpu" | median)" \
    "$(es_mib "$(tr ' ' '\n' <<<"$rss" | median)")" "$(es_mib "$(tr ' ' '\n' <<<"$hwm" | median)")" \
    "$(es_field "$s" gc)" "$(es_field "$s" fgc)" "$(awk -v g="$(es_field "$s" gc_s)" 'BEGIN{print g * 1000}')" \
    "$(es_field "$s" cpu_s)"
}

for profile in ${ONLY:-$(ls "$ES_ROOT/gateway-config" | grep -v README)}; do
  first="" boot="" rss="" hwm="" s="" bootcpu=""
  for i in $(seq 1 "$RUNS"); do
    inst="$ES_WORK/$profile-$i"
    es_start_gateway "$profile" "$inst" --id "gw-fp-$i"; first+="$ES_BOOT_MS "; es_stop "$ES_PID"
    es_start_gateway "$profile" "$inst"; boot+="$ES_BOOT_MS "; bootcpu+="$ES_BOOT_CPU "
    FLAGS_GW="$(es_jvm_flags "$ES_PID")"
    sleep 5; s=$(es_sample "$ES_PID"); rss+="$(es_field "$s" rss) "; hwm+="$(es_field "$s" hwm) "
    es_stop "$ES_PID"
  done
  row "gateway \`$profile\`" "$first" "$boot" "$rss" "$hwm" "$s" "$bootcpu"
  echo "flags $profile: $FLAGS_GW" >>"$ES_WORK/flags"
done

if [ -n "$ONLY" ]; then
  echo; cat "$ES_WORK/flags"
  echo "$RUNS runs each, medians (GC and CPU: the last run); $(java -version 2>&1 | head -1)"
  echo "load average at start: $LOAD_START; at end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
  exit 0
fi

first="" boot="" rss="" hwm="" s="" bootcpu=""
for i in $(seq 1 "$RUNS"); do
  inst="$ES_WORK/platform-$i"
  es_start_platform "$inst"; first+="$ES_BOOT_MS "; es_stop "$ES_PID"
  es_start_platform "$inst"; boot+="$ES_BOOT_MS "; bootcpu+="$ES_BOOT_CPU "
  echo "flags platform: $(es_jvm_flags "$ES_PID")" >"$ES_WORK/flags.platform"
  sleep 5; s=$(es_sample "$ES_PID"); rss+="$(es_field "$s" rss) "; hwm+="$(es_field "$s" hwm) "
  es_stop "$ES_PID"
done
row "platform" "$first" "$boot" "$rss" "$hwm" "$s" "$bootcpu"

# Reference: bare Felix, the gateway's infrastructure only, home-gateway flags, up at Jetty's first answer.
mkdir -p "$ES_WORK/bare-bundles" "$ES_WORK/bare-profile"
for j in "$GW"/bundles/*.jar; do
  case "$(basename "$j")" in io.edgeshare.paho*) cp "$j" "$ES_WORK/bare-bundles/";; io.edgeshare.*) ;; *) cp "$j" "$ES_WORK/bare-bundles/";; esac
done
cp "$ES_ROOT/gateway-config/home-gateway/logback.xml" "$ES_WORK/bare-profile/"
BARE_OPTS="$(sed -e 's/#.*//' "$ES_ROOT/gateway-config/home-gateway/jvm.options" | tr '\n' ' ')"
first="" boot="" rss="" hwm="" s="" bootcpu=""
bare() { # instance -> ES_PID, ES_BOOT_MS
  local p t0; p=$(es_port); t0=$(es_now_ms)
  # shellcheck disable=SC2086
  java $BARE_OPTS -Dorg.osgi.service.http.port="$p" -Dorg.apache.felix.http.host=127.0.0.1 -cp "$GW/lib/*" \
    io.edgeshare.launcher.Launcher --bundles "$ES_WORK/bare-bundles" --instance "$1" --profile "$ES_WORK/bare-profile" \
    >"$1.log" 2>&1 &
  ES_PID=$!; es_track "$ES_PID"
  for _ in $(seq 1 2400); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$p/" || true)" != 000 ] && break
    sleep 0.05
  done
  ES_BOOT_MS=$(( $(es_now_ms) - t0 ))
  ES_BOOT_CPU=$(es_cpu "$ES_PID")
}
for i in $(seq 1 "$RUNS"); do
  bare "$ES_WORK/bare-$i"; first+="$ES_BOOT_MS "; es_stop "$ES_PID"
  bare "$ES_WORK/bare-$i"; boot+="$ES_BOOT_MS "; bootcpu+="$ES_BOOT_CPU "
  sleep 5; s=$(es_sample "$ES_PID"); rss+="$(es_field "$s" rss) "; hwm+="$(es_field "$s" hwm) "
  es_stop "$ES_PID"
done
row "reference: bare Felix, same infrastructure, home-gateway flags" "$first" "$boot" "$rss" "$hwm" "$s" "$bootcpu"

echo
cat "$ES_WORK/flags" "$ES_WORK/flags.platform"
echo "$RUNS runs each, medians (GC and CPU: the last run); $(java -version 2>&1 | head -1)"
echo "load average at start: $LOAD_START; at end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"

#!/usr/bin/env bash
# Fleet push benchmark (issue 9): N simulated gateways against a throwaway Mosquitto (free loopback port, receive
# maximum 10 like the embedded broker) and the fleet service on an H2 file; births at once, then 1% of the fleet
# moving per second; push latency from a move to the arrival of each right list. Bounded (N <= 5000, <= 120 s).
# Run from the repository root after `mvn -B -DskipTests package -pl bundles/platform-fleet -am`:
#   bench/fleet/run.sh [gateways] [churn-seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-1000}
s=${2:-30}
command -v mosquitto >/dev/null || { echo "mosquitto not installed" >&2; exit 1; }
m2=${M2_REPO:-$HOME/.m2/repository}
ver() { grep -o "<$1>[^<]*" pom.xml | head -1 | cut -d'>' -f2; }
cp="bundles/platform-fleet/target/test-classes:bundles/platform-fleet/target/classes"
for m in api protocol platform-nearby platform-store platform-session testsupport; do cp+=":bundles/$m/target/classes"; done
cp+=":$m2/com/h2database/h2/$(ver h2.version)/h2-$(ver h2.version).jar"
cp+=":$m2/org/slf4j/slf4j-api/$(ver slf4j.version)/slf4j-api-$(ver slf4j.version).jar"
cp+=":$m2/org/eclipse/paho/org.eclipse.paho.mqttv5.client/$(ver paho.version)/org.eclipse.paho.mqttv5.client-$(ver paho.version).jar"
cp+=":$m2/com/google/code/gson/gson/$(ver gson.version)/gson-$(ver gson.version).jar"
cp+=":$m2/org/osgi/osgi.core/$(ver osgi.core.version)/osgi.core-$(ver osgi.core.version).jar"
# the test support's free-port helper lives beside its Pax Exam options
cp+=":$m2/org/ops4j/pax/exam/pax-exam/$(ver pax-exam.version)/pax-exam-$(ver pax-exam.version).jar"
eval "$(grep '^PLATFORM_JAVA_OPTS_DEFAULT=' edgeshare)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; java $PLATFORM_JAVA_OPTS_DEFAULT"
# shellcheck disable=SC2086
java $PLATFORM_JAVA_OPTS_DEFAULT -cp "$cp" io.edgeshare.platform.fleet.internal.FleetPushBenchMain "$n" "$s"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

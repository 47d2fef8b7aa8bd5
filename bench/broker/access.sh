#!/usr/bin/env bash
# What the embedded broker's access control (docs/security.md) costs: report ingest and the policy round trip
# through the same HiveMQ CE with EdgeShare's access extension ("auth") and with HiveMQ's open defaults
# ("open"), alternating, each in a fresh JVM. Loopback only.
# NOT the shipped platform: the product has no switch to turn its access control off, and the comparison needs
# the same broker both ways; so this starts the platform-broker bundle's broker class (the same HiveMQ CE, the
# same extension) from the module's test classes in a plain JVM. The access control of the shipped platform is
# in every bench/policy/run.sh run (enrolled gateways). docs/performance.md says so beside the figures.
#   bench/broker/access.sh [RUNS=2] [GATEWAYS=50] [REPORTS=400] [ROUNDS=500]
# Needs the module built with its tests: mvn -B verify -pl bundles/platform-broker -am -DskipITs
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RUNS="${1:-2}"; GATEWAYS="${2:-50}"; REPORTS="${3:-400}"; ROUNDS="${4:-500}"
MOD="$ROOT/bundles/platform-broker"
M2="${M2_REPO:-$HOME/.m2/repository}"
# the module's test classes, Paho as built by the reactor, HiveMQ's jars (slf4j and logback among them)
CP="$MOD/target/test-classes:$MOD/target/classes:$ROOT/bundles/testsupport/target/classes"
CP="$CP:$(ls "$ROOT"/bundles/paho-mqttv5/target/io.edgeshare.paho.mqttv5-*.jar | head -1)"
CP="$CP:$M2/org/osgi/osgi.core/8.0.0/osgi.core-8.0.0.jar:$MOD/target/hivemq-lib/*"
for run in $(seq 1 "$RUNS"); do
  for mode in open auth; do
    java -Xmx512m -cp "$CP" -Dedgeshare.broker.lib="$MOD/target/hivemq-lib" \
      io.edgeshare.platform.broker.internal.BrokerAccessBench "$mode" "$GATEWAYS" "$REPORTS" "$ROUNDS" 2>&1 \
      | grep -E '^(open|auth):|Exception' || true
  done
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

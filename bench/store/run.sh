#!/usr/bin/env bash
# Fleet store write rates (issue 9): births, reports and catalogs per second on the embedded H2 file and on a
# throwaway PostgreSQL cluster (initdb/pg_ctl on a free loopback port, deleted afterwards).
# NOT the shipped platform: it calls the store's classes directly (bundles/platform-store, StoreThroughputMain)
# in a JVM with the platform's launcher flags, to isolate the store's durable write rate from MQTT ingest; the
# store inside the running platform is exercised by bench/fleet (its own section). docs/performance.md says so beside the figures.
# Run from the repository root after `mvn -B -DskipTests package -pl bundles/platform-store -am`:
#   bench/store/run.sh [writes-per-kind] [reports [rounds]]   ("reports": only the fleet-reports figure, on H2)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-5000}
module=bundles/platform-store
[ -d "$module/target/test-classes" ] || mvn -B -q test-compile -pl "$module" -am >/dev/null
# the store's run-time class path, from the local Maven repository at the versions the build pins
m2=${M2_REPO:-$HOME/.m2/repository}
ver() { grep -o "<$1>[^<]*" pom.xml | head -1 | cut -d'>' -f2; }
cp="$m2/com/h2database/h2/$(ver h2.version)/h2-$(ver h2.version).jar"
cp+=":$m2/org/postgresql/postgresql/$(ver postgresql.version)/postgresql-$(ver postgresql.version).jar"
cp+=":$m2/org/slf4j/slf4j-api/$(ver slf4j.version)/slf4j-api-$(ver slf4j.version).jar"
cp+=":$m2/org/osgi/osgi.core/$(ver osgi.core.version)/osgi.core-$(ver osgi.core.version).jar"
eval "$(grep '^PLATFORM_JAVA_OPTS_DEFAULT=' edgeshare)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; java $PLATFORM_JAVA_OPTS_DEFAULT"
# shellcheck disable=SC2086
java $PLATFORM_JAVA_OPTS_DEFAULT -cp "$module/target/classes:$module/target/test-classes:bundles/api/target/classes:$cp" \
  io.edgeshare.platform.store.internal.StoreThroughputMain "$n" ${2:-} ${3:-}
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

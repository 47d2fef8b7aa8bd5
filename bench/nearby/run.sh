#!/usr/bin/env bash
# Nearby index benchmark (issue 9): 1,000,000 points, k-nearest queries at 200 m, GeoGrid vs Redis GEOSEARCH on
# the same points. Starts its own throwaway Redis on a free loopback port (no persistence) and stops it at the end.
# NOT the shipped platform: the platform queries its index only on gateway births and moves, which cannot drive
# it at these rates; this runs the index class (bundles/platform-nearby GeoGrid) in a JVM with the platform's
# launcher flags, beside Redis. The index inside the running platform is exercised by bench/fleet (its own section).
# Run from the repository root after `mvn -B -DskipTests package -pl bundles/platform-nearby`:
#   bench/nearby/run.sh [points] [queries]
set -euo pipefail
cd "$(dirname "$0")/../.."
points=${1:-1000000}
queries=${2:-200000}
classes=bundles/platform-nearby/target/classes
[ -d "$classes" ] || { echo "build bundles/platform-nearby first" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "redis-server not installed" >&2; exit 1; }

# the platform's own JVM flags, as the launcher ships them
eval "$(grep '^PLATFORM_JAVA_OPTS_DEFAULT=' edgeshare)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
work=$(mktemp -d)
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" --daemonize no \
  --logfile "$work/redis.log" &
redis_pid=$!
trap 'kill $redis_pid 2>/dev/null; wait $redis_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "redis $(redis-server --version | grep -o 'v=[0-9.]*') on 127.0.0.1:$port; java $PLATFORM_JAVA_OPTS_DEFAULT"
mkdir -p "$work/classes"
javac -d "$work/classes" -cp "$classes" bench/nearby/NearbyBench.java
# shellcheck disable=SC2086
java $PLATFORM_JAVA_OPTS_DEFAULT -cp "$work/classes:$classes" NearbyBench "$port" "$points" "$queries"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

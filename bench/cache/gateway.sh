#!/usr/bin/env bash
# Starts a gateway runtime with the cache bundle (Felix + SCR + ConfigAdmin + FileInstall + Jetty 12 + Gson +
# pax-logging + api + cache) on 127.0.0.1:$PORT, instance directory $INSTANCE. Jars come from the local Maven
# repository (versions read from the root pom) and this checkout's freshly built api and cache bundles.
#   usage: gateway.sh INSTANCE_DIR PORT [extra cache config lines...]
# Runs in the foreground; the caller kills it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
instance="$1"; port="$2"; shift 2
m2="${M2_REPO:-$HOME/.m2/repository}"
v() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$root/pom.xml" | head -1; }
jar() { # groupId artifactId version
  local p="$m2/$(echo "$1" | tr . /)/$2/$3/$2-$3.jar"
  [ -f "$p" ] || { echo "missing $p (run the module builds first)" >&2; exit 1; }
  echo "$p"
}
ver=0.1.0-SNAPSHOT
bundles="$instance/bundles"
rm -rf "$bundles"; mkdir -p "$bundles" "$instance/etc"
for j in \
  "$(jar org.ops4j.pax.logging pax-logging-api "$(v pax-logging.version)")" \
  "$(jar org.ops4j.pax.logging pax-logging-log4j2 "$(v pax-logging.version)")" \
  "$(jar org.osgi org.osgi.util.function "$(v osgi.function.version)")" \
  "$(jar org.osgi org.osgi.util.promise "$(v osgi.promise.version)")" \
  "$(jar org.osgi org.osgi.service.component "$(v osgi.component.version)")" \
  "$(jar org.apache.felix org.apache.felix.scr "$(v felix.scr.version)")" \
  "$(jar org.apache.felix org.apache.felix.configadmin "$(v felix.configadmin.version)")" \
  "$(jar org.apache.felix org.apache.felix.metatype "$(v felix.metatype.version)")" \
  "$(jar org.apache.felix org.apache.felix.fileinstall "$(v felix.fileinstall.version)")" \
  "$(jar org.apache.felix org.apache.felix.http.servlet-api "$(v felix.http.servlet-api.version)")" \
  "$(jar org.apache.felix org.apache.felix.http.jetty12 "$(v felix.http.jetty12.version)")" \
  "$(jar commons-io commons-io "$(v commons-io.version)")" \
  "$(jar commons-fileupload commons-fileupload "$(v commons-fileupload.version)")" \
  "$(jar com.google.code.gson gson "$(v gson.version)")" \
  "$root/bundles/api/target/io.edgeshare.api-$ver.jar" \
  "$root/bundles/cache/target/io.edgeshare.cache-$ver.jar"; do
  cp "$j" "$bundles/"
done
{
  echo "max.concurrent.downloads=1024"
  for line in "$@"; do echo "$line"; done
} > "$instance/etc/edgeshare.cache.cfg"
cat > "$instance/etc/log4j2.properties" <<'LOG'
rootLogger.level = warn
rootLogger.appenderRef.out.ref = out
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = %d{HH:mm:ss.SSS} %-5level %logger{1} - %msg%n
logger.cache.name = io.edgeshare.cache
logger.cache.level = info
LOG
cp_="$(jar io.edgeshare edgeshare-launcher $ver):$(jar org.apache.felix org.apache.felix.framework "$(v felix.framework.version)")"
exec java ${GATEWAY_JAVA_OPTS:-} -Dorg.osgi.service.http.port="$port" -Dorg.apache.felix.http.host=127.0.0.1 \
  -cp "$cp_" io.edgeshare.launcher.Launcher --bundles "$bundles" --instance "$instance"

#!/usr/bin/env bash
# A single-node Trino for the test suite: the engine under Athena engine v3, run locally from Maven Central.
#   scripts/trino.sh provision   download the server and the Hive connector (once) and write its config
#   scripts/trino.sh start       provision if needed, start the server, wait until it answers queries
#   scripts/trino.sh stop        stop the server
#   scripts/trino.sh status      print the URL and version when it answers, exit 1 otherwise
# Everything lives under .trino/ in the project (gitignored). The Hive connector uses a file metastore and
# the local file system, so tables point at local folders laid out like the S3 prefixes on AWS.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="${REVSEG_TRINO_VERSION:-476}"
PORT="${REVSEG_TRINO_PORT:-18080}"
HEAP="${REVSEG_TRINO_HEAP:-2G}"
ROOT="$PWD/.trino"
SERVER="$ROOT/trino-server-core-$VERSION"
REPO="${MAVEN_CENTRAL:-https://repo.maven.apache.org/maven2}"
URL="http://127.0.0.1:$PORT"

die() { echo "trino: $*" >&2; exit 1; }

# Trino 476 is built for Java 24 or newer; the default JDK here is older, so look beside it.
find_java() {
  local candidate version
  for candidate in "${REVSEG_TRINO_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-24-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    version="$("$candidate/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
    if [ -n "$version" ] && [ "$version" -ge 24 ]; then echo "$candidate"; return 0; fi
  done
  return 1
}

# Maven's own client when it is there (it honours a mirror in ~/.m2/settings.xml), else a plain GET.
fetch() {
  local artifact="$1" file="$2" path="$3"
  [ -s "$file" ] && return 0
  if command -v mvn >/dev/null; then
    mvn -B -q -U dependency:copy -Dartifact="$artifact" -DoutputDirectory="$(dirname "$file")" -Dmdep.overWriteReleases=true \
      && [ -s "$file" ] && return 0
    echo "trino: mvn could not fetch $artifact, trying a direct download" >&2
  fi
  curl -fsSL --retry 3 -o "$file.part" "$REPO/$path" || die "cannot download $artifact from $REPO/$path"
  mv "$file.part" "$file"
}

provision() {
  mkdir -p "$ROOT/downloads"
  if [ ! -x "$SERVER/bin/launcher" ]; then
    local tarball="$ROOT/downloads/trino-server-core-$VERSION.tar.gz"
    fetch "io.trino:trino-server-core:$VERSION:tar.gz" "$tarball" \
      "io/trino/trino-server-core/$VERSION/trino-server-core-$VERSION.tar.gz"
    tar -xzf "$tarball" -C "$ROOT"
  fi
  if [ ! -d "$SERVER/plugin/hive" ]; then
    local zip="$ROOT/downloads/trino-hive-$VERSION.zip"
    fetch "io.trino:trino-hive:$VERSION:zip" "$zip" "io/trino/trino-hive/$VERSION/trino-hive-$VERSION.zip"
    rm -rf "$ROOT/hive-unzip" && mkdir -p "$ROOT/hive-unzip"
    (cd "$ROOT/hive-unzip" && jar_or_unzip "$zip")
    mv "$ROOT/hive-unzip/trino-hive-$VERSION" "$SERVER/plugin/hive"
    rm -rf "$ROOT/hive-unzip"
  fi
  write_config
}

jar_or_unzip() {
  if command -v unzip >/dev/null; then unzip -q "$1"; else python3 -m zipfile -e "$1" .; fi
}

write_config() {
  local etc="$ROOT/etc"
  mkdir -p "$etc/catalog" "$ROOT/lake" "$ROOT/var"
  cat >"$etc/node.properties" <<PROPS
node.environment=revseg_test
node.id=revseg-test
node.data-dir=$ROOT/var
node.internal-address=127.0.0.1
PROPS
  # Small heap for a 2-core machine; spill is off, test data are small.
  cat >"$etc/jvm.config" <<PROPS
-server
-Xmx$HEAP
-XX:+UseG1GC
-XX:+ExplicitGCInvokesConcurrent
-XX:+ExitOnOutOfMemoryError
-XX:-OmitStackTraceInFastThrow
-XX:ReservedCodeCacheSize=256M
-Djdk.attach.allowAttachSelf=true
-Djdk.nio.maxCachedBufferSize=2000000
-Dfile.encoding=UTF-8
PROPS
  cat >"$etc/config.properties" <<PROPS
coordinator=true
node-scheduler.include-coordinator=true
http-server.http.port=$PORT
discovery.uri=$URL
query.max-memory=1GB
query.max-memory-per-node=1GB
task.concurrency=2
PROPS
  cat >"$etc/log.properties" <<PROPS
io.trino=WARN
PROPS
  # The catalog is named like Athena's default so statements read alike; tables are registered per test.
  cat >"$etc/catalog/awsdatacatalog.properties" <<PROPS
connector.name=hive
hive.metastore=file
hive.metastore.catalog.dir=local:///metastore
fs.native-local.enabled=true
local.location=$ROOT/lake
hive.non-managed-table-writes-enabled=true
hive.timestamp-precision=MILLISECONDS
# S3 has no folders: a projected partition with no objects is empty on Athena, so the same here.
hive.ignore-absent-partitions=true
PROPS
}

answers() {
  curl -fsS -m 2 "$URL/v1/info" 2>/dev/null | grep -q '"starting":false'
}

# This checkout's server, by its launcher's pid file (another checkout's Trino may answer on the same port).
ours() {
  [ -x "$SERVER/bin/launcher" ] && "$SERVER/bin/launcher" status --etc-dir "$ROOT/etc" --data-dir "$ROOT/var" >/dev/null 2>&1
}

start() {
  provision
  if ours && answers; then echo "trino: $(version) already running at $URL"; return 0; fi
  if answers || curl -s -m 2 -o /dev/null "$URL/"; then
    die "something else answers at $URL (another checkout's Trino?): stop it, or set REVSEG_TRINO_PORT to a free port"
  fi
  local java
  java="$(find_java)" || die "needs Java 24 or newer; set REVSEG_TRINO_JAVA_HOME to a JDK 24+ (e.g. Temurin 25)"
  JAVA_HOME="$java" PATH="$java/bin:$PATH" "$SERVER/bin/launcher" start \
    --etc-dir "$ROOT/etc" --data-dir "$ROOT/var" >/dev/null
  local waited=0
  until answers; do
    sleep 2; waited=$((waited + 2))
    if [ "$waited" -ge 180 ]; then
      tail -n 40 "$ROOT/var/var/log/server.log" >&2 || true
      die "did not answer at $URL within 180 s (log: $ROOT/var/var/log/server.log)"
    fi
  done
  echo "trino: $(version) running at $URL (started in ${waited} s)"
}

version() {
  curl -fsS -m 2 "$URL/v1/info" | sed -n 's/.*"nodeVersion":{"version":"\([^"]*\)".*/\1/p'
}

stop() {
  if [ -x "$SERVER/bin/launcher" ]; then
    "$SERVER/bin/launcher" stop --etc-dir "$ROOT/etc" --data-dir "$ROOT/var" >/dev/null 2>&1 || true
  fi
  echo "trino: stopped"
}

case "${1:-}" in
  provision) provision ;;
  start) start ;;
  stop) stop ;;
  status) ours && answers && echo "trino $(version) at $URL" || { echo "trino: not running at $URL"; exit 1; } ;;
  url) echo "$URL" ;;
  *) die "usage: scripts/trino.sh provision|start|stop|status|url" ;;
esac

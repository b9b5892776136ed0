#!/usr/bin/env bash
# The tailer A/B: sequencer + books + features of an old build against this worktree, alternately in one JVM.
#   ops/bench/ab/ab-tailer.sh [OLD_COMMIT] [RECORDS] [SPACING_NS] [ROUNDS]
# Defaults: e86ec05 (the build before issue 11), 2,000,000 records 50,000 ns apart (20,000 a second), 6 rounds
# (the first a warm-up). Builds the old commit's journal and pricing-tailer (package, never install) in a
# scratch directory, and this worktree's with `mvn package`. Everything scratch is under $AB_DIR (default
# /tmp/tickjournal-ab): the generated journal is removed at the end unless AB_KEEP=1; the old build and
# the compiled drivers stay for the next run (rm -rf $AB_DIR when done).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
OLD="${1:-e86ec05}"
RECORDS="${2:-2000000}"
SPACING="${3:-50000}"
ROUNDS="${4:-6}"
AB_DIR="${AB_DIR:-/tmp/tickjournal-ab}"
mkdir -p "$AB_DIR"
[ "${AB_KEEP:-0}" = 1 ] || trap 'rm -rf "$AB_DIR/journal"' EXIT

if [ ! -f "$AB_DIR/old-$OLD/pricing-tailer/target/pricing-tailer-0.1.0-SNAPSHOT.jar" ]; then
  rm -rf "$AB_DIR/old-$OLD" && mkdir -p "$AB_DIR/old-$OLD"
  (cd "$ROOT" && git archive "$OLD" | tar -x -C "$AB_DIR/old-$OLD")
  (cd "$AB_DIR/old-$OLD" && mvn -B -q -DskipTests package -pl pricing-tailer -am) >&2
fi
(cd "$ROOT" && mvn -B -q -DskipTests package -pl ops -am) >&2

LIB="$ROOT/ops/target/lib"
THIRD=$(ls "$LIB"/*.jar | grep -v -e '/journal-0' -e '/pricing-tailer-0' -e '/ingest-0' -e '/multicast-bridge-0' | tr '\n' ':')
classpath() { # $1 = build root
  echo "$1/journal/target/journal-0.1.0-SNAPSHOT.jar:$1/pricing-tailer/target/pricing-tailer-0.1.0-SNAPSHOT.jar:$THIRD"
}
OLD_CP="$(classpath "$AB_DIR/old-$OLD")"
NEW_CP="$(classpath "$ROOT")"
for side in old new; do
  CP_VAR="${side^^}_CP"
  rm -rf "$AB_DIR/driver-$side" && mkdir -p "$AB_DIR/driver-$side"
  javac -nowarn -d "$AB_DIR/driver-$side" -cp "${!CP_VAR}" "$HERE/TailerAbDriver.java"
done
mkdir -p "$AB_DIR/runner" && javac -d "$AB_DIR/runner" "$HERE/TailerAb.java"

FLAGS=(
  --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
  --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED --add-exports=java.base/jdk.internal.util=ALL-UNNAMED
  --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  -Dchronicle.analytics.disable=true -Dchronicle.announcer.disable=true -Dchronicle.disk.monitor.disable=true
)
rm -rf "$AB_DIR/journal"
echo "load: $(uptime)"
java "${FLAGS[@]}" -Xms3g -Xmx3g -XX:+AlwaysPreTouch ${AB_JAVA_OPTS:-} -cp "$AB_DIR/runner" TailerAb \
  "$AB_DIR/driver-old:$OLD_CP" "$AB_DIR/driver-new:$NEW_CP" "$AB_DIR/journal" "$RECORDS" "$SPACING" "$ROUNDS"
echo "load: $(uptime)"

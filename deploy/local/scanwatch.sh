#!/usr/bin/env bash
# The standalone jar with a class-data archive (AppCDS): the JVM maps the classes a replay loads from the archive
# instead of reading, verifying and linking them again at every start, which a replay of a few files mostly is.
#   deploy/local/scanwatch.sh [scanwatch options]      the jar's own options (--help lists them)
# The first run after a build, or on another Java, replays the bundled test data once to write the archive, beside
# the jar (about 10 s). Environment: JAVA_HOME (else the java on PATH); SCANWATCH_JAR (else the build's standalone
# jar); SCANWATCH_JAVA_OPTS, more JVM options (-Xmx4g, say).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
jar="${SCANWATCH_JAR:-$(ls "$root"/job/target/scanwatch-*-standalone.jar 2>/dev/null | head -1)}"
if [ ! -f "$jar" ]; then
  echo "scanwatch.sh: no standalone jar at '${jar}'; build it with ./mvnw -q -B package -DskipTests" >&2
  exit 2
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# shellcheck disable=SC2206 # options are words, as in JAVA_OPTS
options=(${SCANWATCH_JAVA_OPTS:-})
# An archive serves only the JVM that wrote it, with the jar it was written from: one per Java, beside the jar.
archive="${jar%.jar}-$(readlink -f "$(command -v "$java")" | cksum | cut -d' ' -f1).jsa"
# A JVM that cannot use the archive (another build of the same path, a moved jar) starts without it, silently.
quiet=(-Xlog:cds=off -Xlog:cds+dynamic=off)

if { [ ! -f "$archive" ] || [ "$jar" -nt "$archive" ]; } && [ -w "$(dirname "$archive")" ]; then
  echo "scanwatch.sh: writing a class-data archive for faster starts (once per build and Java): $archive" >&2
  fresh="$archive.$$"
  # Trained on every bundled format, not on the caller's run: a run stopped by --help or a wrong option loads a
  # fraction of a replay's classes, and its archive would stay until the next build.
  status=0
  "$java" -XX:ArchiveClassesAtExit="$fresh" "${quiet[@]}" "${options[@]}" -jar "$jar" --quiet \
    --input "auto=$root/testdata/telemetry/*/*" --config "$root/testdata/scanwatch-demo.yaml" \
    --alerts "$fresh.alerts" || status=$?
  if [ "$status" -eq 0 ] && [ -f "$fresh" ]; then
    mv -f "$fresh" "$archive"
  fi
  rm -f "$fresh" "$fresh.alerts"
  # Status 2: the job cannot start on this Java, or with these JVM options; it said why.
  [ "$status" -ne 2 ] || exit 2
  [ -f "$archive" ] || echo "scanwatch.sh: no archive written (status $status); running without one" >&2
fi
if [ -f "$archive" ]; then
  options=(-XX:SharedArchiveFile="$archive" "${quiet[@]}" "${options[@]}")
fi
exec "$java" "${options[@]}" -jar "$jar" "$@"

#!/usr/bin/env bash
# The standalone jar with a class-data archive (AppCDS): the JVM maps the classes a replay loads from the archive
# instead of reading, verifying and linking them again at every start, which a replay of a few files mostly is;
# and with C2 kept for the code that runs hot, inlining less (the JIT settings of deploy/local/jit.options).
#   deploy/local/scanwatch.sh [scanwatch options]      the jar's own options (--help lists them)
# The first run with a new jar, Java or SCANWATCH_JAVA_OPTS replays the bundled test data once to write the archive,
# beside the jar (about 10 s and 70 MB for each set of options), or under ~/.cache/scanwatch where the jar's folder is
# read-only; a failed try is not repeated for that jar. Delete the *.jsa* files to start over.
# Environment: JAVA_HOME (else the java on PATH); SCANWATCH_JAR (else the build's standalone jar);
# SCANWATCH_JAVA_OPTS, more JVM options (-Xmx4g, say; they override the JIT settings of jit.options).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
if [ -n "${SCANWATCH_JAR:-}" ]; then
  jar="$SCANWATCH_JAR"
  [ -f "$jar" ] || { echo "scanwatch.sh: SCANWATCH_JAR names no file: '$jar'" >&2; exit 2; }
else
  jar=""
  for built in "$root"/job/target/scanwatch-*-standalone.jar; do
    [ -f "$built" ] && jar="$built"
  done
  [ -n "$jar" ] || { echo "scanwatch.sh: no standalone jar in $root/job/target; build it with ./mvnw -q -B package -DskipTests" >&2; exit 2; }
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! command -v "$java" >/dev/null; then
  echo "scanwatch.sh: no Java at '$java': set JAVA_HOME to a Java 17 or 21, or put one on PATH" >&2
  exit 2
fi
# The JIT settings of a replay (their file says why), as the jar reads them: one a line, trimmed, # for comments.
# Options in SCANWATCH_JAVA_OPTS come later and win; given JVM options, the jar runs in the JVM started here.
jit=()
while IFS= read -r line || [ -n "$line" ]; do
  line="${line%$'\r'}"
  line="${line#$'\xEF\xBB\xBF'}"
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  case "$line" in '' | '#'*) ;; *) jit+=("$line") ;; esac
done < "$root/deploy/local/jit.options"
# shellcheck disable=SC2206 # options are words, as in JAVA_OPTS
options=("${jit[@]}" ${SCANWATCH_JAVA_OPTS:-})
# An archive serves only the JVM and the options it was written with (heap size decides how classes are addressed),
# and only the jar it was written from (the JVM checks its size and time): each of those names its archive.
runtime="$(printf '%s\n' "$(readlink -f "$(command -v "$java")")" "${options[*]:-}" | cksum | cut -d' ' -f1)"
# Beside the jar; for a jar in a read-only folder (an installation), in the user's own cache, named also by the jar's
# folder. Without a home there is no cache: an archive in a folder others can write may be theirs, and the JVM maps it.
name="$(basename "${jar%.jar}")"
store="$(dirname "$jar")"
if [ ! -w "$store" ]; then
  name="$(readlink -f "$store" | cksum | cut -d' ' -f1)-$name"
  cache="${XDG_CACHE_HOME:-${HOME:+$HOME/.cache}}"
  store=""
  if [ -n "$cache" ] && mkdir -p "$cache/scanwatch" 2>/dev/null && [ -O "$cache/scanwatch" ]; then
    store="$cache/scanwatch"
  fi
fi
base="$store/$name-$runtime"
stamp="$(stat -c '%s-%Y' "$jar")"
archive="$base-$stamp.jsa"
# The archive's checksum is verified at each start (tens of milliseconds): a damaged one is then not used, where the
# JVM would otherwise crash on it. The JVM's own messages about archives are left out.
cds=(-XX:+VerifySharedSpaces -Xlog:cds=off -Xlog:cds+dynamic=off)
# A shortened archive crashes the JVM before any check (it maps past the file's end): its size is kept beside it.
intact() { [ -f "$archive" ] && [ "$(cat "$archive.size" 2>/dev/null)" = "$(stat -c %s "$archive")" ]; }

if ! intact && [ ! -f "$archive.failed" ] && { [ -z "$store" ] || [ ! -w "$store" ]; }; then
  echo "scanwatch.sh: neither the jar's folder nor a cache folder of this user's can be written: running without a" \
    "class-data archive" >&2
elif ! intact && [ ! -f "$archive.failed" ]; then
  # Archives of earlier builds of the jar serve no JVM any more, whatever options wrote them (70 MB each).
  for old in "$store/$name"-*.jsa*; do
    case "$old" in *"-$stamp.jsa"*) ;; *) rm -f "$old" ;; esac
  done
  # Trained on every bundled format, not on the caller's run: a run stopped by --help or a wrong option loads a
  # fraction of a replay's classes. Its messages go to a log: the caller's run says what is wrong, if anything is.
  # In the background, so that a signal to this script alone (timeout, a supervisor) stops it too: bash runs no trap
  # until a foreground command ends. A background JVM ignores SIGINT, and on SIGTERM would first write the archive
  # (seconds) only to have it removed: it is killed, and what it wrote removed here. The traps come first: a signal
  # between the writer's start and theirs would leave it running.
  status=0
  interrupted=""
  writer=""
  stop() { interrupted="$1"; [ -z "$writer" ] || kill -KILL "$writer" 2>/dev/null || true; }
  trap 'stop 129' HUP
  trap 'stop 130' INT
  trap 'stop 143' TERM
  echo "scanwatch.sh: writing a class-data archive for faster starts (once per jar, Java and options): $archive" >&2
  fresh="$archive.$$"
  "$java" -XX:ArchiveClassesAtExit="$fresh" "${cds[@]}" "${options[@]}" -jar "$jar" --quiet \
    --input "auto=$root/testdata/telemetry/*/*" --config "$root/testdata/scanwatch-demo.yaml" \
    --alerts "$fresh.alerts" > /dev/null 2> "$archive.log" &
  writer=$!
  [ -z "$interrupted" ] || stop "$interrupted"
  # A trapped signal ends the first wait early; the second takes the killed writer.
  wait "$writer" 2> /dev/null || status=$?
  [ -z "$interrupted" ] || wait "$writer" 2> /dev/null || true
  trap - HUP INT TERM
  if [ -n "$interrupted" ] || [ "$status" -ge 128 ]; then
    # Interrupted (Ctrl-C): neither a failure to remember nor a run the caller still wants.
    rm -f "$fresh" "$fresh.alerts" "$archive.log"
    exit "${interrupted:-$status}"
  fi
  # An archive is kept only once a JVM that must use it (-Xshare:on) has started from it.
  if [ "$status" -eq 0 ] && [ -f "$fresh" ] && "$java" -XX:SharedArchiveFile="$fresh" -Xshare:on "${cds[@]}" \
      "${options[@]}" -jar "$jar" --version > /dev/null 2>> "$archive.log"; then
    mv -f "$fresh" "$archive"
    stat -c %s "$archive" > "$archive.size"
    rm -f "$archive.log"
  else
    touch "$archive.failed"
  fi
  rm -f "$fresh" "$fresh.alerts"
  # Status 2 is a refused start (this Java, say): the caller's run, next, says why.
  intact || [ "$status" -eq 2 ] \
    || echo "scanwatch.sh: no archive written (status $status, $archive.log); running without one" >&2
fi
if intact; then
  options=(-XX:SharedArchiveFile="$archive" "${cds[@]}" "${options[@]}")
fi
exec "$java" "${options[@]}" -jar "$jar" "$@"

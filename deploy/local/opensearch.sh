#!/usr/bin/env bash
# A real local OpenSearch 2.19 node, run from Maven Central artifacts (codelibs' runner): no Docker.
#   deploy/local/opensearch.sh start    build the classpath, start the node, wait until it is ready
#   deploy/local/opensearch.sh stop     stop the node started here
# State lives in deploy/local/.opensearch (ignored by git). The node listens on http://localhost:${SEARCH_PORT:-9200}
# (a port from 9200 to 9298). Then: java -jar job/target/*-standalone.jar ... --search-url http://localhost:9200
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
state="$here/.opensearch"
port="${SEARCH_PORT:-9200}"

classpath() {
  if [ ! -s "$state/classpath" ]; then
    mkdir -p "$state"
    if ! "$root/mvnw" -B -ntp -f "$here/opensearch/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$state/classpath" >"$state/maven.log" 2>&1; then
      grep -E '\[ERROR\]' "$state/maven.log" >&2 || tail -20 "$state/maven.log" >&2
      echo "could not fetch OpenSearch from Maven Central; the whole log is $state/maven.log" >&2
      rm -f "$state/classpath"
      exit 1
    fi
  fi
  cat "$state/classpath"
}

start() {
  if [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null; then
    echo "OpenSearch is already running (pid $(cat "$state/pid"))"
    return
  fi
  local cp
  cp="$(classpath)"
  mkdir -p "$state"
  rm -f "$state/fifo" && mkfifo "$state/fifo"
  # The node stops when its standard input closes: a fifo held open by a sleeper keeps it alive until stop.
  (sleep infinity >"$state/fifo" & echo $! >"$state/holder")
  java -Xmx512m -cp "$cp" "$here/opensearch/SearchNode.java" "$state/data" "$port" <"$state/fifo" \
    >"$state/node.log" 2>&1 &
  echo $! >"$state/pid"
  for _ in $(seq 1 120); do
    if grep -q '^ready' "$state/node.log"; then
      "$here/../search/install-template.sh" "http://localhost:$port" >/dev/null
      echo "OpenSearch ready on http://localhost:$port, with the scanwatch-alerts index template"
      return
    fi
    if ! kill -0 "$(cat "$state/pid")" 2>/dev/null; then
      echo "OpenSearch did not start; its log is $state/node.log" >&2
      exit 1
    fi
    sleep 1
  done
  echo "OpenSearch not ready after two minutes; its log is $state/node.log" >&2
  exit 1
}

stop() {
  if [ -f "$state/holder" ]; then
    kill "$(cat "$state/holder")" 2>/dev/null || true
    rm -f "$state/holder"
  fi
  if [ -f "$state/pid" ]; then
    local pid
    pid="$(cat "$state/pid")"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill "$pid" 2>/dev/null || true
    rm -f "$state/pid"
  fi
  echo "OpenSearch stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

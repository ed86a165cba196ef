#!/usr/bin/env bash
# A real local search node, run from Maven Central artifacts (codelibs' runners): no Docker.
#   deploy/local/search.sh start [opensearch|elasticsearch]   OpenSearch 2.19 (default) or Elasticsearch 7.10.2:
#                                      build the classpath, start the node, install the alert index template
#   deploy/local/search.sh stop        stop the node started here
# State lives in ${SEARCH_STATE:-deploy/local/.search} (the default ignored by git); the node's indices are removed when it stops: a node for
# trying scanwatch, not for keeping alerts. The node listens on http://localhost:${SEARCH_PORT:-9200} (a port from
# 9200 to 9298; start refuses one that another program holds, or the port 100 above it, its transport's).
# Then: java -jar job/target/*-standalone.jar ... --search-url http://localhost:9200
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="${SEARCH_STATE:-$here/.search}"
port="${SEARCH_PORT:-9200}"
product="${2:-opensearch}"
case "$product" in
  opensearch) runner=org.codelibs.opensearch.runner.OpenSearchRunner ;;
  elasticsearch) runner=org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner ;;
  *) echo "unknown product $product: opensearch or elasticsearch" >&2; exit 2 ;;
esac

# shellcheck source=classpath.sh
. "$here/classpath.sh"
# shellcheck source=ports.sh
. "$here/ports.sh"
classpath() { maven_classpath "$here/$product/pom.xml" "$state/$product.classpath" "$product"; }

start() {
  if [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null; then
    local running
    running="$(cat "$state/product" 2>/dev/null || echo "a search node")"
    if [ "$running" != "$product" ]; then
      echo "$running is running here (pid $(cat "$state/pid")), not $product: '$0 stop' first" >&2
      exit 1
    fi
    echo "$product is already running (pid $(cat "$state/pid"))"
    return
  fi
  if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 9200 ] || [ "$port" -gt 9298 ]; then
    # The runners give a node a port of their own range only: another fails deep in the node's start.
    echo "SEARCH_PORT must be a port from 9200 to 9298 (the runners' range); got '$port'" >&2
    exit 2
  fi
  port_free "$port" "the node's HTTP API" SEARCH_PORT
  port_free "$((port + 100))" "the node's transport (HTTP port + 100)" SEARCH_PORT
  local cp
  cp="$(classpath)"
  mkdir -p "$state"
  rm -f "$state/fifo" && mkfifo "$state/fifo"
  # The node stops when its standard input closes: a fifo held open by a sleeper keeps it alive until stop.
  (sleep infinity >"$state/fifo" 2>/dev/null </dev/null & echo $! >"$state/holder")
  java -Xmx512m -cp "$cp" "$here/SearchNode.java" "$runner" "$state/data" "$port" \
    <"$state/fifo" \
    >"$state/node.log" 2>&1 &
  echo $! >"$state/pid"
  echo "$product" >"$state/product"
  for _ in $(seq 1 120); do
    if grep -q '^ready' "$state/node.log"; then
      "$here/../search/install-template.sh" "http://localhost:$port" >/dev/null
      echo "$product ready on http://localhost:$port, with the scanwatch-alerts index template"
      return
    fi
    if ! kill -0 "$(cat "$state/pid")" 2>/dev/null; then
      stop >/dev/null
      echo "$product did not start; its log is $state/node.log" >&2
      exit 1
    fi
    sleep 1
  done
  stop >/dev/null
  echo "$product not ready after two minutes, and stopped; its log is $state/node.log" >&2
  exit 1
}

stop() {
  if [ ! -f "$state/pid" ] && [ ! -f "$state/holder" ]; then
    echo "no search node was running (none started from $state)"
    return 0
  fi
  if [ -f "$state/holder" ]; then
    kill "$(cat "$state/holder")" 2>/dev/null || true
    rm -f "$state/holder"
  fi
  if [ -f "$state/pid" ]; then
    local pid
    pid="$(cat "$state/pid")"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill "$pid" 2>/dev/null || true
    rm -f "$state/pid" "$state/product"
  fi
  echo "search node stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start [opensearch|elasticsearch] | stop" >&2; exit 2 ;;
esac

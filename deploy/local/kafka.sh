#!/usr/bin/env bash
# A real local Kafka 4.2 broker (KRaft, one node), run from Maven Central artifacts: no Docker.
#   deploy/local/kafka.sh start    build the classpath, format storage, start the broker, create scanwatch's topics
#   deploy/local/kafka.sh stop     stop the broker started here, by its PID
# State lives in ${KAFKA_STATE:-deploy/local/.kafka} (the default ignored by git): another directory for a read-only
# checkout, or a second broker on other ports. The broker listens on localhost:${KAFKA_PORT:-9092}, its
# controller on ${KAFKA_CONTROLLER_PORT:-9093}; start refuses ports another program holds. KAFKA_SETTINGS adds broker
# settings, space-separated key=value, e.g. KAFKA_SETTINGS="auto.create.topics.enable=false" as many production
# clusters are (the next start without it drops them).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="${KAFKA_STATE:-$here/.kafka}"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
topics=(zeek-conn suricata-eve sshd windows-json scanwatch-alerts scanwatch-dead-letters)

# shellcheck source=classpath.sh
. "$here/classpath.sh"
# shellcheck source=ports.sh
. "$here/ports.sh"
classpath() { maven_classpath "$here/kafka/pom.xml" "$state/classpath" Kafka; }

start() {
  if [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null; then
    echo "kafka is already running (pid $(cat "$state/pid"))"; return
  fi
  port_free "$port" "the broker" KAFKA_PORT
  port_free "$controller_port" "the KRaft controller" KAFKA_CONTROLLER_PORT
  local cp; cp="$(classpath)" || exit 1
  mkdir -p "$state/data"
  cat > "$state/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=localhost:$controller_port
listeners=PLAINTEXT://localhost:$port,CONTROLLER://localhost:$controller_port
advertised.listeners=PLAINTEXT://localhost:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$state/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.max.timeout.ms=3600000
group.initial.rebalance.delay.ms=0
PROPS
  local setting
  for setting in ${KAFKA_SETTINGS:-}; do
    case "$setting" in
      *=*) echo "$setting" >> "$state/server.properties" ;;
      *) echo "kafka.sh: KAFKA_SETTINGS takes key=value pairs, not '$setting'" >&2; exit 2 ;;
    esac
  done
  if [ ! -f "$state/data/meta.properties" ]; then
    local id; id="$(java -cp "$cp" kafka.tools.StorageTool random-uuid)"
    java -cp "$cp" kafka.tools.StorageTool format --standalone -t "$id" -c "$state/server.properties" >/dev/null
  fi
  nohup java -Xmx512m -Dlog4j2.configurationFile="$here/kafka/log4j2.properties" -cp "$cp" kafka.Kafka "$state/server.properties" >"$state/broker.log" 2>&1 &
  echo $! > "$state/pid"
  for _ in $(seq 1 60); do
    if java -cp "$cp" org.apache.kafka.tools.TopicCommand --bootstrap-server "localhost:$port" --list >/dev/null 2>&1; then
      for topic in "${topics[@]}"; do
        java -cp "$cp" org.apache.kafka.tools.TopicCommand --bootstrap-server "localhost:$port" --create \
          --if-not-exists --topic "$topic" --partitions 2 --replication-factor 1 >/dev/null
      done
      echo "kafka is up on localhost:$port (pid $(cat "$state/pid")), topics: ${topics[*]}"
      return
    fi
    kill -0 "$(cat "$state/pid")" 2>/dev/null || { echo "kafka died; see $state/broker.log" >&2; exit 1; }
    sleep 1
  done
  echo "kafka did not answer within 60 s; see $state/broker.log" >&2
  exit 1
}

stop() {
  if [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null; then
    kill "$(cat "$state/pid")"
    while kill -0 "$(cat "$state/pid")" 2>/dev/null; do sleep 0.2; done
    echo "kafka stopped"
  else
    echo "kafka is not running"
  fi
  rm -f "$state/pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# The whole local stack in one command, every server a real process from Maven Central artifacts:
#   deploy/local/stack.sh start   Kafka (localhost:9092), OpenSearch (localhost:9200), a Flink cluster of a
#                                 JobManager and 2 TaskManagers (http://localhost:8081), and scanwatch on it:
#                                 telemetry topics in, alerts to the scanwatch-alerts topic and to OpenSearch
#   deploy/local/stack.sh stop    stop all of it
# KAFKA_PORT, SEARCH_PORT and FLINK_REST_PORT move the servers (each script's own variables) and the job with them.
# Then send telemetry: java -jar job/target/*-standalone.jar replay-to-kafka --bootstrap localhost:9092 \
#   --topic zeek-conn --input zeek-conn=testdata/telemetry/zeek/edge-conn.json.log
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

case "${1:-}" in
  start)
    "$here/kafka.sh" start
    "$here/search.sh" start
    "$here/flink.sh" start 2
    if curl -fsS "http://localhost:${FLINK_REST_PORT:-8081}/jobs/overview" | jq -e '.jobs[] | select(.state == "RUNNING")' >/dev/null; then
      # A second job would share the first one's Kafka transactional ids and fence it.
      echo "scanwatch already runs on the cluster"
      exit 0
    fi
    "$here/flink.sh" submit --kafka-bootstrap "localhost:${KAFKA_PORT:-9092}" \
      --search-url "http://localhost:${SEARCH_PORT:-9200}" \
      --set 'kafka.inputs=[{topic: zeek-conn, format: zeek-conn}, {topic: suricata-eve, format: suricata-eve}, {topic: sshd, format: sshd}, {topic: windows-json, format: windows-json}]'
    ;;
  stop)
    "$here/flink.sh" stop
    "$here/search.sh" stop
    "$here/kafka.sh" stop
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

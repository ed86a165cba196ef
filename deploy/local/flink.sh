#!/usr/bin/env bash
# A real local Flink 2.2 standalone session cluster, run from Maven Central artifacts: no Docker, no tarball.
#   deploy/local/flink.sh start [N]       a JobManager and N TaskManagers (default 2), each its own JVM; with the
#                                         cluster running, starts again those of the N that are gone (a TaskManager
#                                         killed, say)
#   deploy/local/flink.sh submit ARGS...  run the cluster jar's main on the cluster (ARGS as for the standalone jar);
#                                         FLINK_SAVEPOINT=DIR starts it from a savepoint, and with
#                                         FLINK_ALLOW_NON_RESTORED_STATE=true drops the state of operators the job no
#                                         longer has (a rule disabled or reshaped: deploy/README.md)
# FLINK_SETTINGS="-Dkey=value ..." adds settings for every process (e.g. -Dheartbeat.timeout=10000).
#   deploy/local/flink.sh stop            stop every process started here, by its PID
# Settings come from deploy/config.yaml, with local directories under ${FLINK_STATE:-deploy/local/.flink} (ignored by
# git). The web UI and REST API listen on http://localhost:${FLINK_REST_PORT:-8081}; each process reports Prometheus
# metrics on a port from ${FLINK_PROMETHEUS_PORTS:-9249-9259}.
set -Eeuo pipefail
# set -e ends the script at a failed command with nothing said; this says where, and how it ended.
trap 'echo "$0: line $LINENO: exit $?" >&2' ERR
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
state="${FLINK_STATE:-$here/.flink}"
rest_port="${FLINK_REST_PORT:-8081}"
prometheus_ports="${FLINK_PROMETHEUS_PORTS:-9249-9259}"
# shellcheck source=classpath.sh
. "$here/classpath.sh"
# shellcheck source=ports.sh
. "$here/ports.sh"
classpath() { maven_classpath "$here/flink/pom.xml" "$here/.flink-classpath" Flink; }

# What Flink's own scripts pass: the JDK internals its serializers and RPC reach into.
java_opts=(--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED)

# Local places for what deploy/config.yaml puts under /var/lib/scanwatch, and the REST port.
local_settings() {
  echo "-Drest.port=$rest_port" "-Dmetrics.reporter.prom.port=$prometheus_ports" \
    "-Dexecution.checkpointing.dir=file://$state/checkpoints" \
    "-Dexecution.checkpointing.savepoint-dir=file://$state/savepoints" \
    "-Dweb.upload.dir=$state/uploads" "-Dio.tmp.dirs=$state/tmp" ${FLINK_SETTINGS:-}
}

configure() {
  mkdir -p "$state/conf" "$state/log" "$state/uploads" "$state/tmp" "$state/checkpoints" "$state/savepoints"
  cp "$root/deploy/config.yaml" "$state/conf/config.yaml"
  cp "$here/flink/log4j2.properties" "$state/conf/log4j2.properties"
}

# Flink's scripts compute memory flags before starting a process; so does this: JVM flags, then -D settings.
resource_params() {
  local what=$1 cp=$2
  # shellcheck disable=SC2046
  java -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils "$what" --configDir "$state/conf" \
    $(local_settings) 2>/dev/null | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}

launch() {
  local name=$1 main=$2 what=$3 cp=$4 params jvm dynamic
  params="$(resource_params "$what" "$cp")"
  # Split in the shell: bash flushes echo's output line by line, so `echo | head -n1` may write its second line
  # after head has gone, and under pipefail that SIGPIPE (141) ends the script with nothing said.
  jvm="${params%%$'\n'*}"
  dynamic="${params##*$'\n'}"
  # shellcheck disable=SC2086
  nohup java $jvm "${java_opts[@]}" -Dlog.file="$state/log/$name.log" \
    -Dlog4j2.configurationFile="$state/conf/log4j2.properties" -cp "$cp" "$main" --configDir "$state/conf" \
    $dynamic $(local_settings) >"$state/log/$name.out" 2>&1 &
  echo $! >"$state/$name.pid"
}

rest() { curl -fsS "http://localhost:$rest_port$1"; }

await() {
  local what=$1 test=$2
  for _ in $(seq 1 120); do
    if eval "$test" >/dev/null 2>&1; then return; fi
    for pid in "$state"/*.pid; do
      kill -0 "$(cat "$pid")" 2>/dev/null || { echo "$(basename "$pid" .pid) died; see $state/log" >&2; exit 1; }
    done
    sleep 1
  done
  echo "$what did not come up within 120 s; see $state/log" >&2
  exit 1
}

start() {
  local taskmanagers=${1:-2} cp
  [[ $taskmanagers =~ ^[1-9][0-9]?$ ]] || { echo "taskmanagers must be a number from 1 to 99, got '$taskmanagers'" >&2; exit 2; }
  if [ -f "$state/jobmanager.pid" ] && kill -0 "$(cat "$state/jobmanager.pid")" 2>/dev/null; then
    restart_taskmanagers "$taskmanagers"; return
  fi
  for pid in "$state"/*.pid; do
    if [ -f "$pid" ] && kill -0 "$(cat "$pid")" 2>/dev/null; then
      echo "$(basename "$pid" .pid) of an earlier cluster still runs (pid $(cat "$pid")): run $0 stop first" >&2
      exit 1
    fi
  done
  port_free "$rest_port" "the JobManager's web UI and REST API" FLINK_REST_PORT
  cp="$(classpath)" || exit 1
  configure
  launch jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint GET_JM_RESOURCE_PARAMS "$cp"
  await "the JobManager" "rest /overview"
  for i in $(seq 1 "$taskmanagers"); do
    launch "taskmanager-$i" org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS "$cp"
  done
  await "$taskmanagers TaskManagers" "[ \"\$(rest /overview | jq .taskmanagers)\" -ge $taskmanagers ]"
  echo "Flink is up: http://localhost:$rest_port, $taskmanagers TaskManagers ($(rest /overview | jq '."slots-total"') slots)"
}

# A process killed a moment ago may still be there, a zombie until it is reaped.
alive() { kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" | cut -c1)" != Z ]; }

# The cluster runs: starts again those of TaskManagers 1..N whose process is gone, and waits for them.
restart_taskmanagers() {
  local taskmanagers=$1 cp i pid restarted=()
  # Every gone TaskManager's pid file goes first: waiting checks that each recorded process lives.
  for pid in "$state"/taskmanager-*.pid; do
    if [ -f "$pid" ] && ! alive "$(cat "$pid")"; then rm -f "$pid"; fi
  done
  for i in $(seq 1 "$taskmanagers"); do
    [ -f "$state/taskmanager-$i.pid" ] && continue
    [ -n "${cp:-}" ] || cp="$(classpath)" || exit 1
    # The log of the one that is gone is kept beside; the new one's says when it has registered.
    if [ -f "$state/log/taskmanager-$i.log" ]; then
      mv "$state/log/taskmanager-$i.log" "$state/log/taskmanager-$i.log.1"
    fi
    launch "taskmanager-$i" org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS "$cp"
    restarted+=("$i")
  done
  if [ "${#restarted[@]}" -eq 0 ]; then
    # Counted, not the number asked for: a cluster started with more keeps them all.
    local running; running=$(find "$state" -maxdepth 1 -name 'taskmanager-*.pid' | wc -l)
    echo "a Flink cluster is already running (jobmanager pid $(cat "$state/jobmanager.pid")) with $running TaskManager(s)"
    return
  fi
  # The JobManager counts a lost TaskManager until its heartbeat times out: each new one's registration is awaited.
  for i in "${restarted[@]}"; do
    await "TaskManager $i" "grep -q 'Successful registration at resource manager' '$state/log/taskmanager-$i.log'"
  done
  echo "Flink runs: started TaskManagers ${restarted[*]} again"
}

submit() {
  local jars jar cp allow
  allow="$(allow_non_restored)" || exit 2
  jars=("$root"/job/target/scanwatch-job-*-cluster.jar)
  jar="${jars[0]}"
  [ -f "$jar" ] || { echo "no cluster jar: build it with ./mvnw -B package -DskipTests" >&2; exit 1; }
  cp="$(classpath)" || exit 1
  rest /overview >/dev/null 2>&1 || {
    echo "no Flink cluster answers on http://localhost:$rest_port: start one with $0 start" >&2; exit 1; }
  # The JobManager, not this shell, reads the savepoint: a path relative to here would be taken from its directory.
  case "${FLINK_SAVEPOINT:-}" in
    "" | /* | [A-Za-z]*:*) ;; # none, absolute, or a URI (Flink gives file:/dir/savepoint-...)
    *) FLINK_SAVEPOINT="$PWD/$FLINK_SAVEPOINT" ;;
  esac
  # The client runs the job's main here and submits the job graph; a Kafka job returns once it runs.
  # shellcheck disable=SC2046
  FLINK_CONF_DIR="$state/conf" java "${java_opts[@]}" -Dlog4j2.configurationFile="$state/conf/log4j2.properties" \
    -Dlog.file="$state/log/client.log" -cp "$cp" org.apache.flink.client.cli.CliFrontend run \
    $(local_settings) ${FLINK_SAVEPOINT:+-s "$FLINK_SAVEPOINT"} $allow \
    -c io.scanwatch.job.ScanwatchJob "$jar" "$@"
}

allow_non_restored() {
  case "${FLINK_ALLOW_NON_RESTORED_STATE:-false}" in
    true)
      if [ -n "${FLINK_SAVEPOINT:-}" ]; then echo --allowNonRestoredState
      else echo "FLINK_ALLOW_NON_RESTORED_STATE=true applies only with FLINK_SAVEPOINT: ignored" >&2; fi ;;
    false) ;;
    *) echo "FLINK_ALLOW_NON_RESTORED_STATE must be true or false, got '$FLINK_ALLOW_NON_RESTORED_STATE'" >&2; exit 2 ;;
  esac
}

stop() {
  local stopped=0
  for pid in "$state"/*.pid; do
    [ -f "$pid" ] || continue
    if kill -0 "$(cat "$pid")" 2>/dev/null; then
      kill "$(cat "$pid")"
      while kill -0 "$(cat "$pid")" 2>/dev/null; do sleep 0.2; done
      stopped=$((stopped + 1))
    fi
    rm -f "$pid"
  done
  echo "stopped $stopped Flink processes"
}

case "${1:-}" in
  start) start "${2:-2}" ;;
  submit) shift; submit "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 start [taskmanagers]|submit ARGS...|stop" >&2; exit 2 ;;
esac

package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.FlinkCluster;
import io.scanwatch.job.testing.KafkaBroker;
import io.scanwatch.job.testing.ZeekLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster jar on a real Flink 2.2 standalone cluster (a JobManager and two TaskManagers, each its own JVM,
 * started by {@code deploy/local/flink.sh}), with a real Kafka broker in and out: the alerts committed are those
 * of the MiniCluster replay, each exactly once, also when a TaskManager is killed mid-stream and across a stop
 * with a savepoint and a restart at another parallelism; scanwatch's counters reach Flink's Prometheus reporter; a
 * replay of the bundled files (batch) raises the quick start's alerts without a task failure. Runs after
 * {@code package}, which builds the cluster jar.
 */
class FlinkClusterIT {
    @RegisterExtension
    @Order(1)
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    @Order(2)
    static final FlinkCluster FLINK = new FlinkCluster(2, 8091, "9360-9369");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CAPTURE = Testdata.file("telemetry/zeek/edge-conn.json.log");

    @TempDir
    Path dir;

    private static List<String> kafkaJob(String topic, String alertsTopic, int parallelism, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--kafka-bootstrap",
                KAFKA.bootstrapServers(),
                "--config",
                Testdata.file("scanwatch-demo.yaml").toAbsolutePath().toString(),
                "--set",
                "kafka.inputs=[{topic: " + topic + ", format: zeek-conn}]",
                "--set",
                "kafka.starting-offsets=earliest",
                "--set",
                "kafka.alerts-topic=" + alertsTopic,
                "--set",
                "kafka.dead-letters-topic=",
                "--set",
                "checkpointing.interval=1s",
                "--parallelism",
                String.valueOf(parallelism)));
        args.addAll(List.of(more));
        return args;
    }

    /** Submits a stream; returns its job id once it runs. */
    private static String submitStream(List<String> args, Map<String, String> env) throws Exception {
        FlinkCluster.Result submitted = FLINK.submit(args, env);
        assertThat(submitted.status()).as(submitted.output()).isZero();
        return FlinkCluster.jobId(submitted);
    }

    /** The committed alerts once there are as many as expected, or what came in four minutes. */
    private static List<JsonNode> awaitAlerts(String topic, int expected) {
        return KAFKA.awaitCommitted(topic, alerts -> alerts.size() >= expected, Duration.ofMinutes(4));
    }

    @Test
    void aBoundedReplayFromKafkaOnTheClusterCommitsTheMiniClustersAlertsOnce() throws Exception {
        KAFKA.createTopic("edge", 2);
        KAFKA.createTopic("alerts-edge", 2);
        KAFKA.produce("edge", Files.readAllLines(CAPTURE), 2);
        List<String> expected = JobRun.demoReplay(CAPTURE, dir);

        FlinkCluster.Result run =
                FLINK.submit(kafkaJob("edge", "alerts-edge", 2, "--set", "kafka.bounded=true"), Map.of());
        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.output()).contains("Job has been submitted with JobID").containsPattern("late events +0\\b");

        List<JsonNode> alerts = KAFKA.readCommittedJson("alerts-edge");
        assertThat(AlertsFile.summaries(alerts)).containsExactlyElementsOf(expected);
        assertThat(alerts.stream().map(a -> a.at("/event/id").asText()).distinct())
                .hasSameSizeAs(alerts);
    }

    /**
     * The quick start's replay (batch) on the cluster, configured by deploy/config.yaml: the same alerts, and no task
     * failed on the way. With Flink's default sort-shuffle buffers the job was restarted five times for want of
     * network buffers, and finished with the same alerts.
     */
    @Test
    void aReplayOfTheBundledFilesOnTheClusterRaisesTheQuickStartsAlertsWithoutARestart() throws Exception {
        Path alerts = dir.resolve("replay-alerts.jsonl");
        FlinkCluster.Result run = FLINK.submit(Testdata.quickStart(alerts), Map.of());
        assertThat(run.status()).as(run.output()).isZero();

        assertThat(AlertsFile.summaries(AlertsFile.read(alerts)))
                .containsExactlyElementsOf(Files.readAllLines(Testdata.file("expected/alerts.tsv")));
        assertThat(FLINK.failures(FlinkCluster.jobId(run)))
                .as("the replay's task failures")
                .isEmpty();
    }

    /**
     * A stream on the cluster; while it runs, its counters are on the TaskManagers' Prometheus pages. One
     * TaskManager is killed after checkpoints completed: the job restarts from its last checkpoint on the slots
     * left, and the committed alerts are still each expected alert exactly once. A connection two hours after the
     * capture moves the watermark past its windows, as newer traffic would.
     */
    @Test
    void aTaskManagerKilledMidStreamLosesNoAlertAndDuplicatesNone() throws Exception {
        KAFKA.createTopic("crash", 2);
        KAFKA.createTopic("alerts-crash", 2);
        List<String> lines = Files.readAllLines(CAPTURE);
        List<String> expected = JobRun.demoReplay(CAPTURE, dir);

        String job = submitStream(kafkaJob("crash", "alerts-crash", 2), Map.of());
        try {
            KAFKA.produce("crash", lines.subList(0, lines.size() / 2), 2);
            awaitCompletedCheckpoints(job, 2);
            assertThat(scrapeTaskManagers())
                    .as("scanwatch's counters on the TaskManagers' Prometheus pages")
                    .contains("flink_taskmanager_job_task_operator_format_parsed")
                    .contains("flink_taskmanager_job_task_operator_events_late")
                    .contains("flink_taskmanager_job_task_operator_events_unwatched")
                    .contains("flink_taskmanager_job_task_operator_sources_tracked");

            FLINK.killTaskManager(1);
            List<String> rest = new ArrayList<>(lines.subList(lines.size() / 2, lines.size()));
            rest.addAll(ZeekLines.afterTheEdgeCapture());
            KAFKA.produce("crash", rest, 2);

            List<JsonNode> alerts = awaitAlerts("alerts-crash", expected.size());
            assertThat(AlertsFile.summaries(alerts)).containsExactlyElementsOf(expected);
            assertThat(alerts.stream().map(a -> a.at("/event/id").asText()).distinct())
                    .hasSameSizeAs(alerts);
            assertThat(FLINK.rest("/jobs/" + job).at("/state").asText()).isEqualTo("RUNNING");
            // The REST API refreshes metrics every 10 s: wait for the restart to be counted.
            Instant counted = Instant.now().plusSeconds(60);
            while (FLINK.rest("/jobs/" + job + "/metrics?get=numRestarts")
                            .at("/0/value")
                            .asLong()
                    == 0) {
                assertThat(Instant.now())
                        .as("the job restarted after the TaskManager died")
                        .isBefore(counted);
                Thread.sleep(500); // polling the REST API: the wait ends when the restart is counted
            }
        } finally {
            FLINK.cancel(job);
        }
    }

    /**
     * Stopped with a savepoint at parallelism 1 halfway through the capture, started again from it at parallelism 2:
     * the scans under way at the stop (their probes on both sides of it) are found from state restored and
     * rescaled, and the committed alerts are each expected alert exactly once.
     */
    @Test
    void aSavepointAtParallelismOneResumesAtTwoWithoutLosingOrRepeatingAnAlert() throws Exception {
        KAFKA.createTopic("resume", 2);
        KAFKA.createTopic("alerts-resume", 2);
        List<String> lines = Files.readAllLines(CAPTURE);
        List<String> first = lines.subList(0, lines.size() / 2);
        List<String> second = new ArrayList<>(lines.subList(lines.size() / 2, lines.size()));
        second.addAll(ZeekLines.afterTheEdgeCapture());
        List<String> expected = JobRun.demoReplay(CAPTURE, dir);
        assertThat(expected)
                .as("some scans have probes on both sides of the stop")
                .anyMatch(alert -> sources(first).contains(alert.split("\t")[1])
                        && sources(second).contains(alert.split("\t")[1]));

        String job = submitStream(kafkaJob("resume", "alerts-resume", 1), Map.of());
        KAFKA.produce("resume", first, 2);
        awaitCompletedCheckpoints(job, 1);
        String savepoint = FLINK.stopWithSavepoint(job);

        String resumed = submitStream(kafkaJob("resume", "alerts-resume", 2), Map.of("FLINK_SAVEPOINT", savepoint));
        try {
            KAFKA.produce("resume", second, 2);
            List<JsonNode> alerts = awaitAlerts("alerts-resume", expected.size());
            assertThat(AlertsFile.summaries(alerts)).containsExactlyElementsOf(expected);
            assertThat(alerts.stream().map(a -> a.at("/event/id").asText()).distinct())
                    .hasSameSizeAs(alerts);
        } finally {
            FLINK.cancel(resumed);
        }
    }

    private static Set<String> sources(List<String> zeekLines) {
        Set<String> sources = new HashSet<>();
        for (String line : zeekLines) {
            try {
                sources.add(JSON.readTree(line).path("id.orig_h").asText());
            } catch (Exception notJson) {
                // the capture's deliberately broken lines
            }
        }
        return sources;
    }

    private static void awaitCompletedCheckpoints(String job, int count) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        while (FLINK.rest("/jobs/" + job + "/checkpoints")
                        .at("/counts/completed")
                        .asInt()
                < count) {
            assertThat(Instant.now()).as("checkpoints of job %s", job).isBefore(deadline);
            Thread.sleep(200); // polling the cluster's REST API: the wait ends when the checkpoints are counted
        }
    }

    /** Every Prometheus page in the cluster's range that answers: the JobManager's and the TaskManagers'. */
    private static String scrapeTaskManagers() {
        StringBuilder pages = new StringBuilder();
        for (int port = 9360; port <= 9369; port++) {
            try {
                pages.append(FLINK.scrape(port));
            } catch (Exception nobodyThere) {
                // a port of the range no process took
            }
        }
        return pages.toString();
    }
}

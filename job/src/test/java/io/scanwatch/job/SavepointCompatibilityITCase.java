package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.config.ScanwatchConfig.StateBackend;
import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.Directories;
import io.scanwatch.job.testing.KafkaBroker;
import io.scanwatch.job.testing.StreamingJob;
import io.scanwatch.job.testing.TestCluster;
import io.scanwatch.job.testing.ZeekLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A savepoint this project keeps ({@code testdata/savepoints/v<STATE_VERSION>}: the bundled edge capture read from
 * Kafka up to its middle, then stopped with a savepoint) must restore into the job as it is now. Restored, the job
 * reads the rest of the capture and raises the alerts that were still to come, scans across the stop included:
 * with those raised before the stop ({@code alerts-before.tsv}) they are the capture's alerts, restored into the heap
 * and into RocksDB. A change that breaks the state fails here: make it compatible, or raise
 * {@link ScanwatchPipeline#STATE_VERSION} and record a savepoint of the new layout with
 * {@code -Dscanwatch.update-savepoint=true}.
 */
class SavepointCompatibilityITCase {
    @RegisterExtension
    @Order(1)
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    private static final Path CAPTURE = Testdata.file("telemetry/zeek/edge-conn.json.log");
    private static final Path SAVEPOINT = Testdata.file("savepoints/v" + ScanwatchPipeline.STATE_VERSION);
    private static final String TOPIC = "edge-savepoint";

    @TempDir
    Path dir;

    /** The capture's records are in the topic: the second restore reads them again from the savepoint's offsets. */
    private static boolean produced;

    /** The capture's alerts, replayed once for both restores. */
    private static List<String> expected;

    private static ScanwatchConfig config(String alertsTopic, StateBackend backend) {
        return Detectors.configLoader()
                .load(
                        Testdata.file("scanwatch-demo.yaml"),
                        Map.of(
                                "state.backend",
                                backend.name().toLowerCase(Locale.ROOT),
                                "kafka.bootstrap-servers",
                                KAFKA.bootstrapServers(),
                                "kafka.inputs",
                                "[{topic: " + TOPIC + ", format: zeek-conn}]",
                                "kafka.starting-offsets",
                                "earliest",
                                "kafka.alerts-topic",
                                alertsTopic,
                                "kafka.dead-letters-topic",
                                "",
                                "kafka.delivery",
                                "at-least-once",
                                "checkpointing.interval",
                                "1s"));
    }

    private static List<String> committed(String topic) {
        return AlertsFile.summaries(KAFKA.readCommittedJson(topic));
    }

    /**
     * Into either backend: a layout that Flink migrates on restore (a type whose serializer changed, read with the
     * old one) is migrated by each backend its own way, RocksDB value by value.
     */
    @ParameterizedTest
    @EnumSource(
            value = StateBackend.class,
            names = {"HASHMAP", "ROCKSDB"})
    void theKeptSavepointRestoresAndTheScansAcrossTheStopAreFound(StateBackend backend) throws Exception {
        List<String> lines = Files.readAllLines(CAPTURE);
        List<String> firstHalf = lines.subList(0, lines.size() / 2);
        if (!produced) {
            KAFKA.createTopic(TOPIC, 2);
            KAFKA.produce(TOPIC, firstHalf, 2);
            if (Boolean.getBoolean("scanwatch.update-savepoint")) {
                record(firstHalf.size());
            }
            // The rest of the capture, to the same partitions and offsets the savepoint's Kafka positions refer to.
            List<String> rest = new ArrayList<>(lines.subList(lines.size() / 2, lines.size()));
            rest.addAll(ZeekLines.afterTheEdgeCapture());
            List<String> everything = new ArrayList<>(firstHalf);
            everything.addAll(rest);
            KAFKA.produceFrom(TOPIC, everything, 2, firstHalf.size());
            produced = true;
        }
        assertThat(SAVEPOINT.resolve("_metadata"))
                .as(
                        "a savepoint of state version %d: record one with -Dscanwatch.update-savepoint=true",
                        ScanwatchPipeline.STATE_VERSION)
                .exists();

        List<String> before = Files.readAllLines(SAVEPOINT.resolve("alerts-before.tsv"));
        if (expected == null) {
            expected = JobRun.demoReplay(CAPTURE, dir);
        }
        String restored = "alerts-restored-" + backend;
        KAFKA.createTopic(restored, 2);
        JobClient job = StreamingJob.start(
                config(restored, backend), 2, SAVEPOINT.toUri().toString(), "scanwatch restored into " + backend);
        try {
            List<String> after = AlertsFile.summaries(KAFKA.awaitCommitted(
                    restored,
                    alerts -> before.size() + alerts.size() >= expected.size(),
                    Duration.ofMinutes(3),
                    () -> !job.getJobStatus().join().isGloballyTerminalState()));
            if (job.getJobStatus().get(1, TimeUnit.MINUTES).isGloballyTerminalState()) {
                // Throws the job's failure (a state that no longer restores), which says more than the status.
                job.getJobExecutionResult().get(1, TimeUnit.MINUTES);
            }
            assertThat(job.getJobStatus().get(1, TimeUnit.MINUTES).isGloballyTerminalState())
                    .as("the job restored from the savepoint and runs")
                    .isFalse();
            TreeSet<String> all = new TreeSet<>(before);
            all.addAll(after);
            assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(after)
                    .as("the restored job raised what was still to come")
                    .isNotEmpty();
        } finally {
            if (!job.getJobStatus().get(1, TimeUnit.MINUTES).isGloballyTerminalState()) {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
        }
    }

    /** Runs the job over the first half, stops it with a savepoint, and keeps it with the alerts raised before. */
    private void record(int records) throws Exception {
        JobClient job =
                StreamingJob.start(config("alerts-before", StateBackend.HASHMAP), 2, null, "scanwatch to a savepoint");
        Instant deadline = Instant.now().plusSeconds(120);
        while (read(job) < records) {
            assertThat(Instant.now()).as("the job reads the first half").isBefore(deadline);
            Thread.sleep(200); // polling the job's counters: the wait ends when the half is read
        }
        String taken = job.stopWithSavepoint(
                        false, dir.resolve("taken").toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);
        Path source = Path.of(java.net.URI.create(taken));
        Directories.deleteRecursively(SAVEPOINT);
        Files.createDirectories(SAVEPOINT);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = SAVEPOINT.resolve(source.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
        Files.write(SAVEPOINT.resolve("alerts-before.tsv"), committed("alerts-before"));
    }

    private static long read(JobClient job) throws Exception {
        Object read = job.getAccumulators().get(1, TimeUnit.MINUTES).get("format.zeek-conn.read");
        return read == null ? 0 : ((Number) read).longValue();
    }
}

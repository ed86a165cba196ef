package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.BlockScan;
import io.scanwatch.job.testing.ChildJvm;
import io.scanwatch.job.testing.SpoofedFlood;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A million spoofed sources, one SYN each within one minute, almost each in a /24 of its own, through the whole job
 * in a JVM with a small heap: every record is read and routed, and the run ends. Asserts completion and counts, not
 * time. Each source is held as one first probe by the rules keyed by source (the slow tier's 24 hours), and each /24
 * by the network tier (24 hours) as one or two (a fifth of them hold two sources): with no timer on the heap backend,
 * about 170 bytes of heap a key, a probe more for a second (class histogram). 384 MB suffice on the heap (352 MB do
 * not); the test gives it 512 MB. With state in RocksDB, 256 MB.
 */
class FloodITCase {
    private static final int SOURCES = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void aMillionSpoofedSourcesFitInASmallHeap() throws Exception {
        assertReplayedWholly(replayFlood("-Xmx512m"));
    }

    /** Off the heap, the state of a million sources leaves the heap as it was: 256 MB, which the heap state overruns. */
    @Test
    void withStateInRocksDbTheyFitInHalfTheHeap() throws Exception {
        assertReplayedWholly(replayFlood("-Xmx256m", "--set", "state.backend=rocksdb"));
    }

    private void assertReplayedWholly(ChildJvm.Result result) throws Exception {
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.err())
                .containsPattern("records read +1,000,003")
                .containsPattern("zeek-conn +1,000,000 parsed");
        assertThat(Files.readAllLines(dir.resolve("alerts.jsonl")))
                .as("no source did more than one probe")
                .isEmpty();
    }

    /**
     * The other worst case: one source sweeping ten million hosts of 10.0.0.0/8 (port 445) in ten minutes, in a
     * 256 MB heap. Its state is capped per pane whatever it probes; the run ends with its alerts.
     */
    @Test
    void oneSourceSweepingTenMillionHostsFitsInASmallHeap() throws Exception {
        Path sweep = dir.resolve("sweep-conn.log");
        BlockScan.writeSweep(sweep, 10_000_000, 10);
        Path alerts = dir.resolve("sweep-alerts.jsonl");
        ChildJvm.Result result = replay(sweep, alerts, "-Xmx256m");
        Files.delete(sweep);
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.err()).containsPattern("zeek-conn +10,000,000 parsed");
        assertThat(AlertsFile.read(alerts))
                .isNotEmpty()
                .allSatisfy(a -> {
                    assertThat(a.at("/source/ip").asText()).isEqualTo(BlockScan.SCANNER);
                    assertThat(a.at("/scanwatch/scope").asText()).isEqualTo("horizontal:445");
                })
                .extracting(a -> a.at("/scanwatch/alert_kind").asText())
                .as("one episode across both tiers")
                .containsOnlyOnce("new");
    }

    @Test
    void aHeapTooSmallEndsTheRunWithAMessageRatherThanASpiral() throws Exception {
        ChildJvm.Result result = replayFlood("-Xmx160m");
        assertThat(result.status()).as(result.err()).isEqualTo(3);
        assertThat(result.err()).contains("scanwatch: out of memory").contains("-Xmx");
    }

    private ChildJvm.Result replayFlood(String heap, String... options) throws Exception {
        Path flood = dir.resolve("flood-conn.log");
        if (!Files.exists(flood)) {
            SpoofedFlood.write(flood, SOURCES);
        }
        return replay(flood, dir.resolve("alerts.jsonl"), heap, options);
    }

    /** As the state would be read from Kafka: in batch mode a source's state lives only while its records pass. */
    private ChildJvm.Result replay(Path telemetry, Path alerts, String heap, String... options) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(
                "--input",
                "zeek-conn=" + telemetry,
                "--internal-cidrs",
                "10.0.0.0/8",
                "--alerts",
                alerts.toString(),
                "--parallelism",
                "2",
                "--streaming"));
        arguments.addAll(List.of(options));
        return ChildJvm.run(dir, List.of(heap), ScanwatchJob.class, arguments, 900);
    }
}

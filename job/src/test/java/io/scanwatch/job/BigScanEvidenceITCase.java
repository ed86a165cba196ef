package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.BlockScan;
import io.scanwatch.job.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scanner that probes far more targets than {@code detection.distinct-cap} keeps: its evidence must still be
 * right (exact attempts, estimated distinct counts, a block scan rather than a vertical scan of whichever host was
 * kept), one episode with roll-ups rather than a new alert per window, and the same bytes on every run.
 */
class BigScanEvidenceITCase {
    private static final int PROBES_PER_MINUTE = 40_000;
    private static final int MINUTES = 3;

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    @TempDir
    Path dir;

    private Path replay(Path telemetry, String name) throws Exception {
        Path alerts = dir.resolve(name + ".jsonl");
        new JobRun()
                .succeeds(List.of(
                        "--input",
                        "zeek-conn=" + telemetry,
                        "--internal-cidrs",
                        "10.0.0.0/8",
                        "--alerts",
                        alerts.toString(),
                        "--parallelism",
                        "2",
                        "--quiet"));
        return alerts;
    }

    @Test
    void aScanPastTheCapIsOneBlockScanWithExactAttemptsAndEstimatedTargets() throws Exception {
        Path telemetry = dir.resolve("block-scan.log");
        int[] distinctHosts = BlockScan.write(telemetry, PROBES_PER_MINUTE, MINUTES, 7);

        Path first = replay(telemetry, "first");
        List<JsonNode> alerts = AlertsFile.read(first).stream()
                .filter(a -> a.at("/rule/name").asText().equals("network_scan"))
                .toList();
        assertThat(alerts).isNotEmpty().allSatisfy(alert -> {
            assertThat(alert.at("/source/ip").asText()).isEqualTo(BlockScan.SCANNER);
            assertThat(alert.at("/scanwatch/scan_type").asText()).isEqualTo("block");
        });
        assertThat(alerts)
                .as("one episode: a new alert, then roll-ups")
                .extracting(a -> a.at("/scanwatch/alert_kind").asText())
                .containsOnlyOnce("new");
        JsonNode window = alerts.get(0).at("/scanwatch/window");
        assertThat(window.at("/end").asText())
                .as("the first alert comes when the first minute closes")
                .isEqualTo("2026-03-02T09:01:00Z");
        assertThat(window.at("/attempts").asLong()).isEqualTo(PROBES_PER_MINUTE);
        assertThat(window.at("/distinct_hosts_estimated").asBoolean()).isTrue();
        assertThat(window.at("/distinct_hosts").asDouble())
                .isCloseTo(distinctHosts[0], within(distinctHosts[0] * 0.08));
        assertThat(window.at("/distinct_hosts_bounds/0").asLong()).isLessThanOrEqualTo(distinctHosts[0]);
        assertThat(window.at("/distinct_hosts_bounds/1").asLong()).isGreaterThanOrEqualTo(distinctHosts[0]);
        assertThat(alerts.get(0).at("/scanwatch/targets")).hasSize(64);

        Path second = replay(telemetry, "second");
        assertThat(Files.readString(second))
                .as("the same bytes on a second run")
                .isEqualTo(Files.readString(first));
    }
}

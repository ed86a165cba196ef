package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.TestCluster;
import io.scanwatch.job.testing.ZeekLines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Roll-ups that must come although the scan stops before it has grown the usual way, replayed as streamed. */
class RollUpsITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    private static final long START = 1_772_442_000_000L;
    private static final String SCANNER = "203.0.113.66";
    private static final int PORTS = 110;

    @TempDir
    Path dir;

    /**
     * A slow scan that doubles within the roll-up period of its alert and then stops: no detection comes after the
     * period to roll it up, so the roll-up held back by the period is told when it is over. A port of one host every
     * 30 s for 55 minutes: the hour's tier alerts at about 50 ports, the scan reaches 110. A replay fires each source's
     * timers after its records and takes no timer set while they fire: without the timer set as each detection
     * arrives, the replay lost the roll-up.
     */
    @Test
    void aScanThatStopsWithinItsRollupPeriodIsToldAtItsExtentReplayedAsStreamed() throws Exception {
        List<String> probes = new ArrayList<>();
        for (int i = 0; i < PORTS; i++) {
            probes.add(ZeekLines.connection(START + i * 30_000L, SCANNER, "10.0.0.40", 2000 + i, false));
        }
        Path conn = Files.write(dir.resolve("conn.log"), probes, StandardCharsets.UTF_8);

        List<JsonNode> replayed = run(conn, "replayed");
        List<JsonNode> streamed = run(conn, "streamed", "--streaming");
        assertSame(streamed, replayed);

        assertThat(replayed)
                .extracting(a -> a.at("/rule/name").asText() + " "
                        + a.at("/scanwatch/alert_kind").asText())
                .containsExactly("slow_scan new", "slow_scan rollup");
        assertThat(replayed.get(0).at("/scanwatch/distinct_ports").asInt()).isLessThan(PORTS / 2);
        assertThat(replayed.get(1).at("/scanwatch/distinct_ports").asInt())
                .as("the scan's extent, from the latest detection that found it grown")
                .isEqualTo(PORTS);
        assertThat(replayed.get(1).at("/scanwatch/episode_id").asText())
                .isEqualTo(replayed.get(0).at("/scanwatch/episode_id").asText());
        Instant windowEnd =
                Instant.parse(replayed.get(1).at("/scanwatch/window/end").asText());
        assertThat(Instant.parse(replayed.get(1).at("/@timestamp").asText()))
                .as("raised when it was told: the roll-up period after its window")
                .isEqualTo(windowEnd.plus(Duration.ofHours(1)));
    }

    /** An asset in the inventory at start. */
    @Test
    void aScanReachingACriticalAssetIsToldAtOnceThoughItGrewLittle() throws Exception {
        assertEscalates("--set", "inventory.assets=[{cidr: 10.0.1.99, criticality: critical, hostname: vault}]");
    }

    /**
     * The same with the inventory added by a live change between the two minutes: marked by the inventory in effect
     * at each window's end.
     */
    @Test
    void anAssetAddedLiveEscalatesTheScansThatReachItAfterwards() throws Exception {
        Path control = Files.writeString(
                dir.resolve("control.jsonl"),
                "{\"version\": \"vault\", \"from\": \"" + Instant.ofEpochMilli(START + 90_000)
                        + "\", \"set\": {\"inventory\": {\"assets\":"
                        + " [{\"cidr\": \"10.0.1.99\", \"criticality\": \"critical\"}]}}}\n");
        assertEscalates(
                "--set", "control.file=" + control, "--set", "control.status-file=" + dir.resolve("status.jsonl"));
    }

    /**
     * A scan of 30 hosts alerts (low); in the next minute it reaches 24 more, one of them critical in the inventory:
     * too little growth to roll up, and the scan stops. The critical host is told at once, in a roll-up raised one
     * step, where before only the first alert, of the first 30 hosts, came (a trial's find).
     */
    private void assertEscalates(String... settings) throws Exception {
        List<String> probes = new ArrayList<>();
        for (int i = 1; i <= 54; i++) {
            String host = i == 54 ? "10.0.1.99" : "10.0.1." + i;
            long at = START + (i <= 30 ? i * 1_000L : 60_000L + i * 1_000L);
            probes.add(ZeekLines.connection(at, SCANNER, host, 22, false));
        }
        Path conn = Files.write(dir.resolve("conn.log"), probes, StandardCharsets.UTF_8);

        List<JsonNode> replayed = run(conn, "replayed", settings);
        List<String> streamedArgs = new ArrayList<>(List.of(settings));
        streamedArgs.add("--streaming");
        List<JsonNode> streamed = run(conn, "streamed", streamedArgs.toArray(String[]::new));
        assertSame(streamed, replayed);

        assertThat(replayed)
                .extracting(a -> a.at("/rule/name").asText() + " "
                        + a.at("/scanwatch/alert_kind").asText())
                .containsExactly("network_scan new", "network_scan rollup");
        JsonNode first = replayed.get(0);
        JsonNode rollup = replayed.get(1);
        assertThat(first.at("/scanwatch/target_criticality").isMissingNode()).isTrue();
        assertThat(rollup.at("/scanwatch/distinct_hosts").asInt())
                .as("grown by less than the growth factor")
                .isLessThan(2 * first.at("/scanwatch/distinct_hosts").asInt());
        assertThat(rollup.at("/scanwatch/target_criticality").asText()).isEqualTo("critical");
        assertThat(rollup.at("/event/severity").asInt())
                .isGreaterThan(first.at("/event/severity").asInt());
        assertThat(rollup.at("/scanwatch/target_assets/0/ip").asText()).isEqualTo("10.0.1.99");
        assertThat(rollup.at("/scanwatch/target_assets_count").asInt()).isEqualTo(1);
    }

    private static void assertSame(List<JsonNode> streamed, List<JsonNode> replayed) {
        assertThat(AlertsFile.summaries(streamed)).isEqualTo(AlertsFile.summaries(replayed));
        assertThat(streamed)
                .extracting(a -> a.at("/event/id").asText())
                .isEqualTo(
                        replayed.stream().map(a -> a.at("/event/id").asText()).toList());
    }

    private List<JsonNode> run(Path conn, String name, String... extra) throws Exception {
        Path alerts = dir.resolve(name + ".jsonl");
        List<String> args = JobRun.demo(alerts, List.of("--input", "zeek-conn=" + conn, "--quiet"));
        args.addAll(List.of(extra));
        new JobRun().succeeds(args);
        return AlertsFile.read(alerts);
    }
}

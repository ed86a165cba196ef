package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.TestCluster;
import io.scanwatch.job.testing.ZeekLines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow scan that doubles within the roll-up period of its alert and then stops: no detection comes after the
 * period to roll it up, so the roll-up held back by the period is told when it is over, replayed as streamed. A
 * replay fires each source's timers after its records and takes no timer set while they fire: without the timer set
 * as each detection arrives, the replay lost the roll-up.
 */
class HeldRollupITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    private static final long START = 1_772_442_000_000L;
    private static final String SCANNER = "203.0.113.66";
    private static final int PORTS = 110;

    @TempDir
    Path dir;

    /** A port of one host every 30 s for 55 minutes: the hour's tier alerts at about 50 ports, the scan reaches 110. */
    @Test
    void aScanThatStopsWithinItsRollupPeriodIsToldAtItsExtentReplayedAsStreamed() throws Exception {
        List<String> probes = new ArrayList<>();
        for (int i = 0; i < PORTS; i++) {
            probes.add(ZeekLines.connection(START + i * 30_000L, SCANNER, "10.0.0.40", 2000 + i, false));
        }
        Path conn = Files.write(dir.resolve("conn.log"), probes, StandardCharsets.UTF_8);

        List<JsonNode> replayed = run(conn, "replayed");
        List<JsonNode> streamed = run(conn, "streamed", "--streaming");

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

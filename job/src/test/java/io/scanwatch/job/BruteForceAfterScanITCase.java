package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.TestCluster;
import io.scanwatch.job.testing.ZeekLines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A brute force that goes on after its first match: an SSH sweep of 30 hosts, then a failed guess a minute at 25 of
 * them, then a success at a 26th and, ten minutes later, another at a 27th. The patterns skip past their match, so
 * that a brute force raises one; a trial found the 22 guesses after it, and the second success, in no alert (the
 * alert said 3 failures at 3 hosts). The logons after a match now join its episode, which rolls up as they reach
 * twice the hosts, and every later success is told.
 */
class BruteForceAfterScanITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    private static final long MINUTE = 60_000;
    private static final long START = 1_772_442_000_000L;
    private static final String SCANNER = "203.0.113.66";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"replayed", "streamed"})
    void theGuessesAndSuccessesAfterTheFirstMatchAreTold(String mode) throws Exception {
        List<String> logons = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            logons.add(ZeekLines.sshLogon(START + (3 + i) * MINUTE, SCANNER, "10.0.9." + (i + 1), 1, false));
        }
        logons.add(ZeekLines.sshLogon(START + 30 * MINUTE, SCANNER, "10.0.9.26", 1, true));
        logons.add(ZeekLines.sshLogon(START + 40 * MINUTE, SCANNER, "10.0.9.27", 1, true));
        List<JsonNode> alerts =
                JobRun.zeekAlerts(dir, mode.equals("streamed"), ZeekLines.sshSweep(START, SCANNER), logons);

        List<JsonNode> guesses = of(alerts, "scan_then_logon");
        assertThat(guesses)
                .as(AlertsFile.summaries(alerts).toString())
                .extracting(
                        a -> a.at("/scanwatch/alert_kind").asText(),
                        a -> a.at("/scanwatch/logons/failures").asInt())
                .containsExactly(tuple("new", 3), tuple("rollup", 6), tuple("rollup", 12), tuple("rollup", 24));
        JsonNode last = guesses.get(guesses.size() - 1);
        assertThat(last.at("/scanwatch/logons/targets").size()).isEqualTo(24);
        assertThat(last.at("/scanwatch/logons/first").asText())
                .as("the episode's first guess")
                .isEqualTo(Instant.ofEpochMilli(START + 3 * MINUTE).toString());
        assertThat(last.at("/scanwatch/logons/confidence").asText()).isEqualTo("at probed hosts");

        List<JsonNode> successes = of(alerts, "scan_then_logon_success");
        assertThat(successes)
                .extracting(
                        a -> a.at("/scanwatch/alert_kind").asText(),
                        a -> a.at("/scanwatch/logons/logged_on/0/target").asText())
                .containsExactly(tuple("new", "10.0.9.26"), tuple("rollup", "10.0.9.27"));
        assertThat(successes.get(0).at("/scanwatch/logons/failures").asInt())
                .as("the guesses before the success")
                .isEqualTo(25);
        assertThat(successes.get(1).at("/scanwatch/logons/successes").asInt()).isEqualTo(2);
        assertThat(successes.get(1).at("/scanwatch/severity").asText()).isEqualTo("critical");
    }

    /**
     * The same after an SSH sweep, as sshd logs it: a failed password a half second for 24 accounts, two lines in each
     * second of sshd's stamps. Each line counts once: the first alert tells the match's three and the guess of the
     * same second after them (the alert is stamped at that second), then the episode rolls up at 8 and 16 accounts.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"replayed", "streamed"})
    void sshdGuessesOfOneSecondEachCountOnce(String mode) throws Exception {
        Path conn = Files.write(dir.resolve("conn.log"), ZeekLines.sshSweep(START, SCANNER), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String at = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT)
                    .format(Instant.ofEpochMilli(START + 3 * MINUTE + 500L * i).atZone(ZoneOffset.UTC));
            lines.add(String.format(
                    Locale.ROOT,
                    "%s bastion sshd[%d]: Failed password for user%d from %s port %d ssh2",
                    at,
                    4000 + i,
                    i + 1,
                    SCANNER,
                    40000 + i));
        }
        Path auth = Files.write(dir.resolve("auth.log"), lines, StandardCharsets.UTF_8);
        Path alerts = dir.resolve("alerts.jsonl");
        List<String> args = JobRun.demo(alerts, List.of("--input", "zeek-conn=" + conn, "--input", "sshd=" + auth));
        if (mode.equals("streamed")) {
            args.add("--streaming");
        }
        new JobRun().succeeds(args);
        assertThat(of(AlertsFile.read(alerts), "scan_then_logon"))
                .extracting(
                        a -> a.at("/scanwatch/alert_kind").asText(),
                        a -> a.at("/scanwatch/logons/failures").asInt())
                .containsExactly(tuple("new", 4), tuple("rollup", 8), tuple("rollup", 16));
    }

    private static List<JsonNode> of(List<JsonNode> alerts, String rule) {
        return alerts.stream()
                .filter(a -> a.at("/rule/name").asText().equals(rule))
                .toList();
    }
}

package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.TestCluster;
import io.scanwatch.job.testing.ZeekLines;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A patient scanner logs on hours into its scan: the scan's alert and its roll-ups lie further back than the
 * correlation's hour, since a slow scan rolls up only when it has doubled, yet the logon follows the scan going on.
 */
class PatientScanThenLogonITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    private static final long MINUTE = 60_000;
    private static final long START = 1_772_442_000_000L;
    private static final String SCANNER = "203.0.113.77";

    @TempDir
    Path dir;

    /**
     * Port 22 of a new internal host every 30 s for five hours (too slow for {@code network_scan}, 120 hosts an hour
     * for the slow tier): alerted after half an hour, rolled up at 1.5 h and 3 h; the next roll-up would need 6 h.
     * A successful logon at 4.5 h, an hour and a half after the last alert.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"replayed", "streamed"})
    void aLogonHoursIntoASlowScanFollowsIt(String mode) throws Exception {
        long logon = START + 270 * MINUTE;
        List<JsonNode> alerts = run(mode, 600, logon);

        List<JsonNode> scans = alerts.stream()
                .filter(a -> a.at("/rule/name").asText().equals("slow_scan"))
                .toList();
        assertThat(scans).as("the slow scan's alert and roll-ups").isNotEmpty();
        JsonNode lastScanAlert = scans.get(scans.size() - 1);
        assertThat(Instant.parse(lastScanAlert.at("/@timestamp").asText()).toEpochMilli())
                .as("the scan's last alert is more than the correlation's hour (and the grace) before the logon")
                .isLessThan(logon - 70 * MINUTE);
        JsonNode intrusion = alerts.stream()
                .filter(a -> a.at("/rule/name").asText().equals("scan_then_logon_success"))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no scan_then_logon_success among " + AlertsFile.summaries(alerts)));
        assertThat(intrusion.at("/source/ip").asText()).isEqualTo(SCANNER);
        assertThat(intrusion.at("/scanwatch/follows/rule").asText()).isEqualTo("slow_scan");
        assertThat(intrusion.at("/scanwatch/follows/alert_id").asText())
                .as("the scan's latest alert, which the analyst has")
                .isEqualTo(lastScanAlert.at("/event/id").asText());
        assertThat(intrusion.at("/scanwatch/follows/window_end").asText())
                .as("that alert's window and rule, not those of the later detection that told of the scan")
                .isEqualTo(lastScanAlert.at("/scanwatch/window/end").asText());
        assertThat(intrusion.at("/scanwatch/incident_id").asText())
                .isEqualTo(lastScanAlert.at("/scanwatch/incident_id").asText());
        assertThat(intrusion.at("/scanwatch/follows/distinct_hosts").asInt())
                .as("the scan as it stood when it was last seen going on, not at its last alert")
                .isGreaterThan(lastScanAlert.at("/scanwatch/distinct_hosts").asInt());
    }

    /**
     * The same scan for 2.5 hours, then silence: a logon three hours after its last probe follows nothing, although
     * the day's tier holds the scan for a day.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"replayed", "streamed"})
    void aLogonHoursAfterTheScanStoppedFollowsNothing(String mode) throws Exception {
        List<JsonNode> alerts = run(mode, 300, START + 330 * MINUTE);
        assertThat(AlertsFile.summaries(alerts))
                .as("the scan alerted, the logon three hours after it did not")
                .anyMatch(summary -> summary.startsWith("slow_scan"))
                .noneMatch(summary -> summary.startsWith("scan_then_logon"));
    }

    /**
     * The same scan for 2.5 hours: a logon 55 minutes after its last probe follows it, although the scan's last word
     * to the correlation while it went on was half an hour older.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"replayed", "streamed"})
    void aLogonWithinTheHourAfterTheScanStoppedFollowsIt(String mode) throws Exception {
        long lastProbe = START + 299 * 30_000L;
        List<JsonNode> alerts = run(mode, 300, lastProbe + 55 * MINUTE);
        assertThat(alerts)
                .filteredOn(a -> a.at("/rule/name").asText().equals("scan_then_logon_success"))
                .singleElement()
                .satisfies(a -> assertThat(a.at("/scanwatch/follows/last_probe").asText())
                        .isEqualTo(Instant.ofEpochMilli(lastProbe).toString()));
    }

    /**
     * A port a minute of one host for 90 minutes, a pause of 40, then on for 110 minutes: after the pause the slow
     * tier reports the scan again only once it holds 50 ports in an hour, 50 minutes on. Logons 15 to 45 minutes into
     * the second part (four scanners, one logon each) follow the scan: it was presumed to go on past its last reported
     * probe. A trial found such logons missed when the bound ran from that probe alone.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"replayed", "streamed"})
    void logonsWhileAScanGoesOnUnreportedFollowIt(String mode) throws Exception {
        List<String> probes = new ArrayList<>();
        List<String> logons = new ArrayList<>();
        for (int scanner = 0; scanner < 4; scanner++) {
            String source = "203.0.113.8" + scanner;
            probes.addAll(aPortAMinute(source, 200, minute -> minute < 90 || minute >= 130));
            logons.add(ZeekLines.sshLogon(START + (145 + 10 * scanner) * MINUTE, source, "10.0.0.40", 1, true));
        }
        assertThat(successesFrom(JobRun.zeekAlerts(dir, mode.equals("streamed"), probes, logons)))
                .containsExactlyInAnyOrder("203.0.113.80", "203.0.113.81", "203.0.113.82", "203.0.113.83");
    }

    /**
     * A port a minute of one host for three hours (a trial's shape): logons 40 and 55 minutes after the last probe
     * follow the scan, replayed as streamed, whose last word came after the last detection was handled (a replay takes
     * no timer then, so that word's timer is set as each detection arrives).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"replayed", "streamed"})
    void theLastWordComesInAReplayToo(String mode) throws Exception {
        List<String> probes = new ArrayList<>();
        List<String> logons = new ArrayList<>();
        for (int scanner = 0; scanner < 2; scanner++) {
            String source = "203.0.113.9" + scanner;
            probes.addAll(aPortAMinute(source, 180, minute -> true));
            logons.add(ZeekLines.sshLogon(START + (179 + 40 + 15 * scanner) * MINUTE, source, "10.0.0.40", 1, true));
        }
        assertThat(successesFrom(JobRun.zeekAlerts(dir, mode.equals("streamed"), probes, logons)))
                .containsExactlyInAnyOrder("203.0.113.90", "203.0.113.91");
    }

    /** Port 1000 + m of 10.0.0.40 at minute m from START, for the {@code minutes} that {@code probing} takes. */
    private static List<String> aPortAMinute(String source, int minutes, IntPredicate probing) {
        List<String> probes = new ArrayList<>();
        for (int minute = 0; minute < minutes; minute++) {
            if (probing.test(minute)) {
                probes.add(ZeekLines.connection(START + minute * MINUTE, source, "10.0.0.40", 1000 + minute, false));
            }
        }
        return probes;
    }

    /** The sources of the {@code scan_then_logon_success} alerts. */
    private static List<String> successesFrom(List<JsonNode> alerts) {
        return alerts.stream()
                .filter(a -> a.at("/rule/name").asText().equals("scan_then_logon_success"))
                .map(a -> a.at("/source/ip").asText())
                .toList();
    }

    /** {@code probes} probes of the scanner, one every 30 s from START, and a successful logon at {@code logon}. */
    private List<JsonNode> run(String mode, int probes, long logon) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < probes; i++) {
            String host = "10.0." + (i / 200) + "." + (1 + i % 200);
            lines.add(ZeekLines.connection(START + i * 30_000L, SCANNER, host, 22, false));
        }
        return JobRun.zeekAlerts(
                dir, mode.equals("streamed"), lines, List.of(ZeekLines.sshLogon(logon, SCANNER, "10.0.0.21", 1, true)));
    }
}

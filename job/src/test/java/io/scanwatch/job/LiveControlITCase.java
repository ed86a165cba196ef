package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanwatch.job.control.ControlTimeline;
import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live control and the inventory on the bundled test data, the job run as its command line runs it: a change read
 * from a control file applies from its time on, a bad one is rejected with its reason and changes nothing, and
 * alerts carry what the inventory and the known-scanner list say.
 */
class LiveControlITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final JobRun job = new JobRun();

    /** Replays the test data with the given control records and settings; the alerts, as read. */
    private List<JsonNode> replay(String name, List<String> control, List<String> inputs, String... settings)
            throws Exception {
        Path alerts = dir.resolve(name + ".jsonl");
        List<String> args = JobRun.demo(alerts, inputs);
        if (control != null) {
            Path file = dir.resolve(name + "-control.jsonl");
            Files.write(file, control);
            args.addAll(List.of("--set", "control.file=" + file, "--set", "control.status-file=" + status(name)));
        }
        for (String setting : settings) {
            args.addAll(List.of("--set", setting));
        }
        job.succeeds(args);
        return AlertsFile.read(alerts);
    }

    private Path status(String name) {
        return dir.resolve(name + "-status.jsonl");
    }

    private List<JsonNode> statuses(String name) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(status(name))) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private static List<String> edge() {
        return List.of("--input", "zeek-conn=" + Testdata.file("telemetry/zeek/edge-conn.json.log"));
    }

    private static List<JsonNode> of(List<JsonNode> alerts, String rule, String source) {
        return alerts.stream()
                .filter(a -> a.at("/rule/name").asText().equals(rule)
                        && a.at("/source/ip").asText().equals(source))
                .toList();
    }

    private static String lowered(String from) {
        return "{\"version\": \"lower-hosts\", \"from\": \"" + from + "\","
                + " \"set\": {\"network-scan\": {\"distinct-hosts-above\": 4}}}";
    }

    @Test
    void aThresholdLoweredMidReplayFiresFromItsTimeOn() throws Exception {
        // 203.0.113.50 probes 12 hosts from 09:05:01 to 09:07:15 (5 in its first minute): below network-scan's 20.
        assertThat(of(replay("none", null, edge()), "network_scan", "203.0.113.50"))
                .isEmpty();

        Instant from = Instant.parse("2026-03-02T09:06:30Z");
        List<JsonNode> mid =
                of(replay("mid", List.of(lowered(from.toString())), edge()), "network_scan", "203.0.113.50");
        assertThat(mid).isNotEmpty().allSatisfy(alert -> {
            assertThat(Instant.parse(alert.at("/scanwatch/window/end").asText()))
                    .isAfter(from);
            assertThat(alert.at("/scanwatch/config_version").asText()).isEqualTo("lower-hosts");
        });
        assertThat(statuses("mid")).singleElement().satisfies(status -> {
            assertThat(status.get("status").asText()).isEqualTo("accepted");
            assertThat(status.get("from").asText()).isEqualTo(from.toString());
        });

        List<JsonNode> early =
                of(replay("early", List.of(lowered("2026-03-02T09:00:00Z")), edge()), "network_scan", "203.0.113.50");
        assertThat(Instant.parse(early.get(0).at("/scanwatch/window/end").asText()))
                .as("from the start, the scan's first minute already fires")
                .isBefore(Instant.parse(mid.get(0).at("/scanwatch/window/end").asText()));

        assertThat(of(replay("late", List.of(lowered("2026-03-02T09:20:00Z")), edge()), "network_scan", "203.0.113.50"))
                .as("after the scan's windows have ended, the change comes too late for it")
                .isEmpty();
    }

    /**
     * A replay reads all of its file's changes before it judges a window: the timelines kept the newest 64, and with
     * more the first changes were forgotten unseen (a threshold lowered at 09:00, then changed every 30 s, judged the
     * scan's windows by the start-up configuration). Now a thousand are kept, and the summary counts any forgotten.
     */
    @Test
    void aReplayWithHundredsOfChangesJudgesEachWindowByItsOwn() throws Exception {
        List<String> changes = new ArrayList<>();
        Instant nine = Instant.parse("2026-03-02T09:00:00Z");
        for (int i = 0; i < 100; i++) {
            changes.add(lowered(nine.plusSeconds(30L * i).toString()).replace("lower-hosts", "lower-hosts-" + i));
        }
        List<JsonNode> many = of(replay("many", changes, edge()), "network_scan", "203.0.113.50");
        List<JsonNode> one =
                of(replay("one", List.of(lowered(nine.toString())), edge()), "network_scan", "203.0.113.50");
        assertThat(many)
                .extracting(alert -> alert.at("/scanwatch/window/end").asText())
                .isNotEmpty()
                .containsExactlyElementsOf(one.stream()
                        .map(alert -> alert.at("/scanwatch/window/end").asText())
                        .toList());

        for (int i = 100; i < ControlTimeline.KEPT + 3; i++) {
            changes.add(lowered(nine.plusSeconds(30L * i).toString()).replace("lower-hosts", "lower-hosts-" + i));
        }
        replay("too-many", changes, edge());
        assertThat(job.err())
                .contains(String.format("    3 forgotten: only the newest %,d by time are kept", ControlTimeline.KEPT));
    }

    @Test
    void anAllowListEntryAddedMidStreamSilencesItsSourceAndOnlyIt() throws Exception {
        List<String> expected = Files.readAllLines(Testdata.file("expected/alerts.tsv")).stream()
                .filter(line -> !line.contains("\t203.0.113.50\t"))
                .toList();
        List<JsonNode> alerts = replay(
                "allow",
                List.of("{\"version\": \"allow-50\", \"from\": \"2026-03-02T09:00:00Z\", \"set\": {\"network\":"
                        + " {\"authorized-scanners\": [\"10.20.0.250/32\", \"203.0.113.50/32\"]}}}"),
                Testdata.explicitInputs());
        assertThat(AlertsFile.summaries(alerts)).containsExactlyElementsOf(expected);
        assertThat(alerts)
                .extracting(a -> a.at("/scanwatch/config_version").asText())
                .containsOnly("allow-50");
        assertThat(job.err())
                .as("the summary counts what the policy held back")
                .containsPattern("held back by policy +[1-9][0-9]* silenced");
    }

    /**
     * A pentest authorised live for a maintenance window that ends while the scan goes on (30 hosts on port 22, every
     * minute from 09:00 to 09:40): the alerts the policy held back opened an episode, which must not mute the scan once
     * the authorisation is lifted.
     */
    @Test
    void aScanGoingOnWhenItsAuthorisationIsLiftedIsToldAsNew() throws Exception {
        List<String> probes = new ArrayList<>();
        long nine = Instant.parse("2026-03-02T09:00:00Z").getEpochSecond();
        for (int minute = 0; minute < 40; minute++) {
            for (int host = 1; host <= 30; host++) {
                long ts = nine + minute * 60L + host * 2L;
                probes.add("{\"ts\": " + ts + ".0, \"uid\": \"C" + minute + "x" + host
                        + "\", \"id.orig_h\": \"198.51.100.77\", \"id.orig_p\": " + (40000 + host)
                        + ", \"id.resp_h\": \"10.1.0." + host + "\", \"id.resp_p\": 22, \"proto\": \"tcp\","
                        + " \"conn_state\": \"REJ\", \"history\": \"Sr\", \"orig_pkts\": 1, \"resp_pkts\": 1}");
            }
        }
        Path pentest = dir.resolve("pentest-conn.json");
        Files.write(pentest, probes);
        List<JsonNode> alerts = replay(
                "lifted",
                List.of(
                        "{\"version\": \"pentest\", \"from\": \"2026-03-02T08:00:00Z\", \"set\": {\"network\":"
                                + " {\"authorized-scanners\": [\"10.20.0.250/32\", \"198.51.100.77/32\"]}}}",
                        "{\"version\": \"pentest over\", \"from\": \"2026-03-02T09:05:00Z\", \"set\": {}}"),
                List.of("--input", "zeek-conn=" + pentest));
        List<JsonNode> scans = of(alerts, "network_scan", "198.51.100.77");
        assertThat(scans)
                .as("told once the authorisation is lifted, as a new scan")
                .isNotEmpty();
        assertThat(scans.get(0).at("/scanwatch/alert_kind").asText()).isEqualTo("new");
        assertThat(scans)
                .extracting(a -> a.at("/@timestamp").asText())
                .allSatisfy(at -> assertThat(at).isGreaterThan("2026-03-02T09:05:00"));
        assertThat(job.err()).containsPattern("held back by policy +[1-9][0-9]* silenced");
    }

    @Test
    void malformedChangesAreRejectedWithTheirReasonAndNothingElseChanges() throws Exception {
        List<JsonNode> alerts = replay(
                "bad",
                List.of(
                        "{not json",
                        "{\"version\": \"wider\", \"set\": {\"network-scan\": {\"sliding\": {\"window\": \"10m\"}}}}",
                        "{\"version\": \"negative\", \"set\": {\"network-scan\": {\"distinct-hosts-above\": -1}}}",
                        "{\"version\": \"drops-the-scanner\", \"set\": {\"network\": {\"authorized-scanners\": []}}}",
                        "{\"set\": {\"network-scan\": {\"distinct-hosts-above\": 5}}}"),
                Testdata.explicitInputs());
        assertThat(AlertsFile.summaries(alerts))
                .containsExactlyElementsOf(Files.readAllLines(Testdata.file("expected/alerts.tsv")));
        assertThat(alerts)
                .extracting(a -> a.at("/scanwatch/config_version").asText())
                .containsOnly("startup");
        assertThat(job.err()).contains("control changes      0 accepted, 5 rejected");
        assertThat(statuses("bad")).hasSize(5).allSatisfy(status -> {
            assertThat(status.get("status").asText()).isEqualTo("rejected");
            assertThat(status.get("reason").asText()).isNotBlank();
        });
        assertThat(statuses("bad"))
                .extracting(status -> status.get("origin").asText())
                .as("each status names the line to mend")
                .containsExactly(IntStream.rangeClosed(1, 5)
                        .mapToObj(line -> "file " + dir.resolve("bad-control.jsonl") + ":" + line)
                        .toArray(String[]::new));
    }

    @Test
    void alertsCarryTheInventoryAndTheKnownScannerLabels() throws Exception {
        List<JsonNode> alerts = replay(
                "inventory",
                null,
                Testdata.explicitInputs(),
                "inventory.assets=[{cidr: 10.20.5.15, criticality: critical, hostname: honeypot.dmz.example},"
                        + " {cidr: 10.20.5.0/24, criticality: medium, owner: dmz},"
                        + " {cidr: 10.20.9.5, criticality: high, hostname: bastion.corp.example}]",
                "known-scanners=[{label: research, cidrs: [198.51.100.0/24], policy: lower}]");

        JsonNode connscan =
                of(alerts, "connscan_external_internal", "203.0.113.50").get(0);
        assertThat(connscan.at("/scanwatch/target_criticality").asText()).isEqualTo("critical");
        assertThat(connscan.at("/scanwatch/target_assets/0/ip").asText()).isEqualTo("10.20.5.15");
        assertThat(connscan.at("/scanwatch/target_assets/0/hostname").asText()).isEqualTo("honeypot.dmz.example");
        assertThat(connscan.at("/scanwatch/target_assets/1/owner").asText()).isEqualTo("dmz");
        assertThat(connscan.at("/scanwatch/severity").asText())
                .as("raised one step from medium: it probed a critical asset")
                .isEqualTo("high");
        assertThat(connscan.at("/scanwatch/severity_changes").toString())
                .isEqualTo("[\"medium -> high: it targeted 10.20.5.15, critical in the inventory"
                        + " (raise-severity-from: critical)\"]");

        JsonNode sweep = of(alerts, "network_scan", "198.51.100.200").get(0);
        assertThat(sweep.at("/scanwatch/source_label").asText()).isEqualTo("research");
        assertThat(sweep.at("/scanwatch/severity").asText())
                .as("lowered from low stays low; the high bastion is below raise-severity-from (critical)")
                .isEqualTo("low");
        assertThat(sweep.at("/scanwatch/target_criticality").asText()).isEqualTo("high");
        assertThat(sweep.at("/scanwatch/severity_changes/0").asText())
                .isEqualTo("low -> low: the source is known scanner 'research', policy lower (nothing is below low)");

        assertThat(of(alerts, "scan_then_logon_success", "198.51.100.200"))
                .singleElement()
                .satisfies(alert -> assertThat(
                                alert.at("/scanwatch/logons/confidence").asText())
                        .as("sshd names the bastion; the inventory knows its address, which the sweep probed")
                        .isEqualTo("at probed hosts"));
    }

    @Test
    void aLogonAlertSaysWhenTheScanAlertItFollowsWasDropped() throws Exception {
        List<JsonNode> alerts = replay(
                "drop",
                null,
                Testdata.explicitInputs(),
                "known-scanners=[{label: research, cidrs: [198.51.100.0/24], policy: drop}]");
        assertThat(of(alerts, "network_scan", "198.51.100.200")).as("dropped").isEmpty();
        assertThat(of(alerts, "scan_then_logon_success", "198.51.100.200"))
                .singleElement()
                .satisfies(alert -> assertThat(
                                alert.at("/scanwatch/follows/alert_held_back").asText())
                        .isEqualTo("dropped: the source is known scanner 'research', policy drop"));
        assertThat(of(alerts, "scan_then_logon_success", "203.0.113.50"))
                .as("a scan alert that was sent")
                .singleElement()
                .satisfies(alert -> assertThat(
                                alert.at("/scanwatch/follows/alert_held_back").isMissingNode())
                        .isTrue());
    }
}

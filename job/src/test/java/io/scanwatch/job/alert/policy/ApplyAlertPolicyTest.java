package io.scanwatch.job.alert.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.config.ConfigLayers;
import io.scanwatch.job.config.ConfigLoader;
import io.scanwatch.job.control.ControlTimeline;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.ControlChange;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.LogonEvidence;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.model.ScanFacts;
import io.scanwatch.job.model.Severity;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Allow-list, known scanners and inventory on alerts, by the change in effect when each was raised. */
class ApplyAlertPolicyTest {
    private static final long T = 1_772_442_000_000L;

    private BroadcastOperatorTestHarness<Alert, ControlChange, Alert> harness;

    private void open(Map<String, String> startup) throws Exception {
        ConfigLoader loader = Detectors.configLoader();
        ObjectNode tree = loader.tree(null, startup);
        harness = ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                new ApplyAlertPolicy(loader.load(tree), new ConfigLayers(tree, Detectors::configLoader)),
                ControlTimeline.CHANGES);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static Alert alert(String source, long windowEnd, int severity, String... targets) {
        Alert alert = new Alert();
        alert.detection = new Detection();
        alert.detection.rule = "network_scan";
        alert.detection.sourceIp = source;
        alert.detection.windowEnd = windowEnd;
        alert.detection.severity = severity;
        alert.episode = new ProbeTally();
        for (String target : targets) {
            alert.episode.hosts.add(target, 1, 64);
        }
        return alert;
    }

    private List<Alert> send(Alert... alerts) throws Exception {
        for (Alert alert : alerts) {
            harness.processElement(alert, alert.detection.windowEnd - 1);
        }
        return harness.extractOutputValues();
    }

    /** Lowered first, a low alert stayed low and the critical host then raised it above the rule's own severity. */
    @Test
    void aLoweredKnownScannerAtACriticalHostStaysAtTheRulesSeverity() throws Exception {
        open(Map.of(
                "known-scanners", "[{label: censys, cidrs: [162.142.125.0/24], policy: lower}]",
                "inventory.assets", "[{cidr: 10.50.1.0/24, criticality: critical}]"));
        List<Alert> out = send(
                alert("162.142.125.7", T, Severity.LOW.score, "10.50.1.9"),
                alert("162.142.125.8", T, Severity.MEDIUM.score, "10.50.1.9"),
                alert("198.51.100.1", T, Severity.LOW.score, "10.50.1.9"));
        assertThat(out)
                .extracting(a -> a.detection.sourceIp + " " + a.detection.severity)
                .containsExactly(
                        "162.142.125.7 " + Severity.LOW.score,
                        "162.142.125.8 " + Severity.MEDIUM.score,
                        "198.51.100.1 " + Severity.MEDIUM.score);
        assertThat(out)
                .extracting(a -> a.severityChanges)
                .as("each step the policy took, in its order, for the analyst")
                .containsExactly(
                        List.of(
                                "low -> medium: it targeted 10.50.1.9, critical in the inventory"
                                        + " (raise-severity-from: critical)",
                                "medium -> low: the source is known scanner 'censys', policy lower"),
                        List.of(
                                "medium -> high: it targeted 10.50.1.9, critical in the inventory"
                                        + " (raise-severity-from: critical)",
                                "high -> medium: the source is known scanner 'censys', policy lower"),
                        List.of("low -> medium: it targeted 10.50.1.9, critical in the inventory"
                                + " (raise-severity-from: critical)"));
    }

    @Test
    void knownScannersAreLabelledAndKeptLoweredOrDropped() throws Exception {
        open(Map.of(
                "known-scanners",
                "[{label: censys, cidrs: [162.142.125.0/24], policy: lower},"
                        + " {label: our-nessus, cidrs: [10.20.0.9], policy: drop},"
                        + " {label: shodan, cidrs: ['2001:db8:5::/48'], policy: keep}]"));
        List<Alert> out = send(
                alert("162.142.125.7", T, Severity.MEDIUM.score),
                alert("10.20.0.9", T, Severity.MEDIUM.score),
                alert("2001:db8:5::1", T, Severity.MEDIUM.score),
                alert("198.51.100.1", T, Severity.MEDIUM.score));
        assertThat(out)
                .extracting(a -> a.detection.sourceIp)
                .containsExactly("162.142.125.7", "2001:db8:5::1", "198.51.100.1");
        assertThat(out).extracting(a -> a.sourceLabel).containsExactly("censys", "shodan", null);
        assertThat(out)
                .extracting(a -> a.detection.severity)
                .containsExactly(Severity.LOW.score, Severity.MEDIUM.score, Severity.MEDIUM.score);
        assertThat(out.get(1).severityChanges).as("keep leaves it").isEmpty();
        assertThat(out).extracting(a -> a.configVersion).containsOnly(ControlTimeline.STARTUP);

        Alert logons = alert("10.20.0.9", T, Severity.HIGH.score);
        logons.detection.logons = new LogonEvidence();
        logons.detection.follows = new ScanFacts();
        logons.detection.follows.windowEnd = T;
        Alert keptScanLogons = alert("2001:db8:5::1", T, Severity.HIGH.score);
        keptScanLogons.detection.logons = new LogonEvidence();
        keptScanLogons.detection.follows = new ScanFacts();
        keptScanLogons.detection.follows.windowEnd = T;
        List<Alert> all = send(logons, keptScanLogons);
        assertThat(all.subList(all.size() - 2, all.size()))
                .as("a known scanner that logs in is told as it is")
                .satisfiesExactly(
                        a -> {
                            assertThat(a.sourceLabel).isEqualTo("our-nessus");
                            assertThat(a.detection.severity).isEqualTo(Severity.HIGH.score);
                            assertThat(a.followedAlertHeldBack)
                                    .as("the scan alert it follows was dropped: its id names nothing sent")
                                    .isEqualTo("dropped: the source is known scanner 'our-nessus', policy drop");
                        },
                        a -> assertThat(a.followedAlertHeldBack).isNull());
    }

    @Test
    void theInventoryDescribesTargetsAndRaisesScansOfCriticalOnes() throws Exception {
        open(Map.of(
                "inventory.assets",
                "[{cidr: 10.20.5.0/24, criticality: medium, owner: dmz},"
                        + " {cidr: 10.20.5.15, criticality: critical, hostname: db1.corp.example, tags: [pci]}]"));
        List<Alert> out = send(
                alert("203.0.113.50", T, Severity.MEDIUM.score, "10.20.5.15", "10.20.5.16", "10.99.0.1"),
                alert("203.0.113.51", T, Severity.MEDIUM.score, "10.20.5.16"),
                alert("203.0.113.52", T, Severity.MEDIUM.score, "10.99.0.1"));
        Alert critical = out.get(0);
        assertThat(critical.targetCriticality).isEqualTo("critical");
        assertThat(critical.detection.severity).isEqualTo(Severity.HIGH.score);
        assertThat(critical.targetAssets).extracting(a -> a.ip).containsExactly("10.20.5.15", "10.20.5.16");
        assertThat(critical.targetAssets.get(0).hostname).isEqualTo("db1.corp.example");
        assertThat(critical.targetAssets.get(0).tags).containsExactly("pci");
        assertThat(critical.targetAssets.get(1).owner).isEqualTo("dmz");
        assertThat(out.get(1).targetCriticality).isEqualTo("medium");
        assertThat(out.get(1).detection.severity)
                .as("medium is below raise-severity-from")
                .isEqualTo(Severity.MEDIUM.score);
        assertThat(out.get(2).targetAssets).isEmpty();
        assertThat(out.get(2).targetCriticality).isNull();
        assertThat(out.get(1).severityChanges).isEmpty();
    }

    @Test
    void aCriticalAlertAtACriticalHostSaysWhyItStayedCritical() throws Exception {
        open(Map.of("inventory.assets", "[{cidr: 10.50.1.0/24, criticality: critical}]"));
        assertThat(send(alert("198.51.100.1", T, Severity.CRITICAL.score, "10.50.1.9")))
                .singleElement()
                .satisfies(a -> assertThat(a.severityChanges)
                        .containsExactly("critical -> critical: it targeted 10.50.1.9, critical in the inventory"
                                + " (raise-severity-from: critical) (nothing is above critical)"));
    }

    @Test
    void aLowAlertOfAKnownScannerSaysWhyItStayedLow() throws Exception {
        open(Map.of("known-scanners", "[{label: censys, cidrs: [162.142.125.0/24], policy: lower}]"));
        assertThat(send(alert("162.142.125.7", T, Severity.LOW.score)))
                .singleElement()
                .satisfies(a -> assertThat(a.severityChanges)
                        .containsExactly("low -> low: the source is known scanner 'censys', policy lower (nothing is"
                                + " below low)"));
    }

    @Test
    void aLogonAlertAfterALiftedAuthorisationSaysItsScanAlertWasSilenced() throws Exception {
        open(Map.of());
        harness.processBroadcastElement(
                ControlChange.of(
                        "allow-50", T - 60_000, "{\"network\": {\"authorized-scanners\": [\"203.0.113.50\"]}}"),
                T);
        harness.processBroadcastElement(ControlChange.of("lifted", T + 60_000, "{}"), T);
        Alert logons = alert("203.0.113.50", T + 120_000, Severity.HIGH.score);
        logons.detection.logons = new LogonEvidence();
        logons.detection.follows = new ScanFacts();
        logons.detection.follows.windowEnd = T;
        assertThat(send(logons))
                .singleElement()
                .satisfies(a -> assertThat(a.followedAlertHeldBack)
                        .isEqualTo("silenced: the source was an authorised scanner"));
    }

    /** No change at start; a minute on, a live change authorises 203.0.113.50 (version allow-50). */
    private void openAuthorisingFiftyAMinuteOn() throws Exception {
        open(Map.of());
        harness.processBroadcastElement(
                ControlChange.of(
                        "allow-50", T + 60_000, "{\"network\": {\"authorized-scanners\": [\"203.0.113.50/32\"]}}"),
                T);
    }

    @Test
    void anAllowListEntryAddedLiveSilencesItsSourceFromItsTimeOn() throws Exception {
        openAuthorisingFiftyAMinuteOn();
        List<Alert> out = send(
                alert("203.0.113.50", T, Severity.LOW.score),
                alert("203.0.113.50", T + 120_000, Severity.LOW.score),
                alert("203.0.113.51", T + 120_000, Severity.LOW.score));
        assertThat(out)
                .extracting(a -> a.detection.sourceIp + " " + a.configVersion)
                .containsExactly("203.0.113.50 startup", "203.0.113.51 allow-50");
    }

    /**
     * A roll-up the roll-up period held back is judged by the change in effect at its window's end, as suppression
     * was told what the policy holds back: it goes where its episode's alerts went.
     */
    @Test
    void aHeldRollupIsJudgedAtItsWindow() throws Exception {
        openAuthorisingFiftyAMinuteOn();
        Alert held = alert("203.0.113.50", T, Severity.LOW.score);
        held.heldUntil = T + 120_000;
        harness.processElement(held, held.raisedAt() - 1);
        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(a -> assertThat(a.configVersion).isEqualTo("startup"));
    }

    /**
     * Past the cap an episode keeps a sample of its hosts, which may leave out the host the detection saw: the
     * detection's own hosts are described too, so that a scan that escalated for it names it.
     */
    @Test
    void theDetectionsOwnHostsAreDescribedBesideTheEpisodes() throws Exception {
        open(Map.of("inventory.assets", "[{cidr: 10.20.5.15, criticality: critical}]"));
        Alert alert = alert("203.0.113.50", T, Severity.LOW.score, "10.20.5.16");
        alert.detection.tally = new ProbeTally();
        alert.detection.tally.hosts.add("10.20.5.15", 1, 64);
        assertThat(send(alert))
                .singleElement()
                .satisfies(a -> assertThat(a.targetAssets).extracting(t -> t.ip).containsExactly("10.20.5.15"))
                .satisfies(a -> assertThat(a.targetCriticality).isEqualTo("critical"));
    }

    /**
     * An episode raised for an asset that its sample of hosts (past the cap) no longer holds: a later alert names it
     * still, and does not fall back in severity.
     */
    @Test
    void anAssetAnEarlierAlertWasRaisedForIsNamedByTheLaterOnes() throws Exception {
        open(Map.of("inventory.assets", "[{cidr: 10.20.5.15, criticality: critical}]"));
        Alert later = alert("203.0.113.50", T, Severity.LOW.score, "10.20.5.16");
        later.raisingTargetTold = "10.20.5.15";
        assertThat(send(later))
                .singleElement()
                .satisfies(a -> assertThat(a.targetAssets).extracting(t -> t.ip).containsExactly("10.20.5.15"))
                .satisfies(a -> assertThat(a.detection.severity).isEqualTo(Severity.MEDIUM.score));
    }

    @Test
    void theMostSpecificBlockDecidesAndANetworkOnlyByABlockHoldingAllOfIt() throws Exception {
        open(Map.of(
                "known-scanners",
                "[{label: census, cidrs: [198.51.100.0/24, '::/0'], policy: drop},"
                        + " {label: our-probe, cidrs: [198.51.100.7], policy: keep},"
                        + " {label: half, cidrs: [162.142.125.128/25], policy: drop},"
                        + " {label: ours-now, cidrs: [198.51.100.7/32], policy: keep}]"));
        List<Alert> out = send(
                alert("198.51.100.7", T, Severity.LOW.score),
                alert("198.51.100.8", T, Severity.LOW.score),
                alert("10.20.1.1", T, Severity.LOW.score),
                alert("162.142.125.0/24", T, Severity.LOW.score));
        assertThat(out)
                .extracting(a -> a.detection.sourceIp + " " + a.sourceLabel)
                .as(
                        "the /32 keeps its own, the later entry for it; ::/0 holds no IPv4 source; half a /24 is not the network")
                .containsExactly("198.51.100.7 ours-now", "10.20.1.1 null", "162.142.125.0/24 null");
    }

    @Test
    void targetsNamedByLogonsAreDescribedByAddressAndWideScansSayTheyWereSampled() throws Exception {
        open(Map.of("inventory.assets", "[{cidr: 10.20.9.5, criticality: high, hostname: bastion.corp.example}]"));
        Alert logons = alert("198.51.100.200", T, Severity.HIGH.score);
        logons.episodeLogons = new LogonEvidence();
        logons.episodeLogons.targets.add("bastion", 1, 64);
        Alert wide = alert("198.51.100.201", T, Severity.LOW.score);
        for (int i = 1; i <= 100; i++) {
            wide.episode.hosts.add("10.20.8." + i, 1, 4);
        }
        wide.episode.services.add("10.20.9.5:22", 1, 4);
        List<Alert> out = send(logons, wide);
        assertThat(out.get(0).targetAssets)
                .extracting(a -> a.ip + " " + a.hostname)
                .containsExactly("10.20.9.5 bastion.corp.example");
        assertThat(out.get(1).targetAssets)
                .as("a host among the sampled services is looked up too")
                .extracting(a -> a.ip)
                .containsExactly("10.20.9.5");
        assertThat(out.get(1).targetAssetsSampled).isTrue();
        assertThat(out.get(0).targetAssetsSampled).isFalse();
    }
}

package io.scanwatch.job.detect;

import static io.scanwatch.job.testing.Events.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.model.ScanType;
import io.scanwatch.job.model.Severity;
import io.scanwatch.net.CidrSet;
import io.scanwatch.net.NetworkClassifier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The classic rule's clauses and the classification of what fired, on window tallies. */
class NetworkScanRuleTest {
    private static final long T = 1_700_000_000_000L;
    private static final long MINUTE = 60_000;
    /** A minute's start, where the sliding rule's panes start. */
    private static final long START = T - Math.floorMod(T, MINUTE);

    private final ScanwatchConfig config = Detectors.configLoader().defaults();
    private final NetworkScanRule rule = NetworkScanRule.tumbling(
            config.rules().of(NetworkScanRule.KIND),
            new RuleContext(new NetworkClassifier(CidrSet.of(List.of("10.0.0.0/8")), CidrSet.of(List.of())), 64));

    /** The tumbling rule with these settings, over the same internal ranges and cap. */
    private static NetworkScanRule withSettings(Map<String, String> settings) {
        return NetworkScanRule.tumbling(
                Detectors.configLoader().load(null, settings).rules().of(NetworkScanRule.KIND),
                new RuleContext(new NetworkClassifier(CidrSet.of(List.of("10.0.0.0/8")), CidrSet.of(List.of())), 64));
    }

    /** The tumbling rule firing on {@code ports} ports, with no attempts clause to fire instead. */
    private static NetworkScanRule byPortsAlone(int ports) {
        return withSettings(Map.of(
                "network-scan.distinct-ports-at-least",
                String.valueOf(ports),
                "network-scan.attempts-above",
                "1000000"));
    }

    private ProbeTally tally(String source, List<String> hosts, List<Integer> ports, int repeat) {
        ProbeTally tally = new ProbeTally();
        for (int r = 0; r < repeat; r++) {
            for (String host : hosts) {
                for (int port : ports) {
                    tally.add(tcp(T, source, host, port, Outcome.REJECTED, Direction.INTERNAL_INTERNAL), 64);
                }
            }
        }
        return tally;
    }

    private static List<String> hosts(int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> "10.1.0." + i)
                .toList();
    }

    private static List<Integer> ports(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> 1000 + i).toList();
    }

    private Detection evaluate(ProbeTally tally) {
        return rule.evaluate("10.9.9.9", tally, T - 60_000, T);
    }

    @Test
    void twentyOneHostsOnOnePortIsAHorizontalScan() {
        assertThat(evaluate(tally("10.9.9.9", hosts(20), List.of(22), 1))).isNull();
        Detection d = evaluate(tally("10.9.9.9", hosts(21), List.of(22), 1));
        assertThat(d.scanType).isEqualTo(ScanType.HORIZONTAL);
        assertThat(d.scope).isEqualTo("horizontal:22");
        assertThat(d.networkDirection).isEqualTo("internal");
        assertThat(d.techniques).containsExactly("T1046", "T1595");
        assertThat(d.severity).isEqualTo(Severity.MEDIUM.score);
    }

    /**
     * As nmap's host discovery swept 50 hosts with ICMP and tried 80 and 443 on one of them: the scope names the
     * sweep's transport beside the ports, not the ports alone.
     */
    @Test
    void aPingSweepWithAFewPortsIsNamedForBoth() {
        ProbeTally tally = new ProbeTally();
        for (String host : hosts(50)) {
            tally.add(T, host, -1, host + "/icmp", true, 64);
        }
        tally.add(T, "10.1.0.1", 80, "10.1.0.1:80", true, 64);
        tally.add(T, "10.1.0.1", 443, "10.1.0.1:443", true, 64);
        Detection d = evaluate(tally);
        assertThat(d.scanType).isEqualTo(ScanType.HORIZONTAL);
        assertThat(d.scope).isEqualTo("horizontal:icmp,80,443");
    }

    @Test
    void fifteenPortsOnOneHostIsAVerticalScan() {
        assertThat(evaluate(tally("10.9.9.9", hosts(1), ports(14), 1))).isNull();
        Detection d = evaluate(tally("10.9.9.9", hosts(1), ports(15), 1));
        assertThat(d.scanType).isEqualTo(ScanType.VERTICAL);
        assertThat(d.target).isEqualTo("10.1.0.0");
    }

    @Test
    void strayProbesElsewhereDoNotTurnAVerticalScanIntoABlock() {
        ProbeTally tally = tally("10.9.9.9", List.of("10.1.0.1"), ports(40), 1);
        tally.addAll(tally("10.9.9.9", List.of("10.1.0.2", "10.1.0.3"), ports(5), 1), 64);
        Detection d = evaluate(tally);
        assertThat(d.scanType).isEqualTo(ScanType.VERTICAL);
        assertThat(d.scope).isEqualTo("vertical:10.1.0.1");
        assertThat(d.tally.hosts.counts)
                .as("evidence of the scan, not the strays")
                .containsOnlyKeys("10.1.0.1");
        assertThat(d.tally.ports.distinct()).isEqualTo(40);
        assertThat(d.tally.attempts).isEqualTo(40);
    }

    /**
     * Ten ports of one host and nine others of a second (as 104.156.155.13 probed two CTU-50 servers in one window): 19
     * ports fired the rule, neither host's alone would have, so the evidence keeps both.
     */
    @Test
    void aScanThatCrossedTheThresholdOnlyWithBothHostsIsABlockShowingBoth() {
        ProbeTally tally = tally("10.9.9.9", List.of("10.1.0.1"), ports(10), 1);
        tally.addAll(tally("10.9.9.9", List.of("10.1.0.2"), ports(19).subList(10, 19), 1), 64);
        Detection d = evaluate(tally);
        assertThat(d.scanType).isEqualTo(ScanType.BLOCK);
        assertThat(d.scope).isEqualTo("block");
        assertThat(d.target).isNull();
        assertThat(d.tally.hosts.counts).containsOnlyKeys("10.1.0.1", "10.1.0.2");
        assertThat(d.tally.ports.distinct()).isEqualTo(19);
        assertThat(d.tally.attempts).isEqualTo(19);
    }

    /**
     * Past the cap a host's part is a sample: with a threshold of 60 ports (and no attempts clause to fire instead),
     * 300 ports of one host beside 30 of another keep about 58 of its ports among 64, which could never reach it; its
     * share of the estimate of all (about 300) does. The other's share (about 30) is below the threshold: strays.
     */
    @Test
    void pastTheCapAVerticalScanIsNotJudgedByItsSamplesCount() {
        NetworkScanRule sixtyPorts = byPortsAlone(60);
        ProbeTally tally = tally("10.9.9.9", List.of("10.1.0.1"), ports(300), 1);
        tally.addAll(tally("10.9.9.9", List.of("10.1.0.2"), ports(330).subList(300, 330), 1), 64);
        Detection d = sixtyPorts.evaluate("10.9.9.9", tally, T - 60_000, T);
        assertThat(d.scope).isEqualTo("vertical:10.1.0.1");
        assertThat(d.tally.ports.distinct())
                .as("a sample's count, below the threshold")
                .isLessThan(60);

        ProbeTally second = tally("10.9.9.9", List.of("10.1.0.1"), ports(300), 1);
        second.addAll(tally("10.9.9.9", List.of("10.1.0.2"), ports(400).subList(300, 400), 1), 64);
        assertThat(sixtyPorts.evaluate("10.9.9.9", second, T - 60_000, T).scope)
                .as("100 ports of the other, whose share of the sample (about 16) alone could never reach 60")
                .isEqualTo("block");
    }

    /**
     * A thousand ports of one host beside single probes of five others: a probe the sample happened to keep, scaled by
     * the thousand, is no scan of fifteen ports; the vertical scan stands, whichever of them the sample holds.
     */
    @Test
    void pastTheCapAStrayProbeInTheSampleIsNoScanOfItsOwn() {
        for (int scanned = 0; scanned < 20; scanned++) {
            String host = "10.1." + scanned + ".1";
            ProbeTally tally = tally("10.9.9.9", List.of(host), ports(1000), 1);
            for (int stray = 0; stray < 5; stray++) {
                tally.addAll(tally("10.9.9.9", List.of("10.2." + scanned + "." + stray), List.of(8080), 1), 64);
            }
            assertThat(evaluate(tally).scope).as("host %s", host).isEqualTo("vertical:" + host);
        }
    }

    /**
     * Just past the cap, two hosts of about half the services each, neither reaching the threshold alone (34 and 31
     * ports against 50, as a scanner probed the CTU-50 servers in a day): a block showing both, not a vertical scan
     * of the first whose evidence, a sample, told 33 ports and hid the other's. And two hosts each past it.
     */
    @Test
    void pastTheCapTwoHostsThatReachTheThresholdOnlyTogetherAreABlock() {
        NetworkScanRule fiftyPorts = byPortsAlone(50);
        ProbeTally tally = tally("10.9.9.9", List.of("10.1.0.1"), ports(34), 1);
        tally.addAll(tally("10.9.9.9", List.of("10.1.0.2"), ports(100).subList(50, 81), 1), 64);
        assertThat(tally.services.estimated()).as("past the cap").isTrue();
        Detection d = fiftyPorts.evaluate("10.9.9.9", tally, T - 60_000, T);
        assertThat(d.scope).isEqualTo("block");
        assertThat(d.tally.hosts.counts).containsOnlyKeys("10.1.0.1", "10.1.0.2");

        ProbeTally both = tally("10.9.9.9", List.of("10.1.0.1"), ports(70), 1);
        both.addAll(tally("10.9.9.9", List.of("10.1.0.2"), ports(200).subList(100, 165), 1), 64);
        assertThat(fiftyPorts.evaluate("10.9.9.9", both, T - 60_000, T).scope)
                .as("70 and 65 ports: each past the threshold, neither is a stray of the other")
                .isEqualTo("block");
    }

    /** A sweep of port 80 over 21 hosts beside 22 ports of one host: each crosses a threshold, neither is a stray. */
    @Test
    void aSweepThatCrossesTheHostsThresholdIsNotHiddenAsStrays() {
        ProbeTally tally = tally("10.9.9.9", List.of("10.1.0.99"), ports(22), 1);
        tally.addAll(tally("10.9.9.9", hosts(21), List.of(80), 1), 64);
        Detection d = evaluate(tally);
        assertThat(d.scanType).isEqualTo(ScanType.BLOCK);
        assertThat(d.tally.hosts.distinct()).isEqualTo(22);
        assertThat(d.tally.attempts).isEqualTo(43);
    }

    /**
     * 100 ports of one host beside ten of another and a probe of a third: past the cap the host's share is read in
     * the sample of services kept, not against the estimate of all of them, where a sample of 64 could never hold
     * half of 111.
     */
    @Test
    void aVerticalScanPastTheCapIsJudgedByItsShareOfTheSample() {
        ProbeTally tally = tally("10.9.9.9", List.of("10.1.0.1"), ports(100), 1);
        tally.addAll(tally("10.9.9.9", List.of("10.1.0.2"), ports(10), 1), 64);
        tally.addAll(tally("10.9.9.9", List.of("10.1.0.3"), ports(1), 1), 64);
        assertThat(tally.services.estimated()).as("past the cap").isTrue();
        Detection d = evaluate(tally);
        assertThat(d.scope).isEqualTo("vertical:10.1.0.1");

        ProbeTally even = tally("10.9.9.9", hosts(3), ports(40), 1);
        assertThat(evaluate(even).scanType).as("no host holds most").isEqualTo(ScanType.BLOCK);
    }

    /**
     * Two hosts scanned in one window: a vertical scan of the busier would hide the other's scan as strays, and its
     * own window might not come. A block, whose evidence shows both: twenty ports each, thirty and twenty, and past
     * the cap, as nmap scanned 100 ports of one host beside 40 of another and a probe of a third (Stratosphere's nmap
     * capture), where the second's part of the sample reaches the threshold too. Many attempts at two services of
     * another host are no scan of it: the vertical scan stands.
     */
    @Test
    void twoHostsScannedInOneWindowAreABlockShowingBoth() {
        for (int busier : List.of(20, 30)) {
            ProbeTally tally = tally("10.9.9.9", List.of("10.1.0.1"), ports(busier), 1);
            tally.addAll(tally("10.9.9.9", List.of("10.1.0.2"), ports(20), 1), 64);
            Detection d = evaluate(tally);
            assertThat(d.scope).as("%d and 20 ports", busier).isEqualTo("block");
            assertThat(d.tally.hosts.counts).containsOnlyKeys("10.1.0.1", "10.1.0.2");
            assertThat(d.tally.attempts).isEqualTo(busier + 20);
        }
        ProbeTally nmap = tally("10.9.9.9", List.of("10.1.0.1"), ports(100), 1);
        nmap.addAll(tally("10.9.9.9", List.of("10.1.0.2"), ports(40), 1), 64);
        nmap.addAll(tally("10.9.9.9", List.of("10.1.0.3"), ports(1), 1), 64);
        assertThat(evaluate(nmap).scope).isEqualTo("block");

        ProbeTally hammered = tally("10.9.9.9", List.of("10.1.0.1"), ports(30), 1);
        hammered.addAll(tally("10.9.9.9", List.of("10.1.0.2"), ports(2), 60), 64);
        assertThat(evaluate(hammered).scope).isEqualTo("vertical:10.1.0.1");
    }

    /** A set holds its cap's number of keys exactly: a threshold that needs them all is decided exactly. */
    @Test
    void aThresholdAtTheCapIsCountedExactly() {
        NetworkScanRule atTheCap = withSettings(Map.of("network-scan.distinct-hosts-above", "63"));
        assertThat(atTheCap.evaluate("10.9.9.9", tally("10.9.9.9", hosts(63), List.of(445), 1), T - 60_000, T))
                .isNull();
        Detection fired = atTheCap.evaluate("10.9.9.9", tally("10.9.9.9", hosts(64), List.of(445), 1), T - 60_000, T);
        assertThat(fired.tally.hosts.estimated()).isFalse();
        assertThat(fired.tally.hosts.distinct()).isEqualTo(64);
    }

    @Test
    void manyHostsAndManyPortsIsABlockScan() {
        Detection d = evaluate(tally("10.9.9.9", hosts(8), ports(8), 2));
        assertThat(d.scanType).isEqualTo(ScanType.BLOCK);
        assertThat(d.scope).isEqualTo("block");
    }

    @Test
    void manyAttemptsFireOnlyWhenNoSingleServiceDominates() {
        ProbeTally loop = tally("10.9.9.9", List.of("203.0.113.9"), List.of(5888), 300);
        loop.addAll(tally("10.9.9.9", hosts(5), List.of(1900), 1), 64);
        assertThat(evaluate(loop)).as("a C2 reconnect loop").isNull();

        ProbeTally spread = tally("10.9.9.9", hosts(4), ports(3), 10);
        assertThat(spread.attempts).isEqualTo(120);
        assertThat(evaluate(spread)).isNotNull();
    }

    /**
     * A client retrying one database beside 80 failed connections to four services on each of 20 hosts (no more hosts
     * or ports than the thresholds): past the cap of 64 services, the sample of services may leave the database out;
     * the loop still holds the attempts clause back.
     */
    @Test
    void aReconnectLoopBesideMoreServicesThanTheCapStillDominates() {
        ProbeTally tally = tally("10.9.9.9", hosts(20), ports(4), 1);
        String database = java.util.stream.IntStream.range(5000, 6000)
                .mapToObj(port -> "10.1.0.0:" + port)
                .filter(service -> {
                    ProbeTally withIt = tally.copy();
                    withIt.addAll(tally("10.9.9.9", List.of("10.1.0.0"), List.of(portOf(service)), 1), 64);
                    return !withIt.services.counts.containsKey(service);
                })
                .findFirst()
                .orElseThrow();
        tally.addAll(tally("10.9.9.9", List.of("10.1.0.0"), List.of(portOf(database)), 200), 64);
        assertThat(tally.services.counts).as("the sample left it out").doesNotContainKey(database);
        assertThat(tally.attempts).isEqualTo(280);

        assertThat(evaluate(tally)).isNull();
    }

    private static int portOf(String service) {
        return Integer.parseInt(service.substring(service.indexOf(':') + 1));
    }

    @Test
    void externalSourcesAreLowSeverityReconnaissance() {
        Detection d = rule.evaluate("198.51.100.1", tally("198.51.100.1", hosts(30), List.of(445), 1), T - 60_000, T);
        assertThat(d.sourceInternal).isFalse();
        assertThat(d.networkDirection).isEqualTo("inbound");
        assertThat(d.severity).isEqualTo(Severity.LOW.score);
        assertThat(d.techniques).containsExactly("T1595");
    }

    @Test
    void probesModeIgnoresCompletedConnectionsAndAllModeCountsThem() {
        ConnectionEvent completed = tcp(T, "10.9.9.9", "10.1.0.1", 443, Outcome.COMPLETED, Direction.INTERNAL_INTERNAL);
        assertThat(rule.accepts(completed)).isFalse();
        ScanwatchConfig all = Detectors.configLoader().load(null, Map.of("network-scan.count", "all"));
        assertThat(NetworkScanRule.tumbling(all.rules().of(NetworkScanRule.KIND), new RuleContext(null, 64))
                        .accepts(completed))
                .isTrue();
    }

    /**
     * An echo request answered uses no service: it tells the asker that the host is alive. nmap's host discovery of
     * live hosts is a sweep, counted as the unanswered one is.
     */
    @Test
    void anAnsweredPingIsAProbe() {
        ConnectionEvent ping = tcp(T, "45.34.3.2", "10.15.1.1", 0, Outcome.COMPLETED, Direction.EXTERNAL_INTERNAL);
        ping.transport = Transport.ICMP;
        assertThat(rule.accepts(ping)).isTrue();
        ping.outcome = Outcome.UNANSWERED;
        assertThat(rule.accepts(ping)).isTrue();
    }

    /** A VPN concentrator's ESP to its peers, a host's IGMP reports: no port, no answer NetFlow pairs, no probe. */
    @Test
    void otherIpProtocolsAreNotProbesUnlessEveryAttemptCounts() {
        ConnectionEvent esp = tcp(T, "10.20.0.1", "198.51.100.9", 0, Outcome.UNKNOWN, Direction.INTERNAL_EXTERNAL);
        esp.transport = Transport.OTHER;
        assertThat(rule.accepts(esp)).isFalse();
        ScanwatchConfig all = Detectors.configLoader().load(null, Map.of("network-scan.count", "all"));
        assertThat(NetworkScanRule.tumbling(all.rules().of(NetworkScanRule.KIND), new RuleContext(null, 64))
                        .accepts(esp))
                .isTrue();
        esp.transport = Transport.UDP;
        assertThat(rule.accepts(esp)).as("a datagram of unknown outcome").isTrue();
    }

    /**
     * A source hammered one service for a minute, then probed 100 services (10 hosts, 10 ports: under the hosts and
     * ports clauses) over three, and stopped. Every window that holds the hammering is dominated by that service;
     * the first without it ends two minutes after the last probe, with nothing in its last minute, and fires the
     * attempts clause. Streamed minute by minute, and as a batch replay fires a key's timers: all after its events.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aScanAfterAReconnectLoopFiresOnceTheLoopLeavesTheWindow(boolean streamed) throws Exception {
        try (RuleHarness<ProbeTally> detector = slidingBelowTheCap()) {
            for (int i = 0; i < 200; i++) {
                detector.feed(probe(START + i, "10.1.0.1", 5432));
            }
            int n = 0;
            for (String host : hosts(10)) {
                for (int port : ports(10)) {
                    detector.feed(probe(START + MINUTE + (n++ % 3) * MINUTE, host, port));
                }
            }
            detector.feed(probe(START + 3 * MINUTE, "10.1.0.0", 1000));
            if (streamed) {
                for (int m = 1; m <= 12; m++) {
                    detector.harness.processWatermark(START + m * MINUTE - 1);
                }
            } else {
                detector.harness.processWatermark(Long.MAX_VALUE);
            }
            List<Detection> raised = detector.harness.extractOutputValues();
            assertThat(raised).singleElement().satisfies(d -> {
                assertThat(d.windowEnd).isEqualTo(START + 6 * MINUTE);
                assertThat(d.tally.attempts).isEqualTo(101);
            });
            if (streamed) {
                assertThat(detector.harness.numKeyedStateEntries()).isZero();
            }
        }
    }

    /**
     * A client retrying one service for an hour, with a few other failures: every window is withheld, and the one
     * after it has probes of its own, so no chained window is left to judge; what the chain kept goes with the key.
     */
    @Test
    void aReconnectLoopWithheldForAnHourRaisesNothingAndLeavesNothingBehind() throws Exception {
        try (RuleHarness<ProbeTally> detector = slidingBelowTheCap()) {
            for (int m = 0; m < 60; m++) {
                for (int i = 0; i < 150; i++) {
                    detector.feed(probe(START + m * MINUTE + i * 300, "10.1.0.1", 5432));
                }
                detector.feed(probe(START + m * MINUTE + 50_000, "10.1.0.2", 1000 + m));
                detector.harness.processWatermark(START + (m + 1) * MINUTE - 1);
            }
            for (int m = 61; m <= 70; m++) {
                detector.harness.processWatermark(START + m * MINUTE - 1);
            }
            assertThat(detector.harness.extractOutputValues()).isEmpty();
            assertThat(detector.harness.numKeyedStateEntries()).isZero();
        }
    }

    /** The sliding rule below the distinct cap, where the share is counted, not estimated from a sample. */
    private RuleHarness<ProbeTally> slidingBelowTheCap() throws Exception {
        return new RuleHarness<>(NetworkScanRule.sliding(
                config.rules().of(NetworkScanRule.KIND),
                new RuleContext(new NetworkClassifier(CidrSet.of(List.of("10.0.0.0/8")), CidrSet.of(List.of())), 256)));
    }

    private static ConnectionEvent probe(long at, String host, int port) {
        return tcp(at, "203.0.113.9", host, port, Outcome.REJECTED, Direction.EXTERNAL_INTERNAL);
    }
}

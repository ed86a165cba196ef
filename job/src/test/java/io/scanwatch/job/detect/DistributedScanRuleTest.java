package io.scanwatch.job.detect;

import static io.scanwatch.job.testing.Events.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.NetworkTally;
import io.scanwatch.job.model.ScanType;
import io.scanwatch.net.CidrSet;
import io.scanwatch.net.NetworkClassifier;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scans spread over the addresses of one network: keyed by /24 (or /64), members listed, one member's scan not. */
class DistributedScanRuleTest {
    private static final long HOUR = 3_600_000;
    private static final long DAY = 1_700_006_400_000L;
    private static final String HOST = "10.1.0.5";

    private final ScanwatchConfig config = Detectors.configLoader().defaults();
    private final DistributedScanRule rule = new DistributedScanRule(
            config.rules().of(DistributedScanRule.KIND),
            new RuleContext(new NetworkClassifier(CidrSet.of(List.of("10.0.0.0/8")), CidrSet.of(List.of())), 64));
    private DetectorHarness harness;

    private RuleHarness<NetworkTally> detector;

    private void open() throws Exception {
        detector = new RuleHarness<>(rule);
        harness = detector.harness;
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void probe(long at, String source, int port) throws Exception {
        detector.feed(tcp(at, source, HOST, port, Outcome.UNANSWERED, Direction.EXTERNAL_INTERNAL));
    }

    /** {@code members} addresses of 162.142.125.0/24, each probing {@code portsEach} ports of one host over a day. */
    private void censysLike(int members, int portsEach) throws Exception {
        int port = 1000;
        for (int m = 0; m < members; m++) {
            for (int p = 0; p < portsEach; p++) {
                probe(DAY + (m * portsEach + p) * 60_000L, "162.142.125." + (10 + m), port++);
            }
        }
    }

    /**
     * As Censys' 162.142.125.0/24 probed two CTU-50 servers: 55 ports over two hosts fire the tier (50), the 30 of the
     * busier alone would not, so the evidence keeps both hosts.
     */
    @Test
    void membersThatCrossedTheThresholdOnlyOverTwoHostsAreABlockShowingBoth() throws Exception {
        open();
        for (int p = 0; p < 55; p++) {
            detector.feed(tcp(
                    DAY + p * 60_000L,
                    "162.142.125." + (10 + p % 15),
                    p < 30 ? HOST : "10.1.0.6",
                    1000 + p,
                    Outcome.UNANSWERED,
                    Direction.EXTERNAL_INTERNAL));
        }
        harness.processWatermark(DAY + 25 * HOUR);

        Detection d = harness.extractOutputValues().get(0);
        assertThat(d.scanType).isEqualTo(ScanType.BLOCK);
        assertThat(d.tally.hosts.counts).containsOnlyKeys(HOST, "10.1.0.6");
        assertThat(d.tally.ports.distinct()).isEqualTo(55);
    }

    @Test
    void fifteenQuietMembersTogetherScanOneHost() throws Exception {
        open();
        censysLike(15, 4);
        harness.processWatermark(DAY + 25 * HOUR);

        Detection d = harness.extractOutputValues().get(0);
        assertThat(d.rule).isEqualTo(DistributedScanRule.NAME);
        assertThat(d.sourceIp).isEqualTo("162.142.125.0/24");
        assertThat(d.scanType).isEqualTo(ScanType.VERTICAL);
        assertThat(d.target).isEqualTo(HOST);
        assertThat(d.tally.ports.distinct()).isEqualTo(60);
        assertThat(d.members.distinct()).isEqualTo(15);
        assertThat(d.members.counts).containsEntry("162.142.125.10", 4L).hasSize(15);
        assertThat(d.continuous).isTrue();
    }

    @Test
    void oneMemberDoingMostOfTheScanIsThatMembersScan() throws Exception {
        open();
        for (int p = 0; p < 40; p++) {
            probe(DAY + p * 60_000L, "162.142.125.10", 1000 + p);
        }
        for (int p = 0; p < 20; p++) {
            probe(DAY + p * 60_000L, "162.142.125." + (11 + p % 4), 2000 + p);
        }
        harness.processWatermark(DAY + 25 * HOUR);
        assertThat(harness.extractOutputValues())
                .as("40 of 60 attempts by one member")
                .isEmpty();
    }

    /**
     * One member probed 100 ports in the day's first hour, then three others 60 more, evenly, over the next three:
     * every window that holds the first hour is that member's; the first without it has nothing in its last hour and
     * is the three members' scan. Stepped hour by hour, and all at once as a batch replay fires a key's timers.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aScanSpreadOverMembersFiresOnceTheDominatingMembersHourLeavesTheWindow(boolean stepped) throws Exception {
        open();
        for (int p = 0; p < 100; p++) {
            probe(DAY + p * 30_000L, "162.142.125.10", 1000 + p);
        }
        for (int p = 0; p < 60; p++) {
            probe(DAY + HOUR + p * 150_000L, "162.142.125." + (11 + p % 3), 2000 + p);
        }
        if (stepped) {
            for (int h = 1; h <= 50; h++) {
                harness.processWatermark(DAY + h * HOUR - 1);
            }
        } else {
            harness.processWatermark(Long.MAX_VALUE);
        }
        assertThat(harness.extractOutputValues()).singleElement().satisfies(d -> {
            assertThat(d.windowEnd).isEqualTo(DAY + 25 * HOUR);
            assertThat(d.members.counts).containsOnlyKeys("162.142.125.11", "162.142.125.12", "162.142.125.13");
        });
        if (stepped) {
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void twoMembersAreNotEnough() throws Exception {
        open();
        censysLike(2, 30);
        harness.processWatermark(DAY + 25 * HOUR);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void ipv6SourcesShareTheirSlash64AndInternalSourcesAreNotWatched() {
        ConnectionEvent v6 =
                tcp(DAY, "2001:db8:5:6:a:b:c:d", HOST, 22, Outcome.UNANSWERED, Direction.EXTERNAL_INTERNAL);
        assertThat(rule.key(v6)).isEqualTo("2001:db8:5:6::/64");
        assertThat(rule.accepts(v6)).isTrue();
        assertThat(rule.accepts(tcp(DAY, "10.2.3.4", HOST, 22, Outcome.UNANSWERED, Direction.INTERNAL_INTERNAL)))
                .isFalse();
        assertThat(rule.accepts(tcp(DAY, "203.0.113.9", HOST, 22, Outcome.UNKNOWN, Direction.EXTERNAL_INTERNAL)))
                .as("midstream records are no probes")
                .isFalse();
        ConnectionEvent noOutcome = tcp(DAY, "203.0.113.9", HOST, 22, null, Direction.EXTERNAL_INTERNAL);
        assertThat(rule.accepts(noOutcome)).isFalse();
    }

    @Test
    void membersSurviveASnapshotAndStateEndsWhenTheNetworkIsQuiet() throws Exception {
        open();
        censysLike(15, 2);
        OperatorSubtaskState snapshot = harness.snapshot(1, DAY);
        harness.close();
        detector = new RuleHarness<>(rule, snapshot);
        harness = detector.harness;
        for (int m = 0; m < 15; m++) {
            probe(DAY + HOUR, "162.142.125." + (10 + m), 5000 + m);
            probe(DAY + HOUR + 1, "162.142.125." + (10 + m), 6000 + m);
        }
        harness.processWatermark(DAY + 3 * HOUR);
        Detection d = harness.extractOutputValues().get(0);
        assertThat(d.tally.ports.distinct()).isEqualTo(60);
        assertThat(d.members.counts.values()).containsOnly(4L);
        harness.processWatermark(DAY + 26 * HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /** State per tracked network, as a checkpoint stores it: Censys' day (15 members, 60 ports) in its panes. */
    @Test
    void stateBytesPerTrackedNetworkAreMeasuredFromASnapshot() throws Exception {
        open();
        censysLike(15, 4);
        long bytes = harness.snapshot(1, DAY).getStateSize();
        System.out.printf("network tier state: %d bytes for a /24 of 15 members probing 60 ports in an hour%n", bytes);
        assertThat(bytes).isLessThan(64_000);
    }

    @Test
    void aSpoofedFloodAcrossANetworkCostsOneCappedTallyPerPane() {
        NetworkTally tally = new NetworkTally();
        for (int i = 0; i < 10_000; i++) {
            tally.add(tcp(DAY, "198.18." + (i / 256) + "." + (i % 256), HOST, 80, Outcome.UNANSWERED, null), 64);
        }
        assertThat(tally.members.counts).hasSizeLessThanOrEqualTo(NetworkTally.MEMBERS_CAP);
        assertThat(tally.members.estimated()).isTrue();
        assertThat(Map.copyOf(tally.probes.hosts.counts)).containsOnlyKeys(HOST);
    }
}

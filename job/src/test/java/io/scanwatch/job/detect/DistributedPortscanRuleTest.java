package io.scanwatch.job.detect;

import static io.scanwatch.job.testing.Events.tcp;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Many sources from many networks, many ports of one internal host, in ten minutes: none carries the scan. */
class DistributedPortscanRuleTest {
    private static final long MINUTE = 60_000;
    private static final long T = 1_700_006_400_000L;
    private static final String HOST = "10.1.0.5";

    private final ScanwatchConfig config = Detectors.configLoader().defaults();
    private final DistributedPortscanRule rule = new DistributedPortscanRule(
            config.rules().of(DistributedPortscanRule.KIND),
            new RuleContext(new NetworkClassifier(CidrSet.of(List.of("10.0.0.0/8")), CidrSet.of(List.of())), 64));
    private RuleHarness<NetworkTally> detector;
    private DetectorHarness harness;

    @BeforeEach
    void open() throws Exception {
        detector = new RuleHarness<>(rule);
        harness = detector.harness;
    }

    @AfterEach
    void close() throws Exception {
        detector.close();
    }

    private void probe(long at, String source, String host, int port) throws Exception {
        detector.feed(tcp(at, source, host, port, Outcome.UNANSWERED, Direction.EXTERNAL_INTERNAL));
    }

    /** {@code sources} machines of as many networks, each probing {@code portsEach} ports of the host. */
    private void rentedMachines(int sources, int portsEach) throws Exception {
        int port = 1000;
        for (int s = 0; s < sources; s++) {
            for (int p = 0; p < portsEach; p++) {
                probe(T + (s * portsEach + p) * 5_000L, "64." + (100 + s) + ".7.9", HOST, port++);
            }
        }
    }

    @Test
    void sixtyMachinesProbingOnePortEachAreOneScan() throws Exception {
        rentedMachines(60, 1);
        harness.processWatermark(T + 20 * MINUTE);

        Detection d = harness.extractOutputValues().get(0);
        assertThat(d.rule).isEqualTo(DistributedPortscanRule.NAME);
        assertThat(d.sourceIp).isEqualTo("0.0.0.0/0");
        assertThat(d.scanType).isEqualTo(ScanType.VERTICAL);
        assertThat(d.target).isEqualTo(HOST);
        assertThat(d.tally.ports.distinct()).isGreaterThanOrEqualTo(50);
        assertThat(d.members.distinct()).isGreaterThanOrEqualTo(50);
    }

    /**
     * One machine's scan of 200 ports in the first minute, then 60 machines probing a port each over the next two:
     * the first window without that minute (nothing in its last minute) is theirs.
     */
    @Test
    void sixtyMachinesAfterOneMachinesScanFireOnceItLeavesTheWindow() throws Exception {
        for (int p = 0; p < 200; p++) {
            probe(T + p * 100L, "198.51.100.7", HOST, 5000 + p);
        }
        for (int s = 0; s < 60; s++) {
            probe(T + MINUTE + s * 2_000L, "64." + (100 + s) + ".7.9", HOST, 1000 + s);
        }
        harness.processWatermark(T + 30 * MINUTE);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(d -> {
            assertThat(d.windowEnd).isEqualTo(T + 11 * MINUTE);
            assertThat(d.members.distinct()).isEqualTo(60);
        });
    }

    @Test
    void backgroundProbesBelowFiftyPortsAndOneMachinesScanAreNot() throws Exception {
        rentedMachines(30, 1);
        for (int p = 0; p < 60; p++) {
            probe(T + 15 * MINUTE + p * 1_000L, "203.0.113.9", "10.1.0.6", 2000 + p);
        }
        for (int s = 0; s < 10; s++) {
            probe(T + 15 * MINUTE + s * 1_000L, "198.51.100." + s, "10.1.0.6", 3000 + s);
        }
        harness.processWatermark(T + 40 * MINUTE);
        assertThat(harness.extractOutputValues())
                .as("30 ports at one host; 60 of 70 probes of the other by one source, its own scan")
                .isEmpty();
    }

    @Test
    void onlyInternalTargetsAreWatched() {
        assertThat(rule.accepts(tcp(T, "10.1.0.9", "192.0.2.1", 22, Outcome.UNANSWERED, Direction.INTERNAL_EXTERNAL)))
                .isFalse();
        assertThat(rule.accepts(tcp(T, "192.0.2.1", HOST, 22, Outcome.COMPLETED, Direction.EXTERNAL_INTERNAL)))
                .isFalse();
    }
}

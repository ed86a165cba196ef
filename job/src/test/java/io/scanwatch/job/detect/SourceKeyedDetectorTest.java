package io.scanwatch.job.detect;

import static io.scanwatch.job.testing.Events.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.job.model.Detection;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The default rules keyed by source in one operator, as the job runs them: connscan, the tumbling and sliding
 * network scan and both slow tiers. Each group counts only what its rules accept, a source seen once is one entry
 * and one timer for all of them, and the tracked sources survive a restore.
 */
class SourceKeyedDetectorTest {
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    private static final long BASE = 1_700_006_400_000L;
    private static final String SCANNER = "203.0.113.9";

    private final List<DetectionRule<?>> rules = DetectorHarness.defaultRulesKeyedBySource();
    private PanedWindowDetector detector;
    private DetectorHarness harness;

    private void open(OperatorSubtaskState restore) throws Exception {
        detector = new PanedWindowDetector(rules, null);
        harness = DetectorHarness.open(detector, new RuleKey(rules.get(0)), restore);
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void attempt(long at, String source, String host, Outcome outcome) throws Exception {
        harness.processElement(tcp(at, source, host, 22, outcome, Direction.EXTERNAL_INTERNAL), at);
    }

    @Test
    void theDefaultRulesKeyedBySourceAreConnscanTheNetworkScanAndTheSlowTiers() {
        assertThat(rules)
                .extracting(DetectionRule::id)
                .containsExactly(
                        "connscan", "network-scan-tumbling", "network-scan-sliding", "slow-scan-1h", "slow-scan-24h");
    }

    /**
     * A lane per group and slide: the slow tiers slide by five minutes and by the hour, so the day tier has hourly
     * panes of its own. Its lane comes after every group's first lane, which keep the places (and state names) the
     * lanes had when a group shared one, and both slow lanes keep their panes for the group's day window, so that a
     * late probe is judged again in the hour tier's windows with all their panes.
     */
    @Test
    void theSlowTiersHaveALanePerSlideAfterEveryGroupsFirst() {
        List<RuleLane.Spec> lanes = RuleLane.of(rules);
        assertThat(lanes)
                .extracting(RuleLane.Spec::name)
                .containsExactly("connscan", "network-scan", "slow-scan", "slow-scan-3600s");
        assertThat(lanes.get(2).geometry()).isEqualTo(new PaneGeometry(5 * MINUTE, 24 * HOUR));
        assertThat(lanes.get(3).geometry()).isEqualTo(new PaneGeometry(HOUR, 24 * HOUR));
        assertThat(lanes.get(3).rules()).extracting(DetectionRule::id).containsExactly("slow-scan-24h");
    }

    /**
     * In one minute: 30 attempts the sensor could not judge (network scan only; the first of them the source's
     * first event), 25 aborted after the handshake (every rule) and 30 unanswered (network scan and slow tiers),
     * each to a host of its own.
     */
    @Test
    void eachGroupCountsOnlyWhatItsRulesAccept() throws Exception {
        open(null);
        for (int i = 0; i < 30; i++) {
            attempt(BASE + i * 100, SCANNER, "10.1.0." + i, Outcome.UNKNOWN);
        }
        for (int i = 0; i < 25; i++) {
            attempt(BASE + 10_000 + i * 100, SCANNER, "10.2.0." + i, Outcome.ABORTED);
        }
        for (int i = 0; i < 30; i++) {
            attempt(BASE + 20_000 + i * 100, SCANNER, "10.3.0." + i, Outcome.UNANSWERED);
        }
        harness.processWatermark(BASE + 2 * HOUR);

        List<Detection> detections = harness.extractOutputValues();
        assertThat(hostsSeenBy(detections, ConnScanRule.NAME)).isEqualTo(25);
        assertThat(hostsSeenBy(detections, NetworkScanRule.NAME)).isEqualTo(85);
        assertThat(hostsSeenBy(detections, SlowScanRule.NAME)).isEqualTo(55);
    }

    private static int hostsSeenBy(List<Detection> detections, String rule) {
        return detections.stream()
                .filter(d -> d.rule.equals(rule))
                .mapToInt(d -> d.tally.hosts.distinct())
                .max()
                .orElse(0);
    }

    @Test
    void aSourceSeenOnceIsOneEntryAndNoTimerForEveryRule() throws Exception {
        open(null);
        for (int i = 0; i < 1_000; i++) {
            attempt(BASE + i, "198.18." + (i / 250) + "." + (i % 250), "10.0.0.80", Outcome.ABORTED);
        }
        assertThat(harness.numKeyedStateEntries())
                .as("a first probe each, no panes")
                .isEqualTo(1_000);
        assertThat(harness.numEventTimeTimers())
                .as("on the heap backend the operator sweeps first probes once their longest window has passed")
                .isZero();

        harness.processWatermark(BASE + 2 * HOUR);
        assertThat(harness.numKeyedStateEntries())
                .as("still inside the day tier's window")
                .isEqualTo(1_000);
        OperatorSubtaskState snapshot = harness.snapshot(1, BASE + 2 * HOUR);
        harness.close();

        open(snapshot);
        assertThat(detector.trackedSources())
                .as("counted from the restored state")
                .isEqualTo(1_000);
        attempt(BASE + 3 * HOUR, "198.18.0.7", "10.0.0.81", Outcome.UNANSWERED);
        harness.processWatermark(BASE + 26 * HOUR);
        assertThat(harness.numKeyedStateEntries())
                .as("its last probe's pane in each slow tier's lane: five minutes, and the hour")
                .isEqualTo(2);
        assertThat(detector.trackedSources()).isEqualTo(1);

        harness.processWatermark(BASE + 28 * HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(detector.trackedSources()).isZero();
        assertThat(harness.extractOutputValues())
                .as("no source did enough to fire")
                .isEmpty();
    }

    /**
     * A slow scan refused once a minute at 60 hosts fires the hour tier; then two attempts the sensor could not judge
     * (the network scan's alone) arrive late from its last minutes. The network scan's windows are evaluated again;
     * the slow tiers' are not, so their alert is not raised again (once its episode has ended, it would be a new
     * one). A late refusal is the slow tiers' own and does evaluate their windows again.
     */
    @Test
    void aLateEventEvaluatesAgainOnlyTheWindowsOfTheGroupsThatTakeIt() throws Exception {
        open(null);
        slowScanThenAMinute();
        long raised = slowDetections();
        assertThat(raised).isPositive();

        attempt(BASE + 57 * MINUTE + 30_000, SCANNER, "10.5.0.1", Outcome.UNKNOWN);
        attempt(BASE + 57 * MINUTE + 31_000, SCANNER, "10.5.0.3", Outcome.UNKNOWN);
        harness.processWatermark(BASE + 61 * MINUTE + 1000);
        assertThat(slowDetections())
                .as("the slow tiers' windows hold nothing new")
                .isEqualTo(raised);

        attempt(BASE + 57 * MINUTE + 30_000, SCANNER, "10.5.0.2", Outcome.REJECTED);
        harness.processWatermark(BASE + 62 * MINUTE);
        assertThat(slowDetections()).as("a late refusal is theirs").isGreaterThan(raised);
        assertThat(harness.extractOutputValues())
                .filteredOn(d -> d.rule.equals(SlowScanRule.NAME) && d.late)
                .isNotEmpty()
                .allSatisfy(d -> assertThat(d.tally.hosts.distinct()).isEqualTo(61));
    }

    /**
     * Which lanes a late event's timers evaluate again is kept per timer: a late refusal (both lanes) whose timers
     * have fired leaves nothing behind for a later attempt the network scan alone takes, and a checkpoint taken
     * between a late event and its timers keeps it.
     */
    @Test
    void whatALateEventEvaluatesAgainIsKeptPerTimerAndThroughARestore() throws Exception {
        open(null);
        slowScanThenAMinute();
        attempt(BASE + 57 * MINUTE + 30_000, SCANNER, "10.5.0.2", Outcome.REJECTED);
        harness.processWatermark(BASE + 61 * MINUTE + 1000);
        long raised = slowDetections();

        attempt(BASE + 57 * MINUTE + 40_000, SCANNER, "10.5.0.1", Outcome.UNKNOWN);
        attempt(BASE + 57 * MINUTE + 41_000, SCANNER, "10.5.0.3", Outcome.UNKNOWN);
        OperatorSubtaskState snapshot = harness.snapshot(1, BASE + 61 * MINUTE + 1000);
        harness.close();
        open(snapshot);
        harness.processWatermark(BASE + 62 * MINUTE);
        assertThat(harness.extractOutputValues())
                .as("the slow tiers' windows hold nothing new")
                .noneMatch(d -> d.rule.equals(SlowScanRule.NAME));
        assertThat(raised).isPositive();
    }

    /**
     * 25 refusals in minute 19 fire the network scan; a refusal from minute 5 then arrives late. Its windows (all
     * ended by minute 10) are evaluated again; the network scan's windows of minute 20, which do not hold it, are
     * not, even when the slow tiers' late timer falls at minute 20.
     */
    @Test
    void aLateEventsTimersEvaluateOnlyTheWindowsThatHoldIt() throws Exception {
        open(null);
        for (int i = 0; i < 25; i++) {
            attempt(BASE + 19 * MINUTE + i * 1000, SCANNER, "10.1.0." + i, Outcome.REJECTED);
        }
        harness.processWatermark(BASE + 20 * MINUTE + 1000);
        int onTime = harness.extractOutputValues().size();
        assertThat(onTime).isPositive();

        attempt(BASE + 5 * MINUTE + 26_000, SCANNER, "10.1.1.1", Outcome.UNANSWERED);
        harness.processWatermark(BASE + 20 * MINUTE + 2000);
        assertThat(harness.extractOutputValues()).hasSize(onTime);
    }

    /**
     * A first probe the watermark has carried past the network scan's windows stays the slow tiers' alone when the
     * network scan takes a second event: no pane, no timers in the past for it.
     */
    @Test
    void aFirstProbeTooOldForAGroupIsNotAddedToItsPanes() throws Exception {
        open(null);
        attempt(BASE, SCANNER, "10.8.0.1", Outcome.REJECTED);
        harness.processWatermark(BASE + 2 * HOUR);
        attempt(BASE + 2 * HOUR + 10_000, SCANNER, "10.8.0.2", Outcome.UNKNOWN);
        assertThat(harness.numKeyedStateEntries())
                .as("the first probe, and the new event's pane")
                .isEqualTo(2);
        assertThat(harness.numEventTimeTimers())
                .as("the new event's window (the first probe's cleanup is swept)")
                .isEqualTo(1);
    }

    /**
     * A first probe written before probes named their lanes (restored with {@code lanes} 0) stands for every lane
     * that takes it: with 20 more hosts it is the 21st of the network scan.
     */
    @Test
    void aFirstProbeFromBeforeLanesStandsForEveryLaneThatTakesIt() throws Exception {
        open(null);
        attempt(BASE, SCANNER, "10.6.0.0", Outcome.REJECTED);
        PanedWindowOperator operator = (PanedWindowOperator) harness.getOperator();
        operator.setCurrentKey(SCANNER);
        ValueState<FirstProbe> state = operator.<String>getKeyedStateBackend()
                .getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>(
                                PanedWindowDetector.FIRST_PROBE, TypeInformation.of(FirstProbe.class)));
        FirstProbe older = state.value();
        older.lanes = 0;
        state.update(older);

        for (int i = 1; i <= 20; i++) {
            attempt(BASE + i * 1000, SCANNER, "10.6.0." + i, Outcome.REJECTED);
        }
        harness.processWatermark(BASE + 10 * MINUTE);
        assertThat(harness.extractOutputValues())
                .filteredOn(d -> d.rule.equals(NetworkScanRule.NAME))
                .isNotEmpty()
                .allSatisfy(d -> assertThat(d.tally.hosts.distinct()).isEqualTo(21));
    }

    /**
     * 60 refusals of one minute arrive two hours late, with a watermark in the middle of them (a collector catching
     * up). The network scan's windows have all passed them: it takes none (before, it took all but the first probe
     * and judged them in two pieces at two watermarks). The slow tiers' windows still hold them and count every one.
     */
    @Test
    void aBurstPastTheNetworkScansWindowsIsCountedWhollyByTheSlowTiersAlone() throws Exception {
        open(null);
        harness.processWatermark(BASE + 3 * HOUR);
        for (int i = 0; i < 60; i++) {
            attempt(BASE + HOUR + i * 1000, SCANNER, "10.9.0." + i, Outcome.REJECTED);
            if (i == 30) {
                harness.processWatermark(BASE + 3 * HOUR + MINUTE);
            }
        }
        harness.processWatermark(BASE + 4 * HOUR);
        assertThat(harness.extractOutputValues())
                .noneMatch(d -> d.rule.equals(NetworkScanRule.NAME) || d.rule.equals(ConnScanRule.NAME))
                .filteredOn(d -> d.rule.equals(SlowScanRule.NAME))
                .isNotEmpty()
                .allSatisfy(d -> {
                    assertThat(d.late).isTrue();
                    assertThat(d.tally.hosts.distinct()).isEqualTo(60);
                });
    }

    /**
     * A slow scan refused once a minute at 60 hosts for an hour, and the watermark a minute on: its last minutes
     * are still in the network scan's windows.
     */
    private void slowScanThenAMinute() throws Exception {
        for (int i = 0; i < 60; i++) {
            attempt(BASE + i * MINUTE, SCANNER, "10.4.0." + i, Outcome.REJECTED);
        }
        harness.processWatermark(BASE + 61 * MINUTE);
    }

    private long slowDetections() {
        return harness.extractOutputValues().stream()
                .filter(d -> d.rule.equals(SlowScanRule.NAME))
                .count();
    }

    /**
     * A refusal (network scan and slow tiers) then an attempt the sensor could not judge (network scan only): the
     * network scan holds both in a pane, the slow tiers keep the refusal as their compact first probe for a day.
     */
    @Test
    void aSecondEventOnlySomeGroupsTakeLeavesTheFirstProbeCompactInTheOthers() throws Exception {
        open(null);
        attempt(BASE, SCANNER, "10.0.0.80", Outcome.REJECTED);
        attempt(BASE + 10_000, SCANNER, "10.0.0.81", Outcome.UNKNOWN);
        assertThat(harness.numKeyedStateEntries())
                .as("the first probe and the network scan's panes")
                .isEqualTo(2);

        harness.processWatermark(BASE + 10 * MINUTE);
        assertThat(harness.numKeyedStateEntries()).as("the first probe alone").isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).as("its cleanup is swept").isZero();
        assertThat(detector.trackedSources()).isEqualTo(1);

        harness.processWatermark(BASE + 25 * HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(detector.trackedSources()).isZero();
    }
}

package io.scanwatch.job.detect;

import static io.scanwatch.job.testing.Events.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.job.config.RuleSettings;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.model.Severity;
import io.scanwatch.sketch.DistinctSketch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Window edges, pane eviction, timers and state cleanup of the paned sliding window. */
class PanedWindowDetectorTest {
    private static final long MINUTE = 60_000;
    /** A base aligned to the minute, so pane boundaries are at BASE + n * MINUTE. */
    private static final long BASE = 1_700_000_040_000L;

    private static final RuleSettings SETTINGS =
            new RuleSettings(true, Severity.LOW, List.of("T1595"), Duration.ofHours(1));

    /** Fires when a window holds at least {@code hosts} distinct hosts. */
    private static final class HostCountRule extends WindowedRule<ProbeTally> {
        private final int hosts;

        HostCountRule(int hosts, Duration window, Duration slide) {
            super("hosts", window, slide, SETTINGS, Tallies.ofProbes(8));
            this.hosts = hosts;
        }

        @Override
        public long minimumEvents() {
            return hosts;
        }

        @Override
        public boolean accepts(ConnectionEvent event) {
            return true;
        }

        @Override
        public String key(ConnectionEvent event) {
            return event.sourceIp;
        }

        @Override
        public Detection evaluate(String key, ProbeTally window, long windowStart, long windowEnd) {
            EVALUATED.incrementAndGet();
            return window.hosts.distinct() >= hosts ? detection("hosts", key, window, windowStart, windowEnd) : null;
        }
    }

    /** Windows judged by a {@link HostCountRule}: static, since the detector may hold a copy of the rule. */
    private static final AtomicInteger EVALUATED = new AtomicInteger();

    private DetectorHarness harness;

    private <ACC> DetectorHarness open(DetectionRule<ACC> rule) throws Exception {
        openDetector(rule);
        return harness;
    }

    /** Opens the harness of a detector of {@code rule}, to read the detector's gauge. */
    private <ACC> PanedWindowDetector openDetector(DetectionRule<ACC> rule) throws Exception {
        PanedWindowDetector detector = new PanedWindowDetector(rule);
        harness = new DetectorHarness(detector, new RuleKey(rule));
        harness.open();
        return detector;
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void probe(long at, String source, String host) throws Exception {
        harness.processElement(tcp(at, source, host, 22, Outcome.UNANSWERED, Direction.EXTERNAL_INTERNAL), at);
    }

    @Test
    void slidingWindowSeesProbesAcrossPaneBoundaries() throws Exception {
        open(new HostCountRule(3, Duration.ofMinutes(3), Duration.ofMinutes(1)));
        probe(BASE + 10_000, "a", "10.0.0.1");
        probe(BASE + MINUTE + 10_000, "a", "10.0.0.2");
        harness.processWatermark(BASE + 2 * MINUTE - 1);
        assertThat(harness.extractOutputValues()).isEmpty();

        probe(BASE + 2 * MINUTE + 59_999, "a", "10.0.0.3");
        harness.processWatermark(BASE + 3 * MINUTE - 1);

        List<Detection> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        Detection d = out.get(0);
        assertThat(d.windowStart).isEqualTo(BASE);
        assertThat(d.windowEnd).isEqualTo(BASE + 3 * MINUTE);
        assertThat(d.windowKind).isEqualTo("sliding");
        assertThat(d.tally.hosts.counts).containsOnlyKeys("10.0.0.1", "10.0.0.2", "10.0.0.3");
        assertThat(d.tally.firstSeen).isEqualTo(BASE + 10_000);
    }

    @Test
    void aLateProbeStillCountsInEveryWindowThatHoldsItsPane() throws Exception {
        open(new HostCountRule(3, Duration.ofMinutes(3), Duration.ofMinutes(1)));
        probe(BASE + 10_000, "a", "10.0.0.1");
        probe(BASE + 2 * MINUTE + 10_000, "a", "10.0.0.2");
        harness.processWatermark(BASE + 3 * MINUTE - 2);
        assertThat(harness.extractOutputValues()).as("two hosts are not enough").isEmpty();

        probe(BASE + MINUTE + 10_000, "a", "10.0.0.3");
        harness.processWatermark(BASE + 3 * MINUTE);
        assertThat(harness.extractOutputValues())
                .as("two minutes behind the watermark, the windows that hold it are evaluated again")
                .singleElement()
                .satisfies(d -> assertThat(d.windowEnd).isEqualTo(BASE + 3 * MINUTE))
                .satisfies(d ->
                        assertThat(d.late).as("that window had not ended yet").isFalse())
                .satisfies(d -> assertThat(d.tally.hosts.counts).containsOnlyKeys("10.0.0.1", "10.0.0.2", "10.0.0.3"));
        harness.processWatermark(BASE + 10 * MINUTE);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aWindowThatCrossesItsThresholdOnlyWithLateProbesFiresMarkedLate() throws Exception {
        open(new HostCountRule(3, Duration.ofMinutes(3), Duration.ofMinutes(1)));
        probe(BASE + MINUTE + 10_000, "a", "10.0.0.1");
        probe(BASE + 2 * MINUTE + 10_000, "a", "10.0.0.2");
        harness.processWatermark(BASE + 3 * MINUTE);
        assertThat(harness.extractOutputValues())
                .as("the window ended with two hosts")
                .isEmpty();

        probe(BASE + 2 * MINUTE + 20_000, "a", "10.0.0.3");
        harness.processWatermark(BASE + 3 * MINUTE + 1);
        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(d -> assertThat(d.windowEnd).isEqualTo(BASE + 3 * MINUTE))
                .satisfies(d -> assertThat(d.late).isTrue());

        probe(BASE + 3 * MINUTE + 10_000, "a", "10.0.0.4");
        harness.processWatermark(BASE + 4 * MINUTE);
        assertThat(harness.extractOutputValues())
                .last()
                .as("the next window closes on time")
                .satisfies(d -> assertThat(d.windowEnd).isEqualTo(BASE + 4 * MINUTE))
                .satisfies(d -> assertThat(d.late).isFalse());
    }

    @Test
    void theTrackedSourcesGaugeCountsSourcesWithStateAlsoAfterARestore() throws Exception {
        HostCountRule rule = new HostCountRule(3, Duration.ofMinutes(3), Duration.ofMinutes(1));
        PanedWindowDetector detector = openDetector(rule);
        probe(BASE, "a", "10.0.0.1");
        probe(BASE + 1, "a", "10.0.0.2");
        probe(BASE, "b", "10.0.0.1");
        probe(BASE, "c", "10.0.0.1");
        assertThat(detector.trackedSources()).isEqualTo(3);
        OperatorSubtaskState snapshot = harness.snapshot(1, BASE);
        harness.close();

        PanedWindowDetector restored = new PanedWindowDetector(rule);
        harness = new DetectorHarness(restored, new RuleKey(rule));
        harness.initializeState(snapshot);
        harness.open();
        assertThat(restored.trackedSources())
                .as("counted from the restored state")
                .isEqualTo(3);
        harness.processWatermark(BASE + 10 * MINUTE);
        assertThat(restored.trackedSources()).as("every source went quiet").isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aPaneLeavesTheWindowOnceItIsOlderThanTheWindow() throws Exception {
        open(new HostCountRule(3, Duration.ofMinutes(3), Duration.ofMinutes(1)));
        probe(BASE, "a", "10.0.0.1");
        probe(BASE + 3 * MINUTE, "a", "10.0.0.2");
        probe(BASE + 3 * MINUTE + 1, "a", "10.0.0.3");
        harness.processWatermark(BASE + 10 * MINUTE);
        assertThat(harness.extractOutputValues())
                .as("10.0.0.1 is four minutes before the others")
                .isEmpty();
    }

    @Test
    void tumblingWindowDoesNotCarryOverAndEdgesAreHalfOpen() throws Exception {
        open(new HostCountRule(2, Duration.ofMinutes(1), Duration.ofMinutes(1)));
        probe(BASE + MINUTE - 1, "a", "10.0.0.1");
        probe(BASE + MINUTE, "a", "10.0.0.2");
        harness.processWatermark(BASE + 5 * MINUTE);
        assertThat(harness.extractOutputValues()).isEmpty();

        probe(BASE + 6 * MINUTE, "a", "10.0.0.1");
        probe(BASE + 6 * MINUTE + 1, "a", "10.0.0.2");
        harness.processWatermark(BASE + 7 * MINUTE - 1);
        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(d -> assertThat(d.windowKind).isEqualTo("tumbling"))
                .satisfies(d -> assertThat(d.windowStart).isEqualTo(BASE + 6 * MINUTE));
    }

    @Test
    void aWindowOfFewerEventsThanTheRuleNeedsIsNeverJudged() throws Exception {
        open(new HostCountRule(3, Duration.ofMinutes(3), Duration.ofMinutes(1)));
        EVALUATED.set(0);
        probe(BASE + 10_000, "a", "10.0.0.1");
        probe(BASE + MINUTE + 10_000, "a", "10.0.0.2");
        harness.processWatermark(BASE + 10 * MINUTE);
        assertThat(EVALUATED).as("no window holds three events").hasValue(0);

        probe(BASE + 10 * MINUTE + 10_000, "a", "10.0.0.1");
        probe(BASE + 11 * MINUTE + 10_000, "a", "10.0.0.1");
        probe(BASE + 12 * MINUTE + 10_000, "a", "10.0.0.1");
        harness.processWatermark(BASE + 20 * MINUTE);
        assertThat(EVALUATED)
                .as("the window of all three, judged and not fired")
                .hasValue(1);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void everySlidingWindowCountsItsOwnPanesOnce() throws Exception {
        open(new HostCountRule(2, Duration.ofMinutes(3), Duration.ofMinutes(1)));
        for (int minute = 0; minute < 4; minute++) {
            probe(BASE + minute * MINUTE + 10_000, "a", "10.0.0." + (minute + 1));
        }
        harness.processWatermark(BASE + 10 * MINUTE);
        assertThat(harness.extractOutputValues())
                .as("a window starts from a copy of a pane: merging the others into it leaves the pane as it was")
                .extracting(d -> (d.windowEnd - BASE) / MINUTE + ":" + d.tally.attempts)
                .containsExactly("2:2", "3:3", "4:3");
    }

    @Test
    void keysAreSeparate() throws Exception {
        open(new HostCountRule(2, Duration.ofMinutes(1), Duration.ofMinutes(1)));
        probe(BASE, "a", "10.0.0.1");
        probe(BASE, "b", "10.0.0.2");
        harness.processWatermark(BASE + MINUTE);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void aSourceThatGoesQuietLeavesNoStateAndNoTimers() throws Exception {
        open(new HostCountRule(2, Duration.ofMinutes(5), Duration.ofMinutes(1)));
        for (int i = 0; i < 4; i++) {
            probe(BASE + i * 15_000, "a", "10.0.0." + i);
        }
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.processWatermark(BASE + MINUTE);
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numKeyedStateEntries())
                .as("the pane is still inside later windows")
                .isPositive();

        harness.processWatermark(BASE + 6 * MINUTE);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.extractOutputValues())
                .as("later windows hold nothing new")
                .hasSize(1);
    }

    @Test
    void aSourceSeenOnceKeepsOneSmallEntryUntilItsWindowsPass() throws Exception {
        open(new HostCountRule(1, Duration.ofMinutes(5), Duration.ofMinutes(1)));
        for (int i = 0; i < 1_000; i++) {
            probe(BASE + i, "198.18.0." + i, "10.0.0.80");
        }
        assertThat(harness.numKeyedStateEntries())
                .as("a first probe each, no panes")
                .isEqualTo(1_000);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1_000);

        harness.processWatermark(BASE + MINUTE);
        assertThat(harness.extractOutputValues())
                .as("a single probe is still evaluated")
                .hasSize(1_000);
        assertThat(harness.numKeyedStateEntries())
                .as("kept for the later windows")
                .isEqualTo(1_000);
        assertThat(harness.numEventTimeTimers())
                .as("no window is due but their cleanup, which is swept")
                .isZero();

        probe(BASE + 2 * MINUTE, "198.18.0.7", "10.0.0.81");
        harness.processWatermark(BASE + 3 * MINUTE);
        assertThat(harness.extractOutputValues())
                .filteredOn(d -> d.sourceIp.equals("198.18.0.7") && d.windowEnd == BASE + 3 * MINUTE)
                .singleElement()
                .satisfies(d -> assertThat(d.tally.hosts.counts).containsOnlyKeys("10.0.0.80", "10.0.0.81"));

        harness.processWatermark(BASE + 9 * MINUTE);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void rulesOfOneGroupShareOneOperatorAndItsPanes() throws Exception {
        DetectionRule<ProbeTally> tumbling = new HostCountRule(3, Duration.ofMinutes(1), Duration.ofMinutes(1));
        DetectionRule<ProbeTally> sliding = new HostCountRule(3, Duration.ofMinutes(3), Duration.ofMinutes(1));
        harness = new DetectorHarness(new PanedWindowDetector(List.of(tumbling, sliding), null), new RuleKey(tumbling));
        harness.open();
        for (int i = 0; i < 3; i++) {
            probe(BASE + i * 1_000, "a", "10.0.0." + i);
        }
        probe(BASE + MINUTE + 5_000, "a", "10.0.0.9");
        harness.processWatermark(BASE + 10 * MINUTE);
        assertThat(harness.extractOutputValues())
                .extracting(d -> d.windowKind + "@" + (d.windowEnd - BASE) / MINUTE)
                .containsExactly("tumbling@1", "sliding@1", "sliding@2");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(PanedWindowDetector.uid(List.of(tumbling, sliding)))
                .as("the window geometry is part of the uid")
                .isEqualTo("detect-hosts-60s-hosts-180s/60s");
    }

    @Test
    void stateIsCappedWhateverTheSourceProbes() throws Exception {
        open(new HostCountRule(2, Duration.ofMinutes(1), Duration.ofMinutes(1)));
        for (int i = 0; i < 10_000; i++) {
            probe(BASE + i, "masscan", "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
        }
        harness.processWatermark(BASE + MINUTE);
        Detection d = harness.extractOutputValues().get(0);
        assertThat(d.tally.attempts).isEqualTo(10_000);
        assertThat(d.tally.hosts.counts).hasSize(8);
        assertThat(d.tally.hosts.estimated()).isTrue();
        assertThat((double) d.tally.hosts.distinct()).isCloseTo(10_000, within(800.0));
    }

    /**
     * A window past the cap by a few keys sends its sketch as the coupons it holds, not the room it could grow to;
     * the second window counts the first one's pane with its own.
     */
    @Test
    void aDetectionCarriesItsSketchesCompact() throws Exception {
        open(new HostCountRule(2, Duration.ofMinutes(2), Duration.ofMinutes(1)));
        for (int i = 0; i < 20; i++) {
            probe(BASE + i, "a", "10.0.0." + i);
        }
        harness.processWatermark(BASE + MINUTE);
        for (int i = 20; i < 40; i++) {
            probe(BASE + MINUTE + i, "a", "10.0.0." + i);
        }
        harness.processWatermark(BASE + 10 * MINUTE);
        List<Detection> detections = harness.extractOutputValues();
        assertThat(detections)
                .extracting(d -> d.tally.hosts.distinct())
                .as("exact while few: the coupons are the sketch")
                .containsExactly(20, 40);
        assertThat(detections)
                .allSatisfy(d -> assertThat(d.tally.hosts.sketch).hasSizeLessThan(DistinctSketch.empty().length / 4));
    }

    @Test
    void aSecondProbeEarlierThanTheFirstStillCompletesTheWindowThatHoldsBoth() throws Exception {
        open(new HostCountRule(2, Duration.ofMinutes(3), Duration.ofMinutes(1)));
        probe(BASE + 2 * MINUTE, "a", "10.0.0.1");
        assertThat(harness.numEventTimeTimers())
                .as("one probe cannot fire, and on the heap backend its cleanup is swept, not timed")
                .isZero();
        probe(BASE, "a", "10.0.0.2");
        harness.processWatermark(BASE + 10 * MINUTE);
        assertThat(harness.extractOutputValues())
                .extracting(d -> d.windowEnd)
                .as("the windows ending after the later probe hold both")
                .containsExactly(BASE + 3 * MINUTE);
    }

    /**
     * On the heap backend an idle first probe ends by the operator's sweep, not a timer: at the watermark its timer
     * would have fired at. A key promoted to panes meanwhile keeps them past its first probe's slot, and a key seen
     * again after its end is a first probe again, with a slot of its own.
     */
    @Test
    void anIdleFirstProbeIsSweptAtTheWatermarkItsTimerWouldHaveFiredAt() throws Exception {
        HostCountRule rule = new HostCountRule(2, Duration.ofMinutes(3), Duration.ofMinutes(1));
        PanedWindowDetector detector = openDetector(rule);
        probe(BASE, "a", "10.0.0.1");
        probe(BASE, "b", "10.0.0.1");
        probe(BASE + 2 * MINUTE, "b", "10.0.0.2");
        harness.processWatermark(BASE + 3 * MINUTE - 2);
        assertThat(detector.trackedSources()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).as("b's windows alone").isPositive();

        harness.processWatermark(BASE + 3 * MINUTE - 1);
        assertThat(detector.trackedSources())
                .as("a's first probe left its last window")
                .isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).as("b's panes").isEqualTo(1);
        harness.processWatermark(BASE + 6 * MINUTE - 1);
        assertThat(detector.trackedSources()).isZero();

        probe(BASE + 6 * MINUTE, "a", "10.0.0.3");
        harness.processWatermark(BASE + 9 * MINUTE - 2);
        assertThat(detector.trackedSources()).isEqualTo(1);
        harness.processWatermark(BASE + 9 * MINUTE - 1);
        assertThat(detector.trackedSources()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.extractOutputValues())
                .extracting(d -> d.sourceIp + "@" + (d.windowEnd - BASE) / MINUTE)
                .as("b's two hosts in the window that holds both; a never fires")
                .containsExactly("b@3");
    }

    /**
     * Where no rule fires on two events, a key's second is kept compact beside its first (two probes, no panes and
     * no timer), also across a restore; a third makes panes of all three, and the window holding them judges them
     * all. A key that stops at two ends when its second's last window has passed.
     */
    @Test
    void aSecondProbeStaysCompactUntilAThirdMakesThemPanes() throws Exception {
        HostCountRule rule = new HostCountRule(3, Duration.ofMinutes(3), Duration.ofMinutes(1));
        open(rule);
        probe(BASE, "a", "10.0.0.1");
        probe(BASE + MINUTE, "a", "10.0.0.2");
        probe(BASE, "b", "10.0.0.1");
        probe(BASE + 2 * MINUTE, "b", "10.0.0.2");
        assertThat(harness.numKeyedStateEntries())
                .as("two compact probes a key")
                .isEqualTo(4);
        assertThat(harness.numEventTimeTimers()).isZero();
        OperatorSubtaskState snapshot = harness.snapshot(1, BASE + MINUTE);
        harness.close();

        PanedWindowDetector detector = new PanedWindowDetector(rule);
        harness = DetectorHarness.open(detector, new RuleKey(rule), snapshot);
        probe(BASE + 2 * MINUTE, "a", "10.0.0.3");
        assertThat(harness.numKeyedStateEntries())
                .as("a's panes; b's two compact probes")
                .isEqualTo(3);
        harness.processWatermark(BASE + 3 * MINUTE - 1);
        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(d -> assertThat(d.sourceIp).isEqualTo("a"))
                .satisfies(d -> assertThat(d.windowEnd).isEqualTo(BASE + 3 * MINUTE))
                .satisfies(d -> assertThat(d.tally.hosts.counts).containsOnlyKeys("10.0.0.1", "10.0.0.2", "10.0.0.3"));

        harness.processWatermark(BASE + 5 * MINUTE - 2);
        assertThat(detector.trackedSources())
                .as("b's second is still in a window")
                .isEqualTo(2);
        harness.processWatermark(BASE + 5 * MINUTE - 1);
        assertThat(detector.trackedSources())
                .as("a's panes too have left their windows")
                .isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * A savepoint of the heap backend, whose compact probes are swept and so have no timers, resumed on RocksDB,
     * where they are timed: each gets its timer when the operator opens, and ends with it.
     */
    @Test
    void compactProbesOfASweepingRunResumedOnRocksDbAreTimed() throws Exception {
        HostCountRule rule = new HostCountRule(3, Duration.ofMinutes(3), Duration.ofMinutes(1));
        open(rule);
        probe(BASE, "a", "10.0.0.1");
        probe(BASE, "b", "10.0.0.1");
        probe(BASE + 2 * MINUTE, "b", "10.0.0.2");
        OperatorSubtaskState savepoint = harness.snapshotWithLocalState(
                        1, BASE + 2 * MINUTE, SavepointType.savepoint(SavepointFormatType.CANONICAL))
                .getJobManagerOwnedState();
        harness.close();

        PanedWindowDetector detector = new PanedWindowDetector(rule);
        harness = new DetectorHarness(detector, new RuleKey(rule));
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.initializeState(savepoint);
        harness.open();
        assertThat(harness.numEventTimeTimers()).as("a's and b's cleanup").isEqualTo(2);
        harness.processWatermark(BASE + 3 * MINUTE - 1);
        assertThat(detector.trackedSources())
                .as("b's second is still in a window")
                .isEqualTo(1);
        harness.processWatermark(BASE + 5 * MINUTE - 1);
        assertThat(detector.trackedSources()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void panesSurviveASnapshotAndRestore() throws Exception {
        DetectionRule<ProbeTally> rule = new HostCountRule(2, Duration.ofMinutes(2), Duration.ofMinutes(1));
        open(rule);
        probe(BASE, "a", "10.0.0.1");
        OperatorSubtaskState snapshot = harness.snapshot(1L, BASE);
        harness.close();

        harness = new DetectorHarness(new PanedWindowDetector(rule), new RuleKey(rule));
        harness.initializeState(snapshot);
        harness.open();
        probe(BASE + MINUTE, "a", "10.0.0.2");
        harness.processWatermark(BASE + 2 * MINUTE);
        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(d -> assertThat(d.tally.hosts.counts).containsOnlyKeys("10.0.0.1", "10.0.0.2"));
    }

    /** A sum other than a probe tally: how many of a source's attempts failed. */
    public static class Failures {
        public long attempts;
        public long failed;

        public Failures() {}
    }

    /** Fires when at least {@code min} attempts in a window failed: a rule with its own aggregate. */
    private static final class FailureCountRule implements DetectionRule<Failures>, WindowAggregate<Failures> {
        private final long min;

        FailureCountRule(long min) {
            this.min = min;
        }

        @Override
        public Failures create() {
            return new Failures();
        }

        @Override
        public void add(Failures failures, ConnectionEvent event) {
            failures.attempts++;
            if (event.outcome == Outcome.REJECTED) {
                failures.failed++;
            }
        }

        @Override
        public void merge(Failures into, Failures other) {
            into.attempts += other.attempts;
            into.failed += other.failed;
        }

        @Override
        public Failures copy(Failures failures) {
            Failures copy = new Failures();
            copy.attempts = failures.attempts;
            copy.failed = failures.failed;
            return copy;
        }

        @Override
        public long events(Failures failures) {
            return failures.attempts;
        }

        @Override
        public TypeInformation<Failures> type() {
            return TypeInformation.of(Failures.class);
        }

        @Override
        public String id() {
            return "failures";
        }

        @Override
        public Duration window() {
            return Duration.ofMinutes(2);
        }

        @Override
        public Duration slide() {
            return Duration.ofMinutes(1);
        }

        @Override
        public boolean accepts(ConnectionEvent event) {
            return true;
        }

        @Override
        public String key(ConnectionEvent event) {
            return event.sourceIp;
        }

        @Override
        public WindowAggregate<Failures> aggregate() {
            return this;
        }

        @Override
        public RuleSettings settings() {
            return SETTINGS;
        }

        @Override
        public Detection evaluate(String key, Failures window, long windowStart, long windowEnd) {
            if (window.failed < min) {
                return null;
            }
            Detection detection = new Detection();
            detection.rule = "failures";
            detection.sourceIp = key;
            detection.windowEnd = windowEnd;
            detection.scope = window.failed + "/" + window.attempts;
            return detection;
        }
    }

    @Test
    void aRuleWithItsOwnAggregateRunsOnTheSamePanes() throws Exception {
        open(new FailureCountRule(2));
        harness.processElement(tcp(BASE, "a", "10.0.0.1", 22, Outcome.REJECTED, Direction.EXTERNAL_INTERNAL), BASE);
        harness.processElement(
                tcp(BASE + MINUTE, "a", "10.0.0.1", 23, Outcome.COMPLETED, Direction.EXTERNAL_INTERNAL), BASE);
        harness.processElement(
                tcp(BASE + MINUTE + 1, "a", "10.0.0.1", 25, Outcome.REJECTED, Direction.EXTERNAL_INTERNAL), BASE);
        harness.processWatermark(BASE + 4 * MINUTE);
        assertThat(harness.extractOutputValues())
                .as("the first probe, kept compact, still counts as a failure")
                .extracting(d -> d.scope + "@" + (d.windowEnd - BASE) / MINUTE)
                .containsExactly("2/3@2");
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}

package io.scanwatch.job.detect;

import static io.scanwatch.job.testing.Events.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.config.ConfigLayers;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.model.ControlChange;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.Severity;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A detector under live control: each window is judged by the change in effect at its end, and the changes are
 * kept in checkpoints, so that a restart goes on with them.
 */
class LiveThresholdTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = 1_700_000_040_000L - 1_700_000_040_000L % MINUTE;

    private final ConfigLayers layers =
            new ConfigLayers(Detectors.configLoader().tree(null, Map.of()), Detectors::configLoader);
    private final ScanwatchConfig startup = Detectors.configLoader().defaults();
    private DetectorHarness harness;

    private void open(OperatorSubtaskState restore) throws Exception {
        NetworkScanRule tumbling =
                NetworkScanRule.tumbling(startup.rules().of(NetworkScanRule.KIND), RuleContext.of(startup));
        harness = DetectorHarness.open(
                new PanedWindowDetector(List.of(tumbling), layers), new RuleKey(tumbling), restore);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** Eight internal hosts probed on one port within the minute starting at {@code minute}. */
    private void sweep(long minute) throws Exception {
        for (int i = 0; i < 8; i++) {
            harness.processElement(
                    tcp(
                            minute + i * 1_000,
                            "203.0.113.50",
                            "10.1.0." + i,
                            22,
                            Outcome.REJECTED,
                            Direction.EXTERNAL_INTERNAL),
                    minute + i * 1_000);
        }
    }

    @Test
    void aLoweredThresholdJudgesTheWindowsEndingAfterItsTime() throws Exception {
        open(null);
        harness.change(ControlChange.of(
                "lower",
                T0 + 2 * MINUTE + 30_000,
                "{\"network-scan\": {\"distinct-hosts-above\": 5," + " \"severity\": \"high\"}}"));
        sweep(T0);
        sweep(T0 + MINUTE);
        sweep(T0 + 2 * MINUTE);
        harness.processWatermark(T0 + 10 * MINUTE);
        List<Detection> fired = harness.extractOutputValues();
        assertThat(fired)
                .as("eight hosts are below the start-up 20, and at or above 5 from the change on")
                .extracting(d -> d.windowEnd)
                .containsExactly(T0 + 3 * MINUTE);
        assertThat(fired.get(0).severity).isEqualTo(Severity.HIGH.score);
    }

    @Test
    void aDisabledRuleFiresNoMore() throws Exception {
        open(null);
        harness.change(ControlChange.of("low", T0, "{\"network-scan\": {\"distinct-hosts-above\": 5}}"));
        harness.change(ControlChange.of("off", T0 + MINUTE + 30_000, "{\"network-scan\": {\"enabled\": false}}"));
        sweep(T0);
        sweep(T0 + MINUTE);
        sweep(T0 + 2 * MINUTE);
        harness.processWatermark(T0 + 10 * MINUTE);
        assertThat(harness.extractOutputValues()).extracting(d -> d.windowEnd).containsExactly(T0 + MINUTE);
    }

    @Test
    void aThresholdLoweredToOneEventFiresOnASourceSeenOnce() throws Exception {
        openConnscan(false);
        harness.change(connscanOnOneFrom(T0));
        abortedHandshake(T0 + 1_000, "203.0.113.7");
        harness.processWatermark(T0 + 10 * MINUTE);
        assertThat(harness.extractOutputValues())
                .as("at start a source seen once waits for a second event; under the change it fires alone")
                .isNotEmpty()
                .allSatisfy(d -> assertThat(d.sourceIp).isEqualTo("203.0.113.7"));
    }

    /**
     * A change known at start reaches the detector on its own way, and under load after a record it judges: a source
     * seen once, whose probe the start-up thresholds left without its windows' timers, fired or not by the order of
     * arrival (a review's find). Until the changes at start have come, a first event goes into panes.
     */
    @Test
    void aChangeAtStartThatComesAfterASourcesOnlyEventStillLetsItFire() throws Exception {
        List<Long> changeFirst = windowsOfASourceSeenOnceUnderAChangeAtStart(true);
        assertThat(changeFirst).isNotEmpty();
        assertThat(windowsOfASourceSeenOnceUnderAChangeAtStart(false)).isEqualTo(changeFirst);
    }

    private List<Long> windowsOfASourceSeenOnceUnderAChangeAtStart(boolean changeFirst) throws Exception {
        openConnscan(true);
        ControlChange one = connscanOnOneFrom(T0);
        if (changeFirst) {
            harness.change(one);
        }
        abortedHandshake(T0 + 1_000, "203.0.113.7");
        if (!changeFirst) {
            harness.change(one);
        }
        harness.changesAtStartRead();
        harness.processWatermark(T0 + 10 * MINUTE);
        List<Long> fired =
                harness.extractOutputValues().stream().map(d -> d.windowEnd).toList();
        harness.close();
        return fired;
    }

    /** Panes only while a change at start may still come: then a first event is a compact probe again. */
    @Test
    void firstEventsGoIntoPanesOnlyUntilTheChangesAtStartHaveCome() throws Exception {
        openConnscan(true);
        abortedHandshake(T0 + 1_000, "203.0.113.7");
        int timers = harness.numEventTimeTimers();
        assertThat(timers).as("the panes' window").isPositive();
        harness.changesAtStartRead();
        abortedHandshake(T0 + 2_000, "203.0.113.8");
        assertThat(harness.numEventTimeTimers())
                .as("a compact probe that no rule fires on, swept on the heap backend")
                .isEqualTo(timers);
    }

    /**
     * Every rule keyed by source, connscan lowered to one event: its lane takes a source's only probe into panes, the
     * others keep it compact; all of it ends when the longest window has passed.
     */
    @Test
    void aProbeInPanesAndCompactAtOnceEndsWithItsWindows() throws Exception {
        List<DetectionRule<?>> rules = DetectorHarness.defaultRulesKeyedBySource();
        PanedWindowDetector detector = new PanedWindowDetector(rules, layers);
        harness = DetectorHarness.open(detector, new RuleKey(rules.get(0)), null);
        harness.change(connscanOnOneFrom(T0));
        abortedHandshake(T0 + 1_000, "203.0.113.7");
        assertThat(detector.trackedSources()).isEqualTo(1);
        harness.processWatermark(T0 + 26 * 60 * MINUTE);
        assertThat(harness.extractOutputValues()).extracting(d -> d.rule).contains(ConnScanRule.NAME);
        assertThat(detector.trackedSources()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * A change that lets one event fire, in effect from within the windows of a source's only probe: those windows'
     * ends are judged by it, so their timers are set although the probe's own time is still under the start-up rules.
     */
    @Test
    void aChangeComingIntoEffectWithinAProbesWindowsJudgesThemOnItsOnlyEvent() throws Exception {
        assertThat(windowsOfAnOnlyProbeUnderAChangeToOneFrom(T0 + 30_000)).contains(T0 + MINUTE);
    }

    /**
     * The same from after the probe's first window: that window is judged by the start-up rules, and the first a
     * change judges after it by the change (a compact probe's judgments followed no change: none fired).
     */
    @Test
    void aChangeComingIntoEffectAfterAProbesFirstWindowJudgesALaterOne() throws Exception {
        assertThat(windowsOfAnOnlyProbeUnderAChangeToOneFrom(T0 + 90_000))
                .isNotEmpty()
                .allSatisfy(end -> assertThat(end).isGreaterThan(T0 + 90_000));
    }

    /** The windows that fire on a source's only probe, at T0 + 10 s, under a change letting one fire from {@code from}. */
    private List<Long> windowsOfAnOnlyProbeUnderAChangeToOneFrom(long from) throws Exception {
        openConnscan(false);
        harness.change(connscanOnOneFrom(from));
        abortedHandshake(T0 + 10_000, "203.0.113.7");
        harness.processWatermark(T0 + 10 * MINUTE);
        return harness.extractOutputValues().stream().map(d -> d.windowEnd).toList();
    }

    /**
     * Connscan turned off, then on again with the start-up thresholds: the probes made while it was off are judged by
     * the first window that it is on in and that still holds them (a hostile trial's find: none was).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aRuleTurnedOffAndOnAgainJudgesTheProbesMadeWhileItWasOff(boolean stepped) throws Exception {
        assertThat(windowsOfAScanWhileConnscanWasOff(T0 + 2 * MINUTE + 30_000, stepped))
                .containsExactly(T0 + 3 * MINUTE);
    }

    @Test
    void aRuleTurnedOffForGoodJudgesNothing() throws Exception {
        assertThat(windowsOfAScanWhileConnscanWasOff(null, true)).isEmpty();
    }

    /**
     * The windows that fire on 25 services probed in the minute from T0, connscan off from before it and on again from
     * {@code on} (never if null); the watermark a minute at a time if {@code stepped}.
     */
    private List<Long> windowsOfAScanWhileConnscanWasOff(Long on, boolean stepped) throws Exception {
        openConnscan(false);
        harness.change(ControlChange.of("off", T0 - MINUTE, "{\"connscan\": {\"enabled\": false}}"));
        if (on != null) {
            harness.change(ControlChange.of("on", on, "{}"));
        }
        for (int port = 1; port <= 25; port++) {
            harness.processElement(
                    tcp(
                            T0 + port * 1_000,
                            "203.0.113.7",
                            "10.1.0.1",
                            port,
                            Outcome.ABORTED,
                            Direction.EXTERNAL_INTERNAL),
                    T0 + port * 1_000);
        }
        for (long minute = stepped ? 1 : 10; minute <= 10; minute++) {
            harness.processWatermark(T0 + minute * MINUTE);
        }
        return harness.extractOutputValues().stream().map(d -> d.windowEnd).toList();
    }

    /** The connscan rule alone; the changes at start still to come if {@code changesToCome}. */
    private void openConnscan(boolean changesToCome) throws Exception {
        ConnScanRule connscan = new ConnScanRule(startup.rules().of(ConnScanRule.KIND), 64);
        PanedWindowDetector detector = new PanedWindowDetector(List.of(connscan), layers);
        harness = changesToCome
                ? DetectorHarness.openBeforeTheChangesAtStart(detector, new RuleKey(connscan))
                : DetectorHarness.open(detector, new RuleKey(connscan), null);
    }

    /** The source's handshake with 10.1.0.1:22, aborted: a connscan probe. */
    private void abortedHandshake(long at, String source) throws Exception {
        harness.processElement(tcp(at, source, "10.1.0.1", 22, Outcome.ABORTED, Direction.EXTERNAL_INTERNAL), at);
    }

    /** A change letting one aborted handshake fire connscan from {@code from}. */
    private static ControlChange connscanOnOneFrom(long from) {
        return ControlChange.of("one", from, "{\"connscan\": {\"min-distinct-services\": 1}}");
    }

    /**
     * Two probes before a change that lets two fire, in a window that ends after it: with live control a second
     * probe is never kept compact, whose windows would not be judged, so the window judges both under the change.
     */
    @Test
    void aThresholdLoweredToTwoEventsFiresOnASourceSeenTwiceBeforeIt() throws Exception {
        open(null);
        harness.change(
                ControlChange.of("two", T0 + MINUTE + 55_000, "{\"network-scan\": {\"distinct-hosts-above\": 1}}"));
        probe(T0 + MINUTE + 40_000, "10.1.0.1", 22);
        probe(T0 + MINUTE + 50_000, "10.1.0.2", 22);
        harness.processWatermark(T0 + 10 * MINUTE);
        assertThat(harness.extractOutputValues())
                .isNotEmpty()
                .allSatisfy(d -> assertThat(d.tally.hosts.counts).containsOnlyKeys("10.1.0.1", "10.1.0.2"));
    }

    /**
     * The sliding network scan alone, with a change from {@code from} that lets two hosts fire, and a source's two
     * probes in the minute starting at T0.
     */
    private void twoHostsBeforeAChangeToTwo(long from) throws Exception {
        NetworkScanRule sliding =
                NetworkScanRule.sliding(startup.rules().of(NetworkScanRule.KIND), RuleContext.of(startup));
        harness = DetectorHarness.open(new PanedWindowDetector(List.of(sliding), layers), new RuleKey(sliding), null);
        harness.change(ControlChange.of("two", from, "{\"network-scan\": {\"distinct-hosts-above\": 1}}"));
        probe(T0 + 10_000, "10.1.0.1", 22);
        probe(T0 + 20_000, "10.1.0.2", 22);
    }

    /**
     * A source that probed two hosts and stopped, before a change that lets two fire: the later windows that still
     * hold its probes have none in their last minute, and the first the change judges is judged all the same, by
     * its timer (stepped) or at once when its time has passed (as in a replay).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aLoweredThresholdJudgesTheLaterWindowsOfASourceThatStoppedBeforeIt(boolean stepped) throws Exception {
        twoHostsBeforeAChangeToTwo(T0 + 2 * MINUTE + 30_000);
        if (stepped) {
            harness.processWatermark(T0 + MINUTE);
            assertThat(harness.extractOutputValues())
                    .as("judged by the start-up thresholds")
                    .isEmpty();
        }
        harness.processWatermark(T0 + 10 * MINUTE);
        assertThat(harness.extractOutputValues())
                .extracting(d -> d.windowEnd)
                .as("the first window the change judges")
                .containsExactly(T0 + 3 * MINUTE);
    }

    /**
     * A window chained to the first the change judges, then a probe whose own window, judged when the watermark has
     * passed that one, chains to it as well and judges it at once: judged once, not again by the first chain's timer.
     */
    @Test
    void aWindowTwoChainsReachIsJudgedOnce() throws Exception {
        twoHostsBeforeAChangeToTwo(T0 + 3 * MINUTE + 40_000);
        harness.processWatermark(T0 + MINUTE + 5_000);
        probe(T0 + 2 * MINUTE + 30_000, "10.1.0.3", 22);
        harness.processWatermark(T0 + 8 * MINUTE);
        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(d -> assertThat(d.windowEnd).isEqualTo(T0 + 4 * MINUTE))
                .satisfies(d -> assertThat(d.tally.hosts.counts).hasSize(3));
    }

    /**
     * Started without the dominant-service condition (a share of 1), which a change then sets: a source hammered
     * one service for a minute, then probed 100 services over three and stopped. Every window holding the hammering
     * is withheld by the share, and the first without it, with nothing in its last minute, must still be judged.
     */
    @Test
    void aShareSetByAChangeJudgesTheWindowsItWithheld() throws Exception {
        Map<String, String> noShare =
                Map.of("network-scan.max-dominant-service-share", "1", "detection.distinct-cap", "256");
        ScanwatchConfig started = Detectors.configLoader().load(null, noShare);
        ConfigLayers live = new ConfigLayers(Detectors.configLoader().tree(null, noShare), Detectors::configLoader);
        NetworkScanRule sliding =
                NetworkScanRule.sliding(started.rules().of(NetworkScanRule.KIND), RuleContext.of(started));
        harness = DetectorHarness.open(new PanedWindowDetector(List.of(sliding), live), new RuleKey(sliding), null);
        harness.change(ControlChange.of("share", T0, "{\"network-scan\": {\"max-dominant-service-share\": 0.5}}"));
        for (int i = 0; i < 200; i++) {
            probe(T0 + i, "10.1.0.1", 5432);
        }
        for (int n = 0; n < 100; n++) {
            probe(T0 + MINUTE + (n % 3) * MINUTE, "10.1.0." + (10 + n / 10), 1000 + n % 10);
        }
        probe(T0 + 3 * MINUTE, "10.1.0.0", 1000);
        for (int m = 1; m <= 12; m++) {
            harness.processWatermark(T0 + m * MINUTE - 1);
        }
        assertThat(harness.extractOutputValues())
                .as("the first window past the hammering, judged for the one before it that the share withheld")
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.windowEnd).isEqualTo(T0 + 6 * MINUTE);
                    assertThat(d.tally.attempts).isEqualTo(101);
                });
    }

    private void probe(long at, String host, int port) throws Exception {
        harness.processElement(tcp(at, "203.0.113.9", host, port, Outcome.REJECTED, Direction.EXTERNAL_INTERNAL), at);
    }

    @Test
    void aRestartFromACheckpointKeepsTheAcceptedChanges() throws Exception {
        open(null);
        harness.change(ControlChange.of("lower", T0, "{\"network-scan\": {\"distinct-hosts-above\": 5}}"));
        sweep(T0);
        OperatorSubtaskState snapshot = harness.snapshot(1, T0 + 30_000);
        harness.close();

        open(snapshot);
        harness.processWatermark(T0 + 10 * MINUTE);
        assertThat(harness.extractOutputValues())
                .as("the change came before the checkpoint; no control record is read again")
                .extracting(d -> d.windowEnd)
                .containsExactly(T0 + MINUTE);
    }
}

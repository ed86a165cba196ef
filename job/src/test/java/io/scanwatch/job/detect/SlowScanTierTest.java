package io.scanwatch.job.detect;

import static io.scanwatch.job.testing.Events.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.model.ScanType;
import io.scanwatch.net.CidrSet;
import io.scanwatch.net.NetworkClassifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The long-horizon tier as the job runs it (both default tiers in one operator): pane edges over hours, distinct
 * counts merged across panes past the cap, cleanup when a source goes quiet, and state through a snapshot.
 */
class SlowScanTierTest {
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    /** Midnight UTC: hour and day boundaries are at DAY + n * HOUR. */
    private static final long DAY = 1_700_006_400_000L;

    private static final String SCANNER = "79.124.62.34";
    private static final String HOST = "10.1.0.5";

    private final ScanwatchConfig config = Detectors.configLoader().defaults();
    private final List<DetectionRule<ProbeTally>> rules = tiers();
    private DetectorHarness harness;
    private PanedWindowDetector detector;

    private List<DetectionRule<ProbeTally>> tiers() {
        return tiersOf(config);
    }

    /** The default tiers and one more (YAML). */
    private static List<DetectionRule<ProbeTally>> tiers(String more) {
        return tiersOf(Detectors.configLoader()
                .load(
                        null,
                        Map.of(
                                "slow-scan.tiers",
                                "[{window: 1h, slide: 5m, distinct-hosts-above: 50, distinct-ports-at-least: 50},"
                                        + " {window: 24h, slide: 1h, distinct-hosts-above: 200,"
                                        + " distinct-ports-at-least: 50}, "
                                        + more + "]")));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<DetectionRule<ProbeTally>> tiersOf(ScanwatchConfig config) {
        RuleContext context =
                new RuleContext(new NetworkClassifier(CidrSet.of(List.of("10.0.0.0/8")), CidrSet.of(List.of())), 64);
        return (List) SlowScanRule.rules(config.rules().of(SlowScanRule.KIND), context);
    }

    private void open(OperatorSubtaskState restore) throws Exception {
        detector = new PanedWindowDetector(rules, null);
        harness = DetectorHarness.open(detector, new RuleKey(rules.get(0)), restore);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void probe(long at, String host, int port) throws Exception {
        harness.processElement(tcp(at, SCANNER, host, port, Outcome.UNANSWERED, Direction.EXTERNAL_INTERNAL), at);
    }

    /** One new port of one host every 15 minutes: never more than 4 in an hour, 96 in a day. */
    private void patientScan(long from, int firstPort, int probes) throws Exception {
        for (int i = 0; i < probes; i++) {
            probe(from + i * 15 * MINUTE, HOST, firstPort + i);
        }
    }

    @Test
    void aHundredPortsADayFireTheDayTierOnceTheFiftiethArrives() throws Exception {
        open(null);
        patientScan(DAY, 1000, 96);
        harness.processWatermark(DAY + 26 * HOUR);

        List<Detection> detections = harness.extractOutputValues();
        assertThat(detections).isNotEmpty().allSatisfy(d -> {
            assertThat(d.rule).isEqualTo(SlowScanRule.NAME);
            assertThat(d.windowSize()).as("the hour tier never sees 50").isEqualTo(24 * HOUR);
            assertThat(d.scanType).isEqualTo(ScanType.VERTICAL);
            assertThat(d.scope).isEqualTo("vertical:" + HOST);
            assertThat(d.family()).isEqualTo(NetworkScanRule.NAME);
            assertThat(d.continuous).isTrue();
        });
        // The 50th probe is at 12:15: the first window to hold it ends at 13:00, with the probes until 12:45.
        assertThat(detections.get(0).windowEnd).isEqualTo(DAY + 13 * HOUR);
        assertThat(detections.get(0).tally.ports.distinct()).isEqualTo(52);
        // Then every hour with probes, until the last probe's hour.
        assertThat(detections).extracting(d -> d.windowEnd).containsExactlyElementsOf(hours(13, 24));
    }

    private static List<Long> hours(int from, int to) {
        return java.util.stream.LongStream.rangeClosed(from, to)
                .mapToObj(h -> DAY + h * HOUR)
                .toList();
    }

    @Test
    void aProbeOneMillisecondPastTheDayStartsTheNextWindow() throws Exception {
        open(null);
        for (int i = 0; i < 49; i++) {
            probe(DAY + i * MINUTE, HOST, 1000 + i);
        }
        probe(DAY + 24 * HOUR, HOST, 2000);
        harness.processWatermark(DAY + 30 * HOUR);
        assertThat(harness.extractOutputValues()).as("49 + 1 in no one day").isEmpty();

        probe(DAY + 30 * HOUR, HOST, 3000);
        for (int i = 0; i < 49; i++) {
            probe(DAY + 30 * HOUR + 59 * MINUTE + 59_000 + i, HOST, 3001 + i);
        }
        harness.processWatermark(DAY + 32 * HOUR);
        assertThat(harness.extractOutputValues())
                .as("49 in the last minute of the hour, 1 at its start: 50 in the hour tier")
                .anySatisfy(d -> {
                    assertThat(d.windowSize()).isEqualTo(HOUR);
                    assertThat(d.windowStart).isEqualTo(DAY + 30 * HOUR);
                    assertThat(d.tally.ports.distinct()).isEqualTo(50);
                });
    }

    @Test
    void countsMergeAcrossPanesPastTheCapAsEstimates() throws Exception {
        open(null);
        // 600 ports over 10 hours: 5 min panes of 5 ports each, well past the cap of 64.
        for (int i = 0; i < 600; i++) {
            probe(DAY + i * MINUTE, HOST, 1000 + i);
        }
        harness.processWatermark(DAY + 11 * HOUR);
        Detection last = harness.extractOutputValues().stream()
                .filter(d -> d.windowSize() == 24 * HOUR)
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(last.tally.attempts).isEqualTo(600);
        assertThat(last.tally.ports.estimated()).isTrue();
        assertThat((double) last.tally.ports.distinct()).isCloseTo(600, within(30.0));
        long[] bounds = last.tally.ports.distinctBounds();
        assertThat(bounds[0]).isLessThanOrEqualTo(600);
        assertThat(bounds[1]).isGreaterThanOrEqualTo(600);
        assertThat(last.tally.ports.counts).as("a sample, bounded by the cap").hasSizeLessThanOrEqualTo(64);
    }

    /**
     * A batch replay fires all of a key's timers in a row after all its events, and each timer cleans only what came
     * due since the one before (RuleLane's cursor) and merges the day window's hours once (each hour past the cap): the
     * same detections, counts, samples and estimates as timers fired one watermark at a time between the events, and
     * no state once the day has passed.
     */
    @Test
    void timersFiredInARowJudgeAndCleanAsTimersFiredBetweenEvents() throws Exception {
        List<String> betweenEvents = aDayOfSixHostsEveryFiveMinutes(true);
        harness.close();
        List<String> inARow = aDayOfSixHostsEveryFiveMinutes(false);
        assertThat(inARow)
                .isEqualTo(betweenEvents)
                .anyMatch(d -> d.startsWith("3600000"))
                .anyMatch(d -> d.startsWith("86400000"));
    }

    /** @return window size, end and counts of every detection */
    private List<String> aDayOfSixHostsEveryFiveMinutes(boolean watermarkBetween) throws Exception {
        open(null);
        for (int pane = 0; pane < 24 * 12; pane++) {
            long at = DAY + pane * 5 * MINUTE;
            for (int host = 0; host < 6; host++) {
                probe(at + host * 1000, "10." + (2 + pane / 256) + "." + pane % 256 + "." + host, 445);
            }
            if (watermarkBetween) {
                harness.processWatermark(at + 5 * MINUTE);
            }
        }
        harness.processWatermark(DAY + 3 * 24 * HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        return harness.extractOutputValues().stream()
                .map(SlowScanTierTest::text)
                .toList();
    }

    /** A detection's window, counts, samples and estimates. */
    private static String text(Detection d) {
        return String.join(
                " ",
                String.valueOf(d.windowSize()),
                String.valueOf(d.windowEnd),
                String.valueOf(d.late),
                String.valueOf(d.tally.attempts),
                String.valueOf(d.tally.hosts.distinct()),
                Arrays.toString(d.tally.hosts.distinctBounds()),
                String.valueOf(new TreeMap<>(d.tally.hosts.counts)),
                String.valueOf(d.tally.services.distinct()),
                String.valueOf(new TreeMap<>(d.tally.services.counts)),
                String.valueOf(d.tally.hosts.hits),
                String.valueOf(d.tally.firstSeen),
                String.valueOf(d.tally.lastSeen));
    }

    /**
     * A key's timers fired in a row (a replay) judge as timers fired one watermark at a time between the events,
     * also after a late probe changed an hour: the same detections, the late windows judged again included. With
     * the default tiers, and with a third tier of another slide (a lane of its own).
     */
    @Test
    void timersInARowJudgeAsTimersBetweenEventsAfterALateProbe() throws Exception {
        List<List<DetectionRule<ProbeTally>>> configurations = List.of(
                rules, tiers("{window: 6h, slide: 30m, distinct-hosts-above: 100, distinct-ports-at-least: 50}"));
        for (List<DetectionRule<ProbeTally>> tiers : configurations) {
            List<String> betweenEvents = tenHoursThenALateHour(tiers, true);
            List<String> inARow = tenHoursThenALateHour(tiers, false);
            assertThat(inARow)
                    .isEqualTo(betweenEvents)
                    .anyMatch(d -> d.startsWith(24 * HOUR + " " + (DAY + 12 * HOUR) + " false " + (12 * 72 + 40) + " "))
                    .anyMatch(d -> d.startsWith(24 * HOUR + " " + (DAY + 9 * HOUR) + " true " + (9 * 72 + 40) + " "));
        }
    }

    /** @return the scanner's detections, as {@link #text}, in a harness of its own (the one before is closed) */
    private List<String> tenHoursThenALateHour(List<DetectionRule<ProbeTally>> tiers, boolean watermarkBetween)
            throws Exception {
        if (harness != null) {
            harness.close();
        }
        detector = new PanedWindowDetector(tiers, null);
        harness = DetectorHarness.open(detector, new RuleKey(tiers.get(0)), null);
        sixHostsEveryFiveMinutes(0, 10, watermarkBetween);
        harness.processWatermark(DAY + 10 * HOUR);
        for (int host = 0; host < 40; host++) {
            probe(DAY + 3 * HOUR + host * 1000, "10.4.0." + host, 22);
        }
        sixHostsEveryFiveMinutes(10, 12, watermarkBetween);
        harness.processWatermark(DAY + 12 * HOUR);
        return harness.extractOutputValues().stream()
                .map(SlowScanTierTest::text)
                .toList();
    }

    private void sixHostsEveryFiveMinutes(int fromHour, int toHour, boolean watermarkBetween) throws Exception {
        for (int pane = fromHour * 12; pane < toHour * 12; pane++) {
            long at = DAY + pane * 5 * MINUTE;
            for (int host = 0; host < 6; host++) {
                probe(at + host * 1000, "10.3." + pane + "." + host, 445);
            }
            if (watermarkBetween) {
                harness.processWatermark(at + 5 * MINUTE);
            }
        }
    }

    @Test
    void aQuietSourceLeavesNoStateADayAfterItsLastProbe() throws Exception {
        open(null);
        patientScan(DAY, 1000, 60);
        probe(DAY, "10.1.0.6", 80);
        harness.processWatermark(DAY + 15 * HOUR);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        assertThat(detector.trackedSources()).isEqualTo(1);

        long lastProbe = DAY + 59 * 15 * MINUTE;
        harness.processWatermark(lastProbe + 24 * HOUR - 5 * MINUTE);
        assertThat(harness.numKeyedStateEntries())
                .as("the last pane is still in a day window")
                .isPositive();
        harness.processWatermark(lastProbe + 24 * HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(detector.trackedSources()).isZero();
    }

    @Test
    void aSourceSeenOnceIsOneFirstProbeAndNoTimer() throws Exception {
        open(null);
        for (int i = 0; i < 1000; i++) {
            harness.processElement(
                    tcp(
                            DAY,
                            "198.18." + (i / 250) + "." + (i % 250),
                            HOST,
                            80,
                            Outcome.UNANSWERED,
                            Direction.EXTERNAL_INTERNAL),
                    DAY);
        }
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1000);
        assertThat(harness.numEventTimeTimers())
                .as("one probe cannot fire, and on the heap backend its cleanup is swept, not timed")
                .isZero();
        harness.processWatermark(DAY + 24 * HOUR - 2);
        assertThat(harness.numKeyedStateEntries()).as("still in its day window").isEqualTo(1000);
        harness.processWatermark(DAY + 24 * HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    /**
     * State per tracked source, as a checkpoint stores it (keys, first probes or panes, timers): a source seen once
     * costs a few dozen bytes; a patient scanner's day of panes a few tens of KB whatever it probes.
     */
    @Test
    void stateBytesPerTrackedSourceAreMeasuredFromASnapshot() throws Exception {
        open(null);
        int idle = 10_000;
        for (int i = 0; i < idle; i++) {
            harness.processElement(
                    tcp(
                            DAY,
                            "198.18." + (i / 256) + "." + (i % 256),
                            HOST,
                            80,
                            Outcome.UNANSWERED,
                            Direction.EXTERNAL_INTERNAL),
                    DAY);
        }
        long idleBytes = harness.snapshot(1, DAY).getStateSize() / idle;
        harness.close();

        open(null);
        for (int i = 0; i < 24 * 60; i++) {
            probe(DAY + i * MINUTE, "10.1." + (i % 7) + "." + (i % 211), 1000 + i % 5000);
        }
        long scannerBytes = harness.snapshot(1, DAY + 24 * HOUR).getStateSize();
        System.out.printf(
                "slow tier state: %d bytes per idle source; %d bytes for a source probing 1,440 services in a day%n",
                idleBytes, scannerBytes);
        assertThat(idleBytes).isLessThanOrEqualTo(200);
        assertThat(scannerBytes).as("288 panes, each capped").isLessThan(2_000_000);
    }

    /** A day of one source probing ten times as many targets costs no more state: each pane is capped. */
    @Test
    void stateDoesNotGrowWithTheTargetsOfTheScan() throws Exception {
        long[] bytes = new long[2];
        int[] targets = {20_000, 200_000};
        for (int run = 0; run < 2; run++) {
            open(null);
            for (int i = 0; i < targets[run]; i++) {
                long at = DAY + (long) i * 24 * HOUR / targets[run];
                probe(at, "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), 1 + i % 1000);
            }
            bytes[run] = harness.snapshot(1, DAY + 24 * HOUR).getStateSize();
            harness.close();
        }
        assertThat((double) bytes[1]).isCloseTo(bytes[0], within(bytes[0] * 0.1));
    }

    @Test
    void sketchesSurviveASnapshotAndRestore() throws Exception {
        open(null);
        for (int i = 0; i < 300; i++) {
            probe(DAY + i * MINUTE, HOST, 1000 + i);
        }
        OperatorSubtaskState snapshot = harness.snapshot(1, DAY + 300 * MINUTE);
        harness.close();

        open(snapshot);
        for (int i = 300; i < 600; i++) {
            probe(DAY + i * MINUTE, HOST, 1000 + i);
        }
        harness.processWatermark(DAY + 11 * HOUR);
        Detection restored = harness.extractOutputValues().stream()
                .filter(d -> d.windowEnd == DAY + 10 * HOUR && d.windowSize() == 24 * HOUR)
                .findFirst()
                .orElseThrow();
        harness.close();

        open(null);
        for (int i = 0; i < 600; i++) {
            probe(DAY + i * MINUTE, HOST, 1000 + i);
        }
        harness.processWatermark(DAY + 11 * HOUR);
        Detection uninterrupted = harness.extractOutputValues().stream()
                .filter(d -> d.windowEnd == DAY + 10 * HOUR && d.windowSize() == 24 * HOUR)
                .findFirst()
                .orElseThrow();
        assertThat(restored.tally.ports.distinct()).isEqualTo(uninterrupted.tally.ports.distinct());
        assertThat(restored.tally.ports.counts).isEqualTo(uninterrupted.tally.ports.counts);
        assertThat(restored.tally.attempts).isEqualTo(uninterrupted.tally.attempts);
    }
}

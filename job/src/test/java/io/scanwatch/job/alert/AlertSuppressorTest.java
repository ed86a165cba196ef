package io.scanwatch.job.alert;

import static io.scanwatch.job.testing.Events.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanwatch.enrich.Criticality;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.job.config.ScanwatchConfig.AlertingConfig;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.Logon;
import io.scanwatch.job.model.LogonEvidence;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.model.ScanFacts;
import io.scanwatch.job.model.ScanType;
import io.scanwatch.sketch.DistinctSketch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Suppression, roll-ups, second scans, deterministic ids and state cleanup. */
class AlertSuppressorTest {
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    private static final long T0 = 1_700_000_040_000L;

    private KeyedOneInputStreamOperatorTestHarness<String, Detection, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Detection, Alert> newHarness() throws Exception {
        return newHarness(Duration.ZERO);
    }

    /** @param lateDetectionsWithin how long after its window a detection may come */
    private static KeyedOneInputStreamOperatorTestHarness<String, Detection, Alert> newHarness(
            Duration lateDetectionsWithin) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Detection, Alert> opened = unopenedHarness(lateDetectionsWithin);
        opened.open();
        return opened;
    }

    /** For a restore: state is initialized before the harness opens. */
    private static KeyedOneInputStreamOperatorTestHarness<String, Detection, Alert> unopenedHarness() throws Exception {
        return unopenedHarness(Duration.ZERO);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Detection, Alert> unopenedHarness(
            Duration lateDetectionsWithin) throws Exception {
        return unopenedHarness(lateDetectionsWithin, Duration.ZERO);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Detection, Alert> unopenedHarness(
            Duration lateDetectionsWithin, Duration stillScanningEvery) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AlertSuppressor(
                        new AlertingConfig(2.0, 10),
                        64,
                        10,
                        lateDetectionsWithin,
                        stillScanningEvery,
                        Duration.ofMinutes(70))),
                d -> d.sourceIp,
                Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** A network_scan detection by 198.51.100.7 over {@code hosts} hosts on {@code ports} ports each. */
    private static Detection scan(long windowEnd, ScanType type, String target, int hosts, int ports, long windowSize) {
        ProbeTally tally = new ProbeTally();
        for (int h = 0; h < hosts; h++) {
            for (int p = 0; p < ports; p++) {
                String host = target != null ? target : "10.0.0." + h;
                tally.add(
                        tcp(
                                windowEnd - 1000,
                                "198.51.100.7",
                                host,
                                1 + p,
                                Outcome.UNANSWERED,
                                Direction.EXTERNAL_INTERNAL),
                        64);
            }
        }
        Detection d = new Detection();
        d.rule = "network_scan";
        d.sourceIp = "198.51.100.7";
        d.scanType = type;
        d.target = type == ScanType.VERTICAL ? target : null;
        d.scope = type == ScanType.VERTICAL ? "vertical:" + target : type.name().toLowerCase();
        d.windowKind = windowSize == MINUTE ? "tumbling" : "sliding";
        d.windowStart = windowEnd - windowSize;
        d.windowEnd = windowEnd;
        d.networkDirection = "inbound";
        d.severity = 21;
        d.techniques = List.of("T1595");
        d.suppressionPeriod = HOUR;
        d.tally = tally;
        return d;
    }

    private void feed(Detection d) throws Exception {
        harness.processElement(d, d.windowEnd - 1);
    }

    /**
     * In a stream whose inputs all fell quiet (idle), the input that comes back first moves the watermark on, and a
     * detector's output may then arrive behind it: it alerts at once, where a timer behind the watermark waited for
     * the next advance (none came until new records did; found on a Kafka stream started at the latest offsets).
     */
    @Test
    void aDetectionBehindTheWatermarkAlertsWithoutWaitingForTheNext() throws Exception {
        harness.processWatermark(T0 + 20 * MINUTE);
        feed(scan(T0, ScanType.HORIZONTAL, null, 25, 1, MINUTE));
        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(a -> assertThat(a.kind).isEqualTo(Alert.Kind.NEW));
        feed(scan(T0 + MINUTE, ScanType.HORIZONTAL, null, 26, 1, MINUTE));
        assertThat(harness.extractOutputValues())
                .as("the repeat is suppressed as ever")
                .hasSize(1);
    }

    /** The watermark past a whole suppression period: the late episode stays open for the late repeats after it. */
    @Test
    void lateDetectionsFarBehindTheWatermarkStillFormOneEpisode() throws Exception {
        harness.processWatermark(T0 + 3 * HOUR);
        feed(scan(T0, ScanType.HORIZONTAL, null, 25, 1, MINUTE));
        feed(scan(T0 + MINUTE, ScanType.HORIZONTAL, null, 26, 1, MINUTE));
        feed(scan(T0 + 2 * HOUR, ScanType.HORIZONTAL, null, 27, 1, MINUTE));
        assertThat(harness.extractOutputValues())
                .extracting(a -> a.kind + " " + a.sequence)
                .as("a repeat within the hour suppressed; two hours on, a new episode")
                .containsExactly("NEW 0", "NEW 0");
    }

    /**
     * A stream: a slow scan alerted and its episode ended; hours later a late record makes the slow tiers judge again
     * a window of that scan. The detection joins the ended episode instead of reporting the scan anew, while the
     * detectors may still send such (a day, the longest window), and the episode goes once they no longer can. A fast
     * rule's episode, whose windows are kept for minutes, goes when its period ends.
     */
    @Test
    void aLateDetectionOfAnEndedSlowEpisodeJoinsItWhileDetectorsMayStillSendOne() throws Exception {
        for (Duration within : List.of(Duration.ZERO, Duration.ofDays(1))) {
            KeyedOneInputStreamOperatorTestHarness<String, Detection, Alert> stream = newHarness(within);
            stream.processElement(slow(scan(T0, ScanType.HORIZONTAL, null, 25, 1, MINUTE)), T0 - 1);
            stream.processWatermark(T0 + 11 * HOUR);
            stream.processElement(slow(scan(T0 - MINUTE, ScanType.HORIZONTAL, null, 26, 1, MINUTE)), T0 + 11 * HOUR);

            List<Alert> alerts = stream.extractOutputValues();
            if (within.isZero()) {
                assertThat(alerts).as("without the wait, reported again").hasSize(2);
            } else {
                assertThat(alerts)
                        .singleElement()
                        .satisfies(a -> assertThat(a.kind).isEqualTo(Alert.Kind.NEW));
                assertThat(stream.numKeyedStateEntries()).isPositive();
                stream.processWatermark(T0 + HOUR + Duration.ofDays(1).toMillis());
                assertThat(stream.numKeyedStateEntries()).isZero();
                assertThat(stream.numEventTimeTimers()).isZero();
            }
            stream.close();
        }
        KeyedOneInputStreamOperatorTestHarness<String, Detection, Alert> stream = newHarness(Duration.ofDays(1));
        stream.processElement(scan(T0, ScanType.HORIZONTAL, null, 25, 1, MINUTE), T0 - 1);
        stream.processWatermark(T0 + HOUR);
        assertThat(stream.numKeyedStateEntries()).as("a fast rule's episode").isZero();
        stream.close();
    }

    /** The detection as a continuous rule's (the slow tiers, the networks) raises it. */
    private static Detection slow(Detection detection) {
        detection.rule = "slow_scan";
        detection.family = "network_scan";
        detection.continuous = true;
        return detection;
    }

    @Test
    void firstDetectionAlertsAndRepeatsAreSuppressed() throws Exception {
        feed(scan(T0, ScanType.HORIZONTAL, null, 25, 1, MINUTE));
        harness.processWatermark(T0);
        feed(scan(T0 + MINUTE, ScanType.HORIZONTAL, null, 26, 1, MINUTE));
        feed(scan(T0 + 2 * MINUTE, ScanType.HORIZONTAL, null, 30, 1, MINUTE));
        harness.processWatermark(T0 + 2 * MINUTE);

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.kind).isEqualTo(Alert.Kind.NEW);
            assertThat(a.sequence).isZero();
            assertThat(a.episode.hosts.distinct()).isEqualTo(25);
        });
    }

    /**
     * An authorisation added live, then lifted: the policy held the first alert back, and the scan's detections after
     * the lift open an episode of their own, so that the scan is told as new rather than muted by the held one.
     */
    @Test
    void anEpisodeTheAlertPolicyHeldBackDoesNotMuteTheScanOnceThePolicySendsIt() throws Exception {
        Detection held = scan(T0, ScanType.HORIZONTAL, null, 25, 1, MINUTE);
        held.heldBack = true;
        feed(held);
        Detection stillHeld = scan(T0 + MINUTE, ScanType.HORIZONTAL, null, 25, 1, MINUTE);
        stillHeld.heldBack = true;
        feed(stillHeld);
        feed(scan(T0 + 2 * MINUTE, ScanType.HORIZONTAL, null, 25, 1, MINUTE));
        feed(scan(T0 + 3 * MINUTE, ScanType.HORIZONTAL, null, 25, 1, MINUTE));
        harness.processWatermark(T0 + 3 * MINUTE);

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts).extracting(a -> a.kind).containsExactly(Alert.Kind.NEW, Alert.Kind.NEW);
        assertThat(alerts).extracting(a -> a.detection.windowEnd).containsExactly(T0, T0 + 2 * MINUTE);
        assertThat(alerts.get(1).episodeId).isNotEqualTo(alerts.get(0).episodeId);
        assertThat(alerts.get(1).incidentId)
                .as("the same scanner's story goes on")
                .isEqualTo(alerts.get(0).incidentId);
    }

    @Test
    void aScanThatDoublesRollsUpWithEpisodeTotals() throws Exception {
        feed(scan(T0, ScanType.HORIZONTAL, null, 25, 1, MINUTE));
        feed(scan(T0 + MINUTE, ScanType.HORIZONTAL, null, 30, 1, MINUTE));
        feed(scan(T0 + 2 * MINUTE, ScanType.HORIZONTAL, null, 50, 1, MINUTE));
        harness.processWatermark(T0 + 3 * MINUTE);

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts).hasSize(2);
        Alert rollup = alerts.get(1);
        assertThat(rollup.kind).isEqualTo(Alert.Kind.ROLLUP);
        assertThat(rollup.sequence).isEqualTo(1);
        assertThat(rollup.episodeId).isEqualTo(alerts.get(0).episodeId);
        assertThat(rollup.id).isNotEqualTo(alerts.get(0).id);
        assertThat(rollup.episode.hosts.distinct()).isEqualTo(50);
        assertThat(rollup.suppressedDetections).isEqualTo(1);
        assertThat(rollup.episode.attempts)
                .as("busiest window, not a sum of overlaps")
                .isEqualTo(50);
        assertThat(alerts.get(0).previous)
                .as("a new episode has nothing before it")
                .isNull();
        assertThat(rollup.previous)
                .as("what changed: from the first alert's 25 hosts")
                .satisfies(previous -> {
                    assertThat(previous.alertId).isEqualTo(alerts.get(0).id);
                    assertThat(previous.hosts).isEqualTo(25);
                    assertThat(previous.ports).isEqualTo(1);
                });
    }

    /**
     * Detections arrive with their sketches compact: waiting in state, restored from a snapshot and absorbed into an
     * episode (the second one's hosts the first one's sample dropped go into the episode's compact sketch), they count
     * what the same detections sent uncompacted count without a restore.
     */
    @Test
    void compactDetectionsCountAcrossARestoreAsTheyWouldUncompacted() throws Exception {
        int[] hosts = {100, 40, 210};
        for (int i = 0; i < hosts.length; i++) {
            feed(scan(T0 + i * MINUTE, ScanType.HORIZONTAL, null, hosts[i], 1, MINUTE));
        }
        harness.processWatermark(T0 + 3 * MINUTE);
        List<Alert> expected = harness.extractOutputValues();
        harness.close();

        harness = newHarness();
        List<Detection> compact = new ArrayList<>();
        for (int i = 0; i < hosts.length; i++) {
            Detection d = scan(T0 + i * MINUTE, ScanType.HORIZONTAL, null, hosts[i], 1, MINUTE);
            d.compactSketches();
            compact.add(d);
        }
        assertThat(compact.get(0).tally.hosts.sketch).hasSizeLessThan(DistinctSketch.empty().length / 2);
        feed(compact.get(0));
        harness.processWatermark(T0);
        feed(compact.get(1));
        OperatorSubtaskState snapshot = harness.snapshot(1, T0);
        List<Alert> beforeRestore = new ArrayList<>(harness.extractOutputValues());
        harness.close();
        harness = unopenedHarness();
        harness.initializeState(snapshot);
        harness.open();
        feed(compact.get(2));
        harness.processWatermark(T0 + 3 * MINUTE);
        List<Alert> alerts = new ArrayList<>(beforeRestore);
        alerts.addAll(harness.extractOutputValues());

        assertThat(expected).extracting(a -> a.kind).containsExactly(Alert.Kind.NEW, Alert.Kind.ROLLUP);
        assertThat(alerts)
                .extracting(a -> a.kind + " " + a.id)
                .isEqualTo(expected.stream().map(a -> a.kind + " " + a.id).toList());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(alerts.get(i).episode.hosts.distinct())
                    .isEqualTo(expected.get(i).episode.hosts.distinct());
            assertThat(alerts.get(i).episode.hosts.counts).isEqualTo(expected.get(i).episode.hosts.counts);
            assertThat(alerts.get(i).suppressedDetections).isEqualTo(expected.get(i).suppressedDetections);
        }
    }

    @Test
    void aSecondDifferentScanIsNotHidden() throws Exception {
        feed(scan(T0, ScanType.VERTICAL, "10.0.0.5", 1, 20, MINUTE));
        feed(scan(T0 + MINUTE, ScanType.VERTICAL, "10.0.0.9", 1, 20, MINUTE));
        feed(scan(T0 + 2 * MINUTE, ScanType.VERTICAL, "10.0.0.5", 1, 21, MINUTE));
        harness.processWatermark(T0 + 3 * MINUTE);

        assertThat(harness.extractOutputValues())
                .extracting(a -> a.detection.scope, a -> a.kind)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("vertical:10.0.0.5", Alert.Kind.NEW),
                        org.assertj.core.groups.Tuple.tuple("vertical:10.0.0.9", Alert.Kind.NEW));
    }

    @Test
    void theSameScanAlertsAgainAfterTheSuppressionPeriod() throws Exception {
        feed(scan(T0, ScanType.BLOCK, null, 30, 30, MINUTE));
        harness.processWatermark(T0);
        feed(scan(T0 + HOUR, ScanType.BLOCK, null, 30, 30, MINUTE));
        harness.processWatermark(T0 + HOUR);
        feed(scan(T0 + HOUR + MINUTE, ScanType.BLOCK, null, 30, 30, MINUTE));
        harness.processWatermark(T0 + HOUR + MINUTE);

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(1).episodeStart).isEqualTo(T0 + HOUR + MINUTE);
        assertThat(alerts.get(1).kind).isEqualTo(Alert.Kind.NEW);
        assertThat(alerts.get(1).episodeId).isNotEqualTo(alerts.get(0).episodeId);
    }

    /**
     * A trial's two-hour sweep, a host every ten seconds on port 22, its windows of five minutes firing every minute
     * (more than 20 hosts each) and the slow tier's hour every five: past the cap its
     * episode's hosts and services are estimated by sketches of their own (387 hosts and 383 services in the trial's
     * fourth roll-up). Each alert tells no fewer services than hosts, in its totals and in what it says was reported
     * before, with bounds that hold what it tells.
     */
    @Test
    void anEpisodePastTheCapNeverTellsFewerServicesThanHosts() throws Exception {
        for (long minute = 1; minute <= 125; minute++) {
            long end = T0 + minute * MINUTE;
            ProbeTally window = new ProbeTally();
            for (int n = 0; n < 720; n++) {
                long at = T0 + n * 10_000L;
                if (at >= end - 5 * MINUTE && at < end) {
                    String host = "10.8." + n / 250 + "." + (n % 250 + 1);
                    window.add(tcp(at, "198.51.100.7", host, 22, Outcome.UNANSWERED, Direction.EXTERNAL_INTERNAL), 64);
                }
            }
            if (window.hosts.distinct() > 20) {
                Detection d = scan(end, ScanType.HORIZONTAL, null, 0, 0, 5 * MINUTE);
                d.scope = "horizontal:22";
                d.tally = window;
                feed(d);
            }
            ProbeTally hour = new ProbeTally();
            for (int n = 0; n < 720 && minute % 5 == 0; n++) {
                long at = T0 + n * 10_000L;
                if (at >= end - HOUR && at < end) {
                    String host = "10.8." + n / 250 + "." + (n % 250 + 1);
                    hour.add(tcp(at, "198.51.100.7", host, 22, Outcome.UNANSWERED, Direction.EXTERNAL_INTERNAL), 64);
                }
            }
            if (hour.hosts.distinct() > 50) {
                Detection d = slow(scan(end, ScanType.HORIZONTAL, null, 0, 0, HOUR));
                d.scope = "horizontal:22";
                d.tally = hour;
                feed(d);
            }
            harness.processWatermark(end);
        }
        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts).hasSizeGreaterThan(3);
        assertThat(alerts)
                .as("the sketches disagree that way at some alert")
                .anySatisfy(a -> assertThat(a.episode.services.distinct()).isLessThan(a.episode.hosts.distinct()));
        ObjectMapper mapper = new ObjectMapper();
        for (Alert alert : alerts) {
            JsonNode told = mapper.readTree(new AlertJson(10).write(alert)).path("scanwatch");
            assertThat(told.path("distinct_services").asInt())
                    .isGreaterThanOrEqualTo(told.path("distinct_hosts").asInt())
                    .isGreaterThanOrEqualTo(told.path("distinct_ports").asInt());
            if (told.has("distinct_services_bounds")) {
                assertThat(told.path("distinct_services_bounds").get(0).asInt())
                        .isLessThanOrEqualTo(told.path("distinct_services").asInt())
                        .isGreaterThanOrEqualTo(
                                told.path("distinct_hosts_bounds").get(0).asInt());
                assertThat(told.path("distinct_services_bounds").get(1).asInt())
                        .isGreaterThanOrEqualTo(told.path("distinct_services").asInt());
            }
            JsonNode before = told.path("previous");
            if (!before.isMissingNode()) {
                assertThat(before.path("distinct_services").asInt())
                        .isGreaterThanOrEqualTo(before.path("distinct_hosts").asInt());
            }
        }
    }

    @Test
    void eachRuleMutesForItsOwnPeriod() throws Exception {
        for (int minute = 0; minute <= 22; minute += 11) {
            Detection d = scan(T0 + minute * MINUTE, ScanType.BLOCK, null, 30, 30, MINUTE);
            d.suppressionPeriod = 10 * MINUTE;
            feed(d);
            harness.processWatermark(T0 + minute * MINUTE);
        }
        assertThat(harness.extractOutputValues())
                .as("a ten-minute period ends before the next detection, eleven minutes on")
                .extracting(a -> a.kind)
                .containsExactly(Alert.Kind.NEW, Alert.Kind.NEW, Alert.Kind.NEW);
    }

    @Test
    void idsAndOrderDoNotDependOnWhichDetectorArrivedFirst() throws Exception {
        Detection tumbling = scan(T0, ScanType.HORIZONTAL, null, 22, 1, MINUTE);
        Detection sliding = scan(T0, ScanType.HORIZONTAL, null, 40, 1, 5 * MINUTE);
        List<Alert> first = alertsAtT0(tumbling, sliding);
        List<Alert> second = alertsAtT0(sliding, tumbling);

        assertThat(first)
                .singleElement()
                .satisfies(a -> assertThat(a.detection.windowKind).isEqualTo("sliding"));
        assertThat(second)
                .extracting(a -> a.id)
                .containsExactlyElementsOf(first.stream().map(a -> a.id).toList());
        assertThat(new AlertJson(10).write(second.get(0))).isEqualTo(new AlertJson(10).write(first.get(0)));
    }

    /** What a new suppressor makes of detections due at T0, arriving in the order given. */
    private static List<Alert> alertsAtT0(Detection... arriving) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Detection, Alert> suppressor = newHarness();
        for (Detection detection : arriving) {
            suppressor.processElement(detection, T0 - 1);
        }
        suppressor.processWatermark(T0);
        List<Alert> alerts = suppressor.extractOutputValues();
        suppressor.close();
        return alerts;
    }

    /** Two services' scans of one source in the same window, alike but for the rule: the incident is the same one. */
    @Test
    void twoServicesScansEndingTogetherFoundOneIncidentWhicheverCameFirst() throws Exception {
        Detection mongodb = scan(T0, ScanType.HORIZONTAL, null, 10, 1, MINUTE);
        mongodb.rule = "mongodb_scan_internal_external";
        Detection ssh = scan(T0, ScanType.HORIZONTAL, null, 10, 1, MINUTE);
        ssh.rule = "ssh_scan_internal_external";
        List<Alert> first = alertsAtT0(mongodb, ssh);
        List<Alert> second = alertsAtT0(ssh, mongodb);

        assertThat(first).hasSize(2).extracting(a -> a.incidentId).containsOnly(first.get(0).incidentId);
        assertThat(second).extracting(a -> a.incidentId).containsOnly(first.get(0).incidentId);
    }

    @Test
    void detectionsWaitForTheWatermark() throws Exception {
        feed(scan(T0, ScanType.HORIZONTAL, null, 25, 1, MINUTE));
        harness.processWatermark(T0 - 2);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processWatermark(T0 - 1);
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void anEndedEpisodeLeavesNoState() throws Exception {
        feed(scan(T0, ScanType.HORIZONTAL, null, 25, 1, MINUTE));
        feed(scan(T0 + MINUTE, ScanType.VERTICAL, "10.0.0.1", 1, 20, MINUTE));
        harness.processWatermark(T0 + MINUTE);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.processWatermark(T0 + MINUTE + HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void anEarlyAlertAndTheWindowedAlertsOfTheSameScannerShareOneIncident() throws Exception {
        Detection walk = scan(T0 - 50_000, ScanType.HORIZONTAL, null, 5, 1, 10_000);
        walk.rule = "trw_scan";
        walk.windowKind = "walk";
        feed(walk);
        feed(scan(T0, ScanType.HORIZONTAL, null, 25, 1, MINUTE));
        feed(scan(T0 + MINUTE, ScanType.VERTICAL, "10.0.0.9", 1, 20, MINUTE));
        harness.processWatermark(T0 + MINUTE);

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts)
                .extracting(a -> a.detection.rule + " " + a.detection.scope)
                .containsExactly("trw_scan horizontal", "network_scan horizontal", "network_scan vertical:10.0.0.9");
        assertThat(alerts)
                .as("one episode per rule and scan, one incident for all")
                .extracting(a -> a.episodeId)
                .doesNotHaveDuplicates();
        assertThat(alerts).extracting(a -> a.incidentId).containsOnly(alerts.get(0).episodeId);
    }

    @Test
    void aScanAfterTheIncidentEndedStartsAnother() throws Exception {
        feed(scan(T0, ScanType.HORIZONTAL, null, 25, 1, MINUTE));
        harness.processWatermark(T0);
        Detection later = scan(T0 + 2 * HOUR, ScanType.HORIZONTAL, null, 25, 1, MINUTE);
        later.rule = "connscan_external_internal";
        feed(later);
        harness.processWatermark(T0 + 2 * HOUR);

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(1).incidentId).isEqualTo(alerts.get(1).episodeId);
    }

    /** A slow-tier detection (24 h window, continuing network_scan's episodes) of the same scanner. */
    private static Detection slow(long windowEnd, ScanType type, String target, int hosts, int ports) {
        Detection d = scan(windowEnd, type, target, hosts, ports, 24 * HOUR);
        d.rule = "slow_scan";
        d.family = "network_scan";
        d.continuous = true;
        d.suppressionPeriod = 6 * HOUR;
        d.rollupPeriod = HOUR;
        return d;
    }

    @Test
    void aWeekLongSlowScanIsOneEpisodeWithRateLimitedRollUps() throws Exception {
        // 100 new ports a day on one host, detected every hour: the window's count grows by about 4 an hour.
        for (int hour = 12; hour < 7 * 24; hour++) {
            feed(slow(T0 + hour * HOUR, ScanType.VERTICAL, "10.0.0.5", 1, 50 + (hour - 12) * 4));
            feed(scan(T0 + hour * HOUR + 30 * MINUTE, ScanType.VERTICAL, "10.0.0.5", 1, 15, 5 * MINUTE));
        }
        harness.processWatermark(T0 + 8 * 24 * HOUR);

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts).extracting(a -> a.episodeId).containsOnly(alerts.get(0).episodeId);
        assertThat(alerts.get(0).detection.rule).isEqualTo("slow_scan");
        assertThat(alerts)
                .hasSize(4)
                .first()
                .satisfies(a -> assertThat(a.episode.ports.distinct()).isEqualTo(50));
        for (int i = 1; i < alerts.size(); i++) {
            assertThat(alerts.get(i).episode.ports.distinct())
                    .as("a roll-up when the scan doubled (ports or services: separate estimates past the cap)")
                    .isGreaterThanOrEqualTo(
                            (int) (1.9 * alerts.get(i - 1).episode.ports.distinct()));
        }
        assertThat(harness.numKeyedStateEntries())
                .as("the episode ended 6 h after the scan")
                .isZero();
    }

    @Test
    void rollUpsOfALongScanComeAtMostOncePerPeriod() throws Exception {
        feed(slow(T0, ScanType.VERTICAL, "10.0.0.5", 1, 50));
        feed(slow(T0 + 5 * MINUTE, ScanType.VERTICAL, "10.0.0.5", 1, 100));
        feed(slow(T0 + 10 * MINUTE, ScanType.VERTICAL, "10.0.0.5", 1, 200));
        feed(slow(T0 + HOUR, ScanType.VERTICAL, "10.0.0.5", 1, 210));
        harness.processWatermark(T0 + 2 * HOUR);

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts)
                .as("doubled after 5 and 10 minutes, reported once the hour had passed")
                .extracting(a -> a.kind, a -> a.detection.windowEnd)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Alert.Kind.NEW, T0),
                        org.assertj.core.groups.Tuple.tuple(Alert.Kind.ROLLUP, T0 + HOUR));
        assertThat(alerts.get(1).episode.ports.distinct()).isGreaterThan(200);
        assertThat(alerts.get(1).suppressedDetections).isEqualTo(2);
    }

    /**
     * A slow scan that doubled within the roll-up period of its alert and then stopped: no later detection comes to
     * tell its growth, so the roll-up held back by the period comes a period after the newest detection that found
     * the scan grown (a scan going on would have been detected again past the period by then), with that detection,
     * and across a restore.
     */
    @Test
    void growthHeldByTheRollupPeriodIsToldWhenItEndsThoughTheScanStopped() throws Exception {
        feed(slow(T0, ScanType.VERTICAL, "10.0.0.5", 1, 50));
        feed(slow(T0 + 5 * MINUTE, ScanType.VERTICAL, "10.0.0.5", 1, 100));
        feed(slow(T0 + 10 * MINUTE, ScanType.VERTICAL, "10.0.0.5", 1, 160));
        harness.processWatermark(T0 + 30 * MINUTE);
        OperatorSubtaskState snapshot = harness.snapshot(1, T0 + 30 * MINUTE);
        List<Alert> beforeRestore = new ArrayList<>(harness.extractOutputValues());
        harness.close();
        harness = unopenedHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.processWatermark(T0 + 10 * MINUTE + HOUR - 2);
        assertThat(harness.extractOutputValues())
                .as("not before a period after the held window")
                .isEmpty();
        harness.processWatermark(T0 + 2 * HOUR);

        assertThat(beforeRestore).extracting(a -> a.kind).containsExactly(Alert.Kind.NEW);
        List<Long> stamps = harness.getOutput().stream()
                .filter(StreamRecord.class::isInstance)
                .map(r -> ((StreamRecord<?>) r).getTimestamp())
                .toList();
        assertThat(stamps).as("a period after the held window").containsExactly(T0 + 10 * MINUTE + HOUR - 1);
        Alert rollup = harness.extractOutputValues().get(0);
        assertThat(rollup.kind).isEqualTo(Alert.Kind.ROLLUP);
        assertThat(rollup.episodeId).isEqualTo(beforeRestore.get(0).episodeId);
        assertThat(rollup.detection.windowEnd).isEqualTo(T0 + 10 * MINUTE);
        assertThat(rollup.raisedAt()).as("its @timestamp").isEqualTo(T0 + 10 * MINUTE + HOUR);
        assertThat(rollup.episode.ports.distinct()).isEqualTo(160);
        assertThat(rollup.previous.ports).isEqualTo(50);
        assertThat(rollup.suppressedDetections)
                .as("the 5-minute detection, which the later one replaced")
                .isEqualTo(1);
    }

    /**
     * A roll-up period longer than the suppression period: the episode ends before its held roll-up is due, and is
     * kept until it is told (at a time a replay has a timer for), then leaves nothing.
     */
    @Test
    void anEpisodeThatEndsBeforeItsHeldRollupIsDueTellsItThenGoes() throws Exception {
        Detection first = slow(T0, ScanType.VERTICAL, "10.0.0.5", 1, 50);
        Detection grown = slow(T0 + 10 * MINUTE, ScanType.VERTICAL, "10.0.0.5", 1, 100);
        for (Detection d : List.of(first, grown)) {
            d.rollupPeriod = 8 * HOUR;
            feed(d);
        }
        harness.processWatermark(T0 + 7 * HOUR);
        assertThat(harness.extractOutputValues()).extracting(a -> a.kind).containsExactly(Alert.Kind.NEW);
        harness.processWatermark(T0 + 9 * HOUR);

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts).extracting(a -> a.kind).containsExactly(Alert.Kind.NEW, Alert.Kind.ROLLUP);
        assertThat(alerts.get(1).raisedAt()).isEqualTo(T0 + 10 * MINUTE + 8 * HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    /**
     * A window judged again for a late record, older than the held detection, holds nothing newer to tell: the held
     * detection stays, and the roll-up names it.
     */
    @Test
    void aLateOlderWindowDoesNotReplaceTheHeldRollup() throws Exception {
        feed(slow(T0, ScanType.VERTICAL, "10.0.0.5", 1, 50));
        feed(slow(T0 + 30 * MINUTE, ScanType.VERTICAL, "10.0.0.5", 1, 100));
        harness.processWatermark(T0 + 40 * MINUTE);
        feed(slow(T0 + 10 * MINUTE, ScanType.VERTICAL, "10.0.0.5", 1, 60));
        harness.processWatermark(T0 + 3 * HOUR);

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts)
                .extracting(a -> a.kind, a -> a.detection.windowEnd)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Alert.Kind.NEW, T0),
                        org.assertj.core.groups.Tuple.tuple(Alert.Kind.ROLLUP, T0 + 30 * MINUTE));
        assertThat(alerts.get(1).suppressedDetections).as("the late window").isEqualTo(1);
    }

    /**
     * In a replay, detections come behind the watermark and are handled at their own time, one release each: a held
     * roll-up due before a later detection is told first, as a stream's timer would tell it, so that the later
     * detection is judged against what the roll-up reported.
     */
    @Test
    void aHeldRollupComesBeforeALaterDetectionAsInAStream() throws Exception {
        List<Detection> detections = List.of(
                slow(T0, ScanType.VERTICAL, "10.0.0.5", 1, 50),
                slow(T0 + 10 * MINUTE, ScanType.VERTICAL, "10.0.0.5", 1, 160),
                slow(T0 + 2 * HOUR, ScanType.VERTICAL, "10.0.0.5", 1, 170));
        for (Detection d : detections) {
            feed(d);
        }
        harness.processWatermark(T0 + 3 * HOUR);
        List<Alert> streamed = harness.extractOutputValues();
        harness.close();
        harness = newHarness();
        harness.processWatermark(T0 + 3 * HOUR);
        for (Detection d : detections) {
            feed(d);
        }
        List<Alert> behind = harness.extractOutputValues();

        assertThat(streamed)
                .extracting(a -> a.kind, a -> a.detection.windowEnd)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Alert.Kind.NEW, T0),
                        org.assertj.core.groups.Tuple.tuple(Alert.Kind.ROLLUP, T0 + 10 * MINUTE));
        assertThat(behind)
                .extracting(a -> a.kind + " " + a.id)
                .isEqualTo(streamed.stream().map(a -> a.kind + " " + a.id).toList());
        assertThat(behind.get(1).detection.windowEnd).isEqualTo(T0 + 10 * MINUTE);
    }

    /**
     * A scan that reaches an asset critical enough to raise its severity is told at once, once for each criticality
     * it reaches: neither the growth factor nor a roll-up period holds it back, and later detections at assets no more
     * critical are suppressed as usual.
     */
    @Test
    void aScanReachingARaisingAssetRollsUpAtOnceOncePerCriticality() throws Exception {
        feed(slow(T0, ScanType.HORIZONTAL, null, 30, 1));
        Criticality[] reached = {Criticality.HIGH, Criticality.HIGH, Criticality.CRITICAL, Criticality.HIGH};
        for (int i = 0; i < reached.length; i++) {
            Detection d = slow(T0 + (i + 1) * 5 * MINUTE, ScanType.HORIZONTAL, null, 31 + i, 1);
            d.raisingCriticality = reached[i];
            d.raisingTarget = "10.0.0." + i;
            feed(d);
        }
        feed(slow(T0 + 2 * HOUR, ScanType.HORIZONTAL, null, 70, 1));
        harness.processWatermark(T0 + 3 * HOUR);

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts)
                .extracting(a -> a.kind, a -> a.detection.windowEnd, a -> a.raisingTargetTold)
                .as("each later alert names the most critical asset told, for the policy to describe")
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Alert.Kind.NEW, T0, null),
                        org.assertj.core.groups.Tuple.tuple(Alert.Kind.ROLLUP, T0 + 5 * MINUTE, null),
                        org.assertj.core.groups.Tuple.tuple(Alert.Kind.ROLLUP, T0 + 15 * MINUTE, "10.0.0.0"),
                        org.assertj.core.groups.Tuple.tuple(Alert.Kind.ROLLUP, T0 + 2 * HOUR, "10.0.0.2"));
    }

    /**
     * A window judged again for a late record, older than the episode's last alert, does not escalate after it: its
     * roll-up would come before the alert it follows, and the asset is in the evidence of the next alert.
     */
    @Test
    void aLateWindowOlderThanTheLastAlertDoesNotEscalate() throws Exception {
        feed(slow(T0, ScanType.HORIZONTAL, null, 30, 1));
        harness.processWatermark(T0 + 5 * MINUTE);
        Detection late = slow(T0 - 10 * MINUTE, ScanType.HORIZONTAL, null, 31, 1);
        late.raisingCriticality = Criticality.CRITICAL;
        feed(late);
        harness.processWatermark(T0 + HOUR);
        assertThat(harness.extractOutputValues()).extracting(a -> a.kind).containsExactly(Alert.Kind.NEW);
    }

    /** An episode whose first alert was at a raising asset has told it: no roll-up for it again. */
    @Test
    void anEpisodeOpenedAtARaisingAssetDoesNotEscalateAgain() throws Exception {
        Detection first = scan(T0, ScanType.HORIZONTAL, null, 30, 1, MINUTE);
        first.raisingCriticality = Criticality.CRITICAL;
        feed(first);
        Detection next = scan(T0 + MINUTE, ScanType.HORIZONTAL, null, 35, 1, MINUTE);
        next.raisingCriticality = Criticality.CRITICAL;
        feed(next);
        harness.processWatermark(T0 + 2 * MINUTE);
        assertThat(harness.extractOutputValues()).extracting(a -> a.kind).containsExactly(Alert.Kind.NEW);
    }

    /**
     * A patient scan rolls up ever more rarely (at twice the evidence, then four times...): hours pass without an
     * alert. Every half hour of its probes the correlation hears of it again, as its last alert with the evidence so
     * far, so that logons hours into the scan still follow it; a roll-up starts the half hour anew.
     * Half an hour after the last probe, it hears of the probes since the last word: a logon up to an hour after them
     * follows the scan.
     */
    @Test
    void aScanGoingOnWithoutAlertsTellsTheCorrelationEveryPeriod() throws Exception {
        harness.close();
        harness = unopenedHarness(Duration.ZERO, Duration.ofMinutes(30));
        harness.open();
        // Detected every 5 minutes for 3 hours, 51 ports and 2 more each time: a roll-up at 102 ports.
        for (int step = 0; step <= 36; step++) {
            feed(slow(T0 + step * 5 * MINUTE, ScanType.VERTICAL, "10.0.0.5", 1, 51 + 2 * step));
        }
        harness.processWatermark(T0 + 4 * HOUR);

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts)
                .extracting(a -> a.kind, a -> a.detection.windowEnd)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Alert.Kind.NEW, T0),
                        org.assertj.core.groups.Tuple.tuple(Alert.Kind.ROLLUP, T0 + 130 * MINUTE));
        List<StreamRecord<Alert>> words = new ArrayList<>(harness.getSideOutput(AlertSuppressor.STILL_SCANNING));
        List<Alert> told = words.stream().map(StreamRecord::getValue).toList();
        assertThat(told)
                .as("told when the probes went on half an hour past those it knew of, and of the last probes")
                .extracting(a -> a.episode.lastSeen + 1000)
                .containsExactly(
                        T0 + 30 * MINUTE,
                        T0 + 60 * MINUTE,
                        T0 + 90 * MINUTE,
                        T0 + 120 * MINUTE,
                        T0 + 160 * MINUTE,
                        T0 + 180 * MINUTE);
        assertThat(words.get(5).getTimestamp())
                .as("the last word, half an hour after the last probe: no later probe came")
                .isEqualTo(T0 + 210 * MINUTE - 1000);
        assertThat(told.subList(0, 4))
                .as("the first alert, as it was, with the evidence as it grew")
                .allSatisfy(a -> {
                    assertThat(a.id).isEqualTo(alerts.get(0).id);
                    assertThat(a.detection.rule).isEqualTo(alerts.get(0).detection.rule);
                    assertThat(a.detection.windowEnd).isEqualTo(T0);
                })
                .extracting(a -> a.episode.ports.distinct())
                .containsExactly(63, 75, 87, 99);
        assertThat(told.get(4).id).isEqualTo(alerts.get(1).id);
        assertThat(told.get(4).detection.windowEnd).isEqualTo(T0 + 130 * MINUTE);
    }

    /**
     * Detections that bring no probe newer than those the correlation knows of (windows judged again for late records)
     * do not make a scan go on, however long after it they come.
     */
    @Test
    void aScanThatStoppedIsNotToldAsGoingOnWhileItsWindowsStillDetectIt() throws Exception {
        harness.close();
        harness = unopenedHarness(Duration.ZERO, Duration.ofMinutes(30));
        harness.open();
        Detection first = slow(T0, ScanType.VERTICAL, "10.0.0.5", 1, 60);
        feed(first);
        for (int hour = 1; hour < 24; hour++) {
            Detection again = slow(T0 + hour * HOUR, ScanType.VERTICAL, "10.0.0.5", 1, 1);
            again.tally = first.tally.copy();
            feed(again);
        }
        harness.processWatermark(T0 + 30 * HOUR);
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.getSideOutput(AlertSuppressor.STILL_SCANNING)).isNull();
    }

    @Test
    void withoutACorrelationNothingIsToldOfAScanGoingOn() throws Exception {
        for (int step = 0; step <= 36; step++) {
            feed(slow(T0 + step * 5 * MINUTE, ScanType.VERTICAL, "10.0.0.5", 1, 51 + 2 * step));
        }
        harness.processWatermark(T0 + 4 * HOUR);
        assertThat(harness.getSideOutput(AlertSuppressor.STILL_SCANNING)).isNull();
    }

    @Test
    void theSlowTierContinuesTheFastTiersEpisodeAndReportsUnderItsName() throws Exception {
        feed(slow(T0, ScanType.VERTICAL, "10.0.0.5", 1, 50));
        feed(scan(T0, ScanType.VERTICAL, "10.0.0.5", 1, 50, MINUTE));
        feed(slow(T0 + 2 * HOUR, ScanType.VERTICAL, "10.0.0.5", 1, 60));
        feed(scan(T0 + 3 * HOUR, ScanType.VERTICAL, "10.0.0.5", 1, 20, MINUTE));
        harness.processWatermark(T0 + 4 * HOUR);

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts)
                .as("at the same instant the fast rule names the scan; later detections of either tier join it,"
                        + " past network_scan's own hour, since the slow tier keeps it open")
                .singleElement()
                .satisfies(a -> assertThat(a.detection.rule).isEqualTo("network_scan"));
    }

    @Test
    void aLongScanThatMovesToTheNextHostBecomesABlockInOneEpisode() throws Exception {
        feed(slow(T0, ScanType.VERTICAL, "10.0.0.0", 1, 50));
        feed(slow(T0 + HOUR, ScanType.BLOCK, null, 2, 60));
        feed(slow(T0 + 2 * HOUR, ScanType.VERTICAL, "10.0.0.1", 1, 60));
        feed(scan(T0 + 2 * HOUR, ScanType.VERTICAL, "10.0.0.1", 1, 20, MINUTE));
        harness.processWatermark(T0 + 4 * HOUR);

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts)
                .extracting(a -> a.detection.scope, a -> a.kind)
                .as("the block holds the first host (and grew: a roll-up) and the slow tier's view of the second;"
                        + " a fast scan of one host is another scan, as nmap run again on it would be; the slow"
                        + " tier's view of that host (of its shape) grows it, told once the roll-up period is over")
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("vertical:10.0.0.0", Alert.Kind.NEW),
                        org.assertj.core.groups.Tuple.tuple("block", Alert.Kind.ROLLUP),
                        org.assertj.core.groups.Tuple.tuple("vertical:10.0.0.1", Alert.Kind.NEW),
                        org.assertj.core.groups.Tuple.tuple("vertical:10.0.0.1", Alert.Kind.ROLLUP));
        assertThat(alerts.get(1).episodeId).isEqualTo(alerts.get(0).episodeId);
        assertThat(alerts.get(2).detection.rule).isEqualTo("network_scan");
        assertThat(alerts.get(2).episodeId).isNotEqualTo(alerts.get(0).episodeId);
        assertThat(alerts.get(3).episodeId).isEqualTo(alerts.get(2).episodeId);
        assertThat(alerts.get(3).detection.rule).isEqualTo("slow_scan");
        assertThat(alerts.get(3).episode.ports.distinct()).isEqualTo(60);
    }

    /**
     * A slow tier's window holding one host of an open block grows the block: its roll-up tells the block it rolls
     * up, not a vertical scan of one host over the block's two (a CTU-50 scanner's roll-up said both).
     */
    @Test
    void aVerticalPartThatGrowsABlockRollsItUpAsTheBlock() throws Exception {
        feed(slow(T0, ScanType.BLOCK, null, 2, 30));
        feed(slow(T0 + 2 * HOUR, ScanType.VERTICAL, "10.0.0.1", 1, 100));
        harness.processWatermark(T0 + 3 * HOUR);

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts)
                .extracting(a -> a.detection.scope, a -> a.kind)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("block", Alert.Kind.NEW),
                        org.assertj.core.groups.Tuple.tuple("block", Alert.Kind.ROLLUP));
        Alert rollup = alerts.get(1);
        assertThat(rollup.episodeId).isEqualTo(alerts.get(0).episodeId);
        assertThat(rollup.detection.scanType).isEqualTo(ScanType.BLOCK);
        assertThat(rollup.detection.target).isNull();
        assertThat(rollup.detection.tally.hosts.distinct())
                .as("the window's own counts")
                .isEqualTo(1);
        assertThat(rollup.episode.hosts.distinct()).isEqualTo(2);
        assertThat(rollup.episode.ports.distinct()).isEqualTo(100);
    }

    @Test
    void aFastScanAloneStillEndsAfterItsOwnPeriod() throws Exception {
        feed(scan(T0, ScanType.VERTICAL, "10.0.0.5", 1, 20, MINUTE));
        feed(scan(T0 + HOUR + MINUTE, ScanType.VERTICAL, "10.0.0.5", 1, 20, MINUTE));
        harness.processWatermark(T0 + 2 * HOUR);
        assertThat(harness.extractOutputValues())
                .extracting(a -> a.kind)
                .containsExactly(Alert.Kind.NEW, Alert.Kind.NEW);
    }

    @Test
    void aCorrelatedAlertJoinsTheIncidentOfTheScanItFollows() throws Exception {
        Detection d = logons(T0, "root");
        d.follows = new ScanFacts();
        d.follows.incidentId = "incident-of-the-scan";
        feed(d);
        harness.processWatermark(T0);
        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(a -> assertThat(a.incidentId).isEqualTo("incident-of-the-scan"));
    }

    /** A scan_then_logon detection by 198.51.100.7: failures with the given accounts at one host. */
    private static Detection logons(long windowEnd, String... users) {
        LogonEvidence evidence = new LogonEvidence();
        evidence.firstLogon = windowEnd - 2000;
        evidence.lastLogon = windowEnd - 1;
        evidence.atProbedTargets = true;
        for (String user : users) {
            evidence.users.add(user, 1, 10);
            evidence.targets.add("10.0.0.5", 1, 64);
            evidence.failures++;
        }
        ProbeTally span = new ProbeTally();
        span.firstSeen = windowEnd - HOUR / 2;
        span.lastSeen = windowEnd - 1;
        Detection d = new Detection();
        d.rule = "scan_then_logon";
        d.sourceIp = "198.51.100.7";
        d.scope = "";
        d.windowKind = "pattern";
        d.windowStart = span.firstSeen;
        d.windowEnd = windowEnd;
        d.networkDirection = "inbound";
        d.severity = 73;
        d.techniques = List.of("T1595", "T1110");
        d.suppressionPeriod = HOUR;
        d.tally = span;
        d.logons = evidence;
        return d;
    }

    /**
     * The logons after a match, each matched alone by the continuation pattern: they join the episode the match
     * opened, each once, those of the match's last second too (sshd stamps by the second: each is known by its
     * record), and roll it up as it grows; those the match holds add nothing, nor does a later match, whose logons
     * come as continuations too.
     */
    @Test
    void logonsAfterAMatchJoinItsEpisodeEachOnce() throws Exception {
        feed(continued(T0 - MINUTE, "root", "auth.log:1"));
        feed(match(T0, List.of("root", "admin", "oracle"), "auth.log:1", "auth.log:2", "auth.log:3"));
        feed(continued(T0, "oracle", "auth.log:3"));
        feed(continued(T0, "pi", "auth.log:4"));
        feed(match(T0 + 1000, List.of("pi", "ubnt"), "auth.log:4", "auth.log:5"));
        feed(continued(T0 + 1000, "ubnt", "auth.log:5"));
        feed(continued(T0 + 2000, "test", "auth.log:6"));
        feed(continued(T0 + 2 * MINUTE, "guest", "auth.log:7"));
        feed(continued(T0 + 2 * MINUTE + 1000, "pi2", "auth.log:8"));
        harness.processWatermark(T0 + 3 * MINUTE);
        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts).extracting(a -> a.kind).containsExactly(Alert.Kind.NEW, Alert.Kind.ROLLUP);
        assertThat(alerts.get(0).episodeLogons.users.counts)
                .as("a logon of the match's instant is told with it")
                .containsOnlyKeys("root", "admin", "oracle", "pi");
        assertThat(alerts.get(1).episodeLogons.users.counts)
                .containsOnlyKeys("root", "admin", "oracle", "pi", "ubnt", "test", "guest", "pi2");
        assertThat(alerts.get(1).episodeLogons.failures).as("each record once").isEqualTo(8);
        assertThat(alerts.get(1).detection.logons.users.counts)
                .as("the roll-up is the logon that doubled the accounts")
                .containsOnlyKeys("pi2");
    }

    /**
     * A logon after a match that is handled first (the match names a later scan, and is stamped at its alert) waits
     * for it, and is told with it; alone, it opens nothing and is gone once logons no longer wait.
     */
    @Test
    void aLogonBeforeItsMatchIsHandledWaitsForIt() throws Exception {
        Detection match = match(T0 + 5 * MINUTE, List.of("root", "admin", "oracle"), "auth.log:1", "auth.log:2");
        match.logons.lastLogon = T0;
        match.tally.lastSeen = T0;
        feed(continued(T0 + MINUTE, "pi", "auth.log:4"));
        feed(continued(T0, "admin", "auth.log:2"));
        feed(match);
        harness.processWatermark(T0 + 6 * MINUTE);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(a -> {
            assertThat(a.episodeLogons.users.counts).containsOnlyKeys("root", "admin", "oracle", "pi");
            assertThat(a.episodeLogons.failures).isEqualTo(4);
            assertThat(a.episode.lastSeen)
                    .as("the alert's end holds the logon told with it")
                    .isEqualTo(T0 + MINUTE - 1);
        });

        harness = newHarness();
        feed(continued(T0, "root", "auth.log:1"));
        harness.processWatermark(T0 + HOUR);
        assertThat(harness.numKeyedStateEntries()).as("it waits").isPositive();
        harness.processWatermark(T0 + 2 * HOUR);
        assertThat(harness.extractOutputValues()).as("no episode of its own").isEmpty();
        assertThat(harness.numKeyedStateEntries())
                .as("gone once logons no longer wait")
                .isZero();
    }

    /**
     * CEP may hold a match back past the watermark: a logon stamped after the match, which came first and waited, is
     * handled after it, as a replay (which takes them in time order) handles it, not told in its first alert (a
     * streamed run's first alert told 9 failures where the replay's told 3).
     */
    @Test
    void aLogonStampedAfterAMatchHeldBackIsHandledAfterIt() throws Exception {
        feed(match(T0, List.of("root", "admin", "oracle"), "auth.log:1", "auth.log:2", "auth.log:3"));
        feed(continued(T0 + MINUTE, "pi", "auth.log:4"));
        harness.processWatermark(T0 + 2 * MINUTE);
        List<Alert> inTimeOrder = harness.extractOutputValues();

        harness = newHarness();
        feed(continued(T0 + MINUTE, "pi", "auth.log:4"));
        harness.processWatermark(T0 + 2 * MINUTE);
        feed(match(T0, List.of("root", "admin", "oracle"), "auth.log:1", "auth.log:2", "auth.log:3"));
        harness.processWatermark(T0 + 3 * MINUTE);
        List<Alert> heldBack = harness.extractOutputValues();

        assertThat(inTimeOrder)
                .singleElement()
                .satisfies(a -> assertThat(a.episodeLogons.users.counts).containsOnlyKeys("root", "admin", "oracle"));
        assertThat(heldBack)
                .extracting(a -> a.kind, a -> a.episodeLogons.users.counts.keySet(), a -> a.episodeLogons.failures)
                .containsExactlyElementsOf(inTimeOrder.stream()
                        .map(a -> tuple(a.kind, a.episodeLogons.users.counts.keySet(), a.episodeLogons.failures))
                        .toList());
    }

    /**
     * Logons of one instant are taken in as they were read (by file, then line: line 10 after line 9), whatever the
     * order a replay's readers handed them on in, so that the roll-up is the same logon in every run.
     */
    @Test
    void logonsOfOneInstantAreTakenInAsTheyWereRead() throws Exception {
        feed(match(T0, List.of("root", "admin", "oracle"), "auth.log:1", "auth.log:2", "auth.log:3"));
        for (int line : new int[] {11, 9, 10}) {
            feed(continued(T0 + MINUTE, "user" + line, "auth.log:" + line));
        }
        harness.processWatermark(T0 + 2 * MINUTE);
        assertThat(harness.extractOutputValues())
                .extracting(a -> a.kind, a -> a.detection.logons.users.counts.keySet())
                .containsExactly(
                        tuple(Alert.Kind.NEW, Set.of("root", "admin", "oracle")),
                        tuple(Alert.Kind.ROLLUP, Set.of("user11")));
    }

    /** A logon the policy would send does not join an episode the policy holds back, as a detection would not. */
    @Test
    void aLogonDoesNotJoinAnEpisodeHeldBack() throws Exception {
        Detection held = match(T0 + 5 * MINUTE, List.of("root", "admin", "oracle"), "auth.log:1");
        held.heldBack = true;
        held.logons.lastLogon = T0;
        feed(continued(T0 + MINUTE, "pi", "auth.log:4"));
        feed(held);
        harness.processWatermark(T0 + 6 * MINUTE);
        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(a -> assertThat(a.episodeLogons.users.counts).doesNotContainKey("pi"));
    }

    /**
     * Every later success at another account or host is told at once, however little the episode grew; the same
     * account getting in at the same host again is not.
     */
    @Test
    void anotherAccountBrokenIntoIsTold() throws Exception {
        Detection first = match(T0, List.of("root"), "auth.log:1");
        first.rule = "scan_then_logon_success";
        first.logons.loggedOn = List.of(Logon.of("root", "10.0.0.5", T0 - 1));
        feed(first);
        for (int i = 1; i <= 3; i++) {
            Detection again = continued(T0 + i * MINUTE, i == 2 ? "admin" : "root", "auth.log:" + (i + 1));
            again.rule = "scan_then_logon_success";
            again.logons.failures = 0;
            again.logons.successes = 1;
            again.logons.loggedOn = List.of(
                    Logon.of(again.logons.users.counts.keySet().iterator().next(), "10.0.0.5", again.logons.lastLogon));
            feed(again);
        }
        harness.processWatermark(T0 + 4 * MINUTE);
        assertThat(harness.extractOutputValues())
                .extracting(a -> a.kind, a -> a.detection.logons.loggedOn.get(0).user)
                .containsExactly(tuple(Alert.Kind.NEW, "root"), tuple(Alert.Kind.ROLLUP, "admin"));
    }

    /** A match of the given accounts' failures at one host, holding these records. */
    private static Detection match(long windowEnd, List<String> users, String... records) {
        Detection d = logons(windowEnd, users.toArray(String[]::new));
        d.logons.records = List.of(records);
        return d;
    }

    /** One logon after a match, read at {@code record}: its continuation detection, at {@code windowEnd}. */
    private static Detection continued(long windowEnd, String user, String record) {
        Detection d = logons(windowEnd, user);
        d.logons.firstLogon = d.logons.lastLogon;
        d.logons.records = List.of(record);
        d.continuation = true;
        return d;
    }

    /**
     * Later matches of an open episode add no logons of their own (those come as continuations, each once), and its
     * probe evidence stays empty: logons are not probes.
     */
    @Test
    void correlatedEpisodesCarryTheirLogonsAndRollUpWhenTheAccountsGrow() throws Exception {
        feed(match(T0, List.of("root", "admin", "oracle"), "auth.log:1", "auth.log:2", "auth.log:3"));
        feed(logons(T0 + MINUTE, "root"));
        feed(logons(T0 + 2 * MINUTE, "pi", "ubnt", "test", "guest"));
        feed(continued(T0 + 2 * MINUTE, "pi", "auth.log:9"));
        feed(continued(T0 + 2 * MINUTE + 1, "ubnt", "auth.log:10"));
        feed(continued(T0 + 2 * MINUTE + 2, "test", "auth.log:11"));
        harness.processWatermark(T0 + 3 * MINUTE);
        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts).extracting(a -> a.kind).containsExactly(Alert.Kind.NEW, Alert.Kind.ROLLUP);
        assertThat(alerts.get(0).episodeLogons.users.distinct()).isEqualTo(3);
        assertThat(alerts.get(1).episodeLogons.users.counts)
                .containsOnlyKeys("root", "admin", "oracle", "pi", "ubnt", "test");
        assertThat(alerts.get(1).episodeLogons.failures).isEqualTo(6);
        assertThat(alerts.get(1).episode.hosts.distinct())
                .as("logons are not probes: the probe evidence stays empty")
                .isZero();
        assertThat(alerts.get(1).suppressedDetections).isEqualTo(4);
    }
}

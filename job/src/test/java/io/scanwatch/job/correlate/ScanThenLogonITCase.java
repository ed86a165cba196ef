package io.scanwatch.job.correlate;

import static io.scanwatch.job.testing.Events.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.ScanwatchPipeline;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.model.Severity;
import io.scanwatch.job.testing.TestCluster;
import io.scanwatch.net.CidrSet;
import io.scanwatch.net.NetworkClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scan-then-logon patterns on a MiniCluster in event time, fed scan alerts and logons directly. */
class ScanThenLogonITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    private static final long MINUTE = 60_000;
    /** The scan alert's time: the end of the window that found it. */
    private static final long ALERT = 1_772_442_600_000L;

    private static final String SCANNER = "203.0.113.50";
    private static final NetworkClassifier CLASSIFIER =
            new NetworkClassifier(CidrSet.of(List.of("10.0.0.0/8")), CidrSet.of(List.of()));

    private final ScanwatchConfig config = Detectors.configLoader().load(null, Map.of("correlation.logon-grace", "5m"));

    /** A scan alert by {@code source}: probes of 10.1.0.1-25 port 22 during the four minutes before ALERT. */
    private static Alert scan(String source) {
        return sweep(source, ALERT - 4 * MINUTE);
    }

    /** A scan alert at ALERT by {@code source}: probes of 10.1.0.1-25 port 22, one a second after {@code from}. */
    private static Alert sweep(String source, long from) {
        ProbeTally tally = new ProbeTally();
        for (int h = 1; h <= 25; h++) {
            tally.add(
                    tcp(from + h * 1000, source, "10.1.0." + h, 22, Outcome.UNANSWERED, Direction.EXTERNAL_INTERNAL),
                    64);
        }
        return alert(source, "horizontal:22", ALERT, tally);
    }

    /** A later scan alert by {@code source}: ports 1000-1019 of {@code host} in the minute before {@code at}. */
    private static Alert vertical(String source, String host, long at) {
        ProbeTally tally = new ProbeTally();
        for (int port = 1000; port < 1020; port++) {
            tally.add(
                    tcp(at - MINUTE + port - 1000, source, host, port, Outcome.REJECTED, Direction.EXTERNAL_INTERNAL),
                    64);
        }
        return alert(source, "vertical:" + host, at, tally);
    }

    private static Alert alert(String source, String scope, long at, ProbeTally tally) {
        Detection d = new Detection();
        d.rule = "network_scan";
        d.sourceIp = source;
        d.scope = scope;
        d.windowKind = "sliding";
        d.windowStart = at - 5 * MINUTE;
        d.windowEnd = at;
        d.networkDirection = "inbound";
        d.severity = Severity.LOW.score;
        d.techniques = List.of("T1595");
        d.suppressionPeriod = 60 * MINUTE;
        d.tally = tally;
        Alert alert = new Alert();
        alert.id = (scope.startsWith("vertical") ? "vertical-" : "scan-") + source;
        alert.episodeId = "episode-" + source;
        alert.incidentId = "incident-" + source;
        alert.kind = Alert.Kind.NEW;
        alert.episodeStart = at;
        alert.detection = d;
        alert.episode = tally;
        return alert;
    }

    private static AuthEvent logon(long at, String source, String target, boolean success, int attempts) {
        AuthEvent e = new AuthEvent();
        e.timestamp = at;
        e.sourceIp = source;
        e.targetIp = target;
        e.targetHost = target;
        e.targetPort = 22;
        e.service = "ssh";
        e.user = "root";
        e.success = success;
        e.attempts = attempts;
        e.format = "test";
        return e;
    }

    /** The matches of the two patterns: the continuation's are {@link #continued}'s. */
    private List<Detection> correlate(List<Alert> scans, List<AuthEvent> logons) throws Exception {
        return everyDetection(scans, logons).stream()
                .filter(d -> !d.continuation)
                .toList();
    }

    /** The continuation's detections: the logons after a scan, each alone. */
    private List<Detection> continued(List<Alert> scans, List<AuthEvent> logons) throws Exception {
        return everyDetection(scans, logons).stream()
                .filter(d -> d.continuation)
                .toList();
    }

    private List<Detection> everyDetection(List<Alert> scans, List<AuthEvent> logons) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(ScanwatchPipeline.requiredConfiguration());
        env.setParallelism(2);
        DataStream<Alert> scanStream = env.fromData(new ArrayList<>(scans), TypeInformation.of(Alert.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Alert>forMonotonousTimestamps()
                        .withTimestampAssigner((a, t) -> a.detection.windowEnd - 1));
        List<AuthEvent> sorted = new ArrayList<>(logons);
        sorted.sort((a, b) -> Long.compare(a.timestamp, b.timestamp));
        DataStream<AuthEvent> logonStream = env.fromData(sorted, TypeInformation.of(AuthEvent.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<AuthEvent>forMonotonousTimestamps()
                        .withTimestampAssigner((e, t) -> e.timestamp));
        return ScanThenLogon.detect(List.of(scanStream), logonStream, config.correlation(), CLASSIFIER, 64)
                .executeAndCollect(1_000);
    }

    @Test
    void aScanThenFailedGuessesAtAProbedHostFires() throws Exception {
        List<Detection> found = correlate(
                List.of(scan(SCANNER)),
                List.of(
                        logon(ALERT + MINUTE, SCANNER, "10.1.0.7", false, 1),
                        logon(ALERT + 2 * MINUTE, SCANNER, "10.1.0.7", false, 1),
                        logon(ALERT + 3 * MINUTE, SCANNER, "10.1.0.7", false, 1)));
        assertThat(found).singleElement().satisfies(d -> {
            assertThat(d.rule).isEqualTo("scan_then_logon");
            assertThat(d.sourceIp).isEqualTo(SCANNER);
            assertThat(d.severity).isEqualTo(Severity.HIGH.score);
            assertThat(d.techniques).containsExactly("T1595", "T1110");
            assertThat(d.logons.failures).isEqualTo(3);
            assertThat(d.logons.atProbedTargets).isTrue();
            assertThat(d.logons.delayMillis).isEqualTo(ALERT + MINUTE - (ALERT - 4 * MINUTE + 25_000));
            assertThat(d.follows.alertId).isEqualTo("scan-" + SCANNER);
            assertThat(d.follows.incidentId).isEqualTo("incident-" + SCANNER);
            assertThat(d.windowEnd).as("raised at its last logon").isEqualTo(ALERT + 3 * MINUTE + 1);
        });
    }

    /**
     * As nmap swept a network and then scanned the ports of one host it went on to log on to (the helper's trial on
     * Stratosphere's capture): the later scan joins the sweep's match, and the alert follows the scan that probed the
     * host, at its severity, not the sweep that came first; logons at a host of the sweep follow the sweep though a
     * scan came since, and logons at a host neither probed follow the latest. The success tells the failures before
     * it, whichever scan it follows.
     */
    @Test
    void logonsFollowTheScanThatProbedTheirHostElseTheLatest() throws Exception {
        List<Alert> scans = List.of(scan(SCANNER), vertical(SCANNER, "10.2.0.9", ALERT + 2 * MINUTE));
        for (String host : List.of("10.2.0.9", "10.1.0.7", "10.9.9.9")) {
            List<Detection> found = correlate(
                    scans,
                    List.of(
                            logon(ALERT + 3 * MINUTE, SCANNER, host, false, 1),
                            logon(ALERT + 4 * MINUTE, SCANNER, host, false, 1),
                            logon(ALERT + 5 * MINUTE, SCANNER, host, false, 1),
                            logon(ALERT + 6 * MINUTE, SCANNER, host, true, 1)));
            assertThat(found).as(host).hasSize(2).allSatisfy(d -> {
                assertThat(d.follows.alertId)
                        .as(host)
                        .isEqualTo(host.equals("10.1.0.7") ? "scan-" + SCANNER : "vertical-" + SCANNER);
                assertThat(d.logons.atProbedTargets).as(host).isEqualTo(!host.equals("10.9.9.9"));
                assertThat(d.logons.failures).as(host).isEqualTo(3);
            });
            assertThat(found)
                    .extracting(d -> d.rule + " " + d.severity)
                    .as(host)
                    .containsExactlyInAnyOrder(
                            "scan_then_logon " + (host.equals("10.9.9.9") ? Severity.MEDIUM : Severity.HIGH).score,
                            "scan_then_logon_success "
                                    + (host.equals("10.9.9.9") ? Severity.HIGH : Severity.CRITICAL).score);
        }
    }

    @Test
    void aContextLineIsNotTheFirstGuessAndAnUnloggedAccountIsNoUser() throws Exception {
        AuthEvent context = logon(ALERT + MINUTE, SCANNER, "10.1.0.7", false, 0);
        AuthEvent unnamed = logon(ALERT + 2 * MINUTE, SCANNER, "10.1.0.7", false, 1);
        unnamed.user = null;
        List<Detection> found = correlate(
                List.of(scan(SCANNER)),
                List.of(
                        context,
                        unnamed,
                        logon(ALERT + 3 * MINUTE, SCANNER, "10.1.0.7", false, 1),
                        logon(ALERT + 4 * MINUTE, SCANNER, "10.1.0.7", false, 1)));
        assertThat(found).singleElement().satisfies(d -> {
            assertThat(d.logons.firstLogon).as("the first guess").isEqualTo(ALERT + 2 * MINUTE);
            assertThat(d.logons.delayMillis).isEqualTo(ALERT + 2 * MINUTE - (ALERT - 4 * MINUTE + 25_000));
            assertThat(d.logons.users.counts.keySet()).containsExactly("root");
        });
    }

    @Test
    void fewerGuessesThanTheThresholdDoNot() throws Exception {
        assertThat(correlate(
                        List.of(scan(SCANNER)),
                        List.of(
                                logon(ALERT + MINUTE, SCANNER, "10.1.0.7", false, 1),
                                logon(ALERT + 2 * MINUTE, SCANNER, "10.1.0.7", false, 1))))
                .isEmpty();
    }

    @Test
    void onceRecordForSeveralGuessesCountsThemAll() throws Exception {
        assertThat(correlate(List.of(scan(SCANNER)), List.of(logon(ALERT + MINUTE, SCANNER, "10.1.0.7", false, 3))))
                .extracting(d -> d.rule)
                .containsExactly("scan_then_logon");
    }

    /** Decided: failures before the scan's first probe are a brute force that later scans; they do not match. */
    @Test
    void failuresBeforeTheScanBeganDoNotMatch() throws Exception {
        assertThat(correlate(
                        List.of(scan(SCANNER)),
                        List.of(
                                logon(ALERT - 10 * MINUTE, SCANNER, "10.1.0.7", false, 1),
                                logon(ALERT - 9 * MINUTE, SCANNER, "10.1.0.7", false, 1),
                                logon(ALERT - 8 * MINUTE, SCANNER, "10.1.0.7", false, 1))))
                .isEmpty();
    }

    /** Logons while the scan still ran, before its window closed and it alerted, follow it (the grace). */
    @Test
    void failuresWhileTheScanRanFollowIt() throws Exception {
        List<Detection> found = correlate(
                List.of(scan(SCANNER)),
                List.of(
                        logon(ALERT - 4 * MINUTE + 5_000, SCANNER, "10.1.0.7", false, 1),
                        logon(ALERT - 4 * MINUTE + 10_000, SCANNER, "10.1.0.7", false, 1),
                        logon(ALERT - 4 * MINUTE + 15_000, SCANNER, "10.1.0.7", false, 1)));
        assertThat(found).singleElement().satisfies(d -> {
            assertThat(d.logons.delayMillis).as("began before the last probe").isEqualTo(-20_000);
            assertThat(d.windowEnd)
                    .as("raised after the scan's alert, which it follows")
                    .isEqualTo(ALERT + 1);
            assertThat(d.logons.lastLogon).isEqualTo(ALERT - 4 * MINUTE + 15_000);
        });
    }

    @Test
    void logonsAfterTheTimeBoundDoNotMatch() throws Exception {
        assertThat(correlate(
                        List.of(scan(SCANNER)),
                        List.of(
                                logon(ALERT + 61 * MINUTE, SCANNER, "10.1.0.7", false, 1),
                                logon(ALERT + 62 * MINUTE, SCANNER, "10.1.0.7", false, 1),
                                logon(ALERT + 63 * MINUTE, SCANNER, "10.1.0.7", false, 1),
                                logon(ALERT + 64 * MINUTE, SCANNER, "10.1.0.7", true, 1))))
                .isEmpty();
    }

    /**
     * The day's window alerts on the hour, up to an hour after the scan's last probe: the bound runs from when the
     * scan was last seen going on, which is presumed to be no more than half the bound past its last probe (a trial
     * found logons 36 to 106 minutes after a scan's end correlated, or not, by the hour it ended in).
     */
    @Test
    void theTimeBoundRunsFromWhenTheScanWasLastSeenGoingOn() throws Exception {
        Alert dayWindow = sweep(SCANNER, ALERT - 60 * MINUTE);
        long lastProbe = ALERT - 60 * MINUTE + 25_000;
        assertThat(correlate(List.of(dayWindow), List.of(logon(lastProbe + 89 * MINUTE, SCANNER, "10.1.0.7", true, 1))))
                .as("89 minutes after the last probe: an hour after the scan was presumed to go on")
                .hasSize(1);
        assertThat(correlate(List.of(dayWindow), List.of(logon(lastProbe + 91 * MINUTE, SCANNER, "10.1.0.7", true, 1))))
                .as("91 minutes after it, though within the hour after the alert")
                .isEmpty();
    }

    /**
     * A way in at a probed host, after a wrong guess there or at a host the scan missed: critical either way (a success
     * is rated where it got in, so that guessing elsewhere first does not lower it).
     */
    @ParameterizedTest
    @ValueSource(strings = {"10.1.0.7", "10.9.9.9"})
    void aSuccessAtAProbedHostIsCritical(String guessedAt) throws Exception {
        List<Detection> found = correlate(
                List.of(scan(SCANNER)),
                List.of(
                        logon(ALERT + MINUTE, SCANNER, guessedAt, false, 1),
                        logon(ALERT + 2 * MINUTE, SCANNER, "10.1.0.7", true, 1)));
        assertThat(found).singleElement().satisfies(d -> {
            assertThat(d.rule).isEqualTo("scan_then_logon_success");
            assertThat(d.severity).isEqualTo(Severity.CRITICAL.score);
            assertThat(d.techniques).containsExactly("T1595", "T1078");
            assertThat(d.logons.successes).isEqualTo(1);
            assertThat(d.logons.failures).isEqualTo(1);
            assertThat(d.logons.loggedOn)
                    .as("who got in, where, when")
                    .singleElement()
                    .satisfies(logon -> {
                        assertThat(logon.user).isEqualTo("root");
                        assertThat(logon.target).isEqualTo("10.1.0.7");
                        assertThat(logon.at).isEqualTo(ALERT + 2 * MINUTE);
                    });
        });
    }

    /**
     * A brute force of hundreds of guesses after a scan, then a success: the match keeps its first guesses only (each
     * guess reads the match back, so a match of all of them cost as much per guess as every guess before it), and the
     * success still follows the scan.
     */
    @Test
    void aLongBruteForceKeepsItsFirstGuessesAndTheSuccessStillFollows() throws Exception {
        List<AuthEvent> logons = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            logons.add(logon(ALERT + MINUTE + i * 100L, SCANNER, "10.1.0.7", false, 1));
        }
        logons.add(logon(ALERT + 2 * MINUTE, SCANNER, "10.1.0.7", true, 1));
        List<Detection> found = correlate(List.of(scan(SCANNER)), logons);
        // The two patterns' matches come from two operators, at parallelism 2 in either order.
        assertThat(found)
                .extracting(d -> d.rule)
                .containsExactlyInAnyOrder("scan_then_logon", "scan_then_logon_success");
        assertThat(found)
                .filteredOn(d -> d.rule.equals("scan_then_logon_success"))
                .singleElement()
                .satisfies(success -> {
                    assertThat(success.logons.failures).isEqualTo(ScanThenLogonPatterns.EVENTS_KEPT);
                    assertThat(success.severity).isEqualTo(Severity.CRITICAL.score);
                });
    }

    /**
     * The logons after a scan, each matched alone by the continuation (the two patterns skip past their match, so a
     * brute force raises one): a guess or a success in reach, at a probed or an internal host, once however many
     * reports of the scan reach it; not sshd's context lines, not logons before the scan's first probe or past its
     * reach, not at a host outside.
     */
    @Test
    void everyLogonInReachIsContinuedAlone() throws Exception {
        List<AuthEvent> logons = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            logons.add(logon(ALERT + i * MINUTE, SCANNER, "10.1.0." + i, false, 1));
        }
        logons.add(logon(ALERT + 6 * MINUTE, SCANNER, "10.9.9.9", true, 1));
        logons.add(logon(ALERT + 7 * MINUTE, SCANNER, "10.1.0.7", false, 0));
        logons.add(logon(ALERT + 8 * MINUTE, SCANNER, "192.0.2.1", false, 1));
        logons.add(logon(ALERT - 10 * MINUTE, SCANNER, "10.1.0.8", false, 1));
        logons.add(logon(ALERT + 3 * 60 * MINUTE, SCANNER, "10.1.0.9", false, 1));
        List<Detection> found =
                continued(List.of(scan(SCANNER), vertical(SCANNER, "10.1.0.50", ALERT + 30_000)), logons);
        assertThat(found)
                .extracting(d -> d.logons.targets.counts.keySet().iterator().next())
                .containsExactlyInAnyOrder("10.1.0.1", "10.1.0.2", "10.1.0.3", "10.1.0.4", "10.1.0.5", "10.9.9.9");
        assertThat(found).allSatisfy(d -> {
            assertThat(d.logons.failures + d.logons.successes).isEqualTo(1);
            assertThat(d.logons.records).singleElement().asString().contains(String.valueOf(d.logons.lastLogon));
            assertThat(d.follows.alertId)
                    .as("the scan that probed the host, else the latest report")
                    .isEqualTo(d.logons.atProbedTargets ? "scan-" + SCANNER : "vertical-" + SCANNER);
        });
        assertThat(found)
                .filteredOn(d -> d.logons.successes == 1)
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.rule).isEqualTo("scan_then_logon_success");
                    assertThat(d.severity).as("at another internal host").isEqualTo(Severity.HIGH.score);
                });
        assertThat(found)
                .filteredOn(d -> d.logons.failures == 1)
                .allSatisfy(d -> assertThat(d.rule).isEqualTo("scan_then_logon"));
    }

    @Test
    void aSuccessAtAnotherInternalHostIsHighAndOneOutsideIsNothing() throws Exception {
        assertThat(correlate(List.of(scan(SCANNER)), List.of(logon(ALERT + MINUTE, SCANNER, "10.9.9.9", true, 1))))
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.severity).isEqualTo(Severity.HIGH.score);
                    assertThat(d.logons.atProbedTargets).isFalse();
                });
        assertThat(correlate(List.of(scan(SCANNER)), List.of(logon(ALERT + MINUTE, SCANNER, "192.0.2.1", true, 1))))
                .isEmpty();
    }

    @Test
    void interleavedSourcesAreKeptApart() throws Exception {
        String other = "198.51.100.7";
        List<Detection> found = correlate(
                List.of(scan(SCANNER), scan(other)),
                List.of(
                        logon(ALERT + MINUTE, other, "10.1.0.3", false, 1),
                        logon(ALERT + MINUTE + 1, SCANNER, "10.1.0.3", false, 1),
                        logon(ALERT + 2 * MINUTE, other, "10.1.0.3", false, 1),
                        logon(ALERT + 3 * MINUTE, other, "10.1.0.3", false, 1),
                        logon(ALERT + 4 * MINUTE, "192.0.2.99", "10.1.0.3", false, 5)));
        assertThat(found).extracting(d -> d.sourceIp).containsExactly(other);
    }
}

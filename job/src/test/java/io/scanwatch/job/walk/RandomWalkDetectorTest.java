package io.scanwatch.job.walk;

import static io.scanwatch.job.testing.Events.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.config.RuleConfig;
import io.scanwatch.job.model.Detection;
import io.scanwatch.net.CidrSet;
import io.scanwatch.net.NetworkClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The walk per source: first contacts only, one alert at the deciding probe, reset after quiet, bounded state. */
class RandomWalkDetectorTest {
    private static final long T = 1_780_000_000_000L;
    private static final long HOUR = 3_600_000;
    private static final long MINUTE = 60_000;
    private static final String SOURCE = "198.51.100.7";
    private static final RuleConfig<TrwScan.Settings> CONFIG = Detectors.configLoader()
            .load(null, Map.of("trw-scan.exact-hosts", "8"))
            .rules()
            .of(TrwScan.SECTION);

    private KeyedOneInputStreamOperatorTestHarness<String, ContactAttempt, Detection> harness;

    @BeforeEach
    void open() throws Exception {
        harness = restoredFrom(null);
    }

    /** A detector's harness, from nothing or from a savepoint. */
    private static KeyedOneInputStreamOperatorTestHarness<String, ContactAttempt, Detection> restoredFrom(
            OperatorSubtaskState savepoint) throws Exception {
        return restoredFrom(savepoint, CONFIG);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ContactAttempt, Detection> restoredFrom(
            OperatorSubtaskState savepoint, RuleConfig<TrwScan.Settings> config) throws Exception {
        NetworkClassifier classifier = new NetworkClassifier(CidrSet.of(List.of("10.0.0.0/8")), CidrSet.of(List.of()));
        var restored = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new RandomWalkDetector(config, classifier, 64)),
                (ContactAttempt attempt) -> attempt.sourceIp,
                Types.STRING);
        if (savepoint != null) {
            restored.initializeState(savepoint);
        }
        restored.open();
        return restored;
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void contact(long at, String host, Outcome outcome) throws Exception {
        offer(tcp(at, SOURCE, host, 22, outcome, Direction.EXTERNAL_INTERNAL));
    }

    /** The event as the pipeline gives it to the walk: only attempts with an outcome, cut to the walk's fields. */
    private void offer(ConnectionEvent event) throws Exception {
        offerTo(CONFIG, event);
    }

    @Test
    void theFourthFailedFirstContactDecides() throws Exception {
        for (int i = 1; i <= 3; i++) {
            contact(T + i, "10.0.0." + i, Outcome.UNANSWERED);
        }
        harness.processWatermark(T + 3);
        assertThat(harness.extractOutputValues()).isEmpty();
        contact(T + 4, "10.0.0.4", Outcome.REJECTED);
        assertThat(harness.extractOutputValues())
                .as("walked when the watermark passes it")
                .isEmpty();
        harness.processWatermark(T + 4);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(d -> {
            assertThat(d.rule).isEqualTo("trw_scan");
            assertThat(d.windowStart).isEqualTo(T + 1);
            assertThat(d.windowEnd).as("at the deciding probe").isEqualTo(T + 5);
            assertThat(d.walk.failures).isEqualTo(4);
            assertThat(Math.exp(d.walk.logLikelihoodRatio))
                    .isCloseTo(256, org.assertj.core.api.Assertions.within(1e-6));
            assertThat(d.networkDirection).isEqualTo("inbound");
            assertThat(d.tally.hosts.distinct()).isEqualTo(4);
        });
        contact(T + 5, "10.0.0.5", Outcome.UNANSWERED);
        harness.processWatermark(T + 5);
        assertThat(harness.extractOutputValues()).as("one alert per walk").hasSize(1);
    }

    @Test
    void repeatedContactsAndUnknownOutcomesDoNotMoveTheWalk() throws Exception {
        for (int i = 0; i < 20; i++) {
            contact(T + i, "10.0.0.1", Outcome.REJECTED);
            contact(T + i, "10.0.0." + (100 + i), Outcome.UNKNOWN);
        }
        contact(T + 30, "10.0.0.2", Outcome.REJECTED);
        contact(T + 31, "10.0.0.3", Outcome.REJECTED);
        harness.processWatermark(T + 31);
        assertThat(harness.extractOutputValues())
                .as("three distinct hosts failed")
                .isEmpty();
    }

    /** One attempt two sensors saw differently, answered and refused: the host answered, whichever came in first. */
    @Test
    void aHostOneSensorSawAnswerIsNoFailedFirstContact() throws Exception {
        contact(T + 1, "10.0.0.1", Outcome.REJECTED);
        contact(T + 1, "10.0.0.1", Outcome.COMPLETED);
        for (int i = 2; i <= 4; i++) {
            contact(T + i, "10.0.0." + i, Outcome.UNANSWERED);
        }
        harness.processWatermark(T + 4);
        assertThat(harness.extractOutputValues())
                .as("a success and three failures")
                .isEmpty();
        contact(T + 5, "10.0.0.5", Outcome.UNANSWERED);
        contact(T + 6, "10.0.0.6", Outcome.UNANSWERED);
        harness.processWatermark(T + 6);
        assertThat(harness.extractOutputValues())
                .as("the fifth failure after the success")
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.walk.successes).isEqualTo(1);
                    assertThat(d.walk.failures).isEqualTo(5);
                });
    }

    @Test
    void aBenignHostThatStartsScanningIsCaughtAfterSevenFailures() throws Exception {
        for (int i = 1; i <= 10; i++) {
            contact(T + i, "10.0.1." + i, Outcome.COMPLETED);
        }
        for (int i = 1; i <= 6; i++) {
            contact(T + 100 + i, "10.0.2." + i, Outcome.UNANSWERED);
        }
        harness.processWatermark(T + 106);
        assertThat(harness.extractOutputValues()).isEmpty();
        contact(T + 107, "10.0.2.7", Outcome.UNANSWERED);
        harness.processWatermark(T + 107);
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void aQuietSourceStartsOverAndLeavesNoState() throws Exception {
        for (int i = 1; i <= 3; i++) {
            contact(T + i, "10.0.0." + i, Outcome.UNANSWERED);
        }
        harness.processWatermark(T + 3 + HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        contact(T + 2 * HOUR, "10.0.0.4", Outcome.UNANSWERED);
        assertThat(harness.extractOutputValues()).as("a new walk: one failure").isEmpty();
    }

    /**
     * A source quiet for the quiet period starts over whether its next contact arrives after the watermark passed the
     * quiet period's end (a stream) or before (a replay, where every record is in before any timer fires).
     */
    @Test
    void aQuietGapStartsOverWhenTheNextContactArrivedBeforeTheWatermark() throws Exception {
        for (int i = 1; i <= 3; i++) {
            contact(T + i, "10.0.0." + i, Outcome.UNANSWERED);
        }
        contact(T + 3 + HOUR + 1, "10.0.0.4", Outcome.UNANSWERED);
        harness.processWatermark(T + 2 * HOUR);
        assertThat(harness.extractOutputValues())
                .as("a new walk after the gap: one failure, not the fourth")
                .isEmpty();
        contact(T + 2 * HOUR + 1, "10.0.0.5", Outcome.UNANSWERED);
        contact(T + 2 * HOUR + 2, "10.0.0.6", Outcome.UNANSWERED);
        contact(T + 2 * HOUR + 3, "10.0.0.7", Outcome.UNANSWERED);
        harness.processWatermark(T + 2 * HOUR + 3);
        assertThat(harness.extractOutputValues())
                .as("the new walk's fourth failure")
                .singleElement()
                .satisfies(d -> assertThat(d.windowStart).isEqualTo(T + 3 + HOUR + 1));
    }

    /**
     * The quiet timer is set when a walk starts and moved only when it fires: a source that keeps going past the quiet
     * period after its first contact keeps its walk, and leaves one timer.
     */
    @Test
    void aSourceActiveLongerThanTheQuietPeriodKeepsItsWalk() throws Exception {
        long halfHour = HOUR / 2;
        for (int i = 1; i <= 3; i++) {
            contact(T + i * halfHour, "10.0.0." + i, Outcome.UNANSWERED);
            harness.processWatermark(T + i * halfHour);
            assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        }
        harness.processWatermark(T + 3 * halfHour + HOUR - 1);
        assertThat(harness.extractOutputValues()).isEmpty();
        contact(T + 3 * halfHour + HOUR, "10.0.0.4", Outcome.UNANSWERED);
        harness.processWatermark(T + 3 * halfHour + HOUR);
        assertThat(harness.extractOutputValues())
                .as("the fourth failure of one walk, 2.5 hours after its first")
                .singleElement()
                .satisfies(d -> assertThat(d.windowStart).isEqualTo(T + halfHour));
    }

    /** A late contact that continues a walk after its quiet timer fired sets the timer again: no state is left. */
    @Test
    void aLateContactAfterTheQuietTimerLeavesNoState() throws Exception {
        contact(T, "10.0.0.1", Outcome.UNANSWERED);
        harness.processWatermark(T);
        contact(T + HOUR + 30 * MINUTE, "10.0.0.2", Outcome.UNANSWERED);
        harness.processWatermark(T + HOUR + MINUTE);
        contact(T + 45 * MINUTE, "10.0.0.3", Outcome.UNANSWERED);
        harness.processWatermark(T + HOUR + 30 * MINUTE);
        harness.processWatermark(T + 3 * HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * A named source's next contact after a quiet period waits for the watermark: a contact earlier in event time but
     * later to arrive may close the gap, as it does when the two arrive in order.
     */
    @Test
    void aGapAfterTheAlertIsJudgedInEventTimeNotInArrivalOrder() throws Exception {
        for (int i = 1; i <= 4; i++) {
            contact(T + i, "10.0.0." + i, Outcome.UNANSWERED);
        }
        harness.processWatermark(T + 4);
        assertThat(harness.extractOutputValues()).hasSize(1);
        contact(T + 4 + HOUR + 10_000, "10.0.1.1", Outcome.UNANSWERED);
        contact(T + 4 + HOUR - 10_000, "10.0.1.2", Outcome.UNANSWERED);
        for (int i = 3; i <= 5; i++) {
            contact(T + 4 + HOUR + 10_000 + i, "10.0.1." + i, Outcome.UNANSWERED);
        }
        harness.processWatermark(T + 3 * HOUR);
        assertThat(harness.extractOutputValues())
                .as("no gap between the two contacts in event time: one walk, named once")
                .hasSize(1);
    }

    /** The order records arrive in does not matter: the walk takes them in event time once the watermark passes. */
    @Test
    void theWalkIsTheSameWhateverOrderTheContactsArriveIn() throws Exception {
        for (int i = 5; i <= 8; i++) {
            contact(T + i, "10.0.1." + i, Outcome.COMPLETED);
        }
        for (int i = 1; i <= 4; i++) {
            contact(T + i, "10.0.0." + i, Outcome.UNANSWERED);
        }
        harness.processWatermark(T + 8);
        assertThat(harness.extractOutputValues())
                .as("four failures first, as their times say, though four successes arrived before them")
                .singleElement()
                .satisfies(d -> assertThat(d.windowEnd).isEqualTo(T + 5));
    }

    /**
     * Walks restored from a savepoint taken before {@link WalkState#quietTimer}, set up in the state backend as such a
     * restore leaves them (Flink's POJO serializer gives the missing field 0; that version's one timer at the quiet
     * period's end). One goes on with a further contact and names its source; each ends after the quiet period with
     * nothing left, also the one whose quiet timer fires before any more of its events.
     */
    @Test
    void walksFromAnOlderSavepointGoOnAndLeaveNoState() throws Exception {
        for (int i = 1; i <= 3; i++) {
            contact(T + i, "10.0.0." + i, Outcome.UNANSWERED);
        }
        String other = "198.51.100.8";
        offer(tcp(T, other, "10.0.0.1", 22, Outcome.UNANSWERED, Direction.EXTERNAL_INTERNAL));
        harness.processWatermark(T + 3);
        // A repeated contact each: it moves no walk, and has the attempts before it walked.
        contact(T + 3, "10.0.0.1", Outcome.UNANSWERED);
        offer(tcp(T, other, "10.0.0.1", 22, Outcome.UNANSWERED, Direction.EXTERNAL_INTERNAL));
        harness.processWatermark(T + 4);
        asOlderSavepointHasIt(other);
        asOlderSavepointHasIt(SOURCE);

        contact(T + 5, "10.0.0.5", Outcome.UNANSWERED);
        harness.processWatermark(T + 5);
        assertThat(harness.extractOutputValues())
                .as("the fourth failure of the restored walk")
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.sourceIp).isEqualTo(SOURCE);
                    assertThat(d.windowStart).isEqualTo(T + 1);
                });
        assertThat(harness.numEventTimeTimers())
                .as("each walk's older quiet timer, and no other")
                .isEqualTo(2);
        harness.processWatermark(T + 5 + HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /** A source's walk as a savepoint of the version before {@link WalkState#quietTimer} restores it. */
    private void asOlderSavepointHasIt(String source) throws Exception {
        var operator = (KeyedProcessOperator<String, ContactAttempt, Detection>) harness.getOperator();
        InternalTimerService<VoidNamespace> timers =
                operator.getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, operator);
        ValueState<WalkState> walkState = walkState(source);
        WalkState walked = walkState.value();
        assertThat(walked.times).as("a walk under way").isNotEmpty();
        timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, walked.quietTimer);
        walked.quietTimer = 0;
        walkState.update(walked);
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, walked.lastSeen + HOUR);
    }

    /** The state of a source's walk, as the detector keeps it. */
    private ValueState<WalkState> walkState(String source) throws Exception {
        var operator = (KeyedProcessOperator<String, ContactAttempt, Detection>) harness.getOperator();
        operator.setCurrentKey(source);
        return operator.<String>getKeyedStateBackend()
                .getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>("walk", TypeInformation.of(WalkState.class)));
    }

    /**
     * A client's attempts (its walk far from the threshold) set no timer of their own: each waits until the next comes
     * in after the watermark passed it, and the last until the quiet timer. No alert waits on them.
     */
    @Test
    void aClientsAttemptsAreWalkedAtItsNextContactWithoutTimersOfTheirOwn() throws Exception {
        for (int i = 1; i <= 20; i++) {
            contact(T + i * MINUTE, "10.0.1." + i, Outcome.COMPLETED);
            harness.processWatermark(T + i * MINUTE);
            assertThat(harness.numEventTimeTimers()).as("the quiet timer alone").isEqualTo(1);
            WalkState walked = walkState(SOURCE).value();
            assertThat(walked.waiting).as("the newest attempt alone waits").hasSize(1);
            assertThat(walked.successes).isEqualTo(i - 1);
        }
        harness.processWatermark(T + 20 * MINUTE + HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * Attempts that came in without a timer (each alone could not decide) and still wait after an earlier one was
     * walked get one, at the earliest of them, when together they could: the alert still leaves when the watermark
     * passes its deciding probe.
     */
    @Test
    void attemptsLeftWaitingAfterAWalkGetATimerWhenTheyCouldDecide() throws Exception {
        for (int i = 10; i <= 12; i++) {
            contact(T + i, "10.0.0." + i, Outcome.UNANSWERED);
        }
        contact(T + 20, "10.0.0.20", Outcome.UNANSWERED);
        contact(T + 1, "10.0.0.1", Outcome.UNANSWERED);
        harness.processWatermark(T + 5);
        assertThat(harness.extractOutputValues()).as("one failure walked").isEmpty();
        harness.processWatermark(T + 12);
        assertThat(harness.extractOutputValues())
                .as("the fourth failure, when the watermark passes it")
                .singleElement()
                .satisfies(d -> assertThat(d.windowEnd).isEqualTo(T + 13));
    }

    /**
     * A client held at the lower threshold, back after a quiet period with failures: they start a new walk, from 0,
     * so four of them could name it, and they get timers though the old walk could not reach the threshold with them.
     */
    @Test
    void aClientBackAfterAQuietPeriodIsNamedWhenTheWatermarkPassesItsFourthFailure() throws Exception {
        for (int i = 1; i <= 10; i++) {
            contact(T + i, "10.0.1." + i, Outcome.COMPLETED);
        }
        harness.processWatermark(T + 10);
        contact(T + 11, "10.0.1.11", Outcome.COMPLETED);
        long back = T + 11 + HOUR + MINUTE;
        for (int i = 1; i <= 4; i++) {
            contact(back + i, "10.0.2." + i, Outcome.UNANSWERED);
        }
        contact(back + 10 * MINUTE, "10.0.2.5", Outcome.UNANSWERED);
        harness.processWatermark(T + 11 + HOUR);
        assertThat(harness.extractOutputValues())
                .as("the old walk is over; the new one waits")
                .isEmpty();
        harness.processWatermark(back + 4);
        assertThat(harness.extractOutputValues())
                .as("the new walk's fourth failure")
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.windowStart).isEqualTo(back + 1);
                    assertThat(d.windowEnd).isEqualTo(back + 5);
                    assertThat(d.walk.successes).isZero();
                });
    }

    /**
     * Late attempts (behind the watermark when they come in) wait for the next watermark together, and are walked in
     * their order, not in the order they came in: here the later success came first.
     */
    @Test
    void lateAttemptsAreWalkedTogetherInTheirOrder() throws Exception {
        for (int i = 1; i <= 3; i++) {
            contact(T + i, "10.0.0." + i, Outcome.UNANSWERED);
        }
        harness.processWatermark(T + 10);
        contact(T + 9, "10.0.0.9", Outcome.COMPLETED);
        contact(T + 8, "10.0.0.8", Outcome.UNANSWERED);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processWatermark(T + 11);
        assertThat(harness.extractOutputValues())
                .as("the late failure is the fourth, before the late success")
                .singleElement()
                .satisfies(d -> assertThat(d.windowEnd).isEqualTo(T + 9));
    }

    /**
     * The same when nothing waits behind the watermark as the first late attempt comes in, after the watermark moved
     * on without a walk of this source.
     */
    @Test
    void lateAttemptsAreWalkedTogetherAlsoWhenTheFirstFindsNothingWaiting() throws Exception {
        for (int i = 1; i <= 3; i++) {
            contact(T + i, "10.0.0." + i, Outcome.UNANSWERED);
        }
        harness.processWatermark(T + 10);
        contact(T + 11, "10.0.0.1", Outcome.UNANSWERED);
        harness.processWatermark(T + 20);
        harness.processWatermark(T + 30);
        contact(T + 29, "10.0.0.29", Outcome.COMPLETED);
        contact(T + 28, "10.0.0.28", Outcome.UNANSWERED);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processWatermark(T + 31);
        assertThat(harness.extractOutputValues())
                .as("the late failure is the fourth, before the late success")
                .singleElement()
                .satisfies(d -> assertThat(d.windowEnd).isEqualTo(T + 29));
    }

    /**
     * Whatever order attempts come in within the event-time bound, and wherever the watermarks fall, a stream raises
     * the alerts a replay raises (every attempt in before one final watermark), each in the call that brings the
     * first watermark at or past its deciding probe. Random sources, from scanners to clients, over three hours (so
     * that some go quiet and start over), hosts drawn from a few (so that some contacts repeat), and now and then one
     * attempt two sensors saw differently (a tie the walk's order settles). Late records are another matter: see
     * the tests above.
     */
    @Test
    void aStreamRaisesAReplaysAlertsEachWhenTheWatermarkPassesItsProbe() throws Exception {
        Random random = new Random(11);
        long bound = 5 * MINUTE;
        int alerts = 0;
        for (int trial = 0; trial < 300; trial++) {
            List<ConnectionEvent> events = new ArrayList<>();
            for (int source = 0; source < 3; source++) {
                double answered = random.nextDouble();
                int attempts = 1 + random.nextInt(40);
                for (int i = 0; i < attempts; i++) {
                    long at = T + random.nextInt(3 * 3600) * 1000L;
                    String host = "10.0.0." + random.nextInt(24);
                    boolean success = random.nextDouble() < answered;
                    events.add(attempt(at, source, host, success));
                    if (random.nextDouble() < 0.1) {
                        events.add(attempt(at, source, host, !success));
                    }
                }
            }
            Map<ConnectionEvent, Long> arrival = new HashMap<>();
            events.forEach(e -> arrival.put(e, e.timestamp + (long) (random.nextDouble() * bound)));
            events.sort(Comparator.comparing(arrival::get));

            for (ConnectionEvent event : events) {
                offer(event);
            }
            harness.processWatermark(Long.MAX_VALUE);
            List<String> replayed = described(harness.extractOutputValues());
            harness.close();

            harness = restoredFrom(null);
            List<String> streamed = new ArrayList<>();
            long newest = Long.MIN_VALUE;
            long watermark = Long.MIN_VALUE;
            for (ConnectionEvent event : events) {
                offer(event);
                assertThat(harness.extractOutputValues())
                        .as("no alert between watermarks")
                        .isEmpty();
                newest = Math.max(newest, event.timestamp);
                if (random.nextDouble() < 0.3 && newest - bound - 1 > watermark) {
                    long previous = watermark;
                    watermark = newest - bound - 1;
                    long passed = watermark;
                    harness.processWatermark(watermark);
                    for (Detection d : harness.extractOutputValues()) {
                        assertThat(d.windowEnd - 1).as("the deciding probe").isBetween(previous + 1, passed);
                        streamed.add(describe(d));
                    }
                    harness.getOutput().clear();
                }
            }
            long last = watermark;
            harness.processWatermark(Long.MAX_VALUE);
            for (Detection d : harness.extractOutputValues()) {
                assertThat(d.windowEnd - 1).as("the deciding probe").isGreaterThan(last);
                streamed.add(describe(d));
            }
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(streamed).as("trial %d", trial).containsExactlyInAnyOrderElementsOf(replayed);
            alerts += streamed.size();
            harness.close();
            harness = restoredFrom(null);
        }
        assertThat(alerts).as("alerts in all trials").isGreaterThan(100);
    }

    private static ConnectionEvent attempt(long at, int source, String host, boolean success) {
        return tcp(
                at,
                "198.51.100." + source,
                host,
                22,
                success ? Outcome.COMPLETED : Outcome.UNANSWERED,
                Direction.EXTERNAL_INTERNAL);
    }

    private static List<String> described(List<Detection> detections) {
        return detections.stream().map(RandomWalkDetectorTest::describe).toList();
    }

    private static String describe(Detection d) {
        return d.sourceIp + " " + d.windowStart + ".." + d.windowEnd + " failures " + d.walk.failures + " successes "
                + d.walk.successes + " ratio " + d.walk.logLikelihoodRatio;
    }

    /**
     * A savepoint written by the build before the waiting attempts moved into the walk's own state (613aa4d, with
     * {@link #writeTheSnapshotOfThisBuild}), from a harness fed this: 198.51.100.7 failed at T+1, T+2 and T+3
     * (walked at watermark T+3) and at T+5 (waiting), 198.51.100.8 failed at T+10 and reached its host at T+11 (both
     * waiting, no walk yet), and 198.51.100.9 failed at T+20 (waiting, and no more of it after the restore: its
     * attempt is found when its timer fires, with no walk state). Its walk state is of the class as it was then, and
     * its waiting attempts are in a list of their own, each with a timer.
     */
    @Test
    void aSavepointOfTheBuildBeforeTheWaitingMovedGoesOn() throws Exception {
        harness.close();
        harness = restoredFrom(OperatorSnapshotUtil.readStateHandle(
                Path.of(getClass().getResource("walk-613aa4d.snapshot").toURI()).toString()));
        contact(T + 4, "10.0.0.4", Outcome.UNANSWERED);
        String waited = "198.51.100.8";
        for (int i = 12; i <= 15; i++) {
            offer(tcp(T + i, waited, "10.0.0." + i, 22, Outcome.UNANSWERED, Direction.EXTERNAL_INTERNAL));
        }
        harness.processWatermark(T + 15);
        assertThat(harness.extractOutputValues())
                .as("each named at its deciding probe, with what the savepoint held walked in its place")
                .satisfiesExactlyInAnyOrder(
                        d -> {
                            assertThat(d.sourceIp).isEqualTo(SOURCE);
                            assertThat(d.windowStart).isEqualTo(T + 1);
                            assertThat(d.windowEnd).isEqualTo(T + 5);
                            assertThat(d.walk.failures).isEqualTo(4);
                        },
                        d -> {
                            assertThat(d.sourceIp).isEqualTo(waited);
                            assertThat(d.windowStart).isEqualTo(T + 10);
                            assertThat(d.windowEnd).isEqualTo(T + 16);
                            assertThat(d.walk.failures).isEqualTo(5);
                            assertThat(d.walk.successes).isEqualTo(1);
                        });
        harness.processWatermark(T + 20 + HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * Records a savepoint of the version before {@link ContactAttempt} left waiting (whole records, each with its
     * timer, and their count) are walked with the attempts that come after the restore, in event time, and leave
     * nothing, also the one the walk does not take (an unknown outcome).
     */
    @Test
    void recordsAnOlderSavepointLeftWaitingAreWalkedInTheirOrder() throws Exception {
        restoreAsOlderSavepointLeftWaiting(
                failed(T + 1, "10.0.0.1"),
                tcp(T + 2, SOURCE, "10.0.0.9", 22, Outcome.UNKNOWN, Direction.EXTERNAL_INTERNAL),
                failed(T + 3, "10.0.0.3"));
        contact(T + 2, "10.0.0.2", Outcome.UNANSWERED);
        contact(T + 4, "10.0.0.4", Outcome.UNANSWERED);
        harness.processWatermark(T + 4);
        assertThat(harness.extractOutputValues())
                .as("four failures, the older two among them in their place")
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.windowStart).isEqualTo(T + 1);
                    assertThat(d.windowEnd).isEqualTo(T + 5);
                    assertThat(d.walk.failures).isEqualTo(4);
                });
        harness.processWatermark(T + 4 + HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /** An older record the walk does not take, alone, is cleared all the same when its timer fires. */
    @Test
    void anOlderRecordTheWalkDoesNotTakeLeavesNoState() throws Exception {
        restoreAsOlderSavepointLeftWaiting(
                tcp(T + 2, SOURCE, "10.0.0.9", 22, Outcome.UNKNOWN, Direction.EXTERNAL_INTERNAL));
        harness.processWatermark(T + 2);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /** An older record still ahead of the watermark waits on with the new attempts, and is walked in its turn. */
    @Test
    void anOlderRecordAheadOfTheWatermarkWaitsOn() throws Exception {
        restoreAsOlderSavepointLeftWaiting(failed(T + 1, "10.0.0.1"), failed(T + 6, "10.0.0.6"));
        contact(T + 2, "10.0.0.2", Outcome.UNANSWERED);
        contact(T + 3, "10.0.0.3", Outcome.UNANSWERED);
        contact(T + 7, "10.0.0.7", Outcome.UNANSWERED);
        harness.processWatermark(T + 4);
        assertThat(harness.extractOutputValues()).as("three failures").isEmpty();
        harness.processWatermark(T + 6);
        assertThat(harness.extractOutputValues())
                .as("the older record that waited on is the fourth failure")
                .singleElement()
                .satisfies(d -> assertThat(d.windowEnd).isEqualTo(T + 7));
        harness.processWatermark(T + 7 + HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * Attempts waiting in a savepoint of a job that walked every destination (or of a version before the scope) are
     * not walked after a restart that watches internal hosts only: a client's failures on the Internet cannot name it.
     */
    @Test
    void attemptsOutsideTheScopeWaitingInASavepointAreNotWalked() throws Exception {
        harness.close();
        RuleConfig<TrwScan.Settings> everywhere = Detectors.configLoader()
                .load(null, Map.of("trw-scan.exact-hosts", "8", "trw-scan.destinations", "any"))
                .rules()
                .of(TrwScan.SECTION);
        harness = restoredFrom(null, everywhere);
        String client = "10.1.2.3";
        for (int i = 1; i <= 3; i++) {
            offerTo(
                    everywhere,
                    tcp(T + i, client, "192.0.2." + i, 443, Outcome.UNANSWERED, Direction.INTERNAL_EXTERNAL));
        }
        OperatorSubtaskState savepoint = harness.snapshot(1, T);
        harness.close();
        harness = restoredFrom(savepoint);
        offer(tcp(T + 4, client, "10.0.0.4", 445, Outcome.REJECTED, Direction.INTERNAL_INTERNAL));
        harness.processWatermark(T + 4);
        assertThat(harness.extractOutputValues())
                .as("one failure with an internal host, the three on the Internet not counted")
                .isEmpty();
        for (int i = 5; i <= 7; i++) {
            offer(tcp(T + i, client, "10.0.0." + i, 445, Outcome.REJECTED, Direction.INTERNAL_INTERNAL));
        }
        harness.processWatermark(T + 7);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(d -> {
            assertThat(d.windowStart).as("the first internal host's").isEqualTo(T + 4);
            assertThat(d.walk.failures).isEqualTo(4);
        });
    }

    /** The event as routing selects it with {@code config}'s scope, offered to the harness. */
    private void offerTo(RuleConfig<TrwScan.Settings> config, ConnectionEvent event) throws Exception {
        List<ContactAttempt> selected = new ArrayList<>();
        new TrwScan(config.own().destinations()).select(event, new ListCollector<>(selected));
        for (ContactAttempt attempt : selected) {
            harness.processElement(attempt, event.timestamp);
        }
    }

    private static ConnectionEvent failed(long at, String host) {
        return tcp(at, SOURCE, host, 22, Outcome.REJECTED, Direction.EXTERNAL_INTERNAL);
    }

    /**
     * What that version's state held for a source whose records waited for the watermark, set up in the state backend,
     * then snapshot and restored into a new detector.
     */
    private void restoreAsOlderSavepointLeftWaiting(ConnectionEvent... waiting) throws Exception {
        var operator = (KeyedProcessOperator<String, ContactAttempt, Detection>) harness.getOperator();
        InternalTimerService<VoidNamespace> timers =
                operator.getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, operator);
        KeyedStateBackend<String> backend = operator.getKeyedStateBackend();
        operator.setCurrentKey(waiting[0].sourceIp);
        ListState<ConnectionEvent> pending = backend.getPartitionedState(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                new ListStateDescriptor<>("pending", TypeInformation.of(ConnectionEvent.class)));
        for (ConnectionEvent event : waiting) {
            pending.add(event);
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, event.timestamp);
        }
        backend.getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>("pending-count", Types.INT))
                .update(waiting.length);
        OperatorSubtaskState savepoint = harness.snapshot(1, T);
        harness.close();
        harness = restoredFrom(savepoint);
    }

    @Test
    void stateStaysBoundedWhateverTheSourceProbes() throws Exception {
        for (int i = 0; i < 5_000; i++) {
            contact(T + i, "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), Outcome.UNANSWERED);
        }
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    /**
     * Writes the savepoint {@code aSavepointOfTheBuildBeforeTheWaitingMovedGoesOn} restores, from the attempts its
     * comment lists, when asked: {@code -Dwalk.snapshot.write=<file>}, run on the build whose state it is to hold.
     */
    @Test
    @EnabledIfSystemProperty(named = "walk.snapshot.write", matches = ".+")
    void writeTheSnapshotOfThisBuild() throws Exception {
        for (int i = 1; i <= 3; i++) {
            contact(T + i, "10.0.0." + i, Outcome.UNANSWERED);
        }
        harness.processWatermark(T + 3);
        contact(T + 5, "10.0.0.5", Outcome.UNANSWERED);
        String waited = "198.51.100.8";
        offer(tcp(T + 10, waited, "10.0.0.10", 22, Outcome.UNANSWERED, Direction.EXTERNAL_INTERNAL));
        offer(tcp(T + 11, waited, "10.0.0.11", 22, Outcome.COMPLETED, Direction.EXTERNAL_INTERNAL));
        offer(tcp(T + 20, "198.51.100.9", "10.0.0.20", 22, Outcome.UNANSWERED, Direction.EXTERNAL_INTERNAL));
        OperatorSnapshotUtil.writeStateHandle(harness.snapshot(1, T + 3), System.getProperty("walk.snapshot.write"));
    }
}

package io.scanwatch.job.route;

import static io.scanwatch.job.testing.Events.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.detect.DetectionRule;
import io.scanwatch.job.detect.NetworkScanRule;
import io.scanwatch.job.detect.RuleContext;
import io.scanwatch.job.detect.RuleRegistry;
import io.scanwatch.job.model.DeadLetter;
import io.scanwatch.job.source.TelemetryRecord;
import io.scanwatch.net.CidrSet;
import io.scanwatch.net.NetworkClassifier;
import io.scanwatch.parse.ParsedLine;
import java.util.List;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RouteTelemetryTest {
    private static final long T = 1_700_000_000_000L;
    private OneInputStreamOperatorTestHarness<TelemetryRecord, ConnectionEvent> harness;

    private static final NetworkClassifier CLASSIFIER =
            new NetworkClassifier(CidrSet.of(List.of("10.0.0.0/8")), CidrSet.of(List.of("10.0.0.250/32")));

    @BeforeEach
    void open() throws Exception {
        open(List.of(NetworkScanRule.sliding(
                Detectors.configLoader().defaults().rules().of(NetworkScanRule.KIND),
                new RuleContext(CLASSIFIER, 64))));
    }

    private void open(List<? extends DetectionRule<?>> rules) throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new RouteTelemetry(CLASSIFIER, rules, rules));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(ConnectionEvent event) throws Exception {
        event.direction = null;
        harness.processElement(
                TelemetryRecord.of(ParsedLine.connection(event), "zeek-conn", "f", () -> "f:1", "raw"),
                event.timestamp);
    }

    @Test
    void labelsDirectionAndPassesEventsOn() throws Exception {
        send(tcp(T, "198.51.100.1", "10.0.0.5", 22, Outcome.UNANSWERED, null));
        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(e -> assertThat(e.direction).isEqualTo(Direction.EXTERNAL_INTERNAL));
    }

    /** The 5-minute window sliding by a minute keeps a one-minute pane until five minutes after its start. */
    @Test
    void connectionsOlderThanTheDetectorsKeepGoToTheLateOutput() throws Exception {
        long minute = Math.floorDiv(T, 60_000) * 60_000;
        harness.processWatermark(T);
        send(tcp(minute - 240_001, "198.51.100.1", "10.0.0.5", 22, Outcome.UNANSWERED, null));
        send(tcp(minute - 240_000, "198.51.100.1", "10.0.0.6", 22, Outcome.UNANSWERED, null));
        send(tcp(T + 1, "198.51.100.1", "10.0.0.7", 22, Outcome.UNANSWERED, null));
        assertThat(harness.extractOutputValues())
                .as("behind the watermark, but in a pane the 5-minute window sliding by 1 minute still holds")
                .extracting(e -> e.destinationIp)
                .containsExactly("10.0.0.6", "10.0.0.7");
        assertThat(harness.getSideOutput(RouteTelemetry.LATE_EVENTS))
                .extracting(r -> r.getValue().connection.destinationIp)
                .containsExactly("10.0.0.5");
        assertThat(lateForSomeRules()).isZero();
    }

    /**
     * With every default rule: a probe an hour late is past the network scan's windows but in the slow tiers': it
     * goes on, counted once as late for some rules (each detector then gives it only to the rules that hold it). A
     * completed connection as late, which only the service scan would take, is late for all: the late output.
     */
    @Test
    void aConnectionPastSomeRulesWindowsGoesOnForTheOthersAndIsCountedOnce() throws Exception {
        harness.close();
        open(RuleRegistry.rules(Detectors.configLoader().defaults(), new RuleContext(CLASSIFIER, 64)));
        harness.processWatermark(T);
        send(tcp(T - 3_600_000, "198.51.100.1", "10.0.0.5", 22, Outcome.REJECTED, null));
        send(tcp(T - 3_600_000, "10.0.0.9", "203.0.113.5", 27017, Outcome.COMPLETED, null));
        assertThat(harness.extractOutputValues())
                .extracting(e -> e.destinationIp)
                .containsExactly("10.0.0.5");
        assertThat(harness.getSideOutput(RouteTelemetry.LATE_EVENTS))
                .extracting(r -> r.getValue().connection.destinationIp)
                .containsExactly("203.0.113.5");
        assertThat(lateForSomeRules()).isEqualTo(1);
    }

    private long lateForSomeRules() {
        Accumulator<?, ?> count = harness.getEnvironment()
                .getAccumulatorRegistry()
                .getUserMap()
                .get("events.all." + RouteTelemetry.LATE_FOR_SOME_RULES);
        return count == null ? 0 : (Long) count.getLocalValue();
    }

    @Test
    void deadLettersKeepReasonOriginAndRawText() throws Exception {
        harness.processElement(new StreamRecord<>(TelemetryRecord.of(
                ParsedLine.rejected("missing ts"), "zeek-conn", "conn.log", () -> "conn.log:7", "{\"uid\":\"C1\"}")));
        harness.processElement(new StreamRecord<>(TelemetryRecord.of(
                ParsedLine.skipped("zeek header"), "zeek-conn", "conn.log", () -> "conn.log:1", "#path conn")));
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.getSideOutput(RouteTelemetry.DEAD_LETTERS))
                .singleElement()
                .satisfies(r -> {
                    DeadLetter letter = r.getValue();
                    assertThat(letter.reason).isEqualTo("missing ts");
                    assertThat(letter.origin).isEqualTo("conn.log:7");
                    assertThat(letter.raw).isEqualTo("{\"uid\":\"C1\"}");
                });
    }

    @Test
    void authorizedScannersAreDroppedBeforeDetection() throws Exception {
        send(tcp(T, "10.0.0.250", "10.0.0.5", 22, Outcome.UNANSWERED, null));
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void eventsNoRuleWatchesGoNoFurther() throws Exception {
        send(tcp(T, "10.0.0.7", "203.0.113.5", 443, Outcome.COMPLETED, null));
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void rawTextIsBounded() {
        DeadLetter letter = DeadLetter.of("zeek-conn", "r", "o", "x".repeat(10_000));
        assertThat(letter.raw).hasSize(DeadLetter.MAX_RAW_CHARS);
        assertThat(letter.rawTruncated).isTrue();
    }
}

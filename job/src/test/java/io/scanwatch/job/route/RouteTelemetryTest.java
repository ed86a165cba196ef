package io.scanwatch.job.route;

import static io.scanwatch.job.testing.Events.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.detect.NetworkScanRule;
import io.scanwatch.job.detect.RuleContext;
import io.scanwatch.job.model.DeadLetter;
import io.scanwatch.job.source.TelemetryRecord;
import io.scanwatch.net.CidrSet;
import io.scanwatch.net.NetworkClassifier;
import io.scanwatch.parse.ParsedLine;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RouteTelemetryTest {
    private static final long T = 1_700_000_000_000L;
    private OneInputStreamOperatorTestHarness<TelemetryRecord, ConnectionEvent> harness;

    @BeforeEach
    void open() throws Exception {
        NetworkClassifier classifier =
                new NetworkClassifier(CidrSet.of(List.of("10.0.0.0/8")), CidrSet.of(List.of("10.0.0.250/32")));
        List<NetworkScanRule> rules = List.of(NetworkScanRule.sliding(
                Detectors.configLoader().defaults().rules().of(NetworkScanRule.KIND), new RuleContext(classifier, 64)));
        harness = ProcessFunctionTestHarnesses.forProcessFunction(
                new RouteTelemetry(classifier, rules, RouteTelemetry.allowedLateness(rules)));
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

    @Test
    void connectionsOlderThanTheDetectorsKeepGoToTheLateOutput() throws Exception {
        harness.processWatermark(T);
        send(tcp(T - 240_000, "198.51.100.1", "10.0.0.5", 22, Outcome.UNANSWERED, null));
        send(tcp(T - 239_999, "198.51.100.1", "10.0.0.6", 22, Outcome.UNANSWERED, null));
        send(tcp(T + 1, "198.51.100.1", "10.0.0.7", 22, Outcome.UNANSWERED, null));
        assertThat(harness.extractOutputValues())
                .as("behind the watermark, but in a pane the 5-minute window sliding by 1 minute still holds")
                .extracting(e -> e.destinationIp)
                .containsExactly("10.0.0.6", "10.0.0.7");
        assertThat(harness.getSideOutput(RouteTelemetry.LATE_EVENTS))
                .extracting(r -> r.getValue().connection.destinationIp)
                .containsExactly("10.0.0.5");
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

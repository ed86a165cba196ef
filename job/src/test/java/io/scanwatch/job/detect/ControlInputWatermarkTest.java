package io.scanwatch.job.detect;

import static io.scanwatch.job.testing.Events.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.job.model.Detection;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control input's final watermark (its changes read, or its file ended) says only that it holds nothing back:
 * while the telemetry is idle (a quiet Kafka topic), the detector's time must not jump to the end of time with it,
 * or every probe after the quiet would be behind the watermark and dropped, silently.
 */
class ControlInputWatermarkTest {
    private static final long MINUTE = 60_000;
    private static final long BASE = 1_700_006_400_000L;

    private DetectorHarness harness;

    @BeforeEach
    void open() throws Exception {
        List<DetectionRule<?>> rules = DetectorHarness.defaultRulesKeyedBySource();
        harness = DetectorHarness.open(new PanedWindowDetector(rules, null), new RuleKey(rules.get(0)), null);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void sweep(long from, String source) throws Exception {
        for (int host = 1; host <= 30; host++) {
            long at = from + host * 1_000L;
            harness.processElement(
                    tcp(at, source, "10.0.0." + host, 22, Outcome.UNANSWERED, Direction.EXTERNAL_INTERNAL), at);
        }
    }

    @Test
    void aScanAfterTheTelemetryWasIdleIsStillDetected() throws Exception {
        sweep(BASE, "203.0.113.9");
        harness.processWatermark(BASE + 6 * MINUTE);
        assertThat(harness.extractOutputValues())
                .as("the scan before the quiet")
                .isNotEmpty();
        harness.getOutput().clear();

        harness.processWatermarkStatus1(WatermarkStatus.IDLE);
        assertThat(harness.getOutput())
                .as("no watermark while only the control input, at its end, is active")
                .noneMatch(element -> element instanceof Watermark mark && mark.getTimestamp() > BASE + 6 * MINUTE);

        harness.processWatermarkStatus1(WatermarkStatus.ACTIVE);
        sweep(BASE + 60 * MINUTE, "198.51.100.7");
        harness.processWatermark(BASE + 66 * MINUTE);
        assertThat(harness.extractOutputValues())
                .extracting((Detection d) -> d.sourceIp)
                .as("the scan after the quiet, detected")
                .contains("198.51.100.7");
    }

    /** A control change that comes after the control input reached its end does not wake it to hold time back. */
    @Test
    void theControlInputAtItsEndStaysOutOfTheWatermark() throws Exception {
        harness.processWatermarkStatus2(WatermarkStatus.IDLE);
        harness.processWatermarkStatus2(WatermarkStatus.ACTIVE);
        sweep(BASE, "203.0.113.9");
        harness.processWatermark(BASE + 6 * MINUTE);
        assertThat(harness.extractOutputValues()).isNotEmpty();
    }
}

package io.scanwatch.job.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class WaitForScanAlertsTest {
    @Test
    void theWayIsIdleOnlyOnceItsWatermarkStoodStillForTheWaitAndWakesWithTheNextMove() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> harness =
                new OneInputStreamOperatorTestHarness<>(new WaitForScanAlerts<>(60_000))) {
            harness.setProcessingTime(0);
            harness.open();
            harness.processWatermark(new Watermark(1_000));
            harness.setProcessingTime(50_000);
            harness.processWatermark(new Watermark(2_000));
            harness.setProcessingTime(100_000);
            assertThat(harness.getOutput())
                    .as("moved 50 s ago: still waited for")
                    .containsExactly(new Watermark(1_000), new Watermark(2_000));

            harness.processWatermark(new Watermark(2_000));
            harness.setProcessingTime(110_000);
            assertThat(harness.getOutput())
                    .as("a watermark that does not move is no progress")
                    .endsWith(new Watermark(2_000), WatermarkStatus.IDLE);

            harness.getOutput().clear();
            harness.setProcessingTime(500_000);
            harness.processElement(new StreamRecord<>("scan alert", 1_500));
            harness.processWatermark(new Watermark(3_000));
            harness.setProcessingTime(559_999);
            assertThat(harness.getOutput())
                    .containsExactly(
                            WatermarkStatus.ACTIVE, new StreamRecord<>("scan alert", 1_500), new Watermark(3_000));
            harness.setProcessingTime(560_000);
            assertThat(harness.getOutput()).endsWith(WatermarkStatus.IDLE);
        }
    }
}

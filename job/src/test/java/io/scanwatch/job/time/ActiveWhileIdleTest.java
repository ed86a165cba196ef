package io.scanwatch.job.time;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ActiveWhileIdleTest {
    @Test
    void recordsAndWatermarksPassButIdlenessDoesNot() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> harness =
                new OneInputStreamOperatorTestHarness<>(new ActiveWhileIdle<>())) {
            harness.open();
            harness.processElement(new StreamRecord<>("detection", 1_000));
            harness.processWatermark(new Watermark(2_000));
            harness.processWatermarkStatus(WatermarkStatus.IDLE);
            harness.processWatermarkStatus(WatermarkStatus.ACTIVE);
            harness.processElement(new StreamRecord<>("after the quiet", 9_000));
            harness.processWatermark(new Watermark(10_000));
            assertThat(harness.getOutput())
                    .containsExactly(
                            new StreamRecord<>("detection", 1_000),
                            new Watermark(2_000),
                            new StreamRecord<>("after the quiet", 9_000),
                            new Watermark(10_000));
        }
    }
}

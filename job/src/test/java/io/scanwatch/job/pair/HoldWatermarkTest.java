package io.scanwatch.job.pair;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class HoldWatermarkTest {
    @Test
    void recordsPassAsTheyAreAndTheWatermarkStaysBehindUntilTheEnd() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> harness =
                new OneInputStreamOperatorTestHarness<>(new HoldWatermark<>(30_001))) {
            harness.open();
            harness.processElement(new StreamRecord<>("probe", 1_000));
            harness.processWatermark(new Watermark(100_000));
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(harness.getOutput())
                    .containsExactly(
                            new StreamRecord<>("probe", 1_000),
                            new Watermark(100_000 - 30_001),
                            new Watermark(Long.MAX_VALUE));
        }
    }
}

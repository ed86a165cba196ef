package io.scanwatch.job.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.job.model.ScanFacts;
import java.util.Map;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Late logons are late records read; late scan alerts are the job's own output, and counted apart. */
class CountLateCorrelationTest {
    @Test
    void logonsAndScanAlertsAreCountedApart() throws Exception {
        try (OneInputStreamOperatorTestHarness<CorrelationEvent, CorrelationEvent> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new CountLateCorrelation())) {
            AuthEvent logon = new AuthEvent();
            logon.sourceIp = "203.0.113.9";
            CorrelationEvent scan = new CorrelationEvent();
            scan.sourceIp = "203.0.113.9";
            scan.scan = new ScanFacts();
            harness.processElement(CorrelationEvent.of(logon), 1);
            harness.processElement(CorrelationEvent.of(logon), 2);
            harness.processElement(scan, 3);
            Map<String, Accumulator<?, ?>> counts =
                    harness.getEnvironment().getAccumulatorRegistry().getUserMap();
            assertThat(counts.get("events.all.late-correlation").getLocalValue())
                    .isEqualTo(2L);
            assertThat(counts.get("events.all." + CountLateCorrelation.LATE_SCAN_ALERTS)
                            .getLocalValue())
                    .isEqualTo(1L);
            assertThat(harness.extractOutputValues())
                    .as("counted, not passed on")
                    .isEmpty();
        }
    }
}

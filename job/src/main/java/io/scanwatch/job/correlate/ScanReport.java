package io.scanwatch.job.correlate;

import io.scanwatch.job.model.Alert;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A scan alert, or the word that a scan goes on, as the correlation reads it: its facts, stamped with when the report
 * came, which bounds how long the scan is presumed to go on ({@link LogonAfterScan}).
 */
final class ScanReport extends ProcessFunction<Alert, CorrelationEvent> {
    @Override
    public void processElement(Alert alert, Context ctx, Collector<CorrelationEvent> out) {
        CorrelationEvent event = CorrelationEvent.of(alert);
        Long at = ctx.timestamp();
        if (at != null) {
            event.scan.reportedAt = at;
        }
        out.collect(event);
    }
}

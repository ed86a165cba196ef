package io.scanwatch.job.correlate;

import io.scanwatch.job.metrics.JobCounters;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts correlation input the patterns received after the watermark had passed it: a logon is a late event read
 * ({@code events.all.late-correlation}), a scan alert is the job's own output ({@code events.all.late-scan-alerts}),
 * apart so that late events add up against the records read.
 */
public final class CountLateCorrelation extends ProcessFunction<CorrelationEvent, CorrelationEvent> {
    public static final String LATE_SCAN_ALERTS = "late-scan-alerts";

    private transient JobCounters.Count lateLogons;
    private transient JobCounters.Count lateScans;

    @Override
    public void open(OpenContext openContext) {
        JobCounters counters = new JobCounters(getRuntimeContext());
        lateLogons = counters.get(JobCounters.EVENTS_GROUP, "all", "late-correlation");
        lateScans = counters.get(JobCounters.EVENTS_GROUP, "all", LATE_SCAN_ALERTS);
    }

    @Override
    public void processElement(CorrelationEvent event, Context ctx, Collector<CorrelationEvent> out) {
        (event.isScan() ? lateScans : lateLogons).inc();
    }
}

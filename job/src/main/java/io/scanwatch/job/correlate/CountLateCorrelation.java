package io.scanwatch.job.correlate;

import io.scanwatch.job.metrics.JobCounters;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Counts correlation input the patterns received after the watermark had passed it ({@code events.all.late}). */
final class CountLateCorrelation extends ProcessFunction<CorrelationEvent, CorrelationEvent> {
    private transient JobCounters.Count late;

    @Override
    public void open(OpenContext openContext) {
        late = new JobCounters(getRuntimeContext()).get(JobCounters.EVENTS_GROUP, "all", "late-correlation");
    }

    @Override
    public void processElement(CorrelationEvent event, Context ctx, Collector<CorrelationEvent> out) {
        late.inc();
    }
}

package io.scanwatch.job.alert;

import io.scanwatch.job.metrics.JobCounters;
import io.scanwatch.job.model.Alert;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Counts the alerts raised, by rule ({@code alerts.<rule>.raised}): a metric for dashboards and the replay's
 * summary, whatever outputs the alerts go to.
 */
public final class CountAlerts extends RichMapFunction<Alert, Alert> {
    public static final String GROUP = "alerts";
    public static final String RAISED = "raised";

    private transient JobCounters counters;

    @Override
    public void open(OpenContext openContext) {
        counters = new JobCounters(getRuntimeContext());
    }

    @Override
    public Alert map(Alert alert) {
        counters.get(GROUP, alert.detection.rule, RAISED).inc();
        return alert;
    }
}

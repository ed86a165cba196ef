package io.scanwatch.job.alert.policy;

import io.scanwatch.job.config.ConfigLayers;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.control.ControlTimeline;
import io.scanwatch.job.model.ControlChange;
import io.scanwatch.job.model.Detection;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Marks each detection the alert policy in effect at its window's end would hold back (an authorised scanner added
 * live, a known scanner under the drop policy), before suppression: an episode such an alert opened then gives way
 * to a new one once the policy would send the scan's alerts again ({@link io.scanwatch.job.alert.AlertSuppressor}). Only with live control:
 * without it, the policy never changes.
 */
public class MarkPolicyHolds extends BroadcastProcessFunction<Detection, ControlChange, Detection> {
    private final ControlTimeline<PolicyHolds> timeline;

    public MarkPolicyHolds(ScanwatchConfig startup, ConfigLayers layers) {
        this.timeline = new ControlTimeline<>(layers, () -> new PolicyHolds(startup), PolicyHolds::new);
    }

    @Override
    public void processElement(Detection detection, ReadOnlyContext ctx, Collector<Detection> out) throws Exception {
        PolicyHolds holds = timeline.at(ctx.getBroadcastState(ControlTimeline.CHANGES), detection.windowEnd - 1);
        detection.heldBack = holds.verdict(PolicyHolds.sourceBlock(detection.sourceIp), detection.logons != null)
                != PolicyHolds.Verdict.SEND;
        out.collect(detection);
    }

    @Override
    public void processBroadcastElement(ControlChange change, Context ctx, Collector<Detection> out) throws Exception {
        timeline.add(ctx.getBroadcastState(ControlTimeline.CHANGES), change);
    }
}

package io.scanwatch.job.alert.policy;

import io.scanwatch.job.config.ConfigLayers;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.control.ControlTimeline;
import io.scanwatch.job.model.ControlChange;
import io.scanwatch.job.model.Detection;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * With live control, marks each detection with what suppression needs of the alert policy in effect at its window's
 * end ({@link io.scanwatch.job.alert.AlertSuppressor}): whether it would hold it back (an authorised scanner added
 * live, a known scanner under the drop policy), so that an episode such an alert opened gives way to a new one once
 * the policy would send the scan's alerts again; and, where an inventory may come live, the criticality of the
 * assets it reached that raise its severity, as {@link MarkRaisingTargets} marks it without live control. Without
 * live control the policy never changes, so nothing is held back by a change.
 */
public class MarkPolicyHolds extends BroadcastProcessFunction<Detection, ControlChange, Detection> {
    private final ControlTimeline<PolicyHolds> timeline;
    /** The inventory of each change: in this operator, whose state a savepoint holds the accepted changes in. */
    private final ControlTimeline<TargetInventory> inventories;

    public MarkPolicyHolds(ScanwatchConfig startup, ConfigLayers layers) {
        this.timeline = new ControlTimeline<>(layers, () -> new PolicyHolds(startup), PolicyHolds::new);
        this.inventories = new ControlTimeline<>(layers, () -> new TargetInventory(startup), TargetInventory::new);
    }

    @Override
    public void processElement(Detection detection, ReadOnlyContext ctx, Collector<Detection> out) throws Exception {
        PolicyHolds holds = timeline.at(ctx.getBroadcastState(ControlTimeline.CHANGES), detection.windowEnd - 1);
        detection.heldBack = holds.verdict(PolicyHolds.sourceBlock(detection.sourceIp), detection.logons != null)
                != PolicyHolds.Verdict.SEND;
        inventories
                .at(ctx.getBroadcastState(ControlTimeline.CHANGES), detection.windowEnd - 1)
                .markRaising(detection);
        out.collect(detection);
    }

    @Override
    public void processBroadcastElement(ControlChange change, Context ctx, Collector<Detection> out) throws Exception {
        timeline.add(ctx.getBroadcastState(ControlTimeline.CHANGES), change);
        inventories.add(ctx.getBroadcastState(ControlTimeline.CHANGES), change);
    }
}

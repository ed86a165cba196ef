package io.scanwatch.job.alert.policy;

import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.model.Detection;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Without live control, marks each detection whose targets hold an asset critical enough to raise its alert's
 * severity, before suppression: a scan that reaches such an asset after its alert (or one more critical than its
 * alerts told) is told at once, however little it grew ({@link io.scanwatch.job.alert.AlertSuppressor}), rather than
 * at its next roll-up, which may never come. With live control, {@link MarkPolicyHolds} marks it by the inventory in
 * effect.
 */
public class MarkRaisingTargets extends RichMapFunction<Detection, Detection> {
    private final ScanwatchConfig config;

    private transient TargetInventory inventory;

    public MarkRaisingTargets(ScanwatchConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        inventory = new TargetInventory(config);
    }

    @Override
    public Detection map(Detection detection) {
        inventory.markRaising(detection);
        return detection;
    }
}

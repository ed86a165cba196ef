package io.scanwatch.job.alert.policy;

import io.scanwatch.job.alert.enrich.EnrichAlerts;
import io.scanwatch.job.config.ConfigLayers;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.control.ControlTimeline;
import io.scanwatch.job.metrics.JobCounters;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.ControlChange;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Applies the {@link AlertPolicy} in effect when each alert's window ended, with live changes on the broadcast
 * input, and stamps the alert with that change's version ({@code scanwatch.config_version}). Alerts it holds back
 * are counted: {@code alerts.policy.silenced} (authorised since start), {@code alerts.policy.dropped} (a known
 * scanner under the drop policy).
 */
public class ApplyAlertPolicy extends BroadcastProcessFunction<Alert, ControlChange, Alert> {
    private final ControlTimeline<AlertPolicy> timeline;
    /** What each configuration holds back, for the scan alert a correlated alert follows: no inventory read. */
    private final ControlTimeline<PolicyHolds> holds;

    private transient JobCounters counters;

    /** @param layers the start-up configuration's tree; null without live control */
    public ApplyAlertPolicy(ScanwatchConfig startup, ConfigLayers layers) {
        this.timeline = new ControlTimeline<>(layers, () -> new AlertPolicy(startup), AlertPolicy::new);
        this.holds = new ControlTimeline<>(layers, () -> new PolicyHolds(startup), PolicyHolds::new);
    }

    @Override
    public void open(OpenContext openContext) {
        counters = new JobCounters(getRuntimeContext());
    }

    @Override
    public void processElement(Alert alert, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        ReadOnlyBroadcastState<Long, ControlChange> changes = ctx.getBroadcastState(ControlTimeline.CHANGES);
        // At the window's end, as suppression was told what the policy holds back (MarkPolicyHolds): a roll-up held
        // back by its period goes where its episode's alerts went.
        long raised = alert.detection.windowEnd - 1;
        alert.configVersion = ControlTimeline.version(timeline.changeAt(changes, raised));
        AlertPolicy policy = timeline.at(changes, raised);
        if (policy.inventoryUnreadable) {
            counters.get(EnrichAlerts.GROUP, "inventory", "unreadable").inc();
        }
        switch (policy.apply(alert)) {
            case SILENCED -> counters.get("alerts", "policy", "silenced").inc();
            case DROPPED -> counters.get("alerts", "policy", "dropped").inc();
            case SEND -> {
                if (alert.detection.follows != null) {
                    // Asked of the policy in effect when the followed alert was raised, as that alert was (a change
                    // that came after it with an earlier time may answer otherwise: README, "Live control").
                    alert.followedAlertHeldBack = holds.at(changes, alert.detection.follows.windowEnd - 1)
                            .scanHeldBack(alert.detection.sourceIp);
                }
                out.collect(alert);
            }
        }
    }

    @Override
    public void processBroadcastElement(ControlChange change, Context ctx, Collector<Alert> out) throws Exception {
        timeline.add(ctx.getBroadcastState(ControlTimeline.CHANGES), change);
        holds.add(ctx.getBroadcastState(ControlTimeline.CHANGES), change);
    }
}

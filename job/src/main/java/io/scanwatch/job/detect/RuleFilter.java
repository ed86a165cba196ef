package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import org.apache.flink.api.common.functions.FilterFunction;

/** Passes the events a rule looks at, before the shuffle, so each detector receives only its own share. */
public final class RuleFilter implements FilterFunction<ConnectionEvent> {
    private final DetectionRule<?> rule;

    public RuleFilter(DetectionRule<?> rule) {
        this.rule = rule;
    }

    @Override
    public boolean filter(ConnectionEvent event) {
        return rule.accepts(event);
    }
}

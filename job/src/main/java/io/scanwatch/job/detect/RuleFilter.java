package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import java.util.List;
import org.apache.flink.api.common.functions.FilterFunction;

/** Passes the events any of a detector's rules looks at, before the shuffle: each receives only its own share. */
public final class RuleFilter implements FilterFunction<ConnectionEvent> {
    private final List<DetectionRule<?>> rules;

    public RuleFilter(List<? extends DetectionRule<?>> rules) {
        this.rules = List.copyOf(rules);
    }

    @Override
    public boolean filter(ConnectionEvent event) {
        for (DetectionRule<?> rule : rules) {
            if (rule.accepts(event)) {
                return true;
            }
        }
        return false;
    }
}

package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import org.apache.flink.api.java.functions.KeySelector;

/** A rule's key for an event: the source address, or the source and what else the rule separates by. */
public final class RuleKey implements KeySelector<ConnectionEvent, String> {
    private final DetectionRule<?> rule;

    public RuleKey(DetectionRule<?> rule) {
        this.rule = rule;
    }

    @Override
    public String getKey(ConnectionEvent event) {
        return rule.key(event);
    }
}

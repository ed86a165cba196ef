package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import org.apache.flink.api.java.functions.KeySelector;

/** A rule's key for an event: the source address, the source and a service, a network or a target host. */
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

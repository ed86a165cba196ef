package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.config.RuleSettings;
import io.scanwatch.job.model.ProbeTally;
import java.time.Duration;

/**
 * A threshold rule keyed by the source address alone, summing up probe tallies. Every such rule shares one keyed
 * operator ({@link #BY_SOURCE}), which holds only if each keys its events the same way: here, once for all.
 */
abstract class SourceKeyedRule extends WindowedRule<ProbeTally> {
    private static final long serialVersionUID = 1L;

    SourceKeyedRule(String id, Duration window, Duration slide, RuleSettings settings, int distinctCap) {
        super(id, window, slide, settings, Tallies.ofProbes(distinctCap));
    }

    @Override
    public final String keyedBy() {
        return BY_SOURCE;
    }

    @Override
    public final String key(ConnectionEvent event) {
        return event.sourceIp;
    }
}

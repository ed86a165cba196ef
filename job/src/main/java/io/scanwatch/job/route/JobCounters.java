package io.scanwatch.job.route;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

/**
 * Counters that reach both audiences: a Flink metric for dashboards and alerting on a cluster, and an accumulator
 * so that the local runner can print progress and its summary. Accumulator names are {@code group.member.name}.
 */
public final class JobCounters {
    private final RuntimeContext context;
    private final Map<String, Count> counts = new HashMap<>();

    public JobCounters(RuntimeContext context) {
        this.context = context;
    }

    /** The counter {@code name} of one {@code member} of a {@code group}, e.g. format / zeek-conn / parsed. */
    public Count get(String group, String member, String name) {
        String id = group + "." + member + "." + name;
        Count count = counts.get(id);
        if (count == null) {
            Counter metric = context.getMetricGroup().addGroup(group, member).counter(name);
            count = new Count(metric, context.getLongCounter(id));
            counts.put(id, count);
        }
        return count;
    }

    /** One counted thing. */
    public static final class Count {
        private final Counter metric;
        private final LongCounter accumulator;

        Count(Counter metric, LongCounter accumulator) {
            this.metric = metric;
            this.accumulator = accumulator;
        }

        public void inc() {
            metric.inc();
            accumulator.add(1L);
        }
    }
}

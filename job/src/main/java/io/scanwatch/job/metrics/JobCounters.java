package io.scanwatch.job.metrics;

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
    /** Counters per telemetry format: {@code format.<id>.read|parsed|skipped|dead-lettered}. */
    public static final String FORMAT_GROUP = "format";
    /** Counters over all events: {@code events.all.late|authorized-scanner|unwatched|broken-input|...}. */
    public static final String EVENTS_GROUP = "events";

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
            inc(1);
        }

        public void inc(long n) {
            metric.inc(n);
            accumulator.add(n);
        }
    }
}

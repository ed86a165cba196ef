package io.scanwatch.job.sink.search;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/**
 * What the search sink's writers of a job in this JVM indexed and had refused, for the replay's summary: a sink
 * writer has no accumulators, so without this the summary named the search cluster as where the alerts went even
 * when it refused every one into the dead-letter index. A metric reporter of the embedded cluster's, keeping the
 * writers' counters (not their values: a counter is read when the summary is written, after the last document),
 * summed over every writer a job ran: after a restart, what its earlier writers indexed counts too.
 * On a remote cluster the summary says nothing of it; its metrics show the same counters.
 */
public final class SearchOutcomes implements MetricReporter {
    /** By job, then by counter name. */
    private static final Map<String, Map<String, List<Counter>>> BY_JOB = new ConcurrentHashMap<>();

    private static final List<String> KEPT = List.of(SearchSinkWriter.INDEXED, SearchSinkWriter.REJECTED);

    /** Alerts the writers indexed into the alert index, and those the cluster refused into the dead-letter index. */
    public record Counts(long indexed, long rejected) {}

    /** The job's counts, forgotten here once taken; null if no writer of it reported (or no such reporter ran). */
    public static Counts take(JobID job) {
        Map<String, List<Counter>> counters = BY_JOB.remove(job.toHexString());
        return counters == null
                ? null
                : new Counts(sum(counters, SearchSinkWriter.INDEXED), sum(counters, SearchSinkWriter.REJECTED));
    }

    private static long sum(Map<String, List<Counter>> counters, String name) {
        return counters.getOrDefault(name, List.of()).stream()
                .mapToLong(Counter::getCount)
                .sum();
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        String[] scope = group.getScopeComponents();
        String job = group.getAllVariables().get("<job_id>");
        if (metric instanceof Counter counter
                && job != null
                && KEPT.contains(name)
                && scope.length > 0
                && scope[scope.length - 1].equals(SearchSinkWriter.METRIC_GROUP)) {
            BY_JOB.computeIfAbsent(job, j -> new ConcurrentHashMap<>())
                    .computeIfAbsent(name, n -> new CopyOnWriteArrayList<>())
                    .add(counter);
        }
    }

    /** Kept: the summary reads the writers' counters after their tasks ended. */
    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {}
}

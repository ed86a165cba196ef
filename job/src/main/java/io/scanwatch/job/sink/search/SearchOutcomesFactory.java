package io.scanwatch.job.sink.search;

import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** Makes {@link SearchOutcomes} for a cluster's configuration: {@link #configure} names it there. */
public final class SearchOutcomesFactory implements MetricReporterFactory {
    private static final String NAME = "scanwatch-search";

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new SearchOutcomes();
    }

    /** The options that give a cluster started from {@code conf} this reporter, besides any it has. */
    public static void configure(Configuration conf) {
        conf.setString("metrics.reporter." + NAME + ".factory.class", SearchOutcomesFactory.class.getName());
    }
}

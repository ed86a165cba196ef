package io.scanwatch.job.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.ScanwatchJob;
import io.scanwatch.job.ScanwatchPipeline;
import io.scanwatch.job.config.ConfigLayers;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.sink.OutputSinks;
import io.scanwatch.job.source.ControlSources;
import io.scanwatch.job.source.KafkaTelemetry;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The whole job reading its configured Kafka topics and writing alerts to Kafka, started in the background. */
public final class StreamingJob {
    private StreamingJob() {}

    /** @param savepoint a savepoint to restore, all of whose state must be claimed; or null */
    public static JobClient start(ScanwatchConfig config, int parallelism, String savepoint, String name)
            throws Exception {
        return start(config, null, parallelism, savepoint, name);
    }

    /**
     * @param tree the tree the configuration was bound from, for live control ({@code control.*}); or null
     * @param savepoint a savepoint to restore, all of whose state must be claimed; or null
     */
    public static JobClient start(
            ScanwatchConfig config, ObjectNode tree, int parallelism, String savepoint, String name) throws Exception {
        Configuration flink = ScanwatchJob.flinkConfiguration(config);
        if (savepoint != null) {
            flink.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            flink.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, false);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(parallelism);
        ScanwatchPipeline.Control control = tree == null
                ? null
                : new ScanwatchPipeline.Control(
                        ControlSources.of(env, config), new ConfigLayers(tree, Detectors::configLoader));
        ScanwatchPipeline.Outputs outputs =
                ScanwatchPipeline.build(KafkaTelemetry.sources(env, config), config, control);
        OutputSinks.attach(
                outputs.alerts(),
                outputs.deadLetters(),
                outputs.controlStatuses(),
                new OutputSinks.Plan(null, null, false, true),
                config);
        return env.executeAsync(name);
    }
}

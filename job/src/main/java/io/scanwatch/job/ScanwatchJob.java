package io.scanwatch.job;

import io.scanwatch.job.JobArguments.UsageException;
import io.scanwatch.job.alert.AlertJson;
import io.scanwatch.job.config.ConfigException;
import io.scanwatch.job.config.ConfigLoader;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.config.ScanwatchConfig.KafkaConfig;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.DeadLetter;
import io.scanwatch.job.sink.DeadLetterJson;
import io.scanwatch.job.sink.KafkaSinks;
import io.scanwatch.job.source.KafkaTelemetry;
import io.scanwatch.job.source.TelemetryInput;
import io.scanwatch.job.source.TelemetrySources;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Entry point: replays telemetry files through the detection pipeline and writes the alerts, on an embedded
 * MiniCluster with {@code java -jar}, or on a Flink cluster with {@code flink run} (alerts come back to the
 * client). Ends when the input ends.
 */
public final class ScanwatchJob {
    private static final long PROGRESS_SECONDS = 5;

    private final PrintStream out;
    private final PrintStream err;

    ScanwatchJob(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        HeapGuard.install(System.err);
        int status;
        try {
            status = new ScanwatchJob(System.out, System.err).run(args);
        } catch (Throwable e) {
            System.err.println("scanwatch: stopped by " + e);
            status = 1;
        }
        // The embedded cluster leaves threads behind that would keep a failed run alive forever.
        System.exit(status);
    }

    /** @return the process exit status: 0 done, 1 the job failed, 2 the command line or configuration is wrong */
    int run(String... args) throws Exception {
        JobArguments arguments;
        ScanwatchConfig config;
        StreamExecutionEnvironment env;
        ScanwatchPipeline.Outputs outputs;
        Writer alertTarget = null;
        Writer deadLetterTarget = null;
        try {
            arguments = JobArguments.parse(args);
            config = new ConfigLoader().load(arguments.configFile, arguments.overrides);
            if (arguments.inputs.isEmpty() && config.kafka().inputs().isEmpty()) {
                throw new UsageException("no telemetry: give --input FORMAT=PATH, or Kafka topics in kafka.inputs");
            }
            env = environment(arguments, config);
            List<TelemetryInput> telemetry = new ArrayList<>(TelemetrySources.fromFiles(env, arguments.inputs, config));
            telemetry.addAll(KafkaTelemetry.sources(env, config));
            outputs = ScanwatchPipeline.build(telemetry, config);
            if (EmbeddedCluster.isEmbedded(env)) {
                EmbeddedCluster.fitNetworkMemory(env);
            }
            if (!streamsToKafka(config)) {
                List<Path> inputFiles = new ArrayList<>();
                arguments.inputs.forEach(input -> inputFiles.addAll(input.resolveFiles()));
                OutputFile.checkDistinct(arguments.alertsFile, arguments.deadLettersFile, inputFiles);
                alertTarget = arguments.alertsFile == null
                        ? OutputFile.standardOutput(out)
                        : OutputFile.open(arguments.alertsFile, "--alerts");
                deadLetterTarget = arguments.deadLettersFile == null
                        ? null
                        : OutputFile.open(arguments.deadLettersFile, "--dead-letters");
            }
        } catch (UsageException e) {
            err.println((e.getMessage().isEmpty() ? "" : "scanwatch: " + e.getMessage() + "\n") + JobArguments.USAGE);
            return 2;
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("scanwatch: " + e.getMessage());
            return 2;
        }
        if (streamsToKafka(config)) {
            return stream(env, outputs, arguments, config);
        }
        return replay(env, outputs, arguments, config, alertTarget, deadLetterTarget);
    }

    private static boolean streamsToKafka(ScanwatchConfig config) {
        return config.kafka().enabled() && !config.kafka().alertsTopic().isBlank();
    }

    private static StreamExecutionEnvironment environment(JobArguments arguments, ScanwatchConfig config) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(config));
        if (arguments.parallelism != null) {
            env.setParallelism(arguments.parallelism);
        } else if (EmbeddedCluster.isEmbedded(env)) {
            env.setParallelism(
                    EmbeddedCluster.defaultParallelism(Runtime.getRuntime().availableProcessors()));
        }
        return env;
    }

    /** The Flink settings the job runs with: the pipeline's own, checkpointing and restarts for Kafka. */
    static Configuration flinkConfiguration(ScanwatchConfig config) {
        Configuration conf = ScanwatchPipeline.requiredConfiguration();
        // Accumulators reach the client with TaskManager heartbeats; on the embedded cluster make them frequent
        // enough for progress lines. A real cluster keeps its own setting.
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        // An OutOfMemoryError in a task ends the embedded cluster's process instead of being retried or swallowed.
        conf.set(TaskManagerOptions.KILL_ON_OUT_OF_MEMORY, true);
        if (config.kafka().enabled()) {
            // Offsets and exactly-once output both move with checkpoints.
            conf.set(
                    CheckpointingOptions.CHECKPOINTING_INTERVAL,
                    config.checkpointing().interval());
            conf.set(
                    CheckpointingOptions.CHECKPOINTING_TIMEOUT,
                    config.checkpointing().timeout());
            conf.set(
                    CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS,
                    config.checkpointing().minPause());
            if (!config.checkpointing().dir().isBlank()) {
                conf.set(
                        CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                        config.checkpointing().dir());
            }
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
                    config.restart().attempts());
            conf.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                    config.restart().delay());
        }
        return conf;
    }

    /** Alerts and dead letters to their Kafka topics. */
    static void sinkToKafka(ScanwatchPipeline.Outputs outputs, ScanwatchConfig config) {
        KafkaConfig kafka = config.kafka();
        outputs.alerts()
                .sinkTo(KafkaSinks.alerts(kafka, config.alerting().sampleSize()))
                .name("alerts to kafka: " + kafka.alertsTopic())
                .uid("kafka-alerts-sink");
        if (!kafka.deadLettersTopic().isBlank()) {
            outputs.deadLetters()
                    .sinkTo(KafkaSinks.deadLetters(kafka))
                    .name("dead letters to kafka: " + kafka.deadLettersTopic())
                    .uid("kafka-dead-letters-sink");
        }
    }

    private int replay(
            StreamExecutionEnvironment env,
            ScanwatchPipeline.Outputs outputs,
            JobArguments arguments,
            ScanwatchConfig config,
            Writer alertTarget,
            Writer deadLetterTarget)
            throws Exception {
        CloseableIterator<Alert> alerts = outputs.alerts().collectAsync();
        CloseableIterator<DeadLetter> deadLetters =
                deadLetterTarget == null ? null : outputs.deadLetters().collectAsync();
        JobClient job = env.executeAsync("scanwatch replay");
        ReplayReport report = new ReplayReport(err);
        AtomicLong alertCount = new AtomicLong();
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scanwatch-progress");
            t.setDaemon(true);
            return t;
        });
        if (!arguments.quiet) {
            progress.scheduleAtFixedRate(
                    () -> job.getAccumulators().thenAccept(acc -> report.progress(acc, alertCount.get())),
                    PROGRESS_SECONDS,
                    PROGRESS_SECONDS,
                    TimeUnit.SECONDS);
        }
        // An output that fails must stop the job: left running, it would fill the collect buffer and hang.
        AtomicReference<String> outputFailure = new AtomicReference<>();
        Runnable cancel = () -> job.cancel();
        CompletableFuture<Void> deadLettersWritten = deadLetters == null
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> {
                    try (Writer target = deadLetterTarget) {
                        while (deadLetters.hasNext()) {
                            target.write(DeadLetterJson.write(deadLetters.next()));
                            target.write('\n');
                        }
                    } catch (IOException e) {
                        outputFailure.compareAndSet(
                                null, "cannot write dead letters to " + arguments.deadLettersFile + ": " + e);
                        cancel.run();
                    }
                });
        Map<String, Long> alertsByRule = new HashMap<>();
        AlertJson json = new AlertJson(config.alerting().sampleSize());
        boolean toFile = arguments.alertsFile != null;
        String alertsName = toFile ? arguments.alertsFile.toString() : "standard output";
        List<Alert> fileAlerts = new ArrayList<>();
        try (Writer target = alertTarget) {
            while (alerts.hasNext()) {
                Alert alert = alerts.next();
                if (toFile) {
                    fileAlerts.add(alert);
                } else {
                    // A line on standard output is seen at once.
                    writeLine(target, json.write(alert), true, alertsName, outputFailure, cancel);
                }
                alertsByRule.merge(alert.detection.rule, 1L, Long::sum);
                alertCount.incrementAndGet();
            }
            // Alerts come from parallel tasks in whatever order they finish; a file is written in time order.
            fileAlerts.sort(Alert.IN_TIME_ORDER);
            for (int i = 0; i < fileAlerts.size(); i++) {
                boolean last = i == fileAlerts.size() - 1;
                writeLine(target, json.write(fileAlerts.get(i)), last, alertsName, outputFailure, cancel);
            }
            deadLettersWritten.join();
            JobExecutionResult result = job.getJobExecutionResult().get();
            progress.shutdownNow();
            if (outputFailure.get() != null) {
                err.println("scanwatch: " + outputFailure.get());
                return 1;
            }
            if (!arguments.quiet) {
                report.summary(result.getAllAccumulatorResults(), alertsByRule, alertsName);
            }
            return 0;
        } catch (Exception e) {
            progress.shutdownNow();
            deadLettersWritten.exceptionally(t -> null).join();
            err.println("scanwatch: " + (outputFailure.get() != null ? outputFailure.get() : "the job failed: " + e));
            return 1;
        }
    }

    /** A failure to write is reported before the job is cancelled, so that the message names the output. */
    private static void writeLine(
            Writer target, String line, boolean flush, String name, AtomicReference<String> failure, Runnable cancel)
            throws IOException {
        try {
            target.write(line);
            target.write('\n');
            if (flush) {
                target.flush();
            }
        } catch (IOException e) {
            failure.compareAndSet(null, "cannot write alerts to " + name + ": " + e);
            cancel.run();
            throw e;
        }
    }

    /** Runs until the sources end: never, unless the Kafka sources are bounded. */
    private int stream(
            StreamExecutionEnvironment env,
            ScanwatchPipeline.Outputs outputs,
            JobArguments arguments,
            ScanwatchConfig config)
            throws Exception {
        sinkToKafka(outputs, config);
        ReplayReport report = new ReplayReport(err);
        try {
            JobExecutionResult result = env.execute("scanwatch");
            if (!arguments.quiet) {
                report.summary(
                        result.getAllAccumulatorResults(),
                        Map.of(),
                        "kafka topic " + config.kafka().alertsTopic());
            }
            return 0;
        } catch (Exception e) {
            err.println("scanwatch: the job failed: " + e);
            return 1;
        }
    }
}

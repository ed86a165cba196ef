package io.scanwatch.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanwatch.job.config.ConfigException;
import io.scanwatch.job.config.ConfigLayers;
import io.scanwatch.job.config.ConfigLoader;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.sink.JsonLinesSink;
import io.scanwatch.job.sink.OutputSinks;
import io.scanwatch.job.sink.search.SearchOutcomes;
import io.scanwatch.job.sink.search.SearchOutcomesFactory;
import io.scanwatch.job.sink.search.SearchPreflight;
import io.scanwatch.job.source.ControlSources;
import io.scanwatch.job.source.InputFile;
import io.scanwatch.job.source.KafkaPreflight;
import io.scanwatch.job.source.KafkaTelemetry;
import io.scanwatch.job.source.TelemetryInput;
import io.scanwatch.job.source.TelemetrySources;
import io.scanwatch.sketch.SketchRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.SerializedThrowable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Entry point: runs the detection pipeline from files or Kafka to the outputs the command line and configuration
 * choose ({@link OutputSinks}: real Flink sinks), on an embedded MiniCluster with {@code java -jar} or on a Flink
 * cluster with {@code flink run}; progress and the summary come from the job's accumulators. A replay ends when
 * its input ends.
 */
public final class ScanwatchJob {
    /** How long the brokers have to answer before an embedded job starts. */
    private static final Duration KAFKA_PREFLIGHT = Duration.ofSeconds(20);
    /** The same from a client submitting to a cluster: its brokers may be out of the client's reach, and say so. */
    private static final Duration KAFKA_PREFLIGHT_FROM_CLIENT = Duration.ofSeconds(5);
    /** A search node on the network answers its root at once; a start waits no longer for a warning. */
    private static final Duration SEARCH_PREFLIGHT = Duration.ofSeconds(2);
    /**
     * How long a stopped run's summary waits for the job's counters: the process is on its way out, but a loaded
     * machine's embedded cluster may take seconds to answer (3 s was short on a busy two-core machine).
     */
    private static final Duration STOP_SUMMARY_WAIT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ScanwatchJob.class);
    private static final long PROGRESS_SECONDS = 5;

    private final PrintStream err;

    /** @param err where progress, the summary and errors go; alerts go to the sinks */
    ScanwatchJob(PrintStream err) {
        this.err = err;
    }

    public static void main(String[] args) {
        HeapGuard.install(System.err);
        int status;
        try {
            status = new ScanwatchJob(System.err).run(args);
        } catch (Throwable e) {
            status = HeapGuard.tell(e, System.err).orElseGet(() -> {
                System.err.println("scanwatch: failed: " + e);
                // The chain's last cause is what to mend; Flink's CLI does not print it for a failed submission.
                Optional<String> why = SavepointMismatch.explain(e)
                        .or(() -> Optional.ofNullable(e.getCause()).map(cause -> reason(e)));
                why.ifPresent(reason -> System.err.println("scanwatch: " + reason));
                return 1;
            });
        }
        // The embedded cluster leaves threads behind that would keep a failed run alive forever.
        System.exit(status);
    }

    /**
     * @return the process exit status: 0 done, 1 the job failed, 2 the command line or configuration is wrong, or
     *     the Java running it is one the job cannot run on (3, out of memory, is {@link HeapGuard}'s: it halts the
     *     process)
     */
    int run(String... args) throws Exception {
        JobArguments arguments = new JobArguments();
        Prepared job;
        try {
            CommandLine.ParseResult parsed = commandLine(arguments).parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return 0;
            }
            if (parsed.hasSubcommand()) {
                ReplayToKafka replay =
                        (ReplayToKafka) parsed.subcommand().commandSpec().userObject();
                replay.err = err;
                return replay.call();
            }
            // Before the job is built: its detectors count with sketches (help and replays to Kafka do not).
            Optional<String> unsupportedJava = SketchRuntime.refusal();
            if (unsupportedJava.isPresent()) {
                err.println("scanwatch: " + unsupportedJava.get());
                return 2;
            }
            job = prepare(arguments);
        } catch (CommandLine.ParameterException e) {
            err.println("scanwatch: " + e.getMessage() + "\n("
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help lists the options)");
            return 2;
        } catch (InvalidPathException e) {
            err.println("scanwatch: " + pathRefused(e));
            return 2;
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("scanwatch: " + e.getMessage());
            return 2;
        }
        return execute(
                job.env(),
                arguments,
                job.targets(),
                job.config().search(),
                !job.config().kafka().unbounded());
    }

    /** A job built and checked, ready to run: its environment, its configuration and where its outputs go. */
    private record Prepared(StreamExecutionEnvironment env, ScanwatchConfig config, OutputSinks.Targets targets) {}

    private static CommandLine commandLine(JobArguments arguments) {
        return new CommandLine(arguments).registerConverter(Path.class, text -> {
            try {
                return Paths.get(text);
            } catch (InvalidPathException e) {
                throw new CommandLine.TypeConversionException(pathRefused(e));
            }
        });
    }

    /**
     * Loads the configuration, builds the pipeline from its sources to its sinks and checks what a start can check
     * before anything is written: a mistake fails here, with what to mend, and leaves the last run's outputs alone.
     */
    private Prepared prepare(JobArguments arguments) throws IOException {
        ConfigLoader loader = Detectors.configLoader();
        ObjectNode tree = loader.tree(arguments.configFile, arguments.overrides());
        ScanwatchConfig config = loader.load(tree);
        if (arguments.inputs.isEmpty() && config.kafka().inputs().isEmpty()) {
            throw new ConfigException("no telemetry: give --input FORMAT=PATH, or Kafka topics in kafka.inputs"
                    + " (scanwatch --help lists the options)");
        }
        StreamExecutionEnvironment env = environment(arguments, config);
        if (env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.BATCH
                && config.state().backend() == ScanwatchConfig.StateBackend.ROCKSDB) {
            err.println("scanwatch: state.backend=rocksdb applies to streams (--streaming, Kafka): a replay in"
                    + " batch mode holds a source's state only while its records pass, in Flink's own backend");
        }
        List<InputFile> files = InputFile.resolve(arguments.inputs);
        warn(InputFile.directoriesLeftOut(arguments.inputs));
        askTheKafkaBrokers(env, config);
        List<TelemetryInput> telemetry = new ArrayList<>(TelemetrySources.fromFiles(env, files, config));
        telemetry.addAll(KafkaTelemetry.sources(env, config));
        ScanwatchPipeline.Control control = config.control().enabled()
                ? new ScanwatchPipeline.Control(
                        ControlSources.of(env, config), new ConfigLayers(tree, Detectors::configLoader))
                : null;
        ScanwatchPipeline.Outputs outputs = ScanwatchPipeline.build(telemetry, config, control);
        boolean kafka = config.kafka().writesAlerts();
        OutputSinks.Plan plan = new OutputSinks.Plan(
                arguments.alertsFile,
                arguments.deadLettersFile,
                !kafka && !config.search().enabled() && arguments.alertsFile == null,
                kafka);
        checkOutputFiles(
                arguments,
                config,
                files,
                plan.alertsToStandardOutput(),
                env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.BATCH);
        OutputSinks.Targets targets =
                OutputSinks.attach(outputs.alerts(), outputs.deadLetters(), outputs.controlStatuses(), plan, config);
        if (config.search().enabled()) {
            warn(SearchPreflight.warnings(config.search(), SEARCH_PREFLIGHT, Instant.now()));
        }
        if (EmbeddedCluster.isEmbedded(env)) {
            prepareEmbeddedCluster(env, config);
            if (env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.STREAMING) {
                RestartNotices.configure(env, err);
                RestartNotices.logFailedTasks();
            }
        }
        return new Prepared(env, config, targets);
    }

    /**
     * No output file may be an input, another output or the file a standard stream of the run writes to, and each
     * must be writable: checked before any is emptied (a replay's at once, a stream's by its sinks).
     */
    private static void checkOutputFiles(
            JobArguments arguments,
            ScanwatchConfig config,
            List<InputFile> files,
            boolean alertsToStandardOutput,
            boolean replay) {
        Map<String, Path> outputFiles = new LinkedHashMap<>();
        outputFiles.put("control.status-file", optionalPath(config.control().statusFile()));
        outputFiles.put("--alerts", arguments.alertsFile);
        outputFiles.put("--dead-letters", arguments.deadLettersFile);
        List<Path> inputFiles =
                new ArrayList<>(files.stream().map(InputFile::path).toList());
        for (String read : List.of(config.control().file(), config.inventory().file())) {
            if (!read.isBlank()) {
                inputFiles.add(Path.of(read));
            }
        }
        if (arguments.configFile != null) {
            inputFiles.add(arguments.configFile);
        }
        OutputFile.checkDistinct(outputFiles, inputFiles);
        OutputFile.checkStandardStreams(outputFiles, alertsToStandardOutput);
        OutputFile.checkWritable(outputFiles, replay);
    }

    /**
     * What a job on the embedded cluster sets up itself, where on a Flink cluster the cluster's configuration does:
     * the search sink's outcome reporter, network buffers fitted to the plan, a temporary directory of its own, and
     * a stream's resumption from its latest checkpoint.
     */
    private void prepareEmbeddedCluster(StreamExecutionEnvironment env, ScanwatchConfig config) throws IOException {
        if (config.search().enabled()) {
            Configuration reporter = new Configuration();
            SearchOutcomesFactory.configure(reporter);
            env.configure(reporter);
        }
        EmbeddedCluster.fitNetwork(env);
        EmbeddedCluster.useOwnTemporaryDirectory(env);
        if (!config.kafka().inputs().isEmpty()) {
            CheckpointResume.apply(
                    env,
                    config.checkpointing().dir(),
                    config.checkpointing().allowNonRestoredState(),
                    config.kafka().groupId(),
                    err);
        }
    }

    /** Java names files in the locale's encoding: under LANG=C (ASCII) no non-ASCII name can be opened. */
    private static String pathRefused(InvalidPathException e) {
        return "the path " + e.getInput()
                + (e.getReason().contains("unmappable")
                        ? " cannot be named in this system's file-name encoding ("
                                + System.getProperty("sun.jnu.encoding")
                                + "): run scanwatch in a UTF-8 locale, e.g. LANG=C.UTF-8"
                        : " is not a path here: " + e.getReason());
    }

    /**
     * Before the control topic is described and before any output file is emptied: a start the brokers refuse
     * leaves the last run's files as they were.
     */
    private void askTheKafkaBrokers(StreamExecutionEnvironment env, ScanwatchConfig config) {
        if (!KafkaPreflight.applies(config)) {
            return;
        }
        if (EmbeddedCluster.isEmbedded(env)) {
            // Here the client is the job: what it cannot reach, the job could not either.
            warn(KafkaPreflight.check(config, KAFKA_PREFLIGHT));
        } else {
            warn(KafkaPreflight.checkFromClient(config, KAFKA_PREFLIGHT_FROM_CLIENT));
        }
    }

    private void warn(List<String> warnings) {
        warnings.forEach(warning -> err.println("scanwatch: warning: " + warning));
    }

    private static Path optionalPath(String path) {
        return path.isBlank() ? null : Path.of(path);
    }

    private static StreamExecutionEnvironment environment(JobArguments arguments, ScanwatchConfig config) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(config));
        // A replay of files runs in batch mode: each operator sees its inputs sorted by key and event time, so
        // no record is ever late and the alerts do not depend on the order of records within or across files.
        if (config.kafka().inputs().isEmpty() && !arguments.streaming) {
            env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        }
        if (arguments.parallelism != null) {
            env.setParallelism(arguments.parallelism);
        } else if (EmbeddedCluster.isEmbedded(env)) {
            env.setParallelism(
                    EmbeddedCluster.defaultParallelism(Runtime.getRuntime().availableProcessors()));
        }
        return env;
    }

    /** The Flink settings the job runs with: the pipeline's own, checkpointing and restarts for Kafka. */
    public static Configuration flinkConfiguration(ScanwatchConfig config) {
        Configuration conf = ScanwatchPipeline.requiredConfiguration();
        // Accumulators reach the client with TaskManager heartbeats; on the embedded cluster make them frequent
        // enough for progress lines. A real cluster keeps its own setting.
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        if (config.state().backend() != ScanwatchConfig.StateBackend.CLUSTER) {
            conf.set(
                    StateBackendOptions.STATE_BACKEND,
                    config.state().backend().name().toLowerCase(Locale.ROOT));
        }
        if (config.kafka().enabled()) {
            // A stream restarts after failures, by default without a limit: an OutOfMemoryError in a task ends the
            // embedded cluster's process rather than restarting in the same full heap (a supervisor restarts it from
            // the last checkpoint). A replay does not restart: the error fails its job, and the client says so.
            conf.set(TaskManagerOptions.KILL_ON_OUT_OF_MEMORY, true);
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
            if (config.restart().strategy() == ScanwatchConfig.RestartStrategy.FIXED_DELAY) {
                conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
                conf.set(
                        RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
                        config.restart().attempts());
                conf.set(
                        RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                        config.restart().delay());
            }
        }
        return conf;
    }

    /** Runs the job to its end (never, for an unbounded stream), with progress and a summary on standard error. */
    private int execute(
            StreamExecutionEnvironment env,
            JobArguments arguments,
            OutputSinks.Targets targets,
            ScanwatchConfig.SearchConfig search,
            boolean bounded)
            throws Exception {
        LOG.info(
                "starting scanwatch ({} mode, parallelism {}), alerts to {}",
                env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE),
                env.getParallelism(),
                targets.alerts());
        // pipeline.name (-Dpipeline.name=... to 'flink run') tells several scanwatch jobs on one cluster apart.
        JobClient job = env.executeAsync(env.getConfiguration()
                .getOptional(PipelineOptions.NAME)
                .orElse(bounded ? "scanwatch replay" : "scanwatch"));
        LOG.info("submitted job {}", job.getJobID());
        if (!bounded && !EmbeddedCluster.isEmbedded(env)) {
            // A stream on a cluster runs until it is cancelled or stopped with a savepoint: the client's work is done.
            // Accepted, not yet known to run: too few slots or a TaskManager's Java show only as the job restarts.
            err.println("scanwatch: the cluster accepted job " + job.getJobID() + " (its state and any failure to"
                    + " start are in the cluster's web UI); stop it with a savepoint"
                    + " (flink stop --savepointPath DIR " + job.getJobID() + ", or POST /jobs/" + job.getJobID()
                    + "/stop to the cluster's REST API) or cancel it");
            return 0;
        }
        ReplayReport report = new ReplayReport(err);
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scanwatch-progress");
            t.setDaemon(true);
            return t;
        });
        if (!arguments.quiet && bounded) {
            progress.scheduleAtFixedRate(
                    () -> job.getAccumulators().thenAccept(report::progress),
                    PROGRESS_SECONDS,
                    PROGRESS_SECONDS,
                    TimeUnit.SECONDS);
        }
        // Stopped by a signal (Ctrl-C, SIGTERM), the embedded cluster goes with this process: say what it did first.
        // (A job on a cluster runs on without its client.)
        Thread onStop = arguments.quiet || !EmbeddedCluster.isEmbedded(env)
                ? null
                : new Thread(
                        () -> {
                            try {
                                Map<String, Object> counted =
                                        job.getAccumulators().get(STOP_SUMMARY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                                report.summary("stopped", counted, targets);
                                reportSearch(report, search, job);
                            } catch (Exception e) {
                                err.println("scanwatch: stopped; the job's counters could not be read (" + e + ")");
                            }
                        },
                        "scanwatch-summary-on-stop");
        if (onStop != null) {
            Runtime.getRuntime().addShutdownHook(onStop);
        }
        try {
            JobExecutionResult result = job.getJobExecutionResult().get();
            if (!arguments.quiet && unhook(onStop)) {
                report.summary(result.getAllAccumulatorResults(), targets);
                reportSearch(report, search, job);
            }
            return 0;
        } catch (ExecutionException e) {
            // The reason goes to standard error in one line; the trace only to the log (INFO, off in the CLI).
            LOG.info("the job failed", e);
            return HeapGuard.tell(e, err).orElseGet(() -> {
                err.println("scanwatch: " + reason(e));
                return 1;
            });
        } finally {
            if (unhook(onStop)) {
                // What a quiet or failed run's summary did not take.
                SearchOutcomes.take(job.getJobID());
            }
            progress.shutdownNow();
        }
    }

    private static void reportSearch(ReplayReport report, ScanwatchConfig.SearchConfig search, JobClient job) {
        SearchOutcomes.Counts searched = SearchOutcomes.take(job.getJobID());
        if (search.enabled() && searched != null) {
            report.search(searched, search.deadLetterIndex());
        }
    }

    /**
     * Takes the stop's summary off the shutdown hooks: false when a signal came first, so that the process is going
     * and the hook says what the run did.
     */
    private static boolean unhook(Thread onStop) {
        if (onStop == null) {
            return true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onStop);
            return true;
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }

    /** Why a job failed, as its user should read it: an output's own message, else the deepest cause. */
    static String reason(Throwable failure) {
        Throwable deepest = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            boolean output = t instanceof JsonLinesSink.OutputFailure
                    || (t instanceof SerializedThrowable serialized
                            && serialized
                                    .getOriginalErrorClassName()
                                    .equals(JsonLinesSink.OutputFailure.class.getName()));
            if (output) {
                return t.getMessage();
            }
            deepest = t;
        }
        return "the job failed: " + deepest;
    }
}

package io.scanwatch.job.bench;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.EmbeddedCluster;
import io.scanwatch.job.ScanwatchJob;
import io.scanwatch.job.ScanwatchPipeline;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.detect.NetworkScanRule;
import io.scanwatch.job.detect.PanedWindowDetector;
import io.scanwatch.job.detect.PanedWindowOperator;
import io.scanwatch.job.detect.RuleContext;
import io.scanwatch.job.detect.Tallies;
import io.scanwatch.job.model.ControlChange;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.route.RouteTelemetry;
import io.scanwatch.job.source.InputFile;
import io.scanwatch.job.source.TelemetryInput;
import io.scanwatch.job.source.TelemetrySources;
import io.scanwatch.job.testing.ChildJvm;
import io.scanwatch.job.testing.Directories;
import io.scanwatch.net.CidrSet;
import io.scanwatch.net.NetworkClassifier;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.CloseableIterator;

/**
 * Throughput on this machine, in events per second, all in one process so the ratios are fair. First an edge-like
 * mix ({@link EdgeMixLog}): parsing alone on one thread, and the whole job replaying it as the command line does
 * (batch mode, the file read in ranges by every reader) at parallelism 1 and at the given parallelism, against the
 * network-scan rule alone as Flink SQL ({@link SqlHopRule}) and in Esper ({@link EsperRule}), each checked to flag
 * the job's scanners; the long-horizon tiers' cost on the same mix spread over a day and the random walk's cost on
 * the mix, each replayed and streamed; then the state per idle tracked source ({@link StateFootprint}). Then replays
 * of one Zeek file in streaming mode (one reader): parsing alone, the whole scanwatch pipeline, and a baseline of
 * one Flink window doing the network-scan tally. Then the detectors alone on generated probes: the paned
 * detector against Flink's own sliding and tumbling windows with the same tally.
 *
 * <pre>./mvnw -q -B -pl job test-compile exec:exec -Dbench.args="[records] [parallelism] [all|edge|tiers|trw] [rounds]"</pre>
 *
 * <p>With {@code edge}, only the edge mix, its peers (the rule as Flink SQL and in Esper), the day, the random walk
 * and the state per source, the mix in {@code rounds} rounds (3 unless given; 0 for the parts after the rounds
 * alone). With {@code tiers} or {@code trw}, only that part's cost on the edge mix, twice, the first pass the JIT's
 * warm-up. {@link Options#USAGE} gives each argument's range and default.
 */
public final class ThroughputBench {
    private static final int EVENT_TIME_RATE = 5_000;
    private static final NetworkClassifier CLASSIFIER =
            new NetworkClassifier(CidrSet.of(List.of("10.0.0.0/8")), CidrSet.of(List.of()));

    /** Below this the fixed costs of a run (the embedded cluster's start, the JIT) outweigh the work it measures. */
    private static final long MEANINGFUL_EVENTS = 1_000_000;

    private ThroughputBench() {}

    /** What to run: the number of records, the parallelism, the part and the rounds of the edge mix. */
    record Options(long events, int parallelism, String part, int rounds) {
        static final String USAGE = "ThroughputBench [records, 100,000 to 50,000,000; 2000000] [parallelism, 1 to"
                + " 8; the cores, up to 8] [all | edge | tiers | trw; all] [rounds of the edge mix, 0 to 20, for all"
                + " and edge; 3] (by position: to choose a part, give the parallelism too)";

        static Options from(BenchArguments arguments) {
            String part = arguments.choice(2, "the part", "all", List.of("all", "edge", "tiers", "trw"));
            if (arguments.given(3) && (part.equals("tiers") || part.equals("trw"))) {
                throw arguments.mistake("'" + part + "' takes no rounds: it runs twice, the first pass the JIT's");
            }
            // At most the command line's own default: the one-rule peers and the detectors' baselines run on Flink's
            // default network memory, which 16 subtasks of a streamed job outgrow.
            return new Options(
                    arguments.number(0, "records", 2_000_000, 100_000, 50_000_000),
                    (int) arguments.number(
                            1,
                            "parallelism",
                            EmbeddedCluster.defaultParallelism(
                                    Runtime.getRuntime().availableProcessors()),
                            1,
                            EmbeddedCluster.MAX_DEFAULT_PARALLELISM),
                    part,
                    (int) arguments.number(3, "rounds", 3, 0, 20));
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = BenchArguments.read(Options.USAGE, 4, args, Options::from);
        long events = options.events();
        int parallelism = options.parallelism();
        Path edge = Files.createTempFile("scanwatch-bench-edge", ".conn.log");
        edge.toFile().deleteOnExit();
        EdgeMixLog.write(edge, events, EdgeMixLog.SEED);
        ScanwatchConfig demo = Detectors.configLoader().load(null, Map.of());
        System.out.printf(
                "scanwatch throughput on an edge mix (#11): %,d Zeek JSON records (%,d MB), %d cores, load %s%n",
                events, Files.size(edge) >> 20, Runtime.getRuntime().availableProcessors(), load());
        warnIfFew(events);
        if (options.part().equals("tiers") || options.part().equals("trw")) {
            // Without the rounds before it, the first pass is the JIT's: measured twice, quote the second.
            for (int pass = 1; pass <= 2; pass++) {
                System.out.printf("pass %d of 2%s%n", pass, pass == 1 ? " (warm-up)" : "");
                if (options.part().equals("tiers")) {
                    tiers("the edge mix", edge, events, parallelism);
                } else {
                    trwOnTheEdge(edge, demo, events, parallelism);
                }
            }
            return;
        }
        // The JIT keeps compiling through a second round (a one-shot 2M replay spends about a core on it): the
        // last round is the one to quote.
        for (int round = 1; round <= options.rounds(); round++) {
            System.out.printf("round %d of %d%s%n", round, options.rounds(), round == 1 ? " (warm-up)" : "");
            edgeRound(edge, demo, events, parallelism, round == options.rounds());
        }
        tiers("the edge mix", edge, events, parallelism);
        tiersOnADay(events, parallelism);
        trwOnTheEdge(edge, demo, events, parallelism);
        stateFootprint();
        if (options.part().equals("all")) {
            detectorsOnSyntheticZeek(events, parallelism);
        }
    }

    /**
     * One round on the edge mix: parsing alone, the job replayed at parallelism 1 and {@code parallelism} and streamed,
     * its floor ({@link JobFloor}), Flink reading the file alone ({@link ReadingFloor}), and the peers, with their
     * ratios and whether each flags the job's network scanners.
     */
    private static void edgeRound(Path edge, ScanwatchConfig demo, long events, int parallelism, boolean last)
            throws Exception {
        double parse = report("parse only, one thread", events, () -> parseOnly(edge));
        double text = report(
                "parse only, as text by Jackson (the job before #11), one thread", events, () -> parseAsText(edge));
        Set<String> jobOne = new TreeSet<>();
        double one = report(
                "replay as the command line runs it, parallelism 1",
                events,
                () -> jobOne.addAll(replay(edge, demo, 1)));
        Set<String> job = new TreeSet<>();
        double all = report(
                "replay as the command line runs it, parallelism " + parallelism,
                events,
                () -> job.addAll(replay(edge, demo, parallelism)),
                last);
        double floor = report(
                "replay with every rule off but the service scans (the floor), parallelism " + parallelism,
                events,
                () -> JobFloor.requireNoScanner(replay(edge, JobFloor.config(), parallelism)),
                last);
        double reading = report(
                "Flink's source and the job's parser alone, nothing after them, parallelism " + parallelism,
                events,
                () -> ReadingFloor.replay(edge, demo, parallelism, events));
        Set<String> sqlOne = new TreeSet<>();
        double hopOne = report(
                "rule as Flink SQL HOP (SQL reads the JSON), parallelism 1",
                events,
                () -> sqlOne.addAll(SqlHopRule.endToEnd(edge, 1, RuntimeExecutionMode.BATCH)));
        Set<String> sql = new TreeSet<>();
        double hop = report(
                "rule as Flink SQL HOP (SQL reads the JSON), parallelism " + parallelism,
                events,
                () -> sql.addAll(SqlHopRule.endToEnd(edge, parallelism, RuntimeExecutionMode.BATCH)));
        Set<String> sqlParsed = new TreeSet<>();
        double hopParsed = report(
                "rule as Flink SQL HOP on the job's parser, parallelism " + parallelism,
                events,
                () -> sqlParsed.addAll(SqlHopRule.onTheJobsParser(edge, demo, parallelism)));
        Set<String> esper = new TreeSet<>();
        double epl = report(
                "rule in Esper 9 on the job's parser, one thread",
                events,
                () -> esper.addAll(EsperRule.scanners(edge)));
        Set<String> streamed = new TreeSet<>();
        double streaming = report(
                "streaming mode: the whole job (one reader), parallelism " + parallelism,
                events,
                () -> streamed.addAll(stream(edge, demo, parallelism)));
        Set<String> sqlStreaming = new TreeSet<>();
        double hopStreaming = report(
                "streaming mode: rule as Flink SQL HOP, parallelism " + parallelism,
                events,
                () -> sqlStreaming.addAll(SqlHopRule.endToEnd(edge, parallelism, RuntimeExecutionMode.STREAMING)));
        System.out.printf(
                "  the job replayed, to parsing alone on the job's parser: parallelism 1 = %.2f, parallelism %d = %.2f"
                        + " (the floor %.2f, Flink reading alone %.2f); to parsing alone into Jackson's text (the job"
                        + " before #11): %.2f, %.2f; load %s%n",
                one / parse, parallelism, all / parse, floor / parse, reading / parse, one / text, all / text, load());
        System.out.printf(
                "  the job at parallelism %d against the one-rule peers: %.1f x SQL HOP at parallelism 1,"
                        + " %.1f x SQL HOP at parallelism %d, %.1f x SQL HOP on the job's parser, %.1f x Esper;"
                        + " streamed, %.1f x SQL HOP streamed; the floor %.1f x SQL HOP, %.1f x Esper; Flink reading"
                        + " alone %.1f x SQL HOP, %.1f x Esper%n",
                parallelism,
                all / hopOne,
                all / hop,
                parallelism,
                all / hopParsed,
                all / epl,
                streaming / hopStreaming,
                floor / hop,
                floor / epl,
                reading / hop,
                reading / epl);
        Set<String> networkScan = networkScanOnly(job);
        System.out.printf(
                "  network scanners found: the job replayed %s (its scan alerts at parallelism 1: %s; streamed: %s);"
                        + " SQL HOP %s (parallelism 1: %s, on the job's parser: %s, streamed: %s); Esper %s%n",
                found(networkScan),
                agreement(job, jobOne),
                agreement(job, streamed),
                agreement(networkScan, sql),
                agreement(networkScan, sqlOne),
                agreement(networkScan, sqlParsed),
                agreement(networkScan, sqlStreaming),
                agreement(networkScan, esper));
    }

    /**
     * The state per idle source, in a JVM of its own: in this one, the heap the rounds before left behind moves its
     * heap figure by a factor of five.
     */
    private static void stateFootprint() throws Exception {
        Path work = Files.createTempDirectory("scanwatch-bench-state");
        try {
            ChildJvm.Result measured = ChildJvm.run(work, List.of("-Xmx1g"), StateFootprint.class, List.of(), 600);
            System.out.print(measured.out());
            if (measured.status() != 0) {
                throw new IllegalStateException(
                        "StateFootprint ended with status " + measured.status() + ":\n" + measured.err());
            }
        } finally {
            Directories.deleteRecursively(work);
        }
    }

    /**
     * Replays of one synthetic Zeek file in streaming mode (one reader): parsing alone, the whole pipeline with and
     * without the long-horizon tiers, and a baseline of one Flink window doing the network-scan tally. Then the
     * detectors alone on generated probes: the paned detector against Flink's own sliding and tumbling windows.
     */
    private static void detectorsOnSyntheticZeek(long events, int parallelism) throws Exception {
        Path file = Files.createTempFile("scanwatch-bench", ".conn.log");
        file.toFile().deleteOnExit();
        SyntheticZeekLog.write(file, events, EVENT_TIME_RATE, 7);
        ScanwatchConfig config = Detectors.configLoader().load(null, Map.of("network.internal-cidrs", "[10.0.0.0/8]"));
        ScanwatchConfig fastTiersOnly = Detectors.configLoader()
                .load(
                        null,
                        Map.of(
                                "network.internal-cidrs", "[10.0.0.0/8]",
                                "slow-scan.enabled", "false",
                                "distributed-scan.enabled", "false"));
        System.out.printf(
                "scanwatch throughput: %,d Zeek JSON records (%,d MB), %d cores, parallelism %d, load %s%n",
                events, Files.size(file) >> 20, Runtime.getRuntime().availableProcessors(), parallelism, load());
        for (int round = 1; round <= 2; round++) {
            System.out.printf("round %d%s%n", round, round == 1 ? " (warm-up)" : "");
            double parse = report("parse only, one thread", events, () -> parseOnly(file));
            PairedRuns tiers = tierRuns(
                    "replay",
                    events,
                    () -> stream(file, fastTiersOnly, parallelism),
                    () -> stream(file, config, parallelism));
            System.out.printf(
                    "  long-horizon tiers (slow_scan, distributed_scan): %.2f of the throughput without them"
                            + " (best of three each); network scanners, %s%n",
                    tiers.kept(), tiers.agreement());
            double scanwatch = tiers.with();
            double sliding = report(
                    "replay, one Flink sliding 5m/1m", events, () -> flinkWindow(file, config, parallelism, true));
            double tumbling = report(
                    "replay, one Flink tumbling 1m", events, () -> flinkWindow(file, config, parallelism, false));
            System.out.printf(
                    "  ratios: scanwatch / Flink sliding = %.2f, scanwatch / Flink tumbling = %.2f, "
                            + "scanwatch / parse only = %.2f; load %s%n",
                    scanwatch / sliding, scanwatch / tumbling, scanwatch / parse, load());
            System.out.println("  detectors alone, on generated probes (no parsing):");
            double paneSliding =
                    report("  paned sliding 5m/1m", events, () -> detectors(config, parallelism, events, true, true));
            double flinkSliding =
                    report("  Flink sliding 5m/1m", events, () -> detectors(config, parallelism, events, false, true));
            double paneTumbling =
                    report("  paned tumbling 1m", events, () -> detectors(config, parallelism, events, true, false));
            double flinkTumbling =
                    report("  Flink tumbling 1m", events, () -> detectors(config, parallelism, events, false, false));
            System.out.printf(
                    "  ratios: paned / Flink sliding = %.2f, paned / Flink tumbling = %.2f; load %s%n",
                    paneSliding / flinkSliding, paneTumbling / flinkTumbling, load());
        }
    }

    /** One network-scan detector, paned or on a Flink window, fed generated probes from a parallel sequence. */
    private static void detectors(ScanwatchConfig config, int parallelism, long events, boolean paned, boolean sliding)
            throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(ScanwatchPipeline.requiredConfiguration());
        env.setParallelism(parallelism);
        int cap = config.detection().distinctCap();
        DataStream<ConnectionEvent> generated = env.fromSequence(0, events - 1)
                .map(new GeneratedProbes(events, EVENT_TIME_RATE))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<ConnectionEvent>forBoundedOutOfOrderness(
                                config.eventTime().boundFor(TelemetryFormat.ZEEK_CONN))
                        .withTimestampAssigner((e, previous) -> e.timestamp));
        KeyedStream<ConnectionEvent, String> probes = generated.keyBy(e -> e.sourceIp);
        if (paned) {
            NetworkScanRule rule = sliding
                    ? NetworkScanRule.sliding(config.rules().of(NetworkScanRule.KIND), new RuleContext(CLASSIFIER, cap))
                    : NetworkScanRule.tumbling(
                            config.rules().of(NetworkScanRule.KIND), new RuleContext(CLASSIFIER, cap));
            // No changes: a stream that ends at once, so that its watermark holds nothing back.
            probes.connect(env.fromData(ControlChange.of("none", 0, "{}"))
                            .filter(change -> false)
                            .broadcast())
                    .transform(
                            "detect",
                            TypeInformation.of(Detection.class),
                            new PanedWindowOperator(new PanedWindowDetector(rule)))
                    .sinkTo(new DiscardingSink<>());
        } else {
            (sliding
                            ? probes.window(SlidingEventTimeWindows.of(Duration.ofMinutes(5), Duration.ofMinutes(1)))
                            : probes.window(TumblingEventTimeWindows.of(Duration.ofMinutes(1))))
                    .aggregate(new TallyAggregate(cap))
                    .sinkTo(new DiscardingSink<>());
        }
        env.execute("scanwatch bench detectors");
    }

    private interface Run {
        void run() throws Exception;
    }

    /** The run's rate, printed with its time and the heap's peak (the sum of the pools' peaks, an upper bound). */
    private static double report(String what, long events, Run run) throws Exception {
        return report(what, events, run, false);
    }

    /** The same, and with {@code byStage} where its CPU went ({@link StageCpu}). */
    private static double report(String what, long events, Run run, boolean byStage) throws Exception {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        StageCpu cpu = byStage ? StageCpu.start() : null;
        long start = System.nanoTime();
        try {
            run.run();
        } catch (Exception e) {
            if (cpu != null) {
                cpu.stop();
            }
            throw e;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = events / seconds;
        long peak =
                heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        System.out.printf("  %-66s %,10.0f events/s (%.1f s, peak heap <= %,d MB)%n", what, rate, seconds, peak >> 20);
        if (cpu != null) {
            cpu.stopAndPrint();
        }
        return rate;
    }

    static void parseOnly(Path file) throws Exception {
        if (ParsedConnections.forEach(file, connection -> {}) == 0) {
            throw new IllegalStateException("nothing parsed");
        }
    }

    /** A line saying so when {@code events} are too few for the ratios to mean much. */
    static void warnIfFew(long events) {
        if (events < MEANINGFUL_EVENTS) {
            System.out.printf(
                    "  fewer than %,d records: the embedded cluster's start and the JIT outweigh the work, and the"
                            + " ratios below say little%n",
                    MEANINGFUL_EVENTS);
        }
    }

    private static void parseAsText(Path file) throws Exception {
        if (ParsedConnections.forEachAsText(file, connection -> {}) == 0) {
            throw new IllegalStateException("nothing parsed");
        }
    }

    /**
     * The whole job on one file as {@code scanwatch --input} replays it, in batch mode, with the command line's Flink
     * settings and its embedded cluster's network, sort memory and shuffle: the network scanners. The one edge the
     * collecting sink adds, after the fit, needs a few buffers of the many fitted.
     */
    private static Set<String> replay(Path file, ScanwatchConfig config, int parallelism) throws Exception {
        StreamExecutionEnvironment env = replayEnvironment(config, parallelism);
        DataStream<String> flagged = scanAlerts(env, file, config);
        EmbeddedCluster.fitNetwork(env);
        return collect(flagged, "scanwatch bench replay");
    }

    /**
     * The whole job on one file in streaming mode, one reader, as a stream from Kafka runs, with the network memory
     * the command line's {@code --streaming} fits to it: the network scanners.
     */
    private static Set<String> stream(Path file, ScanwatchConfig config, int parallelism) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(ScanwatchPipeline.requiredConfiguration());
        env.setParallelism(parallelism);
        DataStream<String> flagged = scanAlerts(env, file, config);
        EmbeddedCluster.fitNetwork(env);
        return collect(flagged, "scanwatch bench stream");
    }

    /** A replay's environment, as the command line sets it up: batch mode, the job's Flink configuration. */
    static StreamExecutionEnvironment replayEnvironment(ScanwatchConfig config, int parallelism) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(ScanwatchJob.flinkConfiguration(config));
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(parallelism);
        return env;
    }

    /** The file read as a Zeek conn log, by the job's own source. */
    static List<TelemetryInput> zeekConn(StreamExecutionEnvironment env, Path file, ScanwatchConfig config) {
        return TelemetrySources.fromFiles(env, List.of(new InputFile(TelemetryFormat.ZEEK_CONN, null, file)), config);
    }

    /**
     * The alerts of the network-scan family, as "rule source": {@code network_scan}, and {@code slow_scan}, whose
     * episode a later {@code network_scan} detection of the same source joins rather than alerting on its own.
     */
    private static DataStream<String> scanAlerts(StreamExecutionEnvironment env, Path file, ScanwatchConfig config) {
        return ScanwatchPipeline.build(zeekConn(env, file, config), config)
                .alerts()
                .filter(alert -> NetworkScanRule.NAME.equals(alert.detection.family()))
                .map(alert -> alert.detection.rule + " " + alert.detection.sourceIp);
    }

    /** The sources of {@code network_scan} alerts: what the one-rule peers flag. */
    private static Set<String> networkScanOnly(Set<String> scanAlerts) {
        Set<String> sources = new TreeSet<>();
        for (String alert : scanAlerts) {
            if (alert.startsWith(NetworkScanRule.NAME + " ")) {
                sources.add(alert.substring(NetworkScanRule.NAME.length() + 1));
            }
        }
        return sources;
    }

    /** The sources of the family's alerts, whichever rule raised them. */
    private static Set<String> sources(Set<String> scanAlerts) {
        Set<String> sources = new TreeSet<>();
        scanAlerts.forEach(alert -> sources.add(alert.substring(alert.indexOf(' ') + 1)));
        return sources;
    }

    private static Set<String> collect(DataStream<String> flagged, String jobName) throws Exception {
        Set<String> scanners = new TreeSet<>();
        try (CloseableIterator<String> collected = flagged.executeAndCollect(jobName)) {
            collected.forEachRemaining(scanners::add);
        }
        return scanners;
    }

    /**
     * The long-horizon tiers' cost (#11: at most 15 %) where they work hardest: the edge mix spread over a day, so that
     * the slow tiers keep a day of panes and every scanner is slow. Replays as the command line runs them, then
     * streams, each interleaved, best of three each.
     */
    private static void tiersOnADay(long events, int parallelism) throws Exception {
        Path day = Files.createTempFile("scanwatch-bench-day", ".conn.log");
        day.toFile().deleteOnExit();
        EdgeMixLog.write(day, events, EdgeMixLog.SEED, events / 86_400.0);
        tiers("a day of the edge mix", day, events, parallelism);
        Files.delete(day);
    }

    /**
     * The long-horizon tiers' cost (#11: at most 15 %) on {@code file}, replayed and streamed: on the edge mix as #11
     * measures it (minutes), where they hold a few of their panes, and on the same mix spread over a day, where every
     * scanner is a slow one and the 1-hour tier judges its windows every 5 minutes.
     */
    private static void tiers(String what, Path file, long events, int parallelism) throws Exception {
        ScanwatchConfig every = Detectors.configLoader().load(null, Map.of());
        ScanwatchConfig fastOnly = Detectors.configLoader()
                .load(null, Map.of("slow-scan.enabled", "false", "distributed-scan.enabled", "false"));
        PairedRuns replays = tierRuns(
                what, events, () -> replay(file, fastOnly, parallelism), () -> replay(file, every, parallelism));
        System.out.printf(
                "  long-horizon tiers, %s: %.2f of the throughput without them (best of three each); network"
                        + " scanners, %s; load %s%n",
                what, replays.kept(), replays.agreement(), load());
        // A stream, the production mode, fires keys' timers in turns, not a key's in a row after its events: no hour
        // sums carry from one of a key's timers to the next, so its cost is not a replay's.
        PairedRuns streams = tierRuns(
                what + ", streamed",
                events,
                () -> stream(file, fastOnly, parallelism),
                () -> stream(file, every, parallelism));
        System.out.printf(
                "  long-horizon tiers, %s, streamed: %.2f of the throughput without them (best of three each);"
                        + " network scanners, %s; load %s%n",
                what, streams.kept(), streams.agreement(), load());
    }

    /**
     * The random walk's cost (#11: at most 15 %) on the edge mix, in a replay and in a stream, as it ships (the
     * contacts with internal hosts) and walking every destination: it walks every first contact it takes, successes
     * too, so completed connections cross the network to it, where the windowed rules take the probes alone; with
     * every destination, the clients' web traffic. Interleaved, best of three each.
     */
    private static void trwOnTheEdge(Path edge, ScanwatchConfig demo, long events, int parallelism) throws Exception {
        for (String destinations : List.of("internal", "any")) {
            ScanwatchConfig walking = Detectors.configLoader()
                    .load(null, Map.of("trw-scan.enabled", "true", "trw-scan.destinations", destinations));
            String with = "with trw_scan (destinations: " + destinations + ")";
            PairedRuns replays = pairedRuns(
                    "the edge mix, replay",
                    "without trw_scan",
                    with,
                    events,
                    () -> replay(edge, demo, parallelism),
                    () -> replay(edge, walking, parallelism));
            PairedRuns streams = pairedRuns(
                    "the edge mix, streaming",
                    "without trw_scan",
                    with,
                    events,
                    () -> stream(edge, demo, parallelism),
                    () -> stream(edge, walking, parallelism));
            System.out.printf(
                    "  trw_scan (destinations: %s) on the edge mix: %.2f of the throughput without it in a replay,"
                            + " %.2f in a stream (best of three each); network scanners replayed, %s; streamed, %s;"
                            + " load %s%n",
                    destinations, replays.kept(), streams.kept(), replays.agreement(), streams.agreement(), load());
        }
    }

    /**
     * The best of three runs without and with a part of the job, in events/s, and what they flagged: a part may add
     * scanners (the tiers flag slow ones), but must not lose one that the job without it flags.
     */
    private record PairedRuns(double without, double with, String agreement) {
        double kept() {
            return with / without;
        }
    }

    /** A run of the whole job: its alerts of the network-scan family ({@link #scanAlerts}). */
    private interface Scanners {
        Set<String> find() throws Exception;
    }

    /**
     * Without and with the part interleaved, best of three each: its cost can be less than the neighbours' noise. The
     * last of each says where its CPU went.
     */
    private static PairedRuns pairedRuns(
            String what, String withoutIt, String withIt, long events, Scanners without, Scanners with)
            throws Exception {
        double bestWithout = 0;
        double bestWith = 0;
        List<Set<String>> withoutFound = new ArrayList<>();
        List<Set<String>> withFound = new ArrayList<>();
        for (int repeat = 0; repeat < 3; repeat++) {
            boolean last = repeat == 2;
            bestWithout = Math.max(
                    bestWithout,
                    report(what + ", " + withoutIt, events, () -> withoutFound.add(sources(without.find())), last));
            bestWith = Math.max(
                    bestWith, report(what + ", " + withIt, events, () -> withFound.add(sources(with.find())), last));
        }
        return new PairedRuns(bestWithout, bestWith, compare(withoutIt, withoutFound, withIt, withFound));
    }

    /** Whether each side flagged the same sources in every run, and the side with the part all of the other's. */
    private static String compare(
            String withoutIt, List<Set<String>> withoutFound, String withIt, List<Set<String>> withFound) {
        List<String> differences = new ArrayList<>();
        for (int run = 1; run < withoutFound.size(); run++) {
            if (!withoutFound.get(run).equals(withoutFound.get(0))) {
                differences.add(withoutIt + ", run " + (run + 1) + ": "
                        + agreement(withoutFound.get(0), withoutFound.get(run)));
            }
            if (!withFound.get(run).equals(withFound.get(0))) {
                differences.add(withIt + ", run " + (run + 1) + ": " + agreement(withFound.get(0), withFound.get(run)));
            }
        }
        Set<String> lost = new TreeSet<>(withoutFound.get(0));
        lost.removeAll(withFound.get(0));
        if (!lost.isEmpty()) {
            differences.add(withIt + " loses " + lost);
        }
        if (!differences.isEmpty()) {
            return "DIFFER: " + String.join("; ", differences);
        }
        if (withFound.get(0).isEmpty()) {
            return "none in any run (nothing to compare)";
        }
        // Nothing flagged without the part leaves nothing it could lose.
        String lostNone = withoutFound.get(0).isEmpty() ? "none to lose" : "none lost";
        return withoutFound.get(0).size() + " sources " + withoutIt + " and "
                + withFound.get(0).size() + " " + withIt + ", the same in each side's three runs, " + lostNone;
    }

    /** With and without the long-horizon tiers ({@code slow_scan}, {@code distributed_scan}). */
    private static PairedRuns tierRuns(String what, long events, Scanners without, Scanners with) throws Exception {
        return pairedRuns(what, "without the long-horizon tiers", "every default rule", events, without, with);
    }

    /**
     * "same" when a peer flags exactly the job's scanners, else what it misses and what it adds. Two runs that find
     * none agree on nothing: that says so.
     */
    static String agreement(Set<String> job, Set<String> peer) {
        Set<String> missed = new TreeSet<>(job);
        missed.removeAll(peer);
        Set<String> added = new TreeSet<>(peer);
        added.removeAll(job);
        if (job.isEmpty() && peer.isEmpty()) {
            return "none either (nothing to compare)";
        }
        return missed.isEmpty() && added.isEmpty()
                ? "same"
                : peer.size() + " (misses " + missed + ", adds " + added + ")";
    }

    private static String found(Set<String> scanners) {
        return scanners.isEmpty()
                ? "none (too few records in a window for any to cross a threshold)"
                : scanners.size() + "";
    }

    /** The baseline: routing, then one Flink window doing the network-scan tally, in streaming mode. */
    private static void flinkWindow(Path file, ScanwatchConfig config, int parallelism, boolean sliding)
            throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(ScanwatchPipeline.requiredConfiguration());
        env.setParallelism(parallelism);
        List<TelemetryInput> telemetry = zeekConn(env, file, config);
        int cap = config.detection().distinctCap();
        NetworkClassifier classifier =
                new NetworkClassifier(CidrSet.of(config.network().internalCidrs()), CidrSet.of(List.of()));
        List<NetworkScanRule> rule = List.of(
                NetworkScanRule.tumbling(config.rules().of(NetworkScanRule.KIND), new RuleContext(classifier, cap)));
        KeyedStream<ConnectionEvent, String> probes = telemetry
                .get(0)
                .records()
                .process(new RouteTelemetry(classifier, rule, rule))
                .setParallelism(1)
                .keyBy(e -> e.sourceIp);
        (sliding
                        ? probes.window(SlidingEventTimeWindows.of(Duration.ofMinutes(5), Duration.ofMinutes(1)))
                        : probes.window(TumblingEventTimeWindows.of(Duration.ofMinutes(1))))
                .aggregate(new TallyAggregate(cap))
                .sinkTo(new DiscardingSink<>());
        env.execute("scanwatch bench Flink window");
    }

    /** The network-scan tally on a Flink window: the same per-window work as a pane, copied into each window. */
    private static final class TallyAggregate implements AggregateFunction<ConnectionEvent, ProbeTally, Integer> {
        private final Tallies<ProbeTally> tallies;

        TallyAggregate(int cap) {
            this.tallies = Tallies.ofProbes(cap);
        }

        @Override
        public ProbeTally createAccumulator() {
            return tallies.create();
        }

        @Override
        public ProbeTally add(ConnectionEvent event, ProbeTally tally) {
            tallies.add(tally, event);
            return tally;
        }

        @Override
        public Integer getResult(ProbeTally tally) {
            return tally.hosts.distinct();
        }

        @Override
        public ProbeTally merge(ProbeTally a, ProbeTally b) {
            tallies.merge(a, b);
            return a;
        }
    }

    static String load() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}

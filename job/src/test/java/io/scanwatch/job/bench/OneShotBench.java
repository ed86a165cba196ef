package io.scanwatch.job.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.EmbeddedCluster;
import io.scanwatch.job.detect.NetworkScanRule;
import io.scanwatch.job.runtime.Relaunch;
import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.ChildJvm;
import io.scanwatch.job.testing.Directories;
import io.scanwatch.job.testing.StandaloneJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.RuntimeExecutionMode;

/**
 * A replay as a user runs it once: {@code java -jar} of the standalone jar that {@code install} builds, timed from the
 * process's start to its end, against parsing the same file alone in a fresh JVM. {@link ThroughputBench} measures warm rounds in one process; a one-shot
 * replay also pays the JVM's start, the embedded cluster's and the JIT, which on two cores is half of its CPU.
 * Parallelism 1 and the default (the cores) in turn, since the JIT competes with the job for the cores; the default
 * also kept in the JVM that {@code java} started, with Java's JIT settings (a plain {@code java -jar} relaunches itself
 * with the replay's: {@code Relaunch}); and the launcher, {@code deploy/local/scanwatch.sh}, whose class-data archive
 * spares the JVM loading the job's classes anew and whose JIT thresholds leave C2 the code that runs hot rather than
 * the code that starts the job, inlining less.
 * Then #11's peers as it measured them, each a process of its own: the network-scan rule in Esper on one thread and
 * as Flink SQL HOP (at the jar's default parallelism and at 1, as #11 ran it); the job's floor ({@link JobFloor}), what
 * the jar pays before its detectors; and Flink reading the file alone ({@link ReadingFloor}), what any job on this
 * stack pays to have the records in hand.
 *
 * <pre>./mvnw -q -B install -DskipTests
 * ./mvnw -q -B -pl job test-compile exec:exec -Dbench.main=io.scanwatch.job.bench.OneShotBench
 *     -Dbench.args="[records] [repetitions]"</pre>
 */
final class OneShotBench {
    private static final long TIMEOUT_SECONDS = 1_800;
    /** The jar's default parallelism on this machine: the SQL peer's too, and Flink reading alone's. */
    private static final int DEFAULT_PARALLELISM =
            EmbeddedCluster.defaultParallelism(Runtime.getRuntime().availableProcessors());
    /** What a peer's process writes before each source it flags. */
    private static final String FLAGGED = "flagged ";
    /** The checkout: Maven runs the bench in {@code job/}. */
    private static final Path ROOT = Path.of(System.getProperty("scanwatch.root", ".."));

    private OneShotBench() {}

    private record Options(long events, int repetitions) {}

    public static void main(String[] args) throws Exception {
        Options options = BenchArguments.read(
                "OneShotBench [records, 100,000 to 50,000,000; 2000000] [repetitions, 1 to 20; 3]",
                2,
                args,
                arguments -> new Options(arguments.number(0, "records", 2_000_000, 100_000, 50_000_000), (int)
                        arguments.number(1, "repetitions", 3, 1, 20)));
        long events = options.events();
        int repetitions = options.repetitions();
        Path work = Files.createTempDirectory("scanwatch-oneshot");
        try {
            measure(work, events, repetitions);
        } finally {
            Directories.deleteRecursively(work);
        }
    }

    private static void measure(Path work, long events, int repetitions) throws Exception {
        Path jar = StandaloneJar.built(ROOT);
        Path edge = work.resolve("edge.conn.log");
        EdgeMixLog.write(edge, events, EdgeMixLog.SEED);
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(
                "scanwatch one-shot replays (#11): %,d Zeek JSON records (%,d MB), %d cores, load %s%n",
                events, Files.size(edge) >> 20, cores, ThroughputBench.load());
        ThroughputBench.warnIfFew(events);
        // The launcher writes its class-data archive on its first run: not a run a user repeats, so not timed.
        ChildJvm.Result archived = launch(work, List.of("--version"));
        if (archived.status() != 0) {
            throw new IllegalStateException(
                    "the launcher ended with status " + archived.status() + ":\n" + archived.err());
        }
        for (int repetition = 1; repetition <= repetitions; repetition++) {
            System.out.printf("repetition %d of %d%n", repetition, repetitions);
            double parse = seconds(
                    "parse only, one thread",
                    events,
                    () -> ChildJvm.run(work, List.of(), ParseOnly.class, List.of(edge.toString()), TIMEOUT_SECONDS));
            Path byDefault = work.resolve("alerts-default.jsonl");
            Path byOne = work.resolve("alerts-1.jsonl");
            Path byLauncher = work.resolve("alerts-launcher.jsonl");
            double defaults = replay(work, jar, edge, events, null, byDefault);
            Path byJavasJit = work.resolve("alerts-javas-jit.jsonl");
            double javasJit = javaJar(
                    work,
                    jar,
                    events,
                    "java -jar, run in the JVM java started, Java's JIT settings (-D" + Relaunch.PROPERTY + "=false)",
                    List.of("-D" + Relaunch.PROPERTY + "=false"),
                    replayArguments(edge, byJavasJit));
            double one = replay(work, jar, edge, events, 1, byOne);
            double launched = seconds(
                    "scanwatch.sh (class-data archive, later C2, less inlining)",
                    events,
                    () -> launch(work, replayArguments(edge, byLauncher)));
            Path byFloor = work.resolve("alerts-floor.jsonl");
            double floor = javaJar(
                    work,
                    jar,
                    events,
                    "java -jar, every rule off but the service scans (the floor)",
                    List.of(),
                    floorArguments(edge, byFloor));
            JobFloor.requireNoScanner(networkScanners(byFloor));
            Path byFloorLaunched = work.resolve("alerts-floor-launcher.jsonl");
            double floorLaunched = seconds(
                    "scanwatch.sh, the floor", events, () -> launch(work, floorArguments(edge, byFloorLaunched)));
            JobFloor.requireNoScanner(networkScanners(byFloorLaunched));
            Set<String> esper = new TreeSet<>();
            double epl = seconds(
                    "the rule in Esper, one thread",
                    events,
                    () -> peer(work, EsperOnce.class, List.of(edge.toString()), esper));
            Set<String> sql = new TreeSet<>();
            double hop = seconds(
                    "the rule as Flink SQL HOP, parallelism " + DEFAULT_PARALLELISM,
                    events,
                    () -> peer(work, SqlHopOnce.class, List.of(edge.toString(), "" + DEFAULT_PARALLELISM), sql));
            Set<String> sqlOne = new TreeSet<>();
            double hopOne = seconds(
                    "the rule as Flink SQL HOP, parallelism 1",
                    events,
                    () -> peer(work, SqlHopOnce.class, List.of(edge.toString(), "1"), sqlOne));
            double reading = seconds(
                    "Flink's source and the job's parser alone, parallelism " + DEFAULT_PARALLELISM,
                    events,
                    () -> ChildJvm.run(
                            work,
                            List.of(),
                            ReadingOnce.class,
                            List.of(edge.toString(), "" + events),
                            TIMEOUT_SECONDS));
            System.out.printf(
                    "  the replay against parsing alone, whole processes: %.2f (default parallelism; %.2f in the JVM"
                            + " java started), %.2f (parallelism 1), %.2f (the launcher), the floor %.2f (%.2f through"
                            + " the launcher), Flink reading alone %.2f; %,d alerts, %s; load %s%n",
                    parse / defaults,
                    parse / javasJit,
                    parse / one,
                    parse / launched,
                    parse / floor,
                    parse / floorLaunched,
                    parse / reading,
                    AlertsFile.read(byDefault).size(),
                    Files.mismatch(byDefault, byOne) == -1
                                    && Files.mismatch(byDefault, byLauncher) == -1
                                    && Files.mismatch(byDefault, byJavasJit) == -1
                            ? "the same in all four, byte for byte"
                            : "NOT the same in all four",
                    ThroughputBench.load());
            Set<String> scanners = networkScanners(byDefault);
            System.out.printf(
                    "  against the peers: java -jar %.1fx SQL HOP (%.1fx at parallelism 1) and %.1fx Esper, the"
                            + " launcher %.1fx (%.1fx) and %.1fx, the floor by java -jar %.1fx (%.1fx) and %.1fx and"
                            + " through the launcher %.1fx (%.1fx) and %.1fx, Flink reading alone %.1fx (%.1fx) and"
                            + " %.1fx; network scanners: the job %d, SQL HOP %s (parallelism 1: %s), Esper %s%n",
                    hop / defaults,
                    hopOne / defaults,
                    epl / defaults,
                    hop / launched,
                    hopOne / launched,
                    epl / launched,
                    hop / floor,
                    hopOne / floor,
                    epl / floor,
                    hop / floorLaunched,
                    hopOne / floorLaunched,
                    epl / floorLaunched,
                    hop / reading,
                    hopOne / reading,
                    epl / reading,
                    scanners.size(),
                    ThroughputBench.agreement(scanners, sql),
                    ThroughputBench.agreement(scanners, sqlOne),
                    ThroughputBench.agreement(scanners, esper));
        }
    }

    /**
     * A peer's process: its main prints each source it flags after {@link #FLAGGED}, since the libraries' own messages
     * may share its standard output.
     */
    private static ChildJvm.Result peer(Path work, Class<?> main, List<String> args, Set<String> flagged)
            throws Exception {
        ChildJvm.Result result = ChildJvm.run(work, List.of(), main, args, TIMEOUT_SECONDS);
        result.out()
                .lines()
                .filter(line -> line.startsWith(FLAGGED))
                .forEach(line -> flagged.add(line.substring(FLAGGED.length())));
        return result;
    }

    /** The sources of the job's {@code network_scan} alerts: what the one-rule peers flag. */
    private static Set<String> networkScanners(Path alerts) {
        Set<String> sources = new TreeSet<>();
        for (JsonNode alert : AlertsFile.read(alerts)) {
            if (NetworkScanRule.NAME.equals(alert.path("rule").path("name").asText())) {
                sources.add(alert.path("source").path("ip").asText());
            }
        }
        return sources;
    }

    private static List<String> replayArguments(Path edge, Path alerts) {
        return List.of("--quiet", "--input", "zeek-conn=" + edge, "--alerts", alerts.toString());
    }

    private static List<String> floorArguments(Path edge, Path alerts) {
        List<String> arguments = new ArrayList<>(replayArguments(edge, alerts));
        arguments.addAll(JobFloor.commandLine());
        return arguments;
    }

    /** The launcher users run, on the build's standalone jar (the bench runs after {@code install}). */
    private static ChildJvm.Result launch(Path work, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(
                List.of("bash", ROOT.resolve("deploy/local/scanwatch.sh").toString()));
        command.addAll(args);
        return ChildJvm.runCommand(work, command, work.resolve("child.out").toFile(), TIMEOUT_SECONDS);
    }

    /**
     * {@code java -jar} of the standalone jar on the file, at {@code parallelism} or its default when null; fails
     * unless it ends well.
     */
    private static double replay(Path work, Path jar, Path edge, long events, Integer parallelism, Path alerts)
            throws Exception {
        List<String> arguments = new ArrayList<>(replayArguments(edge, alerts));
        if (parallelism != null) {
            arguments.add("--parallelism=" + parallelism);
        }
        String what = "java -jar, " + (parallelism == null ? "default parallelism" : "parallelism " + parallelism);
        return javaJar(work, jar, events, what, List.of(), arguments);
    }

    /**
     * {@code java -jar} of the standalone jar with {@code jvmOptions} and {@code arguments}, timed; fails unless it
     * ends well.
     */
    private static double javaJar(
            Path work, Path jar, long events, String what, List<String> jvmOptions, List<String> arguments)
            throws Exception {
        List<String> command = StandaloneJar.javaJar(jar, jvmOptions, arguments);
        return seconds(
                what,
                events,
                () -> ChildJvm.runCommand(
                        work, command, work.resolve("child.out").toFile(), TIMEOUT_SECONDS));
    }

    /** A process that runs to its end. */
    private interface Run {
        ChildJvm.Result run() throws Exception;
    }

    private static double seconds(String what, long events, Run run) throws Exception {
        long start = System.nanoTime();
        ChildJvm.Result result = run.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (result.status() != 0) {
            throw new IllegalStateException(what + " ended with status " + result.status() + ":\n" + result.err());
        }
        System.out.printf("  %-66s %,10.0f events/s (%.1f s, whole process)%n", what, events / seconds, seconds);
        return seconds;
    }

    /** The network-scan rule in Esper on one thread, as a process of its own. */
    static final class EsperOnce {
        private EsperOnce() {}

        public static void main(String[] args) throws Exception {
            EsperRule.scanners(Path.of(args[0])).forEach(source -> System.out.println(FLAGGED + source));
        }
    }

    /** The network-scan rule as Flink SQL HOP, read by Flink itself, as a process of its own: the file, parallelism. */
    static final class SqlHopOnce {
        private SqlHopOnce() {}

        public static void main(String[] args) throws Exception {
            SqlHopRule.endToEnd(Path.of(args[0]), Integer.parseInt(args[1]), RuntimeExecutionMode.BATCH)
                    .forEach(source -> System.out.println(FLAGGED + source));
        }
    }

    /**
     * Flink reading the file alone as a process of its own, at the jar's default parallelism: the file, records. In a
     * plain JVM, as the peers run, without the launcher's class-data archive and JIT settings: the floor through the
     * launcher, which has them, may run faster although it also routes.
     */
    static final class ReadingOnce {
        private ReadingOnce() {}

        public static void main(String[] args) throws Exception {
            ReadingFloor.replay(
                    Path.of(args[0]),
                    Detectors.configLoader().load(null, Map.of()),
                    DEFAULT_PARALLELISM,
                    Long.parseLong(args[1]));
        }
    }

    /** Parsing alone as a process of its own: the one-shot counterpart of the warm bench's parse-only rate. */
    static final class ParseOnly {
        private ParseOnly() {}

        public static void main(String[] args) throws Exception {
            ThroughputBench.parseOnly(Path.of(args[0]));
        }
    }
}

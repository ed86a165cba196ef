package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.executiongraph.failover.ExponentialDelayRestartBackoffTimeStrategy;
import org.apache.flink.runtime.executiongraph.failover.RestartBackoffTimeStrategyFactoryLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes on the command line or in configuration stop the job before it starts, with what to fix. */
class ScanwatchJobTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return new ScanwatchJob(new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noInputShowsUsage() throws Exception {
        assertThat(run()).isEqualTo(2);
        assertThat(err())
                .contains("no telemetry: give --input FORMAT=PATH, or Kafka topics")
                .contains("scanwatch --help lists the options");
    }

    @Test
    void unknownFormatListsTheKnownOnes() throws Exception {
        assertThat(run("--input", "pcap=x.pcap")).isEqualTo(2);
        assertThat(err()).contains("unknown telemetry format 'pcap'").contains("zeek-conn");
    }

    @Test
    void missingFileIsNamed() throws Exception {
        assertThat(run("--input", "zeek-conn=/nonexistent/conn.log")).isEqualTo(2);
        assertThat(err()).contains("/nonexistent/conn.log").contains("no such file");
    }

    @Test
    void aFileGivenTwiceIsRefusedRatherThanCountedTwice(@TempDir Path dir) throws Exception {
        Path log = java.nio.file.Files.writeString(dir.resolve("conn.log"), "");
        assertThat(run("--input", "zeek-conn=" + log, "--input", "zeek-conn=" + dir + "/*.log"))
                .isEqualTo(2);
        assertThat(err()).contains("is already read by --input zeek-conn=" + log);
    }

    /** Zeek's {@code logs/current} is a link: a file reached through a link, or a second name, is the same file. */
    @Test
    void aFileReachedThroughALinkIsTheFileItself(@TempDir Path dir) throws Exception {
        Path log = java.nio.file.Files.writeString(dir.resolve("conn.log"), "");
        Path symbolic = java.nio.file.Files.createSymbolicLink(dir.resolve("current.log"), log);
        Path hard = java.nio.file.Files.createLink(dir.resolve("again.log"), log);
        for (Path link : java.util.List.of(symbolic, hard)) {
            assertThat(run("--input", "zeek-conn=" + log, "--input", "zeek-conn=" + link))
                    .isEqualTo(2);
            assertThat(err())
                    .contains(link + " (the same file as " + log + ") is already read by --input zeek-conn=" + log);
        }
        // Both names are told: the second alone would not say which file it repeats.
        assertThat(run("--input", "zeek-conn=" + dir + "/a*.log", "--input", "zeek-conn=" + dir + "/c*.log"))
                .isEqualTo(2);
        assertThat(err()).contains(log + " (the same file as " + hard + ")");
    }

    @Test
    void aDashIsNotTakenForStandardOutput() throws Exception {
        assertThat(run("--input", "zeek-conn=" + Testdata.file("telemetry/zeek/edge-conn.json.log"), "--alerts", "-"))
                .isEqualTo(2);
        assertThat(err()).contains("--alerts -: would write a file named '-', not standard output");
    }

    @Test
    void aLinkThatLeadsNowhereIsSaidToBeOne(@TempDir Path dir) throws Exception {
        Path gone = java.nio.file.Files.createSymbolicLink(dir.resolve("gone.log"), dir.resolve("rotated.log"));
        assertThat(run("--input", "zeek-conn=" + dir + "/*.log")).isEqualTo(2);
        assertThat(err()).contains(gone + " is a symbolic link that leads to no file");
    }

    @Test
    void inputsThatCannotBeReadAreNamedBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        assertThat(run("--input", "zeek-conn=" + dir)).isEqualTo(2);
        assertThat(err())
                .contains(dir + " is a directory")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat(run("--input", "auto=/nonexistent/dir/*.log")).isEqualTo(2);
        assertThat(err()).contains("no such directory /nonexistent/dir").doesNotContain("\tat ");
        assertThat(run("--input", "auto=" + dir + "/*.log")).isEqualTo(2);
        assertThat(err()).contains("no file matches");
    }

    @Test
    void anUnreadableInputIsNamed(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("conn.log"), "{}\n");
        Files.setPosixFilePermissions(file, Set.of());
        assumeFalse(Files.isReadable(file), "root reads any file: permissions cannot make one unreadable");
        assertThat(run("--input", "zeek-conn=" + file)).isEqualTo(2);
        assertThat(err()).contains(file + " cannot be read");
    }

    @Test
    void outputsThatCannotBeWrittenAreNamedBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        String input = "zeek-conn=" + Testdata.file("telemetry/zeek/edge-conn.json.log");
        assertThat(run("--input", input, "--alerts", dir.toString())).isEqualTo(2);
        assertThat(err()).contains("--alerts " + dir + ": is a directory");
        assertThat(run(
                        "--input",
                        input,
                        "--dead-letters",
                        dir.resolve("missing/dead.jsonl").toString()))
                .isEqualTo(2);
        assertThat(err()).contains("--dead-letters " + dir.resolve("missing/dead.jsonl") + ": its directory");

        Path alerts = Files.writeString(dir.resolve("alerts.jsonl"), "kept\n");
        assertThat(run(
                        "--input",
                        input,
                        "--alerts",
                        alerts.toString(),
                        "--set",
                        "control.file=" + Files.writeString(dir.resolve("control.jsonl"), ""),
                        "--set",
                        "control.status-file=" + dir.resolve("missing/status.jsonl")))
                .isEqualTo(2);
        assertThat(err()).contains("control.status-file").contains("does not exist");
        assertThat(Files.readString(alerts))
                .as("one output's mistake costs the others nothing")
                .isEqualTo("kept\n");
    }

    @Test
    void aStatusFileThatIsTheControlFileIsRefusedAndTheChangesKept(@TempDir Path dir) throws Exception {
        Path control = Files.writeString(dir.resolve("control.jsonl"), "{\"version\": \"v\", \"set\": {}}\n");
        assertThat(run(
                        "--input",
                        "zeek-conn=" + Testdata.file("telemetry/zeek/edge-conn.json.log"),
                        "--set",
                        "control.file=" + control,
                        "--set",
                        "control.status-file=" + control))
                .isEqualTo(2);
        assertThat(err()).contains("is also an input");
        assertThat(Files.readString(control)).startsWith("{\"version\"");

        Path inventory = Files.writeString(dir.resolve("inventory.csv"), "cidr,hostname,owner,criticality,tags\n");
        assertThat(run(
                        "--input",
                        "zeek-conn=" + Testdata.file("telemetry/zeek/edge-conn.json.log"),
                        "--set",
                        "inventory.file=" + inventory,
                        "--dead-letters",
                        inventory.toString()))
                .isEqualTo(2);
        assertThat(err()).contains("is also an input");
        assertThat(Files.readString(inventory)).as("the inventory is kept").startsWith("cidr,");
    }

    @Test
    void anOutputThatIsAnInputIsRefusedAndTheInputKept(@TempDir Path dir) throws Exception {
        Path input = Files.copy(Testdata.file("telemetry/zeek/edge-conn.json.log"), dir.resolve("conn.log"));
        long size = Files.size(input);
        assertThat(run("--input", "zeek-conn=" + input, "--alerts", input.toString()))
                .isEqualTo(2);
        assertThat(err()).contains("is also an input");
        assertThat(run(
                        "--input",
                        "zeek-conn=" + dir + "/*.log",
                        "--dead-letters",
                        dir + "/../" + dir.getFileName() + "/conn.log"))
                .isEqualTo(2);
        assertThat(Files.size(input)).isEqualTo(size);
        Path same = dir.resolve("out.jsonl");
        assertThat(run("--input", "zeek-conn=" + input, "--alerts", same.toString(), "--dead-letters", same.toString()))
                .isEqualTo(2);
        assertThat(err()).contains("name the same file");
    }

    /**
     * A stream left to Flink's default restarts without a limit, backing off: with fixed-delay restarts a stream failed
     * for good at its eleventh failure, however far apart they were.
     */
    @Test
    void aStreamRestartsAsTheClusterSaysUnlessAFixedDelayIsAsked() {
        Map<String, String> stream =
                Map.of("kafka.bootstrap-servers", "localhost:9092", "kafka.inputs", "[{topic: t, format: zeek-conn}]");
        Configuration byCluster =
                ScanwatchJob.flinkConfiguration(Detectors.configLoader().load(null, stream));
        assertThat(byCluster.getOptional(RestartStrategyOptions.RESTART_STRATEGY))
                .isEmpty();
        assertThat(RestartBackoffTimeStrategyFactoryLoader.createRestartBackoffTimeStrategyFactory(
                        byCluster, new Configuration(), true))
                .as("the embedded cluster's, with checkpoints")
                .isInstanceOf(
                        ExponentialDelayRestartBackoffTimeStrategy.ExponentialDelayRestartBackoffTimeStrategyFactory
                                .class);

        Map<String, String> fixed = new LinkedHashMap<>(stream);
        fixed.put("restart.strategy", "fixed-delay");
        fixed.put("restart.attempts", "3");
        Configuration fixedDelay =
                ScanwatchJob.flinkConfiguration(Detectors.configLoader().load(null, fixed));
        assertThat(fixedDelay.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("fixed-delay");
        assertThat(fixedDelay.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS))
                .isEqualTo(3);
    }

    /** A replay's task out of memory fails its job, told by the client; a stream's would restart in the same heap. */
    @Test
    void onlyAStreamEndsTheProcessOnATaskOutOfMemory() {
        Configuration replay =
                ScanwatchJob.flinkConfiguration(Detectors.configLoader().load(null, Map.of()));
        assertThat(replay.get(TaskManagerOptions.KILL_ON_OUT_OF_MEMORY)).isFalse();
        Configuration stream = ScanwatchJob.flinkConfiguration(Detectors.configLoader()
                .load(
                        null,
                        Map.of(
                                "kafka.bootstrap-servers",
                                "localhost:9092",
                                "kafka.inputs",
                                "[{topic: t, format: zeek-conn}]")));
        assertThat(stream.get(TaskManagerOptions.KILL_ON_OUT_OF_MEMORY)).isTrue();
    }

    /**
     * A stream's start creates its outputs but leaves what they hold: a run resumed from its group's checkpoint goes
     * on from the file's place at that checkpoint (JsonLinesSink), which a check that emptied the file had lost. A
     * replay, which restores nothing, empties them at once.
     */
    @Test
    void onlyAReplaysStartEmptiesItsOutputs(@TempDir Path dir) throws Exception {
        Path alerts = Files.writeString(dir.resolve("alerts.jsonl"), "an alert of the run before\n");
        Path fresh = dir.resolve("dead.jsonl");
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("--alerts", alerts);
        outputs.put("--dead-letters", fresh);
        OutputFile.checkWritable(outputs, false);
        assertThat(Files.readString(alerts)).isEqualTo("an alert of the run before\n");
        assertThat(fresh).exists().isEmptyFile();
        OutputFile.checkWritable(outputs, true);
        assertThat(alerts).isEmptyFile();
    }

    @Test
    void anyOutputsMayBeDiscardedTogether() {
        Path discard = Path.of("/dev/null");
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("--alerts", discard);
        outputs.put("--dead-letters", Path.of("/dev/../dev/null"));
        OutputFile.checkDistinct(outputs, List.of());
        outputs.put("--dead-letters", Path.of("out.jsonl"));
        outputs.put("--control-status", Path.of("out.jsonl"));
        assertThatThrownBy(() -> OutputFile.checkDistinct(outputs, List.of()))
                .hasMessageContaining("name the same file");
    }

    @Test
    void nonsenseKeysAndDurationsAreRefused() throws Exception {
        String input = "zeek-conn=" + Testdata.file("telemetry/zeek/edge-conn.json.log");
        assertThat(run("--input", input, "--set", ".=1")).isEqualTo(2);
        assertThat(err()).contains("--set .: not a configuration key");
        assertThat(run("--input", input, "--set", "state.backend.type=rocksdb")).isEqualTo(2);
        assertThat(err()).contains("'state.backend' is a value, not a section: --set state.backend=VALUE");
        assertThat(run("--input", input, "--set", "no-such-rule.window=1m")).isEqualTo(2);
        assertThat(err())
                .containsPattern("unknown configuration key 'no-such-rule' \\(known here: \\[[^]]*network-scan");
        assertThat(run("--input", input, "--set", "network-scan.tumbling.window=99999999999d"))
                .isEqualTo(2);
        assertThat(err()).contains("network-scan.tumbling.window").contains("at most a year");
        assertThat(run("--input", "zeek-conn=/dev/null")).isEqualTo(2);
        assertThat(err()).contains("/dev/null is not a regular file");
        assertThat(run("--input", "zeek-conn=" + Testdata.file("telemetry") + "/["))
                .isEqualTo(2);
        assertThat(err()).contains("not a valid glob").doesNotContain("\n\n");
    }

    @Test
    void badConfigurationNamesTheKey() throws Exception {
        assertThat(run(
                        "--input",
                        "zeek-conn=" + Testdata.file("zeek/edge-conn.json.log"),
                        "--set",
                        "network-scan.tumbling.window=0s"))
                .isEqualTo(2);
        assertThat(err()).contains("network-scan.tumbling.window must be positive");
        assertThat(run("--input", "zeek-conn=x", "--internal-cidrs", "10.0.0.0/99"))
                .isEqualTo(2);
        assertThat(err()).contains("network.internal-cidrs: '10.0.0.0/99'");
    }

    @Test
    void helpListsEveryOptionAndTheExitStatuses() throws Exception {
        java.io.ByteArrayOutputStream help = new java.io.ByteArrayOutputStream();
        picocli.CommandLine cli = new picocli.CommandLine(new JobArguments());
        cli.usage(new PrintStream(help, true, StandardCharsets.UTF_8));
        assertThat(help.toString(StandardCharsets.UTF_8))
                .contains("--input=FORMAT[@ZONE]=PATH", "zeek-conn, zeek-ssh", "--streaming", "--set=KEY=VALUE")
                .contains("replay-to-kafka")
                .contains("Exit status:")
                .containsPattern("\\n  3 +out of memory")
                .containsPattern("\\n  130/143 +stopped by Ctrl-C or SIGTERM");
        // Wrapped by picocli at spaces and after dots: compared without white space.
        assertThat(help.toString(StandardCharsets.UTF_8).replaceAll("\\s+", ""))
                .as("the formats that take a zone, as the parsers read them")
                .contains("parsing.timezone("
                        + java.util.Arrays.stream(io.scanwatch.parse.catalog.TelemetryFormat.values())
                                .filter(io.scanwatch.parse.catalog.TelemetryFormat::readsLocalTimes)
                                .map(io.scanwatch.parse.catalog.TelemetryFormat::id)
                                .sorted()
                                .collect(java.util.stream.Collectors.joining(","))
                        + ")");
        assertThat(run("--help")).isZero();
    }

    @Test
    void aPathThatCannotBeOneIsNamed() throws Exception {
        assertThat(run("--input", "zeek-conn=conn\u0000.log")).isEqualTo(2);
        assertThat(err()).contains("scanwatch: the path conn\u0000.log is not a path here: Nul character not allowed");
        assertThat(run("--input", "zeek-conn=conn.log", "--alerts", "alerts\u0000.jsonl"))
                .isEqualTo(2);
        assertThat(err())
                .contains("Invalid value for option '--alerts': the path alerts\u0000.jsonl is not a path here: Nul"
                        + " character not allowed");
    }

    @Test
    void theReplayToKafkaCommandNamesWhatItMisses() throws Exception {
        assertThat(run("replay-to-kafka", "--topic", "t")).isEqualTo(2);
        assertThat(err()).contains("Missing required options: '--bootstrap=HOST:PORT', '--input=FORMAT[@ZONE]=PATH'");
    }

    @Test
    void optionsNeedValues() throws Exception {
        assertThat(run("--input", "zeek-conn=x", "--alerts")).isEqualTo(2);
        assertThat(err()).contains("Missing required parameter for option '--alerts' (FILE.jsonl)");
        assertThat(run("--input", "zeek-conn=x", "--parallelism", "two")).isEqualTo(2);
        assertThat(err()).contains("--parallelism takes a whole number");
        // Past Flink's bound the job would fail only once running, with exit status 1.
        assertThat(run("--input", "zeek-conn=x", "--parallelism", "40000")).isEqualTo(2);
        assertThat(err()).contains("--parallelism takes a whole number from 1 to 32768, got '40000'");
        assertThat(run("--input", "zeek-conn=x", "--set", "network-scan.enabled"))
                .isEqualTo(2);
        assertThat(err())
                .contains("--set takes KEY=VALUE, e.g. --set network-scan.attempts-above=200;"
                        + " got 'network-scan.enabled'")
                .doesNotContain("option option");
    }
}

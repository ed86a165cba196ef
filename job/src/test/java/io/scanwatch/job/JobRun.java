package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanwatch.job.testing.AlertsFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the job as its command line does, in this JVM (on the test's MiniCluster), keeping what it wrote to stderr. */
final class JobRun {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** The bundled demo configuration, parallelism 2, alerts to {@code alerts}, after the given arguments. */
    static List<String> demo(Path alerts, List<String> arguments) {
        List<String> args = new ArrayList<>(arguments);
        args.addAll(List.of(
                "--config",
                Testdata.file("scanwatch-demo.yaml").toString(),
                "--alerts",
                alerts.toString(),
                "--parallelism",
                "2"));
        return args;
    }

    /**
     * The alerts, as golden-file summaries, that the demo configuration raises when the job replays one Zeek
     * capture on an embedded MiniCluster: what a run elsewhere (Kafka, a cluster, a restored savepoint) must equal.
     */
    static List<String> demoReplay(Path capture, Path dir) throws Exception {
        Path alerts = dir.resolve("replay-" + capture.getFileName() + ".jsonl");
        new JobRun().succeeds(demo(alerts, List.of("--input", "zeek-conn=" + capture, "--quiet")));
        List<String> summaries = AlertsFile.summaries(AlertsFile.read(alerts));
        assertThat(summaries).as("the capture raises alerts").isNotEmpty();
        return summaries;
    }

    /**
     * The alerts the demo configuration raises on these Zeek conn.log and ssh.log lines, written into {@code dir},
     * replayed or, with {@code streamed}, streamed.
     */
    static List<JsonNode> zeekAlerts(Path dir, boolean streamed, List<String> connections, List<String> logons)
            throws Exception {
        Path conn = Files.write(dir.resolve("conn.log"), connections, StandardCharsets.UTF_8);
        Path ssh = Files.write(dir.resolve("ssh.log"), logons, StandardCharsets.UTF_8);
        Path alerts = dir.resolve("alerts.jsonl");
        List<String> args =
                demo(alerts, List.of("--input", "zeek-conn=" + conn, "--input", "zeek-ssh=" + ssh, "--quiet"));
        if (streamed) {
            args.add("--streaming");
        }
        new JobRun().succeeds(args);
        return AlertsFile.read(alerts);
    }

    /** @return the exit status */
    int run(List<String> args) throws Exception {
        err.reset();
        return new ScanwatchJob(new PrintStream(err, true, StandardCharsets.UTF_8)).run(args.toArray(String[]::new));
    }

    /** Runs and asserts that the run succeeded, showing what it wrote when it did not. */
    void succeeds(List<String> args) throws Exception {
        assertThat(run(args)).as(err()).isZero();
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}

package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.ChildJvm;
import io.scanwatch.job.testing.DemoTopic;
import io.scanwatch.job.testing.KafkaBroker;
import io.scanwatch.job.testing.StandaloneJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain {@code java -jar} of the standalone jar runs its command line in a second JVM, started with the replay's JIT
 * settings (Relaunch): the same alerts, the second JVM's exit status and messages; not where the caller gives the JVM
 * any option; and the second JVM never outlives the first, whether that one is stopped by a signal or killed. Runs
 * after {@code package}, which builds the jar.
 */
class RelaunchIT {
    private static final Path ROOT =
            Path.of(System.getProperty("scanwatch.root", "..")).normalize();

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @TempDir
    Path dir;

    /** The JVM a test started, and the one it relaunched in: neither outlives the test, whatever it asserted. */
    private Process java;

    private ProcessHandle relaunched;

    @AfterEach
    void stopWhatRuns() {
        if (relaunched != null) {
            relaunched.destroyForcibly();
        }
        if (java != null) {
            java.destroyForcibly();
        }
    }

    @Test
    void aPlainJavaDashJarReplaysInAJvmWithTheReplaysJitSettings() throws Exception {
        Path alerts = dir.resolve("alerts.jsonl");
        java = start(Testdata.quietQuickStart(alerts));
        relaunched = relaunchedBy(java);

        assertThat(java.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(err()).isZero();
        assertThat(relaunched.isAlive()).isFalse();
        assertThat(AlertsFile.summaries(AlertsFile.read(alerts)))
                .containsExactlyElementsOf(Files.readAllLines(Testdata.file("expected/alerts.tsv")));
    }

    @Test
    void anyJvmOptionOfTheCallersKeepsTheRunInTheJvmItSetUp() throws Exception {
        ChildJvm.Result given = javaJar(List.of("-XX:+PrintFlagsFinal"), List.of("--version"));
        assertThat(given.status()).as(given.err()).isZero();
        // One table: no second JVM printed its own.
        assertThat(StandaloneJar.flagValues(given.out(), "FreqInlineSize")).containsExactly("325");
        assertThat(given.out()).contains("scanwatch ");
    }

    @Test
    void aWrongCommandLineIsToldOnceWithItsStatus() throws Exception {
        ChildJvm.Result wrong = javaJar(List.of(), List.of("--no-such-option"));
        assertThat(wrong.status()).isEqualTo(2);
        assertThat(wrong.err().split("Unknown option: '--no-such-option'", -1)).hasSize(2);

        ChildJvm.Result unclear = javaJar(List.of("-Dscanwatch.relaunch=maybe"), List.of("--version"));
        assertThat(unclear.status()).isEqualTo(2);
        assertThat(unclear.err()).contains("-Dscanwatch.relaunch takes true or false, not 'maybe'");
    }

    /**
     * Standard output and error in files (the child's {@code child.out} and {@code .err}): an output that names one of
     * them, opened again, would be written from its start over what the stream wrote, and the stream over it.
     */
    @Test
    void anOutputThatIsTheFileOfAStandardStreamIsRefused() throws Exception {
        List<String> input = List.of("--input", "zeek-conn=" + Testdata.file("telemetry/zeek/edge-conn.json.log"));
        List<String> overAlerts = new ArrayList<>(input);
        overAlerts.addAll(List.of("--dead-letters", "/dev/stdout"));
        ChildJvm.Result deadLetters = javaJar(List.of(), overAlerts);
        assertThat(deadLetters.status()).as(deadLetters.err()).isEqualTo(2);
        assertThat(deadLetters.err())
                .contains("--dead-letters /dev/stdout is the file of standard output, which takes the alerts");

        List<String> overSummary = new ArrayList<>(input);
        overSummary.addAll(List.of("--alerts", "/dev/stderr"));
        ChildJvm.Result alerts = javaJar(List.of(), overSummary);
        assertThat(alerts.status()).as(alerts.err()).isEqualTo(2);
        assertThat(alerts.err()).contains("--alerts /dev/stderr is the file of standard error");
    }

    @Test
    void theRelaunchedJvmsStatusIsTheOneJavaEndsWith() throws Exception {
        stream("ended");

        // A status only the relaunched JVM can give: killed, it ends with 137, and so does the first.
        relaunched.destroyForcibly();
        assertThat(statusOnceEnded()).isEqualTo(137);
        assertThat(err()).contains("the JVM running the job (pid " + relaunched.pid() + ") was killed (SIGKILL)");
    }

    @Test
    void aSignalToTheJvmJavaStartedStopsTheRelaunchedOneWithItsSummary() throws Exception {
        stream("signalled");

        // SIGTERM to the JVM java started alone, as kill(1) or a supervisor sends it.
        java.destroy();
        assertThat(statusOnceEnded()).as("the relaunched JVM's status").isEqualTo(143);
        assertThat(relaunched.isAlive())
                .as("the relaunched JVM, stopped before it")
                .isFalse();
        assertThat(err()).contains("scanwatch: stopped in ").contains(" -> kafka topic alerts-signalled");
    }

    @Test
    void killingTheJvmJavaStartedStopsTheRelaunchedOne() throws Exception {
        stream("killed");

        java.destroyForcibly();
        statusOnceEnded();
        awaitEnded(relaunched);
        assertThat(err())
                .contains("scanwatch: the JVM that started this one (process " + java.pid() + ") ended: stopping");
    }

    /** The exit status of the JVM java started, once it has ended. */
    private int statusOnceEnded() throws InterruptedException {
        assertThat(java.waitFor(90, TimeUnit.SECONDS))
                .as("the JVM java started ends")
                .isTrue();
        return java.exitValue();
    }

    private ChildJvm.Result javaJar(List<String> jvmOptions, List<String> args) throws Exception {
        return ChildJvm.runCommand(
                dir,
                StandaloneJar.javaJar(StandaloneJar.built(ROOT), jvmOptions, args),
                dir.resolve("child.out").toFile(),
                300);
    }

    /** A plain {@code java -jar} with {@code args}, left running, its output in {@code child.out} and {@code .err}. */
    private Process start(List<String> args) throws IOException {
        return new ProcessBuilder(StandaloneJar.javaJar(StandaloneJar.built(ROOT), List.of(), args))
                .redirectOutput(dir.resolve("child.out").toFile())
                .redirectError(dir.resolve("child.err").toFile())
                .start();
    }

    private String err() throws IOException {
        return Files.readString(dir.resolve("child.err"));
    }

    /**
     * The demo capture streamed from Kafka by a plain {@code java -jar}, which runs until stopped, and the JVM it
     * relaunched the stream in, once its first alerts are committed.
     */
    private void stream(String name) throws Exception {
        String telemetry = "telemetry-" + name;
        String alerts = "alerts-" + name;
        DemoTopic.produce(KAFKA, telemetry, Testdata.file("telemetry/zeek/edge-conn.json.log"));
        KAFKA.createTopic(alerts, 1);
        java = start(List.of(
                "--kafka-bootstrap",
                KAFKA.bootstrapServers(),
                "--config",
                Testdata.file("scanwatch-demo.yaml").toString(),
                "--set",
                "kafka.inputs=[{topic: " + telemetry + ", format: zeek-conn}]",
                "--set",
                "kafka.starting-offsets=earliest",
                "--set",
                "kafka.alerts-topic=" + alerts,
                "--set",
                "kafka.dead-letters-topic=",
                "--set",
                "checkpointing.interval=500ms"));
        assertThat(KAFKA.awaitCommitted(alerts, read -> !read.isEmpty(), Duration.ofMinutes(2), java::isAlive))
                .as("the stream commits alerts (it runs: %s): %s", java.isAlive(), err())
                .isNotEmpty();
        relaunched = relaunchedBy(java);
    }

    /** The JVM that {@code java} relaunched the run in, once started: its child, with the settings and its mark. */
    private static ProcessHandle relaunchedBy(Process java) throws InterruptedException {
        ProcessHandle relaunched = ChildJvm.javaStartedBy(java);
        assertThat(relaunched.info().arguments().map(List::of).orElse(List.of()))
                .contains("-XX:FreqInlineSize=100", "-Dscanwatch.relaunched-by=" + java.pid());
        return relaunched;
    }

    /**
     * Waits until an orphan has ended. Not {@code onExit}: the process that adopted it may never reap it, and a zombie
     * is alive to {@code ProcessHandle}; ended is gone from the process table or a zombie there.
     */
    private static void awaitEnded(ProcessHandle orphan) throws Exception {
        Path stat = Path.of("/proc", Long.toString(orphan.pid()), "stat");
        Instant deadline = Instant.now().plusSeconds(60);
        while (orphan.isAlive()) {
            try {
                String fields = Files.readString(stat);
                // "pid (command) state ...": the state follows the command's closing parenthesis.
                if (fields.charAt(fields.lastIndexOf(')') + 2) == 'Z') {
                    return;
                }
            } catch (IOException gone) {
                return;
            }
            assertThat(Instant.now()).as("the relaunched JVM ends").isBefore(deadline);
            // No event tells an orphan's end (see above): the process table is asked again.
            Thread.sleep(50);
        }
    }
}

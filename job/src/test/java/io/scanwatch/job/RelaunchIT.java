package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.ChildJvm;
import io.scanwatch.job.testing.DemoTopic;
import io.scanwatch.job.testing.KafkaBroker;
import io.scanwatch.job.testing.StandaloneJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain {@code java -jar} of the standalone jar runs its command line in a second JVM, started with the replay's JIT
 * settings (Relaunch): the same alerts, the same exit status and messages; not where the caller gives the JVM any
 * option; and the second JVM never outlives the first, whether that one is stopped by a signal or killed. Runs after
 * {@code package}, which builds the jar.
 */
class RelaunchIT {
    private static final Path ROOT =
            Path.of(System.getProperty("scanwatch.root", "..")).normalize();

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @TempDir
    Path dir;

    @Test
    void aPlainJavaDashJarReplaysInAJvmWithTheReplaysJitSettings() throws Exception {
        Path alerts = dir.resolve("alerts.jsonl");
        List<String> args = new ArrayList<>(List.of("--quiet"));
        args.addAll(Testdata.quickStart(alerts));
        Process java = new ProcessBuilder(command(List.of(), args))
                .redirectOutput(dir.resolve("child.out").toFile())
                .redirectError(dir.resolve("child.err").toFile())
                .start();
        ProcessHandle relaunched = relaunchedBy(java);

        assertThat(java.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue())
                .as(Files.readString(dir.resolve("child.err")))
                .isZero();
        assertThat(relaunched.isAlive()).isFalse();
        assertThat(AlertsFile.summaries(AlertsFile.read(alerts)))
                .containsExactlyElementsOf(Files.readAllLines(Testdata.file("expected/alerts.tsv")));
    }

    @Test
    void anyJvmOptionOfTheCallersKeepsTheRunInTheJvmItSetUp() throws Exception {
        ChildJvm.Result given = javaJar(List.of("-XX:+PrintFlagsFinal"), List.of("--version"));
        assertThat(given.status()).as(given.err()).isZero();
        assertThat(StandaloneJar.flagValues(given.out(), "FreqInlineSize")).containsExactly("325");
        assertThat(given.out()).contains("scanwatch ");

        ChildJvm.Result kept = javaJar(List.of("-Dscanwatch.relaunch=false"), List.of("--version"));
        assertThat(kept.status()).as(kept.err()).isZero();
        assertThat(kept.out()).contains("scanwatch ");
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

    @Test
    void aSignalToTheJvmJavaStartedStopsTheRelaunchedOneWithItsSummary() throws Exception {
        Process java = stream("signalled");
        ProcessHandle relaunched = relaunchedBy(java);

        // SIGTERM to the JVM java started alone, as kill(1) or a supervisor sends it.
        java.destroy();
        assertThat(java.waitFor(90, TimeUnit.SECONDS)).as("it stops").isTrue();
        assertThat(relaunched.isAlive())
                .as("the relaunched JVM, stopped before it")
                .isFalse();
        assertThat(java.exitValue()).as("the relaunched JVM's status").isEqualTo(143);
        assertThat(Files.readString(dir.resolve("child.err")))
                .contains("scanwatch: stopped in ")
                .contains(" -> kafka topic alerts-signalled");
    }

    @Test
    void killingTheJvmJavaStartedStopsTheRelaunchedOne() throws Exception {
        Process java = stream("killed");
        ProcessHandle relaunched = relaunchedBy(java);

        java.destroyForcibly();
        assertThat(relaunched.onExit().get(60, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(Files.readString(dir.resolve("child.err")))
                .contains("scanwatch: the JVM that started this one (process " + java.pid() + ") ended: stopping");
    }

    private ChildJvm.Result javaJar(List<String> jvmOptions, List<String> args) throws Exception {
        return ChildJvm.runCommand(
                dir, command(jvmOptions, args), dir.resolve("child.out").toFile(), 300);
    }

    private static List<String> command(List<String> jvmOptions, List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(StandaloneJar.built(ROOT).toString());
        command.addAll(args);
        return command;
    }

    /**
     * The demo capture streamed from Kafka by {@code java -jar}, which runs until stopped, once its first alerts are
     * committed: by then the relaunched JVM runs the stream.
     */
    private Process stream(String name) throws Exception {
        String telemetry = "telemetry-" + name;
        String alerts = "alerts-" + name;
        DemoTopic.produce(KAFKA, telemetry, Testdata.file("telemetry/zeek/edge-conn.json.log"));
        KAFKA.createTopic(alerts, 1);
        Process java = new ProcessBuilder(command(
                        List.of(),
                        List.of(
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
                                "checkpointing.interval=500ms")))
                .redirectOutput(dir.resolve("child.out").toFile())
                .redirectError(dir.resolve("child.err").toFile())
                .start();
        Instant deadline = Instant.now().plusSeconds(120);
        while (KAFKA.readCommitted(alerts).isEmpty()) {
            assertThat(java.isAlive())
                    .as("the stream runs: %s", Files.readString(dir.resolve("child.err")))
                    .isTrue();
            assertThat(Instant.now()).as("the stream commits alerts").isBefore(deadline);
        }
        return java;
    }

    /** The JVM that {@code java} relaunched the run in, once started: its child, with the settings and its mark. */
    private static ProcessHandle relaunchedBy(Process java) throws InterruptedException {
        ProcessHandle relaunched = ChildJvm.javaStartedBy(java);
        assertThat(relaunched.info().arguments().map(List::of).orElse(List.of()))
                .contains("-XX:FreqInlineSize=100", "-Dscanwatch.relaunched-by=" + java.pid());
        return relaunched;
    }
}

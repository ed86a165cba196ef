package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.ChildJvm;
import io.scanwatch.job.testing.StandaloneJar;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/local/scanwatch.sh} on the standalone jar (a copy, so that its archive is written here): its first run
 * writes a class-data archive, later runs load the job's classes from it and raise the same alerts, a newer jar gets
 * a new archive, and so does a damaged one; a signal while it writes one stops it and its JVM; its JIT thresholds
 * reach the JVM, and the caller's options override them. Runs after {@code package}, which builds the jar.
 */
class LauncherIT {
    private static final Path ROOT =
            Path.of(System.getProperty("scanwatch.root", "..")).normalize();

    @TempDir
    Path dir;

    @Test
    void laterRunsLoadTheJobsClassesFromTheArchiveAndRaiseTheSameAlerts() throws Exception {
        Path jar = dir.resolve("scanwatch-standalone.jar");
        Files.copy(StandaloneJar.built(ROOT), jar);

        // The options name the archive as the Java does: every run here logs where its classes came from.
        Path classes = dir.resolve("classes.log");
        String logClasses = "-Xlog:class+load=info:file=" + classes;
        Path first = dir.resolve("first.jsonl");
        ChildJvm.Result written = launch(jar, logClasses, Testdata.quietQuickStart(first));
        assertThat(written.status()).as(written.err()).isZero();
        assertThat(written.err()).contains("writing a class-data archive");
        assertThat(archives()).hasSize(1);
        assertThat(AlertsFile.summaries(AlertsFile.read(first)))
                .containsExactlyElementsOf(Files.readAllLines(Testdata.file("expected/alerts.tsv")));

        Path second = dir.resolve("second.jsonl");
        ChildJvm.Result archived = launch(jar, logClasses, Testdata.quietQuickStart(second));
        assertThat(archived.status()).as(archived.err()).isZero();
        assertThat(archived.err()).doesNotContain("writing a class-data archive");
        assertThat(Files.readString(classes))
                .contains("io.scanwatch.job.ScanwatchJob source: shared objects file")
                .contains("io.scanwatch.job.detect.PanedWindowDetector source: shared objects file");
        assertThat(second).hasSameBinaryContentAs(first);

        // Archives are named jar-runtime-size-time.jsa: another runtime's (other options) for this build of the jar,
        // then, once the jar is rebuilt, another runtime's for the new build.
        String name = archives().get(0).getFileName().toString();
        String stamp = name.substring(name.indexOf('-', "scanwatch-standalone-".length()));
        Path otherOptionsOldJar = Files.writeString(dir.resolve("scanwatch-standalone-1" + stamp), "");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        Path otherOptionsNewJar = Files.writeString(
                dir.resolve("scanwatch-standalone-1-" + Files.size(jar) + "-"
                        + Files.getLastModifiedTime(jar).toInstant().getEpochSecond() + ".jsa"),
                "");
        ChildJvm.Result rebuilt = launch(jar, logClasses, List.of("--version"));
        assertThat(rebuilt.status()).as(rebuilt.err()).isZero();
        assertThat(rebuilt.err()).contains("writing a class-data archive");
        assertThat(otherOptionsOldJar)
                .as("an earlier build's archive, whatever its options")
                .doesNotExist();
        assertThat(otherOptionsNewJar)
                .as("the new build's archive for other options")
                .exists();
        Files.delete(otherOptionsNewJar);
        assertThat(archives()).hasSize(1);

        // A shortened archive would crash the JVM that maps it: the launcher writes it again instead.
        try (FileChannel archive = FileChannel.open(archives().get(0), StandardOpenOption.WRITE)) {
            archive.truncate(1_000);
        }
        ChildJvm.Result repaired = launch(jar, logClasses, List.of("--version"));
        assertThat(repaired.status()).as(repaired.err()).isZero();
        assertThat(repaired.err()).contains("writing a class-data archive");
        assertThat(Files.size(archives().get(0))).isGreaterThan(1_000_000);
    }

    @Test
    void compilesWithTheLaunchersJitSettingsWhereTheCallerSetsNoneOfItsOwn() throws Exception {
        Path jar = dir.resolve("scanwatch-standalone.jar");
        Files.copy(StandaloneJar.built(ROOT), jar);

        // Other options, another archive: this run writes one first (about 10 s).
        ChildJvm.Result flags =
                launch(jar, "-XX:+PrintFlagsFinal -XX:Tier4InvocationThreshold=7000", List.of("--version"));
        assertThat(flags.status()).as(flags.err()).isZero();
        assertThat(flagValue(flags.out(), "Tier4InvocationThreshold")).isEqualTo("7000");
        assertThat(flagValue(flags.out(), "Tier4MinInvocationThreshold")).isEqualTo("12000");
        assertThat(flagValue(flags.out(), "Tier4CompileThreshold")).isEqualTo("300000");
        assertThat(flagValue(flags.out(), "Tier4BackEdgeThreshold")).isEqualTo("800000");
        assertThat(flagValue(flags.out(), "FreqInlineSize")).isEqualTo("100");
        assertThat(flagValue(flags.out(), "InlineSmallCode")).isEqualTo("1000");
    }

    @Test
    void aSignalToTheLauncherWhileItWritesTheArchiveStopsItsJvmAndLeavesNoArchive() throws Exception {
        Path jar = dir.resolve("scanwatch-standalone.jar");
        Files.copy(StandaloneJar.built(ROOT), jar);
        ProcessBuilder builder = new ProcessBuilder(
                        "bash",
                        ROOT.resolve("deploy/local/scanwatch.sh")
                                .toAbsolutePath()
                                .toString(),
                        "--version")
                .directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("SCANWATCH_JAR", jar.toString());
        Process launcher = builder.start();
        ProcessHandle writer = null;
        try (BufferedReader err =
                new BufferedReader(new InputStreamReader(launcher.getErrorStream(), StandardCharsets.UTF_8))) {
            assertThat(err.readLine()).startsWith("scanwatch.sh: writing a class-data archive");
            writer = ChildJvm.javaStartedBy(launcher);

            // SIGTERM to the script alone, as a supervisor or timeout(1) sends it: the JVM never sees it.
            launcher.destroy();
            assertThat(launcher.waitFor(30, TimeUnit.SECONDS))
                    .as("the launcher stops, rather than finishing the archive and running the caller's command")
                    .isTrue();
            assertThat(writer.onExit().get(30, TimeUnit.SECONDS).isAlive())
                    .as("the JVM writing the archive")
                    .isFalse();
        } finally {
            if (writer != null) {
                writer.destroyForcibly();
            }
            launcher.destroyForcibly();
        }
        assertThat(launcher.exitValue()).isEqualTo(143);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(file -> file.getFileName().toString().contains(".jsa")))
                    .isEmpty();
        }
    }

    /** A flag's value in the table of the one JVM the launcher started. */
    private static String flagValue(String table, String flag) {
        List<String> values = StandaloneJar.flagValues(table, flag);
        assertThat(values).as("%s in the JVM's flags:%n%s", flag, table).hasSize(1);
        return values.get(0);
    }

    private ChildJvm.Result launch(Path jar, String javaOptions, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "env",
                "SCANWATCH_JAR=" + jar,
                "SCANWATCH_JAVA_OPTS=" + javaOptions,
                "bash",
                ROOT.resolve("deploy/local/scanwatch.sh").toString()));
        command.addAll(args);
        return ChildJvm.runCommand(dir, command, dir.resolve("launcher.out").toFile(), 300);
    }

    private List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.toString().endsWith(".jsa")).toList();
        }
    }
}

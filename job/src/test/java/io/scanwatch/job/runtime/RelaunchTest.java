package io.scanwatch.job.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RelaunchTest {
    private static final Path JAVA_HOME = Path.of("/opt/java");
    private static final String JAR = "job/target/scanwatch standalone.jar";
    private static final List<String> ARGS = List.of("--input", "auto=a b.log");

    private static Optional<List<String>> command(String javaCommand, String classPath, List<String> options) {
        return command(javaCommand, classPath, options, true);
    }

    private static Optional<List<String>> command(
            String javaCommand, String classPath, List<String> options, boolean relaunch) {
        return Relaunch.command(javaCommand, classPath, options, relaunch, Relaunch.settings(), JAVA_HOME, 4242, ARGS);
    }

    @Test
    void theSettingsAreTheBundledFileWithoutItsComments() {
        assertThat(Relaunch.settings())
                .containsExactly(
                        "-XX:Tier4InvocationThreshold=100000",
                        "-XX:Tier4MinInvocationThreshold=12000",
                        "-XX:Tier4CompileThreshold=300000",
                        "-XX:Tier4BackEdgeThreshold=800000",
                        "-XX:FreqInlineSize=100",
                        "-XX:InlineSmallCode=1000");
    }

    @Test
    void javaDashJarRunsAgainWithTheCallersOptionsThenTheSettings() {
        assertThat(command(JAR + " --input auto=a b.log", JAR, List.of("-Xmx1g", "-Dx=1")))
                .contains(List.of(
                        "/opt/java/bin/java",
                        "-Xmx1g",
                        "-Dx=1",
                        "-XX:Tier4InvocationThreshold=100000",
                        "-XX:Tier4MinInvocationThreshold=12000",
                        "-XX:Tier4CompileThreshold=300000",
                        "-XX:Tier4BackEdgeThreshold=800000",
                        "-XX:FreqInlineSize=100",
                        "-XX:InlineSmallCode=1000",
                        "-Dscanwatch.relaunched-by=4242",
                        "-jar",
                        JAR,
                        "--input",
                        "auto=a b.log"));
        assertThat(command(JAR, JAR, List.of())).isPresent();
    }

    @Test
    void aRunStartedOtherwiseStaysInItsJvm() {
        // java -cp: the main class leads the command
        assertThat(command("io.scanwatch.job.StandaloneMain --version", JAR, List.of()))
                .isEmpty();
        assertThat(command("io.scanwatch.job.StandaloneMain --version", "a.jar:b.jar", List.of()))
                .isEmpty();
        // A class path that names no jar
        assertThat(command("classes --version", "classes", List.of())).isEmpty();
        // Another jar's main (Flink's client) calling this one's
        assertThat(command("org.apache.flink.client.cli.CliFrontend run " + JAR, "flink-dist.jar", List.of()))
                .isEmpty();
        assertThat(command(JAR + "x --version", JAR, List.of())).isEmpty();
    }

    @Test
    void anyOfTheSettingsGivenLeavesTheJitToTheCaller() {
        // The launcher script gives them all; a caller may give one, at any value.
        assertThat(command(JAR, JAR, List.of("-XX:FreqInlineSize=325"))).isEmpty();
        assertThat(command(JAR, JAR, List.of("-XX:Tier4BackEdgeThreshold=1"))).isEmpty();
        // Other JIT options are the caller's too, but decide nothing here.
        assertThat(command(JAR, JAR, List.of("-XX:TieredStopAtLevel=1"))).isPresent();
    }

    @Test
    void aWatchedOrArchivingJvmOrTheOptOutKeepsTheRun() {
        for (String option : List.of(
                "-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
                "-agentpath:/tmp/libasyncProfiler.so=start",
                "-javaagent:/tmp/agent.jar",
                "-Xrunjdwp:transport=dt_socket",
                "-XX:ArchiveClassesAtExit=app.jsa",
                "-Xshare:dump",
                "-XX:DumpLoadedClassList=classes.lst")) {
            assertThat(command(JAR, JAR, List.of(option))).as(option).isEmpty();
        }
        assertThat(command(JAR, JAR, List.of(), false)).isEmpty();
    }
}

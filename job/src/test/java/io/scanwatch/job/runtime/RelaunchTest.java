package io.scanwatch.job.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RelaunchTest {
    private static final Path JAVA_HOME = Path.of("/opt/java");
    private static final String JAR = "job/target/scanwatch standalone.jar";
    private static final List<String> ARGS = List.of("--input", "auto=a b.log");

    private static Optional<List<String>> command(String javaCommand, String classPath, List<String> options) {
        return command(javaCommand, classPath, options, Relaunch::settings);
    }

    private static Optional<List<String>> command(
            String javaCommand, String classPath, List<String> options, Supplier<List<String>> settings) {
        return Relaunch.command(javaCommand, classPath, options, false, settings, JAVA_HOME, 4242, ARGS);
    }

    @Test
    void theSettingsAreTheBundledFilesOptionsWithoutItsComments() {
        assertThat(Relaunch.settings())
                .isNotEmpty()
                .allMatch(option -> option.startsWith("-XX:") && option.equals(option.strip()))
                .contains("-XX:Tier4InvocationThreshold=100000", "-XX:FreqInlineSize=100");
    }

    @Test
    void aPlainJavaDashJarRunsAgainWithTheSettingsAndAMarkOfItsOwn() {
        List<String> expected = new ArrayList<>();
        expected.add("/opt/java/bin/java");
        expected.addAll(Relaunch.settings());
        expected.addAll(List.of("-Dscanwatch.relaunched-by=4242", "-jar", JAR, "--input", "auto=a b.log"));
        assertThat(command(JAR + " --input auto=a b.log", JAR, List.of())).contains(expected);
        assertThat(command(JAR, JAR, List.of("-Dscanwatch.relaunch=true"))).contains(expected);
    }

    @Test
    void anyJvmOptionOfTheCallersKeepsTheRunInItsJvm() {
        for (String option : List.of(
                "-Xmx1g",
                "-Dx=1",
                "-Dcom.sun.management.jmxremote.port=9010",
                "-Xlog:gc:file=gc.log",
                "-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
                "-XX:FreqInlineSize=325",
                "-XX:-UseOnStackReplacement",
                "-XX:TieredStopAtLevel=1",
                "-XX:ArchiveClassesAtExit=app.jsa",
                // what the relaunched JVM carries: it never relaunches in turn
                "-Dscanwatch.relaunched-by=4242")) {
            assertThat(command(JAR, JAR, List.of(option))).as(option).isEmpty();
        }
        assertThat(command(JAR, JAR, List.of("-Dscanwatch.relaunch=true", "-Xmx1g")))
                .isEmpty();
        // JAVA_TOOL_OPTIONS and its kin, even blank: the relaunched JVM would read them again.
        assertThat(Relaunch.command(JAR, JAR, List.of(), true, Relaunch::settings, JAVA_HOME, 4242, ARGS))
                .isEmpty();
    }

    @Test
    void aRunStartedOtherwiseOrKeptOrWithoutSettingsStaysInItsJvm() {
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

        assertThat(command(JAR, JAR, List.of("-Dscanwatch.relaunch=false"))).isEmpty();
        // A file of comments only gives nothing to start a JVM for.
        assertThat(command(JAR, JAR, List.of(), List::of)).isEmpty();
    }
}

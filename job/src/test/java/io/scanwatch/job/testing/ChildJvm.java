package io.scanwatch.job.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of this module in a JVM of its own, with flags a test cannot give its own JVM (a small heap,
 * a simulated core count), and waits for it to end.
 */
public final class ChildJvm {
    /** How a child ended: its exit status and what it wrote. */
    public record Result(int status, String out, String err) {}

    private ChildJvm() {}

    public static Result run(Path workDir, List<String> jvmFlags, Class<?> main, List<String> args, long timeoutSeconds)
            throws IOException, InterruptedException {
        return run(workDir, jvmFlags, main, args, workDir.resolve("child.out").toFile(), timeoutSeconds);
    }

    /** As {@link #run}, with standard output sent to {@code stdout} (a device such as /dev/full, say). */
    public static Result run(
            Path workDir, List<String> jvmFlags, Class<?> main, List<String> args, File stdout, long timeoutSeconds)
            throws IOException, InterruptedException {
        return runOn(Path.of(System.getProperty("java.home")), workDir, jvmFlags, main, args, stdout, timeoutSeconds);
    }

    /** As {@link #run}, on the Java installed at {@code javaHome} instead of this JVM's. */
    public static Result runOn(
            Path javaHome,
            Path workDir,
            List<String> jvmFlags,
            Class<?> main,
            List<String> args,
            File stdout,
            long timeoutSeconds)
            throws IOException, InterruptedException {
        return runCommand(workDir, command(javaHome, jvmFlags, main, args), stdout, timeoutSeconds);
    }

    /**
     * Starts the child on this JVM's Java and leaves it running, its output in {@code child.out} and
     * {@code child.err} of {@code workDir}: for a test that stops it (a signal) and then reads what it wrote.
     */
    public static Process start(Path workDir, List<String> jvmFlags, Class<?> main, List<String> args)
            throws IOException {
        return new ProcessBuilder(command(Path.of(System.getProperty("java.home")), jvmFlags, main, args))
                .redirectOutput(workDir.resolve("child.out").toFile())
                .redirectError(workDir.resolve("child.err").toFile())
                .start();
    }

    private static List<String> command(Path javaHome, List<String> jvmFlags, Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        return command;
    }

    /**
     * The JVM that {@code parent} (a launcher, a JVM relaunching its run) started, once it has started it and its
     * arguments can be read: just after its start the process table may give its command but not yet its arguments.
     */
    public static ProcessHandle javaStartedBy(Process parent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // A child forked by a JVM shows the parent's command line until it execs its own: not yet the child JVM.
        String[] parentArguments = parent.info().arguments().orElse(new String[0]);
        while (System.nanoTime() < deadline) {
            ProcessHandle jvm = parent.children()
                    .filter(child -> child.info().command().orElse("").endsWith("/java"))
                    .filter(child -> child.info()
                            .arguments()
                            .filter(args -> args.length > 0 && !Arrays.equals(args, parentArguments))
                            .isPresent())
                    .findFirst()
                    .orElse(null);
            if (jvm != null) {
                return jvm;
            }
            assertThat(parent.isAlive())
                    .as("the process that was to start a JVM runs")
                    .isTrue();
            // No event tells a child's start: the process table is asked again.
            Thread.sleep(20);
        }
        throw new AssertionError("no JVM started within 30 s");
    }

    /** A command that starts a JVM (a launcher script, say), as {@link #run} runs a main class. */
    public static Result runCommand(Path workDir, List<String> command, File stdout, long timeoutSeconds)
            throws IOException, InterruptedException {
        File out = stdout;
        File err = workDir.resolve("child.err").toFile();
        Process process = new ProcessBuilder(command)
                .redirectOutput(out)
                .redirectError(err)
                .start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the child JVM did not end within " + timeoutSeconds + " s; it wrote:\n"
                    + Files.readString(err.toPath(), StandardCharsets.UTF_8));
        }
        return new Result(
                process.exitValue(),
                out.isFile() ? Files.readString(out.toPath(), StandardCharsets.UTF_8) : "",
                Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }
}

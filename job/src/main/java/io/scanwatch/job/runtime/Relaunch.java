package io.scanwatch.job.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the command line of {@code java -jar} again, in a JVM started with the JIT settings of a replay
 * ({@code deploy/local/jit.options}, bundled in the jar), when this one was started with Java's own. A JVM's JIT
 * settings are fixed at its start and a jar's manifest cannot give any, and with Java's own a one-shot replay on two
 * cores spends a third of its CPU in C2 compiling. The relaunched JVM gets this one's options, then the settings.
 *
 * <p>Not when the JVM was started otherwise (with {@code -cp}, by Flink's client, by a test calling {@code main}), when
 * any of the settings is given already (the launcher script gives them all; a user who tunes one keeps Java's for the
 * rest), when an agent watches this JVM (a debugger or profiler would lose the run), when it writes a class-data
 * archive (it would hold this JVM's few classes), or with {@code -Dscanwatch.relaunch=false}.
 */
public final class Relaunch {
    /** {@code false} keeps the run in the JVM {@code java -jar} started. */
    public static final String PROPERTY = "scanwatch.relaunch";

    /** Set on the relaunched JVM: the process id of the JVM that waits for it. */
    static final String PARENT = "scanwatch.relaunched-by";

    private static final String SETTINGS = "jit.options";
    private static final List<String> WATCHED = List.of("-agentlib:", "-agentpath:", "-javaagent:", "-Xrunjdwp");
    private static final List<String> ARCHIVING =
            List.of("-XX:ArchiveClassesAtExit", "-Xshare:dump", "-XX:DumpLoadedClassList");
    /** A relaunched JVM ends within this after a signal asked it to; past it, it is killed. */
    private static final long STOP_SECONDS = 60;

    private Relaunch() {}

    /**
     * Runs this JVM's command line in a JVM with the replay's JIT settings, if it should (above), and waits for it.
     *
     * @param err where to say that the relaunch failed, and the run stays here
     * @return its exit status; empty when the run belongs in this JVM
     */
    public static OptionalInt run(String[] args, PrintStream err) {
        String relaunch = System.getProperty(PROPERTY, "true");
        if (!relaunch.equalsIgnoreCase("true") && !relaunch.equalsIgnoreCase("false")) {
            err.println("scanwatch: -D" + PROPERTY + " takes true or false, not '" + relaunch + "'");
            return OptionalInt.of(2);
        }
        Optional<List<String>> command = command(
                System.getProperty("sun.java.command", ""),
                System.getProperty("java.class.path", ""),
                ManagementFactory.getRuntimeMXBean().getInputArguments(),
                Boolean.parseBoolean(relaunch),
                settings(),
                Path.of(System.getProperty("java.home")),
                ProcessHandle.current().pid(),
                List.of(args));
        if (command.isEmpty()) {
            stopWithTheParent(err);
            return OptionalInt.empty();
        }
        ProcessBuilder builder = new ProcessBuilder(command.get()).inheritIO();
        // Their options are among this JVM's, which the command repeats: read again, they would be given twice.
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        Process child;
        try {
            child = builder.start();
        } catch (IOException e) {
            err.println("scanwatch: could not start a JVM with the replay's JIT settings (" + e.getMessage()
                    + "): running with Java's own");
            return OptionalInt.empty();
        }
        // A signal to this JVM alone (kill, a supervisor): the relaunched one stops too, and its status is this one's.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> Runtime.getRuntime().halt(stop(child)), "relaunch"));
        try {
            return OptionalInt.of(child.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.of(stop(child));
        }
    }

    /**
     * The command that relaunches this JVM's run, or empty where the run stays (see the class).
     *
     * @param javaCommand the {@code sun.java.command} property: the jar (or main class) and the arguments
     * @param classPath with {@code -jar}, the jar alone
     * @param jvmOptions the JVM's own options, as {@code java} was given them
     * @param relaunch the {@link #PROPERTY}: false keeps every run here
     * @param settings the JIT options to add
     */
    static Optional<List<String>> command(
            String javaCommand,
            String classPath,
            List<String> jvmOptions,
            boolean relaunch,
            List<String> settings,
            Path javaHome,
            long pid,
            List<String> args) {
        boolean byJar = classPath.endsWith(".jar")
                && (javaCommand.equals(classPath) || javaCommand.startsWith(classPath + " "));
        if (!byJar
                || !relaunch
                || jvmOptions.stream()
                        .anyMatch(option -> startsWithAny(option, WATCHED)
                                || startsWithAny(option, ARCHIVING)
                                || startsWithAny(option, names(settings)))) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.addAll(jvmOptions);
        command.addAll(settings);
        command.add("-D" + PARENT + "=" + pid);
        command.add("-jar");
        command.add(classPath);
        command.addAll(args);
        return Optional.of(command);
    }

    /** The JIT options bundled in the jar, without comments. */
    static List<String> settings() {
        try (InputStream in = Relaunch.class.getResourceAsStream(SETTINGS)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + SETTINGS + " beside " + Relaunch.class.getName());
            }
            List<String> options = new ArrayList<>();
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .forEach(options::add);
            return List.copyOf(options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code -XX:Name=value} as {@code -XX:Name=}: a setting given with any value. */
    private static List<String> names(List<String> settings) {
        return settings.stream()
                .map(option -> option.substring(0, option.indexOf('=') + 1))
                .toList();
    }

    private static boolean startsWithAny(String option, List<String> prefixes) {
        return prefixes.stream().anyMatch(option::startsWith);
    }

    /** Asks the relaunched JVM to stop if it runs still, waits for it and gives its status. */
    private static int stop(Process child) {
        child.destroy();
        try {
            if (!child.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor();
            }
            return child.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroyForcibly();
            return 143;
        }
    }

    /**
     * In a relaunched JVM: ends it when the JVM that waits for it is gone without stopping it (killed), rather than
     * leave a replay or a stream running that no one waits for.
     */
    private static void stopWithTheParent(PrintStream err) {
        String parent = System.getProperty(PARENT);
        if (parent == null) {
            return;
        }
        // Gone already (killed as this JVM started): the same as gone later.
        ProcessHandle.of(Long.parseLong(parent))
                .map(ProcessHandle::onExit)
                .orElse(CompletableFuture.completedFuture(null))
                .thenRun(() -> {
                    err.println("scanwatch: the JVM that started this one (process " + parent + ") ended: stopping");
                    System.exit(143);
                });
    }
}

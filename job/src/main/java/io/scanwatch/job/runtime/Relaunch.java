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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs the command line of a plain {@code java -jar} again, in a JVM started with the JIT settings of a replay
 * ({@code deploy/local/jit.options}, bundled in the jar). A JVM's JIT settings are fixed at its start and a jar's
 * manifest cannot give any, and with Java's own a one-shot replay on two cores spends a third to a half of its CPU
 * compiling, C2 most of it.
 *
 * <p>Only where {@code java} was given no JVM option at all, on its command line or in the environment
 * ({@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}, {@code _JAVA_OPTIONS}, even blank): a caller who sets up the
 * JVM (its heap, JMX, a debugger, a profiler, logging, the JIT) gets the one JVM it set up, not a second that would
 * take the same heap, ports and files again. Nor where the run was started otherwise ({@code -cp}, Flink's client, a
 * test calling {@code main}), nor with {@code -Dscanwatch.relaunch=false}, nor on Windows. The relaunched JVM is given
 * an option, so it never relaunches in turn.
 */
public final class Relaunch {
    /** {@code false} keeps the run in the JVM {@code java -jar} started. */
    public static final String PROPERTY = "scanwatch.relaunch";

    /** Set on the relaunched JVM: the process id of the JVM that waits for it. */
    static final String RELAUNCHED_BY = "scanwatch.relaunched-by";

    private static final String SETTINGS = "jit.options";
    private static final String BYTE_ORDER_MARK = "\uFEFF";
    /** Where {@code java} reads JVM options besides its command line; the JVM lists them as its own, but not blank. */
    private static final List<String> OPTIONS_IN_ENVIRONMENT =
            List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
    /**
     * How long a relaunched JVM is given to stop once asked (it says what it did, and the embedded cluster closes: a
     * few seconds); past it, it is killed. Kubernetes' default grace period.
     */
    private static final long STOP_SECONDS = 30;
    /** How often a relaunched JVM looks for the JVM that waits for it. */
    private static final long WATCH_SECONDS = 1;

    private Relaunch() {}

    /** A JVM's status when SIGKILL ended it: 128 and the signal. */
    private static final int KILLED = 128 + 9;

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
        String relaunchedBy = System.getProperty(RELAUNCHED_BY);
        if (relaunchedBy != null) {
            return watchTheParent(relaunchedBy, err);
        }
        // Windows ends a process without asking it to stop (TerminateProcess): a relaunched run stopped with the JVM
        // that waits for it would end without its summary.
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            return OptionalInt.empty();
        }
        Optional<List<String>> command = command(
                System.getProperty("sun.java.command", ""),
                System.getProperty("java.class.path", ""),
                ManagementFactory.getRuntimeMXBean().getInputArguments(),
                OPTIONS_IN_ENVIRONMENT.stream().anyMatch(name -> System.getenv(name) != null),
                Relaunch::settings,
                Path.of(System.getProperty("java.home")),
                ProcessHandle.current().pid(),
                List.of(args));
        if (command.isEmpty()) {
            return OptionalInt.empty();
        }
        // A signal to this JVM alone (kill, a supervisor): the relaunched one stops too, and its status is this one's.
        // Hooked before the start, and waiting for the start to end, so that a signal as it starts reaches it too.
        CompletableFuture<Process> relaunched = new CompletableFuture<>();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            Process started = relaunched.join();
                            if (started != null) {
                                Runtime.getRuntime().halt(stop(started));
                            }
                        },
                        "relaunch"));
        Process child = null;
        try {
            child = new ProcessBuilder(command.get()).inheritIO().start();
        } catch (IOException e) {
            err.println("scanwatch: could not start a JVM with the replay's JIT settings (" + e.getMessage()
                    + "): running with Java's own");
            return OptionalInt.empty();
        } finally {
            relaunched.complete(child);
        }
        try {
            int status = child.waitFor();
            if (status == KILLED) {
                // Killed from outside, it said nothing; the status alone would read as the launcher's own.
                err.println("scanwatch: the JVM running the job (pid " + child.pid() + ") was killed (SIGKILL), often"
                        + " by the kernel's out-of-memory killer (dmesg says): give the machine memory or the job"
                        + " less heap (-Xmx)");
            }
            return OptionalInt.of(status);
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
     * @param jvmOptions the JVM's own options, as {@code java} and the environment gave them
     * @param optionsInEnvironment whether the environment names JVM options, even blank ones or this one's: the
     *     relaunched JVM would read them too
     * @param settings the JIT options to start the JVM with, read only when needed
     */
    static Optional<List<String>> command(
            String javaCommand,
            String classPath,
            List<String> jvmOptions,
            boolean optionsInEnvironment,
            Supplier<List<String>> settings,
            Path javaHome,
            long pid,
            List<String> args) {
        boolean byJar = classPath.endsWith(".jar")
                && (javaCommand.equals(classPath) || javaCommand.startsWith(classPath + " "));
        // Asking for the relaunch is the one option that keeps it (a false one is an option, and keeps the run here).
        boolean plain = jvmOptions.stream().allMatch(option -> option.equalsIgnoreCase("-D" + PROPERTY + "=true"));
        if (!byJar || !plain || optionsInEnvironment) {
            return Optional.empty();
        }
        List<String> jit = settings.get();
        if (jit.isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.addAll(jit);
        command.add("-D" + RELAUNCHED_BY + "=" + pid);
        command.add("-jar");
        command.add(classPath);
        command.addAll(args);
        return Optional.of(command);
    }

    /** The JIT options bundled in the jar, without comments; none in a jar built without them. */
    static List<String> settings() {
        try (InputStream in = Relaunch.class.getResourceAsStream(SETTINGS)) {
            if (in == null) {
                return List.of();
            }
            List<String> options = new ArrayList<>();
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .lines()
                    // An editor's byte order mark would make the first comment an option.
                    .map(line -> line.replace(BYTE_ORDER_MARK, "").strip())
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .forEach(options::add);
            return List.copyOf(options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
     * In a relaunched JVM: ends it once the JVM that waits for it is gone without stopping it (killed), rather than
     * leave a replay or a stream running that no one waits for. Gone is when this JVM's parent is another: an orphan
     * is given a new parent at once, while the killed one, until its own parent reaps it, still looks alive.
     *
     * @return empty, the run going on here; 2 when the mark names no process
     */
    private static OptionalInt watchTheParent(String relaunchedBy, PrintStream err) {
        long parentPid = processId(relaunchedBy);
        if (parentPid <= 1) {
            err.println("scanwatch: -D" + RELAUNCHED_BY + " is scanwatch's own mark of the JVM it relaunches a run in,"
                    + " the process id of the JVM that waits for it: not '" + relaunchedBy + "'");
            return OptionalInt.of(2);
        }
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "scanwatch-relaunched-by-" + parentPid);
            thread.setDaemon(true);
            return thread;
        });
        watch.scheduleWithFixedDelay(
                () -> {
                    if (ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) != parentPid) {
                        err.println(
                                "scanwatch: the JVM that started this one (process " + parentPid + ") ended: stopping");
                        System.exit(143);
                    }
                },
                0,
                WATCH_SECONDS,
                TimeUnit.SECONDS);
        return OptionalInt.empty();
    }

    /** The process id {@code text} holds, or 0. */
    private static long processId(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

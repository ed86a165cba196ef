package io.scanwatch.job.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run's CPU seconds by the Flink task each thread runs. A task's threads end with the job, and the JVM keeps no
 * time for a thread that has ended, so a sampler reads every thread's time while the run goes: about the last
 * interval of each thread is lost, and a thread that starts and ends between two reads is missed. The JIT and the
 * collector are not Java threads; their beans give elapsed times, not CPU.
 */
final class StageCpu {
    private static final long INTERVAL_MS = 20;
    private static final String SAMPLER = "scanwatch-bench-cpu-sampler";
    /** How Flink names a task's thread: the operator chain, then the subtask and its attempt. */
    private static final Pattern SUBTASK = Pattern.compile(" \\(\\d+/\\d+\\)#\\d+$");

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> atStart = new HashMap<>();
    private final Map<Long, Long> lastSeen = new ConcurrentHashMap<>();
    private final Map<Long, String> names = new ConcurrentHashMap<>();
    private final long compilingAtStart;
    private final long collectingAtStart;
    private final long startNanos = System.nanoTime();
    private final Thread sampler;
    private double wall;
    private double compiling;
    private double collectingPauses;

    private StageCpu() {
        sample();
        atStart.putAll(lastSeen);
        compilingAtStart = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        collectingAtStart = collecting();
        sampler = new Thread(this::sampleUntilInterrupted, SAMPLER);
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts measuring now. */
    static StageCpu start() {
        return new StageCpu();
    }

    private void sampleUntilInterrupted() {
        while (!Thread.currentThread().isInterrupted()) {
            sample();
            try {
                Thread.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The thread's CPU nanoseconds at the sampler's last read of it; -1 before one. */
    long seen(long threadId) {
        return lastSeen.getOrDefault(threadId, -1L);
    }

    private void sample() {
        long[] ids = threads.getAllThreadIds();
        long[] cpu = threads.getThreadCpuTime(ids);
        for (int i = 0; i < ids.length; i++) {
            if (cpu[i] < 0) {
                continue;
            }
            lastSeen.put(ids[i], cpu[i]);
            if (!names.containsKey(ids[i])) {
                ThreadInfo info = threads.getThreadInfo(ids[i]);
                if (info != null) {
                    names.put(ids[i], info.getThreadName());
                }
            }
        }
    }

    private static long collecting() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .sum();
    }

    /** Stops measuring and prints each stage's CPU seconds, largest first, against the cores' seconds. */
    void stopAndPrint() throws InterruptedException {
        Map<String, Double> stages = stop();
        double java = stages.values().stream().mapToDouble(Double::doubleValue).sum();
        System.out.printf(
                "    CPU by stage: %.1f s in Java threads; the JIT compiling %.1f s and the collector's pauses %.1f s"
                        + " (elapsed, summed over their threads); %d cores over the run's %.1f s: %.1f s%n",
                java,
                compiling,
                collectingPauses,
                Runtime.getRuntime().availableProcessors(),
                wall,
                wall * Runtime.getRuntime().availableProcessors());
        stages.entrySet().stream()
                .filter(stage -> stage.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(stage -> System.out.printf("      %6.2f s  %s%n", stage.getValue(), stage.getKey()));
    }

    /** Stops measuring: each stage's CPU seconds since the start, by {@link #stage}. */
    Map<String, Double> stop() throws InterruptedException {
        sampler.interrupt();
        sampler.join();
        sample();
        wall = (System.nanoTime() - startNanos) / 1e9;
        compiling = (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - compilingAtStart) / 1e3;
        collectingPauses = (collecting() - collectingAtStart) / 1e3;
        Map<String, Double> stages = new TreeMap<>();
        lastSeen.forEach((id, nanos) -> {
            double seconds = (nanos - atStart.getOrDefault(id, 0L)) / 1e9;
            if (seconds > 0) {
                stages.merge(stage(names.getOrDefault(id, "?")), seconds, Double::sum);
            }
        });
        return stages;
    }

    /** The task a thread runs, without its subtask; Flink's own threads by what they do. */
    static String stage(String thread) {
        if (thread.startsWith("Source Data Fetcher for ")) {
            return "reading and parsing (the sources' split fetchers)";
        }
        if (thread.startsWith("SortMerger")) {
            // Records are written into the sort and read back on the task's own thread.
            return "Flink's sorting threads (batch)";
        }
        if (thread.equals(SAMPLER)) {
            // Shown, not left out: it runs beside the run it measures, and takes its CPU from it.
            return "this measurement's sampler";
        }
        if (thread.equals("main")) {
            return "the client: planning, starting the cluster";
        }
        if (thread.startsWith("ForkJoinPool.commonPool")) {
            return "the common pool (the input's header search uses it)";
        }
        Matcher subtask = SUBTASK.matcher(thread);
        if (!subtask.find()) {
            return "the cluster's own threads (RPC, scheduling, I/O)";
        }
        String task = thread.substring(0, subtask.start());
        return task.startsWith("Source: ") ? "routing (the sources' task threads)" : task;
    }
}

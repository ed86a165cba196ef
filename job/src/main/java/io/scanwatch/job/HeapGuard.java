package io.scanwatch.job;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.flink.util.SerializedThrowable;

/**
 * Ends a local run whose heap is full, with a message, instead of letting it spin in garbage collection: a JVM
 * out of heap may go on for hours collecting a few bytes at a time, or throw its OutOfMemoryError in a thread
 * that swallows it. The trigger is the heap still being nearly full right after a full collection: the old
 * generation may look full after a young collection while holding garbage that a full one frees, so a crossing
 * of the threshold is confirmed by a full collection before the run is ended. A task's own OutOfMemoryError, which
 * may come before that confirmation, fails a replay's job and is told the same way ({@link #explain}).
 *
 * <p>The guard must work in a heap that has no room left: its thread and its message exist from the start, it
 * polls a flag the JVM keeps rather than waiting for a notification (delivering one allocates), and an
 * OutOfMemoryError in its own few allocations is itself the proof. An earlier guard, which started a thread and
 * formatted its message only once the heap was full, let a loaded run collect for eleven minutes with the heap 99%
 * full after every full collection.
 */
final class HeapGuard {
    static final double FULL_AFTER_COLLECTION = 0.97;
    /** The exit status of a local run out of memory. */
    static final int OUT_OF_MEMORY = 3;

    /** Often enough that a full heap ends the run within a second, rarely enough to cost nothing. */
    private static final long POLL_MILLIS = 200;
    /** After a full collection that freed enough, the next look waits: a heap near its limit may be fine. */
    private static final long AFTER_FALSE_ALARM_MILLIS = 2_000;

    private static final String ADVICE = "stopping. Give the JVM more (-Xmx), keep a stream's state off the heap"
            + " (--set state.backend=rocksdb with --streaming or Kafka), lower detection.distinct-cap, or replay"
            + " fewer files at once.";

    private HeapGuard() {}

    static void install(PrintStream err) {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            // The old generation: the pool whose usage after collection says what is really live.
            if (pool.getType() == MemoryType.HEAP
                    && pool.isCollectionUsageThresholdSupported()
                    && pool.getUsage().getMax() > 0
                    && (pool.getName().contains("Old") || pool.getName().contains("Tenured"))) {
                long max = pool.getUsage().getMax();
                pool.setCollectionUsageThreshold((long) (max * FULL_AFTER_COLLECTION));
                byte[] message = String.format(
                                "scanwatch: out of memory: the heap is still %.0f%% full after a full garbage"
                                        + " collection (%d MB); %s%n",
                                FULL_AFTER_COLLECTION * 100, max >> 20, ADVICE)
                        .getBytes(StandardCharsets.UTF_8);
                Thread guard = new Thread(() -> watch(pool, err, message), "scanwatch-heap-guard");
                guard.setDaemon(true);
                guard.start();
                return;
            }
        }
    }

    private static void watch(MemoryPoolMXBean pool, PrintStream err, byte[] message) {
        try {
            while (true) {
                Thread.sleep(POLL_MILLIS);
                if (pool.isCollectionUsageThresholdExceeded()) {
                    System.gc();
                    if (pool.isCollectionUsageThresholdExceeded()) {
                        stop(err, message);
                    }
                    Thread.sleep(AFTER_FALSE_ALARM_MILLIS);
                }
            }
        } catch (OutOfMemoryError e) {
            stop(err, message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stop(PrintStream err, byte[] message) {
        try {
            err.write(message, 0, message.length);
            err.flush();
        } finally {
            Runtime.getRuntime().halt(OUT_OF_MEMORY);
        }
    }

    /** @return the exit status of a failure that an OutOfMemoryError caused, once told on {@code err} */
    static Optional<Integer> tell(Throwable failure, PrintStream err) {
        return explain(failure).map(told -> {
            err.println(told);
            return OUT_OF_MEMORY;
        });
    }

    /**
     * @return what to tell of a failure that an OutOfMemoryError caused, in this process or in a task (whose error
     *     may reach the client serialized)
     */
    static Optional<String> explain(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            boolean outOfMemory = t instanceof OutOfMemoryError
                    || (t instanceof SerializedThrowable serialized
                            && serialized.getOriginalErrorClassName().equals(OutOfMemoryError.class.getName()));
            if (outOfMemory) {
                return Optional.of("scanwatch: out of memory: " + firstSentence(t) + "; " + ADVICE);
            }
        }
        return Optional.empty();
    }

    /** Flink appends paragraphs of a cluster's memory settings to a task's error: a local run has none of them. */
    private static String firstSentence(Throwable error) {
        String message = error instanceof SerializedThrowable ? error.getMessage() : String.valueOf(error.getMessage());
        int end = message == null ? -1 : message.indexOf(". ");
        return "a task ran out (" + (end < 0 ? message : message.substring(0, end)) + ")";
    }
}

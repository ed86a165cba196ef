package io.scanwatch.job;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.NotificationEmitter;
import org.apache.flink.util.SerializedThrowable;

/**
 * Ends a local run whose heap is full, with a message, instead of letting it spin in garbage collection: a JVM
 * out of heap may go on for hours collecting a few bytes at a time, or throw its OutOfMemoryError in a thread
 * that swallows it. The trigger is the heap still being nearly full right after a full collection: the old
 * generation may look full after a young collection while holding garbage that a full one frees, so a crossing
 * of the threshold is confirmed by a full collection before the run is ended. A task's own OutOfMemoryError, which
 * may come before that confirmation, fails a replay's job and is told the same way ({@link #explain}).
 */
final class HeapGuard {
    static final double FULL_AFTER_COLLECTION = 0.97;
    /** The exit status of a local run out of memory. */
    static final int OUT_OF_MEMORY = 3;

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
                pool.setCollectionUsageThreshold((long) (pool.getUsage().getMax() * FULL_AFTER_COLLECTION));
                AtomicBoolean checking = new AtomicBoolean();
                NotificationEmitter emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
                emitter.addNotificationListener(
                        (notification, handback) -> {
                            boolean crossed = notification
                                    .getType()
                                    .equals(MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED);
                            if (crossed && checking.compareAndSet(false, true)) {
                                Thread check = new Thread(() -> confirm(pool, err, checking), "scanwatch-heap-guard");
                                check.setDaemon(true);
                                check.start();
                            }
                        },
                        null,
                        null);
                return;
            }
        }
    }

    private static void confirm(MemoryPoolMXBean pool, PrintStream err, AtomicBoolean checking) {
        System.gc();
        long max = pool.getUsage().getMax();
        if (pool.getCollectionUsage().getUsed() >= max * FULL_AFTER_COLLECTION) {
            err.printf(
                    "scanwatch: out of memory: the heap is still %.0f%% full after a full garbage collection (%d MB); %s%n",
                    FULL_AFTER_COLLECTION * 100, max >> 20, ADVICE);
            err.flush();
            Runtime.getRuntime().halt(OUT_OF_MEMORY);
        }
        checking.set(false);
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

package io.scanwatch.job;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.NotificationEmitter;

/**
 * Ends a local run whose heap is full, with a message, instead of letting it spin in garbage collection: a JVM
 * out of heap may go on for hours collecting a few bytes at a time, or throw its OutOfMemoryError in a thread
 * that swallows it. The trigger is the heap still being nearly full right after a full collection: the old
 * generation may look full after a young collection while holding garbage that a full one frees, so a crossing
 * of the threshold is confirmed by a full collection before the run is ended.
 */
final class HeapGuard {
    static final double FULL_AFTER_COLLECTION = 0.97;

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
                    "scanwatch: out of memory: the heap is still %.0f%% full after a full garbage collection (%d MB);"
                            + " stopping. Give the JVM more (-Xmx), keep a stream's state off the heap (--set"
                            + " state.backend=rocksdb with --streaming or Kafka), lower detection.distinct-cap, or replay"
                            + " fewer files at once.%n",
                    FULL_AFTER_COLLECTION * 100, max >> 20);
            err.flush();
            Runtime.getRuntime().halt(3);
        }
        checking.set(false);
    }
}

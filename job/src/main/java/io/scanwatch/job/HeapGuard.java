package io.scanwatch.job;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import javax.management.NotificationEmitter;

/**
 * Ends a local run whose heap is full, with a message, instead of letting it spin in garbage collection: a JVM
 * out of heap may go on for hours collecting a few bytes at a time, or throw its OutOfMemoryError in a thread
 * that swallows it. The trigger is the heap still being nearly full right after a full collection.
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
                long max = pool.getUsage().getMax();
                pool.setCollectionUsageThreshold((long) (max * FULL_AFTER_COLLECTION));
                NotificationEmitter emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
                emitter.addNotificationListener(
                        (notification, handback) -> {
                            if (notification
                                    .getType()
                                    .equals(MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED)) {
                                err.printf(
                                        "scanwatch: out of memory: the heap is still %.0f%% full after garbage"
                                                + " collection (%d MB); stopping. Give the JVM more (-Xmx), lower"
                                                + " detection.distinct-cap, or replay fewer files at once.%n",
                                        FULL_AFTER_COLLECTION * 100, max >> 20);
                                err.flush();
                                Runtime.getRuntime().halt(3);
                            }
                        },
                        null,
                        null);
                return;
            }
        }
    }
}

package io.scanwatch.job.source;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The end offsets of the partitions a TaskManager reads, polled from the brokers in the background, so that a
 * partition is taken for idle only when it is read to its end ({@link CaughtUpIdleness}). A partition whose end
 * cannot be read (its leader is down, the cluster unreachable) is never caught up: its records are still to come.
 * One poller per cluster and TaskManager; it closes itself when no partition was asked about for a while.
 */
final class PartitionBacklog {
    private static final Map<String, PartitionBacklog> CLUSTERS = new HashMap<>();

    private final String cluster;
    private final Properties client;
    private final long pollMillis;
    /** Partitions asked about, with the wall-clock time they were last asked about. */
    private final Map<TopicPartition, Long> asked = new ConcurrentHashMap<>();
    /** End offsets, each with the wall-clock time it was read. */
    private final Map<TopicPartition, long[]> ends = new ConcurrentHashMap<>();

    /** Polls finished, read or not: tests await them. */
    private final AtomicLong polls = new AtomicLong();

    private ScheduledExecutorService poller;
    private Admin admin;
    private long lastAsked = System.currentTimeMillis();

    private PartitionBacklog(String cluster, Properties client, long pollMillis) {
        this.cluster = cluster;
        this.client = client;
        this.pollMillis = pollMillis;
    }

    /**
     * The poller for the cluster these client properties reach ({@code bootstrap.servers} and security). Ask each
     * time: a poller nobody asked for a while is gone.
     */
    static synchronized PartitionBacklog of(Properties client, Duration poll) {
        String cluster = String.valueOf(client.get("bootstrap.servers"));
        PartitionBacklog backlog = CLUSTERS.get(cluster);
        if (backlog == null) {
            backlog = new PartitionBacklog(cluster, client, poll.toMillis());
            backlog.start();
            CLUSTERS.put(cluster, backlog);
        }
        return backlog;
    }

    /**
     * Whether everything the partition held {@code since} (a wall-clock time) has been read: an end offset read
     * after that time is at most one past {@code lastOffset}. Unknown, stale or unreadable ends say no.
     */
    boolean caughtUp(String topic, int partition, long lastOffset, long since) {
        TopicPartition tp = new TopicPartition(topic, partition);
        asked.put(tp, System.currentTimeMillis());
        long[] end = ends.get(tp);
        return end != null && end[1] > since && end[0] <= lastOffset + 1;
    }

    private void start() {
        admin = Admin.create(client);
        poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "scanwatch partition backlog " + cluster);
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::poll, 0, pollMillis, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        long now = System.currentTimeMillis();
        asked.values().removeIf(when -> when < now - 20 * pollMillis);
        ends.keySet().retainAll(asked.keySet());
        if (asked.isEmpty()) {
            if (now - lastAsked > 20 * pollMillis) {
                stop();
            }
            return;
        }
        lastAsked = now;
        Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        asked.keySet().forEach(tp -> query.put(tp, OffsetSpec.latest()));
        ListOffsetsResult result = admin.listOffsets(query);
        for (TopicPartition tp : query.keySet()) {
            try {
                long offset = result.partitionResult(tp)
                        .get(pollMillis, TimeUnit.MILLISECONDS)
                        .offset();
                ends.put(tp, new long[] {offset, now});
            } catch (Exception unreadable) {
                // Its leader is down or the cluster unreachable: the last reading ages, and the partition holds on.
            }
        }
        polls.incrementAndGet();
    }

    /** Whether the partition's end was read after {@code since}, a wall-clock time. */
    boolean readAfter(String topic, int partition, long since) {
        long[] end = ends.get(new TopicPartition(topic, partition));
        return end != null && end[1] > since;
    }

    long polls() {
        return polls.get();
    }

    private void stop() {
        synchronized (PartitionBacklog.class) {
            CLUSTERS.remove(cluster);
            poller.shutdown();
            admin.close(Duration.ZERO);
        }
    }
}

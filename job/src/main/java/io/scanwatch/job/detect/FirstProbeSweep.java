package io.scanwatch.job.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.util.function.ThrowingConsumer;

/**
 * The keys that hold compact probes ({@link FirstProbe}) and no timer to end them, by when they leave their last
 * window. On the heap backend a timer costs more than the probe it would end (the timer, its de-duplicating set's
 * entry and their slots: some 76 bytes a key, against a first probe's 56), so the operator ends idle probes by
 * sweeping this at each watermark instead: a slot of a list a key. A key promoted to panes, or ended and seen again,
 * keeps its old slot; the sweep finds its probes gone or not yet due, and leaves them.
 *
 * <p>Not part of any checkpoint: it is rebuilt from the restored probes when the operator opens.
 */
final class FirstProbeSweep {
    private final TreeMap<Long, List<String>> due = new TreeMap<>();

    /** The key's first probe is due at {@code time} (a timer's timestamp: the watermark that reaches it ends it). */
    void add(long time, String key) {
        due.computeIfAbsent(time, t -> new ArrayList<>()).add(key);
    }

    /** Hands on, and forgets, every key due at or before the watermark, the earliest first. */
    void sweep(long watermark, ThrowingConsumer<String, Exception> end) throws Exception {
        Map.Entry<Long, List<String>> next;
        while ((next = due.firstEntry()) != null && next.getKey() <= watermark) {
            due.pollFirstEntry();
            for (String key : next.getValue()) {
                end.accept(key);
            }
        }
    }
}

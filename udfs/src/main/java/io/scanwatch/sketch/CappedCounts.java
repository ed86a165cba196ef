package io.scanwatch.sketch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts per distinct key, remembering at most {@code cap} keys. Enough to decide "more than N distinct" for any
 * N below the cap, while a source that probes millions of targets costs a bounded amount of memory. Once a key
 * has been refused the set is saturated: {@link #distinct()} is then a lower bound.
 *
 * <p>Public fields and a no-argument constructor make it a Flink POJO (state without Kryo).
 */
public class CappedCounts {
    public Map<String, Long> counts = new HashMap<>();
    public boolean saturated;

    public CappedCounts() {}

    /** Adds {@code n} hits to {@code key}; a new key beyond the cap is refused and marks saturation. */
    public void add(String key, long n, int cap) {
        Long current = counts.get(key);
        if (current != null) {
            counts.put(key, current + n);
        } else if (counts.size() < cap) {
            counts.put(key, n);
        } else {
            saturated = true;
        }
    }

    /** Adds the hits of disjoint observations (two panes of one window). */
    public void addAll(CappedCounts other, int cap) {
        for (Map.Entry<String, Long> e : other.counts.entrySet()) {
            add(e.getKey(), e.getValue(), cap);
        }
        saturated |= other.saturated;
    }

    /** Folds in an observation that may overlap this one (two windows of one scan): counts take the maximum. */
    public void maxAll(CappedCounts other, int cap) {
        for (Map.Entry<String, Long> e : other.counts.entrySet()) {
            Long current = counts.get(e.getKey());
            if (current != null) {
                counts.put(e.getKey(), Math.max(current, e.getValue()));
            } else {
                add(e.getKey(), e.getValue(), cap);
            }
        }
        saturated |= other.saturated;
    }

    /** Distinct keys seen; a lower bound when {@link #saturated}. */
    public int distinct() {
        return counts.size();
    }

    public long count(String key) {
        return counts.getOrDefault(key, 0L);
    }

    /** The {@code n} keys with most hits, ties broken by key so that the answer is deterministic. */
    public List<Map.Entry<String, Long>> top(int n) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        return entries.subList(0, Math.min(n, entries.size()));
    }

    public CappedCounts copy() {
        CappedCounts copy = new CappedCounts();
        copy.counts = new HashMap<>(counts);
        copy.saturated = saturated;
        return copy;
    }
}

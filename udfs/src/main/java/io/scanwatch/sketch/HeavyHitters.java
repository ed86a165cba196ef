package io.scanwatch.sketch;

import static io.scanwatch.serial.CompactFields.readLength;
import static io.scanwatch.serial.CompactFields.readText;
import static io.scanwatch.serial.CompactFields.readVarLong;
import static io.scanwatch.serial.CompactFields.writeText;
import static io.scanwatch.serial.CompactFields.writeVarLong;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The keys of a set that may each hold a large share of its hits, for a set that keeps only a sample of its keys: a
 * Misra–Gries summary of {@link #KEYS} counters, mergeable as in Agarwal et al., "Mergeable Summaries" (PODS 2012). A
 * sample of 64 services out of a hundred misses the one a client hammered a third of the time; this does not.
 *
 * <p>Each count is a lower bound of its key's hits, short by at most (hits − the counts' sum) / ({@link #KEYS} + 1), so
 * a key holding more than a ninth of the hits is always kept. Summaries of disjoint observations add, of overlapping
 * ones take each key's maximum; the bound holds either way. Within it, the counts depend on the order keys came in.
 */
final class HeavyHitters {
    static final int KEYS = 8;

    private String[] keys = new String[KEYS + 1];
    private long[] counts = new long[KEYS + 1];
    private int size;

    /** A summary of exact counts. */
    static HeavyHitters of(Map<String, Long> exact) {
        HeavyHitters summary = new HeavyHitters();
        exact.forEach(summary::put);
        summary.reduce();
        return summary;
    }

    /** Adds {@code n} hits to {@code key}. */
    void add(String key, long n) {
        put(key, n);
        reduce();
    }

    /** Adds a summary of hits disjoint from these (another pane of a window). */
    void addAll(HeavyHitters other) {
        for (int i = 0; i < other.size; i++) {
            put(other.keys[i], other.counts[i]);
        }
        reduce();
    }

    /** Folds in a summary of hits that may overlap these (another window of a scan): each key's larger count. */
    void maxAll(HeavyHitters other) {
        for (int i = 0; i < other.size; i++) {
            int at = indexOf(other.keys[i]);
            if (at < 0) {
                append(other.keys[i], other.counts[i]);
            } else {
                counts[at] = Math.max(counts[at], other.counts[i]);
            }
        }
        reduce();
    }

    /** Each key kept with its count, a lower bound of its hits. */
    void forEach(BiConsumer<String, Long> each) {
        for (int i = 0; i < size; i++) {
            each.accept(keys[i], counts[i]);
        }
    }

    /** The largest count kept: a lower bound of the busiest key's hits. */
    long busiest() {
        long busiest = 0;
        for (int i = 0; i < size; i++) {
            busiest = Math.max(busiest, counts[i]);
        }
        return busiest;
    }

    HeavyHitters copy() {
        HeavyHitters copy = new HeavyHitters();
        copy.keys = keys.clone();
        copy.counts = counts.clone();
        copy.size = size;
        return copy;
    }

    void write(DataOutputView out) throws IOException {
        writeVarLong(size, out);
        for (int i = 0; i < size; i++) {
            writeText(keys[i], out);
            writeVarLong(counts[i], out);
        }
    }

    static HeavyHitters read(DataInputView in) throws IOException {
        HeavyHitters summary = new HeavyHitters();
        int size = readLength(in);
        for (int i = 0; i < size; i++) {
            summary.put(readText(in), readVarLong(in));
        }
        summary.reduce();
        return summary;
    }

    private void put(String key, long n) {
        int at = indexOf(key);
        if (at < 0) {
            append(key, n);
        } else {
            counts[at] += n;
        }
    }

    private int indexOf(String key) {
        int hash = key.hashCode();
        for (int i = 0; i < size; i++) {
            if (keys[i].hashCode() == hash && keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private void append(String key, long n) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        keys[size] = key;
        counts[size] = n;
        size++;
    }

    /**
     * Back to at most {@link #KEYS} counters: every count loses the (KEYS + 1)-th largest, and those left with none
     * go. The hits taken are taken from KEYS + 1 keys at once, which is what bounds any key's shortfall.
     */
    private void reduce() {
        if (size <= KEYS) {
            return;
        }
        long cut = size == KEYS + 1 ? smallest() : kthLargest(KEYS + 1);
        int kept = 0;
        for (int i = 0; i < size; i++) {
            long left = counts[i] - cut;
            if (left > 0) {
                keys[kept] = keys[i];
                counts[kept] = left;
                kept++;
            }
        }
        Arrays.fill(keys, kept, size, null);
        size = kept;
    }

    private long smallest() {
        long smallest = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            smallest = Math.min(smallest, counts[i]);
        }
        return smallest;
    }

    private long kthLargest(int k) {
        long[] sorted = Arrays.copyOf(counts, size);
        Arrays.sort(sorted);
        return sorted[size - k];
    }
}

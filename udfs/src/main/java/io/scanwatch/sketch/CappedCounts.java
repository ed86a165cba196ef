package io.scanwatch.sketch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.hll.HllSketch;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Counts per distinct key, remembering at most {@code cap} keys, so that a source probing millions of targets costs
 * a bounded amount of memory. Past the cap the set is saturated, and two things keep it honest:
 *
 * <ul>
 *   <li>the distinct count becomes an estimate from a {@link DistinctSketch} of every key seen, flagged by
 *       {@link #estimated()} and given with its bounds;
 *   <li>the keys kept are those of lowest hash (a bottom-k sample): the same keys whatever the order they came
 *       in, a uniform sample of all keys seen, each with its exact count since it was first seen.
 * </ul>
 *
 * <p>A sample tells how many keys there are, not which one is busiest: a set made {@link #keepingShares()} also
 * keeps its {@link HeavyHitters} once saturated, so that {@link #busiestShare} still sees a hammered key the sample
 * left out.
 *
 * <p>Flink writes it with {@link CappedCountsSerializer}, in state and on the wire. Savepoints taken before that
 * serializer (state version 2) hold sets written by Flink's POJO serializer, which reads them back by these public
 * fields' names and types: renaming or retyping one loses it from such a savepoint.
 */
@TypeInfo(CappedCountsType.class)
public class CappedCounts {
    public Map<String, Long> counts = new HashMap<>();
    /** Keys were refused: past the cap, or a sample of a larger set; without a sketch, a lower bound. */
    public boolean saturated;
    /** Hits added, or an upper bound of them after overlapping observations: no estimate may exceed it. */
    public long hits;
    /** Once saturated: every key seen, as a sketch image; null before. */
    public byte[] sketch;

    /**
     * It took in a set that was itself a lower bound (a vertical scan's share of a capped window: a sample): its count,
     * sketched or not, is of some of the keys seen only. A build before this flag read such a set as exact below the
     * cap and as an estimate past it, with bounds that could exclude the truth.
     */
    boolean partial;

    /** Whether the set keeps its {@link #heavy} hitters once saturated. */
    boolean sharesKept;

    /** Once saturated, in a set that keeps shares: the keys that may be busiest, with lower bounds; null before. */
    HeavyHitters heavy;

    /** The kept key of highest hash, the next to give way; found again when needed. */
    private transient String highest;

    private transient long highestHash;

    /**
     * The kept keys by hash, once saturated, so that each replacement finds the next to give way in log time, and a
     * saturated set merged into another gives its keys lowest hash first. Built again whenever it no longer holds as
     * many keys as {@link #counts} (keys added below the cap, a copy, a set read from state: on RocksDB each read of a
     * pane hashes its keys again when it is merged).
     */
    private transient TreeMap<Long, String> byHash;

    /** A view that updates {@link #sketchViewImage} in place: wrapping an image reads and checks its preamble. */
    private transient HllSketch sketchView;

    private transient byte[] sketchViewImage;

    public CappedCounts() {}

    /** A set whose {@link #busiestShare} holds past the cap too, at the cost of a few counters once saturated. */
    public static CappedCounts keepingShares() {
        CappedCounts set = new CappedCounts();
        set.sharesKept = true;
        return set;
    }

    /** Adds {@code n} hits to {@code key}; past the cap, the key is kept only if it belongs to the sample. */
    public void add(String key, long n, int cap) {
        add(key, n, cap, true);
        if (heavy != null) {
            heavy.add(key, n);
        }
    }

    /** @param sketched whether a key new here goes into the sketch (not when the sketch it comes with is united) */
    private void add(String key, long n, int cap, boolean sketched) {
        hits += n;
        Long current = counts.get(key);
        if (current != null) {
            counts.put(key, current + n);
            return;
        }
        if (sketch != null && sketched) {
            sketch(key);
        }
        if (counts.size() < cap) {
            counts.put(key, n);
            return;
        }
        if (sketch == null) {
            startSketch();
            sketch(key);
        }
        keepIfLower(key, DistinctSketch.hash(key), n);
    }

    /**
     * At the cap: the key replaces the kept key of highest hash if its own hash is lower.
     *
     * @return whether it was kept
     */
    private boolean keepIfLower(String key, long hash, long n) {
        if (highest == null) {
            findHighest();
        }
        if (hash >= highestHash) {
            return false;
        }
        // A copy is given its highest key, not the others' hashes: they are needed now.
        knowHashes();
        counts.remove(highest);
        byHash.remove(highestHash);
        counts.put(key, n);
        byHash.put(hash, key);
        findHighest();
        return true;
    }

    /** Whether {@link #byHash} holds every kept key (and so each kept key's hash). */
    private boolean hashesKnown() {
        return byHash != null && byHash.size() == counts.size();
    }

    /** Hashes the kept keys if {@link #byHash} lacks any; false only when two of them share a hash. */
    private boolean knowHashes() {
        if (!hashesKnown()) {
            byHash = new TreeMap<>();
            for (String kept : counts.keySet()) {
                byHash.put(DistinctSketch.hash(kept), kept);
            }
        }
        return hashesKnown();
    }

    private void findHighest() {
        knowHashes();
        Map.Entry<Long, String> last = byHash.lastEntry();
        highest = last == null ? null : last.getValue();
        highestHash = last == null ? Long.MIN_VALUE : last.getKey();
    }

    /** Adds the hits of disjoint observations (two panes of one window). */
    public void addAll(CappedCounts other, int cap) {
        partial |= other.lowerBound();
        long total = hits + other.hits;
        boolean summed = summarizeBefore(other, cap);
        // The other's sketch holds every key it kept: united below, they need not be sketched one by one.
        boolean sketched = other.sketch == null;
        if (sketched || !other.knowHashes()) {
            for (Map.Entry<String, Long> e : other.counts.entrySet()) {
                add(e.getKey(), e.getValue(), cap, sketched);
            }
        } else {
            addLowestFirst(other, cap);
        }
        unite(other);
        hits = total;
        if (summed) {
            mergeHeavy(other, false);
        }
    }

    /**
     * Before a merge that may saturate this set: its exact counts become its heavy hitters, since the keys the merge
     * will refuse can no longer be counted after it.
     *
     * @return whether the merge must fold the other's heavy hitters into these
     */
    private boolean summarizeBefore(CappedCounts other, int cap) {
        if (!sharesKept) {
            return false;
        }
        if (heavy == null && (other.sketch != null || counts.size() + other.counts.size() > cap)) {
            heavy = HeavyHitters.of(counts);
        }
        return heavy != null;
    }

    /** The other's heavy hitters, or its exact counts below the cap, folded into these; none while not saturated. */
    private void mergeHeavy(CappedCounts other, boolean overlapping) {
        if (sketch == null) {
            heavy = null;
            return;
        }
        HeavyHitters theirs = other.heavy != null ? other.heavy : HeavyHitters.of(other.counts);
        if (overlapping) {
            heavy.maxAll(theirs);
        } else {
            heavy.addAll(theirs);
        }
    }

    /**
     * A saturated set's keys, lowest hash first: once this set is at the cap, the first key that does not hash below
     * the highest kept here is refused, and so is every key after it (the highest only falls, and no kept key
     * hashes above it). A sliding window's panes are merged into several windows: each pane's keys are hashed once,
     * not once a window.
     */
    private void addLowestFirst(CappedCounts other, int cap) {
        for (Map.Entry<Long, String> byItsHash : other.byHash.entrySet()) {
            String key = byItsHash.getValue();
            long n = other.counts.get(key);
            Long current = counts.get(key);
            if (current != null) {
                counts.put(key, current + n);
            } else if (counts.size() < cap) {
                counts.put(key, n);
            } else {
                if (sketch == null) {
                    startSketch();
                    sketch(key);
                }
                if (!keepIfLower(key, byItsHash.getKey(), n)) {
                    return;
                }
            }
        }
    }

    /** Folds in an observation that may overlap this one (two windows of one scan): counts take the maximum. */
    public void maxAll(CappedCounts other, int cap) {
        partial |= other.lowerBound();
        long bound = hits + other.hits;
        boolean summed = summarizeBefore(other, cap);
        for (Map.Entry<String, Long> e : other.counts.entrySet()) {
            Long current = counts.get(e.getKey());
            if (current != null) {
                counts.put(e.getKey(), Math.max(current, e.getValue()));
            } else {
                add(e.getKey(), e.getValue(), cap, other.sketch == null);
            }
        }
        unite(other);
        hits = bound;
        if (summed) {
            mergeHeavy(other, true);
        }
    }

    /** Keys the other set saw but no longer keeps still count: their sketches unite. */
    private void unite(CappedCounts other) {
        if (other.sketch == null) {
            return;
        }
        if (sketch == null) {
            startSketch();
        }
        sketch = DistinctSketch.union(sketch, other.sketch);
    }

    /** From the first key refused on: a sketch of every key seen, starting with those kept. */
    private void startSketch() {
        saturated = true;
        if (sharesKept && heavy == null) {
            heavy = HeavyHitters.of(counts);
        }
        sketch = DistinctSketch.empty();
        counts.keySet().forEach(this::sketch);
    }

    /** Adds a key to the sketch, through a view of its image kept while the image stays the same array. */
    private void sketch(String key) {
        if (sketchView == null || sketchViewImage != sketch) {
            sketch = DistinctSketch.withRoom(sketch);
            sketchView = DistinctSketch.updatable(sketch);
            sketchViewImage = sketch;
        }
        sketchView.update(key);
    }

    /**
     * Distinct keys seen: exact below the cap, else the sketch's estimate (never below the keys kept); of a {@link
     * #partial} set, the sketch's lower bound, so that a count flagged as one is not above the truth by the sketch's
     * error.
     */
    public int distinct() {
        if (sketch == null) {
            return counts.size();
        }
        long count = partial ? DistinctSketch.lowerBound(sketch) : DistinctSketch.estimate(sketch);
        return (int) Math.min(Integer.MAX_VALUE, clamp(count));
    }

    /** Marks these counts as a sample of a larger set (one host's part of a capped window): a lower bound. */
    public void markSampled() {
        saturated = true;
        partial = true;
    }

    /**
     * Whether {@link #distinct()} counts a sample of a larger set, without a sketch of it, or took in such a count: a
     * lower bound.
     */
    public boolean lowerBound() {
        return partial || saturated && sketch == null;
    }

    /** Whether {@link #distinct()} is an estimate of every key seen, within {@link #distinctBounds()}. */
    public boolean estimated() {
        return sketch != null && !partial;
    }

    /** Bounds of the estimate at about 95 % confidence; the exact count twice when not estimated. */
    public long[] distinctBounds() {
        if (sketch == null) {
            return new long[] {counts.size(), counts.size()};
        }
        return new long[] {clamp(DistinctSketch.lowerBound(sketch)), clamp(DistinctSketch.upperBound(sketch))};
    }

    /** No fewer than the keys kept, no more than the hits. */
    private long clamp(long estimate) {
        return Math.min(hits, Math.max(counts.size(), estimate));
    }

    public long count(String key) {
        return counts.getOrDefault(key, 0L);
    }

    /**
     * The busiest key's hits as a share of {@code total}, 0 without hits: how far one key dominates. Past the cap, a
     * lower bound: of the sample's exact counts, and in a set keeping shares of its heavy hitters too, short by at most
     * a ninth of the hits.
     */
    public double busiestShare(long total) {
        long busiest = heavy == null ? 0 : heavy.busiest();
        for (long hits : counts.values()) {
            busiest = Math.max(busiest, hits);
        }
        return total == 0 ? 0 : (double) busiest / total;
    }

    /**
     * The {@code n} kept keys with most hits, ties in {@link ReadingOrder} (ports 22 before 1000, 10.0.0.2 before
     * 10.0.0.10), so that the answer is deterministic. Past the cap, of the sample.
     */
    public List<Map.Entry<String, Long>> top(int n) {
        return ranked(counts, n);
    }

    /**
     * The {@code n} keys with most hits, as {@link #top}, where past the cap a set keeping shares adds its heavy
     * hitters, which the sample may have left out (a scan's busiest port among hundreds probed once), with lower
     * bounds of their hits.
     */
    public List<Map.Entry<String, Long>> busiest(int n) {
        if (heavy == null) {
            return top(n);
        }
        Map<String, Long> candidates = new HashMap<>(counts);
        heavy.forEach((key, hits) -> candidates.merge(key, hits, Math::max));
        return ranked(candidates, n);
    }

    private static List<Map.Entry<String, Long>> ranked(Map<String, Long> candidates, int n) {
        List<Ranked> ranked = new ArrayList<>(candidates.size());
        candidates.forEach((key, hits) -> ranked.add(new Ranked(ReadingOrder.place(key), hits)));
        ranked.sort(Ranked.ORDER);
        return ranked.stream()
                .limit(n)
                .map(r -> Map.entry(r.place().key(), r.hits()))
                .toList();
    }

    /** A key's hits with its place in reading order, found once for the sort (most hits first). */
    private record Ranked(ReadingOrder.Place place, long hits) {
        static final Comparator<Ranked> ORDER =
                Comparator.comparingLong(Ranked::hits).reversed().thenComparing(Ranked::place);
    }

    /**
     * The sketch in as few bytes as hold it, for a set that is sent on rather than updated (its next update gives the
     * sketch its room back): past the cap by a few keys, a set's 2 KB image holds a few hundred bytes of coupons.
     */
    public void compact() {
        if (sketch != null) {
            sketch = DistinctSketch.compact(sketch);
        }
    }

    public CappedCounts copy() {
        CappedCounts copy = new CappedCounts();
        copy.counts = new HashMap<>(counts);
        copy.saturated = saturated;
        copy.partial = partial;
        copy.hits = hits;
        copy.sketch = sketch == null ? null : sketch.clone();
        copy.sharesKept = sharesKept;
        copy.heavy = heavy == null ? null : heavy.copy();
        // A window starts as a copy of its first pane: it refuses the other panes' keys that hash above the pane's
        // highest without hashing the pane's own keys again.
        copy.highest = highest;
        copy.highestHash = highestHash;
        return copy;
    }
}

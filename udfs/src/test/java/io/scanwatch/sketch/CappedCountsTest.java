package io.scanwatch.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CappedCountsTest {
    private static final int CAP = 64;

    private static List<String> targets(int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
        }
        return keys;
    }

    private static CappedCounts of(List<String> keys) {
        CappedCounts counts = new CappedCounts();
        keys.forEach(key -> counts.add(key, 1, CAP));
        return counts;
    }

    @Test
    void belowTheCapEverythingIsExact() {
        CappedCounts counts = of(targets(CAP));
        counts.add("10.0.0.1", 4, CAP);
        assertThat(counts.distinct()).isEqualTo(CAP);
        assertThat(counts.estimated()).isFalse();
        assertThat(counts.count("10.0.0.1")).isEqualTo(5);
        assertThat(counts.distinctBounds()).containsExactly(CAP, CAP);
    }

    @Test
    void pastTheCapTheCountIsAnEstimateWithBoundsThatHoldIt() {
        CappedCounts counts = of(targets(500_000));
        assertThat(counts.counts).hasSize(CAP);
        assertThat(counts.estimated()).isTrue();
        assertThat((double) counts.distinct()).isCloseTo(500_000, within(500_000 * 0.08));
        long[] bounds = counts.distinctBounds();
        assertThat(bounds[0]).isLessThanOrEqualTo(500_000);
        assertThat(bounds[1]).isGreaterThanOrEqualTo(500_000);
    }

    /**
     * An episode that takes in a vertical scan's share of capped windows (their samples, each a lower bound) counts some
     * of the keys seen only: a lower bound too, also once it has a sketch, not an estimate with bounds that exclude the
     * truth (a two-host scan in the CTU-50 capture: 132 ports told within 125–138, where 294 had been probed).
     */
    @Test
    void aSetThatTookInALowerBoundIsOneItself() {
        CappedCounts episode = new CappedCounts();
        List<String> keys = targets(2_000);
        for (int window = 0; window < 10; window++) {
            CappedCounts share = new CappedCounts();
            of(keys.subList(window * 200, window * 200 + 200)).counts.forEach((key, n) -> share.add(key, n, CAP));
            share.saturated = true;
            assertThat(share.lowerBound()).isTrue();
            episode.maxAll(share, CAP);
            assertThat(episode.lowerBound()).as("after window %d", window).isTrue();
        }
        assertThat(episode.sketch).as("past the cap").isNotNull();
        assertThat(episode.estimated()).isFalse();
        assertThat(episode.distinct()).isLessThanOrEqualTo(640);
        assertThat(episode.distinct())
                .as("the sketch's lower bound of the keys it took in (640), not its estimate")
                .isLessThan((int) DistinctSketch.estimate(episode.sketch));

        CappedCounts window = new CappedCounts();
        window.addAll(episode.copy(), CAP);
        assertThat(window.lowerBound()).as("taken in by adding too").isTrue();
        assertThat(of(keys).lowerBound()).as("a set of every key seen").isFalse();
    }

    @Test
    void theSampleIsTheSameWhateverTheOrder() {
        List<String> keys = targets(20_000);
        CappedCounts inOrder = of(keys);
        List<String> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, new Random(42));
        CappedCounts outOfOrder = of(shuffled);
        assertThat(outOfOrder.counts.keySet()).isEqualTo(inOrder.counts.keySet());
        assertThat(outOfOrder.distinct()).isEqualTo(inOrder.distinct());
    }

    @Test
    void panesAddedTogetherGiveTheSampleAndEstimateOfTheWholeStream() {
        List<String> keys = targets(30_000);
        CappedCounts whole = of(keys);
        CappedCounts window = new CappedCounts();
        for (int pane = 0; pane < 3; pane++) {
            window.addAll(of(keys.subList(pane * 10_000, (pane + 1) * 10_000)), CAP);
        }
        assertThat(window.counts.keySet()).isEqualTo(whole.counts.keySet());
        assertThat((double) window.distinct()).isCloseTo(whole.distinct(), within(whole.distinct() * 0.02));
    }

    @Test
    void overlappingObservationsUniteTheirKeys() {
        CappedCounts first = of(targets(1_000));
        CappedCounts second = of(targets(2_000).subList(500, 2_000));
        first.maxAll(second, CAP);
        assertThat((double) first.distinct()).isCloseTo(2_000, within(160.0));
    }

    @Test
    void aCopyIsIndependent() {
        CappedCounts original = of(targets(1_000));
        CappedCounts copy = original.copy();
        targets(50_000).forEach(key -> copy.add(key, 1, CAP));
        assertThat((double) original.distinct()).isCloseTo(1_000, within(80.0));
    }

    /**
     * A set sent on keeps its sketch in the bytes the coupons take; what it then estimates, takes and unites is what
     * the set would have without it.
     */
    @Test
    void aCompactSetCountsAsItDidAndTakesKeysAgain() {
        List<String> keys = targets(5_000);
        CappedCounts kept = of(keys.subList(0, 100));
        CappedCounts sent = of(keys.subList(0, 100));
        sent.compact();
        assertThat(sent.sketch).hasSizeLessThan(kept.sketch.length / 4);
        assertThat(sent.distinct()).isEqualTo(kept.distinct()).isEqualTo(100);
        assertThat(sent.distinctBounds()).containsExactly(kept.distinctBounds());

        CappedCounts later = of(keys.subList(50, 3_000));
        CappedCounts keptUnited = later.copy();
        keptUnited.maxAll(kept, CAP);
        CappedCounts sentUnited = later.copy();
        sentUnited.maxAll(sent, CAP);
        assertThat(sentUnited.distinct()).isEqualTo(keptUnited.distinct());

        keys.subList(100, 5_000).forEach(key -> {
            kept.add(key, 1, CAP);
            sent.add(key, 1, CAP);
        });
        assertThat(sent.sketch).as("the room to grow in place, given back").hasSameSizeAs(kept.sketch);
        assertThat(sent.distinct()).isEqualTo(kept.distinct());
        assertThat(sent.counts).isEqualTo(kept.counts);
        byte[] dense = sent.sketch;
        sent.compact();
        assertThat(sent.sketch).as("a dense sketch is as small as it gets").isSameAs(dense);
    }

    /**
     * With a small cap the sketch is still a short list of coupons: sent compact and given its room back, it must
     * not take again a key it holds, such as one the sample dropped.
     */
    @Test
    void aCompactListOfCouponsTakesNoKeyTwice() {
        int cap = 3;
        List<String> universe = targets(300);
        for (int first = 0; first < universe.size(); first += 6) {
            List<String> keys = universe.subList(first, first + 6);
            CappedCounts sent = new CappedCounts();
            keys.forEach(key -> sent.add(key, 1, cap));
            sent.compact();
            keys.forEach(key -> sent.add(key, 1, cap));
            assertThat(sent.distinct()).as("keys from %d", first).isEqualTo(6);
        }
    }

    @Test
    void aSetBelowTheCapHasNoSketchToCompact() {
        CappedCounts few = of(targets(10));
        few.compact();
        assertThat(few.sketch).isNull();
        assertThat(few.distinct()).isEqualTo(10);
    }

    /**
     * A client hammering one service beside a hundred others it tried once: the sample of 64 misses the hammered
     * one, so that the busiest share is the sample's 1 of 300 hits; a set keeping shares still sees two thirds, hit
     * by hit, in panes merged into a window, and in an episode that takes the window in.
     */
    @Test
    void aSetKeepingSharesSeesAHammeredKeyTheSampleLeftOut() {
        List<String> others = targets(100);
        String hammered = leftOutOfTheSample(others);
        assertThat(withHits(others, hammered, 200, new CappedCounts()).busiestShare(300))
                .as("the sample alone")
                .isLessThan(0.01);

        CappedCounts hitByHit = withHits(others, hammered, 200, CappedCounts.keepingShares());
        assertThat(hitByHit.busiestShare(300)).isGreaterThan(0.55);

        CappedCounts window = withHits(others.subList(0, 30), hammered, 70, CappedCounts.keepingShares());
        window.addAll(withHits(others.subList(30, 60), hammered, 60, CappedCounts.keepingShares()), CAP);
        assertThat(window.estimated()).as("below the cap until merged").isFalse();
        window.addAll(withHits(others.subList(60, 100), hammered, 70, CappedCounts.keepingShares()), CAP);
        assertThat(window.estimated()).isTrue();
        assertThat(window.busiestShare(window.hits)).isGreaterThan(0.55);

        CappedCounts episode = CappedCounts.keepingShares();
        episode.maxAll(window, CAP);
        assertThat(episode.copy().busiestShare(300)).isGreaterThan(0.55);
    }

    /**
     * The busiest keys of a set keeping shares name the hammered key the sample left out, with a lower bound of its hits,
     * before the sample's keys of one hit each (an nmap scan's busiest port, 443, missing from its alert's top ports).
     */
    @Test
    void theBusiestKeysOfASetKeepingSharesNameTheHammeredOne() {
        List<String> others = targets(100);
        String hammered = leftOutOfTheSample(others);
        assertThat(withHits(others, hammered, 200, CappedCounts.keepingShares()).top(3))
                .as("the sample alone")
                .extracting(Map.Entry::getValue)
                .containsOnly(1L);

        List<Map.Entry<String, Long>> top =
                withHits(others, hammered, 200, CappedCounts.keepingShares()).busiest(3);

        assertThat(top.get(0).getKey()).isEqualTo(hammered);
        assertThat(top.get(0).getValue()).isBetween(200L - 100 / (HeavyHitters.KEYS + 1), 200L);
        assertThat(top.subList(1, 3)).extracting(Map.Entry::getValue).containsOnly(1L);
    }

    /** A key that a sample of {@code others} and 200 hits of it leaves out. */
    private static String leftOutOfTheSample(List<String> others) {
        return targets(1_000).subList(100, 1_000).stream()
                .filter(key ->
                        !withHits(others, key, 200, new CappedCounts()).counts.containsKey(key))
                .findFirst()
                .orElseThrow();
    }

    /** {@code set} given each of {@code others} once and {@code hammered} {@code times}, hit by hit, interleaved. */
    private static CappedCounts withHits(List<String> others, String hammered, int times, CappedCounts set) {
        List<String> stream = new ArrayList<>(others);
        stream.addAll(Collections.nCopies(times, hammered));
        Collections.shuffle(stream, new Random(5));
        stream.forEach(key -> set.add(key, 1, CAP));
        return set;
    }

    /**
     * Few keys past the cap: the sketch of the panes united is that of the whole stream, which a key of any pane
     * missing from it would change.
     */
    @Test
    void panesSaturatedOrNotLoseNoKeyOfTheirs() {
        List<String> keys = targets(300);
        CappedCounts saturated = of(keys.subList(0, 70));
        CappedCounts below = of(keys.subList(70, 130));
        CappedCounts alsoSaturated = of(keys.subList(130, 300));
        int whole = of(keys).distinct();
        assertThat(whole).isCloseTo(300, within(3));
        CappedCounts window = new CappedCounts();
        window.addAll(below, CAP);
        window.addAll(saturated, CAP);
        window.addAll(alsoSaturated, CAP);
        assertThat(window.distinct()).isEqualTo(whole);
        CappedCounts otherOrder = new CappedCounts();
        otherOrder.addAll(alsoSaturated, CAP);
        otherOrder.addAll(below, CAP);
        otherOrder.addAll(saturated, CAP);
        assertThat(otherOrder.distinct()).isEqualTo(whole);
        assertThat(otherOrder.counts.keySet()).isEqualTo(window.counts.keySet());
        CappedCounts episode = of(keys.subList(0, 100));
        episode.maxAll(of(keys.subList(50, 300)), CAP);
        assertThat(episode.distinct()).isEqualTo(whole);
    }

    /**
     * Sliding windows over shared panes, as a detector merges them: each window starts as a copy of a pane and takes
     * the others in a random order, or sums two sums of two panes (slides), and panes go on taking keys between
     * windows. Every window keeps the keys of lowest hash among those its panes kept, each with the hits of the panes
     * that kept it, and estimates as one set fed all its panes' keys would; the original panes are left as they were.
     */
    @Test
    void windowsOfSharedPanesKeepTheLowestHashesOfTheirPanesKeys() {
        Random random = new Random(11);
        for (int trial = 0; trial < 400; trial++) {
            int cap = 2 + random.nextInt(30);
            List<String> universe = targets(cap * (1 + random.nextInt(8)));
            List<CappedCounts> panes = new ArrayList<>();
            List<List<String>> fed = new ArrayList<>();
            for (int pane = 0; pane < 6; pane++) {
                panes.add(CappedCounts.keepingShares());
                fed.add(new ArrayList<>());
            }
            for (int round = 0; round < 3; round++) {
                for (int pane = 0; pane < panes.size(); pane++) {
                    int keys = random.nextInt(cap * 3);
                    for (int k = 0; k < keys; k++) {
                        String key = universe.get(random.nextInt(universe.size()));
                        panes.get(pane).add(key, 1, cap);
                        fed.get(pane).add(key);
                    }
                }
                for (int pane = 0; pane < panes.size(); pane++) {
                    CappedCounts alone = new CappedCounts();
                    fed.get(pane).forEach(key -> alone.add(key, 1, cap));
                    assertThat(panes.get(pane).distinct())
                            .as("trial %d, cap %d, pane %d", trial, cap, pane)
                            .isEqualTo(alone.distinct());
                }
                if (random.nextInt(3) == 0) {
                    // A compacted set given its room back takes the next round's keys as one never compacted.
                    panes.get(random.nextInt(panes.size())).compact();
                }
                for (int first = 0; first + 4 <= panes.size(); first++) {
                    List<Integer> order = new ArrayList<>(List.of(first, first + 1, first + 2, first + 3));
                    Collections.shuffle(order, random);
                    List<Map<String, Long>> before = new ArrayList<>();
                    order.forEach(pane -> before.add(new HashMap<>(panes.get(pane).counts)));
                    CappedCounts window;
                    if (random.nextBoolean()) {
                        window = panes.get(order.get(0)).copy();
                        for (int pane : order.subList(1, order.size())) {
                            window.addAll(panes.get(pane), cap);
                        }
                    } else {
                        // As a window summed from slides: sums of panes, the first copied, the others merged in.
                        CappedCounts slide = panes.get(order.get(0)).copy();
                        slide.addAll(panes.get(order.get(1)), cap);
                        CappedCounts otherSlide = panes.get(order.get(2)).copy();
                        otherSlide.addAll(panes.get(order.get(3)), cap);
                        window = slide.copy();
                        window.addAll(otherSlide, cap);
                    }
                    for (int i = 0; i < order.size(); i++) {
                        assertThat(panes.get(order.get(i)).counts).isEqualTo(before.get(i));
                    }
                    if (random.nextBoolean()) {
                        // Sent on as a detection's set: the counts are those of a set never compacted.
                        window.compact();
                    }

                    Map<String, Long> hits = new HashMap<>();
                    List<String> all = new ArrayList<>();
                    for (int pane : order) {
                        panes.get(pane).counts.forEach((key, n) -> hits.merge(key, n, Long::sum));
                        all.addAll(fed.get(pane));
                    }
                    Set<String> lowest = hits.keySet().stream()
                            .sorted(Comparator.comparingLong(DistinctSketch::hash))
                            .limit(cap)
                            .collect(Collectors.toSet());
                    Map<String, Long> expected = new HashMap<>(hits);
                    expected.keySet().retainAll(lowest);
                    CappedCounts whole = new CappedCounts();
                    all.forEach(key -> whole.add(key, 1, cap));
                    assertThat(window.counts).as("trial %d, cap %d", trial, cap).isEqualTo(expected);
                    assertThat(window.distinct())
                            .as("trial %d, cap %d", trial, cap)
                            .isEqualTo(whole.distinct());
                    assertThat(window.hits).isEqualTo(all.size());
                    assertThat(window.saturated).isEqualTo(whole.saturated);
                    Map<String, Long> exact = new HashMap<>();
                    all.forEach(key -> exact.merge(key, 1L, Long::sum));
                    double busiest = exact.isEmpty() ? 0 : Collections.max(exact.values());
                    assertThat(window.busiestShare(all.size()) * all.size())
                            .as("the busiest key's hits, trial %d, cap %d", trial, cap)
                            .isBetween(busiest - all.size() / (HeavyHitters.KEYS + 1.0) - 1e-9, busiest + 1e-9);
                }
            }
        }
    }
}

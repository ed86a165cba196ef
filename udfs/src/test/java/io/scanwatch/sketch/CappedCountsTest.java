package io.scanwatch.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
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
}

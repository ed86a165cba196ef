package io.scanwatch.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DistinctSketchTest {
    @Test
    void estimatesWithinItsBoundsAndUpdatesInPlaceAfterAUnion() {
        byte[] a = DistinctSketch.empty();
        byte[] b = DistinctSketch.empty();
        for (int i = 0; i < 10; i++) {
            DistinctSketch.updatable(a).update("10.0.0." + i);
            DistinctSketch.updatable(b).update("10.0.1." + i);
        }
        byte[] both = DistinctSketch.union(a, b);
        assertThat(DistinctSketch.estimate(both)).isEqualTo(20);
        for (int i = 0; i < 100_000; i++) {
            DistinctSketch.updatable(both).update("10." + (i >> 16) + "." + (i >> 8 & 255) + "." + (i & 255));
        }
        long estimate = DistinctSketch.estimate(both);
        assertThat((double) estimate).isCloseTo(100_020, within(100_020 * 0.08));
        assertThat(DistinctSketch.lowerBound(both)).isLessThanOrEqualTo(estimate);
        assertThat(DistinctSketch.upperBound(both)).isGreaterThanOrEqualTo(estimate);
        assertThat(both).hasSize(DistinctSketch.empty().length);
    }

    @Test
    void theHashIsStable() {
        assertThat(DistinctSketch.hash("10.0.0.1:22")).isEqualTo(DistinctSketch.hash("10.0.0.1:22"));
        assertThat(DistinctSketch.hash("10.0.0.1:22")).isNotEqualTo(DistinctSketch.hash("10.0.0.1:23"));
    }
}

package io.scanwatch.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CappedCountsTest {

    @Test
    void remembersAtMostCapKeysAndSaysSo() {
        CappedCounts counts = new CappedCounts();
        for (int i = 0; i < 1_000; i++) {
            counts.add("host-" + i, 1, 16);
        }
        counts.add("host-3", 5, 16);
        assertThat(counts.distinct()).isEqualTo(16);
        assertThat(counts.saturated).isTrue();
        assertThat(counts.count("host-3")).isEqualTo(6);
        assertThat(counts.count("host-999")).isZero();
    }

    @Test
    void addAllSumsAndMaxAllDoesNotCountOverlapTwice() {
        CappedCounts a = new CappedCounts();
        a.add("22", 3, 8);
        a.add("80", 1, 8);
        CappedCounts b = new CappedCounts();
        b.add("22", 2, 8);
        b.add("443", 7, 8);

        CappedCounts sum = a.copy();
        sum.addAll(b, 8);
        assertThat(sum.counts).containsExactlyInAnyOrderEntriesOf(Map.of("22", 5L, "80", 1L, "443", 7L));

        CappedCounts union = a.copy();
        union.maxAll(b, 8);
        assertThat(union.counts).containsExactlyInAnyOrderEntriesOf(Map.of("22", 3L, "80", 1L, "443", 7L));
        assertThat(a.counts).hasSize(2);
    }

    @Test
    void topIsOrderedByCountThenKey() {
        CappedCounts counts = new CappedCounts();
        counts.add("b", 2, 8);
        counts.add("a", 2, 8);
        counts.add("c", 9, 8);
        counts.add("d", 1, 8);
        assertThat(counts.top(3)).extracting(Map.Entry::getKey).containsExactly("c", "a", "b");
    }
}

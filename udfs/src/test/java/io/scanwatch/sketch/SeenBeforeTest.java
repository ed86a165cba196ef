package io.scanwatch.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeenBeforeTest {
    @Test
    void exactUpToTheCapThenABloomFilterOfBoundedSize() {
        SeenBefore seen = new SeenBefore();
        assertThat(seen.add("10.0.0.1", 4)).isTrue();
        assertThat(seen.add("10.0.0.1", 4)).as("a repeated contact").isFalse();
        for (int i = 2; i <= 4; i++) {
            assertThat(seen.add("10.0.0." + i, 4)).isTrue();
        }
        assertThat(seen.bloom).isNull();
        assertThat(seen.add("10.0.0.5", 4)).as("past the cap").isTrue();
        assertThat(seen.bloom).isNotNull();
        assertThat(seen.hashes).isEmpty();
        int size = seen.bloom.length;

        assertThat(seen.add("10.0.0.3", 4)).as("remembered across the switch").isFalse();
        int falseRepeats = 0;
        for (int i = 0; i < 5_000; i++) {
            if (!seen.add("10.1." + (i >> 8) + "." + (i & 255), 4)) {
                falseRepeats++;
            }
        }
        assertThat(falseRepeats).as("about 1 % at the filter's design size").isLessThan(100);
        assertThat(seen.bloom).hasSize(size);
    }
}

package io.scanwatch.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentlyReadTest {
    @Test
    void forgetsTheLeastRecentlyReadPastItsBound() {
        RecentlyRead<String, Integer> kept = new RecentlyRead<>(2);
        kept.put("a", 1);
        kept.put("b", 2);
        assertThat(kept.get("a")).isEqualTo(1);
        kept.put("c", 3);
        assertThat(kept).containsOnlyKeys("a", "c");
        for (int i = 0; i < 10_000; i++) {
            kept.computeIfAbsent("list " + i, key -> 0);
        }
        assertThat(kept).hasSize(2).containsOnlyKeys("list 9998", "list 9999");
    }
}

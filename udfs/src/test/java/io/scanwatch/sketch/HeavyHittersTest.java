package io.scanwatch.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class HeavyHittersTest {
    /** A hammered key among many others, each hit once, in an order drawn from {@code seed}. */
    private static List<String> hammeredAmong(String hammered, int hammering, int others, long seed) {
        List<String> stream = new ArrayList<>(Collections.nCopies(hammering, hammered));
        for (int i = 0; i < others; i++) {
            stream.add("10.0." + (i >> 8) + "." + (i & 255) + ":445");
        }
        Collections.shuffle(stream, new Random(seed));
        return stream;
    }

    private static HeavyHitters summaryOf(List<String> stream) {
        HeavyHitters summary = HeavyHitters.of(Map.of());
        stream.forEach(key -> summary.add(key, 1));
        return summary;
    }

    /** The hits the summary may miss of any key: the hits it did not keep, shared by KEYS + 1 keys at each cut. */
    private static long shortfallBound(long hits, HeavyHitters summary, List<String> keys) {
        long kept = 0;
        for (String key : keys) {
            kept += countOf(summary, key);
        }
        return (hits - kept) / (HeavyHitters.KEYS + 1);
    }

    /**
     * The summary's count of {@code key}, read through what it shows: the key given more hits than all others
     * becomes the busiest, and keeps its count plus those hits (a key it did not hold may lose the cut of others).
     */
    private static long countOf(HeavyHitters summary, String key) {
        HeavyHitters probe = summary.copy();
        probe.add(key, 1L << 40);
        return Math.max(0, probe.busiest() - (1L << 40));
    }

    @Test
    void aKeyWithMoreThanANinthOfTheHitsIsKeptWithinItsBoundWhateverTheOrder() {
        for (long seed = 0; seed < 20; seed++) {
            List<String> stream = hammeredAmong("10.1.0.1:5432", 60, 400, seed);
            HeavyHitters summary = summaryOf(stream);

            long counted = countOf(summary, "10.1.0.1:5432");
            assertThat(counted).as("a lower bound, seed %d", seed).isBetween(60 - stream.size() / 9L, 60L);
            assertThat(counted).as("kept, seed %d", seed).isPositive();
        }
    }

    @Test
    void theBusiestIsALowerBoundOfTheBusiestKeysHits() {
        Random random = new Random(7);
        for (int run = 0; run < 50; run++) {
            Map<String, Long> exact = new HashMap<>();
            HeavyHitters summary = HeavyHitters.of(Map.of());
            for (int i = 0; i < 2_000; i++) {
                String key = "k" + (int) Math.abs(random.nextGaussian() * 20);
                exact.merge(key, 1L, Long::sum);
                summary.add(key, 1);
            }
            long busiest = Collections.max(exact.values());
            long bound = shortfallBound(2_000, summary, new ArrayList<>(exact.keySet()));
            assertThat(summary.busiest()).isBetween(busiest - bound, busiest);
        }
    }

    @Test
    void summariesOfDisjointPanesAddUpToWhatTheWholeStreamTells() {
        List<String> stream = hammeredAmong("10.1.0.1:5432", 150, 300, 3);
        HeavyHitters window = summaryOf(stream.subList(0, 150));
        window.addAll(summaryOf(stream.subList(150, 300)));
        window.addAll(summaryOf(stream.subList(300, 450)));

        assertThat(window.busiest()).isBetween(150 - 450 / 9L, 150L);
        assertThat(countOf(window, "10.1.0.1:5432")).isEqualTo(window.busiest());
    }

    @Test
    void overlappingSummariesTakeEachKeysLargerCount() {
        HeavyHitters first = HeavyHitters.of(Map.of("a", 30L, "b", 5L));
        HeavyHitters second = HeavyHitters.of(Map.of("a", 20L, "b", 9L, "c", 1L));
        first.maxAll(second);

        assertThat(countOf(first, "a")).isEqualTo(30);
        assertThat(countOf(first, "b")).isEqualTo(9);
        assertThat(countOf(first, "c")).isEqualTo(1);
    }

    @Test
    void exactCountsOfMoreKeysThanItKeepsLoseTheNinthLargestEach() {
        Map<String, Long> exact = new HashMap<>();
        for (int i = 1; i <= 12; i++) {
            exact.put("k" + i, (long) i * 10);
        }
        HeavyHitters summary = HeavyHitters.of(exact);

        // The ninth largest of 10..120 is 40: the eight above it keep what exceeds it, the rest go.
        assertThat(summary.busiest()).isEqualTo(80);
        assertThat(countOf(summary, "k5")).isEqualTo(10);
        assertThat(countOf(summary, "k4")).isZero();
    }

    @Test
    void aSummaryReadsBackAsItWasWritten() throws IOException {
        HeavyHitters summary = summaryOf(hammeredAmong("10.1.0.1:5432", 60, 100, 1));
        DataOutputSerializer out = new DataOutputSerializer(64);
        summary.write(out);

        HeavyHitters read = HeavyHitters.read(new DataInputDeserializer(out.getCopyOfBuffer()));

        DataOutputSerializer again = new DataOutputSerializer(64);
        read.write(again);
        assertThat(again.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
        assertThat(read.busiest()).isEqualTo(summary.busiest());
    }
}

package io.scanwatch.job.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.model.ProbeTally;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.junit.jupiter.api.Test;

class SlidingSumsTest {
    private static final long PANE = 300_000;
    /** Small, so that windows overflow it and their sets keep samples with sketches. */
    private static final int CAP = 16;

    @Test
    void everyWindowSumsWhatItsPanesMergedInOrderDo() throws Exception {
        Random random = new Random(7);
        Map<Long, ProbeTally> panes = panes(random, 80);
        Counting merges = new Counting();
        SlidingSums<ProbeTally> sums = new SlidingSums<>(merges, PANE);
        long start = 0;
        for (int window = 0; window < 200; window++) {
            int panesInWindow = 12;
            // Mostly one slide on, at times several, back, or a jump past the panes summed: each must hold.
            int move = random.nextInt(10);
            start += PANE * (move < 6 ? 1 : move < 8 ? 3 : move == 8 ? -2 : 14);
            start = Math.floorMod(start, 60 * PANE);
            long end = start + panesInWindow * PANE;
            ProbeTally sum = sums.sum(start, end, panes::get);
            assertSame(sum, merged(panes, start, end), "window from pane " + start / PANE);
        }
    }

    @Test
    void aSlidingWindowTakesAFewMergesNotOneAPane() throws Exception {
        Map<Long, ProbeTally> panes = panes(new Random(11), 300);
        Counting counting = new Counting();
        SlidingSums<ProbeTally> sums = new SlidingSums<>(counting, PANE);
        int windows = 0;
        for (long end = 24 * PANE; end <= 300 * PANE; end += PANE) {
            sums.sum(end - 24 * PANE, end, panes::get);
            windows++;
        }
        // Merged pane by pane, each window would take 23 merges.
        assertThat(counting.merges).isLessThan(4L * windows);
    }

    @Test
    void aSumIsTheCallersOwn() throws Exception {
        Map<Long, ProbeTally> panes = panes(new Random(3), 20);
        SlidingSums<ProbeTally> sums = new SlidingSums<>(new Counting(), PANE);
        ProbeTally first = sums.sum(0, 12 * PANE, panes::get);
        first.add(1, "192.0.2.250", 9, "192.0.2.250:9", false, CAP);
        first.hosts.compact();
        assertSame(sums.sum(PANE, 13 * PANE, panes::get), merged(panes, PANE, 13 * PANE), "the next window");
    }

    @Test
    void windowsWithoutPanesSumToNothing() throws Exception {
        SlidingSums<ProbeTally> sums = new SlidingSums<>(new Counting(), PANE);
        assertThat(sums.sum(0, 12 * PANE, start -> null)).isNull();
    }

    /** Panes of a patient scanner: a few probes each, hosts from a pool larger than the cap, some panes empty. */
    private static Map<Long, ProbeTally> panes(Random random, int count) {
        Map<Long, ProbeTally> panes = new HashMap<>();
        for (int i = 0; i < count; i++) {
            if (random.nextInt(5) == 0) {
                continue;
            }
            ProbeTally pane = new ProbeTally();
            for (int probe = random.nextInt(8); probe >= 0; probe--) {
                String host = "10.0." + random.nextInt(3) + "." + random.nextInt(40);
                int port = 20 + random.nextInt(30);
                pane.add(i * PANE + probe, host, port, host + ":" + port, true, CAP);
            }
            panes.put(i * PANE, pane);
        }
        return panes;
    }

    private static ProbeTally merged(Map<Long, ProbeTally> panes, long start, long end) {
        ProbeTally sum = null;
        for (long pane = start; pane < end; pane += PANE) {
            ProbeTally part = panes.get(pane);
            if (part == null) {
                continue;
            }
            if (sum == null) {
                sum = part.copy();
            } else {
                sum.addAll(part, CAP);
            }
        }
        return sum;
    }

    /** The kept keys and their counts, the distinct counts and their bounds, the hits and the times. */
    private static void assertSame(ProbeTally actual, ProbeTally expected, String window) {
        assertThat(actual).as(window).isNotNull();
        assertThat(actual.attempts).as(window).isEqualTo(expected.attempts);
        assertThat(actual.internalAttempts).as(window).isEqualTo(expected.internalAttempts);
        assertThat(actual.firstSeen).as(window).isEqualTo(expected.firstSeen);
        assertThat(actual.lastSeen).as(window).isEqualTo(expected.lastSeen);
        for (String set : new String[] {"hosts", "ports", "services"}) {
            var got = set.equals("hosts") ? actual.hosts : set.equals("ports") ? actual.ports : actual.services;
            var want = set.equals("hosts") ? expected.hosts : set.equals("ports") ? expected.ports : expected.services;
            assertThat(got.counts).as(window + " " + set).isEqualTo(want.counts);
            assertThat(got.saturated).as(window + " " + set).isEqualTo(want.saturated);
            assertThat(got.hits).as(window + " " + set).isEqualTo(want.hits);
            assertThat(got.distinct()).as(window + " " + set).isEqualTo(want.distinct());
            assertThat(got.distinctBounds()).as(window + " " + set).isEqualTo(want.distinctBounds());
        }
    }

    /** The probes' aggregate, counting its merges. */
    private static final class Counting implements WindowAggregate<ProbeTally> {
        private final Tallies<ProbeTally> tallies = Tallies.ofProbes(CAP);
        long merges;

        @Override
        public ProbeTally create() {
            return tallies.create();
        }

        @Override
        public void add(ProbeTally accumulator, ConnectionEvent event) {
            tallies.add(accumulator, event);
        }

        @Override
        public void merge(ProbeTally into, ProbeTally other) {
            merges++;
            tallies.merge(into, other);
        }

        @Override
        public ProbeTally copy(ProbeTally accumulator) {
            return tallies.copy(accumulator);
        }

        @Override
        public long events(ProbeTally accumulator) {
            return tallies.events(accumulator);
        }

        @Override
        public TypeInformation<ProbeTally> type() {
            return tallies.type();
        }
    }
}

package io.scanwatch.job.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * The sums of one rule's windows over one key's panes as the windows slide on, in a few merges a window rather than
 * one a pane (the two-stack queue of sliding-window aggregation). The panes before a boundary are kept as sums from
 * each of them to the boundary, made once, when a window's start first passes the boundary; the panes after it as
 * one running sum. A window's sum is the sum from its first pane to the boundary with the running one.
 *
 * <p>For windows judged one after another, each starting and ending no earlier than the one before, with no event
 * between: a batch replay fires each key's timers in a row after all its events, and the slow tiers' windows of a
 * patient scanner (an hour's twelve panes every five minutes, a day's twenty-four every hour) are most of its merges.
 * Any other request starts again from the panes. Only for rules whose windows sum the same whatever order their
 * panes merge in: the {@link DetectionRule#monotone()} ones (a share condition reads a summary whose counts depend on
 * that order).
 *
 * @param <ACC> the rule's accumulator
 */
final class SlidingSums<ACC> {
    private final WindowAggregate<ACC> aggregate;
    private final long pane;

    private boolean started;
    /** The first pane {@link #older} sums from. */
    private long from;
    /** Where the older panes end and the newer begin. */
    private long boundary;
    /** The end of the newer panes, and so of the last window summed. */
    private long end;
    /** By pane from {@link #from}: the sum of the panes from it to the boundary, null where they hold nothing. */
    private final List<ACC> older = new ArrayList<>();
    /** The sum of the panes from the boundary to the end; null while they hold nothing. */
    private ACC newer;

    SlidingSums(WindowAggregate<ACC> aggregate, long pane) {
        this.aggregate = aggregate;
        this.pane = pane;
    }

    /** Forgets every sum: the key's panes changed, or the next window is another key's. */
    void reset() {
        started = false;
        older.clear();
        newer = null;
    }

    /**
     * The sum of the panes in {@code [windowStart, windowEnd)}, an accumulator of the caller's own; null when they
     * hold nothing.
     */
    ACC sum(long windowStart, long windowEnd, RuleLane.Panes<ACC> paneAt) throws Exception {
        if (!started || windowStart < from || windowEnd < end || windowStart >= end) {
            reset();
            started = true;
            from = windowStart;
            boundary = windowStart;
            end = windowStart;
        } else if (windowStart >= boundary) {
            sumBackFrom(windowStart, paneAt);
        }
        for (long start = end; start < windowEnd; start += pane) {
            ACC part = paneAt.at(start);
            if (part != null) {
                if (newer == null) {
                    newer = aggregate.copy(part);
                } else {
                    aggregate.merge(newer, part);
                }
            }
        }
        end = windowEnd;
        ACC first = windowStart < boundary ? older.get((int) ((windowStart - from) / pane)) : null;
        return sumOf(first, newer);
    }

    /**
     * A sum of its own of both, either null: the larger copied, the smaller merged into it. A capped set merged into
     * a smaller one would fill it up to its cap key by key, and sketch each key it kept when it overflows.
     */
    private ACC sumOf(ACC one, ACC other) {
        if (one == null || other == null) {
            ACC only = one == null ? other : one;
            return only == null ? null : aggregate.copy(only);
        }
        boolean oneLarger = aggregate.events(one) >= aggregate.events(other);
        ACC sum = aggregate.copy(oneLarger ? one : other);
        aggregate.merge(sum, oneLarger ? other : one);
        return sum;
    }

    /** The newer panes, from {@code start} on, become the older: each one's sum to the end, newest first. */
    private void sumBackFrom(long start, RuleLane.Panes<ACC> paneAt) throws Exception {
        int panes = (int) ((end - start) / pane);
        List<ACC> sums = new ArrayList<>(panes);
        for (int i = 0; i < panes; i++) {
            sums.add(null);
        }
        ACC after = null;
        for (int i = panes - 1; i >= 0; i--) {
            ACC part = paneAt.at(start + i * pane);
            if (part != null) {
                after = sumOf(part, after);
            }
            sums.set(i, after);
        }
        older.clear();
        older.addAll(sums);
        from = start;
        boundary = end;
        newer = null;
    }
}

package io.scanwatch.job.detect;

import java.io.Serializable;
import java.util.List;

/**
 * The panes of a group of rules that share them: a pane is the greatest common divisor of every window and slide of
 * the group, and is kept until the group's longest window has passed it.
 */
record PaneGeometry(long pane, long retention) implements Serializable {
    static PaneGeometry of(List<? extends DetectionRule<?>> rules) {
        long gcd = 0;
        long longest = 0;
        for (DetectionRule<?> rule : rules) {
            gcd = gcd(gcd, rule.window().toMillis());
            gcd = gcd(gcd, rule.slide().toMillis());
            longest = Math.max(longest, rule.window().toMillis());
        }
        return new PaneGeometry(gcd, longest);
    }

    long paneOf(long timestamp) {
        return Math.floorDiv(timestamp, pane) * pane;
    }

    /** When the last window that holds an event at {@code timestamp} has passed. */
    long expiry(long timestamp) {
        return paneOf(timestamp) + retention;
    }

    /** Whether the group still holds the pane of an event at {@code timestamp}, with the watermark at {@code watermark}. */
    boolean holds(long timestamp, long watermark) {
        return expiry(timestamp) - 1 > watermark;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}

package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.config.RuleSettings;
import io.scanwatch.job.model.Detection;
import java.time.Duration;

/**
 * One detector's logic, run by {@link PanedWindowDetector}: which events it looks at, how it keys them, its
 * window, how it sums them up, and what a window's sum must show for it to fire.
 *
 * @param <ACC> the rule's accumulator, see {@link #aggregate()}
 */
public interface DetectionRule<ACC> extends EventSelector {
    /** Operator name and uid stem, e.g. {@code network-scan-sliding}. */
    String id();

    /**
     * Rules of one group accept the same events under the same key and sum them up the same way: they share one
     * operator and its panes, and each event crosses the network once for all of them.
     */
    default String group() {
        return id();
    }

    Duration window();

    /** Equal to {@link #window()} for a tumbling window. */
    Duration slide();

    String key(ConnectionEvent event);

    WindowAggregate<ACC> aggregate();

    /** Severity, ATT&CK techniques and suppression of what the rule raises. */
    RuleSettings settings();

    /**
     * @return a detection when the window's sum fires the rule, else null. Must be monotone (a window holding
     *     more never fires less): the detector skips windows whose content an earlier evaluated window holds.
     */
    Detection evaluate(String key, ACC window, long windowStart, long windowEnd);

    /**
     * Whether a window holding one event can fire. When no rule of a group can, a key's first event waits for a
     * second without timers of its own: a flood of single-probe sources costs one timer each, for cleanup.
     */
    default boolean firesOnOneEvent() {
        return true;
    }

    default String windowKind() {
        return window().equals(slide()) ? "tumbling" : "sliding";
    }
}

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
    /** Rule id in the operator's name and uid, e.g. {@code network-scan-sliding}. */
    String id();

    /**
     * Rules of one group accept the same events under the same key and sum them up the same way: those that slide by
     * the same step share their panes ({@link RuleLane#of}).
     */
    default String group() {
        return id();
    }

    /**
     * Rules keyed alike share one keyed operator (a group's rules of one slide a lane of panes in it): an event crosses the network
     * once for all of them, and a key seen once is kept once. Rules that return the same value must return the same
     * {@link #key} for every event.
     */
    default String keyedBy() {
        return group();
    }

    /** {@link #keyedBy()} of the rules keyed by the source address alone. */
    String BY_SOURCE = "source";

    Duration window();

    /** Equal to {@link #window()} for a tumbling window. */
    Duration slide();

    String key(ConnectionEvent event);

    WindowAggregate<ACC> aggregate();

    /** Severity, ATT&CK techniques and suppression of what the rule raises. */
    RuleSettings settings();

    /**
     * @return a detection when the window's sum fires the rule, else null. For a {@link #monotone()} rule a window
     *     holding more never fires less, so the detector skips windows whose content an earlier judged window holds.
     */
    Detection evaluate(String key, ACC window, long windowStart, long windowEnd);

    /**
     * Whether {@link #evaluate} never fires less on a window that holds more. A rule with a share condition is not
     * ({@link ShareRule}: the network scan's dominant service, the distributed rules' busiest member): a window that
     * sheds a slide dominated by one service or member may fire where the window before it did not. Asked once, at
     * start, of the rule as configured then, so a rule whose share a live change may set is not, whatever its share
     * at start.
     */
    default boolean monotone() {
        return true;
    }

    /**
     * Of a window that did not fire: whether it would have but for a share, so that the window after it, which
     * sheds its first slide, is judged although its last slide holds nothing. Only for rules not {@link #monotone()}.
     */
    default boolean withheld(ACC window) {
        return false;
    }

    /**
     * The fewest events a window must hold before the rule can fire, whatever they are: a window of fewer is not
     * evaluated, and its panes are not merged (most windows of an edge's clients hold a few connections). When no
     * rule of a group can fire on one event, a key's first event waits for a second without timers of its own: a
     * flood of single-probe sources costs a compact probe each, and a cleanup timer each but on the heap backend
     * (swept there).
     */
    default long minimumEvents() {
        return 1;
    }

    default String windowKind() {
        return window().equals(slide()) ? "tumbling" : "sliding";
    }
}

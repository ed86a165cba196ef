package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.model.Detection;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

/**
 * The rules of one group inside a {@link PanedWindowDetector}: they accept the same events and sum them up the same
 * way, so they share panes, one map of them per key. A pane is the greatest common divisor of every window and
 * slide of the group; a window is the union of the panes inside it.
 *
 * @param <ACC> the group's accumulator
 */
final class RuleLane<ACC> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<DetectionRule<ACC>> rules;
    /** Where the lane's rules start in the detector's list, and so in a live change's judging rules. */
    private final int offset;

    private final WindowAggregate<ACC> aggregate;
    private final PaneGeometry geometry;

    private transient MapState<Long, ACC> panes;

    RuleLane(List<DetectionRule<ACC>> rules, int offset) {
        this.rules = List.copyOf(rules);
        this.offset = offset;
        this.aggregate = rules.get(0).aggregate();
        for (DetectionRule<ACC> rule : rules) {
            if (!rule.aggregate().equals(aggregate)) {
                throw new IllegalArgumentException(
                        "rules " + rules.get(0).id() + " and " + rule.id() + " share a group but not an aggregate");
            }
        }
        this.geometry = PaneGeometry.of(rules);
    }

    /** The panes' state name: one per group, so that groups keyed alike may share an operator. */
    String stateName() {
        return PanedWindowDetector.PANES + "-" + rules.get(0).group();
    }

    void open(RuntimeContext context) {
        panes = context.getMapState(new MapStateDescriptor<>(stateName(), Types.LONG, aggregate.type()));
    }

    boolean accepts(ConnectionEvent event) {
        return rules.get(0).accepts(event);
    }

    boolean readsSource() {
        return aggregate.readsSource();
    }

    /** Whether any of the lane's rules, as a live change judges them, can fire on a window of one event. */
    boolean firesOnOneEvent(List<DetectionRule<?>> judging) {
        for (int i = 0; i < rules.size(); i++) {
            DetectionRule<?> rule = judging.get(offset + i);
            if (rule != null && rule.minimumEvents() <= 1) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() throws Exception {
        return panes.isEmpty();
    }

    /**
     * Whether a timer ending at {@code windowEnd} can be the lane's: every window end and cleanup of the lane is on
     * a pane boundary, so a lane with longer panes (the slow tiers') is not read at every minute of the others.
     */
    boolean due(long windowEnd) {
        return Math.floorMod(windowEnd, geometry.pane()) == 0;
    }

    /** When the last window that holds an event at {@code timestamp} has passed. */
    long expiry(long timestamp) {
        return geometry.expiry(timestamp);
    }

    /** Whether the lane's windows still hold an event at {@code timestamp}. */
    boolean holds(long timestamp, long watermark) {
        return geometry.holds(timestamp, watermark);
    }

    /** Straight into the pane: no accumulator per event on the hot path. */
    void add(ConnectionEvent event) throws Exception {
        long paneStart = paneOf(event.timestamp);
        ACC sum = panes.get(paneStart);
        if (sum == null) {
            sum = aggregate.create();
        }
        aggregate.add(sum, event);
        panes.put(paneStart, sum);
    }

    /**
     * Timers for the windows of every rule that hold the event's pane and have it in their last slide.
     *
     * @return the timers set at or behind the watermark, for a late event: windows that hold it were evaluated
     *     without it, and are due again (empty for an event on time)
     */
    List<Long> registerWindows(long timestamp, long watermark, TimerService timers) {
        long paneStart = paneOf(timestamp);
        List<Long> late = List.of();
        for (DetectionRule<ACC> rule : rules) {
            long slide = rule.slide().toMillis();
            // The end of the first window of this rule that holds the pane.
            long windowEnd = Math.floorDiv(paneStart + geometry.pane() + slide - 1, slide) * slide;
            timers.registerEventTimeTimer(windowEnd - 1);
            if (windowEnd - 1 <= watermark) {
                // A late event: the windows that hold its pane were evaluated without it. Each is evaluated again
                // (timers in the past fire with the next watermark); a scan seen again joins its open alert.
                late = new ArrayList<>(late);
                late.add(windowEnd - 1);
                for (long end = windowEnd + slide;
                        end < paneStart + rule.window().toMillis() + slide;
                        end += slide) {
                    timers.registerEventTimeTimer(end - 1);
                    if (end - 1 <= watermark) {
                        late.add(end - 1);
                    }
                }
            }
        }
        return late;
    }

    /**
     * Evaluates the lane's windows that end at {@code windowEnd}, over the key's first probe (when it is the lane's
     * only event) or its panes; drops the panes no window will hold again.
     *
     * @param first the lane's only event, or null when the lane has panes
     * @param evaluate false when only the cleanup is due: a window evaluated again for another lane's late event
     * @param judging the rules of the change in effect at the window's end, in the detector's order
     * @return the newest pane the lane still holds; {@link Long#MIN_VALUE} if none, or when judging a first probe
     */
    long fire(
            long windowEnd,
            ConnectionEvent first,
            boolean evaluate,
            List<DetectionRule<?>> judging,
            String key,
            boolean late,
            Collector<Detection> out)
            throws Exception {
        List<Map.Entry<Long, ACC>> live = new ArrayList<>();
        if (first != null) {
            if (!evaluate) {
                return Long.MIN_VALUE;
            }
            ACC only = aggregate.create();
            aggregate.add(only, first);
            live.add(Map.entry(paneOf(first.timestamp), only));
        } else {
            for (Map.Entry<Long, ACC> entry : panes.entries()) {
                live.add(entry);
            }
            // Newest first: when a capped set fills up, what the source is doing now wins over what was reported.
            live.sort(Map.Entry.<Long, ACC>comparingByKey().reversed());
        }
        if (evaluate) {
            evaluate(live, windowEnd, judging, key, late, out);
        }
        if (first != null) {
            return Long.MIN_VALUE;
        }
        long newest = Long.MIN_VALUE;
        for (Map.Entry<Long, ACC> entry : live) {
            if (entry.getKey() + geometry.retention() <= windowEnd) {
                panes.remove(entry.getKey());
            } else {
                newest = Math.max(newest, entry.getKey());
            }
        }
        return newest;
    }

    /** When the newest pane a lane holds leaves its last window: the lane's next cleanup. */
    long cleanupOf(long newestPane) {
        return newestPane + geometry.retention();
    }

    @SuppressWarnings("unchecked") // the judging rules are of the same kinds as the lane's, so the same aggregate
    private void evaluate(
            List<Map.Entry<Long, ACC>> live,
            long windowEnd,
            List<DetectionRule<?>> judging,
            String key,
            boolean late,
            Collector<Detection> out) {
        for (int i = 0; i < rules.size(); i++) {
            DetectionRule<ACC> rule = (DetectionRule<ACC>) judging.get(offset + i);
            long slide = rules.get(i).slide().toMillis();
            if (rule != null && Math.floorMod(windowEnd, slide) == 0 && holdsData(live, windowEnd - slide, windowEnd)) {
                long windowStart = windowEnd - rule.window().toMillis();
                if (events(live, windowStart, windowEnd) < rule.minimumEvents()) {
                    continue;
                }
                ACC window = null;
                for (Map.Entry<Long, ACC> entry : live) {
                    if (entry.getKey() >= windowStart && entry.getKey() < windowEnd) {
                        if (window == null) {
                            window = aggregate.copy(entry.getValue());
                        } else {
                            aggregate.merge(window, entry.getValue());
                        }
                    }
                }
                Detection detection = rule.evaluate(key, window, windowStart, windowEnd);
                if (detection != null) {
                    detection.late = late;
                    out.collect(detection);
                }
            }
        }
    }

    private long events(List<Map.Entry<Long, ACC>> live, long windowStart, long windowEnd) {
        long events = 0;
        for (Map.Entry<Long, ACC> entry : live) {
            if (entry.getKey() >= windowStart && entry.getKey() < windowEnd) {
                events += aggregate.events(entry.getValue());
            }
        }
        return events;
    }

    private long paneOf(long timestamp) {
        return geometry.paneOf(timestamp);
    }

    private static <ACC> boolean holdsData(List<Map.Entry<Long, ACC>> live, long from, long to) {
        for (Map.Entry<Long, ACC> entry : live) {
            if (entry.getKey() >= from && entry.getKey() < to) {
                return true;
            }
        }
        return false;
    }
}

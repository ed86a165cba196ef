package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.config.ConfigLayers;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.control.ControlTimeline;
import io.scanwatch.job.model.ControlChange;
import io.scanwatch.job.model.Detection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs {@link DetectionRule}s that share their events and key (e.g. the tumbling and the sliding network scan)
 * over event-time windows built from panes. A pane is the greatest common divisor of every window and slide; an
 * event updates only its own pane, and when the watermark passes a rule's slide boundary, its window is the union
 * of the panes inside it. Flink's own sliding windows copy every event into each overlapping window instead, and
 * one operator per rule would shuffle and keep every event once per rule.
 *
 * <p>Only windows whose last slide holds data are evaluated: any other window's content is contained in an
 * earlier window that ended with data, so it cannot fire when that one did not. Panes older than the longest
 * window are dropped as the watermark passes, and a key that goes quiet leaves no state and no timers. A source
 * seen once is kept as a {@link FirstProbe} rather than a pane: a flood of spoofed sources costs a few dozen
 * bytes of state each.
 *
 * <p>Events behind the watermark (allowed up to the longest window by routing) still count: their pane is updated
 * and every window that holds it is evaluated again, with whatever panes it still retains. A detection from a
 * window evaluated again after its end had passed is marked {@link Detection#late}.
 *
 * <p>Live changes come on the broadcast input: a window is judged by the thresholds, severities and enabled flags
 * of the change in effect at its end ({@link ControlTimeline}); its geometry never changes while running.
 */
public class PanedWindowDetector<ACC>
        extends KeyedBroadcastProcessFunction<String, ConnectionEvent, ControlChange, Detection> {
    private final List<DetectionRule<ACC>> rules;
    private final ControlTimeline<Judging<ACC>> timeline;
    private final WindowAggregate<ACC> aggregate;
    private final long pane;
    private final long retention;

    static final String PANES = "panes";
    static final String FIRST_PROBE = "first-probe";

    private transient MapState<Long, ACC> panes;
    private transient ValueState<FirstProbe> firstSight;
    /**
     * Sources whose state this subtask holds (gauge {@code sources.tracked}): counted from the restored state at
     * start ({@link PanedWindowOperator}), then up when a source's first event comes and down when its state ends.
     */
    private transient long trackedSources;
    /**
     * The operator's watermark when the last event arrived. Timers at or before it were registered for late events
     * (on-time timers are always ahead of the watermark), so the windows they end are being evaluated again.
     */
    private transient long watermarkAtLastEvent;

    public PanedWindowDetector(DetectionRule<ACC> rule) {
        this(List.of(rule), null);
    }

    /**
     * @param rules rules that accept the same events under the same key and share their aggregate
     * @param layers the start-up configuration, to derive the rules of live changes; null without live control
     */
    public PanedWindowDetector(List<DetectionRule<ACC>> rules, ConfigLayers layers) {
        this.rules = List.copyOf(rules);
        List<String> ids = this.rules.stream().map(DetectionRule::id).toList();
        List<DetectionRule<ACC>> startup = this.rules;
        this.timeline =
                new ControlTimeline<>(layers, () -> Judging.of(startup), config -> Judging.of(sameRules(ids, config)));
        this.aggregate = rules.get(0).aggregate();
        long gcd = 0;
        long longest = 0;
        for (DetectionRule<ACC> rule : rules) {
            if (!rule.aggregate().equals(aggregate)) {
                throw new IllegalArgumentException(
                        "rules " + rules.get(0).id() + " and " + rule.id() + " share a group but not an aggregate");
            }
            gcd = gcd(gcd, rule.window().toMillis());
            gcd = gcd(gcd, rule.slide().toMillis());
            longest = Math.max(longest, rule.window().toMillis());
        }
        this.pane = gcd;
        this.retention = longest;
    }

    /**
     * The rules of one configuration, in the order of the start-up ones (null where one is disabled), and whether
     * any can fire on a window of one event: a live change may lower a threshold that far.
     */
    private record Judging<ACC>(List<DetectionRule<ACC>> rules, boolean firesOnOneEvent) {
        static <ACC> Judging<ACC> of(List<DetectionRule<ACC>> rules) {
            return new Judging<>(rules, rules.stream().anyMatch(rule -> rule != null && rule.firesOnOneEvent()));
        }
    }

    /** The rules of a changed configuration in the order of {@code ids}; null where one is disabled. */
    @SuppressWarnings("unchecked") // the same rule kinds as at start, so the same aggregate
    private static <ACC> List<DetectionRule<ACC>> sameRules(List<String> ids, ScanwatchConfig config) {
        List<DetectionRule<?>> all = RuleRegistry.rules(config, RuleContext.of(config));
        List<DetectionRule<ACC>> found = new ArrayList<>();
        for (String id : ids) {
            found.add((DetectionRule<ACC>) all.stream()
                    .filter(rule -> rule.id().equals(id))
                    .findFirst()
                    .orElse(null));
        }
        return found;
    }

    /** Operator uid: the rules and their geometry, so that state of another pane size is never restored here. */
    public static String uid(List<? extends DetectionRule<?>> rules) {
        StringBuilder uid = new StringBuilder("detect");
        for (DetectionRule<?> rule : rules) {
            uid.append('-').append(rule.id()).append('-').append(text(rule.window()));
            if (!rule.slide().equals(rule.window())) {
                uid.append('/').append(text(rule.slide()));
            }
        }
        return uid.toString();
    }

    private static String text(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    @Override
    public void open(OpenContext openContext) {
        panes = getRuntimeContext().getMapState(new MapStateDescriptor<>(PANES, Types.LONG, aggregate.type()));
        @SuppressWarnings("unchecked") // a subclass, when the aggregate needs the source
        TypeInformation<FirstProbe> firstType = (TypeInformation<FirstProbe>)
                (aggregate.readsSource()
                        ? TypeInformation.of(SourcedFirstProbe.class)
                        : TypeInformation.of(FirstProbe.class));
        firstSight = getRuntimeContext().getState(new ValueStateDescriptor<>(FIRST_PROBE, firstType));
        getRuntimeContext().getMetricGroup().addGroup("sources").gauge("tracked", (Gauge<Long>) () -> trackedSources);
        watermarkAtLastEvent = Long.MIN_VALUE;
    }

    @Override
    public void processBroadcastElement(ControlChange change, Context ctx, Collector<Detection> out) throws Exception {
        timeline.add(ctx.getBroadcastState(ControlTimeline.CHANGES), change);
    }

    @Override
    public void processElement(ConnectionEvent event, ReadOnlyContext ctx, Collector<Detection> out) throws Exception {
        long paneStart = paneOf(event.timestamp);
        long watermark = ctx.timerService().currentWatermark();
        watermarkAtLastEvent = watermark;
        FirstProbe first = firstSight.value();
        if (first == null && panes.isEmpty()) {
            firstSight.update(aggregate.readsSource() ? SourcedFirstProbe.of(event) : FirstProbe.of(event));
            trackedSources++;
            if (!firesOnOneEvent(ctx, event.timestamp)) {
                // Windows holding only this probe cannot fire: until a second comes, only the cleanup is due.
                ctx.timerService().registerEventTimeTimer(paneStart + retention - 1);
                return;
            }
        } else {
            if (first != null) {
                addToPane(first.event());
                firstSight.clear();
                if (!firesOnOneEvent(ctx, first.timestamp)) {
                    // Now they can: the first probe's windows are due too (the second may be the earlier one).
                    registerWindows(paneOf(first.timestamp), watermark, ctx);
                }
            }
            addToPane(event);
        }
        registerWindows(paneStart, watermark, ctx);
    }

    /**
     * Whether a window of one event at {@code time} can fire under the change in effect then. Asked only for a
     * source's first and second event: the broadcast state is not read for every event.
     */
    private boolean firesOnOneEvent(ReadOnlyContext ctx, long time) throws Exception {
        return timeline.at(ctx.getBroadcastState(ControlTimeline.CHANGES), time).firesOnOneEvent();
    }

    /** Timers for the windows of every rule that hold the pane and have it in their last slide. */
    private void registerWindows(long paneStart, long watermark, ReadOnlyContext ctx) {
        for (DetectionRule<ACC> rule : rules) {
            long slide = rule.slide().toMillis();
            // The end of the first window of this rule that holds the pane.
            long windowEnd = Math.floorDiv(paneStart + pane + slide - 1, slide) * slide;
            ctx.timerService().registerEventTimeTimer(windowEnd - 1);
            if (windowEnd - 1 <= watermark) {
                // A late event: the windows that hold its pane were evaluated without it. Each is evaluated again
                // (timers in the past fire with the next watermark); a scan seen again joins its open alert.
                for (long end = windowEnd + slide;
                        end < paneStart + rule.window().toMillis() + slide;
                        end += slide) {
                    ctx.timerService().registerEventTimeTimer(end - 1);
                }
            }
        }
    }

    /** The sources the restored state holds, counted by the operator once state is restored. */
    void restoredSources(long sources) {
        trackedSources = sources;
    }

    long trackedSources() {
        return trackedSources;
    }

    private long paneOf(long timestamp) {
        return Math.floorDiv(timestamp, pane) * pane;
    }

    /** Straight into the pane: no accumulator per event on the hot path. */
    private void addToPane(ConnectionEvent event) throws Exception {
        long paneStart = paneOf(event.timestamp);
        ACC pane = panes.get(paneStart);
        if (pane == null) {
            pane = aggregate.create();
        }
        aggregate.add(pane, event);
        panes.put(paneStart, pane);
    }

    private ACC paneOf(FirstProbe first) {
        ACC pane = aggregate.create();
        aggregate.add(pane, first.event());
        return pane;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Detection> out) throws Exception {
        long windowEnd = timestamp + 1;
        FirstProbe first = firstSight.value();
        List<Map.Entry<Long, ACC>> live = new ArrayList<>();
        if (first != null) {
            live.add(Map.entry(paneOf(first.timestamp), paneOf(first)));
        } else {
            for (Map.Entry<Long, ACC> entry : panes.entries()) {
                live.add(entry);
            }
            // Newest first: when a capped set fills up, what the source is doing now wins over what was reported.
            live.sort(Map.Entry.<Long, ACC>comparingByKey().reversed());
        }

        List<DetectionRule<ACC>> judging = timeline.at(ctx.getBroadcastState(ControlTimeline.CHANGES), timestamp)
                .rules();
        for (int i = 0; i < rules.size(); i++) {
            DetectionRule<ACC> rule = judging.get(i);
            long slide = rules.get(i).slide().toMillis();
            if (rule != null && Math.floorMod(windowEnd, slide) == 0 && holdsData(live, windowEnd - slide, windowEnd)) {
                long windowStart = windowEnd - rule.window().toMillis();
                ACC window = aggregate.create();
                for (Map.Entry<Long, ACC> entry : live) {
                    if (entry.getKey() >= windowStart && entry.getKey() < windowEnd) {
                        aggregate.merge(window, entry.getValue());
                    }
                }
                Detection detection = rule.evaluate(ctx.getCurrentKey(), window, windowStart, windowEnd);
                if (detection != null) {
                    detection.late = timestamp <= watermarkAtLastEvent;
                    out.collect(detection);
                }
            }
        }

        long newestPane = Long.MIN_VALUE;
        for (Map.Entry<Long, ACC> entry : live) {
            if (entry.getKey() + retention <= windowEnd) {
                if (first != null) {
                    firstSight.clear();
                } else {
                    panes.remove(entry.getKey());
                }
            } else {
                newestPane = Math.max(newestPane, entry.getKey());
            }
        }
        if (newestPane != Long.MIN_VALUE) {
            // The newest pane leaves the last window that holds it at newestPane + retention.
            ctx.timerService().registerEventTimeTimer(newestPane + retention - 1);
        } else if (!live.isEmpty()) {
            trackedSources--;
        }
    }

    private static <ACC> boolean holdsData(List<Map.Entry<Long, ACC>> live, long from, long to) {
        for (Map.Entry<Long, ACC> entry : live) {
            if (entry.getKey() >= from && entry.getKey() < to) {
                return true;
            }
        }
        return false;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}

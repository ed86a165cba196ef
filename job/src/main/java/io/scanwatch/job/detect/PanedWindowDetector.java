package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.config.ConfigLayers;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.control.ControlTimeline;
import io.scanwatch.job.model.ControlChange;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.runtime.TaskManagerJava;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Runs the {@link DetectionRule}s keyed alike (e.g. every rule keyed by source: connscan, the tumbling and sliding
 * network scan, the slow tiers) in one keyed operator, so that an event crosses the network once for all of them,
 * over event-time windows built from panes. Rules that also accept the same events, share their aggregate and slide
 * by the same step form a {@link RuleLane} with one map of panes per key. An event updates only its own pane in each
 * lane that accepts it, and when the watermark passes a rule's slide boundary, its window is the union of the panes
 * inside it. Flink's own sliding windows copy every event into each overlapping window instead.
 *
 * <p>Only windows whose last slide holds data are evaluated: any other window's content is contained in an
 * earlier window that ended with data, so it cannot fire when that one did not. Panes older than their lane's
 * longest window are dropped as the watermark passes, and a key that goes quiet leaves no state and no timers. A
 * key's first event is kept as one {@link FirstProbe} rather than as panes, for the lanes that take it: a flood of
 * spoofed sources costs a few dozen bytes of state each, and a timer each where timers are not on the heap (on the
 * heap backend the operator sweeps idle first probes instead, {@link FirstProbeSweep}). A later event turns it into a pane in the
 * lanes that take that event.
 *
 * <p>Events behind the watermark (allowed up to the longest window by routing) still count in the lanes whose
 * windows still hold them: their pane is updated and every window of those lanes that holds it is evaluated again,
 * with whatever panes it still retains; the other lanes' windows, evaluated already, are not. A lane whose windows
 * have all passed an event does not take it (routing counted it, {@link RuleWindows}). A detection from a window
 * evaluated again after its end had passed is marked {@link Detection#late}.
 *
 * <p>Live changes come on the broadcast input: a window is judged by the thresholds, severities and enabled flags
 * of the change in effect at its end ({@link ControlTimeline}); its geometry never changes while running.
 */
public class PanedWindowDetector
        extends KeyedBroadcastProcessFunction<String, ConnectionEvent, ControlChange, Detection> {
    private final List<RuleLane<?>> lanes;
    private final ControlTimeline<List<DetectionRule<?>>> timeline;
    private final boolean firstKeepsSource;

    static final String PANES = "panes";
    static final String FIRST_PROBE = "first-probe";
    static final String LATE_TIMERS = "late-timers";
    /** Every lane of a detector, a bit each: at most 31. */
    private static final int ALL_LANES = -1;

    private transient ValueState<FirstProbe> firstSight;
    /**
     * Timers set for late events, with the lanes (a bit each) whose windows they evaluate again: at those times the
     * other lanes' windows were evaluated already, and evaluating them again would raise their alerts again once
     * the alerts' episodes have ended.
     */
    private transient MapState<Long, Integer> lateTimers;
    /**
     * Sources whose state this subtask holds (gauge {@code sources.tracked}): counted from the restored state at
     * start ({@link PanedWindowOperator}), then up when a source's first event comes and down when its state ends.
     */
    private transient long trackedSources;
    /** Where idle first probes wait to be ended, on the heap backend; null where each has a timer instead. */
    private transient FirstProbeSweep sweep;

    public PanedWindowDetector(DetectionRule<?> rule) {
        this(List.of(rule), null);
    }

    /**
     * @param rules rules under the same key; those of one {@link DetectionRule#group()} share their aggregate
     * @param layers the start-up configuration, to derive the rules of live changes; null without live control
     */
    public PanedWindowDetector(List<? extends DetectionRule<?>> rules, ConfigLayers layers) {
        List<RuleLane<?>> lanes = new ArrayList<>();
        List<DetectionRule<?>> ordered = new ArrayList<>();
        for (RuleLane.Spec lane : RuleLane.of(rules)) {
            lanes.add(new RuleLane<>(lane, ordered.size()));
            ordered.addAll(lane.rules());
        }
        if (lanes.size() > Integer.SIZE - 1) {
            throw new IllegalArgumentException("at most 31 rule lanes share a detector, got " + lanes.size());
        }
        this.lanes = List.copyOf(lanes);
        this.firstKeepsSource = lanes.stream().anyMatch(RuleLane::readsSource);
        List<String> ids = ordered.stream().map(DetectionRule::id).toList();
        List<DetectionRule<?>> startup = List.copyOf(ordered);
        this.timeline = new ControlTimeline<>(layers, () -> startup, config -> sameRules(ids, config));
    }

    /** The rules of a changed configuration in the order of {@code ids}; null where one is disabled. */
    private static List<DetectionRule<?>> sameRules(List<String> ids, ScanwatchConfig config) {
        List<DetectionRule<?>> all = RuleRegistry.rules(config, RuleContext.of(config));
        List<DetectionRule<?>> found = new ArrayList<>();
        for (String id : ids) {
            found.add(all.stream()
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

    static String text(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    /** The names of the keyed states that hold a source's events: it is tracked while any holds it. */
    List<String> stateNames() {
        List<String> names = new ArrayList<>();
        names.add(FIRST_PROBE);
        lanes.forEach(lane -> names.add(lane.stateName()));
        return names;
    }

    @Override
    public void open(OpenContext openContext) {
        TaskManagerJava.check();
        lanes.forEach(lane -> lane.open(getRuntimeContext()));
        @SuppressWarnings("unchecked") // a subclass, when an aggregate needs the source
        TypeInformation<FirstProbe> firstType = (TypeInformation<FirstProbe>)
                (firstKeepsSource ? TypeInformation.of(SourcedFirstProbe.class) : TypeInformation.of(FirstProbe.class));
        firstSight = getRuntimeContext().getState(new ValueStateDescriptor<>(FIRST_PROBE, firstType));
        lateTimers = getRuntimeContext().getMapState(new MapStateDescriptor<>(LATE_TIMERS, Types.LONG, Types.INT));
        getRuntimeContext().getMetricGroup().addGroup("sources").gauge("tracked", (Gauge<Long>) () -> trackedSources);
    }

    @Override
    public void processBroadcastElement(ControlChange change, Context ctx, Collector<Detection> out) throws Exception {
        timeline.add(ctx.getBroadcastState(ControlTimeline.CHANGES), change);
    }

    @Override
    public void processElement(ConnectionEvent event, ReadOnlyContext ctx, Collector<Detection> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        int taking = lanesTaking(event) & lanesHolding(event.timestamp, watermark);
        FirstProbe first = firstProbe();
        if (first == null && lanesEmpty(taking)) {
            if (taking != 0) {
                keepFirst(event, taking, watermark, ctx);
            }
            return;
        }
        if (first != null && (first.lanes & taking) != 0) {
            // The first probe becomes a pane in the lanes that take this event (unless their windows have all
            // passed it); the others keep it compact.
            ConnectionEvent earlier = first.event();
            List<DetectionRule<?>> judging = judging(ctx, first.timestamp);
            for (int i = 0; i < lanes.size(); i++) {
                RuleLane<?> lane = lanes.get(i);
                if ((first.lanes & taking & bit(i)) != 0 && lane.holds(first.timestamp, watermark)) {
                    lane.add(earlier);
                    // Now its windows can fire: they are due too (the second may be the earlier one).
                    if (!lane.firesOnOneEvent(judging)) {
                        markLate(lane.registerWindows(earlier.timestamp, watermark, ctx.timerService()), i);
                    }
                }
            }
            first.lanes &= ~taking;
            if (first.lanes == 0) {
                firstSight.clear();
            } else {
                firstSight.update(first);
            }
        }
        for (int i = 0; i < lanes.size(); i++) {
            RuleLane<?> lane = lanes.get(i);
            if ((taking & bit(i)) != 0) {
                lane.add(event);
                markLate(lane.registerWindows(event.timestamp, watermark, ctx.timerService()), i);
            }
        }
    }

    /** A key's first event, in the lanes that take it: one compact probe, and one timer for the cleanup. */
    private void keepFirst(ConnectionEvent event, int taking, long watermark, ReadOnlyContext ctx) throws Exception {
        FirstProbe first = firstKeepsSource ? SourcedFirstProbe.of(event) : FirstProbe.of(event);
        first.lanes = taking;
        firstSight.update(first);
        if (lanesEmpty(ALL_LANES)) {
            trackedSources++;
        }
        // Windows holding only this probe fire only where a rule can fire on one event; elsewhere only the cleanup
        // is due until a second comes (and is registered by the windows' timers, if any).
        List<DetectionRule<?>> judging = judging(ctx, event.timestamp);
        boolean windows = false;
        for (int i = 0; i < lanes.size(); i++) {
            RuleLane<?> lane = lanes.get(i);
            if ((taking & bit(i)) != 0 && lane.firesOnOneEvent(judging)) {
                windows = true;
                markLate(lane.registerWindows(event.timestamp, watermark, ctx.timerService()), i);
            }
        }
        if (!windows && sweep != null) {
            sweep.add(expiry(first) - 1, ctx.getCurrentKey());
        } else if (!windows) {
            ctx.timerService().registerEventTimeTimer(expiry(first) - 1);
        }
    }

    /** Notes the lane's timers set for a late event: they evaluate its windows again, not the other lanes'. */
    private void markLate(List<Long> timers, int lane) throws Exception {
        for (long timer : timers) {
            Integer marked = lateTimers.get(timer);
            lateTimers.put(timer, marked == null ? bit(lane) : marked | bit(lane));
        }
    }

    /**
     * The key's first probe. One restored from a savepoint taken before probes named their lanes (state version 2
     * at its start) stands for every lane that takes it.
     */
    private FirstProbe firstProbe() throws Exception {
        FirstProbe first = firstSight.value();
        if (first != null && first.lanes == 0) {
            first.lanes = lanesTaking(first.event());
        }
        return first;
    }

    private int lanesTaking(ConnectionEvent event) {
        int taking = 0;
        for (int i = 0; i < lanes.size(); i++) {
            if (lanes.get(i).accepts(event)) {
                taking |= bit(i);
            }
        }
        return taking;
    }

    /**
     * The lanes whose windows still hold an event at {@code timestamp}. A lane whose windows have all passed it
     * takes it no more: the pane would be evaluated and dropped at the next watermark, so a late burst would be
     * judged in pieces, each without the others (and without the first probe, which it is not given either).
     */
    private int lanesHolding(long timestamp, long watermark) {
        int holding = 0;
        for (int i = 0; i < lanes.size(); i++) {
            if (lanes.get(i).holds(timestamp, watermark)) {
                holding |= bit(i);
            }
        }
        return holding;
    }

    private static int bit(int lane) {
        return 1 << lane;
    }

    /** When the last window of the lanes the first probe stands for has passed. */
    private long expiry(FirstProbe first) {
        long expiry = Long.MIN_VALUE;
        for (int i = 0; i < lanes.size(); i++) {
            if ((first.lanes & bit(i)) != 0) {
                expiry = Math.max(expiry, lanes.get(i).expiry(first.timestamp));
            }
        }
        return expiry;
    }

    /** Whether the lanes {@code which} (a bit each) hold no panes. */
    private boolean lanesEmpty(int which) throws Exception {
        for (int i = 0; i < lanes.size(); i++) {
            if ((which & bit(i)) != 0 && !lanes.get(i).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The rules of the change in effect at {@code time}: read for a key's first and second event, not for every. */
    private List<DetectionRule<?>> judging(ReadOnlyContext ctx, long time) throws Exception {
        return timeline.at(ctx.getBroadcastState(ControlTimeline.CHANGES), time);
    }

    /** From now on a first probe that sets no window's timer waits in {@code sweep} rather than set a timer. */
    void sweepFirstProbes(FirstProbeSweep sweep) {
        this.sweep = sweep;
    }

    /** Adds the current key's first probe, restored from a checkpoint, to the sweep. */
    void sweepRestored(String key) throws Exception {
        FirstProbe first = firstProbe();
        if (first != null) {
            sweep.add(expiry(first) - 1, key);
        }
    }

    /**
     * Swept at {@code watermark}: the current key's first probe ends if its last window has passed (a later one is
     * a newer first probe's, which has a slot of its own), and the key's state with it if it holds nothing else.
     * Nothing is judged, as the timer it stands for judged nothing: no window of its lanes can fire on one event.
     */
    void endIdle(long watermark) throws Exception {
        FirstProbe first = firstProbe();
        if (first == null || expiry(first) - 1 > watermark) {
            return;
        }
        firstSight.clear();
        if (lanesEmpty(ALL_LANES)) {
            trackedSources--;
            lateTimers.clear();
        }
    }

    /** The sources the restored state holds, counted by the operator once state is restored. */
    void restoredSources(long sources) {
        trackedSources = sources;
    }

    long trackedSources() {
        return trackedSources;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Detection> out) throws Exception {
        long windowEnd = timestamp + 1;
        FirstProbe first = firstProbe();
        ConnectionEvent only = first == null ? null : first.event();
        List<DetectionRule<?>> judging = timeline.at(ctx.getBroadcastState(ControlTimeline.CHANGES), timestamp);
        // A timer set for late events evaluates again only the lanes that took them; it is never also a timer on
        // time (those at this time fired when the watermark passed it, before it was set).
        Integer lateLanes = lateTimers.get(timestamp);
        boolean late = lateLanes != null;
        if (late) {
            lateTimers.remove(timestamp);
        }
        int due = late ? lateLanes : ALL_LANES;
        // A timer may find the key's state already gone (another group's timer ended it): not counted twice.
        boolean heldBefore = first != null || !lanesEmpty(ALL_LANES);
        boolean held = false;
        for (int i = 0; i < lanes.size(); i++) {
            RuleLane<?> lane = lanes.get(i);
            boolean firstOnly = first != null && (first.lanes & bit(i)) != 0;
            if (!lane.due(windowEnd)) {
                held |= !firstOnly && !lane.isEmpty();
                continue;
            }
            long newest = lane.fire(
                    windowEnd,
                    firstOnly ? only : null,
                    (due & bit(i)) != 0,
                    judging,
                    ctx.getCurrentKey(),
                    late,
                    ctx.timerService(),
                    out);
            if (newest != Long.MIN_VALUE) {
                ctx.timerService().registerEventTimeTimer(lane.cleanupOf(newest) - 1);
                held = true;
            }
        }
        if (first != null) {
            long expiry = expiry(first);
            if (expiry <= windowEnd) {
                firstSight.clear();
            } else {
                ctx.timerService().registerEventTimeTimer(expiry - 1);
                held = true;
            }
        }
        if (heldBefore && !held) {
            trackedSources--;
            lateTimers.clear();
        }
    }
}

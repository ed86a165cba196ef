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
import java.util.OptionalLong;
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
 * earlier window that ended with data, so it cannot fire when that one did not, under the same rules (where a later
 * change judges it, or a share withheld the earlier one, it is chained from that one: {@link RuleLane}). Panes
 * older than their lane's longest window are dropped as the watermark passes, and a key that goes quiet leaves no
 * state and no timers. A key's first event is kept as one {@link FirstProbe} rather than as panes, for the lanes
 * that take it: a flood of spoofed sources costs a few dozen bytes of state each. Without live control a second
 * event to the same lanes, none of whose rules fires on two, is kept so too. A later event turns them into panes in
 * the lanes that take it. Each compact probe is ended by a timer, or on the heap backend by the operator's sweep
 * ({@link FirstProbeSweep}), where a timer would cost more heap than the probe.
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
    /**
     * Whether live changes may judge windows. Then a second probe is never kept compact: a change that comes later
     * may let a window of two fire, and a compact probe's windows are not judged.
     */
    private final boolean live;

    static final String PANES = "panes";
    static final String FIRST_PROBE = "first-probe";
    static final String SECOND_PROBE = "second-probe";
    static final String LATE_TIMERS = "late-timers";
    /** Every lane of a detector, a bit each: at most 31. */
    private static final int ALL_LANES = -1;

    private transient ValueState<FirstProbe> firstSight;
    /**
     * A key's second event, kept compact beside the first where it goes to the same lanes and no rule of theirs
     * fires on two: a network of a spoofed flood that two sources fall into is two probes, not four capped sets.
     * Its lanes are always the first probe's.
     */
    private transient ValueState<FirstProbe> secondSight;
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
    /**
     * Under live control, whether the changes there are at start have come ({@link PanedWindowOperator}). Until then
     * a first event goes into panes, not into a compact probe: whether one event can fire in its windows depends on
     * those changes, and a change may reach this operator after the event it judges. A compact probe under live
     * control never has its windows timed: where one event may fire, the event went into panes.
     */
    private transient boolean changesRead;

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
        this.live = layers != null;
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
        lanes.forEach(lane -> lane.open(getRuntimeContext(), live));
        @SuppressWarnings("unchecked") // a subclass, when an aggregate needs the source
        TypeInformation<FirstProbe> firstType = (TypeInformation<FirstProbe>)
                (firstKeepsSource ? TypeInformation.of(SourcedFirstProbe.class) : TypeInformation.of(FirstProbe.class));
        firstSight = getRuntimeContext().getState(new ValueStateDescriptor<>(FIRST_PROBE, firstType));
        secondSight = getRuntimeContext().getState(new ValueStateDescriptor<>(SECOND_PROBE, firstType));
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
            FirstProbe second = secondSight.value();
            if (second == null && !live && first.lanes == taking && !firesOnTwo(taking, ctx, event.timestamp)) {
                keepSecond(event, taking, ctx);
                return;
            }
            // The compact probes become panes in the lanes that take this event (unless their windows have all
            // passed them); the others keep them compact.
            List<DetectionRule<?>> judging = live ? null : judging(ctx, first.timestamp);
            for (int i = 0; i < lanes.size(); i++) {
                if ((first.lanes & taking & bit(i)) != 0) {
                    // The first's windows are set already where one event can fire (under live control such a lane
                    // took it into panes); a second is kept only where two cannot.
                    promote(first, i, live || !lanes.get(i).firesOn(1, judging), watermark, ctx);
                    if (second != null) {
                        promote(second, i, true, watermark, ctx);
                    }
                }
            }
            first.lanes &= ~taking;
            if (first.lanes == 0) {
                firstSight.clear();
                secondSight.clear();
            } else {
                firstSight.update(first);
                if (second != null) {
                    second.lanes = first.lanes;
                    secondSight.update(second);
                }
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

    /** A compact probe into the lane's panes, if its windows still hold it; with its windows' timers if asked. */
    private void promote(FirstProbe probe, int lane, boolean setWindows, long watermark, ReadOnlyContext ctx)
            throws Exception {
        RuleLane<?> into = lanes.get(lane);
        if (into.holds(probe.timestamp, watermark)) {
            into.add(probe.event());
            // Now its windows can fire: they are due too (the later event may be the earlier one).
            if (setWindows) {
                markLate(into.registerWindows(probe.timestamp, watermark, ctx.timerService()), lane);
            }
        }
    }

    /** Whether a rule of the lanes {@code which}, as judged at {@code time}, can fire on a window of two events. */
    private boolean firesOnTwo(int which, ReadOnlyContext ctx, long time) throws Exception {
        List<DetectionRule<?>> judging = judging(ctx, time);
        for (int i = 0; i < lanes.size(); i++) {
            if ((which & bit(i)) != 0 && lanes.get(i).firesOn(2, judging)) {
                return true;
            }
        }
        return false;
    }

    /** A key's second event, in the first's lanes, none of which can fire on two: compact too, until a third. */
    private void keepSecond(ConnectionEvent event, int taking, ReadOnlyContext ctx) throws Exception {
        FirstProbe second = firstKeepsSource ? SourcedFirstProbe.of(event) : FirstProbe.of(event);
        second.lanes = taking;
        secondSight.update(second);
        endLater(expiry(second) - 1, ctx);
    }

    /** The cleanup of a compact probe at {@code time}: swept on the heap backend, timed elsewhere. */
    private void endLater(long time, ReadOnlyContext ctx) {
        if (sweep != null) {
            sweep.add(time, ctx.getCurrentKey());
        } else {
            ctx.timerService().registerEventTimeTimer(time);
        }
    }

    /** A key's first event, in the lanes that take it: one compact probe, and its cleanup. */
    private void keepFirst(ConnectionEvent event, int taking, long watermark, ReadOnlyContext ctx) throws Exception {
        if (lanesEmpty(ALL_LANES)) {
            trackedSources++;
        }
        // Windows holding only this probe fire only where a rule can fire on one event; elsewhere only the cleanup
        // is due until a second comes (and is registered by the windows' timers, if any). Under live control such a
        // lane takes the event into panes instead: a compact probe's windows are judged each by itself, a pane's in
        // turn, each chained to the change that comes into effect after it; and before the changes at start have
        // come, any lane may be such a lane.
        int compact = 0;
        boolean windows = false;
        List<DetectionRule<?>> judging = live ? null : judging(ctx, event.timestamp);
        for (int i = 0; i < lanes.size(); i++) {
            RuleLane<?> lane = lanes.get(i);
            if ((taking & bit(i)) == 0) {
                continue;
            }
            boolean panes = live && (!changesRead || firesOnOne(i, event.timestamp, ctx));
            if (panes) {
                lane.add(event);
            } else {
                compact |= bit(i);
            }
            if (panes || !live && lane.firesOn(1, judging)) {
                windows = true;
                markLate(lane.registerWindows(event.timestamp, watermark, ctx.timerService()), i);
            }
        }
        if (compact == 0) {
            return;
        }
        FirstProbe first = firstKeepsSource ? SourcedFirstProbe.of(event) : FirstProbe.of(event);
        first.lanes = compact;
        firstSight.update(first);
        // Under live control the windows set are the panes' lanes', whose last may end long after the probe's.
        if (!windows || live) {
            endLater(expiry(first) - 1, ctx);
        }
    }

    /**
     * Under live control, whether a rule of the lane can fire on one event in a window that holds an event at {@code
     * time}: as judged at any of those windows' ends, so by a change that comes into effect within them too.
     */
    private boolean firesOnOne(int lane, long time, ReadOnlyContext ctx) throws Exception {
        RuleLane<?> judged = lanes.get(lane);
        return timeline.anyBetween(
                ctx.getBroadcastState(ControlTimeline.CHANGES),
                time,
                judged.expiry(time) - 1,
                rules -> judged.firesOn(1, rules));
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

    /** When the last window of the lanes the compact probes stand for has passed: the later probe's. */
    private long expiry(FirstProbe first, FirstProbe second) {
        return second == null ? expiry(first) : Math.max(expiry(first), expiry(second));
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

    /**
     * Whether the changes there are at start have come: the control input has given its final watermark, or is idle
     * (as the detector's time takes it). Before, and again should it wake before its end, first events go into panes.
     */
    void changesRead(boolean read) {
        changesRead = read;
    }

    /** From now on a compact probe that sets no window's timer waits in {@code sweep} rather than set a timer. */
    void sweepFirstProbes(FirstProbeSweep sweep) {
        this.sweep = sweep;
    }

    /**
     * When the current key's compact probes, restored from a checkpoint, are due to end (a timer's timestamp);
     * empty if it holds none.
     */
    OptionalLong restoredCleanup() throws Exception {
        FirstProbe first = firstProbe();
        return first == null ? OptionalLong.empty() : OptionalLong.of(due(expiry(first, secondSight.value())));
    }

    /**
     * The timer's timestamp for an expiry: the watermark that reaches it ends the probes. A probe of a savepoint that
     * no lane takes any more has no expiry: due at once.
     */
    private static long due(long expiry) {
        return expiry == Long.MIN_VALUE ? Long.MIN_VALUE : expiry - 1;
    }

    /**
     * Swept at {@code watermark}: the current key's compact probes end if their last window has passed (a later one
     * is a newer probe's, which has a slot of its own), and the key's state with them if it holds nothing else.
     * Nothing is judged, as the timer it stands for judged nothing: no window of their lanes fires on the probes they
     * hold.
     */
    void endIdle(long watermark) throws Exception {
        FirstProbe first = firstProbe();
        if (first == null || due(expiry(first, secondSight.value())) > watermark) {
            return;
        }
        firstSight.clear();
        secondSight.clear();
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
        // A lane that also keeps a second probe is judged on the first alone: it cannot fire on two either.
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
        RuleLane.RulesAt rulesAt =
                live ? time -> timeline.at(ctx.getBroadcastState(ControlTimeline.CHANGES), time) : null;
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
                    // Under live control a compact probe is judged by none: no rule could fire on it when it was
                    // kept, and a timer that lands on its window is another lane's, or its cleanup on RocksDB alone.
                    (due & bit(i)) != 0 && !(live && firstOnly),
                    judging,
                    rulesAt,
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
            long expiry = expiry(first, secondSight.value());
            if (expiry <= windowEnd) {
                firstSight.clear();
                secondSight.clear();
            } else {
                endLater(expiry - 1, ctx);
                held = true;
            }
        }
        if (heldBefore && !held) {
            trackedSources--;
            lateTimers.clear();
        }
    }
}

package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.model.Detection;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

/**
 * Rules of one group that slide by the same step, inside a {@link PanedWindowDetector}: they accept the same events
 * and sum them up the same way, so they share panes, one map of them per key. A pane is their slide (a window is a
 * whole number of slides); a window is the union of the panes inside it. A group whose rules slide by different
 * steps has a lane per step ({@link #of}).
 *
 * @param <ACC> the group's accumulator
 */
final class RuleLane<ACC> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The lane's name in its state's. */
    private final String name;

    private final List<DetectionRule<ACC>> rules;
    /** Where the lane's rules start in the detector's list, and so in a live change's judging rules. */
    private final int offset;

    private final WindowAggregate<ACC> aggregate;
    private final PaneGeometry geometry;

    private transient MapState<Long, ACC> panes;
    /**
     * By rule (its place in the lane), the end of a window to judge although its last slide holds nothing: the
     * window one slide earlier was withheld by a share ({@link DetectionRule#withheld}), or an earlier window did
     * not fire and another change judges this one. Null when no rule of the lane judges a share and there is no
     * live control. One entry per rule at most, the newest; an entry whose window had probes in its last slide after
     * all (and was judged for them) stays until the next, or until the key's lane holds nothing.
     */
    private transient MapState<Integer, Long> withheld;
    /**
     * The rules (a bit each) whose windows overlap and may be withheld by a share: without live control only theirs
     * are chained.
     */
    private final int chained;
    /**
     * The key the lane last fired for, with the invariant its cleanup left: no pane starts at or before {@code
     * cursorEnd - retention}, and {@code cursorNewest} is the key's newest pane. The lane alone writes its panes, so
     * the invariant holds until the lane takes an event (of any key) or fires for another key; transient, so a
     * restore starts without it.
     */
    private transient String cursorKey;

    private transient long cursorEnd;
    private transient long cursorNewest;

    @SuppressWarnings({"unchecked", "rawtypes"}) // a lane's rules share one aggregate, checked here
    RuleLane(Spec spec, int offset) {
        this.name = spec.name();
        this.rules = List.copyOf((List) spec.rules());
        this.offset = offset;
        this.aggregate = rules.get(0).aggregate();
        for (DetectionRule<ACC> rule : rules) {
            if (!rule.aggregate().equals(aggregate)) {
                throw new IllegalArgumentException(
                        "rules " + rules.get(0).id() + " and " + rule.id() + " share a group but not an aggregate");
            }
        }
        this.geometry = spec.geometry();
        int sliding = 0;
        for (int i = 0; i < rules.size(); i++) {
            DetectionRule<ACC> rule = rules.get(i);
            if (!rule.monotone() && rule.window().compareTo(rule.slide()) > 0) {
                sliding |= 1 << i;
            }
        }
        this.chained = sliding;
        for (DetectionRule<ACC> rule : rules) {
            // Checked with the configuration too: a window is its last slide's panes and those before.
            if (rule.window().toMillis() % rule.slide().toMillis() != 0) {
                throw new IllegalArgumentException(
                        "rule " + rule.id() + ": its window must be a whole number of slides");
            }
        }
    }

    /** A lane: its name (in its state's), its rules, and its panes. */
    record Spec(String name, List<DetectionRule<?>> rules, PaneGeometry geometry) {}

    /**
     * The lanes of rules keyed alike, in the order their state knows them. Rules of one {@link DetectionRule#group()}
     * that slide by one step share a lane named for the group. A group whose rules slide by different steps gets a
     * lane per step, named for the group and its pane after the first: the slow tiers' day window, sliding by the
     * hour, merges 24 hourly panes, where in the tiers' common five-minute panes it merged 288 at every hour (and in a
     * stream, where a key's timers take turns with other keys', every one of them, each hour). An event the group
     * accepts goes into a pane of each of its lanes, and each lane keeps its panes as long as the group's longest
     * window: a late event evaluates again every window of the group's rules that holds it, with all of its panes.
     * Every group's first lane comes before the further ones, so that lanes keep the places state of earlier versions
     * gives them (a bit each in its first probes and late timers).
     */
    static List<Spec> of(List<? extends DetectionRule<?>> rules) {
        Map<String, Long> firstPanes = new HashMap<>();
        Map<String, Long> longest = new HashMap<>();
        Map<String, List<DetectionRule<?>>> first = new LinkedHashMap<>();
        Map<String, List<DetectionRule<?>>> further = new LinkedHashMap<>();
        for (DetectionRule<?> rule : rules) {
            long pane = PaneGeometry.of(List.of(rule)).pane();
            longest.merge(rule.group(), rule.window().toMillis(), Math::max);
            if (pane == firstPanes.computeIfAbsent(rule.group(), group -> pane)) {
                first.computeIfAbsent(rule.group(), name -> new ArrayList<>()).add(rule);
            } else {
                further.computeIfAbsent(
                                rule.group() + "-" + PanedWindowDetector.text(Duration.ofMillis(pane)),
                                name -> new ArrayList<>())
                        .add(rule);
            }
        }
        first.putAll(further);
        return first.entrySet().stream()
                .map(lane -> new Spec(
                        lane.getKey(),
                        lane.getValue(),
                        new PaneGeometry(
                                PaneGeometry.of(lane.getValue()).pane(),
                                longest.get(lane.getValue().get(0).group()))))
                .toList();
    }

    /** The panes' state name: one per lane, so that lanes keyed alike may share an operator. */
    String stateName() {
        return PanedWindowDetector.PANES + "-" + name;
    }

    /** @param live whether live changes may judge the lane's windows, and so chain them as shares do */
    void open(RuntimeContext context, boolean live) {
        panes = context.getMapState(new MapStateDescriptor<>(stateName(), Types.LONG, aggregate.type()));
        withheld = chained == 0 && !live
                ? null
                : context.getMapState(new MapStateDescriptor<>(stateName() + "-withheld", Types.INT, Types.LONG));
        cursorKey = null;
    }

    boolean accepts(ConnectionEvent event) {
        return rules.get(0).accepts(event);
    }

    boolean readsSource() {
        return aggregate.readsSource();
    }

    /** Whether any of the lane's rules, as a live change judges them, can fire on a window of {@code events}. */
    boolean firesOn(long events, List<DetectionRule<?>> judging) {
        for (int i = 0; i < rules.size(); i++) {
            DetectionRule<?> rule = judging.get(offset + i);
            if (rule != null && rule.minimumEvents() <= events) {
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
        cursorKey = null;
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
     * @param rulesAt the rules in effect at a timer's time; null without live control
     * @param timers where a window withheld by a share, or followed by another change, asks for a later one to be
     *     judged
     * @return the newest pane the lane still holds; {@link Long#MIN_VALUE} if none, or when judging a first probe
     */
    long fire(
            long windowEnd,
            ConnectionEvent first,
            boolean evaluate,
            List<DetectionRule<?>> judging,
            RulesAt rulesAt,
            String key,
            boolean late,
            TimerService timers,
            Collector<Detection> out)
            throws Exception {
        if (first != null) {
            if (evaluate) {
                ACC only = aggregate.create();
                aggregate.add(only, first);
                long pane = paneOf(first.timestamp);
                Judging judge = new Judging(start -> start == pane ? only : null, judging, null, key, late, null, out);
                evaluate(judge, windowEnd);
            }
            return Long.MIN_VALUE;
        }
        if (evaluate) {
            // Read once a timer: the rules' windows overlap, and on RocksDB every read deserializes the pane.
            Map<Long, ACC> read = new HashMap<>();
            Panes<ACC> paneAt = start -> {
                if (!read.containsKey(start)) {
                    read.put(start, panes.get(start));
                }
                return read.get(start);
            };
            evaluate(new Judging(paneAt, judging, rulesAt, key, late, timers, out), windowEnd);
        }
        long newest;
        if (key.equals(cursorKey)) {
            newest = cleanSince(cursorEnd, windowEnd, cursorNewest);
            cursorEnd = Math.max(cursorEnd, windowEnd);
        } else {
            newest = cleanAll(windowEnd);
            cursorEnd = windowEnd;
        }
        if (newest == Long.MIN_VALUE && withheld != null) {
            withheld.clear();
        }
        cursorKey = newest == Long.MIN_VALUE ? null : key;
        cursorNewest = newest;
        return newest;
    }

    /** Every pane: drops those no window will hold again. */
    private long cleanAll(long windowEnd) throws Exception {
        List<Long> starts = new ArrayList<>();
        panes.keys().forEach(starts::add);
        long newest = Long.MIN_VALUE;
        for (long start : starts) {
            if (start + geometry.retention() <= windowEnd) {
                panes.remove(start);
            } else {
                newest = Math.max(newest, start);
            }
        }
        return newest;
    }

    /**
     * Only the panes that left their last window since the key's last cleanup, at {@code since}, and none newer than
     * its newest: looked up, not searched for. A batch replay fires all of a key's timers in a row after all its
     * events, so each timer would otherwise walk every later pane of the key (a day of them, for the slow tiers).
     */
    private long cleanSince(long since, long windowEnd, long newest) throws Exception {
        long retention = geometry.retention();
        long last = Math.min(windowEnd - retention, newest);
        for (long start = since - retention + geometry.pane(); start <= last; start += geometry.pane()) {
            // Looked up first: on RocksDB a removal of nothing still writes a tombstone.
            if (panes.contains(start)) {
                panes.remove(start);
            }
        }
        return newest + retention <= windowEnd ? Long.MIN_VALUE : newest;
    }

    /** When the newest pane a lane holds leaves its last window: the lane's next cleanup. */
    long cleanupOf(long newestPane) {
        return newestPane + geometry.retention();
    }

    /** The rules of the change in effect at a timer's time, in the detector's order. */
    @FunctionalInterface
    interface RulesAt {
        List<DetectionRule<?>> at(long time) throws Exception;
    }

    /** A lane's panes by start; null where there is none. */
    @FunctionalInterface
    private interface Panes<ACC> {
        ACC at(long start) throws Exception;
    }

    /** One timer's judging of a key's windows: its panes, the rules in effect, and where detections go. */
    private final class Judging {
        final Panes<ACC> paneAt;
        /** The rules of the change in effect, in the detector's order. */
        final List<DetectionRule<?>> inEffect;
        /** The rules in effect at another time; null without live control (then always {@link #inEffect}). */
        final RulesAt rulesAt;

        final String key;
        final boolean late;
        /** Null when judging a first probe: a window of one event withholds nothing. */
        final TimerService timers;

        final Collector<Detection> out;

        Judging(
                Panes<ACC> paneAt,
                List<DetectionRule<?>> inEffect,
                RulesAt rulesAt,
                String key,
                boolean late,
                TimerService timers,
                Collector<Detection> out) {
            this.paneAt = paneAt;
            this.inEffect = inEffect;
            this.rulesAt = rulesAt;
            this.key = key;
            this.late = late;
            this.timers = timers;
            this.out = out;
        }
    }

    /** Each window's panes are looked up by their starts, not searched for among the key's. */
    @SuppressWarnings("unchecked") // the judging rules are of the same kinds as the lane's, so the same aggregate
    private void evaluate(Judging judge, long windowEnd) throws Exception {
        for (int i = 0; i < rules.size(); i++) {
            DetectionRule<ACC> rule = (DetectionRule<ACC>) judge.inEffect.get(offset + i);
            long slide = rules.get(i).slide().toMillis();
            if (Math.floorMod(windowEnd, slide) != 0) {
                continue;
            }
            if (rule == null) {
                // Disabled at this window's end: the first later window that a change enables it in, and that still
                // holds these probes, judges them (a rule turned off and on again).
                if (judge.timers != null
                        && judge.rulesAt != null
                        && !judge.late
                        && holdsAny(judge.paneAt, windowEnd - slide, windowEnd)) {
                    chain(judge, i, null, windowEnd, newestIn(judge.paneAt, i, windowEnd), false);
                }
                continue;
            }
            // Only windows with data in their last slide: any other's content is in an earlier window, and fires
            // less, unless a share withheld that one or another change judges this one (chained in judge).
            if (!holdsAny(judge.paneAt, windowEnd - slide, windowEnd)) {
                if (judge.timers == null || ((chained & (1 << i)) == 0 && judge.rulesAt == null)) {
                    continue;
                }
                Long due = withheld.get(i);
                if (due == null || due != windowEnd) {
                    continue;
                }
                withheld.remove(i);
            }
            judge(judge, i, rule, windowEnd);
        }
    }

    private void judge(Judging judge, int i, DetectionRule<ACC> rule, long windowEnd) throws Exception {
        // The lane's own window: the panes are cut to it, and a live change may not alter it (ConfigLayers).
        long windowStart = windowEnd - rules.get(i).window().toMillis();
        List<ACC> parts = new ArrayList<>();
        long events = 0;
        long newest = Long.MIN_VALUE;
        for (long start = windowStart; start < windowEnd; start += geometry.pane()) {
            ACC part = judge.paneAt.at(start);
            if (part != null) {
                parts.add(part);
                events += aggregate.events(part);
                newest = start;
            }
        }
        boolean withheldByShare = false;
        if (events >= rule.minimumEvents()) {
            // Merging is order-free (capped sets keep the keys of lowest hash): panes merge in any order.
            ACC total = aggregate.copy(parts.get(0));
            for (int next = 1; next < parts.size(); next++) {
                aggregate.merge(total, parts.get(next));
            }
            Detection detection = rule.evaluate(judge.key, total, windowStart, windowEnd);
            if (detection != null) {
                detection.late = judge.late;
                detection.compactSketches();
                judge.out.collect(detection);
                return;
            }
            withheldByShare = (chained & (1 << i)) != 0 && rule.withheld(total);
        }
        if (judge.timers == null || parts.isEmpty()) {
            return;
        }
        chain(judge, i, rule, windowEnd, newest, withheldByShare);
    }

    /** The newest pane of the lane's {@code i}th rule's window ending at {@code windowEnd}. */
    private long newestIn(Panes<ACC> paneAt, int i, long windowEnd) throws Exception {
        long newest = Long.MIN_VALUE;
        for (long start = windowEnd - rules.get(i).window().toMillis(); start < windowEnd; start += geometry.pane()) {
            if (paneAt.at(start) != null) {
                newest = start;
            }
        }
        return newest;
    }

    /**
     * After a window that did not fire, with {@code newest} its newest pane: a later one to be judged, if any.
     *
     * @param rule the rule that judged it; null where it was disabled
     */
    private void chain(
            Judging judge, int i, DetectionRule<ACC> rule, long windowEnd, long newest, boolean withheldByShare)
            throws Exception {
        long slide = rules.get(i).slide().toMillis();
        long windowStart = windowEnd - rules.get(i).window().toMillis();
        // A later window is this one without its first slides. When its own last slide holds probes, its own timer
        // judges it; when only this window's first slides held probes, it holds nothing to judge. Otherwise it is
        // judged only where it may fire although this one did not: the next, when a share withheld this one; the
        // first that another change judges, whose thresholds may let less fire.
        long nextEnd = windowEnd + slide;
        long chainEnd = withheldByShare
                        && !holdsAny(judge.paneAt, windowEnd, nextEnd)
                        && holdsAny(judge.paneAt, windowStart + slide, windowEnd)
                ? nextEnd
                : changedWindow(judge, i, rule, windowEnd, newest);
        DetectionRule<ACC> next = chainEnd == Long.MIN_VALUE ? null : ruleAt(judge, i, chainEnd, rule);
        if (next == null) {
            return;
        }
        if (chainEnd - 1 <= judge.timers.currentWatermark()) {
            // Its time has passed (a batch replay fires a key's timers after all its events): judged now, as its
            // timer would, for no later event can reach its last slide on time; an earlier chain to it is spent.
            Long due = withheld.get(i);
            if (due != null && due == chainEnd) {
                withheld.remove(i);
            }
            judge(judge, i, next, chainEnd);
        } else {
            withheld.put(i, chainEnd);
            judge.timers.registerEventTimeTimer(chainEnd - 1);
        }
    }

    /**
     * The end of the first later window that still holds some of this one's probes ({@code newest}, its newest pane,
     * among them) and none newer, and that another change than {@code rule}'s judges; {@link Long#MIN_VALUE} if none
     * (always, without live control).
     */
    private long changedWindow(Judging judge, int i, DetectionRule<ACC> rule, long windowEnd, long newest)
            throws Exception {
        if (judge.rulesAt == null || judge.late) {
            // A late judgment judges again the windows that hold the late pane; a later one need not hold it.
            return Long.MIN_VALUE;
        }
        long window = rules.get(i).window().toMillis();
        long slide = rules.get(i).slide().toMillis();
        // The timeline first, which costs no state read: most windows have no change after them.
        long changed = Long.MIN_VALUE;
        for (long end = windowEnd + slide; end - window <= newest; end += slide) {
            DetectionRule<ACC> then = ruleAt(judge, i, end, rule);
            if (then != rule && then != null) {
                changed = end;
                break;
            }
        }
        // Newer probes than this window's have their own windows, judged by their own timers, and chained from there.
        return changed == Long.MIN_VALUE || holdsAny(judge.paneAt, windowEnd, changed) ? Long.MIN_VALUE : changed;
    }

    /** The lane's {@code i}th rule as the change in effect at {@code windowEnd} has it: {@code rule} without one. */
    @SuppressWarnings("unchecked") // the rules of a change are of the same kinds as the lane's
    private DetectionRule<ACC> ruleAt(Judging judge, int i, long windowEnd, DetectionRule<ACC> rule) throws Exception {
        return judge.rulesAt == null
                ? rule
                : (DetectionRule<ACC>) judge.rulesAt.at(windowEnd - 1).get(offset + i);
    }

    private boolean holdsAny(Panes<ACC> paneAt, long from, long to) throws Exception {
        for (long start = from; start < to; start += geometry.pane()) {
            if (paneAt.at(start) != null) {
                return true;
            }
        }
        return false;
    }

    private long paneOf(long timestamp) {
        return geometry.paneOf(timestamp);
    }
}

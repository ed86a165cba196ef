package io.scanwatch.job.pair;

import static io.scanwatch.job.metrics.JobCounters.EVENTS_GROUP;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.flow.EndpointViews;
import io.scanwatch.flow.OneWayFlows;
import io.scanwatch.job.detect.DetectionRule;
import io.scanwatch.job.detect.EventSelector;
import io.scanwatch.job.detect.RuleWindows;
import io.scanwatch.job.metrics.JobCounters;
import io.scanwatch.job.route.RouteTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins the records that write one connection more than once, keyed by {@link OneWayFlows#conversation}: one-way
 * TCP and UDP flow records paired with their reverse ({@link OneWayFlows#judge}), and Windows' views of one
 * connection from each of its hosts and loggers merged ({@link EndpointViews#merge}). A conversation's records are
 * kept until {@code wait} of event time has passed since its first one, then judged together, so the result does
 * not depend on the order in which records with equal times arrive: the conversation leaves as events of its
 * initiator, answers alone leave nothing (the replying host attempted nothing), duplicates count once. A record
 * after the wait starts the conversation over.
 *
 * <p>State is a conversation's records for at most the wait, and at most {@link #MAX_RECORDS}: a conversation that
 * fills it is judged at once. Its output is behind the watermark by up to the wait: {@link HoldWatermark} follows
 * it.
 */
public class JoinConnectionRecords extends KeyedProcessFunction<String, ConnectionEvent, ConnectionEvent> {
    /** Exporters merge a 5-tuple's packets into one record per timeout; more than this in one wait is a flood. */
    static final int MAX_RECORDS = 64;

    private final long waitMillis;
    /** The enabled detectors: a joined connection none of them takes goes no further, counted as routing counts. */
    private final List<? extends EventSelector> selectors;
    /** Which lanes still hold a paired flow that comes out behind the watermark; routing could not tell. */
    private final RuleWindows windows;

    private transient ListState<ConnectionEvent> records;
    private transient JobCounters.Count paired;
    private transient JobCounters.Count alone;
    private transient JobCounters.Count answersAlone;
    private transient JobCounters.Count duplicates;
    private transient JobCounters.Count views;
    private transient JobCounters.Count viewedConnections;
    private transient JobCounters.Count late;
    private transient JobCounters.Count lateForSome;
    private transient JobCounters.Count unwatched;
    /**
     * The watermark this subtask has passed on, short of the end of the input: the detectors are at it (less the
     * wait) while this one's timers fire, since Flink passes a watermark on after the timers it fires.
     */
    private transient long forwardedWatermark;
    /** The newest watermark seen, which while its timers fire is not passed on yet. */
    private transient long seenWatermark;

    /**
     * @param selectors the enabled detectors
     * @param rules the enabled windowed rules, among them: a paired flow past all their windows is late, as routing
     *     counts
     */
    public JoinConnectionRecords(
            Duration wait, List<? extends EventSelector> selectors, List<? extends DetectionRule<?>> rules) {
        this.waitMillis = wait.toMillis();
        this.selectors = List.copyOf(selectors);
        this.windows = new RuleWindows(rules);
    }

    @Override
    public void open(OpenContext openContext) {
        records = getRuntimeContext()
                .getListState(new ListStateDescriptor<>("records", TypeInformation.of(ConnectionEvent.class)));
        JobCounters counters = new JobCounters(getRuntimeContext());
        paired = counters.get(EVENTS_GROUP, "one-way", "paired");
        alone = counters.get(EVENTS_GROUP, "one-way", "unpaired");
        answersAlone = counters.get(EVENTS_GROUP, "one-way", "unpaired-answers");
        duplicates = counters.get(EVENTS_GROUP, "one-way", "duplicates");
        views = counters.get(EVENTS_GROUP, "endpoint-views", "read");
        viewedConnections = counters.get(EVENTS_GROUP, "endpoint-views", "connections");
        late = counters.get(EVENTS_GROUP, "all", "late");
        lateForSome = counters.get(EVENTS_GROUP, "all", RouteTelemetry.LATE_FOR_SOME_RULES);
        unwatched = counters.get(EVENTS_GROUP, "all", RouteTelemetry.UNWATCHED);
        forwardedWatermark = Long.MIN_VALUE;
        seenWatermark = Long.MIN_VALUE;
    }

    @Override
    public void processElement(ConnectionEvent record, Context ctx, Collector<ConnectionEvent> out) throws Exception {
        // Between watermarks: the current one has been passed on.
        long watermark = ctx.timerService().currentWatermark();
        forwardedWatermark = Math.max(forwardedWatermark, watermark);
        seenWatermark = Math.max(seenWatermark, watermark);
        records.add(record);
        ctx.timerService().registerEventTimeTimer(record.timestamp + waitMillis);
        List<ConnectionEvent> kept = new ArrayList<>();
        records.get().forEach(kept::add);
        if (kept.size() >= MAX_RECORDS) {
            // Still a wait at a time: a day of one host's pings, all here at once in a replay, is many conversations.
            // The newest wait may still take its answer (a replay's long-lived conversation, exported every minute,
            // arrives before any timer): it waits for its timer, unless it alone fills the state (a flood).
            judgeWaitsEndedBy(record.timestamp, kept, out);
            if (kept.size() >= MAX_RECORDS) {
                judgeWaitsEndedBy(Long.MAX_VALUE, kept, out);
            }
            records.update(kept);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ConnectionEvent> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (watermark > seenWatermark) {
            forwardedWatermark = Math.max(forwardedWatermark, seenWatermark);
            seenWatermark = watermark;
        }
        List<ConnectionEvent> kept = new ArrayList<>();
        records.get().forEach(kept::add);
        judgeWaitsEndedBy(timestamp, kept, out);
        records.update(kept);
    }

    /**
     * Judges the conversations whose wait has ended by {@code time}, oldest first, each beginning with the first
     * record after the last; leaves the others in {@code kept}.
     */
    private void judgeWaitsEndedBy(long time, List<ConnectionEvent> kept, Collector<ConnectionEvent> out) {
        kept.sort((a, b) -> Long.compare(a.timestamp, b.timestamp));
        while (!kept.isEmpty() && kept.get(0).timestamp <= time - waitMillis) {
            long end = kept.get(0).timestamp + waitMillis;
            List<ConnectionEvent> conversation = new ArrayList<>();
            while (!kept.isEmpty() && kept.get(0).timestamp <= end) {
                conversation.add(kept.remove(0));
            }
            judge(conversation, out);
        }
    }

    private void judge(List<ConnectionEvent> conversation, Collector<ConnectionEvent> out) {
        List<ConnectionEvent> hostViews = new ArrayList<>();
        List<ConnectionEvent> flows = new ArrayList<>();
        for (ConnectionEvent record : conversation) {
            (EndpointViews.merges(record) ? hostViews : flows).add(record);
        }
        if (!hostViews.isEmpty()) {
            List<ConnectionEvent> connections = EndpointViews.merge(hostViews);
            emit(connections, out);
            views.inc(hostViews.size());
            viewedConnections.inc(connections.size());
        }
        if (!flows.isEmpty()) {
            OneWayFlows.Conversation judged = OneWayFlows.judge(flows);
            emit(judged.events(), out);
            paired.inc(judged.paired());
            alone.inc(judged.alone());
            answersAlone.inc(judged.answersAlone());
            duplicates.inc(judged.duplicates());
        }
    }

    private boolean watched(ConnectionEvent event) {
        for (EventSelector selector : selectors) {
            if (selector.accepts(event)) {
                return true;
            }
        }
        return false;
    }

    private void emit(List<ConnectionEvent> events, Collector<ConnectionEvent> out) {
        // The detectors see the watermark held back by the wait (HoldWatermark): judged against that, a flow a
        // group holds here is one it still holds there. In a batch replay no watermark comes before the end.
        long held = forwardedWatermark > Long.MIN_VALUE + waitMillis + 1
                ? forwardedWatermark - waitMillis - 1
                : Long.MIN_VALUE;
        for (ConnectionEvent event : events) {
            if (event.timestamp <= held) {
                RuleWindows.Hold hold = windows.hold(event, held);
                if (hold == RuleWindows.Hold.NONE) {
                    late.inc();
                    continue;
                }
                if (hold == RuleWindows.Hold.SOME) {
                    lateForSome.inc();
                }
            }
            // Counted as routing counts: late first, then unwatched.
            if (!watched(event)) {
                unwatched.inc();
                continue;
            }
            out.collect(event);
        }
    }
}

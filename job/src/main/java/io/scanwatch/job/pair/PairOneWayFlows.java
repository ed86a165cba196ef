package io.scanwatch.job.pair;

import static io.scanwatch.job.metrics.JobCounters.EVENTS_GROUP;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.flow.OneWayFlows;
import io.scanwatch.job.metrics.JobCounters;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Pairs each one-way TCP flow record with its reverse, keyed by {@link OneWayFlows#conversation}: the first record
 * of a conversation waits, in event time, up to {@code wait} for the other, whichever comes first in the stream.
 * A pair leaves as one event of the initiator with the outcome both records show; a record left alone leaves as
 * its own flags say, and an answer left alone leaves nothing (the replying host attempted nothing). A record seen
 * twice counts once. At most two records per conversation are kept, for at most the wait.
 */
public class PairOneWayFlows extends KeyedProcessFunction<String, ConnectionEvent, ConnectionEvent> {
    private final long waitMillis;

    private transient ValueState<ConnectionEvent> waiting;
    private transient ValueState<ConnectionEvent> partner;
    private transient JobCounters.Count paired;
    private transient JobCounters.Count alone;
    private transient JobCounters.Count answersAlone;
    private transient JobCounters.Count duplicates;

    public PairOneWayFlows(Duration wait) {
        this.waitMillis = wait.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        waiting = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("waiting", TypeInformation.of(ConnectionEvent.class)));
        partner = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("partner", TypeInformation.of(ConnectionEvent.class)));
        JobCounters counters = new JobCounters(getRuntimeContext());
        paired = counters.get(EVENTS_GROUP, "one-way", "paired");
        alone = counters.get(EVENTS_GROUP, "one-way", "unpaired");
        answersAlone = counters.get(EVENTS_GROUP, "one-way", "unpaired-answers");
        duplicates = counters.get(EVENTS_GROUP, "one-way", "duplicates");
    }

    @Override
    public void processElement(ConnectionEvent record, Context ctx, Collector<ConnectionEvent> out) throws Exception {
        ConnectionEvent first = waiting.value();
        ConnectionEvent second = partner.value();
        if (first != null && (first.equals(record) || record.equals(second))) {
            // The same record twice (two exporters, a file read twice): one conversation, counted once.
            duplicates.inc();
            return;
        }
        if (first != null && (second != null || sameDirection(first, record))) {
            // A conversation already paired, or a second record of the same side (a retransmission exported
            // apart, a reused port): this record starts another one, and an unpaired first goes alone.
            ctx.timerService().deleteEventTimeTimer(first.timestamp + waitMillis);
            if (second == null) {
                leaveAlone(first, out);
            }
            partner.clear();
            first = null;
        }
        if (first == null) {
            waiting.update(record);
            ctx.timerService().registerEventTimeTimer(record.timestamp + waitMillis);
            return;
        }
        // Both halves stay until the wait ends, to recognise their duplicates.
        partner.update(record);
        ConnectionEvent conversation = OneWayFlows.initiates(first, record)
                ? OneWayFlows.paired(first, record)
                : OneWayFlows.paired(record, first);
        paired.inc();
        if (conversation != null) {
            out.collect(conversation);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ConnectionEvent> out) throws Exception {
        ConnectionEvent first = waiting.value();
        if (first != null && first.timestamp + waitMillis == timestamp) {
            if (partner.value() == null) {
                leaveAlone(first, out);
            }
            waiting.clear();
            partner.clear();
        }
    }

    private void leaveAlone(ConnectionEvent record, Collector<ConnectionEvent> out) {
        ConnectionEvent event = OneWayFlows.alone(record);
        if (event == null) {
            answersAlone.inc();
        } else {
            alone.inc();
            out.collect(event);
        }
    }

    private static boolean sameDirection(ConnectionEvent a, ConnectionEvent b) {
        return a.sourcePort == b.sourcePort && a.sourceIp.equals(b.sourceIp);
    }
}

package io.scanwatch.job.pair;

import static io.scanwatch.job.metrics.JobCounters.EVENTS_GROUP;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.flow.OneWayFlows;
import io.scanwatch.job.metrics.JobCounters;
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
 * Pairs one-way TCP and UDP flow records with their reverse, keyed by {@link OneWayFlows#conversation}. A
 * conversation's records are kept until {@code wait} of event time has passed since its first one, then judged
 * together ({@link OneWayFlows#judge}), so the result does not depend on the order in which records with equal
 * times arrive: the conversation leaves as events of its initiator, answers alone leave nothing (the replying host
 * attempted nothing), duplicates count once. A record after the wait starts the conversation over.
 *
 * <p>State is a conversation's records for at most the wait, and at most {@link #MAX_RECORDS}: a conversation that
 * fills it is judged at once. Its output is behind the watermark by up to the wait: {@link HoldWatermark} follows
 * it.
 */
public class PairOneWayFlows extends KeyedProcessFunction<String, ConnectionEvent, ConnectionEvent> {
    /** Exporters merge a 5-tuple's packets into one record per timeout; more than this in one wait is a flood. */
    static final int MAX_RECORDS = 64;

    private final long waitMillis;

    private transient ListState<ConnectionEvent> records;
    private transient JobCounters.Count paired;
    private transient JobCounters.Count alone;
    private transient JobCounters.Count answersAlone;
    private transient JobCounters.Count duplicates;

    public PairOneWayFlows(Duration wait) {
        this.waitMillis = wait.toMillis();
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
    }

    @Override
    public void processElement(ConnectionEvent record, Context ctx, Collector<ConnectionEvent> out) throws Exception {
        records.add(record);
        ctx.timerService().registerEventTimeTimer(record.timestamp + waitMillis);
        List<ConnectionEvent> kept = new ArrayList<>();
        records.get().forEach(kept::add);
        if (kept.size() >= MAX_RECORDS) {
            judge(kept, out);
            records.clear();
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ConnectionEvent> out) throws Exception {
        List<ConnectionEvent> kept = new ArrayList<>();
        records.get().forEach(kept::add);
        kept.sort((a, b) -> Long.compare(a.timestamp, b.timestamp));
        // Conversations whose wait has passed, oldest first; each begins with the first record after the last.
        while (!kept.isEmpty() && kept.get(0).timestamp + waitMillis <= timestamp) {
            long end = kept.get(0).timestamp + waitMillis;
            List<ConnectionEvent> conversation = new ArrayList<>();
            while (!kept.isEmpty() && kept.get(0).timestamp <= end) {
                conversation.add(kept.remove(0));
            }
            judge(conversation, out);
        }
        records.update(kept);
    }

    private void judge(List<ConnectionEvent> conversation, Collector<ConnectionEvent> out) {
        OneWayFlows.Conversation judged = OneWayFlows.judge(conversation);
        judged.events().forEach(out::collect);
        paired.inc(judged.paired());
        alone.inc(judged.alone());
        answersAlone.inc(judged.answersAlone());
        duplicates.inc(judged.duplicates());
    }
}

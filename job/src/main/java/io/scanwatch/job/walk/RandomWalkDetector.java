package io.scanwatch.job.walk;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Transport;
import io.scanwatch.job.config.RuleConfig;
import io.scanwatch.job.config.RuleSettings;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.model.WalkEvidence;
import io.scanwatch.net.IpAddress;
import io.scanwatch.net.NetworkClassifier;
import io.scanwatch.walk.RandomWalk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Walks each source's first contacts (keyed by source, in event time). Only a host's first contact with a known
 * outcome moves the walk; repeated contacts do not. Reaching the upper threshold raises one detection at that
 * probe. A benign decision is not final: the walk is held at the lower threshold, so a host that later starts
 * scanning is caught after a few more failures (seven with the paper's parameters). A source quiet for the quiet
 * period starts over; its state is then gone.
 *
 * <p>The walk depends on the order of first contacts, so a source's events wait until the watermark passes them and
 * are walked in {@link ContactAttempt#ORDER}: a stream gives the alert a replay gives, whatever order its records
 * arrived in. The wait costs no alert latency (alerts wait for the watermark anyway) and at most
 * {@link #MAX_PENDING} events per source: a source that sends more within the event-time bound is walked in
 * batches of that size (a record that comes after its batch was walked, though earlier in event time, is walked
 * after it). Once a source is named, its events no longer wait, except the first after a quiet period: it may start
 * a new walk, which an earlier record still on its way would belong to.
 */
public class RandomWalkDetector extends KeyedProcessFunction<String, ContactAttempt, Detection> {
    static final int MAX_PENDING = 256;

    private final RandomWalk walk;
    private final RuleSettings common;
    private final long quietMillis;
    private final int exactHosts;
    private final int distinctCap;
    private final NetworkClassifier classifier;

    private transient ValueState<WalkState> state;
    private transient ListState<ContactAttempt> attempts;
    /**
     * Whole records a savepoint of the version before {@link ContactAttempt} left waiting. Read at every walk of the
     * waiting attempts; can go once no such savepoint is to be restored.
     */
    private transient ListState<ConnectionEvent> olderPending;
    /** How many attempts wait, of both kinds. */
    private transient ValueState<Integer> pendingCount;

    public RandomWalkDetector(RuleConfig<TrwScan.Settings> config, NetworkClassifier classifier, int distinctCap) {
        this.walk = config.own().walk();
        this.common = config.common();
        this.quietMillis = config.own().quietPeriod().toMillis();
        this.exactHosts = config.own().exactHosts();
        this.distinctCap = distinctCap;
        this.classifier = classifier;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("walk", TypeInformation.of(WalkState.class)));
        attempts = getRuntimeContext().getListState(new ListStateDescriptor<>("attempts", ContactAttempt.TYPE));
        olderPending = getRuntimeContext()
                .getListState(new ListStateDescriptor<>("pending", TypeInformation.of(ConnectionEvent.class)));
        pendingCount = getRuntimeContext().getState(new ValueStateDescriptor<>("pending-count", Types.INT));
    }

    @Override
    public void processElement(ContactAttempt attempt, Context ctx, Collector<Detection> out) throws Exception {
        WalkState walked = state.value();
        if (walked != null && walked.declared && attempt.timestamp <= walked.lastSeen + quietMillis) {
            step(attempt, ctx, out);
            return;
        }
        attempts.add(attempt);
        ctx.timerService().registerEventTimeTimer(attempt.timestamp);
        Integer count = pendingCount.value();
        int waiting = count == null ? 1 : count + 1;
        if (waiting >= MAX_PENDING) {
            walkPending(Long.MAX_VALUE, ctx, out);
        } else {
            pendingCount.update(waiting);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Detection> out) throws Exception {
        // Everything the watermark has passed, not only this timer's events: the others' timers are then deleted.
        walkPending(Math.max(timestamp, ctx.timerService().currentWatermark()), ctx, out);
        WalkState walked = state.value();
        if (walked == null || timestamp != quietTimer(walked)) {
            return;
        }
        long quietEnd = walked.lastSeen + quietMillis;
        if (quietEnd > timestamp) {
            // Seen since the timer was set: set once a walk and moved when it fires, not at every event.
            walked.quietTimer = quietEnd;
            ctx.timerService().registerEventTimeTimer(quietEnd);
            state.update(walked);
        } else if (pendingCount.value() == null) {
            state.clear();
        }
    }

    /** Walks the waiting events up to {@code until}, in their order; the later ones wait on. */
    private void walkPending(long until, Context ctx, Collector<Detection> out) throws Exception {
        List<ContactAttempt> waiting = new ArrayList<>();
        attempts.get().forEach(waiting::add);
        takeOlderPending(waiting);
        if (waiting.isEmpty()) {
            return;
        }
        waiting.sort(ContactAttempt.ORDER);
        List<ContactAttempt> later = new ArrayList<>();
        Set<Long> walkedTimes = new HashSet<>();
        for (ContactAttempt attempt : waiting) {
            if (attempt.timestamp <= until) {
                step(attempt, ctx, out);
                walkedTimes.add(attempt.timestamp);
            } else {
                later.add(attempt);
            }
        }
        if (!walkedTimes.isEmpty()) {
            // Walked before their timers fired (a full buffer, or a watermark past several): those have nothing left.
            long quietTimer = state.value().quietTimer;
            for (long time : walkedTimes) {
                if (time != quietTimer) {
                    ctx.timerService().deleteEventTimeTimer(time);
                }
            }
        }
        if (later.isEmpty()) {
            attempts.clear();
            pendingCount.clear();
        } else {
            attempts.update(later);
            pendingCount.update(later.size());
        }
    }

    /** Adds the records a savepoint of the version before {@link ContactAttempt} left waiting, as attempts. */
    private void takeOlderPending(List<ContactAttempt> waiting) throws Exception {
        Iterable<ConnectionEvent> older = olderPending.get();
        if (older.iterator().hasNext()) {
            ListCollector<ContactAttempt> toWaiting = new ListCollector<>(waiting);
            older.forEach(record -> ContactAttempt.select(record, toWaiting));
            olderPending.clear();
        }
    }

    private void step(ContactAttempt attempt, Context ctx, Collector<Detection> out) throws Exception {
        WalkState walked = state.value();
        if (walked != null && attempt.timestamp > walked.lastSeen + quietMillis) {
            // Quiet for the quiet period: a new walk, as when the watermark passed its end before this event came
            // (in a replay every event is in before any timer fires, so the timer alone would never see the gap).
            walked = null;
        }
        if (walked == null) {
            walked = new WalkState();
            walked.quietTimer = attempt.timestamp + quietMillis;
            ctx.timerService().registerEventTimeTimer(walked.quietTimer);
        } else {
            walked.quietTimer = quietTimer(walked);
        }
        walked.lastSeen = Math.max(walked.lastSeen, attempt.timestamp);
        if (walked.quietTimer <= ctx.timerService().currentWatermark()) {
            // The timer fired while events waited, and this one (late) continues the walk: without a timer again, the
            // walk would stay until its source came back after a quiet period. (In a replay the key's state goes with
            // the key anyway, and a timer set while its timers fire is dropped.)
            walked.quietTimer = walked.lastSeen + quietMillis;
            ctx.timerService().registerEventTimeTimer(walked.quietTimer);
        }
        if (walked.contacted.add(attempt.destinationIp, exactHosts)) {
            boolean success = attempt.success;
            walked.logRatio = Math.max(walk.lower(), walked.logRatio + walk.step(success));
            if (success) {
                walked.successes++;
            } else {
                walked.failures++;
            }
            remember(walked, attempt);
            if (!walked.declared && walk.decide(walked.logRatio) == RandomWalk.Decision.SCANNER) {
                walked.declared = true;
                out.collect(detection(ctx.getCurrentKey(), attempt, walked));
            }
        }
        state.update(walked);
    }

    /**
     * When the walk's quiet timer fires. A walk restored from a savepoint taken before {@link WalkState#quietTimer}
     * has none recorded: that version kept its timer at the quiet period's end.
     */
    private long quietTimer(WalkState walked) {
        return walked.quietTimer != 0 ? walked.quietTimer : walked.lastSeen + quietMillis;
    }

    private static void remember(WalkState walked, ContactAttempt attempt) {
        int n = walked.times.length;
        if (n == WalkState.EVIDENCE) {
            return;
        }
        IpAddress host = IpAddress.parse(attempt.destinationIp);
        walked.times = Arrays.copyOf(walked.times, n + 1);
        walked.times[n] = attempt.timestamp;
        walked.hosts = Arrays.copyOf(walked.hosts, 2 * n + 2);
        walked.hosts[2 * n] = host.high();
        walked.hosts[2 * n + 1] = host.low();
        walked.ports = Arrays.copyOf(walked.ports, n + 1);
        walked.ports[n] = attempt.destinationPort;
        walked.internal = Arrays.copyOf(walked.internal, n + 1);
        walked.internal[n] = attempt.destinationInternal;
    }

    /** The remembered first contacts as a tally, the evidence every alert shows. */
    private ProbeTally firstContacts(WalkState walked) {
        ProbeTally tally = new ProbeTally();
        for (int i = 0; i < walked.times.length; i++) {
            String host =
                    IpAddress.of(walked.hosts[2 * i], walked.hosts[2 * i + 1]).toString();
            tally.add(
                    walked.times[i],
                    host,
                    walked.ports[i],
                    ConnectionEvent.service(host, walked.ports[i], Transport.TCP),
                    walked.internal[i],
                    distinctCap);
        }
        return tally;
    }

    private Detection detection(String source, ContactAttempt deciding, WalkState walked) {
        ProbeTally firstContacts = firstContacts(walked);
        Detection d = new Detection();
        d.rule = TrwScan.NAME;
        d.sourceIp = source;
        d.scope = "";
        d.windowKind = "walk";
        d.windowStart = firstContacts.firstSeen;
        d.windowEnd = deciding.timestamp + 1;
        d.sourceInternal = classifier.isInternal(source);
        d.networkDirection = firstContacts.networkDirection(d.sourceInternal);
        d.severity = common.severity().score;
        d.techniques = List.copyOf(common.techniques());
        d.suppressionPeriod = common.suppressionPeriod().toMillis();
        d.tally = firstContacts;
        WalkEvidence evidence = new WalkEvidence();
        evidence.firstContacts = walked.failures + walked.successes;
        evidence.failures = walked.failures;
        evidence.successes = walked.successes;
        evidence.logLikelihoodRatio = walked.logRatio;
        evidence.threshold = walk.upper();
        d.walk = evidence;
        return d;
    }
}

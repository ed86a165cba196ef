package io.scanwatch.job.walk;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Transport;
import io.scanwatch.job.config.RuleConfig;
import io.scanwatch.job.config.RuleSettings;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.model.WalkEvidence;
import io.scanwatch.job.runtime.TaskManagerJava;
import io.scanwatch.net.IpAddress;
import io.scanwatch.net.NetworkClassifier;
import io.scanwatch.walk.RandomWalk;
import java.io.IOException;
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
 * period starts over; its state is then gone, once no attempt of it waits.
 *
 * <p>The walk depends on the order of first contacts, so a source's attempts wait until the watermark passes them
 * and are walked in {@link ContactAttempt#ORDER}: a stream gives the alert a replay gives, whatever order its records
 * arrived in. Once a source is named, its attempts no longer wait, except the first after a quiet period: it may
 * start a new walk, which an earlier record still on its way would belong to.
 *
 * <p>Only attempts that could name their source need a timer, at their own time, so that the alert leaves when the
 * watermark passes the deciding probe. The others (a client's, mostly: its walk is far from the threshold) are walked
 * when the source's next attempt comes after the watermark passed them, or at its quiet timer: no alert waits on
 * them, and a timer per attempt was most of the walk's cost in a stream. They are walked in the batches the
 * watermark cuts, as if each had a timer. At most {@link #MAX_PENDING} attempts wait per source: a source that sends
 * more within the event-time bound is walked in batches of that size (a record that comes after its batch was
 * walked, though earlier in event time, is walked after it).
 */
public class RandomWalkDetector extends KeyedProcessFunction<String, ContactAttempt, Detection> {
    static final int MAX_PENDING = 256;

    private final RandomWalk walk;
    private final RuleSettings common;
    private final long quietMillis;
    private final int exactHosts;
    private final int distinctCap;
    private final NetworkClassifier classifier;
    /**
     * The destinations walked: what routing selects now, applied again to what a savepoint holds (attempts waiting
     * since a version that walked every destination, or since a restart with another scope). A walk's odds counted
     * before stay until it starts over.
     */
    private final TrwScan selection;

    private transient ValueState<WalkState> state;
    /**
     * What a savepoint of an earlier version left waiting, each with a timer of its own: whole records (before
     * {@link ContactAttempt}), then attempts in a list of their own. Taken when one of those timers fires; can go
     * once no such savepoint is to be restored.
     */
    private transient ListState<ConnectionEvent> olderRecords;

    private transient ListState<ContactAttempt> olderAttempts;
    /** How many of those waited: only cleared with them. */
    private transient ValueState<Integer> olderCount;

    public RandomWalkDetector(RuleConfig<TrwScan.Settings> config, NetworkClassifier classifier, int distinctCap) {
        this.walk = config.own().walk();
        this.common = config.common();
        this.quietMillis = config.own().quietPeriod().toMillis();
        this.exactHosts = config.own().exactHosts();
        this.selection = new TrwScan(config.own().destinations());
        this.distinctCap = distinctCap;
        this.classifier = classifier;
    }

    @Override
    public void open(OpenContext openContext) {
        TaskManagerJava.check();
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("walk", TypeInformation.of(WalkState.class)));
        olderRecords = getRuntimeContext()
                .getListState(new ListStateDescriptor<>("pending", TypeInformation.of(ConnectionEvent.class)));
        olderAttempts = getRuntimeContext().getListState(new ListStateDescriptor<>("attempts", ContactAttempt.TYPE));
        olderCount = getRuntimeContext().getState(new ValueStateDescriptor<>("pending-count", Types.INT));
    }

    @Override
    public void processElement(ContactAttempt attempt, Context ctx, Collector<Detection> out) throws Exception {
        WalkState walked = stored();
        if (walked == null) {
            walked = new WalkState();
            walked.quietTimer = attempt.timestamp + quietMillis;
            ctx.timerService().registerEventTimeTimer(walked.quietTimer);
        }
        long watermark = ctx.timerService().currentWatermark();
        // Not when the watermark stands where it stood: an attempt behind it that came in since is late, and waits
        // for the next one with any others as late. (Not "above": after a restore the watermark starts over.)
        if (watermark != walked.lastWatermark && waitsAtOrBefore(walked, watermark)) {
            walked = walkWaiting(walked, watermark, ctx, out);
        }
        walked.lastWatermark = watermark;
        if (walked.declared && attempt.timestamp <= walked.lastSeen + quietMillis) {
            walked = step(walked, attempt, ctx, out);
        } else {
            walked.waiting = Arrays.copyOf(walked.waiting, walked.waiting.length + 1);
            walked.waiting[walked.waiting.length - 1] = attempt;
            if (walked.waiting.length >= MAX_PENDING) {
                walked = walkAll(walked, ctx, out);
            } else if (couldDecide(walked)) {
                ctx.timerService().registerEventTimeTimer(attempt.timestamp);
            }
        }
        state.update(walked);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Detection> out) throws Exception {
        WalkState stored = stored();
        // With no state, only what an older savepoint left can wait, each with its own timer.
        WalkState walked = stored == null ? new WalkState() : stored;
        takeOlder(walked);
        // Everything the watermark has passed, not only what this timer was set for.
        walked = walkWaiting(walked, Math.max(timestamp, ctx.timerService().currentWatermark()), ctx, out);
        if (!walked.started() && walked.waiting.length == 0) {
            // No state, and nothing an older savepoint left: a timer of a walk that is over.
            return;
        }
        if (timestamp == walked.quietTimer) {
            long quietEnd = walked.lastSeen + quietMillis;
            if (walked.started() && quietEnd > timestamp) {
                // Seen since the timer was set: set once for the source's state and moved when it fires, not at every
                // event.
                walked.quietTimer = quietEnd;
            } else if (walked.waiting.length == 0) {
                state.clear();
                return;
            } else {
                // Quiet, but attempts ahead of the watermark wait: walked when it passes them, they start a new walk.
                walked.quietTimer = latest(walked.waiting);
            }
            ctx.timerService().registerEventTimeTimer(walked.quietTimer);
        }
        state.update(walked);
    }

    /**
     * Walks the waiting attempts up to {@code until}, in their order; the later ones wait on.
     *
     * @return the walk after them: a new one if they start one after a quiet period
     */
    private WalkState walkWaiting(WalkState walked, long until, Context ctx, Collector<Detection> out)
            throws Exception {
        // Sorted where they wait, by time first, so that those due come first: this runs at nearly every arrival
        // (the watermark has usually moved since the source's last one), and copying the attempts to lists and back
        // cost three allocations each time.
        ContactAttempt[] waiting = walked.waiting;
        Arrays.sort(waiting, ContactAttempt.ORDER);
        int next = 0;
        while (next < waiting.length && waiting[next].timestamp <= until) {
            walked = step(walked, waiting[next++], ctx, out);
        }
        walked.waiting = next == 0 ? waiting : Arrays.copyOfRange(waiting, next, waiting.length);
        walked.lastWatermark = ctx.timerService().currentWatermark();
        if (next < waiting.length && couldDecide(walked)) {
            ctx.timerService().registerEventTimeTimer(waiting[next].timestamp);
        }
        return walked;
    }

    /** Walks every waiting attempt now (a full list): a timer set for one ahead of the watermark has nothing left. */
    private WalkState walkAll(WalkState walked, Context ctx, Collector<Detection> out) throws Exception {
        takeOlder(walked);
        long watermark = ctx.timerService().currentWatermark();
        Set<Long> ahead = new HashSet<>();
        for (ContactAttempt attempt : walked.waiting) {
            if (attempt.timestamp > watermark) {
                ahead.add(attempt.timestamp);
            }
        }
        WalkState after = walkWaiting(walked, Long.MAX_VALUE, ctx, out);
        ahead.remove(after.quietTimer);
        for (long time : ahead) {
            ctx.timerService().deleteEventTimeTimer(time);
        }
        return after;
    }

    /**
     * Adds what a savepoint of an earlier version left waiting to the waiting attempts, and clears it, also what the
     * walk does not take (else it would be read again at every timer).
     */
    private void takeOlder(WalkState walked) throws Exception {
        Iterable<ConnectionEvent> records = olderRecords.get();
        Iterable<ContactAttempt> attempts = olderAttempts.get();
        if (!records.iterator().hasNext() && !attempts.iterator().hasNext()) {
            return;
        }
        List<ContactAttempt> waiting = new ArrayList<>(Arrays.asList(walked.waiting));
        ListCollector<ContactAttempt> toWaiting = new ListCollector<>(waiting);
        records.forEach(record -> selection.select(record, toWaiting));
        attempts.forEach(waiting::add);
        walked.waiting = waiting.toArray(new ContactAttempt[0]);
        olderRecords.clear();
        olderAttempts.clear();
        olderCount.clear();
    }

    /**
     * Whether walking the waiting attempts could name the source: if every one of them were a failed first contact.
     * Summed one step at a time, as the walk sums them, so that rounding cannot put the bound below the walk.
     */
    private boolean couldDecide(WalkState walked) {
        boolean mayStartOver = !walked.started() || latest(walked.waiting) > walked.lastSeen + quietMillis;
        double bound;
        if (walked.declared) {
            if (!mayStartOver) {
                return false;
            }
            // A named walk fires no more: only a new one, from 0, could.
            bound = 0;
        } else {
            // A new walk starts from 0, which may be above where this one stands.
            bound = mayStartOver ? Math.max(0, walked.logRatio) : walked.logRatio;
        }
        double failure = walk.step(false);
        for (int i = 0; i < walked.waiting.length; i++) {
            bound += failure;
        }
        return walk.decide(bound) == RandomWalk.Decision.SCANNER;
    }

    private static boolean waitsAtOrBefore(WalkState walked, long time) {
        for (ContactAttempt attempt : walked.waiting) {
            if (attempt.timestamp <= time) {
                return true;
            }
        }
        return false;
    }

    private static long latest(ContactAttempt[] attempts) {
        long latest = Long.MIN_VALUE;
        for (ContactAttempt attempt : attempts) {
            latest = Math.max(latest, attempt.timestamp);
        }
        return latest;
    }

    /** @return the walk after the attempt: a new one if it comes after a quiet period */
    private WalkState step(WalkState walked, ContactAttempt attempt, Context ctx, Collector<Detection> out) {
        if (!selection.watches(attempt)) {
            return walked;
        }
        if (walked.started() && attempt.timestamp > walked.lastSeen + quietMillis) {
            // Quiet for the quiet period: a new walk, as when the watermark passed its end before this event came
            // (in a replay every event is in before any timer fires, so the timer alone would never see the gap).
            walked = walked.afterQuiet();
        }
        walked.lastSeen = Math.max(walked.lastSeen, attempt.timestamp);
        long quietEnd = walked.lastSeen + quietMillis;
        if (walked.quietTimer <= ctx.timerService().currentWatermark() && quietEnd != walked.quietTimer) {
            // The timer fired while attempts waited, and this one (late, or waiting) continues or starts the walk:
            // without a timer again, the walk would stay until its source came back after a quiet period. (Not the
            // timer firing now, which ends the walk at once. In a replay the key's state goes with the key anyway,
            // and a timer set while its timers fire is dropped.)
            walked.quietTimer = quietEnd;
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
        return walked;
    }

    /**
     * The source's state. A walk restored from a savepoint taken before {@link WalkState#quietTimer} has none
     * recorded: that version kept its timer at the quiet period's end.
     */
    private WalkState stored() throws IOException {
        WalkState walked = state.value();
        if (walked != null && walked.quietTimer == 0 && walked.started()) {
            walked.quietTimer = walked.lastSeen + quietMillis;
        }
        return walked;
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

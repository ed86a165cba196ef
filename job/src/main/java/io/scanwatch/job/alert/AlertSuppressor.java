package io.scanwatch.job.alert;

import io.scanwatch.job.config.ScanwatchConfig.AlertingConfig;
import io.scanwatch.job.metrics.JobCounters;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.LogonEvidence;
import io.scanwatch.job.model.NetworkTally;
import io.scanwatch.job.model.ScanType;
import io.scanwatch.job.runtime.TaskManagerJava;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns repeated detections into alerts, keyed by source. A detection that continues one of the source's open
 * scans under the same rule, or a rule of its family ({@link Episode#sameScan}, {@link Detection#family()}), only
 * adds to its evidence, and alerts again as a roll-up when the scan has grown by the growth factor (and, for
 * long-horizon rules, no sooner than their roll-up period after the last alert: growth within it is held, and told a
 * period after its window unless a later detection is told first); any other detection opens a new episode with its
 * own alert, so a second scan is never hidden behind the first. A scan that reaches an asset the inventory raises its
 * severity for rolls up at once, however little it grew ({@link Detection#raisingCriticality}). An episode ends with
 * its suppression period, counted from its first alert, or for long-horizon rules from its latest detection: a scan
 * that goes on for days is one episode.
 *
 * <p>Episodes of one source that overlap in time form an incident: a new episode joins the incident of the
 * source's oldest open episode (or of the scan a correlated detection follows), so the random walk's early alert,
 * the windowed rules' alerts and a scan-then-logon alert for the same scanner tell one story under one id.
 *
 * <p>A scan that goes on without alerting (a slow scan rolls up ever more rarely as it grows) still tells the
 * correlation that it goes on: once its probes reach {@code stillScanningEvery} past those the correlation knows of,
 * and once more that long after its last probe, the episode's last alert with the evidence so far goes to
 * {@link #STILL_SCANNING}, so that logons hours into a patient scan follow it as those right after its alert do. By the probes' time, not the detections': a window judged
 * again (for a late record, or after a share withheld it) may detect a scan long after its last probe, and a scan that
 * stopped does not go on.
 *
 * <p>Detections wait until the watermark passes them and are then handled in a fixed order, so that the result
 * does not depend on which detector's output arrived first.
 */
public class AlertSuppressor extends KeyedProcessFunction<String, Detection, Alert> {
    /** Detections that only added to an open episode, by rule ({@code alerts.<rule>.suppressed}). */
    public static final String SUPPRESSED = "suppressed";

    /** An open episode's last alert again, with the evidence as of a later detection: for the correlation only. */
    public static final OutputTag<Alert> STILL_SCANNING = new OutputTag<>("still-scanning") {};

    /**
     * When two detectors fire at the same instant: the logons after a correlation's match before the match, so that
     * those its episode does not hold yet wait for it and are told in its first alert rather than in roll-ups of the
     * same instant, in the order they were logged and read, whatever the order they came in; a family's own rule first (a fast scan is reported as
     * {@code network_scan}, the slow tier adds to it), then larger windows (the alert shows the wider view); the
     * rest by scope and rule, so that two services' scans ending together found the same incident on every run.
     */
    private static final Comparator<Detection> ORDER = Comparator.<Detection>comparingLong(d -> d.windowEnd)
            .thenComparing(d -> !d.continuation)
            .thenComparing(AlertSuppressor::asRead)
            .thenComparing(d -> !d.rule.equals(d.family()))
            .thenComparing(Comparator.comparingLong(Detection::windowSize).reversed())
            .thenComparing(d -> d.scope)
            .thenComparing(d -> d.rule);

    private final double growthFactor;
    private final int distinctCap;
    private final int maxUsers;
    private final long lateDetectionsWithin;
    private final long stillScanningEvery;
    private final long logonsWait;

    private transient ListState<Detection> pending;
    private transient MapState<String, Episode> episodes;
    /** Logons after a match that came before the match was handled, each for as long as logons wait for it. */
    private transient ListState<Detection> unjoined;

    private transient JobCounters counters;

    /**
     * @param maxUsers how many accounts a correlated episode keeps
     * @param lateDetectionsWithin how long after its window a detection of a continuous rule may still come (a late
     *     record judges again the windows that hold it, for as long as its detector keeps them): an ended continuous
     *     episode is kept that much longer, so that such a detection joins it instead of alerting again on a scan
     *     already reported
     * @param stillScanningEvery how far a scan's probes go on past those the correlation knows of before it is told
     *     again ({@link #STILL_SCANNING}); zero for never
     * @param logonsWaitForTheirMatch how long a logon after a correlation's match waits for the match to be handled
     *     (a match is stamped at the scan it follows, and CEP may hold it while an earlier partial match may still
     *     complete); zero where no detection is a logon after a match
     */
    public AlertSuppressor(
            AlertingConfig config,
            int distinctCap,
            int maxUsers,
            Duration lateDetectionsWithin,
            Duration stillScanningEvery,
            Duration logonsWaitForTheirMatch) {
        this.growthFactor = config.growthFactor();
        this.distinctCap = distinctCap;
        this.maxUsers = maxUsers;
        this.lateDetectionsWithin = lateDetectionsWithin.toMillis();
        this.stillScanningEvery = stillScanningEvery.toMillis();
        this.logonsWait = logonsWaitForTheirMatch.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        TaskManagerJava.check();
        pending = getRuntimeContext()
                .getListState(new ListStateDescriptor<>("pending", TypeInformation.of(Detection.class)));
        episodes = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("episodes", Types.STRING, TypeInformation.of(Episode.class)));
        unjoined = getRuntimeContext()
                .getListState(new ListStateDescriptor<>("unjoined-logons", TypeInformation.of(Detection.class)));
        counters = new JobCounters(getRuntimeContext());
    }

    @Override
    public void processElement(Detection detection, Context ctx, Collector<Alert> out) throws Exception {
        pending.add(detection);
        long due = detection.windowEnd - 1;
        if (stillScanningEvery > 0 && detection.logons == null && detection.members == null) {
            // The last word, should the scan stop with this detection's probes, after it is handled. Set here: a
            // replay fires a key's timers at its end, and takes no new ones then.
            ctx.timerService().registerEventTimeTimer(Math.max(due, detection.tally.lastSeen + stillScanningEvery));
        }
        if (detection.continuation) {
            // When it no longer waits for its match, set here for a replay, which takes no timers set while it fires.
            ctx.timerService().registerEventTimeTimer(due + logonsWait);
        }
        if (detection.rollupPeriod > 0) {
            // When a roll-up this detection may hold is due, set here for a replay, which takes no timers set while
            // it fires.
            ctx.timerService().registerEventTimeTimer(due + detection.rollupPeriod);
        }
        long watermark = ctx.timerService().currentWatermark();
        if (due <= watermark) {
            // Behind the watermark already: its detector's channel was idle while the others moved the watermark on
            // (a stream whose inputs all fell quiet, then one came back). A timer set now would wait for the next
            // advance, which may not come before new records do. Released by its own time, not the watermark's, so
            // that the episode it opens stays open for the late detections after it; those of one instant that
            // arrive late one by one are handled as they come, not in ORDER.
            release(due, ctx, out);
        } else {
            ctx.timerService().registerEventTimeTimer(due);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        release(timestamp, ctx, out);
    }

    /**
     * Handles the detections due by {@code timestamp} in their order, gives the last word of scans that stopped, and
     * ends the episodes over by then.
     */
    private void release(long timestamp, Context ctx, Collector<Alert> out) throws Exception {
        List<Detection> due = new ArrayList<>();
        List<Detection> later = new ArrayList<>();
        for (Detection detection : pending.get()) {
            (detection.windowEnd - 1 <= timestamp ? due : later).add(detection);
        }
        due.sort(ORDER);
        pending.update(later);
        for (Detection detection : due) {
            // As a stream does, whose timer for a held roll-up fires before a later detection's, and after one of
            // the same instant.
            tellHeldRollups(detection.windowEnd - 2, out);
            handle(detection, ctx, out);
        }
        tellHeldRollups(timestamp, out);
        if (logonsWait > 0) {
            List<Detection> waiting = new ArrayList<>();
            for (Detection logon : unjoined.get()) {
                if (logon.windowEnd - 1 + logonsWait > timestamp) {
                    waiting.add(logon);
                }
            }
            unjoined.update(waiting);
        }
        List<Episode> stopped = new ArrayList<>();
        List<Episode> ended = new ArrayList<>();
        for (Episode episode : episodes.values()) {
            if (hasNewsForTheCorrelation(episode) && episode.evidence.lastSeen + stillScanningEvery <= timestamp) {
                stopped.add(episode);
            }
            if (keptUntil(episode) - 1 <= timestamp) {
                ended.add(episode);
            }
        }
        for (Episode episode : stopped) {
            tellStillScanning(episode, ctx);
            episodes.put(episode.id, episode);
        }
        for (Episode episode : ended) {
            // One that holds a roll-up (a roll-up period longer than the episode) goes when it is told, at a time
            // a replay has a timer for, as a stream has.
            if (episode.heldRollup == null) {
                episodes.remove(episode.id);
            }
        }
    }

    /**
     * The roll-ups held back by their period that are due by {@code timestamp}: a scan that doubled within the period
     * of its last alert and then stopped is told at its extent, not at the last alert's.
     */
    private void tellHeldRollups(long timestamp, Collector<Alert> out) throws Exception {
        List<Episode> due = new ArrayList<>();
        for (Episode episode : episodes.values()) {
            if (episode.heldRollup != null && heldRollupDue(episode) <= timestamp) {
                due.add(episode);
            }
        }
        due.sort(Comparator.comparingLong(AlertSuppressor::heldRollupDue).thenComparing(episode -> episode.id));
        for (Episode episode : due) {
            tellHeldRollup(episode, out);
            episodes.put(episode.id, episode);
        }
    }

    /**
     * When a held roll-up is told: a period after its window. A scan that goes on is detected again a slide later,
     * past the period of its last alert by then where the slide is no longer than the period, and that detection is
     * told instead. From the held detection's own window, not the last alert's, so that a replay, which takes no timer
     * set while timers fire, has the same timer from the detection's arrival ({@link #processElement}).
     */
    private static long heldRollupDue(Episode episode) {
        return episode.heldRollup.windowEnd - 1 + episode.heldRollup.rollupPeriod;
    }

    /**
     * Whether a detection that found the scan grown is newer than the episode's last alert and its held roll-up: a
     * window judged again for a late record holds no news to tell later, and at one instant the first detection in
     * {@link #ORDER} (the wider window) stays.
     */
    private static boolean holdsNewer(Episode episode, Detection detection) {
        return detection.windowEnd >= episode.lastAlert
                && (episode.heldRollup == null || detection.windowEnd > episode.heldRollup.windowEnd);
    }

    private static void tellHeldRollup(Episode episode, Collector<Alert> out) {
        long raisedAt = heldRollupDue(episode) + 1;
        Detection held = episode.heldRollup;
        episode.heldRollup = null;
        episode.sequence++;
        emit(episode, held, Alert.Kind.ROLLUP, raisedAt, out);
    }

    private void handle(Detection detection, Context ctx, Collector<Alert> out) throws Exception {
        // An episode of the same shape first: a long-horizon block joins the block it continues, not the sweep it
        // also holds.
        Episode current = null;
        boolean sameShape = false;
        for (Episode open : episodes.values()) {
            if (detection.windowEnd <= open.suppressUntil
                    && open.family().equals(detection.family())
                    && (detection.heldBack || !open.heldBack)
                    && open.sameScan(detection)) {
                boolean shape = open.scanType == detection.scanType;
                if (current == null || (shape && !sameShape) || (shape == sameShape && startsBefore(open, current))) {
                    current = open;
                    sameShape = shape;
                }
            }
        }
        if (detection.continuation) {
            // A logon after a match joins the episode a match opened, unless that match holds it. Before the match is
            // handled it waits for it (a match is stamped at the scan it follows, which may be later than this
            // logon's, and CEP may hold a match back), and joins it then.
            if (current == null) {
                unjoined.add(detection);
                return;
            }
            if (current.logons.holds(detection.logons)) {
                return;
            }
        }
        if (current == null) {
            current = new Episode();
            current.id = AlertIds.episodeId(detection.episodeSeed() + "|" + detection.scope, detection.windowEnd);
            current.rule = detection.rule;
            current.family = detection.family();
            current.incidentId = incidentOf(detection, current.id);
            current.start = detection.windowEnd;
            current.suppressUntil = detection.windowEnd + detection.suppressionPeriod;
            current.scanType = detection.scanType;
            current.target = detection.target;
            current.evidence = detection.tally.copy();
            current.logons = detection.logons == null ? null : detection.logons.copy();
            current.members = detection.members == null ? null : detection.members.copy();
            current.continuous = detection.continuous;
            current.heldBack = detection.heldBack;
            List<Detection> after = current.logons != null ? joinUnjoined(current, detection.windowEnd) : List.of();
            emit(current, detection, Alert.Kind.NEW, 0, out);
            ctx.timerService().registerEventTimeTimer(keptUntil(current) - 1);
            episodes.put(current.id, current);
            for (Detection later : after) {
                handle(later, ctx, out);
            }
            return;
        } else {
            current.absorbShape(detection);
            current.evidence.absorb(detection.tally, distinctCap);
            boolean gotInAnew = false;
            if (detection.continuation) {
                // Only so: a later match's logons come as continuations too, and would count twice.
                gotInAnew = current.logons.isNewLogonIn(detection.logons);
                current.logons.absorb(detection.logons, maxUsers, distinctCap);
            }
            if (detection.members != null && current.members != null) {
                current.members.maxAll(detection.members, NetworkTally.MEMBERS_CAP);
            }
            if (detection.continuous && detection.windowEnd + detection.suppressionPeriod > current.suppressUntil) {
                current.suppressUntil = detection.windowEnd + detection.suppressionPeriod;
                ctx.timerService().registerEventTimeTimer(keptUntil(current) - 1);
            }
            // Another account or host broken into is told, however little the episode grew.
            boolean grew = current.grewBy(growthFactor) || gotInAnew;
            // A scan that reached an asset critical enough to raise its severity is told at once, once for each
            // criticality it reaches; a window judged again for a late record, older than the last alert, is not
            // told after it (the asset is in the episode's evidence for its next alert).
            boolean escalates = current.reachesFurther(detection) && detection.windowEnd >= current.lastAlert;
            if (escalates || grew && detection.windowEnd - current.lastAlert >= detection.rollupPeriod) {
                if (current.heldRollup != null) {
                    suppressed(current, current.heldRollup);
                    current.heldRollup = null;
                }
                current.sequence++;
                emit(current, detection, Alert.Kind.ROLLUP, 0, out);
            } else {
                if (grew && holdsNewer(current, detection)) {
                    // Held, not dropped: told a period after its window, unless a later detection is told first.
                    if (current.heldRollup != null) {
                        suppressed(current, current.heldRollup);
                    }
                    current.heldRollup = detection;
                    ctx.timerService().registerEventTimeTimer(heldRollupDue(current));
                } else {
                    suppressed(current, detection);
                }
                if (hasNewsForTheCorrelation(current)
                        && current.evidence.lastSeen - current.lastProbeTold >= stillScanningEvery) {
                    tellStillScanning(current, ctx);
                }
            }
        }
        episodes.put(current.id, current);
    }

    /** Logons after a match in the order they were logged and read; any other detections alike. */
    private static int asRead(Detection one, Detection other) {
        if (!one.continuation || !other.continuation) {
            return 0;
        }
        int byTime = Long.compare(one.logons.lastLogon, other.logons.lastLogon);
        return byTime != 0
                ? byTime
                : LogonEvidence.READ_ORDER.compare(one.logons.records.get(0), other.logons.records.get(0));
    }

    /**
     * The logons after a match that came before the match that opened the episode was handled: those stamped by its
     * instant told with it, those it does not hold; the later ones returned, to be handled after it, in their order,
     * as a replay (which takes them in time order) handles them, so that a stream in which CEP held the match back
     * tells the same.
     */
    private List<Detection> joinUnjoined(Episode episode, long openedAt) throws Exception {
        List<Detection> theirs = new ArrayList<>();
        List<Detection> after = new ArrayList<>();
        List<Detection> others = new ArrayList<>();
        for (Detection waiting : unjoined.get()) {
            boolean joins = waiting.family().equals(episode.family()) && (waiting.heldBack || !episode.heldBack);
            (!joins ? others : waiting.windowEnd <= openedAt ? theirs : after).add(waiting);
        }
        after.sort(ORDER);
        if (theirs.isEmpty() && after.isEmpty()) {
            return after;
        }
        unjoined.update(others);
        theirs.sort(Comparator.comparingLong(waiting -> waiting.logons.lastLogon));
        // The match's own logons are among them: the records it holds tell which.
        for (Detection waiting : theirs) {
            if (!episode.logons.holds(waiting.logons)) {
                episode.evidence.absorb(waiting.tally, distinctCap);
                episode.logons.absorb(waiting.logons, maxUsers, distinctCap);
            }
        }
        return after;
    }

    private void suppressed(Episode episode, Detection detection) {
        episode.suppressedSinceLastAlert++;
        counters.get(CountAlerts.GROUP, detection.rule, SUPPRESSED).inc();
    }

    /** The incident a new episode joins: the followed scan's, else the oldest open episode's, else its own. */
    private String incidentOf(Detection detection, String episodeId) throws Exception {
        if (detection.follows != null) {
            return detection.follows.incidentId;
        }
        if (detection.sourceIp.endsWith("/0")) {
            // Sources from anywhere (many networks at one host): scans of other hosts are other stories.
            return episodeId;
        }
        Episode oldest = null;
        for (Episode open : episodes.values()) {
            if (detection.windowEnd <= open.suppressUntil && (oldest == null || startsBefore(open, oldest))) {
                oldest = open;
            }
        }
        return oldest == null ? episodeId : oldest.incidentId;
    }

    /**
     * When an ended episode goes: a continuous one (the slow tiers', the networks') may still take detections of
     * windows that a late record had judged again, for as long as those rules keep a window; a fast rule's windows
     * are kept for minutes, less than the suppression period after them.
     */
    private long keptUntil(Episode episode) {
        return episode.suppressUntil + (episode.continuous ? lateDetectionsWithin : 0);
    }

    /** Earlier, or as early and first by id: the map's order is not the same on every run. */
    private static boolean startsBefore(Episode episode, Episode other) {
        return episode.start < other.start || episode.start == other.start && episode.id.compareTo(other.id) < 0;
    }

    /** @param heldUntil when a held roll-up is raised, after its detection's window; 0 for an alert raised at it */
    private static void emit(
            Episode current, Detection detection, Alert.Kind kind, long heldUntil, Collector<Alert> out) {
        Detection told = toldAsTheEpisode(current, detection);
        Alert alert = alert(current, told, kind);
        alert.heldUntil = heldUntil;
        if (kind == Alert.Kind.ROLLUP) {
            alert.previous = current.lastReport(AlertIds.alertId(current.id, current.sequence - 1));
        }
        current.reported(told);
        out.collect(alert);
    }

    /**
     * A vertical or horizontal part of a block scan that joined the block's episode (a slow tier's window holding one
     * of its hosts) is told as the episode is, a block: the alert carries the episode's evidence, and a scope of one
     * host above counts of two contradicts itself. The window's own counts stay the detection's.
     */
    private static Detection toldAsTheEpisode(Episode current, Detection detection) {
        if (current.scanType != ScanType.BLOCK || detection.scanType == null || detection.scanType == ScanType.BLOCK) {
            return detection;
        }
        Detection told = detection.shallowCopy();
        told.scanType = ScanType.BLOCK;
        told.scope = ScanType.BLOCK_SCOPE;
        told.target = null;
        return told;
    }

    /**
     * Whether the scan went on past the probes the correlation knows of. Correlated episodes (their logons) follow no
     * scan, and a network's scans (their members) no logon's source; an episode restored from a savepoint written
     * before its last alert was kept (no rule of it) has no word to give until its next alert.
     */
    private boolean hasNewsForTheCorrelation(Episode episode) {
        return stillScanningEvery > 0
                && episode.logons == null
                && episode.members == null
                && episode.lastAlertRule != null
                && episode.evidence.lastSeen > episode.lastProbeTold;
    }

    /**
     * The episode's last alert with the evidence so far, to the correlation: while its probes go on, whenever they
     * went {@code stillScanningEvery} past those it knows of, and once more that long after the last of them (the
     * correlation presumes a scan goes on that long past the last probe it heard of).
     */
    private void tellStillScanning(Episode episode, Context ctx) {
        episode.lastProbeTold = episode.evidence.lastSeen;
        Alert.Kind kind = episode.sequence == 0 ? Alert.Kind.NEW : Alert.Kind.ROLLUP;
        ctx.output(STILL_SCANNING, alert(episode, episode.lastAlerted(ctx.getCurrentKey()), kind));
    }

    private static Alert alert(Episode current, Detection detection, Alert.Kind kind) {
        Alert alert = new Alert();
        alert.episodeId = current.id;
        alert.incidentId = current.incidentId;
        alert.id = AlertIds.alertId(current.id, current.sequence);
        alert.kind = kind;
        alert.sequence = current.sequence;
        alert.episodeStart = current.start;
        alert.suppressedDetections = current.suppressedSinceLastAlert;
        alert.detection = detection;
        alert.episode = current.evidence.copy();
        alert.episodeLogons = current.logons == null ? null : current.logons.copy();
        alert.episodeMembers = current.members == null ? null : current.members.copy();
        alert.raisingTargetTold = current.raisingTargetTold;
        return alert;
    }
}

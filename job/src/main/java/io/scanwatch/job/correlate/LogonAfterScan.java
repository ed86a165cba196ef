package io.scanwatch.job.correlate;

import io.scanwatch.job.model.LogonTarget;
import io.scanwatch.job.model.ScanFacts;
import io.scanwatch.net.NetworkClassifier;
import java.time.Duration;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * A logon (failed or successful) by the scanning source, at a probed or internal host, no earlier than the first
 * scan's first probe and at most {@code within} after the scan was last seen going on: at a host outside, one that the
 * first scan or a later one of the match probed. Logons before the scan began are another story (a brute force that
 * then scans) and do not match; logons long after it, whatever window still held the scan, neither. With
 * {@code takesScans}, the source's later scans join the match too, so that it knows every scan before its logons
 * ({@link ScanThenLogonMatch} names the one they follow) and how long the scan went on.
 */
class LogonAfterScan extends IterativeCondition<CorrelationEvent> {
    static final String SCAN = "scan";

    /** The outcome a logon must have; null for either. */
    private final Boolean success;

    private final boolean takesScans;
    private final long within;
    private final long presumedGoingOn;
    private final NetworkClassifier classifier;

    /**
     * @param within how long after the scan was last seen going on a logon may come
     * @param presumedGoingOn how long a scan is presumed to go on past its last reported probe
     */
    LogonAfterScan(
            Boolean success,
            boolean takesScans,
            Duration within,
            Duration presumedGoingOn,
            NetworkClassifier classifier) {
        this.success = success;
        this.takesScans = takesScans;
        this.within = within.toMillis();
        this.presumedGoingOn = presumedGoingOn.toMillis();
        this.classifier = classifier;
    }

    @Override
    public boolean filter(CorrelationEvent event, Context<CorrelationEvent> ctx) throws Exception {
        if (event.isScan()) {
            return takesScans;
        }
        if (event.logon == null || (success != null && event.logon.success != success)) {
            return false;
        }
        ScanFacts first = ctx.getEventsForPattern(SCAN).iterator().next().scan;
        if (event.logon.timestamp < first.firstSeen || !inReach(event.logon.timestamp, first, ctx)) {
            return false;
        }
        if (LogonTarget.of(event.logon, first, classifier) != LogonTarget.UNRELATED) {
            return true;
        }
        // Read only for a host outside that the first scan did not probe: the other logons need no walk.
        for (CorrelationEvent earlier : ctx.getEventsForPattern(EnoughFailures.FAILURES)) {
            if (earlier.isScan() && LogonTarget.of(event.logon, earlier.scan, classifier) == LogonTarget.PROBED) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code at} is at most {@code within} after the scan was last seen going on, as the match's scans tell:
     * when a report of it came, but no more than {@code presumedGoingOn} past the last probe it reported (a day's
     * window reports an hour after the probes it holds). The later scans are read only past the first's reach.
     */
    private boolean inReach(long at, ScanFacts first, Context<CorrelationEvent> ctx) throws Exception {
        if (at <= goesOnUntil(first) + within) {
            return true;
        }
        for (CorrelationEvent earlier : ctx.getEventsForPattern(EnoughFailures.FAILURES)) {
            if (earlier.isScan() && at <= goesOnUntil(earlier.scan) + within) {
                return true;
            }
        }
        return false;
    }

    private long goesOnUntil(ScanFacts scan) {
        return Math.min(scan.reportedAt, scan.lastSeen + presumedGoingOn);
    }
}

package io.scanwatch.job.correlate;

import io.scanwatch.job.model.LogonTarget;
import io.scanwatch.job.model.ScanFacts;
import io.scanwatch.net.NetworkClassifier;
import java.time.Duration;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * A logon (failed or successful) by the scanning source, at a probed or internal host, no earlier than the first
 * scan's first probe and at most {@code within} after its last: at a host outside, one that the first scan or a later
 * one of the match probed. Logons before the scan began are another story (a brute force that then scans) and do not
 * match; logons long after it, whatever window still held the scan, neither. With {@code takesScans}, the
 * source's later scans join the match too, so that it knows every scan before its logons ({@link ScanThenLogonMatch}
 * names the one they follow).
 */
class LogonAfterScan extends IterativeCondition<CorrelationEvent> {
    static final String SCAN = "scan";

    private final boolean success;
    private final boolean takesScans;
    private final long within;
    private final NetworkClassifier classifier;

    /** @param within how long after the scan's last probe a logon may come */
    LogonAfterScan(boolean success, boolean takesScans, Duration within, NetworkClassifier classifier) {
        this.success = success;
        this.takesScans = takesScans;
        this.within = within.toMillis();
        this.classifier = classifier;
    }

    @Override
    public boolean filter(CorrelationEvent event, Context<CorrelationEvent> ctx) throws Exception {
        if (event.isScan()) {
            return takesScans;
        }
        if (event.logon == null || event.logon.success != success) {
            return false;
        }
        ScanFacts first = ctx.getEventsForPattern(SCAN).iterator().next().scan;
        // The scan as this match's first event knows it: a later word that it goes on starts a match of its own.
        if (event.logon.timestamp < first.firstSeen || event.logon.timestamp - first.lastSeen > within) {
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
}

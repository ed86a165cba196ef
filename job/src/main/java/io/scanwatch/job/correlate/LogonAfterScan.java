package io.scanwatch.job.correlate;

import io.scanwatch.job.model.LogonTarget;
import io.scanwatch.job.model.ScanFacts;
import io.scanwatch.net.NetworkClassifier;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * A logon (failed or successful) by the scanning source, at a probed or internal host, no earlier than the scan's
 * first probe. Logons before the scan began are another story (a brute force that then scans) and do not match.
 */
class LogonAfterScan extends IterativeCondition<CorrelationEvent> {
    static final String SCAN = "scan";

    private final boolean success;
    private final NetworkClassifier classifier;

    LogonAfterScan(boolean success, NetworkClassifier classifier) {
        this.success = success;
        this.classifier = classifier;
    }

    @Override
    public boolean filter(CorrelationEvent event, Context<CorrelationEvent> ctx) throws Exception {
        if (event.logon == null || event.logon.success != success) {
            return false;
        }
        ScanFacts scan = ctx.getEventsForPattern(SCAN).iterator().next().scan;
        return event.logon.timestamp >= scan.firstSeen
                && LogonTarget.of(event.logon, scan, classifier) != LogonTarget.UNRELATED;
    }
}

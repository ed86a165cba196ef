package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import io.scanwatch.job.config.ScanwatchConfig.ConnScanConfig;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.model.Severity;
import java.util.List;

/**
 * {@code connscan_external_internal}: an Internet host completing handshakes with many distinct internal services
 * and aborting them at once. Only open services complete a handshake, so this sees what the scanner found.
 */
public final class ConnScanRule extends WindowedRule {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "connscan_external_internal";

    private final ConnScanConfig config;

    public ConnScanRule(ConnScanConfig config) {
        super("connscan", config.window(), config.slide());
        this.config = config;
    }

    @Override
    public boolean accepts(ConnectionEvent event) {
        return event.direction == Direction.EXTERNAL_INTERNAL
                && event.transport == Transport.TCP
                && event.outcome == Outcome.ABORTED;
    }

    @Override
    public String key(ConnectionEvent event) {
        return event.sourceIp;
    }

    @Override
    public Detection evaluate(String key, ProbeTally window, long windowStart, long windowEnd) {
        if (window.services.distinct() < config.minDistinctServices()) {
            return null;
        }
        Detection detection = detection(NAME, key, window, windowStart, windowEnd);
        detection.sourceInternal = false;
        detection.networkDirection = "inbound";
        detection.severity = Severity.MEDIUM;
        detection.techniques = List.of("T1595");
        return detection;
    }
}

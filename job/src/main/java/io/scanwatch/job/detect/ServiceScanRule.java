package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Transport;
import io.scanwatch.job.config.ScanwatchConfig.ServiceConfig;
import io.scanwatch.job.config.ScanwatchConfig.ServiceScanConfig;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.model.Severity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <service>_scan_internal_external}: an internal host reaching many distinct external hosts on one
 * service's ports (MongoDB first among them). Keyed by source and service, so each service is its own scan.
 */
public final class ServiceScanRule extends WindowedRule {
    private static final long serialVersionUID = 1L;
    private static final char KEY_SEPARATOR = '|';

    private final ServiceScanConfig config;
    private final Map<Integer, String> serviceByPort = new HashMap<>();

    public ServiceScanRule(ServiceScanConfig config) {
        super("service-scan", config.window(), config.slide());
        this.config = config;
        for (ServiceConfig service : config.services()) {
            for (Integer port : service.ports()) {
                serviceByPort.put(port, service.name());
            }
        }
    }

    public static String ruleName(String service) {
        return service + "_scan_internal_external";
    }

    @Override
    public boolean accepts(ConnectionEvent event) {
        return event.direction == Direction.INTERNAL_EXTERNAL
                && (event.transport == Transport.TCP || event.transport == Transport.UDP)
                && serviceByPort.containsKey(event.destinationPort);
    }

    @Override
    public String key(ConnectionEvent event) {
        return event.sourceIp + KEY_SEPARATOR + serviceByPort.get(event.destinationPort);
    }

    @Override
    public Detection evaluate(String key, ProbeTally window, long windowStart, long windowEnd) {
        if (window.hosts.distinct() < config.minDistinctHosts()) {
            return null;
        }
        int split = key.lastIndexOf(KEY_SEPARATOR);
        Detection detection =
                detection(ruleName(key.substring(split + 1)), key.substring(0, split), window, windowStart, windowEnd);
        detection.sourceInternal = true;
        detection.networkDirection = "outbound";
        detection.severity = Severity.HIGH;
        detection.techniques = List.of("T1046", "T1595");
        return detection;
    }
}

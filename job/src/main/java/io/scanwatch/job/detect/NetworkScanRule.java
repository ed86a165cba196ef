package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Outcome;
import io.scanwatch.job.config.ScanwatchConfig.CountMode;
import io.scanwatch.job.config.ScanwatchConfig.NetworkScanConfig;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.HostOfService;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.model.ScanType;
import io.scanwatch.job.model.Severity;
import io.scanwatch.net.NetworkClassifier;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code network_scan}: the classic rule. A source fires when, in one window, it reached more than
 * {@code distinct-hosts-above} hosts, at least {@code distinct-ports-at-least} ports, or made more than
 * {@code attempts-above} attempts that were not all aimed at one service (a reconnect loop is not a scan).
 */
public final class NetworkScanRule extends WindowedRule {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "network_scan";

    private final NetworkScanConfig config;
    private final NetworkClassifier classifier;
    private final int distinctCap;

    private NetworkScanRule(
            NetworkScanConfig config, NetworkClassifier classifier, Duration window, Duration slide, int distinctCap) {
        super("network-scan-" + (window.equals(slide) ? "tumbling" : "sliding"), window, slide);
        this.config = config;
        this.distinctCap = distinctCap;
        this.classifier = classifier;
    }

    public static NetworkScanRule tumbling(NetworkScanConfig config, NetworkClassifier classifier, int distinctCap) {
        return new NetworkScanRule(
                config,
                classifier,
                config.tumbling().window(),
                config.tumbling().window(),
                distinctCap);
    }

    public static NetworkScanRule sliding(NetworkScanConfig config, NetworkClassifier classifier, int distinctCap) {
        return new NetworkScanRule(
                config, classifier, config.sliding().window(), config.sliding().slide(), distinctCap);
    }

    @Override
    public String group() {
        return "network-scan";
    }

    @Override
    public boolean accepts(ConnectionEvent event) {
        return config.count() == CountMode.ALL || event.outcome != Outcome.COMPLETED;
    }

    @Override
    public String key(ConnectionEvent event) {
        return event.sourceIp;
    }

    @Override
    public Detection evaluate(String key, ProbeTally window, long windowStart, long windowEnd) {
        int hosts = window.hosts.distinct();
        int ports = window.ports.distinct();
        boolean manyHosts = hosts > config.distinctHostsAbove();
        boolean manyPorts = ports >= config.distinctPortsAtLeast();
        boolean manyAttempts = window.attempts > config.attemptsAbove()
                && window.dominantServiceShare() <= config.maxDominantServiceShare();
        if (!manyHosts && !manyPorts && !manyAttempts) {
            return null;
        }
        Detection detection = detection(NAME, key, window, windowStart, windowEnd);
        classify(detection, window);
        detection.sourceInternal = classifier.isInternal(key);
        boolean targetsInternal = detection.tally.internalAttempts * 2 >= detection.tally.attempts;
        detection.networkDirection = detection.sourceInternal
                ? (targetsInternal ? "internal" : "outbound")
                : (targetsInternal ? "inbound" : "external");
        detection.severity = detection.sourceInternal ? Severity.MEDIUM : Severity.LOW;
        detection.techniques = detection.sourceInternal ? List.of("T1046", "T1595") : List.of("T1595");
        return detection;
    }

    /**
     * Decided from the distinct counts (estimates past the cap) and from the services kept, a uniform sample of all.
     * Horizontal: few ports over many hosts. Vertical: one host, or one host holding at least half of the services
     * reached (stray probes elsewhere do not make a vertical scan a block). Block: many hosts, many ports.
     */
    private void classify(Detection detection, ProbeTally window) {
        if (window.hosts.distinct() > 1 && window.ports.distinct() <= config.horizontalMaxPorts()) {
            detection.scanType = ScanType.HORIZONTAL;
            List<String> ports = window.ports.counts.keySet().stream()
                    .sorted(Comparator.comparingInt(Integer::parseInt))
                    .collect(Collectors.toList());
            detection.scope = ports.isEmpty() ? "horizontal:icmp" : "horizontal:" + String.join(",", ports);
            return;
        }
        Map<String, Integer> servicesByHost = new HashMap<>();
        for (String service : window.services.counts.keySet()) {
            servicesByHost.merge(HostOfService.of(service), 1, Integer::sum);
        }
        Map.Entry<String, Integer> busiest = servicesByHost.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue()
                        .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .orElseThrow();
        if (window.hosts.distinct() <= 1 || busiest.getValue() * 2 >= window.services.distinct()) {
            detection.scanType = ScanType.VERTICAL;
            detection.target = busiest.getKey();
            detection.scope = "vertical:" + busiest.getKey();
            if (window.hosts.distinct() > 1) {
                detection.tally =
                        window.restrictTo(busiest.getKey(), classifier.isInternal(busiest.getKey()), distinctCap);
            }
            return;
        }
        detection.scanType = ScanType.BLOCK;
        detection.scope = "block";
    }
}

package io.scanwatch.job.detect;

import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.HostOfService;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.model.ScanType;
import io.scanwatch.net.NetworkClassifier;
import java.io.Serializable;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Names the shape of a scan from its window, the same way for every tier: horizontal, vertical or block, with the
 * scope that tells one of a source's scans from another.
 */
final class ScanClassifier implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int horizontalMaxPorts;
    private final NetworkClassifier classifier;
    private final int distinctCap;

    ScanClassifier(int horizontalMaxPorts, NetworkClassifier classifier, int distinctCap) {
        this.horizontalMaxPorts = horizontalMaxPorts;
        this.classifier = classifier;
        this.distinctCap = distinctCap;
    }

    /**
     * Decided from the distinct counts (estimates past the cap) and from the services kept, a uniform sample of all.
     * Horizontal: few ports over many hosts. Vertical: one host, or one host holding at least half of the services
     * reached (stray probes elsewhere do not make a vertical scan a block), its share read in the services kept: past
     * the cap they are a sample, which holds a host's share of all but not its count. Not when the hosts are more
     * than the rule's threshold: probes that cross it are a sweep of their own, which the evidence of one host would
     * hide; nor, below the cap, when that host's probes alone would not fire the rule: the scan crossed its threshold
     * only with the others' (ten ports of one host and nine of another), and evidence of one host would not show why
     * it fired; nor when another host was probed on as many ports as the rule's threshold: that is no stray but a
     * scan of its own (twenty ports of one host and twenty of another, or the next host's scan starting in the
     * window), which the evidence of one host would hide and whose own window might not come. Past the cap the host's
     * part is a sample, its counts lower bounds (flagged so in the alert) that a threshold past the sample's size could
     * never reach: its share decides alone, and another host's part counts the ports the sample holds. Block: many
     * hosts, many ports.
     *
     * @param distinctHostsAbove the rule's threshold of hosts
     * @param distinctPortsAtLeast the rule's threshold of ports, asked of each other host's part of the window: ports
     *     alone, since many attempts at a host's few services are no scan of it
     * @param fires whether the rule fires on a window: asked of the busiest host's part of it
     */
    void classify(
            Detection detection,
            ProbeTally window,
            long distinctHostsAbove,
            long distinctPortsAtLeast,
            Predicate<ProbeTally> fires) {
        if (window.hosts.distinct() > 1 && window.ports.distinct() <= horizontalMaxPorts) {
            detection.scanType = ScanType.HORIZONTAL;
            // A sweep of pings beside a few web probes is named for both, not for the ports alone.
            List<String> swept = window.services.counts.keySet().stream()
                    .filter(service -> service.indexOf('/') >= 0)
                    .map(service -> service.substring(service.lastIndexOf('/') + 1))
                    .distinct()
                    .sorted()
                    .collect(Collectors.toList());
            window.ports.counts.keySet().stream()
                    .sorted(Comparator.comparingInt(Integer::parseInt))
                    .forEach(swept::add);
            detection.scope = "horizontal:" + String.join(",", swept);
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
        int hosts = window.hosts.distinct();
        if (hosts <= 1 || hosts <= distinctHostsAbove && busiest.getValue() * 2 >= window.services.counts.size()) {
            ProbeTally scanned = hosts <= 1
                    ? window
                    : window.restrictTo(busiest.getKey(), classifier.isInternal(busiest.getKey()), distinctCap);
            if ((window.services.estimated() || fires.test(scanned))
                    && !anotherScanned(window, servicesByHost.keySet(), busiest.getKey(), distinctPortsAtLeast)) {
                detection.scanType = ScanType.VERTICAL;
                detection.target = busiest.getKey();
                detection.scope = "vertical:" + busiest.getKey();
                detection.tally = scanned;
                return;
            }
        }
        detection.scanType = ScanType.BLOCK;
        detection.scope = ScanType.BLOCK_SCOPE;
    }

    /** Whether a host other than {@code busiest} was probed on at least {@code ports} ports in the window. */
    private boolean anotherScanned(ProbeTally window, Set<String> hosts, String busiest, long ports) {
        for (String host : hosts) {
            if (!host.equals(busiest)
                    && window.restrictTo(host, classifier.isInternal(host), distinctCap)
                                    .ports
                                    .distinct()
                            >= ports) {
                return true;
            }
        }
        return false;
    }
}

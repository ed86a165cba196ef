package io.scanwatch.job.detect;

import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.HostOfService;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.model.ScanType;
import io.scanwatch.net.NetworkClassifier;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
     * it fired. Past the cap the host's part is a sample, its counts lower bounds (flagged so in the alert) that a
     * threshold past the sample's size could never reach: its share decides alone. Beside a vertical scan, another
     * host probed on as many ports as the rule's threshold (twenty ports of one host and twenty of another, or a scan
     * of the next host starting in the window; past the cap, in the sample) is a vertical scan too, with a detection
     * of its own: as strays it would be hidden in the evidence of the first, and a window of its own might not come
     * while the first's probes hold the window. Ports alone: many attempts at a host's few services are no port scan
     * of it, and past the cap its services' shares are the sample's. The others hold less than half of the services
     * kept, so at most two of them reach a threshold of 15 (a cap of 64), and none one of 50 (the slow tiers'). Block:
     * many hosts, many ports.
     *
     * @param detection the window's detection, before its shape: classified, and the first returned
     * @param distinctHostsAbove the rule's threshold of hosts
     * @param distinctPortsAtLeast the rule's threshold of ports, asked of each other host's part of the window
     * @param fires whether the rule fires on a window: asked of the busiest host's part of it
     * @return the detection, and for each further host scanned vertically beside it a copy of it for that host
     */
    List<Detection> classify(
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
            return List.of(detection);
        }
        Map<String, Integer> servicesByHost = new HashMap<>();
        for (String service : window.services.counts.keySet()) {
            servicesByHost.merge(HostOfService.of(service), 1, Integer::sum);
        }
        // Most services kept first, then the lowest address text.
        List<String> busiestFirst = servicesByHost.keySet().stream()
                .sorted(Comparator.<String, Integer>comparing(servicesByHost::get, Comparator.reverseOrder())
                        .thenComparing(Comparator.<String>naturalOrder()))
                .toList();
        String busiest = busiestFirst.get(0);
        int hosts = window.hosts.distinct();
        if (hosts <= 1
                || hosts <= distinctHostsAbove && servicesByHost.get(busiest) * 2 >= window.services.counts.size()) {
            ProbeTally scanned = hosts <= 1 ? window : partOf(window, busiest);
            if (window.services.estimated() || fires.test(scanned)) {
                List<Detection> verticals = new ArrayList<>();
                verticals.add(vertical(detection, busiest, scanned));
                for (String other : busiestFirst.subList(1, busiestFirst.size())) {
                    ProbeTally part = partOf(window, other);
                    if (part.ports.distinct() >= distinctPortsAtLeast) {
                        verticals.add(vertical(detection.shallowCopy(), other, part));
                    }
                }
                return verticals;
            }
        }
        detection.scanType = ScanType.BLOCK;
        detection.scope = ScanType.BLOCK_SCOPE;
        return List.of(detection);
    }

    private ProbeTally partOf(ProbeTally window, String host) {
        return window.restrictTo(host, classifier.isInternal(host), distinctCap);
    }

    private static Detection vertical(Detection detection, String host, ProbeTally evidence) {
        detection.scanType = ScanType.VERTICAL;
        detection.target = host;
        detection.scope = "vertical:" + host;
        detection.tally = evidence;
        return detection;
    }
}

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
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Names the shape of a scan from its window, the same way for every tier: horizontal, vertical or block, with the
 * scope that tells one of a source's scans from another.
 */
final class ScanClassifier implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Another host's services in the sample, past the cap, from which its part is estimated: one, scaled by the
     * window, says nothing. So beside a scan of N services a host shows as one of its own from about 2·N/cap ports
     * (1,000 beside 60 at a cap of 64: in about nine windows of ten).
     */
    private static final int FEWEST_SAMPLED = 2;

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
     * never reach: each host's ports are then estimated from its share of the sample and the estimate of all services,
     * for the host's own threshold and for another's, of which the sample holds two services at least. So 34 ports of
     * one host and 31 of another in a window of 65, against the slow tiers' 50, are a block of both, not a vertical
     * scan of the first whose alert showed 33 ports and hid the other's (the CTU-50 servers replayed together).
     * Block: many hosts, many ports.
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
            if ((fires.test(scanned) || estimatedPart(window, busiest.getValue()) >= distinctPortsAtLeast)
                    && !anotherScanned(window, servicesByHost, busiest.getKey(), distinctPortsAtLeast)) {
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

    /**
     * Whether a host other than {@code busiest} was probed on at least {@code ports} ports in the window: counted below
     * the cap, past it estimated from its share of the sample.
     */
    private boolean anotherScanned(ProbeTally window, Map<String, Integer> servicesByHost, String busiest, long ports) {
        for (Map.Entry<String, Integer> host : servicesByHost.entrySet()) {
            if (host.getKey().equals(busiest)) {
                continue;
            }
            // Past the cap, from two of its services in the sample at least: one probe of another host that the
            // sample happened to keep beside a scan of a thousand ports, scaled by the thousand, is no scan of fifteen.
            double part = window.services.estimated()
                    ? host.getValue() < FEWEST_SAMPLED ? 0 : estimatedPart(window, host.getValue())
                    : window.restrictTo(host.getKey(), classifier.isInternal(host.getKey()), distinctCap)
                            .ports
                            .distinct();
            if (part >= ports) {
                return true;
            }
        }
        return false;
    }

    /**
     * A host's services past the cap, from its part of the sample of services kept (uniform over all of them) and the
     * estimate of all; 0 below the cap, where its own tally counts them.
     */
    private static double estimatedPart(ProbeTally window, int sampled) {
        return window.services.estimated()
                ? (double) sampled / window.services.counts.size() * window.services.distinct()
                : 0;
    }
}

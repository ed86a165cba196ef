package io.scanwatch.job.model;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.sketch.CappedCounts;
import java.util.Map;

/**
 * What one source did in a stretch of event time: attempts, and the distinct hosts, services ({@code ip:port})
 * and ports it reached, each capped. A pane of a window, a whole window, or an alert episode are all tallies.
 */
public class ProbeTally implements Tally<ProbeTally> {
    public long attempts;
    /** Attempts whose destination is an internal address. */
    public long internalAttempts;

    public long firstSeen = Long.MAX_VALUE;
    public long lastSeen = Long.MIN_VALUE;
    public CappedCounts hosts = new CappedCounts();
    public CappedCounts services = CappedCounts.keepingShares();
    /** Keeping shares: past the cap a sample of ports may leave out the busiest, which the alert's top ports name. */
    public CappedCounts ports = CappedCounts.keepingShares();

    public ProbeTally() {}

    @Override
    public void add(ConnectionEvent event, int cap) {
        boolean internal = event.direction != null && event.direction.destinationInternal();
        add(event.timestamp, event.destinationIp, event.destinationPort, event.destinationService(), internal, cap);
    }

    /** One probe of {@code service} (ip:port, or ip/icmp) at {@code host}; {@code port} -1 when it has none. */
    public void add(long timestamp, String host, int port, String service, boolean internal, int cap) {
        attempts++;
        if (internal) {
            internalAttempts++;
        }
        firstSeen = Math.min(firstSeen, timestamp);
        lastSeen = Math.max(lastSeen, timestamp);
        hosts.add(host, 1, cap);
        services.add(service, 1, cap);
        if (port >= 0) {
            ports.add(PortText.of(port), 1, cap);
        }
    }

    /**
     * Distinct services, never fewer than the hosts or the ports: each was reached through a service of its own.
     * Past the cap the three are estimated by three sketches, a few percent apart, which could tell more hosts than
     * services.
     */
    public int distinctServices() {
        return Math.max(services.distinct(), Math.max(hosts.distinct(), ports.distinct()));
    }

    /** Bounds of {@link #distinctServices}: no lower than the hosts' or the ports', and holding the count. */
    public long[] distinctServicesBounds() {
        long[] bounds = services.distinctBounds();
        long lower = Math.max(bounds[0], Math.max(hosts.distinctBounds()[0], ports.distinctBounds()[0]));
        int count = distinctServices();
        return new long[] {Math.min(lower, count), Math.max(bounds[1], count)};
    }

    @Override
    public void addAll(ProbeTally other, int cap) {
        attempts += other.attempts;
        internalAttempts += other.internalAttempts;
        span(other);
        hosts.addAll(other.hosts, cap);
        services.addAll(other.services, cap);
        ports.addAll(other.ports, cap);
    }

    /**
     * Folds in a stretch that may overlap this one (another window of the same scan): distinct things are
     * united, and counts become those of the busiest window, since overlapping windows would count twice; attempts
     * are at least the distinct services, ports and hosts (each reached took one), past the cap the lower bounds of
     * their estimates: an episode whose windows were judged at different times (the day tier on the hour, a roll-up
     * ten minutes later) would otherwise tell fewer attempts than the ports it lists, and an estimate may be a few
     * percent above the truth (604 attempts told where a scanner made 590). Past the cap, a lower bound.
     */
    public void absorb(ProbeTally other, int cap) {
        attempts = Math.max(attempts, other.attempts);
        internalAttempts = Math.max(internalAttempts, other.internalAttempts);
        span(other);
        hosts.maxAll(other.hosts, cap);
        services.maxAll(other.services, cap);
        ports.maxAll(other.ports, cap);
        // Windows far apart (a scan over days) do not overlap: every service reached took an attempt.
        long reached = distinctServicesBounds()[0];
        if (reached > attempts) {
            // In the same share inside the network, so that the direction the attempts tell stays the same.
            internalAttempts = attempts == 0 ? 0 : Math.round((double) internalAttempts * reached / attempts);
            attempts = reached;
        }
    }

    @Override
    public long events() {
        return attempts;
    }

    /** The sets' sketches in as few bytes as hold them ({@link CappedCounts#compact}). */
    public void compact() {
        hosts.compact();
        services.compact();
        ports.compact();
    }

    @Override
    public ProbeTally copy() {
        ProbeTally copy = new ProbeTally();
        copy.attempts = attempts;
        copy.internalAttempts = internalAttempts;
        copy.firstSeen = firstSeen;
        copy.lastSeen = lastSeen;
        copy.hosts = hosts.copy();
        copy.services = services.copy();
        copy.ports = ports.copy();
        return copy;
    }

    /**
     * The part of this tally aimed at one host: the evidence of a vertical scan without the stray probes that
     * shared its window. Times stay those of the whole tally. Past the cap only a sample of the services is kept:
     * the host's services and ports are then those of the sample and its busiest (the window's heavy hitters), marked
     * as lower bounds, while its attempts stay exact as long as the hosts are.
     */
    public ProbeTally restrictTo(String host, boolean hostInternal, int cap) {
        ProbeTally only = new ProbeTally();
        only.firstSeen = firstSeen;
        only.lastSeen = lastSeen;
        only.hosts.add(host, hosts.count(host), cap);
        // Past the cap the sample, with the services that hold a large share of the attempts (a hammered port the
        // sample left out, which the alert's top ports name).
        Iterable<Map.Entry<String, Long>> kept =
                services.saturated ? services.busiest(Integer.MAX_VALUE) : services.counts.entrySet();
        for (Map.Entry<String, Long> service : kept) {
            if (HostOfService.of(service.getKey()).equals(host)) {
                only.services.add(service.getKey(), service.getValue(), cap);
                only.attempts += service.getValue();
                String port = PortOfService.of(service.getKey());
                if (port != null) {
                    only.ports.add(port, service.getValue(), cap);
                }
            }
        }
        if (services.saturated) {
            only.services.markSampled();
            only.ports.markSampled();
            if (!hosts.estimated()) {
                only.attempts = hosts.count(host);
            }
        }
        only.internalAttempts = hostInternal ? only.attempts : 0;
        return only;
    }

    /** ECS {@code network.direction} of these probes from a source: where most of them went. */
    public String networkDirection(boolean sourceInternal) {
        return Direction.of(sourceInternal, internalAttempts * 2 >= attempts).ecs();
    }

    /** Share of attempts that went to the single most-contacted service. */
    public double dominantServiceShare() {
        return services.busiestShare(attempts);
    }

    private void span(ProbeTally other) {
        firstSeen = Math.min(firstSeen, other.firstSeen);
        lastSeen = Math.max(lastSeen, other.lastSeen);
    }
}

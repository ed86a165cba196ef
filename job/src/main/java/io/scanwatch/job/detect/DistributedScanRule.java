package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.config.ConfigChecks;
import io.scanwatch.job.config.RuleConfig;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.NetworkTally;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.net.IpAddress;
import io.scanwatch.net.NetworkClassifier;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * {@code distributed_scan}: one actor scanning from many addresses of one network, each member too quiet to cross
 * a threshold alone (research scanners such as Censys use dozens of addresses of a /24 a day). Probes are keyed by
 * the source's network ({@code ipv4-prefix}, {@code ipv6-prefix}); the network fires when, in one window, at least
 * {@code min-members} of its addresses together reached more than {@code distinct-hosts-above} hosts or at least
 * {@code distinct-ports-at-least} ports, and no member made more than {@code max-member-share} of the attempts
 * (then it is that member's scan, for the per-source rules). The alert lists the members with their attempts.
 */
public final class DistributedScanRule extends WindowedRule<NetworkTally> implements ShareRule<NetworkTally> {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "distributed_scan";

    /** The {@code distributed-scan} section's own keys. */
    public record Settings(
            int ipv4Prefix,
            int ipv6Prefix,
            /** Whose networks are watched; by default the Internet's: an office's clients failing to connect add up. */
            AddressScope sources,
            int minMembers,
            double maxMemberShare,
            int distinctHostsAbove,
            int distinctPortsAtLeast,
            int horizontalMaxPorts,
            Duration window,
            Duration slide,
            Duration rollupPeriod)
            implements Serializable {
        static void check(Settings settings, ConfigChecks checks, int cap) {
            if (settings.ipv4Prefix() < 8 || settings.ipv4Prefix() > 32) {
                checks.fail("ipv4-prefix", "must be in 8..32, got " + settings.ipv4Prefix());
            }
            if (settings.ipv6Prefix() < 16 || settings.ipv6Prefix() > 128) {
                checks.fail("ipv6-prefix", "must be in 16..128, got " + settings.ipv6Prefix());
            }
            checks.atLeast("min-members", settings.minMembers(), 2);
            checks.atMost(
                    "min-members",
                    settings.minMembers(),
                    NetworkTally.MEMBERS_CAP,
                    "the members a window remembers exactly");
            checks.share("max-member-share", settings.maxMemberShare());
            checks.atLeast("distinct-hosts-above", settings.distinctHostsAbove(), 1);
            checks.belowCap("distinct-hosts-above", settings.distinctHostsAbove() + 1L, cap);
            checks.atLeast("distinct-ports-at-least", settings.distinctPortsAtLeast(), 2);
            checks.belowCap("distinct-ports-at-least", settings.distinctPortsAtLeast(), cap);
            checks.atLeast("horizontal-max-ports", settings.horizontalMaxPorts(), 1);
            checks.window(settings.window(), settings.slide());
            checks.suppressionHolds("slide", settings.slide());
            checks.notNegative("rollup-period", settings.rollupPeriod());
        }
    }

    public static final RuleKind<Settings> KIND = new RuleKind<>(
            "distributed-scan",
            Settings.class,
            Settings::check,
            (config, context) -> List.of(new DistributedScanRule(config, context)));

    private final Settings config;
    private final NetworkClassifier classifier;
    private final ScanClassifier shapes;

    public DistributedScanRule(RuleConfig<Settings> config, RuleContext context) {
        super(
                "distributed-scan",
                config.own().window(),
                config.own().slide(),
                config.common(),
                Tallies.ofNetworks(context.distinctCap()));
        this.config = config.own();
        this.classifier = context.classifier();
        this.shapes = new ScanClassifier(config.own().horizontalMaxPorts(), classifier, context.distinctCap());
    }

    /** More hosts than one threshold or as many ports as the other, from enough members: each is an event. */
    @Override
    public long minimumEvents() {
        return Math.max(Math.min(config.distinctHostsAbove() + 1L, config.distinctPortsAtLeast()), config.minMembers());
    }

    @Override
    public boolean accepts(ConnectionEvent event) {
        if (!Probing.shownBy(event) || event.direction == null) {
            return false;
        }
        return config.sources().admits(event.direction.sourceInternal());
    }

    @Override
    public String key(ConnectionEvent event) {
        return IpAddress.parse(event.sourceIp).network(config.ipv4Prefix(), config.ipv6Prefix());
    }

    @Override
    public Detection evaluate(String network, NetworkTally window, long windowStart, long windowEnd) {
        if (!fires(window.probes) || !window.spreadOver(config.minMembers(), config.maxMemberShare())) {
            return null;
        }
        Detection detection = detection(NAME, network, window.probes, windowStart, windowEnd);
        detection.members = window.members;
        detection.continuous = true;
        detection.rollupPeriod = config.rollupPeriod().toMillis();
        shapes.classify(
                detection, window.probes, config.distinctHostsAbove(), config.distinctPortsAtLeast(), this::fires);
        String address = network.substring(0, network.indexOf('/'));
        detection.sourceInternal = classifier.isInternal(address);
        detection.networkDirection = detection.tally.networkDirection(detection.sourceInternal);
        return detection;
    }

    /** Many hosts or many ports: asked of the network's probes, and of one host's part of them. */
    private boolean fires(ProbeTally probes) {
        return probes.hosts.distinct() > config.distinctHostsAbove()
                || probes.ports.distinct() >= config.distinctPortsAtLeast();
    }

    @Override
    public boolean withheld(NetworkTally window) {
        return fires(window.probes) && window.dominatedByOne(config.minMembers(), config.maxMemberShare());
    }
}

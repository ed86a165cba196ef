package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.config.ConfigChecks;
import io.scanwatch.job.config.RuleConfig;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.NetworkTally;
import io.scanwatch.job.model.ScanType;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * {@code distributed_portscan}, Snort's "distributed portscan" shape: many sources, from anywhere, probing many ports
 * of one internal host in a short window, none of them carrying the scan (an actor renting cloud machines across
 * many networks, which no per-source or per-network view sees). Keyed by the probed host; its sources are the
 * alert's members, and its source is any network ({@code 0.0.0.0/0} or {@code ::/0}).
 */
public final class DistributedPortscanRule extends WindowedRule<NetworkTally> implements ShareRule<NetworkTally> {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "distributed_portscan";

    /** The {@code distributed-portscan} section's own keys. */
    public record Settings(
            int minSources, double maxSourceShare, int distinctPortsAtLeast, Duration window, Duration slide)
            implements Serializable {
        static void check(Settings settings, ConfigChecks checks, int cap) {
            checks.atLeast("min-sources", settings.minSources(), 2);
            checks.atMost(
                    "min-sources",
                    settings.minSources(),
                    NetworkTally.MEMBERS_CAP,
                    "the members a window remembers exactly");
            checks.share("max-source-share", settings.maxSourceShare());
            checks.atLeast("distinct-ports-at-least", settings.distinctPortsAtLeast(), 2);
            checks.belowCap("distinct-ports-at-least", settings.distinctPortsAtLeast(), cap);
            checks.window(settings.window(), settings.slide());
        }
    }

    public static final RuleKind<Settings> KIND = new RuleKind<>(
            "distributed-portscan",
            Settings.class,
            Settings::check,
            (config, context) -> List.of(new DistributedPortscanRule(config, context)));

    private final Settings config;

    public DistributedPortscanRule(RuleConfig<Settings> config, RuleContext context) {
        super(
                "distributed-portscan",
                config.own().window(),
                config.own().slide(),
                config.common(),
                Tallies.ofNetworks(context.distinctCap()));
        this.config = config.own();
    }

    /** As many ports as the threshold, from enough sources: each is an event. */
    @Override
    public long minimumEvents() {
        return Math.max(config.distinctPortsAtLeast(), config.minSources());
    }

    @Override
    public boolean accepts(ConnectionEvent event) {
        return Probing.shownBy(event) && event.direction != null && event.direction.destinationInternal();
    }

    @Override
    public String key(ConnectionEvent event) {
        return event.destinationIp;
    }

    @Override
    public Detection evaluate(String host, NetworkTally window, long windowStart, long windowEnd) {
        if (window.probes.ports.distinct() < config.distinctPortsAtLeast()
                || !window.spreadOver(config.minSources(), config.maxSourceShare())) {
            return null;
        }
        String anywhere = host.indexOf(':') >= 0 ? "::/0" : "0.0.0.0/0";
        Detection detection = detection(NAME, anywhere, window.probes, windowStart, windowEnd);
        detection.members = window.members;
        detection.scanType = ScanType.VERTICAL;
        detection.target = host;
        detection.scope = "vertical:" + host;
        detection.sourceInternal = false;
        detection.networkDirection = detection.tally.networkDirection(false);
        return detection;
    }

    @Override
    public boolean withheld(NetworkTally window) {
        return window.probes.ports.distinct() >= config.distinctPortsAtLeast()
                && window.dominatedByOne(config.minSources(), config.maxSourceShare());
    }
}

package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import io.scanwatch.job.config.ConfigChecks;
import io.scanwatch.job.config.RuleConfig;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * {@code connscan_external_internal}: an Internet host completing handshakes with many distinct internal services
 * and aborting them at once. Only open services complete a handshake, so this sees what the scanner found.
 */
public final class ConnScanRule extends SourceKeyedRule {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "connscan_external_internal";

    /** The {@code connscan} section's own keys. */
    public record Settings(int minDistinctServices, Duration window, Duration slide) implements Serializable {
        static void check(Settings settings, ConfigChecks checks, int cap) {
            checks.atLeast("min-distinct-services", settings.minDistinctServices(), 1);
            checks.belowCap("min-distinct-services", settings.minDistinctServices(), cap);
            checks.window(settings.window(), settings.slide());
        }
    }

    public static final RuleKind<Settings> KIND = new RuleKind<>(
            "connscan",
            Settings.class,
            Settings::check,
            (config, context) -> List.of(new ConnScanRule(config, context.distinctCap())));

    private final int minDistinctServices;

    public ConnScanRule(RuleConfig<Settings> config, int distinctCap) {
        super("connscan", config.own().window(), config.own().slide(), config.common(), distinctCap);
        this.minDistinctServices = config.own().minDistinctServices();
    }

    @Override
    public long minimumEvents() {
        return minDistinctServices;
    }

    @Override
    public boolean accepts(ConnectionEvent event) {
        return event.direction == Direction.EXTERNAL_INTERNAL
                && event.transport == Transport.TCP
                && event.outcome == Outcome.ABORTED;
    }

    @Override
    public Detection evaluate(String key, ProbeTally window, long windowStart, long windowEnd) {
        if (window.services.distinct() < minDistinctServices) {
            return null;
        }
        Detection detection = detection(NAME, key, window, windowStart, windowEnd);
        detection.sourceInternal = false;
        detection.networkDirection = Direction.EXTERNAL_INTERNAL.ecs();
        return detection;
    }
}

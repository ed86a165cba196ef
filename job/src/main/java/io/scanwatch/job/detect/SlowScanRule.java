package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.config.ConfigChecks;
import io.scanwatch.job.config.RuleConfig;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.net.NetworkClassifier;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * {@code slow_scan}: the long-horizon tier. Patient scanners stay under every short window's threshold: a few
 * probes an hour add up to a hundred ports of one host in a day. Per source, over windows of hours (each tier its
 * own window, slide and thresholds, all sharing one operator and its panes), a source fires when its attempts that
 * found no service reached more than {@code distinct-hosts-above} hosts or at least {@code distinct-ports-at-least}
 * ports, classified as {@code network_scan} classifies. Its detections continue the source's {@code network_scan} episode for the same
 * scan, and its episodes last as long as the scan, with at most one roll-up per {@code rollup-period}.
 */
public final class SlowScanRule extends SourceKeyedRule {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "slow_scan";

    /**
     * One horizon: the window, how often it is evaluated, and its thresholds. Thresholds past
     * {@code detection.distinct-cap} are decided on the sketch's estimate (about 2 % error), which the alert says.
     */
    public record Tier(Duration window, Duration slide, int distinctHostsAbove, int distinctPortsAtLeast)
            implements Serializable {
        void check(ConfigChecks checks) {
            checks.window(window, slide);
            checks.atLeast("distinct-hosts-above", distinctHostsAbove, 1);
            checks.atLeast("distinct-ports-at-least", distinctPortsAtLeast, 2);
        }
    }

    /** The {@code slow-scan} section's own keys. */
    public record Settings(
            int horizontalMaxPorts,
            Duration rollupPeriod,
            List<Tier> tiers,
            NetworkScanRule.InternalSource internalSource)
            implements Serializable {
        static void check(Settings settings, ConfigChecks checks, int cap) {
            checks.atLeast("horizontal-max-ports", settings.horizontalMaxPorts(), 1);
            checks.notNegative("rollup-period", settings.rollupPeriod());
            if (settings.tiers().isEmpty()) {
                checks.fail(
                        "tiers",
                        "must list at least one tier, e.g. [{window: 24h, slide: 1h, distinct-hosts-above: 200,"
                                + " distinct-ports-at-least: 50}]");
            }
            for (int i = 0; i < settings.tiers().size(); i++) {
                Tier tier = settings.tiers().get(i);
                tier.check(checks.section("tiers[" + i + "]"));
                checks.suppressionHolds("tiers[" + i + "].slide", tier.slide());
                for (int j = 0; j < i; j++) {
                    if (tier.window() != null
                            && tier.window().equals(settings.tiers().get(j).window())) {
                        checks.fail("tiers[" + i + "].window", "repeats tiers[" + j + "]'s " + tier.window());
                    }
                }
            }
            NetworkScanRule.InternalSource.check(checks, settings.internalSource());
        }
    }

    public static final RuleKind<Settings> KIND =
            new RuleKind<>("slow-scan", Settings.class, Settings::check, SlowScanRule::rules);

    private final Settings config;
    private final Tier tier;
    private final NetworkClassifier classifier;
    private final ScanClassifier shapes;

    private SlowScanRule(RuleConfig<Settings> config, RuleContext context, Tier tier) {
        super("slow-scan-" + name(tier.window()), tier.window(), tier.slide(), config.common(), context.distinctCap());
        this.config = config.own();
        this.tier = tier;
        this.classifier = context.classifier();
        this.shapes =
                new ScanClassifier(config.own().horizontalMaxPorts(), context.classifier(), context.distinctCap());
    }

    /** {@code 24h}, {@code 90m}, {@code 45s}: a tier's name in its rule id. */
    private static String name(Duration window) {
        long seconds = window.toSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    /** One rule per tier: one group, one operator. */
    static List<DetectionRule<?>> rules(RuleConfig<Settings> config, RuleContext context) {
        return config.own().tiers().stream()
                .<DetectionRule<?>>map(tier -> new SlowScanRule(config, context, tier))
                .toList();
    }

    @Override
    public String group() {
        return "slow-scan";
    }

    /** More hosts than one threshold or as many ports as the other: every host and port is an event. */
    @Override
    public long minimumEvents() {
        return Math.min(tier.distinctHostsAbove() + 1L, tier.distinctPortsAtLeast());
    }

    @Override
    public boolean accepts(ConnectionEvent event) {
        return Probing.shownBy(event);
    }

    @Override
    public Detection evaluate(String key, ProbeTally window, long windowStart, long windowEnd) {
        if (!fires(window)) {
            return null;
        }
        Detection detection = detection(NAME, key, window, windowStart, windowEnd);
        shapes.classify(detection, window, tier.distinctHostsAbove(), tier.distinctPortsAtLeast(), this::fires);
        detection.family = NetworkScanRule.NAME;
        detection.continuous = true;
        detection.rollupPeriod = config.rollupPeriod().toMillis();
        config.internalSource().place(detection, classifier);
        return detection;
    }

    private boolean fires(ProbeTally window) {
        return window.hosts.distinct() > tier.distinctHostsAbove()
                || window.ports.distinct() >= tier.distinctPortsAtLeast();
    }
}

package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.config.ConfigChecks;
import io.scanwatch.job.config.RuleConfig;
import io.scanwatch.job.config.RuleSettings;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.model.Severity;
import io.scanwatch.net.NetworkClassifier;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code network_scan}: the classic rule. A source fires when, in one window, it reached more than
 * {@code distinct-hosts-above} hosts, at least {@code distinct-ports-at-least} ports, or made more than
 * {@code attempts-above} attempts that were not all aimed at one service (a reconnect loop is not a scan).
 */
public final class NetworkScanRule extends SourceKeyedRule implements ShareRule<ProbeTally> {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "network_scan";

    /** Which attempts count. */
    public record Tumbling(Duration window) implements Serializable {}

    public record Sliding(boolean enabled, Duration window, Duration slide) implements Serializable {}

    /** How scans from internal sources are rated: reconnaissance from inside is discovery, and worse news. */
    public record InternalSource(Severity severity, List<String> techniques) implements Serializable {
        static void check(ConfigChecks checks, InternalSource internal) {
            RuleSettings.techniques(checks, "internal-source.techniques", internal.techniques());
        }

        /** Whether the detection's source is internal, which way its probes went, and the rating of one inside. */
        void place(Detection detection, NetworkClassifier classifier) {
            detection.sourceInternal = classifier.isInternal(detection.sourceIp);
            detection.networkDirection = detection.tally.networkDirection(detection.sourceInternal);
            if (detection.sourceInternal) {
                detection.severity = severity.score;
                detection.techniques = List.copyOf(techniques);
            }
        }
    }

    /** The {@code network-scan} section's own keys. */
    public record Settings(
            CountMode count,
            int distinctHostsAbove,
            long attemptsAbove,
            int distinctPortsAtLeast,
            double maxDominantServiceShare,
            int horizontalMaxPorts,
            Tumbling tumbling,
            Sliding sliding,
            InternalSource internalSource)
            implements Serializable {
        static void check(Settings settings, ConfigChecks checks, int cap) {
            checks.atLeast("distinct-hosts-above", settings.distinctHostsAbove(), 1);
            checks.belowCap("distinct-hosts-above", settings.distinctHostsAbove() + 1L, cap);
            checks.atLeast("attempts-above", settings.attemptsAbove(), 1);
            checks.atLeast("distinct-ports-at-least", settings.distinctPortsAtLeast(), 2);
            checks.belowCap("distinct-ports-at-least", settings.distinctPortsAtLeast(), cap);
            checks.share("max-dominant-service-share", settings.maxDominantServiceShare());
            checks.atLeast("horizontal-max-ports", settings.horizontalMaxPorts(), 1);
            checks.positive("tumbling.window", settings.tumbling().window());
            if (settings.sliding().enabled()) {
                checks.section("sliding")
                        .window(settings.sliding().window(), settings.sliding().slide());
            }
            InternalSource.check(checks, settings.internalSource());
        }
    }

    public static final RuleKind<Settings> KIND =
            new RuleKind<>("network-scan", Settings.class, Settings::check, NetworkScanRule::rules);

    private final Settings config;
    private final NetworkClassifier classifier;
    private final ScanClassifier shapes;

    private NetworkScanRule(RuleConfig<Settings> config, RuleContext context, Duration window, Duration slide) {
        super(
                "network-scan-" + (window.equals(slide) ? "tumbling" : "sliding"),
                window,
                slide,
                config.common(),
                context.distinctCap());
        this.config = config.own();
        this.classifier = context.classifier();
        this.shapes = new ScanClassifier(config.own().horizontalMaxPorts(), classifier, context.distinctCap());
    }

    /** The tumbling rule, and the sliding one when enabled: one group, one operator. */
    static List<DetectionRule<?>> rules(RuleConfig<Settings> config, RuleContext context) {
        List<DetectionRule<?>> rules = new ArrayList<>();
        rules.add(tumbling(config, context));
        if (config.own().sliding().enabled()) {
            rules.add(sliding(config, context));
        }
        return rules;
    }

    public static NetworkScanRule sliding(RuleConfig<Settings> config, RuleContext context) {
        Sliding sliding = config.own().sliding();
        return new NetworkScanRule(config, context, sliding.window(), sliding.slide());
    }

    public static NetworkScanRule tumbling(RuleConfig<Settings> config, RuleContext context) {
        Duration window = config.own().tumbling().window();
        return new NetworkScanRule(config, context, window, window);
    }

    @Override
    public String group() {
        return "network-scan";
    }

    /** More hosts than one threshold, as many ports as another or more attempts: every host and port is an event. */
    @Override
    public long minimumEvents() {
        // One less than each bound first: a threshold set as high as a long goes (a term turned off) cannot overflow.
        return Math.min(
                        Math.min(config.distinctHostsAbove(), config.distinctPortsAtLeast() - 1L),
                        config.attemptsAbove())
                + 1;
    }

    @Override
    public boolean accepts(ConnectionEvent event) {
        return config.count().counts(event);
    }

    @Override
    public Detection evaluate(String key, ProbeTally window, long windowStart, long windowEnd) {
        if (!fires(window)) {
            return null;
        }
        Detection detection = detection(NAME, key, window, windowStart, windowEnd);
        shapes.classify(detection, window, config.distinctHostsAbove(), config.distinctPortsAtLeast(), this::fires);
        config.internalSource().place(detection, classifier);
        return detection;
    }

    private boolean fires(ProbeTally window) {
        boolean manyHosts = window.hosts.distinct() > config.distinctHostsAbove();
        boolean manyPorts = window.ports.distinct() >= config.distinctPortsAtLeast();
        boolean manyAttempts = window.attempts > config.attemptsAbove()
                && window.dominantServiceShare() <= config.maxDominantServiceShare();
        return manyHosts || manyPorts || manyAttempts;
    }

    @Override
    public boolean withheld(ProbeTally window) {
        return window.attempts > config.attemptsAbove()
                && window.dominantServiceShare() > config.maxDominantServiceShare();
    }
}

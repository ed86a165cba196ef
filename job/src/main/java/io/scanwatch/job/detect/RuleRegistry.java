package io.scanwatch.job.detect;

import io.scanwatch.job.config.ScanwatchConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Every kind of windowed rule, by its configuration key. A new rule is its class (with its settings record and
 * {@link RuleKind}), its section in {@code scanwatch-defaults.yaml}, its line here, and its test. Detectors of
 * their own kind (the random walk) add their sections in {@code io.scanwatch.job.Detectors}.
 */
public final class RuleRegistry {
    public static final List<RuleKind<?>> KINDS = List.of(
            ConnScanRule.KIND,
            ServiceScanRule.KIND,
            NetworkScanRule.KIND,
            SlowScanRule.KIND,
            DistributedScanRule.KIND,
            DistributedPortscanRule.KIND);

    private RuleRegistry() {}

    /** The rules the configuration enables, in registry order. */
    public static List<DetectionRule<?>> rules(ScanwatchConfig config, RuleContext context) {
        List<DetectionRule<?>> rules = new ArrayList<>();
        for (RuleKind<?> kind : KINDS) {
            rules.addAll(rulesOf(kind, config, context));
        }
        return rules;
    }

    private static <S> List<DetectionRule<?>> rulesOf(RuleKind<S> kind, ScanwatchConfig config, RuleContext context) {
        return kind.rules(config.rules().of(kind), context);
    }
}

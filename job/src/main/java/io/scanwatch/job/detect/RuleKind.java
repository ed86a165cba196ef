package io.scanwatch.job.detect;

import io.scanwatch.job.config.ConfigChecks;
import io.scanwatch.job.config.RuleConfig;
import io.scanwatch.job.config.RuleSection;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A kind of rule as the configuration knows it: its section, its settings record and checks, and the rules it
 * builds from them (one, or several such as the tumbling and the sliding network scan).
 *
 * @param <S> the rule's own settings record
 */
public final class RuleKind<S> implements RuleSection<S> {
    /** Checks a rule's own settings; problems go through the checks so that they name their key. */
    @FunctionalInterface
    public interface Checker<S> {
        void check(S settings, ConfigChecks checks, int distinctCap);
    }

    private final String key;
    private final Class<S> settingsType;
    private final Checker<S> checker;
    private final BiFunction<RuleConfig<S>, RuleContext, List<DetectionRule<?>>> factory;

    public RuleKind(
            String key,
            Class<S> settingsType,
            Checker<S> checker,
            BiFunction<RuleConfig<S>, RuleContext, List<DetectionRule<?>>> factory) {
        this.key = key;
        this.settingsType = settingsType;
        this.checker = checker;
        this.factory = factory;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public Class<S> settingsType() {
        return settingsType;
    }

    @Override
    public void check(S settings, ConfigChecks checks, int distinctCap) {
        checker.check(settings, checks, distinctCap);
    }

    /** The rules this kind runs under {@code config}; none when it is disabled. */
    public List<DetectionRule<?>> rules(RuleConfig<S> config, RuleContext context) {
        return config.common().enabled() ? factory.apply(config, context) : List.of();
    }
}

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
    private final RuleSection<S> section;
    private final BiFunction<RuleConfig<S>, RuleContext, List<DetectionRule<?>>> factory;

    public RuleKind(
            String key,
            Class<S> settingsType,
            RuleSection.Checker<S> checker,
            BiFunction<RuleConfig<S>, RuleContext, List<DetectionRule<?>>> factory) {
        this.section = RuleSection.of(key, settingsType, checker);
        this.factory = factory;
    }

    @Override
    public String key() {
        return section.key();
    }

    @Override
    public Class<S> settingsType() {
        return section.settingsType();
    }

    @Override
    public void check(S settings, ConfigChecks checks, int distinctCap) {
        section.check(settings, checks, distinctCap);
    }

    /** The rules this kind runs under {@code config}; none when it is disabled. */
    public List<DetectionRule<?>> rules(RuleConfig<S> config, RuleContext context) {
        return config.common().enabled() ? factory.apply(config, context) : List.of();
    }
}

package io.scanwatch.job.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every rule's configuration, by its section key. */
public final class RuleConfigs implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, RuleConfig<?>> byKey;

    RuleConfigs(Map<String, RuleConfig<?>> byKey) {
        this.byKey = new LinkedHashMap<>(byKey);
    }

    @SuppressWarnings("unchecked") // the loader bound each section with its own section's settings type
    public <S> RuleConfig<S> of(RuleSection<S> section) {
        RuleConfig<?> config = byKey.get(section.key());
        if (config == null) {
            throw new IllegalArgumentException("no configuration section " + section.key());
        }
        return (RuleConfig<S>) config;
    }

    /** Shorthand for the rule's own settings. */
    public <S> S own(RuleSection<S> section) {
        return of(section).own();
    }
}

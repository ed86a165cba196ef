package io.scanwatch.job.config;

/**
 * A rule's section of the configuration: its key, the record that holds its own settings, and the checks they
 * must pass. Rules describe themselves this way so that the loader needs no code per rule.
 *
 * @param <S> the rule's own settings, bound from its section minus the {@link RuleSettings} keys
 */
public interface RuleSection<S> {
    /** Checks a rule's own settings; problems go through the checks so that they name their key. */
    @FunctionalInterface
    interface Checker<S> {
        void check(S settings, ConfigChecks checks, int distinctCap);
    }

    /** A section that is only configuration: its key, settings type and checks. */
    static <S> RuleSection<S> of(String key, Class<S> settingsType, Checker<S> checker) {
        return new RuleSection<>() {
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
        };
    }

    /** The section's top-level key, e.g. {@code network-scan}. */
    String key();

    Class<S> settingsType();

    /** Reports what cannot work, each problem through {@code checks} so that it names its key. */
    void check(S settings, ConfigChecks checks, int distinctCap);
}

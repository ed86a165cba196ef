package io.scanwatch.job.config;

import io.scanwatch.job.model.AttackTechnique;
import io.scanwatch.job.model.Severity;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * What every rule's section holds besides its own thresholds: whether it runs, how its alerts are rated and
 * mapped to ATT&CK, and how long one alert mutes the same scan.
 */
public record RuleSettings(boolean enabled, Severity severity, List<String> techniques, Duration suppressionPeriod)
        implements Serializable {
    /** The keys of these settings in a rule's section; every other key there is the rule's own. */
    static final List<String> KEYS = List.of("enabled", "severity", "techniques", "suppression-period");

    void check(ConfigChecks checks) {
        techniques(checks, "techniques", techniques);
        checks.positive("suppression-period", suppressionPeriod);
    }

    /** Techniques must be ones the alert can describe (name and tactic, for ECS {@code threat.*}). */
    public static void techniques(ConfigChecks checks, String name, List<String> techniques) {
        if (techniques.isEmpty()) {
            checks.fail(name, "must name at least one ATT&CK technique, e.g. [T1595]");
        }
        for (String technique : techniques) {
            try {
                AttackTechnique.of(technique);
            } catch (IllegalArgumentException e) {
                checks.fail(name, "lists " + technique + ", which is not one of " + AttackTechnique.known());
            }
        }
    }
}

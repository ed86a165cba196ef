package io.scanwatch.job.config;

import java.time.Duration;
import java.util.List;

/**
 * Collects what is wrong with one section of the configuration, each problem naming its full key. Sections and
 * rules check their own settings with it, so every message reads the same way.
 */
public final class ConfigChecks {
    private final String section;
    private final List<String> errors;
    /** The common settings of the rule whose section this is; null outside rule sections. */
    private final RuleSettings rule;

    ConfigChecks(String section, List<String> errors) {
        this(section, errors, null);
    }

    private ConfigChecks(String section, List<String> errors, RuleSettings rule) {
        this.section = section;
        this.errors = errors;
        this.rule = rule;
    }

    /** The checks of a subsection, e.g. {@code network-scan.sliding}. */
    public ConfigChecks section(String name) {
        return new ConfigChecks(key(name), errors, rule);
    }

    /** The checks of a rule's own settings, which may depend on its common ones. */
    ConfigChecks ofRule(RuleSettings common) {
        return new ConfigChecks(section, errors, common);
    }

    /**
     * A long-horizon rule's episode must outlast the rule's slide: an episode that ends before the next evaluation
     * ends with every detection, and each detection of a long scan would open a new one.
     */
    public void suppressionHolds(String slideName, Duration slide) {
        if (rule != null
                && slide != null
                && rule.suppressionPeriod() != null
                && rule.suppressionPeriod().compareTo(slide) < 0) {
            errors.add(section + ".suppression-period (" + rule.suppressionPeriod() + ") must be at least "
                    + key(slideName) + " (" + slide + ")");
        }
    }

    /** The full key of a setting of this section. */
    public String key(String name) {
        return section.isEmpty() ? name : section + "." + name;
    }

    public void fail(String name, String problem) {
        errors.add(key(name) + " " + problem);
    }

    public void positive(String name, Duration value) {
        if (value == null) {
            fail(name, "is missing");
        } else if (value.isNegative() || value.isZero()) {
            fail(name, "must be positive, got " + text(value));
        }
    }

    /** A positive duration no shorter than {@code least}, which {@code why} names. */
    public void atLeast(String name, Duration value, Duration least, String why) {
        positive(name, value);
        if (value != null && !value.isNegative() && !value.isZero() && value.compareTo(least) < 0) {
            fail(name, "must be at least " + text(least) + " (" + why + "), got " + text(value));
        }
    }

    public void notNegative(String name, Duration value) {
        if (value == null || value.isNegative()) {
            fail(name, "must be zero or more, got " + (value == null ? "nothing" : text(value)));
        }
    }

    /** As a configuration writes it ({@code 0s}, {@code -1m}, {@code 1h30m}), not as Java does ({@code PT0S}). */
    public static String text(Duration value) {
        if (!value.isNegative()
                && !value.isZero()
                && value.compareTo(Duration.ofSeconds(1)) < 0
                && value.toNanosPart() % 1_000_000 == 0) {
            // As the user writes it: 5ms, not 0.005s.
            return value.toMillis() + "ms";
        }
        return value.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    public void atLeast(String name, long value, long min) {
        if (value < min) {
            fail(name, "must be at least " + min + ", got " + value);
        }
    }

    public void atMost(String name, long value, long max, String why) {
        if (value > max) {
            fail(name, "must be at most " + max + " (" + why + "), got " + value);
        }
    }

    /** A share of the attempts: more than none, at most all. */
    public void share(String name, double value) {
        if (!(value > 0 && value <= 1)) {
            fail(name, "must be in (0, 1], got " + value);
        }
    }

    /** A threshold that needs {@code needed} distinct values must fit in {@code detection.distinct-cap}. */
    public void belowCap(String name, long needed, int cap) {
        if (needed > cap) {
            // The cap's own number of keys is still counted exactly: a set starts estimating at the next.
            fail(
                    name,
                    "needs " + needed + " distinct values, which detection.distinct-cap (" + cap
                            + ") cannot hold: raise the cap to " + needed + " or more");
        }
    }

    /** A window and the slide it advances by: both positive, the window a whole number of slides. */
    public void window(Duration window, Duration slide) {
        positive("window", window);
        positive("slide", slide);
        if (window != null && slide != null && slide.toMillis() > 0 && window.toMillis() % slide.toMillis() != 0) {
            fail("window", "(" + window + ") must be a whole multiple of " + key("slide") + " (" + slide + ")");
        }
    }
}

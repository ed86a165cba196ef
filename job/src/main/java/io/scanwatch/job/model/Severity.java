package io.scanwatch.job.model;

/** ECS {@code event.severity} values, on the scale Elastic's detection rules use. */
public final class Severity {
    public static final int LOW = 21;
    public static final int MEDIUM = 47;
    public static final int HIGH = 73;
    public static final int CRITICAL = 99;

    private Severity() {}

    public static String label(int severity) {
        if (severity >= CRITICAL) {
            return "critical";
        }
        if (severity >= HIGH) {
            return "high";
        }
        return severity >= MEDIUM ? "medium" : "low";
    }
}

package io.scanwatch.job.model;

/** Severity levels and their ECS {@code event.severity} scores, on the scale Elastic's detection rules use. */
public enum Severity {
    LOW(21),
    MEDIUM(47),
    HIGH(73),
    CRITICAL(99);

    /** 0-100, as ECS {@code event.severity}. */
    public final int score;

    Severity(int score) {
        this.score = score;
    }

    public static String label(int score) {
        Severity label = LOW;
        for (Severity level : values()) {
            if (score >= level.score) {
                label = level;
            }
        }
        return label.name().toLowerCase(java.util.Locale.ROOT);
    }
}

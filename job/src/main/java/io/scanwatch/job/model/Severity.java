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

    /** The score one level up (critical stays critical). */
    public static int raised(int score) {
        for (Severity level : values()) {
            if (level.score > score) {
                return level.score;
            }
        }
        return CRITICAL.score;
    }

    /** The score one level down (low stays low). */
    public static int lowered(int score) {
        int lower = LOW.score;
        for (Severity level : values()) {
            if (level.score < score) {
                lower = level.score;
            }
        }
        return lower;
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

package io.scanwatch.enrich;

/** How much an asset matters to its owners, in the order an analyst ranks them. */
public enum Criticality {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** The name as written in an inventory ({@code low} … {@code critical}, any case). */
    public static Criticality of(String text) {
        for (Criticality level : values()) {
            if (level.name().equalsIgnoreCase(text.trim())) {
                return level;
            }
        }
        throw new IllegalArgumentException(
                text.isBlank()
                        ? "the criticality is empty (low, medium, high or critical)"
                        : "'" + text + "' is no criticality (low, medium, high or critical)");
    }

    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

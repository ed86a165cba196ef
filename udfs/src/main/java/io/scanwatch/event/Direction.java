package io.scanwatch.event;

/** Where a connection goes relative to the configured internal networks. */
public enum Direction {
    EXTERNAL_INTERNAL,
    INTERNAL_EXTERNAL,
    INTERNAL_INTERNAL,
    EXTERNAL_EXTERNAL;

    public static Direction of(boolean sourceInternal, boolean destinationInternal) {
        if (sourceInternal) {
            return destinationInternal ? INTERNAL_INTERNAL : INTERNAL_EXTERNAL;
        }
        return destinationInternal ? EXTERNAL_INTERNAL : EXTERNAL_EXTERNAL;
    }

    public boolean sourceInternal() {
        return this == INTERNAL_EXTERNAL || this == INTERNAL_INTERNAL;
    }

    public boolean destinationInternal() {
        return this == EXTERNAL_INTERNAL || this == INTERNAL_INTERNAL;
    }

    /** ECS {@code network.direction}, as alerts and the SQL function {@code network_direction} write it. */
    public String ecs() {
        return switch (this) {
            case EXTERNAL_INTERNAL -> "inbound";
            case INTERNAL_EXTERNAL -> "outbound";
            case INTERNAL_INTERNAL -> "internal";
            case EXTERNAL_EXTERNAL -> "external";
        };
    }
}

package io.scanwatch.job.detect;

/**
 * Which side of the configured internal ranges a rule watches: {@code external}, {@code internal} or {@code any} in
 * the configuration.
 */
public enum AddressScope {
    EXTERNAL,
    INTERNAL,
    ANY;

    /** Whether an address on this side of the ranges is watched. */
    public boolean admits(boolean internal) {
        return switch (this) {
            case EXTERNAL -> !internal;
            case INTERNAL -> internal;
            case ANY -> true;
        };
    }
}

package io.scanwatch.job.model;

import java.util.Objects;

/**
 * An accepted live change: what it sets, laid over the start-up configuration, and from when. Kept in broadcast
 * state as the text it came in, so that a restart (or a newer scanwatch) derives the rules again rather than
 * restoring serialized objects.
 */
public class ControlChange {
    /** The operator's name for the change; stamped on alerts raised under it. */
    public String version;
    /** Event time from which it applies: to windows ending and alerts raised after it. */
    public long from;
    /** The change's {@code set} section as JSON. */
    public String set;

    public ControlChange() {}

    public static ControlChange of(String version, long from, String set) {
        ControlChange change = new ControlChange();
        change.version = version;
        change.from = from;
        change.set = set;
        return change;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ControlChange other
                && from == other.from
                && Objects.equals(version, other.version)
                && Objects.equals(set, other.set);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, from, set);
    }

    @Override
    public String toString() {
        return version + "@" + from;
    }
}

package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.ProbeLike;

/** Which attempts a rule counts: its {@code count} key. */
public enum CountMode {
    /** The attempts that look like probes ({@link ProbeLike#attempt}). */
    PROBES,
    /** Every attempt, for parity with the original rules. */
    ALL;

    /** Whether the attempt counts. */
    public boolean counts(ConnectionEvent event) {
        return this == ALL || ProbeLike.attempt(event.outcome, event.transport);
    }
}

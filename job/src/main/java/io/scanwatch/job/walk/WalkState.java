package io.scanwatch.job.walk;

import io.scanwatch.sketch.SeenBefore;

/**
 * One source's walk: the hosts it has contacted, where the walk stands, its first few first contacts as evidence,
 * and how many of its events wait for the watermark. Kept small: every source with TCP traffic has one while it is
 * active, clients included.
 */
public class WalkState {
    /** First contacts kept as evidence: the walk decides within a handful, so a few describe the decision. */
    static final int EVIDENCE = 16;

    public SeenBefore contacted = new SeenBefore();
    public double logRatio;
    public int failures;
    public int successes;
    /** Whether this walk already declared the source a scanner: one alert per walk. */
    public boolean declared;

    public long lastSeen;
    /**
     * When the timer that ends the walk after the quiet period fires: set when the walk starts, moved to the quiet
     * period's end when it fires (or, once it has fired, when a late event continues the walk), not at every event.
     */
    public long quietTimer;
    /** The evidence: time, host (two longs), port, and whether the host is internal, per first contact. */
    public long[] times = new long[0];

    public long[] hosts = new long[0];
    public int[] ports = new int[0];
    public boolean[] internal = new boolean[0];

    /**
     * No walk yet: the source's first events wait for the watermark. False in a state restored from a savepoint taken
     * before this field, which held walks only.
     */
    public boolean idle;
    /** How many of the source's events wait for the watermark, kept here so that an arriving event reads one state. */
    public int waiting;
    /** The timer of the earliest waiting event, 0 when none is set. */
    public long waitingTimer;

    public WalkState() {}

    /** A source whose first events wait. */
    static WalkState idle() {
        WalkState state = new WalkState();
        state.idle = true;
        return state;
    }

    /** A new walk's state after this one ended (quiet for the quiet period): the waiting events and their timer stay. */
    WalkState startOver() {
        WalkState next = idle();
        next.waiting = waiting;
        next.waitingTimer = waitingTimer;
        return next;
    }
}

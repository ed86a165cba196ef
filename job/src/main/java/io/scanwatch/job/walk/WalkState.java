package io.scanwatch.job.walk;

import io.scanwatch.sketch.SeenBefore;

/**
 * One source's walk: the hosts it has contacted, where the walk stands, its first few first contacts as evidence,
 * and its attempts not walked yet. Kept small: every source with TCP traffic has one while it is active,
 * clients included, and it is the only state an arriving attempt reads and writes.
 */
public class WalkState {
    /** First contacts kept as evidence: the walk decides within a handful, so a few describe the decision. */
    static final int EVIDENCE = 16;

    private static final ContactAttempt[] NONE_WAITING = new ContactAttempt[0];

    public SeenBefore contacted = new SeenBefore();
    public double logRatio;
    public int failures;
    public int successes;
    /** Whether this walk already declared the source a scanner: one alert per walk. */
    public boolean declared;

    public long lastSeen;
    /**
     * When the source's own timer fires: set when its first attempt comes in, moved to the quiet period's end when it
     * fires (or, once it has fired, when a late event continues the walk), not at every event. At the quiet period's
     * end the walk is over, and its state goes; if attempts still wait, ahead of the watermark, the timer moves to
     * the latest of them, which then start a new walk.
     */
    public long quietTimer;
    /** The evidence: time, host (two longs), port, and whether the host is internal, per first contact. */
    public long[] times = new long[0];

    public long[] hosts = new long[0];
    public int[] ports = new int[0];
    public boolean[] internal = new boolean[0];

    /**
     * Attempts not walked yet, in no order (a walk sorts them): those ahead of the watermark, and those it passed on
     * which no alert waits, until the source's next attempt or its timer.
     */
    public ContactAttempt[] waiting = NONE_WAITING;

    /**
     * The watermark when the source's attempts were last walked, or when its last attempt came in. An attempt behind
     * it that came in since is late: it waits for the next watermark, with any others as late, so that they are
     * walked in their order.
     */
    public long lastWatermark = Long.MIN_VALUE;

    public WalkState() {}

    /** A walk has started once it took a first contact, and it keeps its first first contact as evidence. */
    boolean started() {
        return times.length > 0;
    }

    /**
     * A new walk after a quiet period. The attempts waiting carry over, and so does the time of the source's timer:
     * it is registered for the source, not the walk, and without its time it would fire unrecognised.
     */
    WalkState afterQuiet() {
        WalkState next = new WalkState();
        next.waiting = waiting;
        next.quietTimer = quietTimer;
        next.lastWatermark = lastWatermark;
        return next;
    }
}

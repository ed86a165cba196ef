package io.scanwatch.job.walk;

import io.scanwatch.sketch.SeenBefore;

/**
 * One source's walk: the hosts it has contacted, where the walk stands, and its first few first contacts as
 * evidence. Kept small: every source with TCP traffic has one while it is active, clients included.
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

    public WalkState() {}
}

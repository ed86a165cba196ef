package io.scanwatch.job.model;

/** What a Threshold Random Walk saw when it declared a scanner: its first contacts and where the walk stood. */
public class WalkEvidence {
    /** Hosts contacted for the first time, with a known outcome. */
    public long firstContacts;

    public long failures;
    public long successes;
    /** The log-likelihood ratio of "scanner" over "benign" after the deciding first contact. */
    public double logLikelihoodRatio;
    /** The log threshold it crossed, ln(β/α). */
    public double threshold;

    public WalkEvidence() {}
}

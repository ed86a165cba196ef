package io.scanwatch.job.model;

/** The shape of a network scan. */
public enum ScanType {
    /** Many hosts, few ports: a sweep for one service. */
    HORIZONTAL,
    /** One host, many ports. */
    VERTICAL,
    /** Many hosts and many ports. */
    BLOCK;

    /** A block's scope: one per source and rule family at a time, whatever hosts and ports it reached. */
    public static final String BLOCK_SCOPE = "block";
}

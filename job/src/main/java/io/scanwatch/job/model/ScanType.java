package io.scanwatch.job.model;

/** The shape of a network scan. */
public enum ScanType {
    /** Many hosts, few ports: a sweep for one service. */
    HORIZONTAL,
    /** One host, many ports. */
    VERTICAL,
    /** Many hosts and many ports. */
    BLOCK
}

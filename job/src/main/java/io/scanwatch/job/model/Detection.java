package io.scanwatch.job.model;

import java.util.List;

/**
 * One window in which a rule fired for a source. Detections repeat while a scan lasts; alerting turns them into
 * one alert per episode plus roll-ups.
 */
public class Detection {
    public String rule;
    public String sourceIp;
    /** For the analyst: which of the source's scans this is, e.g. {@code vertical:10.0.0.5}; empty if only one. */
    public String scope;

    public ScanType scanType;
    /** The one host a vertical scan aims at; null otherwise. */
    public String target;
    /** {@code sliding} or {@code tumbling}. */
    public String windowKind;

    /** The window was evaluated again, after its end, because records behind the watermark arrived. */
    public boolean late;

    public long windowStart;
    public long windowEnd;
    public boolean sourceInternal;
    /** ECS {@code network.direction} of the scan: inbound, outbound, internal or external. */
    public String networkDirection;
    /** 0-100, ECS {@code event.severity}. */
    public int severity;
    /** MITRE ATT&CK technique ids. */
    public List<String> techniques;
    /** How long an alert on this detection mutes the same scan, in milliseconds: the rule's setting. */
    public long suppressionPeriod;

    public ProbeTally tally;
    /** For correlated rules: the scan this detection follows; null otherwise. */
    public ScanFacts follows;
    /** For correlated rules: the logon attempts after the scan; null otherwise. */
    public LogonEvidence logons;
    /** For the random walk: how it decided; null otherwise. */
    public WalkEvidence walk;

    public Detection() {}

    /** Alerts are deduplicated per rule and source, then per scan ({@code Episode#sameScan}). */
    public String dedupKey() {
        return rule + "|" + sourceIp;
    }

    public long windowSize() {
        return windowEnd - windowStart;
    }

    @Override
    public String toString() {
        return rule + " " + sourceIp + (scope.isEmpty() ? "" : " " + scope) + " [" + windowStart + "," + windowEnd
                + ") attempts=" + tally.attempts + " hosts=" + tally.hosts.distinct() + " ports="
                + tally.ports.distinct();
    }
}

package io.scanwatch.job.model;

import io.scanwatch.enrich.Criticality;
import io.scanwatch.sketch.CappedCounts;
import java.util.List;

/**
 * One window in which a rule fired for a source. Detections repeat while a scan lasts; alerting turns them into
 * one alert per episode plus roll-ups.
 */
public class Detection implements Cloneable {
    public String rule;
    public String sourceIp;
    /** For the analyst: which of the source's scans this is, e.g. {@code vertical:10.0.0.5}; empty if only one. */
    public String scope;

    public ScanType scanType;
    /** The one host a vertical scan aims at; null otherwise. */
    public String target;
    /** {@code sliding} or {@code tumbling}; {@code walk} for the random walk, {@code pattern} for a correlation. */
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
    /**
     * Long-horizon rules: the episode lasts as long as the scan does, each detection moving its end to
     * {@link #suppressionPeriod} after it, rather than ending one period after its first alert.
     */
    public boolean continuous;
    /**
     * The alert policy in effect at the window's end holds the source's alerts back (an authorised or dropped
     * scanner); marked before suppression only when the job has live control.
     */
    public boolean heldBack;
    /**
     * The highest criticality among its targets' assets in the inventory, where that raises its alert's severity;
     * null if none does: an episode it joins tells it at once, the first time it reaches that criticality ({@code
     * MarkRaisingTargets}).
     */
    public Criticality raisingCriticality;
    /** The address of an asset of that criticality among its targets (the lowest); null with it. */
    public String raisingTarget;
    /** Least time between two roll-ups of the episode, in milliseconds; 0: growth alone decides. */
    public long rollupPeriod;
    /**
     * Rules whose detections continue each other's episodes, e.g. {@code network_scan} for the slow tier: a scan
     * the fast tier reported grows in its episode when the slow tier sees more of it. Null: the rule alone.
     */
    public String family;

    public ProbeTally tally;
    /** For correlated rules: the scan this detection follows; null otherwise. */
    public ScanFacts follows;
    /** For correlated rules: the logon attempts after the scan; null otherwise. */
    public LogonEvidence logons;
    /** For the random walk: how it decided; null otherwise. */
    public WalkEvidence walk;
    /** For rules keyed by source network: the member sources, each with its attempts; null otherwise. */
    public CappedCounts members;
    /**
     * For correlated rules: one logon after the match that opened its episode; it joins that episode if it is newer
     * than the logons there, and opens none.
     */
    public boolean continuation;

    public Detection() {}

    /** The same detection, its evidence shared, its own fields free to be told otherwise. */
    public Detection shallowCopy() {
        try {
            return (Detection) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Its sets' sketches in as few bytes as hold them: a detection crosses the network and, in a batch replay, a sort
     * before alerting, and a slow tier's window past the cap by a few keys would carry 2 KB per set for a few hundred
     * bytes of coupons (#11).
     */
    public void compactSketches() {
        if (tally != null) {
            tally.compact();
        }
        if (members != null) {
            members.compact();
        }
    }

    /**
     * What an episode's id is derived from, with its scope and start: alerts are deduplicated per source, by family
     * and scan ({@code Episode#sameScan}), but each rule's episodes have ids of their own.
     */
    public String episodeSeed() {
        return rule + "|" + sourceIp;
    }

    /** Detections of one family continue each other's episodes. */
    public String family() {
        return family == null ? rule : family;
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

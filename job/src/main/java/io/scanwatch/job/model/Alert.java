package io.scanwatch.job.model;

import io.scanwatch.sketch.CappedCounts;
import java.util.ArrayList;
import java.util.List;

/**
 * What an analyst receives: the detection that raised it, plus its place in the episode (first alert or roll-up)
 * and the evidence gathered over the whole episode so far.
 */
public class Alert {
    public enum Kind {
        NEW,
        ROLLUP
    }

    /** Deterministic: the same detection in a replay gets the same id. */
    public String id;
    /** Shared by the first alert of an episode and its roll-ups. */
    public String episodeId;
    /** Shared by the episodes of one source that overlapped in time, whatever their rule. */
    public String incidentId;

    public Kind kind;
    /** 0 for the first alert of an episode, then 1, 2, ... for each roll-up. */
    public int sequence;

    public long episodeStart;
    /** For a roll-up: what the episode's previous alert reported; null for a new episode. */
    public PreviousReport previous;
    /** Detections since the previous alert of this episode that changed nothing worth telling. */
    public long suppressedDetections;
    /** The detection that raised this alert. */
    public Detection detection;
    /**
     * When the alert was raised, in event time, where that is after its detection's window: a roll-up the roll-up
     * period held back ({@code @timestamp}); 0 otherwise. Read through {@link #raisedAt()}.
     */
    public long heldUntil;
    /** Evidence over the episode: distinct things united, attempts of the busiest window. */
    public ProbeTally episode;
    /** For correlated rules: the logons over the episode; null otherwise. */
    public LogonEvidence episodeLogons;
    /** For rules keyed by source network: the members over the episode; null otherwise. */
    public CappedCounts episodeMembers;
    /**
     * The most critical asset that raised the severity of an earlier alert of the episode, described with the
     * episode's targets though its sample of hosts may have left it out; null if none.
     */
    public String raisingTargetTold;
    /** What the configured databases know of the source; null when none is configured or none knows it. */
    public SourceFacts sourceFacts;
    /** The label of a known scanner the source belongs to; null otherwise. */
    public String sourceLabel;
    /** What the inventory knows of the probed hosts, most critical first; empty when it knows none. */
    public List<TargetAsset> targetAssets = new ArrayList<>();
    /**
     * Whether the probed hosts were more than the evidence keeps (past {@code detection.distinct-cap}), so that
     * only a sample of them was looked up.
     */
    public boolean targetAssetsSampled;
    /** The highest criticality among them; null when the inventory knows none. */
    public String targetCriticality;
    /**
     * How the alert policy moved the rule's severity, one entry a step ("low -> medium: ..."), in the order applied;
     * empty when it did not touch it.
     */
    public List<String> severityChanges = new ArrayList<>();
    /** The live change the alert was raised under, or {@code startup}. */
    public String configVersion;
    /**
     * For a correlated alert: why the alert policy held back the scan alert it follows, whose id then names no alert
     * that was sent; null when that alert went out.
     */
    public String followedAlertHeldBack;

    public Alert() {}

    /** When the alert was raised, in event time: its detection's window end, or later for a held roll-up. */
    public long raisedAt() {
        return Math.max(heldUntil, detection.windowEnd);
    }

    @Override
    public String toString() {
        return kind + "#" + sequence + " " + detection;
    }
}

package io.scanwatch.job.model;

import java.util.ArrayList;
import java.util.List;

/** What a correlated alert says about the scan it follows: which alert, when, how big, and the hosts probed. */
public class ScanFacts {
    public String rule;
    public String alertId;
    public String episodeId;
    public String incidentId;
    public String scope;
    public String networkDirection;
    public long windowStart;
    public long windowEnd;
    public long firstSeen;
    public long lastSeen;
    /** When the correlation heard of the scan as these facts have it: at its alert, or at a later word of it. */
    public long reportedAt;

    public long attempts;
    public int distinctHosts;
    public int distinctPorts;
    /** The hosts the scan reached, as far as the scan's evidence remembers them (bounded by the distinct cap). */
    public List<String> targets = new ArrayList<>();

    public ScanFacts() {}

    public static ScanFacts of(Alert alert) {
        Detection d = alert.detection;
        ProbeTally evidence = alert.episode;
        ScanFacts facts = new ScanFacts();
        facts.rule = d.rule;
        facts.alertId = alert.id;
        facts.episodeId = alert.episodeId;
        facts.incidentId = alert.incidentId;
        facts.scope = d.scope;
        facts.networkDirection = d.networkDirection;
        facts.windowStart = d.windowStart;
        facts.windowEnd = d.windowEnd;
        facts.firstSeen = evidence.firstSeen;
        facts.lastSeen = evidence.lastSeen;
        facts.reportedAt = d.windowEnd;
        facts.attempts = evidence.attempts;
        facts.distinctHosts = evidence.hosts.distinct();
        facts.distinctPorts = evidence.ports.distinct();
        // Only asked whether it holds a logon's target (LogonTarget): not ranked, which every report of a scan
        // to the correlation would pay for.
        facts.targets.addAll(evidence.hosts.counts.keySet());
        return facts;
    }
}

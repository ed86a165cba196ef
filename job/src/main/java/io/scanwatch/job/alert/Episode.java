package io.scanwatch.job.alert;

import io.scanwatch.enrich.Criticality;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.LogonEvidence;
import io.scanwatch.job.model.PreviousReport;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.model.ScanType;
import io.scanwatch.sketch.CappedCounts;

/**
 * One scan of one source (or source network) under one rule family, from its first alert until the suppression
 * period ends: what it has shown so far and what its last alert reported.
 */
public class Episode {
    public String id;
    public String rule;
    /** The rules whose detections continue this episode ({@link Detection#family()}); see {@link #family()}. */
    public String family;
    /** The oldest open episode's incident when this one began, else this episode's own id. */
    public String incidentId;

    public long start;
    public long suppressUntil;
    /** A long-horizon rule's detection joined: the episode lasts as long as the scan, and takes in its shapes. */
    public boolean continuous;
    /**
     * Opened by an alert the policy held back: a detection of the same scan the policy would send opens an episode of
     * its own rather than joining this one ({@link Detection#heldBack}).
     */
    public boolean heldBack;
    /** Window end of the episode's last alert: roll-ups keep the rule's {@link Detection#rollupPeriod} apart. */
    public long lastAlert;
    /** The rule, scope, direction and window start of the episode's last alert, which the correlation names. */
    public String lastAlertRule;

    public String lastAlertScope;
    public String lastAlertDirection;
    public long lastAlertStart;
    /**
     * The last probe the correlation knows of: as of the episode's last alert, or of the last word that the scan goes
     * on ({@link AlertSuppressor#STILL_SCANNING}).
     */
    public long lastProbeTold;

    /**
     * The newest detection that found the scan grown by the growth factor within its rule's roll-up period after the
     * last alert: told as a roll-up a period after its window, unless a later detection is told first; null if none.
     */
    public Detection heldRollup;

    /**
     * The highest criticality that raises severity an alert of the episode told ({@link Detection#raisingCriticality});
     * null if none.
     */
    public Criticality raisingCriticalityTold;
    /**
     * An asset of that criticality the episode's alerts told: each later alert names it too, so that an episode past
     * the cap, whose sample of hosts may leave it out, does not fall back in severity.
     */
    public String raisingTargetTold;

    public int sequence;
    public long suppressedSinceLastAlert;
    public ScanType scanType;
    /** The host a vertical scan aims at. */
    public String target;

    public int reportedHosts;
    public int reportedPorts;
    public int reportedServices;
    public int reportedUsers;
    public int reportedLogonTargets;
    public int reportedMembers;
    public ProbeTally evidence;
    /** For correlated rules: the logons so far; null for scans. */
    public LogonEvidence logons;
    /** For rules keyed by source network: the member sources so far; null otherwise. */
    public CappedCounts members;

    public Episode() {}

    /** Episodes restored from state written before families existed have none: their rule alone. */
    String family() {
        return family == null ? rule : family;
    }

    /**
     * Whether a detection continues this scan rather than starting another: the same kind of scan, at the same
     * host for a vertical scan, and on ports this sweep already used for a horizontal one (a sweep by ICMP has
     * no ports and joins any sweep). Rules without scan types have one scan per source. Over long horizons a scan
     * shows more of its shape as it goes (a vertical scan of one host becomes a block when it moves to the next),
     * so a long-horizon detection and a scan of another shape that one of them contains are one scan. A fast
     * detection of another shape is another scan (nmap run again on one host of a block it swept), as before.
     */
    boolean sameScan(Detection detection) {
        if (detection.scanType != scanType) {
            return detection.continuous && (contains(this, detection) || contains(detection, this));
        }
        if (scanType == ScanType.VERTICAL) {
            return target.equals(detection.target);
        }
        if (scanType == ScanType.HORIZONTAL) {
            return sharePorts(evidence, detection.tally);
        }
        return true;
    }

    private static boolean contains(Episode block, Detection part) {
        return block.scanType == ScanType.BLOCK && touches(block.evidence, part.scanType, part.target, part.tally);
    }

    private static boolean contains(Detection block, Episode part) {
        return block.scanType == ScanType.BLOCK && touches(block.tally, part.scanType, part.target, part.evidence);
    }

    /** Whether a block's probes reached the host of a vertical scan, or the ports of a horizontal one. */
    private static boolean touches(ProbeTally block, ScanType partType, String partTarget, ProbeTally part) {
        if (partType == ScanType.VERTICAL) {
            return block.hosts.counts.containsKey(partTarget);
        }
        return partType == ScanType.HORIZONTAL && sharePorts(block, part);
    }

    private static boolean sharePorts(ProbeTally one, ProbeTally other) {
        if (one.ports.distinct() == 0 || other.ports.distinct() == 0) {
            return true;
        }
        for (String port : other.ports.counts.keySet()) {
            if (one.ports.counts.containsKey(port)) {
                return true;
            }
        }
        return false;
    }

    /** Takes in a detection of the same scan: a block that holds this scan makes the episode a block. */
    void absorbShape(Detection detection) {
        continuous |= detection.continuous;
        if (detection.scanType == ScanType.BLOCK) {
            scanType = ScanType.BLOCK;
            target = null;
        }
    }

    /** Whether the detection reached an asset more critical than any the episode's alerts told, and one that raises. */
    boolean reachesFurther(Detection detection) {
        return detection.raisingCriticality != null
                && (raisingCriticalityTold == null
                        || detection.raisingCriticality.compareTo(raisingCriticalityTold) > 0);
    }

    /** What the last alert reported, as {@code alertId} said it. */
    PreviousReport lastReport(String alertId) {
        PreviousReport previous = new PreviousReport();
        previous.alertId = alertId;
        previous.hosts = reportedHosts;
        previous.ports = reportedPorts;
        previous.services = reportedServices;
        previous.users = reportedUsers;
        previous.logonTargets = reportedLogonTargets;
        previous.members = reportedMembers;
        return previous;
    }

    /**
     * The last alert's detection of {@code source} as the correlation names it: its rule, scope, window and direction,
     * without evidence of its own (the correlation reads the episode's).
     */
    Detection lastAlerted(String source) {
        Detection alerted = new Detection();
        alerted.rule = lastAlertRule;
        alerted.sourceIp = source;
        alerted.scope = lastAlertScope;
        alerted.windowStart = lastAlertStart;
        alerted.windowEnd = lastAlert;
        alerted.networkDirection = lastAlertDirection;
        return alerted;
    }

    void reported(Detection detection) {
        if (reachesFurther(detection)) {
            raisingCriticalityTold = detection.raisingCriticality;
            raisingTargetTold = detection.raisingTarget;
        }
        lastAlert = detection.windowEnd;
        lastAlertRule = detection.rule;
        lastAlertScope = detection.scope;
        lastAlertDirection = detection.networkDirection;
        lastAlertStart = detection.windowStart;
        lastProbeTold = evidence.lastSeen;
        reportedHosts = evidence.hosts.distinct();
        reportedPorts = evidence.ports.distinct();
        reportedServices = evidence.distinctServices();
        if (logons != null) {
            reportedUsers = logons.users.distinct();
            reportedLogonTargets = logons.targets.distinct();
        }
        if (members != null) {
            reportedMembers = members.distinct();
        }
        suppressedSinceLastAlert = 0;
    }

    /**
     * A roll-up is due when hosts, ports or services (or, after a scan, the accounts and targets of the logons; for a
     * network, its member sources) reached {@code factor} times what was last reported.
     */
    boolean grewBy(double factor) {
        boolean logonsGrew = logons != null
                && (grew(logons.users.distinct(), reportedUsers, factor)
                        || grew(logons.targets.distinct(), reportedLogonTargets, factor));
        boolean membersGrew = members != null && grew(members.distinct(), reportedMembers, factor);
        return logonsGrew
                || membersGrew
                || grew(evidence.hosts.distinct(), reportedHosts, factor)
                || grew(evidence.ports.distinct(), reportedPorts, factor)
                || grew(evidence.distinctServices(), reportedServices, factor);
    }

    private static boolean grew(int now, int reported, double factor) {
        return reported > 0 && now >= Math.ceil(reported * factor);
    }
}

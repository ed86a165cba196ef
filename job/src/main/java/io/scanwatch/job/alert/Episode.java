package io.scanwatch.job.alert;

import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.LogonEvidence;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.model.ScanType;

/**
 * One scan of one source under one rule, from its first alert until the suppression period ends: what it has
 * shown so far and what its last alert reported.
 */
public class Episode {
    public String id;
    public String rule;
    /** The oldest open episode's incident when this one began, else this episode's own id. */
    public String incidentId;

    public long start;
    public long suppressUntil;
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
    public ProbeTally evidence;
    /** For correlated rules: the logons so far; null for scans. */
    public LogonEvidence logons;

    public Episode() {}

    /**
     * Whether a detection continues this scan rather than starting another: the same kind of scan, at the same
     * host for a vertical scan, and on ports this sweep already used for a horizontal one (a sweep by ICMP has
     * no ports and joins any sweep). Rules without scan types have one scan per source.
     */
    boolean sameScan(Detection detection) {
        if (detection.scanType != scanType) {
            return false;
        }
        if (scanType == ScanType.VERTICAL) {
            return target.equals(detection.target);
        }
        if (scanType == ScanType.HORIZONTAL) {
            if (evidence.ports.distinct() == 0 || detection.tally.ports.distinct() == 0) {
                return true;
            }
            for (String port : detection.tally.ports.counts.keySet()) {
                if (evidence.ports.counts.containsKey(port)) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    void reported() {
        reportedHosts = evidence.hosts.distinct();
        reportedPorts = evidence.ports.distinct();
        reportedServices = evidence.services.distinct();
        if (logons != null) {
            reportedUsers = logons.users.distinct();
            reportedLogonTargets = logons.targets.distinct();
        }
        suppressedSinceLastAlert = 0;
    }

    /**
     * A roll-up is due when hosts, ports or services (or, after a scan, the accounts and targets of the logons)
     * reached {@code factor} times what was last reported.
     */
    boolean grewBy(double factor) {
        boolean logonsGrew = logons != null
                && (grew(logons.users.distinct(), reportedUsers, factor)
                        || grew(logons.targets.distinct(), reportedLogonTargets, factor));
        return logonsGrew
                || grew(evidence.hosts.distinct(), reportedHosts, factor)
                || grew(evidence.ports.distinct(), reportedPorts, factor)
                || grew(evidence.services.distinct(), reportedServices, factor);
    }

    private static boolean grew(int now, int reported, double factor) {
        return reported > 0 && now >= Math.ceil(reported * factor);
    }
}

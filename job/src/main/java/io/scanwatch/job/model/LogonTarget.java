package io.scanwatch.job.model;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.net.NetworkClassifier;

/** How a logon relates to the scan before it: at a host the scan probed, at some other internal host, or neither. */
public enum LogonTarget {
    PROBED,
    INTERNAL,
    UNRELATED;

    /**
     * A logon recorded by a host itself (sshd, Windows) names the host, not its address: it is internal, but only
     * a sensor that saw the address (Zeek ssh.log) can place it among the probed hosts.
     */
    public static LogonTarget of(AuthEvent logon, ScanFacts scan, NetworkClassifier classifier) {
        if ((logon.targetIp != null && scan.targets.contains(logon.targetIp))
                || (logon.targetHost != null && scan.targets.contains(logon.targetHost))) {
            return PROBED;
        }
        if (logon.targetIp == null || classifier.isInternal(logon.targetIp)) {
            return INTERNAL;
        }
        return UNRELATED;
    }
}

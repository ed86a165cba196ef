package io.scanwatch.job.model;

import java.util.Map;

/** The MITRE ATT&CK techniques scanwatch reports, with their names and tactics for ECS {@code threat.*}. */
public record AttackTechnique(String id, String name, String tacticId, String tacticName) {
    private static final Map<String, AttackTechnique> KNOWN = Map.of(
            "T1595", new AttackTechnique("T1595", "Active Scanning", "TA0043", "Reconnaissance"),
            "T1046", new AttackTechnique("T1046", "Network Service Discovery", "TA0007", "Discovery"),
            "T1110", new AttackTechnique("T1110", "Brute Force", "TA0006", "Credential Access"),
            "T1078", new AttackTechnique("T1078", "Valid Accounts", "TA0001", "Initial Access"),
            "T1021", new AttackTechnique("T1021", "Remote Services", "TA0008", "Lateral Movement"));

    /** The technique ids an alert can describe. */
    public static java.util.SortedSet<String> known() {
        return new java.util.TreeSet<>(KNOWN.keySet());
    }

    public static AttackTechnique of(String id) {
        AttackTechnique technique = KNOWN.get(id);
        if (technique == null) {
            throw new IllegalArgumentException("no ATT&CK description for " + id);
        }
        return technique;
    }
}

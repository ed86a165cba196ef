package io.scanwatch.job.model;

import io.scanwatch.sketch.CappedCounts;
import java.util.ArrayList;
import java.util.List;

/** The logon attempts a correlated alert reports. */
public class LogonEvidence {
    /** Failed guesses, summed over the attempts each record stands for. */
    public long failures;

    public long successes;
    /** Accounts tried with their attempts, at most the configured number kept, hashed when configured. */
    public CappedCounts users = new CappedCounts();
    /** Hosts the logons aimed at, with their attempts. */
    public CappedCounts targets = new CappedCounts();

    public List<String> services = new ArrayList<>();
    /**
     * A match's successful logons, at most as many as targets are kept: who got in, where, when. An alert tells its
     * own match's, so an episode does not gather them.
     */
    public List<Logon> loggedOn = new ArrayList<>();

    public long firstLogon;
    public long lastLogon;
    /** From the scan's last probe to the first logon; negative when the logons began while the scan ran. */
    public long delayMillis;
    /** True when every logon aimed at a host the scan probed; false when only at internal hosts. */
    public boolean atProbedTargets;

    public LogonEvidence() {}

    /**
     * Folds in the logons of a later match of the same episode: matches never share a logon, so counts add up;
     * accounts and targets unite; the delay stays the first match's; who got in stays the first match's (each
     * alert tells its own).
     */
    public void absorb(LogonEvidence other, int maxUsers, int cap) {
        failures += other.failures;
        successes += other.successes;
        users.addAll(other.users, maxUsers);
        targets.addAll(other.targets, cap);
        for (String service : other.services) {
            if (!services.contains(service) && services.size() < cap) {
                services.add(service);
            }
        }
        firstLogon = Math.min(firstLogon, other.firstLogon);
        lastLogon = Math.max(lastLogon, other.lastLogon);
        atProbedTargets &= other.atProbedTargets;
    }

    public LogonEvidence copy() {
        LogonEvidence copy = new LogonEvidence();
        copy.failures = failures;
        copy.successes = successes;
        copy.users = users.copy();
        copy.targets = targets.copy();
        copy.services = new ArrayList<>(services);
        copy.loggedOn = new ArrayList<>(loggedOn);
        copy.firstLogon = firstLogon;
        copy.lastLogon = lastLogon;
        copy.delayMillis = delayMillis;
        copy.atProbedTargets = atProbedTargets;
        return copy;
    }
}

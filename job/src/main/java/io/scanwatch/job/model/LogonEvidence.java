package io.scanwatch.job.model;

import io.scanwatch.sketch.CappedCounts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

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
     * Successful logons, at most as many as targets are kept: who got in, where, when. An episode gathers its
     * matches' and the logons' after them; a roll-up tells its own detection's.
     */
    public List<Logon> loggedOn = new ArrayList<>();

    public long firstLogon;
    public long lastLogon;
    /**
     * The records of a match's logons, each by where it was read ({@code AuthEvent#origin}; sshd stamps by the
     * second, so a time does not tell two apart): an episode keeps its first match's, so that the logons after it,
     * which come one by one, do not count that match's twice.
     */
    public List<String> records = new ArrayList<>();
    /** From the scan's last probe to the first logon; negative when the logons began while the scan ran. */
    public long delayMillis;
    /** True when every logon aimed at a host the scan probed; false when only at internal hosts. */
    public boolean atProbedTargets;

    /**
     * Records in the order they were read: by their file (or topic and partition), then line (or offset), so that
     * logons of one instant are taken in as they were logged however a replay's readers handed them on.
     */
    public static final Comparator<String> READ_ORDER =
            Comparator.comparing(LogonEvidence::readFrom).thenComparingLong(LogonEvidence::readAt);

    public LogonEvidence() {}

    /** The file, or topic and partition, of a record ({@code file:line}, {@code file@byte}, {@code topic/0@offset}). */
    private static String readFrom(String record) {
        int at = Math.max(record.lastIndexOf(':'), record.lastIndexOf('@'));
        return at < 0 ? record : record.substring(0, at);
    }

    /** Its line, byte or offset; 0 for a record known by its content. */
    private static long readAt(String record) {
        int at = Math.max(record.lastIndexOf(':'), record.lastIndexOf('@'));
        try {
            return at < 0 ? 0 : Long.parseLong(record.substring(at + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Whether a logon after a match is among these: a record of the match. */
    public boolean holds(LogonEvidence later) {
        return records.containsAll(later.records);
    }

    /** Whether a logon after a match got in as an account at a host, a pair that no success here did. */
    public boolean isNewLogonIn(LogonEvidence later) {
        for (Logon logon : later.loggedOn) {
            if (loggedOn.stream()
                    .noneMatch(told -> Objects.equals(told.user, logon.user) && told.target.equals(logon.target))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Folds in logons the episode does not hold ({@link #holds}): counts add up; accounts, targets and who got in
     * unite; the delay stays the first match's.
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
        for (Logon logon : other.loggedOn) {
            if (loggedOn.size() < cap) {
                loggedOn.add(logon);
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
        copy.records = new ArrayList<>(records);
        copy.delayMillis = delayMillis;
        copy.atProbedTargets = atProbedTargets;
        return copy;
    }
}

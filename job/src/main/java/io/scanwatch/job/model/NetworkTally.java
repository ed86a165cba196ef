package io.scanwatch.job.model;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.sketch.CappedCounts;

/**
 * What the sources of one network did in a stretch of event time: their probes taken together, and each member's
 * attempts. A pane of a window, or a whole window, of a rule keyed by source network.
 */
public class NetworkTally implements Tally<NetworkTally> {
    /**
     * Members remembered exactly: every address of an IPv4 /24. Larger networks are sampled, their count estimated.
     */
    public static final int MEMBERS_CAP = 256;

    public ProbeTally probes = new ProbeTally();
    /** Attempts by member source address. */
    public CappedCounts members = CappedCounts.keepingShares();

    public NetworkTally() {}

    @Override
    public void add(ConnectionEvent event, int cap) {
        probes.add(event, cap);
        members.add(event.sourceIp, 1, MEMBERS_CAP);
    }

    @Override
    public NetworkTally copy() {
        NetworkTally copy = new NetworkTally();
        copy.probes = probes.copy();
        copy.members = members.copy();
        return copy;
    }

    @Override
    public void addAll(NetworkTally other, int cap) {
        probes.addAll(other.probes, cap);
        members.addAll(other.members, MEMBERS_CAP);
    }

    @Override
    public long events() {
        return probes.attempts;
    }

    /** Whether at least {@code minMembers} took part and none made more than {@code maxShare} of the attempts. */
    public boolean spreadOver(int minMembers, double maxShare) {
        return members.distinct() >= minMembers && busiestMemberShare() <= maxShare;
    }

    /** Enough members, but one of them made too large a share of the attempts. */
    public boolean dominatedByOne(int minMembers, double maxShare) {
        return members.distinct() >= minMembers && busiestMemberShare() > maxShare;
    }

    /** Share of the attempts made by the busiest member. */
    private double busiestMemberShare() {
        return members.busiestShare(probes.attempts);
    }
}

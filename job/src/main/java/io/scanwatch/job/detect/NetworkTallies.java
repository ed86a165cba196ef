package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.model.NetworkTally;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** The aggregate of rules keyed by source network: the network's probes, and its members' attempts. */
public final class NetworkTallies implements WindowAggregate<NetworkTally> {
    private static final long serialVersionUID = 1L;

    private final int distinctCap;

    public NetworkTallies(int distinctCap) {
        this.distinctCap = distinctCap;
    }

    @Override
    public NetworkTally create() {
        return new NetworkTally();
    }

    @Override
    public void add(NetworkTally tally, ConnectionEvent event) {
        tally.add(event, distinctCap);
    }

    @Override
    public void merge(NetworkTally into, NetworkTally other) {
        into.addAll(other, distinctCap);
    }

    @Override
    public NetworkTally copy(NetworkTally tally) {
        return tally.copy();
    }

    @Override
    public long events(NetworkTally tally) {
        return tally.probes.attempts;
    }

    @Override
    public TypeInformation<NetworkTally> type() {
        return TypeInformation.of(NetworkTally.class);
    }

    @Override
    public boolean readsSource() {
        return true;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NetworkTallies tallies && tallies.distinctCap == distinctCap;
    }

    @Override
    public int hashCode() {
        return distinctCap;
    }
}

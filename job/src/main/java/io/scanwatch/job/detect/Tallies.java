package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.model.NetworkTally;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.model.Tally;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * The aggregate of the threshold rules: probe tallies of a source (attempts and capped distinct hosts, services and
 * ports), or network tallies of a group of sources (their probes, and each member's attempts).
 *
 * @param <T> the tally
 */
public final class Tallies<T extends Tally<T>> implements WindowAggregate<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final SerializableSupplier<T> empty;
    private final int distinctCap;
    private final boolean readsSource;

    private Tallies(Class<T> type, SerializableSupplier<T> empty, int distinctCap, boolean readsSource) {
        this.type = type;
        this.empty = empty;
        this.distinctCap = distinctCap;
        this.readsSource = readsSource;
    }

    public static Tallies<ProbeTally> ofProbes(int distinctCap) {
        return new Tallies<>(ProbeTally.class, ProbeTally::new, distinctCap, false);
    }

    /** A network's tally counts its members: it reads their addresses. */
    public static Tallies<NetworkTally> ofNetworks(int distinctCap) {
        return new Tallies<>(NetworkTally.class, NetworkTally::new, distinctCap, true);
    }

    @Override
    public T create() {
        return empty.get();
    }

    @Override
    public void add(T tally, ConnectionEvent event) {
        tally.add(event, distinctCap);
    }

    @Override
    public void merge(T into, T other) {
        into.addAll(other, distinctCap);
    }

    @Override
    public T copy(T tally) {
        return tally.copy();
    }

    @Override
    public long events(T tally) {
        return tally.events();
    }

    @Override
    public TypeInformation<T> type() {
        return TypeInformation.of(type);
    }

    @Override
    public boolean readsSource() {
        return readsSource;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tallies<?> tallies && tallies.type == type && tallies.distinctCap == distinctCap;
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + distinctCap;
    }
}

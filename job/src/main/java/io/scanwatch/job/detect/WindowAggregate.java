package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import java.io.Serializable;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * How a rule sums up its events: a pane from the events in it, a window from the panes in it. Accumulators are
 * mutable and kept in Flink state, so their type must have a Flink serializer (a POJO or a type of its own, not
 * Kryo).
 *
 * <p>A source's first event is kept in compact form ({@link FirstProbe}) until a second arrives, so {@link #add}
 * may read only the event's time, destination (address, port), transport, outcome and direction, unless
 * {@link #readsSource()} says otherwise.
 *
 * @param <ACC> the accumulator
 */
public interface WindowAggregate<ACC> extends Serializable {
    ACC create();

    void add(ACC accumulator, ConnectionEvent event);

    /** Adds a disjoint stretch of event time (another pane of the same window) to {@code into}. */
    void merge(ACC into, ACC other);

    /** An accumulator of its own with the same sum: a window's first pane, which its other panes are merged into. */
    ACC copy(ACC accumulator);

    /** How many events were added: a window's is the sum of its panes'. */
    long events(ACC accumulator);

    TypeInformation<ACC> type();

    /** Whether {@link #add} reads the source address: then a key's first event is kept with it. */
    default boolean readsSource() {
        return false;
    }
}

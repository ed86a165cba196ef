package io.scanwatch.job.control;

import io.scanwatch.job.config.ConfigLayers;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.model.ControlChange;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.function.Predicate;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator makes of the accepted changes, by event time: the value derived from the change in effect at a
 * time (the latest whose {@code from} is at or before it), or from the start-up configuration before any. Changes
 * live in broadcast state, so every parallel instance holds the same ones and a restart continues with them;
 * derived values are cached per change. The newest {@link #KEPT} changes are kept: changes come by hand, a few a
 * day, and a window is judged by the one in effect at its end even when late records make it evaluated again.
 *
 * @param <T> what the operator needs of a configuration (its rules, the alert policy)
 */
public final class ControlTimeline<T> implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ControlTimeline.class);

    /** The version alerts carry before any change. */
    public static final String STARTUP = "startup";

    /**
     * How many changes are kept, the newest by time. A replay reads all of its file's changes before it judges a
     * window, so the windows of a change it forgets, and of every change older than the oldest kept, are judged by
     * the start-up configuration: they are counted ({@code control.changes.forgotten}).
     */
    public static final int KEPT = 1024;

    public static final MapStateDescriptor<Long, ControlChange> CHANGES =
            new MapStateDescriptor<>("control-changes", Types.LONG, TypeInformation.of(ControlChange.class));

    /** Derives an operator's view of a configuration. */
    public interface Derive<T> extends Serializable {
        T of(ScanwatchConfig config);
    }

    /** The operator's view before any change. */
    public interface Start<T> extends Serializable {
        T get();
    }

    private final ConfigLayers layers;
    private final Derive<T> derive;
    private final Start<T> start;

    private transient T startup;
    private transient Map<ControlChange, T> derived;
    private transient long[] froms;
    private transient ControlChange[] changes;

    /** @param layers the start-up configuration's tree; null when the job has no control input */
    public ControlTimeline(ConfigLayers layers, Start<T> start, Derive<T> derive) {
        this.layers = layers;
        this.start = start;
        this.derive = derive;
    }

    /**
     * Keeps an accepted change (one with the same time replaces the earlier) and forgets the oldest past {@link
     * #KEPT}. Every parallel instance receives the same changes in the same order and keeps the same ones, so that
     * a rescaled restore, which hands each new instance one old instance's state, judges alike everywhere.
     */
    public void add(BroadcastState<Long, ControlChange> state, ControlChange change) throws Exception {
        state.put(change.from, change);
        List<Long> froms = new ArrayList<>();
        for (Entry<Long, ControlChange> entry : state.entries()) {
            froms.add(entry.getKey());
        }
        froms.sort(null);
        for (Long from : froms.subList(0, Math.max(0, froms.size() - KEPT))) {
            state.remove(from);
        }
        this.froms = null;
        derived = null;
    }

    /** The change in effect at {@code time}, or null before any. */
    public ControlChange changeAt(ReadOnlyBroadcastState<Long, ControlChange> state, long time) throws Exception {
        if (froms == null) {
            List<Entry<Long, ControlChange>> entries = new ArrayList<>();
            for (Entry<Long, ControlChange> entry : state.immutableEntries()) {
                entries.add(entry);
            }
            entries.sort(Entry.comparingByKey());
            froms = entries.stream().mapToLong(Entry::getKey).toArray();
            changes = entries.stream().map(Entry::getValue).toArray(ControlChange[]::new);
        }
        // The last change from at or before the time; froms are distinct (a change at the same time replaces).
        int at = Arrays.binarySearch(froms, time);
        int last = at >= 0 ? at : -at - 2;
        return last < 0 ? null : changes[last];
    }

    /** The operator's view at {@code time}. */
    public T at(ReadOnlyBroadcastState<Long, ControlChange> state, long time) throws Exception {
        return view(changeAt(state, time));
    }

    /** Whether the view in effect at some time from {@code from} to {@code to} passes {@code test}. */
    public boolean anyBetween(ReadOnlyBroadcastState<Long, ControlChange> state, long from, long to, Predicate<T> test)
            throws Exception {
        if (test.test(at(state, from))) {
            return true;
        }
        int at = Arrays.binarySearch(froms, from);
        for (int next = at >= 0 ? at + 1 : -at - 1; next < froms.length && froms[next] <= to; next++) {
            if (test.test(view(changes[next]))) {
                return true;
            }
        }
        return false;
    }

    private T view(ControlChange change) {
        if (change == null) {
            return start();
        }
        if (derived == null) {
            derived = new HashMap<>();
        }
        return derived.computeIfAbsent(change, this::derive);
    }

    /**
     * The operator's view under an accepted change. Should deriving it fail here all the same (a newer scanwatch
     * restoring an older change), the start-up view is used and the failure logged: a change never stops the job.
     */
    private T derive(ControlChange change) {
        try {
            return derive.of(layers.accepted(change.set));
        } catch (RuntimeException e) {
            LOG.error("control change {} cannot be applied here; the start-up configuration judges instead", change, e);
            return start();
        }
    }

    private T start() {
        if (startup == null) {
            startup = start.get();
        }
        return startup;
    }

    public static String version(ControlChange change) {
        return change == null ? STARTUP : change.version;
    }
}

package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.control.ControlTimeline;
import io.scanwatch.job.model.ControlChange;
import io.scanwatch.job.model.Detection;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Runs a {@link PanedWindowDetector} with the control changes as its broadcast input, and tells it, once its state
 * is restored, how many sources that state holds, so that its {@code sources.tracked} gauge is right after a
 * restart or a rescale as well.
 *
 * <p>The control input holds the detector's time back until the changes there are at start have been read; then its
 * watermark is the end of time, which says only that it holds nothing back. Taken as a watermark, it became the
 * detector's time whenever the telemetry went idle (a quiet Kafka topic), and every probe after the quiet was behind
 * it and dropped without a trace. So it is taken as idleness, for good: changes that come later are applied as they
 * come, and the detector's time is the telemetry's alone. The detector is told when the changes at start have come
 * (that watermark, or the control input idle): before, a record may reach it ahead of the change that judges it.
 *
 * <p>On the heap backend it also ends the detector's idle compact probes as the watermark passes them ({@link
 * FirstProbeSweep}), after the timers that watermark fires. Its checkpoints say so, so that a resume on another
 * backend gives the restored probes their timers.
 */
public final class PanedWindowOperator
        extends CoBroadcastWithKeyedOperator<String, ConnectionEvent, ControlChange, Detection>
        implements BoundedMultiInput {
    private static final long serialVersionUID = 1L;

    public PanedWindowOperator(PanedWindowDetector detector) {
        super(detector, List.of(ControlTimeline.CHANGES));
    }

    /** Whether the control input has given its final watermark. */
    private transient boolean controlAtItsEnd;

    /** The detector's idle compact probes, on the heap backend; null elsewhere. */
    private transient FirstProbeSweep sweep;

    /** The timer service of the user function's timers, as {@link CoBroadcastWithKeyedOperator} names it. */
    private static final String USER_TIMERS = "user-timers";

    /** Whether a subtask swept its compact probes when the checkpoint was taken: their timers are not in it. */
    private static final ListStateDescriptor<Boolean> SWEPT =
            new ListStateDescriptor<>("compact-probes-swept", Types.BOOLEAN);

    private transient ListState<Boolean> sweptMark;
    private transient boolean restoredFromSweep;

    @Override
    public void processWatermark2(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            controlAtItsEnd = true;
            detector().changesRead(true);
            super.processWatermarkStatus(WatermarkStatus.IDLE, 1);
        } else {
            super.processWatermark2(mark);
        }
    }

    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int index) throws Exception {
        if (index == 1 && controlAtItsEnd) {
            // Active again only to hand on a change: its watermark, still where it stood before the end, would
            // hold the telemetry's back.
            return;
        }
        if (index == 1) {
            // Idle, it no longer holds the detector's time: the changes it had are all the detector will wait for.
            detector().changesRead(status.isIdle());
        }
        super.processWatermarkStatus(status, index);
    }

    @Override
    public void open() throws Exception {
        super.open();
        KeyedStateBackend<String> state = getKeyedStateBackend();
        PanedWindowDetector detector = detector();
        try (Stream<String> sources = state.getKeys(detector.stateNames(), VoidNamespace.INSTANCE)) {
            detector.restoredSources(sources.distinct().count());
        }
        // Only where timers live on the heap: RocksDB keeps them off it, and a batch replay's state is one key's.
        if (state instanceof HeapKeyedStateBackend) {
            sweep = new FirstProbeSweep();
            detector.sweepFirstProbes(sweep);
        }
        if (sweep == null && !restoredFromSweep) {
            return; // every restored compact probe came with its timer
        }
        // Rebuilt, as the sweep is not in the checkpoint; or the probes of a sweeping run restored into another
        // backend (a savepoint of the heap resumed on RocksDB) are timed now, or they would never end.
        InternalTimerService<VoidNamespace> timers =
                sweep == null ? getInternalTimerService(USER_TIMERS, VoidNamespaceSerializer.INSTANCE, this) : null;
        List<String> restored;
        try (Stream<String> keys = state.getKeys(PanedWindowDetector.FIRST_PROBE, VoidNamespace.INSTANCE)) {
            restored = keys.toList();
        }
        for (String key : restored) {
            setCurrentKey(key);
            OptionalLong due = detector.restoredCleanup();
            if (due.isPresent() && sweep != null) {
                sweep.add(due.getAsLong(), key);
            } else if (due.isPresent()) {
                timers.registerEventTimeTimer(VoidNamespace.INSTANCE, due.getAsLong());
            }
        }
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        sweptMark = context.getOperatorStateStore().getUnionListState(SWEPT);
        for (Boolean swept : sweptMark.get()) {
            restoredFromSweep |= swept;
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        sweptMark.update(List.of(sweep != null));
    }

    /** After the timers the watermark reached, the idle first probes it reached. */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        super.processWatermark(mark);
        if (sweep != null) {
            PanedWindowDetector detector = detector();
            sweep.sweep(mark.getTimestamp(), key -> {
                setCurrentKey(key);
                detector.endIdle(mark.getTimestamp());
            });
        }
    }

    /** A bounded control input that ends without its final watermark reaching here (a batch replay reads it first). */
    @Override
    public void endInput(int inputId) {
        if (inputId == 2) {
            detector().changesRead(true);
        }
    }

    private PanedWindowDetector detector() {
        return (PanedWindowDetector) getUserFunction();
    }
}

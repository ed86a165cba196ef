package io.scanwatch.job.control;

import io.scanwatch.job.model.ControlChange;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Runs a function that applies the control changes to each record by the record's time, and holds the records back
 * until the changes there are at start have reached it: until the control input gives its final watermark, turns
 * idle or ends, as the detectors wait for them. A detector sends its detections only once it has those changes, but
 * on another way than the changes take to this operator, and a detection that overtook them was marked by the
 * configuration before them (a scan reaching an asset the inventory had made critical told as though it were not).
 * From its final watermark or end on, records pass at once: a change that comes later applies as it comes. An idle
 * control input that wakes before its end (a Kafka reader quiet at start) holds them again, as it holds the
 * detectors again. Held records are kept in checkpoints, with their timestamps.
 *
 * @param <T> the records the changes are applied to
 * @param <R> what the function makes of them
 */
public final class ChangesReadFirst<T, R> extends CoBroadcastWithNonKeyedOperator<T, ControlChange, R>
        implements BoundedMultiInput {
    private static final long serialVersionUID = 1L;

    /** A held record's timestamp when it had none. */
    private static final long NO_TIMESTAMP = Long.MIN_VALUE;

    private final TypeInformation<T> type;

    private transient ListState<Tuple2<Long, T>> heldState;
    /** Null while records pass. */
    private transient List<StreamRecord<T>> held;
    /** Whether the control input has given its final watermark or ended: records pass for good. */
    private transient boolean controlAtItsEnd;

    public ChangesReadFirst(BroadcastProcessFunction<T, ControlChange, R> function, TypeInformation<T> type) {
        super(function, List.of(ControlTimeline.CHANGES));
        this.type = type;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        heldState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("held-until-changes-read", Types.TUPLE(Types.LONG, type)));
        // Restored or not, the control input is read again from its checkpointed place, and held again until then.
        held = new ArrayList<>();
        for (Tuple2<Long, T> record : heldState.get()) {
            held.add(
                    record.f0 == NO_TIMESTAMP
                            ? new StreamRecord<>(record.f1)
                            : new StreamRecord<>(record.f1, record.f0));
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<Tuple2<Long, T>> records = new ArrayList<>();
        if (held != null) {
            for (StreamRecord<T> record : held) {
                records.add(Tuple2.of(record.hasTimestamp() ? record.getTimestamp() : NO_TIMESTAMP, record.getValue()));
            }
        }
        heldState.update(records);
    }

    @Override
    public void processElement1(StreamRecord<T> element) throws Exception {
        if (held == null) {
            super.processElement1(element);
        } else {
            held.add(element);
        }
    }

    @Override
    public void processWatermark2(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            controlAtItsEnd = true;
            release();
        }
        super.processWatermark2(mark);
    }

    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int index) throws Exception {
        if (index == 1 && status.isIdle()) {
            release();
        } else if (index == 1 && !controlAtItsEnd && held == null) {
            // Its watermark is still the start of time: this operator's cannot move while it holds again.
            held = new ArrayList<>();
        }
        super.processWatermarkStatus(status, index);
    }

    @Override
    public void endInput(int inputId) throws Exception {
        if (inputId == 2) {
            controlAtItsEnd = true;
            release();
        }
    }

    @Override
    public void finish() throws Exception {
        release();
        super.finish();
    }

    /** Before the watermark or idleness that releases them moves this operator's time: they are not late. */
    private void release() throws Exception {
        if (held == null) {
            return;
        }
        List<StreamRecord<T>> records = held;
        held = null;
        for (StreamRecord<T> record : records) {
            super.processElement1(record);
        }
    }
}

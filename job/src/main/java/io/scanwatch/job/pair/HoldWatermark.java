package io.scanwatch.job.pair;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Passes records on as they are and holds the watermark back by a fixed time. An operator that keeps records for up
 * to that time in event time (the join's wait) emits them behind its input's watermark; held back, they arrive
 * ahead of it downstream, so no window has closed on them and nothing turns late. The end of input passes as is.
 */
public final class HoldWatermark<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
    private final long holdMillis;

    /** @param holdMillis how far behind its input's watermark the output's stays */
    public HoldWatermark(long holdMillis) {
        this.holdMillis = holdMillis;
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long time = mark.getTimestamp();
        super.processWatermark(
                time == Long.MAX_VALUE || time <= Long.MIN_VALUE + holdMillis
                        ? mark
                        : new Watermark(time - holdMillis));
    }
}

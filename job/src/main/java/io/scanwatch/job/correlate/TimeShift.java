package io.scanwatch.job.correlate;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Moves a stream later in event time by a fixed grace: each record's timestamp and the watermark alike, so that
 * nothing becomes late. A scan is only known when its window closes; logons shifted by the window's length line up
 * after the alert of the scan they followed, even when they began while it was still running.
 */
final class TimeShift<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
    private final long graceMillis;

    TimeShift(long graceMillis) {
        this.graceMillis = graceMillis;
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element.replace(element.getValue(), element.getTimestamp() + graceMillis));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long time = mark.getTimestamp();
        super.processWatermark(time >= Long.MAX_VALUE - graceMillis ? mark : new Watermark(time + graceMillis));
    }
}

package io.scanwatch.job.time;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Hands records and watermarks on as they come, but never idleness: downstream, this way stays active, at its last
 * watermark, while its input is idle.
 *
 * <p>For ways that branch from the same readers of connections and meet again (the detectors at suppression, the
 * join of one-way flows and the readers at the detectors). Such a way is idle only when every one of those readers
 * is, so the others are too, and holding it costs the detectors no progress; where the logons meet the scan alerts,
 * a wait of its own ends the hold. Passed on, idleness let the ways race when the readers came back after a quiet
 * spell: the first to wake brought the new watermark to the meeting while the others were still idle there, and
 * everything they then raised from the same records arrived behind it, late (a stream whose topics had all fallen
 * quiet lost its scan alerts at the correlation, and the logons after them matched nothing).
 */
public final class ActiveWhileIdle<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) {
        // Neither idleness nor its end goes on: downstream, this way stays as it starts, active.
    }
}

package io.scanwatch.job.correlate;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Hands the scan alerts on to the correlation and calls their way idle there once its watermark has stood still for
 * a wait of wall time; the next record or move makes it active again.
 *
 * <p>The detectors' ways never pass idleness on ({@link io.scanwatch.job.time.ActiveWhileIdle}), so while every
 * connection topic is quiet the correlation stays at the scan alerts' last watermark and the logons wait there: a
 * conn topic slower than its logon topic, waking after a lull, still raises its scans before the logons that followed
 * them. Without an end, a connection topic that is down for good would hold every logon since; after the wait, the
 * logons go on alone.
 */
final class WaitForScanAlerts<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
    private final long waitMillis;

    private transient long watermark;
    /** Wall time of the watermark's last move. */
    private transient long moved;

    private transient boolean idle;

    WaitForScanAlerts(long waitMillis) {
        this.waitMillis = waitMillis;
    }

    @Override
    public void open() throws Exception {
        super.open();
        watermark = Long.MIN_VALUE;
        moved = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService().registerTimer(moved + waitMillis, this::check);
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        wake();
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() > watermark) {
            watermark = mark.getTimestamp();
            moved = getProcessingTimeService().getCurrentProcessingTime();
            wake();
        }
        super.processWatermark(mark);
    }

    private void wake() {
        if (idle) {
            idle = false;
            moved = getProcessingTimeService().getCurrentProcessingTime();
            output.emitWatermarkStatus(WatermarkStatus.ACTIVE);
            getProcessingTimeService().registerTimer(moved + waitMillis, this::check);
        }
    }

    /** One check pending at a time while active: it goes idle, or sets the next. */
    private void check(long now) {
        if (now - moved >= waitMillis) {
            idle = true;
            output.emitWatermarkStatus(WatermarkStatus.IDLE);
        } else {
            getProcessingTimeService().registerTimer(moved + waitMillis, this::check);
        }
    }
}

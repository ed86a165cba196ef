package io.scanwatch.job.correlate;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Passes the scan alerts to the correlation as they come, with their watermarks, but never as idle: the correlation's
 * watermark then never runs ahead of the scan alerts on the logons alone.
 *
 * <p>Both inputs come from the same readers: logons by a short way (a map and the time shift), scan alerts by the
 * detectors and suppression. When every input had fallen quiet and one gets records again, the logons' channel
 * brought the new watermark to the correlation while the scan alerts' channel was still idle there, so the scan
 * alerts raised by those records arrived behind it, late, and never matched the logons that followed (a stream whose
 * logon topics were quiet lost every such scan). Held active, that channel keeps the correlation at the scan alerts'
 * last watermark until they catch up. It holds nothing when the job's inputs are quiet: the scan alerts' way carries
 * every reader's watermark, so it is idle only when every reader is, and then no logon comes either.
 */
final class ActiveWhileIdle<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) {
        // Neither idleness nor its end goes on: downstream, this channel stays as it starts, active.
    }
}

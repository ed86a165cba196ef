package io.scanwatch.job.source;

import java.time.Duration;
import java.util.function.Supplier;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;

/**
 * Watermarks of one Kafka partition: its newest event time less the bound, and idle, so that it stops holding back
 * the other partitions, only when it has been quiet for the idleness timeout <em>and</em> is read to its end.
 * Flink's own idleness goes by silence alone: a partition whose leader is down falls silent, is taken for idle, the
 * others move the watermark on, and when it comes back every record it kept is late. Here a partition with records
 * still to read, or whose end cannot be read, holds the watermark until they come. One that never had a record
 * is idle after the timeout, as in Flink.
 */
final class CaughtUpIdleness implements WatermarkGenerator<TelemetryRecord> {
    private final BoundedOutOfOrdernessWatermarks<TelemetryRecord> bounded;
    private final RelativeClock activity;
    private final long idleMillis;
    private final Supplier<PartitionBacklog> backlog;
    private final String topic;

    private int partition = -1;
    private long lastOffset;
    /** When the last record came: on the input's activity clock (it stops while the reader is paused), and the wall. */
    private long lastRecordActivity;

    private long lastRecordWall;

    CaughtUpIdleness(
            Duration bound,
            Duration idleness,
            RelativeClock activity,
            Supplier<PartitionBacklog> backlog,
            String topic) {
        this.bounded = new BoundedOutOfOrdernessWatermarks<>(bound);
        this.topic = topic;
        this.activity = activity;
        this.idleMillis = idleness.toMillis();
        this.backlog = backlog;
        this.lastRecordActivity = activity.relativeTimeMillis();
    }

    @Override
    public void onEvent(TelemetryRecord record, long eventTimestamp, WatermarkOutput output) {
        bounded.onEvent(record, eventTimestamp, output);
        partition = record.partition;
        lastOffset = record.offset;
        lastRecordActivity = activity.relativeTimeMillis();
        lastRecordWall = System.currentTimeMillis();
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        boolean quiet = activity.relativeTimeMillis() - lastRecordActivity >= idleMillis;
        if (quiet && (partition < 0 || backlog.get().caughtUp(topic, partition, lastOffset, lastRecordWall))) {
            output.markIdle();
        } else {
            bounded.onPeriodicEmit(output);
        }
    }
}

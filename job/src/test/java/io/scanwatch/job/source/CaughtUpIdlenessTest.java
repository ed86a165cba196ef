package io.scanwatch.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.testing.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Idleness that knows the partition's end, against a real broker: a quiet partition with records still to read,
 * or whose end cannot be read, holds the watermark; one read to its end is idle.
 */
class CaughtUpIdlenessTest {
    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    private static final Duration IDLENESS = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    /** What the generator said last: a watermark, or idle. */
    private static final class LastSaid implements WatermarkOutput {
        final List<String> said = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            said.add("watermark " + watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            said.add("idle");
        }

        @Override
        public void markActive() {
            said.add("active");
        }

        String last() {
            return said.isEmpty() ? "nothing" : said.get(said.size() - 1);
        }
    }

    private static TelemetryRecord read(long offset) {
        TelemetryRecord record = new TelemetryRecord();
        record.kind = TelemetryRecord.Kind.SKIPPED;
        record.partition = 0;
        record.offset = offset;
        return record;
    }

    private static Properties client(String bootstrap) {
        Properties client = new Properties();
        client.put("bootstrap.servers", bootstrap);
        return client;
    }

    /** Waits for what the background poller does, under a deadline; never for a fixed time. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited a minute").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aQuietPartitionHoldsTheWatermarkUntilItIsReadToItsEnd() throws Exception {
        KAFKA.createTopic("backlog", 1);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add("line " + i);
        }
        KAFKA.produce("backlog", lines, 1);
        Properties client = client(KAFKA.bootstrapServers());
        ManualClock clock = new ManualClock();
        CaughtUpIdleness generator = new CaughtUpIdleness(
                Duration.ofSeconds(5), IDLENESS, clock, () -> PartitionBacklog.of(client, POLL), "backlog");
        LastSaid output = new LastSaid();

        for (long offset = 0; offset < 5; offset++) {
            generator.onEvent(read(offset), 1_000_000 + offset, output);
        }
        long lastRead = System.currentTimeMillis();
        clock.advanceTime(IDLENESS);
        generator.onPeriodicEmit(output);
        await(() -> PartitionBacklog.of(client, POLL).readAfter("backlog", 0, lastRead));
        generator.onPeriodicEmit(output);
        assertThat(output.last())
                .as("quiet for the idleness timeout, but five records are still to read")
                .isEqualTo("watermark " + (1_000_004 - 5_000 - 1));

        for (long offset = 5; offset < 10; offset++) {
            generator.onEvent(read(offset), 1_000_000 + offset, output);
        }
        clock.advanceTime(IDLENESS);
        await(() -> {
            generator.onPeriodicEmit(output);
            return output.last().equals("idle");
        });
    }

    @Test
    void aPartitionWhoseEndCannotBeReadHoldsTheWatermark() throws Exception {
        Properties client = client("127.0.0.1:1");
        client.put("request.timeout.ms", "500");
        client.put("default.api.timeout.ms", "1000");
        ManualClock clock = new ManualClock();
        CaughtUpIdleness generator = new CaughtUpIdleness(
                Duration.ofSeconds(5), IDLENESS, clock, () -> PartitionBacklog.of(client, POLL), "unreachable");
        LastSaid output = new LastSaid();
        generator.onEvent(read(41), 2_000_000, output);
        clock.advanceTime(IDLENESS);
        generator.onPeriodicEmit(output);
        long asked = PartitionBacklog.of(client, POLL).polls();
        await(() -> PartitionBacklog.of(client, POLL).polls() >= asked + 2);
        generator.onPeriodicEmit(output);
        assertThat(output.last()).isEqualTo("watermark " + (2_000_000 - 5_000 - 1));
    }

    @Test
    void aPartitionThatNeverHadARecordIsIdleAfterTheTimeoutAsInFlink() {
        ManualClock clock = new ManualClock();
        CaughtUpIdleness generator = new CaughtUpIdleness(
                Duration.ofSeconds(5),
                IDLENESS,
                clock,
                () -> {
                    throw new AssertionError("no partition to ask about");
                },
                "empty");
        LastSaid output = new LastSaid();
        generator.onPeriodicEmit(output);
        assertThat(output.last()).isNotEqualTo("idle");
        clock.advanceTime(IDLENESS);
        generator.onPeriodicEmit(output);
        assertThat(output.last()).isEqualTo("idle");
    }
}

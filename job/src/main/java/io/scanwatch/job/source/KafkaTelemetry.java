package io.scanwatch.job.source;

import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.config.ScanwatchConfig.KafkaConfig;
import io.scanwatch.job.config.ScanwatchConfig.KafkaInput;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Telemetry topics as sources, one per configured topic with its format. Watermarks are per partition, with
 * idleness so that a quiet partition read to its end never stalls detection, while one with records still to come
 * holds it ({@link CaughtUpIdleness}); offsets are committed when checkpoints complete.
 */
public final class KafkaTelemetry {
    private KafkaTelemetry() {}

    public static List<TelemetryInput> sources(StreamExecutionEnvironment env, ScanwatchConfig config) {
        KafkaConfig kafka = config.kafka();
        List<TelemetryInput> inputs = new ArrayList<>();
        for (KafkaInput input : kafka.inputs()) {
            var builder = KafkaSource.<TelemetryRecord>builder()
                    .setBootstrapServers(kafka.bootstrapServers())
                    .setTopics(input.topic())
                    .setGroupId(kafka.groupId())
                    .setStartingOffsets(startingOffsets(kafka))
                    .setDeserializer(new TelemetryDeserializer(
                            TelemetryFormat.byId(input.format()),
                            config.parsing().in(input.timezone()),
                            config.eventTime().maxAheadOfClock(),
                            new HeaderLookback(
                                    client(kafka),
                                    kafka.headerLookback(),
                                    config.checkpointing().timeout())))
                    .setProperties(kafka.clientProperties());
            if (kafka.bounded()) {
                builder.setBounded(OffsetsInitializer.latest());
            }
            String id = "kafka-" + input.topic();
            inputs.add(new TelemetryInput(
                    id,
                    TelemetryFormat.byId(input.format()),
                    env.fromSource(
                                    builder.build(),
                                    watermarks(kafka, input, config),
                                    "kafka: " + input.topic() + " (" + input.format() + ")")
                            .uid(id)));
        }
        return inputs;
    }

    /**
     * Each partition's watermark trails its newest record by the input's bound; a partition is idle only when quiet
     * for {@code kafka.idleness} and read to its end ({@link CaughtUpIdleness}).
     */
    private static WatermarkStrategy<TelemetryRecord> watermarks(
            KafkaConfig kafka, KafkaInput input, ScanwatchConfig config) {
        Duration bound = input.bound(config.eventTime());
        Duration idleness = kafka.idleness();
        String topic = input.topic();
        Properties client = client(kafka);
        // Fresh enough that a partition quiet for the idleness timeout is judged on a reading taken after its
        // last record, and rare enough to cost the brokers nothing.
        Duration poll = Duration.ofMillis(Math.max(200, Math.min(5_000, idleness.toMillis() / 3)));
        return WatermarkStrategy.<TelemetryRecord>forGenerator(context -> new CaughtUpIdleness(
                        bound,
                        idleness,
                        context.getInputActivityClock(),
                        () -> PartitionBacklog.of(client, poll),
                        topic))
                .withTimestampAssigner((record, previous) -> record.eventTime());
    }

    /** The properties of a client of scanwatch's own beside the source's: the brokers and the configured ones. */
    private static Properties client(KafkaConfig kafka) {
        Properties client = kafka.clientProperties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        return client;
    }

    private static OffsetsInitializer startingOffsets(KafkaConfig kafka) {
        switch (kafka.startingOffsets()) {
            case EARLIEST:
                return OffsetsInitializer.earliest();
            case LATEST:
                return OffsetsInitializer.latest();
            default:
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        }
    }
}

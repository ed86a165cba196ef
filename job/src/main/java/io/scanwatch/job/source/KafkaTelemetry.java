package io.scanwatch.job.source;

import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.config.ScanwatchConfig.KafkaConfig;
import io.scanwatch.job.config.ScanwatchConfig.KafkaInput;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Telemetry topics as sources, one per configured topic with its format. Watermarks are per partition, with
 * idleness so that a quiet partition never stalls detection; offsets are committed when checkpoints complete.
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
                    .setDeserializer(new TelemetryDeserializer(TelemetryFormat.byId(input.format()), config.parsing()))
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
                                    TelemetrySources.watermarks(input.bound(config.eventTime()))
                                            .withIdleness(kafka.idleness()),
                                    "kafka: " + input.topic() + " (" + input.format() + ")")
                            .uid(id)));
        }
        return inputs;
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

package io.scanwatch.job.source;

import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.config.ScanwatchConfig.KafkaConfig;
import io.scanwatch.job.model.ControlRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The control records: a file read once (a replay's changes, each with its time) and/or a compacted Kafka topic,
 * always read from its start, so that a job without a checkpoint begins with the newest change of each key.
 *
 * <p>Their watermark holds the operators that apply changes until the changes there are at start have been read
 * (the file to its end, the topic to the end offsets it had), then steps aside for good: a change applies by its own
 * time, never by when it arrived, so later records need no watermark.
 */
public final class ControlSources {
    private ControlSources() {}

    /** The configured control inputs, or null when there are none. */
    public static DataStream<ControlRecord> of(StreamExecutionEnvironment env, ScanwatchConfig config) {
        DataStream<ControlRecord> records = null;
        String file = config.control().file();
        if (!file.isBlank()) {
            String origin = "file " + file;
            records = env.fromSource(
                            FileSource.forRecordStreamFormat(
                                            new TextLineInputFormat(),
                                            new org.apache.flink.core.fs.Path(java.nio.file.Path.of(file)
                                                    .toAbsolutePath()
                                                    .toUri()))
                                    .build(),
                            WatermarkStrategy.noWatermarks(),
                            "control: " + file)
                    .uid("control-file")
                    .setParallelism(1)
                    .map(line -> ControlRecord.of(line, origin, Long.MIN_VALUE))
                    .name("control lines")
                    .setParallelism(1);
        }
        String topic = config.control().kafkaTopic();
        if (!topic.isBlank()) {
            KafkaConfig kafka = config.kafka();
            var source = KafkaSource.<ControlRecord>builder()
                    .setBootstrapServers(kafka.bootstrapServers())
                    .setTopics(topic)
                    .setGroupId(kafka.groupId() + "-control")
                    .setStartingOffsets(OffsetsInitializer.earliest())
                    .setDeserializer(new Deserializer())
                    .setProperties(kafka.clientProperties());
            if (kafka.bounded()) {
                // A bounded replay of the telemetry topics reads the changes there are, and ends.
                source.setBounded(OffsetsInitializer.latest());
            }
            DataStream<ControlRecord> fromKafka = env.fromSource(
                            source.build(), readToItsEnd(kafka, topic), "control: kafka " + topic)
                    .uid("control-kafka")
                    .setParallelism(1);
            records = records == null ? fromKafka : records.union(fromKafka);
        }
        return records;
    }

    private static WatermarkStrategy<ControlRecord> readToItsEnd(KafkaConfig kafka, String topic) {
        Properties client = kafka.clientProperties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        Duration idleness = kafka.idleness();
        Duration poll = Duration.ofMillis(Math.max(200, Math.min(5_000, idleness.toMillis() / 3)));
        return WatermarkStrategy.<ControlRecord>forGenerator(context ->
                        new ReadToItsEnd(idleness.toMillis(), () -> PartitionBacklog.of(client, poll), topic))
                .withTimestampAssigner((record, previous) -> record.written);
    }

    /**
     * No watermark until the partition is read to its end (or, never having had a record, has been quiet for the
     * idleness timeout), then the final one.
     */
    static final class ReadToItsEnd implements WatermarkGenerator<ControlRecord> {
        private final long idleMillis;
        private final java.util.function.Supplier<PartitionBacklog> backlog;
        private final String topic;
        private final long started = System.currentTimeMillis();
        private int partition = -1;
        private long lastOffset;
        private long lastRecordWall;
        private boolean open;

        ReadToItsEnd(long idleMillis, java.util.function.Supplier<PartitionBacklog> backlog, String topic) {
            this.idleMillis = idleMillis;
            this.backlog = backlog;
            this.topic = topic;
        }

        @Override
        public void onEvent(ControlRecord record, long eventTimestamp, WatermarkOutput output) {
            partition = record.partition;
            lastOffset = record.offset;
            lastRecordWall = System.currentTimeMillis();
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            if (!open) {
                open = partition < 0
                        ? System.currentTimeMillis() - started >= idleMillis
                        : backlog.get().caughtUp(topic, partition, lastOffset, lastRecordWall);
            }
            if (open) {
                output.emitWatermark(new Watermark(Long.MAX_VALUE));
            }
        }
    }

    /** A record's text, its place ({@code topic/partition@offset}) and its Kafka time. */
    static final class Deserializer implements KafkaRecordDeserializationSchema<ControlRecord> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ControlRecord> out) {
            String text = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
            ControlRecord read = ControlRecord.of(
                    text, record.topic() + "/" + record.partition() + "@" + record.offset(), record.timestamp());
            read.partition = record.partition();
            read.offset = record.offset();
            out.collect(read);
        }

        @Override
        public TypeInformation<ControlRecord> getProducedType() {
            return TypeInformation.of(ControlRecord.class);
        }
    }
}

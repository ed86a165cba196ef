package io.scanwatch.job.source;

import io.scanwatch.job.config.ConfigException;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.config.ScanwatchConfig.KafkaConfig;
import io.scanwatch.job.model.ControlRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The control records: a file read once (a replay's changes, each with its time) and/or a compacted Kafka topic,
 * always read from its start, so that a job without a checkpoint begins with the newest change of each key.
 *
 * <p>Their watermark holds the operators that apply changes until the changes there are at start have been read
 * (the file to its end, the topic to the end offsets it had), then steps aside for good: a change applies by its own
 * time, never by when it arrived, so later records need no watermark.
 */
public final class ControlSources {
    /** How long the control topic's brokers may take to describe it, and to let the client go. */
    private static final int DESCRIBE_TIMEOUT_MS = 30_000;

    private ControlSources() {}

    /** The configured control inputs, or null when there are none. */
    public static DataStream<ControlRecord> of(StreamExecutionEnvironment env, ScanwatchConfig config) {
        DataStream<ControlRecord> records = null;
        String file = config.control().file();
        if (!file.isBlank()) {
            boolean watch = watched(config);
            var source = FileSource.forBulkFileFormat(
                    new ControlFileFormat(watch),
                    new org.apache.flink.core.fs.Path(
                            java.nio.file.Path.of(file).toAbsolutePath().toUri()));
            if (watch) {
                source.monitorContinuously(config.control().watchInterval());
            }
            DataStream<ControlRecord> lines = env.fromSource(
                            source.build(), WatermarkStrategy.noWatermarks(), "control: " + file)
                    .uid("control-file")
                    .setParallelism(1);
            // A file ends, and with it its watermark holds nothing; a watched directory never does.
            records = watch
                    ? lines.assignTimestampsAndWatermarks(
                                    // The first scan of the directory comes one interval after the start.
                                    readToItsEnd(
                                            config.control().watchInterval().multipliedBy(3), null, ""))
                            .name("control changes read at start")
                            .setParallelism(1)
                    : lines;
        }
        String topic = config.control().kafkaTopic();
        if (!topic.isBlank()) {
            KafkaConfig kafka = config.kafka();
            requireTopic(kafka, topic);
            var source = KafkaSource.<ControlRecord>builder()
                    .setBootstrapServers(kafka.bootstrapServers())
                    .setTopics(topic)
                    .setGroupId(kafka.groupId() + "-control")
                    .setStartingOffsets(OffsetsInitializer.earliest())
                    .setDeserializer(new Deserializer())
                    .setProperties(kafka.clientProperties());
            if (!kafka.unbounded()) {
                // A bounded replay (of topics or of files) reads the changes there are, and ends.
                source.setBounded(OffsetsInitializer.latest());
            }
            DataStream<ControlRecord> fromKafka = env.fromSource(
                            source.build(),
                            readToItsEnd(kafka.idleness(), backlog(kafka), topic),
                            "control: kafka " + topic)
                    .uid("control-kafka")
                    .setParallelism(1);
            records = records == null ? fromKafka : records.union(fromKafka);
        }
        return records;
    }

    /**
     * A directory is watched, new files read as they appear, when the telemetry is an unbounded stream; a file,
     * or any control input of a bounded run, is read once.
     */
    private static boolean watched(ScanwatchConfig config) {
        return config.kafka().unbounded()
                && java.nio.file.Files.isDirectory(
                        java.nio.file.Path.of(config.control().file()));
    }

    /**
     * A control topic that does not exist would fail the Kafka source's discovery, and with it every restart of the
     * job: it is checked at start, and the message says how to make it.
     */
    private static void requireTopic(KafkaConfig kafka, String topic) {
        Properties client = kafka.clientProperties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        Admin admin = Admin.create(client);
        try {
            admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(DESCRIBE_TIMEOUT_MS))
                    .allTopicNames()
                    .get();
        } catch (ExecutionException e) {
            throw new ConfigException(
                    e.getCause() instanceof UnknownTopicOrPartitionException
                            ? "control.kafka-topic: topic " + topic + " does not exist on " + kafka.bootstrapServers()
                                    + "; create it with one partition and cleanup.policy=compact"
                            : "control.kafka-topic: cannot describe topic " + topic + " on " + kafka.bootstrapServers()
                                    + " (" + e.getCause() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("control.kafka-topic: interrupted while checking topic " + topic);
        } finally {
            // Bounded, as the preflight's: a broker that never answers must not hold the start for ever.
            admin.close(Duration.ofMillis(DESCRIBE_TIMEOUT_MS));
        }
    }

    /** Where the end offsets come from, on the TaskManager that reads the partition. */
    interface Backlog extends Supplier<PartitionBacklog>, java.io.Serializable {}

    private static Backlog backlog(KafkaConfig kafka) {
        Properties client = kafka.clientProperties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        Duration idleness = kafka.idleness();
        Duration poll = Duration.ofMillis(Math.max(200, Math.min(5_000, idleness.toMillis() / 3)));
        return () -> PartitionBacklog.of(client, poll);
    }

    /** @param backlog the end offsets of Kafka partitions; null for a watched directory */
    private static WatermarkStrategy<ControlRecord> readToItsEnd(Duration quiet, Backlog backlog, String topic) {
        long quietMillis = quiet.toMillis();
        return WatermarkStrategy.<ControlRecord>forGenerator(context -> new ReadToItsEnd(quietMillis, backlog, topic))
                .withTimestampAssigner((record, previous) -> record.written);
    }

    /**
     * No watermark until the changes there are at start have been read, then the final one: a Kafka partition once
     * read to its end offset; a watched directory once quiet for the given time. A Kafka output that never had a
     * record (an empty partition, or the reader's main output, which Kafka records never reach) turns idle after
     * the quiet time instead, so that it stops holding the others without speaking for them.
     */
    static final class ReadToItsEnd implements WatermarkGenerator<ControlRecord> {
        private final long idleMillis;
        private final Supplier<PartitionBacklog> backlog;
        private final String topic;
        private final long started = System.currentTimeMillis();
        private int partition = -1;
        private long lastOffset;
        private long lastRecordWall;
        private boolean open;

        ReadToItsEnd(long idleMillis, Supplier<PartitionBacklog> backlog, String topic) {
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
            boolean quiet = System.currentTimeMillis() - Math.max(started, lastRecordWall) >= idleMillis;
            if (backlog != null && partition < 0) {
                if (quiet) {
                    output.markIdle();
                }
                return;
            }
            if (!open) {
                open = backlog == null ? quiet : backlog.get().caughtUp(topic, partition, lastOffset, lastRecordWall);
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

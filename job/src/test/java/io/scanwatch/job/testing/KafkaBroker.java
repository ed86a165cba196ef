package io.scanwatch.job.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka 4.2 broker in KRaft mode (one combined broker and controller) in the test JVM, for the test class.
 * Internal topics are sized for one broker, and transactions may stay open as long as Flink's producers ask.
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> settings;
    private KafkaClusterTestKit cluster;

    public KafkaBroker() {
        this(Map.of());
    }

    /** @param settings broker settings beside the defaults, e.g. {@code auto.create.topics.enable=false} */
    public KafkaBroker(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp(
                        "transaction.max.timeout.ms",
                        String.valueOf(Duration.ofHours(1).toMillis()))
                .setConfigProp("group.initial.rebalance.delay.ms", "0");
        settings.forEach(builder::setConfigProp);
        cluster = builder.build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** The KRaft controller's listener: a port that answers, but no broker's requests. */
    public String controllers() {
        return cluster.bootstrapControllers();
    }

    public void createTopic(String name, int partitions) throws Exception {
        createTopic(name, partitions, Map.of());
    }

    /** @param configs topic settings, e.g. {@code cleanup.policy=compact} */
    public void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                    .all()
                    .get();
        }
    }

    /** The topics the broker holds. */
    public java.util.Set<String> topics() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            return admin.listTopics().names().get();
        }
    }

    /** Sets a consumer group's committed offset, as a job that read the partition up to there leaves it. */
    public void commit(String group, String topic, int partition, long offset) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.alterConsumerGroupOffsets(
                            group, Map.of(new TopicPartition(topic, partition), new OffsetAndMetadata(offset)))
                    .all()
                    .get();
        }
    }

    /** Sends the values, in order, under one key (to one partition), and waits for the acks. */
    public void produceKeyed(String topic, String key, List<String> values) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
        props.put("acks", "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, key, value)).get();
            }
        }
    }

    /** Sends the lines as one record each, spread over the partitions by line number, and waits for the acks. */
    public void produce(String topic, List<String> lines, int partitions) throws Exception {
        produceFrom(topic, lines, partitions, 0);
    }

    /** The same from line {@code first} on: the rest of a send, each line to the partition it would have had. */
    public void produceFrom(String topic, List<String> lines, int partitions, int first) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
        props.put("acks", "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = first; i < lines.size(); i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, null, lines.get(i)));
            }
            producer.flush();
        }
    }

    /**
     * Every committed record of the topic, read from the beginning to the end offsets a read_committed consumer
     * sees (the last stable offsets): records of open or aborted transactions are never returned.
     */
    public List<ConsumerRecord<String, String>> readCommitted(String topic) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = committedFromTheStart(topic)) {
            Set<TopicPartition> partitions = consumer.assignment();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
            }
        }
        return records;
    }

    /** The values of the topic's committed records ({@link #readCommitted}), as JSON. */
    public List<JsonNode> readCommittedJson(String topic) {
        List<JsonNode> values = new ArrayList<>();
        readCommitted(topic).forEach(record -> values.add(json(record)));
        return values;
    }

    /** {@link #awaitCommitted(String, Predicate, Duration, BooleanSupplier)} for as long as it takes, up to {@code within}. */
    public List<JsonNode> awaitCommitted(String topic, Predicate<List<JsonNode>> enough, Duration within) {
        return awaitCommitted(topic, enough, within, () -> true);
    }

    /**
     * The values of the topic's committed records as JSON, once {@code enough} holds for all read so far: read from
     * the beginning by one read_committed consumer, which waits for the next records (a second a poll at most)
     * rather than reading the topic anew in a loop, each time with a new consumer. Returns what it read when {@code
     * within} has passed or {@code going} says that no more will come (a job that ended), for the caller's
     * assertions to say what is missing. The topic must exist: create it before the job that writes it starts.
     */
    public List<JsonNode> awaitCommitted(
            String topic, Predicate<List<JsonNode>> enough, Duration within, BooleanSupplier going) {
        Instant deadline = Instant.now().plus(within);
        List<JsonNode> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = committedFromTheStart(topic)) {
            if (consumer.assignment().isEmpty()) {
                throw new IllegalStateException("no topic " + topic + " to await records on: create it first");
            }
            while (!enough.test(values) && Instant.now().isBefore(deadline) && going.getAsBoolean()) {
                consumer.poll(Duration.ofSeconds(1)).forEach(record -> values.add(json(record)));
            }
        }
        return values;
    }

    private KafkaConsumer<String, String> committedFromTheStart(String topic) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            // A topic not yet created has no partitions: nothing to read.
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return consumer;
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    private static JsonNode json(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("not JSON at offset " + record.offset() + ": " + record.value(), e);
        }
    }
}

package io.scanwatch.job.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.testing.KafkaBroker;
import io.scanwatch.job.testing.StreamingJob;
import io.scanwatch.job.testing.ZeekLines;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How soon an alert leaves after the probes that justify it, in a live stream: Zeek records produced to a real
 * Kafka broker as the connections happen (event time is the wall clock), the whole job on an embedded cluster
 * reading them, at-least-once alerts read back from their topic. Busy clients keep the watermark moving; once a
 * warm-up sweeper's alerts show the job is live, a few sweepers each probe a new host every half second. For each sweeper: how many probes and seconds from its first
 * probe until the random walk's alert and until the first windowed alert, and the processing-time latency from
 * producing the deciding probe (the walk) or the end of the window (windowed rules) to the alert arriving.
 *
 * <pre>./mvnw -q -B -pl job test-compile exec:exec -Dbench.main=io.scanwatch.job.bench.AlertLatencyBench \
 *     -Dbench.args="[event-time bound, e.g. 5s] [sweepers]"</pre>
 */
public final class AlertLatencyBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PROBE_EVERY_MILLIS = 500;

    private static final int PROBES_PER_SWEEPER = 100;

    private AlertLatencyBench() {}

    /** One sweeper: when it begins probing (wall clock; not yet: MAX_VALUE) and when each probe was produced. */
    private record Sweeper(String address, AtomicLong begins, List<Long> probes) {
        Sweeper(String address) {
            this(address, new AtomicLong(Long.MAX_VALUE), new CopyOnWriteArrayList<>());
        }
    }

    private record Options(String bound, int sweepers) {}

    public static void main(String[] args) throws Exception {
        Options options = BenchArguments.read(
                "AlertLatencyBench [the event-time bound, a duration; 5s] [sweepers, 1 to 100; 4]",
                2,
                args,
                arguments -> new Options(
                        arguments.duration(0, "the bound", "5s"), (int) arguments.number(1, "sweepers", 4, 1, 100)));
        String bound = options.bound();
        int sweepers = options.sweepers();
        KafkaBroker kafka = new KafkaBroker();
        kafka.beforeAll(null);
        try {
            kafka.createTopic("conn", 1);
            kafka.createTopic("alerts", 1);
            ScanwatchConfig config = Detectors.configLoader()
                    .load(
                            null,
                            Map.of(
                                    "network.internal-cidrs", "[10.0.0.0/8]",
                                    "kafka.bootstrap-servers", kafka.bootstrapServers(),
                                    "kafka.inputs",
                                            "[{topic: conn, format: zeek-conn, max-out-of-orderness: " + bound + "}]",
                                    "kafka.starting-offsets", "earliest",
                                    "kafka.alerts-topic", "alerts",
                                    "kafka.dead-letters-topic", "",
                                    "kafka.delivery", "at-least-once",
                                    "trw-scan.enabled", "true"));
            JobClient job = StreamingJob.start(config, 2, null, "scanwatch alert latency");

            Map<String, JsonNode> firstAlerts = new ConcurrentHashMap<>();
            Map<String, Long> arrivals = new ConcurrentHashMap<>();
            Thread reader = new Thread(() -> readAlerts(kafka.bootstrapServers(), firstAlerts, arrivals));
            reader.setDaemon(true);
            reader.start();

            // The job starts and catches up while a warm-up sweeper probes; its alert says the pipeline is live.
            Sweeper warmUp = new Sweeper("198.51.100.9");
            warmUp.begins().set(System.currentTimeMillis());
            List<Sweeper> swept = new ArrayList<>();
            for (int i = 0; i < sweepers; i++) {
                swept.add(new Sweeper("198.51.100." + (10 + i)));
            }
            List<Sweeper> all = new ArrayList<>(swept);
            all.add(warmUp);
            AtomicBoolean producing = new AtomicBoolean(true);
            Thread writer = new Thread(() -> produce(kafka.bootstrapServers(), all, producing));
            writer.start();
            long deadline = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
            awaitAlerts(List.of(warmUp), firstAlerts, deadline);
            long measured = System.currentTimeMillis();
            for (int i = 0; i < swept.size(); i++) {
                swept.get(i).begins().set(measured + i * 3_000L);
            }
            awaitAlerts(swept, firstAlerts, deadline);
            producing.set(false);
            writer.join();
            job.cancel().get();
            report(bound, swept, firstAlerts, arrivals);
        } finally {
            kafka.afterAll(null);
        }
    }

    /**
     * Produces live traffic until told to stop: busy web clients throughout (they move the watermark, as a live
     * sensor's traffic does), and each sweeper, from when it begins, probing a new host.
     */
    private static void produce(String bootstrap, List<Sweeper> swept, AtomicBoolean producing) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("linger.ms", "0");
        Random random = new Random(11);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            long tick = System.currentTimeMillis();
            while (producing.get()) {
                long now = System.currentTimeMillis();
                for (int c = 0; c < 5; c++) {
                    String client = "10.1." + random.nextInt(4) + "." + random.nextInt(250);
                    String server = "203.0.113." + random.nextInt(250);
                    producer.send(new ProducerRecord<>("conn", ZeekLines.connection(now, client, server, 443, true)));
                }
                for (int i = 0; i < swept.size(); i++) {
                    Sweeper sweeper = swept.get(i);
                    long begins = sweeper.begins().get();
                    int probes = sweeper.probes().size();
                    if (now >= begins && probes < PROBES_PER_SWEEPER && (now - begins) / PROBE_EVERY_MILLIS >= probes) {
                        String target = "10.2.0." + (1 + probes);
                        producer.send(new ProducerRecord<>(
                                "conn", ZeekLines.connection(now, sweeper.address(), target, 22, false)));
                        sweeper.probes().add(now);
                    }
                }
                producer.flush();
                tick += 100;
                long pause = tick - System.currentTimeMillis();
                if (pause > 0) {
                    Thread.sleep(pause); // pacing live traffic, not synchronisation
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void readAlerts(String bootstrap, Map<String, JsonNode> firstAlerts, Map<String, Long> arrivals) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("group.id", "latency-bench");
        props.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("alerts"));
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    long arrived = System.currentTimeMillis();
                    JsonNode alert = JSON.readTree(record.value());
                    String kind = alert.at("/rule/name").asText().equals("trw_scan") ? "walk" : "windowed";
                    String key = alert.at("/source/ip").asText() + " " + kind;
                    if (firstAlerts.putIfAbsent(key, alert) == null) {
                        arrivals.put(key, arrived);
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitAlerts(List<Sweeper> sweepers, Map<String, JsonNode> firstAlerts, long deadline)
            throws InterruptedException {
        while (System.currentTimeMillis() < deadline
                && !sweepers.stream()
                        .allMatch(s -> firstAlerts.containsKey(s.address() + " walk")
                                && firstAlerts.containsKey(s.address() + " windowed"))) {
            Thread.sleep(200); // polling the reader's map: the wait ends on alerts, the deadline only caps it
        }
    }

    private static void report(
            String bound, List<Sweeper> swept, Map<String, JsonNode> firstAlerts, Map<String, Long> arrivals) {
        System.out.printf(
                "alert latency, live stream through Kafka: event-time bound %s, a probe every %d ms per sweeper, "
                        + "%d cores, load %s%n",
                bound, PROBE_EVERY_MILLIS, Runtime.getRuntime().availableProcessors(), ThroughputBench.load());
        Map<String, String> rows = new TreeMap<>();
        for (Sweeper sweeper : swept) {
            if (sweeper.probes().isEmpty()) {
                // The deadline passed before its turn came: the job was not live in time.
                rows.put(sweeper.address(), "no probe sent before the deadline");
                continue;
            }
            long first = sweeper.probes().get(0);
            JsonNode walk = firstAlerts.get(sweeper.address() + " walk");
            JsonNode windowed = firstAlerts.get(sweeper.address() + " windowed");
            StringBuilder row = new StringBuilder();
            if (walk == null) {
                row.append("walk: none");
            } else {
                int deciding = walk.at("/scanwatch/walk/first_contacts").asInt();
                long produced = sweeper.probes().get(deciding - 1);
                row.append(String.format(
                        Locale.ROOT,
                        "walk: %d probes, %.1f s after the first; deciding probe to alert %d ms",
                        deciding,
                        (produced - first) / 1000.0,
                        arrivals.get(sweeper.address() + " walk") - produced));
            }
            if (windowed == null) {
                row.append(" | windowed: none");
            } else {
                long windowEnd = Instant.parse(
                                windowed.at("/scanwatch/window/end").asText())
                        .toEpochMilli();
                long arrived = arrivals.get(sweeper.address() + " windowed");
                row.append(String.format(
                        Locale.ROOT,
                        " | windowed (%s %s): %.1f s after the first probe; window end to alert %d ms",
                        windowed.at("/rule/name").asText(),
                        windowed.at("/scanwatch/window/kind").asText(),
                        (arrived - first) / 1000.0,
                        arrived - windowEnd));
            }
            rows.put(sweeper.address(), row.toString());
        }
        rows.forEach((source, row) -> System.out.println("  " + source + "  " + row));
    }
}

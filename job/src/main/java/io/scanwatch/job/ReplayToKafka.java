package io.scanwatch.job;

import io.scanwatch.job.source.InputSpec;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Replays telemetry files into a Kafka topic, one record per line, in event-time order (records without a time
 * keep their place after the record before them), optionally at a given rate: the producing side of demos and
 * tests.
 *
 * <pre>java -cp scanwatch-standalone.jar io.scanwatch.job.ReplayToKafka --bootstrap localhost:9092
 *     --topic zeek-conn --input zeek-conn=conn.log [--input ...] [--rate 50000]</pre>
 */
public final class ReplayToKafka {
    private static final long PACING_STEP_NANOS = 10_000_000;

    private record Line(long time, int order, String text) {}

    private ReplayToKafka() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = null;
        String topic = null;
        long rate = 0;
        List<InputSpec> inputs = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = args[i + 1];
                case "--topic" -> topic = args[i + 1];
                case "--rate" -> rate = Long.parseLong(args[i + 1]);
                case "--input" -> inputs.add(InputSpec.parse(args[i + 1]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (bootstrap == null || topic == null || inputs.isEmpty() || args.length % 2 != 0) {
            System.err.println(
                    "usage: ReplayToKafka --bootstrap HOST:PORT --topic TOPIC --input FORMAT=PATH [...] [--rate N]");
            System.exit(2);
        }
        List<Line> lines = read(inputs);
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("acks", "all");
        props.put("linger.ms", "20");
        long start;
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.partitionsFor(topic);
            start = System.nanoTime();
            for (int i = 0; i < lines.size(); i++) {
                producer.send(new ProducerRecord<>(topic, lines.get(i).text()));
                if (rate > 0) {
                    // Pacing, not synchronisation: hold the configured rate, in steps the OS timer can keep.
                    long ahead = start + (i + 1) * 1_000_000_000L / rate - System.nanoTime();
                    if (ahead > PACING_STEP_NANOS) {
                        Thread.sleep(ahead / 1_000_000);
                    }
                }
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf(
                "replayed %,d records to %s in %.1f s (%,.0f records/s)%n",
                lines.size(), topic, seconds, lines.size() / Math.max(seconds, 1e-3));
    }

    private static List<Line> read(List<InputSpec> inputs) throws Exception {
        List<Line> lines = new ArrayList<>();
        ParseOptions options = new ParseOptions(ZoneOffset.UTC, 0, Instant.now());
        for (InputSpec input : inputs) {
            for (Path file : input.resolveFiles()) {
                LineParser parser = input.format().newParser(options);
                long time = Long.MIN_VALUE;
                for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    ParsedLine parsed = parser.parse(text);
                    if (parsed.kind() == ParsedLine.Kind.CONNECTION) {
                        time = parsed.connection().timestamp;
                    } else if (parsed.kind() == ParsedLine.Kind.AUTHENTICATION) {
                        time = parsed.authentication().timestamp;
                    }
                    lines.add(new Line(time, lines.size(), text));
                }
            }
        }
        lines.sort(Comparator.comparingLong(Line::time).thenComparingInt(Line::order));
        return lines;
    }
}

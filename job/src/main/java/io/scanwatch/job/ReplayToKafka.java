package io.scanwatch.job;

import io.scanwatch.job.source.InputFile;
import io.scanwatch.job.source.InputSpec;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Replays telemetry files into a Kafka topic, one record per line, in event-time order (records without a time
 * keep their place after the record before them), optionally at a given rate: the producing side of demos and
 * tests.
 *
 * <pre>java -jar scanwatch-standalone.jar replay-to-kafka --bootstrap localhost:9092
 *     --topic zeek-conn --input zeek-conn=conn.log [--input ...] [--rate 50000]</pre>
 */
@Command(
        name = "replay-to-kafka",
        mixinStandardHelpOptions = true,
        description = "Sends telemetry files to a Kafka topic in event-time order, optionally at a rate: a capture"
                + " replayed as a live feed for the streaming job.")
public final class ReplayToKafka implements Callable<Integer> {
    private static final long PACING_STEP_NANOS = 10_000_000;

    private record Line(long time, int order, String text) {}

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "the Kafka brokers")
    String bootstrap;

    @Option(names = "--topic", required = true, description = "the topic to write the records to")
    String topic;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "FORMAT=PATH",
            converter = JobArguments.InputConverter.class,
            description = "telemetry to send; PATH may be a glob")
    List<InputSpec> inputs = new ArrayList<>();

    @Option(names = "--rate", paramLabel = "N", description = "records per second (default, or 0: as fast as possible)")
    long rate;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (rate < 0) {
            throw new ParameterException(
                    spec.commandLine(), "--rate takes records per second (0 or more), got " + rate);
        }
        List<Line> lines = read(inputs);
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("acks", "all");
        props.put("linger.ms", "20");
        // A broker that cannot be reached is reported after 15 s rather than a minute of retries.
        props.put("max.block.ms", "15000");
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
        } catch (KafkaException e) {
            System.err.println("scanwatch: cannot send to topic " + topic + " at " + bootstrap + ": " + e.getMessage());
            return 1;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf(
                "replayed %,d records to %s in %.1f s (%,.0f records/s)%n",
                lines.size(), topic, seconds, lines.size() / Math.max(seconds, 1e-3));
        return 0;
    }

    private static List<Line> read(List<InputSpec> inputs) throws Exception {
        List<Line> lines = new ArrayList<>();
        ParseOptions options = new ParseOptions(ZoneOffset.UTC, 0, Instant.now());
        for (InputFile input : InputFile.resolve(inputs)) {
            LineParser parser = input.format().newParser(options);
            long time = Long.MIN_VALUE;
            for (String text : Files.readAllLines(input.path(), StandardCharsets.UTF_8)) {
                ParsedLine parsed = parser.parse(text);
                if (parsed.kind() == ParsedLine.Kind.CONNECTION) {
                    time = parsed.connection().timestamp;
                } else if (parsed.kind() == ParsedLine.Kind.AUTHENTICATION) {
                    time = parsed.authentication().timestamp;
                }
                lines.add(new Line(time, lines.size(), text));
            }
        }
        lines.sort(Comparator.comparingLong(Line::time).thenComparingInt(Line::order));
        return lines;
    }
}

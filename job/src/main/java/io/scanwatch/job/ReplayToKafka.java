package io.scanwatch.job;

import io.scanwatch.job.config.ConfigException;
import io.scanwatch.job.source.BoundedLineReader;
import io.scanwatch.job.source.InputFile;
import io.scanwatch.job.source.InputSpec;
import io.scanwatch.job.source.KafkaPreflight;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.api.common.io.compression.InflaterInputStreamFactory;
import org.apache.flink.connector.file.src.compression.StandardDeCompressors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Replays telemetry files into a Kafka topic, one record per line as the file holds it (decompressed), in event-time
 * order (records without a time keep their place after the record before them), optionally at a given rate: the
 * producing side of demos and tests. Each record is keyed by its file, so that a file's lines keep their order in
 * one partition and a TSV log's header reaches the reader of its rows.
 *
 * <pre>java -jar scanwatch-standalone.jar replay-to-kafka --bootstrap localhost:9092
 *     --topic zeek-conn --input zeek-conn=conn.log [--input ...] [--rate 50000]</pre>
 */
@Command(
        name = "replay-to-kafka",
        mixinStandardHelpOptions = true,
        description = "Sends telemetry files to a Kafka topic in event-time order, optionally at a rate: a capture"
                + " replayed as a live feed for the streaming job.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:every record was sent",
            "1:records were not sent: refused by the brokers, longer than the job takes, or the brokers failed (the"
                    + " reason is printed)",
            "2:the command line or an input is wrong, nothing listens at --bootstrap, or --topic does not exist"
                    + " (nothing was sent)"
        })
public final class ReplayToKafka implements Callable<Integer> {
    private static final long PACING_STEP_NANOS = 10_000_000;
    private static final Duration TOPIC_CHECK = Duration.ofSeconds(15);

    /** A line as the file holds it, keyed by its file so that a file's lines (a TSV header and its rows) share a partition. */
    private record Line(long time, int order, byte[] file, byte[] bytes) {}

    /**
     * What was read: the lines to send, those too long for the job to take, and the Zeek TSV header lines that say how
     * rows read (separators, markers, path, fields) of each file that has them.
     */
    private record Read(List<Line> lines, long tooLong, Map<Path, List<String>> headers) {}

    /** The header lines that change how a Zeek TSV row reads: two files alike in them can share a partition. */
    private static final List<String> LAYOUT =
            List.of("#separator", "#set_separator", "#empty_field", "#unset_field", "#path", "#fields");

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "the Kafka brokers")
    String bootstrap;

    @Option(names = "--topic", required = true, description = "the topic to write the records to")
    String topic;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "FORMAT[@ZONE]=PATH",
            converter = JobArguments.InputConverter.class,
            description = "telemetry to send; PATH may be a glob. ZONE, for formats whose times may carry none, is"
                    + " that of the file's times, by which its lines are put in order (default UTC); lines are sent"
                    + " as they are, so the job reading the topic names that zone (timezone: in kafka.inputs)")
    List<InputSpec> inputs = new ArrayList<>();

    @Option(names = "--rate", paramLabel = "N", description = "records per second (default, or 0: as fast as possible)")
    long rate;

    @Spec
    CommandSpec spec;

    /** Where it reports: the command line's standard error. */
    PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        if (rate < 0) {
            throw new ParameterException(
                    spec.commandLine(), "--rate takes records per second (0 or more), got " + rate);
        }
        String mixed = zonesMixed(inputs);
        if (mixed != null) {
            throw new ParameterException(spec.commandLine(), mixed);
        }
        Read read = read(inputs);
        try {
            KafkaPreflight.refuseClosedPorts(bootstrap, "--bootstrap");
            KafkaPreflight.requireTopic(bootstrap, topic, "--topic", TOPIC_CHECK);
        } catch (ConfigException e) {
            // Refused before anything is sent, as the job's start refuses it.
            err.println("scanwatch: " + e.getMessage());
            return 2;
        }
        List<Line> lines = read.lines();
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("acks", "all");
        props.put("linger.ms", "20");
        // A broker that cannot be reached is reported after 15 s rather than a minute of retries.
        props.put("max.block.ms", "15000");
        long start;
        LongAdder unsent = new LongAdder();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            String shared = tsvSharingAPartition(
                    read.headers(), producer.partitionsFor(topic).size());
            if (shared != null) {
                err.println("scanwatch: " + shared);
                return 2;
            }
            start = System.nanoTime();
            for (int i = 0; i < lines.size(); i++) {
                Line line = lines.get(i);
                producer.send(new ProducerRecord<>(topic, line.file(), line.bytes()), (metadata, failure) -> {
                    if (failure != null) {
                        unsent.increment();
                        firstFailure.compareAndSet(null, failure);
                    }
                });
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
            // "Failed to construct kafka producer" says nothing of why: the root cause does (a name that does not
            // resolve, a port out of range).
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            err.println("scanwatch: cannot send to topic " + topic + " at " + bootstrap + ": " + e.getMessage()
                    + (cause == e ? "" : " (" + cause.getMessage() + ")"));
            return 1;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long sent = lines.size() - unsent.sum();
        err.printf(
                "replayed %,d records to %s in %.1f s (%,.0f records/s)%n",
                sent, topic, seconds, sent / Math.max(seconds, 1e-3));
        if (read.tooLong() > 0) {
            err.printf(
                    "scanwatch: %,d lines longer than %,d bytes not sent (the job takes no longer line: a file"
                            + " replay makes each a dead letter)%n",
                    read.tooLong(), BoundedLineReader.TELEMETRY_LINE_BYTES);
        }
        if (unsent.sum() > 0) {
            err.printf(
                    "scanwatch: %,d of %,d records were not sent to %s: %s%n",
                    unsent.sum(), lines.size(), topic, firstFailure.get().getMessage());
            return 1;
        }
        return read.tooLong() > 0 ? 1 : 0;
    }

    /**
     * Two inputs whose times without a zone are in different zones, said so; null when all share one. Lines are sent
     * as they are, and a job reads a topic's in one zone (its {@code timezone} in {@code kafka.inputs}).
     */
    static String zonesMixed(List<InputSpec> inputs) {
        InputSpec first = null;
        for (InputSpec input : inputs) {
            if (!input.format().readsLocalTimes()) {
                continue;
            }
            if (first == null) {
                first = input;
            } else if (!rules(first).equals(rules(input))) {
                return first.argument() + " and " + input.argument() + " send times of different zones to one topic,"
                        + " which a job reads in one (the topic's timezone in kafka.inputs): send them to topics of"
                        + " their own";
            }
        }
        return null;
    }

    /** The rules of an input's zone: Japan and Asia/Tokyo are one zone. */
    private static java.time.zone.ZoneRules rules(InputSpec input) {
        return zoneOf(input.zone()).getRules();
    }

    /** An input's zone, UTC where it names none: the order lines are sent in. */
    private static ZoneId zoneOf(String zone) {
        return zone == null ? ZoneOffset.UTC : ZoneId.of(zone);
    }

    /**
     * Two Zeek TSV files with different headers whose records would share a partition, said so; null when none would.
     * Each file's header lines come first (they have no time), and the job reads a partition's rows under the last
     * header it saw: in event-time order the files' rows mix, and one file's would be read with the other's columns.
     * Files with the same header (hourly logs of one sensor) share a partition safely.
     */
    private String tsvSharingAPartition(Map<Path, List<String>> headers, int partitions) {
        Map<Integer, Path> taken = new HashMap<>();
        for (Map.Entry<Path, List<String>> file : headers.entrySet()) {
            // Kafka's own choice for a record keyed as Line keys it.
            byte[] key = file.getKey().toString().getBytes(StandardCharsets.UTF_8);
            int partition = Utils.toPositive(Utils.murmur2(key)) % partitions;
            Path other = taken.putIfAbsent(partition, file.getKey());
            if (other != null && !headers.get(other).equals(file.getValue())) {
                return "Zeek TSV logs " + other + " and " + file.getKey() + " have different headers and would share"
                        + " partition " + partition + " of " + topic + " (records are keyed by their file): sent in"
                        + " event-time order, one's rows would be read under the other's header; replay them one at a"
                        + " time";
            }
        }
        return null;
    }

    private static Read read(List<InputSpec> inputs) throws Exception {
        List<Line> lines = new ArrayList<>();
        Map<Path, List<String>> headers = new LinkedHashMap<>();
        long tooLong = 0;
        for (InputFile input : InputFile.resolve(inputs)) {
            // Lines of several files are sent in time order: a file in another zone is ordered by its own.
            LineParser parser = input.format().newParser(new ParseOptions(zoneOf(input.zone()), 0, Instant.now()));
            byte[] file = input.path().toString().getBytes(StandardCharsets.UTF_8);
            long time = Long.MIN_VALUE;
            try (InputStream in = open(input.path())) {
                BoundedLineReader reader = BoundedLineReader.ofTelemetry(in);
                while (reader.next()) {
                    if (reader.lastLineTruncated()) {
                        tooLong++;
                        continue;
                    }
                    if (reader.length() > 0 && reader.bytes()[0] == '#') {
                        String line = new String(reader.bytes(), 0, reader.length(), StandardCharsets.UTF_8);
                        if (LAYOUT.stream().anyMatch(line::startsWith)) {
                            headers.computeIfAbsent(input.path(), path -> new ArrayList<>())
                                    .add(line);
                        }
                    }
                    ParsedLine parsed = parser.parse(reader.bytes(), reader.length());
                    if (parsed.kind() == ParsedLine.Kind.CONNECTION) {
                        time = parsed.connection().timestamp;
                    } else if (parsed.kind() == ParsedLine.Kind.AUTHENTICATION) {
                        time = parsed.authentication().timestamp;
                    }
                    lines.add(new Line(time, lines.size(), file, Arrays.copyOf(reader.bytes(), reader.length())));
                }
            } catch (IOException e) {
                throw new IOException(input.path() + " cannot be read: " + e.getMessage(), e);
            }
        }
        lines.sort(Comparator.comparingLong(Line::time).thenComparingInt(Line::order));
        return new Read(lines, tooLong, headers);
    }

    /** The file's lines as the job reads them: decompressed by their file's extension (.gz, .bz2, .xz, ...). */
    private static InputStream open(Path path) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(path));
        InflaterInputStreamFactory<?> decompressor = StandardDeCompressors.getDecompressorForFileName(path.toString());
        return decompressor == null ? raw : decompressor.create(raw);
    }
}

package io.scanwatch.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.testing.KafkaBroker;
import io.scanwatch.job.testing.ZeekLines;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Zeek TSV partition read from its middle by a new deserializer, as a restarted source reads it, against a real
 * broker: two logs in one partition, the second with its columns in another order, so that rows read under the wrong
 * header name the wrong hosts.
 */
class HeaderLookbackITCase {
    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    private static final String TOPIC = "two-logs";
    private static final String NO_HEADER = "neither a JSON object nor a TSV row after a #fields header";
    private static final ScanwatchConfig DEFAULTS = Detectors.configLoader().defaults();
    /** The capture's header, without its closing line, and its rows. */
    private static List<String> header;

    private static List<String> rows;
    private static List<String> secondHeader;
    /** Where the second log's header begins in the partition. */
    private static int second;
    /** The verdicts on the capture's first 400 rows, as read from its file. */
    private static List<String> captured;

    @BeforeAll
    static void twoLogsInOnePartition() throws Exception {
        List<String> capture = Files.readAllLines(Path.of(System.getProperty("scanwatch.root", ".."))
                .resolve("testdata/telemetry/zeek/branch-conn.tsv.log"));
        header = capture.stream()
                .filter(line -> line.startsWith("#") && !line.startsWith("#close"))
                .toList();
        rows = capture.stream().filter(line -> !line.startsWith("#")).toList();
        List<String> partition = new ArrayList<>(header);
        partition.addAll(rows.subList(0, 200));
        second = partition.size();
        // The second log names the responder's address before the originator's.
        secondHeader = header.stream()
                .map(line ->
                        line.startsWith("#fields") || line.startsWith("#types") ? ZeekLines.swapped(line, 3, 5) : line)
                .toList();
        partition.addAll(secondHeader);
        for (String row : rows.subList(200, 400)) {
            partition.add(ZeekLines.swapped(row, 2, 4));
        }
        KAFKA.createTopic(TOPIC, 1);
        KAFKA.produceKeyed(TOPIC, "sensor", partition);
        LineParser parser =
                TelemetryFormat.ZEEK_CONN.newParser(DEFAULTS.parsing().options(Instant.now()));
        List<TelemetryRecord> verdicts = new ArrayList<>();
        for (String line : capture) {
            ParsedLine parsed = parser.parse(line);
            if (parsed.kind() != ParsedLine.Kind.SKIPPED) {
                verdicts.add(TelemetryRecord.of(parsed, "zeek-conn", "file", () -> "file", null));
            }
        }
        captured = connections(verdicts.subList(0, 400));
    }

    @Test
    void aRowReadFromTheMiddleIsReadUnderTheLastHeaderBeforeIt() {
        List<TelemetryRecord> whole =
                read(TOPIC, TelemetryFormat.ZEEK_CONN, 0, DEFAULTS.kafka().headerLookback());
        // Steps of 7 records: the search goes back step after step to the header.
        for (int step : new int[] {HeaderLookback.STEP, 7}) {
            for (long from : new long[] {60, second + 60}) {
                List<TelemetryRecord> restarted = read(
                        TOPIC, TelemetryFormat.ZEEK_CONN, from, DEFAULTS.kafka().headerLookback(), step);
                assertThat(restarted).isNotEmpty().allMatch(record -> record.kind == TelemetryRecord.Kind.CONNECTION);
                assertThat(connections(restarted))
                        .as("from offset %d in steps of %d", from, step)
                        .isEqualTo(connections(whole.subList(whole.size() - restarted.size(), whole.size())));
            }
        }
        assertThat(connections(whole).subList(200, 400))
                .as("the second log's rows, read under its own header, are the capture's")
                .isEqualTo(captured.subList(200, 400));
    }

    @Test
    void anAutoStreamFindsItsFormatInTheHeaderBehind() {
        List<TelemetryRecord> restarted =
                read(TOPIC, TelemetryFormat.AUTO, second + 60, DEFAULTS.kafka().headerLookback());
        assertThat(restarted).isNotEmpty().allSatisfy(record -> {
            assertThat(record.kind).isEqualTo(TelemetryRecord.Kind.CONNECTION);
            assertThat(record.format).isEqualTo("zeek-conn");
        });
    }

    @Test
    void aHeaderBeyondTheLimitLeavesTheRowsDeadLettersAsBefore() {
        List<TelemetryRecord> restarted = read(TOPIC, TelemetryFormat.ZEEK_CONN, 100, 50);
        assertThat(restarted.subList(0, second - 100))
                .allSatisfy(record -> assertThat(record.deadLetter.reason).isEqualTo(NO_HEADER));
        assertThat(restarted.subList(second - 100, restarted.size()))
                .as("the next log's rows, after its header")
                .allMatch(record -> record.kind == TelemetryRecord.Kind.CONNECTION);
    }

    /** A shipper that dropped a header's first line: the #fields found back still serves. */
    @Test
    void aHeaderWithoutItsSeparatorLineStillServes() throws Exception {
        List<String> partition = new ArrayList<>(
                header.stream().filter(line -> !line.startsWith("#separator")).toList());
        partition.addAll(rows.subList(0, 100));
        KAFKA.createTopic("no-separator", 1);
        KAFKA.produceKeyed("no-separator", "sensor", partition);
        List<TelemetryRecord> whole = read("no-separator", TelemetryFormat.ZEEK_CONN, 0, 1000);
        // Steps of 3 records cut the header's run of lines: the search reads on to its start.
        for (int step : new int[] {HeaderLookback.STEP, 3}) {
            List<TelemetryRecord> restarted = read("no-separator", TelemetryFormat.ZEEK_CONN, 50, 1000, step);
            assertThat(connections(restarted))
                    .as("in steps of %d", step)
                    .isNotEmpty()
                    .doesNotContain("dead letter: " + NO_HEADER)
                    .isEqualTo(connections(whole.subList(whole.size() - restarted.size(), whole.size())));
        }
    }

    /** The lines handed on, exactly: the header in force, found step after step back, and nothing once out of time. */
    @Test
    void handsOnExactlyTheHeaderInForce() {
        HeaderLookback sevens = new HeaderLookback(client(), 5_000_000, Duration.ofMinutes(2), 7);
        assertThat(text(sevens.before(TOPIC, 0, 60))).containsExactlyElementsOf(header);
        assertThat(text(sevens.before(TOPIC, 0, second + 60))).containsExactlyElementsOf(secondHeader);
        assertThat(text(sevens.before(TOPIC, 0, second + 4)))
                .as("from within the second header: the lines before it")
                .containsExactlyElementsOf(secondHeader.subList(0, 4));
        assertThat(new HeaderLookback(client(), 5_000_000, Duration.ZERO).before(TOPIC, 0, 60))
                .as("no time to search")
                .isEmpty();
    }

    /**
     * A header without its {@code #separator} line, with rows before it: the search stops at its {@code #fields}' run
     * of lines, without reading on to the partition's start, which the limit puts out of reach.
     */
    @Test
    void aHeaderWithoutItsSeparatorEndsTheSearchAtItsRun() throws Exception {
        List<String> partial =
                header.stream().filter(line -> !line.startsWith("#separator")).toList();
        List<String> partition = new ArrayList<>(rows.subList(0, 30));
        partition.addAll(partial);
        partition.addAll(rows.subList(30, 93));
        KAFKA.createTopic("late-header", 1);
        KAFKA.produceKeyed("late-header", "sensor", partition);
        int from = 30 + partial.size() + 53;
        assertThat(text(new HeaderLookback(client(), from - 28, Duration.ofMinutes(2), 5)
                        .before("late-header", 0, from)))
                .containsExactlyElementsOf(partial);
    }

    /**
     * A stray line where a restarted source begins does not cost the rows after it their search, and a JSON topic's
     * stray line with a tab in it finds JSON lines behind it, not a header: the lines after it are read either way.
     */
    @Test
    void aStrayLineWhereTheSourceBeginsCostsNothing() throws Exception {
        List<String> tsv = new ArrayList<>(header);
        tsv.addAll(rows.subList(0, 100));
        tsv.add("garbage");
        tsv.addAll(rows.subList(100, 200));
        KAFKA.createTopic("stray-in-tsv", 1);
        KAFKA.produceKeyed("stray-in-tsv", "sensor", tsv);
        List<TelemetryRecord> restarted =
                read("stray-in-tsv", TelemetryFormat.ZEEK_CONN, header.size() + 100, 1_000_000);
        assertThat(restarted.get(0).deadLetter.reason).isEqualTo(NO_HEADER);
        assertThat(restarted.subList(1, restarted.size()))
                .isNotEmpty()
                .allMatch(record -> record.kind == TelemetryRecord.Kind.CONNECTION);

        List<String> json = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            json.add("{\"ts\":" + (1_772_442_000 + i) + ".0,\"id.orig_h\":\"10.0.0." + (i % 200 + 1)
                    + "\",\"id.orig_p\":4000,\"id.resp_h\":\"203.0.113.9\",\"id.resp_p\":443,\"proto\":\"tcp\","
                    + "\"conn_state\":\"SF\",\"history\":\"ShADadFf\"}");
        }
        json.add(50, "1772442050.0\tstray\tline");
        KAFKA.createTopic("stray-in-json", 1);
        KAFKA.produceKeyed("stray-in-json", "sensor", json);
        List<TelemetryRecord> fromStray = read("stray-in-json", TelemetryFormat.ZEEK_CONN, 50, 1_000_000);
        assertThat(fromStray.get(0).kind).isEqualTo(TelemetryRecord.Kind.DEAD_LETTER);
        assertThat(fromStray.subList(1, fromStray.size()))
                .hasSize(50)
                .allMatch(record -> record.kind == TelemetryRecord.Kind.CONNECTION);
    }

    /**
     * The search gives up at JSON lines only where everything read back from the offset is JSON: a TSV log with a
     * stretch of JSON lines between its header and its rows (a JSON file and a TSV file replayed into one partition)
     * still has its header found.
     */
    @Test
    void onlyJsonAllTheWayBackEndsTheSearch() throws Exception {
        List<String> json = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            json.add("{\"ts\":" + (1_772_442_000 + i) + ".0,\"id.orig_h\":\"10.0.0.1\",\"conn_state\":\"SF\"}");
        }
        List<String> jsonAfterHeader = new ArrayList<>(header);
        jsonAfterHeader.addAll(json);
        jsonAfterHeader.add("1772442050.0\tstray\tline");
        KAFKA.createTopic("json-behind", 1);
        KAFKA.produceKeyed("json-behind", "sensor", jsonAfterHeader);
        HeaderLookback sevens = new HeaderLookback(client(), 5_000_000, Duration.ofMinutes(2), 7);
        assertThat(sevens.before("json-behind", 0, jsonAfterHeader.size() - 1))
                .as("a JSON topic's stray line: the JSON lines before it end the search")
                .isEmpty();

        List<String> mixed = new ArrayList<>(header);
        mixed.addAll(rows.subList(0, 20));
        mixed.addAll(json);
        mixed.addAll(rows.subList(20, 40));
        KAFKA.createTopic("json-between", 1);
        KAFKA.produceKeyed("json-between", "sensor", mixed);
        assertThat(text(sevens.before("json-between", 0, mixed.size() - 1))).containsExactlyElementsOf(header);
    }

    /** A log whose first column is not {@code ts} (Zeek writes them as it is told): its rows search all the same. */
    @Test
    void aLogWhoseRowsDoNotStartWithTheTimeIsFoundToo() throws Exception {
        List<String> uidFirst = new ArrayList<>();
        for (String line : header) {
            uidFirst.add(
                    line.startsWith("#fields") || line.startsWith("#types") ? ZeekLines.swapped(line, 1, 2) : line);
        }
        rows.subList(0, 100).forEach(row -> uidFirst.add(ZeekLines.swapped(row, 0, 1)));
        KAFKA.createTopic("uid-first", 1);
        KAFKA.produceKeyed("uid-first", "sensor", uidFirst);
        List<TelemetryRecord> whole = read("uid-first", TelemetryFormat.ZEEK_CONN, 0, 1_000_000);
        List<TelemetryRecord> restarted = read("uid-first", TelemetryFormat.ZEEK_CONN, header.size() + 60, 1_000_000);
        assertThat(connections(restarted))
                .isNotEmpty()
                .doesNotContain("dead letter: " + NO_HEADER)
                .isEqualTo(connections(whole.subList(whole.size() - restarted.size(), whole.size())));
    }

    private static Properties client() {
        Properties client = new Properties();
        client.put("bootstrap.servers", KAFKA.bootstrapServers());
        return client;
    }

    private static List<String> text(List<byte[]> lines) {
        return lines.stream()
                .map(line -> new String(line, StandardCharsets.UTF_8))
                .toList();
    }

    /** What a new deserializer, as a restarted source has, makes of the partition from {@code from} to its end. */
    private static List<TelemetryRecord> read(String topic, TelemetryFormat format, long from, long limit) {
        return read(topic, format, from, limit, HeaderLookback.STEP);
    }

    private static List<TelemetryRecord> read(String topic, TelemetryFormat format, long from, long limit, int step) {
        Properties client = client();
        TelemetryDeserializer deserializer = new TelemetryDeserializer(
                format,
                DEFAULTS.parsing(),
                DEFAULTS.eventTime().maxAheadOfClock(),
                new HeaderLookback(client, limit, Duration.ofMinutes(2), step));
        List<TelemetryRecord> out = new ArrayList<>();
        ListCollector<TelemetryRecord> collector = new ListCollector<>(out);
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(client, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            consumer.seek(partition, from);
            Instant deadline = Instant.now().plusSeconds(60);
            while (consumer.position(partition) < end) {
                assertThat(Instant.now()).as("the partition read to its end").isBefore(deadline);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    deserializer.deserialize(record, collector);
                }
            }
        }
        return out.stream()
                .filter(record -> record.kind != TelemetryRecord.Kind.SKIPPED)
                .toList();
    }

    private static List<String> connections(List<TelemetryRecord> records) {
        List<String> connections = new ArrayList<>();
        for (TelemetryRecord record : records) {
            ConnectionEvent c = record.connection;
            connections.add(
                    c == null
                            ? "dead letter: " + (record.deadLetter == null ? null : record.deadLetter.reason)
                            : c.sourceIp + " " + c.destinationIp + " " + c.destinationPort + " " + c.timestamp);
        }
        return Collections.unmodifiableList(connections);
    }
}

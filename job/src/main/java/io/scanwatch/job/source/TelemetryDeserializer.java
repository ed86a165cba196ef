package io.scanwatch.job.source;

import io.scanwatch.job.config.ScanwatchConfig.ParsingConfig;
import io.scanwatch.job.model.DeadLetter;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses each Kafka record (one log line or JSON object) in the source, so that watermarks follow event time per
 * partition. A partition is a stream of its own: it gets its own parser, for formats with in-stream headers. A
 * partition read from its middle (after a restart) whose first TSV row finds no header, before any record of it was
 * read, has the header read back from the partition ({@link HeaderLookback}).
 */
final class TelemetryDeserializer implements KafkaRecordDeserializationSchema<TelemetryRecord>, RecordOrigin {
    private static final long serialVersionUID = 1L;
    private static final long TABS = ByteSearch.repeated('\t');

    private final TelemetryFormat format;
    private final ParsingConfig parsing;
    private final EventTimeCeiling ceiling;
    private final HeaderLookback lookback;
    /** By partition: each source reads one topic. */
    private transient Map<Integer, PartitionStream> partitions;

    private transient ConsumerRecord<byte[], byte[]> current;

    TelemetryDeserializer(
            TelemetryFormat format, ParsingConfig parsing, Duration maxAheadOfClock, HeaderLookback lookback) {
        this.format = format;
        this.parsing = parsing;
        this.ceiling = new EventTimeCeiling(maxAheadOfClock, format, java.time.ZoneId.of(parsing.timezone()));
        this.lookback = lookback;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<TelemetryRecord> out) {
        if (partitions == null) {
            partitions = new HashMap<>();
        }
        PartitionStream stream = partitions.get(record.partition());
        if (stream == null) {
            stream = new PartitionStream(format.newParser(parsing.options(Instant.now())));
            partitions.put(record.partition(), stream);
        }
        LineParser parser = stream.parser;
        current = record;
        byte[] value = record.value();
        ParsedLine parsed;
        if (value != null && value.length > TelemetryLineFormat.MAX_LINE_BYTES) {
            value = Arrays.copyOf(value, DeadLetter.MAX_RAW_CHARS);
            parsed = ParsedLine.rejected("record longer than " + TelemetryLineFormat.MAX_LINE_BYTES + " bytes");
        } else {
            value = value == null ? new byte[0] : value;
            parsed = parser.parse(value, value.length);
            if (!stream.settled && waitsForHeader(parsed, parser, value)) {
                stream.settled = true;
                List<byte[]> header = lookback.before(record.topic(), record.partition(), record.offset());
                for (byte[] line : header) {
                    parser.parse(line, line.length);
                }
                if (!header.isEmpty()) {
                    parsed = parser.parse(value, value.length);
                }
            }
            stream.settled |=
                    parsed.kind() == ParsedLine.Kind.CONNECTION || parsed.kind() == ParsedLine.Kind.AUTHENTICATION;
            parsed = ceiling.check(parsed);
        }
        // Only a dead letter keeps its record, so only its record is decoded.
        String raw = parsed.kind() == ParsedLine.Kind.REJECTED ? new String(value, StandardCharsets.UTF_8) : null;
        String recognised = parser.recognisedFormat();
        TelemetryRecord read =
                TelemetryRecord.of(parsed, recognised != null ? recognised : format.id(), record.topic(), this, raw);
        read.partition = record.partition();
        read.offset = record.offset();
        out.collect(read);
    }

    /** A partition's parser, and whether the partition is settled since the start. */
    private static final class PartitionStream {
        final LineParser parser;
        /**
         * Searched for its header, or one of its records read. A partition searches once, and only before its first
         * record read: a JSON topic whose records are read never does; a stray line with a tab before them searches
         * once, and stops at the JSON lines behind it.
         */
        boolean settled;

        PartitionStream(LineParser parser) {
            this.parser = parser;
        }
    }

    /**
     * A TSV row (not JSON, and holding a tab, Zeek's separator) refused by a parser still waiting for a header: a
     * partition read from the middle of a log. Text without a tab is not searched for; under {@code auto}, before a
     * format is chosen, another format's line with a tab is, in vain, once.
     */
    private static boolean waitsForHeader(ParsedLine parsed, LineParser parser, byte[] value) {
        return parsed.kind() == ParsedLine.Kind.REJECTED
                && value[0] != '{'
                && ByteSearch.indexOf(value, 0, value.length, TABS) < value.length
                && parser.awaitsHeader();
    }

    @Override
    public String describe() {
        return current.topic() + "/" + current.partition() + "@" + current.offset();
    }

    @Override
    public TypeInformation<TelemetryRecord> getProducedType() {
        return TypeInformation.of(TelemetryRecord.class);
    }
}

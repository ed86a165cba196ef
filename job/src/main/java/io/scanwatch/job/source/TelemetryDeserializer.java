package io.scanwatch.job.source;

import io.scanwatch.job.config.ScanwatchConfig.ParsingConfig;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.TelemetryFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses each Kafka record (one log line or JSON object) in the source, so that watermarks follow event time per
 * partition. A partition is a stream of its own: it gets its own parser, for formats with in-stream headers.
 */
final class TelemetryDeserializer implements KafkaRecordDeserializationSchema<TelemetryRecord> {
    private static final long serialVersionUID = 1L;

    private final TelemetryFormat format;
    private final ParsingConfig parsing;
    private transient Map<String, LineParser> parsers;

    TelemetryDeserializer(TelemetryFormat format, ParsingConfig parsing) {
        this.format = format;
        this.parsing = parsing;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<TelemetryRecord> out) {
        if (parsers == null) {
            parsers = new HashMap<>();
        }
        String partition = record.topic() + "/" + record.partition();
        LineParser parser = parsers.get(partition);
        if (parser == null) {
            parser = format.newParser(parsing.options(Instant.now()));
            parsers.put(partition, parser);
        }
        byte[] value = record.value();
        String origin = partition + "@" + record.offset();
        ParsedLine parsed;
        String text;
        if (value != null && value.length > TelemetryLineFormat.MAX_LINE_BYTES) {
            text = new String(value, 0, DeadLetter.MAX_RAW_CHARS, StandardCharsets.UTF_8);
            parsed = ParsedLine.rejected("record longer than " + TelemetryLineFormat.MAX_LINE_BYTES + " bytes");
        } else {
            text = value == null ? "" : new String(value, StandardCharsets.UTF_8);
            parsed = parser.parse(text);
        }
        TelemetryFormat recognised = parser.recognised();
        out.collect(TelemetryRecord.of(parsed, recognised != null ? recognised.id() : format.id(), record.topic(),
                origin, text));
    }

    @Override
    public TypeInformation<TelemetryRecord> getProducedType() {
        return TypeInformation.of(TelemetryRecord.class);
    }
}

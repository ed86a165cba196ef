package io.scanwatch.job.source;

import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.compression.StandardDeCompressors;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Builds the telemetry streams. Each file is its own source so that its watermark follows its own clock: files
 * of different days read by one reader would make the later file's records late.
 */
public final class TelemetrySources {
    private TelemetrySources() {}

    /**
     * Watermarks that allow {@code maxOutOfOrderness}. Files take them as they are: a file being read is never
     * idle, and one that has ended sends the final watermark; marking a back-pressured reader idle would only make
     * its later records late. Kafka partitions add idleness ({@link KafkaTelemetry}).
     */
    public static WatermarkStrategy<TelemetryRecord> watermarks(Duration maxOutOfOrderness) {
        return WatermarkStrategy.<TelemetryRecord>forBoundedOutOfOrderness(maxOutOfOrderness)
                .withTimestampAssigner((record, previous) -> record.eventTime());
    }

    /** The time no line of {@code file} is after: what a syslog line's year is inferred from. */
    private static Instant reference(Path file) {
        try {
            return ParseOptions.referenceOf(Files.getLastModifiedTime(file).toInstant(), Instant.now());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the modification time of " + file, e);
        }
    }

    public static List<TelemetryInput> fromFiles(
            StreamExecutionEnvironment env, List<InputFile> files, ScanwatchConfig config) {
        List<TelemetryInput> streams = new ArrayList<>();
        for (InputFile input : files) {
            Path file = input.path();
            String label = file.toString();
            String id = "file-" + input.format().id() + "-" + label;
            String name = input.format().id() + " " + file.getFileName();
            boolean inSplits = readInSplits(env, input);
            var source = FileSource.forBulkFileFormat(
                    new GuardedFileFormat(
                            new TelemetryLineFormat(
                                    input.format(),
                                    config.parsing().in(input.zone()).options(reference(file)),
                                    config.eventTime().maxAheadOfClock(),
                                    label,
                                    file.getFileName().toString(),
                                    inSplits),
                            input.format().id(),
                            label),
                    new org.apache.flink.core.fs.Path(file.toAbsolutePath().toUri()));
            source.setFileEnumerator(() -> new MissingFileSplits(
                    inSplits ? new LineSplits(MIN_SPLIT_BYTES) : new NonSplittingRecursiveEnumerator()));
            streams.add(new TelemetryInput(
                    id,
                    input.format(),
                    env.fromSource(
                                    source.build(),
                                    watermarks(config.eventTime().boundFor(input.format())),
                                    "file: " + name)
                            .uid(id)
                            .setParallelism(inSplits ? env.getParallelism() : 1)));
        }
        return streams;
    }

    /** Below this a file is read by one reader: a split's start-up costs more than parsing it saves. */
    public static final long MIN_SPLIT_BYTES = 16L << 20;

    /** Formats whose lines stand alone once a file's first line is a JSON object. */
    private static final Set<TelemetryFormat> LINE_FORMATS = EnumSet.of(
            TelemetryFormat.ZEEK_CONN,
            TelemetryFormat.ZEEK_SSH,
            TelemetryFormat.SURICATA_EVE,
            TelemetryFormat.WINDOWS_JSON);

    /**
     * Whether several readers may parse the file at once: a large, uncompressed file of JSON lines, in a batch
     * replay. A stream replay reads each file in order, as one reader: its watermark follows the file, and a reader
     * given a later range before an earlier one would make the earlier one late.
     */
    private static boolean readInSplits(StreamExecutionEnvironment env, InputFile input) {
        if (env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) != RuntimeExecutionMode.BATCH
                || env.getParallelism() < 2
                || !LINE_FORMATS.contains(input.format())
                || StandardDeCompressors.getDecompressorForFileName(input.path().toString()) != null) {
            return false;
        }
        try {
            if (Files.size(input.path()) < 2 * MIN_SPLIT_BYTES) {
                return false;
            }
            return HeaderLineSearch.jsonLinesOnly(input.path());
        } catch (IOException e) {
            return false; // read whole, and the reader says what is wrong
        }
    }
}

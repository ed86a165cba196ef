package io.scanwatch.job.source;

import io.scanwatch.job.config.ScanwatchConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
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

    private static Instant lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
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
            FileSource<TelemetryRecord> source = FileSource.forRecordStreamFormat(
                            new TelemetryLineFormat(
                                    input.format(),
                                    config.parsing().options(lastModified(file)),
                                    label,
                                    file.getFileName().toString()),
                            new org.apache.flink.core.fs.Path(
                                    file.toAbsolutePath().toUri()))
                    .build();
            String id = "file-" + input.format().id() + "-" + label;
            String name = input.format().id() + " " + file.getFileName();
            streams.add(new TelemetryInput(
                    id,
                    input.format(),
                    env.fromSource(source, watermarks(config.eventTime().boundFor(input.format())), "file: " + name)
                            .uid(id)
                            .setParallelism(1)));
        }
        return streams;
    }
}

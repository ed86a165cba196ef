package io.scanwatch.job.source;

import io.scanwatch.parse.catalog.TelemetryFormat;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * One telemetry source's records, with a stable id that names its operators (uids survive restarts) and the format
 * they are read as.
 */
public record TelemetryInput(String id, TelemetryFormat format, DataStream<TelemetryRecord> records) {}

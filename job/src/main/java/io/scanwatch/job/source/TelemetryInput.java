package io.scanwatch.job.source;

import org.apache.flink.streaming.api.datastream.DataStream;

/** One telemetry source's records, with a stable id that names its operators (uids survive restarts). */
public record TelemetryInput(String id, DataStream<TelemetryRecord> records) {}

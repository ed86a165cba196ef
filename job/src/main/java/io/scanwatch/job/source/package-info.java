/**
 * Telemetry sources: files (one source per file, parsing in the reader, bounded lines, broken inputs reported) and
 * Kafka topics, with watermarks per file or partition.
 */
package io.scanwatch.job.source;

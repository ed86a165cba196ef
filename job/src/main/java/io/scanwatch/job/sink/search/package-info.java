/**
 * Alerts to Elasticsearch or OpenSearch: a Flink sink on {@code AsyncSinkBase} speaking the {@code _bulk} API over
 * plain HTTP(S), with each alert's deterministic id as the document id, per-item verdicts (retry 429 and 5xx,
 * reject other 4xx to a dead-letter index) and buffered documents kept in checkpoints as bytes.
 */
package io.scanwatch.job.sink.search;

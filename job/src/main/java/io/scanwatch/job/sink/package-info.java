/**
 * Outputs: alerts, dead letters and control statuses as JSON lines to standard output, files and Kafka; the search
 * sink for Elasticsearch and OpenSearch is in {@code search}.
 */
package io.scanwatch.job.sink;

/** Counters that are both Flink metrics and accumulators, and the names they are grouped under. */
package io.scanwatch.job.metrics;

/**
 * Live control: change documents (read by the sources in {@code io.scanwatch.job.source}, from a compacted Kafka
 * topic or a file) checked against the start-up configuration, and kept in broadcast state by every operator that
 * applies them, each change from its event time on ({@link io.scanwatch.job.control.ControlTimeline}), records
 * held by a policy operator until the changes at start have come ({@link io.scanwatch.job.control.ChangesReadFirst}).
 */
package io.scanwatch.job.control;

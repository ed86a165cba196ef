/** Outputs: alerts and dead letters to Kafka, dead letters as JSON. */
package io.scanwatch.job.sink;

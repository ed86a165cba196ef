/**
 * From detections to alerts: episodes per rule and source, suppression, roll-ups, deterministic ids, and the ECS
 * JSON an analyst reads.
 */
package io.scanwatch.job.alert;

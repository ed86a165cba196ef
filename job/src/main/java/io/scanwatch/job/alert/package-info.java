/**
 * From detections to alerts: episodes per rule and source, suppression, roll-ups, incidents and deterministic ids
 * ({@link io.scanwatch.job.alert.AlertSuppressor}), alerts counted by rule, and the ECS JSON an analyst reads. What
 * each alert meets as it leaves is in {@code alert.policy} (authorised and known scanners, the inventory) and
 * {@code alert.enrich} (the source's geo and AS).
 */
package io.scanwatch.job.alert;

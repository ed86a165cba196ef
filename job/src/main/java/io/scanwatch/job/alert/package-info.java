/**
 * From detections to alerts: episodes per rule and source, suppression, roll-ups, deterministic ids
 * ({@link io.scanwatch.job.alert.AlertSuppressor}); the alert policy each alert meets as it leaves (authorised and
 * known scanners, the inventory's criticality: {@link io.scanwatch.job.alert.ApplyAlertPolicy}, and before
 * suppression {@link io.scanwatch.job.alert.MarkPolicyHolds}); the source's geo and AS
 * ({@link io.scanwatch.job.alert.EnrichAlerts}); and the ECS JSON an analyst reads.
 */
package io.scanwatch.job.alert;

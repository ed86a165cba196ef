/**
 * The alert policy: authorised scanners silenced, known scanners labelled, lowered or dropped, targets described by
 * the inventory and severities raised for critical ones, each alert under the configuration in effect at its time
 * ({@link io.scanwatch.job.alert.policy.ApplyAlertPolicy}); and, before suppression, detections marked with what
 * that configuration holds back ({@link io.scanwatch.job.alert.policy.MarkPolicyHolds}).
 */
package io.scanwatch.job.alert.policy;

/**
 * How event time crosses the places where the job's own ways meet again (the detectors' outputs at suppression):
 * operators that only hand records on and change what their watermarks say downstream. Event time's other holds
 * live with what they hold: the join's wait ({@code pair.HoldWatermark}), the sources' idleness and clock ceiling
 * ({@code source}), the correlation's wait for scan alerts ({@code correlate.WaitForScanAlerts}).
 */
package io.scanwatch.job.time;
